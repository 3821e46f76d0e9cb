"""A built graph in other formats: RDF for RDF tools, GraphML/GEXF/CSV for network tools.

Which formats there are, and which writer writes each, is `graph.formats`'
registry, so `kg export --help` lists exactly what works. RDF goes through kg's
sorted rdflib serializer plugins (`graph.rdf`): the same graph always gives
the same bytes. The network formats are written here, from the view
(`graph.view`); GraphML and GEXF only carry scalars, so list attributes
(names, accounts, facts) are JSON-encoded strings there, and GEXF's "last
modified" date is dropped to keep the output byte-stable. Both can also write
the person-person network instead (`network="people"`,
`graph.exporters.network`).

CSV is two files, FILE-nodes.csv and FILE-edges.csv (not a zip: both open
directly in a spreadsheet, pandas or Gephi's import wizard).
"""
from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

import networkx as nx
from rdflib import Graph
from .safetext import safe_cell, xml_chars

from . import formats
from .formats import Outputs
from .view import Node, View, read_view

def _scalar(value: Any) -> str | int | float | bool:
    """A value GraphML and GEXF can hold: text without the characters XML cannot carry."""
    if isinstance(value, str):
        return xml_chars(value)
    if isinstance(value, (int, float, bool)):
        return value
    return xml_chars(json.dumps(value, ensure_ascii=False, sort_keys=True))


# What each kind of node carries besides kind, label, iri, names, accounts, facts and degree.
_KIND_FIELDS = {"person": ("narrator_of",), "body": (), "role": ("title", "body"),
                "event": ("event_type", "date", "actors")}


def node_record(view: View, node: Node) -> dict[str, Any]:
    """A node's attributes as the network formats write them (lists still lists)."""
    record: dict[str, Any] = {"kind": node.kind, "label": node.label, "iri": node.iri, "names": list(node.names),
                              "accounts": list(node.accounts), "facts": [f.record() for f in node.facts],
                              "degree": view.degree(node.iri)}
    for name in _KIND_FIELDS[node.kind]:
        value = getattr(node, name)
        record[name] = list(value) if isinstance(value, tuple) else value
    return record


def flat_view(ds: Graph) -> nx.MultiDiGraph[str]:
    """The view as a networkx graph with every attribute a scalar GraphML/GEXF can hold."""
    view = read_view(ds)
    flat: nx.MultiDiGraph[str] = nx.MultiDiGraph()
    flat.add_nodes_from((n.iri, {k: _scalar(v) for k, v in node_record(view, n).items()})
                        for n in view.nodes.values())
    for e in view.edges:
        flat.add_edge(e.source, e.target, key=e.kind, kind=e.kind, label=xml_chars(e.label), accounts=_scalar(list(e.accounts)))
    return flat


XML_DECLARATION = '<?xml version="1.0" encoding="utf-8"?>\n'


def _declared(text: str) -> str:
    return text if text.startswith("<?xml") else XML_DECLARATION + text


def network(ds: Graph, which: str = "full") -> nx.Graph[str]:
    """The network GraphML and GEXF write: the whole view ("full"), or people linked to people ("people")."""
    if which == "people":
        from .exporters.network import people_network

        return people_network(read_view(ds))
    return flat_view(ds)


def graphml(ds: Graph, which: str = "full") -> Outputs:
    return {"": _declared("\n".join(nx.generate_graphml(network(ds, which), prettyprint=True)) + "\n")}


def gexf(ds: Graph, which: str = "full") -> Outputs:
    from networkx.readwrite.gexf import GEXFWriter

    writer = GEXFWriter(encoding="utf-8", prettyprint=True)
    meta = writer.xml.find("meta")
    if meta is not None:
        meta.attrib.pop("lastmodifieddate", None)  # today's date would change the bytes daily
    writer.add_graph(network(ds, which))
    return {"": _declared(str(writer))}


NODE_COLUMNS = ("id", "kind", "label", "names", "accounts", "degree", "facts",
                "event_type", "date", "title", "body")
EDGE_COLUMNS = ("source", "target", "kind", "label", "accounts")


def _cell(value: Any) -> str:
    if isinstance(value, list):
        return "; ".join(map(str, value))
    return "" if value is None else str(value)


def csv_tables(ds: Graph) -> Outputs:
    """Nodes and edges as two CSV tables; list cells are joined with '; '."""
    view = read_view(ds)
    nodes, edges = io.StringIO(), io.StringIO()
    w = csv.writer(nodes, lineterminator="\n")
    w.writerow(NODE_COLUMNS)
    for node in view.nodes.values():
        row = {**node_record(view, node), "id": node.iri, "facts": len(node.facts)}
        w.writerow([safe_cell(_cell(row.get(c))) for c in NODE_COLUMNS])
    w = csv.writer(edges, lineterminator="\n")
    w.writerow(EDGE_COLUMNS)
    for e in view.edges:
        w.writerow([safe_cell(_cell(v)) for v in (e.source, e.target, e.kind, e.label, list(e.accounts))])
    return {"-nodes": nodes.getvalue(), "-edges": edges.getvalue()}


def export(ds: Graph, fmt: str, network: str = "full") -> Outputs:
    """The graph in format `fmt` (a name or alias in `graph.formats`); `network`: see `Format.write`."""
    return formats.get(fmt).write(ds, network)


def target_paths(fmt: str, outputs: Outputs, out: Path | None, default_dir: Path) -> dict[str, Path]:
    """Where each output goes: -o FILE (FILE-nodes.csv for a pair), else default_dir/graph.EXT."""
    ext = formats.get(fmt).suffix
    base = out if out is not None else default_dir / f"graph{ext}"
    if list(outputs) == [""]:
        return {"": base}
    stem = base.name[: -len(ext)] if base.name.endswith(ext) else base.name
    return {suffix: base.with_name(f"{stem}{suffix}{ext}") for suffix in outputs}

"""A built graph in other formats: RDF for RDF tools, GraphML/GEXF/CSV for network tools.

One registry maps each format name to its writer, so adding a format is one
line (the rdflib-plugin way) and `kg export --help` lists exactly what works.
RDF goes through `graph.rdf.serialize`, which sorts its output so that the same
graph always gives the same bytes. The network formats are written from the
networkx view (`graph.network.to_networkx`); GraphML and GEXF only carry
scalars, so list and dict attributes (names, accounts, facts) are JSON-encoded
strings there, and GEXF's "last modified" date is dropped to keep the output
byte-stable.

CSV is two files, FILE-nodes.csv and FILE-edges.csv (not a zip: both open
directly in a spreadsheet, pandas or Gephi's import wizard).
"""
from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

import networkx as nx
from rdflib import Graph
from .csvcell import safe_cell

Outputs = dict[str, str]  # file-name suffix ("" for a single file) -> text


@dataclass(frozen=True)
class Writer:
    write: Callable[[Graph], Outputs]
    ext: str
    description: str


def _rdf(fmt: str) -> Callable[[Graph], Outputs]:
    def write(ds: Graph) -> Outputs:
        from .rdf import serialize

        return {"": serialize(ds, fmt)}
    return write


def _scalar(value: Any) -> str | int | float | bool:
    if isinstance(value, (str, int, float, bool)):
        return value
    if value is None:
        return ""
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


def flat_view(ds: Graph) -> nx.MultiDiGraph:
    """The networkx view with every attribute a scalar GraphML/GEXF can hold."""
    from .network import to_networkx

    g = to_networkx(ds)
    flat = nx.MultiDiGraph()
    for node, data in g.nodes(data=True):
        flat.add_node(node, **{k: _scalar(v) for k, v in data.items()})
    for a, b, key, data in g.edges(keys=True, data=True):
        flat.add_edge(a, b, key=key, **{k: _scalar(v) for k, v in data.items()})
    return flat


XML_DECLARATION = '<?xml version="1.0" encoding="utf-8"?>\n'


def _declared(text: str) -> str:
    return text if text.startswith("<?xml") else XML_DECLARATION + text


def graphml(ds: Graph) -> Outputs:
    return {"": _declared("\n".join(nx.generate_graphml(flat_view(ds), prettyprint=True)) + "\n")}


def gexf(ds: Graph) -> Outputs:
    from networkx.readwrite.gexf import GEXFWriter

    writer = GEXFWriter(encoding="utf-8", prettyprint=True)
    meta = writer.xml.find("meta")
    if meta is not None:
        meta.attrib.pop("lastmodifieddate", None)  # today's date would change the bytes daily
    writer.add_graph(flat_view(ds))
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
    from .network import to_networkx

    g = to_networkx(ds)
    nodes, edges = io.StringIO(), io.StringIO()
    w = csv.writer(nodes, lineterminator="\n")
    w.writerow(NODE_COLUMNS)
    for node, data in g.nodes(data=True):
        row = {**data, "id": node, "facts": len(data.get("facts", []))}
        w.writerow([safe_cell(_cell(row.get(c))) for c in NODE_COLUMNS])
    w = csv.writer(edges, lineterminator="\n")
    w.writerow(EDGE_COLUMNS)
    for a, b, data in g.edges(data=True):
        row = {**data, "source": a, "target": b}
        w.writerow([safe_cell(_cell(row.get(c))) for c in EDGE_COLUMNS])
    return {"-nodes": nodes.getvalue(), "-edges": edges.getvalue()}


WRITERS: dict[str, Writer] = {
    "turtle": Writer(_rdf("turtle"), ".ttl", "Turtle, the union of all accounts"),
    "trig": Writer(_rdf("trig"), ".trig", "TriG, one named graph per account"),
    "nquads": Writer(_rdf("nquads"), ".nq", "N-Quads, one named graph per account"),
    "ntriples": Writer(_rdf("ntriples"), ".nt", "N-Triples, the union"),
    "jsonld": Writer(_rdf("json-ld"), ".jsonld", "JSON-LD with named graphs"),
    "xml": Writer(_rdf("xml"), ".rdf", "RDF/XML, the union"),
    "graphml": Writer(graphml, ".graphml", "GraphML (yEd, Gephi, Cytoscape)"),
    "gexf": Writer(gexf, ".gexf", "GEXF (Gephi)"),
    "csv": Writer(csv_tables, ".csv", "two CSV files: FILE-nodes.csv, FILE-edges.csv"),
}


def export(ds: Graph, fmt: str) -> Outputs:
    return WRITERS[fmt].write(ds)


def target_paths(fmt: str, outputs: Outputs, out: Path | None, default_dir: Path) -> dict[str, Path]:
    """Where each output goes: -o FILE (FILE-nodes.csv for a pair), else default_dir/graph.EXT."""
    ext = WRITERS[fmt].ext
    base = out if out is not None else default_dir / f"graph{ext}"
    if list(outputs) == [""]:
        return {"": base}
    stem = base.name[: -len(ext)] if base.name.endswith(ext) else base.name
    return {suffix: base.with_name(f"{stem}{suffix}{ext}") for suffix in outputs}

"""Every format kg reads or writes, in one registry: name, aliases, media type, reader, writer.

`store` reads a graph file by its suffix, `query` hands the same file to
Oxigraph, `rdf.serialize` and `kg export` write through the same entries, and
`kg export --help` lists them: adding a format is one entry here.

RDF is written by kg's own rdflib serializer plugins (`kg-turtle`, `kg-trig`,
..., classes in `graph.rdf`), registered here with `rdflib.plugin.register`
and loaded by rdflib when first used. They sort what they write, so the same
statements give the same bytes on every run; rdflib's own serializers walk
hash-ordered sets. So `dataset.serialize(format="kg-trig")` works anywhere once
this module is imported. The network formats are written from the view
(`graph.export`), the formats of other tools' data models (FollowTheMoney,
Popolo) by their own modules in `graph.exporters`. GraphML and GEXF write the
whole view or, asked for `network="people"`, the person-person network.

Importing this module loads no writer: commands that only read stay light.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from rdflib import Graph, plugin
from rdflib.serializer import Serializer

from .errors import KgError

Outputs = dict[str, str]  # file-name suffix ("" for a single file) -> text


@dataclass(frozen=True)
class Format:
    """One format. `reads`: the file suffixes read as it; `parser`: rdflib's parser for them (None:
    kg writes it only); `oxigraph_parser`: oxrdflib's; `writer`: the kg serializer plugin's class in
    `graph.rdf` (RDF), or the function of `graph.export` that writes it (network formats), or
    `exporter`: "module.function" in `graph.exporters`; `networks`: what it can draw besides the
    whole view (`NETWORKS`)."""

    name: str
    description: str
    media_type: str
    suffix: str                       # a written file's: graph.ttl
    aliases: tuple[str, ...] = ()
    reads: tuple[str, ...] = ()
    parser: str | None = None
    oxigraph_parser: str | None = None
    serializer: str | None = None     # class name in graph.rdf, registered as plugin `kg-NAME`
    network: str | None = None        # function name in graph.export
    exporter: str | None = None       # "module.function" in graph.exporters
    networks: tuple[str, ...] = ()    # besides "full", the networks `write` draws
    extra: str | None = None          # the optional dependencies (pyproject extra) its exporter needs
    named_graphs: bool = False        # one named graph per account kept (else their union)

    @property
    def plugin(self) -> str:
        """The rdflib serializer plugin name kg registers for an RDF format."""
        return f"kg-{self.name}"

    def write(self, graph: Graph, network: str = "full") -> Outputs:
        """The graph in this format: one text, or several files' (csv); `network` one of `NETWORKS`."""
        if network != "full" and network not in self.networks:
            able = ", ".join(f.name for f in _ALL if network in f.networks) or "no format"
            raise KgError(f"the {network} network is written as {able}, not {self.name}")
        if self.serializer:
            return {"": graph.serialize(format=self.plugin)}
        if self.exporter:
            from importlib import import_module

            module, function = self.exporter.rsplit(".", 1)
            try:
                exporter: Callable[[Graph], Outputs] = getattr(import_module(f"graph.exporters.{module}"), function)
            except ModuleNotFoundError as exc:
                if not self.extra or (exc.name or "").startswith("graph"):
                    raise
                raise KgError(f"--format {self.name} needs {exc.name}, which is not installed: "
                              f"pip install 'kg[{self.extra}]'") from exc
            return exporter(graph)
        from . import export

        if self.networks:
            drawn: Callable[[Graph, str], Outputs] = getattr(export, self.network or "")
            return drawn(graph, network)
        writer: Callable[[Graph], Outputs] = getattr(export, self.network or "")
        return writer(graph)


_ALL = (
    Format("turtle", "Turtle, the union of all accounts", "text/turtle", ".ttl", ("ttl",), (".ttl",),
           "turtle", "ox-turtle", "TurtleWriter"),
    Format("trig", "TriG, one named graph per account", "application/trig", ".trig", (), (".trig",),
           "trig", "ox-trig", "TrigWriter", named_graphs=True),
    Format("nquads", "N-Quads, one named graph per account", "application/n-quads", ".nq", ("nq",), (".nq",),
           "nquads", "ox-nquads", "NQuadsWriter", named_graphs=True),
    Format("ntriples", "N-Triples, the union", "application/n-triples", ".nt", ("nt",), (".nt",),
           "nt", "ox-ntriples", "NTriplesWriter"),
    Format("jsonld", "JSON-LD with named graphs", "application/ld+json", ".jsonld", ("json-ld",), (".jsonld",),
           "json-ld", "ox-json-ld", "JsonLdWriter", named_graphs=True),
    Format("xml", "RDF/XML, the union", "application/rdf+xml", ".rdf", ("rdf", "rdfxml", "pretty-xml"),
           (".rdf", ".xml"), "xml", "ox-xml", "XmlWriter"),
    Format("graphml", "GraphML (yEd, Gephi, Cytoscape)", "application/graphml+xml", ".graphml",
           network="graphml", networks=("people",)),
    Format("gexf", "GEXF (Gephi)", "application/gexf+xml", ".gexf", network="gexf", networks=("people",)),
    Format("csv", "two CSV files: FILE-nodes.csv, FILE-edges.csv", "text/csv", ".csv", network="csv_tables"),
    Format("ftm", "FollowTheMoney entities, JSON lines (Aleph)", "application/x-ndjson", ".ftm.json",
           ("followthemoney",), exporter="ftm.ftm", extra="ftm"),
    Format("popolo", "Popolo JSON: persons, organizations, posts, memberships, events", "application/json",
           ".popolo.json", exporter="popolo.popolo"),
)
FORMATS: dict[str, Format] = {f.name: f for f in _ALL}
NETWORKS = ("full", *sorted({n for f in _ALL for n in f.networks}))  # `kg export --network`
RDF_FORMATS = tuple(f.name for f in _ALL if f.serializer)
_BY_ALIAS = {alias: f for f in _ALL for alias in (f.name, *f.aliases)}
_BY_SUFFIX = {suffix: f for f in _ALL for suffix in f.reads}
READ_SUFFIXES = tuple(sorted(_BY_SUFFIX))

for _f in _ALL:
    if _f.serializer:
        plugin.register(_f.plugin, Serializer, "graph.rdf", _f.serializer)


def get(name: str) -> Format:
    """The format called `name` or one of its aliases, any case; KgError naming the valid ones."""
    found = _BY_ALIAS.get(name.strip().lower())
    if found is None:
        raise KgError(f"unknown format {name!r} (expected one of {', '.join(FORMATS)})")
    return found


def rdf_format(name: str) -> Format:
    """`get`, for RDF formats only."""
    found = _BY_ALIAS.get(name.strip().lower())
    if found is None or not found.serializer:
        raise ValueError(f"unknown RDF format {name!r} (expected one of {', '.join(RDF_FORMATS)})")
    return found


def for_path(path: Path) -> Format:
    """The format a graph file is read as, by its suffix; KgError naming the ones kg reads."""
    found = _BY_SUFFIX.get(path.suffix.lower())
    if found is None:
        raise KgError(f"{path}: unknown RDF format (expected one of {', '.join(READ_SUFFIXES)})")
    return found


__all__ = ["FORMATS", "Format", "NETWORKS", "Outputs", "RDF_FORMATS", "READ_SUFFIXES", "for_path", "get", "rdf_format"]

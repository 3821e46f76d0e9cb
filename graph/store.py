"""Open a built graph file: the one place commands read RDF from disk.

Commands that only read (query, show, render, export, stats) start here and
never import spaCy.
"""
from __future__ import annotations

import stat
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pyoxigraph as ox
from rdflib import BNode, Dataset, Graph, Literal, URIRef
from rdflib.term import Identifier

from . import formats
from .errors import KgError
from .offline import local_jsonld
from .vocab import PREFIXES


def parser_message(exc: Exception, limit: int = 300) -> str:
    """A parser's whole complaint on one line: rdflib puts the line first and the problem after.

    "at line 3 of <>: Bad syntax (newline found in string literal) at ^ in: ..."
    """
    text = " ".join(str(exc).split()) or type(exc).__name__
    text = text.replace(" of <>:", ":")
    return text if len(text) <= limit else text[: limit - 1] + "…"


def require_file(path: Path, what: str) -> None:
    """Only plain files are read: a FIFO or /dev/zero given as a file would never end."""
    if not path.exists():
        raise KgError(f"{path}: no such {what} (run `kg build` first)" if what == "graph file"
                      else f"{path}: no such {what}")
    if not stat.S_ISREG(path.stat().st_mode):
        raise KgError(f"{path}: not a regular file (a pipe, device or folder); give a {what}")


_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
_LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"


def _term(term: Any) -> Identifier:
    """An Oxigraph term as the rdflib term rdflib's own parsers would make (plain literals untyped)."""
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    datatype = term.datatype.value
    return Literal(term.value, lang=term.language,
                   datatype=None if datatype in (_XSD_STRING, _LANG_STRING) else URIRef(datatype))


def _oxigraph_quads(path: Path, found: formats.Format, ds: Dataset) -> Iterator[tuple]:
    """The file's statements, parsed by Oxigraph (linear in the file's size; rdflib's parsers
    were quadratic in a literal's length), as rdflib quads in `ds`'s graphs."""
    graphs: dict[Any, Graph] = {}
    for quad in ox.parse(path=str(path), format=ox.RdfFormat.from_media_type(found.media_type),
                         base_iri=path.resolve().as_uri()):
        name = quad.graph_name
        graph = graphs.get(name)
        if graph is None:
            graph = graphs[name] = (ds.default_context if isinstance(name, ox.DefaultGraph)
                                    else ds.graph(_term(name)))
        yield _term(quad.subject), _term(quad.predicate), _term(quad.object), graph


def open_graph(path: str | Path) -> Dataset:
    """Parse a built graph; a clear one-line error if it is missing or not RDF.

    Oxigraph parses (it never fetches anything: no remote JSON-LD contexts, no
    XML entities); JSON-LD, which kg checks for remote contexts first, goes
    through rdflib's parser.
    """
    path = Path(path)
    require_file(path, "graph file")
    found = formats.for_path(path)
    fmt = found.parser
    ds = Dataset(default_union=True)
    for prefix, ns in PREFIXES.items():
        ds.bind(prefix, ns)
    try:
        if fmt == "json-ld":  # its parser would fetch a remote @context: refuse those first
            ds.parse(data=local_jsonld(path), format=fmt, publicID=path.resolve().as_uri())
        else:
            ds.addN(_oxigraph_quads(path, found, ds))
    except KgError:
        raise
    except Exception as exc:  # rdflib raises many kinds; all mean "not this format"
        raise KgError(f"{path}: not a readable {fmt} graph: {parser_message(exc)}") from exc
    return ds

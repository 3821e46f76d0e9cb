"""Open a built graph file: the one place commands read RDF from disk.

Commands that only read (query, show, render, export, stats) start here and
never import spaCy.
"""
from __future__ import annotations

from pathlib import Path

from rdflib import Dataset
from rdflib.util import guess_format

from .errors import KgError
from .offline import local_jsonld
from .vocab import PREFIXES

FORMATS = {".trig": "trig", ".ttl": "turtle", ".nq": "nquads", ".nt": "nt",
           ".jsonld": "json-ld", ".rdf": "xml", ".xml": "xml"}


def open_graph(path: str | Path) -> Dataset:
    """Parse a built graph; a clear one-line error if it is missing or not RDF."""
    path = Path(path)
    if not path.exists():
        raise KgError(f"{path}: no such graph file (run `kg build` first)")
    fmt = FORMATS.get(path.suffix.lower()) or guess_format(str(path))
    if fmt is None:
        raise KgError(f"{path}: unknown RDF format (expected one of {', '.join(sorted(FORMATS))})")
    ds = Dataset(default_union=True)
    for prefix, ns in PREFIXES.items():
        ds.bind(prefix, ns)
    try:
        if fmt == "json-ld":  # its parser would fetch a remote @context: refuse those first
            ds.parse(data=local_jsonld(path), format=fmt, publicID=path.resolve().as_uri())
        else:
            ds.parse(path, format=fmt)
    except KgError:
        raise
    except Exception as exc:  # rdflib raises many kinds; all mean "not this format"
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise KgError(f"{path}: not a readable {fmt} graph: {first}") from exc
    return ds

"""Open a built graph file: the one place commands read RDF from disk.

Commands that only read (query, show, render, export, stats) start here and
never import spaCy.
"""
from __future__ import annotations

from pathlib import Path

from rdflib import Dataset

from . import formats
from .errors import KgError
from .vocab import PREFIXES


def open_graph(path: str | Path) -> Dataset:
    """Parse a built graph; a clear one-line error if it is missing or not RDF."""
    path = Path(path)
    if not path.exists():
        raise KgError(f"{path}: no such graph file (run `kg build` first)")
    fmt = formats.for_path(path).parser
    ds = Dataset(default_union=True)
    for prefix, ns in PREFIXES.items():
        ds.bind(prefix, ns)
    try:
        ds.parse(path, format=fmt)
    except Exception as exc:  # rdflib raises many kinds; all mean "not this format"
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise KgError(f"{path}: not a readable {fmt} graph: {first}") from exc
    return ds

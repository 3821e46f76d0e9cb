"""Open a built graph file: the one place commands read RDF from disk.

Commands that only read (query, show, render, export, stats) start here and
never import spaCy.
"""
from __future__ import annotations

import stat
from pathlib import Path

from rdflib import Dataset

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


def open_graph(path: str | Path) -> Dataset:
    """Parse a built graph; a clear one-line error if it is missing or not RDF."""
    path = Path(path)
    require_file(path, "graph file")
    fmt = formats.for_path(path).parser
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
        raise KgError(f"{path}: not a readable {fmt} graph: {parser_message(exc)}") from exc
    return ds

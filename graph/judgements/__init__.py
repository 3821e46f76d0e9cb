"""A person's corrections to the graph, kept in a file and applied at every build (issue #15).

`entries`: the judgements.yaml format (load, append); `apply`: `Judge`, the
hook merge calls after automatic resolution; `provenance`: each judgement as
a PROV activity in its own named graph, and the report a build keeps.
"""
from __future__ import annotations

from pathlib import Path
from collections.abc import Sequence

from .apply import Judge, Outcome
from .entries import FILE_NAME, Judgement, append, load, now
from .provenance import GRAPH, REPORT, graph_iri, report, statements, warnings


def default_file(paths: Sequence[str | Path]) -> Path | None:
    """judgements.yaml beside the accounts: in the first folder named (or the folder of the first file)."""
    for given in paths:
        path = Path(given)
        if path.is_dir():
            return path / FILE_NAME
    return Path(paths[0]).parent / FILE_NAME if paths else None


__all__ = ["FILE_NAME", "GRAPH", "REPORT", "Judge", "Judgement", "Outcome", "append", "default_file",
           "graph_iri", "load", "now", "report", "statements", "warnings"]

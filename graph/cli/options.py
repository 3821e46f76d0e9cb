"""Click options that several commands share, each defined once with one meaning.

One letter, one meaning, in every command: `-g/--graph` the built graph read,
`-o/--output` the file written, `-f/--format` the format of what is written
(`kg query`'s file of SPARQL is `--file`, with no short form), `-h/--help`.
tests/test_cli_conventions.py holds every command to this.

`-g/--graph` is always the built graph a command reads (any RDF format of
`graph.formats`, by its suffix). Without it: `$KG_GRAPH`, else the nearest
`output/graph.trig` in the current folder or above it (so `kg stats` works from
inside a project's subfolder), else `output/graph.trig` (whose absence says to
run `kg build`).
"""
from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import os

import click

from ..paths import DEFAULT_GRAPH

F = TypeVar("F", bound=Callable[..., Any])

GRAPH_FILE = click.Path(dir_okay=False, path_type=Path)  # a built graph file, as argument or option


def default_graph() -> Path:
    """$KG_GRAPH, else the nearest output/graph.trig here or in a folder above, else output/graph.trig."""
    if os.environ.get("KG_GRAPH"):
        return Path(os.environ["KG_GRAPH"])
    here = Path.cwd()
    for folder in (here, *here.parents):
        if (folder / DEFAULT_GRAPH).is_file():
            return DEFAULT_GRAPH if folder == here else folder / DEFAULT_GRAPH
    return DEFAULT_GRAPH


def graph_option(function: F) -> F:
    """`-g/--graph FILE` -> parameter `graph_file`."""
    return click.option("-g", "--graph", "graph_file", type=GRAPH_FILE, default=default_graph,
                        show_default="$KG_GRAPH, or the nearest output/graph.trig",
                        help="The built graph to read (TriG, Turtle, N-Quads, N-Triples, JSON-LD or RDF/XML, "
                             "by its suffix).")(function)


def json_option(function: F) -> F:
    """`--json` -> parameter `as_json`."""
    return click.option("--json", "as_json", is_flag=True, help="Print JSON instead of text.")(function)


def format_option(choices: list[str], default: str | None, help: str) -> Callable[[F], F]:
    """`-f/--format NAME` -> parameter `fmt` (required when there is no default)."""
    return click.option("-f", "--format", "fmt", type=click.Choice(choices), default=default,
                        required=default is None, show_default=default is not None, help=help)


def output_option(default: Path | None, help: str) -> Callable[[F], F]:
    """`-o/--output FILE` -> parameter `output`."""
    return click.option("-o", "--output", "output", type=click.Path(dir_okay=False, path_type=Path),
                        default=default, show_default=default is not None, help=help)


__all__ = ["GRAPH_FILE", "default_graph", "format_option", "graph_option", "json_option", "output_option"]

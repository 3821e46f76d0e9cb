"""`kg show`: one person or body, every fact with the sentence it came from."""
from __future__ import annotations

import json
from pathlib import Path

import click

from ..safetext import visible
from .options import graph_option, json_option

EPILOG = """\b
Examples:
  kg show "Ann Other"
  kg show "ann"                 # fuzzy: picks the clear best match, else lists them
  kg show NEC --kind body       # by an alias
  kg show "Ann Other" --json | jq '.roles[].title'

\b
Exact names (any alias, any case) win; otherwise the closest names are tried
and, when several fit about equally, listed so you can pick one (exit 2).
"""


@click.command(epilog=EPILOG)
@click.argument("name")
@graph_option
@click.option("--kind", type=click.Choice(["person", "body"]), default=None,
              help="Only look among people or among bodies.")
@json_option
@click.option("--mentions", type=int, default=3, show_default=True,
              help="How many mention sentences the text view lists.")
def show(name: str, graph_file: Path, kind: str | None, as_json: bool, mentions: int) -> None:
    """Everything the graph says about one person or body, with sources.

    NAME is any name the accounts use for it, in any case.
    """
    from ..show import describe, find, render_text
    from ..store import open_graph
    from ..view import read_view

    view = read_view(open_graph(graph_file))
    info = describe(view, find(view, name, kind).node)
    if as_json:
        click.echo(json.dumps(info, indent=2, ensure_ascii=False))
    else:
        click.echo(visible(render_text(info, max_mentions=mentions), keep="\n"), nl=False)

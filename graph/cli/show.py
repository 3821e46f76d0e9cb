"""`kg show`: one person or body, every fact with the sentence it came from."""
from __future__ import annotations

import json
from pathlib import Path

import click

from ..terminal import visible
from ..paths import DEFAULT_GRAPH

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
@click.option("-g", "--graph", "graph_file", type=click.Path(dir_okay=False, path_type=Path),
              default=DEFAULT_GRAPH, show_default=True, help="The built graph to read.")
@click.option("--kind", type=click.Choice(["person", "body"]), default=None,
              help="Only look among people or among bodies.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of text.")
@click.option("--mentions", type=int, default=3, show_default=True,
              help="How many mention sentences the text view lists.")
def show(name: str, graph_file: Path, kind: str | None, as_json: bool, mentions: int) -> None:
    """Everything the graph says about one person or body, with sources.

    NAME is any name the accounts use for it, in any case.
    """
    from ..network import to_networkx
    from ..show import describe, find, render_text
    from ..store import open_graph

    g = to_networkx(open_graph(graph_file))
    info = describe(g, find(g, name, kind).node)
    if as_json:
        click.echo(json.dumps(info, indent=2, ensure_ascii=False))
    else:
        click.echo(visible(render_text(info, max_mentions=mentions), keep="\n"), nl=False)

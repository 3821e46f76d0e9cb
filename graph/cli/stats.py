"""`kg stats`: counts per type and per account; the most connected entities."""
from __future__ import annotations

import json
from pathlib import Path

import click

from ..safetext import visible
from .options import graph_option, json_option

EPILOG = """\b
Examples:
  kg stats
  kg stats --top 5
  kg stats --json | jq '.most_connected.people[0]'

\b
"neighbours" counts the distinct people and bodies an entity shares an
event or a role with; "betweenness" (0-1) is how often it lies on the
shortest path between two others: the brokers of the story.
"""


@click.command(epilog=EPILOG)
@graph_option
@click.option("--top", type=click.IntRange(1), default=10, show_default=True,
              help="How many of the most connected people and bodies to list.")
@json_option
def stats(graph_file: Path, top: int, as_json: bool) -> None:
    """Counts per type and per account; the most connected people and bodies."""
    from ..stats import render_text, stats as compute
    from ..store import open_graph
    from ..view import read_view

    ds = open_graph(graph_file)
    info = compute(ds, read_view(ds), top)
    if as_json:
        click.echo(json.dumps(info, indent=2, ensure_ascii=False))
    else:
        click.echo(visible(render_text(info), keep="\n"), nl=False)

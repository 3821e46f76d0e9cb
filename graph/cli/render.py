"""`kg render`: the interactive HTML view of a built graph, whole or around one entity."""
from __future__ import annotations

from pathlib import Path

import click

from ..safetext import visible
from .options import graph_option, output_option


EXAMPLES = """\b
Examples:
  kg render                                        # output/graph.trig -> output/graph.html
  kg render --focus "Jeremy Corbyn" --depth 1 -o corbyn.html
  kg render --type person,body                     # roles and events become labelled edges
  kg render --top 300                              # open on the 300 most connected people and bodies
"""


@click.command(epilog=EXAMPLES)
@graph_option
@click.option("--focus", metavar="NAME", help="Only the neighbourhood of the entity with this name.")
@click.option("--depth", type=click.IntRange(min=0), default=2, show_default=True,
              help="How many steps from --focus to include.")
@click.option("--type", "types", metavar="KINDS",
              help="Only these kinds, comma-separated: person,body,role,event.")
@click.option("--top", type=click.IntRange(min=0), default=None, metavar="N",
              help="Open the page on the N most connected people and bodies (0: everything; "
                   "default: 150 above 400 nodes, else everything). The page can change it.")
@output_option(None, "The HTML file to write (default: graph.html beside the graph read).")
@click.pass_context
def render(ctx: click.Context, graph_file: Path, focus: str | None, depth: int, types: str | None,
           top: int | None, output: Path) -> None:
    """Write the interactive HTML view, whole or around one entity.

    The page is one self-contained file that opens from disk with no network.
    """
    from ..render import parse_types, write_html  # heavy imports only once the command runs
    from ..store import open_graph

    parse_types(types)  # a typo fails before the graph is read
    path = write_html(open_graph(graph_file), output or graph_file.parent / "graph.html",
                      focus=focus, depth=depth, types=types, top=top)
    if not (ctx.obj or {}).get("quiet"):
        click.echo(visible(f"Wrote {path} (open it in a browser; it needs no network)"))

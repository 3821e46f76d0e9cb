"""`kg validate`: does a built graph keep the RDF contract?

Exit codes carry the answer so scripts and CI can use it: 0 conforms,
1 does not conform, 2 the file (or the shapes) could not be read.
"""
from __future__ import annotations

from pathlib import Path

import click

from ..safetext import visible
from .options import GRAPH_FILE, graph_option

EPILOG = """\b
Examples:
  kg validate                        # output/graph.trig, after `kg build`
  kg validate out/graph.ttl --max 0  # every problem, not the first 50
\b
Output when the graph conforms:
  conforms: 5 accounts, 31 people, 17 bodies, ... (2843 triples in 6 graphs)
\b
Exit codes: 0 conforms (warnings allowed); 1 does not conform;
2 the graph or the shapes cannot be read.
"""


@click.command(epilog=EPILOG, context_settings={"help_option_names": ["-h", "--help"]})
@click.argument("file", required=False, type=GRAPH_FILE)
@graph_option
@click.option("--shapes", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="SHACL shapes to use instead of graph/schema/shapes.ttl.")
@click.option("--max", "limit", type=click.IntRange(min=0), default=50, show_default=True,
              help="Print at most this many violations and warnings each (0: all).")
@click.pass_context
def validate(ctx: click.Context, file: Path | None, graph_file: Path, shapes: Path | None, limit: int) -> None:
    """Check a built graph FILE against the SHACL shapes (default: output/graph.trig).

    The named graphs are merged first, so a person named in the shared graph
    and traced in each account's graph is checked as one node. Prints
    "conforms" with counts, or each violation as: node, property, message.
    """
    from ..validate import SHAPES, validate_file  # pyshacl loads only when run

    if file is not None and ctx.get_parameter_source("graph_file") == click.core.ParameterSource.COMMANDLINE \
            and file != graph_file:
        raise click.UsageError("give the graph once: FILE or -g/--graph, not both")
    file = file or graph_file
    report = validate_file(file, shapes or SHAPES)
    quiet = bool(ctx.obj and ctx.obj.get("quiet"))
    if not (quiet and report.conforms):
        click.echo(visible(f"{file}: {report.text(limit)}", keep="\n"))
    ctx.exit(0 if report.conforms else 1)

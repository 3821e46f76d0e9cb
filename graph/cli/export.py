"""`kg export`: the built graph as RDF, GraphML, GEXF, CSV or another tool's data model (FollowTheMoney, Popolo)."""
from __future__ import annotations

from pathlib import Path

import click

from ..errors import KgError
from ..formats import FORMATS, NETWORKS
from ..safetext import visible
from .options import format_option, graph_option, output_option

EPILOG = """\b
Examples:
  kg export --format turtle > graph.ttl
  kg export --format jsonld -o graph.jsonld
  kg export --format graphml -o graph.graphml      # open in Gephi or yEd
  kg export --format gexf --network people -o people.gexf   # people linked to people
  kg export --format csv -o net.csv                # net-nodes.csv + net-edges.csv
  kg export --format ftm -o graph.ftm.json         # FollowTheMoney, for Aleph
  kg export --format popolo -o graph.popolo.json   # Popolo JSON

\b
Formats:
""" + "\n".join(f"  {name:<9} {f.description}" for name, f in FORMATS.items()) + """

\b
Without -o a one-file format goes to stdout; csv (two files) goes to
graph-nodes.csv and graph-edges.csv beside the graph read. -o - forces stdout.
"""


@click.command(epilog=EPILOG)
@format_option(list(FORMATS), None, "Output format.")
@click.option("--network", type=click.Choice(NETWORKS), default="full", show_default=True,
              help="graphml and gexf: the whole view, or people linked by shared events, bodies and "
                   "sentences (weighted).")
@output_option(None, "File to write (default: stdout, or graph-*.csv beside the graph read, for csv).")
@graph_option
def export(fmt: str, network: str, output: Path | None, graph_file: Path) -> None:
    """Write the graph in another format (RDF, GraphML, GEXF, CSV, FollowTheMoney, Popolo)."""
    from ..atomic import write_text
    from ..export import export as run, target_paths
    from ..store import open_graph

    outputs = run(open_graph(graph_file), fmt, network)
    if str(output) == "-" and len(outputs) > 1:
        raise KgError(f"{fmt} writes {len(outputs)} files; give -o FILE, not -o -")
    to_stdout = str(output) == "-" or (output is None and len(outputs) == 1)
    if to_stdout:
        for text in outputs.values():
            click.echo(text, nl=False)
        return
    for suffix, path in target_paths(fmt, outputs, output, graph_file.parent).items():
        write_text(path, outputs[suffix])
        click.echo(visible(f"wrote {path}"), err=True)

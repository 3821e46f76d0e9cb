"""`kg push`: load a build into a SPARQL 1.1 store, one named graph per account, replacing only what changed."""
from __future__ import annotations

import os
import sys
from pathlib import Path

import click

from ..errors import KgError
from ..safetext import visible
from .options import graph_option

EPILOG = """\b
Examples:
  oxigraph serve --location db/ --union-default-graph &
  kg push --graph-store http://localhost:7878/store       # Graph Store protocol (PUT per graph)
  kg push --endpoint http://localhost:7878/update          # or SPARQL Update
  kg push --graph-store http://localhost:3030/kg/data      # Jena Fuseki, dataset "kg"
  kg push --graph-store http://localhost:7200/repositories/kg/rdf-graphs/service   # GraphDB
  KG_PUSH_PASSWORD=... kg push --user admin --graph-store https://store.example/kg/data
"""


@click.command(epilog=EPILOG)
@graph_option
@click.option("--endpoint", metavar="URL", help="The store's SPARQL 1.1 Update endpoint.")
@click.option("--graph-store", metavar="URL",
              help="The store's SPARQL 1.1 Graph Store endpoint (used instead of --endpoint when given).")
@click.option("--force", is_flag=True, help="Send every graph, whatever was pushed before.")
@click.option("--timeout", type=click.FloatRange(1), default=120.0, show_default=True,
              help="Seconds to wait for the store to answer one request.")
@click.option("--user", metavar="NAME",
              help="Log in to the store as NAME (HTTP Basic); the password is read from KG_PUSH_PASSWORD, "
                   "or asked for on a terminal. A bearer token instead: KG_PUSH_TOKEN.")
@click.pass_context
def push(ctx: click.Context, graph_file: Path, endpoint: str | None, graph_store: str | None,
         force: bool, timeout: float, user: str | None) -> None:
    """Load the build into a SPARQL store: one named graph per account, only those that changed.

    Remembers what it sent to each store in .kg-push/ beside the graph file, so
    the next push sends only the graphs whose statements differ (and deletes
    those the build no longer has). Secrets never go on the command line,
    where other users of the machine could read them: the password and
    token come from the environment (or a prompt).
    """
    from ..push import Target, push as run_push

    quiet = bool(ctx.obj and ctx.obj.get("quiet"))
    password = token = None
    if user is not None:
        password = os.environ.get("KG_PUSH_PASSWORD")
        if password is None:
            if not sys.stdin.isatty():
                raise KgError(f"--user {user}: no password (set KG_PUSH_PASSWORD, or run kg push on a terminal "
                              "to be asked for it)")
            password = click.prompt(f"Password for {user}", hide_input=True, err=True)
    else:
        token = os.environ.get("KG_PUSH_TOKEN") or None
    target = Target(endpoint, graph_store, timeout, user=user, password=password, token=token)
    try:
        report = run_push(graph_file, target, force)
    finally:
        target.close()
    if not quiet:
        click.echo(visible(f"Pushed {len(report.sent)} graph(s) to {target.name}, deleted {len(report.deleted)}, "
                           f"{report.unchanged} unchanged"))

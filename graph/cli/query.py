"""`kg query`: SPARQL over a built graph, read-only, spaCy-free."""
from __future__ import annotations

import sys
from pathlib import Path

import click

from ..errors import KgError
from ..offline import check_dataset
from ..store import require_file
from ..safetext import visible
from .options import format_option, graph_option

EPILOG = """\b
Examples:
  kg query --list
  kg query --name roles
  kg query --name claims-about --param name="Ann Other"
  kg query --name timeline -f csv > timeline.csv
  kg query 'SELECT ?p ?n WHERE { ?p a foaf:Person ; foaf:name ?n }'
  kg query 'SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g'
  kg query --file my.rq -f json

\b
Prefixes foaf org skos prov dcterms sem xsd oa kg rdf rdfs owl are
predeclared. Plain patterns match the union of all accounts; GRAPH ?g { }
names the account that makes each claim. Updates are refused, and so
are SERVICE (unless --allow-service) and FROM graphs that are not the
build's own: a query makes no network requests.
"""


def _list_queries() -> str:
    from ..query import named_queries

    lines = []
    for q in named_queries().values():
        lines.append(f"{q.name}: {q.title}")
        if q.description:
            lines.append(f"    {q.description}")
        for p in q.params:
            lines.append(f"    --param {p.name}=...{' (required)' if p.required else ''}  {p.help}")
        if q.example:
            lines.append(f"    e.g. {q.example}")
    return "\n".join(lines) + "\n"


@click.command(epilog=EPILOG)
@click.argument("sparql", required=False)
@click.option("--file", "file", type=click.Path(dir_okay=False, path_type=Path),
              help="Read the query from a .rq file.")
@click.option("-n", "--name", "name", metavar="NAME", help="Run a named query (see --list).")
@click.option("-p", "--param", "params", multiple=True, metavar="NAME=VALUE",
              help="Bind ?NAME to the string VALUE (<...> for an IRI). Repeatable.")
@click.option("--list", "list_", is_flag=True, help="List the named queries and exit.")
@graph_option
@format_option(["table", "csv", "tsv", "json"], "table", "Output format.")
@click.option("--engine", type=click.Choice(["rdflib", "oxigraph"]), default=None,
              help="Query engine (default: oxigraph, the faster one; see the README).")
@click.option("--timeout", type=click.FloatRange(min=0), default=60, show_default=True,
              metavar="SECONDS", help="Stop a query that runs longer (0: no limit).")
@click.option("--max-rows", type=click.IntRange(min=1), default=10_000, show_default=True,
              help="Rows the table format shows at most (csv, tsv and json give all).")
@click.option("--allow-service", is_flag=True,
              help="Let SERVICE clauses reach other SPARQL endpoints (off: kg makes no network requests).")
def query(sparql: str | None, file: Path | None, name: str | None, params: tuple[str, ...],
          list_: bool, graph_file: Path, fmt: str, engine: str | None, timeout: float,
          max_rows: int, allow_service: bool) -> None:
    """Run a SPARQL query (or a named one) over a built graph.

    Give exactly one of: the query text, --file FILE.rq, or --name NAME.
    """
    from .. import query as q

    if list_:
        click.echo(_list_queries(), nl=False)
        return
    given = [x for x in (sparql, file, name) if x]
    if len(given) != 1:
        raise KgError("give one query: the SPARQL text, --file FILE.rq, or --name NAME (see --list)")
    bindings = q.parse_params(params)
    hide: list[str] = []
    if name:
        named = q.get_named(name)
        q.check_params(named, bindings)
        text = named.text
        hide = [p.name for p in named.params]
    elif file:
        require_file(file, "query file")
        try:
            text = file.read_text(encoding="utf-8")
        except OSError as exc:
            raise KgError(f"{file}: cannot read the query: {exc.strerror or exc}") from exc
    else:
        text = sparql or ""
    checked = q.check_query(text, allow_service=allow_service)
    ds = q.ENGINES[q.pick_engine(engine, checked.projected, bindings, checked.graphs)](graph_file)
    if checked.graphs:
        check_dataset(checked.graphs, q.account_graphs(ds))
    if fmt == "table":
        click.echo(visible(q.render(q.run(ds, text, bindings, hide, timeout=timeout, max_rows=max_rows), fmt),
                           keep="\n\t"), nl=False)
        return
    terminal = fmt != "json" and sys.stdout.isatty()
    for chunk in q.render_lines(q.stream(ds, text, bindings, hide, timeout=timeout), fmt):
        click.echo(visible(chunk, keep="\n\t") if terminal else chunk, nl=False)  # rows as they come

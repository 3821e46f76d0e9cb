"""`kg timeline`: events and role changes in date order, with the account and sentence of each."""
from __future__ import annotations

import re
import sys
from pathlib import Path

import click

from ..safetext import visible
from .options import format_option, graph_option

EPILOG = """\b
Examples:
  kg timeline
  kg timeline --type Resignation
  kg timeline --person "Ann Other" --from 2015 --to 2016-06
  kg timeline --body "Labour Group" --type Began --type Ended -f csv > roles.csv

\b
Types are the nine event types and Began / Ended (a role held began or
ended: "since 2015", an appointment, a resignation). Dates are ISO, as
precise as you like (2015, 2015-05, 2015-05-03); a row dated "2015" is
inside --from 2015-05. With --from or --to, undated rows are left out.
"""

_ISO = re.compile(r"\d{4}(-\d{2}(-\d{2})?)?")


def _iso(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    if value is not None and not _ISO.fullmatch(value):
        raise click.BadParameter(f"{value!r} is not a date like 2015, 2015-05 or 2015-05-03")
    return value


@click.command(epilog=EPILOG)
@graph_option
@click.option("--type", "types", multiple=True, metavar="TYPE",
              help="Only rows of this type (an event type, Began or Ended). Repeatable.")
@click.option("--person", metavar="NAME", help="Only rows this person takes part in (any name, as kg show).")
@click.option("--body", metavar="NAME", help="Only rows this body takes part in (any name, as kg show).")
@click.option("--from", "since", metavar="DATE", callback=_iso, help="Only rows on or after DATE.")
@click.option("--to", "until", metavar="DATE", callback=_iso, help="Only rows on or before DATE.")
@format_option(["table", "csv", "json"], "table", "Output format.")
def timeline(graph_file: Path, types: tuple[str, ...], person: str | None, body: str | None,
             since: str | None, until: str | None, fmt: str) -> None:
    """Events and role changes in date order, each with its account and sentence."""
    from ..store import open_graph
    from ..timeline import render, timeline as rows_of

    text = render(rows_of(open_graph(graph_file), types, person, body, since, until), fmt)
    click.echo(visible(text, keep="\n\t") if fmt == "table" or sys.stdout.isatty() else text, nl=False)

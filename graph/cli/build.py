"""`kg build`: accounts in, graph.trig + graph.ttl + graph.html out."""
from __future__ import annotations

import math
from contextlib import ExitStack
import re
import sys
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

import click

from ..errors import KgError
from ..load.records import Fields
from ..load.files import DATE_FROM
from ..paths import BUNDLED_ACCOUNTS, DEFAULT_BASE, DEFAULT_OUTPUT
from ..safetext import visible
from .progress import BuildProgress

if TYPE_CHECKING:
    from ..build import BuildReport

EXAMPLES = """\b
Examples:
  kg build                          # the bundled accounts (a source checkout's data/accounts/)
  kg build posts/ statement.txt     # your own files and folders
  kg build posts/ -o out/ --jobs 2  # two processes, results in out/
  kg build posts/ --executor dask --scheduler tcp://10.0.0.5:8786   # parse on a Dask cluster
  kg build letter.pdf minutes.docx  # PDF and Word files; evidence names the PDF page
  kg build tweets.jsonl --text-field full_text --author-field user.name
"""


def _finite(ctx: click.Context, param: click.Parameter, value: float) -> float:
    if not math.isfinite(value):
        raise click.BadParameter(f"{value} is not a number from 0 to 1")
    return value


_IRI_FORBIDDEN = re.compile(r'[\s<>"{}|\\^`]')


def _base_iri(ctx: click.Context, param: click.Parameter, value: str) -> str:
    """An absolute IRI (a scheme, and a host for http/https) ending in / or #: every node's IRI starts with it."""
    parts = urlsplit(value)
    if (not parts.scheme or _IRI_FORBIDDEN.search(value) or not value.endswith(("/", "#"))
            or (parts.scheme in ("http", "https") and not parts.netloc)):
        raise click.BadParameter(f"{value!r} is not an absolute IRI ending in / or # "
                                 f"(like {DEFAULT_BASE})")
    return value


@click.command(epilog=EXAMPLES)
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("-o", "--output", "out_dir", type=click.Path(path_type=Path, file_okay=False),
              default=DEFAULT_OUTPUT, show_default=True, help="Folder for graph.trig, graph.ttl and graph.html.")
@click.option("--jobs", "-j", type=click.IntRange(1, 64), default=1, show_default=True,
              help="Processes for the parser (spaCy's n_process).")
@click.option("--min-confidence", type=click.FloatRange(0, 1), default=0.0, show_default=True, callback=_finite,
              help="Leave out roles and events read with less confidence than this.")
@click.option("--base", default=DEFAULT_BASE, show_default=True, callback=_base_iri,
              help="Base IRI for the graph's nodes.")
@click.option("--cache-dir", type=click.Path(path_type=Path, file_okay=False),
              help="Extraction cache (default: OUTPUT/.cache).")
@click.option("--no-cache", is_flag=True, help="Extract every account again.")
@click.option("--no-html", is_flag=True, help="Skip the interactive view.")
@click.option("--judgements", type=click.Path(path_type=Path, dir_okay=False),
              help="A person's corrections to apply (default: judgements.yaml beside the accounts, if any).")
@click.option("--date-from", type=click.Choice(DATE_FROM), default="filename", show_default=True,
              help="Where a post whose metadata and text give no date takes one: a date in its file name "
                   "(2015-05-03-x.txt), its modification day, or nowhere.")
@click.option("--text-field", default=Fields.text, show_default=True, metavar="FIELD",
              help="In .jsonl/.csv collections, the field holding each record's text (a.b for nested JSON).")
@click.option("--title-field", default=Fields.title, show_default=True, metavar="FIELD",
              help="... the field holding its title (else the text's first words).")
@click.option("--author-field", default=Fields.author, show_default=True, metavar="FIELD",
              help="... the field naming its author (the teller).")
@click.option("--date-field", default=Fields.date, show_default=True, metavar="FIELD",
              help="... the field holding its date.")
@click.option("--url-field", default=Fields.url, show_default=True, metavar="FIELD",
              help="... the field holding its URL.")
@click.option("--executor", type=click.Choice(["local", "dask"]), default=None,
              help="Where uncached accounts are parsed: here (spaCy's processes), or on a Dask cluster "
                   "(a LocalCluster of --jobs workers unless --scheduler is given). [default: local]")
@click.option("--scheduler", metavar="ADDRESS", help="A dask.distributed scheduler (implies --executor dask).")
@click.pass_context
def build(ctx: click.Context, paths: tuple[Path, ...], out_dir: Path, jobs: int, min_confidence: float,
          base: str, cache_dir: Path | None, no_cache: bool, no_html: bool, judgements: Path | None,
          date_from: str, text_field: str, title_field: str, author_field: str, date_field: str,
          url_field: str, executor: str | None, scheduler: str | None) -> None:
    """Extract accounts (.txt, .md, .html, .pdf, .docx, .eml files, .jsonl/.csv collections, folders)
    and write the graph.

    With no PATHS, builds the bundled corpus of a source checkout
    (data/accounts/; an installed kg has none and asks for PATHS). Writes OUTPUT/graph.trig (one
    named graph per account), OUTPUT/graph.ttl (their union) and
    OUTPUT/graph.html (the interactive view). Extraction is cached per
    account, so a rebuild after adding one account extracts one account.
    """
    from ..build import build as run_build, parse_here

    if not paths and not BUNDLED_ACCOUNTS.is_dir():
        raise KgError("no PATHS given, and no bundled corpus here (it comes with a source checkout of kg, "
                      "in data/accounts/): name the account files or folders to build, e.g. kg build posts/")
    quiet = bool(ctx.obj and ctx.obj.get("quiet"))
    if executor == "local" and scheduler:
        raise click.UsageError("--scheduler sends the parse to Dask: give it with --executor dask, or alone")
    bar = None if quiet else BuildProgress(sys.stderr)
    with ExitStack() as stack:
        parse = parse_here
        if executor == "dask" or scheduler:
            from ..cluster import DaskParse

            parse = stack.enter_context(DaskParse(scheduler, jobs))
        try:
            report = run_build(list(paths or [BUNDLED_ACCOUNTS]), out_dir,
                               cache_dir=cache_dir, use_cache=not no_cache,
                               jobs=jobs, min_confidence=min_confidence, base=base, html=not no_html,
                               judgements=judgements, date_from=date_from,
                               fields=Fields(text_field, title_field, author_field, date_field, url_field),
                               on_start=bar.start if bar else None, progress=bar.characters if bar else None,
                               on_accounts=bar.accounts if bar else None, parse=parse)
        finally:
            if bar:
                bar.close()
    echo_report(report, quiet)


def echo_report(report: BuildReport, quiet: bool) -> None:
    """The build's summary on stdout; judgements that matched nothing on stderr, even when quiet."""
    for line in report.warnings:  # never silently dropped: shown even with --quiet
        click.echo(visible(f"Warning: {line}"), err=True)
    if quiet:
        return
    skipped = f", {len(report.skipped)} skipped" if report.skipped else ""
    click.echo(f"Built {report.accounts} accounts from {report.files} files{skipped} in {report.seconds:.1f}s "
               f"({report.extracted} extracted, {report.accounts - report.extracted} from cache)")
    click.echo(f"  {report.people} people, {report.bodies} bodies, {report.roles} roles held, "
               f"{report.events} events")
    if report.undated:
        click.echo(f"  {report.undated} of {report.accounts} accounts have no date (their relative dates, "
                   f"\"last July\", are left unread; see --date-from)")
    if report.judgements:
        applied = sum(o.status in ("applied", "holds") for o in report.judged)
        click.echo(visible(f"  {applied} of {len(report.judged)} judgements applied ({report.judgements})"))
    for path in report.written:
        click.echo(visible(f"  wrote {path}"))

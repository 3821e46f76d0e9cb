"""The `kg` command group.

Subcommands live one per module in this package and are imported only when
invoked, so `kg query` or `kg show` never pay for spaCy.
"""
from __future__ import annotations

import importlib
import logging
import os
import sys
from typing import Any, NoReturn

import click

from ..errors import KgError
from ..safetext import VisibleFormatter, visible
from .signals import SIGNALS, Terminated

COMMANDS = {
    "build": "Extract accounts and write the graph, the RDF and the HTML view.",
    "query": "Run SPARQL over a built graph.",
    "show": "Everything the graph says about one person or body, with sources.",
    "render": "Write the interactive HTML view, whole or around one entity.",
    "export": "Write the graph in another format (RDF, GraphML, GEXF, CSV).",
    "validate": "Check a built graph against the SHACL shapes.",
    "stats": "Counts per type and per account; the most connected entities.",
    "merge": "Record that two names or more are one entity, and rebuild.",
    "different": "Record that names are never one entity (splits a node they share), and rebuild.",
    "split": "Split an entity into one node per account, and rebuild.",
    "not": "Record that a name is a place, group, junk, or the other kind, and rebuild.",
    "rename": "Give an entity a new label, and rebuild.",
    "reject": "Record that a role held or an event is wrong, and rebuild.",
    "confirm": "Record that a person checked a role held or an event, and rebuild.",
    "judgements": "List the judgements applied and what each matched in the last build.",
    "candidates": "Likely duplicates and likely junk, ranked, each with why (--interactive to judge them).",
    "timeline": "Events and role changes in date order, with their sources.",
    "push": "Load the build into a SPARQL store, one named graph per account (only what changed).",
    "serve": "Serve the graph (SPARQL, JSON, explorer) and rebuild it as the accounts change.",
}
# A command whose code is not `graph.cli.<name>.<name>`: name -> "module:attribute".
LOCATIONS = {name: f"judge:{name}" for name in ("merge", "different", "split", "rename", "reject", "confirm",
                                                 "judgements")} | {"not": "judge:not_"}

EPILOG = """\b
Quick start:
  kg build                      # the bundled accounts -> output/
  kg query --list               # the named queries that ship with kg
  kg show "Jeremy Corbyn"       # one entity, every fact with its sentence

\b
Exit codes: 0 success; 1 unexpected failure (a bug: rerun with --debug);
2 bad input or usage (the message names the file and the problem);
130 interrupted (143 terminated); 141 stdout closed early (| head).
"""


def _fail(ctx: click.Context, message: str, code: int) -> NoReturn:
    """One line on stderr, then leave with `code`: how every failure a user sees ends."""
    click.echo(f"Error: {message}", err=True)
    ctx.exit(code)


class LazyGroup(click.Group):
    """Resolve a subcommand by importing `graph.cli.<name>` (or its `LOCATIONS` entry) on demand."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return list(COMMANDS)

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        if name not in COMMANDS:
            return None
        module, _, attribute = LOCATIONS.get(name, f"{name}:{name}").partition(":")
        return getattr(importlib.import_module(f"{__name__}.{module}"), attribute)

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        with formatter.section("Commands"):
            formatter.write_dl([(name, text) for name, text in COMMANDS.items()])

    def invoke(self, ctx: click.Context) -> Any:
        """The command, with what it raises turned into click's terms: the one place that does."""
        try:
            return super().invoke(ctx)
        except (click.ClickException, click.exceptions.Exit, click.Abort):
            raise
        except KgError as exc:
            _fail(ctx, visible(exc.message), exc.exit_code)
        except BrokenPipeError:
            # whoever read stdout has gone (`kg query ... | head`): stop quietly, as a
            # pipeline's writer does, and leave nothing buffered to fail again at exit
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            ctx.exit(141)
        except KeyboardInterrupt as exc:
            terminated = isinstance(exc, Terminated)
            click.echo(f"{'Terminated' if terminated else 'Interrupted'}: nothing was half-written.", err=True)
            ctx.exit(143 if terminated else 130)
        except Exception as exc:
            if ctx.obj and ctx.obj.get("debug"):
                raise
            _fail(ctx, f"unexpected {type(exc).__name__}: {exc} (rerun with --debug for the traceback)", 1)


@click.group(cls=LazyGroup, epilog=EPILOG, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="kg")
@click.option("--debug", is_flag=True, help="Show the full traceback when something fails.")
@click.option("-v", "--verbose", count=True, help="More log output (-vv for debug logs).")
@click.option("-q", "--quiet", is_flag=True, help="Only errors.")
@click.pass_context
def main(ctx: click.Context, debug: bool, verbose: int, quiet: bool) -> None:
    """kg: who did what, in which role, in which body, when, and according to whom.

    Turns first-person accounts of party politics into a knowledge graph where
    every fact keeps the sentence it was read from.
    """
    ctx.ensure_object(dict)
    ctx.obj["debug"] = debug
    SIGNALS.install()
    level = logging.ERROR if quiet else (logging.WARNING, logging.INFO, logging.DEBUG)[min(verbose, 2)]
    if not logging.getLogger().handlers:  # a host program (or pytest) may have its own
        handler = logging.StreamHandler()
        handler.setFormatter(VisibleFormatter("%(levelname)s: %(message)s"))
        logging.getLogger().addHandler(handler)
    logging.getLogger("graph").setLevel(level)
    ctx.obj["quiet"] = quiet


def run() -> None:
    """The `kg` console script: `main`, which leaves through `sys.exit` with the command's exit code.

    If whoever reads stdout has gone (`kg query ... | head`), what is still
    buffered is dropped quietly instead of ending in a BrokenPipeError. A
    command stopped by Ctrl-C or SIGTERM has cleaned up (temporary files
    removed) by the time `main` returns; it then ends by that same signal, as
    a well-behaved program does (the shell sees 130 or 143, and a script
    running kg in a loop stops too), rather than through interpreter
    teardown, which would wait for ever on the queues of parser workers that
    were stopped mid-parse (see `signals`).
    """
    try:
        main()
    except SystemExit:
        SIGNALS.end_by_received()
        raise
    finally:
        try:
            sys.stdout.flush()
        except BrokenPipeError:
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())

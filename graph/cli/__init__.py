"""The `kg` command group.

Subcommands live one per module in this package and are imported only when
invoked, so `kg query` or `kg show` never pay for spaCy.
"""
from __future__ import annotations

import importlib
import logging
import multiprocessing
import os
import signal
import sys
import threading
import warnings
from typing import Any, NoReturn

import click

from ..safetext import VisibleFormatter, visible

from ..errors import KgError

COMMANDS = {
    "build": "Extract accounts and write the graph, the RDF and the HTML view.",
    "query": "Run SPARQL over a built graph.",
    "show": "Everything the graph says about one person or body, with sources.",
    "render": "Write the interactive HTML view, whole or around one entity.",
    "export": "Write the graph in another format (RDF, GraphML, GEXF, CSV).",
    "validate": "Check a built graph against the SHACL shapes.",
    "stats": "Counts per type and per account; the most connected entities.",
}

EPILOG = """\b
Quick start:
  kg build                      # the bundled accounts -> output/
  kg query --list               # the named queries that ship with kg
  kg show "Jeremy Corbyn"       # one entity, every fact with its sentence

\b
Exit codes: 0 success; 1 unexpected failure (a bug: rerun with --debug);
2 bad input or usage (the message names the file and the problem);
130 interrupted (143 terminated).
"""


class Terminated(KeyboardInterrupt):
    """SIGTERM, unwound like Ctrl-C: temporary files removed, the lock released, one line."""


def _stop(signum: int, frame: object) -> None:
    """Ctrl-C or SIGTERM: stop the parser's worker processes first, then unwind.

    spaCy's `nlp.pipe(n_process=N)` joins its workers when it is left; a
    worker blocked writing a parse nobody reads any more would keep that join
    (and kg) waiting for ever, so they are stopped before the main process
    unwinds (`multiprocessing.active_children` is every child this process started).
    """
    if os.getpid() != _MAIN_PID[0]:  # a forked worker inherited this handler: leave quietly
        raise SystemExit(128 + signum)
    _RECEIVED[:] = [signum]
    for child in multiprocessing.active_children():
        child.terminate()
    # spaCy then warns that its workers did not complete (W127): they were told not to.
    warnings.filterwarnings("ignore", message=r"\[W127\]")
    raise Terminated() if signum == signal.SIGTERM else KeyboardInterrupt()


_MAIN_PID = [os.getpid()]
_RECEIVED: list[int] = []  # the signal that stopped this command, if one did


def _fail(ctx: click.Context, message: str, code: int) -> NoReturn:
    """One line on stderr, then leave with `code`: how every failure a user sees ends."""
    click.echo(f"Error: {message}", err=True)
    ctx.exit(code)


class LazyGroup(click.Group):
    """Resolve a subcommand by importing `graph.cli.<name>` on demand."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return list(COMMANDS)

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        if name not in COMMANDS:
            return None
        module = importlib.import_module(f"{__name__}.{name}")
        return getattr(module, name)

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
    if threading.current_thread() is threading.main_thread():
        _MAIN_PID[0] = os.getpid()
        for signum in (signal.SIGINT, signal.SIGTERM):
            signal.signal(signum, _stop)
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
    were stopped mid-parse.
    """
    try:
        main()
    except SystemExit:
        if _RECEIVED:
            sys.stdout.flush()
            sys.stderr.flush()
            signal.signal(_RECEIVED[0], signal.SIG_DFL)
            os.kill(os.getpid(), _RECEIVED[0])
        raise
    finally:
        try:
            sys.stdout.flush()
        except BrokenPipeError:
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())

"""`kg serve`: build, then keep the build live and answer SPARQL, the JSON API and the explorer over HTTP."""
from __future__ import annotations

import ipaddress
import logging
import socket
import sys
import threading
from pathlib import Path

import click

from ..errors import KgError
from ..load.files import DATE_FROM
from ..paths import BUNDLED_ACCOUNTS, DEFAULT_BASE, DEFAULT_OUTPUT
from ..safetext import visible
from .build import _base_iri

LOG = logging.getLogger("graph.serve")

EXAMPLES = """\b
Examples:
  kg serve posts/                         # http://127.0.0.1:8000/ (explorer), /sparql
  kg serve posts/ --port 9000 --store db/ # the store on disk, for a graph larger than memory
  curl -H 'Accept: text/csv' --data-urlencode 'query=SELECT * WHERE { ?s ?p ?o } LIMIT 3' \\
       http://127.0.0.1:8000/sparql
"""


def _loopback(host: str) -> bool:
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return host == "localhost"


def _listen(host: str, port: int) -> socket.socket:
    """The listening socket, made here so a taken port is one clear line (and port 0 picks a free one)."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError as exc:
        sock.close()
        raise KgError(f"cannot listen on {host}:{port} ({exc.strerror or exc}): "
                      "choose another --port, or stop what uses it") from None
    sock.listen(128)
    return sock


@click.command(epilog=EXAMPLES)
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("-o", "--output", "out_dir", type=click.Path(path_type=Path, file_okay=False),
              default=DEFAULT_OUTPUT, show_default=True,
              help="Folder for graph.trig, graph.ttl and graph.html, rewritten on each rebuild.")
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on (loopback: only this machine can connect).")
@click.option("--port", type=click.IntRange(0, 65535), default=8000, show_default=True,
              help="Port to listen on (0: any free one, printed).")
@click.option("--store", "store_dir", type=click.Path(path_type=Path, file_okay=False),
              help="Keep the Oxigraph store in this folder (default: in memory). Emptied at start. "
                   "Past a few thousand accounts queries run many times faster on disk.")
@click.option("--timeout", type=click.FloatRange(0), default=30.0, show_default=True,
              help="Seconds a SPARQL query may run (0: no limit).")
@click.option("--max-rows", type=click.IntRange(0), default=10_000, show_default=True,
              help="Rows (or triples) a SPARQL answer holds at most (0: no limit).")
@click.option("--min-confidence", type=click.FloatRange(0, 1), default=0.0, show_default=True,
              help="Leave out roles and events read with less confidence than this.")
@click.option("--base", default=DEFAULT_BASE, show_default=True, callback=_base_iri,
              help="Base IRI for the graph's nodes.")
@click.option("--cache-dir", type=click.Path(path_type=Path, file_okay=False),
              help="Extraction cache (default: OUTPUT/.cache).")
@click.option("--judgements", type=click.Path(path_type=Path, dir_okay=False),
              help="A person's corrections to apply (default: judgements.yaml beside the accounts, if any).")
@click.option("--date-from", type=click.Choice(DATE_FROM), default="filename", show_default=True,
              help="Where a post whose metadata and text give no date takes one (as kg build).")
@click.option("--no-html", is_flag=True, help="Do not write graph.html (the served explorer is unaffected).")
@click.option("--no-watch", is_flag=True, help="Build once and serve that; ignore later changes.")
@click.pass_context
def serve(ctx: click.Context, paths: tuple[Path, ...], out_dir: Path, host: str, port: int,
          store_dir: Path | None, timeout: float, max_rows: int, min_confidence: float, base: str,
          cache_dir: Path | None, judgements: Path | None, date_from: str, no_html: bool, no_watch: bool) -> None:
    """Build the accounts, then serve the graph and rebuild it whenever they change.

    Keeps spaCy loaded and the merged graph in memory; when a file under PATHS
    is added, changed or removed, only what changed is extracted again, the
    served graph is updated, and OUTPUT is rewritten as `kg build` writes it.
    Serves the SPARQL 1.1 Protocol at /sparql (read-only), the explorer at /,
    and JSON at /api/entity/NAME and /api/search?q=NAME. Ctrl-C or SIGTERM
    stops it; the files on disk are always a whole build.
    """
    import uvicorn

    from ..serve.app import make_app
    from ..serve.live import LiveGraph
    from ..serve.oxstore import GraphStore
    from ..serve.sparql import Limits

    if not paths and not BUNDLED_ACCOUNTS.is_dir():
        raise KgError("no PATHS given, and no bundled corpus here: name the account files or folders to serve")
    quiet = bool(ctx.obj and ctx.obj.get("quiet"))
    sock = _listen(host, port)
    live = LiveGraph(list(paths or [BUNDLED_ACCOUNTS]), out_dir, GraphStore(store_dir), cache_dir=cache_dir,
                     base=base, min_confidence=min_confidence, html=not no_html, judgements=judgements,
                     date_from=date_from, ignore=[store_dir] if store_dir else [])
    stop = threading.Event()
    watcher: threading.Thread | None = None
    try:
        report = live.rebuild()
        if report and not quiet:
            click.echo(f"Built {report.accounts} accounts in {report.seconds:.1f}s "
                       f"({report.extracted} extracted, {report.accounts - report.extracted} from cache)")
        if not no_watch:
            # the model loads beside the serving (a cached build needed none); the first change waits for it
            threading.Thread(target=live.warm, name="kg-warm", daemon=True).start()
            watcher = threading.Thread(target=live.watch, args=(stop, lambda exc: LOG.warning("%s", exc.message)),
                                       name="kg-watch")
            watcher.start()
        bound = sock.getsockname()
        where = f"http://{'[' + bound[0] + ']' if ':' in bound[0] else bound[0]}:{bound[1]}"
        if not _loopback(host):
            click.echo(f"Warning: listening on {host}: anyone who can reach this machine can query the graph",
                       err=True)
        if not quiet:
            click.echo(visible(f"Serving {where}/ (SPARQL at {where}/sparql); Ctrl-C stops"))
        sys.stdout.flush()
        config = uvicorn.Config(make_app(live, Limits(timeout, max_rows)), log_level="warning",
                                lifespan="off", access_log=False)
        uvicorn.Server(config).run(sockets=[sock])
    finally:
        stop.set()
        if watcher is not None:
            watcher.join()
        sock.close()

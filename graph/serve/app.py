"""The HTTP side of `kg serve`: a Starlette application over the live graph.

Routes: `/sparql` (the SPARQL 1.1 Protocol, `graph.serve.sparql`), `/api/entity/NAME`
(what `kg show --json` prints), `/api/search?q=` (entities by name, best first),
`/` (the explorer, opening small) and `/api/expand?node=IRI` (a neighbourhood for
it). Handlers are plain functions: Starlette runs them in its thread pool, so a
slow query never holds up the event loop.
"""
from __future__ import annotations

from typing import Any
from urllib.parse import parse_qs

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.routing import Route

from ..errors import KgError
from ..show import Ambiguous, describe, find
from .explore import expand_payload, opening
from .live import LiveGraph
from .sparql import Limits, ProtocolError, evaluate

SEARCH_LIMIT = 20
FORM = "application/x-www-form-urlencoded"


def _error(status: int, message: str, **extra: Any) -> JSONResponse:
    return JSONResponse({"error": message, **extra}, status_code=status)


async def _protocol_request(request: Request) -> tuple[str, list[str], list[str]]:
    """(query text, default-graph-uri, named-graph-uri) from a GET, a form POST or a direct POST."""
    params = {k: request.query_params.getlist(k) for k in request.query_params.keys()}
    if request.method == "POST":
        media = request.headers.get("content-type", "").split(";")[0].strip().lower()
        body = (await request.body()).decode("utf-8", errors="replace")
        if media == "application/sparql-query":
            params["query"] = [body]
        elif media == FORM:
            for key, values in parse_qs(body, keep_blank_values=True).items():
                params.setdefault(key, []).extend(values)
        elif media == "application/sparql-update":
            params["update"] = [body]
        else:
            raise ProtocolError(415, f"POST a query as {FORM} (query=...) or application/sparql-query, "
                                     f"not {media or 'no content type'}")
    if params.get("update"):
        raise ProtocolError(403, "this SPARQL endpoint is read-only: SPARQL updates are refused; "
                                 "kg serve rebuilds the graph from the account files it watches")
    queries = params.get("query", [])
    if len(queries) != 1:
        raise ProtocolError(400, "give exactly one query (the query parameter, or a POST body of "
                                 "type application/sparql-query)")
    return queries[0], params.get("default-graph-uri", []), params.get("named-graph-uri", [])


def make_app(live: LiveGraph, limits: Limits, title: str = "kg explorer") -> Starlette:
    """The application serving `live`, queries held to `limits`."""

    async def sparql(request: Request) -> Response:
        try:
            text, default_graph, named_graphs = await _protocol_request(request)
            answer = await _in_thread(evaluate, live.store, text, request.headers.get("accept"), limits,
                                      default_graph, named_graphs)
        except ProtocolError as exc:
            return Response(exc.message + "\n", status_code=exc.status, media_type="text/plain; charset=utf-8")
        return Response(answer.body, media_type=answer.media_type, headers=answer.headers)

    def entity(request: Request) -> Response:
        try:
            view = live.view()
            return JSONResponse(describe(view, find(view, request.path_params["name"]).node))
        except Ambiguous as exc:
            return _error(409, exc.message, candidates=[c.__dict__ for c in exc.candidates])
        except KgError as exc:
            return _error(404, exc.message)

    def search(request: Request) -> Response:
        wanted = request.query_params.get("q", "").strip()
        if not wanted:
            return _error(400, "give a name to search for: /api/search?q=NAME")
        return JSONResponse({"q": wanted, "results": _search(live, wanted)})

    page: dict[int, str] = {}  # the explorer page of the build served now, by its generation

    def explorer(request: Request) -> Response:
        from ..render import render_html

        try:
            snapshot = live.require()
            view = live.view(snapshot)
        except KgError as exc:
            return _error(503, exc.message)
        if snapshot.generation not in page:  # drawn once per build (a second at 10,000 accounts)
            # everything in the opening view is shown (top=0); the rest is fetched from /api/expand
            html = render_html(opening(view), title=title, top=0, expand_url="/api/expand", whole=view)
            page.clear()
            page[snapshot.generation] = html
        return HTMLResponse(page[snapshot.generation])

    def expand(request: Request) -> Response:
        from ..payload import dumps

        offset = request.query_params.get("offset", "0")
        if not offset.isdigit():
            return _error(400, f"offset must be a whole number, not {offset!r}")
        try:
            data = expand_payload(live.view(), request.query_params.get("node", ""), int(offset))
        except KgError as exc:
            return _error(404, exc.message)
        return Response(dumps(data), media_type="application/json")

    return Starlette(routes=[
        Route("/sparql", sparql, methods=["GET", "POST"]),
        Route("/api/entity/{name:path}", entity),
        Route("/api/search", search),
        Route("/api/expand", expand),
        Route("/", explorer),
    ])


async def _in_thread(function: Any, *args: Any) -> Any:
    from starlette.concurrency import run_in_threadpool

    return await run_in_threadpool(function, *args)


def _search(live: LiveGraph, wanted: str) -> list[dict[str, Any]]:
    """People and bodies whose names fit `wanted`, best first (rapidfuzz, as `kg show` matches)."""
    from rapidfuzz import fuzz, process, utils

    from ..show import FUZZY_CUTOFF

    view = live.view()
    choices = {(n.iri, alias): alias for n in view.nodes.values() if n.kind in ("person", "body")
               for alias in n.names or (n.label,)}
    best: dict[str, float] = {}
    for _, score, key in process.extract(wanted, choices, scorer=fuzz.WRatio, limit=None,
                                         score_cutoff=FUZZY_CUTOFF, processor=utils.default_process):
        best[key[0]] = max(score, best.get(key[0], 0.0))
    ranked = sorted(best.items(), key=lambda item: (-item[1], view.nodes[item[0]].label, item[0]))
    return [{"iri": iri, "label": view.nodes[iri].label, "kind": view.nodes[iri].kind,
             "accounts": list(view.nodes[iri].accounts), "score": round(score, 1)}
            for iri, score in ranked[:SEARCH_LIMIT]]

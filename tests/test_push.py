"""kg push into a real Oxigraph server (the `oxigraph` package's binary) on a free loopback port."""
from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
from dataclasses import replace
from pathlib import Path

import httpx
import pytest

from graph import quads
from graph.cli import main
from graph.push import graph_texts, manifest_path

BINARY = shutil.which("oxigraph") or str(Path(sys.executable).parent / "oxigraph")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def oxigraph(tmp_path):
    if not Path(BINARY).exists():
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail("the oxigraph server must be installed in CI (pip install -e '.[test]')")
        pytest.skip("no oxigraph binary (pip install -e '.[test]' installs it)")
    port = _free_port()
    server = subprocess.Popen([BINARY, "serve", "--location", str(tmp_path / "db"), "--bind", f"127.0.0.1:{port}"],
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while True:
        try:
            httpx.get(f"{url}/query", params={"query": "ASK {}"}, timeout=2)
            break
        except httpx.TransportError:
            if time.monotonic() > deadline or server.poll() is not None:
                server.kill()
                pytest.fail(f"oxigraph did not start: {server.stderr.read() if server.stderr else ''}")
            time.sleep(0.1)
    yield url
    server.terminate()
    server.wait(10)


def _write(kg, path: Path) -> Path:
    path.write_text(quads.texts(quads.statements(kg))["trig"], encoding="utf-8")
    return path


def _graph_count(url: str, graph: str) -> int:
    answer = httpx.post(f"{url}/query", data={"query": f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}"},
                        headers={"Accept": "application/sparql-results+json"}).json()
    return int(answer["results"]["bindings"][0]["n"]["value"])


def _names_in(url: str, graph: str) -> list[str]:
    query = f"SELECT ?n WHERE {{ GRAPH <{graph}> {{ ?p <http://xmlns.com/foaf/0.1/name> ?n }} }} ORDER BY ?n"
    answer = httpx.post(f"{url}/query", data={"query": query},
                        headers={"Accept": "application/sparql-results+json"}).json()
    return [b["n"]["value"] for b in answer["results"]["bindings"]]


@pytest.mark.parametrize("how", ["graph-store", "endpoint"])
def test_push_then_query_back_per_account_graph(oxigraph, tiny_kg, tmp_path, runner, how):
    trig = _write(tiny_kg, tmp_path / "graph.trig")
    texts = graph_texts(trig)
    accounts = [g for g in texts if g.endswith(("/a", "/b")) or "/account/" in g]
    assert len(texts) == 3 and len(accounts) == 2  # the shared graph and one per account
    where = ["--graph-store", f"{oxigraph}/store"] if how == "graph-store" else ["--endpoint", f"{oxigraph}/update"]
    result = runner.invoke(main, ["push", "-g", str(trig), *where])
    assert result.exit_code == 0, result.output
    assert "Pushed 3 graph(s)" in result.output
    for graph, body in texts.items():
        assert _graph_count(oxigraph, graph) == body.count(b"\n") > 0
    shared = next(g for g in texts if g not in accounts)
    assert "Ann Other" in _names_in(oxigraph, shared)

    # nothing changed: nothing is sent
    again = runner.invoke(main, ["push", "-g", str(trig), *where])
    assert "Pushed 0 graph(s)" in again.output and "3 unchanged" in again.output

    # account b gone, a sentence of a changed: only the graphs that differ are sent, b's deleted
    a_only = replace(tiny_kg, accounts=[tiny_kg.accounts[0]],
                     roles=[r for r in tiny_kg.roles if r.evidence.account == "a"],
                     events=[e for e in tiny_kg.events if e.evidence.account == "a"])
    a_only.nodes = {k: n for k, n in tiny_kg.nodes.items() if "a" in n.names_in}
    for node in a_only.nodes.values():
        node.names_in = {k: v for k, v in node.names_in.items() if k == "a"}
        node.evidence = [e for e in node.evidence if e.account == "a"]
        node.narrator_of = {x for x in node.narrator_of if x == "a"}
    _write(a_only, trig)
    new_texts = graph_texts(trig)
    third = runner.invoke(main, ["push", "-g", str(trig), *where])
    assert third.exit_code == 0, third.output
    gone = [g for g in texts if g not in new_texts]
    assert len(gone) == 1 and "deleted 1" in third.output
    assert _graph_count(oxigraph, gone[0]) == 0
    changed = [g for g in new_texts if new_texts[g] != texts.get(g)]
    assert f"Pushed {len(changed)} graph(s)" in third.output
    assert f"{len(new_texts) - len(changed)} unchanged" in third.output and len(changed) < len(new_texts)
    for graph, body in new_texts.items():
        assert _graph_count(oxigraph, graph) == body.count(b"\n")
    manifest = json.loads(manifest_path(trig, f"{oxigraph}/store" if how == "graph-store"
                                        else f"{oxigraph}/update").read_text())
    assert sorted(manifest["graphs"]) == sorted(new_texts)


def test_a_store_that_is_not_there_is_one_line(tiny_kg, tmp_path, runner):
    trig = _write(tiny_kg, tmp_path / "graph.trig")
    result = runner.invoke(main, ["push", "-g", str(trig), "--graph-store", f"http://127.0.0.1:{_free_port()}/store"])
    assert result.exit_code == 2 and "cannot reach the store" in result.output
    assert json.loads(next((tmp_path / ".kg-push").iterdir()).read_text())["graphs"] == {}  # nothing recorded
    assert runner.invoke(main, ["push", "-g", str(trig)]).exit_code == 2  # no target at all


@pytest.fixture
def guarded(oxigraph):
    """The Oxigraph server behind a proxy that asks for HTTP Basic credentials (as a store's front end does)."""
    import base64
    import threading

    import uvicorn
    from starlette.applications import Starlette
    from starlette.requests import Request
    from starlette.responses import Response
    from starlette.routing import Route

    expected = "Basic " + base64.b64encode(b"editor:s3cret word").decode()
    seen: list[str | None] = []

    async def forward(request: Request) -> Response:
        seen.append(request.headers.get("authorization"))
        if request.headers.get("authorization") != expected:
            return Response("login required", status_code=401, headers={"WWW-Authenticate": 'Basic realm="kg"'})
        async with httpx.AsyncClient() as client:
            answer = await client.request(request.method, f"{oxigraph}{request.url.path}", params=request.query_params,
                                          content=await request.body(),
                                          headers={"Content-Type": request.headers.get("content-type", "")})
        return Response(answer.content, status_code=answer.status_code)

    app = Starlette(routes=[Route("/store", forward, methods=["PUT", "DELETE", "GET"]),
                            Route("/update", forward, methods=["POST"])])
    port = _free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="error"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        assert time.monotonic() < deadline, "the proxy did not start"
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}", seen
    server.should_exit = True
    thread.join(10)


def test_push_logs_in_with_user_and_password_from_the_environment(guarded, oxigraph, tiny_kg, tmp_path, runner,
                                                                   monkeypatch):
    proxy, seen = guarded
    trig = _write(tiny_kg, tmp_path / "graph.trig")
    monkeypatch.delenv("KG_PUSH_PASSWORD", raising=False)
    monkeypatch.delenv("KG_PUSH_TOKEN", raising=False)

    refused = runner.invoke(main, ["push", "-g", str(trig), "--graph-store", f"{proxy}/store"])
    assert refused.exit_code == 2
    assert "the store refused no credentials (401)" in refused.output and "--user" in refused.output

    no_password = runner.invoke(main, ["push", "-g", str(trig), "--graph-store", f"{proxy}/store", "--user", "editor"])
    assert no_password.exit_code == 2 and "KG_PUSH_PASSWORD" in no_password.output  # not a terminal: no prompt

    monkeypatch.setenv("KG_PUSH_PASSWORD", "wrong")
    wrong = runner.invoke(main, ["push", "-g", str(trig), "--graph-store", f"{proxy}/store", "--user", "editor"])
    assert wrong.exit_code == 2 and "refused the credentials given (401)" in wrong.output
    assert "wrong" not in wrong.output

    monkeypatch.setenv("KG_PUSH_PASSWORD", "s3cret word")
    for where in (["--graph-store", f"{proxy}/store"], ["--endpoint", f"{proxy}/update", "--force"]):
        result = runner.invoke(main, ["push", "-g", str(trig), *where, "--user", "editor"])
        assert result.exit_code == 0, result.output
        assert "Pushed 3 graph(s)" in result.output
    for graph, body in graph_texts(trig).items():   # asked of the store itself, past the proxy
        assert _graph_count(oxigraph, graph) == body.count(b"\n") > 0
    assert seen[-1] is not None and seen[-1].startswith("Basic ")


def test_credentials_in_the_url_are_used_but_never_printed_or_kept(guarded, tiny_kg, tmp_path, runner, monkeypatch):
    proxy, _seen = guarded
    trig = _write(tiny_kg, tmp_path / "graph.trig")
    monkeypatch.delenv("KG_PUSH_TOKEN", raising=False)
    url = proxy.replace("http://", "http://editor:s3cret%20word@") + "/store"
    result = runner.invoke(main, ["push", "-g", str(trig), "--graph-store", url])
    assert result.exit_code == 0, result.output
    assert "s3cret" not in result.output and f"to {proxy}/store" in result.output
    manifest = next((tmp_path / ".kg-push").iterdir()).read_text()
    assert "s3cret" not in manifest and json.loads(manifest)["target"] == f"{proxy}/store"


def test_a_bearer_token_comes_from_the_environment(guarded, tiny_kg, tmp_path, runner, monkeypatch):
    proxy, seen = guarded
    trig = _write(tiny_kg, tmp_path / "graph.trig")
    monkeypatch.setenv("KG_PUSH_TOKEN", "tok-123")
    result = runner.invoke(main, ["push", "-g", str(trig), "--graph-store", f"{proxy}/store"])
    assert result.exit_code == 2 and "refused the credentials given (401)" in result.output  # the proxy wants Basic
    assert seen[-1] == "Bearer tok-123"

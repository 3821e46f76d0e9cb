"""No network from input: a query or a graph file handed to kg never makes it connect anywhere.

Each test starts a listener on a free loopback port, points the hostile input
at it, and asserts that nothing connected (and that kg said why it refused).
"""
from __future__ import annotations

import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from graph.cli import main


class Listener:
    """A TCP listener on 127.0.0.1 counting the connections made to it."""

    def __init__(self) -> None:
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(8)
        self.sock.settimeout(0.2)
        self.port = self.sock.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}"
        self.connections = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    def _serve(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self.sock.accept()
            except OSError:
                continue
            self.connections += 1
            conn.close()

    def close(self) -> None:
        self._stop.set()
        self._thread.join(2)
        self.sock.close()


@pytest.fixture
def listener():
    server = Listener()
    yield server
    server.close()


ENGINES = ["oxigraph", "rdflib"]


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize("silent", ["", "SILENT "])
def test_service_is_refused_and_nothing_connects(runner, tiny_trig, listener, engine, silent):
    text = f"SELECT * WHERE {{ SERVICE {silent}<{listener.url}/sparql> {{ ?s ?p ?o }} }}"
    result = runner.invoke(main, ["query", text, "-g", str(tiny_trig), "--engine", engine])
    assert result.exit_code == 2, result.output
    assert "SERVICE" in result.output and "--allow-service" in result.output
    assert listener.connections == 0


def test_service_nested_in_a_subquery_is_refused_too(runner, tiny_trig, listener):
    text = (f"SELECT * WHERE {{ {{ SELECT ?s WHERE {{ OPTIONAL {{ SERVICE <{listener.url}/x> "
            "{ ?s ?p ?o } } } } }")
    result = runner.invoke(main, ["query", text, "-g", str(tiny_trig)])
    assert result.exit_code == 2 and listener.connections == 0


def test_allow_service_lets_the_query_out(runner, tiny_trig, listener):
    """The flag is real: with it, the engine does reach the endpoint (which hangs up)."""
    text = f"SELECT * WHERE {{ SERVICE SILENT <{listener.url}/sparql> {{ ?s ?p ?o }} }}"
    runner.invoke(main, ["query", text, "-g", str(tiny_trig), "--engine", "oxigraph", "--allow-service",
                         "--timeout", "10"])
    deadline = time.monotonic() + 5
    while not listener.connections and time.monotonic() < deadline:
        time.sleep(0.05)
    assert listener.connections >= 1


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize("target", ["{url}/graph.ttl", "file:///etc/hostname"])
def test_from_outside_the_build_is_refused(runner, tiny_trig, listener, engine, target):
    iri = target.format(url=listener.url)
    for clause in ("FROM", "FROM NAMED"):
        text = f"SELECT * {clause} <{iri}> WHERE {{ ?s ?p ?o }}"
        result = runner.invoke(main, ["query", text, "-g", str(tiny_trig), "--engine", engine])
        assert result.exit_code == 2, result.output
        assert "not a graph of this build" in result.output
    assert listener.connections == 0


@pytest.mark.parametrize("engine", ENGINES)
def test_from_an_account_graph_of_the_build_still_works(runner, tiny_trig, engine):
    graphs = runner.invoke(main, ["query", "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }",
                                  "-g", str(tiny_trig), "--format", "csv"])
    first = sorted(graphs.output.split()[1:])[0]
    one = runner.invoke(main, ["query", f"SELECT (COUNT(*) AS ?n) FROM <{first}> WHERE {{ ?s ?p ?o }}",
                               "-g", str(tiny_trig), "--format", "csv", "--engine", engine])
    every = runner.invoke(main, ["query", "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }",
                                 "-g", str(tiny_trig), "--format", "csv", "--engine", engine])
    assert one.exit_code == 0, one.output
    assert 0 < int(one.output.split()[1]) < int(every.output.split()[1])


REMOTE_JSONLD = """{{"@context": "{url}/context.jsonld",
 "@id": "https://example.org/p", "name": "Someone"}}"""
IMPORTED_JSONLD = """{{"@context": {{"@import": "{url}/c.jsonld", "name": "http://xmlns.com/foaf/0.1/name"}},
 "@id": "https://example.org/p", "name": "Someone"}}"""
XXE_RDFXML = """<?xml version="1.0"?>
<!DOCTYPE rdf:RDF [ <!ENTITY remote SYSTEM "{url}/entity.xml"> ]>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:foaf="http://xmlns.com/foaf/0.1/">
  <rdf:Description rdf:about="https://example.org/p"><foaf:name>&remote;</foaf:name></rdf:Description>
</rdf:RDF>
"""


@pytest.mark.parametrize("name, text", [("remote.jsonld", REMOTE_JSONLD), ("imported.jsonld", IMPORTED_JSONLD),
                                        ("xxe.rdf", XXE_RDFXML)])
@pytest.mark.parametrize("command", [["query", "--engine", "oxigraph", "ASK { ?s ?p ?o }"],
                                     ["query", "--engine", "rdflib", "ASK { ?s ?p ?o }"],
                                     ["stats"], ["show", "Someone"], ["export", "--format", "ntriples"]])
def test_reading_a_graph_fetches_nothing(runner, tmp_path, listener, name, text, command):
    graph = tmp_path / name
    graph.write_text(text.format(url=listener.url), encoding="utf-8")
    extra = ["-o", str(tmp_path / "out.nt")] if command[0] == "export" else []
    result = runner.invoke(main, [*command, "-g", str(graph), *extra])
    assert listener.connections == 0
    if name.endswith(".jsonld"):
        assert result.exit_code == 2, result.output
        assert "remote @context" in result.output and name in result.output


@pytest.mark.parametrize("text", ["   ", "# only a comment\n", "PREFIX ex: <http://e/>\n# nothing\n", ""])
def test_an_empty_query_is_a_usage_error(runner, tiny_trig, tmp_path, text):
    rq = tmp_path / "q.rq"
    rq.write_text(text, encoding="utf-8")
    for args in (["--file", str(rq)], [text] if text else []):
        if not args:
            continue
        result = runner.invoke(main, ["query", *args, "-g", str(tiny_trig)])
        assert result.exit_code == 2, result.output
        assert "empty query" in result.output and "Traceback" not in result.output


def test_a_runaway_query_stops_at_the_timeout(tiny_trig):
    """A real process: the stopped query must not keep it alive."""
    text = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l . ?m ?n2 ?o }"
    started = time.monotonic()
    done = subprocess.run([sys.executable, "-m", "graph", "query", text, "-g", str(tiny_trig),
                           "--timeout", "1"], capture_output=True, text=True, timeout=60)
    elapsed = time.monotonic() - started
    assert done.returncode == 2, done.stderr
    assert "longer than 1 s" in done.stderr and "--timeout" in done.stderr
    assert elapsed < 20


def test_the_table_shows_at_most_max_rows_and_says_so(runner, tiny_trig):
    text = "SELECT ?s ?p ?o WHERE { ?s ?p ?o }"
    table = runner.invoke(main, ["query", text, "-g", str(tiny_trig), "--max-rows", "3"])
    assert table.exit_code == 0
    assert "(3 rows)" in table.output and "only the first 3 rows are shown" in table.output
    every = runner.invoke(main, ["query", text, "-g", str(tiny_trig), "--max-rows", "3", "--format", "csv"])
    assert len(every.output.splitlines()) - 1 > 3


def test_rows_stream_before_the_whole_answer_is_known(tiny_trig):
    """The first rows of a huge answer arrive at once; the worker waits (bounded queue), it does not run on."""
    from graph import query as q

    ds = q.load_oxigraph(tiny_trig)
    answer = q.stream(ds, "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }", timeout=30)
    started = time.monotonic()
    first = [next(answer.rows) for _ in range(5)]
    assert len(first) == 5 and time.monotonic() - started < 5
    assert answer.head.columns == list("abcdefghijkl")


@pytest.mark.parametrize("fmt", ["csv", "tsv", "json"])
def test_streamed_output_is_the_same_text_as_the_whole_answer(tiny_trig, fmt):
    from graph import query as q

    text = "SELECT ?s ?p ?o WHERE { ?s ?p ?o } ORDER BY ?s ?p ?o"
    whole = q.render(q.run(q.load_oxigraph(tiny_trig), text), fmt)
    streamed = "".join(q.render_lines(q.stream(q.load_oxigraph(tiny_trig), text), fmt))
    assert streamed == whole and len(whole.splitlines()) > 10
    if fmt == "json":
        import json

        assert whole == json.dumps(json.loads(whole), indent=2, ensure_ascii=False) + "\n"

"""kg serve, as a real subprocess on a free loopback port: the SPARQL 1.1 Protocol, the JSON API,
live rebuilds from the watched folder, and a clean stop on SIGINT/SIGTERM.

One server is started for the module (spaCy loads once); the tests that stop a server
start their own.
"""
from __future__ import annotations

import csv
import io
import json
import signal
import subprocess
import sys
import time
import xml.etree.ElementTree as ET
from pathlib import Path

import httpx
import pyoxigraph as ox
import pytest

from serving import ACCOUNT_NEW, Server, start, write_accounts

PEOPLE = "SELECT ?name WHERE { ?p a foaf:Person ; foaf:name ?name } ORDER BY ?name"
# a cartesian product that rarely passes its filter: rows come about one a second, for minutes
SLOW = ('SELECT * WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i '
        'FILTER(STRSTARTS(MD5(CONCAT(STR(?c), STR(?f), STR(?i))), "00000")) }')


@pytest.fixture(scope="module")
def server(tmp_path_factory) -> Server:
    root = tmp_path_factory.mktemp("serve")
    srv = start(write_accounts(root / "accounts"), root / "out", "--timeout", "2", "--max-rows", "25")
    yield srv
    srv.stop(signal.SIGKILL)


def names(response: httpx.Response) -> list[str]:
    assert response.status_code == 200, response.text
    return [b["name"]["value"] for b in response.json()["results"]["bindings"]]


def test_listens_on_loopback_only(server):
    assert server.url.startswith("http://127.0.0.1:")


def test_get_and_both_posts_give_the_same_answer(server):
    got = httpx.get(f"{server.url}/sparql", params={"query": PEOPLE}, timeout=60)
    form = server.sparql(PEOPLE)
    direct = httpx.post(f"{server.url}/sparql", content=PEOPLE.encode(), timeout=60,
                        headers={"Content-Type": "application/sparql-query"})
    assert got.headers["content-type"].startswith("application/sparql-results+json")
    assert names(got) == names(form) == names(direct)
    assert "Orlaith Brennick" in names(got) and "Quenby Marlowe" in names(got)
    assert "Harrowfield Labour Party" not in names(got)  # a body is no person


def test_the_answer_is_what_kg_query_gives_on_the_written_files(server):
    run = subprocess.run([sys.executable, "-m", "graph", "query", PEOPLE, "-g", str(server.out / "graph.trig"),
                          "--format", "json"], capture_output=True, text=True, check=True)
    assert [row["name"] for row in json.loads(run.stdout)] == names(server.sparql(PEOPLE))


@pytest.mark.parametrize("accept, media", [
    ("text/csv", "text/csv"),
    ("text/tab-separated-values", "text/tab-separated-values"),
    ("application/sparql-results+xml", "application/sparql-results+xml"),
    ("text/html;q=0.9, text/csv;q=0.5", "text/csv"),
    ("*/*", "application/sparql-results+json"),
])
def test_results_in_the_format_asked_for(server, accept, media):
    response = server.sparql(PEOPLE, accept=accept)
    assert response.status_code == 200 and response.headers["content-type"].startswith(media)
    expected = names(server.sparql(PEOPLE))
    if media == "text/csv":
        rows = list(csv.reader(io.StringIO(response.text)))
        assert rows[0] == ["name"] and [r[0] for r in rows[1:]] == expected
    elif media == "text/tab-separated-values":
        lines = response.text.splitlines()
        assert lines[0] == "?name" and [line.strip('"') for line in lines[1:]] == expected
    elif media.endswith("xml"):
        ns = {"r": "http://www.w3.org/2005/sparql-results#"}
        assert [e.text for e in ET.fromstring(response.content).iterfind(".//r:literal", ns)] == expected


def test_ask_and_construct(server):
    ask = server.sparql("ASK { ?p foaf:name 'Orlaith Brennick' }")
    assert ask.json() == {"head": {}, "boolean": True}
    assert server.sparql("ASK { ?p foaf:name 'Nobody At All' }").json()["boolean"] is False
    graph = server.sparql("CONSTRUCT { ?p foaf:name ?n } WHERE { ?p a foaf:Person ; foaf:name ?n }",
                          accept="application/n-triples")
    assert graph.headers["content-type"].startswith("application/n-triples")
    parsed = list(ox.parse(graph.content, format=ox.RdfFormat.N_TRIPLES))
    assert sorted(t.object.value for t in parsed) == names(server.sparql(PEOPLE))
    refused = server.sparql(PEOPLE, accept="image/png")
    assert refused.status_code == 406 and "text/csv" in refused.text


@pytest.mark.parametrize("send", [
    lambda s: httpx.post(f"{s.url}/sparql", data={"update": "INSERT DATA { <urn:a> <urn:b> <urn:c> }"}),
    lambda s: httpx.post(f"{s.url}/sparql", content=b"DROP ALL",
                         headers={"Content-Type": "application/sparql-update"}),
    lambda s: s.sparql("INSERT DATA { <urn:a> <urn:b> <urn:c> }"),
    lambda s: httpx.get(f"{s.url}/sparql", params={"query": "CLEAR DEFAULT"}),
])
def test_updates_are_refused_and_change_nothing(server, send):
    before = server.sparql("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }").json()
    response = send(server)
    assert response.status_code == 403
    assert "read-only" in response.text and "refused" in response.text
    assert server.sparql("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }").json() == before
    assert server.sparql("ASK { <urn:a> ?p ?o }").json()["boolean"] is False


def test_malformed_query_is_400_with_the_parsers_message(server):
    response = server.sparql("SELECT ?x WHERE { ?x foaf:name ")
    assert response.status_code == 400
    assert "malformed SPARQL at line 1" in response.text
    unknown = server.sparql("SELECT ?x WHERE { ?x nope:name ?y }")
    assert unknown.status_code == 400 and "nope" in unknown.text
    assert httpx.get(f"{server.url}/sparql").status_code == 400  # no query at all


def test_service_is_refused(server):
    response = server.sparql("SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }")
    assert response.status_code == 400 and "SERVICE" in response.text


def test_answers_are_capped(server):
    capped = server.sparql("SELECT * WHERE { ?s ?p ?o }")
    assert len(capped.json()["results"]["bindings"]) == 25
    assert "25" in capped.headers["kg-rows-left-out"]
    small = server.sparql(PEOPLE)
    assert "kg-rows-left-out" not in small.headers


def test_a_runaway_query_is_stopped(server):
    started = time.monotonic()
    response = server.sparql(SLOW)
    assert response.status_code == 503 and "longer than 2 s" in response.text
    assert time.monotonic() - started < 10
    assert names(server.sparql(PEOPLE))  # and the server still answers


def test_entity_api_is_kg_show_json(server):
    shown = subprocess.run([sys.executable, "-m", "graph", "show", "Orlaith Brennick", "--json",
                            "-g", str(server.out / "graph.trig")], capture_output=True, text=True, check=True)
    response = httpx.get(f"{server.url}/api/entity/Orlaith Brennick")
    assert response.status_code == 200 and response.json() == json.loads(shown.stdout)
    assert httpx.get(f"{server.url}/api/entity/orlaith brennick").json()["label"] == "Orlaith Brennick"
    missing = httpx.get(f"{server.url}/api/entity/Nobody Whatsoever")
    assert missing.status_code == 404 and "Nobody Whatsoever" in missing.json()["error"]


def test_search_api(server):
    found = httpx.get(f"{server.url}/api/search", params={"q": "brennick"}).json()["results"]
    assert found[0]["label"] == "Orlaith Brennick" and found[0]["kind"] == "person"
    assert all(r["label"] != "Quenby Marlowe" for r in found)
    assert httpx.get(f"{server.url}/api/search").status_code == 400


def test_expand_api_pages_a_neighbourhood(server):
    iri = httpx.get(f"{server.url}/api/entity/Orlaith Brennick").json()["iri"]
    first = httpx.get(f"{server.url}/api/expand", params={"node": iri})
    assert first.status_code == 200
    data = first.json()
    iris = [data["strings"][i] for i in data["nodes"]["iri"]]  # the payload's strings are interned
    assert iri in iris and data["neighbours"]["total"] == len(iris) - 1 > 0
    assert data["neighbours"]["next"] is None  # a small neighbourhood comes in one page
    past = httpx.get(f"{server.url}/api/expand", params={"node": iri, "offset": "1000"}).json()
    assert [past["strings"][i] for i in past["nodes"]["iri"]] == [iri] and past["neighbours"]["next"] is None
    bad = httpx.get(f"{server.url}/api/expand", params={"node": iri, "offset": "-1"})
    assert bad.status_code == 400 and "offset" in bad.json()["error"]
    assert httpx.get(f"{server.url}/api/expand", params={"node": "urn:nothing"}).status_code == 404


def test_a_new_account_is_answered_after_the_watcher_rebuilds(server):
    query = "SELECT ?name WHERE { ?p foaf:name ?name FILTER(CONTAINS(?name, 'Castellan')) }"
    assert names(server.sparql(query)) == []
    assert "Castellan" not in httpx.get(f"{server.url}/").text  # the page is drawn (and kept) for this build
    accounts = server.out.parent / "accounts"
    (accounts / "new.txt").write_text(ACCOUNT_NEW, encoding="utf-8")
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and not names(server.sparql(query)):
        time.sleep(0.2)
    assert names(server.sparql(query)) == ["Bryony Castellan"]
    assert "Castellan" in httpx.get(f"{server.url}/api/search", params={"q": "Castellan"}).text
    assert "Bryony Castellan" in httpx.get(f"{server.url}/").text  # ... and drawn again for the new one
    # the files follow, and are what kg build writes from the same folder
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and b"Castellan" not in (server.out / "graph.trig").read_bytes():
        time.sleep(0.2)
    time.sleep(0.5)
    built = server.out.parent / "built"
    subprocess.run([sys.executable, "-m", "graph", "-q", "build", str(accounts), "-o", str(built),
                    "--cache-dir", str(server.out / ".cache")], check=True)
    for name in ("graph.trig", "graph.ttl", "graph.html", "judgements.json"):
        assert (server.out / name).read_bytes() == (built / name).read_bytes(), name
    # a removed account leaves the served graph too
    (accounts / "new.txt").unlink()
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and names(server.sparql(query)):
        time.sleep(0.2)
    assert names(server.sparql(query)) == []


def _intact(out: Path) -> bytes:
    trig = (out / "graph.trig").read_bytes()
    assert list(ox.parse(trig, format=ox.RdfFormat.TRIG))
    assert sorted(p.name for p in out.iterdir() if not p.name.startswith(".")) == \
        ["graph.html", "graph.trig", "graph.ttl", "judgements.json"]  # no temporary file left behind
    return trig


@pytest.mark.parametrize("signum, code", [(signal.SIGINT, 130), (signal.SIGTERM, 143)])
def test_a_signal_stops_the_server_with_the_files_intact(tmp_path, signum, code):
    accounts = write_accounts(tmp_path / "accounts")
    srv = start(accounts, tmp_path / "out")
    before = _intact(srv.out)
    (accounts / "new.txt").write_text(ACCOUNT_NEW, encoding="utf-8")  # a rebuild may be under way
    time.sleep(0.3)
    assert srv.stop(signum) in (code, -signum)
    after = _intact(srv.out)
    assert after == before or b"Castellan" in after
    with pytest.raises(httpx.TransportError):
        httpx.get(f"{srv.url}/sparql", params={"query": PEOPLE}, timeout=5)
    assert "Traceback" not in "".join(srv.lines)


def test_the_store_on_disk_changes_graph_by_graph(tmp_path):
    from graph.serve.oxstore import GraphStore

    shared = ("urn:x", "http://www.w3.org/2000/01/rdf-schema#label", ("X", None))
    store = GraphStore(tmp_path / "db")
    assert store.replace({"urn:g1": [shared, ("urn:x", "urn:p", "urn:y")], "urn:g2": [shared]}) == 2
    count = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"

    def number(query: str) -> int:
        return int(next(iter(store.query(query, {})))[0].value)

    assert number(count) == 2  # the union default graph holds the shared triple once
    assert store.replace({"urn:g1": [shared, ("urn:x", "urn:p", "urn:y")], "urn:g2": [shared]}) == 0
    assert store.replace({"urn:g1": [shared]}) == 2  # g1 changed, g2 gone
    assert number(count) == 1
    assert number("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }") == 1
    del store
    reopened = GraphStore(tmp_path / "db")  # a store folder from an earlier run is emptied
    assert int(next(iter(reopened.query(count, {})))[0].value) == 0

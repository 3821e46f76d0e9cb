"""The explorer at corpus scale, in headless Chromium: the opening view, filters that keep the
layout, search ranking, labels, the date slider and served mode (issue #17).

The corpus is generated (`render_samples.corpus_kg`, 300 accounts), not extracted: what is
tested is the page, and spaCy over 300 texts would take minutes.
"""
from __future__ import annotations

import http.server
import json
import threading
from pathlib import Path
from urllib.parse import parse_qs, quote, urlsplit

import pytest

from graph import payload
from graph.rdf import to_dataset
from graph.serve.explore import expand_payload
from graph.render import render_html, select, write_html
from graph.store import open_graph
from graph.view import Edge, Node, View, read_view
from render_samples import corpus_kg
from test_browser import ARGS, CHROMIUM, Loaded, _missing, browser, open_page  # noqa: F401 (fixtures)

pytestmark = pytest.mark.browser
TOP = 120


@pytest.fixture(scope="module")
def corpus_view() -> View:
    return read_view(to_dataset(corpus_kg()))


@pytest.fixture(scope="module")
def corpus_page(corpus_view, tmp_path_factory) -> Path:
    return write_html(corpus_view, tmp_path_factory.mktemp("corpus") / "corpus.html", top=TOP)


def _iri(view: View, label: str) -> str:
    return next(iri for iri, n in view.nodes.items() if n.label == label)


def _until(p: Loaded, code: str, arg=None, seconds: float = 20) -> None:
    """Poll `code` until true (wait_for_function evaluates strings, which the page's CSP forbids)."""
    for _ in range(int(seconds * 10)):
        if p.js(code, arg):
            return
        p.page.wait_for_timeout(100)
    raise AssertionError(f"never true: {code}")


def _positions(p: Loaded) -> dict[str, dict[str, float]]:
    return p.js("kgExplorer.positions()")


def _same_places(before: dict, after: dict, ids) -> None:
    for i in ids:
        assert abs(before[i]["x"] - after[i]["x"]) <= 1 and abs(before[i]["y"] - after[i]["y"]) <= 1, i


def test_opening_view_is_the_most_connected_and_linked(open_page, corpus_view, corpus_page):
    assert len(corpus_view.accounts) >= 300 and len(corpus_view.nodes) > 1000
    p = open_page(corpus_page)
    shown = p.js("kgExplorer.shownIds()")
    assert 0 < len(shown) <= TOP and p.js("kgExplorer.drawnNodeCount()") == len(shown)
    assert {p.js("id => kgExplorer.info(id).kind", i) for i in shown} == {"person", "body"}
    linked = {end for e in p.js("kgExplorer.drawnEdges()") for end in e[:2]}
    assert set(shown) <= linked  # no isolated node
    kinds = {e[2] for e in p.js("kgExplorer.drawnEdges()")}
    assert "role_in" in kinds and kinds <= {"role_in", "with", "part_of", "member_of"}
    note = p.page.text_content("#hidden-note")
    assert "events hidden" in note and "tick Event" in note and "less connected" in note
    assert p.page.input_value("#top") == str(TOP)
    p.js("kgExplorer.setTop(40)")
    assert 0 < p.js("kgExplorer.visibleNodeCount()") <= 40
    assert p.errors == []


def test_type_toggle_keeps_every_position(open_page, corpus_page):
    p = open_page(corpus_page)
    p.page.check("#kinds input[value=event]")  # events join, placed beside their actors
    first = _positions(p)
    assert len(first) > TOP // 2
    p.page.uncheck("#kinds input[value=event]")
    after_off = _positions(p)
    assert set(after_off) < set(first)
    _same_places(first, after_off, after_off)
    p.page.check("#kinds input[value=event]")
    back = _positions(p)
    assert set(back) == set(first)
    _same_places(first, back, first)
    p.page.uncheck("#kinds input[value=person]")  # the other way round: people out, then back
    p.page.check("#kinds input[value=person]")
    _same_places(first, _positions(p), first)
    assert p.errors == []


def test_toggles_on_the_small_page_return_nodes_where_they_were(open_page, tiny_trig, tmp_path):
    p = open_page(write_html(open_graph(tiny_trig), tmp_path / "tiny.html"))
    first = _positions(p)
    assert len(first) == 11
    p.page.uncheck("#kinds input[value=event]")
    p.page.check("#kinds input[value=event]")
    _same_places(first, _positions(p), first)
    p.page.click("#acc-none")
    p.page.click("#acc-all")
    _same_places(first, _positions(p), first)
    spread = {round(v["x"]) for v in _positions(p).values()}
    assert len(spread) > 5  # not piled up at the centre
    assert p.errors == []


def test_page_and_cli_bridge_hidden_roles_alike(open_page, tiny_trig, tmp_path):
    view = read_view(open_graph(tiny_trig))
    p = open_page(write_html(view, tmp_path / "tiny.html"))
    assert not [e for e in p.js("kgExplorer.drawnEdges()") if e[2] == "role_in"]  # roles drawn as nodes
    p.page.uncheck("#kinds input[value=role]")
    on_page = sorted((p.js("id => kgExplorer.info(id).iri", a), p.js("id => kgExplorer.info(id).iri", b), label)
                     for a, b, kind, label in p.js("kgExplorer.drawnEdges()") if kind == "role_in")
    cli = sorted((e.source, e.target, e.label) for e in select(view, types="person,body,event").edges
                 if e.kind == "role_in")
    assert on_page == cli and {label for _, _, label in cli} == {"Chair", "Leader"}


def test_search_ranks_by_accounts_and_shows_kind_and_count(open_page, corpus_view, corpus_page):
    from graph.show import ranked

    p = open_page(corpus_page)
    p.page.fill("#search", "kenward")
    rows = p.page.locator("#suggestions li")
    assert rows.nth(0).locator(".label").text_content() == "Alex Kenward"
    assert rows.nth(0).locator(".meta").text_content() == "Person · 30 accounts"
    assert rows.nth(1).locator(".label").text_content() == "Baroness Kenward"
    texts = [rows.nth(i).text_content() for i in range(rows.count())]
    assert len(texts) == len(set(texts))  # one row per entity
    for query in ("kenward", "person 01", "body 00", "chair"):
        page_order = [p.js("id => kgExplorer.info(id).iri", i) for i in p.js("q => kgExplorer.findIds(q)", query)]
        people_bodies = [iri for iri in page_order if corpus_view.nodes[iri].kind in ("person", "body")]
        assert people_bodies == [n.iri for _, n in ranked(corpus_view, query)], query
    p.page.press("#search", "Enter")
    assert p.page.text_content("#details h3") == "Alex Kenward"
    assert p.js("kgExplorer.network.getSelectedNodes()") == [p.js("i => kgExplorer.idOf(i)", _iri(corpus_view, "Alex Kenward"))]


def test_event_label_names_its_main_actor(open_page, corpus_view, corpus_page):
    p = open_page(corpus_page)
    p.page.check("#kinds input[value=event]")
    drawn = [i for i in p.js("kgExplorer.shownIds()") if p.js("id => kgExplorer.info(id).kind", i) == "event"]
    assert drawn
    for i in drawn[:50]:
        iri = p.js("id => kgExplorer.info(id).iri", i)
        node = corpus_view.nodes[iri]
        label = p.js("id => kgExplorer.network.body.nodes[id].options.label", i)
        main = corpus_view.nodes[node.actors[0]].label
        assert label.startswith(f"{node.event_type} · {main}"), label
        assert not node.date or label.endswith(f" · {node.date}")


def test_click_expands_highlights_and_fades(open_page, corpus_page):
    p = open_page(corpus_page)
    before = _positions(p)
    hub = p.js("kgExplorer.shownIds().find(id => kgExplorer.info(id).rank === 0)")
    p.page.wait_for_timeout(300)
    p.click_node(hub)
    _until(p, "n => kgExplorer.visibleNodeCount() > n", len(before))
    after = _positions(p)
    _same_places(before, after, before)  # opening more never moves what was there
    assert "Opened" in p.page.text_content("#status")
    faded = p.js("""() => kgExplorer.shownIds().filter(id =>
                      kgExplorer.network.body.nodes[id].options.color.background === '#e9ecef')""")
    near = set(p.js("id => kgExplorer.network.getConnectedNodes(id)", hub)) | {hub}
    assert faded and not (set(faded) & near)
    p.page.click("#relayout")
    _until(p, "() => document.getElementById('status').textContent.includes('Layout done')")
    assert "Laying out" not in p.page.text_content("#status")
    assert p.errors == []


def test_account_search_filters_the_list(open_page, corpus_page):
    p = open_page(corpus_page)
    p.page.fill("#acc-search", "account 12")
    listed = p.page.locator("#accounts li:not([hidden])")
    assert 1 <= listed.count() <= 12 and all("account 12" in t for t in listed.all_text_contents())
    p.page.click("#acc-none")  # only the listed ones
    assert not p.page.is_checked("#accounts input[value='acc0012.txt']")
    assert p.page.is_checked("#accounts input[value='acc0013.txt']")


def _dated_view() -> View:
    """People, a body, two roles with dates and an event with its main actor, as #16 will read them."""
    def person(iri: str, name: str) -> Node:
        return Node(iri, "person", name, (name,), ("a.txt",))

    nodes = {
        "p1": person("p1", "Dana Vale"), "p2": person("p2", "Eli Roan"),
        "b": Node("b", "body", "Fenmoor Party", ("Fenmoor Party",), ("a.txt",)),
        "r1": Node("r1", "role", "Shadow Home Secretary", (), ("a.txt",), title="Shadow Home Secretary",
                   body="Fenmoor Party", began="2010-05", ended="2012"),
        "r2": Node("r2", "role", "Leader", (), ("a.txt",), title="Leader", body="Fenmoor Party", began="2015-09-12"),
        "e": Node("e", "event", "Resignation: Dana Vale, Eli Roan", (), ("a.txt",), event_type="Resignation",
                  date="2011-06", actors=("p1", "p2"), agents=("p2",)),
    }
    edges = (Edge("p1", "r1", "holds_role", ("a.txt",), "holds role"), Edge("r1", "b", "in_body", ("a.txt",), "in body"),
             Edge("p2", "r2", "holds_role", ("a.txt",), "holds role"), Edge("r2", "b", "in_body", ("a.txt",), "in body"),
             Edge("p1", "e", "took_part", ("a.txt",), "took part"), Edge("p2", "e", "took_part", ("a.txt",), "took part"))
    return View(nodes, edges, {"a.txt": "A"})


def test_labels_of_events_and_roles():
    rows = {n["iri"]: n for n in payload.unpack(json.loads(payload.dumps(payload.pack(_dated_view(), {}))))["nodes"]}
    assert rows["e"]["short"] == "Resignation · Eli Roan · 2011-06"  # agents[0] is the main actor
    assert rows["r1"]["short"] == "Shadow Home Secretary, Fenmoor Party"
    assert (rows["r1"]["began"], rows["r1"]["ended"]) == ("2010-05", "2012")


def test_date_slider_shows_the_graph_as_of_a_day(open_page, tmp_path):
    page = tmp_path / "dated.html"
    page.write_text(render_html(_dated_view()), encoding="utf-8")
    p = open_page(page)
    assert p.page.is_visible("#asof-box")
    ids = {k: p.js("k => kgExplorer.idOf(k)", k) for k in ("r1", "r2", "e", "p1")}

    def shown() -> set[str]:
        drawn = set(p.js("kgExplorer.shownIds()"))
        return {k for k, i in ids.items() if i in drawn}

    assert shown() == {"r1", "r2", "e", "p1"}
    p.js("kgExplorer.setAsOf('2011-07-01')")
    assert shown() == {"r1", "e", "p1"}
    p.js("kgExplorer.setAsOf('2011-01-01')")
    assert shown() == {"r1", "p1"}
    p.js("kgExplorer.setAsOf('2013-01-01')")
    assert shown() == {"e", "p1"}
    p.js("kgExplorer.setAsOf('2016-01-01')")
    assert shown() == {"r2", "e", "p1"}
    assert p.page.text_content("#asof-date") == "2016-01-01"
    p.page.uncheck("#asof-on")
    assert shown() == {"r1", "r2", "e", "p1"}
    p.page.select_option("#timeline-type", "Resignation")
    assert p.page.locator("#timeline li:not([hidden])").count() == 1
    assert p.errors == []


class _Neighbourhoods(http.server.BaseHTTPRequestHandler):
    """GET /expand?node=IRI: the neighbourhood payload, as `kg serve` answers it."""

    view: View

    page = b""  # served at / when set: the page and its neighbourhoods from one origin

    def do_GET(self) -> None:  # noqa: N802 (http.server's name)
        if urlsplit(self.path).path == "/" and self.page:
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.end_headers()
            self.wfile.write(self.page)
            return
        body = payload.dumps(self.neighbourhood(parse_qs(urlsplit(self.path).query))).encode("utf-8")
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Access-Control-Allow-Origin", "*")  # the test page is a file:// page
        self.end_headers()
        self.wfile.write(body)

    def neighbourhood(self, query: dict[str, list[str]]) -> dict:
        return payload.pack(select(self.view, query.get("node", [""])[0], 1), {})

    def log_message(self, *args) -> None:
        pass


def test_served_mode_expands_by_fetching(browser, corpus_view, tmp_path):  # noqa: F811
    handler = type("Handler", (_Neighbourhoods,), {"view": corpus_view})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_address[1]}/expand"
    try:
        alex = _iri(corpus_view, "Alex Kenward")
        start = select(corpus_view, "Alex Kenward", 0)
        page_path = tmp_path / "served.html"
        page_path.write_text(render_html(start, expand_url=url), encoding="utf-8")
        assert f'data-expand-url="{url}"' in page_path.read_text(encoding="utf-8")
        page = browser.new_page()
        errors: list[str] = []
        asked: list[str] = []
        page.on("pageerror", lambda e: errors.append(str(e)))

        def route(r) -> None:
            if r.request.url.startswith(("file:", url)):
                asked.append(r.request.url)
                r.continue_()
            else:
                r.abort()

        page.route("**/*", route)
        page.goto(page_path.resolve().as_uri())
        page.wait_for_selector("body[data-ready=true]")
        assert page.evaluate("kgExplorer.visibleNodeCount()") == 1
        more = page.evaluate("i => kgExplorer.expand(kgExplorer.idOf(i))", alex)
        asks = f"node={quote(alex, safe='')}"
        assert more > 0 and any(u.endswith(asks) for u in asked)
        expected = set(select(corpus_view, alex, 1).nodes)
        known = set(page.evaluate("kgExplorer.shownIds().map(id => kgExplorer.info(id).iri)"))
        people = {i for i in expected if corpus_view.nodes[i].kind in ("person", "body")}
        assert people <= known <= expected | set(corpus_view.nodes)
        assert page.evaluate("kgExplorer.drawnEdgeCount()") > 0
        again = page.evaluate("i => kgExplorer.expand(kgExplorer.idOf(i))", alex)
        assert again == 0 and sum(u.endswith(asks) for u in asked) == 1  # fetched once, merged by IRI
        assert errors == []
        page.close()
    finally:
        server.shutdown()


class _Paged(_Neighbourhoods):
    """kg serve's own neighbourhood pages (graph/serve/explore.py), three neighbours a page."""

    def neighbourhood(self, query: dict[str, list[str]]) -> dict:
        return expand_payload(self.view, query["node"][0], int(query.get("offset", ["0"])[0]), limit=3)


def test_served_mode_fetches_a_hub_a_page_at_a_time(browser, corpus_view, tmp_path):  # noqa: F811
    """A node with more neighbours than a page: each expansion fetches the next page, the most told
    first, and says how many are left; once all are fetched, nothing more is asked."""
    from graph.serve.explore import _neighbours

    hub = max((i for i, n in corpus_view.nodes.items() if n.kind == "body"),
              key=lambda i: (len(_neighbours(corpus_view, i)), i))
    everyone = _neighbours(corpus_view, hub)
    assert len(everyone) > 6
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), type("Handler", (_Paged,), {"view": corpus_view}))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_address[1]}/expand"
    try:
        page_path = tmp_path / "paged.html"
        page_path.write_text(render_html(select(corpus_view, hub, 0), expand_url=url), encoding="utf-8")
        page = browser.new_page()
        asked: list[str] = []
        page.on("request", lambda r: r.url.startswith(url) and asked.append(r.url))
        page.goto(page_path.resolve().as_uri())
        page.wait_for_selector("body[data-ready=true]")
        known = lambda: set(page.evaluate("kgExplorer.shownIds().map(id => kgExplorer.info(id).iri)"))  # noqa: E731
        page.evaluate("i => kgExplorer.focusNode(kgExplorer.idOf(i))", hub)
        first = known() & everyone
        assert 1 <= len(first) <= 3 and "offset" not in asked[0]
        assert f"3 of its {len(everyone)} neighbours" in page.inner_text("#status")
        most_told = max(len(corpus_view.nodes[i].accounts) for i in everyone)
        assert any(len(corpus_view.nodes[i].accounts) == most_told for i in first)  # the most told come first
        pages = -(-len(everyone) // 3)
        for _ in range(pages - 1):
            page.evaluate("i => kgExplorer.expand(kgExplorer.idOf(i))", hub)
        assert [u.split("offset=")[1] if "offset=" in u else "0" for u in asked] == [
            str(3 * k) for k in range(pages)]
        assert page.evaluate("iris => iris.every(i => kgExplorer.idOf(i) !== undefined)", sorted(everyone))
        assert len(known() & everyone) > len(first)
        page.evaluate("i => kgExplorer.expand(kgExplorer.idOf(i))", hub)
        assert len(asked) == pages  # every page fetched: nothing more is asked
        page.close()
    finally:
        server.shutdown()


def test_a_page_without_linked_people_opens_on_everything(open_page, corpus_view, tmp_path):
    """`--type event` on a big graph: no people or bodies to open on, so every event is shown."""
    p = open_page(write_html(corpus_view, tmp_path / "events.html", types="event"))
    events = sum(n.kind == "event" for n in corpus_view.nodes.values())
    assert events > 400 and p.js("kgExplorer.drawnNodeCount()") == events
    assert p.page.is_checked("#kinds input[value=event]") and p.page.input_value("#top") == "0"


def test_served_page_expands_from_its_own_origin(browser, corpus_view):  # noqa: F811
    """The page served by the same server, with a relative expand URL: CSP connect-src 'self'."""
    alex = _iri(corpus_view, "Alex Kenward")
    html = render_html(select(corpus_view, alex, 0), expand_url="/expand").encode("utf-8")
    handler = type("Handler", (_Neighbourhoods,), {"view": corpus_view, "page": html})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    origin = f"http://127.0.0.1:{server.server_address[1]}"
    try:
        page = browser.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.on("console", lambda m: m.type == "error" and errors.append(m.text))
        page.route("**/*", lambda r: r.continue_() if r.request.url.startswith(origin) else r.abort())
        page.goto(origin + "/")
        page.wait_for_selector("body[data-ready=true]")
        assert page.evaluate("i => kgExplorer.expand(kgExplorer.idOf(i))", alex) > 0
        assert page.evaluate("kgExplorer.visibleNodeCount()") > 1 and errors == []
        page.close()
    finally:
        server.shutdown()

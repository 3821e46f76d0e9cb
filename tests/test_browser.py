"""The explorer page in a real headless Chromium, with the network cut off.

Skipped with a reason where Chromium or Playwright is missing, except under CI=true,
where a missing browser is a failure: the page must be tested somewhere.
"""
from __future__ import annotations

import dataclasses
import importlib.util
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from graph.view import read_view
from graph.rdf import to_dataset
from graph.render import write_html
from graph.store import open_graph
from render_samples import HOSTILE_NAME, HOSTILE_SENTENCE, big_kg, hostile_kg

pytestmark = pytest.mark.browser

CHROMIUM = os.environ.get("KG_CHROMIUM", "/usr/bin/chromium")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]
HAS_BUILD = importlib.util.find_spec("graph.cli.build") is not None
COUNT_NODES = """
PREFIX foaf: <http://xmlns.com/foaf/0.1/> PREFIX org: <http://www.w3.org/ns/org#>
PREFIX sem: <http://semanticweb.cs.vu.nl/2009/11/sem/> PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT (COUNT(DISTINCT ?x) AS ?n) WHERE {
  { ?x a foaf:Person } UNION { ?x a org:Organization } UNION { ?x a sem:Event }
  UNION { ?x a org:Membership ; org:role/skos:prefLabel ?t FILTER (LCASE(STR(?t)) != "member") }
  UNION { ?x a org:Membership ; org:role/skos:prefLabel ?t FILTER NOT EXISTS { ?x org:organization ?o } }
}"""


def _missing() -> str | None:
    if importlib.util.find_spec("playwright") is None:
        return "Playwright for Python is not installed (pip install -e '.[test]')"
    if not Path(CHROMIUM).exists():
        return f"no Chromium at {CHROMIUM} (install it, e.g. apt-get install chromium, or set KG_CHROMIUM)"
    return None


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    reason = _missing()
    if reason:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"browser tests must run in CI: {reason}")
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        context = pw.chromium.launch_persistent_context(
            str(tmp_path_factory.mktemp("chromium-profile")), executable_path=CHROMIUM, args=ARGS,
            headless=True, viewport={"width": 1400, "height": 900})
        yield context
        context.close()


@dataclass
class Loaded:
    page: Any
    errors: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)

    def js(self, code: str, arg: Any = None) -> Any:
        return self.page.evaluate(code, arg)

    def node_id(self, label: str) -> int:
        return self.js("l => kgExplorer.findIds(l).find(i => kgExplorer.info(i).label === l)", label)

    def click_node(self, node: int) -> None:
        """A real mouse click where the node is drawn."""
        x, y = self.js("""id => { const n = kgExplorer.network, p = n.canvasToDOM(n.getPositions([id])[id]);
                             const r = document.getElementById('graph').getBoundingClientRect();
                             return [r.left + p.x, r.top + p.y]; }""", node)
        self.page.mouse.click(x, y)


@pytest.fixture
def open_page(browser):
    pages = []

    def load(html: Path) -> Loaded:
        page = browser.new_page()
        loaded = Loaded(page)
        pages.append(loaded)
        page.on("console", lambda m: m.type == "error" and loaded.errors.append(m.text))
        page.on("pageerror", lambda e: loaded.errors.append(str(e)))
        page.on("dialog", lambda d: (loaded.dialogs.append(d.message), d.dismiss()))

        def route(r) -> None:
            if r.request.url.startswith("file:"):
                r.continue_()
            else:
                loaded.requests.append(r.request.url)
                r.abort()

        page.route("**/*", route)
        page.goto(html.resolve().as_uri())
        page.wait_for_selector("body[data-ready=true]", timeout=60_000)
        return loaded

    yield load
    for loaded in pages:
        assert loaded.requests == [], "the page tried to reach the network"
        loaded.page.close()


@pytest.fixture
def tiny_page(tiny_trig, tmp_path) -> Path:
    return write_html(open_graph(tiny_trig), tmp_path / "tiny.html")


def test_loads_clean_and_draws_every_node(open_page, tiny_trig, tiny_page):
    p = open_page(tiny_page)
    ds = open_graph(tiny_trig)
    said = int(next(iter(ds.query(COUNT_NODES)))[0])
    assert said == len(read_view(ds).nodes) == 11
    assert p.js("kgExplorer.drawnNodeCount()") == said
    assert p.js("kgExplorer.network.physics.options.enabled") is False  # settled, then stopped
    assert p.errors == [] and p.dialogs == [] and p.requests == []
    assert "11 of 11 nodes shown" in p.page.text_content("#status")


def test_search_focuses_and_click_shows_sentence(open_page, tiny_page):
    p = open_page(tiny_page)
    p.page.fill("#search", "ann")
    assert "Ann Other" in p.page.text_content("#suggestions")
    p.page.press("#search", "Enter")
    ann = p.node_id("Ann Other")
    assert p.js("kgExplorer.network.getSelectedNodes()") == [ann]
    assert p.page.text_content("#details h3") == "Ann Other"

    p.page.fill("#search", "Sam Teller")  # move away, then come back with a real click
    p.page.press("#search", "Enter")
    assert p.page.text_content("#details h3") == "Sam Teller"
    p.page.wait_for_timeout(600)  # the focus animation
    p.click_node(ann)
    details = p.page.text_content("#details")
    assert p.page.text_content("#details h3") == "Ann Other"
    assert "Ann Other, the Chair of the Labour Group, summoned me." in details
    assert "Why I went — a.txt" in details and "Chair, Labour Group" in details
    assert p.errors == []


def test_search_by_other_name(open_page, tiny_page):
    p = open_page(tiny_page)
    p.page.fill("#search", "NEC")
    p.page.press("#search", "Enter")
    assert p.page.text_content("#details h3") == "National Executive Committee"


def test_hostile_account_is_text(open_page, tmp_path):
    p = open_page(write_html(to_dataset(hostile_kg()), tmp_path / "hostile.html"))
    p.page.fill("#search", "Eve")
    p.page.press("#search", "Enter")
    details = p.page.locator("#details")
    assert details.locator("h3").text_content() == HOSTILE_NAME
    assert HOSTILE_SENTENCE in details.text_content()
    assert details.locator("img, script, a, i").count() == 0
    assert "<script>alert(5)</script> title" in p.page.text_content("#accounts")
    p.page.wait_for_timeout(600)
    eve = p.node_id(HOSTILE_NAME)
    x, y = p.js("""id => { const n = kgExplorer.network, q = n.canvasToDOM(n.getPositions([id])[id]);
                   const r = document.getElementById('graph').getBoundingClientRect();
                   return [r.left + q.x, r.top + q.y]; }""", eve)
    p.page.mouse.move(x, y)
    p.page.wait_for_selector("div.vis-tooltip", state="visible", timeout=5_000)
    tip = p.page.locator("div.vis-tooltip")
    assert "onerror" in tip.text_content() and tip.locator("img").count() == 0
    assert p.page.locator("body img, body a[href]").count() == 0
    assert p.js("window.__pwned") is None
    assert p.dialogs == [] and p.requests == [] and p.errors == []


def test_filters_hide_and_timeline_focuses(open_page, tiny_page):
    p = open_page(tiny_page)
    p.page.uncheck("#accounts input[value=\"b.txt\"]")
    status = p.page.text_content("#status")
    assert "hidden by filters" in status
    shown = p.js("kgExplorer.visibleNodeCount()")
    assert shown < 11 and p.js("kgExplorer.drawnNodeCount()") == shown
    assert f"{11 - shown} hidden by filters" in status
    p.page.uncheck("#kinds input[value=event]")
    assert p.js("kgExplorer.visibleNodeCount()") < shown

    p.page.click("#timeline button")  # the dated complaint: hidden by both filters, so they widen
    complaint = p.node_id("Complaint: Ann Other, National Executive Committee")
    assert p.js("kgExplorer.network.getSelectedNodes()") == [complaint]
    assert "Filters widened" in p.page.text_content("#status")
    assert "2016-05" in p.page.text_content("#details")
    assert p.page.is_checked("#accounts input[value=\"b.txt\"]")


def test_big_graph_settles_and_stops(open_page, tmp_path):
    kg = big_kg()
    ds = to_dataset(kg)
    n = len(read_view(ds).nodes)
    assert n > 500
    p = open_page(write_html(ds, tmp_path / "big.html"))  # opens on the 150 most connected
    assert 0 < p.js("kgExplorer.drawnNodeCount()") <= 150
    p = open_page(write_html(ds, tmp_path / "all.html", top=0))  # or on everything
    assert p.js("kgExplorer.drawnNodeCount()") == n
    assert p.js("kgExplorer.network.physics.options.enabled") is False
    assert p.errors == []


@pytest.mark.skipif(not HAS_BUILD, reason="`kg build` has not landed yet")
def test_built_corpus_page(open_page, built):
    p = open_page(built / "graph.html")
    ds = open_graph(built / "graph.trig")
    said = int(next(iter(ds.query(COUNT_NODES)))[0])
    assert p.js("kgExplorer.drawnNodeCount()") == len(read_view(ds).nodes) == said
    person = p.js("""(() => { for (let i = 0; ; i++) { const n = kgExplorer.info(i);
                      if (!n) return null; if (n.kind === 'person' && n.facts.some(f => f.kind !== 'mention'))
                      return n.label; } })()""")
    p.page.fill("#search", person)
    p.page.press("#search", "Enter")
    assert p.page.text_content("#details h3") == person
    assert p.page.locator("#details blockquote").count() >= 1
    assert p.errors == [] and p.dialogs == []


def test_confirmed_facts_and_human_merges_are_marked(open_page, tmp_path):
    """#15: a person's `same` and `confirm` show in the details panel as theirs, not the extractor's."""
    from graph.build import build
    from test_judgements import ACCOUNTS

    src = tmp_path / "accounts"
    src.mkdir()
    for name, text in ACCOUNTS.items():
        (src / name).write_text(text, encoding="utf-8")
    (src / "judgements.yaml").write_text("- same: [Harriet, Harriet Quenby]\n"
                                         "- confirm: {person: Harriet Quenby, title: Chair}\n", encoding="utf-8")
    build([src], tmp_path / "out")
    p = open_page(tmp_path / "out" / "graph.html")
    p.page.fill("#search", "Harriet Quenby")
    p.page.press("#search", "Enter")
    assert p.page.text_content("#details .badge.judged") == "merged by a person"
    confirmed = p.page.locator("#details .fact.confirmed")
    assert confirmed.count() >= 1 and "confirmed by a person" in confirmed.first.text_content()
    assert "Chair" in confirmed.first.text_content()
    p.page.fill("#search", "Ada Marlow")
    p.page.press("#search", "Enter")
    assert p.page.locator("#details .badge.judged").count() == 0
    assert p.page.locator("#details .fact.confirmed").count() == 0 and p.errors == []


def test_a_paged_source_shows_its_page(open_page, tiny_kg, tmp_path):
    """A PDF's facts cite their page ("a.txt, p. 2"); a source with no pages cites none."""
    a, b = tiny_kg.accounts
    second = a.text.index("Ann Other")  # page 2 of account a starts at Ann's sentence
    tiny_kg.accounts = [dataclasses.replace(a, pages=(0, second)), b]
    p = open_page(write_html(to_dataset(tiny_kg), tmp_path / "paged.html"))
    p.page.fill("#search", "Ann Other")
    p.page.press("#search", "Enter")
    cites = p.page.locator("#details .fact .cite").all_text_contents()
    assert any(c.startswith("Why I went — a.txt, p. 2 · characters") for c in cites), cites
    assert not any("p. 1" in c for c in cites)
    assert any(c.startswith("A letter — b.txt · characters") for c in cites), cites
    assert p.errors == []

"""The explorer served by kg serve, in a real headless Chromium: it opens small and fetches a
node's neighbourhood from the server when the node is expanded.

Skipped with a reason where Chromium or Playwright is missing, except under CI=true.
"""
from __future__ import annotations

import signal

import httpx
import pytest

from serving import start, write_accounts
from test_browser import COUNT_NODES, browser  # noqa: F401 (fixture: skips, or fails under CI, without Chromium)

pytestmark = pytest.mark.browser

EXTRA = """---
title: The branch meeting
author: Tamsin Okafor
date: 2019-05-02
---
I resigned as Treasurer of the Harrowfield Labour Party. Orlaith Brennick chaired the meeting. Later I joined
the Wexcombe Town Council as a councillor, and Perran Ashdown, the Leader of Wexcombe Town Council, welcomed me.
"""


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    root = tmp_path_factory.mktemp("served")
    accounts = write_accounts(root / "accounts")
    (accounts / "c.txt").write_text(EXTRA, encoding="utf-8")
    srv = start(accounts, root / "out")
    yield srv
    srv.stop(signal.SIGKILL)


def test_the_served_explorer_opens_small_and_expands_from_the_server(browser, served):
    answer = httpx.post(f"{served.url}/sparql", data={"query": COUNT_NODES}).json()
    everything = int(answer["results"]["bindings"][0]["n"]["value"])  # the nodes of the whole view
    fetched: list[str] = []
    elsewhere: list[str] = []
    errors: list[str] = []
    page = browser.new_page()
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("console", lambda m: m.type == "error" and errors.append(m.text))

    def route(r) -> None:
        if r.request.url.startswith(served.url):
            if "/api/expand" in r.request.url:
                fetched.append(r.request.url)
            r.continue_()
        else:
            elsewhere.append(r.request.url)
            r.abort()

    page.route("**/*", route)
    page.goto(f"{served.url}/")
    page.wait_for_selector("body[data-ready=true]", timeout=60_000)
    assert page.get_attribute("body", "data-expand-url") == "/api/expand"
    # the overview counts the whole served graph, not the few nodes the page opened on
    people = httpx.post(f"{served.url}/sparql", data={"query": "SELECT (COUNT(DISTINCT ?p) AS ?n) "
                                                             "WHERE { ?p a foaf:Person }"}).json()
    n_people = int(people["results"]["bindings"][0]["n"]["value"])
    overview = page.inner_text("#details")
    assert f"The served graph: {n_people} people" in overview and "from 3 accounts" in overview
    # the page holds only the opening view (single-actor events are not in it yet)
    assert 2 <= page.evaluate("kgExplorer.network.body.data.nodes.length") < everything
    teller = page.evaluate("kgExplorer.findIds('Tamsin Okafor').find(i => kgExplorer.info(i).label === 'Tamsin Okafor')")
    assert teller is not None
    before = page.evaluate("kgExplorer.network.body.data.nodes.length")
    more = page.evaluate("id => kgExplorer.expand(id)", teller)
    after = page.evaluate("kgExplorer.network.body.data.nodes.length")
    assert fetched and "node=" in fetched[0] and "Okafor" not in fetched[0].split("node=")[0]
    assert after > before and more > 0
    labels = page.evaluate("kgExplorer.shownIds().map(i => kgExplorer.info(i).label)")
    assert "Tamsin Okafor" in labels
    # a node already fetched is not fetched again
    page.evaluate("id => kgExplorer.expand(id)", teller)
    assert len(fetched) == 1
    assert errors == [] and elsewhere == []
    page.close()

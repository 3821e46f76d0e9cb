"""kg stats: counts per type and account, and the most connected entities."""
from __future__ import annotations

import json

import pytest

from graph.cli import main
from graph.stats import central, counts, entity_graph, render_text, stats
from graph.store import open_graph
from graph.view import Node, View, read_view


@pytest.fixture
def ds(tiny_trig):
    return open_graph(tiny_trig)


def test_counts_totals_and_events_by_type(ds):
    info = counts(ds)
    assert info["totals"] == {"people": 3, "bodies": 3, "roles": 2, "events": 3, "accounts": 2}
    assert info["events_by_type"] == {"Complaint": 1, "Meeting": 1, "Resignation": 1}


def test_counts_per_account(ds):
    per = {a["account"]: a for a in counts(ds)["accounts"]}
    assert per["a.txt"]["teller"] == "Sam Teller" and per["a.txt"]["date"] == "2018-02-01"
    assert (per["a.txt"]["people"], per["a.txt"]["roles"], per["a.txt"]["events"]) == (2, 2, 2)
    assert (per["b.txt"]["bodies"], per["b.txt"]["roles"], per["b.txt"]["events"]) == (1, 0, 1)


def test_entity_graph_links_people_and_bodies_only(ds):
    h = entity_graph(read_view(ds))
    labels = {n: d["label"] for n, d in h.nodes(data=True)}
    edges = {frozenset((labels[a], labels[b])) for a, b in h.edges}
    assert frozenset(("Ann Other", "Sam Teller")) in edges           # shared meeting
    assert frozenset(("Ann Other", "Labour Group")) in edges         # role in a body
    assert frozenset(("Labour Group", "Testford Council")) in edges  # part of
    assert all(d["kind"] in ("person", "body") for _, d in h.nodes(data=True))


def test_central_ranks_by_neighbours(ds):
    top = central(read_view(ds), top=2)
    assert [p["label"] for p in top["people"]] == ["Ann Other", "Sam Teller"]
    assert top["people"][0]["neighbours"] == 3
    assert 0 < top["people"][0]["betweenness"] <= 1
    assert len(top["bodies"]) == 2


def test_central_on_tiny_graphs_does_not_divide_by_zero():
    solo = View({"p": Node("p", "person", "Solo", ("Solo",), ())}, ())
    assert central(solo)["people"][0]["neighbours"] == 0


def test_render_text(ds):
    text = render_text(stats(ds, read_view(ds)))
    assert "accounts: 2   people: 3   bodies: 3   roles: 2   events: 3" in text
    assert "Most connected people" in text and "Ann Other" in text


def test_cli_stats_json(runner, tiny_trig):
    result = runner.invoke(main, ["stats", "--json", "--top", "1", "-g", str(tiny_trig)])
    assert result.exit_code == 0
    info = json.loads(result.output)
    assert info["totals"]["events"] == 3
    assert len(info["most_connected"]["people"]) == 1


def test_cli_stats_text_and_help(runner, tiny_trig):
    result = runner.invoke(main, ["stats", "-g", str(tiny_trig)])
    assert result.exit_code == 0 and "Per account" in result.output
    assert "kg stats --top 5" in runner.invoke(main, ["stats", "--help"]).output


def test_cli_stats_bad_graph(runner, tmp_path):
    bad = tmp_path / "x.ttl"
    bad.write_text("nonsense {", encoding="utf-8")
    result = runner.invoke(main, ["stats", "-g", str(bad)])
    assert result.exit_code == 2 and "x.ttl" in result.output


def test_built_stats(runner, built):
    result = runner.invoke(main, ["stats", "--json", "-g", str(built / "graph.trig")])
    assert result.exit_code == 0, result.output
    info = json.loads(result.output)
    assert info["totals"]["accounts"] >= 5
    assert info["totals"]["people"] > 5 and info["totals"]["events"] > 0
    assert sum(info["events_by_type"].values()) == info["totals"]["events"]
    assert info["most_connected"]["people"][0]["neighbours"] >= 1


def test_build_stats_validate_and_page_count_alike(built, tmp_path):
    """One definition of people, bodies, roles held and events (`stats.totals`) for every report."""
    from graph.build import build
    from graph.paths import BUNDLED_ACCOUNTS
    from graph.stats import totals
    from graph.validate import validate_file

    report = build([BUNDLED_ACCOUNTS], tmp_path / "again", cache_dir=built / ".cache")  # from the cache
    ds = open_graph(tmp_path / "again" / "graph.trig")
    view = read_view(ds)
    want = totals(view)
    assert want["roles"] > sum(n.kind == "role" for n in view.nodes.values())  # plain memberships count too
    assert (report.people, report.bodies, report.roles, report.events) == (
        want["people"], want["bodies"], want["roles"], want["events"])
    assert {k: v for k, v in stats(ds, view)["totals"].items() if k != "accounts"} == want
    checked = validate_file(tmp_path / "again" / "graph.trig").counts
    assert (checked["people"], checked["bodies"], checked["memberships"], checked["events"]) == (
        want["people"], want["bodies"], want["roles"], want["events"])
    html = (tmp_path / "again" / "graph.html").read_text(encoding="utf-8")
    page = json.loads(html.split('id="kg-data">', 1)[1].split("</script>", 1)[0])["totals"]
    assert {k: page[k] for k in want} == want
    assert page["accounts"] == stats(ds, view)["totals"]["accounts"]
    assert page["plain"] == want["roles"] - sum(n.kind == "role" for n in view.nodes.values())

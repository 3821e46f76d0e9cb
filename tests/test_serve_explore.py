"""The served explorer's data at scale (graph/serve/explore.py): an opening that stays small
however many roles and events join the people it opens on, and a hub's neighbours a page at a
time, the most told first."""
from __future__ import annotations

import pytest

from graph.errors import KgError
from graph.serve.explore import around, expand_payload, opening
from graph.view import Edge, Node, View


def _hub_view(people: int = 12, events_between: int = 30) -> View:
    """A party with `people` members (person i told by i + 1 accounts) and `events_between`
    events, each with two of the people taking part."""
    nodes = {"body:party": Node("body:party", "body", "The Party", ("The Party",), ("a0.txt",))}
    edges = []
    for i in range(people):
        iri = f"person:{i:02d}"
        nodes[iri] = Node(iri, "person", f"Person {i:02d}", (f"Person {i:02d}",),
                          tuple(f"a{k}.txt" for k in range(i + 1)))
        edges.append(Edge(iri, "body:party", "member_of", ("a0.txt",)))
    for k in range(events_between):
        iri = f"event:{k:02d}"
        told = tuple(f"a{j}.txt" for j in range(k % 4 + 1))
        nodes[iri] = Node(iri, "event", f"Vote {k:02d}", (), told, event_type="Vote")
        for who in (k % people, (k + 1) % people):
            edges.append(Edge(f"person:{who:02d}", iri, "took_part", told))
    return View(dict(sorted(nodes.items())), tuple(edges), {f"a{k}.txt": "" for k in range(people)})


def test_the_opening_keeps_at_most_the_cap_of_roles_and_events():
    view = _hub_view()
    full = opening(view, size=40, joining=1000)
    capped = opening(view, size=40, joining=5)
    events = [n for n in capped.nodes.values() if n.kind == "event"]
    assert sum(n.kind == "event" for n in full.nodes.values()) == 30
    assert len(events) == 5
    # the most told first (each joins two of the people opened on)
    assert {len(n.accounts) for n in events} == {4}
    assert all(n.kind != "event" for n in capped.nodes.values() if n.iri not in {e.iri for e in events})
    assert all(e.source in capped.nodes and e.target in capped.nodes for e in capped.edges)


def test_a_hub_comes_a_page_at_a_time_most_told_first():
    view = _hub_view()
    first = around(view, "body:party", 0, 5)
    assert first.total == 12 and first.next == 5
    people = [n for n in first.view.nodes.values() if n.kind == "person"]
    assert sorted(n.label for n in people) == [f"Person {i:02d}" for i in range(11, 6, -1)][::-1]
    assert first.view.focus == ("body:party",)
    assert {(e.source, e.target) for e in first.view.edges} == {(n.iri, "body:party") for n in people}
    second = around(view, "body:party", 5, 5)
    last = around(view, "body:party", 10, 5)
    assert second.next == 10 and last.next is None
    seen = [set(p.view.nodes) - {"body:party"} for p in (first, second, last)]
    assert not (seen[0] & seen[1]) and not (seen[1] & seen[2])
    assert set().union(*seen) == {f"person:{i:02d}" for i in range(12)}
    assert around(view, "body:party", 12, 5).view.nodes.keys() == {"body:party"}


def test_the_payload_says_how_many_neighbours_and_where_the_next_page_starts():
    data = expand_payload(_hub_view(), "body:party", 0, 5)
    assert data["neighbours"] == {"total": 12, "next": 5}
    assert len(data["nodes"]["iri"]) == 6
    assert expand_payload(_hub_view(), "person:00")["neighbours"]["next"] is None


@pytest.mark.parametrize("offset, limit", [(-1, 5), (0, 0)])
def test_a_page_out_of_range_is_refused(offset, limit):
    with pytest.raises(KgError, match="offset must be 0 or more"):
        around(_hub_view(), "body:party", offset, limit)
    with pytest.raises(KgError, match="no node"):
        around(_hub_view(), "body:none")


def test_a_served_page_counts_the_whole_graph_not_its_opening():
    import json

    from graph.render import render_html
    from graph.stats import totals

    view = _hub_view()
    start = opening(view, size=2, joining=1)
    assert len(start.nodes) < len(view.nodes)
    html = render_html(start, top=0, expand_url="/api/expand", whole=view)
    data = json.loads(html.split('id="kg-data">', 1)[1].split("</script>", 1)[0])
    assert {k: data["totals"][k] for k in totals(view)} == totals(view) == {
        "people": 12, "bodies": 1, "roles": 12, "events": 30}
    assert data["totals"]["plain"] == 12 and data["totals"]["accounts"] == 12
    assert data["total"] == len(view.nodes)
    # a page that is not served counts what it holds
    alone = json.loads(render_html(start, top=0).split('id="kg-data">', 1)[1].split("</script>", 1)[0])
    assert alone["totals"]["people"] == sum(n.kind == "person" for n in start.nodes.values()) < 12

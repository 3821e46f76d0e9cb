"""kg export --network people: people linked by shared events, bodies and sentences, weighted; nothing else linked."""
from __future__ import annotations

import networkx as nx
import pytest

from graph.cli import main
from graph.export import export
from graph.exporters.network import people_network
from graph.model import Account, Evidence, EventFact, KnowledgeGraph, Node, RoleFact
from graph.rdf import to_dataset
from graph.view import read_view

TEXT = ("Alma Fenwick chaired the group and Bruno Okafor kept its accounts. "       # s1: Alma, Bruno
        "Alma Fenwick met Cora Lindqvist at the council. "                          # s2: Alma, Cora
        "Later Alma Fenwick and Cora Lindqvist both resigned. "                     # s3: Alma, Cora
        "Alma Fenwick resigned again. "                                             # s4: Alma alone
        "Bruno Okafor wrote to Dev Marsh. "                                         # s5: Bruno, Dev
        "Esme Thorn is the forum secretary and Dev Marsh a member of it.")          # s6: Esme, Dev
SENTENCES = [s + "." for s in TEXT.split(". ")]
SENTENCES[-1] = SENTENCES[-1][:-1]


def _ev(i: int) -> Evidence:
    start = TEXT.index(SENTENCES[i])
    return Evidence("acc", start, start + len(SENTENCES[i]), SENTENCES[i], 0.9)


def _person(key: str, name: str, *mentions: int) -> Node:
    return Node(key, "person", name, {name}, {"acc": {name}}, [_ev(i) for i in mentions])


def _body(key: str, name: str, parent: str | None = None) -> Node:
    return Node(key, "body", name, {name}, {"acc": {name}}, [], parent=parent)


@pytest.fixture
def invented() -> KnowledgeGraph:
    """Five invented people; who shares what is written beside each fact."""
    nodes = {n.id: n for n in (
        _person("alma", "Alma Fenwick", 0, 1, 2, 3),
        _person("bruno", "Bruno Okafor", 0, 4),
        _person("cora", "Cora Lindqvist"),          # named in s2 and s3, but no mention evidence kept
        _person("dev", "Dev Marsh", 4, 5),
        _person("esme", "Esme Thorn"),
        _body("council", "Testford Council"),
        _body("group", "Labour Group", parent="council"),
        _body("forum", "Local Campaign Forum"),
    )}
    roles = [
        RoleFact("alma", "Chair", "group", _ev(0)),           # alma + bruno: the same body
        RoleFact("bruno", "Treasurer", "group", _ev(0)),
        RoleFact("cora", "Leader", "council", _ev(1)),        # the group is part of the council: not the same body
        RoleFact("esme", "Secretary", "forum", _ev(5)),       # esme + dev: a role and a plain membership
        RoleFact("dev", "Member", "forum", _ev(5)),
        RoleFact("alma", "Councillor", None, _ev(3)),         # a role in no body links no one
    ]
    events = [
        EventFact("Meeting", ["alma", "cora", "council"], "met", _ev(1)),   # alma + cora: two events
        EventFact("Resignation", ["alma", "cora"], "resigned", _ev(2)),
        EventFact("Resignation", ["alma"], "resigned", _ev(3)),             # alone: links no one
    ]
    return KnowledgeGraph([Account("acc", "acc.txt", "Invented", TEXT)], nodes, roles, events)


def _network(kg: KnowledgeGraph) -> nx.Graph:
    g = people_network(read_view(to_dataset(kg)))
    return nx.relabel_nodes(g, {n: g.nodes[n]["label"].split()[0].lower() for n in g})


def test_weights_count_each_reason(invented):
    g = _network(invented)
    assert set(g.nodes) == {"alma", "bruno", "cora", "dev", "esme"}  # bodies, roles, events are not nodes
    ac = g.edges["alma", "cora"]
    assert (ac["events"], ac["bodies"], ac["sentences"], ac["weight"]) == (2, 0, 0, 2)
    assert ac["via"] == "events"
    ab = g.edges["alma", "bruno"]
    assert (ab["events"], ab["bodies"], ab["sentences"], ab["weight"]) == (0, 1, 1, 2)  # the group; s1
    assert ab["via"] == "bodies, sentences"
    assert g.edges["bruno", "dev"]["sentences"] == 1 and g.edges["bruno", "dev"]["weight"] == 1
    assert g.edges["esme", "dev"]["bodies"] == 1  # the secretary and a plain member of the same forum


def test_what_is_not_an_edge(invented):
    g = _network(invented)
    assert set(map(frozenset, g.edges)) == {frozenset(p) for p in (
        ("alma", "cora"), ("alma", "bruno"), ("bruno", "dev"), ("esme", "dev"))}
    assert not g.has_edge("cora", "bruno")  # a body and the body it is part of are not the same body
    assert not g.has_edge("alma", "dev")    # the same account, never the same sentence, event or body
    assert not any(a == b for a, b in g.edges)  # an event with one person links no one to themselves
    assert g.degree("esme") == 1


def test_formats_write_and_read_back(invented, tmp_path):
    ds = to_dataset(invented)
    for fmt, reader in (("graphml", nx.read_graphml), ("gexf", nx.read_gexf)):
        path = tmp_path / f"people.{fmt}"
        path.write_text(export(ds, fmt, "people")[""], encoding="utf-8")
        back = reader(path)
        assert back.number_of_nodes() == 5 and back.number_of_edges() == 4 and not back.is_directed()
        assert sorted(w for _, _, w in back.edges(data="weight")) == [1, 1, 2, 2], fmt
    assert export(ds, "gexf", "people") == export(to_dataset(invented), "gexf", "people")  # byte-stable
    assert export(ds, "graphml") != export(ds, "graphml", "people")  # the full view is still the default


def test_cli_network_option(runner, invented, tmp_path):
    graph = tmp_path / "g.trig"
    graph.write_text(to_dataset(invented).serialize(format="trig"), encoding="utf-8")
    out = tmp_path / "people.gexf"
    result = runner.invoke(main, ["export", "--format", "gexf", "--network", "people", "-o", str(out),
                                  "-g", str(graph)])
    assert result.exit_code == 0, result.output
    assert nx.read_gexf(out).number_of_edges() == 4
    refused = runner.invoke(main, ["export", "--format", "turtle", "--network", "people", "-g", str(graph)])
    assert refused.exit_code == 2 and "graphml, gexf" in refused.output

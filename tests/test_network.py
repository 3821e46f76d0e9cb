"""The networkx view: read from RDF alone, every fact traceable, GraphML-friendly."""
from __future__ import annotations

import json
import subprocess
import sys

import networkx as nx
from rdflib import Graph

from graph.network import EDGE_LABELS, KINDS, to_networkx
from graph.rdf import to_dataset
from graph.store import open_graph


def _by_label(g: nx.MultiDiGraph, label: str) -> str:
    return next(n for n, d in g.nodes(data=True) if d["label"] == label)


def test_nodes_of_every_kind(tiny_trig):
    g = to_networkx(open_graph(tiny_trig))
    kinds = {d["kind"] for _, d in g.nodes(data=True)}
    assert kinds == set(KINDS)
    people = sorted(d["label"] for _, d in g.nodes(data=True) if d["kind"] == "person")
    assert people == ["Ann Other", "Author of A letter", "Sam Teller"]
    # one node per membership: two memberships, two role nodes
    assert sorted(d["label"] for _, d in g.nodes(data=True) if d["kind"] == "role") == ["Chair", "Leader"]
    assert sum(d["kind"] == "event" for _, d in g.nodes(data=True)) == 3


def test_edges_say_what_they_mean(tiny_trig):
    g = to_networkx(open_graph(tiny_trig))
    ann, chair = _by_label(g, "Ann Other"), _by_label(g, "Chair")
    group, council = _by_label(g, "Labour Group"), _by_label(g, "Testford Council")
    assert g.edges[ann, chair, "holds_role"]["label"] == "holds role"
    assert g.edges[chair, group, "in_body"]["label"] == "in body"
    assert g.edges[group, council, "part_of"]["label"] == "part of"
    assert {d["label"] for *_, d in g.edges(data=True)} <= set(EDGE_LABELS.values())
    complaint = _by_label(g, "Complaint: Ann Other, National Executive Committee")
    assert g.has_edge(ann, complaint, "took_part")


def test_facts_keep_account_and_sentence(tiny_trig):
    g = to_networkx(open_graph(tiny_trig))
    ann = g.nodes[_by_label(g, "Ann Other")]
    assert ann["accounts"] == ["a.txt", "b.txt"]
    role = next(f for f in ann["facts"] if f["kind"] == "role")
    assert role == {"kind": "role", "text": "Chair, Labour Group", "account": "a.txt",
                    "account_title": "Why I went",
                    "sentence": "Ann Other, the Chair of the Labour Group, summoned me.",
                    "start": 42, "end": 96, "confidence": 0.8, "date": ""}
    complaint = g.nodes[_by_label(g, "Complaint: Ann Other, National Executive Committee")]
    assert complaint["date"] == "2016-05" and complaint["event_type"] == "Complaint"
    assert "<script>" in complaint["facts"][0]["sentence"]  # stored as text; escaping is render's job
    nec = g.nodes[_by_label(g, "National Executive Committee")]
    assert nec["names"] == ["National Executive Committee", "NEC"]
    teller = g.nodes[_by_label(g, "Author of A letter")]
    assert teller["narrator_of"] == ["b.txt"]


def test_same_view_from_named_graphs_and_from_a_plain_union(tiny_kg, tmp_path):
    ds = to_dataset(tiny_kg)
    union = Graph()
    for s, p, o, _ in ds.quads((None, None, None, None)):
        union.add((s, p, o))
    ttl = tmp_path / "tiny.ttl"
    ttl.write_text(union.serialize(format="turtle"), encoding="utf-8")
    a, b, c = to_networkx(ds), to_networkx(open_graph(ttl)), to_networkx(union)
    assert list(a.nodes(data=True)) == list(b.nodes(data=True)) == list(c.nodes(data=True))
    assert list(a.edges(keys=True)) == list(b.edges(keys=True)) == list(c.edges(keys=True))


def test_graphml_after_json_encoding_lists(tiny_trig, tmp_path):
    g = to_networkx(open_graph(tiny_trig))
    for _, d in [*g.nodes(data=True), *((None, d) for *_, d in g.edges(data=True))]:
        for key, value in list(d.items()):
            assert isinstance(value, (str, int, float, list)), (key, value)
            if isinstance(value, list):
                d[key] = json.dumps(value)
    nx.write_graphml(g, tmp_path / "g.graphml")
    assert nx.read_graphml(tmp_path / "g.graphml").number_of_nodes() == g.number_of_nodes()


def test_deterministic(tiny_trig):
    a, b = to_networkx(open_graph(tiny_trig)), to_networkx(open_graph(tiny_trig))
    assert list(a.nodes(data=True)) == list(b.nodes(data=True))
    assert list(a.edges(keys=True, data=True)) == list(b.edges(keys=True, data=True))


def test_never_imports_spacy(tiny_trig):
    code = ("import sys; from graph.network import to_networkx; from graph.store import open_graph; "
            f"to_networkx(open_graph({str(tiny_trig)!r})); assert 'spacy' not in sys.modules")
    subprocess.run([sys.executable, "-c", code], check=True, capture_output=True)


def test_graph_filled_as_networkx_methods_would(tiny_trig):
    """The builder fills networkx's dicts directly: the same graph its public methods make from the same calls."""
    from graph.network import _Builder

    built, public = _Builder([]), nx.MultiDiGraph()
    nodes = [("b", "body"), ("p2", "person"), ("p1", "person"), ("r", "role"), ("p2", "person")]  # p2 added again
    edges = [("p1", "r", "holds_role", ["y"]), ("p2", "b", "member_of", ["x"]), ("r", "b", "in_body", []),
             ("p1", "b", "member_of", ["z"]), ("p2", "b", "took_part", []), ("p2", "b", "member_of", ["a", "x"]),
             ("b", "b", "part_of", []), ("p1", "nobody", "took_part", [])]
    for iri, kind in nodes:
        built.add_node(iri, kind, iri.upper(), set(), [])
    for a, b, kind, accounts in edges:
        built.add_edge(a, b, kind, accounts)
    direct = built._graph()
    for iri, _ in nodes:
        public.add_node(iri, **direct.nodes[iri])
    for a, b, kind, accounts in edges:
        if a in public and b in public:
            merged = sorted(set(public[a][b][kind]["accounts"]) | set(accounts)) if public.has_edge(a, b, kind) else accounts
            public.add_edge(a, b, kind, kind=kind, label=EDGE_LABELS[kind], accounts=merged)
    assert list(direct.nodes(data=True)) == list(public.nodes(data=True))
    for view in ("edges", "in_edges", "out_edges"):
        assert list(getattr(direct, view)(keys=True, data=True)) == list(getattr(public, view)(keys=True, data=True))
    assert [*direct.adjacency()] == [*public.adjacency()] and list(direct.pred.items()) == list(public.pred.items())
    assert nx.utils.graphs_equal(direct, public) and direct.number_of_edges() == 6
    assert dict(direct.degree) == dict(public.degree) == {n: d["degree"] for n, d in direct.nodes(data=True)}
    g = to_networkx(open_graph(tiny_trig))
    assert g.number_of_edges() == len(list(g.edges)) and all(g.has_edge(u, v, k) for u, v, k in g.edges)
    copy = g.copy()
    assert nx.utils.graphs_equal(copy, g) and list(copy.edges(keys=True)) == list(g.edges(keys=True))

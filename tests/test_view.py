"""The view: typed records read from RDF alone, every fact traceable, its meaning in fields."""
from __future__ import annotations

import subprocess
import sys

from rdflib import Graph

from graph.model import Account, Evidence, KnowledgeGraph, Node as KgNode, RoleFact
from graph.rdf import to_dataset
from graph.show import describe, find
from graph.store import open_graph
from graph.view import EDGE_LABELS, KINDS, Fact, Source, View, read_view


def _by_label(view: View, label: str) -> str:
    return next(n.iri for n in view.nodes.values() if n.label == label)


def test_nodes_of_every_kind(tiny_trig):
    view = read_view(open_graph(tiny_trig))
    assert {n.kind for n in view.nodes.values()} == set(KINDS)
    people = sorted(n.label for n in view.nodes.values() if n.kind == "person")
    assert people == ["Ann Other", "Author of A letter", "Sam Teller"]
    # one node per membership: two memberships, two role nodes
    assert sorted(n.label for n in view.nodes.values() if n.kind == "role") == ["Chair", "Leader"]
    assert sum(n.kind == "event" for n in view.nodes.values()) == 3


def test_edges_say_what_they_mean(tiny_trig):
    view = read_view(open_graph(tiny_trig))
    ann, chair = _by_label(view, "Ann Other"), _by_label(view, "Chair")
    group, council = _by_label(view, "Labour Group"), _by_label(view, "Testford Council")
    edges = {(e.source, e.target, e.kind): e for e in view.edges}
    assert edges[ann, chair, "holds_role"].label == "holds role"
    assert edges[chair, group, "in_body"].label == "in body"
    assert edges[group, council, "part_of"].label == "part of"
    assert {e.label for e in view.edges} <= set(EDGE_LABELS.values())
    complaint = _by_label(view, "Complaint: Ann Other, National Executive Committee")
    assert (ann, complaint, "took_part") in edges
    assert view.graph().has_edge(ann, complaint, "took_part")
    assert view.degree(ann) == len(view.out_edges(ann)) + len(view.in_edges(ann)) == 3


def test_facts_keep_account_sentence_and_meaning(tiny_trig):
    view = read_view(open_graph(tiny_trig))
    ann = view.nodes[_by_label(view, "Ann Other")]
    assert ann.accounts == ("a.txt", "b.txt")
    role = next(f for f in ann.facts if f.kind == "role")
    assert role.source == Source("a.txt", "Why I went", "Ann Other, the Chair of the Labour Group, summoned me.",
                                 42, 96)
    assert (role.holder, role.title, role.body, role.confidence) == ("Ann Other", "Chair", "Labour Group", 0.8)
    complaint = view.nodes[_by_label(view, "Complaint: Ann Other, National Executive Committee")]
    assert (complaint.date, complaint.event_type) == ("2016-05", "Complaint")
    assert sorted(view.nodes[a].label for a in complaint.actors) == ["Ann Other", "National Executive Committee"]
    event = complaint.facts[0]
    assert (event.event_type, event.actors, event.date) == (
        "Complaint", ("Ann Other", "National Executive Committee"), "2016-05")
    assert event in ann.facts  # the same record on each actor
    assert "<script>" in event.source.sentence  # stored as text; escaping is the page's job
    nec = view.nodes[_by_label(view, "National Executive Committee")]
    assert nec.names == ("National Executive Committee", "NEC")
    assert view.nodes[_by_label(view, "Author of A letter")].narrator_of == ("b.txt",)
    assert view.accounts == {"a.txt": "Why I went", "b.txt": "A letter"}


def _member_of(*bodies: tuple[str, str]) -> KnowledgeGraph:
    """Ann, a plain member of each (body id, body name), each said in a sentence of its own."""
    sentences = [f"Ann Smith is a member of {name}." for _, name in bodies]
    text = " ".join(sentences)

    def ev(sentence: str) -> Evidence:
        start = text.index(sentence)
        return Evidence("m", start, start + len(sentence), sentence, 0.7)

    nodes = {"ann": KgNode("ann", "person", "Ann Smith", {"Ann Smith"}, {"m": {"Ann Smith"}}, [])}
    for (key, name), s in zip(bodies, sentences):
        nodes[key] = KgNode(key, "body", name, {name}, {"m": {name}}, [ev(s)])
    roles = [RoleFact("ann", "Member", key, ev(s)) for (key, _), s in zip(bodies, sentences)]
    return KnowledgeGraph([Account("m", "m.txt", "Members", text)], nodes, roles, [])


def test_a_body_named_like_the_end_of_another_keeps_its_own_facts():
    """A plain membership of "Wales" is not one of "Department of Health, Wales" (once matched by its text's end)."""
    view = read_view(to_dataset(_member_of(("wales", "Wales"), ("doh", "Department of Health, Wales"))))
    info = describe(view, find(view, "Ann Smith").node)
    said = {r["body"]: [f["sentence"] for f in r["facts"]] for r in info["roles"]}
    assert said == {"Wales": ["Ann Smith is a member of Wales."],
                    "Department of Health, Wales": ["Ann Smith is a member of Department of Health, Wales."]}
    wales = describe(view, find(view, "Wales", kind="body").node)
    assert [f["sentence"] for r in wales["roles"] for f in r["facts"]] == ["Ann Smith is a member of Wales."]
    edge = next(e for e in view.edges if e.kind == "member_of" and view.nodes[e.target].label == "Wales")
    assert [(f.title, f.body) for f in edge.facts] == [("Member", "Wales")]


def test_same_view_from_named_graphs_and_from_a_plain_union(tiny_kg, tmp_path):
    ds = to_dataset(tiny_kg)
    union = Graph()
    for s, p, o, _ in ds.quads((None, None, None, None)):
        union.add((s, p, o))
    ttl = tmp_path / "tiny.ttl"
    ttl.write_text(union.serialize(format="turtle"), encoding="utf-8")
    a, b, c = read_view(ds), read_view(open_graph(ttl)), read_view(union)
    assert a.nodes == b.nodes == c.nodes and a.edges == b.edges == c.edges


def test_a_builds_own_statements_give_the_same_view(tiny_kg):
    from graph import quads

    assert read_view(quads.graphs(tiny_kg)) == read_view(to_dataset(tiny_kg))


def test_records_are_frozen_and_facts_flatten(tiny_trig):
    view = read_view(open_graph(tiny_trig))
    fact = next(f for n in view.nodes.values() for f in n.facts if f.kind == "role")
    assert isinstance(fact, Fact) and hash(fact) == hash(fact)
    record = fact.record()
    assert record["title"] and record["sentence"] == fact.source.sentence and isinstance(record["actors"], list)
    try:
        fact.title = "x"  # type: ignore[misc]
    except AttributeError:
        pass
    else:
        raise AssertionError("a fact can be changed")


def test_deterministic(tiny_trig):
    a, b = read_view(open_graph(tiny_trig)), read_view(open_graph(tiny_trig))
    assert list(a.nodes.items()) == list(b.nodes.items()) and a.edges == b.edges


def test_never_imports_spacy(tiny_trig):
    code = ("import sys; from graph.view import read_view; from graph.store import open_graph; "
            f"read_view(open_graph({str(tiny_trig)!r})); assert 'spacy' not in sys.modules")
    subprocess.run([sys.executable, "-c", code], check=True, capture_output=True)

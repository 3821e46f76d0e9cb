"""Judgements (#15): a person's corrections, kept in a file and applied at merge on every build.

The accounts are invented here. Automatic merging joins the lone "Quenby" of
two.txt to the "Harriet Quenby" of one.txt (the one full name with that
surname) and the spellings "Tobias Wrenfield" / "Tobias Wrenfeld"; "Harriet"
of four.txt stays a node of its own (a lone first name joins only within its
account). Each test says what must and what must not be found.
"""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from rdflib import Dataset, URIRef

from graph import build as build_module
from graph.build import build
from graph.errors import KgError
from graph.judgements import Judgement, append, load
from graph.show import find
from graph.store import open_graph
from graph.view import View, read_view
from graph.vocab import KG, PROV

ACCOUNTS = {
    "one.txt": "Harriet Quenby was elected Chair of the Dunmore Labour Party in March. "
               "I worked with Harriet Quenby for years.\n"
               "Tobias Wrenfield, the Treasurer of the Dunmore Labour Party, resigned in April.\n"
               "Kelsham said the meeting was a disgrace.\n",
    "two.txt": "Quenby told the meeting that the branch had lost members. "
               "Mr Quenby later resigned as Secretary of the branch.\n"
               "Tobias Wrenfeld spoke against the motion. "
               "Councillor Ada Marlow, the Leader of Brackley Council, agreed with him.\n",
    "three.txt": "Ada Marlow resigned as Leader of Brackley Council in May. "
                 "Tobias Wrenfield was appointed Treasurer of the Dunmore Labour Party.\n",
    "four.txt": "I met Harriet at the branch meeting. "
                "Harriet said that the vote was lost and that she would stand again.\n",
}
BASE = "https://w3id.org/kg-politics/id/"
JUDGEMENTS_GRAPH = URIRef(BASE + "judgements")


@pytest.fixture
def corpus(tmp_path) -> Path:
    src = tmp_path / "accounts"
    src.mkdir()
    for name, text in ACCOUNTS.items():
        (src / name).write_text(text, encoding="utf-8")
    return src


def _build(corpus: Path, entries: str | None, out: Path | None = None, **kw):
    """Build `corpus` with `entries` as its judgements.yaml (None: no file); the report and the view."""
    file = corpus / "judgements.yaml"
    if entries is None:
        file.unlink(missing_ok=True)
    else:
        file.write_text(entries, encoding="utf-8")
    out = out or corpus.parent / "out"
    report = build([corpus], out, html=False, cache_dir=corpus.parent / "cache", **kw)
    return report, read_view(open_graph(out / "graph.trig"))


def _people(view: View) -> dict[str, tuple[str, ...]]:
    """label -> accounts, of every person."""
    return {n.label: n.accounts for n in view.nodes.values() if n.kind == "person"}


def _roles(view: View) -> set[tuple[str, str]]:
    return {(f.holder, f.title) for n in view.nodes.values() if n.kind == "role" for f in n.facts}


def _judgement_triples(out: Path) -> set[tuple]:
    ds = Dataset()
    ds.parse(out / "graph.trig", format="trig")
    return set(ds.graph(JUDGEMENTS_GRAPH).triples((None, None, None)))


def test_without_judgements_automatic_merging_joins_what_the_tests_split(corpus):
    report, view = _build(corpus, None)
    people = _people(view)
    assert people["Harriet Quenby"] == ("one.txt", "two.txt")
    assert people["Tobias Wrenfield"] == ("one.txt", "three.txt", "two.txt")
    assert "Kelsham" in people and "Quenby" not in people
    assert report.judgements is None and report.warnings == []


def test_different_splits_a_node_merging_had_joined_each_part_keeps_its_own(corpus):
    _report, view = _build(corpus, "- different: [Quenby, Harriet Quenby]\n")
    people = _people(view)
    assert people["Harriet Quenby"] == ("one.txt",)
    assert people["Quenby"] == ("two.txt",)
    harriet = view.nodes[find(view, "Harriet Quenby").node]
    quenby = view.nodes[find(view, "Quenby").node]
    assert {f.source.account for f in harriet.facts} == {"one.txt"}
    assert {f.source.account for f in quenby.facts} == {"two.txt"}
    assert ("Harriet Quenby", "Chair") in _roles(view)
    assert "Quenby" not in harriet.names and "Harriet Quenby" not in quenby.names


def test_different_is_a_constraint_a_later_same_may_not_cross(corpus):
    report, view = _build(corpus, "- different: [Quenby, Harriet Quenby]\n- same: [Quenby, Harriet Quenby]\n")
    assert [o.status for o in report.judged] == ["applied", "conflict"]
    assert "Quenby" in _people(view)
    assert any("conflict" in line and "entry 1" in line for line in report.warnings)


def test_split_by_account_one_node_per_account_with_its_own_facts(corpus):
    _report, view = _build(corpus, "- split: Tobias Wrenfield\n  by: account\n")
    tobias = sorted(n.accounts for n in view.nodes.values() if n.kind == "person" and "Tobias" in n.label)
    assert tobias == [("one.txt",), ("three.txt",), ("two.txt",)]
    treasurers = [n for n in view.nodes.values() if n.kind == "role" and n.title == "Treasurer"]
    assert sorted(n.accounts for n in treasurers) == [("one.txt",), ("three.txt",)]


def test_same_joins_nodes_merging_kept_apart_and_marks_them(corpus):
    report, view = _build(corpus, "- same: [Harriet, Harriet Quenby]\n  who: tester\n")
    people = _people(view)
    assert people["Harriet Quenby"] == ("four.txt", "one.txt", "two.txt")
    assert not [label for label in people if label == "Harriet"]
    triples = _judgement_triples(corpus.parent / "out")
    merged = [(s, o) for s, p, o in triples if p == KG.mergedBy]
    assert merged == [(URIRef(BASE + "person/harriet-quenby"), merged[0][1])]
    assert (merged[0][1], PROV.wasAssociatedWith, URIRef(BASE + "agent/tester")) in triples
    assert report.judged[0].status == "applied"


def test_not_drops_a_place_and_retypes_a_body(corpus):
    _report, view = _build(corpus, "- not: Kelsham\n  kind: place\n")
    assert "Kelsham" not in _people(view)
    with pytest.raises(KgError):
        find(view, "Kelsham")
    _report, view = _build(corpus, "- not: Kelsham\n  kind: body\n")
    kelsham = view.nodes[find(view, "Kelsham").node]
    assert kelsham.kind == "body" and kelsham.iri == BASE + "body/kelsham--one"
    assert "Kelsham" not in _people(view)


def test_rename_relabels_keeps_the_old_name_and_the_iri(corpus):
    _report, before = _build(corpus, None)
    iri = find(before, "Ada Marlow").node
    _report, view = _build(corpus, "- rename: Ada Marlow\n  to: Ada J. Marlow\n")
    node = view.nodes[iri]
    assert node.label == "Ada J. Marlow" and "Ada Marlow" in node.names
    assert ("Ada J. Marlow", "Leader") in _roles(view) and ("Ada Marlow", "Leader") not in _roles(view)


def test_reject_by_mapping_and_by_iri_removes_only_that_fact(corpus):
    _report, before = _build(corpus, None)
    assert {("Ada Marlow", "Councillor"), ("Ada Marlow", "Leader")} <= _roles(before)
    _report, view = _build(corpus, "- reject: {person: Ada Marlow, title: Councillor}\n")
    assert ("Ada Marlow", "Councillor") not in _roles(view)
    assert ("Ada Marlow", "Leader") in _roles(view)
    chair = next(n.iri for n in before.nodes.values() if n.kind == "role" and n.title == "Chair")
    _report, view = _build(corpus, f"- reject: {chair}\n")
    assert ("Harriet Quenby", "Chair") not in _roles(view) and chair not in view.nodes
    assert (URIRef(next(iter(_judgement_triples(corpus.parent / "out")))[0]), PROV.invalidated,
            URIRef(chair)) in _judgement_triples(corpus.parent / "out")


def test_confirm_links_the_fact_to_a_prov_activity_in_its_own_graph(corpus):
    _report, view = _build(corpus, "- confirm: {person: Harriet Quenby, title: Chair, account: one.txt}\n"
                                   "  who: tester\n  when: 2026-12-01T10:00:00Z\n  why: her own words\n")
    chair = next(n.iri for n in view.nodes.values() if n.kind == "role" and n.title == "Chair")
    triples = _judgement_triples(corpus.parent / "out")
    confirmed = [(s, o) for s, p, o in triples if p == KG.confirmedBy]
    assert [s for s, _o in confirmed] == [URIRef(chair)]
    activity = confirmed[0][1]
    assert (activity, PROV.endedAtTime, None) in {(s, p, None) for s, p, _o in triples}
    assert any(p == URIRef("http://www.w3.org/1999/02/22-rdf-syntax-ns#type") and o == PROV.Activity
               for s, p, o in triples if s == activity)
    assert ("Harriet Quenby", "Chair") in _roles(view)
    ds = Dataset()
    ds.parse(corpus.parent / "out" / "graph.trig", format="trig")
    in_accounts = [g for g in ds.graphs() if g.identifier != JUDGEMENTS_GRAPH
                   and (None, KG.confirmedBy, None) in g]
    assert in_accounts == []


def test_a_stale_judgement_is_reported_never_dropped(corpus):
    report, _view = _build(corpus, "- same: [Nobody Invented, Harriet Quenby]\n- not: Nowhere Either\n  kind: place\n")
    assert [o.status for o in report.judged] == ["stale", "stale"]
    assert len(report.warnings) == 2 and "Nowhere Either" in report.warnings[1]
    record = json.loads((corpus.parent / "out" / "judgements.json").read_text())
    assert [e["status"] for e in record["judgements"]] == ["stale", "stale"]


def test_judgements_survive_a_rebuild_that_parses_nothing(corpus, monkeypatch):
    entries = "- different: [Quenby, Harriet Quenby]\n- rename: Ada Marlow\n  to: Ada J. Marlow\n"
    first, view1 = _build(corpus, entries)
    assert first.extracted == 4

    def no_parser(*args, **kwargs):
        raise AssertionError("a judgement made the build parse an account")

    monkeypatch.setattr(build_module, "Extractor", no_parser)
    second, view2 = _build(corpus, entries)
    assert second.extracted == 0 and view1 == view2
    third, view3 = _build(corpus, entries + "- not: Kelsham\n  kind: junk\n")  # a changed file only
    assert third.extracted == 0
    assert "Kelsham" in _people(view2) and "Kelsham" not in _people(view3)
    assert {"Quenby", "Ada J. Marlow"} <= set(_people(view3))


def test_the_same_judgements_give_byte_identical_output(corpus, tmp_path):
    entries = "- split: Tobias Wrenfield\n- confirm: {person: Ada Marlow, title: Leader}\n"
    _build(corpus, entries, tmp_path / "a")
    _build(corpus, entries, tmp_path / "b")
    for name in ("graph.trig", "judgements.json"):
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes()


def test_an_explicit_judgements_file_is_used_and_a_missing_one_is_an_error(corpus, tmp_path):
    elsewhere = tmp_path / "mine.yaml"
    elsewhere.write_text("- not: Kelsham\n  kind: junk\n", encoding="utf-8")
    _report, view = _build(corpus, None, judgements=elsewhere)
    assert "Kelsham" not in _people(view)
    with pytest.raises(KgError, match="no such judgements file"):
        _build(corpus, None, judgements=tmp_path / "absent.yaml")


@pytest.mark.parametrize("text, problem", [
    ("- same: [Only One]\n", "entry 1: same takes a list of two names or more"),
    ("- not: Kelsham\n", "entry 1: not takes kind"),
    ("- rename: A\n  to: B\n- same: [A, B]\n  colour: red\n", "entry 2: same takes no field 'colour'"),
    ("- same: [yes, no]\n", "entry 1: a name must be text"),
    ("- reject: {person: A}\n", "entry 1: a fact is an IRI, or a mapping"),
    ("- same: [A, B]\n  rename: C\n", "entry 1: an entry has exactly one of"),
    ("same: [A, B]\n", "a YAML list of entries"),
])
def test_a_malformed_entry_names_the_file_and_the_entry(tmp_path, text, problem):
    path = tmp_path / "judgements.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(KgError) as caught:
        load(path)
    assert str(path) in caught.value.message and problem in caught.value.message


def test_an_ambiguous_name_is_an_error_naming_the_candidates(corpus):
    with pytest.raises(KgError) as caught:
        _build(corpus, "- split: Tobias Wrenfield\n- rename: Tobias Wrenfield\n  to: X\n")
    message = caught.value.message
    assert "entry 2" in message and "could mean" in message and message.count("Tobias Wrenfield (person") == 2


def test_append_keeps_comments_and_entries(tmp_path):
    path = tmp_path / "judgements.yaml"
    path.write_text("# mine, keep me\n- same: [A, B]  # and me\n", encoding="utf-8")
    append(path, [Judgement(0, "not", names=("C: D",), is_kind="place", who="tester")])
    text = path.read_text(encoding="utf-8")
    assert text.startswith("# mine, keep me\n- same: [A, B]  # and me\n")
    entries = load(path)
    assert [(e.kind, e.names, e.is_kind, e.who) for e in entries] == [
        ("same", ("A", "B"), None, None), ("not", ("C: D",), "place", "tester")]


# --- the commands that write the file -------------------------------------------

def _kg(runner, *args: str, ok: bool = True):
    from graph.cli import main

    result = runner.invoke(main, list(args), env={"KG_USER": "tester"})
    assert (result.exit_code == 0) == ok, result.output
    return result


def test_commands_record_each_judgement_and_rebuild(runner, corpus):
    out = corpus.parent / "out"
    _kg(runner, "build", str(corpus), "-o", str(out), "--no-html")
    (corpus / "judgements.yaml").write_text("# kept by hand\n", encoding="utf-8")
    g = ["-g", str(out / "graph.trig")]
    _kg(runner, "different", "Quenby", "Harriet Quenby", *g, "--why", "two people")
    _kg(runner, "merge", "Harriet", "Harriet Quenby", *g)
    _kg(runner, "split", "Tobias Wrenfield", "--by-account", *g)
    _kg(runner, "not", "Kelsham", "--kind", "place", *g, "--no-build")
    _kg(runner, "rename", "Ada Marlow", "Ada J. Marlow", *g)
    _kg(runner, "reject", "--person", "Ada J. Marlow", "--title", "Councillor", *g)
    chair = next(n.iri for n in read_view(open_graph(out / "graph.trig")).nodes.values() if n.title == "Chair")
    result = _kg(runner, "confirm", chair, *g)
    assert "Judgement 7: applied" in result.output and "extracted" in result.output
    assert "(0 extracted, 4 from cache)" in result.output
    text = (corpus / "judgements.yaml").read_text(encoding="utf-8")
    assert text.startswith("# kept by hand\n") and "who: tester" in text
    assert [j.kind for j in load(corpus / "judgements.yaml")] == [
        "different", "same", "split", "not", "rename", "reject", "confirm"]
    view = read_view(open_graph(out / "graph.trig"))
    people = _people(view)
    assert people["Harriet Quenby"] == ("four.txt", "one.txt") and people["Quenby"] == ("two.txt",)
    assert "Kelsham" not in people and "Ada J. Marlow" in people and "Ada Marlow" not in people
    assert ("Ada J. Marlow", "Councillor") not in _roles(view)
    listing = _kg(runner, "judgements", *g).output
    assert listing.count("applied") == 7 and "matched: Kelsham" in listing
    assert json.loads(_kg(runner, "judgements", *g, "--json").output)["judgements"][6]["kind"] == "confirm"


def test_commands_refuse_what_they_cannot_record(runner, corpus):
    out = corpus.parent / "out"
    _kg(runner, "build", str(corpus), "-o", str(out), "--no-html")
    g = ["-g", str(out / "graph.trig")]
    assert "are one node already" in _kg(runner, "merge", "Quenby", "Harriet Quenby", *g, ok=False).output
    assert "no person or body" in _kg(runner, "not", "Nobody Invented", "--kind", "junk", *g, ok=False).output
    assert "no membership or event" in _kg(runner, "reject", BASE + "membership/000", *g, ok=False).output
    assert not (corpus / "judgements.yaml").exists()


def test_judgements_lists_a_stale_entry_and_ones_not_yet_built(runner, corpus):
    out = corpus.parent / "out"
    (corpus / "judgements.yaml").write_text("- not: Nowhere Invented\n  kind: place\n", encoding="utf-8")
    result = _kg(runner, "build", str(corpus), "-o", str(out), "--no-html")
    assert "Warning: judgement 1" in result.output and "matches nothing" in result.output
    g = ["-g", str(out / "graph.trig")]
    _kg(runner, "not", "Kelsham", "--kind", "junk", *g, "--no-build")
    listing = _kg(runner, "judgements", *g).output
    assert "stale" in listing and "matched: nothing" in listing and "1 more in" in listing


def test_a_judged_build_validates_and_the_shapes_catch_a_bad_judgement(corpus):
    from graph.validate import validate, validate_file

    entries = ("- same: [Harriet, Harriet Quenby]\n  who: tester\n  when: 2026-12-01\n"
               "- confirm: {person: Ada Marlow, title: Leader}\n- split: Tobias Wrenfield\n"
               "- not: Kelsham\n  kind: body\n- rename: Ada Marlow\n  to: Ada J. Marlow\n")
    _build(corpus, entries)
    trig = corpus.parent / "out" / "graph.trig"
    report = validate_file(trig)
    assert report.conforms, report.problems
    ds = Dataset()
    ds.parse(trig, format="trig")
    judged = ds.graph(JUDGEMENTS_GRAPH)
    person = URIRef(BASE + "person/harriet-quenby")
    judged.add((person, KG.confirmedBy, URIRef(BASE + "person/harriet-quenby")))
    judged.remove((None, KG.judgementKind, None))
    bad = validate(ds)
    assert not bad.conforms
    messages = " ".join(p.message for p in bad.problems)
    assert "kg:judgementKind" in messages and "kg:confirmedBy" in messages


def test_the_view_and_the_page_show_confirmed_facts_and_human_merges(corpus):
    from graph.payload import pack, unpack

    _report, view = _build(corpus, "- same: [Harriet, Harriet Quenby]\n"
                                   "- confirm: {person: Harriet Quenby, title: Chair}\n")
    harriet = view.nodes[find(view, "Harriet Quenby").node]
    chair = next(n for n in view.nodes.values() if n.kind == "role" and n.title == "Chair")
    assert harriet.judged == ("merged",) and chair.judged == ("confirmed",)
    assert all(n.judged == () for n in view.nodes.values() if n.iri not in (harriet.iri, chair.iri))
    facts = unpack(pack(view, {}))["facts"]
    confirmed = [f for f in facts if f["confirmed"]]
    assert confirmed and all(f["kind"] == "role" and f["title"] == "Chair" for f in confirmed)
    assert any(f["kind"] == "role" and f["title"] == "Leader" and not f["confirmed"] for f in facts)


def test_different_reads_an_ambiguous_name_as_the_one_in_the_other_names_node(corpus):
    """Once another node is called "Quenby" too (here by a rename), "Quenby" could mean two nodes; in a
    `different` beside "Harriet Quenby" it is the Quenby merging put in her node."""
    _report, view = _build(corpus, "- rename: Kelsham\n  to: Quenby\n")
    with pytest.raises(KgError, match="could mean"):
        find(view, "Quenby")
    report, view = _build(corpus, "- rename: Kelsham\n  to: Quenby\n- different: [Quenby, Harriet Quenby]\n")
    assert report.judged[1].status == "applied"
    harriet = view.nodes[find(view, "Harriet Quenby").node]
    assert "Quenby" not in harriet.names and harriet.accounts == ("one.txt",)
    assert sorted(n.accounts for n in view.nodes.values() if n.label == "Quenby") == [("one.txt",), ("two.txt",)]
    with pytest.raises(KgError, match="entry 2"):  # a rename is no `different`: ambiguous stays an error
        _build(corpus, "- rename: Kelsham\n  to: Quenby\n- rename: Quenby\n  to: Q\n")


def test_dropping_a_participant_keeps_the_events_other_participants_and_their_parts(corpus):
    from graph.validate import validate_file

    _report, before = _build(corpus, None)
    party = find(before, "Dunmore Labour Party").node
    shared = [n for n in before.nodes.values() if n.kind == "event" and party in n.actors and len(n.actors) > 1]
    assert shared
    _report, view = _build(corpus, "- not: Dunmore Labour Party\n  kind: junk\n")
    assert party not in view.nodes
    for event in shared:
        kept = view.nodes[event.iri]
        assert kept.actors == tuple(a for a in event.actors if a != party)
    assert validate_file(corpus.parent / "out" / "graph.trig").conforms

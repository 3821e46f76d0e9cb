"""kg candidates (#15): likely duplicates and likely junk, ranked, with why; --interactive records answers.

Rules are tested on a view made by hand (invented names); the command on a
build of the invented accounts of test_judgements.
"""
from __future__ import annotations

import json

import pytest

from graph.candidates import candidates, duplicates, junk
from graph.judgements import load
from graph.view import Edge, Fact, Node, Source, View

from test_judgements import ACCOUNTS

BASE = "https://example.org/id/"


def _person(slug: str, label: str, *aliases: str, account: str = "a.txt") -> Node:
    sentence = f"{label} spoke at the meeting."
    fact = Fact("mention", BASE + slug, Source(account, "", sentence, 0, len(sentence)), 1.0)
    return Node(BASE + slug, "person", label, (label, *aliases), (account,), (fact,))


def _view(*nodes: Node, edges: tuple[Edge, ...] = ()) -> View:
    return View({n.iri: n for n in nodes}, edges)


def _pairs(view: View, **kw) -> list[set[str]]:
    return [{side.label for side in c.nodes} for c in duplicates(view, **kw)]


def test_a_lone_surname_and_a_fitting_first_name_are_proposed_with_why():
    view = _view(_person("ann-smithers", "Ann Smithers", account="a.txt"),
                 _person("smithers", "Smithers", "Mr Smithers", account="b.txt"),
                 _person("chris-leyton", "Chris Leyton", account="c.txt"),
                 _person("christopher-leyton", "Christopher Leyton", account="d.txt"))
    found = duplicates(view)
    assert [{s.label for s in c.nodes} for c in found] == [{"Ann Smithers", "Smithers"},
                                                          {"Chris Leyton", "Christopher Leyton"}]
    assert "named by the surname of 'Ann Smithers'" in found[0].why[0]
    assert found[0].nodes[0].sentence.endswith("spoke at the meeting.")


def test_full_names_with_other_first_names_or_surnames_are_never_proposed():
    view = _view(_person("owen-smithers", "Owen Smithers", "Mr Smithers"),
                 _person("owen-jonah", "Owen Jonah", "Owen"),
                 _person("bob-smithers", "Bob Smithers", "Mr Smithers"),
                 _person("bristol-east", "Testford East"), _person("bristol-west", "Testford West"))
    assert _pairs(view) == []


def test_a_pair_judged_different_is_not_proposed_again():
    a, b = _person("chris-leyton", "Chris Leyton"), _person("christopher-leyton", "Christopher Leyton")
    assert _pairs(_view(a, b)) == [{"Chris Leyton", "Christopher Leyton"}]
    assert _pairs(_view(a, b), apart={frozenset((a.iri, b.iri))}) == []


def test_shared_roles_and_company_rank_a_pair_higher():
    role = Node(BASE + "m1", "role", "Treasurer", ("Treasurer",), ("a.txt",), title="Treasurer", body="Testford Party")
    role2 = Node(BASE + "m2", "role", "Treasurer", ("Treasurer",), ("b.txt",), title="Treasurer", body="Testford Party")
    view = _view(_person("chris-leyton", "Chris Leyton", account="a.txt"),
                 _person("christopher-leyton", "Christopher Leyton", account="b.txt"),
                 _person("pat-orwin", "Pat Orwin", account="c.txt"),
                 _person("patrick-orwin", "Patrick Orwin", account="d.txt"), role, role2,
                 edges=(Edge(BASE + "chris-leyton", BASE + "m1", "holds_role", ("a.txt",)),
                        Edge(BASE + "christopher-leyton", BASE + "m2", "holds_role", ("b.txt",))))
    found = duplicates(view)
    assert {s.label for s in found[0].nodes} == {"Chris Leyton", "Christopher Leyton"}
    assert found[0].score > found[1].score and "all hold Treasurer" in found[0].why


def test_a_place_taken_for_a_person_is_listed_as_junk_and_not_as_a_duplicate():
    view = _view(_person("manchester-1", "Manchester", account="a.txt"),
                 _person("manchester-2", "Manchester", account="b.txt"),
                 _person("ann-smithers", "Ann Smithers"), _person("smithers", "Mr Smithers", "Smithers"))
    listed = candidates(view)
    rubbish = [c for c in listed if c.kind == "junk"]
    assert [c.nodes[0].label for c in rubbish] == ["Manchester", "Manchester"]
    assert rubbish[0].is_kind == "place" and "gazetteer" in rubbish[0].why[0]
    assert all("Manchester" not in {s.label for s in c.nodes} for c in listed if c.kind == "duplicate")
    assert "Ann Smithers" not in {c.nodes[0].label for c in junk(view)}


# --- the command ---------------------------------------------------------------

@pytest.fixture
def built(tmp_path, runner):
    from graph.cli import main

    src = tmp_path / "accounts"
    src.mkdir()
    for name, text in ACCOUNTS.items():
        (src / name).write_text(text, encoding="utf-8")
    out = tmp_path / "out"
    result = runner.invoke(main, ["build", str(src), "-o", str(out), "--no-html"])
    assert result.exit_code == 0, result.output
    return src, out / "graph.trig"


def test_candidates_lists_with_why_and_as_json(runner, built):
    from graph.cli import main

    _src, graph = built
    text = runner.invoke(main, ["candidates", "-g", str(graph)])
    assert text.exit_code == 0, text.output
    assert "same? Harriet · Harriet Quenby" in text.output and "first name of 'Harriet Quenby'" in text.output
    assert "four.txt" in text.output
    data = json.loads(runner.invoke(main, ["candidates", "-g", str(graph), "--json"]).output)
    assert data[0]["kind"] == "duplicate" and [n["label"] for n in data[0]["nodes"]] == ["Harriet", "Harriet Quenby"]


def test_interactive_records_each_answer_and_rebuilds(runner, built):
    from graph.cli import main

    src, graph = built
    result = runner.invoke(main, ["candidates", "-g", str(graph), "--interactive"], input="y\n",
                           env={"KG_USER": "tester"})
    assert result.exit_code == 0, result.output
    entries = load(src / "judgements.yaml")
    assert [(e.kind, e.names, e.who) for e in entries] == [("same", ("Harriet", "Harriet Quenby"), "tester")]
    assert "Built 4 accounts" in result.output
    again = runner.invoke(main, ["candidates", "-g", str(graph)])
    assert "Harriet · Harriet Quenby" not in again.output


def test_interactive_no_records_different_and_q_stops(runner, built):
    from graph.cli import main

    src, graph = built
    result = runner.invoke(main, ["candidates", "-g", str(graph), "--interactive", "--no-build"], input="n\nq\n")
    assert result.exit_code == 0, result.output
    assert [e.kind for e in load(src / "judgements.yaml")] == ["different"]
    assert "Built" not in result.output
    skipped = runner.invoke(main, ["candidates", "-g", str(graph), "--interactive"], input="s\n")
    assert skipped.exit_code == 0 and len(load(src / "judgements.yaml")) == 1


def test_honorifics_of_both_sexes_keep_two_lone_names_apart_and_a_bare_spelling_ranks_lower():
    view = _view(_person("holm", "Holmer", "Lord Holmer", account="a.txt"),
                 _person("holms", "Holmers", "Ms Holmers", account="b.txt"))
    assert _pairs(view) == []
    view = _view(_person("pat-sandon", "Pat Sandon", account="a.txt"),
                 _person("pat-saundon", "Pat Saundon", account="b.txt"),
                 _person("lee-roberts", "Lee Roberts", account="c.txt"),
                 _person("leigh-roberts", "Leigh Roberts", account="d.txt"))
    found = duplicates(view)
    spelt = next(c for c in found if "Pat Sandon" in {s.label for s in c.nodes})
    assert "nothing else in common" in spelt.why and spelt.score < 90


def test_an_answer_to_a_junk_candidate_records_what_it_is():
    from graph.cli.candidates import _answer

    view = _view(_person("manchester-1", "Manchester", account="a.txt"),
                 _person("ann-smithers", "Ann Smithers", account="b.txt"))
    place = next(c for c in candidates(view) if c.kind == "junk")
    assert _answer(view, place, "y") == {"kind": "not", "names": ("Manchester",), "is_kind": "place"}
    assert _answer(view, place, "n") == {"kind": "not", "names": ("Manchester",), "is_kind": "person"}
    assert _answer(view, place, "s") is None

"""kg show: lookup by any name (exact, fuzzy, ambiguous) and the facts it prints."""
from __future__ import annotations

import json

import pytest

from graph.cli import main
from graph.errors import KgError
from graph.payload import unpack
from graph.show import Ambiguous, describe, find, render_text
from graph.store import open_graph
from graph.view import Node, View, read_view


@pytest.fixture
def view(tiny_trig) -> View:
    return read_view(open_graph(tiny_trig))


def _person(iri: str, name: str, kind: str = "person", accounts: tuple[str, ...] = ("a.txt",)) -> Node:
    return Node(iri, kind, name, (name,), accounts)


def test_find_exact_any_case_and_alias(view):
    assert find(view, "ann other").label == "Ann Other"
    assert find(view, "  ANN   OTHER ").label == "Ann Other"
    assert find(view, "nec").label == "National Executive Committee"


def test_find_by_iri(view):
    iri = "https://w3id.org/kg-politics/id/body/labour-group"
    assert find(view, iri).node == iri


def test_find_fuzzy_typo(view):
    assert find(view, "Anne Othr").label == "Ann Other"
    assert find(view, "Testford Cuncil").label == "Testford Council"


def test_find_kind_filter(view):
    with pytest.raises(KgError):
        find(view, "NEC", kind="person")


def test_ambiguous_lists_candidates():
    g = View({f"p{i}": _person(f"p{i}", name) for i, name in enumerate(["John Smith", "Jane Smith", "Ann Jones"])},
             ())
    with pytest.raises(Ambiguous) as err:
        find(g, "Smith")
    assert {c.label for c in err.value.candidates} == {"John Smith", "Jane Smith"}
    assert find(g, "John Smih").label == "John Smith"  # a clear lead is taken
    assert "John Smith (person, 1 account)" in err.value.message


def test_exact_name_shared_by_two_entities_is_ambiguous():
    g = View({"p": _person("p", "Unite", accounts=()), "b": _person("b", "Unite", "body", ())}, ())
    with pytest.raises(Ambiguous):
        find(g, "unite")
    assert find(g, "unite", kind="body").node == "b"


def test_not_found(view):
    with pytest.raises(KgError, match="no person or body"):
        find(view, "Zebedee Quux")


def test_describe_person(view):
    info = describe(view, find(view, "Ann Other").node)
    assert info["kind"] == "person" and info["accounts"] == ["a.txt", "b.txt"]
    assert [(r["title"], r["body"]) for r in info["roles"]] == [("Chair", "Labour Group")]
    role_fact = info["roles"][0]["facts"][0]
    assert role_fact["sentence"] == "Ann Other, the Chair of the Labour Group, summoned me."
    assert role_fact["confidence"] == pytest.approx(0.8)
    assert (role_fact["start"], role_fact["end"]) == (42, 96)
    assert [(e["type"], e["date"], e["with"]) for e in info["events"]] == [
        ("Complaint", "2016-05", ["National Executive Committee"]), ("Meeting", "", ["Sam Teller"])]
    assert len(info["mentions"]) == 2


def test_describe_body_lists_role_holders_and_nesting(view):
    info = describe(view, find(view, "Labour Group").node)
    assert [(r["holder"], r["title"]) for r in info["roles"]] == [("Ann Other", "Chair")]
    assert info["part_of"] == ["Testford Council"]
    council = describe(view, find(view, "Testford Council").node)
    assert council["parts"] == ["Labour Group"]


def test_narrator(view):
    info = describe(view, find(view, "Sam Teller").node)
    assert info["narrator_of"] == ["a.txt"]


def test_render_text_quotes_each_fact(view):
    text = render_text(describe(view, find(view, "Ann Other").node))
    assert text.startswith("Ann Other (person)")
    assert "Chair, Labour Group" in text
    assert "a.txt @42-96 (0.80): \u201cAnn Other, the Chair of the Labour Group, summoned me.\u201d" in text
    assert "2016-05 Complaint with National Executive Committee" in text


def test_cli_show_text_and_json(runner, tiny_trig):
    result = runner.invoke(main, ["show", "nec", "-g", str(tiny_trig)])
    assert result.exit_code == 0
    assert "National Executive Committee (body)" in result.output
    assert "names:    National Executive Committee; NEC" in result.output
    data = json.loads(runner.invoke(main, ["show", "Sam Teller", "--json", "-g", str(tiny_trig)]).output)
    assert data["roles"][0]["title"] == "Leader" and data["roles"][0]["body"] == "Testford Council"


def test_cli_show_unknown_is_one_line_exit_2(runner, tiny_trig):
    result = runner.invoke(main, ["show", "Zebedee Quux", "-g", str(tiny_trig)])
    assert result.exit_code == 2
    assert len(result.output.strip().splitlines()) == 1


def test_cli_show_missing_graph(runner, tmp_path):
    result = runner.invoke(main, ["show", "x", "-g", str(tmp_path / "none.trig")])
    assert result.exit_code == 2 and "kg build" in result.output


def test_help_has_examples(runner):
    result = runner.invoke(main, ["show", "--help"])
    assert result.exit_code == 0 and 'kg show "Ann Other"' in result.output


def test_built_show_a_person_with_roles(runner, built):
    graph = str(built / "graph.trig")
    roles = json.loads(runner.invoke(main, ["query", "--name", "roles", "-g", graph,
                                            "--format", "json"]).output)
    person = roles[0]["person"]
    result = runner.invoke(main, ["show", person, "--json", "-g", graph])
    assert result.exit_code == 0, result.output
    info = json.loads(result.output)
    assert info["label"] == person and info["roles"]
    assert all(f["sentence"] and f["account"] for r in info["roles"] for f in r["facts"])
    text = runner.invoke(main, ["show", person.upper(), "-g", graph])
    assert text.exit_code == 0 and roles[0]["role"] in text.output


def test_built_show_a_body(runner, built):
    graph = str(built / "graph.trig")
    rows = json.loads(runner.invoke(main, ["query", "--name", "people-in-body", "-g", graph,
                                           "--format", "json"]).output)
    body = rows[0]["body"]
    result = runner.invoke(main, ["show", body, "-g", graph])
    assert result.exit_code == 0, result.output
    assert "(body)" in result.output.splitlines()[0]


def _resolve(resolve, view: View, name: str) -> str:
    try:
        return resolve(view, name)
    except Ambiguous as err:
        return "ambiguous: " + ";".join(sorted(c.node for c in err.candidates))
    except KgError as err:
        return "error: " + type(err).__name__


def test_show_and_render_focus_resolve_names_alike(runner, tmp_path):
    """One matcher (`find`) for `kg show X` and `kg render --focus X`: the same entity, or the same refusal."""
    from graph.rdf import to_dataset
    from graph.render import select
    from render_samples import corpus_kg

    view = read_view(to_dataset(corpus_kg(accounts=60)))
    names = ["Kenward", "kenward", "Alex Kenward", "baroness", "Person 0001", "person 00", "Body 003", "body",
             "Persn 0001", "Zebedee Quux"]
    shown = {n: _resolve(lambda v, x: find(v, x).node, view, n) for n in names}
    focused = {n: _resolve(lambda v, x: select(v, x, 0).focus[0], view, n) for n in names}
    assert shown == focused
    assert view.nodes[shown["Kenward"]].label == "Alex Kenward"  # in 6 accounts, the Baroness in 2
    assert shown["person 00"].startswith("ambiguous") and shown["Zebedee Quux"] == "error: KgError"

    graph = tmp_path / "g.trig"
    graph.write_text(to_dataset(corpus_kg(accounts=60)).serialize(format="trig"), encoding="utf-8")
    out = runner.invoke(main, ["show", "kenward", "-g", str(graph), "--json"])
    page = tmp_path / "p.html"
    drawn = runner.invoke(main, ["render", "-g", str(graph), "--focus", "kenward", "--depth", "0", "-o", str(page)])
    assert out.exit_code == drawn.exit_code == 0, out.output + drawn.output
    html = page.read_text(encoding="utf-8")
    data = json.loads(html.split('id="kg-data">', 1)[1].split("</script>", 1)[0])
    focus_iris = [unpack(data)["nodes"][i]["iri"] for i in data["focus"]]
    assert focus_iris == [json.loads(out.output)["iri"]]


def test_ranked_by_tier_then_accounts_narrators_last():
    """Equal matches rank by accounts then links; someone who only narrates comes last."""
    from graph.show import ranked

    nodes = {
        "n": Node("n", "person", "Author of Kenward's week", ("Author of Kenward's week",), ("a", "b", "c", "d"),
                  narrator_of=("a", "b", "c", "d")),
        "few": _person("few", "Baroness Kenward", accounts=("a",)),
        "many": _person("many", "Alex Kenward", accounts=("a", "b", "c")),
        "exact": _person("exact", "Kenward", accounts=("z",)),
        "inside": _person("inside", "Mckenwardson", accounts=("a", "b", "c", "d", "e")),
        "other": _person("other", "Ann Other"),
    }
    order = [n.iri for _, n in ranked(View(nodes, ()), "kenward")]
    assert order == ["exact", "many", "few", "n", "inside"]
    assert "other" not in order

"""What a body is (#19): the lexicon's kind carried through merge into the RDF (`kg:bodyKind`),
the view (`Node.body_kind`) and the exports (FtM schema and topics, Popolo classification)."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from rdflib import Graph, Literal, URIRef

from graph.bodykinds import KINDS, LEXICON, is_public, of_lexicon
from graph.build import build
from graph.cli import main
from graph.export import export
from graph.exporters.ftm import body_schema
from graph.merge import body_kind, merge
from graph.model import Entity, Evidence
from graph.paths import LEXICON as LEXICON_DIR
from graph.rdf import to_dataset
from graph.store import open_graph
from graph.validate import validate
from graph.view import read_view
from graph.vocab import KG, RDF, SKOS
from popolo_schema import validators
from test_merge import extraction

SCHEMA = Path(__file__).resolve().parent.parent / "graph" / "schema"
LETTER = ("Why I left\n\nI was elected to Brookvale Borough Council in 2014 and served as a councillor for six "
          "years. Last week I resigned from the Labour Party. Jane Doe, the chair of Brookvale Constituency "
          "Labour Party, wrote to the Electoral Commission about the accounts.\n")
REPLY = ("A reply\n\nThe Labour Party said it regretted the decision. Brookvale Borough Council will hold a "
         "by-election in May.\n")


def _body(name: str, kind: str | None, sentences: int = 1) -> Entity:
    return Entity(f"body:{name.lower()}", "body", name, [name],
                  [Evidence("a", i, i + 1, "x") for i in range(sentences)], body_type=kind)


# ---- merge -------------------------------------------------------------------

def test_the_kind_most_mentions_give_wins_and_a_tie_is_broken_the_same_way() -> None:
    assert body_kind([_body("X", "council", 3), _body("X", "group", 1), _body("X", "group", 1)]) == "council"
    assert body_kind([_body("X", "group"), _body("X", "council")]) == "council"  # tie: first by name
    assert body_kind([_body("X", "council"), _body("X", "group")]) == "council"  # whatever the order
    assert body_kind([_body("X", "acronym", 5), _body("X", "clp")]) == "clp"  # no kind of body: no vote
    assert body_kind([_body("X", None), _body("X", "short")]) is None


def test_merge_carries_the_kind_to_the_body_node_only() -> None:
    a = extraction("a", "Testvale Council met. Ann Vell spoke.", ["Ann Vell"])
    a.entities.append(_body("Testvale Council", "council"))
    b = extraction("b", "Testvale Council again.")
    b.entities.append(_body("Testvale Council", "council"))
    b.entities.append(_body("Northvale Group", None))
    kg = merge([a, b])
    assert kg.nodes["testvale-council"].body_kind == "council"
    assert kg.nodes["northvale-group"].body_kind is None
    assert kg.nodes["ann-vell"].body_kind is None


# ---- the vocabulary ----------------------------------------------------------

def test_every_lexicon_kind_has_a_concept_and_the_ontology_defines_each() -> None:
    bodies = yaml.safe_load((LEXICON_DIR / "bodies.yaml").read_text(encoding="utf-8"))
    kinds = {b["kind"] for b in bodies["known"]} | set(bodies["kinds"])
    assert kinds <= set(LEXICON), kinds - set(LEXICON)
    onto = Graph().parse(SCHEMA / "ontology.ttl")
    for kind in KINDS:
        assert (KG[kind.name], SKOS.inScheme, KG.BodyKinds) in onto
        assert (KG[kind.name], SKOS.prefLabel, Literal(kind.label)) in onto
        assert (KG[kind.name], SKOS.definition, None) in onto
    assert (KG.bodyKind, RDF.type, None) in onto
    context = json.loads((SCHEMA / "context.jsonld").read_text(encoding="utf-8"))["@context"]
    assert context["bodyKind"]["@id"] == "kg:bodyKind" and all(context[k.name] == f"kg:{k.name}" for k in KINDS)


def test_only_public_authorities_are_public() -> None:
    assert is_public("council") and is_public("parliament") and is_public("regulator")
    for kind in ("party", "constituency party", "party organ", "faction", "trade union", "council group", ""):
        assert not is_public(kind)
    assert body_schema("party") == "Organization" and body_schema("council") == "PublicBody"
    assert body_schema("company") == "Company" and body_schema("") == "Organization"
    assert of_lexicon("acronym") is None and of_lexicon("momentum") == of_lexicon("faction")


# ---- a build of invented accounts ---------------------------------------------

@pytest.fixture(scope="module")
def kinds_build(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("kinds")
    src = folder / "accounts"
    src.mkdir()
    (src / "letter.txt").write_text(LETTER, encoding="utf-8")
    (src / "reply.txt").write_text(REPLY, encoding="utf-8")
    build([src], folder / "out", html=False, use_cache=False)
    return folder / "out" / "graph.trig"


def test_the_rdf_says_what_each_body_is_and_validates(kinds_build: Path) -> None:
    ds = open_graph(kinds_build)
    kinds = {str(ds.value(body, SKOS.prefLabel)): ds.value(body, KG.bodyKind)
             for body in set(ds.subjects(KG.bodyKind, None))}
    assert kinds["Brookvale Borough Council"] == KG.Council
    assert kinds["Labour Party"] == KG.Party
    assert kinds["Brookvale Constituency Labour Party"] == KG.ConstituencyParty
    assert kinds["Electoral Commission"] == KG.Regulator
    report = validate(ds)
    assert report.conforms, report.text()
    view = read_view(ds)
    assert {n.label: n.body_kind for n in view.nodes.values() if n.kind == "body"}["Labour Party"] == "party"
    assert {n.body_kind for n in view.nodes.values() if n.kind != "body"} == {""}


def test_ftm_a_council_is_a_public_body_and_a_party_never_is(kinds_build: Path) -> None:
    stream = [json.loads(line) for line in export(open_graph(kinds_build), "ftm")[""].splitlines()]
    bodies = {e["properties"]["name"][0]: e for e in stream
              if e["schema"] in ("Organization", "PublicBody", "Company")}
    council, party = bodies["Brookvale Borough Council"], bodies["Labour Party"]
    assert council["schema"] == "PublicBody" and council["properties"]["topics"] == ["gov.muni"]
    assert council["properties"]["classification"] == ["council"]
    assert party["schema"] == "Organization" and party["properties"]["topics"] == ["pol.party"]
    assert party["properties"]["classification"] == ["party"]
    assert bodies["Electoral Commission"]["schema"] == "PublicBody"
    assert bodies["Brookvale Constituency Labour Party"]["schema"] == "Organization"
    assert not [e for e in stream if e["schema"] == "PublicBody"
                and {"party", "constituency party"} & set(e["properties"].get("classification", []))]


def test_popolo_classifies_each_organization(kinds_build: Path) -> None:
    doc = json.loads(export(open_graph(kinds_build), "popolo")[""])
    by_name = {o["name"]: o.get("classification") for o in doc["organizations"]}
    assert by_name["Labour Party"] == "party" and by_name["Brookvale Borough Council"] == "council"
    assert by_name["Brookvale Constituency Labour Party"] == "constituency party"
    assert "classification" not in json.dumps(doc["persons"])
    checks = validators()
    for collection, records in doc.items():
        for record in records:
            checks[collection].validate(record)


def test_show_prints_the_kind_of_a_body_only(kinds_build: Path) -> None:
    runner = CliRunner()
    council = runner.invoke(main, ["show", "Brookvale Borough Council", "-g", str(kinds_build)])
    assert council.exit_code == 0, council.output
    assert "  is a:     council\n" in council.output
    as_json = json.loads(runner.invoke(main, ["show", "Labour Party", "-g", str(kinds_build), "--json"]).output)
    assert as_json["body_kind"] == "party"
    person = runner.invoke(main, ["show", "Jane Doe", "-g", str(kinds_build)])
    assert person.exit_code == 0 and "is a:" not in person.output


def test_a_kind_outside_the_scheme_or_two_kinds_fail_validation(tiny_kg) -> None:
    council = URIRef("https://w3id.org/kg-politics/id/body/testford-council")
    for kinds in ([KG.Resignation], [KG.Council, KG.Party]):
        ds = to_dataset(tiny_kg)
        shared = next(g for g in ds.graphs() if (council, SKOS.prefLabel, None) in g)
        for kind in kinds:
            shared.add((council, KG.bodyKind, kind))
        report = validate(ds)
        assert not report.conforms
        assert any("one of kg:BodyKinds" in p.message for p in report.violations)
    ds = to_dataset(tiny_kg)
    next(g for g in ds.graphs() if (council, SKOS.prefLabel, None) in g).add((council, KG.bodyKind, KG.Council))
    assert validate(ds).conforms


def test_a_graph_with_no_kinds_still_reads_and_exports_organizations(tiny_kg) -> None:
    """A build from before kg:bodyKind (or a body the extractor could not tell): Organization, no classification."""
    ds = to_dataset(tiny_kg)
    assert not list(ds.subjects(KG.bodyKind, None))
    stream = [json.loads(line) for line in export(ds, "ftm")[""].splitlines()]
    assert {e["schema"] for e in stream} >= {"Organization"} and "PublicBody" not in {e["schema"] for e in stream}
    assert all("classification" not in o for o in json.loads(export(ds, "popolo")[""])["organizations"])

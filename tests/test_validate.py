"""SHACL validation: a good graph conforms, a broken one fails naming the problem."""
from __future__ import annotations

import importlib.util
import re
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib import Dataset, Graph, Literal, URIRef

from graph.cli import main
from graph.model import KnowledgeGraph
from graph.rdf import Minter, serialize, to_dataset
from graph.validate import Report, validate
from graph.vocab import FOAF, KG, OA, ORG, RDF, SEM, SKOS

MINT = Minter()
ANN = MINT("person", "ann-other")
COUNCIL, GROUP = MINT("body", "testford-council"), MINT("body", "labour-group")


@pytest.fixture
def ds(tiny_kg: KnowledgeGraph) -> Dataset:
    return to_dataset(tiny_kg)


def _edit(ds: Dataset, change: Callable[[Graph], None]) -> Dataset:
    """Apply `change` to every named graph (facts about a node may sit in several)."""
    for graph in list(ds.graphs()):
        change(graph)
    return ds


def _messages(report: Report) -> str:
    return "\n".join(p.line() for p in report.violations)


def test_tiny_graph_conforms(ds: Dataset) -> None:
    report = validate(ds)
    assert report.conforms, report.text()
    assert not report.problems
    assert report.counts["people"] == 3 and report.counts["events"] == 3
    assert report.text().startswith("conforms: 2 accounts, 3 people, 3 bodies, 2 memberships, 3 events")


def test_plain_turtle_union_conforms(ds: Dataset) -> None:
    g = Graph().parse(data=serialize(ds, "turtle"), format="turtle")
    assert validate(g).conforms


def test_event_without_actor(ds: Dataset) -> None:
    report = validate(_edit(ds, lambda g: g.remove((None, SEM.hasActor, None))))
    assert not report.conforms
    assert "an event has at least one sem:hasActor" in _messages(report)
    assert {p.path for p in report.violations} == {"sem:hasActor"}
    assert len(report.violations) == 3  # one per event, each named by its IRI
    assert all("/event/" in p.focus for p in report.violations)


def test_person_without_name(ds: Dataset) -> None:
    report = validate(_edit(ds, lambda g: g.remove((ANN, FOAF.name, None))))
    assert not report.conforms
    (problem,) = report.violations
    assert problem.focus == f"<{ANN}>" and problem.path == "foaf:name"
    assert "exactly one foaf:name" in problem.message


def test_person_with_two_names(ds: Dataset) -> None:
    report = validate(_edit(ds, lambda g: g.add((ANN, FOAF.name, Literal("A. Other")))))
    assert "exactly one foaf:name" in _messages(report)


def test_actor_that_is_not_an_entity(ds: Dataset) -> None:
    def add(g: Graph) -> None:
        for event in list(g.subjects(RDF.type, SEM.Event)):
            g.add((event, SEM.hasActor, URIRef("urn:x:nobody")))
    report = validate(_edit(ds, add))
    assert "sem:hasActor is a foaf:Person or an org:Organization" in _messages(report)


def test_event_type_outside_the_nine(ds: Dataset) -> None:
    def retype(g: Graph) -> None:
        for event in list(g.subjects(SEM.eventType, KG.Meeting)):
            g.set((event, SEM.eventType, KG.Party))
    assert "one of the nine" in _messages(validate(_edit(ds, retype)))


def test_bad_timestamp_type(ds: Dataset) -> None:
    def restamp(g: Graph) -> None:
        for event in list(g.subjects(SEM.hasTimeStamp, None)):
            g.set((event, SEM.hasTimeStamp, Literal("May 2016")))
    assert "xsd:gYearMonth" in _messages(validate(_edit(ds, restamp)))


def test_offsets_out_of_order(ds: Dataset) -> None:
    def swap(g: Graph) -> None:
        for sel in list(g.subjects(RDF.type, OA.TextPositionSelector)):
            g.set((sel, OA.start, Literal(1000)))
    report = validate(_edit(ds, swap))
    assert "start <= end" in _messages(report)
    assert any("differs from the span" in p.message for p in report.warnings)


def test_confidence_out_of_range(ds: Dataset) -> None:
    def boost(g: Graph) -> None:
        for m in list(g.subjects(RDF.type, ORG.Membership)):
            g.set((m, KG.confidence, Literal(1.5)))
    assert "between 0 and 1" in _messages(validate(_edit(ds, boost)))


def test_membership_without_role(ds: Dataset) -> None:
    report = validate(_edit(ds, lambda g: g.remove((None, ORG.role, None))))
    assert "exactly one org:role" in _messages(report)


def test_body_part_of_itself(ds: Dataset) -> None:
    report = validate(_edit(ds, lambda g: g.add((COUNCIL, ORG.subOrganizationOf, GROUP))
                            if (GROUP, ORG.subOrganizationOf, COUNCIL) in g else None))
    assert "not part of itself" in _messages(report)


def test_person_and_body_at_once(ds: Dataset) -> None:
    report = validate(_edit(ds, lambda g: g.add((ANN, RDF.type, ORG.Organization))
                            if (ANN, FOAF.name, None) in g else None))
    assert "never both" in _messages(report)


def test_two_role_titles_on_one_iri_only_warn(ds: Dataset) -> None:
    def relabel(g: Graph) -> None:
        for role in list(g.subjects(RDF.type, ORG.Role)):
            g.add((role, SKOS.prefLabel, Literal("Another title")))
    report = validate(_edit(ds, relabel))
    assert report.conforms and report.warnings
    assert "warning" in report.text()


# --- the command --------------------------------------------------------------

def _broken_file(ds: Dataset, path: Path) -> Path:
    _edit(ds, lambda g: g.remove((ANN, FOAF.name, None)))
    path.write_text(serialize(ds, "trig"), encoding="utf-8")
    return path


def test_cli_conforms(runner: CliRunner, tiny_trig: Path) -> None:
    result = runner.invoke(main, ["validate", str(tiny_trig)])
    assert result.exit_code == 0, result.output
    assert "conforms: 2 accounts, 3 people" in result.output
    assert "(244 triples in 3 graphs)" in result.output  # with the role, stance (#16) and body-kind (#19) schemes


def test_cli_reports_violations(runner: CliRunner, ds: Dataset, tmp_path: Path) -> None:
    result = runner.invoke(main, ["validate", str(_broken_file(ds, tmp_path / "bad.trig"))])
    assert result.exit_code == 1, result.output
    assert "does not conform" in result.output
    assert f"<{ANN}>  foaf:name: a person has exactly one foaf:name" in result.output


def test_cli_max_limits_the_listing(runner: CliRunner, ds: Dataset, tmp_path: Path) -> None:
    _edit(ds, lambda g: g.remove((None, SEM.hasActor, None)))
    path = tmp_path / "bad.ttl"
    path.write_text(serialize(ds, "turtle"), encoding="utf-8")
    result = runner.invoke(main, ["validate", str(path), "--max", "1"])
    assert result.exit_code == 1
    assert "3 violations:" in result.output and "... and 2 more" in result.output


@pytest.mark.parametrize("content", [None, "this is { not RDF"])
def test_cli_unreadable_input(runner: CliRunner, tmp_path: Path, content: str | None) -> None:
    path = tmp_path / "graph.trig"
    if content is not None:
        path.write_text(content, encoding="utf-8")
    result = runner.invoke(main, ["validate", str(path)])
    assert result.exit_code == 2
    assert str(path) in result.output and "Traceback" not in result.output


def test_cli_default_file_missing(runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(main, ["validate"])
    assert result.exit_code == 2
    assert "output/graph.trig" in result.output and "kg build" in result.output


def test_cli_unreadable_shapes(runner: CliRunner, tiny_trig: Path, tmp_path: Path) -> None:
    shapes = tmp_path / "shapes.ttl"
    shapes.write_text("not turtle {", encoding="utf-8")
    result = runner.invoke(main, ["validate", str(tiny_trig), "--shapes", str(shapes)])
    assert result.exit_code == 2 and "shapes" in result.output


def test_cli_help_has_an_example(runner: CliRunner) -> None:
    result = runner.invoke(main, ["validate", "--help"])
    assert result.exit_code == 0
    assert "Examples:" in result.output and "kg validate" in result.output


# --- needs the build command -----------------------------------------------------

HAS_BUILD = importlib.util.find_spec("graph.cli.build") is not None


@pytest.mark.skipif(not HAS_BUILD, reason="needs `kg build` (graph.cli.build)")
def test_built_graph_conforms(runner: CliRunner, built: Path) -> None:
    """End to end: `kg build` on the bundled accounts writes a graph that keeps the contract."""
    result = runner.invoke(main, ["validate", str(built / "graph.trig"), "--max", "0"])
    assert result.exit_code == 0, result.output
    counts = re.search(r"conforms: (\d+) accounts, (\d+) people", result.output)
    assert counts and int(counts[1]) >= 5 and int(counts[2]) > 0, result.output

"""Structural patterns as data: loading, validating, matching, and surviving a multi-process parse."""
from __future__ import annotations

import pytest
import spacy

from graph.errors import KgError
from graph.extract.nlp import load_nlp
from graph.extract.rules import PATTERNS, RuleSet, load_rules, make_rule_component, rule_matches

RULES = """
- id: demo.chair-of
  matcher: token
  pattern: [{LOWER: chair}, {LOWER: of}, {IS_TITLE: true, OP: "+"}]
  greedy: LONGEST
  yields: {title: chair}
  confidence: 0.8
- id: demo.resigned-subject
  matcher: dependency
  pattern:
    - {RIGHT_ID: verb, RIGHT_ATTRS: {LEMMA: resign}}
    - {LEFT_ID: verb, REL_OP: ">", RIGHT_ID: agent, RIGHT_ATTRS: {DEP: nsubj}}
  yields: {type: Resignation, agent: agent}
- id: demo.stood-down
  matcher: phrase
  pattern: [stood down, stepped down]
  yields: {type: Resignation}
"""


@pytest.fixture
def patterns(tmp_path):
    (tmp_path / "demo.yaml").write_text(RULES, encoding="utf-8")
    return tmp_path


def _nlp_with(patterns):
    nlp = load_nlp()
    return nlp, make_rule_component(nlp, "kg_rules", str(patterns))


def test_rules_load_by_family_in_file_order(patterns):
    rules = load_rules(patterns)
    assert [r.id for r in rules["demo"]] == ["demo.chair-of", "demo.resigned-subject", "demo.stood-down"]
    assert rules["demo"][0].confidence == 0.8 and rules["demo"][1].confidence == 1.0


def test_each_matcher_kind_finds_its_rule_and_nothing_else(patterns):
    nlp, component = _nlp_with(patterns)
    doc = component(nlp("Anna Berg resigned as Chair of Northfield Parish Council. Then she stood down."))
    found = {m.rule.id: m for m in rule_matches(doc, "demo", patterns)}
    assert set(found) == {"demo.chair-of", "demo.resigned-subject", "demo.stood-down"}
    assert doc[found["demo.chair-of"].start:found["demo.chair-of"].end].text == "Chair of Northfield Parish Council"
    agent = found["demo.resigned-subject"].tokens["agent"]
    assert doc[agent].text == "Berg"
    quiet = component(nlp("The chair of the meeting was empty and nobody left."))
    assert rule_matches(quiet, "demo", patterns) == []


def test_matches_travel_with_docs_parsed_in_other_processes(patterns):
    """`nlp.pipe(n_process=2)` sends Docs back as bytes: the matches must survive that."""
    nlp, component = _nlp_with(patterns)
    doc = component(nlp("Tom Reed stood down."))
    again = spacy.tokens.Doc(nlp.vocab).from_bytes(doc.to_bytes())
    assert [m.rule.id for m in rule_matches(again, "demo", patterns)] == ["demo.stood-down"]


def test_the_lexicon_patterns_compile_and_every_id_is_unique():
    rules = load_rules(PATTERNS)
    ids = [r.id for family in rules.values() for r in family]
    assert len(ids) == len(set(ids))
    RuleSet(load_nlp(), [r for family in rules.values() for r in family])


@pytest.mark.parametrize("text, message", [
    ("- {id: demo.x, matcher: token}", "missing pattern"),
    ("- {id: other.x, matcher: token, pattern: [{LOWER: a}]}", "must start with 'demo.'"),
    ("- {id: demo.x, matcher: regex, pattern: [a]}", "matcher must be one of"),
    ("- {id: demo.x, matcher: token, pattern: [{LOWER: a}], confidence: 3}", "confidence"),
    ("- {id: demo.x, matcher: token, pattern: [{LOWER: a}], colour: red}", "unknown key"),
    ("- {id: demo.x, matcher: token, pattern: [{LOWER: a}]}\n- {id: demo.x, matcher: phrase, pattern: [b]}",
     "defined twice"),
    ("{id: demo.x}", "a YAML list"),
])
def test_a_broken_rule_is_a_clear_error_naming_file_and_rule(tmp_path, text, message):
    (tmp_path / "demo.yaml").write_text(text, encoding="utf-8")
    with pytest.raises(KgError, match=message) as caught:
        load_rules(tmp_path)
    assert "demo.yaml" in str(caught.value)


def test_an_invalid_spacy_pattern_names_the_rule(tmp_path):
    (tmp_path / "demo.yaml").write_text("- {id: demo.bad, matcher: token, pattern: [{NOSUCH: a}]}")
    with pytest.raises(KgError, match="demo.bad"):
        make_rule_component(load_nlp(), "kg_rules", str(tmp_path))


def test_a_doc_without_the_component_is_an_error_not_silence():
    with pytest.raises(KgError, match="kg_rules"):
        rule_matches(spacy.blank("en")("text"), "roles")

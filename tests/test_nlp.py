"""The spaCy pipeline kg loads: the model as saved, line breaks as sentence ends, the lexicon's rules last."""
from __future__ import annotations

from graph.extract.nlp import load_nlp


def test_pipeline_ends_with_the_rules_after_the_parse():
    names = load_nlp().pipe_names
    assert names[-1] == "kg_rules"
    assert names.index("kg_line_breaks") < names.index("parser")


def test_a_line_break_ends_a_sentence():
    doc = load_nlp()("Chair Jane Smith\nTreasurer Tom Brown said nothing")
    assert [s.text.strip() for s in doc.sents][:1] == ["Chair Jane Smith"]

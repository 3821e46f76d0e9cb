"""The spaCy pipeline kg loads: the model's own tokenizer, read only when it differs from the defaults."""
from __future__ import annotations

from pathlib import Path

from graph.extract.nlp import load_nlp, use_saved_tokenizer


def test_loaded_tokenizer_is_the_one_the_model_saved():
    nlp = load_nlp()
    saved = Path(nlp.path) / "tokenizer"
    assert saved.read_bytes() == nlp.tokenizer.to_bytes(exclude=["vocab"])


def test_a_model_saving_other_rules_gets_them(tmp_path):
    nlp = load_nlp()
    other = nlp.tokenizer.__class__(nlp.vocab, rules={"kgtest": [{65: "kg"}, {65: "test"}]})
    other.to_disk(tmp_path / "tokenizer", exclude=["vocab"])
    before = [t.text for t in nlp.tokenizer("kgtest")]
    try:
        use_saved_tokenizer(nlp, tmp_path)
        assert [t.text for t in nlp.tokenizer("kgtest")] == ["kg", "test"] != before
    finally:
        use_saved_tokenizer(nlp, Path(nlp.path))  # the cached pipeline goes back to the model's rules
    assert [t.text for t in nlp.tokenizer("kgtest")] == before

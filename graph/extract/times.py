"""When a role was held, from the words around it: "since 2015", "until 2014", "from 2010 to 2014".

The cue rules are data (`graph/lexicon/patterns/time.yaml`); this module reads
their matches into `TimeCue`s, one per cue, with ISO dates at the precision the
text gives (`graph.dates.normalise`, so "since last July" needs the account's
own date and is otherwise left out). Which role a cue bounds is decided at
resolution (`resolve._roles`): only a sentence telling of one role gives it one.
"""
from __future__ import annotations

import re

from spacy.tokens import Doc

from ..dates import normalise
from .facts import TimeCue
from .rules import rule_matches

_RANGE = re.compile(r"\s+(?:to|until|till|and)\s+|\s*[-\u2013]\s*")
_YEAR = re.compile(r"\b(?:1[89]|20)\d\d\b")


def find_times(doc: Doc, base: int, sent_of, account_date: str | None) -> list[TimeCue]:
    """Every time cue of a parsed piece; of overlapping matches the longest (a range over its start)."""
    matches = sorted(rule_matches(doc, "time"), key=lambda m: (m.start, -(m.end - m.start)))
    out: list[TimeCue] = []
    taken = -1
    for m in matches:
        if m.start < taken:
            continue
        span = doc[m.start:m.end]
        words = doc[m.start + 1:m.end].text
        kind = m.rule.yields.get("bound")
        began = ended = None
        if kind == "span":
            parts = _RANGE.split(re.sub(r"^between\s+", "", words, flags=re.IGNORECASE), maxsplit=1)
            if len(parts) != 2:
                continue
            first, last = parts
            year = _YEAR.search(last)
            if not _YEAR.search(first) and year:
                first = f"{first} {year.group(0)}"  # "from March to June 2009"
            began, ended = normalise(first, account_date), normalise(last, account_date)
        elif kind == "began":
            began = normalise(words, account_date)
        elif kind == "ended":
            ended = normalise(words, account_date)
        if began is None and ended is None:
            continue
        taken = m.end
        out.append(TimeCue(sent_of(m.start), began, ended, span.text, base + span.start_char, m.rule.id))
    return out

"""One parsed piece of text -> DocFacts (mentions, role and event candidates)."""
from __future__ import annotations

from bisect import bisect_right

from spacy.tokens import Doc

from .events import find_events
from .facts import DocFacts
from .lexicon import Lexicon
from .matchers import Matchers
from .mentions import find_mentions
from .persons import ner_votes
from .quotes import mark_quotes, teller_speaks
from .roles import TokenIndex, find_roles
from .times import find_times


def doc_facts(doc: Doc, base: int, lexicon: Lexicon, matchers: Matchers,
              account_date: str | None) -> DocFacts:
    """Reduce a parse to the records resolution needs; `base` is the piece's offset."""
    facts = DocFacts()
    mark_quotes(doc)
    sent_starts = []
    for sent in doc.sents:
        if not sent.text.strip():
            continue
        start, end = sent.start_char, sent.end_char
        text = doc.text[start:end]
        start += len(text) - len(text.lstrip())
        end -= len(text) - len(text.rstrip())
        facts.sentences.append((base + start, base + end))
        sent_starts.append(sent.start)
        if any(teller_speaks(t) for t in sent):
            facts.first_person.add(len(facts.sentences) - 1)

    def sent_of(token_i: int) -> int:
        return max(bisect_right(sent_starts, token_i) - 1, 0)

    facts.mentions = find_mentions(doc, lexicon, matchers, base, sent_of)
    facts.ner_votes = ner_votes(doc)
    index = TokenIndex(doc, facts.mentions, base)
    facts.roles = find_roles(doc, lexicon, matchers, index, sent_of)
    facts.events = find_events(doc, facts.mentions, index, sent_of, account_date)
    facts.times = find_times(doc, base, sent_of, account_date)
    return facts

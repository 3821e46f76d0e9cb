"""Events: a trigger word of one of the nine types, its sentence, its actors.

Triggers come from `graph/lexicon/events.yaml` (lemmas of verbs and nouns, and
phrases). Actors are the people and bodies the sentence names, plus the
teller when the sentence speaks in the first person. One event per type per
sentence: a sentence that says "resigned" twice reports one resignation.
"""
from __future__ import annotations

from spacy.tokens import Doc
from spacy.util import filter_spans

from ..dates import normalise
from .facts import EventCandidate, Mention, Ref
from .lexicon import Lexicon
from .matchers import Matchers
from .quotes import quoted
from .roles import FIRST_PERSON, THIRD_PERSON

TRIGGER_POS = {"VERB", "NOUN", "PROPN", "ADJ"}
MODALS = {"would", "could", "might", "should", "may"}
WISHES = {"hope", "wish", "expect", "want", "intend", "plan"}  # what is only hoped for has not happened


def _unreal(tok) -> bool:
    """A trigger that tells of no real event: in an "if" clause, under would/could/might, or
    only hoped, wished or expected ("I hope you will rejoin", "I expected them to vote")."""
    head = tok if tok.pos_ in {"VERB", "AUX"} else tok.head
    for _ in range(3):
        if any(c.dep_ == "mark" and c.lower_ in {"if", "unless", "whether"} for c in head.children):
            return True
        if any(c.dep_ == "aux" and c.lower_ in MODALS for c in head.children):
            return True
        if head.dep_ in {"ccomp", "xcomp"} and head.head.lemma_.lower() in WISHES:
            return True
        if head.dep_ not in {"xcomp", "auxpass", "conj", "pobj", "prep", "dobj", "nsubjpass"} or head.head is head:
            break
        head = head.head
    return False


def _definite_bare(tok) -> bool:
    """"the meeting", "the vote": a bare definite noun, likely one already told of."""
    if tok.pos_ != "NOUN":
        return False
    kids = [c.dep_ for c in tok.children]
    return any(c.dep_ == "det" and c.lower_ in {"the", "that", "this"} for c in tok.children) and not any(
        d in {"compound", "amod", "poss", "nummod", "prep", "relcl", "acl"} for d in kids)


def find_events(doc: Doc, lexicon: Lexicon, matchers: Matchers, mentions: list[Mention],
                base: int, sent_of, account_date: str | None) -> list[EventCandidate]:
    triggers: dict[tuple[int, str], tuple[str, float, int]] = {}
    anaphoric: set[tuple[int, str]] = set()
    in_phrase: set[int] = set()
    for span in filter_spans([doc[s:e] for _m, s, e in matchers.event_phrases(doc)]):
        etype = lexicon.event_phrases.get(" ".join(span.text.lower().split()))
        if etype and not _unreal(span.root):
            in_phrase.update(range(span.start, span.end))
            triggers.setdefault((sent_of(span.start), etype), (span.text, 0.8, span.start))
    for tok in doc:
        if tok.pos_ not in TRIGGER_POS or tok.i in in_phrase:
            continue  # "elected as chair" was read as a whole: its "elected" is no election
        etype = lexicon.event_lemmas.get(tok.lemma_.lower()) or lexicon.event_lemmas.get(tok.lower_)
        if etype and tok.ent_type_ != "PERSON" and tok.dep_ not in {"compound", "amod"} and not _unreal(tok):
            key = (sent_of(tok.i), etype)
            if key not in triggers and _definite_bare(tok):
                anaphoric.add(key)
            triggers.setdefault(key, (tok.text, 0.7 if tok.pos_ == "VERB" else 0.65, tok.i))
    if not triggers:
        return []
    dates_by_sent: dict[int, list[str]] = {}
    for ent in doc.ents:
        if ent.label_ == "DATE":
            dates_by_sent.setdefault(sent_of(ent.start), []).append(ent.text)
    by_sent: dict[int, list[int]] = {}
    for i, m in enumerate(mentions):
        by_sent.setdefault(m.sent, []).append(i)
    out = []
    for (sent, etype), (trigger, conf, tok_i) in sorted(triggers.items()):
        sentence = doc[tok_i].sent
        actors: list[Ref] = [Ref(mention=i) for i in by_sent.get(sent, [])]
        if any(t.lower_ in FIRST_PERSON and not quoted(t) for t in sentence):
            actors.append(Ref(narrator=True))
        for t in sentence:
            if t.lower_ in THIRD_PERSON and t.tag_ != "PRP$" and t.i < tok_i + 3:
                actors.append(Ref(pronoun_at=base + t.idx))
                break
        if not actors:
            continue
        date = next((d for d in (normalise(t, account_date) for t in dates_by_sent.get(sent, [])) if d), None)
        out.append(EventCandidate(etype, trigger, sent, actors, date, conf, (sent, etype) in anaphoric))
    return out

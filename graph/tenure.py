"""Roles over time: when each role held began and ended, and what says so.

A role's bounds come from its own account only (the account is who says so):
first from the words of its sentence ("since 2015", read at extraction:
`graph/extract/times.py`), then from the events the account tells of its
holder: an Appointment or a won Election opens the role, a Joining opens a
membership, a Resignation, an expulsion or a lost election closes it
(`graph/lexicon/tenure.yaml`). An event bounds a role of its main participant
in the body the event names, else one whose title is written near its trigger
("resigned as home secretary"). A closing event with no date still closes the role (its
bound has no date). A role the account tells of as held, that nothing closes, is
held "as of" the account's date, unless the account tells of its holder leaving
a post it does not name (which one, the words do not say); a role told as
"former" has ended, when not said (an end without a date); an undated account
gives no "as of" date, and no bound is ever guessed.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from . import yamlsafe as yaml
from .model import Bound, EventFact, KnowledgeGraph, RoleFact
from .paths import LEXICON


@dataclass(frozen=True)
class TenureWords:
    """The lists of `graph/lexicon/tenure.yaml`."""

    opens: frozenset[str]
    closes: frozenset[str]
    opens_by_trigger: dict[str, frozenset[str]]
    closes_by_trigger: dict[str, frozenset[str]]
    only_titles: dict[str, frozenset[str]]
    window: int
    window_before: int


def _lists(data: dict, key: str) -> dict[str, frozenset[str]]:
    return {t: frozenset(w.lower() for w in words) for t, words in (data.get(key) or {}).items()}


@lru_cache(maxsize=1)
def tenure_words() -> TenureWords:
    data = yaml.safe_load((LEXICON / "tenure.yaml").read_text(encoding="utf-8")) or {}
    return TenureWords(frozenset(data.get("opens", [])), frozenset(data.get("closes", [])),
                       _lists(data, "opens_by_trigger"), _lists(data, "closes_by_trigger"),
                       _lists(data, "only_titles"), int(data.get("window", 60)), int(data.get("window_before", 30)))


def effect(event: EventFact, words: TenureWords | None = None) -> str | None:
    """"opens", "closes" or None: what `event` does to a role of its main participant."""
    words = words or tenure_words()
    closing, opening = words.closes_by_trigger.get(event.type), words.opens_by_trigger.get(event.type)
    if event.type in words.closes or (closing is not None and _trigger_in(event.trigger, closing)):
        return "closes"
    if event.type in words.opens or (opening is not None and _trigger_in(event.trigger, opening)):
        return "opens"
    return None


def _trigger_in(trigger: str, words: frozenset[str]) -> bool:
    return any(w in words for w in re.findall(r"[a-z][a-z-]*", trigger.lower()))


def _near(title: str, event: EventFact, words: TenureWords) -> bool:
    """Whether the role's title is written near the event's trigger ("resigned as chair")."""
    text = event.evidence.text.lower()
    at = text.find(event.trigger.lower())
    if at < 0:
        return False
    start, end = max(at - words.window_before, 0), at + len(event.trigger) + words.window
    return re.search(rf"\b{re.escape(title.lower())}\b", text[start:end]) is not None


def _linked(event: EventFact, roles: list[RoleFact], kg: KnowledgeGraph, words: TenureWords) -> list[RoleFact]:
    """The roles of the event's main participant it bounds: its body's, else one titled near the trigger."""
    main = event.actors[0]
    if kg.nodes.get(main) is None or kg.nodes[main].kind != "person":
        return []
    only = words.only_titles.get(event.type)
    own = [r for r in roles if r.person == main and (only is None or r.title.lower() in only)]
    bodies = [r for r in own if r.body and r.body in event.actors[1:]]
    if bodies:
        return bodies
    return [r for r in own if _near(r.title, event, words)]


def bound_roles(kg: KnowledgeGraph) -> KnowledgeGraph:
    """Give each role held its event bounds and "as of" date, account by account (in place)."""
    words = tenure_words()
    dates = {a.id: a.date for a in kg.accounts}
    roles_in: dict[str, list[RoleFact]] = {}
    for role in kg.roles:
        roles_in.setdefault(role.evidence.account, []).append(role)
    closed: set[int] = set()
    leaving: set[tuple[str, str]] = set()  # (account, person): the account tells of them leaving something
    for event in sorted(kg.events, key=lambda e: (e.evidence.account, e.evidence.start, e.type)):
        what = effect(event, words)
        if what is None or not event.actors:
            continue
        if what == "closes":
            leaving.add((event.evidence.account, event.actors[0]))
        for role in _linked(event, roles_in.get(event.evidence.account, []), kg, words):
            bound = Bound(event.date, event.evidence, event.trigger, event.type)
            if what == "opens" and event.date and role.began is None:
                role.began = bound
            elif what == "closes":
                closed.add(id(role))
                if role.ended is None:
                    role.ended = bound
    for role in kg.roles:
        account_date = dates.get(role.evidence.account)
        if role.former and role.ended is None:
            role.ended = Bound(None, role.evidence, _former_word(role.evidence.text))  # ended, when not told
        if account_date and not role.former and role.ended is None and id(role) not in closed \
                and (role.evidence.account, role.person) not in leaving:
            role.as_of = account_date  # not when the account tells of the holder leaving a post it does not name
    return kg


_FORMER = re.compile(r"\b(?:former|erstwhile|one-?time)\b|\bex-", re.IGNORECASE)


def _former_word(sentence: str) -> str:
    """The word that says a role is held no more ("former", "ex-"), as the sentence writes it."""
    found = _FORMER.search(sentence)
    return found.group(0) if found else "former"


__all__ = ["TenureWords", "bound_roles", "effect", "tenure_words"]

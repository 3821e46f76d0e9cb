"""Roles over time: when each role held began and ended, and what says so.

A role's bounds come from its own account only (the account is who says so):
first from the words of its sentence ("since 2015", read at extraction:
`graph/extract/times.py`), then from the events the account tells of its
holder: an Appointment or Election opens the role, a Resignation, an expulsion
or a lost election closes it (`graph/lexicon/tenure.yaml`). An event bounds a
role of its main participant told in the same sentence, else one in the body
the event names, else one whose title the event's sentence names; a closing
event with no date still closes the role (its bound has no date). A role the
account tells of as held, that nothing closes, is held "as of" the account's
date; an undated account gives no such date, and no bound is ever guessed.
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
    opens: frozenset[str]
    closes: frozenset[str]
    closes_by_trigger: dict[str, frozenset[str]]


@lru_cache(maxsize=1)
def tenure_words() -> TenureWords:
    data = yaml.safe_load((LEXICON / "tenure.yaml").read_text(encoding="utf-8")) or {}
    return TenureWords(frozenset(data.get("opens", [])), frozenset(data.get("closes", [])),
                       {t: frozenset(w.lower() for w in words)
                        for t, words in (data.get("closes_by_trigger") or {}).items()})


def effect(event: EventFact, words: TenureWords | None = None) -> str | None:
    """"opens", "closes" or None: what `event` does to a role of its main participant."""
    words = words or tenure_words()
    by_trigger = words.closes_by_trigger.get(event.type)
    if event.type in words.closes or (by_trigger is not None and _trigger_in(event.trigger, by_trigger)):
        return "closes"
    if event.type in words.opens:
        return "opens"
    return None


def _trigger_in(trigger: str, words: frozenset[str]) -> bool:
    return any(w in words for w in re.findall(r"[a-z]+", trigger.lower()))


def _linked(event: EventFact, roles: list[RoleFact], kg: KnowledgeGraph) -> list[RoleFact]:
    """The roles of the event's main participant it bounds: by sentence, else body, else title."""
    main = event.actors[0]
    if kg.nodes.get(main) is None or kg.nodes[main].kind != "person":
        return []
    own = [r for r in roles if r.person == main]
    sentence = [r for r in own if r.evidence.start == event.evidence.start]
    if sentence:
        return sentence
    bodies = [r for r in own if r.body and r.body in event.actors[1:]]
    if bodies:
        return bodies
    text = event.evidence.text.lower()
    return [r for r in own if re.search(rf"\b{re.escape(r.title.lower())}\b", text)]


def bound_roles(kg: KnowledgeGraph) -> KnowledgeGraph:
    """Give each role held its event bounds and "as of" date, account by account (in place)."""
    words = tenure_words()
    dates = {a.id: a.date for a in kg.accounts}
    roles_in: dict[str, list[RoleFact]] = {}
    for role in kg.roles:
        roles_in.setdefault(role.evidence.account, []).append(role)
    closed: set[int] = set()
    for event in sorted(kg.events, key=lambda e: (e.evidence.account, e.evidence.start, e.type)):
        what = effect(event, words)
        if what is None or not event.actors:
            continue
        for role in _linked(event, roles_in.get(event.evidence.account, []), kg):
            bound = Bound(event.date, event.evidence, event.trigger, event.type)
            if what == "opens" and event.date and role.began is None:
                role.began = bound
            elif what == "closes":
                closed.add(id(role))
                if role.ended is None:
                    role.ended = bound
    for role in kg.roles:
        account_date = dates.get(role.evidence.account)
        if account_date and not role.former and role.ended is None and id(role) not in closed:
            role.as_of = account_date
    return kg


__all__ = ["TenureWords", "bound_roles", "effect", "tenure_words"]

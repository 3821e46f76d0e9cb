"""The domain's general knowledge, read from `graph/lexicon/*.yaml`.

Code holds mechanisms; what a CLP is, which words name a role, which verbs
signal a resignation all live in data, so a user can extend kg to another
party or country by editing YAML.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from pathlib import Path

from .. import yamlsafe as yaml

from ..paths import LEXICON

__all__ = ["LEXICON", "Lexicon", "load_lexicon"]


@dataclass(frozen=True)
class KnownBody:
    name: str
    kind: str
    aliases: tuple[str, ...]
    parent: str | None = None
    adjectives: tuple[str, ...] = ()   # name the body only before a title ("Green candidate")
    exact_case: bool = False           # "National Party" only as capitalised: "the national party" is no name
    nouns: tuple[str, ...] = ()        # name the body only as a noun: "the EU's aid", not "the EU referendum"


@dataclass
class Lexicon:
    known_bodies: list[KnownBody]
    body_kinds: dict[str, dict[str, list[str]]]
    name_words: set[str]
    not_bodies: set[str]
    role_titles: dict[str, str]          # surface form (lower) -> recorded title
    role_modifiers: list[str]
    described_holders: set[str]
    default_body_kind: dict[str, str]
    person_titles: set[str] = field(default_factory=set)
    not_people: set[str] = field(default_factory=set)
    implies_membership: dict = field(default_factory=dict)
    title_word_kinds: dict[str, str] = field(default_factory=dict)
    title_prefixes: set[str] = field(default_factory=set)       # "shadow", "deputy": part of a whole title
    portfolio_titles: set[str] = field(default_factory=set)     # titles that take "for <portfolio>"
    not_portfolio: set[str] = field(default_factory=set)        # "committee": a body's word, not a portfolio
    member_words: set[str] = field(default_factory=set)         # "member", "group": a party adjective before them
    not_heads: set[str] = field(default_factory=set)            # "Elections", "Bill": no body's name ends so
    ambiguous: dict[str, dict[str, list[str]]] = field(default_factory=dict)  # name -> {body: country words}
    role_forms: dict[str, str] = field(default_factory=dict)    # surface form as written -> recorded title
    plurals: dict[str, str] = field(default_factory=dict)       # "members" -> "member"

    @cached_property
    def known_by_name(self) -> dict[str, KnownBody]:
        """Lexicon bodies by canonical name: looked up for every body mention."""
        return {body.name: body for body in self.known_bodies}

    @cached_property
    def head_endings(self) -> dict[str, re.Pattern[str]]:
        """Per body kind, a pattern matching a name's ending " <head>", the longest head when several fit.

        The leftmost match of an anchored ending is the longest one. Asked for
        every name of every body at each merge: one regex search per name
        rather than one `endswith` per head.
        """
        return {kind: re.compile(" (?:" + "|".join(map(re.escape, spec["heads"])) + ")$")
                for kind, spec in self.body_kinds.items() if spec.get("heads")}


def _read(directory: Path, name: str) -> dict:
    with open(directory / name, encoding="utf-8") as handle:
        return yaml.safe_load(handle) or {}


@lru_cache(maxsize=4)
def load_lexicon(directory: Path = LEXICON) -> Lexicon:
    bodies = _read(directory, "bodies.yaml")
    roles = _read(directory, "roles.yaml")
    people = _read(directory, "people.yaml")
    titles, forms_written = {}, {}
    for title, forms in roles["titles"].items():
        for form in forms:
            titles[form.lower()] = title
            forms_written[form] = title
    return Lexicon(
        known_bodies=[KnownBody(b["name"], b["kind"], tuple(b.get("aliases", [])), b.get("parent"),
                                tuple(b.get("adjectives", [])), bool(b.get("exact_case", False)),
                                tuple(b.get("nouns", [])))
                      for b in bodies["known"]],
        body_kinds=bodies["kinds"],
        name_words=set(bodies.get("name_words", [])),
        not_bodies=set(bodies.get("not_bodies", [])),
        role_titles=titles,
        role_modifiers=[m.lower() for m in roles.get("modifiers", [])],
        described_holders={d.lower() for d in roles.get("described_holders", [])},
        default_body_kind={k.lower(): v for k, v in roles.get("default_body_kind", {}).items()},
        person_titles=set(people.get("titles", [])),
        not_people={w.lower() for w in people.get("not_people", [])},
        implies_membership=roles.get("implies_membership", {}),
        title_word_kinds={k.lower(): v for k, v in roles.get("title_word_kinds", {}).items()},
        title_prefixes={w.lower() for w in roles.get("title_prefixes", [])},
        portfolio_titles={w.lower() for w in roles.get("portfolio_titles", [])},
        not_portfolio={w.lower() for w in roles.get("not_portfolio", [])},
        member_words={w.lower() for w in bodies.get("member_words", [])},
        not_heads=set(bodies.get("not_heads", [])),
        ambiguous=bodies.get("ambiguous", {}),
        role_forms=forms_written,
        plurals={k.lower(): v for k, v in roles.get("plural_to_singular", {}).items()},
    )

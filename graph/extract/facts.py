"""What one parsed piece of text yields before names are resolved.

The parse of a piece of text (a spaCy Doc) is reduced to these small records
and then dropped, so memory stays bounded however long the account is.
References between records are indices into `DocFacts.mentions`.
"""
from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Mention:
    kind: str                  # "person" | "body"
    text: str                  # as written (possessive stripped)
    start: int                 # character offsets in the account text
    end: int
    sent: int                  # sentence index
    name: str | None = None    # canonical name when known (lexicon body)
    body_kind: str | None = None
    generic: bool = False      # "the Council", "the CLP": a kind, not a name
    alias: str | None = None   # another written form ("Mr Smith")
    parent: int | None = None  # mention index of a body this one is part of
    confidence: float = 0.9
    teller: bool = False       # a signature or an editor's line names this person the writer


@dataclass
class Ref:
    """Who a fact is about, before name resolution."""

    mention: int | None = None  # index into DocFacts.mentions
    narrator: bool = False
    pronoun_at: int | None = None     # resolve "he"/"she" to the last person before
    described: str | None = None      # "Chair of the Labour Group"
    described_body: int | None = None


@dataclass
class RoleCandidate:
    holder: Ref
    title: str
    body: int | None           # mention index
    sent: int
    confidence: float
    default_body: bool = False  # body to be inferred from the account
    former: bool = False        # "former treasurer", "ex-minister": held once, not now


@dataclass
class EventCandidate:
    type: str
    trigger: str
    sent: int
    actors: list[Ref]
    date: str | None
    confidence: float
    anaphoric: bool = False     # "the meeting": may be one told of before
    roles: list[str] = field(default_factory=list)  # beside `actors`: the part each plays ("" unknown)
    stance: str | None = None   # "allegedly", "denied": the account's stance on it


@dataclass
class TimeCue:
    """Words that say when a role in their sentence began or ended ("since 2015"), dates ISO."""

    sent: int
    began: str | None
    ended: str | None
    text: str                  # the cue as written
    start: int                 # its character offset in the account text
    rule: str                  # the id of the rule that found it


@dataclass
class DocFacts:
    sentences: list[tuple[int, int]] = field(default_factory=list)
    mentions: list[Mention] = field(default_factory=list)
    roles: list[RoleCandidate] = field(default_factory=list)
    events: list[EventCandidate] = field(default_factory=list)
    times: list[TimeCue] = field(default_factory=list)
    first_person: set[int] = field(default_factory=set)  # sentences with I/me/my
    # name (lower case) -> [times NER calls it PERSON, times it calls it a place, group or body]
    ner_votes: dict[str, list[int]] = field(default_factory=dict)

    def extend(self, other: DocFacts) -> None:
        """Append another piece's facts, shifting its indices past ours."""
        m0, s0 = len(self.mentions), len(self.sentences)

        def ref(r: Ref) -> Ref:
            return Ref(None if r.mention is None else r.mention + m0, r.narrator, r.pronoun_at,
                       r.described, None if r.described_body is None else r.described_body + m0)

        self.sentences.extend(other.sentences)
        for m in other.mentions:
            m.sent += s0
            if m.parent is not None:
                m.parent += m0
            self.mentions.append(m)
        for r in other.roles:
            self.roles.append(RoleCandidate(ref(r.holder), r.title, None if r.body is None else r.body + m0,
                                            r.sent + s0, r.confidence, r.default_body, r.former))
        for e in other.events:
            self.events.append(EventCandidate(e.type, e.trigger, e.sent + s0, [ref(a) for a in e.actors],
                                              e.date, e.confidence, e.anaphoric, list(e.roles), e.stance))
        for t in other.times:
            self.times.append(TimeCue(t.sent + s0, t.began, t.ended, t.text, t.start, t.rule))
        self.first_person |= {s + s0 for s in other.first_person}
        for name, (person, other_label) in other.ner_votes.items():
            votes = self.ner_votes.setdefault(name, [0, 0])
            votes[0] += person
            votes[1] += other_label

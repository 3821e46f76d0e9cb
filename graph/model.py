"""The typed records that flow between pipeline stages.

Every stage reads and writes only these, so a stage can be swapped (another
extractor, another store) without touching the others. Extraction results are
plain data: they round-trip through JSON for the per-account cache.
"""
from __future__ import annotations

from bisect import bisect_right
from dataclasses import asdict, dataclass, field
from typing import Any, Literal

EntityKind = Literal["person", "body"]

EVENT_TYPES = (
    "Resignation", "Appointment", "Election", "Vote", "Meeting",
    "Joining", "Disciplinary", "Complaint", "Threat",
)


@dataclass(frozen=True)
class Account:
    """One teller's text: a post, or one comment split off a post."""

    id: str                 # stable key: file stem, or "stem#comment-2"
    source: str             # file name as given, or "name.txt#comment-2"
    title: str
    text: str
    author: str | None = None
    date: str | None = None  # ISO 8601, as precise as known
    url: str | None = None
    parent: str | None = None  # id of the post a comment sits under
    offset: int = 0         # where `text` starts in the decoded source file (or the text read from it)
    pages: tuple[int, ...] = ()  # where each page starts in that same text (PDF); () when not paged

    def page(self, start: int) -> int | None:
        """The 1-based page on which offset `start` of `text` lies; None when the source has no pages."""
        if not self.pages:
            return None
        return max(bisect_right(self.pages, self.offset + start), 1)


@dataclass(frozen=True)
class Evidence:
    """Where a fact was read: a sentence of an account, by character offsets."""

    account: str
    start: int
    end: int
    text: str
    confidence: float = 1.0


@dataclass
class Entity:
    """A person or body as one account names it."""

    key: str                # unique within the extraction
    kind: EntityKind
    name: str               # the fullest name the account uses
    aliases: list[str] = field(default_factory=list)
    evidence: list[Evidence] = field(default_factory=list)
    narrator: bool = False
    described: bool = False  # named only by a description ("the CLP secretary")
    body_type: str | None = None  # lexicon kind of body (council, clp, ...)
    parent: str | None = None     # key of a body this one is part of


@dataclass
class Bound:
    """When a role held began or ended, and what says so (`graph/tenure.py`).

    `date` is ISO at the source's precision, or None when an event closes the
    role without a date ("she resigned as treasurer"). `event`: the type of the
    event told in `evidence` that opened or closed the role (its IRI is minted
    from that sentence and type), None when the words themselves ("since 2015")
    give the bound; `cue` is those words or the event's trigger.
    """

    date: str | None
    evidence: Evidence
    cue: str
    event: str | None = None


@dataclass
class RoleFact:
    person: str             # entity key
    title: str              # the title without the body ("Chair")
    body: str | None
    evidence: Evidence
    former: bool = False    # "former treasurer", "ex-minister": the account says it is held no more
    began: Bound | None = None
    ended: Bound | None = None
    as_of: str | None = None  # the account's date, when it tells of the role as held then and nothing closes it


PARTICIPANT_ROLES = ("Agent", "Patient", "Recipient", "Place")  # kg:ParticipantRoles (graph/schema/ontology.ttl)
STANCES = ("Alleged", "Denied", "Confirmed", "Rumoured")        # kg:Stances


@dataclass
class EventFact:
    type: str               # one of EVENT_TYPES
    actors: list[str]       # entity keys, the main participant first
    trigger: str
    evidence: Evidence
    date: str | None = None
    roles: list[str] = field(default_factory=list)  # beside `actors`: one of PARTICIPANT_ROLES, or "" (unknown)
    stance: str | None = None  # one of STANCES: the account's own marking of the claim ("allegedly")


@dataclass
class Extraction:
    """Everything one account yields, ready for merging."""

    account: Account
    entities: list[Entity] = field(default_factory=list)
    roles: list[RoleFact] = field(default_factory=list)
    events: list[EventFact] = field(default_factory=list)
    # (start, end) of each word in the text shaped like a surname: merge looks for the
    # people other accounts name in full among them. Found once, at extraction, and
    # cached with it; None (an extraction made by hand) has merge find them.
    surname_spans: list[tuple[int, int]] | None = None
    # name (lower case) -> [times NER called it PERSON, times a place, group or body]: merge
    # weighs these over the corpus; None (an extraction made by hand) has no votes
    ner_votes: dict[str, list[int]] | None = None

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Extraction:
        def ev(d: dict) -> Evidence:
            return Evidence(**d)

        def bound(d: dict | None) -> Bound | None:
            return None if d is None else Bound(**{**d, "evidence": ev(d["evidence"])})

        return cls(
            account=Account(**{**data["account"], "pages": tuple(data["account"].get("pages", ()))}),
            entities=[Entity(**{**e, "evidence": [ev(x) for x in e["evidence"]]})
                      for e in data["entities"]],
            roles=[RoleFact(**{**r, "evidence": ev(r["evidence"]),
                                **{k: bound(r.get(k)) for k in ("began", "ended")}}) for r in data["roles"]],
            events=[EventFact(**{**e, "evidence": ev(e["evidence"])}) for e in data["events"]],
            surname_spans=None if data.get("surname_spans") is None else [
                (start, end) for start, end in data["surname_spans"]],
            ner_votes=data.get("ner_votes"),
        )


@dataclass
class Node:
    """A merged entity: one person or body across every account naming it."""

    id: str                 # slug, stable across builds
    kind: EntityKind
    name: str
    aliases: set[str] = field(default_factory=set)
    # account id -> names used there and sentences naming it
    names_in: dict[str, set[str]] = field(default_factory=dict)
    evidence: list[Evidence] = field(default_factory=list)
    narrator_of: set[str] = field(default_factory=set)
    parent: str | None = None
    body_kind: str | None = None  # a body's lexicon kind, the one most of its mentions give (`merge.body_kind`)


@dataclass
class KnowledgeGraph:
    """The merged graph: nodes, and facts that keep their account and sentence."""

    accounts: list[Account]
    nodes: dict[str, Node]
    roles: list[RoleFact]    # person/body are node ids
    events: list[EventFact]  # actors are node ids
    # (account id, entity key) -> the node that mention became (`graph.judgements` moves mentions between nodes)
    node_of: dict[tuple[str, str], str] = field(default_factory=dict)

"""What kind of body a body is: the lexicon's kinds as one SKOS scheme, `kg:BodyKinds`.

The extractor tags a body with a lexicon kind (`Entity.body_type`: the kind of
a known body in `lexicon/bodies.yaml`, or the kind whose name ending matched:
"... Borough Council" is a council). Merge keeps the kind most mentions agree
on (`merge.body_kind`); the build writes it as `kg:bodyKind`, a concept of
this scheme (graph/schema/ontology.ttl holds the same concepts with their
definitions); the view reads its label back as `Node.body_kind`, and exporters
decide from the concept: FollowTheMoney's `PublicBody` for public authorities,
Popolo's `classification` from the label.

Several lexicon kinds may share a concept (a local Momentum group is a
faction); a lexicon kind that is no kind of body ("acronym": a name that
spells out another) has none.
"""
from __future__ import annotations

from typing import NamedTuple


class BodyKind(NamedTuple):
    """One concept: its local name in the kg: namespace, its label and whether it is a public authority."""

    name: str    # kg:<name>
    label: str   # skos:prefLabel, as `Node.body_kind` and Popolo's classification give it
    public: bool  # a public authority (council, parliament, government, court, regulator, police)


KINDS = (
    BodyKind("Party", "party", False),
    BodyKind("PartyOrgan", "party organ", False),
    BodyKind("ConstituencyParty", "constituency party", False),
    BodyKind("Branch", "branch", False),
    BodyKind("CouncilGroup", "council group", False),
    BodyKind("CampaignForum", "local campaign forum", False),
    BodyKind("ExecutiveCommittee", "executive committee", False),
    BodyKind("RegionalOffice", "regional office", False),
    BodyKind("Faction", "faction", False),
    BodyKind("TradeUnion", "trade union", False),
    BodyKind("Association", "association", False),
    BodyKind("Company", "company", False),
    BodyKind("Newspaper", "newspaper", False),
    BodyKind("Council", "council", True),
    BodyKind("Parliament", "parliament", True),
    BodyKind("Government", "government", True),
    BodyKind("Court", "court", True),
    BodyKind("Regulator", "regulator", True),
    BodyKind("Police", "police", True),
    BodyKind("InternationalBody", "international body", True),
)

# lexicon kind (graph/lexicon/bodies.yaml: `known` kinds and `kinds`) -> its concept
_BY_NAME = {k.name: k for k in KINDS}
LEXICON = {
    "party": _BY_NAME["Party"], "national": _BY_NAME["PartyOrgan"], "clp": _BY_NAME["ConstituencyParty"],
    "branch": _BY_NAME["Branch"], "group": _BY_NAME["CouncilGroup"], "lcf": _BY_NAME["CampaignForum"],
    "executive": _BY_NAME["ExecutiveCommittee"], "regional": _BY_NAME["RegionalOffice"],
    "faction": _BY_NAME["Faction"], "momentum": _BY_NAME["Faction"], "union": _BY_NAME["TradeUnion"],
    "association": _BY_NAME["Association"], "company": _BY_NAME["Company"],
    "newspaper": _BY_NAME["Newspaper"], "council": _BY_NAME["Council"], "parliament": _BY_NAME["Parliament"],
    "government": _BY_NAME["Government"], "court": _BY_NAME["Court"], "regulator": _BY_NAME["Regulator"],
    "police": _BY_NAME["Police"], "international": _BY_NAME["InternationalBody"],
}
BY_LABEL = {k.label: k for k in KINDS}


def of_lexicon(kind: str | None) -> BodyKind | None:
    """The concept of a lexicon kind; None for no kind or one that names no kind of body."""
    return LEXICON.get(kind or "")


def is_public(label: str) -> bool:
    """Whether a body of this kind (`Node.body_kind`, "" when unknown) is a public authority."""
    found = BY_LABEL.get(label)
    return found is not None and found.public


__all__ = ["BY_LABEL", "KINDS", "LEXICON", "BodyKind", "is_public", "of_lexicon"]

"""Short, stable ids for exported records, made from the graph's IRIs.

FollowTheMoney ids must match `[0-9a-zA-Z][0-9a-zA-Z.-]*` and stay short, so an
IRI cannot serve as it is. The id is the record's kind and the IRI's last path
segment, readable ("person-ann-other-..."), then a digest of the whole IRI, so
two IRIs whose readable part is the same (another base, a name met in two
accounts) never share an id. Same graph, same ids.
"""
from __future__ import annotations

from ..quads import digest, slug

READABLE = 60  # characters of the readable part kept


def entity_id(kind: str, iri: str) -> str:
    """`person-ann-other-1a2b3c4d5e6f` for kind "person" and `.../id/person/ann-other`."""
    last = iri.rstrip("/#").replace("#", "/").rsplit("/", 1)[-1]
    return f"{kind}-{slug(last)[:READABLE].strip('-') or 'x'}-{digest(iri)}"


def derived_id(kind: str, *parts: str) -> str:
    """An id for a record the graph has no IRI for (a post: a title in a body), from what defines it."""
    return f"{kind}-{digest(kind, *parts)}"


__all__ = ["derived_id", "entity_id"]

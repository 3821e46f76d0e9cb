"""The accounts of a built graph, as exporters cite them: IRI, file name, title, date, URL, tellers.

The view keeps an account's source name and title, which is all a page needs;
an export pointing back to its sources also wants the account's IRI (to link
it), its URL when the input had one (`dcterms:identifier`) and its date. They
are read here straight from the RDF contract's account statements.
"""
from __future__ import annotations

from collections.abc import Iterator
from typing import NamedTuple

from rdflib import Graph
from rdflib.term import Node

from ..vocab import DCTERMS, PROV, RDF


class AccountRecord(NamedTuple):
    """One account: `source` is its file name (what `graph.view.Source.account` holds)."""

    iri: str
    source: str
    title: str
    date: str = ""
    url: str = ""
    tellers: tuple[str, ...] = ()  # IRIs of the people who tell it


def _objects(graph: Graph, subject: Node | None, predicate: Node, obj: Node | None = None) -> Iterator[tuple]:
    """(subject, object) pairs in every named graph of a dataset (union or not), or in a plain graph."""
    if hasattr(graph, "quads"):
        return ((s, o) for s, _, o, _ in graph.quads((subject, predicate, obj, None)))
    return ((s, o) for s, _, o in graph.triples((subject, predicate, obj)))


def _one(graph: Graph, subject: Node, predicate: Node) -> str:
    """The least value (the same on every run), or ""."""
    return min((str(o) for _, o in _objects(graph, subject, predicate)), default="")


def read_accounts(graph: Graph) -> dict[str, AccountRecord]:
    """Every account by its source name, sorted by it."""
    found: dict[str, AccountRecord] = {}
    for iri in sorted({s for s, _ in _objects(graph, None, RDF.type, PROV.Entity)}, key=str):
        source = _one(graph, iri, DCTERMS.source)
        if not source:
            continue
        url = _one(graph, iri, DCTERMS.identifier)
        found[source] = AccountRecord(
            str(iri), source, _one(graph, iri, DCTERMS.title), _one(graph, iri, DCTERMS.date),
            url if url.startswith(("http://", "https://")) else "",
            tuple(sorted({str(t) for _, t in _objects(graph, iri, DCTERMS.creator)})))
    return dict(sorted(found.items()))


__all__ = ["AccountRecord", "read_accounts"]

"""How big a build is, per type and per account, and who sits at its centre.

Counts are read from the RDF (distinct IRIs, so a person named by three
accounts counts once overall and once in each account). Centrality is
computed on a projection of the view (`graph.view`) onto people and bodies: two
entities are linked when they share an event, when a person holds a role in a
body, or when one body is part of another. Role and event nodes are left out
of the ranking because they are the links, not the actors.
"""
from __future__ import annotations

from collections import Counter
from itertools import combinations
from typing import Any, cast

import networkx as nx
from rdflib import Dataset, Graph, URIRef

from .view import View
from .vocab import DCTERMS, FOAF, ORG, PROV, RDF, SEM, SKOS

TYPES = {"people": FOAF.Person, "bodies": ORG.Organization,
         "roles": ORG.Membership, "events": SEM.Event}


def _count(graph, cls: URIRef) -> int:
    return len(set(graph.subjects(RDF.type, cls)))


def _event_types(graph, labels: dict) -> Counter:
    counts: Counter = Counter()
    for event in set(graph.subjects(RDF.type, SEM.Event)):
        for etype in set(graph.objects(event, SEM.eventType)) or {None}:
            counts[labels.get(etype, "(untyped)")] += 1
    return counts


def counts(ds: Dataset) -> dict[str, Any]:
    """Totals over the union, events by type, and the same per account."""
    labels = {s: str(o) for s, o in ds.subject_objects(SKOS.prefLabel)}
    accounts = sorted(set(ds.subjects(RDF.type, PROV.Entity)), key=str)
    totals = {name: _count(ds, cls) for name, cls in TYPES.items()}
    totals["accounts"] = len(accounts)
    per_account = []
    for account in accounts:
        graph: Graph = ds.graph(cast(URIRef, account))
        if not len(graph):  # a plain Turtle union: no named graphs to count in
            graph = ds
        source = str(ds.value(account, DCTERMS.source) or account)
        teller = ds.value(account, DCTERMS.creator)
        per_account.append({
            "account": source,
            "title": str(ds.value(account, DCTERMS.title) or ""),
            "teller": str(ds.value(teller, FOAF.name) or "") if teller else "",
            "date": str(ds.value(account, DCTERMS.date) or ""),
            **{name: _count(graph, cls) for name, cls in TYPES.items()},
        })
    by_type = _event_types(ds, labels)
    return {"totals": totals,
            "events_by_type": dict(sorted(by_type.items(), key=lambda kv: (-kv[1], kv[0]))),
            "accounts": per_account}


def totals(view: View) -> dict[str, int]:
    """People, bodies, roles held and events: the one definition the build summary, `kg stats` and
    the page print, and the one `kg validate` counts in the RDF (distinct foaf:Person,
    org:Organization, org:Membership, sem:Event). A role held is one membership: a role node,
    or a plain membership drawn as a member-of edge; each event counts once, however many
    accounts tell it."""
    kinds = Counter(n.kind for n in view.nodes.values())
    plain = sum(e.kind == "member_of" for e in view.edges)
    return {"people": kinds["person"], "bodies": kinds["body"], "roles": kinds["role"] + plain,
            "events": kinds["event"]}


def entity_graph(view: View) -> nx.Graph[str]:
    """People and bodies, linked when they share an event or a role, or nest."""
    h: nx.Graph[str] = nx.Graph()
    h.add_nodes_from((n.iri, {"label": n.label, "kind": n.kind}) for n in view.nodes.values()
                     if n.kind in ("person", "body"))
    for n in view.nodes.values():
        if n.kind in ("event", "role"):
            ends = {e.source for e in view.in_edges(n.iri)} | {e.target for e in view.out_edges(n.iri)}
            h.add_edges_from(combinations(sorted(ends & h.nodes.keys()), 2))
    h.add_edges_from((e.source, e.target) for e in view.edges
                     if e.kind in ("part_of", "member_of") and e.source in h and e.target in h)
    return h


def most_connected(view: View) -> list[str]:
    """People and bodies with a link in `entity_graph`, most neighbours first, then most accounts:
    the order the explorer opens on (its "most connected" number takes a prefix of it)."""
    h = entity_graph(view)
    nodes = view.nodes
    return sorted((n for n in h if h.degree(n)),
                  key=lambda n: (-h.degree(n), -len(nodes[n].accounts), nodes[n].label, n))


def central(view: View, top: int = 10) -> dict[str, list[dict[str, Any]]]:
    """The most connected people and bodies, by degree and by betweenness."""
    h = entity_graph(view)
    degree = nx.degree_centrality(h) if len(h) > 1 else {n: 0.0 for n in h}
    between = nx.betweenness_centrality(h, normalized=True) if len(h) > 2 else {n: 0.0 for n in h}
    out: dict[str, list[dict[str, Any]]] = {}
    for kind, plural in (("person", "people"), ("body", "bodies")):
        nodes = [n for n, d in h.nodes(data=True) if d["kind"] == kind]
        ranked = sorted(nodes, key=lambda n: (-h.degree(n), -between[n], h.nodes[n]["label"], n))
        out[plural] = [{"label": h.nodes[n]["label"], "iri": n, "neighbours": h.degree(n),
                        "degree_centrality": round(degree[n], 4), "betweenness": round(between[n], 4),
                        "accounts": len(view.nodes[n].accounts)}
                       for n in ranked[:top]]
    return out


def stats(ds: Dataset, view: View, top: int = 10) -> dict[str, Any]:
    """Totals as `totals` defines them (accounts from the RDF), per account and type from the RDF."""
    info = counts(ds)
    info["totals"] = {"accounts": info["totals"]["accounts"], **totals(view)}
    return {**info, "most_connected": central(view, top)}


def render_text(info: dict[str, Any]) -> str:
    from .query import format_table

    t = info["totals"]
    out = ["Totals", "  " + "   ".join(f"{name}: {t[name]}" for name in
                                      ("accounts", "people", "bodies", "roles", "events")), ""]
    if info["events_by_type"]:
        out.append("Events by type")
        out.append("  " + "   ".join(f"{k}: {v}" for k, v in info["events_by_type"].items()))
        out.append("")
    out.append("Per account")
    cols = ["account", "teller", "date", "people", "bodies", "roles", "events"]
    rows = [[str(a[c]) for c in cols] for a in info["accounts"]]
    out.append(format_table(cols, rows).rstrip("\n"))
    for plural, ranked in info["most_connected"].items():
        out.append("")
        out.append(f"Most connected {plural}")
        cols = ["label", "neighbours", "betweenness", "accounts"]
        out.append(format_table(cols, [[str(r[c]) for c in cols] for r in ranked]).rstrip("\n"))
    return "\n".join(out) + "\n"

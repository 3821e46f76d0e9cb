"""One entity and everything the accounts say about it, each fact with its sentence.

Built on the networkx view (`graph.network.to_networkx`) rather than on SPARQL:
that view already pairs every fact with its account, sentence, offsets and
confidence (read in the same named graph), so `show`, `stats`, `render` and
`export` agree on what a fact is. Lookup is by any name, case-insensitive,
with a fuzzy fallback (rapidfuzz) for typos and partial names.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import networkx as nx

from .errors import KgError
from .network import PLAIN_MEMBER

ENTITY_KINDS = ("person", "body")
FUZZY_CUTOFF = 80    # rapidfuzz WRatio score (0-100) a name must reach to count as a match
CLEAR_LEAD = 8       # points the best fuzzy match must lead the next entity by to be chosen


@dataclass(frozen=True)
class Candidate:
    node: str
    label: str
    kind: str
    score: float
    accounts: tuple[str, ...]

    def describe(self) -> str:
        return f"{self.label} ({self.kind}, {len(self.accounts)} account{'s' * (len(self.accounts) != 1)})"


class Ambiguous(KgError):
    """Several entities fit the name: the message lists them."""

    def __init__(self, name: str, candidates: list[Candidate]):
        self.candidates = candidates
        listed = "; ".join(c.describe() for c in candidates)
        super().__init__(f"{name!r} could mean: {listed} (give the fuller name)")


def _entities(g: nx.MultiDiGraph) -> list[tuple[str, dict[str, Any]]]:
    return [(n, d) for n, d in g.nodes(data=True) if d.get("kind") in ENTITY_KINDS]


def _candidate(node: str, data: dict[str, Any], score: float) -> Candidate:
    return Candidate(node, data["label"], data["kind"], score, tuple(data.get("accounts", ())))


def find(g: nx.MultiDiGraph, name: str, kind: str | None = None) -> Candidate:
    """The one entity `name` refers to; Ambiguous or KgError otherwise.

    Exact (case-insensitive) match on any name or the IRI wins; failing that,
    the best fuzzy match, but only if it clearly leads the runner-up.
    """
    from rapidfuzz import fuzz, process, utils

    wanted = " ".join(name.split()).casefold()
    entities = [(n, d) for n, d in _entities(g) if kind is None or d["kind"] == kind]
    exact = [_candidate(n, d, 100.0) for n, d in entities
             if wanted == n.casefold() or wanted in {x.casefold() for x in d.get("names", [])}]
    if len(exact) == 1:
        return exact[0]
    if len(exact) > 1:
        raise Ambiguous(name, sorted(exact, key=lambda c: (c.label, c.node)))

    choices: dict[tuple[str, str], str] = {}
    for n, d in entities:
        for alias in d.get("names", []) or [d["label"]]:
            choices[(n, alias)] = alias
    best: dict[str, float] = {}
    for _, score, key in process.extract(name, choices, scorer=fuzz.WRatio, limit=None,
                                         score_cutoff=FUZZY_CUTOFF, processor=utils.default_process):
        best[key[0]] = max(score, best.get(key[0], 0.0))
    data = dict(entities)
    ranked = sorted((_candidate(n, data[n], s) for n, s in best.items()),
                    key=lambda c: (-c.score, c.label, c.node))
    if not ranked:
        raise KgError(f"no person or body is named {name!r} (try `kg query --name accounts`"
                      " or a shorter part of the name)")
    if len(ranked) == 1 or ranked[0].score - ranked[1].score >= CLEAR_LEAD:
        return ranked[0]
    raise Ambiguous(name, ranked[:8])


def _facts(facts: list[dict], kind: str) -> list[dict]:
    keys = ("account", "account_title", "sentence", "start", "end", "confidence")
    return [{k: f[k] for k in keys} for f in facts if f["kind"] == kind]


def _label(g: nx.MultiDiGraph, node: str) -> str:
    return g.nodes[node].get("label", node)


def describe(g: nx.MultiDiGraph, node: str) -> dict[str, Any]:
    """Everything about one entity, as plain data (the --json output)."""
    data = g.nodes[node]
    roles: list[dict] = []
    events: list[dict] = []
    for _, target, key in g.out_edges(node, keys=True):
        t = g.nodes[target]
        if key == "holds_role":
            roles.append({"title": t.get("title", t["label"]), "body": t.get("body", ""),
                          "holder": data["label"], "facts": _facts(t["facts"], "role")})
        elif key == "member_of":
            roles.append({"title": "Member", "body": t["label"], "holder": data["label"],
                          "facts": _member_facts(data, t["label"])})
        elif key == "took_part":
            others = sorted({_label(g, a) for a, _ in g.in_edges(target) if a != node})
            events.append({"type": t.get("event_type", ""), "date": t.get("date", ""),
                           "label": t["label"], "with": others, "facts": _facts(t["facts"], "event")})
    if data["kind"] == "body":
        for source, _, key in g.in_edges(node, keys=True):
            s = g.nodes[source]
            if key == "in_body":
                holders = [_label(g, p) for p, _ in g.in_edges(source)]
                for holder in sorted(holders):
                    roles.append({"title": s.get("title", s["label"]), "body": data["label"],
                                  "holder": holder, "facts": _facts(s["facts"], "role")})
            elif key == "member_of":
                roles.append({"title": "Member", "body": data["label"], "holder": s["label"],
                              "facts": _member_facts(s, data["label"])})
    roles.sort(key=lambda r: (r["holder"], r["title"], r["body"]))
    events.sort(key=lambda e: (e["date"] == "", e["date"],
                               min((f["account"], f["start"]) for f in e["facts"]) if e["facts"] else ("", 0)))
    parents = sorted(_label(g, t) for _, t, k in g.out_edges(node, keys=True) if k == "part_of")
    parts = sorted(_label(g, s) for s, _, k in g.in_edges(node, keys=True) if k == "part_of")
    return {
        "iri": data.get("iri", node), "kind": data["kind"], "label": data["label"],
        "names": list(data.get("names", [])),
        "accounts": list(data.get("accounts", [])),
        "narrator_of": list(data.get("narrator_of", [])),
        "part_of": parents, "parts": parts,
        "roles": roles, "events": events,
        "mentions": _facts(data["facts"], "mention"),
    }


def _member_facts(person: dict[str, Any], body: str) -> list[dict]:
    """A plain membership is an edge, not a node: its facts sit on the person."""
    wanted = f", {body}".casefold()
    return _facts([f for f in person["facts"] if f["kind"] == "role"
                   and f["text"].casefold().endswith(wanted)
                   and f["text"].casefold().split(",")[0].strip() in PLAIN_MEMBER], "role")


def _fact_line(f: dict, confidence: bool = True) -> str:
    """One source line; mentions carry no confidence in the graph, so none is shown."""
    where = f"{f['account']} @{f['start']}-{f['end']}" if f["start"] >= 0 else f["account"]
    sentence = " ".join(str(f["sentence"]).split())
    score = f" ({f['confidence']:.2f})" if confidence else ""
    return f"      {where}{score}: \u201c{sentence}\u201d"


def render_text(info: dict[str, Any], max_mentions: int = 3) -> str:
    """A readable page: headings, then each fact with the sentence it came from."""
    out = [f"{info['label']} ({info['kind']})", f"  iri:      {info['iri']}"]
    if len(info["names"]) > 1:
        out.append(f"  names:    {'; '.join(info['names'])}")
    out.append(f"  accounts: {', '.join(info['accounts']) or '(none)'}")
    if info["narrator_of"]:
        out.append(f"  tells:    {', '.join(info['narrator_of'])}")
    if info["part_of"]:
        out.append(f"  part of:  {', '.join(info['part_of'])}")
    if info["parts"]:
        out.append(f"  parts:    {', '.join(info['parts'])}")
    out.append(f"\nRoles ({len(info['roles'])})")
    for role in info["roles"]:
        head = f"{role['holder']}: {role['title']}" if info["kind"] == "body" else role["title"]
        body = role["body"] if info["kind"] == "person" else ""
        out.append(f"  {head}{', ' + body if body else ''}")
        out += [_fact_line(f) for f in role["facts"]]
    out.append(f"\nEvents ({len(info['events'])})")
    for event in info["events"]:
        date = f"{event['date']} " if event["date"] else ""
        with_ = f" with {', '.join(event['with'])}" if event["with"] else ""
        out.append(f"  {date}{event['type']}{with_}")
        out += [_fact_line(f) for f in event["facts"]]
    mentions = info["mentions"]
    out.append(f"\nMentions ({len(mentions)})")
    out += [_fact_line(f, confidence=False) for f in mentions[:max_mentions]]
    if len(mentions) > max_mentions:
        out.append(f"      … {len(mentions) - max_mentions} more (--json lists them all)")
    return "\n".join(out) + "\n"

"""One entity and everything the accounts say about it, each fact with its sentence.

Built on the view (`graph.view.read_view`) rather than on SPARQL: the view
already pairs every fact with its account, sentence, offsets and confidence
(read in the same named graph), so `show`, `stats`, `render` and `export` agree
on what a fact is. Lookup (`find`) is by any name, case-insensitive: exact,
then part of a name ranked by accounts and links (`ranked`, the same order as
the explorer's search), with a fuzzy fallback (rapidfuzz) for typos.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Iterable

from .errors import KgError
from .view import Fact, Node, View

ENTITY_KINDS = ("person", "body")
FUZZY_CUTOFF = 80    # rapidfuzz WRatio score (0-100) a name must reach to count as a match
CLEAR_LEAD = 8       # points the best fuzzy match must lead the next entity by to be chosen
LEAD = 3             # times the accounts a partial match needs over the next to be chosen without asking


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


def _candidate(node: Node, score: float) -> Candidate:
    return Candidate(node.iri, node.label, node.kind, score, node.accounts)


def normalise(text: str) -> str:
    """A name as matching compares it: case folded, runs of white space as one space."""
    return " ".join(text.split()).casefold()


def match_tier(names: Iterable[str], wanted: str) -> int | None:
    """How well normalised `names` fit the normalised `wanted`: 0 one is it, 1 one has a word
    starting with it, 2 one contains it, None no match. The page's search (explorer.js
    `tier`) computes the same on the same normalised names (payload column `keys`)."""
    best: int | None = None
    for x in names:
        tier = 0 if x == wanted else 1 if x.startswith(wanted) or " " + wanted in x else 2 if wanted in x else None
        if tier is not None and (best is None or tier < best):
            best = tier
    return best


def prominence(view: View, iri: str) -> tuple[int, int, int, str]:
    """How an entity ranks among equal matches: not only a narrator, then more accounts, then more
    links, then label. Smaller sorts first; the page sorts its suggestions with the same key."""
    node = view.nodes[iri]
    only_teller = bool(node.narrator_of) and set(node.accounts) <= set(node.narrator_of)
    return (int(only_teller), -len(node.accounts), -view.degree(iri), node.label)


def ranked(view: View, name: str, kinds: Iterable[str] = ENTITY_KINDS) -> list[tuple[int, Node]]:
    """Every node of `kinds` whose names fit `name`, best first: (tier, node), by tier then `prominence`."""
    wanted = normalise(name)
    if not wanted:
        return []
    allowed = set(kinds)
    hits = [(tier, n) for n in view.nodes.values() if n.kind in allowed
            and (tier := match_tier([normalise(x) for x in n.names], wanted)) is not None]
    return sorted(hits, key=lambda hit: (hit[0], *prominence(view, hit[1].iri), hit[1].iri))


def _clearly_first(view: View, hits: list[tuple[int, Node]]) -> bool:
    """The top hit stands out: the only one of its tier, or named by at least LEAD times the accounts
    of the next of its tier (Charles Kennedy in 46 accounts over a Baroness Kennedy in 2)."""
    same = [n for tier, n in hits if tier == hits[0][0]]
    return len(same) == 1 or len(same[0].accounts) >= LEAD * max(1, len(same[1].accounts))


def find(view: View, name: str, kind: str | None = None) -> Candidate:
    """The one entity `name` refers to; Ambiguous or KgError otherwise. `kg show` and
    `kg render --focus` both resolve names with it.

    An exact (case-insensitive) name or the IRI wins (several: Ambiguous); then
    names with a word starting with `name`, then names containing it, the one
    in clearly the most accounts winning (`_clearly_first`); failing those, the
    best fuzzy match, but only if it clearly leads the runner-up.
    """
    from rapidfuzz import fuzz, process, utils

    kinds = ENTITY_KINDS if kind is None else (kind,)
    wanted = normalise(name)
    entities = {n.iri: n for n in view.nodes.values() if n.kind in kinds}
    by_iri = [_candidate(n, 100.0) for n in entities.values() if wanted == n.iri.casefold()]
    if by_iri:
        return by_iri[0]
    hits = ranked(view, name, kinds)
    if hits and hits[0][0] == 0:
        exact = [_candidate(n, 100.0) for tier, n in hits if tier == 0]
        if len(exact) == 1:
            return exact[0]
        raise Ambiguous(name, sorted(exact, key=lambda c: (c.label, c.node)))
    if hits and _clearly_first(view, hits):
        return _candidate(hits[0][1], 100.0)
    if hits:
        same = [_candidate(n, 100.0) for tier, n in hits if tier == hits[0][0]]
        raise Ambiguous(name, same[:8])

    choices = {(n.iri, alias): alias for n in entities.values() for alias in n.names or (n.label,)}
    best: dict[str, float] = {}
    for _, score, key in process.extract(name, choices, scorer=fuzz.WRatio, limit=None,
                                         score_cutoff=FUZZY_CUTOFF, processor=utils.default_process):
        best[key[0]] = max(score, best.get(key[0], 0.0))
    fuzzy = sorted((_candidate(entities[n], s) for n, s in best.items()),
                   key=lambda c: (-c.score, c.label, c.node))
    if not fuzzy:
        raise KgError(f"no person or body is named {name!r} (try `kg query --name accounts`"
                      " or a shorter part of the name)")
    if len(fuzzy) == 1 or fuzzy[0].score - fuzzy[1].score >= CLEAR_LEAD:
        return fuzzy[0]
    raise Ambiguous(name, fuzzy[:8])


def _facts(facts: tuple[Fact, ...], kind: str) -> list[dict[str, Any]]:
    return [{"account": f.source.account, "account_title": f.source.account_title,
             "sentence": f.source.sentence, "start": f.source.start, "end": f.source.end,
             "page": f.source.page or None, "confidence": f.confidence} for f in facts if f.kind == kind]


def _role(title: str, body: str, holder: str, facts: tuple[Fact, ...]) -> dict[str, Any]:
    return {"title": title, "body": body, "holder": holder, "facts": _facts(facts, "role")}


def describe(view: View, iri: str) -> dict[str, Any]:
    """Everything about one entity, as plain data (the --json output)."""
    node, nodes = view.nodes[iri], view.nodes
    roles: list[dict] = []
    events: list[dict] = []
    for edge in view.out_edges(iri):
        target = nodes[edge.target]
        if edge.kind == "holds_role":
            roles.append(_role(target.title, target.body, node.label, target.facts))
        elif edge.kind == "member_of":  # a plain membership is an edge: it carries its facts
            roles.append(_role("Member", target.label, node.label, edge.facts))
        elif edge.kind == "took_part":
            others = sorted({nodes[e.source].label for e in view.in_edges(target.iri) if e.source != iri})
            events.append({"type": target.event_type, "date": target.date, "label": target.label,
                           "with": others, "facts": _facts(target.facts, "event")})
    if node.kind == "body":
        for edge in view.in_edges(iri):
            source = nodes[edge.source]
            if edge.kind == "in_body":
                for holder in sorted(nodes[e.source].label for e in view.in_edges(source.iri)):
                    roles.append(_role(source.title, node.label, holder, source.facts))
            elif edge.kind == "member_of":
                roles.append(_role("Member", node.label, source.label, edge.facts))
    roles.sort(key=lambda r: (r["holder"], r["title"], r["body"]))
    events.sort(key=lambda e: (e["date"] == "", e["date"],
                               min((f["account"], f["start"]) for f in e["facts"]) if e["facts"] else ("", 0)))
    return {
        "iri": node.iri, "kind": node.kind, "label": node.label,
        **({"body_kind": node.body_kind or None} if node.kind == "body" else {}),
        "names": list(node.names), "accounts": list(node.accounts), "narrator_of": list(node.narrator_of),
        "part_of": sorted(nodes[e.target].label for e in view.out_edges(iri) if e.kind == "part_of"),
        "parts": sorted(nodes[e.source].label for e in view.in_edges(iri) if e.kind == "part_of"),
        "roles": roles, "events": events,
        "mentions": _facts(node.facts, "mention"),
    }


def _fact_line(f: dict, confidence: bool = True) -> str:
    """One source line; mentions carry no confidence in the graph, so none is shown."""
    where = f"{f['account']}, p. {f['page']}" if f.get("page") else f["account"]
    where = f"{where} @{f['start']}-{f['end']}" if f["start"] >= 0 else where
    sentence = " ".join(str(f["sentence"]).split())
    score = f" ({f['confidence']:.2f})" if confidence else ""
    return f"      {where}{score}: \u201c{sentence}\u201d"


def render_text(info: dict[str, Any], max_mentions: int = 3) -> str:
    """A readable page: headings, then each fact with the sentence it came from."""
    out = [f"{info['label']} ({info['kind']})", f"  iri:      {info['iri']}"]
    if info.get("body_kind"):
        out.append(f"  is a:     {info['body_kind']}")
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

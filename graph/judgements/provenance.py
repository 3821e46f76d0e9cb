"""A person's judgements as PROV, in their own named graph; and the report a build keeps of them.

Each entry is a `kg:Judgement` (a `prov:Activity`) in the graph
`<base>judgements`, apart from every account's graph, so SPARQL can tell a
person's decisions from the extractor's:

    <base>judgement/<digest> a prov:Activity, kg:Judgement ;
        kg:judgementKind "same" ; rdfs:label "same Ann Other / A. Other" ;
        prov:wasAssociatedWith <base>agent/ann ; prov:endedAtTime "2026-12-01T13:00:00Z"^^xsd:dateTime ;
        rdfs:comment "why" ; prov:invalidated <what it removed> .
    <node> kg:mergedBy | kg:splitBy | kg:renamedBy | kg:retypedBy <judgement> .
    <membership or event> kg:confirmedBy <judgement> .

The report (`judgements.json` beside graph.trig) says what each entry matched
in this build, for `kg judgements`, and how the build was made, so the
commands that add a judgement can rebuild the same way.
"""
from __future__ import annotations

import json
from typing import Any

from ..model import KnowledgeGraph
from ..quads import A, LABEL, Minter, Triple, digest, event_iri, membership_iri, slug
from ..vocab import KG, PROV, RDFS, XSD
from .apply import Judge
from .entries import DROPPED

GRAPH = "judgements"
REPORT = "judgements.json"
ACTIVITY, AGENT, ASSOCIATED, ENDED, INVALIDATED = map(str, (
    PROV.Activity, PROV.Agent, PROV.wasAssociatedWith, PROV.endedAtTime, PROV.invalidated))
JUDGEMENT, KIND, CONFIRMED_BY, COMMENT = str(KG.Judgement), str(KG.judgementKind), str(KG.confirmedBy), \
    str(RDFS.comment)
MARKS = {"merged": str(KG.mergedBy), "split": str(KG.splitBy), "renamed": str(KG.renamedBy),
         "retyped": str(KG.retypedBy)}


def graph_iri(base: str) -> str:
    return Minter(base)(GRAPH)


def activity_iri(mint: Minter, entry: dict[str, Any]) -> str:
    return mint("judgement", digest(json.dumps(entry, sort_keys=True, ensure_ascii=False, default=str)))


def statements(judge: Judge, kg: KnowledgeGraph, base: str) -> list[Triple]:
    """The judgements graph of a build whose merge `judge` adjusted; `kg` is the graph it wrote."""
    mint = Minter(base)
    out: dict[Triple, None] = {}
    acts = {}
    for outcome in judge.outcomes:
        j = outcome.judgement
        act = acts[j.number] = activity_iri(mint, j.to_yaml())
        out[act, A, ACTIVITY] = None
        out[act, A, JUDGEMENT] = None
        out[act, KIND, (j.kind, None)] = None
        out[act, LABEL, (j.describe(), None)] = None
        if j.who:
            agent = mint("agent", slug(j.who))
            out[act, ASSOCIATED, agent] = None
            out[agent, A, AGENT] = None
            out[agent, LABEL, (j.who, None)] = None
        if j.when:
            out[act, ENDED, (j.when, str(XSD.dateTime) if "T" in j.when else str(XSD.date))] = None
        if j.why:
            out[act, COMMENT, (j.why, None)] = None
        if outcome.status == "applied" and (j.kind == "reject" or (j.kind == "not" and j.is_kind in DROPPED)):
            for iri, _label in outcome.matched:
                out[act, INVALIDATED, iri] = None
    state = judge.state
    if state is not None:
        for mark in state.marks:
            for node_id in sorted({kg.node_of[m] for m in mark.members if m in kg.node_of}):
                if node_id in kg.nodes:
                    out[mint.node(kg.nodes[node_id]), MARKS[mark.how], acts[mark.number]] = None
        for role in kg.roles:
            for number in state.confirmed.get(state.role_key(role), ()):
                out[membership_iri(mint, role.person, role.title, role.body), CONFIRMED_BY, acts[number]] = None
        for event in kg.events:
            for number in state.confirmed.get(state.event_key(event), ()):
                out[event_iri(mint, event), CONFIRMED_BY, acts[number]] = None
    return list(out)


def report(judge: Judge | None, build: dict[str, Any]) -> bytes:
    """judgements.json: how the build was made and what each judgement matched in it."""
    mint = Minter(build["base"])
    entries = []
    for outcome in judge.outcomes if judge else []:
        j = outcome.judgement
        entries.append({"number": j.number, "kind": j.kind, "entry": j.to_yaml(), "describe": j.describe(),
                        "status": outcome.status, "note": outcome.note,
                        "matched": [{"iri": iri, "label": label} for iri, label in outcome.matched],
                        "activity": activity_iri(mint, j.to_yaml())})
    return (json.dumps({"build": build, "judgements": entries}, indent=2, ensure_ascii=False,
                       sort_keys=True) + "\n").encode("utf-8")


def warnings(judge: Judge | None) -> list[str]:
    """One line per judgement that matched nothing, or only in part, or could not be applied."""
    lines = []
    for outcome in judge.outcomes if judge else []:
        if outcome.status in ("stale", "conflict") or outcome.note and "matches nothing" in outcome.note:
            lines.append(f"judgement {outcome.judgement.number} ({outcome.judgement.describe()}): "
                         f"{outcome.status}{': ' + outcome.note if outcome.note else ''}")
    return lines

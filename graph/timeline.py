"""`kg timeline`: events and role changes in date order, each with its account and sentence.

Read from a built graph: events from the view (`graph.view`: type, date, who
acted, everyone taking part, one row per account telling it), role changes
from each role's org:memberDuring intervals (`graph.tenure` wrote them: one per
account, each bound with its evidence). People and bodies to filter by are
found with `graph.show.find`, the same matching `kg show` uses. Dated rows come
first in date order, undated ones after them in account and text order.
"""
from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass

from rdflib import Dataset, URIRef

from .errors import KgError
from .model import EVENT_TYPES
from .quads import (CUE, EVIDENCE, EXACT, HAS_BEGINNING, HAS_END, HAS_SELECTOR, HAS_SOURCE, IN_ORG, IN_XSD,
                    MAIN_ACTOR, MEMBER, MEMBER_DURING, ORG_ROLE, PREF, SOURCE, STANCE, START)
from .safetext import safe_cell
from .show import find
from .view import View, read_view

ROLE_TYPES = ("Began", "Ended")  # a role change's row type: the role began, the role ended
TYPES = (*EVENT_TYPES, *ROLE_TYPES)
COLUMNS = ("date", "type", "who", "what", "stance", "account", "sentence")
FORMATS = ("table", "csv", "json")


@dataclass(frozen=True)
class Row:
    """One line of the timeline. `who`: who acted (an event's agents, else its main participant;
    a role's holder);
    `what`: the others taking part, or the role (title, body); `about`: the IRIs a filter matches."""

    date: str
    type: str
    who: str
    what: str
    stance: str      # the account's own marking of an event: Alleged, Denied, Confirmed, Rumoured
    account: str
    sentence: str
    start: int
    about: frozenset[str]

    def record(self) -> dict[str, str]:
        return {k: v for k, v in asdict(self).items() if k in COLUMNS}


def _event_rows(ds: Dataset, view: View) -> Iterable[Row]:
    """One row per account telling each event; `who` is who acted, else the main participant."""
    for node in view.nodes.values():
        if node.kind != "event":
            continue
        main = _one(ds, URIRef(node.iri), MAIN_ACTOR)
        first = node.agents or ((main,) if main in view.nodes else ())
        agents = [view.nodes[a].label for a in first]
        others = sorted(view.nodes[a].label for a in node.actors if a not in first)
        stance = _one(ds, URIRef(_one(ds, URIRef(node.iri), STANCE)), PREF) if _one(ds, URIRef(node.iri), STANCE) else ""
        for fact in node.facts:
            yield Row(node.date, node.event_type, ", ".join(agents), ", ".join(others), stance, fact.source.account,
                      fact.source.sentence, fact.source.start, frozenset(node.actors))


def _one(ds: Dataset, s, p: str) -> str:
    return min((str(o) for o in ds.objects(s, URIRef(p))), default="")


def _role_rows(ds: Dataset, view: View) -> Iterable[Row]:
    """One row per bound of each role held, as its account tells it (a bound with no date, an
    undated resignation, is a row without a date)."""
    for m, _, interval in ds.triples((None, URIRef(MEMBER_DURING), None)):
        person, body = _one(ds, m, MEMBER), _one(ds, m, IN_ORG)
        holder = view.nodes[person].label if person in view.nodes else person
        title = _one(ds, URIRef(_one(ds, m, ORG_ROLE)), PREF) if _one(ds, m, ORG_ROLE) else ""
        role = title + (f", {view.nodes[body].label}" if body in view.nodes else "")
        for pred, kind in ((HAS_BEGINNING, "Began"), (HAS_END, "Ended")):
            for instant in ds.objects(interval, URIRef(pred)):
                date = min((str(d) for p in IN_XSD.values() for d in ds.objects(instant, URIRef(p))), default="")
                evidence = _one(ds, instant, EVIDENCE)
                account, sentence, start = _source(ds, URIRef(evidence)) if evidence else ("", "", -1)
                cue = _one(ds, instant, CUE)
                yield Row(date, kind, holder, f"{role} ({cue})" if cue else role, "", account, sentence, start,
                          frozenset({person, body} - {""}))


def _source(ds: Dataset, evidence: URIRef) -> tuple[str, str, int]:
    account = _one(ds, URIRef(_one(ds, evidence, HAS_SOURCE)), SOURCE)
    sentence, start = "", -1
    for sel in ds.objects(evidence, URIRef(HAS_SELECTOR)):
        sentence = sentence or _one(ds, sel, EXACT)
        if _one(ds, sel, START):
            start = int(_one(ds, sel, START))
    return account, sentence, start


def _within(date: str, since: str | None, until: str | None) -> bool:
    """Whether `date` falls in [since, until], each compared at the coarser precision of the two."""
    if not (since or until):
        return True
    if not date:
        return False
    if since and date[:len(since)] < since[:len(date)]:
        return False
    return not (until and date[:len(until)] > until[:len(date)])


def timeline(ds: Dataset, types: Sequence[str] = (), person: str | None = None, body: str | None = None,
             since: str | None = None, until: str | None = None, view: View | None = None) -> list[Row]:
    """The rows that pass every filter given, in order (see the module docstring)."""
    view = view or read_view(ds)
    wanted = {t.lower() for t in types}
    unknown = [t for t in types if t.lower() not in {known.lower() for known in TYPES}]
    if unknown:
        raise KgError(f"unknown --type {unknown[0]!r} (one of: {', '.join(TYPES)})")
    about = [find(view, name, kind).node for name, kind in ((person, "person"), (body, "body")) if name]
    rows = [r for r in (*_event_rows(ds, view), *_role_rows(ds, view))
            if (not wanted or r.type.lower() in wanted) and all(iri in r.about for iri in about)
            and _within(r.date, since, until)]
    return sorted(rows, key=lambda r: (r.date == "", r.date, r.account if not r.date else "", r.start,
                                       r.type, r.who, r.what, r.account, r.sentence))


def render(rows: list[Row], fmt: str) -> str:
    """The rows as an aligned table, CSV (cells made safe for spreadsheets) or JSON."""
    if fmt == "json":
        return json.dumps([r.record() for r in rows], indent=2, ensure_ascii=False) + "\n"
    if fmt == "csv":
        buf = io.StringIO()
        writer = csv.writer(buf, lineterminator="\n")
        writer.writerow(COLUMNS)
        for r in rows:
            writer.writerow([safe_cell(v) for v in r.record().values()])
        return buf.getvalue()
    from .query import format_table

    return format_table(list(COLUMNS), [list(r.record().values()) for r in rows])


__all__ = ["COLUMNS", "FORMATS", "Row", "TYPES", "render", "timeline"]

"""The explorer page's data: the view's records as tables, written with one `json.dumps`.

The format is defined here and only here; it describes itself, so the page's
script (`templates/explorer.js`) and `unpack` below read it without knowing a
single column name:

- four tables, `accounts`, `nodes`, `facts` and `edges`, each a mapping of
  column name -> list of values, one value per row;
- `strings`: every string the tables hold, once each, sorted; `interned` names,
  per table, the columns whose values (or list items) are indexes into it.
  A sentence naming several people is evidence on each of their nodes, and a
  big build has tens of thousands of facts: each string is stored once;
- references between tables are row numbers: `nodes.facts` lists rows of
  `facts` (each fact is stored once, however many nodes hold it), `edges.from`
  and `edges.to` are rows of `nodes` (a node's id on the canvas is its row);
- the rest is the page's settings: `kinds` (legend, counts), `edgeColours`,
  `edgeLabels`, `focus` (node rows), `total` (nodes in the whole graph) and
  `options` (vis-network's).

Rows follow the view's order and JSON keys are sorted: same graph, same bytes.
Account text is untrusted: `dumps` escapes `<`, `>` and `&` so the block can
neither close its `<script>` nor open a tag.
"""
from __future__ import annotations

import json
from itertools import chain
from typing import Any

from .safetext import visible
from .view import Fact, View

# Columns of each table whose values are indexes into `strings` (a list column: each item is).
INTERNED: dict[str, tuple[str, ...]] = {
    "accounts": ("source", "title"),
    "nodes": ("kind", "label", "short", "names", "accounts", "date", "narrator_of"),
    "facts": ("kind", "account", "sentence", "date", "holder", "title", "body", "event_type", "actors"),
    "edges": ("kind", "label", "accounts"),
}
Table = dict[str, list[Any]]


def _short_label(label: str, kind: str, event_type: str, date: str) -> str:
    """What is drawn on the canvas: events by type and date (the full label is in the panel)."""
    if kind == "event":
        return event_type + (f" · {date}" if date else "")
    return label if len(label) <= 36 else label[:34] + "…"


def _columns(rows: list[Any], width: int) -> list[tuple[Any, ...]]:
    """Records (tuples) turned into `width` columns, empty ones when there are none."""
    return [*zip(*rows)] or [()] * width


def tables(view: View) -> dict[str, Table]:
    """The view's records as the four tables, strings not yet interned; read a column at a time."""
    ids = {iri: i for i, iri in enumerate(view.nodes)}
    nodes = [*view.nodes.values()]
    fact_ids: dict[Fact, int] = {}
    for node in nodes:
        for f in node.facts:
            fact_ids.setdefault(f, len(fact_ids))
    counts: dict[str, int] = {}
    for node in nodes:
        for a in node.accounts:
            counts[a] = counts.get(a, 0) + 1
    kind, _, source, confidence, date, holder, title, body, event_type, actors = _columns([*fact_ids], 10)
    account, _, sentence, start, end, _pages = _columns([*source], 6)  # pages: not drawn yet
    named = sorted(set(counts) | set(account) | {a for e in view.edges for a in e.accounts})
    return {
        "accounts": {"source": named, "title": [view.accounts.get(a, "") for a in named],
                     "nodes": [counts.get(a, 0) for a in named]},
        "nodes": {"kind": [n.kind for n in nodes], "label": [n.label for n in nodes],
                  "short": [_short_label(n.label, n.kind, n.event_type, n.date) for n in nodes],
                  "names": [list(n.names) for n in nodes], "accounts": [list(n.accounts) for n in nodes],
                  "date": [n.date for n in nodes], "narrator_of": [list(n.narrator_of) for n in nodes],
                  "facts": [[*map(fact_ids.__getitem__, n.facts)] for n in nodes]},
        "facts": {"kind": [*kind], "account": [*account], "sentence": [*sentence], "start": [*start],
                  "end": [*end], "confidence": [*confidence], "date": [*date], "holder": [*holder],
                  "title": [*title], "body": [*body], "event_type": [*event_type], "actors": [*map(list, actors)]},
        "edges": {"from": [ids[e.source] for e in view.edges], "to": [ids[e.target] for e in view.edges],
                  "kind": [e.kind for e in view.edges], "label": [e.label for e in view.edges],
                  "accounts": [list(e.accounts) for e in view.edges]},
    }


def pack(view: View, settings: dict[str, Any]) -> dict[str, Any]:
    """The page's data: the tables with their strings interned, beside `settings` (kinds, options, ...)."""
    raw = tables(view)
    strings: set[str] = set()
    for name, columns in INTERNED.items():
        for c in columns:
            values = raw[name][c]
            strings.update(chain.from_iterable(values) if values and isinstance(values[0], list) else values)
    ordered = sorted(strings)
    index = {s: i for i, s in enumerate(ordered)}.__getitem__
    shown = [page_text(s) for s in ordered]
    for name, columns in INTERNED.items():
        for c in columns:
            values = raw[name][c]
            raw[name][c] = ([[*map(index, v)] for v in values] if values and isinstance(values[0], list)
                            else [*map(index, values)])
    focus = set(view.focus)
    return {**settings, **raw, "strings": shown, "interned": {k: list(v) for k, v in INTERNED.items()},
            "focus": [i for i, iri in enumerate(view.nodes) if iri in focus]}


_SEPARATORS = str.maketrans({"\u2028": "\n", "\u2029": "\n\n", "\u0085": "\n"})


def page_text(text: str) -> str:
    """A string as the page shows it: line separators as line breaks, every other control
    character (ESC, NUL, bidi overrides and isolates, lone surrogates) as a visible escape,
    so a name cannot display reversed ("txt.exe" as "exe.txt") or hide what follows it."""
    return visible(text.translate(_SEPARATORS), keep="\n\t")


_UNSAFE = (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"), ("\u2028", "\\u2028"), ("\u2029", "\\u2029"))


def dumps(data: dict[str, Any]) -> str:
    """Compact JSON, keys sorted, safe inside a `<script type="application/json">` block.

    The escaped characters can only occur inside JSON strings, where `\\u003c`
    means the same `<` to any JSON reader.
    """
    text = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"), allow_nan=False)
    for char, escaped in _UNSAFE:
        text = text.replace(char, escaped)
    return text


def unpack(data: dict[str, Any]) -> dict[str, list[dict[str, Any]]]:
    """Each table as one dict per row, strings looked up: what the page's script makes of the data."""
    strings = data["strings"]
    out: dict[str, list[dict[str, Any]]] = {}
    for name, interned in data["interned"].items():
        columns: Table = data[name]
        n = len(next(iter(columns.values()), []))
        out[name] = [{c: ([strings[j] for j in v[i]] if isinstance(v[i], list) else strings[v[i]])
                      if c in interned else v[i] for c, v in columns.items()} for i in range(n)]
    return out


__all__ = ["INTERNED", "dumps", "pack", "tables", "unpack"]

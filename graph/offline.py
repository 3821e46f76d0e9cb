"""No network from input: what a query or a graph file handed to kg may reach.

kg promises no network at run time, and its input is untrusted: a query file
someone sends can hold `SERVICE <http://…>` (both engines would make the
request) or `FROM <http://…>` / `FROM <file:///…>` (rdflib fetches and parses
it), and a JSON-LD graph can name a remote `@context` (rdflib fetches it on
every load). Each of these is refused here, before any engine or parser sees
it, with a message saying how to get what was meant.
"""
from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

from .errors import KgError

MAX_JSON_DEPTH = 200  # a JSON-LD graph nested deeper is refused, not recursed into


def _nodes(value) -> Iterator:
    """Every CompValue in rdflib's parse tree of a query."""
    from rdflib.plugins.sparql.parserutils import CompValue

    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, CompValue):
            yield item
            stack.extend(item.values())
        elif isinstance(item, (list, tuple)):
            stack.extend(item)


def check_service(parsed, allow_service: bool = False) -> None:
    """Refuse SERVICE (SILENT or not) unless the user asked for federation."""
    if allow_service:
        return
    for node in _nodes(parsed[1]):  # parsed[0] is the prologue
        if node.name == "ServiceGraphPattern":
            raise KgError(f"the query calls SERVICE {node.get('term')}: kg makes no network requests "
                          "from a query unless you pass --allow-service")


def dataset_graphs(parsed) -> list[str]:
    """The IRIs a query names in FROM / FROM NAMED (its dataset clause)."""
    body = parsed[1]
    clauses = body["datasetClause"] if "datasetClause" in body else []
    return [str(c["default"] if "default" in c else c["named"]) for c in clauses]


def check_dataset(iris: list[str], known: set[str]) -> None:
    """FROM and FROM NAMED may only name graphs the built graph holds (its accounts)."""
    for iri in iris:
        if iri not in known:
            raise KgError(f"FROM <{iri}> is not a graph of this build: FROM and FROM NAMED may only "
                          "name its account graphs (list them with "
                          "`kg query 'SELECT DISTINCT ?g WHERE { GRAPH ?g {} }'`)")


def _contexts(value, depth: int = 0) -> Iterator:
    if depth > MAX_JSON_DEPTH:
        raise ValueError(f"nested deeper than {MAX_JSON_DEPTH} levels")
    if isinstance(value, dict):
        for key, item in value.items():
            if key in ("@context", "@import"):
                yield item
            yield from _contexts(item, depth + 1)
    elif isinstance(value, list):
        for item in value:
            yield from _contexts(item, depth + 1)


def _remote(context) -> str | None:
    """The first context given by reference (a URL or a path) rather than inline."""
    items = context if isinstance(context, list) else [context]
    for item in items:
        if isinstance(item, str):
            return item
        if isinstance(item, dict) and isinstance(item.get("@import"), str):
            return item["@import"]
    return None


def local_jsonld(path: Path) -> str:
    """The text of a JSON-LD graph whose every @context is inline; else a clear error."""
    try:
        text = path.read_text(encoding="utf-8")
        data = json.loads(text)
        contexts = list(_contexts(data))
    except (OSError, UnicodeDecodeError) as exc:
        raise KgError(f"{path}: cannot read the graph ({exc})") from None
    except (ValueError, RecursionError) as exc:
        raise KgError(f"{path}: not a readable json-ld graph: {exc}") from None
    for context in contexts:
        ref = _remote(context)
        if ref is not None:
            raise KgError(f"{path}: the JSON-LD names a remote @context ({ref}); kg loads no "
                          "documents from the network or disk while reading a graph: inline the context")
    return text

"""The served build in an Oxigraph store, changed graph by graph.

Each account is a named graph (as in graph.trig); the default graph holds the
union of them all, each triple once, as `kg query` sees it (Oxigraph's own
union default graph counts a triple once per graph that states it). A rebuild
compares each graph's statements with the last ones and touches only the
graphs that differ, so adding one account to a thousand changes a few
thousand quads, not a million. A query sees the store as it was when it
started (Oxigraph reads from a snapshot); `lock` keeps a query from starting
halfway through an update.
"""
from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from .. import quads
from ..errors import KgError

XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"


class Terms:
    """Plain statement values (`graph.quads`) as Oxigraph terms, each distinct one made once per update."""

    def __init__(self) -> None:
        self.made: dict[Any, Any] = {}

    def __call__(self, value: quads.Term) -> Any:
        term = self.made.get(value)
        if term is None:
            if isinstance(value, str):
                term = ox.NamedNode(value)
            else:
                term = ox.Literal(value[0], datatype=ox.NamedNode(value[1] or XSD_STRING))
            self.made[value] = term
        return term


class GraphStore:
    """An Oxigraph store (in memory, or in folder `path`) holding one build at a time."""

    def __init__(self, path: Path | None = None) -> None:
        try:
            self.store = ox.Store(str(path)) if path is not None else ox.Store()
        except OSError as exc:
            raise KgError(f"{path}: cannot open an Oxigraph store there ({exc})") from exc
        self.on_disk = path is not None
        self.lock = threading.Lock()
        self.graphs: quads.Graphs = {}
        self.union: Counter[quads.Triple] = Counter()  # triple -> how many graphs state it
        with self.lock:
            self.store.clear()  # a store folder left by an earlier run holds an older build

    def replace(self, graphs: quads.Graphs) -> int:
        """Make the store hold `graphs`; how many named graphs changed."""
        changed = [g for g in sorted(set(graphs) | set(self.graphs))
                   if graphs.get(g) != self.graphs.get(g)]
        if not changed:
            return 0
        terms = Terms()
        gone: list[quads.Triple] = []
        added: list[quads.Triple] = []
        for g in changed:
            for triple in self.graphs.get(g, ()):
                self.union[triple] -= 1
                if not self.union[triple]:
                    del self.union[triple]
                    gone.append(triple)
            for triple in graphs.get(g, ()):
                self.union[triple] += 1
                if self.union[triple] == 1:
                    added.append(triple)
        # a triple that left one graph and came in another is in both lists: it stays
        kept = set(gone) & set(added)
        if not self.graphs and self.on_disk:
            # the first build into a store on disk: loaded in bulk and compacted (10,000 accounts:
            # 42 s, where quad by quad had not finished after 7 minutes); later changes are small
            with self.lock:
                self.store.bulk_extend(self._quads(graphs, changed, added, terms))
                self.store.optimize()
            self.graphs = dict(graphs)
            return len(changed)
        with self.lock:
            for g in changed:
                if g in self.graphs:
                    self.store.remove_graph(ox.NamedNode(g))
            default = ox.DefaultGraph()
            for s, p, o in gone:
                if (s, p, o) not in kept:
                    self.store.remove(ox.Quad(terms(s), terms(p), terms(o), default))
            self.store.extend(self._quads(graphs, changed, [t for t in added if t not in kept], terms))
        self.graphs = dict(graphs)
        return len(changed)

    @staticmethod
    def _quads(graphs: quads.Graphs, changed: list[str], union: list[quads.Triple],
               terms: Terms) -> Iterator[Any]:
        for g in changed:
            name = terms(g)
            for s, p, o in graphs.get(g, ()):
                yield ox.Quad(terms(s), terms(p), terms(o), name)
        default = ox.DefaultGraph()
        for s, p, o in union:
            yield ox.Quad(terms(s), terms(p), terms(o), default)

    def query(self, text: str, prefixes: dict[str, str], default_graph: Iterable[str] = (),
              named_graphs: Iterable[str] = ()) -> Any:
        """Start a query (its answer is read from a snapshot taken now)."""
        options: dict[str, Any] = {}
        if default_graph:
            options["default_graph"] = [ox.NamedNode(g) for g in default_graph]
        if named_graphs:
            options["named_graphs"] = [ox.NamedNode(g) for g in named_graphs]
        with self.lock:
            return self.store.query(text, prefixes=prefixes, **options)

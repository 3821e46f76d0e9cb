"""Check a built graph against the SHACL shapes in `graph/schema/shapes.ttl`.

The shapes describe the union of a build's named graphs: a person's name sits
in the shared graph while the accounts naming them sit in each account's
graph, so validating graph by graph would report every person as incomplete.
Warnings (sh:Warning) are reported but do not make a graph fail. The shapes
use SHACL-AF SPARQL targets (pyshacl's `advanced` mode) for the checks that
need arithmetic or paths, so each runs once over the graph.
"""
from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from rdflib import Dataset, Graph, URIRef
from rdflib.namespace import SH
from rdflib.term import Node as Term

from .errors import KgError
from .paths import SCHEMA
from .rdf import union
from .vocab import FOAF, OA, ORG, PREFIXES, PROV, RDF, SEM

SHAPES = SCHEMA / "shapes.ttl"

# what "conforms" counts, in the order printed
KINDS: tuple[tuple[str, URIRef], ...] = (
    ("accounts", PROV.Entity), ("people", FOAF.Person), ("bodies", ORG.Organization),
    ("memberships", ORG.Membership), ("events", SEM.Event), ("evidence", OA.SpecificResource),
)


@dataclass(frozen=True, order=True)
class Problem:
    """One SHACL result, in words: which node, which property, what is wrong."""

    severity: str           # "Violation", "Warning" or "Info"
    focus: str
    path: str
    message: str
    value: str = ""

    def line(self) -> str:
        where = f"{self.focus}  {self.path}" if self.path else self.focus
        value = f" (value: {self.value})" if self.value and self.value != self.focus else ""
        return f"{where}: {self.message}{value}"


@dataclass
class Report:
    conforms: bool
    problems: list[Problem] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def violations(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "Violation"]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity != "Violation"]

    def summary(self) -> str:
        """One line of counts: "5 accounts, 12 people, ... (840 triples in 6 graphs)"."""
        c = self.counts
        kinds = ", ".join(f"{c.get(name, 0)} {name}" for name, _ in KINDS)
        graphs = c.get("graphs", 0)
        return f"{kinds} ({c.get('triples', 0)} triples in {graphs} graph{'s' if graphs != 1 else ''})"

    def text(self, limit: int = 0) -> str:
        """The readable report; at most `limit` problems of each severity (0: all)."""
        lines = [("conforms: " if self.conforms else "does not conform: ") + self.summary()]
        for label, group in (("violation", self.violations), ("warning", self.warnings)):
            if not group:
                continue
            lines.append(f"{len(group)} {label}{'s' if len(group) != 1 else ''}:")
            shown = group if limit <= 0 else group[:limit]
            lines += [f"  {p.line()}" for p in shown]
            if len(shown) < len(group):
                lines.append(f"  ... and {len(group) - len(shown)} more (--max 0 shows all)")
        return "\n".join(lines)


@lru_cache(maxsize=4)
def load_shapes(path: Path = SHAPES) -> Graph:
    """Parsed once per process: the shapes never change while kg runs."""
    from .store import parser_message, require_file

    require_file(path, "shapes file")
    try:
        return Graph().parse(path, format="turtle")
    except Exception as exc:  # rdflib raises many kinds; all mean "not Turtle"
        raise KgError(f"{path}: not a readable Turtle shapes file: {parser_message(exc)}") from exc


def _count(ds: Graph, data: Graph) -> dict[str, int]:
    counts = {name: len(set(data.subjects(RDF.type, cls))) for name, cls in KINDS}
    counts["triples"] = len(data)
    graphs = [g for g in ds.graphs() if len(g)] if isinstance(ds, Dataset) else [ds]
    counts["graphs"] = len(graphs)
    return counts


def _namer(g: Graph) -> Callable[[Term | None], str]:
    def name(term: Term | None) -> str:
        return "" if term is None else term.n3(g.namespace_manager)
    return name


def _problems(results: Graph, name: Callable[[Term | None], str]) -> list[Problem]:
    problems = []
    for result in results.subjects(RDF.type, SH.ValidationResult):
        severity = results.value(result, SH.resultSeverity)
        message = results.value(result, SH.resultMessage)
        problems.append(Problem(
            severity=str(severity).rsplit("#", 1)[-1] if severity else "Violation",
            focus=name(results.value(result, SH.focusNode)),
            path=name(results.value(result, SH.resultPath)),
            message=str(message) if message else "fails " + name(results.value(result, SH.sourceShape)),
            value=name(results.value(result, SH.value)),
        ))
    # violations first, then by node: the same graph gives the same report
    return sorted(set(problems), key=lambda p: (p.severity != "Violation", p.focus, p.path, p.message, p.value))


def validate(ds: Graph, shapes: Path = SHAPES) -> Report:
    """Validate the union of `ds`'s graphs (a Dataset or a plain Graph)."""
    from pyshacl import validate as shacl  # heavy: only `kg validate` pays for it

    data = union(ds)
    shapes_graph = load_shapes(Path(shapes))
    # pyshacl logs a failure on a logger it sets up for each call (and prints it to stderr);
    # kg reports it as one line of its own, so that logger is off while it runs.
    chatty = logging.getLogger("pyshacl-validate")
    chatty.disabled = True
    try:
        conforms, results, _ = shacl(data, shacl_graph=shapes_graph, inference="none",
                                     advanced=True, inplace=True, allow_warnings=True, allow_infos=True)
    except Exception as exc:
        if Path(shapes) == SHAPES:
            raise  # kg's own shapes failing is a bug, not bad input
        first = " ".join(str(exc).split())[:300] or type(exc).__name__
        raise KgError(f"{shapes}: these SHACL shapes cannot be applied ({type(exc).__name__}: {first})") from exc
    finally:
        chatty.disabled = False
    report_graph = Graph(bind_namespaces="none")
    for prefix, ns in PREFIXES.items():
        report_graph.bind(prefix, ns)
    return Report(bool(conforms), _problems(results, _namer(report_graph)), _count(ds, data))


def validate_file(path: str | Path, shapes: Path = SHAPES) -> Report:
    """Open a built graph (KgError if unreadable) and validate it."""
    from .store import open_graph

    return validate(open_graph(path), shapes)

"""Judgements applied in merge, after automatic resolution, on every build.

`Judge` is the hook `graph.merge.merge` calls with the prepared extractions,
the automatic clusters (each mention, `(account id, entity key)`, to its
cluster) and `assemble`. It replays the entries in file order, each against
the graph the entries before it left, so a name a command wrote from the
graph of its day resolves as it did then. Names resolve exactly as `kg show`
resolves them (`graph.show.find`, on a small view of the current nodes).

- `same` puts the mentions of every named node in one cluster;
- `different` records that the named nodes may never be one (a later `same`
  that would join them is a conflict); where automatic merging had already
  joined them it splits that node, each mention going to the name it is
  written as (else the closest one), so each part keeps its own mentions and
  the facts read from them; `split ... by: account` makes one node per account;
- `not` removes the node (place, group, junk) or retypes it (person, body);
- `rename` relabels (the old label stays a name of it); node IRIs do not change;
- `reject` removes facts, `confirm` marks them (the provenance graph says so).

Nothing here re-reads or re-parses an account: only merge's clusters change.
"""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path

from rapidfuzz import fuzz

from ..errors import KgError
from ..merge import PART
from ..model import Entity, EventFact, Extraction, KnowledgeGraph, RoleFact
from ..quads import Minter, event_iri, membership_iri
from ..show import Ambiguous, find
from ..view import Node as ViewNode, View
from .entries import DROPPED, Judgement

Member = tuple[str, str]           # (account id, entity key): one mention, as merge clusters it
FactKey = tuple[str, ...]          # what a fact was read as: survives reassembly


@dataclass
class Outcome:
    """What one judgement did in this build: `status` applied | holds | stale | conflict."""

    judgement: Judgement
    status: str
    matched: list[tuple[str, str]] = field(default_factory=list)   # (IRI, label) of what it touched
    note: str = ""


@dataclass
class _Mark:
    """A person's hand on some mentions: `how` (merged, split, renamed, retyped) by judgement `number`."""

    how: str
    members: frozenset[Member]
    number: int


class _State:
    """The clusters and every override so far; the graph they make, assembled when asked."""

    def __init__(self, extractions: list[Extraction], cluster_of: dict[Member, str],
                 assemble: Callable[[list[Extraction], dict[Member, str]], KnowledgeGraph], base: str):
        self.extractions, self.cluster_of, self.assemble, self.base = extractions, dict(cluster_of), assemble, base
        self.entity: dict[Member, Entity] = {(ex.account.id, e.key): e for ex in extractions for e in ex.entities}
        self.kinds: dict[Member, tuple[int, str]] = {}
        self.labels: dict[Member, tuple[int, str]] = {}
        self.removed: set[Member] = set()
        self.as_written: set[Member] = set()  # mentions of a part split off by name: named only as written
        self.rejected: set[FactKey] = set()
        self.confirmed: dict[FactKey, list[int]] = defaultdict(list)
        self.apart: list[tuple[frozenset[Member], frozenset[Member], int]] = []  # never one: (these, those, by)
        self.marks: list[_Mark] = []
        self._kg: KnowledgeGraph | None = None

    def changed(self) -> None:
        self._kg = None

    def kg(self) -> KnowledgeGraph:
        if self._kg is None:
            kg = self.assemble(self.extractions, self.cluster_of)
            self.members: dict[str, list[Member]] = defaultdict(list)
            for member, node_id in sorted(kg.node_of.items()):
                self.members[node_id].append(member)
            self._kg = self._override(kg)
            self.mint = Minter(self.base)
            self.iri = {node.id: self.mint.node(node) for node in self._kg.nodes.values()}
            self.node_id = {iri: node_id for node_id, iri in self.iri.items()}
            sources = {a.id: a.source for a in kg.accounts}
            self.view = View({self.iri[n.id]: ViewNode(
                self.iri[n.id], n.kind, n.name, (n.name, *sorted(n.aliases - {n.name})),
                tuple(sorted({sources[a] for a in n.names_in}))) for n in self._kg.nodes.values()}, ())
        return self._kg

    def role_key(self, role: RoleFact) -> FactKey:
        ev = role.evidence
        anchor = min((m for m in self.members[role.person] if m[0] == ev.account), default=("", ""))
        return ("role", ev.account, str(ev.start), str(ev.end), role.title.casefold(), *anchor)

    @staticmethod
    def event_key(event: EventFact) -> FactKey:
        ev = event.evidence
        return ("event", ev.account, str(ev.start), event.type)

    def _override(self, kg: KnowledgeGraph) -> KnowledgeGraph:
        removed = set()
        for node_id, members in self.members.items():
            node = kg.nodes[node_id]
            if any(m in self.removed for m in members):
                removed.add(node_id)
            kinds = [self.kinds[m] for m in members if m in self.kinds]
            if kinds:
                node.kind = max(kinds)[1]  # type: ignore[assignment]
            labels = [self.labels[m] for m in members if m in self.labels]
            if labels and max(labels)[1] != node.name:
                node.aliases.add(node.name)
                node.name = max(labels)[1]
            if any(m in self.as_written for m in members):
                node.aliases = {a for m in members for a in self.entity[m].aliases}
            node.aliases.discard(node.name)
        nodes = {k: n for k, n in kg.nodes.items() if k not in removed}
        for node in nodes.values():
            if node.parent not in nodes or nodes[node.parent].kind != "body":
                node.parent = None
        roles = []
        for role in kg.roles:
            person = nodes.get(role.person)
            if person is None or person.kind != "person" or self.role_key(role) in self.rejected:
                continue
            body = role.body if role.body in nodes and nodes[role.body].kind == "body" else None
            roles.append(role if body == role.body else replace(role, body=body))
        events = []
        for event in kg.events:
            parts = event.roles or [""] * len(event.actors)  # each participant's part, beside it
            kept = [(a, part) for a, part in zip(event.actors, parts) if a in nodes]
            if kept and self.event_key(event) not in self.rejected:
                actors = [a for a, _part in kept]
                events.append(event if actors == event.actors else replace(
                    event, actors=actors, roles=[part for _a, part in kept] if event.roles else []))
        node_of = {m: n for m, n in kg.node_of.items() if n in nodes}
        return KnowledgeGraph(kg.accounts, nodes, roles, events, node_of)


def _candidates(state: _State, name: str) -> list:
    """Every node `name` could mean, as `kg show` lists them when it is ambiguous."""
    try:
        return [find(state.view, name)]
    except Ambiguous as exc:
        return exc.candidates
    except KgError:
        return []


class Judge:
    """merge's `adjust` hook for one build's judgements; afterwards, what each did (`outcomes`)."""

    def __init__(self, judgements: list[Judgement], base: str, path: Path | None = None):
        self.judgements, self.base, self.path = judgements, base, path
        self.outcomes: list[Outcome] = []
        self.state: _State | None = None

    def __call__(self, extractions: list[Extraction], cluster_of: dict[Member, str],
                 assemble: Callable[[list[Extraction], dict[Member, str]], KnowledgeGraph]) -> KnowledgeGraph:
        state = self.state = _State(extractions, cluster_of, assemble, self.base)
        self.outcomes = [getattr(self, f"_{j.kind}")(state, j) for j in self.judgements]
        return state.kg()

    # --- resolving -------------------------------------------------------------

    def _node(self, state: _State, j: Judgement, name: str) -> str | None:
        """The node id `name` means now, as `kg show` would find it; None when nothing fits."""
        state.kg()
        try:
            return state.node_id[find(state.view, name).node]
        except Ambiguous as exc:
            raise KgError(f"{self.path or 'judgements'}: entry {j.number} ({j.kind}): {exc.message}") from None
        except KgError:
            return None

    def _nodes(self, state: _State, j: Judgement) -> tuple[dict[str, list[str]], list[str]]:
        """Node id -> the names that found it (in order), and the names that found nothing.

        In a `different`, a name that could mean several nodes is read as the one
        another name of the entry finds ("Smith" beside "Ann Smith": the "Smith"
        merging put in her node), so a wrong merge can be split by the names it joined.
        """
        found: dict[str, list[str]] = {}
        missing: list[str] = []
        unsure: list[tuple[str, KgError]] = []
        for name in j.names:
            try:
                node_id = self._node(state, j, name)
            except KgError as exc:
                if j.kind != "different":
                    raise
                unsure.append((name, exc))
                continue
            if node_id is None:
                missing.append(name)
            else:
                found.setdefault(node_id, []).append(name)
        for name, error in unsure:
            meant = [n for n in found if state.iri[n] in {c.node for c in _candidates(state, name)}]
            if len(meant) != 1:
                raise error
            found[meant[0]].append(name)
        order = {name: i for i, name in enumerate(j.names)}
        return {n: sorted(names, key=order.__getitem__) for n, names in found.items()}, missing

    @staticmethod
    def _missing(missing: list[str]) -> str:
        return "; ".join(f"{name!r} matches nothing" for name in missing)

    def _touched(self, state: _State, node_ids: list[str]) -> list[tuple[str, str]]:
        kg = state.kg()
        return [(state.iri[n], kg.nodes[n].name) for n in node_ids]

    # --- entity judgements -----------------------------------------------------

    def _same(self, state: _State, j: Judgement) -> Outcome:
        found, missing = self._nodes(state, j)
        touched = self._touched(state, list(found))
        if not found or (len(found) == 1 and missing):
            return Outcome(j, "stale", touched, self._missing(missing))
        if len(found) == 1:
            return Outcome(j, "holds", touched, "already one node")
        kg = state.kg()
        if len({kg.nodes[n].kind for n in found}) > 1:
            return Outcome(j, "conflict", touched, "a person and a body cannot be one (use `not ... --kind` first)")
        groups = [frozenset(state.members[n]) for n in found]
        for these, those, number in state.apart:
            hits = [g for g in groups if g & these], [g for g in groups if g & those]
            if hits[0] and hits[1] and any(a is not b for a in hits[0] for b in hits[1]):
                return Outcome(j, "conflict", touched, f"entry {number} says they are different")
        members = frozenset().union(*groups)
        target = min(state.cluster_of[m] for m in members)
        for m in members:
            state.cluster_of[m] = target
        state.marks.append(_Mark("merged", members, j.number))
        state.changed()
        return Outcome(j, "applied", touched, self._missing(missing))

    def _closest(self, state: _State, member: Member, names: list[str]) -> int:
        """Which of `names` a mention is: the fullest name its account writes that is one of them, else the
        most alike (an account writing only "Smith" is the "Smith" of a `different`, even where merge
        had put the full name on it)."""
        entity = state.entity[member]
        written = sorted(set(entity.aliases) or {entity.name}, key=lambda n: (-len(n.split()), -len(n), n))
        folded = [n.casefold() for n in names]
        for name in written:
            if name.casefold() in folded:
                return folded.index(name.casefold())
        scores = [fuzz.WRatio(written[0], n) for n in names]
        return scores.index(max(scores))

    def _split_node(self, state: _State, node_id: str, parts: dict[str, list[Member]], number: int) -> list[str]:
        """Give each part of a node its own cluster; the parts that got one (non-empty), by tag."""
        cluster = state.cluster_of[state.members[node_id][0]].split(PART, 1)[0]
        for tag, members in parts.items():
            for m in members:
                state.cluster_of[m] = f"{cluster}{PART}{tag}"
            state.marks.append(_Mark("split", frozenset(members), number))
        state.changed()
        return list(parts)

    def _different(self, state: _State, j: Judgement) -> Outcome:
        found, missing = self._nodes(state, j)
        touched = self._touched(state, list(found))
        if sum(map(len, found.values())) < 2:
            return Outcome(j, "stale", touched, self._missing(missing))
        groups: list[frozenset[Member]] = []
        notes = [self._missing(missing)] if missing else []
        for node_id, names in found.items():
            members = state.members[node_id]
            if len(names) == 1:
                groups.append(frozenset(members))
                continue
            parts: dict[str, list[Member]] = {name: [] for name in names}
            for m in members:
                parts[names[self._closest(state, m, names)]].append(m)
            empty = [n for n, ms in parts.items() if not ms]
            if empty:
                notes.append("; ".join(f"no mention in {state.kg().nodes[node_id].name!r} is written "
                                       f"{n!r}" for n in empty))
            parts = {n: ms for n, ms in parts.items() if ms}
            if len(parts) > 1:
                self._split_node(state, node_id, parts, j.number)
                for name, ms in parts.items():  # each part is called what the person called it
                    state.as_written.update(ms)
                    state.labels.update((m, (j.number, name)) for m in ms)
            groups.extend(frozenset(ms) for ms in parts.values())
        if len(groups) < 2:
            return Outcome(j, "stale", touched, "; ".join(notes))
        for i, these in enumerate(groups):
            for those in groups[i + 1:]:
                state.apart.append((these, those, j.number))
        status = "applied" if any(m.number == j.number for m in state.marks) else "holds"
        kg = state.kg()
        after = sorted({kg.node_of[m] for g in groups for m in g if m in kg.node_of})
        return Outcome(j, status, self._touched(state, after), "; ".join(notes))

    def _split(self, state: _State, j: Judgement) -> Outcome:
        node_id = self._node(state, j, j.names[0])
        if node_id is None:
            return Outcome(j, "stale", [], self._missing(list(j.names)))
        by_account: dict[str, list[Member]] = defaultdict(list)
        for m in state.members[node_id]:
            by_account[m[0]].append(m)
        touched = self._touched(state, [node_id])
        if len(by_account) < 2:
            return Outcome(j, "holds", touched, "named in one account only")
        self._split_node(state, node_id, dict(sorted(by_account.items())), j.number)
        groups = [frozenset(ms) for _a, ms in sorted(by_account.items())]
        for i, these in enumerate(groups):
            for those in groups[i + 1:]:
                state.apart.append((these, those, j.number))
        kg = state.kg()
        return Outcome(j, "applied", self._touched(state, sorted({kg.node_of[m] for g in groups for m in g
                                                                   if m in kg.node_of})))

    def _not(self, state: _State, j: Judgement) -> Outcome:
        node_id = self._node(state, j, j.names[0])
        if node_id is None:
            return Outcome(j, "stale", [], self._missing(list(j.names)))
        touched = self._touched(state, [node_id])
        members = state.members[node_id]
        if j.is_kind in DROPPED:
            state.removed.update(members)
        elif state.kg().nodes[node_id].kind == j.is_kind:
            return Outcome(j, "holds", touched, f"already a {j.is_kind}")
        else:
            for m in members:
                state.kinds[m] = (j.number, str(j.is_kind))
            state.marks.append(_Mark("retyped", frozenset(members), j.number))
        state.changed()
        return Outcome(j, "applied", touched)

    def _rename(self, state: _State, j: Judgement) -> Outcome:
        node_id = self._node(state, j, j.names[0])
        if node_id is None:
            return Outcome(j, "stale", [], self._missing(list(j.names)))
        touched = self._touched(state, [node_id])
        if state.kg().nodes[node_id].name == j.to:
            return Outcome(j, "holds", touched, "already so named")
        for m in state.members[node_id]:
            state.labels[m] = (j.number, str(j.to))
        state.marks.append(_Mark("renamed", frozenset(state.members[node_id]), j.number))
        state.changed()
        return Outcome(j, "applied", touched)

    # --- fact judgements -------------------------------------------------------

    def _facts(self, state: _State, j: Judgement) -> list[tuple[FactKey, str, str]]:
        """(key, IRI, label) of every fact the entry names, in the graph as it is now."""
        kg, fact = state.kg(), j.fact
        mint = state.mint
        sources = {a.id: a.source for a in kg.accounts}
        out = []
        if isinstance(fact, str):
            for role in kg.roles:
                if membership_iri(mint, role.person, role.title, role.body) == fact:
                    out.append((state.role_key(role), fact, self._role_label(kg, role, sources)))
            for event in kg.events:
                if event_iri(mint, event) == fact:
                    out.append((state.event_key(event), fact, self._event_label(kg, event, sources)))
            return out
        assert fact is not None
        person = self._node(state, j, fact["person"])
        account = fact.get("account")

        def here(account_id: str) -> bool:
            source = sources[account_id]
            return account is None or account in (account_id, source, Path(source).stem)

        for role in kg.roles:
            if role.person == person and "title" in fact and role.title.casefold() == fact["title"].casefold() \
                    and here(role.evidence.account):
                iri = membership_iri(mint, role.person, role.title, role.body)
                out.append((state.role_key(role), iri, self._role_label(kg, role, sources)))
        for event in kg.events:
            if person in event.actors and "type" in fact and event.type.casefold() == fact["type"].casefold() \
                    and here(event.evidence.account):
                out.append((state.event_key(event), event_iri(mint, event), self._event_label(kg, event, sources)))
        return out

    @staticmethod
    def _role_label(kg: KnowledgeGraph, role: RoleFact, sources: dict[str, str]) -> str:
        body = f", {kg.nodes[role.body].name}" if role.body else ""
        return f"{kg.nodes[role.person].name}: {role.title}{body} ({sources[role.evidence.account]})"

    @staticmethod
    def _event_label(kg: KnowledgeGraph, event: EventFact, sources: dict[str, str]) -> str:
        names = ", ".join(sorted(kg.nodes[a].name for a in event.actors))
        return f"{event.type}: {names} ({sources[event.evidence.account]})"

    def _reject(self, state: _State, j: Judgement) -> Outcome:
        facts = self._facts(state, j)
        if not facts:
            return Outcome(j, "stale", [], "matches no fact")
        state.rejected.update(key for key, _i, _l in facts)
        state.changed()
        return Outcome(j, "applied", sorted({(iri, label) for _k, iri, label in facts}))

    def _confirm(self, state: _State, j: Judgement) -> Outcome:
        facts = self._facts(state, j)
        if not facts:
            return Outcome(j, "stale", [], "matches no fact")
        for key, _i, _l in facts:
            state.confirmed[key].append(j.number)
        return Outcome(j, "applied", sorted({(iri, label) for _k, iri, label in facts}))


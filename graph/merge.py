"""Entity resolution across accounts: one node per real person or body.

Full names merge when equal or near-equal spellings (rapidfuzz, compared only
within a block of names sharing the first letters of the surname, so the cost
grows with the corpus, not with its square). A lone name ("Corbyn",
"Jeremy") joins a full name only when exactly one full name in the corpus
fits it. Two different full names are never merged because they share one
token ("Owen Smith" and "Owen Jones" stay two people). Unnamed tellers,
described holders ("the CLP secretary") and generic bodies ("the Labour Group"
of some council) belong to their own account and are never merged.
"""
from __future__ import annotations

import re
from collections import Counter, defaultdict

from rapidfuzz import fuzz

from .extract.lexicon import load_lexicon
from .extract.resolve import norm, place_names, surname_spans
from .model import Entity, EventFact, Evidence, Extraction, KnowledgeGraph, Node, RoleFact
from .quads import slug

SPELLING = 90  # rapidfuzz ratio for two spellings of one full name


class UnionFind:
    def __init__(self) -> None:
        self.parent: dict[str, str] = {}

    def find(self, x: str) -> str:
        self.parent.setdefault(x, x)
        while self.parent[x] != x:
            self.parent[x] = self.parent[self.parent[x]]
            x = self.parent[x]
        return x

    def union(self, a: str, b: str) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)


def _scoped(entity: Entity, account_id: str) -> bool:
    if entity.described:
        return True
    return entity.narrator and entity.name.startswith("Author of ")


def _group_key(entity: Entity, account_id: str) -> str:
    if _scoped(entity, account_id):
        return f"{entity.kind}|{account_id}|{norm(entity.name)}"
    return f"{entity.kind}||{norm(entity.name)}"


def _cluster(extractions: list[Extraction]) -> dict[tuple[str, str], str]:
    """(account id, entity key) -> cluster id."""
    uf = UnionFind()
    members: dict[tuple[str, str], str] = {}
    full_people: set[str] = set()
    singles: dict[str, set[str]] = defaultdict(set)  # group -> names of single-token people
    for ex in extractions:
        for e in ex.entities:
            group = _group_key(e, ex.account.id)
            members[(ex.account.id, e.key)] = group
            uf.find(group)
            name = norm(e.name)
            if e.kind == "person" and not _scoped(e, ex.account.id):
                (full_people.add(group) if len(name.split()) > 1 else singles[group].add(name))
    _merge_spellings(uf, sorted(full_people))
    with_token: dict[str, set[str]] = defaultdict(set)  # token -> full names holding it (no scan per single)
    for f in full_people:
        for token in f.split("||", 1)[1].split():
            with_token[token].add(f)
    for group in sorted(singles):
        token = group.split("||", 1)[1]
        hits = {uf.find(f) for f in with_token.get(token, ())}
        if len(hits) == 1:
            uf.union(group, hits.pop())
    return {k: uf.find(g) for k, g in members.items()}


def _merge_spellings(uf: UnionFind, groups: list[str]) -> None:
    blocks: dict[str, list[str]] = defaultdict(list)
    for g in groups:
        tokens = g.split("||", 1)[1].split()
        blocks[tokens[-1][:3]].append(g)
    for block in blocks.values():
        for i, a in enumerate(block):
            na = a.split("||", 1)[1]
            for b in block[i + 1:]:
                nb = b.split("||", 1)[1]
                if na.split()[0][:1] == nb.split()[0][:1] and fuzz.ratio(na, nb) >= SPELLING:
                    uf.union(a, b)


def _best_name(names: Counter) -> str:
    """The most used of the fullest names."""
    longest = max(len(n.split()) for n in names)
    return sorted((n for n in names if len(n.split()) == longest), key=lambda n: (-names[n], n))[0]


SENTENCE_END = re.compile(r"[.!?](?=\s)|\n")


def _sentence_around(text: str, start: int, end: int) -> tuple[int, int]:
    left = max((m.end() for m in SENTENCE_END.finditer(text, 0, start)), default=0)
    right = next((m.end() for m in SENTENCE_END.finditer(text, end)), len(text))
    while left < right and text[left].isspace():
        left += 1
    while right > left and text[right - 1].isspace():
        right -= 1
    return left, right


def propagate_surnames(extractions: list[Extraction]) -> list[Extraction]:
    """Find people NER missed by surnames that name exactly one full name elsewhere.

    "the Chakrabati report" in one account names the "Shami Chakrarbti" another
    account names in full; spellings within rapidfuzz 88 of each other count.
    """
    by_surname: dict[str, set[str]] = defaultdict(set)
    for ex in extractions:
        for e in ex.entities:
            words = e.name.split()
            if e.kind == "person" and len(words) > 1 and not _scoped(e, ex.account.id):
                by_surname[norm(words[-1])].add(e.name)
    if not by_surname:
        return extractions
    # Candidates by (first letter, length): a word is compared only with surnames that could pass the
    # first-letter and length tests below, and each distinct word once, not every surname per match.
    by_shape: dict[tuple[str, int], list[str]] = defaultdict(list)
    for s in by_surname:
        by_shape[(s[:1], len(s))].append(s)
    fulls_of: dict[str, set[str]] = {}

    def fulls_for(word: str) -> set[str]:
        if word not in fulls_of:
            fulls_of[word] = {f for n in range(len(word) - 2, len(word) + 3) for s in by_shape.get((word[:1], n), ())
                              if fuzz.ratio(s, word) >= 88 for f in by_surname[s]}
        return set(fulls_of[word])

    out = []
    for ex in extractions:
        known = {norm(w) for e in ex.entities for n in [e.name, *e.aliases] for w in n.split()}
        added: dict[str, Entity] = {}
        text = ex.account.text
        spans = ex.surname_spans if ex.surname_spans is not None else surname_spans(text)
        for left, right in spans:
            word = norm(text[left:right])
            if word in known:
                continue
            fulls = fulls_for(word)
            if len(fulls) != 1:
                continue
            full = fulls.pop()
            start, end = _sentence_around(text, left, right)
            entity = added.setdefault(full, Entity(f"person:{norm(full)}", "person", full, [text[left:right]]))
            entity.evidence.append(Evidence(ex.account.id, start, end, text[start:end], 0.6))
        if added:
            ex = Extraction(ex.account, [*ex.entities, *added.values()], ex.roles, ex.events, spans)
        out.append(ex)
    return out


def drop_places(extractions: list[Extraction]) -> list[Extraction]:
    """A lone "Harlow" in a comment is the town of "Harlow Council" named in the post."""
    lexicon = load_lexicon()
    places = place_names((e for ex in extractions for e in ex.entities), lexicon)
    out = []
    for ex in extractions:
        used = {r.person for r in ex.roles} | {a for ev in ex.events for a in ev.actors}
        keep = [e for e in ex.entities if not (e.kind == "person" and not e.narrator and e.key not in used
                                                and e.name in places)]
        out.append(ex if len(keep) == len(ex.entities)
                   else Extraction(ex.account, keep, ex.roles, ex.events, ex.surname_spans))
    return out


def merge(extractions: list[Extraction]) -> KnowledgeGraph:
    extractions = sorted(extractions, key=lambda ex: ex.account.id)
    extractions = propagate_surnames(drop_places(extractions))
    cluster_of = _cluster(extractions)
    grouped: dict[str, list[tuple[str, Entity]]] = defaultdict(list)
    for ex in extractions:
        for e in ex.entities:
            grouped[cluster_of[(ex.account.id, e.key)]].append((ex.account.id, e))
    node_of: dict[str, str] = {}
    nodes: dict[str, Node] = {}
    for cluster in sorted(grouped):
        parts = grouped[cluster]
        names: Counter[str] = Counter()
        for _a, e in parts:
            names[e.name] += max(1, len(e.evidence))
        name = _best_name(names)
        first = parts[0][1]
        node_id = slug(name)
        if first.described or (first.narrator and name.startswith("Author of ")):
            node_id = f"{node_id}--{slug(parts[0][0])}"
        while node_id in nodes:
            node_id += "-x"
        node = Node(node_id, first.kind, name)
        for account_id, e in parts:
            node.aliases.update(a for a in [e.name, *e.aliases] if a)
            node.names_in.setdefault(account_id, set()).update(a for a in e.aliases if a)
            node.evidence.extend(e.evidence)
            if e.narrator:
                node.narrator_of.add(account_id)
        node.aliases.discard(name)
        node.evidence.sort(key=lambda ev: (ev.account, ev.start))
        nodes[node_id] = node
        node_of[cluster] = node_id
    key_map = {k: node_of[c] for k, c in cluster_of.items()}
    for ex in extractions:
        for e in ex.entities:
            if e.parent and (ex.account.id, e.parent) in key_map:
                node = nodes[key_map[(ex.account.id, e.key)]]
                parent = key_map[(ex.account.id, e.parent)]
                if parent != node.id:
                    node.parent = node.parent or parent
    roles, events = [], []
    for ex in extractions:
        def m(key: str) -> str:
            return key_map[(ex.account.id, key)]
        for r in ex.roles:
            roles.append(RoleFact(m(r.person), r.title, m(r.body) if r.body else None, r.evidence, r.former))
        for ev in ex.events:
            events.append(EventFact(ev.type, sorted({m(a) for a in ev.actors}), ev.trigger, ev.evidence, ev.date))
    return KnowledgeGraph([ex.account for ex in extractions], nodes, roles, events)

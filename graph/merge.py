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
from collections.abc import Callable, Iterable
from dataclasses import replace

from rapidfuzz import fuzz

from .bodykinds import of_lexicon
from .extract.lexicon import load_lexicon
from .extract.places import is_place
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


MALE = {"mr", "sir", "lord", "baron"}
FEMALE = {"mrs", "ms", "miss", "lady", "dame", "baroness"}
PEERAGE = {"lord", "lady", "baron", "baroness"}  # a title of the peerage names one person at a time
WORD = re.compile(r"\b[A-Za-z][a-z]{3,}\b")
COMMON_SHARE = 20  # a word written in lower case once for every 20 capitalised is a common noun


def _scoped(entity: Entity, account_id: str) -> bool:
    if entity.described:
        return True
    return entity.narrator and entity.name.startswith("Author of ")


def _thread(ex: Extraction) -> str:
    """A post and the comments under it: a lone name may be shared between them, never beyond."""
    return ex.account.parent or ex.account.id


def _lone(entity: Entity) -> bool:
    """A person known by one name only (a teller signing "Jon" included)."""
    return entity.kind == "person" and len(norm(entity.name).split()) == 1


def _group_key(entity: Entity, ex: Extraction) -> str:
    if _scoped(entity, ex.account.id):
        return f"{entity.kind}|{ex.account.id}|{norm(entity.name)}"
    if _lone(entity):  # two Davids of two unrelated accounts are two people until a full name joins them
        return f"{entity.kind}|{_thread(ex)}|{norm(entity.name)}"
    return f"{entity.kind}||{norm(entity.name)}"


def _sex(names: Iterable[str]) -> str | None:
    """"m" or "f" when an honorific says so ("Mr Smith", "Mrs Smith"), else None."""
    found = {("m" if w in MALE else "f") for n in names for w in [n.split()[0].lower().rstrip(".")]
             if w in MALE or w in FEMALE}
    return found.pop() if len(found) == 1 else None


def _majority(sexes: Counter[str]) -> str | None:
    """The sex the honorifics give, when they agree at least two to one (an account that took
    "Mr X" for the "Mary X" it names should not unsex her), else None."""
    male, female = sexes["m"], sexes["f"]
    if male > 2 * female:
        return "m"
    if female > 2 * male:
        return "f"
    return None


def _peerage(names: Iterable[str]) -> str | None:
    """"lord falconer" when a name is written with a peer's title, else None."""
    for name in sorted(names):
        words = norm(name).split()
        if len(words) == 2 and words[0] in PEERAGE:
            return " ".join(words)
    return None


def common_words(extractions: list[Extraction]) -> set[str]:
    """Words the corpus also writes in lower case, often enough to be common nouns: "Radio",
    "General", "World" are no one's surname, while one "brown envelope" among a thousand
    "Brown"s does not make the Chancellor a colour."""
    lower: Counter[str] = Counter()
    capital: Counter[str] = Counter()
    for ex in extractions:
        for word in WORD.findall(ex.account.text):
            (lower if word[0].islower() else capital)[word.lower()] += 1
    return {w for w, n in lower.items() if n * COMMON_SHARE >= capital[w]}


def _name(group: str) -> str:
    return group.rsplit("|", 1)[1]


def _cluster(extractions: list[Extraction], common: set[str]) -> dict[tuple[str, str], str]:
    """(account id, entity key) -> cluster id.

    A lone name joins a full name only as its surname, only when exactly one full
    name in the corpus with that surname fits the sex an honorific gives ("Mr X"
    is not "Mary X"), no full name has it as a first name and it is no common
    word; a lone first name joins a full name of its own account (or thread) only.
    Lone names written with the same title of the peerage ("Lord X") are one
    person when no full name has that surname.
    """
    uf = UnionFind()
    members: dict[tuple[str, str], str] = {}
    full_people: set[str] = set()
    singles: dict[str, tuple[str, set[str]]] = {}  # group -> (thread, names written)
    sex_of: dict[str, Counter[str]] = defaultdict(Counter)  # group -> how often each sex is written
    full_in_thread: dict[str, set[str]] = defaultdict(set)  # thread -> full-name groups it names
    for ex in extractions:
        for e in ex.entities:
            group = _group_key(e, ex)
            members[(ex.account.id, e.key)] = group
            uf.find(group)
            if e.kind != "person" or _scoped(e, ex.account.id):
                continue
            sex = _sex([e.name, *e.aliases])
            if sex:
                sex_of[group][sex] += 1
            if _lone(e):
                singles.setdefault(group, (_thread(ex), set()))[1].update([e.name, *e.aliases])
            elif len(norm(e.name).split()) > 1:
                full_people.add(group)
                full_in_thread[_thread(ex)].add(group)
    _merge_spellings(uf, sorted(full_people))
    by_surname: dict[str, set[str]] = defaultdict(set)
    first_names: set[str] = set()
    for f in full_people:
        tokens = _name(f).split()
        by_surname[tokens[-1]].add(f)
        first_names.add(tokens[0])
    peers: dict[str, list[str]] = {}
    for group in sorted(singles):
        thread, _written = singles[group]
        token = _name(group)
        own = {uf.find(f) for f in full_in_thread.get(thread, ()) if token in _name(f).split()}
        if len(own) == 1:  # "Jeremy" beside a "Jeremy Corbyn" the same account names
            uf.union(group, own.pop())
            continue
        if token in common or token in first_names:
            continue
        mine = _majority(sex_of[group])
        roots: dict[str, Counter[str]] = defaultdict(Counter)
        for f in by_surname.get(token, ()):
            roots[uf.find(f)].update(sex_of[f])
        fits = [root for root, sexes in roots.items() if not mine or _majority(sexes) in (None, mine)]
        if len(fits) == 1:  # "Mr X": the one full name of a man with that surname
            uf.union(group, fits[0])
        elif not roots and (title := _peerage(singles[group][1])):
            peers.setdefault(title, []).append(group)
    for groups in peers.values():  # "Lord X" in ten reports: a peer's title is one person's
        for other in groups[1:]:
            uf.union(groups[0], other)
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


def propagate_surnames(extractions: list[Extraction], common: set[str]) -> list[Extraction]:
    """Find people NER missed by surnames that name exactly one full name elsewhere.

    "the Chakrabati report" in one account names the "Shami Chakrarbti" another
    account names in full; spellings within rapidfuzz 88 of each other count. A
    word the corpus also writes in lower case ("Radio" of "Capital Radio") or a
    place (a country beside a surname one letter shorter) is never taken for a surname.
    """
    by_surname: dict[str, set[str]] = defaultdict(set)
    for ex in extractions:
        for e in ex.entities:
            words = e.name.split()
            if e.kind == "person" and len(words) > 1 and not _scoped(e, ex.account.id) \
                    and norm(words[-1]) not in common:
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
            if word in known or word in common or is_place(word):
                continue
            fulls = fulls_for(word)
            if len(fulls) != 1:
                continue
            full = fulls.pop()
            start, end = _sentence_around(text, left, right)
            entity = added.setdefault(full, Entity(f"person:{norm(full)}", "person", full, [text[left:right]]))
            entity.evidence.append(Evidence(ex.account.id, start, end, text[start:end], 0.6))
        if added:
            ex = replace(ex, entities=[*ex.entities, *added.values()], surname_spans=spans)
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
        out.append(ex if len(keep) == len(ex.entities) else replace(ex, entities=keep))
    return out


NER_OTHER_SHARE = 2  # a name NER calls a place, group or body twice as often as a person is none


def drop_non_people(extractions: list[Extraction]) -> list[Extraction]:
    """Drop the "people" NER itself calls something else most of the time across the corpus.

    Votes are NER's labels for the same name in every account (an acronym is an organisation
    in nine reports and a person in one); a name written with an honorific is a person whatever
    the votes. Roles of a dropped person go with it; events keep their other actors.
    """
    votes: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for ex in extractions:
        for name, (person, other) in (ex.ner_votes or {}).items():
            votes[name][0] += person
            votes[name][1] += other
    titles = {t.lower() for t in load_lexicon().person_titles}

    def not_a_person(e: Entity) -> bool:
        if e.kind != "person" or e.narrator or e.described:
            return False
        if any(a.split()[0].rstrip(".").lower() in titles for a in e.aliases if a.split()):
            return False
        person, other = votes.get(e.name.lower(), (0, 0))
        return other >= 2 and other > NER_OTHER_SHARE * person

    out = []
    for ex in extractions:
        dropped = {e.key for e in ex.entities if not_a_person(e)}
        if not dropped:
            out.append(ex)
            continue
        events = [_mapped(ev, lambda a: None if a in dropped else a) for ev in ex.events]
        out.append(replace(ex, entities=[e for e in ex.entities if e.key not in dropped],
                           roles=[r for r in ex.roles if r.person not in dropped],
                           events=[ev for ev in events if ev.actors]))
    return out


# A hook that receives the prepared extractions, the automatic clusters and `assemble`, and
# returns the graph: how a person's judgements (`graph.judgements`) are applied after resolution.
Assemble = Callable[[list[Extraction], dict[tuple[str, str], str]], KnowledgeGraph]
Adjust = Callable[[list[Extraction], dict[tuple[str, str], str], Assemble], KnowledgeGraph]
PART = "\x00"  # in a cluster id, what follows it is appended to the node id (a part a person split off)


def merge(extractions: list[Extraction], adjust: Adjust | None = None) -> KnowledgeGraph:
    """One graph of all accounts; with `adjust`, a person's judgements applied after automatic resolution."""
    extractions = sorted(extractions, key=lambda ex: ex.account.id)
    common = common_words(extractions)
    extractions = propagate_surnames(drop_places(drop_non_people(extractions)), common)
    cluster_of = _cluster(extractions, common)
    if adjust is not None:
        return adjust(extractions, cluster_of, assemble)
    return assemble(extractions, cluster_of)


def assemble(extractions: list[Extraction], cluster_of: dict[tuple[str, str], str]) -> KnowledgeGraph:
    """The graph of `extractions` given each (account id, entity key)'s cluster: one node per cluster."""
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
        scope = cluster.split("|")[1]
        if first.described or (first.narrator and name.startswith("Author of ")):
            node_id = f"{node_id}--{slug(parts[0][0])}"
        elif scope and all(_lone(e) for _a, e in parts):  # a lone name of one thread: named after it
            node_id = f"{node_id}--{slug(scope.split(PART, 1)[0])}"
        tag = cluster.rsplit(PART, 1)[1] if PART in cluster else ""
        if tag and slug(tag) != slug(name):  # a part a person split off, named after its account or name
            node_id = f"{node_id}--{slug(tag)}"
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
        if node.kind == "body":
            node.body_kind = body_kind(e for _a, e in parts)
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
            roles.append(replace(r, person=m(r.person), body=m(r.body) if r.body else None))
        for ev in ex.events:
            events.append(_mapped(ev, m))
    return KnowledgeGraph([ex.account for ex in extractions], nodes, roles, events, key_map)


def body_kind(mentions: Iterable[Entity]) -> str | None:
    """The kind of body most mentions give (each weighed by its sentences, as names are), the
    alphabetically first on a tie; kinds that name no kind of body ("acronym") do not vote."""
    votes: Counter[str] = Counter()
    for e in mentions:
        if of_lexicon(e.body_type) is not None:
            votes[e.body_type or ""] += max(1, len(e.evidence))
    return min(votes, key=lambda kind: (-votes[kind], kind)) if votes else None


def _mapped(ev: EventFact, key: Callable[[str], str | None]) -> EventFact:
    """`ev` with each participant's key mapped (None: left out), in order, each once, its part beside it."""
    actors: list[str] = []
    roles: list[str] = []
    for actor, role in zip(ev.actors, ev.roles or [""] * len(ev.actors)):
        new = key(actor)
        if new is not None and new not in actors:
            actors.append(new)
            roles.append(role)
    return replace(ev, actors=actors, roles=roles)

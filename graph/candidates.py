"""Review: the likely duplicates and the likely junk of a built graph, ranked, each with why.

Read from the view (`graph.view`), so it works on any build on disk and never
loads spaCy. A person decides each in seconds from what is shown: the names,
why they look alike, the accounts and one sentence each.

Duplicates: two people (or two bodies) whose names fit (rapidfuzz over every
name of each; a lone name that is the other's surname; an initial for a first
name), weighed up by what they share (bodies and titles of the roles they
hold, the people the same accounts name) and down when two full names have
different first names ("Owen Smith" and "Owen Jones" never come up; "Ann
Smith" and "Bob Smith" come up only on shared context). Pairs a `different`
judgement has already kept apart are left out.

Junk: "people" whose name the gazetteer knows as a place, whose words the
accounts write in lower case (common nouns), that are named by a role title,
or that are a lone name nobody bears in full and no honorific supports.
"""
from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any

from rapidfuzz import fuzz, process

from .view import Node, View

NAME_CUTOFF = 80      # rapidfuzz WRatio two names must reach to be compared at all
HONORIFIC = re.compile(r"^(mr|mrs|ms|miss|dr|sir|lord|lady|baroness|baron|dame|prof|professor|rev|cllr|"
                       r"councillor|mp|msp|am|prince|princess|king|queen|archbishop|bishop|president)\.?\s", re.I)
WORD = re.compile(r"[A-Za-z][a-z]+")
MALE = {"mr", "sir", "lord", "baron", "prince", "king"}
FEMALE = {"mrs", "ms", "miss", "lady", "baroness", "dame", "princess", "queen"}


@dataclass(frozen=True)
class Side:
    iri: str
    label: str
    kind: str
    accounts: tuple[str, ...]
    sentence: str
    account: str          # the account of `sentence`


@dataclass
class Candidate:
    """Likely duplicates (two nodes or more) or a likely junk node (one), with a score and why."""

    kind: str             # duplicate | junk
    score: float
    nodes: list[Side]
    why: list[str] = field(default_factory=list)
    is_kind: str = ""     # junk: what it probably is instead (place, or junk), as `kg not --kind` takes it

    def to_json(self) -> dict[str, Any]:
        out = {"kind": self.kind, "score": round(self.score, 1), "why": self.why,
               "nodes": [side.__dict__ for side in self.nodes]}
        return {**out, "is_kind": self.is_kind} if self.is_kind else out


def _side(node: Node) -> Side:
    mentions = [f for f in node.facts if f.source.sentence]
    first = min(mentions, key=lambda f: (f.kind != "mention", f.source.account, f.source.start), default=None)
    return Side(node.iri, node.label, node.kind, node.accounts,
                first.source.sentence if first else "", first.source.account if first else "")


def _bare(name: str) -> str:
    """A name without its honorific, lower case: "Mr Smith" -> "smith"."""
    return " ".join(HONORIFIC.sub("", name).split()).casefold()


def _context(view: View) -> tuple[dict[str, set[str]], dict[str, set[str]], dict[str, set[str]]]:
    """Per node: the bodies and titles of its roles; the people the same accounts name."""
    bodies: dict[str, set[str]] = defaultdict(set)
    titles: dict[str, set[str]] = defaultdict(set)
    for edge in view.edges:
        target = view.nodes[edge.target]
        if edge.kind == "holds_role":
            titles[edge.source].add(target.title)
            if target.body:
                bodies[edge.source].add(target.body)
        elif edge.kind == "member_of":
            bodies[edge.source].add(target.label)
    by_account: dict[str, set[str]] = defaultdict(set)
    for node in view.nodes.values():
        if node.kind == "person":
            for account in node.accounts:
                by_account[account].add(node.iri)
    company = {n.iri: set().union(*(by_account[a] for a in n.accounts)) - {n.iri}
               for n in view.nodes.values() if n.kind == "person"}
    return bodies, titles, company


def _sexes(node: Node) -> set[str]:
    """"m", "f" or both, as the honorifics of a node's names say ("Mr X", "Ms X")."""
    words = {name.split()[0].rstrip(".").casefold() for name in node.names if name.split()}
    return ({"m"} if words & MALE else set()) | ({"f"} if words & FEMALE else set())


def _first_names_fit(x: str, y: str) -> bool:
    """"Chris" and "Christopher", "J." and "John", "Steven" and "Stephen": may be one first name."""
    x, y = x.rstrip("."), y.rstrip(".")
    return x[:1] == y[:1] and (len(x) == 1 or len(y) == 1 or x.startswith(y) or y.startswith(x)
                               or fuzz.ratio(x, y) >= 80)


def _spelt_alike(x: list[str], y: list[str]) -> float:
    """rapidfuzz's ratio of two names of as many words, 0 where a whole word differs ("East", "West")."""
    if len(x) != len(y) or any(fuzz.ratio(a, b) < 80 for a, b in zip(x, y)):
        return 0.0
    return fuzz.ratio(" ".join(x), " ".join(y))


Fit = tuple[float, str, str]  # (0-100, how: surname | first name | full names | initials | spelling | name, why)


def _name_fit(a: Node, b: Node) -> Fit | None:
    """How well two nodes' names fit (0-100), how, and why in words; None when they cannot be one.

    Two full names are compared as such (an alias "Mr Smith" both share says
    nothing about "Ann Smith" and "Bob Smith"); a lone name fits a full name
    as its surname (or, weakly, its first name); otherwise names of as many
    words fit when spelt alike, word by word.
    """
    la, lb = _bare(a.label).split(), _bare(b.label).split()
    if len(_sexes(a) | _sexes(b)) > 1 and len(_sexes(a)) == len(_sexes(b)) == 1:
        return None  # "Lord X" is not "Ms X"
    if a.kind == "body":  # a body's name has no surname: spelt alike word by word, or its initials
        short, long_ = sorted((la, lb), key=len)
        if len(short) == 1 and len(long_) > 1 and short[0] == "".join(w[0] for w in long_ if w not in ("of", "and", "the")):
            return 92.0, "initials", f"{' '.join(short).upper()!r} is the initials of {(a.label if a.label.split() == long_ else b.label)!r}"
        ratio = _spelt_alike(la, lb)
        return (ratio, "spelling", f"{a.label!r} and {b.label!r} are spelt alike ({ratio:.0f}%)") if ratio >= 90 else None
    if len(la) > 1 and len(lb) > 1:
        if la[-1] == lb[-1]:
            if _first_names_fit(la[0], lb[0]):
                return 88.0, "full names", f"{a.label!r} and {b.label!r}: one surname, first names that fit"
            return None
        ratio = _spelt_alike(la, lb)
        return (ratio, "spelling", f"{a.label!r} and {b.label!r} are spelt alike ({ratio:.0f}%)") if ratio >= 88 else None
    if len(la) == 1 and len(lb) > 1 or len(lb) == 1 and len(la) > 1:
        (lone, lw), (full, fw) = sorted([(a.label, la), (b.label, lb)], key=lambda p: len(p[1]))
        if lw[0] == fw[-1]:
            return 90.0, "surname", f"{lone!r} is named by the surname of {full!r}"
        if lw[0] == fw[0]:
            return 75.0, "first name", f"{lone!r} is the first name of {full!r}"
        if len(fw) == 2 and fw[0] in {w.casefold() for w in ("Lord", "Lady", "Baroness", "Sir", "Dame")}:
            return None
        return None
    ratio = _spelt_alike(la, lb)
    if la == lb:
        return 95.0, "name", f"both named {a.label!r}"
    return (ratio, "spelling", f"{a.label!r} and {b.label!r} are spelt alike ({ratio:.0f}%)") if ratio >= 88 else None


def _groups(nodes: list[Node]) -> list[list[Node]]:
    """Nodes by their label without honorific: the lone "Smith"s of ten accounts are one group."""
    by_label: dict[str, list[Node]] = defaultdict(list)
    for node in nodes:
        by_label[_bare(node.label)].append(node)
    return [by_label[k] for k in sorted(by_label) if k]


def duplicates(view: View, apart: set[frozenset[str]] = frozenset(),  # type: ignore[assignment]
               skip: set[str] = frozenset()) -> list[Candidate]:  # type: ignore[assignment]
    """Groups of people (or of bodies) that may be one, best first.

    `apart`: pairs of IRIs judged different (never proposed again); `skip`:
    IRIs left out (the likely junk). A candidate joins two groups of nodes
    (or one group of equally named nodes of different accounts).
    """
    bodies, titles, company = _context(view)
    out = []
    for kind in ("person", "body"):
        nodes = [n for n in view.nodes.values() if n.kind == kind and n.iri not in skip
                 and not n.label.startswith("Author of ")]
        groups = _groups(nodes)
        names = [(_bare(name), i) for i, g in enumerate(groups) for name in g[0].names]
        names = [(text, i) for text, i in names if text]
        texts = [t for t, _i in names]
        # equally named people of different accounts; equally named bodies were kept apart on purpose
        pairs: set[tuple[int, int]] = {(i, i) for i, g in enumerate(groups) if len(g) > 1 and kind == "person"}
        matrix = process.cdist(texts, texts, scorer=fuzz.WRatio, score_cutoff=NAME_CUTOFF, dtype="uint8")
        for x, y in zip(*matrix.nonzero()):
            i, j = names[x][1], names[y][1]
            if i < j:
                pairs.add((i, j))
        fits = {(i, j): _name_fit(groups[i][0], groups[j][0]) for i, j in sorted(pairs) if i != j}
        rivals: Counter[int] = Counter()  # a lone name: how many full names it fits
        for (i, j), found in fits.items():
            if found and found[1] == "surname":
                rivals[i if len(_bare(groups[i][0].label).split()) == 1 else j] += 1
        for i, j in sorted(pairs):
            members = groups[i] if i == j else [*groups[i], *groups[j]]
            if any(frozenset((a.iri, b.iri)) in apart for a in members for b in members):
                continue
            if i == j:
                said = f"{len(members)} nodes named {groups[i][0].label!r}"
                fit: Fit | None = (88.0, "name", said)
                if all(any(HONORIFIC.match(name) for name in m.names) for m in members):
                    fit = (92.0, "name", said + ", each with a title (Mr, Ms, Lord...)")
            else:
                fit = fits[i, j]
            if fit is None:
                continue
            score, why = fit[0], [fit[2]]
            lone = i if len(_bare(groups[i][0].label).split()) == 1 else j
            if i != j and rivals[lone] > 1 and fit[1] == "surname":
                score -= 6 * (rivals[lone] - 1)
                why.append(f"one of {rivals[lone]} full names with that surname")
            iris = [m.iri for m in members]
            shared_titles = sorted(set.intersection(*(titles[n] for n in iris)))
            shared_bodies = sorted(set.intersection(*(bodies[n] for n in iris)))
            if shared_titles:
                score += 8
                why.append(f"all hold {', '.join(shared_titles[:3])}")
            if shared_bodies:
                score += 6
                why.append(f"all in {', '.join(shared_bodies[:3])}")
            if kind == "person":
                together = set.intersection(*(company[n] for n in iris)) - set(iris)
                either = set.union(*(company[n] for n in iris)) - set(iris)
                if together:
                    score += 20 * len(together) / len(either)
                    why.append(f"{len(together)} of the people their accounts name are the same")
            if len(set.intersection(*(set(m.accounts) for m in members))):
                why.append("named in the same account")
            elif fit[1] == "spelling" and len(why) == 1:
                score -= 8  # two spellings and nothing else in common: as often two people
                why.append("nothing else in common")
            if score < 75:
                continue
            out.append(Candidate("duplicate", score, [_side(m) for m in members], why))
    out.sort(key=lambda c: (-c.score, [s.label for s in c.nodes], [s.iri for s in c.nodes]))
    return out


def _lower_share(view: View) -> dict[str, float]:
    """Per word, how often the graph's sentences write it in lower case (0: never)."""
    lower: Counter[str] = Counter()
    upper: Counter[str] = Counter()
    seen = set()
    for node in view.nodes.values():
        for fact in node.facts:
            sentence = fact.source.sentence
            if sentence in seen:
                continue
            seen.add(sentence)
            for word in WORD.findall(sentence):
                (lower if word[0].islower() else upper)[word.lower()] += 1
    return {w: lower[w] / (lower[w] + upper[w]) for w in set(lower) | set(upper)}


def junk(view: View) -> list[Candidate]:
    """"People" that are probably places, groups, titles or noise, best first."""
    from .extract.lexicon import load_lexicon
    from .extract.places import is_admin_area, is_place

    lexicon = load_lexicon()
    titles = set(lexicon.role_titles)
    lower = _lower_share(view)
    surnames = Counter(_bare(n.label).split()[-1] for n in view.nodes.values()
                       if n.kind == "person" and len(_bare(n.label).split()) > 1)
    body_words: dict[str, str] = {}  # a word of a body's name -> that body (the first by label)
    for body in sorted((n for n in view.nodes.values() if n.kind == "body"), key=lambda n: n.label):
        for word in _bare(body.label).split():
            body_words.setdefault(word, body.label)
    out = []
    for node in view.nodes.values():
        if node.kind != "person" or node.narrator_of or node.label.startswith("Author of "):
            continue
        if any(HONORIFIC.match(name) for name in node.names):
            continue  # "Mr X": an honorific says person whatever else does
        bare = _bare(node.label)
        words = bare.split()
        score, why, is_kind = 0.0, [], "junk"
        if is_place(bare):
            is_kind = "place"
        if is_admin_area(bare):
            score += 55
            why.append(f"{node.label!r} is a country or region (gazetteer)")
        elif is_place(bare):
            score += 40
            why.append(f"{node.label!r} is a town's name (gazetteer)")
        common = [w for w in words if lower.get(w, 0) >= 0.5]
        if common:
            score += 30 * len(common) / len(words)
            why.append(f"the accounts write {', '.join(map(repr, common))} in lower case")
        if bare in titles or any(w in titles for w in words[-1:]):
            score += 40
            why.append(f"{node.label!r} is a role title")
        if len(words) == 1 and not surnames.get(words[0]):
            score += 15
            why.append("a lone name nobody bears in full")
            if words[0] in body_words and body_words[words[0]].casefold() != bare:
                score += 20
                why.append(f"a word of the body {body_words[words[0]]!r}")
        if score and len(node.accounts) == 1:
            score += 5
        roles = sum(1 for e in view.out_edges(node.iri) if e.kind in ("holds_role", "member_of"))
        if roles:
            score -= 15
        if score >= 30:
            out.append(Candidate("junk", score, [_side(node)], why, is_kind))
    out.sort(key=lambda c: (-c.score, c.nodes[0].label, c.nodes[0].iri))
    return out


def candidates(view: View, apart: set[frozenset[str]] = frozenset()) -> list[Candidate]:  # type: ignore[assignment]
    """Duplicates, then junk, each ranked (the two scores are not comparable); junk is never a duplicate."""
    rubbish = junk(view)
    return [*duplicates(view, apart, {c.nodes[0].iri for c in rubbish}), *rubbish]

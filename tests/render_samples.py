"""Hand-made graphs for the render and browser tests: a hostile one and a big one."""
from __future__ import annotations

from graph.model import Account, Evidence, EventFact, KnowledgeGraph, Node, RoleFact

HOSTILE_NAME = 'Eve <img src=x onerror="alert(2)">'
HOSTILE_SENTENCE = ('Eve <img src=x onerror="alert(2)"> said <script>window.__pwned = 1; alert(1)</script> '
                    'then <img src="http://evil.example/x.png"> & <a href="javascript:alert(4)">left</a>.')


def _ev(account: str, text: str, sentence: str, conf: float = 0.9) -> Evidence:
    start = text.index(sentence)
    return Evidence(account, start, start + len(sentence), sentence, conf)


def hostile_kg() -> KnowledgeGraph:
    """An account whose names and sentences are HTML and script: all must show as text."""
    text = HOSTILE_SENTENCE + " Eve chaired the <i>Branch</i>."
    acc = Account("h", "h<script>.txt", "<script>alert(5)</script> title", text)
    s2 = "Eve chaired the <i>Branch</i>."
    nodes = {
        "eve": Node("eve", "person", HOSTILE_NAME, {HOSTILE_NAME, "Eve"}, {"h": {HOSTILE_NAME, "Eve"}},
                    [_ev("h", text, HOSTILE_SENTENCE)]),
        "branch": Node("branch", "body", "<i>Branch</i>", {"<i>Branch</i>"}, {"h": {"<i>Branch</i>"}},
                       [_ev("h", text, s2)]),
    }
    roles = [RoleFact("eve", "Chair</script><script>alert(6)</script>", "branch", _ev("h", text, s2))]
    events = [EventFact("Threat", ["eve", "branch"], "said", _ev("h", text, HOSTILE_SENTENCE), date="2017-03")]
    return KnowledgeGraph([acc], nodes, roles, events)


def big_kg(people: int = 300, bodies: int = 30, accounts: int = 6) -> KnowledgeGraph:
    """A synthetic graph of several hundred nodes: layout must settle and then stop."""
    accs, nodes, roles, events = [], {}, [], []
    for a in range(accounts):
        sentences = [f"Person {p} met Body {p % bodies} in account {a}." for p in range(a, people, accounts)]
        text = " ".join(sentences)
        accs.append(Account(f"acc{a}", f"acc{a}.txt", f"Account number {a}", text))
        for p in range(a, people, accounts):
            s = f"Person {p} met Body {p % bodies} in account {a}."
            ev = _ev(f"acc{a}", text, s, 0.7)
            pid, bid = f"person-{p}", f"body-{p % bodies}"
            nodes[pid] = Node(pid, "person", f"Person {p}", {f"Person {p}", f"P{p}"}, {f"acc{a}": {f"Person {p}"}}, [ev])
            body = nodes.setdefault(bid, Node(bid, "body", f"Body {p % bodies}", {f"Body {p % bodies}"}, {}, []))
            body.names_in.setdefault(f"acc{a}", set()).add(body.name)
            body.evidence.append(ev)
            if p % 3 == 0:
                roles.append(RoleFact(pid, ("Chair", "Secretary", "Treasurer")[p % 9 // 3], bid, ev))
            if p % 2 == 0:
                date = f"{2010 + p % 10}-{1 + p % 12:02d}" if p % 4 == 0 else None
                events.append(EventFact("Meeting", [pid, bid], "met", ev, date=date))
    return KnowledgeGraph(accs, nodes, roles, events)


def corpus_kg(accounts: int = 300, people: int = 420, bodies: int = 40, seed: int = 0) -> KnowledgeGraph:
    """A generated corpus of `accounts` accounts, each naming a few people and bodies with a
    Zipf-like skew (a few in many accounts, most in one or two), a role and two events each.

    Two invented people share a surname: "Alex Kenward", named by every tenth
    account, and "Baroness Kenward", named by two; search must put the first first.
    """
    import random

    from graph.model import EVENT_TYPES

    rng = random.Random(seed)
    accs, nodes, roles, events = [], {}, [], []

    def pick(count: int) -> int:  # half the time a hub-heavy draw, else any
        return min(int(rng.paretovariate(1.2)) - 1, count - 1) if rng.random() < 0.5 else rng.randrange(count)

    def entity(key: str, kind: str, name: str, account: str, ev: Evidence) -> None:
        node = nodes.setdefault(key, Node(key, kind, name, {name}, {}, []))
        node.names_in.setdefault(account, set()).add(name)
        node.evidence.append(ev)

    for a in range(accounts):
        acc = f"acc{a:04d}"
        cast = sorted({pick(people) for _ in range(4)})
        body = pick(bodies)
        lines = [f"Person {p:04d} spoke for Body {body:03d}." for p in cast]
        lines.append(f"Person {cast[0]:04d} was Chair of Body {body:03d}.")
        lines += [f"Person {cast[0]:04d} and Person {cast[-1]:04d} met about it.",
                  f"Person {cast[-1]:04d} left Body {body:03d}."]
        if a % 10 == 0 or a in (7, 13):
            lines.append(("Alex Kenward" if a % 10 == 0 else "Baroness Kenward") + f" backed Person {cast[0]:04d}.")
        text = " ".join(lines)
        accs.append(Account(acc, f"{acc}.txt", f"Generated account {a}", text))
        for p, line in zip(cast, lines):
            entity(f"person-{p:04d}", "person", f"Person {p:04d}", acc, _ev(acc, text, line, 0.8))
            entity(f"body-{body:03d}", "body", f"Body {body:03d}", acc, _ev(acc, text, line, 0.8))
        roles.append(RoleFact(f"person-{cast[0]:04d}", ("Chair", "Secretary", "Treasurer")[a % 3],
                              f"body-{body:03d}", _ev(acc, text, lines[len(cast)], 0.8)))
        met = _ev(acc, text, lines[len(cast) + 1], 0.7)
        events.append(EventFact(EVENT_TYPES[a % len(EVENT_TYPES)], [f"person-{cast[0]:04d}", f"person-{cast[-1]:04d}"],
                                "met", met, date=f"{2010 + a % 10}-{1 + a % 12:02d}" if a % 3 else None))
        left = _ev(acc, text, lines[len(cast) + 2], 0.7)
        events.append(EventFact("Resignation", [f"person-{cast[-1]:04d}", f"body-{body:03d}"], "left", left))
        if len(lines) > len(cast) + 3:
            key = "alex-kenward" if a % 10 == 0 else "baroness-kenward"
            entity(key, "person", "Alex Kenward" if a % 10 == 0 else "Baroness Kenward", acc,
                   _ev(acc, text, lines[-1], 0.8))
            events.append(EventFact("Meeting", [key, f"person-{cast[0]:04d}"], "backed", _ev(acc, text, lines[-1], 0.6)))
    return KnowledgeGraph(accs, nodes, roles, events)

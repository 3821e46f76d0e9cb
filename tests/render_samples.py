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

"""A merged graph of a chosen size, built directly (no extraction), for the render benchmark.

Why not render a generated corpus's build: the render figure is about the page
at a fixed size (5,000 nodes), and extraction at the scale that yields that
many nodes would take most of the benchmark's time budget. The shape follows a
real build: people and local bodies, role nodes (person -> role -> body),
events with two to three actors, a Zipf-like skew so a few entities are hubs,
and every fact with a sentence of its account.
"""
from __future__ import annotations

import random

from graph.model import EVENT_TYPES, Account, Evidence, EventFact, KnowledgeGraph, Node, RoleFact

TITLES = ("Chair", "Secretary", "Treasurer", "Councillor", "Leader", "Organiser", "Delegate")


def synthetic_kg(nodes: int = 5000, seed: int = 0) -> KnowledgeGraph:
    """About `nodes` drawable nodes: 30 % people, 6 % bodies, 24 % roles, 40 % events."""
    rng = random.Random(seed)
    n_people, n_bodies = int(nodes * 0.30), int(nodes * 0.06)
    n_roles, n_events = int(nodes * 0.24), nodes - int(nodes * 0.30) - int(nodes * 0.06) - int(nodes * 0.24)
    n_accounts = max(1, nodes // 25)
    texts: dict[str, list[str]] = {f"acc{a:05d}": [] for a in range(n_accounts)}
    graph_nodes: dict[str, Node] = {}

    def sentence(account: str, words: str) -> Evidence:
        text = texts[account]
        start = sum(len(s) + 1 for s in text)
        text.append(words)
        return Evidence(account, start, start + len(words), words, round(0.5 + rng.random() / 2, 2))

    def pick(prefix: str, count: int) -> str:
        # Zipf-like: low numbers (hubs) come up far more often.
        return f"{prefix}-{min(int(rng.paretovariate(1.1)) - 1, count - 1):05d}"

    for kind, prefix, count in (("person", "person", n_people), ("body", "body", n_bodies)):
        for i in range(count):
            node_id = f"{prefix}-{i:05d}"
            name = f"{kind.title()} {i:05d}"
            account = f"acc{rng.randrange(n_accounts):05d}"
            graph_nodes[node_id] = Node(node_id, kind, name, {name}, {account: {name}},
                                        [sentence(account, f"{name} was mentioned.")])
    roles = []
    for i in range(n_roles):  # one membership per person (then more), so role nodes stay distinct
        person, body = f"person-{i % n_people:05d}", pick("body", n_bodies)
        account = next(iter(graph_nodes[person].names_in))
        title = rng.choice(TITLES)
        roles.append(RoleFact(person, title, body, sentence(account, f"{person} was {title} of {body}.")))
    events = []
    for _ in range(n_events):
        actors = sorted({pick("person", n_people), pick("person", n_people), pick("body", n_bodies)})
        account = next(iter(graph_nodes[actors[0]].names_in))
        kind = rng.choice(EVENT_TYPES)
        date = f"{rng.randrange(2010, 2021)}-{rng.randrange(1, 13):02d}" if rng.random() < 0.6 else None
        events.append(EventFact(kind, actors, "met", sentence(account, f"{' and '.join(actors)}: {kind}."),
                                date))
    for event in events:
        for actor in event.actors:
            graph_nodes[actor].names_in.setdefault(event.evidence.account, {graph_nodes[actor].name})
    accounts = [Account(a, f"{a}.txt", f"Synthetic account {a}", " ".join(t) or "(empty)")
                for a, t in texts.items()]
    return KnowledgeGraph(accounts, graph_nodes, roles, events)

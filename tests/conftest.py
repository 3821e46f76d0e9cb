"""Shared fixtures: a small hand-made graph, and one real build of the bundled corpus."""
from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from graph.cli import main
from graph.model import Account, Evidence, EventFact, KnowledgeGraph, Node, RoleFact
from graph.paths import BUNDLED_ACCOUNTS
from graph.rdf import to_dataset


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


def _ev(account: str, text: str, sentence: str, conf: float = 0.9) -> Evidence:
    start = text.index(sentence)
    return Evidence(account, start, start + len(sentence), sentence, conf)


@pytest.fixture
def tiny_kg() -> KnowledgeGraph:
    """Two accounts, written by hand: enough to exercise every RDF statement."""
    a_text = "I resigned as Leader of Testford Council. Ann Other, the Chair of the Labour Group, summoned me."
    b_text = "Ann Other wrote to the NEC <script>alert(1)</script> about it in May 2016."
    acc_a = Account("a", "a.txt", "Why I went", a_text, author="Sam Teller", date="2018-02-01")
    acc_b = Account("b", "b.txt", "A letter", b_text)
    s1 = "I resigned as Leader of Testford Council."
    s2 = "Ann Other, the Chair of the Labour Group, summoned me."
    s3 = b_text
    nodes = {
        "sam-teller": Node("sam-teller", "person", "Sam Teller", {"Sam Teller"}, {"a": {"Sam Teller"}},
                           [_ev("a", a_text, s1)], narrator_of={"a"}),
        "ann-other": Node("ann-other", "person", "Ann Other", {"Ann Other"},
                          {"a": {"Ann Other"}, "b": {"Ann Other"}}, [_ev("a", a_text, s2), _ev("b", b_text, s3)]),
        "author-of-a-letter": Node("author-of-a-letter", "person", "Author of A letter", set(), {"b": set()}, [],
                                   narrator_of={"b"}),
        "testford-council": Node("testford-council", "body", "Testford Council", {"Testford Council"},
                                 {"a": {"Testford Council"}}, [_ev("a", a_text, s1)]),
        "labour-group": Node("labour-group", "body", "Labour Group", {"Labour Group"}, {"a": {"Labour Group"}},
                             [_ev("a", a_text, s2)], parent="testford-council"),
        "national-executive-committee": Node("national-executive-committee", "body",
                                             "National Executive Committee", {"NEC"}, {"b": {"NEC"}},
                                             [_ev("b", b_text, s3)]),
    }
    roles = [
        RoleFact("sam-teller", "Leader", "testford-council", _ev("a", a_text, s1)),
        RoleFact("ann-other", "Chair", "labour-group", _ev("a", a_text, s2, 0.8)),
    ]
    events = [
        EventFact("Resignation", ["sam-teller", "testford-council"], "resigned", _ev("a", a_text, s1)),
        EventFact("Meeting", ["ann-other", "sam-teller"], "summoned", _ev("a", a_text, s2)),
        EventFact("Complaint", ["ann-other", "national-executive-committee"], "wrote", _ev("b", b_text, s3),
                  date="2016-05"),
    ]
    return KnowledgeGraph([acc_a, acc_b], nodes, roles, events)


@pytest.fixture
def tiny_trig(tiny_kg, tmp_path) -> Path:
    path = tmp_path / "tiny.trig"
    path.write_text(to_dataset(tiny_kg).serialize(format="trig"), encoding="utf-8")
    return path


@pytest.fixture(scope="session")
def built(tmp_path_factory) -> Path:
    """One real `kg build` of the bundled accounts, shared by the end-to-end tests."""
    out = tmp_path_factory.mktemp("built")
    result = CliRunner().invoke(main, ["build", str(BUNDLED_ACCOUNTS), "-o", str(out),
                                       "--cache-dir", str(out / ".cache")])
    assert result.exit_code == 0, result.output
    return out

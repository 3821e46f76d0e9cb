"""The benchmark corpus generator, and a smoke run of `benchmarks/run.py` (no timing assertions).

The generator must be seedable (same seed, same bytes), make entities recur
across accounts (or the merge is never exercised), and never carry a name of
the bundled accounts' people or local bodies into a generated account.
"""
from __future__ import annotations

import re
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))

import generate  # noqa: E402

NAME = re.compile(r"\b[A-Z][a-z]+(?: [A-Z][a-z]+)+\b")


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> list[Path]:
    return generate.generate(40, tmp_path_factory.mktemp("gen"), seed=7)


def test_same_seed_same_bytes_other_seed_other_text(corpus, tmp_path):
    again = generate.generate(40, tmp_path / "again", seed=7)
    assert [p.read_bytes() for p in again] == [p.read_bytes() for p in corpus]
    other = generate.generate(40, tmp_path / "other", seed=8)
    assert [p.read_bytes() for p in other] != [p.read_bytes() for p in corpus]


def test_cli_writes_n_accounts(tmp_path):
    done = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "generate.py"), "5", str(tmp_path),
                           "--seed", "3"], capture_output=True, text=True, check=True)
    assert len(list(tmp_path.glob("*.txt"))) == 5 and "wrote 5 accounts" in done.stdout


def test_accounts_have_front_matter_and_body(corpus):
    for path in corpus:
        text = path.read_text(encoding="utf-8")
        assert text.startswith("---\ntitle: ") and "\nauthor: " in text and "\ndate: " in text
        assert len(text.split()) > 100


def test_invented_people_recur_across_accounts(corpus):
    pools = generate.pools_for(40, seed=7)
    assert generate.pools_for(40, seed=7) == pools
    people = {f"{first} {last}" for first, last in pools.people}
    seen_in: Counter[str] = Counter()
    for path in corpus:
        seen_in.update({n for n in NAME.findall(path.read_text(encoding="utf-8")) if n in people})
    assert seen_in, "no invented person appears at all"
    recurring = [n for n, k in seen_in.items() if k >= 3]
    assert len(recurring) >= 3, seen_in.most_common(5)
    places: Counter[str] = Counter()
    for path in corpus:
        text = path.read_text(encoding="utf-8")
        places.update({p for p in pools.places if p in text})
    assert max(places.values()) >= 5  # a popular place, hence its council and CLP, recurs


def _bundled_names() -> set[str]:
    """Distinctive words of the names the bundled build finds (people and bodies)."""
    from graph.build import build

    from graph.paths import BUNDLED_ACCOUNTS
    from graph.store import open_graph
    from graph.view import read_view
    import tempfile

    with tempfile.TemporaryDirectory() as out:
        build([BUNDLED_ACCOUNTS], Path(out), html=False)
        view = read_view(open_graph(Path(out) / "graph.trig"))
    words = set()
    for node in view.nodes.values():
        if node.kind in ("person", "body"):
            for name in node.names:
                words.update(w for w in generate.WORD.findall(name)
                             if w[:1].isupper() and w not in generate.general_words())
    return words


def test_no_bundled_names_in_generated_accounts(corpus):
    names = _bundled_names()
    assert len(names) > 10  # the check checks something
    for path in corpus:
        words = set(generate.WORD.findall(path.read_text(encoding="utf-8")))
        assert not words & names, (path.name, sorted(words & names))


def test_invented_pools_avoid_every_bundled_word():
    pools = generate.make_pools(200, generate.random.Random(2))
    bundled = generate.bundled_words()
    for first, last in pools.people:
        assert first.lower() not in bundled and last.lower() not in bundled
    for place in pools.places:
        assert place.split()[-1].lower() not in bundled


def test_bench_smoke_prints_every_row(tmp_path):
    """Tiny sizes, 200-node page: the table has its rows (timings are not checked)."""
    done = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "run.py"), "--sizes", "3,5,8",
                           "--jobs", "1", "--render-nodes", "200", "--keep", str(tmp_path)],
                          capture_output=True, text=True, timeout=900, cwd=ROOT)
    assert done.returncode == 0, done.stderr[-3000:]
    out = done.stdout
    assert out.startswith("Machine: ")
    for row in ("throughput, `kg build", "scaling 3 → 5 → 8 accounts", "scaling: merge time per account",
                "rebuild after adding one account", "`kg query`, the five named queries",
                "`kg query --name accounts` start-up", "`kg show` start-up", "`kg render` of a 200-node graph",
                "the page stabilises", "kg serve: a new account saved → answered by SPARQL",
                "SPARQL endpoint: the named queries over HTTP", "merge's memory: cached `kg build",
                "extraction: 2-worker Dask LocalCluster vs `--jobs 2`"):
        assert f"| {row}" in out, row
    assert "| accounts | build s |" in out and "| query | rows | rdflib s | Oxigraph s |" in out
    assert "| query | rows | median s | best s |" in out

"""`make bench`: kg's performance figures, all measured in one run on this machine.

Prints a markdown table (figure, measured, target, verdict) and the scaling
curve. Every build is a real `kg build` subprocess on a corpus from
`benchmarks/generate.py` (same seed, so the same corpus every run); timings
are wall clock, so they include interpreter start and the model load a user
also waits for. The default sizes (100, 300, 1,000 accounts) finish in about
ten minutes on two busy cores; `--full` adds the 10,000-account point.
"""
from __future__ import annotations

import argparse
import compileall
import json
import re
import shutil
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE), str(HERE.parent)]

from measure import KG, PY, ROOT, best_of, machine, mib, run  # noqa: E402
import served  # noqa: E402

MAX_PEAK = 2 * 2**30
BARE_PIPE = """
import json, sys, time
import spacy
from graph.extract.nlp import MODELS
texts = json.load(open(sys.argv[1], encoding="utf-8"))
for name in MODELS:
    try:
        nlp = spacy.load(name)
        break
    except OSError:
        continue
for _ in nlp.pipe(texts, batch_size=32, n_process=int(sys.argv[2])):
    pass
"""


@dataclass
class Table:
    rows: list[tuple[str, str, str, str]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def add(self, figure: str, measured: str, target: str, holds: bool | None) -> None:
        verdict = "n/a" if holds is None else ("holds" if holds else "**misses**")
        self.rows.append((figure, measured, target, verdict))
        print(f"  {figure}: {measured} [{verdict}]", file=sys.stderr, flush=True)

    def markdown(self) -> str:
        lines = ["| figure | measured | target | verdict |", "| --- | --- | --- | --- |"]
        lines += [f"| {' | '.join(r)} |" for r in self.rows]
        return "\n".join(lines)


def say(msg: str) -> None:
    print(f"[bench] {msg}", file=sys.stderr, flush=True)


def words_of(folder: Path) -> tuple[list[str], int]:
    """The account texts kg parses (after the load stage) and their word count."""
    from graph.load import load_paths

    texts = [a.text for a in load_paths([folder]).accounts]
    return texts, sum(len(t.split()) for t in texts)


def kg_build(corpus: Path, out: Path, jobs: int, *extra: str):
    return run([*KG, "-q", "build", str(corpus), "-o", str(out), "--jobs", str(jobs), *extra]).check(
        f"kg build {corpus}")


# -- figures ---------------------------------------------------------------------------

def throughput(table: Table, corpus: Path, work: Path, jobs: int) -> None:
    texts, words = words_of(corpus)
    say(f"throughput: kg build vs bare nlp.pipe, {len(texts)} accounts, {words:,} words, --jobs {jobs}")
    built = kg_build(corpus, work / "tp-out", jobs, "--no-cache", "--no-html")
    text_file = work / "texts.json"
    text_file.write_text(json.dumps(texts), encoding="utf-8")
    bare = run([PY, "-c", BARE_PIPE, str(text_file), str(jobs)]).check("bare nlp.pipe")
    ratio = bare.seconds / built.seconds
    table.add(f"throughput, `kg build --no-cache --no-html` vs bare `nlp.pipe` ({len(texts)} accounts, "
              f"{words:,} words, {jobs} process{'es' * (jobs > 1)})",
              f"kg {words / built.seconds:,.0f} words/s ({built.seconds:.1f} s), bare {words / bare.seconds:,.0f} "
              f"words/s ({bare.seconds:.1f} s): ratio {ratio:.2f}", "ratio ≥ 0.6", ratio >= 0.6)


def stages(out: Path, corpus: Path) -> dict[str, float]:
    """Where a cached build's time goes, in process: load, cache reads, merge, RDF, HTML."""
    from graph.load import load_paths
    from graph.cache import Cache
    from graph import quads
    from graph.merge import merge
    from graph.render import render_html

    t: dict[str, float] = {}
    t0 = time.perf_counter()
    load_paths([corpus])  # timed for the table; the cache below holds what a build reads
    t["load"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    # Every entry of this build's own cache, read as the build reads them (by file, not by key:
    # a key would miss if the extractor's code changed since the build).
    extractions = list(Cache(out / ".cache").entries())
    t["cache"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    kg = merge(extractions)
    t["merge"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    graphs = quads.graphs(kg)  # the stages `build.write_outputs` runs
    t["to RDF"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    quads.texts(quads.flatten(graphs))  # TriG and Turtle, as `build.write_outputs` writes them
    t["serialize"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    render_html(graphs)
    t["HTML"] = time.perf_counter() - t0
    t["nodes"] = len(kg.nodes)
    return t


def scaling(table: Table, corpora: dict[int, Path], work: Path, jobs: int, ref: int) -> float:
    """Cold builds at each size; returns the cold build time of the `ref` size."""
    curve = []
    for n, corpus in corpora.items():
        say(f"scaling: kg build of {n:,} accounts, --jobs {jobs}")
        out = work / f"out-{n}"
        built = kg_build(corpus, out, jobs)
        st = stages(out, corpus)
        curve.append((n, built, st))
        if n == ref:
            table.add(f"build of {n:,} accounts, `--jobs {jobs}` (cold cache, with HTML)",
                      f"{built.seconds:.1f} s, peak memory {mib(built.peak_bytes)} (RSS of all processes)",
                      "peak ≤ 2 GB", built.peak_bytes <= MAX_PEAK)
    per = [b.seconds / n for n, b, _ in curve]
    growth = per[-1] / per[0]
    table.add(f"scaling {' → '.join(f'{n:,}' for n, _, _ in curve)} accounts: time per account",
              " → ".join(f"{p * 1000:.0f} ms" for p in per) + f" (last/first {growth:.2f})",
              "roughly constant (≤ 1.5×)", growth <= 1.5)
    merge_per = [st["merge"] / n for n, _, st in curve]
    mgrowth = merge_per[-1] / merge_per[0]
    table.add("scaling: merge time per account", " → ".join(f"{m * 1000:.2f} ms" for m in merge_per)
              + f" (last/first {mgrowth:.2f})", "near-linear merge (≤ 2×)", mgrowth <= 2.0)
    lines = ["| accounts | build s | s/account | peak memory | nodes | load | cache read | merge | to RDF | "
             "serialize | HTML |", "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"]
    for n, b, st in curve:
        lines.append(f"| {n:,} | {b.seconds:.1f} | {b.seconds / n:.3f} | {mib(b.peak_bytes)} | {st['nodes']:,} | "
                     + " | ".join(f"{st[k]:.2f}" for k in ("load", "cache", "merge", "to RDF", "serialize", "HTML"))
                     + " |")
    table.notes.append("Scaling curve (cold `kg build`; stage columns: seconds of a cached rebuild's stages, "
                       "timed in process, serialize = TriG and Turtle written by Oxigraph):\n\n" + "\n".join(lines))
    return next(b.seconds for n, b, _ in curve if n == ref)


def rebuild(table: Table, corpus: Path, extra: Path, work: Path, jobs: int, full: float, tries: int = 3) -> None:
    """Add one never-seen account to the built corpus and rebuild; the best of `tries`.

    Each try adds a different account (the held-back one, with a line of its
    own), so each extracts exactly one; the one before is taken out again.
    """
    say(f"rebuild after adding one account (best of {tries})")
    out = work / f"out-{len(list(corpus.glob('*.txt')))}"
    runs = []
    for i in range(tries):
        new = corpus / extra.name
        new.write_text(extra.read_text(encoding="utf-8") + f"\nWritten for rebuild {i + 1}.\n", encoding="utf-8")
        try:
            runs.append(run([*KG, "build", str(corpus), "-o", str(out), "--jobs", str(jobs)]).check(
                "kg build (rebuild)"))
        finally:
            new.unlink()
    again = min(runs, key=lambda r: r.seconds)
    share = again.seconds / full
    found = re.search(r"\((\d+) extracted", again.stdout)
    extracted = int(found.group(1)) if found else -1
    warn = "" if extracted == 1 else f" (but {extracted} accounts were extracted: code changed during the run?)"
    table.add(f"rebuild after adding one account to the built {len(list(corpus.glob('*.txt'))):,}-account corpus",
              f"{again.seconds:.2f} s = {100 * share:.1f} % of the full build ({full:.1f} s); best of {tries}: "
              + ", ".join(f"{r.seconds:.2f}" for r in runs) + f" s{warn}", "≤ 5 %",
              share <= 0.05 if extracted == 1 else None)


def queries(table: Table, graph_file: Path, limit: int) -> None:
    """Each engine in a child process (`querytime.py`): load once, then every named query."""
    from graph.query import load_oxigraph
    from graph.view import read_view

    say("named queries, rdflib and Oxigraph")
    view = read_view(load_oxigraph(graph_file))
    person = max((n for n in view.nodes.values() if n.kind == "person"), key=lambda n: view.degree(n.iri))
    params = {"claims-about": {"name": person.label}}
    per: dict[str, dict[str, dict]] = {}
    for engine in ("rdflib", "oxigraph"):
        done = run([PY, str(HERE / "querytime.py"), engine, str(graph_file), str(limit), json.dumps(params)])
        done.check(f"queries on {engine}")
        for line in done.stdout.splitlines():
            item = json.loads(line)
            per.setdefault(item["query"], {})[engine] = item

    def secs(item: dict) -> float:
        return item.get("seconds", item.get("limit", 0))

    def shown(item: dict, engine: str) -> str:
        text = f"{item['seconds']:.3f}" if "seconds" in item else f"> {item['limit']} (cut off)"
        return text + (f" (ran on {item['engine']})" if item.get("engine", engine) != engine else "")

    total_r = sum(secs(by["rdflib"]) for by in per.values())
    total_o = sum(secs(by["oxigraph"]) for by in per.values())
    cut = any("limit" in by["rdflib"] for by in per.values())
    faster = "Oxigraph" if total_o < total_r else "rdflib"
    table.add(f"`kg query`, the five named queries on the {graph_file.parent.name[4:]}-account graph "
              "(load + all five)",
              f"rdflib {'> ' if cut else ''}{total_r:.2f} s, Oxigraph {total_o:.2f} s "
              f"({'> ' if cut else ''}{max(total_r, total_o) / min(total_r, total_o):.0f}× faster with {faster})",
              "the faster engine is `kg query`'s default (Oxigraph)", faster == "Oxigraph")
    lines = ["| query | rows | rdflib s | Oxigraph s |", "| --- | ---: | ---: | ---: |"]
    for name, by in per.items():
        rows = by["oxigraph"].get("rows", by["rdflib"].get("rows", ""))
        lines.append(f"| {name} | {rows} | {shown(by['rdflib'], 'rdflib')} | {shown(by['oxigraph'], 'oxigraph')} |")
    table.notes.append(f"Named queries on the {graph_file.parent.name[4:]}-account graph (each engine in its own "
                       f"process; best of two runs, one if it takes over 2 s; cut off after {limit} s):\n\n"
                       + "\n".join(lines))


def startup(table: Table, work: Path) -> None:
    """`kg query` and `kg show` on the bundled corpus: wall time, and whether spaCy was imported."""
    from graph.store import open_graph
    from graph.view import read_view

    say("start-up of kg query and kg show on the bundled corpus")
    out = work / "bundled"
    run([*KG, "-q", "build", "-o", str(out), "--no-html"]).check("kg build (bundled)")
    graph_file = out / "graph.trig"
    view = read_view(open_graph(graph_file))
    person = max((n for n in view.nodes.values() if n.kind == "person"), key=lambda n: view.degree(n.iri))
    commands = {
        "kg query --name accounts": ["query", "--name", "accounts", "-g", str(graph_file)],
        "kg show": ["show", person.label, "-g", str(graph_file)],
    }
    for label, args in commands.items():
        timed = best_of(3, [PY, "-m", "graph", *args])
        traced = run([PY, "-X", "importtime", "-m", "graph", *args]).check(label)
        spacy = any(line.split("|")[-1].strip().startswith("spacy") for line in traced.stderr.splitlines()
                    if line.startswith("import time:"))
        table.add(f"`{label}` start-up on the bundled corpus",
                  f"{timed.seconds:.2f} s wall (best of 3), spaCy {'IMPORTED' if spacy else 'not imported'}",
                  "< 1.5 s, no spaCy", timed.seconds < 1.5 and not spacy)


def render(table: Table, work: Path, nodes: int) -> None:
    from graph.rdf import serialize, to_dataset
    from synthetic import synthetic_kg

    say(f"kg render of a {nodes:,}-node graph")
    graph_file = work / "synthetic.trig"
    graph_file.write_text(serialize(to_dataset(synthetic_kg(nodes)), "trig"), encoding="utf-8")
    page = work / "synthetic.html"
    done = run([*KG, "-q", "render", "--graph", str(graph_file), "-o", str(page)]).check("kg render")
    from browser import stabilise

    settled = stabilise(page)
    table.add(f"`kg render` of a {nodes:,}-node graph",
              f"{done.seconds:.1f} s, HTML {page.stat().st_size / 2**20:.1f} MiB", "printed", None)
    if settled.error:
        table.add("the page stabilises in headless Chromium", f"not measured: {settled.error}", "stabilises", None)
    else:
        table.add("the page stabilises in headless Chromium", settled.describe(), "stabilises",
                  settled.still and not settled.errors)


# -- main ------------------------------------------------------------------------------

def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--full", action="store_true", help="add the 10,000-account point (about 15 minutes in all on 2 cores)")
    ap.add_argument("--sizes", type=lambda s: [int(x) for x in s.split(",")], default=None,
                    help="comma-separated corpus sizes (default 100,300,1000; 10000 more with --full)")
    ap.add_argument("--jobs", type=int, default=2, help="processes for the builds (default 2)")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--render-nodes", type=int, default=5000)
    ap.add_argument("--query-limit", type=int, default=30, help="seconds before one query is cut off")
    ap.add_argument("--keep", type=Path, help="keep the corpora and builds in this folder")
    args = ap.parse_args(argv)
    sizes = args.sizes or ([100, 300, 1000, 10000] if args.full else [100, 300, 1000])
    sizes = sorted(set(sizes))

    from generate import generate

    table = Table()
    started = time.perf_counter()
    # kg's own modules byte-compiled, as a first run leaves them: under PYTHONDONTWRITEBYTECODE
    # (set on some machines and CI images) every command here would compile them again.
    compileall.compile_dir(ROOT / "graph", quiet=1)
    print(f"Machine: {machine()}\n", flush=True)
    work = args.keep or Path(tempfile.mkdtemp(prefix="kg-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    try:
        say(f"generating corpora of {', '.join(map(str, sizes))} accounts (seed {args.seed}) in {work}")
        corpora: dict[int, Path] = {}
        extra = work / "extra"
        for n in sizes:
            corpora[n] = work / f"corpus-{n}"
            shutil.rmtree(corpora[n], ignore_errors=True)
            paths = generate(n + 1, corpora[n], seed=args.seed)
            extra.mkdir(exist_ok=True)
            shutil.move(paths[-1], extra / f"{n}-{paths[-1].name}")  # held back for the rebuild figure
        mid = sizes[len(sizes) // 2] if len(sizes) > 2 else sizes[0]
        throughput(table, corpora[mid], work, 1)
        ref = max(n for n in sizes if n <= 1000)  # the 1,000-account corpus, or the largest below
        full = scaling(table, corpora, work, args.jobs, ref)
        rebuild(table, corpora[ref], next(extra.glob(f"{ref}-*")), work, args.jobs, full)
        queries(table, work / f"out-{ref}" / "graph.trig", args.query_limit)
        served.figures(table, corpora[ref], work / f"out-{ref}", next(extra.glob(f"{ref}-*")), corpora[mid], work)
        startup(table, work)
        render(table, work, args.render_nodes)
        if not args.full:
            per = full / ref
            table.notes.append(f"The 10,000-account point is not in this run: at {per:.2f} s per account its "
                               f"build alone would take about {per * 10000 / 60:.0f} minutes here; run "
                               "`benchmarks/run.py --full` for it.")
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    print(table.markdown())
    for note in table.notes:
        print(f"\n{note}")
    print(f"\nWhole benchmark: {time.perf_counter() - started:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())

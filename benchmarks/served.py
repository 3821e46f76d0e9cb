"""The #18 figures of `make bench`: kg serve, the SPARQL endpoint, Dask, the merge's memory.

Called by `run.py` on the corpus it built (its extraction cache warm), or alone:
`python benchmarks/served.py CORPUS OUT EXTRA_ACCOUNT [--mid CORPUS]`. Each figure is
taken from real subprocesses: a `kg serve` on a free loopback port, answered over HTTP.

- new account -> answered: the time from writing a new account file into the served
  folder to the first SPARQL answer that has it (polled every 10 ms), best of three,
  each a different new account, the server otherwise idle (the model already loaded);
- endpoint latency: each named query POSTed to /sparql (no row cap), median of five;
- Dask: `kg build --no-cache --no-html --jobs 2` against the same through a 2-worker
  LocalCluster (`--executor dask --jobs 2`), wall clock, cluster start-up included;
- memory: peak RSS of a cached `kg build --no-html` (no spaCy: the merge, the
  statements and the files, all in the client), and of the resident `kg serve`.
"""
from __future__ import annotations

import argparse
import json
import re
import statistics
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE), str(HERE.parent)]

from measure import KG, PY, mib, run  # noqa: E402


@dataclass
class Served:
    process: Any
    url: str
    lines: list[str] = field(default_factory=list)
    seen: int = 0  # lines already waited past

    def wait_for(self, pattern: str, timeout: float = 600, since: int | None = None) -> str:
        """The next line (from line `since`, else after the last one waited for) matching `pattern`."""
        start = self.seen if since is None else since
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for i in range(start, len(self.lines)):
                if re.search(pattern, self.lines[i]):
                    self.seen = max(self.seen, i + 1)
                    return self.lines[i]
            start = len(self.lines)
            if self.process.poll() is not None:
                break
            time.sleep(0.02)
        raise RuntimeError(f"kg serve never said {pattern!r}: {''.join(self.lines)[-2000:]}")

    def ask(self, query: str) -> bool:
        import httpx

        answer = httpx.post(f"{self.url}/sparql", data={"query": query}, timeout=60)
        answer.raise_for_status()
        return bool(answer.json()["boolean"])

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(60)


def start_serve(corpus: Path, out: Path, *args: str) -> Served:
    import psutil

    process = psutil.Popen([*KG, "-v", "serve", str(corpus), "-o", str(out), "--port", "0", *args],
                           stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                           env={"PYTHONUNBUFFERED": "1", **__import__("os").environ})
    served = Served(process, "")

    def read() -> None:
        for line in process.stdout:
            served.lines.append(line)

    threading.Thread(target=read, daemon=True).start()
    served.url = re.search(r"Serving (http://\S+)/ ", served.wait_for(r"^Serving ")).group(1)
    return served


def new_account_latency(table, corpus: Path, out: Path, extra: Path, tries: int = 3) -> Served:
    """Write a new account into the served folder; seconds until a query answers with it."""
    say = print
    say(f"[bench] kg serve: new account -> answered, {len(list(corpus.glob('*.txt'))):,} accounts", file=sys.stderr)
    served = start_serve(corpus, out, "--max-rows", "0", "--timeout", "600")
    served.wait_for(r"model loaded", since=0)  # (said before "Serving" when the first build parsed)
    seconds = []
    for i in range(tries):
        name = f"serve-new-{i + 1}.txt"
        query = f'ASK {{ ?a dcterms:source ?s FILTER(STRENDS(STR(?s), "{name}")) }}'
        new = corpus / name
        started = time.perf_counter()
        new.write_text(extra.read_text(encoding="utf-8") + f"\nWritten for serve {i + 1}.\n", encoding="utf-8")
        try:
            while not served.ask(query):
                time.sleep(0.01)
            seconds.append(time.perf_counter() - started)
            served.wait_for(r"wrote ")  # the files follow; the next try starts on an idle server
        finally:
            new.unlink()
        while served.ask(query):
            time.sleep(0.05)
        served.wait_for(r"wrote ")
    best = min(seconds)
    n = len(list(corpus.glob("*.txt")))
    table.add(f"kg serve: a new account saved → answered by SPARQL ({n:,} accounts served)",
              f"{best:.2f} s best of {tries}: " + ", ".join(f"{s:.2f}" for s in seconds) + " s",
              "< 1 s at 1,000 accounts", best < 1.0 if n >= 1000 else None)
    return served


def endpoint_latency(table, served: Served, repeat: int = 5) -> None:
    import httpx

    from graph.query import named_queries

    # claims-about asks about the person with the most roles and events (asked of the server itself:
    # reading a 10,000-account graph here would take longer than the figure)
    top = httpx.post(f"{served.url}/sparql", timeout=300, data={"query": """
        SELECT ?name (COUNT(?f) AS ?n) WHERE { ?p a foaf:Person ; foaf:name ?name .
          { ?f org:member ?p } UNION { ?f sem:hasActor ?p } } GROUP BY ?name ORDER BY DESC(?n) ?name LIMIT 1"""})
    person = top.json()["results"]["bindings"][0]["name"]["value"]
    accounts = httpx.post(f"{served.url}/sparql", timeout=300, data={"query": """
        SELECT (COUNT(DISTINCT ?a) AS ?n) WHERE { ?a a prov:Entity ; dcterms:source ?s }"""})
    n = int(accounts.json()["results"]["bindings"][0]["n"]["value"])
    lines = ["| query | rows | median s | best s |", "| --- | ---: | ---: | ---: |"]
    total = 0.0
    for name, named in named_queries().items():
        text = named.text
        # the protocol has no parameters: each required one as a VALUES clause in each scope
        values = {"name": json.dumps(person), "date": '"2016-06-30"'}
        for param in (p for p in named.params if p.required):
            text = text.replace("WHERE {", f"WHERE {{ VALUES ?{param.name} {{ {values[param.name]} }}")
        times, rows = [], 0
        for _ in range(repeat):
            started = time.perf_counter()
            answer = httpx.post(f"{served.url}/sparql", data={"query": text}, timeout=300,
                                headers={"Accept": "application/sparql-results+json"})
            times.append(time.perf_counter() - started)
            answer.raise_for_status()
            rows = len(answer.json()["results"]["bindings"])
        total += statistics.median(times)
        lines.append(f"| {name} | {rows:,} | {statistics.median(times):.3f} | {min(times):.3f} |")
    table.add(f"SPARQL endpoint: the named queries over HTTP ({n:,} accounts)",
              f"{total:.2f} s for all {len(lines) - 2} (medians of {repeat})", "printed", None)
    table.notes.append(f"kg serve's /sparql on {n:,} accounts (POST, SPARQL JSON, no row cap; "
                       f"medians of {repeat}):\n\n" + "\n".join(lines))


def dask_vs_jobs(table, corpus: Path, work: Path) -> None:
    from run import words_of

    print(f"[bench] Dask LocalCluster vs --jobs 2 on {corpus.name}", file=sys.stderr)
    _, words = words_of(corpus)
    plain = run([*KG, "-q", "build", str(corpus), "-o", str(work / "jobs2"), "--no-cache", "--no-html",
                 "--jobs", "2"]).check("kg build --jobs 2")
    dask = run([*KG, "-q", "build", str(corpus), "-o", str(work / "dask2"), "--no-cache", "--no-html",
                "--executor", "dask", "--jobs", "2"]).check("kg build --executor dask")
    same = (work / "jobs2" / "graph.trig").read_bytes() == (work / "dask2" / "graph.trig").read_bytes()
    table.add(f"extraction: 2-worker Dask LocalCluster vs `--jobs 2` ({words:,} words)",
              f"Dask {words / dask.seconds:,.0f} words/s ({dask.seconds:.1f} s), --jobs 2 "
              f"{words / plain.seconds:,.0f} words/s ({plain.seconds:.1f} s); same bytes: {same}",
              "printed; same bytes", same)


def memory(table, corpus: Path, out: Path, served: Served | None) -> None:
    import psutil

    n = len(list(corpus.glob("*.txt")))
    cached = run([*KG, "-q", "build", str(corpus), "-o", str(out), "--no-html"]).check("cached kg build")
    per = cached.peak_bytes / n * 10_000
    resident = ""
    if served is not None:
        rss = sum(p.memory_info().rss for p in [psutil.Process(served.process.pid)])
        resident = f"; kg serve resident {mib(rss)} ({mib(rss / n * 10_000)} per 10,000 accounts)"
    table.add(f"merge's memory: cached `kg build --no-html` of {n:,} account files (the client alone, no spaCy)",
              f"peak {mib(cached.peak_bytes)}, {cached.seconds:.1f} s: about {mib(per)} per 10,000 accounts "
              f"if linear{resident}", "printed", None)


def figures(table, corpus: Path, out: Path, extra: Path, mid: Path, work: Path) -> None:
    """Every #18 figure (run.py calls this with the corpus it built and its output folder)."""
    served = new_account_latency(table, corpus, out, extra)
    try:
        endpoint_latency(table, served)
        memory(table, corpus, out, served)
    finally:
        served.stop()
    dask_vs_jobs(table, mid, work)


def main(argv: list[str] | None = None) -> int:
    from run import Table

    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("corpus", type=Path)
    ap.add_argument("out", type=Path, help="its build (run kg build first: the cache must be warm)")
    ap.add_argument("extra", type=Path, help="an account file not in the corpus")
    ap.add_argument("--mid", type=Path, help="corpus for the Dask figure (default: CORPUS)")
    ap.add_argument("--only", choices=["serve", "endpoint", "dask"],
                    help="one group of figures (endpoint: the named queries over /sparql alone)")
    ap.add_argument("--repeat", type=int, default=5, help="times each named query is asked (the median is kept)")
    args = ap.parse_args(argv)
    table = Table()
    work = args.out.parent
    if args.only == "endpoint":
        served = start_serve(args.corpus, args.out, "--max-rows", "0", "--timeout", "600")
        try:
            endpoint_latency(table, served, args.repeat)
        finally:
            served.stop()
    elif args.only != "dask":
        served = new_account_latency(table, args.corpus, args.out, args.extra)
        try:
            endpoint_latency(table, served, args.repeat)
            memory(table, args.corpus, args.out, served)
        finally:
            served.stop()
    if args.only not in ("serve", "endpoint"):
        dask_vs_jobs(table, args.mid or args.corpus, work)
    print(table.markdown())
    for note in table.notes:
        print(f"\n{note}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

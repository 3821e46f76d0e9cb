"""Time the named queries on one engine: `querytime.py ENGINE GRAPH LIMIT_S PARAMS_JSON`.

A child process of `run.py`, so a query that takes minutes on rdflib's
pure-Python evaluator can be cut off (SIGALRM, LIMIT_S per query) without
losing the figures of the others. Prints one JSON object per line: the graph's
load time, then each query's best-of-two seconds (one run if it takes over
2 s) and row count, or `"limit": LIMIT_S` where it was cut off.
"""
from __future__ import annotations

import json
import signal
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


class Cut(Exception):
    pass


def _alarm(_signum, _frame) -> None:
    raise Cut


def main(engine: str, graph_file: str, limit: int, params: dict[str, dict[str, str]]) -> None:
    from graph import query as q

    signal.signal(signal.SIGALRM, _alarm)
    t0 = time.perf_counter()
    ds = q.ENGINES[engine](graph_file)
    print(json.dumps({"query": "(load the graph)", "seconds": time.perf_counter() - t0}), flush=True)
    for name, named in q.named_queries().items():
        bindings = q.parse_params(f"{k}={v}" for k, v in params.get(name, {}).items())
        used = q.pick_engine(engine, q.check_query(named.text).projected, bindings)
        store = ds if used == engine else q.ENGINES[used](graph_file)
        times, rows = [], 0
        try:
            for _ in range(2):
                signal.alarm(limit)
                t0 = time.perf_counter()
                rows = len(q.run(store, named.text, bindings).rows)
                times.append(time.perf_counter() - t0)
                signal.alarm(0)
                if times[-1] > 2:
                    break
        except Exception as exc:  # q.run wraps the alarm in a KgError
            if not isinstance(exc, Cut) and not isinstance(exc.__cause__, Cut):
                raise
            signal.alarm(0)
            print(json.dumps({"query": name, "limit": limit, "engine": used}), flush=True)
            continue
        print(json.dumps({"query": name, "seconds": min(times), "rows": rows, "engine": used}), flush=True)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], int(sys.argv[3]), json.loads(sys.argv[4]))

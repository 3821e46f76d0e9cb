"""kg build --executor dask: the parse on a dask.distributed LocalCluster, the same bytes as kg build."""
from __future__ import annotations

import subprocess
import sys

import pytest

from serving import write_accounts

pytest.importorskip("distributed")


def _build(accounts, out, *args: str) -> str:
    run = subprocess.run([sys.executable, "-m", "graph", "build", str(accounts), "-o", str(out), *args],
                         capture_output=True, text=True, timeout=600)
    assert run.returncode == 0, run.stderr
    return run.stdout + run.stderr


def test_a_build_through_a_local_cluster_writes_the_same_files(tmp_path):
    accounts = write_accounts(tmp_path / "accounts")
    plain = _build(accounts, tmp_path / "plain")
    through = _build(accounts, tmp_path / "dask", "--executor", "dask", "--jobs", "2")
    assert "(2 extracted, 0 from cache)" in plain
    assert "(2 extracted, 0 from cache)" in through
    for name in ("graph.trig", "graph.ttl", "graph.html"):
        assert (tmp_path / "dask" / name).read_bytes() == (tmp_path / "plain" / name).read_bytes(), name
    assert "Traceback" not in through
    # the workers' extractions went into the cache: a plain rebuild parses nothing
    again = _build(accounts, tmp_path / "dask")
    assert "(0 extracted, 2 from cache)" in again


def test_scheduler_with_the_local_executor_is_a_usage_error(tmp_path):
    run = subprocess.run([sys.executable, "-m", "graph", "build", str(write_accounts(tmp_path / "a")),
                          "-o", str(tmp_path / "o"), "--executor", "local", "--scheduler", "tcp://127.0.0.1:1"],
                         capture_output=True, text=True)
    assert run.returncode == 2 and "--scheduler" in run.stderr
    assert not (tmp_path / "o" / "graph.trig").exists()

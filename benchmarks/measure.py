"""How the benchmarks measure: wall time and peak memory of a command, and the machine.

Why a subprocess per figure: `kg build --jobs 2` forks worker processes, and
start-up cost is part of what a user waits for, so a figure is what the
command costs from launch to exit. Peak memory is sampled with psutil as the
sum of the resident sets of the command and all its descendants (an upper
bound: forked workers share some pages), every 50 ms.
"""
from __future__ import annotations

import os
import platform
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parent.parent
PY = sys.executable
KG = [PY, "-m", "graph"]


@dataclass
class Run:
    seconds: float
    peak_bytes: int
    returncode: int
    stdout: str
    stderr: str

    def check(self, what: str) -> "Run":
        if self.returncode != 0:
            raise RuntimeError(f"{what} failed (exit {self.returncode}): {self.stderr.strip()[-2000:]}")
        return self


def _tree_rss(proc: psutil.Process) -> int:
    total = 0
    try:
        procs = [proc, *proc.children(recursive=True)]
    except psutil.Error:
        return 0
    for p in procs:
        try:
            total += p.memory_info().rss
        except psutil.Error:
            pass
    return total


def run(cmd: list[str], *, env: dict[str, str] | None = None, timeout: float = 3600,
        sample: float = 0.05) -> Run:
    """Run `cmd` from the project root; wall seconds and peak tree RSS."""
    full_env = {**os.environ, "PYTHONHASHSEED": "0", **(env or {})}
    started = time.perf_counter()
    proc = psutil.Popen(cmd, cwd=ROOT, env=full_env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                        text=True)
    peak = 0
    out_chunks: list[str] = []
    err_chunks: list[str] = []
    # communicate() in slices keeps the pipes drained while we sample memory.
    while True:
        peak = max(peak, _tree_rss(proc))
        try:
            out, err = proc.communicate(timeout=sample)
            out_chunks.append(out or "")
            err_chunks.append(err or "")
            break
        except subprocess.TimeoutExpired:
            if time.perf_counter() - started > timeout:
                proc.kill()
                out, err = proc.communicate()
                return Run(time.perf_counter() - started, peak, -9, out, err + "\n(timed out)")
    return Run(time.perf_counter() - started, peak, proc.returncode, "".join(out_chunks), "".join(err_chunks))


def best_of(n: int, cmd: list[str]) -> Run:
    """The fastest of n runs: start-up figures are noisy on a shared machine."""
    runs = [run(cmd).check(" ".join(cmd[2:])) for _ in range(n)]
    return min(runs, key=lambda r: r.seconds)


def machine() -> str:
    """`nproc`, memory and CPU model: a figure means nothing without them."""
    model = platform.processor() or "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = psutil.virtual_memory().total / 2**30
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    return (f"{os.cpu_count()} CPUs ({model}), {mem:.0f} GiB RAM, Python {platform.python_version()}, "
            f"load average at start {load}")


def mib(n: int) -> str:
    return f"{n / 2**20:,.0f} MiB"

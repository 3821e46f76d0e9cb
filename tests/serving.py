"""Start `kg serve` as a real subprocess on a free loopback port, for the serve, push and browser tests."""
from __future__ import annotations

import atexit
import os
import queue
import re
import signal
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx

ACCOUNT_A = """---
title: Why I stood down
author: Quenby Marlowe
date: 2019-03-04
---
I have today resigned as Secretary of the Harrowfield Labour Party. Orlaith Brennick, the Chair of the
Harrowfield Labour Party, accepted my resignation at the meeting on Tuesday.
"""
ACCOUNT_B = """---
title: A letter to members
author: Orlaith Brennick
date: 2019-03-10
---
Quenby Marlowe served the Harrowfield Labour Party well. I was elected Chair of the Harrowfield Labour Party
in 2017, and Tamsin Okafor was elected Treasurer of the Harrowfield Labour Party.
"""
ACCOUNT_NEW = """---
title: Joining the committee
author: Ysolde Penhallow
date: 2019-04-01
---
I was elected Treasurer of the Kestlemoor Borough Council group last night. Ysolde Penhallow is my name,
and Bryony Castellan, the Leader of Kestlemoor Borough Council, congratulated me.
"""


def write_accounts(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "a.txt").write_text(ACCOUNT_A, encoding="utf-8")
    (folder / "b.txt").write_text(ACCOUNT_B, encoding="utf-8")
    return folder


@dataclass
class Server:
    process: subprocess.Popen
    url: str
    out: Path
    lines: list[str] = field(default_factory=list)

    def sparql(self, query: str, accept: str = "application/sparql-results+json", **kw) -> httpx.Response:
        return httpx.post(f"{self.url}/sparql", data={"query": query}, headers={"Accept": accept},
                          timeout=kw.pop("timeout", 60), **kw)

    def stop(self, signum: int = signal.SIGINT, wait: float = 60) -> int:
        if self.process.poll() is None:
            self.process.send_signal(signum)
        return self.process.wait(wait)


def _kill_if_running(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.kill()
        process.wait(10)


def start(accounts: Path, out: Path, *args: str, wait: float = 240) -> Server:
    """`kg serve ACCOUNTS -o OUT --port 0 ARGS`, once it says where it listens.

    A test that fails before it stops its server leaves it running; it is killed when the
    test session ends, so no server outlives the tests.
    """
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    process = subprocess.Popen([sys.executable, "-m", "graph", "serve", str(accounts), "-o", str(out),
                                "--port", "0", *args], stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                               text=True, env=env)
    atexit.register(_kill_if_running, process)
    said: queue.Queue[str] = queue.Queue()
    lines: list[str] = []

    def read() -> None:
        assert process.stdout is not None
        for line in process.stdout:
            lines.append(line)
            said.put(line)

    threading.Thread(target=read, daemon=True).start()
    deadline = time.monotonic() + wait
    while time.monotonic() < deadline:
        try:
            line = said.get(timeout=1)
        except queue.Empty:
            if process.poll() is not None:
                break
            continue
        if match := re.match(r"Serving (http://\S+)/ ", line):
            return Server(process, match.group(1), out, lines)
    process.kill()
    raise AssertionError(f"kg serve did not start: {''.join(lines)}")

"""Ctrl-C and SIGTERM: stop the parser's workers, unwind, then end by the signal received.

spaCy's `nlp.pipe(n_process=N)` joins its workers when it is left; a worker
blocked writing a parse nobody reads any more would keep that join (and kg)
waiting for ever, so they are stopped before the main process unwinds
(`multiprocessing.active_children` is every child this process started).
Unwinding removes temporary files and releases the output lock; the command
then ends by the signal itself, as a well-behaved program does (the shell
sees 130 or 143, and a script running kg in a loop stops too), rather than
through interpreter teardown, which would wait for ever on the queues of
workers that were stopped mid-parse.
"""
from __future__ import annotations

import multiprocessing
import os
import signal
import sys
import threading
import warnings
from types import FrameType


class Terminated(KeyboardInterrupt):
    """SIGTERM, unwound like Ctrl-C: temporary files removed, the lock released, one line."""


class Signals:
    """The handler kg installs, and the signal that stopped the command, if one did."""

    def __init__(self) -> None:
        self.pid = os.getpid()
        self.received: int | None = None

    def install(self) -> None:
        """Handle SIGINT and SIGTERM in this (main) process; a no-op off the main thread."""
        if threading.current_thread() is threading.main_thread():
            self.pid = os.getpid()
            for signum in (signal.SIGINT, signal.SIGTERM):
                signal.signal(signum, self._stop)

    def _stop(self, signum: int, frame: FrameType | None) -> None:
        if os.getpid() != self.pid:  # a forked worker inherited this handler: leave quietly
            raise SystemExit(128 + signum)
        self.received = signum
        for child in multiprocessing.active_children():
            child.terminate()
        # spaCy then warns that its workers did not complete (W127): they were told not to.
        warnings.filterwarnings("ignore", message=r"\[W127\]")
        raise Terminated() if signum == signal.SIGTERM else KeyboardInterrupt()

    def end_by_received(self) -> None:
        """If a signal stopped the command, end this process by it (once everything is cleaned up)."""
        if self.received is not None:
            sys.stdout.flush()
            sys.stderr.flush()
            signal.signal(self.received, signal.SIG_DFL)
            os.kill(os.getpid(), self.received)


SIGNALS = Signals()

"""`kg build`'s progress display: accounts done, time taken, and an estimate of the time left.

The estimate comes from the rate at which text is being parsed, measured as
the build goes. Two things would make a naive estimate wrong, so both are
left out of the rate: accounts read from the cache (done at once, before any
parsing) and the wait for the model to load and the first batch to be parsed
(spaCy hands documents back a batch at a time). Until a second batch is in
there is no estimate, rather than a wild one ("1% 00:03:53" for a 6 s build).

On a terminal the display is one line redrawn in place, a bar in it. Anywhere
else (a log file, CI) a full line is written every few seconds, and one at
the end, so a long build shows it is alive without filling the log.
"""
from __future__ import annotations

import time
from collections.abc import Callable
from typing import TextIO

BAR_WIDTH = 24
REDRAW_SECONDS = 0.2   # on a terminal, at most this often
LINE_SECONDS = 5.0     # elsewhere, a line this often


def duration(seconds: float) -> str:
    """'40 s', '1 min 30 s', '2 h 5 min': as a person says it, to the second."""
    whole = max(int(round(seconds)), 0)
    if whole < 60:
        return f"{whole} s"
    minutes, secs = divmod(whole, 60)
    if minutes < 60:
        return f"{minutes} min {secs} s" if secs else f"{minutes} min"
    hours, minutes = divmod(minutes, 60)
    return f"{hours} h {minutes} min" if minutes else f"{hours} h"


class BuildProgress:
    """Fed by `graph.build.build`'s callbacks: `start` (on_start), `characters` (progress),
    `accounts` (on_accounts); `close` when the extraction is over, however it ended."""

    def __init__(self, stream: TextIO, *, tty: bool | None = None, every: float = LINE_SECONDS,
                 clock: Callable[[], float] = time.monotonic, label: str = "Extracting"):
        self.stream, self.every, self.clock, self.label = stream, every, clock, label
        self.tty = stream.isatty() if tty is None else tty
        self.began = clock()
        self.total_chars = self.chars = 0
        self.done = self.total = 0
        self.cached: int | None = None         # accounts the cache held, once told
        self.base: tuple[float, int] | None = None  # (time, characters) where the rate is measured from
        self.drawn_at: float | None = None
        self.width = 0                          # of the line last drawn on a terminal
        self.last = ""                          # the line last written elsewhere

    # --- the build's callbacks --------------------------------------------------

    def start(self, characters: int) -> None:
        self.total_chars = characters

    def characters(self, n: int) -> None:
        self.chars += n
        if self.cached is not None and self.base is None:  # the first parsed batch is in
            self.base = (self.clock(), self.chars)
        self._draw()

    def accounts(self, done: int, total: int) -> None:
        if self.cached is None:
            self.cached = done
        self.done, self.total = done, total
        self._draw()

    def close(self) -> None:
        """The last state, and (on a terminal) the end of the redrawn line."""
        if self.total:
            self._draw(final=True)
        if self.tty and self.width:
            self.stream.write("\n")
            self.stream.flush()

    # --- what is shown ------------------------------------------------------------

    def left(self) -> float | None:
        """Seconds still to go, from the parse rate so far; None until it can be measured."""
        if self.base is None:
            return None
        at, chars = self.base
        spent, parsed = self.clock() - at, self.chars - chars
        if spent <= 0 or parsed <= 0:
            return None
        return max(self.total_chars - self.chars, 0) * spent / parsed

    def text(self) -> str:
        """"Extracting: 120/397 accounts (80 from cache), 40 s, about 1 min 30 s left"."""
        parts = [f"{self.label}: {self.done}/{self.total} accounts"]
        if self.cached:
            parts[0] += f" ({self.cached} from cache)"
        parts.append(duration(self.clock() - self.began))
        left = self.left()
        if self.done < self.total:
            parts.append(f"about {duration(left)} left" if left is not None else "estimating the time left")
        return ", ".join(parts)

    def _draw(self, final: bool = False) -> None:
        if not self.total:
            return  # the cached accounts' text is counted before the accounts are: no "0/0 accounts"
        now = self.clock()
        pause = REDRAW_SECONDS if self.tty else self.every
        if not final and self.drawn_at is not None and now - self.drawn_at < pause:
            return
        self.drawn_at = now
        if self.tty:
            share = self.chars / self.total_chars if self.total_chars else (self.done / self.total if self.total else 0)
            filled = int(BAR_WIDTH * min(max(share, 0.0), 1.0))
            line = f"[{'#' * filled}{'-' * (BAR_WIDTH - filled)}] {self.text()}"
            self.stream.write("\r" + line + " " * max(self.width - len(line), 0))
            self.width = len(line)
        else:
            line = self.text()
            if line == self.last:
                return
            self.stream.write(line + "\n")
            self.last = line
        self.stream.flush()


__all__ = ["BuildProgress", "duration"]

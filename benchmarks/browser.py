"""Time how long a rendered page takes to settle in headless Chromium (as the browser tests drive it).

"Settled" means the page set `body[data-ready=true]` (the explorer does so
when vis-network's stabilisation iterations end, or after its 20 s fallback)
and then no node moves over the next second. Network requests other than
file:// are blocked, as in the browser tests.
"""
from __future__ import annotations

import importlib.util
import os
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

CHROMIUM = os.environ.get("KG_CHROMIUM", "/usr/bin/chromium")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]
FALLBACK_S = 20.0  # the explorer's own "stop moving anyway" timer


@dataclass
class Settled:
    seconds: float = 0.0
    drawn: int = 0
    still: bool = False
    errors: list[str] = field(default_factory=list)
    error: str = ""

    def describe(self) -> str:
        how = "by the 20 s fallback timer" if self.seconds >= FALLBACK_S else "stabilisation finished"
        return (f"ready in {self.seconds:.1f} s after load ({how}), {self.drawn:,} nodes drawn, "
                f"{'still' if self.still else 'STILL MOVING'} 1 s later"
                + (f", {len(self.errors)} page errors" if self.errors else ""))


def stabilise(page: Path, timeout_s: float = 120) -> Settled:
    if importlib.util.find_spec("playwright") is None:
        return Settled(error="Playwright is not installed")
    if not Path(CHROMIUM).exists():
        return Settled(error=f"no Chromium at {CHROMIUM}")
    from playwright.sync_api import sync_playwright

    result = Settled()
    with tempfile.TemporaryDirectory(prefix="kg-bench-chromium-") as profile, sync_playwright() as pw:
        context = pw.chromium.launch_persistent_context(profile, executable_path=CHROMIUM, args=ARGS,
                                                        headless=True, viewport={"width": 1400, "height": 900})
        try:
            tab = context.new_page()
            tab.on("pageerror", lambda e: result.errors.append(str(e)))
            tab.route("**/*", lambda r: r.continue_() if r.request.url.startswith("file:") else r.abort())
            started = time.perf_counter()
            tab.goto(page.resolve().as_uri(), timeout=timeout_s * 1000)
            tab.wait_for_selector("body[data-ready=true]", timeout=timeout_s * 1000)
            result.seconds = time.perf_counter() - started
            result.drawn = tab.evaluate("kgExplorer.drawnNodeCount()")
            before = tab.evaluate("JSON.stringify(kgExplorer.network.getPositions())")
            tab.wait_for_timeout(1000)
            after = tab.evaluate("JSON.stringify(kgExplorer.network.getPositions())")
            result.still = before == after
        except Exception as exc:  # a browser that cannot start is a note, not a crash of the benchmark
            result.error = f"{type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''}"
        finally:
            context.close()
    return result

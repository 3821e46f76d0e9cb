"""How soon the explorer page is usable, in headless Chromium: `python benchmarks/explorer.py PAGE.html [NAME]`.

"Usable" is measured as a user meets it: the page loaded and laid out
(`body[data-ready=true]`, as `browser.stabilise` waits for), then a search for
NAME answered and the entity focused with its neighbours opened, then the
Event type ticked (the most nodes one click shows). Each step is timed from
the user's action to the page's answer; network requests other than file://
are blocked, as in the browser tests.
"""
from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from browser import ARGS, CHROMIUM  # noqa: E402 (the benchmarks' one Chromium setup)


def measure(page: Path, name: str | None = None) -> dict[str, float | int | str]:
    """Seconds to ready, to a focused search result and to events shown; nodes drawn after each."""
    from playwright.sync_api import sync_playwright

    out: dict[str, float | int | str] = {}
    with tempfile.TemporaryDirectory(prefix="kg-bench-chromium-") as profile, sync_playwright() as pw:
        context = pw.chromium.launch_persistent_context(profile, executable_path=CHROMIUM, args=ARGS,
                                                        headless=True, viewport={"width": 1400, "height": 900})
        try:
            tab = context.new_page()
            tab.route("**/*", lambda r: r.continue_() if r.request.url.startswith("file:") else r.abort())
            started = time.perf_counter()
            tab.goto(page.resolve().as_uri(), timeout=120_000)
            tab.wait_for_selector("body[data-ready=true]", timeout=120_000)
            out["ready_s"] = round(time.perf_counter() - started, 2)
            out["drawn"] = tab.evaluate("kgExplorer.drawnNodeCount()")
            name = name or tab.evaluate("kgExplorer.info(kgExplorer.shownIds()[0]).label")
            started = time.perf_counter()
            tab.fill("#search", name)
            tab.press("#search", "Enter")
            tab.wait_for_selector("#details h3")
            out["search_focus_s"] = round(time.perf_counter() - started, 2)
            out["focused"] = tab.text_content("#details h3") or ""
            started = time.perf_counter()
            tab.check("#kinds input[value=event]")
            out["events_shown_s"] = round(time.perf_counter() - started, 2)
            out["drawn_with_events"] = tab.evaluate("kgExplorer.drawnNodeCount()")
        finally:
            context.close()
    return out


if __name__ == "__main__":
    if len(sys.argv) not in (2, 3):
        sys.exit("usage: explorer.py PAGE.html [NAME]")
    for key, value in measure(Path(sys.argv[1]), sys.argv[2] if len(sys.argv) == 3 else None).items():
        print(f"{key}: {value}")

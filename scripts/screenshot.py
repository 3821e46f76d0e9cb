"""Screenshot the rendered explorer in headless Chromium: `screenshot.py PAGE.html OUT.png`.

Uses the system Chromium (/usr/bin/chromium, or $KG_CHROMIUM) through Playwright,
with every non-file request blocked, so the picture shows what a user with no
network sees. Waits for the layout to settle before taking it.
"""
from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

CHROMIUM = os.environ.get("KG_CHROMIUM", "/usr/bin/chromium")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def screenshot(page_path: Path, png: Path, width: int = 1600, height: int = 1000) -> list[str]:
    """Write the PNG; return console errors and blocked requests (both should be empty)."""
    from playwright.sync_api import sync_playwright

    problems: list[str] = []
    with tempfile.TemporaryDirectory(prefix="kg-chromium-") as profile, sync_playwright() as pw:
        context = pw.chromium.launch_persistent_context(
            profile, executable_path=CHROMIUM, args=ARGS, headless=True,
            viewport={"width": width, "height": height}, device_scale_factor=1)
        try:
            page = context.new_page()
            page.on("console", lambda m: m.type == "error" and problems.append(f"console: {m.text}"))
            page.on("pageerror", lambda e: problems.append(f"page error: {e}"))

            def block(route) -> None:
                if route.request.url.startswith("file:"):
                    route.continue_()
                else:
                    problems.append(f"blocked request: {route.request.url}")
                    route.abort()

            page.route("**/*", block)
            page.goto(page_path.resolve().as_uri())
            page.wait_for_selector("body[data-ready=true]", timeout=60_000)
            page.wait_for_timeout(300)
            png.parent.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(png))
        finally:
            context.close()
    return problems


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print("usage: screenshot.py PAGE.html OUT.png", file=sys.stderr)
        return 2
    page_path, png = Path(argv[0]), Path(argv[1])
    if not page_path.exists():
        print(f"{page_path}: no such page (run `make build` first)", file=sys.stderr)
        return 2
    if not Path(CHROMIUM).exists():
        print(f"{CHROMIUM}: no Chromium here (install it, or set KG_CHROMIUM)", file=sys.stderr)
        return 2
    problems = screenshot(page_path, png)
    for line in problems:
        print(line, file=sys.stderr)
    print(f"Wrote {png}")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

"""`kg candidates`: likely duplicates and likely junk, ranked, each with why; `--interactive` records answers."""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import click

from ..safetext import visible
from .judge import _record, _view, _written, judge_options, rebuild, record_many
from .options import json_option

EPILOG = """\b
Examples:
  kg candidates                       # the 20 likeliest duplicates, then the 20 likeliest junk
  kg candidates --limit 50 --json | jq '.[] | select(.kind == "junk")'
  kg candidates --interactive         # y: same (or: not a person), n: different (or: a person), s: skip, q: quit

\b
Each answer is appended to the judgements file at once (a quit keeps what was
answered); the graph is rebuilt once at the end unless --no-build.
"""
SENTENCE = 160  # characters of a sentence shown


def _judged(data: dict[str, Any]) -> tuple[set[frozenset[str]], set[str]]:
    """Pairs of IRIs a `different` or `split` kept apart; IRIs a `not` already ruled on (kept as they are)."""
    apart: set[frozenset[str]] = set()
    ruled: set[str] = set()
    for entry in data["judgements"]:
        iris = [m["iri"] for m in entry["matched"]]
        if entry["kind"] in ("different", "split") and entry["status"] in ("applied", "holds"):
            apart.update(frozenset((a, b)) for a in iris for b in iris if a != b)
        if entry["kind"] == "not":
            ruled.update(iris)
    return apart, ruled


def _show(number: int, candidate: Any) -> None:
    what = "same?" if candidate.kind == "duplicate" else "junk?"
    labels = " · ".join(side.label for side in candidate.nodes)
    click.echo(visible(f"{number:>3}. {what} {labels}  (score {candidate.score:.0f})"))
    click.echo(visible(f"     why: {'; '.join(candidate.why)}"))
    for side in candidate.nodes[:6]:
        sentence = side.sentence if len(side.sentence) <= SENTENCE else side.sentence[:SENTENCE - 1] + "…"
        accounts = f"{len(side.accounts)} accounts" if len(side.accounts) > 1 else side.account
        click.echo(visible(f"     - {side.label} [{accounts}]: “{sentence}”"))
    if len(candidate.nodes) > 6:
        click.echo(f"     … {len(candidate.nodes) - 6} more")


def _answer(view: Any, candidate: Any, key: str) -> dict[str, Any] | None:
    """The judgement an answer means, or None (skip)."""
    if key == "s":
        return None
    if candidate.kind == "duplicate":
        names = tuple(_written(view, side.iri)[0] for side in candidate.nodes)
        return {"kind": "same" if key == "y" else "different", "names": names}
    side = candidate.nodes[0]
    is_kind = candidate.is_kind if key == "y" else side.kind
    return {"kind": "not", "names": (_written(view, side.iri)[0],), "is_kind": is_kind}


@click.command("candidates", epilog=EPILOG)
@click.option("--limit", type=click.IntRange(1), default=20, show_default=True,
              help="How many duplicates to list, and how many junk.")
@json_option
@click.option("--interactive", is_flag=True, help="Walk through them, recording each answer.")
@judge_options
@click.pass_context
def candidates(ctx: click.Context, limit: int, as_json: bool, interactive: bool, graph_file: Path,
               judgements: Path | None, who: str | None, why: str | None, no_build: bool) -> None:
    """Likely duplicates and likely junk of the built graph, ranked, each with why."""
    from ..candidates import candidates as find_candidates

    view = _view(graph_file)
    record_file = graph_file.parent / "judgements.json"
    data = _record(graph_file) if record_file.exists() or interactive else {"judgements": []}
    apart, ruled = _judged(data)
    found = [c for c in find_candidates(view, apart) if not (c.kind == "junk" and c.nodes[0].iri in ruled)]
    found = [c for c in found if c.kind == "duplicate"][:limit] + [c for c in found if c.kind == "junk"][:limit]
    if as_json:
        click.echo(json.dumps([c.to_json() for c in found], indent=2, ensure_ascii=False))
        return
    if not found:
        click.echo("No candidates.")
        return
    if not interactive:
        for number, candidate in enumerate(found, 1):
            if number == 1 or candidate.kind != found[number - 2].kind:
                click.echo("Likely duplicates" if candidate.kind == "duplicate" else "Likely junk (not people)")
            _show(number, candidate)
        return
    answered = 0
    for number, candidate in enumerate(found, 1):
        _show(number, candidate)
        prompt = ("     same? y: same, n: different, s: skip, q: quit" if candidate.kind == "duplicate"
                  else "     not a person? y: not one, n: a person, s: skip, q: quit")
        key = click.prompt(prompt, type=click.Choice(["y", "n", "s", "q"]), show_choices=False)
        if key == "q":
            break
        entry = _answer(view, candidate, key)
        if entry:
            record_many(ctx, graph_file, judgements, True, [{**entry, "who": who, "why": why}])
            answered += 1
    if answered and not no_build:
        rebuild(ctx, graph_file, judgements)

"""`kg merge`, `split`, `different`, `not`, `rename`, `reject`, `confirm`, `judgements`: a person's corrections.

Each command checks its names against the built graph (as `kg show` finds
them), appends one entry to the judgements file the graph was built with
(`judgements.json` beside graph.trig says which, and how it was built), and
rebuilds the same way unless `--no-build`. The rebuild parses no account: the
extraction cache knows nothing of judgements.
"""
from __future__ import annotations

import getpass
import json
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from ..errors import KgError
from ..safetext import visible
from .options import graph_option, json_option

F = TypeVar("F", bound=Callable[..., Any])


def _record(graph_file: Path) -> dict[str, Any]:
    """judgements.json of the build that wrote `graph_file`."""
    from ..judgements import REPORT

    path = graph_file.parent / REPORT
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise KgError(f"{path}: not found; rebuild {graph_file.parent} with `kg build` first "
                      "(it records how the graph was built and which judgements it applied)") from None
    except (OSError, ValueError) as exc:
        raise KgError(f"{path}: cannot read it ({exc})") from None


def _judgement_file(record: dict[str, Any], given: Path | None) -> Path:
    found = given or (Path(record["build"]["judgements"]) if record["build"].get("judgements") else None)
    if found is None:
        raise KgError("no judgements file: give one with --judgements FILE")
    return found


def _who() -> str | None:
    """$KG_USER, else the login name, else nobody in particular."""
    try:
        return os.environ.get("KG_USER") or getpass.getuser()
    except (OSError, KeyError):
        return None


def judge_options(function: F) -> F:
    """The options every command that records a judgement takes."""
    for option in reversed([
        graph_option,
        click.option("--judgements", "judgements", type=click.Path(dir_okay=False, path_type=Path),
                     help="The judgements file (default: the one the graph was built with, "
                          "judgements.yaml beside the accounts)."),
        click.option("--who", default=_who,
                     show_default="$KG_USER or your login", help="Who decided."),
        click.option("--why", default=None, help="Why (kept with the judgement)."),
        click.option("--no-build", is_flag=True, help="Only record the judgement; do not rebuild."),
    ]):
        function = option(function)
    return function


def _view(graph_file: Path):
    from ..store import open_graph
    from ..view import read_view

    return read_view(open_graph(graph_file))


def _written(view, name: str) -> tuple[str, str]:
    """(what the file records for `name`, the node's IRI): its label when that finds it again, else its IRI."""
    from ..show import find

    iri = find(view, name).node
    label = view.nodes[iri].label
    try:
        again = find(view, label).node
    except KgError:
        again = None
    return (label if again == iri else iri), iri


def record(ctx: click.Context, graph_file: Path, judgements: Path | None, no_build: bool, **entry: Any) -> None:
    """Append one judgement and (unless `no_build`) rebuild; then say what it did."""
    record_many(ctx, graph_file, judgements, no_build, [entry])


def record_many(ctx: click.Context, graph_file: Path, judgements: Path | None, no_build: bool,
                entries: list[dict[str, Any]]) -> None:
    """Append judgements (each a `Judgement`'s fields) and (unless `no_build` or none) rebuild once."""
    from ..judgements import Judgement, append, now

    data = _record(graph_file)
    path = _judgement_file(data, judgements)
    for entry in entries:
        judgement = Judgement(0, when=now(), **{k: v for k, v in entry.items() if v is not None})
        append(path, [judgement])  # one at a time: an answer given is kept whatever follows
        click.echo(visible(f"Recorded in {path}: {judgement.describe()}"))
    if no_build or not entries:
        return
    report = rebuild(ctx, graph_file, judgements)
    for last in report.judged[-len(entries):]:
        matched = ", ".join(label for _iri, label in last.matched)
        click.echo(visible(f"Judgement {last.judgement.number}: {last.status}"
                           f"{' (' + matched + ')' if matched else ''}{'; ' + last.note if last.note else ''}"))


def rebuild(ctx: click.Context, graph_file: Path, judgements: Path | None) -> Any:
    """Build the graph again as it was built (judgements.json says how), with the judgements file; its report."""
    from ..build import build
    from ..load.records import Fields
    from .build import echo_report

    data = _record(graph_file)
    made = data["build"]
    report = build([Path(p) for p in made["paths"]], graph_file.parent,
                   cache_dir=Path(made["cache_dir"]) if made.get("cache_dir") else None,
                   use_cache=made.get("cache_dir") is not None, min_confidence=made["min_confidence"],
                   base=made["base"], html=made["html"], date_from=made.get("date_from", "filename"),
                   fields=Fields(**made.get("fields", {})), judgements=_judgement_file(data, judgements))
    echo_report(report, bool(ctx.obj and ctx.obj.get("quiet")))
    return report


MERGE_EXAMPLES = """\b
Examples:
  kg merge "A. Other" "Ann Other"        # one person, whatever merging thought
  kg merge Smith "Ann Smith" --why "same council" --no-build
"""


@click.command("merge", epilog=MERGE_EXAMPLES)
@click.argument("names", nargs=-1, required=True)
@judge_options
@click.pass_context
def merge(ctx: click.Context, names: tuple[str, ...], graph_file: Path, **opts: Any) -> None:
    """Record that NAMES (two or more) are one person or body, and rebuild.

    Each NAME is any name the graph uses, or an IRI, as `kg show` takes it.
    """
    if len(names) < 2:
        raise click.UsageError("merge takes two names or more")
    view = _view(graph_file)
    written = [_written(view, n) for n in names]
    if len({iri for _w, iri in written}) < 2:
        raise KgError(f"{', '.join(map(repr, names))} are one node already")
    record(ctx, graph_file, kind="same", names=tuple(w for w, _i in written), **opts)


DIFFERENT_EXAMPLES = """\b
Examples:
  kg different Smith "Ann Smith"         # two people: a node they share is split
  kg different "Ann Other" "Ann Others" --why "sisters"
"""


@click.command("different", epilog=DIFFERENT_EXAMPLES)
@click.argument("names", nargs=-1, required=True)
@judge_options
@click.pass_context
def different(ctx: click.Context, names: tuple[str, ...], graph_file: Path, **opts: Any) -> None:
    """Record that NAMES are never one entity; a node they share now is split between them.

    Where two names are one node today ("Smith" and "Ann Smith"), each of its
    mentions goes to the name it is written as.
    """
    if len(names) < 2:
        raise click.UsageError("different takes two names or more")
    from ..show import Ambiguous

    view = _view(graph_file)
    resolved: dict[str, tuple[str, str]] = {}
    unsure: list[tuple[str, Ambiguous]] = []
    for name in names:
        try:
            resolved[name] = _written(view, name)
        except Ambiguous as exc:
            unsure.append((name, exc))
    for name, ambiguous in unsure:  # "Smith" beside "Ann Smith": the Smith in her node, as the build reads it
        meant = {iri for _w, iri in resolved.values()} & {c.node for c in ambiguous.candidates}
        if len(meant) != 1:
            raise ambiguous
        resolved[name] = (name, meant.pop())
    written = [resolved[n] for n in names]
    same_node = len({iri for _w, iri in written}) < len(written)
    record(ctx, graph_file, kind="different",
           names=tuple(" ".join(n.split()) for n in names) if same_node else tuple(w for w, _i in written), **opts)


SPLIT_EXAMPLES = """\b
Examples:
  kg split "Ann Other" --by-account     # one node per account naming her
"""


@click.command("split", epilog=SPLIT_EXAMPLES)
@click.argument("name")
@click.option("--by-account", is_flag=True, required=True, help="One node per account naming it.")
@judge_options
@click.pass_context
def split(ctx: click.Context, name: str, by_account: bool, graph_file: Path, **opts: Any) -> None:
    """Split NAME into one node per account (to split by name, use `kg different`)."""
    written, iri = _written(_view(graph_file), name)
    record(ctx, graph_file, kind="split", names=(written,), **opts)


NOT_EXAMPLES = """\b
Examples:
  kg not Testford --kind place          # dropped
  kg not "Ann Other" --kind body         # retyped
"""


@click.command("not", epilog=NOT_EXAMPLES)
@click.argument("name")
@click.option("--kind", "is_kind", required=True,
              type=click.Choice(["person", "body", "place", "group", "junk"]),
              help="What NAME is: person or body retypes it; place, group or junk removes it.")
@judge_options
@click.pass_context
def not_(ctx: click.Context, name: str, is_kind: str, graph_file: Path, **opts: Any) -> None:
    """Record that NAME is not what the extractor thought, and rebuild."""
    written, _iri = _written(_view(graph_file), name)
    record(ctx, graph_file, kind="not", names=(written,), is_kind=is_kind, **opts)


RENAME_EXAMPLES = """\b
Examples:
  kg rename "Ann Other" "Dr Ann Other"
"""


@click.command("rename", epilog=RENAME_EXAMPLES)
@click.argument("name")
@click.argument("new")
@judge_options
@click.pass_context
def rename(ctx: click.Context, name: str, new: str, graph_file: Path, **opts: Any) -> None:
    """Give NAME the label NEW (its IRI stays; the old label stays one of its names)."""
    written, _iri = _written(_view(graph_file), name)
    record(ctx, graph_file, kind="rename", names=(written,), to=" ".join(new.split()), **opts)


def fact_options(function: F) -> F:
    for option in reversed([
        click.argument("fact", required=False),
        click.option("--person", help="The fact's person (instead of FACT)."),
        click.option("--title", help="The role's title (with --person)."),
        click.option("--type", "event_type", help="The event's type (with --person)."),
        click.option("--account", help="Only in this account (file name)."),
    ]):
        function = option(function)
    return function


def _fact(view, fact: str | None, person: str | None, title: str | None, event_type: str | None,
          account: str | None) -> str | dict[str, str]:
    """FACT as the file records it: an IRI the graph has, or {person, title | type, account}."""
    if fact:
        known = {f.about for n in view.nodes.values() for f in n.facts if f.kind in ("role", "event")}
        if fact not in known:
            raise KgError(f"{fact!r}: no membership or event of the graph has this IRI "
                          "(`kg show NAME --json` lists facts; or give --person and --title)")
        return fact
    if not person or not (title or event_type):
        raise click.UsageError("give FACT (an IRI), or --person with --title or --type")
    written, _iri = _written(view, person)
    return {k: v for k, v in {"person": written, "title": title, "type": event_type,
                              "account": account}.items() if v}


REJECT_EXAMPLES = """\b
Examples:
  kg reject https://w3id.org/kg-politics/id/membership/3f2a9c1b0d4e
  kg reject --person "Ann Other" --title Treasurer --account post.txt
"""


@click.command("reject", epilog=REJECT_EXAMPLES)
@fact_options
@judge_options
@click.pass_context
def reject(ctx: click.Context, fact: str | None, person: str | None, title: str | None, event_type: str | None,
           account: str | None, graph_file: Path, **opts: Any) -> None:
    """Record that a role held or an event is wrong (it is left out from now on), and rebuild."""
    ref = _fact(_view(graph_file), fact, person, title, event_type, account)
    record(ctx, graph_file, kind="reject", fact=ref, **opts)


CONFIRM_EXAMPLES = """\b
Examples:
  kg confirm --person "Ann Other" --title Chair
  kg confirm https://w3id.org/kg-politics/id/event/post/120-resignation
"""


@click.command("confirm", epilog=CONFIRM_EXAMPLES)
@fact_options
@judge_options
@click.pass_context
def confirm(ctx: click.Context, fact: str | None, person: str | None, title: str | None, event_type: str | None,
            account: str | None, graph_file: Path, **opts: Any) -> None:
    """Record that a person checked a role held or an event (shown as confirmed), and rebuild."""
    ref = _fact(_view(graph_file), fact, person, title, event_type, account)
    record(ctx, graph_file, kind="confirm", fact=ref, **opts)


JUDGEMENTS_EXAMPLES = """\b
Examples:
  kg judgements                        # each judgement and what it matched
  kg judgements --json | jq '.judgements[] | select(.status == "stale")'
"""


@click.command("judgements", epilog=JUDGEMENTS_EXAMPLES)
@graph_option
@json_option
def judgements(graph_file: Path, as_json: bool) -> None:
    """List the judgements the graph was built with and what each matched in that build."""
    from ..judgements import load

    data = _record(graph_file)
    entries = data["judgements"]
    if as_json:
        click.echo(json.dumps(data, indent=2, ensure_ascii=False, sort_keys=True))
        return
    path = data["build"].get("judgements")
    if not entries:
        click.echo(visible(f"No judgements applied (file: {path or 'none'})."))
    for e in entries:
        matched = "; ".join(m["label"] for m in e["matched"]) or "nothing"
        click.echo(visible(f"{e['number']:>3}  {e['status']:<8}  {e['describe']}"))
        click.echo(visible(f"       matched: {matched}{'  (' + e['note'] + ')' if e['note'] else ''}"))
    if path and Path(path).is_file():
        pending = len(load(Path(path))) - len(entries)
        if pending > 0:
            click.echo(visible(f"{pending} more in {path} since this build (run `kg build` to apply them)."))

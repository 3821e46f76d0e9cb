"""The CLI reads as one tool: each convention the README states, held by a test.

- a short option means the same in every command (-f format, -g graph, -o output, -h help);
- every command that reads a built graph takes it as -g/--graph, defined once;
- `kg build` shows a progress display whose estimate is measured as it goes, and on a
  non-terminal writes a line every few seconds;
- `kg --version`; shell completion through click (`_KG_COMPLETE=bash_source kg`).
"""
from __future__ import annotations

import io
import json
import os
import subprocess
import sys

import click
import pytest

from graph.cli import COMMANDS, main
from graph.cli.progress import BuildProgress, duration

SHORT = {"-f": "--format", "-g": "--graph", "-o": "--output", "-h": "--help"}
READS_A_GRAPH = sorted(set(COMMANDS) - {"build", "serve"})  # serve builds, as build does


ROOT = click.Context(main, **main.context_settings)  # as `kg` runs: -h/--help for every command


def _command(name: str) -> click.Command:
    command = main.get_command(ROOT, name)
    assert command is not None
    return command


def _options(name: str) -> list[click.Option]:
    ctx = click.Context(_command(name), parent=ROOT)
    return [p for p in _command(name).get_params(ctx) if isinstance(p, click.Option)]


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_a_short_option_means_the_same_in_every_command(name: str) -> None:
    for option in _options(name):
        for short, long in SHORT.items():
            if short in option.opts:
                assert long in option.opts, (name, option.opts)
            if long in option.opts:
                assert short in option.opts or long == "--output", (name, option.opts)


@pytest.mark.parametrize("name", ["query", "export", "timeline"])
def test_format_is_dash_f_where_a_format_is_chosen(name: str) -> None:
    [fmt] = [o for o in _options(name) if "--format" in o.opts]
    assert fmt.opts == ["-f", "--format"] and fmt.name == "fmt"


def test_query_reads_a_file_with_long_file_and_formats_with_dash_f(runner, tiny_trig, tmp_path) -> None:
    rq = tmp_path / "q.rq"
    rq.write_text("SELECT ?n WHERE { ?p a foaf:Person ; foaf:name ?n } ORDER BY ?n", encoding="utf-8")
    result = runner.invoke(main, ["query", "--file", str(rq), "-f", "csv", "-g", str(tiny_trig)])
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[:2] == ["n", "Ann Other"]
    old = runner.invoke(main, ["query", "-f", str(rq), "-g", str(tiny_trig)])
    assert old.exit_code == 2 and "is not one of" in old.output  # -f is a format now, not a file


@pytest.mark.parametrize("name", READS_A_GRAPH)
def test_every_command_that_reads_a_graph_takes_dash_g(name: str) -> None:
    [graph] = [o for o in _options(name) if "--graph" in o.opts]
    assert graph.opts == ["-g", "--graph"] and graph.name == "graph_file"
    assert callable(graph.default)  # $KG_GRAPH or the nearest output/graph.trig, found when run


def test_the_graph_option_is_defined_once() -> None:
    helps = {_options(name)[[o.name for o in _options(name)].index("graph_file")].help for name in READS_A_GRAPH}
    assert len(helps) == 1
    assert not any("--graph" in o.opts for o in _options("build"))  # build writes a graph, reads none


def _kg(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """kg as the console script runs it (its program name is what completion is keyed on)."""
    return subprocess.run([sys.executable, "-c", "from graph.cli import main; main(prog_name='kg')", *args],
                          env={**os.environ, **(env or {})}, capture_output=True, text=True, timeout=60)


def test_version() -> None:
    from importlib.metadata import version

    result = _kg("--version")
    assert result.returncode == 0
    assert result.stdout == f"kg, version {version('kg')}\n"


def test_shell_completion_script_and_answers() -> None:
    script = _kg(env={"_KG_COMPLETE": "bash_source"})
    assert script.returncode == 0
    assert "_kg_completion()" in script.stdout and "complete -o nosort -F _kg_completion kg" in script.stdout
    commands = _kg(env={"_KG_COMPLETE": "bash_complete", "COMP_WORDS": "kg bu", "COMP_CWORD": "1"})
    assert commands.stdout.split() == ["plain,build"]
    formats = _kg(env={"_KG_COMPLETE": "bash_complete", "COMP_WORDS": "kg export -f tu", "COMP_CWORD": "3"})
    assert formats.stdout.split() == ["plain,turtle"]


# --------------------------------------------------------------------- progress

class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_durations_read_as_a_person_says_them() -> None:
    assert [duration(s) for s in (0.4, 40, 90, 120, 3725, 7200)] == [
        "0 s", "40 s", "1 min 30 s", "2 min", "1 h 2 min", "2 h"]


def test_estimate_leaves_out_the_cache_and_the_model_load() -> None:
    clock, out = Clock(), io.StringIO()
    bar = BuildProgress(out, tty=False, clock=clock)
    bar.start(10_000)
    bar.characters(2_000)          # cached accounts, reported at once
    bar.accounts(20, 100)
    assert bar.left() is None and "estimating" in bar.text()
    clock.now += 30                # the model loads, the first batch is parsed
    bar.characters(1_000)
    bar.accounts(30, 100)
    assert bar.left() is None      # no rate yet: one batch in, which includes the load
    clock.now += 10                # the next batch: 1,000 characters in 10 s
    bar.characters(1_000)
    bar.accounts(40, 100)
    assert bar.left() == pytest.approx(60)  # 6,000 characters left at 100 a second, not 200 s
    assert bar.text() == "Extracting: 40/100 accounts (20 from cache), 40 s, about 1 min left"


def test_off_a_terminal_a_line_every_few_seconds_and_one_at_the_end() -> None:
    clock, out = Clock(), io.StringIO()
    bar = BuildProgress(out, tty=False, every=5, clock=clock)
    bar.start(1000)
    bar.accounts(0, 10)
    for _ in range(10):
        clock.now += 1
        bar.characters(100)
        bar.accounts(bar.done + 1, 10)
    bar.close()
    lines = out.getvalue().splitlines()
    assert "\r" not in out.getvalue()
    assert lines[0] == "Extracting: 0/10 accounts, 0 s, estimating the time left"
    assert lines[-1] == "Extracting: 10/10 accounts, 10 s"
    assert len(lines) == 4  # at 0 s, 5 s, 10 s... and the end, once: not one per account
    assert lines[1] == "Extracting: 4/10 accounts, 5 s, about 5 s left"  # 400 characters in 4 s since the first


def test_a_cached_build_says_nothing_before_the_accounts_are_counted() -> None:
    """The cached accounts' text is counted before the accounts are: no "0/0 accounts" line."""
    clock, out = Clock(), io.StringIO()
    bar = BuildProgress(out, tty=False, every=5, clock=clock)
    bar.start(800)
    for _ in range(8):
        bar.characters(100)   # each cached account's text, as extract_all reports it first
    assert out.getvalue() == ""
    bar.accounts(8, 8)
    bar.close()
    assert out.getvalue().splitlines() == ["Extracting: 8/8 accounts (8 from cache), 0 s"]


def test_on_a_terminal_one_line_redrawn_with_a_bar() -> None:
    clock, out = Clock(), io.StringIO()
    bar = BuildProgress(out, tty=True, clock=clock)
    bar.start(1000)
    bar.accounts(0, 4)
    for _ in range(4):
        clock.now += 1
        bar.characters(250)
        bar.accounts(bar.done + 1, 4)
    bar.close()
    text = out.getvalue()
    assert text.endswith("\n") and text.count("\n") == 1
    frames = text.rstrip("\n").split("\r")[1:]
    assert frames[0].startswith("[" + "-" * 24 + "] Extracting: 0/4 accounts")
    assert frames[-1].startswith("[" + "#" * 24 + "] Extracting: 4/4 accounts, 4 s")


def test_build_shows_progress_lines_on_stderr(runner, tmp_path) -> None:
    (tmp_path / "a.txt").write_text("A note\n\nTom Smith was appointed secretary.\n", encoding="utf-8")
    result = runner.invoke(main, ["build", str(tmp_path), "-o", str(tmp_path / "out"), "--no-html"])
    assert result.exit_code == 0, result.output
    assert "Extracting: 1/1 accounts, " in result.output
    quiet = runner.invoke(main, ["-q", "build", str(tmp_path), "-o", str(tmp_path / "out"), "--no-html"])
    assert quiet.exit_code == 0 and quiet.output == ""
    assert json.loads(runner.invoke(main, ["stats", "-g", str(tmp_path / "out" / "graph.trig"),
                                           "--json"]).output)


def test_output_read_only_in_part_ends_quietly(built) -> None:
    """`kg query ... | head`: the reader leaves early; kg stops with 141 and says nothing."""
    process = subprocess.Popen(
        [sys.executable, "-c", "from graph.cli import run; run()", "query", "-g", str(built / "graph.trig"),
         "-f", "json", "SELECT ?s ?p ?o WHERE { ?s ?p ?o }"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert process.stdout is not None and process.stderr is not None
    assert process.stdout.read(100).startswith(b"[")
    process.stdout.close()   # the reader goes; kg has far more than a pipe's buffer to write
    error = process.stderr.read().decode()
    assert process.wait(timeout=120) == 141
    assert "Error" not in error and "Traceback" not in error and "BrokenPipe" not in error

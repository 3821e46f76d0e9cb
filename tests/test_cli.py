"""The command group: help, exit codes, --debug, logging, skipped files in the summary."""
from __future__ import annotations

import shutil

import pytest

from graph.cli import COMMANDS, main
from graph.paths import BUNDLED_ACCOUNTS


def test_help_lists_every_command_and_the_exit_codes(runner):
    result = runner.invoke(main, ["--help"])
    assert result.exit_code == 0
    for name in COMMANDS:
        assert name in result.output
    assert "Exit codes" in result.output and "130 interrupted" in result.output


@pytest.mark.parametrize("name", list(COMMANDS))
def test_every_command_help_shows_an_example(runner, name):
    result = runner.invoke(main, [name, "--help"])
    assert result.exit_code == 0
    assert f"kg {name}" in result.output


def test_unexpected_failure_is_one_line_exit_1_and_debug_shows_traceback(runner, tmp_path, monkeypatch):
    def boom(*_a, **_k):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr("graph.build.merge", boom)  # a failure inside a build
    src = tmp_path / "in"
    src.mkdir()
    shutil.copy(BUNDLED_ACCOUNTS / "001_832e770bf587d685.txt", src)
    result = runner.invoke(main, ["build", str(src), "-o", str(tmp_path / "out"), "--no-html"])
    assert result.exit_code == 1
    assert "unexpected RuntimeError: disk on fire" in result.output and "--debug" in result.output
    assert "Traceback" not in result.output
    debug = runner.invoke(main, ["--debug", "build", str(src), "-o", str(tmp_path / "out"), "--no-html"])
    assert isinstance(debug.exception, RuntimeError)


def test_skipped_files_warn_and_are_counted(runner, tmp_path, caplog):
    src = tmp_path / "in"
    src.mkdir()
    shutil.copy(BUNDLED_ACCOUNTS / "001_832e770bf587d685.txt", src)
    (src / "empty.txt").write_text("   \n")
    (src / "scan.txt").write_bytes(b"%PDF-1.4\x00\x01\x02binary")
    result = runner.invoke(main, ["build", str(src), "-o", str(tmp_path / "out"), "--no-html"])
    assert result.exit_code == 0, result.output
    assert "2 skipped" in result.output
    warned = " ".join(r.getMessage() for r in caplog.records)
    assert "empty.txt" in warned and "scan.txt" in warned


def test_quiet_prints_nothing_on_success(runner, tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    shutil.copy(BUNDLED_ACCOUNTS / "001_832e770bf587d685.txt", src)
    result = runner.invoke(main, ["-q", "build", str(src), "-o", str(tmp_path / "out"), "--no-html"])
    assert result.exit_code == 0 and result.output.strip() == ""


@pytest.mark.parametrize("args", [
    ["query", "--name", "roles"], ["show", "Ann Other"], ["render", "-o", "{tmp}/page.html"],
    ["stats"], ["export", "--format", "turtle", "-o", "{tmp}/g.ttl"], ["validate"],
])
def test_commands_that_do_not_extract_never_import_spacy(args, tiny_trig, tmp_path):
    """They start fast because they read a built graph and nothing else."""
    import subprocess
    import sys
    from pathlib import Path

    argv = [a.format(tmp=tmp_path) for a in args]
    argv += [] if args[0] == "validate" else ["-g", str(tiny_trig)] if args[0] != "render" else \
        ["--graph", str(tiny_trig)]
    if args[0] == "validate":
        argv.append(str(tiny_trig))
    code = ("import sys\nfrom click.testing import CliRunner\nfrom graph.cli import main\n"
            f"r = CliRunner().invoke(main, {argv!r})\n"
            "assert r.exit_code == 0, r.output\nprint('spacy' in sys.modules)\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         cwd=Path(__file__).resolve().parent.parent)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip().splitlines()[-1] == "False"

"""`kg build` end to end through the CLI, on the bundled accounts and on files of our own."""
from __future__ import annotations

import os
import shutil
import stat
from pathlib import Path

import pytest
from rdflib import Dataset
from rdflib.namespace import DCTERMS, FOAF, PROV, RDF

from graph.build import build
from graph.cli import main
from graph.paths import BUNDLED_ACCOUNTS
from graph.vocab import ORG, SEM


def test_build_writes_graph_rdf_and_view(built):
    ds = Dataset(default_union=True)
    ds.parse(built / "graph.trig", format="trig")
    accounts = {str(o) for o in ds.objects(None, DCTERMS.source)}
    assert {p.name for p in BUNDLED_ACCOUNTS.glob("*.txt")} <= accounts
    named = {c.identifier for c in ds.graphs()}
    assert len(named) >= len(accounts)  # one named graph per account, plus the shared one
    assert len(set(ds.subjects(RDF.type, FOAF.Person))) >= 10
    assert set(ds.subjects(RDF.type, ORG.Membership)) and set(ds.subjects(RDF.type, SEM.Event))
    assert "<html" in (built / "graph.html").read_text(encoding="utf-8").lower()


def test_every_account_has_a_teller(built):
    ds = Dataset(default_union=True)
    ds.parse(built / "graph.trig", format="trig")
    for account in ds.subjects(RDF.type, PROV.Entity):
        creators = list(ds.objects(account, DCTERMS.creator))
        assert creators, account
        assert all(list(ds.objects(c, FOAF.name)) for c in creators)


def test_summary_names_counts_and_paths(runner, tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    shutil.copy(BUNDLED_ACCOUNTS / "001_832e770bf587d685.txt", src)
    result = runner.invoke(main, ["build", str(src), "-o", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    assert "Built 1 accounts from 1 files" in result.output
    assert "people" in result.output and "bodies" in result.output and "events" in result.output
    assert str(tmp_path / "out" / "graph.trig") in result.output


def test_rebuild_after_adding_one_account_extracts_one(runner, tmp_path):
    src, out = tmp_path / "in", tmp_path / "out"
    src.mkdir()
    shutil.copy(BUNDLED_ACCOUNTS / "001_832e770bf587d685.txt", src)
    shutil.copy(BUNDLED_ACCOUNTS / "002_207178a66fb22d44.txt", src)
    first = build([src], out, html=False)
    assert first.extracted == 2
    shutil.copy(BUNDLED_ACCOUNTS / "000_30ce98ccfa66027a.txt", src.parent / "extra.txt")
    (src / "extra.txt").write_text((src.parent / "extra.txt").read_text(encoding="utf-8"), encoding="utf-8")
    second = build([src], out, html=False)
    assert second.accounts > first.accounts
    assert second.extracted == second.accounts - first.accounts  # the new post and its comments only


def _rebuild_with_one_more(tmp_path: Path, jobs: int, name: str):
    """Build two bundled accounts, add a third, rebuild with `jobs`: (report, output folder)."""
    src, out = tmp_path / f"in-{name}", tmp_path / f"out-{name}"
    src.mkdir()
    for account in ("001_832e770bf587d685.txt", "002_207178a66fb22d44.txt"):
        shutil.copy(BUNDLED_ACCOUNTS / account, src)
    build([src], out, html=False)
    shutil.copy(BUNDLED_ACCOUNTS / "004_3deae4f4f57f9920.txt", src)
    return build([src], out, jobs=jobs), out


def test_jobs_parse_through_spacy_processes_with_the_same_bytes(tmp_path, monkeypatch):
    """`--jobs 2` hands the new accounts to `nlp.pipe(n_process=2)`: the files are those of `--jobs 1`."""
    from graph.extract import Extractor

    asked: list[int] = []
    real = Extractor.extract_many

    def spy(self, jobs, *args, **kwargs):
        asked.append(kwargs["n_process"])
        return real(self, jobs, *args, **kwargs)

    monkeypatch.setattr(Extractor, "extract_many", spy)
    src = tmp_path / "in"
    src.mkdir()
    for account in ("001_832e770bf587d685.txt", "002_207178a66fb22d44.txt"):
        shutil.copy(BUNDLED_ACCOUNTS / account, src)
    build([src], tmp_path / "one", use_cache=False, jobs=1)
    build([src], tmp_path / "two", use_cache=False, jobs=2)
    assert asked == [1, 2]
    for name in ("graph.trig", "graph.ttl", "graph.html"):
        assert (tmp_path / "one" / name).read_bytes() == (tmp_path / "two" / name).read_bytes(), name


def test_a_rebuild_starts_no_more_parser_processes_than_it_has_pieces(tmp_path, monkeypatch):
    from graph.extract import Extractor

    asked: list[int] = []
    real = Extractor.extract_many
    monkeypatch.setattr(Extractor, "extract_many",
                        lambda self, jobs, *a, **k: asked.append(k["n_process"]) or real(self, jobs, *a, **k))
    report, _ = _rebuild_with_one_more(tmp_path, 2, "one-new")
    assert report.extracted == 1
    assert asked[-1] == 1  # one short new account: parsed here, no worker started for it


def test_two_builds_are_byte_identical(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    shutil.copy(BUNDLED_ACCOUNTS / "002_207178a66fb22d44.txt", src)
    build([src], tmp_path / "a", use_cache=False)
    build([src], tmp_path / "b", use_cache=False)
    for name in ("graph.trig", "graph.ttl", "graph.html"):
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes(), name


@pytest.mark.parametrize("stage", ["page", "rdf"])
def test_failure_while_writing_is_reported_and_writes_nothing(tmp_path, monkeypatch, stage):
    """A file that fails to be made leaves no file of this build behind, not even the ones already made."""
    import graph.build as build_module

    src = tmp_path / "in"
    src.mkdir()
    shutil.copy(BUNDLED_ACCOUNTS / "002_207178a66fb22d44.txt", src)

    def broken(*_a):
        raise RuntimeError(f"{stage} failed")

    if stage == "page":
        monkeypatch.setattr(build_module, "render_html", broken)  # after TriG and Turtle are staged
    else:
        monkeypatch.setattr(build_module.quads, "texts", broken)
    with pytest.raises(RuntimeError, match=f"{stage} failed"):
        build([src], tmp_path / "out", cache_dir=tmp_path / "cache")
    assert not list((tmp_path / "out").glob("graph.*"))
    assert not list((tmp_path / "out").glob(".*.tmp"))


def test_min_confidence_drops_weak_facts(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    shutil.copy(BUNDLED_ACCOUNTS / "004_3deae4f4f57f9920.txt", src)
    everything = build([src], tmp_path / "a", html=False)
    strict = build([src], tmp_path / "b", html=False, min_confidence=0.8)
    assert strict.roles + strict.events < everything.roles + everything.events
    assert strict.people == everything.people


def test_missing_path_is_a_one_line_error(runner, tmp_path):
    out = tmp_path / "out"
    result = runner.invoke(main, ["build", str(tmp_path / "nope"), "-o", str(out)])
    assert result.exit_code == 2
    assert "nope" in result.output and "Traceback" not in result.output
    assert not (out / "graph.trig").exists()


def test_folder_without_accounts_is_an_error(runner, tmp_path):
    empty = tmp_path / "empty"
    empty.mkdir()
    (empty / "notes.csv").write_text("a,b\n")
    result = runner.invoke(main, ["build", str(empty), "-o", str(tmp_path / "out")])
    assert result.exit_code == 2
    assert str(empty) in result.output


@pytest.mark.skipif(os.geteuid() == 0, reason="root can write anywhere; permissions cannot be tested")
def test_unwritable_output_fails_before_extraction(runner, tmp_path):
    out = tmp_path / "locked"
    out.mkdir()
    out.chmod(stat.S_IRUSR | stat.S_IXUSR)
    result = runner.invoke(main, ["build", str(BUNDLED_ACCOUNTS), "-o", str(out)])
    assert result.exit_code == 2 and "cannot write" in result.output


def test_output_that_is_a_file_fails_before_extraction(runner, tmp_path, monkeypatch):
    target = tmp_path / "a-file"
    target.write_text("x")
    calls = []
    monkeypatch.setattr("graph.build.extract_all", lambda *a, **k: calls.append(1))
    result = runner.invoke(main, ["build", str(BUNDLED_ACCOUNTS), "-o", str(target / "sub")])
    assert result.exit_code == 2 and "cannot write" in result.output
    assert not calls


def test_interrupted_build_keeps_previous_output(runner, tmp_path, monkeypatch):
    src, out = tmp_path / "in", tmp_path / "out"
    src.mkdir()
    shutil.copy(BUNDLED_ACCOUNTS / "001_832e770bf587d685.txt", src)
    build([src], out, html=False)
    before = (out / "graph.trig").read_bytes()
    shutil.copy(BUNDLED_ACCOUNTS / "002_207178a66fb22d44.txt", src)

    def interrupted(*_a, **_k):
        raise KeyboardInterrupt

    monkeypatch.setattr("graph.quads.graphs", interrupted)  # the RDF stage of a build
    result = runner.invoke(main, ["build", str(src), "-o", str(out), "--no-html"])
    assert result.exit_code == 130
    assert (out / "graph.trig").read_bytes() == before
    assert not [p for p in out.iterdir() if p.name.endswith(".tmp")]


def test_cache_never_holds_a_half_written_entry(tmp_path, monkeypatch):
    src, out = tmp_path / "in", tmp_path / "out"
    src.mkdir()
    shutil.copy(BUNDLED_ACCOUNTS / "001_832e770bf587d685.txt", src)
    import graph.atomic

    real = graph.atomic.os.replace

    def crash(a, b):
        if str(b).endswith(".json"):
            raise KeyboardInterrupt
        return real(a, b)

    monkeypatch.setattr(graph.atomic.os, "replace", crash)
    with pytest.raises(KeyboardInterrupt):
        build([src], out, html=False)
    monkeypatch.setattr(graph.atomic.os, "replace", real)
    assert not list((out / ".cache").rglob("*.json"))
    assert not list((out / ".cache").rglob("*.tmp"))
    report = build([src], out, html=False)
    assert report.extracted == 1


def test_help_shows_an_example(runner):
    result = runner.invoke(main, ["build", "--help"])
    assert result.exit_code == 0 and "kg build posts/" in result.output


def test_module_entry_point_runs():
    import subprocess
    import sys

    out = subprocess.run([sys.executable, "-m", "graph", "--help"], capture_output=True, text=True, check=True)
    assert "Exit codes" in out.stdout


def test_command_line_exit_codes_and_output(tmp_path):
    """The real `kg` process: its exit code and everything it printed arrive."""
    import subprocess
    import sys

    src = tmp_path / "in"
    src.mkdir()
    shutil.copy(BUNDLED_ACCOUNTS / "001_832e770bf587d685.txt", src)
    ok = subprocess.run([sys.executable, "-m", "graph", "build", str(src), "-o", str(tmp_path / "out"),
                         "--no-html"], capture_output=True, text=True)
    assert ok.returncode == 0 and "wrote" in ok.stdout and ok.stdout.endswith("graph.ttl\n")
    bad = subprocess.run([sys.executable, "-m", "graph", "build", str(tmp_path / "nope")],
                         capture_output=True, text=True)
    assert bad.returncode == 2 and "nope" in bad.stderr
    usage = subprocess.run([sys.executable, "-m", "graph", "no-such-command"], capture_output=True, text=True)
    assert usage.returncode == 2 and "No such command" in usage.stderr


def test_build_with_custom_base(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    shutil.copy(BUNDLED_ACCOUNTS / "001_832e770bf587d685.txt", src)
    build([src], tmp_path / "out", html=False, base="https://example.org/kg/")
    text = (tmp_path / "out" / "graph.ttl").read_text(encoding="utf-8")
    assert "https://example.org/kg/person/" in text or "https://example.org/kg/account/" in text
    assert "w3id.org/kg-politics/id/" not in text


def test_bundled_corpus_is_default(runner, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(main, ["build", "--no-html", "-o", "out"])
    assert result.exit_code == 0, result.output
    assert f"from {len(list(BUNDLED_ACCOUNTS.glob('*.txt')))} files" in result.output
    assert Path("out/graph.trig").exists() and Path("out/graph.trig").stat().st_size > 10_000


def test_no_paths_without_a_bundled_corpus_is_a_usage_error(runner, tmp_path, monkeypatch):
    """An installed kg has no data/accounts/: `kg build` alone says what to give it and writes nothing."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr("graph.cli.build.BUNDLED_ACCOUNTS", tmp_path / "no-such-corpus")
    result = runner.invoke(main, ["build", "-o", "out"])
    assert result.exit_code == 2
    assert result.output.startswith("Error: no PATHS given") and "kg build posts/" in result.output
    assert not Path("out/graph.trig").exists()

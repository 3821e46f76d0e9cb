"""Faults while writing and between runs: full disks, failing renames, damaged caches,
concurrent builds, signals and kills. Each leaves the previous output whole."""
from __future__ import annotations

import errno
import hashlib
import logging
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from graph import atomic
from graph.atomic import Staging, fill, write_text
from graph.build import build
from graph.cache import Cache
from graph.cli import main
from graph.errors import KgError
from graph.lock import output_lock

ACCOUNT = ("A meeting\n\nBy Ann Other\n\nI resigned as Chair of Eastvale CLP in May 2016. "
           "Tom Reed, the secretary, complained to the NEC.\n")


def _corpus(folder: Path, n: int = 2) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(n):
        (folder / f"post{i}.txt").write_text(ACCOUNT.replace("Eastvale", f"Eastvale{i}"), encoding="utf-8")
    return folder


def _digests(out: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(out.glob("graph.*"))}


def _temporaries(out: Path) -> list[Path]:
    return sorted(out.glob(".graph.*.tmp"))


# -- writing ---------------------------------------------------------------------

def test_a_failing_rename_midway_puts_the_earlier_ones_back(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    for name in ("a.trig", "b.ttl"):
        (out / name).write_text(f"old {name}")
    (out / "c.html").mkdir()  # the last rename cannot replace a folder
    with pytest.raises(KgError, match="c.html"), Staging() as staging:
        for name in ("a.trig", "b.ttl", "c.html"):
            fill(staging.reserve(out / name), f"new {name}".encode())
        staging.commit()
    assert (out / "a.trig").read_text() == "old a.trig" and (out / "b.ttl").read_text() == "old b.ttl"
    assert sorted(p.name for p in out.iterdir() if p.name.startswith(".")) == []


def test_a_full_disk_is_one_line_naming_the_file(tmp_path, monkeypatch):
    def full(fd):
        raise OSError(errno.ENOSPC, "No space left on device")
    monkeypatch.setattr(atomic.os, "fsync", full)
    with pytest.raises(KgError, match=r"^disk full writing .*graph\.trig$"):
        write_text(tmp_path / "graph.trig", "x")
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("target", ["a-folder", "/proc/version"])
def test_writing_where_no_file_can_go_names_the_path(runner, tiny_trig, tmp_path, target):
    path = tmp_path / target if not target.startswith("/") else Path(target)
    if target == "a-folder":
        path.mkdir()
    elif not path.exists():
        pytest.skip("no /proc here")
    for args in (["render", "-g", str(tiny_trig), "-o", str(path)],
                 ["export", "-g", str(tiny_trig), "--format", "turtle", "-o", str(path)]):
        result = runner.invoke(main, args)
        assert result.exit_code == 2, result.output
        assert str(path) in result.output and "unexpected" not in result.output


def test_a_full_disk_during_a_build_keeps_the_previous_output(tmp_path, monkeypatch):
    src, out = _corpus(tmp_path / "in"), tmp_path / "out"
    build([src], out)
    before = _digests(out)
    (src / "post9.txt").write_text(ACCOUNT.replace("Ann Other", "Jo Bloggs"), encoding="utf-8")
    real = os.fsync

    def full(fd):
        if "graph." in os.readlink(f"/proc/self/fd/{fd}"):
            raise OSError(errno.ENOSPC, "No space left on device")
        real(fd)
    monkeypatch.setattr(atomic.os, "fsync", full)
    with pytest.raises(KgError, match="disk full writing"):
        build([src], out)
    assert _digests(out) == before and _temporaries(out) == []


# -- the cache ---------------------------------------------------------------------

@pytest.mark.parametrize("damage", ["flip", "truncate", "retype", "garbage"])
def test_a_damaged_cache_entry_is_reported_and_extracted_again(tmp_path, caplog, damage):
    src, out = _corpus(tmp_path / "in", 1), tmp_path / "out"
    build([src], out)
    clean = _digests(out)
    (entry,) = (out / ".cache").rglob("*.json")
    data = entry.read_bytes()
    if damage == "flip":
        i = data.index(b"Eastvale")
        data = data[:i] + b"F" + data[i + 1:]
    elif damage == "truncate":
        data = data[: len(data) // 2]
    elif damage == "retype":  # parses, wrong types, checksum recomputed as a careless edit would
        payload = data.partition(b"\n")[2].replace(b'"confidence": 0.', b'"confidence": "high-')
        data = hashlib.sha256(payload).hexdigest().encode() + b"\n" + payload
    else:
        data = os.urandom(64)
    entry.write_bytes(data)
    with caplog.at_level(logging.WARNING, logger="graph"):
        report = build([src], out)
    assert report.extracted == 1
    assert str(entry) in caplog.text and "damaged cache entry" in caplog.text
    assert _digests(out) == clean


def test_a_cache_write_that_fails_is_a_warning_not_a_failed_build(tmp_path, monkeypatch, caplog):
    def refuse(path, data, sync=True):
        raise KgError(f"disk full writing {path}")
    monkeypatch.setattr("graph.cache.write_bytes", refuse)
    with caplog.at_level(logging.WARNING, logger="graph"):
        build([_corpus(tmp_path / "in", 1)], tmp_path / "out")
    assert (tmp_path / "out" / "graph.trig").is_file()
    assert "without caching" in caplog.text


def test_a_missing_cache_entry_is_quietly_absent(tmp_path, caplog):
    with caplog.at_level(logging.WARNING, logger="graph"):
        assert Cache(tmp_path).get("ab" * 32) is None
    assert caplog.records == []  # not cached yet is no damage


# -- kg's own output never read as input ------------------------------------------

@pytest.mark.parametrize("layout", ["inside", "same"])
def test_the_output_folder_inside_the_input_is_never_read(tmp_path, layout):
    src = _corpus(tmp_path / "posts")
    out = src / "out" if layout == "inside" else src
    first = build([src], out)
    after_first = _digests(out)
    second = build([src], out)  # the first build's graph.html now sits in the input
    assert first.accounts == second.accounts == 2
    assert _digests(out) == after_first  # same files: nothing of kg's own was read back


# -- concurrency, signals, kills (real processes) ------------------------------------

def _kg(*args: str, **kw) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "graph", *args], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, **kw)


def test_a_second_build_waits_for_the_first(tmp_path):
    src, out = _corpus(tmp_path / "in"), tmp_path / "out"
    out.mkdir()
    with output_lock(out):
        second = _kg("build", str(src), "-o", str(out))
        said = second.stderr.readline  # the build's log, a line at a time
        deadline = time.monotonic() + 120
        line = ""
        while "another kg build" not in line and time.monotonic() < deadline and second.poll() is None:
            line = said()
        assert "another kg build is writing here" in line
        time.sleep(1)
        assert second.poll() is None  # still waiting for the lock this test holds
        assert not (out / "graph.trig").exists()
    _out, err = second.communicate(timeout=120)
    assert second.returncode == 0, err
    assert (out / "graph.trig").is_file()


def test_two_builds_at_once_leave_one_whole_output(tmp_path):
    src, out, ref = _corpus(tmp_path / "in"), tmp_path / "out", tmp_path / "ref"
    build([src], ref, use_cache=False)
    runs = [_kg("build", str(src), "-o", str(out)) for _ in range(2)]
    for run in runs:
        _o, err = run.communicate(timeout=180)
        assert run.returncode == 0, err
    assert _digests(out) == _digests(ref) and _temporaries(out) == []


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT])
def test_a_signal_during_a_build_keeps_the_previous_output(tmp_path, sig):
    src, out = _corpus(tmp_path / "in", 2), tmp_path / "out"
    build([src], out)
    before = _digests(out)
    for i in range(60):  # enough new text that the build is still parsing when the signal comes
        (src / f"new{i}.txt").write_text(ACCOUNT.replace("Eastvale", f"Westvale{i}") * 20, encoding="utf-8")
    run = _kg("build", str(src), "-o", str(out))
    time.sleep(3)
    run.send_signal(sig)
    _o, err = run.communicate(timeout=60)
    if run.returncode == 0:
        pytest.skip("the build finished before the signal arrived")
    assert run.returncode == -sig, err  # ends by the signal it got: the shell reports 128 + signal
    assert len(err.strip().splitlines()) <= 3 and "Traceback" not in err
    assert _digests(out) == before and _temporaries(out) == []


@pytest.mark.parametrize("delay", [0.5, 2.0, 3.5])
def test_kill_9_at_any_moment_leaves_output_and_cache_usable(tmp_path, delay):
    src, out, ref = _corpus(tmp_path / "in", 4), tmp_path / "out", tmp_path / "ref"
    build([src], out)
    before = _digests(out)
    (src / "post8.txt").write_text(ACCOUNT.replace("Ann Other", "Jo Bloggs"), encoding="utf-8")
    build([src], ref, use_cache=False)
    after = _digests(ref)
    run = _kg("build", str(src), "-o", str(out))
    time.sleep(delay)
    run.kill()
    run.communicate(timeout=30)
    assert _digests(out) in (before, after)  # whole files: the old set or the new one, never a mixture
    build([src], out)
    assert _digests(out) == after
    assert _temporaries(out) == []


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM])
def test_a_signal_during_a_two_process_parse_ends_it_quickly_and_quietly(tmp_path, sig):
    """The whole process group gets the signal, as from a terminal's Ctrl-C: one line, workers gone."""
    src, out = _corpus(tmp_path / "in", 2), tmp_path / "out"
    for i in range(80):
        (src / f"new{i}.txt").write_text(ACCOUNT.replace("Eastvale", f"Westvale{i}") * 30, encoding="utf-8")
    run = _kg("build", str(src), "-o", str(out), "--jobs", "2", start_new_session=True)
    time.sleep(6)
    if run.poll() is not None:
        pytest.skip("the build finished before the signal arrived")
    os.killpg(run.pid, sig)
    started = time.monotonic()
    _o, err = run.communicate(timeout=60)
    assert time.monotonic() - started < 15
    assert run.returncode == -sig, err
    assert "Traceback" not in err and len(err.strip().splitlines()) <= 3, err
    time.sleep(0.5)
    leftover = subprocess.run(["pgrep", "-g", str(run.pid)], capture_output=True, text=True).stdout.split()
    assert leftover == []


def test_kill_9_of_a_two_process_build_leaves_no_worker_behind(tmp_path):
    src, out = _corpus(tmp_path / "in", 2), tmp_path / "out"
    for i in range(80):
        (src / f"new{i}.txt").write_text(ACCOUNT.replace("Eastvale", f"Westvale{i}") * 30, encoding="utf-8")
    run = _kg("build", str(src), "-o", str(out), "--jobs", "2", start_new_session=True)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:  # until the parser's workers are running
        children = subprocess.run(["pgrep", "-P", str(run.pid)], capture_output=True, text=True).stdout.split()
        if len(children) >= 2 or run.poll() is not None:
            break
        time.sleep(0.2)
    if run.poll() is not None:
        pytest.skip("the build finished before its workers could be seen")
    run.kill()
    run.communicate(timeout=30)
    deadline = time.monotonic() + 10
    left = ["?"]
    while left and time.monotonic() < deadline:
        left = subprocess.run(["pgrep", "-g", str(run.pid)], capture_output=True, text=True).stdout.split()
        time.sleep(0.2)
    assert left == []

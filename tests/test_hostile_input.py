"""Untrusted files: each odd one is a warning naming it (or a clean skip), never a crash or a hang."""
from __future__ import annotations

import json
import logging
import os
import signal
import time
from contextlib import contextmanager
from pathlib import Path

import pytest

from graph.load import load_paths
from graph import yamlsafe

BODY = "I resigned as Chair of the Eastvale branch in May 2016.\n"


@contextmanager
def within(seconds: int):
    """Fail instead of hanging: a regression here would otherwise block the suite for ever."""
    def expire(*_):
        raise TimeoutError(f"took longer than {seconds} s")
    old = signal.signal(signal.SIGALRM, expire)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, old)


def _front(tmp_path: Path, matter: str, name: str = "post.md") -> Path:
    path = tmp_path / name
    path.write_text(f"---\ntitle: A post\n{matter}\nauthor: Ann Other\n---\n{BODY}", encoding="utf-8")
    return path


@pytest.mark.parametrize("matter, key", [
    ("date: 2016-02-30", "date"), ("date: 2016-13-01", "date"), ("date: 2016-01-01 25:00:00", "date"),
    ("url: !!int abc", "url"), ("date: !!timestamp abc", "date"), ("url: !!bool maybe", "url"),
    ("url: " + "9" * 5000, "url"), ("url: !!python/object:os.system x", "url"),
])
def test_a_front_matter_value_python_rejects_costs_that_field_only(tmp_path, caplog, matter, key):
    path = _front(tmp_path, matter)
    with caplog.at_level(logging.WARNING, logger="graph"):
        loaded = load_paths([tmp_path])
    (account,) = loaded.accounts
    assert account.title == "A post" and account.author == "Ann Other"
    assert getattr(account, key) is None
    warning = " ".join(r.getMessage() for r in caplog.records)
    assert f"{path}:3:" in warning and repr(key) in warning


def test_an_alias_bomb_is_refused_quickly_and_the_account_still_builds(tmp_path, caplog):
    bomb = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{c}: &{c} [{', '.join(['*' + p] * 9)}]\n" for p, c in zip("abcdefgh", "bcdefghi"))
    path = tmp_path / "bomb.md"
    path.write_text(f"---\ntitle: Bomb\n{bomb}author: *i\n---\n{BODY}", encoding="utf-8")
    started = time.monotonic()
    with caplog.at_level(logging.WARNING, logger="graph"), within(20):
        loaded = load_paths([tmp_path])
    assert time.monotonic() - started < 5
    (account,) = loaded.accounts
    assert account.author is None and "Chair" in account.text
    assert "expand" in caplog.text and "bomb.md" in caplog.text


def test_yaml_bounds_let_ordinary_aliases_through():
    assert yamlsafe.safe_load("a: &x [1, 2]\nb: *x\n") == {"a": [1, 2], "b": [1, 2]}
    with pytest.raises(yamlsafe.TooLarge):
        yamlsafe.safe_load("x: " + "[" * 100 + "]" * 100)


@pytest.mark.parametrize("sidecar, why", [
    ("[" * 3000 + "]" * 3000, "nested too deeply"),
    ('{"title": "' + "x" * 1_200_000 + '"}', "larger than 1000 kB"),
    ('{"title": "Bad \\ud800 title"}', "surrogate"),
])
def test_a_hostile_sidecar_is_a_warning_and_the_account_builds_without_it(tmp_path, caplog, sidecar, why):
    (tmp_path / "post.txt").write_text("A post\n\n" + BODY, encoding="utf-8")
    (tmp_path / "post.json").write_text(sidecar, encoding="utf-8")
    with caplog.at_level(logging.WARNING, logger="graph"):
        (account,) = load_paths([tmp_path / "post.txt"]).accounts
    assert account.title == "A post"
    assert why in caplog.text and "post.json" in caplog.text


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
def test_pipes_and_devices_are_skipped_not_read(tmp_path):
    (tmp_path / "real.txt").write_text("Real\n\n" + BODY, encoding="utf-8")
    os.mkfifo(tmp_path / "pipe.txt")
    (tmp_path / "zero.txt").symlink_to("/dev/zero")
    (tmp_path / "loop.txt").symlink_to(tmp_path / "loop2.txt")
    (tmp_path / "loop2.txt").symlink_to(tmp_path / "loop.txt")
    (tmp_path / "folder.txt").mkdir()
    with within(20):
        loaded = load_paths([tmp_path])
        direct = load_paths([tmp_path / "pipe.txt", tmp_path / "real.txt"])
    assert [a.id for a in loaded.accounts] == ["real"] == [a.id for a in direct.accounts]
    reasons = dict(loaded.skipped)
    assert "not a regular file" in reasons[str(tmp_path / "pipe.txt")]
    assert "not a regular file" in reasons[str(tmp_path / "zero.txt")]
    assert "cannot read" in reasons[str(tmp_path / "loop.txt")]


def test_a_file_name_that_is_not_utf8_loads_with_its_bytes_escaped(tmp_path):
    folder = os.fsencode(tmp_path)
    try:
        with open(os.path.join(folder, b"caf\xe9.txt"), "wb") as handle:
            handle.write(b"Cafe\n\n" + BODY.encode())
    except OSError:
        pytest.skip("this file system refuses names that are not UTF-8")
    (account,) = load_paths([tmp_path]).accounts
    assert account.id == "caf\\xe9" and account.source == "caf\\xe9.txt"
    account.source.encode("utf-8")  # writable anywhere text goes


def test_account_ids_are_unique_by_construction(tmp_path):
    thread = ("A post\n\n" + BODY + "\n2 comments\n\nJane Doe says:\nI agree with every word.\n\n"
              "Tom Reed says:\nSo do I, and I said so.\n")
    (tmp_path / "x.txt").write_text(thread, encoding="utf-8")
    (tmp_path / "x#comment-1.txt").write_text("Another\n\n" + BODY, encoding="utf-8")
    accounts = load_paths([tmp_path]).accounts
    ids = [a.id for a in accounts]
    assert len(ids) == len(set(ids))
    assert "x%23comment-1" in ids and "x" in ids


def test_a_sidecar_json_of_ordinary_depth_is_still_read(tmp_path):
    (tmp_path / "post.txt").write_text("A post\n\n" + BODY, encoding="utf-8")
    (tmp_path / "post.json").write_text(json.dumps({"title": "Set by sidecar", "extra": [[[1]]]}))
    (account,) = load_paths([tmp_path / "post.txt"]).accounts
    assert account.title == "Set by sidecar"


def test_html_nested_past_the_parser_limit_keeps_its_text(tmp_path, caplog):
    deep = "<div>" * 20_000 + "<p>I resigned as Chair of the Eastvale branch.</p>" + "</div>" * 20_000
    (tmp_path / "deep.html").write_text(f"<html><head><title>Deep</title></head><body>{deep}</body></html>")
    with caplog.at_level(logging.WARNING, logger="graph"), within(30):
        (account,) = load_paths([tmp_path]).accounts
    assert "I resigned as Chair of the Eastvale branch." in account.text
    assert "deep.html" in caplog.text and "nested" in caplog.text


def test_ordinary_html_is_not_flattened(tmp_path, caplog):
    from graph.load.html import nesting

    page = "<html><body><article><p>One.</p><ul><li>Two<br>three</li></ul></article></body></html>"
    assert nesting(page) == 5
    (tmp_path / "ok.html").write_text(page)
    with caplog.at_level(logging.WARNING, logger="graph"):
        load_paths([tmp_path])
    assert "nested" not in caplog.text

"""Files written through temporary names: whole or not at all, alone or together."""
from __future__ import annotations

import os
import stat

import pytest

from graph.atomic import Staging, fill, write_text


def test_write_text_replaces_whole_with_ordinary_permissions(tmp_path):
    target = tmp_path / "a.txt"
    target.write_text("old")
    write_text(target, "new é")
    assert target.read_text(encoding="utf-8") == "new é"
    assert stat.S_IMODE(target.stat().st_mode) == 0o666 & ~_umask()
    assert not list(tmp_path.glob(".*.tmp"))


def test_staged_files_appear_together_on_commit(tmp_path):
    (tmp_path / "a").write_text("old a")
    with Staging() as staging:
        fill(staging.reserve(tmp_path / "a"), b"new a")
        fill(staging.reserve(tmp_path / "b"), b"new b")
        assert (tmp_path / "a").read_text() == "old a" and not (tmp_path / "b").exists()
        assert staging.commit() == [tmp_path / "a", tmp_path / "b"]
    assert (tmp_path / "a").read_text() == "new a" and (tmp_path / "b").read_text() == "new b"
    assert not list(tmp_path.glob(".*.tmp"))


def test_failure_before_commit_keeps_old_files_and_leaves_no_temporaries(tmp_path):
    (tmp_path / "a").write_text("old a")
    with pytest.raises(RuntimeError), Staging() as staging:
        fill(staging.reserve(tmp_path / "a"), b"new a")
        staging.reserve(tmp_path / "b")  # never filled: the work for it failed
        raise RuntimeError("the page could not be drawn")
    assert (tmp_path / "a").read_text() == "old a" and not (tmp_path / "b").exists()
    assert not list(tmp_path.glob(".*.tmp"))


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask

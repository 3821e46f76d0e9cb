"""Any Unicode in any field builds, caches, validates and renders: the cached rebuild is
byte-identical to a clean one."""
from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from graph.build import build
from graph.validate import validate_file

ODD = ["\u2028", "\u2029", "\u0085", "\x00", "\ud800", "\u202e", "\u2066", "\u200b", "\ufeff", "\x1b[31m",
       "\x0c", "\x07", "\U0001f600", "e\u0301"]
SENTENCE = "I resigned as Chair of Eastvale CLP in May 2016, and Tom Reed complained to the NEC."


def _digests(out: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(out.glob("graph.*"))}


def _write(folder: Path, name: str, title: str, body: str) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    data = f"{title}\n\nBy Ann Other\n\n{body}\n"
    (folder / name).write_bytes(data.encode("utf-8", "surrogatepass"))


def _check(src: Path, tmp: Path) -> None:
    cached, clean = tmp / "cached", tmp / "clean"
    build([src], cached)
    build([src], cached)          # the rebuild reads every account from the cache
    build([src], clean, use_cache=False)
    assert _digests(cached) == _digests(clean)
    assert validate_file(clean / "graph.trig").conforms
    html = (clean / "graph.html").read_text(encoding="utf-8")
    assert "\u202e" not in html and "\u2066" not in html.replace("\\u2066", "")


def test_line_separators_in_title_and_text_build_with_and_without_cache(tmp_path):
    _write(tmp_path / "in", "post.txt", "A title\u2028with a line separator",
           SENTENCE.replace(", and", ",\u2029and\u0085"))
    _check(tmp_path / "in", tmp_path)


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(odd=st.lists(st.sampled_from(ODD), min_size=1, max_size=4), where=st.integers(0, len(SENTENCE)))
def test_odd_characters_anywhere_never_break_the_pipe(tmp_path_factory, odd, where):
    tmp = tmp_path_factory.mktemp("odd")
    _write(tmp / "in", "plain.txt", "A plain account", SENTENCE)  # so a file skipped as binary is no failed build
    text = "".join(odd)
    _write(tmp / "in", "post.txt", f"Title {text} here", SENTENCE[:where] + text + SENTENCE[where:])
    _check(tmp / "in", tmp)

"""Account metadata for the loader: names, titles, front matter, sidecars (dates: `graph.dates`).

Kept apart from the text scanning in `text` because these rules are about
*what a string means* (is "Jane Doe" a person? is this line a title?) rather
than where it sits in the file. Everything here is deterministic and offline.
"""
from __future__ import annotations

import json
import logging
import re
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .. import yamlsafe as yaml
from ..dates import normalize_date

# One logger for the whole Load stage, whichever helper module warns.
LOG = logging.getLogger("graph.load")

META_KEYS = ("title", "author", "date", "url")

_NAME_TOKEN = re.compile(r"^(?:[A-Z\u00c0-\u024f][\w'\u2019.\-]*|[a-z]{1,3})$")
_PARTICLES = {"de", "van", "von", "der", "den", "la", "le", "da", "di", "du", "bin", "al", "el", "st"}


@dataclass
class Meta:
    """Metadata found for an account; None means "not known"."""

    title: str | None = None
    author: str | None = None
    date: str | None = None
    url: str | None = None

    def overridden_by(self, other: Meta) -> Meta:
        """This metadata with every field that `other` knows replaced."""
        return Meta(*(getattr(other, k) or getattr(self, k) for k in META_KEYS))


@dataclass
class FrontMatter:
    meta: Meta = field(default_factory=Meta)
    end: int = 0  # offset where the body starts (0 when there is no front matter)


# --------------------------------------------------------------------- names

def clean_name(raw: str, not_words: AbstractSet[str], min_tokens: int = 1) -> str | None:
    """`raw` as a person's name ("David ." -> "David"), or None if it is not one.

    Only shape is checked (capitalised words, initials, particles), so names no
    one here has seen are found the same way as the bundled ones.
    """
    tokens = [t for t in raw.strip().strip(",;:-\u2013\u2014|").split() if re.search(r"\w", t)]
    if not min_tokens <= len(tokens) <= 5 or len(raw) > 60:
        return None
    if any(t.lower().strip(".") in not_words for t in tokens):
        return None
    if not tokens[0][:1].isupper():
        return None
    for tok in tokens:
        if not _NAME_TOKEN.match(tok) or any(c.isdigit() for c in tok):
            return None
        if tok[:1].islower() and tok not in _PARTICLES:
            return None
    return " ".join(tokens)


# --------------------------------------------------------------------- titles

def split_title(line: str, not_words: AbstractSet[str]) -> tuple[str, str | None]:
    """("Why I left | Jane Doe") -> ("Why I left", "Jane Doe").

    A short "| Something" suffix is dropped from the title; it is the author
    only when it looks like a person rather than a site.
    """
    title = re.sub(r"^#+\s*", "", line.strip()).strip("*_ ").strip()
    if " | " in title:
        head, tail = title.rsplit(" | ", 1)
        if head.strip() and len(tail.split()) <= 6:
            return head.strip(), clean_name(tail, not_words, min_tokens=2)
    return title, None


def shorten_title(text: str, limit: int = 150) -> str:
    """A paragraph used as a title: its first sentence, cut at a word if long."""
    if len(text) <= limit:
        return text
    first = re.split(r"(?<=[.!?])\s+", text, maxsplit=1)[0]
    if len(first) <= limit:
        return first
    return first[:limit].rsplit(" ", 1)[0].rstrip(",;:") + "\u2026"


# --------------------------------------------------------------- front matter

_FENCE = re.compile(r"---[ \t]*\r?\n")
_CLOSE = re.compile(r"^(?:---|\.\.\.)[ \t]*\r?$", re.MULTILINE)
_MAX_FRONT_MATTER = 20_000
_YAML_KEY = re.compile(r"^[A-Za-z_][\w -]{0,40}:(?:[ \t]|$)", re.MULTILINE)


def read_front_matter(text: str, where: str) -> FrontMatter:
    """A YAML block between `---` lines at the very top, parsed into Meta.

    The block is never part of the account text, even when it is malformed
    (the warning names the file and line; the account is built without it).
    """
    fence = _FENCE.match(text)
    if fence is None:
        return FrontMatter()
    opening = fence.end()
    close = _CLOSE.search(text, opening, min(len(text), opening + _MAX_FRONT_MATTER))
    if close is None:
        return FrontMatter()  # a rule at the top, not front matter
    end = text.find("\n", close.end())
    end = len(text) if end < 0 else end + 1
    if not _YAML_KEY.search(text, opening, close.start()):
        return FrontMatter()  # two rules around ordinary text, not metadata
    try:
        data, failed = yaml.load_fields(text[opening:close.start()])
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = 2 + mark.line if mark is not None else 1
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        LOG.warning("%s:%d: malformed front matter (%s); ignoring it", where, line, problem)
        return FrontMatter(end=end)
    for key, line, problem in failed:
        LOG.warning("%s:%d: front matter %r cannot be read (%s); ignoring that field",
                    where, 1 + line, key, problem)
    if data is None:
        LOG.warning("%s:2: front matter is not a mapping of keys to values; ignoring it", where)
        return FrontMatter(end=end)
    return FrontMatter(meta_from_mapping(data, where, 2), end)


# ------------------------------------------------------------------- sidecars

def sidecar_path(path: Path) -> Path:
    return path.with_suffix(".json")


MAX_SIDECAR_BYTES = 1_000_000


def read_sidecar(path: Path, where: str) -> Meta:
    """Metadata from NAME.json beside NAME.txt; a broken one warns and is ignored."""
    side = sidecar_path(path)
    if not side.is_file():
        return Meta()
    side_where = str(Path(where).with_suffix(".json"))
    if side.stat().st_size > MAX_SIDECAR_BYTES:
        LOG.warning("%s:1: sidecar JSON larger than %d kB (metadata is a few lines); loading %s without it",
                    side_where, MAX_SIDECAR_BYTES // 1000, where)
        return Meta()
    try:
        data = json.loads(side.read_bytes().decode("utf-8-sig"))
        json.dumps(data, ensure_ascii=False).encode("utf-8")  # lone surrogates ("\ud800") fail here
    except RecursionError:
        LOG.warning("%s:1: sidecar JSON nested too deeply; loading %s without it", side_where, where)
        return Meta()
    except UnicodeEncodeError:
        LOG.warning("%s:1: sidecar JSON holds an unpaired surrogate escape; loading %s without it",
                    side_where, where)
        return Meta()
    except json.JSONDecodeError as exc:
        LOG.warning("%s:%d:%d: malformed sidecar JSON (%s); loading %s without it",
                    side_where, exc.lineno, exc.colno, exc.msg, where)
        return Meta()
    except (OSError, UnicodeDecodeError) as exc:
        LOG.warning("%s:1: unreadable sidecar (%s); loading %s without it", side_where, exc, where)
        return Meta()
    if not isinstance(data, dict):
        LOG.warning("%s:1: sidecar JSON is not an object; loading %s without it", side_where, where)
        return Meta()
    return meta_from_mapping(data, side_where, 1)


def _text(value: str) -> str:
    """Lone surrogates ("\\ud800" escapes in YAML or JSON) become U+FFFD: no file can hold them."""
    return value.encode("utf-16", "surrogatepass").decode("utf-16", "replace")


def meta_from_mapping(data: dict[Any, Any], where: str, line: int) -> Meta:
    """Meta from a front-matter/sidecar mapping; unusable values warn and are dropped."""
    meta = Meta()
    for key in ("title", "author", "url"):
        value = data.get(key)
        if isinstance(value, list) and key == "author":
            value = ", ".join(str(v) for v in value if v)
        if value is None or value == "":
            continue
        if not isinstance(value, (str, int, float)):
            LOG.warning("%s:%d: %r should be text; ignoring it", where, line, key)
            continue
        setattr(meta, key, _text(str(value)).strip() or None)
    if data.get("date") not in (None, ""):
        meta.date = normalize_date(data["date"])
        if meta.date is None:
            LOG.warning("%s:%d: unrecognised date %r (it needs a year); ignoring it",
                        where, line, str(data["date"]))
    return meta

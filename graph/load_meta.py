"""Account metadata for the loader: dates, names, titles, front matter, sidecars.

Kept apart from the text scanning in `load_text` because these rules are about
*what a string means* (is "Feb 01" a date? is "Jon Clempner" a person?) rather
than where it sits in the file. Everything here is deterministic and offline:
a date is only ever reported with the year the text gives, never a guessed one.
"""
from __future__ import annotations

import datetime as dt
import json
import logging
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from graph import yamlsafe as yaml

# One logger for the whole Load stage, whichever helper module warns.
LOG = logging.getLogger("graph.load")

META_KEYS = ("title", "author", "date", "url")

_MONTHS = {
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6,
    "jul": 7, "aug": 8, "sep": 9, "oct": 10, "nov": 11, "dec": 12,
}
_MONTH_RE = (r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?"
             r"|aug(?:ust)?|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)")
_ORD = r"(?:st|nd|rd|th)?"
_YEAR = r"(?P<{}>(?:1[89]|20)\d\d)(?!\d)"

# Most precise first: at one position the alternation tries them in this order.
_DATE = re.compile(
    "|".join([
        r"(?<!\d)" + _YEAR.format("iy") + r"-(?P<im>\d\d)-(?P<id>\d\d)(?!\d)",
        r"(?<!\d)(?P<ad>\d{1,2})" + _ORD + r"\s+(?:of\s+)?(?P<am>" + _MONTH_RE + r")\b\.?,?\s+"
        + _YEAR.format("ay"),
        r"\b(?P<bm>" + _MONTH_RE + r")\b\.?\s+(?P<bd>\d{1,2})" + _ORD + r",?\s+" + _YEAR.format("by"),
        r"(?<!\d)(?P<nd>\d{1,2})[/.](?P<nm>\d{1,2})[/.]" + _YEAR.format("ny"),
        r"(?<!\d)" + _YEAR.format("jy") + r"-(?P<jm>\d\d)(?![\d-])",
        r"\b(?P<cm>" + _MONTH_RE + r")\b\.?,?\s+" + _YEAR.format("cy"),
        r"(?<![\d-])" + _YEAR.format("yy"),
    ]),
    re.IGNORECASE,
)

# Words a line may hold besides a date and still be "just a date" (a dateline).
_DATELINE_WORDS = {
    "updated", "posted", "published", "on", "at", "am", "pm", "last", "modified",
    "date", "st", "nd", "rd", "th", "of", "gmt", "bst", "utc", "edited", "created",
    "mon", "monday", "tue", "tues", "tuesday", "wed", "wednesday", "thu", "thur", "thurs",
    "thursday", "fri", "friday", "sat", "saturday", "sun", "sunday",
}
_DIGIT = re.compile(r"\d")
_TOKEN = re.compile(r"[^\W\d_]+|\d+|[^\w\s]")

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


# --------------------------------------------------------------------- dates

def find_date(text: str, year_only: bool = False) -> str | None:
    """The first real date with a year in `text`, as ISO 8601 at its precision.

    A bare year counts only when `year_only` (a line that is just a date);
    inside prose "in 2015" is an event, not when the account was written.
    """
    for match in _DATE.finditer(text):
        iso = _iso(match, year_only)
        if iso:
            return iso
    return None


def _iso(m: re.Match[str], year_only: bool) -> str | None:
    g = m.groupdict()
    if g["iy"]:
        return _valid(int(g["iy"]), int(g["im"]), int(g["id"]))
    if g["ay"]:
        return _valid(int(g["ay"]), _month(g["am"]), int(g["ad"]))
    if g["by"]:
        return _valid(int(g["by"]), _month(g["bm"]), int(g["bd"]))
    if g["ny"]:
        first, second = int(g["nd"]), int(g["nm"])
        day, month = (second, first) if second > 12 >= first else (first, second)  # UK: day first
        return _valid(int(g["ny"]), month, day)
    if g["jy"]:
        return _valid(int(g["jy"]), int(g["jm"]), None)
    if g["cy"]:
        return _valid(int(g["cy"]), _month(g["cm"]), None)
    return g["yy"] if year_only else None


def _month(name: str) -> int:
    return _MONTHS[name[:3].lower()]


def _valid(year: int, month: int, day: int | None) -> str | None:
    try:
        dt.date(year, month, day or 1)
    except ValueError:
        return None
    return f"{year:04d}-{month:02d}" + (f"-{day:02d}" if day else "")


def is_dateline(line: str) -> bool:
    """A short line that only says when (a date, "updated", a time)."""
    if not line or len(line) > 80 or _DIGIT.search(line) is None:
        return False
    has_digit = False
    for tok in _TOKEN.findall(line.lower()):
        if tok.isdigit():
            has_digit = True
        elif tok.isalpha() and tok not in _DATELINE_WORDS and not re.fullmatch(_MONTH_RE, tok):
            return False
    return has_digit


def normalize_date(value: Any) -> str | None:
    """A metadata date (YAML date, number, free text) as ISO 8601, else None.

    Free text goes to our own patterns first, then to dateparser, which is
    only trusted when the string shows a four-digit year (dateparser reads
    "Feb 01" as 2001 and "2017" as a month of 2017).
    """
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, int) and 1800 <= value <= 2100:
        return str(value)
    if not isinstance(value, str) or not value.strip():
        return None
    text = value.strip()
    found = find_date(text, year_only=True)
    if found and (len(found) > 4 or re.fullmatch(r"\d{4}", text)):
        return found
    return _dateparser(text) or found


def _dateparser(text: str) -> str | None:
    if not re.search(r"(?<!\d)(?:1[89]|20)\d\d(?!\d)", text):
        return None
    from dateparser.date import DateDataParser  # slow import: only when needed

    parser = DateDataParser(languages=["en"], settings={
        "REQUIRE_PARTS": ["year"], "PREFER_DAY_OF_MONTH": "first",
        "DATE_ORDER": "DMY", "RETURN_AS_TIMEZONE_AWARE": False,
        "PARSERS": ["timestamp", "absolute-time"],
    })
    data = parser.get_date_data(text)
    if data.date_obj is None:
        return None
    d = data.date_obj.date()
    return {"day": d.isoformat(), "month": d.isoformat()[:7], "year": str(d.year)}.get(
        data.period or "day", d.isoformat())


# --------------------------------------------------------------------- names

def clean_name(raw: str, not_words: set[str], min_tokens: int = 1) -> str | None:
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

def split_title(line: str, not_words: set[str]) -> tuple[str, str | None]:
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
    if not _FENCE.match(text):
        return FrontMatter()
    opening = _FENCE.match(text).end()
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


def read_sidecar(path: Path, where: str) -> Meta:
    """Metadata from NAME.json beside NAME.txt; a broken one warns and is ignored."""
    side = sidecar_path(path)
    if not side.is_file():
        return Meta()
    side_where = str(Path(where).with_suffix(".json"))
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

"""Where things sit in an account's text: the post, its comments, the furniture.

The scan works line by line over the decoded file, so each rule is a cheap
match on one line (no regex ever sees the whole file: 10 MB loads in linear
time). Nothing is deleted: boilerplate is *blanked* (characters to spaces,
newlines kept), so every character an account keeps sits at the same offset
as in the file, which is what evidence spans point back to.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import islice

from .. import yamlsafe as yaml
from ..dates import find_date, is_dateline, letter_date
from ..errors import KgError
from ..paths import LEXICON
from .meta import Meta, clean_name, shorten_title, split_title

BOILERPLATE_FILE = LEXICON / "boilerplate.yaml"
_MAX_FURNITURE_LINE = 2000   # longer lines are prose: skip the boilerplate patterns
_MAX_HEADER_LINE = 120       # comment headers, headings and list items are short
_HEADER_LINES = 20           # title, byline and dateline live in the first lines
_BLANK = re.compile(r"[^\r\n]")
_WORD = re.compile(r"[^\W_]")  # a title needs a letter or digit, not just a rule
_LIST_ITEM = re.compile(r"^(?:[\u2022\u00b7\u25aa\u2023\u25e6*\-\u2013]|\d{1,3}[.)])\s+(?P<item>\S.*)$")
_NUMBERED = re.compile(r"^(?P<num>\d{1,4})[.)]\s+(?P<name>[^/]{1,60}?)\s*/\s*(?P<rest>.{0,60})$")
_USER_NAME = re.compile(r"^(?=[\w.\-]*[^\W\d_])[\w.\-]{2,30}$")
_DASH_SIGNATURE = re.compile(r"^(?:--?|[\u2013\u2014~])\s*(?P<name>\S.{0,58})$")


@dataclass(frozen=True)
class Lexicon:
    """The compiled boilerplate.yaml."""

    lines: re.Pattern[str]      # anchored at the line start: tried with match()
    anywhere: re.Pattern[str]   # the rest: tried with search()
    inline: re.Pattern[str]
    cut: re.Pattern[str]
    min_run: int
    max_words: int
    not_person: frozenset[str]
    headings: re.Pattern[str]
    verb_header: re.Pattern[str]
    theme_verbs: frozenset[str]
    not_name: frozenset[str]
    sign_offs: frozenset[str]
    bylines: tuple[re.Pattern[str], ...]


@lru_cache(maxsize=1)
def lexicon() -> Lexicon:
    """Load and compile the patterns once; a broken file is the user's to fix."""
    try:
        raw = yaml.safe_load(BOILERPLATE_FILE.read_text(encoding="utf-8"))
        com = raw["comments"]
        verbs = "|".join(re.escape(v) for v in com["verbs"])
        not_person = frozenset(w.lower() for w in raw["not_person_words"])
        return Lexicon(
            lines=_alternation([p[1:] for p in raw["lines"] if p.startswith("^")]),
            anywhere=_alternation([p for p in raw["lines"] if not p.startswith("^")]),
            inline=_alternation(raw["inline"]),
            cut=_alternation(raw["cut_after"]), min_run=int(raw["lists"]["min_run"]),
            max_words=int(raw["lists"]["max_words"]), not_person=not_person,
            headings=_alternation(com["headings"]),
            verb_header=re.compile(rf"^(?P<name>[^:]{{1,60}}?)\s+(?P<verb>{verbs})\s*:\s*(?P<rest>.{{0,60}})$",
                                   re.IGNORECASE),
            theme_verbs=frozenset(com["theme_verbs"]),
            not_name=frozenset(w.lower() for w in com["not_name_words"]) | not_person,
            sign_offs=frozenset(s.lower() for s in raw["sign_offs"]),
            bylines=tuple(re.compile(p, re.IGNORECASE) for p in raw["bylines"]),
        )
    except (OSError, yaml.YAMLError, KeyError, TypeError, ValueError, re.error) as exc:
        raise KgError(f"cannot read the boilerplate lexicon {BOILERPLATE_FILE}: {exc}") from None


def _alternation(patterns: list[str], flags: int = 0) -> re.Pattern[str]:
    """One compiled pattern for a list (one that never matches for an empty list).

    Matched against lower-cased lines rather than with IGNORECASE, which
    makes Python's matcher several times slower on every line of a big file.
    """
    if not patterns:
        return re.compile(r"(?!)")
    return re.compile("|".join(f"(?:{p})" for p in patterns), flags)


@dataclass(frozen=True)
class Line:
    start: int    # offset of the line in the source
    end: int      # offset just past its last character (the newline not included)
    lead: int     # offset where its stripped text starts
    text: str     # the line, stripped of surrounding whitespace


@dataclass
class Header:
    """A comment header line: who wrote the comment below it."""

    index: int
    kind: str     # "numbered" ("1. Jane Doe /") or "verb" ("Jane Doe says:")
    word: str     # the number or the verb
    author: str
    rest: str     # what followed the name on the header line (a timestamp, often)
    loose: bool = False  # a user name ("sam99"), trusted only inside a thread already found


@dataclass
class Piece:
    """One account's place in the source: a character span and what is known of it."""

    start: int
    end: int
    author: str | None = None
    date: str | None = None


@dataclass
class Layout:
    """The result of scanning a text: the blanked text and where each account sits."""

    blanked: str
    post: Piece
    comments: list[Piece]
    guessed: Meta
    unsplit_thread: int | None = None  # 1-based line of a thread whose comments had no headers


def split_lines(src: str, start: int) -> list[Line]:
    """The lines of src[start:], with their offsets (linear: one pass of find)."""
    lines: list[Line] = []
    pos = start
    while pos <= len(src):
        nl = src.find("\n", pos)
        end = len(src) if nl < 0 else nl
        raw = src[pos:end]
        stripped = raw.strip()
        lead = pos + (len(raw) - len(raw.lstrip())) if stripped else pos
        lines.append(Line(pos, end, lead, stripped))
        if nl < 0:
            break
        pos = nl + 1
    return lines


@dataclass
class _Scan:
    """Working state of one scan (kept in one place so each step stays short)."""

    src: str
    lines: list[Line]
    lex: Lexicon
    furniture: list[bool] = field(default_factory=list)
    items: list[bool] = field(default_factory=list)  # short list items (menu entries)
    spans: list[tuple[int, int]] = field(default_factory=list)

    def blank_line(self, i: int) -> None:
        self.spans.append((self.lines[i].start, self.lines[i].end))

    def blank_lines(self, first: int, stop: int) -> None:
        if first < stop:
            self.spans.append((self.lines[first].start, self.lines[stop - 1].end))

    def offset_of(self, i: int) -> int:
        return self.lines[i].start if i < len(self.lines) else len(self.src)


def analyse(src: str, body_start: int = 0) -> Layout:
    """Find the post, its comments and its furniture in src[body_start:]."""
    scan = _Scan(src, split_lines(src, body_start), lexicon())
    scan.furniture = [_is_furniture(line.text, scan.lex) for line in scan.lines]
    scan.items = [_short_item(line.text, scan.lex) for line in scan.lines]
    title_i = _title_index(scan)
    thread_i, headers = _find_thread(scan, title_i)
    post_stop = len(scan.lines) if thread_i is None else thread_i
    for i, is_furniture in enumerate(scan.furniture):
        if is_furniture:
            scan.blank_line(i)
    _blank_inline(scan)
    content_stop = _cut(scan, 0, post_stop)
    _blank_lists(scan, title_i, content_stop)
    guessed = _guess_meta(scan, title_i, content_stop)
    comments = _comment_pieces(scan, thread_i, headers)
    blanked = _apply(src, scan.spans)
    post = _trimmed(blanked, scan.offset_of(0), scan.offset_of(post_stop))
    post.author, post.date = guessed.author, guessed.date
    comments = [_fill(_trimmed(blanked, c.start, c.end), c) for c in comments]
    unsplit = thread_i + 1 if thread_i is not None and not headers and _text_after(scan, thread_i) else None
    return Layout(blanked, post, [c for c in comments if c.end > c.start], guessed, unsplit)


# ------------------------------------------------------------------ furniture

def _is_furniture(text: str, lex: Lexicon) -> bool:
    if not text or len(text) > _MAX_FURNITURE_LINE:
        return False
    low = text.lower()
    return lex.lines.match(low) is not None or lex.anywhere.search(low) is not None


def _blank_inline(scan: _Scan) -> None:
    for line in scan.lines:
        if line.text and len(line.text) <= _MAX_FURNITURE_LINE:
            low = line.text.lower()  # same length for all but a few letters (e.g. U+0130)
            for m in scan.lex.inline.finditer(low if len(low) == len(line.text) else line.text):
                scan.spans.append((line.lead + m.start(), line.lead + m.end()))


def _cut(scan: _Scan, first: int, stop: int) -> int:
    """Blank from a "Content from our partners"-style line to `stop`; return where content ends."""
    for i in range(first, stop):
        text = scan.lines[i].text
        if text and len(text) <= _MAX_HEADER_LINE and scan.lex.cut.search(text.lower()):
            scan.blank_lines(i, stop)
            return i
    return stop


def _short_item(text: str, lex: Lexicon) -> bool:
    """A list item short enough to be a menu entry rather than a point being made."""
    if len(text) > _MAX_HEADER_LINE:
        return False
    m = _LIST_ITEM.match(text)
    return m is not None and len(m["item"].split()) <= lex.max_words and not m["item"].endswith((".", "!", "?", ";"))


def _blank_lists(scan: _Scan, title_i: int | None, stop: int) -> None:
    """Menus: any short list before the title; long runs of short items anywhere."""
    run: list[int] = []
    for i in range(stop):
        text = scan.lines[i].text
        if scan.items[i]:
            if title_i is not None and i < title_i:
                scan.blank_line(i)
            run.append(i)
        elif text and not scan.furniture[i]:
            _blank_run(scan, run)
            run = []
    _blank_run(scan, run)


def _blank_run(scan: _Scan, run: list[int]) -> None:
    if len(run) >= scan.lex.min_run:
        for i in run:
            scan.blank_line(i)


# ------------------------------------------------------------------- metadata

def _title_index(scan: _Scan) -> int | None:
    """The first line with words that is neither furniture, a menu item nor a dateline."""
    for i, line in enumerate(scan.lines):
        if _WORD.search(line.text) and not scan.furniture[i] and not scan.items[i] and not is_dateline(line.text) \
                and not scan.lex.cut.search(line.text[:_MAX_HEADER_LINE].lower()):
            return i
    return None


def _header_lines(scan: _Scan, stop: int) -> list[int]:
    """Indexes of the first non-empty, non-furniture lines of the post."""
    found: list[int] = []
    for i in range(stop):
        if scan.lines[i].text and not scan.furniture[i]:
            found.append(i)
            if len(found) == _HEADER_LINES:
                break
    return found


def _guess_meta(scan: _Scan, title_i: int | None, stop: int) -> Meta:
    """Title, author and date as the text itself gives them."""
    meta = Meta()
    if title_i is not None and title_i < stop:
        title, meta.author = split_title(scan.lines[title_i].text, scan.lex.not_person)
        meta.title = shorten_title(" ".join(title.split())) or None
        _blank_title_repeats(scan, title_i, stop, title)
    for i in _header_lines(scan, stop):
        text = scan.lines[i].text
        byline = _byline(text, scan.lex)
        if byline is not None and i != title_i:
            meta.author = meta.author or byline[0]
            meta.date = meta.date or byline[1]
        elif is_dateline(text):
            meta.date = meta.date or find_date(text, year_only=True)
        elif i != title_i:
            meta.date = meta.date or letter_date(text)  # "London, 3rd May 2015" heading a letter
    meta.author = meta.author or _signature(scan, stop)
    return meta


def _blank_title_repeats(scan: _Scan, title_i: int, stop: int, title: str) -> None:
    """Pages often repeat the title (breadcrumb, heading); one copy is enough."""
    for i in _header_lines(scan, stop):
        if i > title_i and scan.lines[i].text in (title, scan.lines[title_i].text):
            scan.blank_line(i)


def _byline(text: str, lex: Lexicon) -> tuple[str | None, str | None] | None:
    """("By Jane Doe, 3 May 2017") -> ("Jane Doe", "2017-05-03"); None if not a byline."""
    if len(text) > 100:
        return None
    for pattern in lex.bylines:
        m = pattern.match(text)
        if m:
            name_part = re.split(r"\s*(?:[,|\u2022\u00b7(]|\s[-\u2013\u2014]\s|\bon\b)\s*", m["rest"])[0]
            name = clean_name(name_part, lex.not_person)
            if name:
                return name, find_date(text)
    return None


def _signature(scan: _Scan, stop: int) -> str | None:
    """A name signing off the post: "— Jane Doe", or "Best wishes," then "Jane"."""
    tail = list(islice((i for i in range(stop - 1, -1, -1)
                        if scan.lines[i].text and not scan.furniture[i]), 2))
    if not tail:
        return None
    last = scan.lines[tail[0]].text
    dash = _DASH_SIGNATURE.match(last)
    if dash:
        return clean_name(dash["name"], scan.lex.not_person)
    for off in sorted(scan.lex.sign_offs, key=len, reverse=True):
        if last.lower().startswith(off) and len(last) < 80:
            rest = last[len(off):].lstrip(" ,.!")
            if rest and not last[len(off)].isalpha():
                return clean_name(rest, scan.lex.not_person)
    if len(tail) == 2 and scan.lines[tail[1]].text.lower().rstrip(" ,.!") in scan.lex.sign_offs:
        return clean_name(last, scan.lex.not_person)
    return None


# ------------------------------------------------------------------- comments

def _find_thread(scan: _Scan, title_i: int | None) -> tuple[int | None, list[Header]]:
    """Where the comment thread starts (its heading or first header), and its headers."""
    if title_i is None:
        return None, []
    headers = [h for i in range(title_i + 1, len(scan.lines)) if (h := _header(scan, i)) is not None]
    heading = next((i for i in range(title_i + 1, len(scan.lines)) if _is_heading(scan, i)), None)
    if heading is not None:
        below = [h for h in headers if h.index > heading]
        counted = re.match(r"\d|no |one |two |three", scan.lines[heading].text, re.IGNORECASE)
        if below or counted:
            return heading, below
    for n, h in enumerate(headers):
        same = [g for g in headers[n:] if g.kind == h.kind]
        if not h.loose and _starts_thread(scan, h, same):
            return h.index, same
    return None, []


def _text_after(scan: _Scan, i: int) -> bool:
    """Whether anything but furniture follows line i (a thread we failed to split)."""
    return any(line.text and not scan.furniture[j] for j, line in enumerate(scan.lines[i + 1:], i + 1))


def _starts_thread(scan: _Scan, h: Header, same: list[Header]) -> bool:
    """Without a heading, a header must look like a thread's first comment."""
    if h.kind == "numbered":
        return h.word == "1" and (h.rest == "" or is_dateline(h.rest))
    if _timestamp_below(scan, h.index) or is_dateline(h.rest):
        return True
    return h.word.lower() in scan.lex.theme_verbs and \
        sum(g.word.lower() in scan.lex.theme_verbs and not g.loose for g in same) >= 2


def _is_heading(scan: _Scan, i: int) -> bool:
    text = scan.lines[i].text
    return bool(text) and len(text) <= _MAX_HEADER_LINE and not scan.furniture[i] \
        and scan.lex.headings.search(text.lower()) is not None


def _header(scan: _Scan, i: int) -> Header | None:
    """A "1. Jane Doe /" or "Jane Doe says:" line, with a plausible name."""
    text = scan.lines[i].text
    if not text or len(text) > _MAX_HEADER_LINE or scan.furniture[i]:
        return None
    m = _NUMBERED.match(text)
    kind = "numbered"
    if m is None:
        m, kind = scan.lex.verb_header.match(text), "verb"
    if m is None:
        return None
    word = m["num"] if kind == "numbered" else m["verb"]
    name = clean_name(m["name"], scan.lex.not_name)
    if name:
        return Header(i, kind, word, name, m["rest"].strip())
    if _USER_NAME.match(m["name"]) and m["name"].lower() not in scan.lex.not_name:
        return Header(i, kind, word, m["name"], m["rest"].strip(), loose=True)
    return None


def _timestamp_below(scan: _Scan, i: int) -> bool:
    for j in range(i + 1, min(i + 3, len(scan.lines))):
        if scan.lines[j].text:
            return is_dateline(scan.lines[j].text) and find_date(scan.lines[j].text) is not None
    return False


def _comment_pieces(scan: _Scan, thread_i: int | None, headers: list[Header]) -> list[Piece]:
    """One piece per header: the lines under it, up to the next header."""
    if thread_i is None:
        return []
    first = headers[0].index if headers else len(scan.lines)
    scan.blank_lines(thread_i, first)  # the heading and anything before the first header
    pieces: list[Piece] = []
    for n, h in enumerate(headers):
        stop = headers[n + 1].index if n + 1 < len(headers) else len(scan.lines)
        scan.blank_line(h.index)
        _cut(scan, h.index + 1, stop)
        date = find_date(h.rest) or _comment_date(scan, h.index + 1, stop)
        pieces.append(Piece(scan.offset_of(h.index + 1), scan.offset_of(stop), h.author, date))
    return pieces


def _comment_date(scan: _Scan, first: int, stop: int) -> str | None:
    for j in range(first, stop):
        if scan.lines[j].text:
            return find_date(scan.lines[j].text) if is_dateline(scan.lines[j].text) else None
    return None


# ------------------------------------------------------------------- assembly

def _apply(src: str, spans: list[tuple[int, int]]) -> str:
    """src with every span blanked: characters to spaces, line breaks kept."""
    out: list[str] = []
    pos = 0
    for start, end in _merged(src, spans):
        start = max(start, pos)
        if end <= start:
            continue
        out.append(src[pos:start])
        out.append(_BLANK.sub(" ", src[start:end]))
        pos = end
    out.append(src[pos:])
    return "".join(out)


def _merged(src: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Sorted spans, neighbours joined across the line breaks between them."""
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and (start <= merged[-1][1] or src[merged[-1][1]:start].isspace()):
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def _trimmed(blanked: str, start: int, end: int) -> Piece:
    """The span without the whitespace at either end (offsets move, text does not)."""
    chunk = blanked[start:end]
    left = len(chunk) - len(chunk.lstrip())
    right = len(chunk.rstrip())
    return Piece(start + left, start + max(left, right))


def _fill(trimmed: Piece, found: Piece) -> Piece:
    trimmed.author, trimmed.date = found.author, found.date
    return trimmed

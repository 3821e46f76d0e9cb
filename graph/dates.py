"""Dates, the one place that reads them: ISO 8601 out, as precise as the text allows.

Three readers, each with its own job, sharing the month table and dateparser:
- `find_date`, `is_dateline`, `normalize_date`: when an account was written
  (a dateline, a byline's date, front matter, an HTML page's metadata);
- `normalise`: a date expression in the text of an event ("in May 2015",
  "last July" relative to the account's own date);
- `iso_precision`: which ISO form a normalised date is (day, month, year),
  for the RDF writer to type it.
A date is only ever reported with a year the text gives or anchors, never a
guessed one. Everything is deterministic and offline.
"""
from __future__ import annotations

import datetime as dt
import re
from functools import lru_cache
from typing import Any

MONTHS = {m: i for i, m in enumerate(
    ["january", "february", "march", "april", "may", "june", "july", "august",
     "september", "october", "november", "december"], start=1)}
MONTHS.update({k[:3]: v for k, v in list(MONTHS.items())})  # and their first three letters
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

# ------------------------------------------------- when an account was written

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
        return _valid(int(g["ay"]), _month_number(g["am"]), int(g["ad"]))
    if g["by"]:
        return _valid(int(g["by"]), _month_number(g["bm"]), int(g["bd"]))
    if g["ny"]:
        first, second = int(g["nd"]), int(g["nm"])
        day, month = (second, first) if second > 12 >= first else (first, second)  # UK: day first
        return _valid(int(g["ny"]), month, day)
    if g["jy"]:
        return _valid(int(g["jy"]), int(g["jm"]), None)
    if g["cy"]:
        return _valid(int(g["cy"]), _month_number(g["cm"]), None)
    return g["yy"] if year_only else None


def _month_number(name: str) -> int:
    return MONTHS[name[:3].lower()]


def _valid(year: int, month: int, day: int | None) -> str | None:
    try:
        dt.date(year, month, day or 1)
    except ValueError:
        return None
    return f"{year:04d}-{month:02d}" + (f"-{day:02d}" if day else "")


_LETTER_HEADING = re.compile(r"(?P<place>[A-Z][\w'.\-]*(?: [A-Z][\w'.\-]*){0,3}),\s+(?P<date>.{6,30})")


def letter_date(line: str) -> str | None:
    """The date of a letter's heading, "London, 3rd May 2015": a place, a comma, a full date.

    Only a whole day counts ("Leeds, 2015" is not a heading), so an address line is never read as one.
    """
    m = _LETTER_HEADING.fullmatch(line.strip())
    if m is None or not is_dateline(m["date"]):
        return None
    found = find_date(m["date"])
    return found if found and len(found) == 10 else None


_NAME_DATE = re.compile(r"(?<!\d)(?P<y>(?:19|20)\d\d)(?P<sep>[-_.]?)(?P<m>0[1-9]|1[0-2])"
                        r"(?:(?P=sep)(?P<d>0[1-9]|[12]\d|3[01]))?(?!\d)")


def date_in_name(name: str) -> str | None:
    """The date a file name carries ("2015-05-03-why-i-left.txt", "20150503_statement"), ISO.

    A year and month need a separator ("2015-05"), or "201505" would be read from any number.
    """
    for m in _NAME_DATE.finditer(name):
        if m["d"] is None and not m["sep"]:
            continue
        found = _valid(int(m["y"]), int(m["m"]), int(m["d"]) if m["d"] else None)
        if found:
            return found
    return None


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


# ------------------------------------------------------ dates in an event

_ANY_YEAR = re.compile(r"\b(1[89]\d\d|20\d\d)\b")


def _first_month(text: str) -> int | None:
    for word in re.findall(r"[a-z]+", text.lower()):
        if word in MONTHS:
            return MONTHS[word]
    return None


@lru_cache(maxsize=4096)
def normalise(text: str, account_date: str | None = None) -> str | None:
    """The ISO form of a date expression, or None when it has no year to stand on.

    "In May 2015" -> 2015-05; "12 July 2016" -> 2016-07-12; "1983" -> 1983;
    "last July" -> the July before the account's own date (`account_date`).
    """
    lower = text.lower()
    month = _first_month(lower)
    years = _ANY_YEAR.findall(text)
    anchor = int(account_date[:4]) if account_date else None
    anchor_month = int(account_date[5:7]) if account_date and len(account_date) >= 7 else None
    if years:
        year = int(years[0])
    elif anchor is None:
        return None
    elif not month and account_date and (relative := _RELATIVE.search(lower)):
        return _relative(relative.group(0), account_date)
    elif "last year" in lower:
        return str(anchor - 1)
    elif "this year" in lower:
        return str(anchor)
    elif month and (lower.startswith("last ") or (anchor_month and month > anchor_month)):
        year = anchor - 1
    elif month:
        year = anchor
    else:
        return None
    if not month and not re.search(r"\d/\d", text):
        return str(year)
    parsed = _expression_parser().get_date_data(text if years else f"{text} {year}")
    if parsed.date_obj is not None and parsed.date_obj.year == year:
        return _iso_of(parsed.date_obj, parsed.period)
    return f"{year:04d}-{month:02d}" if month else str(year)


_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_RELATIVE = re.compile(r"\b(?:(?:last )?(?:" + "|".join(_WEEKDAYS) + r")|yesterday|today|tonight|this morning"
                       r"|last month|this month|(?:a|one|two|three|\d+) (?:days?|months?) ago)\b")


def _relative(phrase: str, account_date: str) -> str | None:
    """"on Monday", "yesterday", "last month" against the account's own date (dateparser's
    RELATIVE_BASE); None unless that date gives the day (a month's "on Monday" is any of four).

    Past, not future: an account tells of what happened. A weekday that is the
    account's own ("on Tuesday" in a Tuesday's report) is that day, not a week before.
    """
    if len(account_date) < 10:
        return None
    base = dt.datetime.strptime(account_date[:10], "%Y-%m-%d")
    words = re.findall(r"[a-z]+", phrase)
    if base.strftime("%A").lower() in words and "last" not in words:
        return base.strftime("%Y-%m-%d")
    from dateparser.date import DateDataParser

    parsed = DateDataParser(languages=["en"], settings={
        "RELATIVE_BASE": base, "PREFER_DATES_FROM": "past", "RETURN_AS_TIMEZONE_AWARE": False,
    }).get_date_data(phrase)
    if parsed.date_obj is None or parsed.period not in ("day", "month"):
        return None
    return _iso_of(parsed.date_obj, parsed.period)


@lru_cache(maxsize=1)
def _expression_parser():
    from dateparser.date import DateDataParser

    return DateDataParser(languages=["en"], settings={"PREFER_DAY_OF_MONTH": "first"})


def _iso_of(value: dt.date, period: str) -> str:
    if period == "day":
        return value.strftime("%Y-%m-%d")
    if period == "month":
        return value.strftime("%Y-%m")
    return value.strftime("%Y")


# ------------------------------------------------------ ISO forms, for RDF

_ISO_FORMS = (
    (re.compile(r"(\d{4}-\d{2}-\d{2})(?:[T ].*)?"), "date"),
    (re.compile(r"(\d{4}-\d{2})"), "gYearMonth"),
    (re.compile(r"(\d{4})"), "gYear"),
)


def iso_precision(value: str) -> tuple[str, str] | None:
    """(ISO date, its XSD type name: date, gYearMonth or gYear) of `value`; None if it is none of them.

    A date-time keeps its day (the RDF contract allows no finer type).
    """
    value = value.strip()
    for pattern, kind in _ISO_FORMS:
        match = pattern.fullmatch(value)
        if match:
            return match.group(1), kind
    return None

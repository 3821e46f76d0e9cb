"""Dates in ISO 8601, as precise as the text allows.

"In May 2015" -> 2015-05; "12 July 2016" -> 2016-07-12; "1983" -> 1983;
"last July" -> the July before the account's own date. A date the text does
not anchor to a year is left out rather than guessed.
"""
from __future__ import annotations

import re
from functools import lru_cache

MONTHS = {m: i for i, m in enumerate(
    ["january", "february", "march", "april", "may", "june", "july", "august",
     "september", "october", "november", "december"], start=1)}
MONTHS.update({k[:3]: v for k, v in list(MONTHS.items())})
YEAR = re.compile(r"\b(1[89]\d\d|20\d\d)\b")


def _month(text: str) -> int | None:
    for word in re.findall(r"[a-z]+", text.lower()):
        if word in MONTHS:
            return MONTHS[word]
    return None


@lru_cache(maxsize=4096)
def normalise(text: str, account_date: str | None = None) -> str | None:
    """The ISO form of a date expression, or None when it has no year to stand on."""
    lower = text.lower()
    month = _month(lower)
    years = YEAR.findall(text)
    anchor = int(account_date[:4]) if account_date else None
    anchor_month = int(account_date[5:7]) if account_date and len(account_date) >= 7 else None
    if years:
        year = int(years[0])
    elif anchor is None:
        return None
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
    parsed = _parser().get_date_data(text if years else f"{text} {year}")
    if parsed.date_obj is not None and parsed.date_obj.year == year:
        return _iso(parsed.date_obj, parsed.period)
    return f"{year:04d}-{month:02d}" if month else str(year)


@lru_cache(maxsize=1)
def _parser():
    from dateparser.date import DateDataParser

    return DateDataParser(languages=["en"], settings={"PREFER_DAY_OF_MONTH": "first"})


def _iso(value, period: str) -> str:
    if period == "day":
        return value.strftime("%Y-%m-%d")
    if period == "month":
        return value.strftime("%Y-%m")
    return value.strftime("%Y")

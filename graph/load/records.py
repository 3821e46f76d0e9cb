"""Collections (.jsonl, .csv) to one account per record.

A collection of social posts or comments arrives as one file: each JSON line
or CSV row is its own account, told by its own author. The record's text field
is the account's text as it stands (no title or byline is looked for in a
post of a few lines), and its id and source point at the record:
`posts.jsonl#L12` is line 12 of the file, `posts.csv#row=12` row 12 as a
spreadsheet numbers it (the header is row 1; RFC 7111's fragment form). Which
fields hold the text, title, author and date is configurable (`Fields`, the
`--text-field` ... options of `kg build`); a JSON field may be a dotted path
into nested objects ("user.name").
"""
from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..model import Account
from .document import Unreadable, printable
from .meta import LOG, meta_from_mapping, shorten_title

RECORD_SUFFIXES = (".jsonl", ".csv")
_SHOWN = 5  # line numbers a warning lists at most


@dataclass(frozen=True)
class Fields:
    """The record fields that hold each part of an account."""

    text: str = "text"
    title: str = "title"
    author: str = "author"
    date: str = "date"
    url: str = "url"


def read(path: Path, text: str, fields: Fields) -> list[Account]:
    """One Account per record with text; records without text are warned about once, together."""
    where = str(path)
    suffix = path.suffix.lower()
    records = _json_lines(text, where) if suffix == ".jsonl" else _csv_rows(text)
    stem, name = printable(path.stem), printable(path.name)
    mark = "L" if suffix == ".jsonl" else "row="
    accounts: list[Account] = []
    empty: list[int] = []
    keys: set[str] = set()
    for number, record in records:
        keys.update(map(str, record))
        account = _account(record, fields, f"{stem}#{mark}{number}", f"{name}#{mark}{number}", where, number)
        if account is None:
            empty.append(number)
        else:
            accounts.append(account)
    if not accounts:
        seen = ", ".join(sorted(keys)[:12]) or "none"
        raise Unreadable(f"no record has text in a {fields.text!r} field (the fields found: {seen}); "
                         "name the text field with --text-field")
    if empty:
        LOG.warning("%s: %d record(s) without text in %r skipped (%s %s)", where, len(empty), fields.text,
                    "line" if mark == "L" else "row", _listed(empty))
    return accounts


def _listed(numbers: list[int]) -> str:
    shown = ", ".join(map(str, numbers[:_SHOWN]))
    return shown + (f" and {len(numbers) - _SHOWN} more" if len(numbers) > _SHOWN else "")


def _json_lines(text: str, where: str) -> Iterator[tuple[int, Mapping[str, Any]]]:
    """(line number, object) for each JSON-object line; blank lines are passed over."""
    bad: list[int] = []
    first_problem = ""
    good = 0
    for number, line in enumerate(text.split("\n"), start=1):  # not splitlines: JSON strings may hold U+2028
        if not line.strip():
            continue
        try:
            value = json.loads(line)
        except (json.JSONDecodeError, RecursionError) as exc:
            value, problem = None, getattr(exc, "msg", "nested too deeply")
        else:
            problem = "" if isinstance(value, dict) else "not a JSON object"
        if problem:
            bad.append(number)
            first_problem = first_problem or f"line {number}: {problem}"
            continue
        good += 1
        yield number, value
    if bad and not good:
        raise Unreadable(f"not JSON lines, one object per line ({first_problem})")
    if bad:
        LOG.warning("%s: %d line(s) that are not JSON objects skipped (%s; first: %s)",
                    where, len(bad), "lines " + _listed(bad), first_problem)


def _csv_rows(text: str) -> Iterator[tuple[int, Mapping[str, Any]]]:
    """(row number, mapping by header) for each row under the header row (row 1)."""
    reader = csv.DictReader(io.StringIO(text, newline=""))
    try:
        for number, row in enumerate(reader, start=2):
            yield number, {k: v for k, v in row.items() if k is not None}
    except csv.Error as exc:
        raise Unreadable(f"not a readable CSV file (line {reader.line_num}: {exc})") from None


def _field(record: Mapping[str, Any], name: str) -> Any:
    """The value under `name`, or under the dotted path `name` in nested objects."""
    if name in record:
        return record[name]
    value: Any = record
    for part in name.split("."):
        if not isinstance(value, Mapping) or part not in value:
            return None
        value = value[part]
    return value


def _account(record: Mapping[str, Any], fields: Fields, id_: str, source: str, where: str,
             number: int) -> Account | None:
    """The record's account; None when its text field is missing or empty."""
    raw = _field(record, fields.text)
    if not isinstance(raw, (str, int, float)) or not str(raw).strip():
        return None
    value = str(raw)
    stripped = value.lstrip()
    text = stripped.rstrip()
    meta = meta_from_mapping({"title": _field(record, fields.title), "author": _field(record, fields.author),
                              "date": _field(record, fields.date), "url": _field(record, fields.url)},
                             where, number)
    title = meta.title or shorten_title(" ".join(text.split()), 80)
    return Account(id=id_, source=source, title=title, text=text, author=meta.author, date=meta.date,
                   url=meta.url, offset=len(value) - len(stripped))

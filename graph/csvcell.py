"""CSV cells a spreadsheet will show, never run.

A cell that starts with `=`, `+`, `-` or `@` (or a tab or carriage return
before one) is a formula to Excel, LibreOffice and Google Sheets:
`=HYPERLINK("http://…")` in an account's title would become a live link, and
`+cmd|…` a command on some. Such cells get a leading apostrophe (the
spreadsheets' own "this is text" mark, as OWASP recommends); plain numbers
like `-0.5` are left alone.
"""
from __future__ import annotations

import re

_FORMULA = re.compile(r"^[=+\-@\t\r]")
_NUMBER = re.compile(r"^-?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?$")


def safe_cell(text: str) -> str:
    if _FORMULA.match(text) and not _NUMBER.match(text):
        return "'" + text
    return text

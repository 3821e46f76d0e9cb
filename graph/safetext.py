"""Untrusted text made safe for where it lands: a terminal or a log, a spreadsheet, an XML file.

Account text, titles and file names come from anyone.

- **Terminals and logs** (`visible`, `VisibleFormatter`): an ESC, BEL or OSC
  sequence printed raw can retitle the window, write to the clipboard (OSC 52)
  or hide what follows; a bidi override (U+202E) shows "txt.exe" as "exe.txt";
  a newline in a file name forges a log line. Each such character is written
  as an escape (`\\x1b`, `\\u202e`), so what a person reads is what the data holds.
- **Spreadsheets** (`safe_cell`): a CSV cell that starts with `=`, `+`, `-` or
  `@` (or a tab or carriage return) is a formula to Excel, LibreOffice and
  Google Sheets (`=HYPERLINK("http://…")` becomes a live link, `+cmd|…` a
  command on some). Such cells get a leading apostrophe, the spreadsheets' own
  "this is text" mark (as OWASP recommends); plain numbers like `-0.5` are left alone.
- **XML** (`xml_chars`): XML 1.0 cannot hold most C0 controls, lone surrogates
  or U+FFFE/U+FFFF even as character references, so RDF/XML, GraphML and GEXF
  write each as U+FFFD, the replacement character, and stay well-formed.
"""
from __future__ import annotations

import logging
import re


# C0 and C1 controls, DEL, the Unicode line and paragraph separators, the bidi
# embeddings, overrides, isolates and marks, and lone surrogates (the bytes of
# a file name that is not UTF-8, as Python decodes them).
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069"
                      "\ud800-\udfff]")


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    if 0xDC80 <= code <= 0xDCFF:  # surrogateescape: the undecodable byte itself
        return f"\\x{code - 0xDC00:02x}"
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def visible(text: str, keep: str = "") -> str:
    """`text` with control characters escaped; those in `keep` (say "\\n\\t") pass."""
    if keep:
        return _CONTROL.sub(lambda m: m.group() if m.group() in keep else _escape(m), text)
    return _CONTROL.sub(_escape, text)


class VisibleFormatter(logging.Formatter):
    """A log line is one line: newlines and escapes in its values are made visible."""

    def formatMessage(self, record: logging.LogRecord) -> str:  # noqa: N802 (logging's name)
        return visible(super().formatMessage(record))


_FORMULA = re.compile(r"^[=+\-@\t\r]")
_NUMBER = re.compile(r"^-?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?$")


def safe_cell(text: str) -> str:
    """A CSV cell a spreadsheet shows as text (see the module docstring)."""
    if _FORMULA.match(text) and not _NUMBER.match(text):
        return "'" + text
    return text


_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def xml_chars(text: str) -> str:
    """`text` with the characters XML 1.0 cannot hold replaced by U+FFFD."""
    return _NOT_XML.sub("\ufffd", text)

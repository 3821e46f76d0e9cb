"""Text bound for a terminal or a log, with every control character made visible.

Account text, titles and file names are untrusted: an ESC, BEL or OSC sequence
printed raw can retitle the window, write to the clipboard (OSC 52) or hide
what follows; a bidi override (U+202E) shows "txt.exe" as "exe.txt"; a newline
in a file name forges a log line. `visible` writes each such character as an
escape (`\\x1b`, `\\u202e`), so what a person reads is what the data holds.
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

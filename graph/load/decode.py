"""Bytes to text for the loader: decode correctly or refuse, never garble.

Accounts arrive as UTF-8 (with or without a BOM), UTF-16 with a BOM, or an old
Windows/Latin-1 export. A wrong guess would silently turn "£" into "Ł" and
poison every name downstream, so anything that does not decode cleanly is
reported as a skip (`Undecodable`) instead of being passed on.

The text returned here is the "decoded file" that `Account.offset` points into:
newlines are not translated and only a leading BOM is dropped.
"""
from __future__ import annotations

import codecs
import re

from charset_normalizer import from_bytes

# Magic numbers of files that are certainly not accounts.
_BINARY_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"%PDF", "a PDF file"),
    (b"\x89PNG", "a PNG image"),
    (b"GIF8", "a GIF image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"PK\x03\x04", "a ZIP archive (docx, xlsx, epub?)"),
    (b"\xd0\xcf\x11\xe0", "an old Office document"),
    (b"{\\rtf", "an RTF document"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"\x7fELF", "an executable"),
)

_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)

# Control characters other than tab, newlines and form feed, plus the C1 range:
# real text has almost none, binary data or a wrong single-byte guess has many.
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f-\x9f]")
# In text whose encoding is certain, C1 characters were written on purpose (NEL,
# U+0085, comes with text pasted from the web): only C0 controls count as noise.
_C0 = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")
_TOLERATED_SHARE = 0.001  # a stray escape in valid UTF-8 is kept, a stream of them is not
_TOLERATED_MIN = 4        # ... and a short text may hold a few
_WESTERN = {"cp1252", "latin_1", "iso8859_15", "iso8859_1"}


class Undecodable(Exception):
    """The bytes are not text we can trust; the message says why."""


def decode_bytes(data: bytes) -> str:
    """Decode an account file's bytes, or raise `Undecodable` with a reason."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return _strict(data[len(bom):], encoding, f"{encoding} (byte-order mark)", True)
    for magic, what in _BINARY_MAGIC:
        if data.startswith(magic):
            raise Undecodable(f"binary file ({what}), not text")
    try:
        return _checked(data.decode("utf-8"), "utf-8", tolerant=True)
    except UnicodeDecodeError:
        pass
    if b"\x00" in data:
        return _utf16_without_bom(data)
    return _single_byte(data)


def _strict(data: bytes, encoding: str, label: str, tolerant: bool = False) -> str:
    try:
        return _checked(data.decode(encoding), label, tolerant)
    except UnicodeDecodeError as exc:
        raise Undecodable(f"not valid {label} at byte {exc.start}") from None


def _checked(text: str, label: str, tolerant: bool = False) -> str:
    """Refuse text with control characters: binary data or a wrong encoding.

    Text whose encoding is certain (valid UTF-8, a BOM) may keep a few stray
    controls (Word's vertical tabs, an ANSI escape); a guessed encoding may not.
    """
    found = (_C0 if tolerant else _CONTROL).search(text)
    if found is None:
        return text
    stray = len(_C0.findall(text))
    if tolerant and stray <= max(_TOLERATED_MIN, _TOLERATED_SHARE * len(text)):
        return text.replace("\x00", " ")  # a stray NUL is no character of any account: a space, offsets kept
    if "\x00" in text:
        raise Undecodable("binary file (contains NUL bytes), not text")
    raise Undecodable(f"control character U+{ord(found.group()):04X} in {label} text "
                      "(binary data or an unknown encoding)")


def _utf16_without_bom(data: bytes) -> str:
    """NUL bytes in every other place is UTF-16 that lost its BOM; else binary."""
    if len(data) % 2 == 0 and len(data) >= 4:
        odd_nuls = data[1::2].count(0) / (len(data) // 2)
        even_nuls = data[0::2].count(0) / (len(data) // 2)
        for share, encoding in ((odd_nuls, "utf-16-le"), (even_nuls, "utf-16-be")):
            if share > 0.9:
                try:
                    return _checked(data.decode(encoding), encoding)
                except (UnicodeDecodeError, Undecodable):
                    break
    raise Undecodable("binary file (contains NUL bytes), not text")


def _single_byte(data: bytes) -> str:
    """Not UTF-8: ask charset-normalizer, but prefer Windows-1252 when it fits.

    charset-normalizer often ranks a Central-European code page first for
    English text with a few accents (turning "£" into "Ł"); English accounts
    saved by Windows tools are far more often cp1252 or Latin-1, so when that
    reading is among the least chaotic candidates it wins.
    """
    results = list(from_bytes(data))
    if not results:
        raise Undecodable("could not tell the text encoding")
    least = min(r.chaos for r in results)
    calm = [r for r in results if r.chaos <= least + 0.01]
    if any(_WESTERN & set(r.could_be_from_charset) for r in calm):
        try:
            return _checked(data.decode("cp1252"), "Windows-1252")
        except (UnicodeDecodeError, Undecodable):
            return _strict(data, "latin-1", "Latin-1")
    best = calm[0]
    return _strict(data, best.encoding, best.encoding)

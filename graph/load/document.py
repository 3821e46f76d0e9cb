"""What every format reader hands the loader: the text it extracted and what the file says of itself.

A reader (`pdf`, `word`, `mail`, `html`, or plain text) turns a file into one
`Document`; `files` then finds the post, its comments and its furniture in
`Document.text` the same way for every format, so the offsets of an account's
text point into that extracted text whatever the file was.
"""
from __future__ import annotations

import os
from dataclasses import dataclass, field

from .meta import Meta, clean_name
from .text import lexicon


class Unreadable(Exception):
    """This file (or record) yields no account; the message is the reason shown to the user."""


@dataclass(frozen=True)
class Document:
    """A file's text as its reader extracted it.

    `meta` is what the file states about itself and trusts (e-mail headers, a
    page's metadata, front matter): it overrides what the text suggests.
    `fallback` is what document properties say (a PDF's or Word file's title):
    often a template's leftover, so used only where the text says nothing.
    `pages` holds the offset in `text` where each page starts (PDF), so a
    sentence found in the text can name its page.
    """

    text: str
    start: int = 0                        # where the body starts (past front matter)
    meta: Meta = field(default_factory=Meta)
    fallback: Meta = field(default_factory=Meta)
    pages: tuple[int, ...] = ()


def problem(exc: BaseException) -> str:
    """A library's exception as one line of a skip reason: its kind and its message, whitespace folded."""
    message = " ".join(str(exc).split())
    return f"{type(exc).__name__}: {message}" if message else type(exc).__name__


def printable(name: str) -> str:
    """A file name as account ids and sources write it.

    Bytes that are not UTF-8 are shown as escapes (`caf\\xe9.txt`), and "#", which
    separates a file from the accounts inside it ("x.txt#comment-1", "x.jsonl#L3"),
    as %23: so no file name can take another account's id.
    """
    return os.fsencode(name).decode("utf-8", "backslashreplace").replace("#", "%23")


def properties(title: object, author: object) -> Meta:
    """A document's stated title and author (PDF info, Word core properties) as fallback metadata.

    The author is kept only when shaped like a person's name: these fields
    often hold a login ("jsmith") or a program's name, which would become an
    invented teller. Their dates are not used: a template's creation date
    (python-docx's default says 2013) is no date of the account.
    """
    title_text = " ".join(str(title or "").split())
    author_text = str(author or "").strip()
    return Meta(title=title_text or None,
                author=clean_name(author_text, lexicon().not_person, min_tokens=2) if author_text else None)

"""Quoted speech: an "I" inside quotation marks is the quoted speaker, not the teller.

A token extension `in_quote` is set on each parsed doc by `mark_quotes`, called
before the rules run. Straight quotes (`"`) do not say whether they open or
close, so their side is read from the spaces around them: a mark after a space
and before a word opens, one after a word closes. That keeps news style right,
where a quoted paragraph that goes on is re-opened without being closed
(`said: "We will vote. "It is a bad bill.`), and a quotation inside a
quotation (`"he was the "Father of the House" and took an interest in my
career"`): marks are counted in depth, so an inner close leaves the outer
quotation open. Single quotation marks open a quotation only after a space or
a colon (`Goldsmith: 'I was not leant on'`), never as an apostrophe. A quotation
never runs past a paragraph break, so an unbalanced mark costs one paragraph at
most: the cost of marking too much is only that an "I" is not taken for the teller.
"""
from __future__ import annotations

from spacy.tokens import Doc, Token

CURLY = {"“", "«", "‘"}
CLOSERS = {"”", "»", "’"}
STRAIGHT = '"'
SINGLE = "'"
OPENS_AFTER = set("([{-–—/:")
FIRST_PERSON = {"i", "me", "my", "myself", "mine"}


def _side(doc: Doc, tok: Token) -> str:
    """"open", "close" or "either" for a straight quotation mark, from its neighbours."""
    text = doc.text
    before = text[tok.idx - 1] if tok.idx > 0 else " "
    after_i = tok.idx + len(tok.text)
    after = text[after_i] if after_i < len(text) else " "
    space_before = before.isspace() or before in OPENS_AFTER
    space_after = after.isspace() or after in ".,;:!?)]}"
    if space_before and not space_after:
        return "open"
    if space_after and not space_before:
        return "close"
    return "either"


def mark_quotes(doc: Doc) -> None:
    if not Token.has_extension("in_quote"):
        Token.set_extension("in_quote", default=False)
    depth = 0
    for tok in doc:
        if "\n\n" in tok.text:
            depth = 0
            continue
        text = tok.text
        if text == STRAIGHT:
            side = _side(doc, tok)
            if side == "either":
                side = "close" if depth else "open"
            depth = depth + 1 if side == "open" else max(depth - 1, 0)
            continue
        if text in CURLY or text == SINGLE and _side(doc, tok) == "open":
            depth += 1
            continue
        if depth and (text in CLOSERS or text == SINGLE and _side(doc, tok) == "close"):
            depth -= 1
            continue
        if depth:
            tok._.in_quote = True


# "In May I resigned": a month or a day before "I" is no regnal name ("Charles I").
CALENDAR = {"january", "february", "march", "april", "may", "june", "july", "august", "september",
            "october", "november", "december", "monday", "tuesday", "wednesday", "thursday", "friday",
            "saturday", "sunday", "today", "yesterday", "tomorrow"}


def teller_speaks(tok: Token) -> bool:
    """`tok` is the teller's own "I"/"me"/"my": not quoted, and no numeral or part of a title
    ("Charles I", "World War I", "Have I Got News for You")."""
    if tok.lower_ not in FIRST_PERSON or quoted(tok):
        return False
    if tok.text == "I" and tok.i > 0:
        prev = tok.doc[tok.i - 1]
        nxt = tok.doc[tok.i + 1] if tok.i + 1 < len(tok.doc) else None
        if prev.pos_ == "PROPN" and not prev.is_sent_start and prev.lower_ not in CALENDAR:
            return False
        if prev.is_title and not prev.is_sent_start and nxt is not None and nxt.is_title:
            return False
    return True


def quoted(tok: Token) -> bool:
    return Token.has_extension("in_quote") and tok._.in_quote

"""Quoted speech: an "I" inside quotation marks is the quoted speaker, not the teller.

A token extension `in_quote` is set on each parsed doc by `mark_quotes`, called
before the rules run. Straight quotes (`"`) do not say whether they open or
close, so their side is read from the spaces around them: a mark after a space
and before a word opens, one after a word closes. That keeps news style right,
where a quoted paragraph that goes on is re-opened without being closed
(`said: "We will vote. "It is a bad bill.`): a second opening mark inside a
quotation keeps it open instead of closing it. A quotation never runs past a
paragraph break, so an unbalanced mark costs one paragraph at most.
"""
from __future__ import annotations

from spacy.tokens import Doc, Token

CURLY = {"“", "«"}
CLOSERS = {"”", "»"}
STRAIGHT = '"'
OPENS_AFTER = set("([{-–—/:")


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
    inside = False
    for tok in doc:
        if "\n\n" in tok.text:
            inside = False
            continue
        if tok.text == STRAIGHT:
            side = _side(doc, tok)
            inside = True if side == "open" else False if side == "close" else not inside
            continue
        if tok.text in CURLY:
            inside = True
            continue
        if tok.text in CLOSERS:
            inside = False
            continue
        if inside:
            tok._.in_quote = True


def quoted(tok: Token) -> bool:
    return Token.has_extension("in_quote") and tok._.in_quote

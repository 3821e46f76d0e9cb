"""Quoted speech: an "I" inside quotation marks is the quoted speaker, not the teller.

A token extension `in_quote` is set on each parsed doc by `mark_quotes`, called
before the rules run.
"""
from __future__ import annotations

from spacy.tokens import Doc, Token

OPEN = {"“": "”", '"': '"', "«": "»"}


def mark_quotes(doc: Doc) -> None:
    if not Token.has_extension("in_quote"):
        Token.set_extension("in_quote", default=False)
    closing = None
    for tok in doc:
        if closing is not None:
            if tok.text == closing or "\n\n" in tok.text:
                closing = None
            else:
                tok._.in_quote = True
        elif tok.text in OPEN:
            closing = OPEN[tok.text]


def quoted(tok: Token) -> bool:
    return Token.has_extension("in_quote") and tok._.in_quote

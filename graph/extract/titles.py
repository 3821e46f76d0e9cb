"""Role titles as written, whole: "Shadow Home Secretary", "Secretary of State for Work and Pensions".

The lexicon's title phrases ("secretary", "prime minister") are where a title
is anchored; the words around the anchor that belong to the title are read
from the text: prefixes the lexicon lists ("shadow", "deputy", "1st"), the
portfolio said before the anchor as its modifier ("home affairs spokesman",
"Foreign Secretary") and, for titles that take one, the portfolio after it
("Minister for Europe"). Words that only describe the holder ("former",
"new", "local") stay out of the title, and "former"/"ex-" is noted.
The recorded text has one case per title ("chair" and "Chair" are one title).
"""
from __future__ import annotations

from dataclasses import dataclass

from spacy.tokens import Doc
from spacy.util import filter_spans

from .lexicon import Lexicon
from .matchers import Matchers

PORTFOLIO_DEPS = {"compound", "amod", "nmod", "npadvmod"}
NOT_PORTFOLIO = {"NORP", "GPE", "LOC", "PERSON", "DATE", "TIME", "CARDINAL", "ORDINAL", "MONEY", "PERCENT"}
SMALL_WORDS = {"of", "for", "and", "the", "on", "in", "to", "at", "&"}
FORMER = {"former", "ex", "ex-", "previous", "then"}


@dataclass
class Title:
    start: int        # first token of the title (prefix and portfolio included)
    end: int          # one past its last token
    lead: int         # first token of the phrase with its describing words ("the former ...")
    key: str          # the lexicon's title ("chair", "minister")
    text: str         # the title to record, in its one case
    former: bool      # "former", "ex-": held once, not now
    plural: bool      # "chairmen", "members": may be held by several named together


def title_case(words: list[str]) -> str:
    """One case per title: capitals kept for acronyms, small words in lower case inside."""
    out = []
    for i, word in enumerate(words):
        if word.isupper() and len(word) > 1 or any(c.isdigit() for c in word):
            out.append(word)
        elif i and word.lower() in SMALL_WORDS:
            out.append(word.lower())
        else:
            out.append("-".join(p[:1].upper() + p[1:].lower() for p in word.split("-")))
    return " ".join(out)


def anchors(doc: Doc, matchers: Matchers) -> list[tuple[int, int, str]]:
    """(start, end, lexicon title) of each title phrase; the longest wins overlaps."""
    found = [(s, e, doc.vocab.strings[m]) for m, s, e in matchers.roles(doc)]
    if matchers.roles_exact is not None:
        found += [(s, e, doc.vocab.strings[m]) for m, s, e in matchers.roles_exact(doc)]
    key = {(s, e): k for s, e, k in found}
    return [(sp.start, sp.end, key[(sp.start, sp.end)]) for sp in filter_spans([doc[s:e] for s, e, _ in found])]


def whole_title(doc: Doc, start: int, end: int, key: str, lexicon: Lexicon, taken) -> Title:
    """Grow a title phrase over its prefixes and portfolio; `taken(i)`: token i is in a name."""
    first = start
    while first > 0 and not taken(first - 1) and _belongs(doc[first - 1], first, end, lexicon):
        first -= 1
    while first < start and doc[first].lower_ in lexicon.role_modifiers:
        first += 1  # "local government spokesman": "local" describes, "government" is the portfolio
    last = end
    anchor = doc[start:end].text.lower()
    if (anchor in lexicon.portfolio_titles or key in lexicon.portfolio_titles) and last + 1 < len(doc) \
            and doc[last].lower_ in {"for", "on"} and _portfolio_word(doc[last + 1], taken, lexicon):
        j = last + 1
        while j < len(doc) and (_portfolio_word(doc[j], taken, lexicon) or doc[j].lower_ in {"and", "&"}
                                and j + 1 < len(doc) and _portfolio_word(doc[j + 1], taken, lexicon)):
            j += 1
        last = j
    lead, former = first, False
    while lead > 0 and (doc[lead - 1].lower_ in lexicon.role_modifiers
                        or doc[lead - 1].text == "-" and lead > 1 and doc[lead - 2].lower_ in lexicon.role_modifiers):
        lead -= 1
        former = former or doc[lead].lower_ in FORMER
    words = doc[first:last].text.split()
    text = _singular(words, key, lexicon)
    head = doc[end - 1].lower_
    plural = head in lexicon.plurals or head.endswith("s") and head[:-1] == key.split()[-1].lower()
    return Title(first, last, lead, key, text, former, plural)


def _belongs(tok, first: int, end: int, lexicon: Lexicon) -> bool:
    """A word before the title that is part of it: a prefix, or the portfolio modifying it."""
    if tok.lower_ in lexicon.title_prefixes or tok.lower_ in lexicon.title_word_kinds:
        return True
    if tok.lower_ in lexicon.role_modifiers or tok.is_punct or tok.is_space or tok.is_stop:
        return False
    if tok.ent_type_ in NOT_PORTFOLIO or tok.pos_ not in {"NOUN", "PROPN", "ADJ"} \
            or tok.lower_ in lexicon.not_portfolio:
        return False  # "committee chairman": the committee is the body, not part of the title
    return tok.dep_ in PORTFOLIO_DEPS and first <= tok.head.i < end + 1


def _portfolio_word(tok, taken, lexicon: Lexicon) -> bool:
    """"(Secretary of State for) Work and Pensions": capitalised words, no place, no name, no "Mr"."""
    return tok.is_title and tok.is_alpha and not taken(tok.i) and not tok.is_stop \
        and tok.ent_type_ not in NOT_PORTFOLIO and tok.text not in lexicon.person_titles \
        and tok.lower_ not in lexicon.not_portfolio


def _singular(words: list[str], key: str, lexicon: Lexicon) -> str:
    """"members" -> "Member", "Cllr" -> "Councillor", "party member" -> "Member"."""
    if not words:
        return title_case([key])
    head = words[-1].lower()
    if head in lexicon.plurals:
        words = [*words[:-1], lexicon.plurals[head]]
    elif head.endswith("s") and head[:-1] == key.split()[-1].lower():
        words = [*words[:-1], words[-1][:-1]]
    if key == "member":
        return "Member"  # "party member", "full member": the body says which
    if len(words) == 1 and not any(c in "aeiouy" for c in words[0].lower()) and " " not in key \
            and not words[0].isupper():
        words = [key]  # "Cllr" -> "Councillor"
    return title_case(words)

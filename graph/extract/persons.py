"""Is a name NER calls PERSON an individual? The person filter, driven by patterns/people.yaml.

Places, seats, groups and job descriptions are often tagged PERSON by NER
("Wexley", "Mossford South", "Britons", "the party leader"). Each rule of the
`people` family says how such a thing is written; this module interprets its
`yields` (see the file's header) against the candidate spans of one Doc.
"""
from __future__ import annotations

from dataclasses import dataclass

from spacy.tokens import Doc, Span

from .places import is_admin_area, is_place
from .rules import RuleMatch, rule_matches

PLACE_LABELS = {"GPE", "LOC"}
LIST_GLUE = ({","}, {"and"}, {",", "and"}, {"&"})
NAME_GLUE = {"of", "upon", "on", "-", "the"}
COMPASS = {"north", "south", "east", "west", "central"}
PLACE_LIST_MIN = 3  # items: "Wexley West, Grimsworth, Mossford Riverside": a list of places names no one


NOT_PERSON_LABELS = {"GPE", "LOC", "ORG", "NORP", "FAC"}


def ner_votes(doc: Doc) -> dict[str, list[int]]:
    """How NER labels each short capitalised name of the text: [as PERSON, as a place, group or body].

    Merge adds these up over the corpus: a name NER calls a place or an organisation most of
    the time (a ministry's acronym, a camp) is no person where it once calls it one."""
    votes: dict[str, list[int]] = {}
    for ent in doc.ents:
        if ent.label_ != "PERSON" and ent.label_ not in NOT_PERSON_LABELS or len(ent) > 3 or not ent[0].is_title:
            continue
        name = ent.text.lower().removesuffix("'s").removesuffix("’s")
        votes.setdefault(name, [0, 0])[0 if ent.label_ == "PERSON" else 1] += 1
    return votes


@dataclass(frozen=True)
class Verdict:
    rule: str        # the id of the rule that rejects the candidate
    what: str        # what it is instead: job, place, seat, group, law, body


def _name_word(tok) -> bool:
    return (tok.is_title or tok.is_upper) and tok.is_alpha and not tok.is_sent_start


class PersonFilter:
    """The `people` rules' matches on one Doc, asked once per person candidate."""

    def __init__(self, doc: Doc, honorifics: set[str]):
        self.doc = doc
        self.honorifics = honorifics
        self.matches: list[RuleMatch] = rule_matches(doc, "people")
        self.doc_places = {e.text.lower() for e in doc.ents if e.label_ in PLACE_LABELS}
        self.person_words = {t.lower_ for e in doc.ents if e.label_ == "PERSON" and len(e) > 1
                             and not is_place(e[0].text) for t in e}
        self.in_place_list = self._place_lists()

    def _place_lists(self) -> set[int]:
        """Tokens of the items of a list of places: "Wexley West, Grimsworth, Mossford Riverside, ...".

        Items are runs of capitalised words joined by commas or "and"; when most items of a
        list of PLACE_LIST_MIN or more are places (NER's GPE/LOC, the gazetteer, a compass
        point after a place), every item of it is.
        """
        doc, out = self.doc, set[int]()
        items: list[tuple[int, int]] = []

        def close() -> None:
            if len(items) >= PLACE_LIST_MIN and sum(map(self._placey, items)) * 2 > len(items):
                out.update(i for start, end in items for i in range(start, end))
            items.clear()

        i = 0
        while i < len(doc):
            if not _name_word(doc[i]):
                if doc[i].lower_ not in {",", "and", "&"} or not items or items[-1][1] < i - 2:
                    close()
                i += 1
                continue
            j = i
            while j < len(doc) and (_name_word(doc[j]) or doc[j].lower_ in NAME_GLUE and j + 1 < len(doc)
                                    and _name_word(doc[j + 1])):
                j += 1
            if items and {t.lower_ for t in doc[items[-1][1]:i]} not in LIST_GLUE:
                close()
            items.append((i, j))
            i = j
        close()
        return out

    def _placey(self, item: tuple[int, int]) -> bool:
        span = self.doc[item[0]:item[1]]
        if any(t.ent_type_ in PLACE_LABELS for t in span) or is_place(span.text) or is_place(span[0].text):
            return True
        return len(span) > 1 and span[-1].lower_ in COMPASS

    def known_place(self, span: Span) -> bool:
        """The span is a place by the gazetteer or by NER elsewhere in this text, or its first word is
        (a city's name before a district's)."""
        if span.text.lower() in self.doc_places or is_place(span.text):
            return True
        return len(span) > 1 and (span[0].text.lower() in self.doc_places or is_place(span[0].text))

    def _named_elsewhere(self, span: Span) -> bool:
        """The span's last word names a person elsewhere in the text ("Mason said", "Mr Mason")."""
        last = span[-1].lower_
        if any(e.label_ == "PERSON" and len(e) < len(span) and e[-1].lower_ == last for e in self.doc.ents):
            return True
        return any(t.lower_ == last and t.i > 0 and self.doc[t.i - 1].text.rstrip(".") in self.honorifics
                   for t in self.doc)

    def _honoured(self, span: Span) -> bool:
        return span.start > 0 and self.doc[span.start - 1].text.rstrip(".") in self.honorifics

    def _rule_verdict(self, span: Span, places_only: bool = False) -> Verdict | None:
        for match in self.matches:
            if match.start > span.start or match.end < span.end or "not_person" not in match.rule.yields:
                continue
            what = str(match.rule.yields["not_person"])
            if places_only and what not in {"place", "seat"}:
                continue
            when = match.rule.yields.get("when")
            if when == "place" and not self.known_place(span):
                continue
            if when == "not-surname" and self._named_elsewhere(span):
                continue
            return Verdict(match.rule.id, what)
        return None

    def promoted(self, head_words: set[str], known: set[str]) -> list[Span]:
        """ORG entities a `person` rule shows to be people: name-shaped (two or three capitalised
        words, none a body's head word, not a known body's name) and matched whole."""
        out = []
        for ent in self.doc.ents:
            words = [t for t in ent if t.text != "-"]
            if ent.label_ != "ORG" or not 2 <= len(words) <= 3 or ent.text.lower() in known \
                    or any(not (t.is_title and t.is_alpha) or t.lower_ in head_words for t in words):
                continue
            if any("person" in m.rule.yields and m.start <= ent.start and ent.end <= m.end for m in self.matches):
                out.append(ent)
        return out

    def teller(self, span: Span) -> str | None:
        """The id of a rule naming `span` the account's writer (a signature, an editor's intro)."""
        return next((m.rule.id for m in self.matches if "teller" in m.rule.yields
                     and m.start <= span.start and span.end <= m.end), None)

    def verdict(self, span: Span) -> Verdict | None:
        """Why `span` (a cleaned person candidate) is not a person, or None if nothing says so."""
        if self._honoured(span):
            return None  # "Mr X" is a man whatever towns share his name
        found = self._rule_verdict(span)
        if found:
            return found
        if span.start in self.in_place_list:
            return Verdict("people.place-list", "place")
        if is_admin_area(span.text) and not (len(span) == 1 and span.text.lower() in self.person_words):
            return Verdict("people.gazetteer", "place")  # a county alone: unless a full name here holds it
        return None

"""Is a name NER calls PERSON an individual? The person filter, driven by patterns/people.yaml.

Places, seats, groups and job descriptions are often tagged PERSON by NER
("Holborn", "Islington South", "Britons", "Tory leader"). Each rule of the
`people` family says how such a thing is written; this module interprets its
`yields` (see the file's header) against the candidate spans of one Doc.
"""
from __future__ import annotations

from dataclasses import dataclass

from spacy.tokens import Doc, Span

from .places import is_admin_area, is_place
from .rules import RuleMatch, rule_matches

PLACE_LABELS = {"GPE", "LOC"}


@dataclass(frozen=True)
class Verdict:
    rule: str        # the id of the rule that rejects the candidate
    what: str        # what it is instead: job, place, seat, group


class PersonFilter:
    """The `people` rules' matches on one Doc, asked once per person candidate."""

    def __init__(self, doc: Doc, honorifics: set[str]):
        self.doc = doc
        self.honorifics = honorifics
        self.matches: list[RuleMatch] = rule_matches(doc, "people") if doc.has_extension("kg_matches") \
            and doc._.get("kg_matches") is not None else []
        self.doc_places = {e.text.lower() for e in doc.ents if e.label_ in PLACE_LABELS}
        self.person_words = {t.lower_ for e in doc.ents if e.label_ == "PERSON" and len(e) > 1
                             and not is_place(e[0].text) for t in e}

    def known_place(self, span: Span) -> bool:
        """The span, or its first word, is a place by the gazetteer or by NER elsewhere in this text."""
        for text in (span.text, span[0].text):
            if text.lower() in self.doc_places or is_place(text):
                return True
        return False

    def _honoured(self, span: Span) -> bool:
        return span.start > 0 and self.doc[span.start - 1].text.rstrip(".") in self.honorifics

    def verdict(self, span: Span) -> Verdict | None:
        """Why `span` (a cleaned person candidate) is not a person, or None if nothing says so."""
        if self._honoured(span):
            return None  # "Mr Howard" is a man whatever cities share his name
        for match in self.matches:
            if match.start > span.start or match.end < span.end:
                continue
            if match.rule.yields.get("when") == "place" and not self.known_place(span):
                continue
            return Verdict(match.rule.id, str(match.rule.yields.get("not_person", "other")))
        if is_admin_area(span.text) and not (len(span) == 1 and span.text.lower() in self.person_words):
            return Verdict("people.gazetteer", "place")  # "Essex", "Torfaen": unless a full name here holds it
        return None

"""spaCy matchers compiled once from the lexicon.

Phrase lists (known bodies, body-name heads, generic body words, role titles) become
PhraseMatchers; nothing domain-specific is in code.
"""
from __future__ import annotations

from dataclasses import dataclass

from spacy.matcher import PhraseMatcher

from .lexicon import Lexicon


@dataclass
class Matchers:
    known_exact: PhraseMatcher      # known bodies, case as written
    known_lower: PhraseMatcher      # multi-word known bodies, any case
    heads: PhraseMatcher            # words that end a local body's name
    generic: PhraseMatcher          # "the Council", "CLP", "LCF"
    roles: PhraseMatcher            # role titles, any case (acronyms in `roles_exact`)
    known_names: list[str]          # match id -> canonical name (via vocab strings)
    roles_exact: PhraseMatcher | None = None       # titles written in capitals ("AM", "TD"), case as written
    party_adjectives: PhraseMatcher | None = None  # "Green", "Democratic": a party only before a title


def build_matchers(nlp, lexicon: Lexicon) -> Matchers:
    make = nlp.make_doc
    known_exact = PhraseMatcher(nlp.vocab, attr="ORTH")
    known_lower = PhraseMatcher(nlp.vocab, attr="LOWER")
    for body in lexicon.known_bodies:
        # a leading "the" is left to the text: "the Labour Party" must not outrank
        # "Labour Party Conference" as the longer match
        forms = {f[4:] if f.lower().startswith("the ") else f for f in (body.name, *body.aliases, *body.nouns)}
        known_exact.add(body.name, [make(f) for f in sorted(forms)])
        multi = sorted(f for f in forms if " " in f) if not body.exact_case else []
        if multi:
            known_lower.add(body.name, [make(f) for f in multi])
    heads = PhraseMatcher(nlp.vocab, attr="ORTH")
    generic = PhraseMatcher(nlp.vocab, attr="ORTH")
    for kind, spec in lexicon.body_kinds.items():
        heads.add(kind, [make(h) for h in spec.get("heads", [])])
        if spec.get("generic"):
            forms = set(spec["generic"]) | {"The" + g[3:] for g in spec["generic"] if g.startswith("the ")}
            generic.add(kind, [make(g) for g in sorted(forms)])
    # "AM" is a title only in capitals ("Simon Thomas AM"), never the verb
    upper = {form for form in lexicon.role_forms if form.isupper()}
    roles = _labelled(nlp, {f.lower(): t for f, t in lexicon.role_forms.items() if f not in upper})
    roles_exact = PhraseMatcher(nlp.vocab, attr="ORTH")
    for form in sorted(upper):
        roles_exact.add(lexicon.role_forms[form], [make(form)])
    adjectives = PhraseMatcher(nlp.vocab, attr="ORTH")
    for body in lexicon.known_bodies:
        if body.adjectives:
            adjectives.add(body.name, [make(a) for a in sorted(body.adjectives)])
    return Matchers(known_exact, known_lower, heads, generic, roles,
                    [b.name for b in lexicon.known_bodies], roles_exact, adjectives)


def _labelled(nlp, label_of: dict[str, str]) -> PhraseMatcher:
    """A case-blind matcher for phrase -> label tables (role titles)."""
    matcher = PhraseMatcher(nlp.vocab, attr="LOWER")
    by_label: dict[str, list[str]] = {}
    for phrase, label in label_of.items():
        by_label.setdefault(label, []).append(phrase)
    for label, phrases in by_label.items():
        matcher.add(label, [nlp.make_doc(p) for p in sorted(phrases)])
    return matcher

"""Find the people and bodies a parsed text names, with character spans.

Bodies come first (lexicon names, then `<Place> <head>` names such as
"<Place> Borough Council" or "<Place> CLP", then NER organisations that look
like names), and a person is never read inside a body's name.
"""
from __future__ import annotations

import re

from spacy.tokens import Doc, Span, Token
from spacy.util import filter_spans

from .events import trigger_tokens
from .facts import Mention
from .lexicon import Lexicon
from .matchers import Matchers
from .persons import PersonFilter
from .rules import rule_matches

CONNECTORS = {"and", "&", "upon", "under", "le", "-"}
HYPHENED = {"on", "upon", "under", "le", "in", "by"}  # "Southend-on-Sea", "Hampton-in-Arden"
POSSESSIVE = {"'s", "’s", "'", "’"}
PARTICLES = {"de", "van", "von", "der", "den", "da", "di", "du", "al", "bin", "le", "la", "mc", "o'"}
GREETINGS = {"hi", "dear", "hello", "hey", "thanks", "cheers"}
ACRONYM = re.compile(r"^[A-Z][A-Za-z]{0,1}[A-Z]{1,5}$")


def _name_token(tok: Token, lexicon: Lexicon) -> bool:
    """A capitalised word that can be part of a place or body name."""
    if not tok.is_alpha and tok.text not in {"St.", "St"}:
        return False
    if tok.text in lexicon.name_words and tok.text[0].isupper():
        return True
    if not (tok.is_title or tok.is_upper) or tok.text in {"I", "A"}:
        return False
    if tok.is_sent_start and tok.is_stop:
        return False
    return tok.lower_ not in {"the", "our", "my", "their", "his", "her", "its", "this", "that", "a", "an",
                              "at", "in", "of", "for", "by", "from", "to", "with", "as", "on"}


def _extend_left(doc: Doc, start: int, lexicon: Lexicon) -> int:
    """Walk left over name words ("Bermondsey and Old Southwark") from a head."""
    i = start
    while i > 0:
        tok = doc[i - 1]
        if tok.text == "\n" or "\n" in tok.text:
            break
        if _name_token(tok, lexicon):
            i -= 1
            continue
        if tok.lower_ in CONNECTORS and i - 2 >= 0 and i < start and (
                _name_token(doc[i - 2], lexicon) or tok.text == "-" and doc[i - 2].lower_ in HYPHENED):
            i -= 1
            continue
        if tok.lower_ in HYPHENED and i - 2 >= 0 and doc[i - 2].text == "-" and doc[i].text == "-":
            i -= 1
            continue
        break
    return i


MODIFIER_DEPS = frozenset({"compound", "amod", "nmod", "npadvmod"})


def _strip(span: Span) -> Span:
    """Drop a leading determiner and a trailing possessive or punctuation."""
    start, end = span.start, span.end
    while start < end and span.doc[start].lower_ in {"the", "a", "an"}:
        start += 1
    while end > start and (span.doc[end - 1].text in POSSESSIVE or span.doc[end - 1].is_punct):
        end -= 1
    return span.doc[start:end]


def body_spans(doc: Doc, lexicon: Lexicon, m: Matchers) -> list[tuple[Span, str | None, str | None, bool]]:
    """(span, canonical name, kind, generic) for every body the text names."""
    found: list[tuple[Span, str | None, str | None, bool]] = []
    for match_id, start, end in list(m.known_exact(doc)) + list(m.known_lower(doc)):
        name = doc.vocab.strings[match_id]
        known = lexicon.known_by_name[name]
        if doc[start:end].text in known.nouns and doc[start:end].root.dep_ in MODIFIER_DEPS:
            continue  # "the EU referendum", "EU-wide": a word about the body, not the body
        found.append((doc[start:end], name, known.kind, False))
    found.extend(_party_adjectives(doc, lexicon, m))
    ambiguous = _ambiguous_names(doc, lexicon)
    found.extend(f for f in ambiguous if f[1])
    generic_kind = {g: k for k, spec in lexicon.body_kinds.items() for g in spec.get("generic", [])}
    for match_id, start, end in m.heads(doc):
        kind = doc.vocab.strings[match_id]
        left = _extend_left(doc, start, lexicon)
        if left < start:
            span = doc[left:end]
            if span.text in generic_kind:  # "Constituency Labour Party" names a kind, not a body
                found.append((span, None, generic_kind[span.text], True))
            else:
                found.append((span, None, kind, False))
    titles = [(s, e) for _m, s, e in m.roles(doc)]
    for match_id, start, end in m.generic(doc):
        if not any(s <= start and end <= e and e - s > end - start for s, e in titles):
            found.append((doc[start:end], None, doc.vocab.strings[match_id], True))  # not "chief executive"
    ents = list(doc.ents)
    people_like = {(e.start, e.end) for e in _listed_with_people(ents)}
    known_spans = [f[0] for f in found if f[1]]
    title_ends = {e for _s, e in titles}
    for ent in ents:
        if ent.start in title_ends and len(ent) == 2:
            continue  # "spokesman Ann Other": NER's organisation right after a title is its holder
        if ent.label_ in {"ORG", "FAC"} and (ent.start, ent.end) not in people_like and _org_like(ent, lexicon) \
                and not any(k.start == _strip(ent).start and k.end < ent.end for k in known_spans):
            found.append((_strip(ent), None, None, False))
    found.extend(_single_word_orgs(doc, ents, lexicon, titles, found))
    found.extend(_rule_bodies(doc, found))
    found.extend(_short_references(doc, found))
    org_acronyms: dict[str, int] = {}
    for ent in ents:
        if ent.label_ == "ORG" and len(ent) == 1 and ACRONYM.match(ent.text):
            org_acronyms[ent.text] = org_acronyms.get(ent.text, 0) + 1
    for tok in doc:
        if ACRONYM.match(tok.text) and tok.text not in lexicon.not_bodies \
                and tok.text.lower() not in lexicon.role_titles and tok.text not in {"I", "OK", "UK", "US", "EU"}:
            # NER's one-word organisation ("BBC", "NDP") stands as a body even when never spelled
            # out: said twice, or as "the BBC" (not "VAT", "GMT" NER took for one once)
            alone = tok.ent_type_ == "ORG" and tok.ent_iob_ == "B" and (
                tok.i + 1 >= len(doc) or doc[tok.i + 1].ent_iob_ != "I") and (
                org_acronyms.get(tok.text, 0) >= 2 or tok.i > 0 and doc[tok.i - 1].lower_ == "the")
            found.append((doc[tok.i:tok.i + 1], None, "acronym-org" if alone else "acronym", False))
    # a bare ambiguous name the text gives no country for is no body, whatever NER says
    unplaced = [f[0] for f in ambiguous if not f[1]]
    found = [f for f in found if f[1] or not any(u.start <= f[0].start < u.end for u in unplaced)]
    # an unnamed organisation inside a title is the title's ("Political Education Officer")
    found = [f for f in found if f[1] or not any(s <= f[0].start and f[0].end <= e and e - s > len(f[0])
                                                  for s, e in titles)]
    spans = filter_spans([f[0] for f in found if len(f[0])])
    keep = {(s.start, s.end) for s in spans}
    out, seen = [], set()
    # prefer lexicon names, then local names, then generic, then NER, for equal spans
    for span, name, kind, generic in found:
        key = (span.start, span.end)
        if key in keep and key not in seen and span.text not in lexicon.not_bodies:
            seen.add(key)
            out.append((span, name, kind, generic))
    return sorted(out, key=lambda f: f[0].start)


def _rule_bodies(doc: Doc, found: list) -> list[tuple[Span, str | None, str | None, bool]]:
    """Bodies the rules of patterns/bodies.yaml find: lower-case committees, a party's group."""
    out = []
    parties = {f[0].end: f[0] for f in found if f[2] == "party" and not f[3]}
    for m in rule_matches(doc, "bodies"):
        y = m.rule.yields
        if y.get("after") == "party":  # "the SNP group": the party's name, then "group"
            party = parties.get(m.end - 1)
            if party is not None:
                out.append((doc[party.start:m.end], None, y.get("kind"), False))
            continue
        span = doc[m.start + 1:m.end]
        words = [t.lower_ for t in span[:-1]]
        if len(words) >= y.get("min_words", 1) and not set(words) & set(y.get("not_words", [])) \
                and not span[-2].is_punct:
            out.append((span, None, y.get("kind"), False))
    return out


def _ambiguous_names(doc: Doc, lexicon: Lexicon) -> list[tuple[Span, str | None, str, bool]]:
    """"National Party": New Zealand's or Australia's when the text names the country, else None."""
    out = []
    for name, bodies in lexicon.ambiguous.items():
        at = [m.start() for m in re.finditer(rf"\b{re.escape(name)}\b", doc.text)]
        if not at:
            continue
        chosen = [body for body, words in bodies.items()
                  if any(re.search(rf"\b{re.escape(w)}\b", doc.text) for w in words)]
        for start in at:
            span = doc.char_span(start, start + len(name), alignment_mode="expand")
            if span is not None:
                out.append((span, chosen[0] if len(chosen) == 1 else None, "party", False))
    return out


def _short_references(doc: Doc, found: list) -> list[tuple[Span, None, str, bool]]:
    """"the Association" after "Wexley Conservative Association", "the committee" after "the
    planning committee": a short name of that body.

    Marked generic, of kind "short": resolution gives it the account's one body
    whose name ends with that word.
    """
    last_words = {f[0][-1].text for f in found if len(f[0]) > 1 and not f[3]}
    taken = {i for f in found for i in range(f[0].start, f[0].end)}
    out = []
    for i in range(1, len(doc)):
        tok = doc[i]
        if tok.text in last_words and (tok.is_title or tok.is_lower) and i not in taken \
                and doc[i - 1].lower_ == "the" and (i + 1 >= len(doc) or not doc[i + 1].is_title):
            out.append((doc[i:i + 1], None, "short", True))
    return out


def _single_word_orgs(doc: Doc, ents: list[Span], lexicon: Lexicon, titles: list[tuple[int, int]],
                      found: list) -> list[tuple[Span, None, None, bool]]:
    """A one-word organisation ("Ofsted", "Treasury"): NER must say so twice, or it stands before a title
    that takes no portfolio ("Ofsted chief", but "Home Secretary" names no body "Home").

    Never a word of a person's name ("Corbyn") or the last word of a longer
    body's name ("Committee" of "County Committee"): that is a short reference.
    """
    names = {w for e in ents if e.label_ == "PERSON" for w in e.text.split()}
    names |= {f[0][-1].text for f in found if len(f[0]) > 1}
    doc_orgs = [e for e in ents if e.label_ == "ORG" and len(e) == 1 and e.text not in names]
    counts: dict[str, int] = {}
    for e in doc_orgs:
        counts[e.text] = counts.get(e.text, 0) + 1
    title_starts = {s for s, e in titles if doc[s:e].text.lower() not in lexicon.portfolio_titles}
    out = []
    for e in doc_orgs:
        tok = e[0]
        if not (tok.is_alpha and tok.is_title) or ACRONYM.match(tok.text) or tok.text in lexicon.not_bodies \
                or tok.lower_ in lexicon.role_titles or tok.lower_ in lexicon.not_people:
            continue
        if counts[e.text] >= 2 or e.end in title_starts:
            out.append((e, None, None, False))
    return out


def _party_adjectives(doc: Doc, lexicon: Lexicon, m: Matchers) -> list[tuple[Span, str, str, bool]]:
    """"Green candidate", "Democratic nominee": a party's adjective names it before a title or member word."""
    if m.party_adjectives is None:
        return []
    matches = list(m.party_adjectives(doc))
    if not matches:
        return []
    starts = {s for _m, s, _e in m.roles(doc)}
    if m.roles_exact is not None:
        starts |= {s for _m, s, _e in m.roles_exact(doc)}
    out = []
    for match_id, start, end in matches:
        if doc[start].ent_type_ == "PERSON" or start > 0 and doc[start - 1].pos_ == "PROPN" \
                and doc[start - 1].is_title:
            continue  # "Tom Green MP": a surname
        j = end
        while j < len(doc) and j < end + 3 and j not in starts and doc[j].is_lower \
                and (doc[j].pos_ in {"NOUN", "ADJ"} or doc[j].lower_ in lexicon.title_prefixes):
            j += 1  # "Green local government spokesman"
        if j < len(doc) and (j in starts or doc[j].lower_ in lexicon.member_words):
            out.append((doc[start:end], doc.vocab.strings[match_id], "party", False))
    return out


def _org_like(ent: Span, lexicon: Lexicon) -> bool:
    span = _strip(ent)
    if len(span) < 2 or "\n" in span.text or span.text in lexicon.not_bodies:
        return False
    if span[0].text.rstrip(".") in lexicon.person_titles:
        return False  # "Cllr Joan Smith": NER's organisation is a person
    words = [t for t in span if t.lower_ not in CONNECTORS]
    if any(t.i in trigger_tokens(span.doc) for t in words):
        return False  # "LCF AGM": a meeting of a body; "Subject Access Request": an act
    if words[-1].text in lexicon.not_heads:
        return False  # "European Elections", "Anti-Terrorism Bill": an event, a law
    if words[-1].lower_ in lexicon.role_titles or words[-1].lower_.rstrip("s") in lexicon.role_titles:
        return False  # "Labour Councillors": people, not a body
    if words[-1].lower_.endswith("s") and words[-1].lower_[:-1] in _head_words(lexicon):
        return False  # "Labour Councils": a kind of body, not a name
    return all((t.is_title or t.is_upper) and t.is_alpha for t in words)


def _known_names(lexicon: Lexicon) -> set[str]:
    """Lower-cased names and aliases of the lexicon's bodies."""
    return {n.lower() for body in lexicon.known_bodies for n in (body.name, *body.aliases)}


def _head_words(lexicon: Lexicon) -> set[str]:
    return {h.split()[-1].lower() for spec in lexicon.body_kinds.values() for h in spec.get("heads", [])}


def person_spans(doc: Doc, lexicon: Lexicon, taken: set[int], people_filter: PersonFilter | None = None,
                 named: list[Span] = ()) -> list[tuple[Span, str | None]]:
    """(span of the name, written alias with honorific) for each person named; `named`: other
    spans the person rules show to be people (organisations NER got wrong)."""
    out: list[tuple[Span, str | None]] = []
    ents = list(doc.ents)
    candidates = [e for e in ents if e.label_ == "PERSON"] + _listed_with_people(ents) + list(named)
    candidates += [e for e in ents if e.label_ in {"ORG", "NORP", "GPE"} and len(e) > 1
                   and e[0].text.rstrip(".") in lexicon.person_titles]
    # "Mr Campbell quit": an honorific (not a post-nominal like "MP") before a one-word organisation
    candidates += [doc[e.start - 1:e.end] for e in ents if e.label_ in {"ORG", "NORP", "GPE"} and len(e) == 1
                   and e.start > 0 and doc[e.start - 1].text.rstrip(".") in lexicon.person_titles
                   and doc[e.start - 1].is_title and not doc[e.start - 1].ent_type_]
    for tok in doc:  # "Hi Jeanette", "Dear John"
        if tok.lower_ in GREETINGS and tok.i + 1 < len(doc):
            nxt = doc[tok.i + 1]
            if nxt.is_title and nxt.is_alpha and nxt.pos_ == "PROPN":
                candidates.append(doc[nxt.i:nxt.i + 1])
    candidates.extend(_signature_lines(doc))
    seen: set[tuple[int, int]] = set()
    people_filter = people_filter or PersonFilter(doc, lexicon.person_titles)
    for cand in filter_spans(candidates):
        span, alias = _clean_person(cand, lexicon)
        if span is None or any(t.i in taken for t in span) or people_filter.verdict(span):
            continue
        if len(span) == 1 and span.start > 0 and (span.start - 1 in taken or _common_before(doc, span.start)):
            continue
        if (span.start, span.end) not in seen:
            seen.add((span.start, span.end))
            out.append((span, alias))
    return out


def _common_before(doc: Doc, i: int) -> bool:
    """"their membership Card": a lone capitalised word after a determiner or noun is no name."""
    j = i - 1
    while j >= 0 and doc[j].is_space:
        j -= 1
    return j >= 0 and (doc[j].pos_ in {"DET", "NOUN"} or doc[j].tag_ == "PRP$")


def _listed_with_people(ents: list[Span]) -> list[Span]:
    """An "organisation" listed beside a person ("including A B and C D") is a person."""
    people = [e for e in ents if e.label_ == "PERSON"]
    return [e for e in ents if e.label_ in {"ORG", "GPE", "NORP"} and len(e) == 2
            and all(t.is_title for t in e)
            and any(0 <= p.start - e.end <= 2 or 0 <= e.start - p.end <= 2 for p in people)]


def _signature_lines(doc: Doc) -> list[Span]:
    """A line holding only a first name, as at the foot of a letter or email.

    A word the text also uses in lower case ("Background") is a heading, not a name.
    """
    spans = []
    lower_words = {t.lower_ for t in doc if t.is_lower}
    for tok in doc:
        if tok.is_title and tok.is_alpha and tok.pos_ == "PROPN" and len(tok) > 2 and tok.lower_ not in lower_words:
            before = doc[tok.i - 1] if tok.i > 0 else None
            after = doc[tok.i + 1] if tok.i + 1 < len(doc) else None
            line_start = before is None or "\n" in before.text or before.is_space and "\n" in before.text_with_ws
            line_end = after is None or after.is_space and "\n" in after.text
            if line_start and line_end and before is not None and "\n\n" in (before.text_with_ws + tok.whitespace_):
                spans.append(doc[tok.i:tok.i + 1])
            elif line_start and line_end and before is not None and before.is_space and before.text.count("\n") >= 1 \
                    and (tok.i < 2 or doc[tok.i - 2].is_space or doc[tok.i - 2].is_punct):
                spans.append(doc[tok.i:tok.i + 1])
    return spans


def _clean_person(span: Span, lexicon: Lexicon) -> tuple[Span | None, str | None]:
    doc = span.doc
    start, end = span.start, span.end
    while end > start and (doc[end - 1].text in POSSESSIVE or doc[end - 1].is_punct or doc[end - 1].is_space):
        end -= 1
    while end - start > 1 and doc[end - 1].is_upper and doc[end - 1].text in lexicon.person_titles:
        end -= 1  # "Simon Thomas AM", "Ann Other MP": the seat's letters after the name
    alias = None
    while start < end and (doc[start].text.rstrip(".") in lexicon.person_titles or doc[start].is_punct
                           or doc[start].lower_ in GREETINGS):
        if doc[start].text.rstrip(".") in lexicon.person_titles and end - start > 1:
            alias = doc[start:end].text
        start += 1
    if start >= end:
        return None, None
    if alias is None and start > 0 and doc[start - 1].text.rstrip(".") in lexicon.person_titles:
        alias = doc[start - 1:end].text  # "Mr" outside the entity NER found
    start = _after_job(doc, start, end, lexicon)
    while start < end and doc[start].is_punct:
        start += 1  # "MPs - Keith Vaz"
    if start >= end:
        return None, None  # "Tory Leader", "Finance Minister": a post, no name
    span = doc[start:end]
    text = span.text
    if "\n" in text or any(ch.isdigit() for ch in text) or len(text) < 2:
        return None, None
    if text.lower() in lexicon.not_people or text.lower() in lexicon.role_titles:
        return None, None
    words = [t for t in span if not t.is_punct]
    if not words or any(not (t.is_title or t.text[:1].isupper()) and t.lower_ not in PARTICLES for t in words):
        return None, None
    if any(t.lower_ in lexicon.not_people for t in words) and len(words) == 1:
        return None, None
    if all(t.is_upper and len(t) > 1 for t in words):
        return None, None
    if any(t.pos_ in {"VERB", "AUX", "ADP", "PRON"} and not _first_name_word(t, span) for t in words):
        return None, None  # "Stepping Down": a headline, not a name
    return span, alias


def _first_name_word(tok: Token, span: Span) -> bool:
    """"Will" of "Will Other": a modal the tagger reads in a first name, mid-sentence, before a surname."""
    return tok.tag_ == "MD" and tok.i == span.start and not tok.is_sent_start and len(span) > 1 \
        and span[-1].pos_ == "PROPN"


def _after_job(doc: Doc, start: int, end: int, lexicon: Lexicon) -> int:
    """Where the name starts after a job description NER took in ("Finance Minister Ann Other")."""
    for i in range(end - 1, start - 1, -1):
        if doc[i].lower_ in lexicon.role_titles and " " not in doc[i].lower_ and doc[i].lower_ not in PARTICLES:
            return i + 1
    return start


def find_mentions(doc: Doc, lexicon: Lexicon, m: Matchers, base: int, sent_of) -> list[Mention]:
    """Every body and person mention, bodies winning overlaps."""
    mentions: list[Mention] = []
    taken: set[int] = set()
    people_filter = PersonFilter(doc, lexicon.person_titles)
    named = people_filter.promoted(_head_words(lexicon), _known_names(lexicon))
    claimed = {(s.start, s.end) for s in named}
    for span, name, kind, generic in body_spans(doc, lexicon, m):
        if (span.start, span.end) in claimed:
            continue  # "spokesman Ann Other": NER's organisation is a person
        taken.update(range(span.start, span.end))
        mentions.append(Mention("body", span.text, base + span.start_char, base + span.end_char,
                                sent_of(span.start), name=name, body_kind=kind, generic=generic,
                                confidence=0.95 if name else 0.85 if not generic else 0.7))
    for span, alias in person_spans(doc, lexicon, taken, people_filter, named):
        mentions.append(Mention("person", span.text, base + span.start_char, base + span.end_char,
                                sent_of(span.start), alias=alias,
                                confidence=0.9 if len(span) > 1 else 0.75,
                                teller=people_filter.teller(span) is not None))
    mentions.sort(key=lambda x: (x.start, x.end))
    _link_possessives(mentions, doc.text, base)
    _link_groups(mentions)
    return mentions


def _link_possessives(mentions: list[Mention], text: str, base: int) -> None:
    """"<Body>'s Local Campaign Forum" names a body that is part of <Body>."""
    bodies = [(i, x) for i, x in enumerate(mentions) if x.kind == "body"]
    for (i, outer), (_j, inner) in zip(bodies, bodies[1:]):
        between = text[outer.end - base:inner.start - base]
        if between in {"’s ", "'s "} and inner.body_kind not in {None, "acronym", "acronym-org"}:
            inner.parent = i
            if inner.generic:
                inner.text = f"{outer.text}{between}{inner.text}"
                inner.start, inner.generic = outer.start, False


def _link_groups(mentions: list[Mention]) -> None:
    """"the SNP group" is part of the SNP (its members are the party's)."""
    for i, m in enumerate(mentions):
        if m.kind == "body" and m.body_kind == "group" and m.parent is None and not m.generic:
            party = next((j for j, x in enumerate(mentions) if x.kind == "body" and x.body_kind == "party"
                          and x.name and x.start == m.start), None)
            if party is not None and party != i:
                m.parent = party

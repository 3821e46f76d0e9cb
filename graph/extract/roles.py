"""Who holds which position, in which body, read from the parse.

Titles are found whole by `titles.py`; their holders first by the structural
rules of `graph/lexicon/patterns/roles.yaml` (apposition, pre-modifiers,
"who is chair of", "was elected Chair", officer lists, "X chairs the Y",
"stood for", "joined", "'s", "of", "(myself)", "other members"), interpreted here;
then by the positional code that is still Python:
  as-phrase       "I resigned as Leader of Testford Council", "my tenure as secretary"
  next to a name  "MEP Ann Other", "Ann Other, treasurer", "the chief whip, Ann Other,"
  listed roles    "a former treasurer, a delegate to CLP and a fundraiser": one holder
  described       "the Chair of the Labour Group", "a local Momentum organiser": an unnamed holder
Each is tested on sentences of our own in tests/test_roles.py and tests/test_extract.py.
"""
from __future__ import annotations

from spacy.tokens import Doc, Span, Token

from .facts import Mention, RoleCandidate, Ref
from .lexicon import Lexicon
from .matchers import Matchers
from .quotes import quoted
from .rules import RuleMatch, rule_matches
from .titles import FORMER, Title, anchors, whole_title

FIRST_PERSON = {"i", "me", "my", "myself", "mine"}
THIRD_PERSON = {"he", "she", "him", "her", "his", "hers", "himself", "herself"}
BODY_PREPS = {"of", "for", "on", "at", "to", "in", "as", "with"}
SKIP = {",", "the", "a", "an", "-", "–", "—", "(", "local", "then"}


class TokenIndex:
    """Which mention, if any, each token belongs to."""

    def __init__(self, doc: Doc, mentions: list[Mention], base: int):
        self.by_token: dict[int, int] = {}
        order = sorted(range(len(mentions)), key=lambda i: (mentions[i].start, -mentions[i].end))
        for i in order:
            m = mentions[i]
            span = doc.char_span(m.start - base, m.end - base, alignment_mode="expand")
            if span is None:
                continue
            for tok in span:
                self.by_token.setdefault(tok.i, i)
        self.mentions = mentions
        self.base = base

    def at(self, i: int, kind: str) -> int | None:
        idx = self.by_token.get(i)
        return idx if idx is not None and self.mentions[idx].kind == kind else None

    def start_of(self, idx: int, doc: Doc) -> int:
        return min(t for t, m in self.by_token.items() if m == idx)

    def end_of(self, idx: int) -> int:
        return max(t for t, m in self.by_token.items() if m == idx) + 1


def _subject_ref(verb: Token, index: TokenIndex) -> Ref | None:
    """The subject of a verb, climbing through conjunctions and clauses ("being a treasurer")."""
    subject = _subject(verb)
    return _token_ref(subject, index) if subject is not None else None


def _subject(verb: Token) -> Token | None:
    for _ in range(4):
        for child in verb.children:
            if child.dep_ in {"nsubj", "nsubjpass"}:
                return child
        if verb.dep_ in {"conj", "xcomp", "advcl", "ccomp", "acl", "attr", "relcl", "acomp"} and verb.head is not verb:
            verb = verb.head
        else:
            break
    return None


def _token_ref(tok: Token, index: TokenIndex) -> Ref | None:
    if tok.lower_ in {"who", "that"} and tok.head.dep_ == "relcl":
        tok = tok.head.head  # "Ann Other, who had been secretary": the person the clause is about
    if tok.lower_ in FIRST_PERSON and quoted(tok):
        return None  # a quoted speaker's "I", not the teller's
    if tok.lower_ in FIRST_PERSON:
        return Ref(narrator=True)
    if tok.lower_ in THIRD_PERSON:
        return Ref(pronoun_at=index.base + tok.idx)
    m = index.at(tok.i, "person")
    return Ref(mention=m) if m is not None else None


def _body_after(doc: Doc, end: int, index: TokenIndex) -> int | None:
    i = end
    if i < len(doc) and doc[i].lower_ in BODY_PREPS:
        i += 1
        while i < len(doc) and doc[i].lower_ in {"the", "a", "our", "my", "this"}:
            i += 1
        if i < len(doc):
            body = index.at(i, "body")
            if body is not None:  # "member of UKIP's NEC": the body possessed, not its owner
                j = index.end_of(body)
                if j + 1 < len(doc) and doc[j].text in {"'s", "’s"} and index.at(j + 1, "body") is not None:
                    return index.at(j + 1, "body")
            return body
    return None


def _body_before(doc: Doc, start: int, index: TokenIndex) -> int | None:
    i = start - 1
    if i >= 0 and doc[i].text in {"'s", "’s"}:
        i -= 1
    return index.at(i, "body") if i >= 0 else None


def _person_before(doc: Doc, start: int, index: TokenIndex) -> int | None:
    i = start - 1
    while i >= 0 and (doc[i].lower_ in SKIP or index.at(i, "body") is not None):
        i -= 1
    if i >= 0 and i < start - 1 or (i == start - 1 and i >= 0):
        return index.at(i, "person") if i >= 0 and doc[i].sent == doc[start].sent else None
    return None


def _as_holder(doc: Doc, start: int, index: TokenIndex) -> Ref | None:
    """"(I resigned) as [the] Leader": the subject of what "as" hangs from."""
    i = start - 1
    while i >= 0 and (doc[i].lower_ in {"the", "a", "an"} or doc[i].pos_ == "ADJ" or doc[i].dep_ == "compound"
                      or index.at(i, "body") is not None):
        i -= 1
    if i < 0 or doc[i].lower_ != "as":
        return None
    head = doc[i].head
    for child in head.children:
        if child.dep_ == "poss" and child.lower_ in FIRST_PERSON:
            return Ref(narrator=True)
    if head.pos_ in {"VERB", "AUX"}:
        ref = _subject_ref(head, index)
        if ref:
            return ref
    if any(t.lower_ in FIRST_PERSON and not quoted(t) for t in doc[start].sent):
        return Ref(narrator=True)  # a first-person sentence: "(and as an activist I have ...)"
    return None


def _including(doc: Doc, end: int, index: TokenIndex, body: int | None, introducers: set[int]) -> list[int]:
    """"members, including A and B", "9 members to the committee: A, B and C" (roles.list-introducer)."""
    sent_end = doc[end - 1].sent.end
    if body is not None and index.end_of(body) > end:
        end = index.end_of(body)
    for i in range(end, min(end + 3, sent_end)):
        if i in introducers:
            people = []
            for j in range(i + 1, sent_end):
                m = index.at(j, "person")
                if m is not None and m not in people:
                    people.append(m)
                elif m is None and doc[j].lower_ not in {",", "and", "&"} and people:
                    if doc[j].pos_ in {"VERB", "AUX"}:
                        break
            return people
    return []


def find_roles(doc: Doc, lexicon: Lexicon, matchers: Matchers, index: TokenIndex,
               sent_of) -> list[RoleCandidate]:
    def taken(i: int) -> bool:
        """Token i is in a name; a "person" that starts with a title's prefix ("Shadow Home") is none."""
        m = index.by_token.get(i)
        if m is None:
            return False
        mention = index.mentions[m]
        return mention.kind != "person" or mention.text.split()[0].lower() not in lexicon.title_prefixes

    titles: list[tuple[Title, int | None]] = []  # each whole title with the body it is held in
    for anchor_start, anchor_end, title_key in anchors(doc, matchers):
        first = anchor_start
        while first < anchor_end and index.at(first, "body") is not None:
            first += 1  # "CLP secretary" after "Crayford and Sidley": the body is said before
        if first == anchor_end or any(taken(i) for i in range(first, anchor_end)):
            continue  # a title inside a name ("Labour Leader" as part of a body)
        title = whole_title(doc, first, anchor_end, title_key, lexicon, taken)
        titles.append((title, _title_body(doc, title, index)))
    matches = rule_matches(doc, "roles")
    by_rule, electors, elected = _rule_holders(doc, matches, [t for t, _ in titles], index, lexicon)
    titles = [(t, electors.get(n) if body is None else body) for n, (t, body) in enumerate(titles)]
    layouts: dict[str, set[int]] = {}
    for m in matches:
        if m.rule.yields.get("layout"):
            layouts.setdefault(m.rule.yields["layout"], set()).add(m.start)
    introducers = layouts.get("list", set())
    out: list[RoleCandidate] = []
    last: tuple[int, Ref] | None = None  # end token of the last role with a holder, and the holder
    for n, (t, body) in enumerate(titles):
        span, title_key, title, start = doc[t.start:t.end], t.key, t.text, t.lead
        sent = sent_of(span.start)
        lead = start
        if body is not None and lead > 0 and index.at(lead - 1, "body") == body:
            lead = index.start_of(body, doc)
        other = lead - 1 in layouts.get("also-teller", set())
        former = t.former or _former_before(doc, lead, lexicon)  # "former Labour minister"
        holders = by_rule.get(n) or ([(Ref(narrator=True), 0.9)] if span.end in layouts.get("self", set()) else
                                     _holders(doc, span, start, index, body, introducers, lexicon))
        if not holders and last and _listed_after(doc, last[0], lead, index):
            holders = [(last[1], 0.7)]
        if holders and body is None and n in elected and lexicon.default_body_kind.get(title_key, "party") != "party":
            body = _sentence_body(doc, span, index)  # "X was elected Secretary" beside "Chair of the Committee"
        if holders:
            last = (span.end, holders[0][0])
            for ref, conf in holders:
                out.append(RoleCandidate(ref, title, body, sent, conf if body is not None else conf - 0.1,
                                         default_body=body is None, former=former))
                for extra in _listed_bodies(doc, body, index) if body is not None else []:
                    out.append(RoleCandidate(ref, title, extra, sent, conf - 0.1, former=former))
            if other:
                out.append(RoleCandidate(Ref(narrator=True), title, body, sent, 0.7))
            continue
        if other and body is not None:
            out.append(RoleCandidate(Ref(narrator=True), title, body, sent, 0.7))
            continue
        described = None if t.plural else _described(doc, span, start, body, title_key, lexicon, index)
        if described:
            told = _told_of_before(doc, span, index) if body is not None and \
                index.mentions[body].body_kind == "party" and not former else None
            surname = index.mentions[told].text.split()[-1] if told is not None else None
            if told is not None and any(
                    c.holder.mention is not None and index.mentions[c.holder.mention].text.split()[-1] == surname
                    and c.body is not None and index.mentions[c.body].body_kind == "party"
                    and index.mentions[c.body].name != index.mentions[body].name for c in out):
                told = None  # already told of as another party's: "the Labour leader" is someone else
            ref = Ref(mention=told) if told is not None else Ref(described=described, described_body=body)
            out.append(RoleCandidate(ref, title, body, sent, 0.6 if told is not None else 0.65,
                                     default_body=body is None, former=former))
    out.extend(_verb_of_office(doc, matches, index, sent_of))
    out.extend(_member_layouts(doc, matches, index, sent_of))
    return out


def _told_of_before(doc: Doc, span: Span, index: TokenIndex) -> int | None:
    """News style: "Ann Other attacked the plan. The Tory leader said ...": the person the
    sentence before (or this one, earlier) is about, when it is its subject and the only
    person it names ("A attacked B. The Labour leader replied" is left alone)."""
    sent = doc[span.start].sent
    scope = doc[sent.start:span.start]
    if not any(t.dep_ in {"nsubj", "nsubjpass"} for t in scope) and sent.start > 0:
        scope = doc[sent.start - 1].sent
    subjects = {index.at(t.i, "person") for t in scope if t.dep_ in {"nsubj", "nsubjpass"}} - {None}
    named = {index.at(t.i, "person") for t in scope} - {None}
    return subjects.pop() if len(subjects) == 1 and len(named) == 1 else None


def _former_before(doc: Doc, lead: int, lexicon: Lexicon) -> bool:
    """"former", "ex-" among the describing words just before a title (and its body)."""
    i = lead - 1
    while i >= 0 and (doc[i].lower_ in lexicon.role_modifiers or doc[i].text == "-"):
        if doc[i].lower_ in FORMER:
            return True
        i -= 1
    return False


def _title_body(doc: Doc, title: Title, index: TokenIndex) -> int | None:
    """Where a title is held: "Leader of X", "X's leader", "X leader".

    A party named before the title wins over a body after "for"/"in": in "the
    Green candidate for the County Council" the council is what is contested.
    """
    after = _body_after(doc, title.end, index)
    before = _body_before(doc, title.lead, index)
    if before is not None and after is not None and doc[title.end].lower_ in {"for", "in", "at", "on"} \
            and index.mentions[before].body_kind == "party":
        return before
    return after if after is not None else before


def _sentence_body(doc: Doc, span: Span, index: TokenIndex) -> int | None:
    """The one body, not a party, that the title's sentence names."""
    sent = doc[span.start].sent
    found = {index.by_token[i] for i in range(sent.start, sent.end) if index.at(i, "body") is not None}
    found = {b for b in found if index.mentions[b].body_kind != "party" and not index.mentions[b].generic}
    named = {index.mentions[b].text.lower() for b in found}
    return min(found) if len(named) == 1 else None


def _title_at(titles: list[Title], i: int) -> int | None:
    return next((n for n, t in enumerate(titles) if t.start <= i < t.end), None)


def _rule_holders(doc: Doc, matches: list[RuleMatch], titles: list[Title],
                  index: TokenIndex, lexicon: Lexicon) -> tuple[dict[int, list[tuple[Ref, float]]],
                                                                dict[int, int], set[int]]:
    """Holders the structural rules of patterns/roles.yaml find, by title; the bodies
    that elect them ("the party elected her as their leader"), by title; and the titles
    given by a verb ("was elected Secretary"), whose sentence may name their body."""
    out: dict[int, list[tuple[Ref, float]]] = {}
    electors: dict[int, int] = {}
    elected: set[int] = set()

    def add(n: int | None, ref: Ref | None, conf: float) -> None:
        if n is not None and ref is not None and all(r != ref for r, _ in out.get(n, [])):
            out.setdefault(n, []).append((ref, conf))

    for m in matches:
        if m.rule.matcher == "dependency" and "title" in m.tokens and m.rule.yields.get("holder") == "subject":
            n = _title_at(titles, m.tokens["title"])
            if n is not None and doc[m.tokens["title"]].i == doc[titles[n].start:titles[n].end].root.i:
                add(n, _subject_ref(doc[m.tokens["verb"]], index), m.rule.confidence)  # roles.copula
        elif m.rule.matcher == "dependency" and "title" in m.tokens and "holder" in m.tokens:
            n = _title_at(titles, m.tokens["title"])
            holder = m.tokens["holder"]
            if n is not None and not titles[n].start <= holder < titles[n].end:
                add(n, _token_ref(doc[holder], index), m.rule.confidence)
                if m.rule.yields.get("elected"):
                    elected.add(n)
                    subject = next((c for c in doc[m.tokens["verb"]].children if c.dep_ == "nsubj"), None)
                    body = _body_token(subject, index) if subject is not None else None
                    if body is not None:
                        electors[n] = body
                if titles[n].plural:  # "A and B as the chairmen": each of them
                    for other in _conjuncts(doc[holder]):
                        add(n, _token_ref(other, index), m.rule.confidence - 0.05)
                    for p in _named_before(doc, holder, index):
                        add(n, Ref(mention=p), m.rule.confidence - 0.05)
        layout = m.rule.yields.get("layout")
        if layout == "title-first":  # "Treasurer: Ann Other"
            n = next((k for k, t in enumerate(titles) if t.end == m.start), None)
            p = _person_at(doc, m.start + 1, index, lexicon.person_titles)
            if n is not None and p is not None:
                add(n, Ref(mention=p), m.rule.confidence)
        elif layout == "holder-first":  # "Ann Other – Treasurer" ending its line
            sep = m.start + 1
            p = index.at(sep - 1, "person")
            j = sep + 1 + (sep + 1 < len(doc) and doc[sep + 1].lower_ == "the")
            n = next((k for k, t in enumerate(titles) if t.start == j), None)
            if p is not None and n is not None and _ends_line(doc, titles[n].end):
                add(n, Ref(mention=p), m.rule.confidence)
    return out, electors, elected


def _conjuncts(tok: Token) -> list[Token]:
    """The words joined to a name by "and": "A, B and C" from any of them."""
    top = tok
    while top.dep_ == "conj" and top.head is not top and top.head.pos_ == tok.pos_:
        top = top.head
    out, todo = [], [top]
    while todo:
        t = todo.pop()
        if t is not tok:
            out.append(t)
        todo.extend(c for c in t.children if c.dep_ == "conj")
    return sorted(out, key=lambda t: t.i)


def _named_before(doc: Doc, i: int, index: TokenIndex) -> list[int]:
    """The people listed just before the one at token i: "A, B and (now) C"."""
    out, p = [], index.at(i, "person")
    while p is not None:
        j = index.start_of(p, doc) - 1
        while j >= 0 and doc[j].pos_ == "ADV":
            j -= 1  # "and now C", "and later C"
        if j < 1 or doc[j].lower_ not in {"and", ",", "&"}:
            break
        p = index.at(j - 1, "person")
        if p is not None:
            out.append(p)
    return out


def _person_at(doc: Doc, i: int, index: TokenIndex, honorifics: set[str]) -> int | None:
    """The person whose name starts at token i, honorifics ("Cllr", "Sir") skipped."""
    while i < len(doc) and doc[i].text.rstrip(".") in honorifics:
        i += 1
    return index.at(i, "person") if i < len(doc) else None


def _ends_line(doc: Doc, i: int) -> bool:
    return i >= len(doc) or "\n" in doc[i - 1].whitespace_ or doc[i].is_space or doc[i].text in {".", ";", ","} \
        or doc[i].is_sent_start


def _verb_of_office(doc: Doc, matches: list[RuleMatch], index: TokenIndex, sent_of) -> list[RoleCandidate]:
    """Rules whose title is a word's ("chairs the committee", "won the leadership of", "joined").

    `yields.titles` maps the lemma of the `office` node (else the `verb`'s) to
    the title; the body is the `body` node's, or with `body: object` the first
    body after the verb in its phrase; the holder is the `holder` node, else the
    verb's subject. With `party: true` the body must be a party; with `active: true` the verb
    must not be passive.
    """
    out = []
    for m in matches:
        titles = m.rule.yields.get("titles")
        if not titles or "verb" not in m.tokens:
            continue
        verb = doc[m.tokens["verb"]]
        if m.rule.yields.get("active") and any(c.dep_ == "auxpass" for c in verb.children):
            continue  # "he was joined by members of the party": they joined him, not the party
        title = titles.get(doc[m.tokens.get("office", verb.i)].lemma_.lower())
        if "body" in m.tokens:
            body = _body_token(doc[m.tokens["body"]], index)
        elif m.rule.yields.get("body") == "object":
            body = next((index.at(t.i, "body") for t in verb.subtree
                         if t.i > verb.i and index.at(t.i, "body") is not None), None)
        else:
            body = None
        if body is None or title is None:
            continue
        mention = index.mentions[body]
        if m.rule.yields.get("party") and mention.body_kind != "party":
            continue
        if mention.generic and not mention.body_kind:
            continue
        holder = doc[m.tokens["holder"]] if "holder" in m.tokens else _subject(verb)
        if holder is None or _token_ref(holder, index) is None:
            if verb.tag_ in {"VBG", "VB"} and _first_person(verb.sent):
                refs = [Ref(narrator=True)]  # "although it meant rejoining the party", said by "I"
            else:
                continue
        else:
            refs = [_token_ref(holder, index)] + [_token_ref(c, index) for c in _conjuncts(holder)]
        for ref in refs:
            if ref is not None:
                out.append(RoleCandidate(ref, title, body, sent_of(m.start), m.rule.confidence))
    return out


def _first_person(sent: Span) -> bool:
    return any(t.lower_ in FIRST_PERSON and not quoted(t) for t in sent)


def _body_token(tok: Token, index: TokenIndex) -> int | None:
    """The body a noun phrase names: its head word or one of its words inside a body's name."""
    for t in [tok, *tok.children]:
        body = index.at(t.i, "body")
        if body is not None:
            return body
    return None


def _holders(doc: Doc, span: Span, start: int, index: TokenIndex, body: int | None,
             introducers: set[int], lexicon: Lexicon) -> list[tuple[Ref, float]]:
    ref = _as_holder(doc, start, index)
    if ref:
        return [(ref, 0.85)]
    people = _including(doc, span.end, index, body, introducers)
    if people:
        return [(Ref(mention=p), 0.85) for p in people]
    p = _person_before(doc, start, index)
    if p is not None and span.text[-1:] != "s":
        between = doc[index.end_of(p):start]
        if len(between) <= 3 and all(t.lower_ in SKIP or t.is_punct for t in between):
            return [(Ref(mention=p), 0.9)]
    p = _person_at(doc, span.end, index, lexicon.person_titles)
    if p is not None and not span.text.endswith("s"):
        return [(Ref(mention=p), 0.85)]
    p = _appositive_after(doc, span, index, lexicon.person_titles)
    if p is not None:
        return [(Ref(mention=p), 0.85)]
    return []


def _appositive_after(doc: Doc, span: Span, index: TokenIndex, honorifics: set[str]) -> int | None:
    """"the chief whip, Sandra Toller," / "the leader of the council, Cllr Peter Haig"."""
    i = span.end
    body = _body_after(doc, i, index)
    if body is not None:
        i = index.end_of(body)
        while i < len(doc) and doc[i].is_lower and doc[i].lower_ in {"group", "branch", "party", "council"}:
            i += 1  # "of the Liberal Democrat group, Cllr Ann Other"
    if i + 1 < len(doc) and doc[i].text == ",":
        j = i + 1
        while j < len(doc) and doc[j].text.rstrip(".") in honorifics:
            j += 1
        p = index.at(j, "person")
        if p is not None and index.start_of(p, doc) == j:
            end = index.end_of(p)
            if end >= len(doc) or doc[end].text in {",", ".", ")", ";", "—", "–"}:
                return p
    return None


def _described(doc: Doc, span: Span, start: int, body: int | None, title_key: str,
               lexicon: Lexicon, index: TokenIndex) -> str | None:
    """An unnamed holder: "the Chair of the Labour Group", "a local Momentum organiser"."""
    if title_key.lower() not in lexicon.described_holders or span.text.endswith("s") and title_key != "MPs":
        return None
    i = start - 1
    if body is not None and i >= 0 and index.at(i, "body") == body:
        i = index.start_of(body, doc) - 1
    while i >= 0 and doc[i].lower_ in lexicon.role_modifiers:
        i -= 1
    det = doc[i].lower_ if i >= 0 else ""
    specific = doc[i + 1].lower_ == "local" if i + 1 < len(doc) else False
    if det == "the" or (det in {"a", "an"} and body is not None and specific):
        phrase_start, phrase_end = i + 1, span.end
        after_body = _body_after(doc, span.end, index)
        if after_body is not None and after_body == body:
            phrase_end = index.end_of(body)
        if body is None and " " not in title_key:
            return None  # "the Chair" alone could be anyone's
        return _text_without(doc[phrase_start:phrase_end], lexicon.role_modifiers)
    return None


def _listed_after(doc: Doc, prev_end: int, start: int, index: TokenIndex) -> bool:
    """"a former treasurer, a delegate to CLP and a fundraiser": one holder for the list."""
    gap = [t for t in doc[prev_end:start] if not t.is_space]
    if not 0 < len(gap) <= 10 or doc[prev_end].sent != doc[start].sent:
        return False
    return gap[-1].lower_ in {",", "and", "a", "an", "the", "or"} and all(
        t.lower_ in {",", "and", "a", "an", "the", "or", "to", "of", "for"} or t.is_punct
        or index.at(t.i, "body") is not None or t.lower_ in {"local", "former"} for t in gap)


def _listed_bodies(doc: Doc, body: int, index: TokenIndex) -> list[int]:
    """"a delegate to CLP, the local campaign forum": the role is held in each body listed."""
    out, i = [], index.end_of(body)
    while i < len(doc):
        j = i
        while j < len(doc) and (doc[j].is_space or doc[j].lower_ in {",", "and", "the", "of", "in"}):
            j += 1
        if j == i or j >= len(doc) or doc[i].lower_ not in {",", "and"} and not doc[i].is_space:
            break
        nxt = index.at(j, "body")
        if nxt is None or nxt in out or nxt == body:
            break
        out.append(nxt)
        i = index.end_of(nxt)
    return out


def _member_layouts(doc: Doc, matches: list[RuleMatch], index: TokenIndex, sent_of) -> list[RoleCandidate]:
    """roles.possessive-member ("Ann Other's NEC report") and roles.person-of-body ("Ann Other of the Unit")."""
    out = []
    for m in matches:
        layout, i = m.rule.yields.get("layout"), m.start
        if layout == "possessive" and 0 < i < len(doc) - 1:
            person, body = index.at(i - 1, "person"), index.at(i + 1, "body")
            if person is None:
                person, body = index.at(i + 1, "person"), index.at(i - 1, "body")
            if person is not None and body is not None \
                    and index.mentions[body].body_kind not in {"acronym", "acronym-org"}:
                out.append(RoleCandidate(Ref(mention=person), m.rule.yields["title"], body, sent_of(i),
                                         m.rule.confidence))
        elif layout == "person-of-body" and i > 0 and index.at(i - 1, "person") is not None:
            body = _body_after(doc, i, index)
            if body is not None and (not index.mentions[body].generic or index.mentions[body].body_kind):
                out.append(RoleCandidate(Ref(mention=index.at(i - 1, "person")), m.rule.yields["title"], body,
                                         sent_of(i), m.rule.confidence))
    return out


def _text_without(span: Span, drop: list[str]) -> str:
    """The span's text as written, less some words (keeps "co-ordinator" whole)."""
    parts = [t.text_with_ws for t in span if t.lower_ not in drop]
    return "".join(parts).strip()

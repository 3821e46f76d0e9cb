"""Within one account: mentions -> entities, references -> entity keys.

"Corbyn" after "Jeremy Corbyn" is the same person; "Mr Smith" is "Andy
Smith"; "the CLP" is the account's one named CLP; "NWRO" is the "North West
Regional Office" named earlier; "I" is the teller. A name token shared by two
different full names is left alone rather than guessed.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from rapidfuzz import fuzz

from ..model import Account, Bound, Entity, EventFact, Evidence, Extraction, RoleFact
from .facts import DocFacts, Mention, Ref
from .lexicon import Lexicon

GENERIC_NAMES = {"lcf": "Local Campaign Forum", "group": "Labour Group", "executive": "CLP executive",
                 "clp": "Constituency Labour Party", "regional": "Regional Office"}
GENERIC_PARENT = {"executive": "clp", "group": "council", "lcf": None, "regional": None, "clp": None}
FILLER = {"and", "of", "the", "for", "&"}
_POSSESSIVE = re.compile(r"'s\b")
_PUNCTUATION = re.compile(r"[^\w\s&-]")
_ARTICLE = re.compile(r"^(the|a|an)\s+", re.I)
_SPACES = re.compile(r"\s+")


@lru_cache(maxsize=1 << 16)
def norm(text: str) -> str:
    """The comparable form of a name; cached, since merge asks again for every name of every account."""
    text = _POSSESSIVE.sub("", text.replace("’", "'"))
    text = _ARTICLE.sub("", _PUNCTUATION.sub(" ", text).strip())
    return _SPACES.sub(" ", text).strip().lower()


def initials(name: str) -> str:
    return "".join(w[0] for w in re.findall(r"[A-Za-z][\w']*", name) if w.lower() not in FILLER).upper()


@dataclass
class Builder:
    account: Account
    facts: DocFacts
    lexicon: Lexicon
    addressee: str | None = None
    entities: dict[str, Entity] = field(default_factory=dict)
    of_mention: dict[int, str] = field(default_factory=dict)
    cited: set[tuple[str, Evidence]] = field(default_factory=set)  # (entity key, evidence) already kept

    def evidence(self, sent: int, confidence: float) -> Evidence:
        start, end = self.facts.sentences[sent]
        return Evidence(self.account.id, start, end, self.account.text[start:end], round(confidence, 2))

    def add(self, key: str, kind: str, name: str, mention: Mention | None = None, **extra) -> Entity:
        entity = self.entities.get(key)
        if entity is None:
            entity = self.entities[key] = Entity(key, kind, name, **extra)
        if mention is not None:
            for written in (mention.text, mention.alias):
                if written and written not in entity.aliases:
                    entity.aliases.append(written)
            self.cite(entity, self.evidence(mention.sent, mention.confidence))
        return entity

    def cite(self, entity: Entity, ev: Evidence) -> None:
        """Keep `ev` for `entity` once (a set, not a scan of the list: long accounts cite thousands)."""
        if (entity.key, ev) not in self.cited:
            self.cited.add((entity.key, ev))
            entity.evidence.append(ev)


def resolve(account: Account, facts: DocFacts, lexicon: Lexicon, addressee: str | None = None) -> Extraction:
    b = Builder(account, facts, lexicon, addressee)
    if has_teller(account, facts):
        b.add("narrator", "person", teller_name(account, facts) or f"Author of {_short(account.title)}",
              narrator=True)
    _resolve_bodies(b)
    _resolve_people(b)
    roles = _roles(b)
    events = _events(b)
    entities = [e for e in b.entities.values() if e.evidence or e.narrator]
    return Extraction(account, entities, roles, events, surname_spans(account.text), facts.ner_votes)


MIN_FIRST_PERSON = 2  # sentences that make a teller in an account of any length
STRAY_SHARE = 10      # one "I" in a report of this many sentences or more is a stray (a quotation whose marks
                      # were lost, a title), not a teller


def has_teller(account: Account, facts: DocFacts) -> bool:
    """An account has a teller node when a byline or signature names one, or when it says "I"
    outside quotation marks in two sentences, or in one of a short account; a third-person
    report has none (a reporter's unnamed voice is no person of the story)."""
    if teller_name(account, facts):
        return True
    said = len(facts.first_person)
    return said >= MIN_FIRST_PERSON or said * STRAY_SHARE > len(facts.sentences)


def teller_name(account: Account, facts: DocFacts) -> str | None:
    """The byline's name, else the first name that signs the account or that an editor's line
    introduces as its writer (people.signed, people.author-intro)."""
    return account.author or next((m.text for m in facts.mentions if m.kind == "person" and m.teller), None)


SURNAME = re.compile(r"\b[A-Z][a-z]{4,}\b")


def surname_spans(text: str) -> list[tuple[int, int]]:
    """Where `text` has a word shaped like a surname (capitalised, five letters or more)."""
    return [match.span() for match in SURNAME.finditer(text)]


def _short(title: str, limit: int = 60) -> str:
    """A title short enough to name a person by ("Author of ...")."""
    title = " ".join(title.split())
    if len(title) <= limit:
        return title
    return title[:limit].rsplit(" ", 1)[0] + "…"


# ---- bodies ---------------------------------------------------------------

def _body_key(name: str) -> str:
    return "body:" + norm(name)


def _place(m: Mention, lexicon: Lexicon) -> str:
    """The name part before the head: "North West" of "North West Regional Office"."""
    heads = sorted(lexicon.body_kinds.get(m.body_kind or "", {}).get("heads", []), key=len, reverse=True)
    for head in heads:
        if m.text.endswith(head):
            return norm(m.text[: -len(head)])
    return norm(m.text)


def _resolve_bodies(b: Builder) -> None:
    lexicon, mentions = b.lexicon, b.facts.mentions
    bodies = [(i, m) for i, m in enumerate(mentions) if m.kind == "body"]
    by_place: dict[tuple[str, str], str] = {}
    for i, m in bodies:  # lexicon bodies and local names first
        if m.name:
            known = lexicon.known_by_name[m.name]
            b.of_mention[i] = b.add(_body_key(m.name), "body", m.name, m, body_type=known.kind).key
        elif not m.generic and m.body_kind not in {None, "acronym", "acronym-org"}:
            place = (m.body_kind, _place(m, lexicon))
            key = by_place.get(place) or _body_key(m.text)
            by_place.setdefault(place, key)
            entity = b.add(key, "body", m.text, m, body_type=m.body_kind)
            if len(m.text) > len(entity.name) and "’s" not in m.text and "'s" not in m.text:
                entity.name = m.text
            b.of_mention[i] = key
    places = _places(b)
    for i, m in bodies:
        if m.body_kind is None and not m.generic and not m.name and m.text not in places:
            b.of_mention[i] = b.add(_body_key(m.text), "body", m.text, m).key
    for i, m in bodies:  # "the Council", "CLP": the account's one body of that kind
        if m.generic:
            key = _generic(b, m)
            if key:
                b.of_mention[i] = b.add(key, "body", b.entities[key].name if key in b.entities else m.text, m).key
    for i, m in bodies:  # acronyms spelled out earlier or later in the account
        if m.body_kind in {"acronym", "acronym-org"}:
            key = _acronym(b, m.text)
            if key:
                b.of_mention[i] = b.add(key, "body", b.entities[key].name, m).key
            elif m.body_kind == "acronym-org" and m.text not in places:
                b.of_mention[i] = b.add(_body_key(m.text), "body", m.text, m).key
    for i, m in bodies:
        if m.parent is not None and i in b.of_mention and m.parent in b.of_mention:
            if b.of_mention[i] != b.of_mention[m.parent]:
                b.entities[b.of_mention[i]].parent = b.of_mention[m.parent]
    _group_parties(b)
    for entity in b.entities.values():
        if entity.kind == "body" and entity.parent is None:
            known = lexicon.known_by_name.get(entity.name)
            if known and known.parent and _body_key(known.parent) in b.entities:
                entity.parent = _body_key(known.parent)


def _group_parties(b: Builder) -> None:
    """"the SNP group" is part of the party it is named after (patterns/bodies.yaml bodies.party-group)."""
    for entity in list(b.entities.values()):
        if entity.kind != "body" or entity.body_type != "group" or entity.parent is not None:
            continue
        for known in b.lexicon.known_bodies:
            if known.kind == "party" and any(entity.name.startswith(f + " ") for f in (known.name, *known.aliases)):
                party = b.entities.get(_body_key(known.name)) or b.add(
                    _body_key(known.name), "body", known.name, body_type="party")
                if not party.evidence:
                    party.evidence.extend(entity.evidence[:1])
                entity.parent = party.key
                break


def _places(b: Builder) -> set[str]:
    return place_names(b.entities.values(), b.lexicon)


def place_names(entities, lexicon: Lexicon) -> set[str]:
    """Place names inside body names: "Harlow" of "Harlow Council" names no one."""
    out = set()
    endings = lexicon.head_endings
    for e in entities:
        if e.kind == "body" and e.body_type not in {None, "acronym"} and e.body_type in endings:
            ending = endings[e.body_type]
            for name in [e.name, *e.aliases]:
                head = ending.search(name)
                if head:
                    place = name[:head.start()].strip()
                    out.add(place)
                    out.update(w for w in place.split() if w[:1].isupper() and len(w) > 3)
    return out


def _of_kind(b: Builder, kind: str) -> list[Entity]:
    return [e for e in b.entities.values() if e.kind == "body" and e.body_type == kind and not e.described]


def _generic(b: Builder, m: Mention) -> str | None:
    if m.body_kind == "party":
        return _main_party(b)
    if m.body_kind == "short":  # "the Association": the one body whose name ends so
        ends = sorted({e.key for e in b.entities.values() if e.kind == "body" and not e.described
                       and len(e.name.split()) > 1 and e.name.split()[-1] == m.text})
        return ends[0] if len(ends) == 1 else None
    specific = _of_kind(b, m.body_kind or "")
    if len(specific) == 1:
        return specific[0].key
    if specific or m.body_kind not in GENERIC_NAMES:
        return None
    named = any(x.generic and x.body_kind == m.body_kind and (x.text[:1].isupper() or len(norm(x.text).split()) > 1)
                for x in b.facts.mentions)
    if not named:
        return None
    name = GENERIC_NAMES[m.body_kind]
    key = _body_key(name)
    if key not in b.entities:
        entity = b.add(key, "body", name, body_type=m.body_kind, described=True)
        parent_kind = GENERIC_PARENT.get(m.body_kind)
        parents = _of_kind(b, parent_kind) if parent_kind else []
        if len(parents) == 1:
            entity.parent = parents[0].key
    return key


def _main_party(b: Builder) -> str | None:
    """"the party": the party this account names most (it is the teller's, nearly always)."""
    parties = [e for e in b.entities.values() if e.kind == "body" and e.body_type == "party" and e.parent is None]
    if not parties:
        return None
    ranked = sorted(parties, key=lambda e: (-len(e.evidence), e.name))
    if len(ranked) > 1 and len(ranked[0].evidence) == len(ranked[1].evidence):
        return None
    return ranked[0].key


def _acronym(b: Builder, acronym: str) -> str | None:
    hits = []
    for e in b.entities.values():
        if e.kind != "body":
            continue
        for name in [e.name, *e.aliases]:
            letters = initials(name)
            if acronym.upper() == letters or (len(acronym) >= 2 and letters.endswith(acronym.upper())
                                              and len(acronym) >= len(letters) - 2 and len(letters) > 2):
                hits.append(e.key)
                break
    hits = sorted(set(hits))
    return hits[0] if len(hits) == 1 else None


# ---- people ---------------------------------------------------------------

def _resolve_people(b: Builder) -> None:
    people = [(i, m) for i, m in enumerate(b.facts.mentions) if m.kind == "person"]
    author = teller_name(b.account, b.facts) or ""
    places = _places(b)
    people = [(i, m) for i, m in people if m.text not in places]
    full = sorted({m.text for _, m in people if len(m.text.split()) > 1}, key=lambda t: (-len(t), t))
    canon: dict[str, str] = {}
    for name in full:  # spelling variants of one full name
        match = next((c for c in canon.values() if fuzz.ratio(norm(c), norm(name)) >= 90
                      and norm(c).split()[0] == norm(name).split()[0]), None)
        canon[name] = match or name
    for i, m in people:
        name = canon.get(m.text) or _expand(m, full, canon, b, i)
        if author and (norm(name) == norm(author) or norm(m.text) in norm(author).split()
                       or len(name.split()) > 1 and norm(author).endswith(" " + norm(name))):
            key = "narrator"
            if len(name.split()) > 1 and len(name) < len(b.entities["narrator"].name):
                b.entities["narrator"].name = name  # "Local Democracy Reporter Ann Other" -> "Ann Other"
        elif b.addressee and len(m.text.split()) == 1 and _first_name_of(m.text, b.addressee):
            key = "person:" + norm(b.addressee)
            name = b.addressee
        else:
            key = "person:" + norm(name)
        b.of_mention[i] = b.add(key, "person", name, m).key


def _first_name_of(token: str, full_name: str) -> bool:
    first = full_name.split()[0] if full_name.split() else ""
    return len(first) > 1 and fuzz.ratio(token.lower(), first.lower()) >= 85


def _expand(m: Mention, full: list[str], canon: dict[str, str], b: Builder, index: int) -> str:
    """A single name ("Corbyn", "Owen") -> the full name it abbreviates, if unique."""
    token = norm(m.text)
    hits = sorted({canon[f] for f in full if token in norm(f).split()
                   or fuzz.ratio(token, norm(f).split()[-1]) >= 85 and len(token) > 4})
    if len(hits) == 1:
        return hits[0]
    if len(hits) > 1:  # the nearest full mention before this one; in a headline, the first after it
        for j in [*range(index - 1, -1, -1), *range(index + 1, len(b.facts.mentions))]:
            near = b.facts.mentions[j]
            if near.kind == "person" and canon.get(near.text) in hits:
                return canon[near.text]
    return m.text


# ---- facts ----------------------------------------------------------------

def _ref(b: Builder, ref: Ref, sent: int) -> str | None:
    if ref.narrator:
        return "narrator" if "narrator" in b.entities else None
    if ref.mention is not None:
        return b.of_mention.get(ref.mention)
    if ref.pronoun_at is not None:
        for i in range(len(b.facts.mentions) - 1, -1, -1):
            m = b.facts.mentions[i]
            if m.kind == "person" and m.end <= ref.pronoun_at and sent - m.sent <= 2:
                key = b.of_mention.get(i)
                if key and key != "narrator":
                    return key
        return None
    if ref.described:
        if _national_post(b, ref):
            return None
        name = ref.described[0].upper() + ref.described[1:] if ref.described[:1].islower() else ref.described
        key = "described:" + norm(name)
        entity = b.add(key, "person", name, described=True)
        b.cite(entity, b.evidence(sent, 0.65))
        return key
    return None


def _national_post(b: Builder, ref: Ref) -> bool:
    """"the Tory leader", "the Liberal Democrat leader": a party's post standing in for a holder the
    report names elsewhere; a job description, not a person of its own (an unnamed holder of a
    local post, "the Chair of the Labour Group", stays one)."""
    body = b.of_mention.get(ref.described_body) if ref.described_body is not None else None
    return body is not None and b.entities[body].body_type == "party" and b.entities[body].parent is None


def _default_body(b: Builder, title: str) -> str | None:
    """The account's one body of the kind a title is held in; for a party post, its main party."""
    words = title.lower().split()
    canonical = _title_key(b.lexicon, title)
    kind = next((b.lexicon.title_word_kinds[w] for w in words if w in b.lexicon.title_word_kinds),
                None) or b.lexicon.default_body_kind.get(canonical)
    if kind == "party":
        return _main_party(b)
    candidates = [e for e in _of_kind(b, kind)] if kind else []
    return candidates[0].key if len(candidates) == 1 else None


def _title_key(lexicon: Lexicon, title: str) -> str:
    """The lexicon's title a written one ends with: "Shadow Home Secretary" -> "secretary"."""
    words = title.lower().split()
    return next((lexicon.role_titles[" ".join(words[i:])] for i in range(len(words))
                 if " ".join(words[i:]) in lexicon.role_titles), title.lower())


def _named_holders(b: Builder) -> dict[tuple[str, str | None], set[str]]:
    """Who the account names as holding each (title, body): "Tory leader Ann Other"."""
    named: dict[tuple[str, str | None], set[str]] = {}
    for cand in b.facts.roles:
        if cand.holder.mention is not None and cand.holder.mention in b.of_mention:
            body = b.of_mention.get(cand.body) if cand.body is not None else None
            named.setdefault((_title_key(b.lexicon, cand.title), body), set()).add(b.of_mention[cand.holder.mention])
    return named


def _roles(b: Builder) -> list[RoleFact]:
    out: dict[tuple[str, str, str | None], RoleFact] = {}
    sentences: dict[int, set[tuple[str, str, str | None]]] = {}  # sentence -> the roles it tells of
    named = _named_holders(b)
    for cand in b.facts.roles:
        body = b.of_mention.get(cand.body) if cand.body is not None else None
        holders = named.get((_title_key(b.lexicon, cand.title), body), set()) if cand.holder.described else set()
        if len(holders) == 1:
            continue  # "the Tory leader" where the account names its leader: no second, unnamed holder
        person = _ref(b, cand.holder, cand.sent)
        if person is None:
            continue
        confidence = cand.confidence
        if body is None and cand.default_body:
            body = _default_body(b, cand.title)
            confidence -= 0.1
        if body and b.entities[body].kind != "body":
            body = None
        key = (person, cand.title.lower(), body)
        if key not in out:
            out[key] = RoleFact(person, cand.title, body, b.evidence(cand.sent, confidence), cand.former)
        elif not cand.former:
            out[key].former = False  # told of as held now somewhere in the account
        sentences.setdefault(cand.sent, set()).add(key)
    _bound_by_cues(b, out, sentences)
    _implied_memberships(b, out)
    placed = {(person, title) for person, title, body in out if body}
    return [fact for (person, title, body), fact in out.items() if body or (person, title) not in placed]


def _bound_by_cues(b: Builder, roles: dict[tuple[str, str, str | None], RoleFact],
                   sentences: dict[int, set[tuple[str, str, str | None]]]) -> None:
    """"Since 2015", "until 2014": a cue bounds the role its sentence tells of, when it tells of one
    only (two roles in a sentence, and which the dates belong to is the parse's guess, not ours)."""
    for cue in b.facts.times:
        told = sentences.get(cue.sent, set())
        if len(told) != 1:
            continue
        fact = roles[next(iter(told))]
        evidence = b.evidence(cue.sent, fact.evidence.confidence)
        if cue.began and fact.began is None:
            fact.began = Bound(cue.began, evidence, cue.text)
        if cue.ended and fact.ended is None:
            fact.ended = Bound(cue.ended, evidence, cue.text)


def _implied_memberships(b: Builder, roles: dict[tuple[str, str, str | None], RoleFact]) -> None:
    """The teller's post in a party's unit (a CLP, a branch, the NEC) implies membership of the party.

    The party is the one the unit is part of (`parent`, followed up), else the
    lexicon's rule for units named by kind (a CLP is Labour's).
    """
    rule = b.lexicon.implies_membership or {}
    for (person, _title, body), fact in list(roles.items()):
        entity = b.entities.get(body) if body else None
        if entity is None or not b.entities[person].narrator or entity.body_type == "party":
            continue  # the teller's own posts tell of their party; others' are not claimed
        party = _party_above(b, entity)
        if party is None and (entity.body_type in rule.get("kinds", []) or entity.name in rule.get("bodies", [])):
            named = _body_key(rule.get("party", ""))
            party = named if named in b.entities else None
        key = (person, "member", party)
        if party and key not in roles:
            ev = fact.evidence
            roles[key] = RoleFact(person, "Member", party, Evidence(ev.account, ev.start, ev.end, ev.text, 0.5))


def _party_above(b: Builder, entity: Entity) -> str | None:
    """The party a body is part of, through its chain of parents."""
    seen = {entity.key}
    while entity.parent and entity.parent not in seen and entity.parent in b.entities:
        seen.add(entity.parent)
        entity = b.entities[entity.parent]
        if entity.body_type == "party" and entity.name in b.lexicon.known_by_name:
            return entity.key  # the party itself, not a local party unit ("<Place> Labour Party")
    return None


REPEAT_WINDOW = 2  # sentences within which a same-type event with the same main actor is a repeat


def _same_day_or_month(a: str | None, b: str | None) -> bool:
    return bool(a) and a == b and len(a) >= 7


def _events(b: Builder) -> list[EventFact]:
    """Events with resolved actors; a repeat of one happening is folded into the first telling.

    A repeat: the same type and the same main actor (the first participant: who
    resigned, who was expelled), told within `REPEAT_WINDOW` sentences or with
    the same date (to the month at least: two elections of 2019 may be two). Its other
    participants join the first telling's.
    """
    out: list[EventFact] = []
    told: list[tuple[int, EventFact]] = []  # (sentence, fact)
    for cand in b.facts.events:
        actors: list[str] = []
        roles: list[str] = []
        for ref, role in zip(cand.actors, cand.roles or [""] * len(cand.actors)):
            key = _ref(b, ref, cand.sent)
            if key and key not in actors:
                actors.append(key)
                roles.append(role)
        if not actors:
            continue
        if cand.anaphoric and any(e.type == cand.type for e in out):
            continue  # "the meeting" again: the one already told of
        repeat = next((fact for sent, fact in told if fact.type == cand.type and fact.actors[0] == actors[0]
                       and (cand.sent - sent <= REPEAT_WINDOW or _same_day_or_month(cand.date, fact.date))), None)
        if repeat is not None:
            for actor, role in zip(actors, roles):
                if actor not in repeat.actors:
                    repeat.actors.append(actor)
                    repeat.roles.append(role)
            continue
        fact = EventFact(cand.type, actors, cand.trigger, b.evidence(cand.sent, cand.confidence), cand.date,
                         roles, cand.stance)
        told.append((cand.sent, fact))
        out.append(fact)
    return out

"""Events: who did what, read from the event rules of `graph/lexicon/patterns/events.yaml`.

A trigger rule (token or phrase) finds the words of an event of one of the nine
types; the argument rules (dependency patterns) find its participants: the
agent (the subject, or "by X" after a passive), the patient (who was expelled,
appointed, threatened) and the bodies (what was left, joined, complained to).
Only the names in those places take part; when the parse gives none, a
first-person sentence still has the teller, and otherwise there is no event.
The word lists that tell a real event from a mention (modals, wishes, what
makes an election one the account tells of) are in `graph/lexicon/events.yaml`.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from spacy.tokens import Doc, Token

from .. import yamlsafe as yaml
from ..dates import normalise
from ..paths import LEXICON
from .facts import EventCandidate, Mention, Ref
from .quotes import quoted
from .roles import FIRST_PERSON, THIRD_PERSON, TokenIndex
from .rules import RuleMatch, rule_matches

CLAUSE_DEPS = {"relcl", "acl", "ccomp", "advcl", "xcomp", "parataxis", "csubj"}  # where a noun phrase ends
RELATIVE = {"who", "whom", "that", "which"}
CLIMB = {"xcomp", "acomp", "auxpass", "conj", "pobj", "prep", "dobj", "nsubjpass"}  # up to the verb that rules
TELLER = FIRST_PERSON | {"we", "us", "ourselves"}  # the teller is among "we"


@dataclass(frozen=True)
class EventWords:
    """The lists of `graph/lexicon/events.yaml`."""

    modals: frozenset[str]
    wishes: frozenset[str]
    conditions: frozenset[str]
    told_verbs: frozenset[str]
    told_nouns: frozenset[str]
    future: frozenset[str]
    patient_first: frozenset[str]
    reporting: frozenset[str]
    others: frozenset[str]
    body_roles: dict            # preposition -> role type, or {event type -> role type}
    stance: dict[str, str]      # word (lower case) -> stance


@lru_cache(maxsize=1)
def event_words() -> EventWords:
    data = yaml.safe_load((LEXICON / "events.yaml").read_text(encoding="utf-8")) or {}
    told = data.get("told", {})
    return EventWords(*(frozenset(w.lower() for w in words) for words in (
        data.get("modals", []), data.get("wishes", []), data.get("conditions", []),
        told.get("verbs", []), told.get("nouns", []), told.get("future", []))),
        frozenset(data.get("patient_first", [])), frozenset(w.lower() for w in data.get("reporting", [])),
        frozenset(w.lower() for w in data.get("others", [])), data.get("body_roles") or {},
        {w.lower(): stance for stance, words in (data.get("stance") or {}).items() for w in words})


def body_role(words: EventWords, event_type: str, preposition: str) -> str | None:
    """The part a name after `preposition` plays in an event of `event_type` (`body_roles`)."""
    found = words.body_roles.get(preposition, words.body_roles.get("default"))
    if isinstance(found, dict):
        found = found.get(event_type, found.get("default"))
    return found


# From a trigger up to the word that may mark its stance: "denied that he resigned" (ccomp),
# "rumoured to have quit" (xcomp), "accused of criticising" (pcomp, prep), "denied the
# resignation" (dobj), "the resignation was confirmed" (nsubjpass).
_STANCE_CLIMB = frozenset({"ccomp", "xcomp", "pcomp", "pobj", "prep", "dobj", "nsubj", "nsubjpass"})


def stance_of(tok: Token, words: EventWords) -> str | None:
    """The stance a word near the trigger marks: one modifying it ("allegedly resigned", "the
    alleged threat") or a verb above it ("denied that he resigned", "rumoured to have quit")."""
    near = [tok]
    while len(near) < 4 and near[-1].head.i != near[-1].i:
        t, head = near[-1], near[-1].head
        if t.dep_ in _STANCE_CLIMB:
            near.append(head)
        elif t.dep_ == "acl" and (head.lower_ in words.stance or head.lemma_.lower() in words.stance):
            near.append(head)  # "speculation that he had resigned": the clause of a stance noun
        else:
            break  # not out of a relative clause: "X, who was expelled, accused Y"
    for t in near:
        if any(c.lower_ in {"why", "how"} for c in t.children):
            return None  # "speculation about why I resigned": the reason is in doubt, not the act
        for w in (t, *(c for c in t.children if c.dep_ in {"advmod", "amod", "aux", "auxpass"})):
            found = words.stance.get(w.lower_) or words.stance.get(w.lemma_.lower())
            if found and (w.i != tok.i):
                return found
    return None


@dataclass
class Trigger:
    type: str
    token: Token           # the syntactic root of the matched words
    text: str
    confidence: float
    needs: str | None


def trigger_tokens(doc: Doc) -> frozenset[int]:
    """Tokens an event trigger rule matched: "LCF AGM" is a meeting of a body, not a body's name."""
    cached = doc.user_data.get("kg_event_tokens")
    if cached is None:
        cached = frozenset(i for m in rule_matches(doc, "events") if "type" in m.rule.yields
                           and m.rule.matcher != "dependency" for i in range(m.start, m.end))
        doc.user_data["kg_event_tokens"] = cached
    return cached


def _unreal(tok: Token, words: EventWords) -> bool:
    """A trigger that tells of no real event: in an "if" clause, under would/could/might, or
    only hoped, wished or expected ("I hope you will rejoin", "I expected them to vote")."""
    head = tok if tok.pos_ in {"VERB", "AUX"} else tok.head
    for _ in range(3):
        for c in head.children:
            if c.dep_ == "mark" and c.lower_ in words.conditions:
                return True
            if c.dep_ == "aux" and c.lower_ in words.modals or c.dep_ == "neg" and head.i == tok.i:
                return True  # "I might resign"; "the NEC were not voting on it"
            if c.dep_ == "advcl" and any(g.dep_ == "mark" and g.lower_ in words.conditions for g in c.children) \
                    and c.i > head.i:
                return True  # "they will vote against it unless changes are agreed"
        if head.dep_ in {"ccomp", "xcomp"} and (head.head.lemma_.lower() in words.wishes or
                                                 head.head.lower_ in words.wishes):  # "hopes": lemma "hop"
            return True
        if head.dep_ not in CLIMB or head.head.i == head.i:
            break
        head = head.head
    return False


def _definite_bare(tok: Token) -> bool:
    """"the meeting", "the vote": a bare definite noun, likely one already told of."""
    if tok.pos_ != "NOUN":
        return False
    kids = [c.dep_ for c in tok.children]
    return any(c.dep_ == "det" and c.lower_ in {"the", "that", "this"} for c in tok.children) and not any(
        d in {"compound", "amod", "poss", "nummod", "prep", "relcl", "acl"} for d in kids)


def _told(tok: Token, words: EventWords) -> bool:
    """An election the account tells of: held, called, won, lost, fought, dated, someone's,
    or the scene of what a clause says ("Labour did well in the local elections")."""
    head = tok.head
    if tok.dep_ in {"nsubj", "nsubjpass", "dobj", "prep"} and head.lemma_.lower() in words.told_verbs:
        return True
    if any(c.dep_ == "amod" and c.lower_ in words.future for c in tok.children):
        return False  # "the next general election": not yet held
    if any(c.ent_type_ == "DATE" or c.like_num for c in tok.subtree if c.i < tok.i):
        return True   # "the 2019 general election", "last year's election"
    if any(c.dep_ == "poss" for c in tok.children):
        return True   # "Bush's re-election"
    if any(c.dep_ == "prep" and c.lower_ in {"of", "in", "to", "for"} and
           any(g.ent_type_ in {"DATE", "PERSON", "ORG", "NORP", "GPE"} for g in c.subtree) for c in tok.children):
        return True   # "the election of a Conservative", "the election in 2017", "the election to the council"
    if tok.dep_ == "compound" and head.lower_ in words.told_nouns:
        return True   # "the election campaign began", "election results"
    if tok.dep_ == "nsubj" and head.pos_ == "VERB":
        return True   # "the election saw Labour return"
    if tok.dep_ == "pobj" and head.lower_ in {"in", "at", "during"}:
        governor = head.head
        return governor.pos_ in {"VERB", "AUX"} and governor.dep_ not in {"amod"} or \
            governor.lower_ in words.told_nouns
    return False


def _triggers(doc: Doc, matches: list[RuleMatch], words: EventWords) -> list[Trigger]:
    """One trigger per root token: the strongest rule that claims it; "not" rules veto theirs."""
    vetoed: set[int] = set()
    best: dict[int, Trigger] = {}
    for m in matches:
        if "type" not in m.rule.yields and not m.rule.yields.get("not"):
            continue
        if m.rule.matcher == "dependency":
            root = doc[m.tokens["trigger"]]
        else:
            root = doc[m.start:m.end].root
        if m.rule.yields.get("not"):
            vetoed.update(range(m.start, m.end))
            continue
        prev = best.get(root.i)
        if prev is None or m.rule.confidence > prev.confidence:
            text = root.text if m.rule.matcher == "dependency" else doc[m.start:m.end].text
            best[root.i] = Trigger(m.rule.yields["type"], root, text, m.rule.confidence, m.rule.yields.get("needs"))
    out = []
    for i, trig in sorted(best.items()):
        tok = trig.token
        if i in vetoed or tok.ent_type_ == "PERSON":
            continue
        if tok.dep_ == "compound" and trig.needs != "told" and tok.head.i not in best:
            continue  # "resignation letter", "meeting room": a modifier, not a happening
        if tok.dep_ == "amod" and trig.type != "Appointment":
            continue  # "threatening behaviour"; but "the newly appointed chairman" was appointed
        if _unreal(tok, words):
            continue
        if trig.needs == "told" and not _told(tok, words):
            continue
        out.append(trig)
    return out


def _arguments(doc: Doc, matches: list[RuleMatch]) -> dict[int, list[tuple[str, int, str]]]:
    """token -> [(role, argument token, its preposition or "")] from the argument rules, for every token they anchor on;
    a trigger's own arguments before those found through another word (`secondary`)."""
    out: dict[int, list[tuple[str, int]]] = {}
    for m in sorted(matches, key=lambda m: bool(m.rule.yields.get("secondary"))):
        if "trigger" not in m.tokens or "arg" not in m.tokens:
            continue
        role = m.rule.yields.get("role") or m.rule.yields.get("role_by_dep", {}).get(doc[m.tokens["arg"]].dep_)
        if role is None:
            continue
        entry = (role, m.tokens["arg"], doc[m.tokens["prep"]].lower_ if "prep" in m.tokens else "")
        args = out.setdefault(m.tokens["trigger"], [])
        if entry not in args:
            args.append(entry)
    return out


def _phrase(tok: Token):
    """The tokens of the phrase headed by `tok`, without its clauses."""
    yield tok
    for child in tok.children:
        if child.dep_ not in CLAUSE_DEPS and child.dep_ != "punct":
            yield from _phrase(child)


def _refs_at(tok: Token, index: TokenIndex) -> list[Ref]:
    """The participants an argument token names: the teller for "I", a pronoun, or the names in its phrase."""
    if tok.lower_ in RELATIVE and tok.head.dep_ in {"relcl", "acl"}:
        tok = tok.head.head  # "Meilyr Hughes, who X banned": the person the clause is about
    if tok.lower_ in TELLER and tok.pos_ == "PRON":
        return _speaker(tok, index) if quoted(tok) else [Ref(narrator=True)]
    if tok.lower_ in THIRD_PERSON:
        return [Ref(pronoun_at=index.base + tok.idx)]
    refs, seen = [], set()
    for t in sorted(_phrase(tok), key=lambda t: t.i):
        if t.lower_ in TELLER and t.pos_ == "PRON" and not quoted(t) and "narrator" not in seen \
                and not (t.dep_ == "poss" and t.head.lemma_.lower() in event_words().others):
            seen.add("narrator")
            refs.append(Ref(narrator=True))  # "my application", "the three of us"; not "my husband"
            continue
        m = index.by_token.get(t.i)
        if m is not None and m not in seen:
            seen.add(m)
            refs.append(Ref(mention=m))
    return refs


def _speaker(tok: Token, index: TokenIndex) -> list[Ref]:
    """A quoted "I" is whoever says the quote: the subject of the reporting verb above it."""
    words = event_words()
    for head in tok.ancestors:
        if head.lemma_.lower() in words.reporting:
            subject = next((c for c in head.children if c.dep_ == "nsubj" and not quoted(c)), None)
            if subject is not None:
                return [Ref(mention=m) for m in {index.by_token.get(t.i) for t in _phrase(subject)} - {None}]
    return []


def _roles_of(tok_i: int, args: dict[int, list[tuple[str, int, str]]], doc: Doc, index: TokenIndex,
              depth: int = 0) -> dict[str, list[Ref]]:
    """Participants by role; a token with no agent or patient of its own inherits its head's.
    `direct`: the names that are themselves the object ("left the party", not "left a meeting of it");
    a body's refs are listed under "body:" + their preposition as well."""
    by_role: dict[str, list[Ref]] = {"patient": [], "agent": [], "body": [], "direct": []}
    inherit = []
    for role, arg_i, prep in args.get(tok_i, []):
        if role == "inherit":
            inherit.append(arg_i)
            continue
        refs = _refs_at(doc[arg_i], index)
        by_role[role].extend(refs)
        if role == "body":
            by_role.setdefault(f"body:{prep}", []).extend(refs)
        if role == "patient" and (index.by_token.get(arg_i) is not None or doc[arg_i].pos_ == "PRON"):
            by_role["direct"].extend(refs[:1])
    own_subject = any(c.dep_ in {"nsubj", "nsubjpass"} for c in doc[tok_i].children)
    if not (by_role["agent"] or by_role["patient"] or own_subject) and depth < 3:
        for head_i in inherit:
            inherited = _roles_of(head_i, args, doc, index, depth + 1)
            for role in ("agent", "patient") if doc[tok_i].dep_ != "compound" else ("agent", "patient", "body"):
                by_role[role].extend(inherited[role])
            if doc[tok_i].dep_ == "compound":
                for role, refs in inherited.items():
                    if role.startswith("body:"):
                        by_role.setdefault(role, []).extend(refs)
    return by_role


def _clause(tok: Token) -> Token:
    """The verb of the clause a trigger sits in (itself, if a verb)."""
    while tok.pos_ not in {"VERB", "AUX"} and tok.head.i != tok.i:
        tok = tok.head
    return tok


def _clause_refs(tok: Token, index: TokenIndex) -> list[Ref]:
    """The names in the trigger's own clause, when no argument rule placed any:
    "the by-election of 1983 was fought by ..." is not everyone in a long sentence."""
    refs, seen = [], set()
    for t in sorted(_phrase(_clause(tok)), key=lambda t: t.i):
        m = index.by_token.get(t.i)
        if m is not None and m not in seen:
            seen.add(m)
            refs.append(Ref(mention=m))
    return refs


def _participants(trig: Trigger, args: dict[int, list[tuple[str, int, str]]], doc: Doc,
                  index: TokenIndex, words: EventWords) -> tuple[list[Ref], list[Ref], list[str]]:
    """(every participant, the main one first; the names that are the trigger's object or its
    preposition's; beside the first, the part each plays: a PARTICIPANT_ROLES name or "")."""
    by_role = _roles_of(trig.token.i, args, doc, index)
    order = ("patient", "agent", "body") if trig.type in words.patient_first else ("agent", "patient", "body")
    groups = [(role, by_role[role]) for role in order]
    if trig.type == "Appointment":  # only a person is appointed: a body read as patient ("won the
        # leadership of the party") takes part after the people
        people = [r for r in by_role["patient"] if _is_person(r, index)]
        groups = [("patient", people), ("agent", by_role["agent"]), ("patient", by_role["patient"]),
                  ("body", by_role["body"])]
    out: list[Ref] = []
    parts: list[str] = []
    for role, refs in groups:
        for ref in sorted(refs, key=lambda r: not _is_person(r, index)):
            if ref not in out:
                out.append(ref)
                parts.append(_part(role, ref, by_role, trig.type, words))
    return out, by_role["direct"], parts


def _part(role: str, ref: Ref, by_role: dict[str, list[Ref]], event_type: str, words: EventWords) -> str:
    """The participant role type of one participant found as `role`."""
    if role == "agent":
        return "Agent"
    if role == "patient":
        return "Patient"
    prep = next((k[5:] for k, refs in by_role.items() if k.startswith("body:") and ref in refs), "")
    return body_role(words, event_type, prep) or ""


def _is_person(ref: Ref, index: TokenIndex) -> bool:
    """People before bodies in a phrase: "the chair of the CLP and Bea Lund" is mostly about Bea Lund."""
    return ref.mention is None or index.mentions[ref.mention].kind == "person"


def _has_object(kind: str, refs: list[Ref], mentions: list[Mention]) -> bool:
    """Whether the object is a named body ("left the party") or a person ("visited the minister", "banned me")."""
    return any(mentions[r.mention].kind == kind if r.mention is not None else kind == "person" for r in refs)


def find_events(doc: Doc, mentions: list[Mention], index: TokenIndex, sent_of,
                account_date: str | None) -> list[EventCandidate]:
    """Event candidates of one parsed piece, one per type, sentence and set of participants."""
    words = event_words()
    matches = rule_matches(doc, "events")
    triggers = _triggers(doc, matches, words)
    if not triggers:
        return []
    args = _arguments(doc, matches)
    dates_by_sent: dict[int, list[str]] = {}
    for ent in doc.ents:
        if ent.label_ == "DATE":
            dates_by_sent.setdefault(sent_of(ent.start), []).append(ent.text)
    out: list[EventCandidate] = []
    for trig in triggers:
        tok = trig.token
        refs, objects, parts = _participants(trig, args, doc, index, words)
        if trig.needs in {"body-object", "person-object"} and \
                not _has_object(trig.needs.split("-")[0], objects, mentions):
            continue
        confidence = trig.confidence
        if not refs:
            refs, confidence = _clause_refs(tok, index), confidence - 0.1
            parts = [""] * len(refs)  # named in the clause, their part unknown
        if not refs and any(t.lower_ in FIRST_PERSON and not quoted(t) for t in tok.sent):
            refs, parts = [Ref(narrator=True)], [""]  # "So why am I stepping down now?" parses oddly
        if not refs:
            continue
        sent = sent_of(tok.i)
        same = next((e for e in out if e.sent == sent and e.type == trig.type
                     and _key(e.actors[0]) == _key(refs[0])), None)
        if same is not None:
            for ref, part in zip(refs, parts):
                if ref not in same.actors:
                    same.actors.append(ref)
                    same.roles.append(part)
            continue  # "resigned as leader ... and as a member": one event, every participant
        date = next((d for d in (normalise(t, account_date) for t in dates_by_sent.get(sent, [])) if d), None)
        out.append(EventCandidate(trig.type, trig.text, sent, refs, date, round(confidence, 2),
                                  _definite_bare(tok), parts, stance_of(tok, words)))
    return out


def _key(ref: Ref) -> tuple:
    return (ref.mention, ref.narrator, ref.pronoun_at)

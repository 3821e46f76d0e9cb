"""Roles over time, who did what, and stance (#16), on invented accounts.

Each test builds a small graph the way `kg build` does (extract, merge,
`tenure.bound_roles`, statements, view) and checks what must be found and what
must not: no bound is guessed, no date without an account date to read it by.
Rule ids covered: time.since, time.from, time.from-to, time.between, time.until.
"""
from __future__ import annotations

import pytest

from graph import quads
from graph.extract import Extractor
from graph.merge import merge
from graph.model import Account, KnowledgeGraph
from graph.quads import (CUE, HAS_BEGINNING, HAS_END, IN_XSD, MEMBER_DURING, PARTICIPANT, ROLE_TYPE, STANCE,
                         VALUE, VIA, AS_OF, concept)
from graph.tenure import bound_roles
from graph.view import read_view


@pytest.fixture(scope="module")
def extractor() -> Extractor:
    return Extractor()


def build(extractor: Extractor, *texts: tuple[str, str | None]) -> KnowledgeGraph:
    accounts = [Account(f"a{n}", f"a{n}.txt", "An account", text, date=date) for n, (text, date) in enumerate(texts)]
    return bound_roles(merge(list(extractor.extract_many([(a, None) for a in accounts]))))


def role(kg: KnowledgeGraph, person: str, title: str):
    found = [r for r in kg.roles if kg.nodes[r.person].name == person and r.title.lower() == title.lower()]
    assert len(found) == 1, [(kg.nodes[r.person].name, r.title) for r in kg.roles]
    return found[0]


def test_since_opens_and_the_dated_account_says_held_as_of_its_date(extractor):
    kg = build(extractor, ("Jane Doe has been chair of the Northtown branch since 2015.", "2016-03-02"))
    r = role(kg, "Jane Doe", "Chair")
    assert (r.began.date, r.began.cue, r.began.event) == ("2015", "since 2015", None)
    assert r.ended is None and r.as_of == "2016-03-02"
    assert r.began.evidence.text == "Jane Doe has been chair of the Northtown branch since 2015."


@pytest.mark.parametrize("sentence, began, ended", [
    ("John Smith was treasurer of Northtown Labour Party from 2010 to 2014.", "2010", "2014"),
    ("Ann Lee was leader of Northtown Council between 2001 and 2005.", "2001", "2005"),
    ("Bob Hart was secretary of the Northtown CLP until May 2014.", None, "2014-05"),
    ("Bob Hart was secretary of the Northtown CLP from March 2003.", "2003-03", None),
])
def test_explicit_dates_bound_the_role_of_their_sentence(extractor, sentence, began, ended):
    kg = build(extractor, (sentence, None))
    (r,) = kg.roles
    assert (r.began and r.began.date, r.ended and r.ended.date) == (began, ended)
    assert r.as_of is None  # an undated account says nothing of when it was held


def test_two_roles_in_a_sentence_take_no_dates_from_it(extractor):
    kg = build(extractor, ("Bob Hart, chair of the branch since 2012, and Ann Lee, secretary since 2010, met.",
                           "2016-01-01"))
    assert kg.roles and all(r.began is None and r.ended is None for r in kg.roles)


def test_a_relative_date_needs_the_account_date(extractor):
    text = "Jane Doe has been chair of the Northtown branch since last July."
    undated = role(build(extractor, (text, None)), "Jane Doe", "Chair")
    dated = role(build(extractor, (text, "2016-03-02")), "Jane Doe", "Chair")
    assert undated.began is None and undated.as_of is None
    assert dated.began.date == "2015-07"


def test_appointment_opens_and_resignation_closes_each_linked_to_its_event(extractor):
    kg = build(extractor, ("I was appointed treasurer of the Northtown Labour Party in June 2010. "
                           "In May 2014 I resigned as treasurer of the Northtown Labour Party.", "2016-03-02"))
    r = next(r for r in kg.roles if r.title == "Treasurer")
    assert (r.began.date, r.began.event, r.began.cue) == ("2010-06", "Appointment", "appointed")
    assert (r.ended.date, r.ended.event) == ("2014-05", "Resignation")
    assert r.as_of is None  # closed: not held on the account's date
    g = quads.graphs(kg)
    triples = {t for ts in g.values() for t in ts}
    interval = next(o for s, p, o in triples if p == MEMBER_DURING)
    begin = next(o for s, p, o in triples if s == interval and p == HAS_BEGINNING)
    end = next(o for s, p, o in triples if s == interval and p == HAS_END)
    assert (begin, IN_XSD["gYearMonth"], ("2010-06", quads.XSD_STRING.replace("string", "gYearMonth"))) in triples
    event = next(o for s, p, o in triples if s == end and p == VIA)
    assert event.endswith("-resignation") and (event, quads.A, quads.EVENT) in triples
    view = read_view(g)
    node = next(n for n in view.nodes.values() if n.kind == "role" and n.title == "Treasurer")
    assert (node.began, node.ended) == ("2010-06", "2014-05")


def test_an_undated_resignation_closes_without_a_date(extractor):
    kg = build(extractor, ("I resigned as treasurer of the Northtown Labour Party.", "2016-03-02"))
    r = next(r for r in kg.roles if r.title == "Treasurer")
    assert r.ended is not None and r.ended.date is None and r.ended.event == "Resignation"
    assert r.as_of is None and r.began is None
    triples = {t for ts in quads.graphs(kg).values() for t in ts}
    end = next(o for s, p, o in triples if p == HAS_END)
    assert not any(s == end and p in IN_XSD.values() for s, p, o in triples)
    assert (end, CUE, ("resigned", None)) in triples


def test_expulsion_closes_a_suspension_does_not(extractor):
    expelled = build(extractor, ("Bob Hart was treasurer of the Northtown CLP. "
                                 "The NEC expelled Bob Hart from the Northtown CLP in 2013.", "2016-01-01"))
    suspended = build(extractor, ("Bob Hart was treasurer of the Northtown CLP. "
                                  "The NEC suspended Bob Hart from the Northtown CLP in 2013.", "2016-01-01"))
    assert role(expelled, "Bob Hart", "Treasurer").ended.date == "2013"
    held = role(suspended, "Bob Hart", "Treasurer")
    assert held.ended is None and held.as_of == "2016-01-01"


def test_a_former_role_is_not_held_as_of_the_account_date(extractor):
    r = role(build(extractor, ("Bob Hart, the former treasurer of the Northtown CLP, spoke.", "2016-01-01")),
             "Bob Hart", "Treasurer")
    assert r.former and r.as_of is None and r.began is None
    assert (r.ended.date, r.ended.cue, r.ended.event) == (None, "former", None)  # ended, when not told


def parts(kg: KnowledgeGraph, etype: str) -> dict[str, str]:
    (event,) = [e for e in kg.events if e.type == etype]
    return {kg.nodes[a].name: role for a, role in zip(event.actors, event.roles)}


@pytest.mark.parametrize("sentence, etype, expected", [
    ("Jane Doe resigned from the Northtown Labour Party in May 2015.", "Resignation",
     {"Jane Doe": "Agent", "Northtown Labour Party": "Patient"}),
    ("The NEC expelled John Smith from the party.", "Disciplinary",
     {"John Smith": "Patient", "National Executive Committee": "Agent"}),
    ("Jane Doe complained to the NEC about John Smith.", "Complaint",
     {"Jane Doe": "Agent", "John Smith": "Patient", "National Executive Committee": "Recipient"}),
    ("Jane Doe threatened John Smith.", "Threat", {"Jane Doe": "Agent", "John Smith": "Patient"}),
])
def test_each_participant_plays_its_part(extractor, sentence, etype, expected):
    assert parts(build(extractor, (sentence, None)), etype) == expected


def test_participant_roles_in_rdf_and_the_views_agents(extractor):
    kg = build(extractor, ("The NEC expelled John Smith from the party.", None))
    g = quads.graphs(kg)
    triples = {t for ts in g.values() for t in ts}
    kinds = {o for s, p, o in triples if p == ROLE_TYPE}
    assert kinds == {concept("Agent"), concept("Patient")}
    values = {o for s, p, o in triples if p == VALUE}
    assert len({o for s, p, o in triples if p == PARTICIPANT}) == len(values) == 2
    view = read_view(g)
    (event,) = [n for n in view.nodes.values() if n.kind == "event"]
    assert [view.nodes[a].label for a in event.agents] == ["National Executive Committee"]
    assert {view.nodes[a].label for a in event.actors} == {"National Executive Committee", "John Smith"}


@pytest.mark.parametrize("sentence, stance", [
    ("Jane Doe allegedly threatened John Smith.", "Alleged"),
    ("John Smith denied that he had resigned as treasurer.", "Denied"),
    ("The party confirmed that John Smith had resigned.", "Confirmed"),
    ("John Smith reportedly resigned from the party.", "Rumoured"),
    ("John Smith resigned from the party.", None),
    ("There was speculation about why John Smith resigned from the party.", None),  # the why is in doubt
    ("There was speculation that John Smith had resigned from the party.", "Rumoured"),
])
def test_the_stance_the_account_marks(extractor, sentence, stance):
    kg = build(extractor, (sentence, None))
    assert [e.stance for e in kg.events] == [stance]
    triples = {t for ts in quads.graphs(kg).values() for t in ts}
    assert {o for s, p, o in triples if p == STANCE} == ({concept(stance)} if stance else set())


def test_an_undated_account_gives_no_as_of_and_no_guessed_bound(extractor):
    kg = build(extractor, ("Jane Doe is chair of the Northtown branch. On Monday she was appointed "
                           "secretary of the Northtown CLP.", None))
    assert kg.roles and all(r.as_of is None and r.began is None and r.ended is None for r in kg.roles)
    triples = {t for ts in quads.graphs(kg).values() for t in ts}
    assert not any(p in (MEMBER_DURING, AS_OF) for s, p, o in triples)


def test_effects_of_events_on_roles_come_from_the_lexicon():
    from graph.model import EventFact, Evidence
    from graph.tenure import effect

    ev = Evidence("a", 0, 1, "x")
    assert effect(EventFact("Election", ["p"], "won", ev)) == "opens"
    assert effect(EventFact("Election", ["p"], "lost", ev)) == "closes"
    assert effect(EventFact("Election", ["p"], "standing", ev)) is None   # a candidacy opens nothing
    assert effect(EventFact("Disciplinary", ["p"], "expelled", ev)) == "closes"
    assert effect(EventFact("Disciplinary", ["p"], "suspended", ev)) is None
    assert effect(EventFact("Meeting", ["p"], "met", ev)) is None


def test_a_won_election_opens_a_joining_opens_only_a_membership(extractor):
    kg = build(extractor, ("Ann Lee was elected leader of Northtown Council in May 2012.", "2016-01-01"))
    assert role(kg, "Ann Lee", "Leader").began.date == "2012-05"
    joined = build(extractor, ("Bob Hart, the treasurer of the Northtown CLP, joined the Northtown CLP in 2009.",
                               "2016-01-01"))
    treasurer = role(joined, "Bob Hart", "Treasurer")
    assert treasurer.began is None  # one joins a body, not a post


def test_one_sentence_two_events_of_a_type_still_validate(tmp_path):
    """Two events of one type in one sentence share an IRI: one main actor, one part each, one interval."""
    from graph.model import Bound, EventFact, Evidence, Node, RoleFact
    from graph.rdf import to_dataset
    from graph.validate import validate_file

    text = "Ann Lee met Bob Hart, and Bob Hart met the NEC; Ann Lee has been chair since 2015."
    ev = Evidence("a", 0, len(text), text)
    nodes = {k: Node(k, kind, name, {name}, {"a": {name}}, [ev]) for k, kind, name in (
        ("ann-lee", "person", "Ann Lee"), ("bob-hart", "person", "Bob Hart"),
        ("nec", "body", "National Executive Committee"))}
    since = Bound("2015", ev, "since 2015")
    kg = KnowledgeGraph([Account("a", "a.txt", "T", text)], nodes,
                        [RoleFact("ann-lee", "Chair", None, ev, began=since),
                         RoleFact("ann-lee", "Chair", None, ev, began=Bound("2014", ev, "since 2014"))],
                        [EventFact("Meeting", ["ann-lee", "bob-hart"], "met", ev, roles=["Agent", "Patient"]),
                         EventFact("Meeting", ["bob-hart", "nec"], "met", ev, roles=["Agent", "Patient"])])
    path = tmp_path / "g.trig"
    path.write_text(to_dataset(kg).serialize(format="trig"), encoding="utf-8")
    report = validate_file(path)
    assert report.conforms, report
    triples = {t for ts in quads.graphs(kg).values() for t in ts}
    assert len({o for s, p, o in triples if p == quads.MAIN_ACTOR}) == 1
    assert len({o for s, p, o in triples if p == IN_XSD["gYear"]}) == 1  # the first telling's bound


def test_the_json_ld_context_names_the_time_and_participant_terms():
    import json

    from rdflib import Graph, Literal, URIRef
    from rdflib.namespace import XSD

    from graph.paths import SCHEMA
    from graph.vocab import KG, ORG, SEM, TIME

    context = json.loads((SCHEMA / "context.jsonld").read_text())["@context"]
    doc = {"@context": context, "id": "http://ex.org/m", "memberDuring": [{
        "id": "http://ex.org/i", "type": "Interval", "beginning": {"id": "http://ex.org/b", "inXSDgYear": "2015"}}],
        "participants": [{"id": "http://ex.org/r", "value": "http://ex.org/p", "roleType": "Agent"}],
        "stance": "Alleged"}
    g = Graph().parse(data=json.dumps(doc), format="json-ld")
    assert (URIRef("http://ex.org/m"), ORG.memberDuring, URIRef("http://ex.org/i")) in g
    assert (URIRef("http://ex.org/b"), TIME.inXSDgYear, Literal("2015", datatype=XSD.gYear)) in g
    assert (URIRef("http://ex.org/r"), SEM.roleType, KG.Agent) in g
    assert (URIRef("http://ex.org/m"), KG.stance, KG.Alleged) in g


def test_stood_down_in_may_closes_the_role_in_the_dated_accounts_may(extractor):
    text = "Ann Lee stood down as chair of the Northtown branch in May."
    dated = role(build(extractor, (text, "2016-08-15")), "Ann Lee", "Chair")
    assert (dated.ended.date, dated.ended.event) == ("2016-05", "Resignation") and dated.as_of is None
    undated = role(build(extractor, (text, None)), "Ann Lee", "Chair")
    assert undated.ended.date is None and undated.ended.event == "Resignation"  # closed; when, not said


def test_an_honorific_before_a_one_word_organisation_is_a_person(extractor):
    """"Mr Thornbury quit": when NER calls the surname an organisation, the honorific says who
    it is (and who acted); a post-nominal ("MP") or a longer organisation does not."""
    from spacy.tokens import Span

    from graph.extract.mentions import person_spans

    doc = extractor.nlp("Mr Thornbury quit Number 10 in August 2003. The MP Unison spoke.")
    doc.ents = [Span(doc, 1, 2, label="ORG"), Span(doc, 11, 12, label="ORG")]
    assert doc[11].text == "Unison"
    found = {span.text for span, _alias in person_spans(doc, extractor.lexicon, set())}
    assert "Thornbury" in found and "Unison" not in found


@pytest.mark.parametrize("sentence", [
    "Bob Hart, who was expelled from the party, accused Ann Lee of lying.",
    "The councillors, elected to the Northtown ward, deny any wrongdoing.",
])
def test_a_stance_outside_the_events_clause_is_not_its_stance(extractor, sentence):
    kg = build(extractor, (sentence, None))
    assert kg.events and all(e.stance is None for e in kg.events if e.type in {"Disciplinary", "Election"})


def test_no_as_of_when_the_account_tells_of_the_holder_leaving(extractor):
    """"He resigned" with no post named: which one he left, the words do not say, so no role of
    his is held "as of" the account's date (nor is any closed)."""
    kg = build(extractor, ("John Smith was treasurer of the Northtown CLP. In May 2014 John Smith resigned.",
                           "2014-06-02"))
    r = role(kg, "John Smith", "Treasurer")
    assert r.as_of is None and r.ended is None

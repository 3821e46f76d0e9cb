"""Event rules (graph/lexicon/patterns/events.yaml), one rule or family per test.

Each test names the rule ids it covers, and pairs sentences that must yield
the event, with the right participants, with sentences that must not. Names
are invented.
"""
from __future__ import annotations

import re

import pytest

from graph.extract import extract
from graph.extract.rules import load_rules
from graph.model import Account


def run(text: str, author: str | None = None):
    return extract(Account("t", "t.txt", "A statement", text, author=author))


def events(text: str, author: str | None = None) -> list[tuple[str, list[str]]]:
    """(type, participant names in order, the main one first; the teller as NARRATOR)."""
    ex = run(text, author)
    by_key = {e.key: e for e in ex.entities}
    return [(e.type, ["NARRATOR" if by_key[a].narrator else by_key[a].name for a in e.actors]) for e in ex.events]


def of_type(text: str, etype: str) -> list[list[str]]:
    return [actors for t, actors in events(text) if t == etype]


def test_every_rule_id_named_here_exists():
    ids = {r.id for r in load_rules()["events"]}
    with open(__file__, encoding="utf-8") as handle:
        named = set(re.findall(r"\bevents(?:\.[a-z-]+){2,}", handle.read()))
    assert len(named) > 25 and named <= ids, sorted(named - ids)


# ---- Resignation ----
#   events.resignation.word, events.resignation.step-down, events.resignation.leave-body
#   events.resignation.drop-out

@pytest.mark.parametrize("sentence, main, also", [
    ("Tamsin Orrell resigned as treasurer of Hollin CLP on Monday.", "Tamsin Orrell", "Hollin CLP"),
    ("Last week I stood down as chair of Hollin CLP.", "NARRATOR", "Hollin CLP"),
    ("Dewi Marsh left the Green Party in June.", "Dewi Marsh", "Green Party"),
    ("Priya Lall dropped out of the race for the Hollin CLP nomination.", "Priya Lall", None),
])
def test_the_one_who_resigns_is_the_agent(sentence, main, also):
    found = of_type(sentence, "Resignation")
    assert found and found[0][0] == main
    if also:
        assert also in found[0]


def test_a_resignation_reported_by_someone_else_is_the_resigners():
    """events.args.dependent: "X resigned, Y said" -- Y said it, X resigned."""
    found = of_type("Marek Doyle resigned as director of communications, Ellen Fisk said.", "Resignation")
    assert found == [["Marek Doyle"]]


def test_whose_resignation_it_is_comes_before_who_accepted_it():
    """events.args.dependent (possessor) before events.args.light-verb (secondary)."""
    found = of_type("Ellen Fisk accepted Marek Doyle's resignation.", "Resignation")
    assert found and found[0][0] == "Marek Doyle" and "Ellen Fisk" in found[0]


def test_leaving_a_room_is_no_resignation():
    """events.resignation.leave-body needs a body as the object."""
    assert not of_type("Nadia Brook left the meeting in tears.", "Resignation")
    assert not of_type("Nadia Brook left Hollin station at noon.", "Resignation")


def test_hoped_for_resignation_is_no_event():
    assert not of_type("I hope Marek Doyle will resign from the Green Party.", "Resignation")
    assert not of_type("Marek Doyle might resign from the Green Party.", "Resignation")


# ---- Appointment ----
#   events.appointment.word, events.appointment.elected-to-post, events.appointment.elected-as
#   events.appointment.in-charge, events.appointment.stand-as

def test_the_one_appointed_comes_first_and_the_appointer_takes_part():
    found = of_type("Ellen Fisk appointed Tamsin Orrell to the Hollin CLP executive.", "Appointment")
    assert found and found[0][0] == "Tamsin Orrell" and "Ellen Fisk" in found[0]


def test_elected_to_a_post_is_an_appointment_not_an_election():
    """events.appointment.elected-to-post and events.appointment.elected-as outrank events.election.elected."""
    text = "Nico Varga was elected Chair of the Hollin CLP and Bea Lund was elected Secretary."
    found = of_type(text, "Appointment")
    assert [a[0] for a in found] == ["Nico Varga", "Bea Lund"]  # two happenings, not one with both
    assert not of_type(text, "Election")
    assert of_type("The Green Party elected Ora Pell as its leader.", "Appointment")


def test_put_in_charge_and_standing_as_candidate():
    """events.appointment.in-charge, events.appointment.stand-as."""
    found = of_type("Ellen Fisk put Dewi Marsh in charge of the campaign.", "Appointment")
    assert found and "Dewi Marsh" in found[0]
    assert of_type("Priya Lall agreed to stand as the Green Party candidate.", "Appointment")
    assert not of_type("Priya Lall stands as a reminder of better days.", "Appointment")


def test_winning_a_leadership_is_an_appointment():
    """events.appointment.took-office: taking a post by winning it."""
    found = of_type("Priya Lall won the leadership of the Green Party in 2016.", "Appointment")
    assert found and found[0][:1] == ["Priya Lall"] and "Green Party" in found[0]
    assert of_type("Later Ellen Fisk assumed the chairmanship.", "Appointment")
    assert not of_type("Priya Lall won the leadership debate easily.", "Appointment")   # a debate, not a post
    assert not of_type("Priya Lall hopes to win the leadership.", "Appointment")        # only hoped for
    assert not of_type("The Green Party won the argument.", "Appointment")


# ---- Election ----
#   events.election.word (needs: told), events.election.elected, events.election.seat
#   events.election.by-election

@pytest.mark.parametrize("sentence", [
    "Mira Holt lost the by-election to the Conservative Party.",
    "The Green Party did well in the 2019 local elections.",
    "Mira Holt won the seat for the Conservative Party.",
    "Mira Holt was elected to Hollin Borough Council in 2008.",
    "Leaders must wake up to President Dan Kurtz's re-election.",
])
def test_an_election_the_account_tells_of(sentence):
    assert of_type(sentence, "Election")


@pytest.mark.parametrize("sentence", [
    "Ahead of the general election, polls show Labour ahead.",
    "Mira Holt said the next general election would be close.",
    "Mira Holt worked as an election agent for the Green Party.",
])
def test_a_mention_of_an_election_is_no_event(sentence):
    assert not of_type(sentence, "Election")


# ---- Vote: events.vote.word, events.vote.leadership ----

def test_a_vote_inside_a_body():
    found = of_type("The Hollin CLP executive voted to suspend the branch.", "Vote")
    assert found and "Hollin CLP" in " ".join(found[0])
    assert of_type("Mira Holt won the Green Party leadership contest in 2020.", "Vote")
    assert not of_type("Mira Holt won the Green Party leadership contest in 2020.", "Election")


def test_a_vote_that_may_never_happen_is_no_event():
    assert not of_type("The Conservatives say they will vote against it unless changes are agreed.", "Vote")


# ---- Meeting ----
#   events.meeting.word, events.meeting.joined-by, events.meeting.questions
#   events.meeting.speech-to, events.meeting.visit, events.meeting.hosted

def test_meetings_and_who_was_there():
    found = of_type("Dana Kowal attended the Hollin CLP meeting on Friday.", "Meeting")
    assert found and found[0][0] == "Dana Kowal" and "Hollin CLP" in found[0]
    found = of_type("At a poster launch, Ellen Fisk was joined by Marek Doyle.", "Meeting")
    assert found and {"Ellen Fisk", "Marek Doyle"} <= set(found[0])
    assert not of_type("At a poster launch, Ellen Fisk was joined by Marek Doyle.", "Joining")
    assert of_type("Ellen Fisk faces her first prime minister's questions today.", "Meeting")
    found = of_type("In a speech to the Fabian Society, Dana Kowal spoke of schools.", "Meeting")
    assert found and "Fabian Society" in found[0]
    found = of_type("A delegation of councillors visited Ellen Fisk to ask for funds.", "Meeting")
    assert found and found[0] == ["Ellen Fisk"]


def test_visiting_a_place_or_meeting_a_deadline_is_no_meeting():
    """events.meeting.visit needs a named person as the object."""
    assert not of_type("Ellen Fisk visited the new office on Tuesday.", "Meeting")
    assert not of_type("Dana Kowal met the deadline for nominations.", "Meeting")


# ---- Joining: events.joining.word, events.joining.re-join, events.joining.defect ----

def test_joining_and_defecting():
    found = of_type("Mira Holt joined the Green Party in 1992.", "Joining")
    assert found and found[0] == ["Mira Holt", "Green Party"]
    found = of_type("Ora Pell later defected to the Conservative Party.", "Joining")
    assert found and found[0][0] == "Ora Pell"
    assert not of_type("I hope you will rejoin the Green Party one day.", "Joining")


# ---- Disciplinary ----
#   events.disciplinary.word, events.disciplinary.kicked-out, events.disciplinary.formal-warning
#   events.disciplinary.membership-refused

def test_the_one_disciplined_comes_first_the_one_who_did_it_takes_part():
    found = of_type("Ellen Fisk expelled Dewi Marsh from the Green Party.", "Disciplinary")
    assert found and found[0][0] == "Dewi Marsh" and {"Ellen Fisk", "Green Party"} <= set(found[0])
    found = of_type("I was suspended from the Green Party by Ellen Fisk.", "Disciplinary")
    assert found and found[0][0] == "NARRATOR" and "Ellen Fisk" in found[0]
    found = of_type("Dewi Marsh, who Ellen Fisk also banned, spoke.", "Disciplinary")
    assert found and found[0][0] == "Dewi Marsh"
    assert of_type("Dewi Marsh was kicked off the Hollin CLP executive.", "Disciplinary")


@pytest.mark.parametrize("sentence, disciplinary", [
    ("I was officially warned by the Hollin CLP about my posts.", True),
    ("The Hollin CLP gave Dewi Marsh a formal warning.", True),
    ("She warned that prices would rise.", False),
    ("Ellen Fisk warned the Green Party against complacency.", False),
])
def test_only_an_official_warning_is_disciplinary(sentence, disciplinary):
    assert bool(of_type(sentence, "Disciplinary")) is disciplinary


def test_dismissing_a_claim_or_banning_a_practice_is_no_sanction():
    """events.disciplinary.of-a-person needs a person as the object."""
    assert not of_type("Ellen Fisk dismissed the claims as nonsense.", "Disciplinary")
    assert not of_type("The Green Party wants to ban fox hunting.", "Disciplinary")
    assert of_type("Ellen Fisk sacked Dewi Marsh in May.", "Disciplinary")
    assert of_type("Banning me was a way of silencing me, Dewi Marsh said.", "Disciplinary")


def test_a_threatened_sanction_is_no_event():
    assert not of_type("If I was expelled from the Green Party, my complaint would be dropped.", "Disciplinary")


# ---- Complaint ----
#   events.complaint.word, events.complaint.noun, events.complaint.criticise
#   events.complaint.raise-concerns

def test_the_one_who_complains_is_the_agent():
    found = of_type("Dana Kowal complained to the Hollin CLP about the selection.", "Complaint")
    assert found and found[0][0] == "Dana Kowal" and "Hollin CLP" in found[0]
    found = of_type("I lodged a formal complaint with the Green Party.", "Complaint")
    assert found and found[0][0] == "NARRATOR"
    found = of_type("Ora Pell criticised the Green Party for its silence.", "Complaint")
    assert found and found[0][0] == "Ora Pell"


def test_writing_and_emailing_are_no_complaints():
    assert not of_type("Dana Kowal emailed Ellen Fisk the morning after.", "Complaint")
    assert not of_type("Dana Kowal wrote to Ellen Fisk about the rota.", "Complaint")


# ---- Threat: events.threat.word, events.threat.abusive, events.threat.abuse-of-power (a veto) ----

def test_threats_and_abuse():
    found = of_type("Mira Holt received a death threat from Momentum supporters.", "Threat")
    assert found and "Mira Holt" in found[0]
    found = of_type("Ellen Fisk threatened Dewi Marsh after the count.", "Threat")
    assert found and {"Ellen Fisk", "Dewi Marsh"} <= set(found[0])


def test_name_calling_is_abuse():
    """events.threat.called-a-name, events.threat.name-calling."""
    found = of_type("I was called a traitor by Dewi Marsh outside the hall.", "Threat")
    assert found and found[0][0] == "NARRATOR" and "Dewi Marsh" in found[0]
    assert of_type("Dewi Marsh called me a liar at the count.", "Threat")


@pytest.mark.parametrize("sentence", [
    "Sarah Jones called a taxi.",
    "Sarah Jones called a meeting of the Hollin CLP.",
    "For the Hollin CLP to act like this is an abuse of power.",
    "Sarah Jones called a meeting of nobody in particular and then called a taxi.",
])
def test_no_threat(sentence):
    assert not of_type(sentence, "Threat")


@pytest.mark.parametrize("rule, sentence, etype", [
    ("events.joining.re-join", "Mira Holt has re-joined the Green Party.", "Joining"),
    ("events.meeting.hosted", "Ellen Fisk hosted a dinner for Dewi Marsh in May.", "Meeting"),
    ("events.disciplinary.membership-refused", "The Hollin CLP refused my membership.", "Disciplinary"),
    ("events.complaint.raise-concerns", "I raised concerns with the Hollin CLP about the count.", "Complaint"),
    ("events.disciplinary.whip", "Dewi Marsh lost the whip in March.", "Disciplinary"),
    ("events.resignation.noun", "I handed my Resignation to the Hollin CLP.", "Resignation"),
    ("events.vote.show-of-hands", "The Hollin CLP decided by a show of hands.", "Vote"),
    ("events.joining.membership", "Dewi Marsh transferred his membership to the Hollin CLP.", "Joining"),
    ("events.threat.abusive", "Dewi Marsh received abusive messages after the vote.", "Threat"),
    ("events.election.run-against", "Our son, who is running against Dewi Marsh, is busy.", "Election"),
])
def test_each_rule_finds_its_event(rule, sentence, etype):
    assert rule in {r.id for r in load_rules()["events"]}
    assert of_type(sentence, etype), f"{rule} found nothing in {sentence!r}"


def test_the_tellers_own_thing_brings_the_teller_in_but_a_relative_does_not():
    """events.args.dependent with a possessive: "my application" is the teller's; "my husband" is not the teller."""
    found = of_type("The Hollin CLP rejected my application in May.", "Disciplinary")
    assert found and "NARRATOR" in found[0]
    found = of_type("My husband resigned from the Green Party.", "Resignation")
    assert found and "NARRATOR" not in found[0]


# ---- folding repeats (resolve._events) ----

def test_the_same_happening_told_twice_is_one_event():
    found = of_type("I was expelled from the Green Party. Nobody explained. I was expelled, they said, "
                    "for a tweet.", "Disciplinary")
    assert len(found) == 1


def test_two_joinings_years_apart_are_two_events():
    text = "Mira Holt joined the Green Party in 1992. She was busy for years. She stayed away. " \
           "She spoke of it often. Mira Holt joined the Green Party again in 2013."
    assert len(of_type(text, "Joining")) == 2

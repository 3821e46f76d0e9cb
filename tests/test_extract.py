"""Extraction, one pattern family per test, on sentences written for the tests.

Names are invented: the extractor must find people and local bodies it has
never seen, from the shape of the text and the general lexicon alone.
"""
from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from graph.extract import extract, pieces
from graph.model import Account


def run(text: str, author: str | None = None, title: str = "A statement", date: str | None = None,
        addressee: str | None = None):
    return extract(Account("t", "t.txt", title, text, author=author, date=date), addressee)


def names(ex, kind):
    return {e.name for e in ex.entities if e.kind == kind and not e.narrator}


def roles(ex):
    by_key = {e.key: e for e in ex.entities}
    return {(by_key[r.person].name if not by_key[r.person].narrator else "NARRATOR", r.title.lower(),
             by_key[r.body].name if r.body else None) for r in ex.roles}


def events(ex):
    by_key = {e.key: e for e in ex.entities}
    return [(e.type, {("NARRATOR" if by_key[a].narrator else by_key[a].name) for a in e.actors}) for e in ex.events]


def test_local_bodies_from_name_patterns():
    ex = run("Priya Natarajan sits on Wexley Borough Council and chairs Upper Dunmore CLP. "
             "She spoke at the Mossford Labour Party meeting.")
    assert {"Wexley Borough Council", "Upper Dunmore CLP", "Mossford Labour Party"} <= names(ex, "body")


def test_people_found_and_short_names_resolved():
    ex = run("Tobias Wrenfield spoke first. Later Wrenfield said he would stand. Mr Wrenfield left early.")
    people = [e for e in ex.entities if e.kind == "person" and not e.narrator]
    assert [p.name for p in people] == ["Tobias Wrenfield"]
    assert {"Wrenfield", "Mr Wrenfield"} <= set(people[0].aliases)


def test_shared_first_name_is_not_a_merge():
    ex = run("Owen Harte and Owen Pellow both spoke. Harte was angry.")
    assert {"Owen Harte", "Owen Pellow"} <= names(ex, "person")


def test_role_words_months_and_places_are_not_people():
    ex = run("In March the Councillors met the Chair in Grimsworth. The Leader of Grimsworth Council agreed.")
    assert not names(ex, "person") & {"March", "Councillors", "Chair", "Grimsworth", "Leader"}
    assert "Leader of Grimsworth Council" in names(ex, "person")  # unnamed, but one person
    assert "Grimsworth Council" in names(ex, "body")


def test_acronym_defined_by_initials():
    ex = run("I wrote to the South East Regional Office. The SERO never replied.")
    body = next(e for e in ex.entities if e.name == "South East Regional Office")
    assert "SERO" in body.aliases


def test_known_acronym_from_lexicon():
    ex = run("The NEC met on Tuesday.")
    assert "National Executive Committee" in names(ex, "body")


def test_generic_mention_resolves_to_the_accounts_own_body():
    ex = run("I was elected to Fenwick Town Council in 2010. The council later voted to close the library.")
    council = next(e for e in ex.entities if e.name == "Fenwick Town Council")
    assert any(a.lower() == "the council" for a in council.aliases)


def test_as_phrase_role_of_the_narrator():
    ex = run("Yesterday I resigned as Leader of Brackwater Council.", author="Sam Teller")
    assert ("NARRATOR", "leader", "Brackwater Council") in roles(ex)


def test_apposition_role():
    ex = run("I met Dana Kowal, secretary of Eastvale CLP, on Monday.")
    assert ("Dana Kowal", "secretary", "Eastvale CLP") in roles(ex)


def test_apposition_without_comma_and_modifier():
    ex = run("I emailed Rob Tanner the temporary Regional Director about it.")
    assert any(p == "Rob Tanner" and "director" in t for p, t, _b in roles(ex))


def test_title_before_name():
    ex = run("We heard from MEP Carla Moss about the campaign.")
    assert ("Carla Moss", "mep", None) in roles(ex)


def test_including_list_and_other_members():
    ex = run("I spoke with other NEC members, including Ravi Bhatt.")
    found = roles(ex)
    assert ("Ravi Bhatt", "member", "National Executive Committee") in found
    assert ("NARRATOR", "member", "National Executive Committee") in found


def test_copula_and_self_reference():
    ex = run("It was agreed by the secretary, the treasurer (myself) and the organiser.", author="Lee Ward")
    assert any(p == "NARRATOR" and t == "treasurer" for p, t, _b in roles(ex))


def test_described_holder_when_unnamed():
    ex = run("I was summoned by the Chair of the Labour Group on Monday.")
    assert ("Chair of the Labour Group", "chair", "Labour Group") in roles(ex)


def test_person_of_body_is_a_member():
    ex = run("Mina Patel of the Compliance Unit replied.")
    assert ("Mina Patel", "member", "Compliance Unit") in roles(ex)


def test_first_person_is_the_author():
    ex = run("I resigned from the Labour Party in 2019.", author="Jo Barker")
    narrator = next(e for e in ex.entities if e.narrator)
    assert narrator.name == "Jo Barker"
    assert ("Resignation", {"NARRATOR", "Labour Party"}) in events(ex)


def test_unnamed_author_is_still_a_person():
    ex = run("I resigned from the Labour Party.", title="Why I left")
    narrator = next(e for e in ex.entities if e.narrator)
    assert narrator.name == "Author of Why I left"


@pytest.mark.parametrize("sentence, etype", [
    ("I stood down as chair of Hollin CLP last week.", "Resignation"),
    ("Ana Reyes was appointed to the Compliance Unit.", "Appointment"),
    ("Ana Reyes lost the by-election to the Conservative Party.", "Election"),
    ("The NEC voted to suspend the meetings.", "Vote"),
    ("The Labour Group held an emergency meeting.", "Meeting"),
    ("Ana Reyes joined the Labour Party in 1992.", "Joining"),
    ("I was expelled from the Labour Party.", "Disciplinary"),
    ("I made a formal complaint to the Regional Office.", "Complaint"),
    ("Ana Reyes received a death threat from Momentum supporters.", "Threat"),
])
def test_event_types(sentence, etype):
    assert etype in {t for t, _a in events(run(sentence))}


def test_event_date_relative_to_account_date():
    ex = run("Last July I joined the Labour Party.", date="2016-08-15")
    joining = next(e for e in ex.events if e.type == "Joining")
    assert joining.date == "2015-07"


def test_evidence_quotes_the_account_exactly():
    text = "Some preamble.\n\nI resigned as Leader of Brackwater Council. Then I went home."
    ex = run(text)
    assert ex.roles and ex.events
    for fact in [*ex.roles, *ex.events]:
        ev = fact.evidence
        assert text[ev.start:ev.end] == ev.text
        assert 0 < ev.confidence <= 1


def test_comment_greeting_resolves_to_the_post_author():
    ex = run("Dear Jon\n\nSorry to hear you resigned.", author="Ali Khan", addressee="Jon Tarrant")
    assert "Jon Tarrant" in names(ex, "person")
    assert "Jon" not in names(ex, "person")


def test_long_text_is_cut_into_pieces_at_breaks():
    text = ("A sentence about Wexley Borough Council.\n\n" * 2000)
    cuts = list(pieces(text, size=5000))
    assert "".join(p for _o, p in cuts) == text
    assert all(len(p) <= 5000 for _o, p in cuts)
    assert all(text[o:o + len(p)] == p for o, p in cuts)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(min_size=0, max_size=400) | st.from_regex(r"(<[a-z]+>[A-Z][a-z]{2,9} ){1,20}", fullmatch=True))
def test_random_text_never_raises_and_spans_quote_exactly(text):
    ex = run(text)
    for entity in ex.entities:
        for ev in entity.evidence:
            assert 0 <= ev.start <= ev.end <= len(text) and text[ev.start:ev.end] == ev.text
    for fact in [*ex.roles, *ex.events]:
        ev = fact.evidence
        assert 0 <= ev.start <= ev.end <= len(text) and text[ev.start:ev.end] == ev.text


def test_hypothetical_events_are_not_events():
    ex = run("If I was expelled from the Labour Party, my complaint would not be investigated.")
    assert "Disciplinary" not in {t for t, _a in events(ex)}


def test_hoped_for_events_are_not_events():
    hoped = run("Marla Quenby wrote to the Harrowgate Labour Party. I hope you will rejoin the party one day.")
    assert "Joining" not in {t for t, _a in events(hoped)}
    expected = run("I expected the Tollworth Borough Council to vote on the budget.")
    assert "Vote" not in {t for t, _a in events(expected)}
    happened = run("Marla Quenby rejoined the Harrowgate Labour Party in May.")
    assert "Joining" in {t for t, _a in events(happened)}


def test_the_same_happening_told_twice_is_one_event():
    ex = run("I was expelled from the Labour Party. Nobody explained. "
             "Much later I learnt why I was expelled from the Labour Party.")
    assert [t for t, _a in events(ex)].count("Disciplinary") == 1


def test_title_then_name_in_apposition():
    ex = run("In January the leader of the council, Cllr Peter Vane, removed me from the cabinet. "
             "I was warned by the chief whip, Sandra Loome, before the vote. The council is Norbury Borough Council.")
    found = roles(ex)
    assert ("Peter Vane", "leader", "Norbury Borough Council") in found
    assert any(p == "Sandra Loome" and t == "chief whip" for p, t, _b in found)
    assert ("Peter Vane", "councillor", "Norbury Borough Council") in found  # "Cllr", recorded in full


def test_the_party_is_the_party_the_account_names():
    ex = run("I have resigned from the Green Party. I joined the party in 1994.", author="Mo Reed")
    assert ("NARRATOR", "member", "Green Party") in roles(ex)
    joining = next(e for e in ex.events if e.type == "Joining")
    assert joining.date == "1994"


def test_removal_is_disciplinary_and_threatened_hearing_is_not():
    ex = run("Mr Vane removed me from the cabinet. I would face a disciplinary hearing if I spoke out.")
    kinds = [t for t, _a in events(ex)]
    assert kinds.count("Disciplinary") == 1


def test_long_account_is_extracted_piece_by_piece_with_true_offsets(monkeypatch):
    import graph.extract as extract_module

    monkeypatch.setattr(extract_module, "PIECE_CHARS", 300)
    para = "Dana Kowal, secretary of Eastvale CLP, resigned in May 2016.\n\n"
    text = "Preamble line.\n\n" + para * 12
    ex = run(text)
    assert ("Dana Kowal", "secretary", "Eastvale CLP") in roles(ex)
    for fact in [*ex.roles, *ex.events]:
        assert text[fact.evidence.start:fact.evidence.end] == fact.evidence.text
    kowal = next(e for e in ex.entities if e.name == "Dana Kowal")
    assert len(kowal.evidence) == 12  # one mention per paragraph, across every piece


def test_huge_tokens_and_no_sentences_do_not_break_extraction():
    text = "x" * 50_000 + " " + "Zz" * 10_000
    ex = run(text)
    assert all(0 <= e.start <= e.end <= len(text) for ent in ex.entities for e in ent.evidence)


def test_relative_clause_and_honorific_names():
    ex = run("Our councillor, Cllr Joan Feld, spoke. Martin Grieve, who had been treasurer of Ashby CLP "
             "since 2016, thanked members.")
    found = roles(ex)
    assert "Joan Feld" in names(ex, "person") and "Cllr Joan Feld" not in names(ex, "body")
    assert ("Martin Grieve", "treasurer", "Ashby CLP") in found


def test_body_before_title_then_name():
    ex = run("I have referred the complaint to the Ashby and Hale CLP secretary, Nasreen Akram.")
    assert ("Nasreen Akram", "secretary", "Ashby and Hale CLP") in roles(ex)


def test_title_naming_a_kind_of_body_picks_that_body():
    ex = run("The AGM of Kelsey Ward branch met on Tuesday. I chaired it as outgoing branch chair. "
             "Rachel Odd was elected as branch secretary. Our CLP is Marston CLP.", author="Tom Brill")
    found = roles(ex)
    assert ("NARRATOR", "branch chair", "Kelsey Ward branch") in found
    assert ("Rachel Odd", "branch secretary", "Kelsey Ward branch") in found


def test_the_meeting_again_is_the_meeting_already_told():
    ex = run("The Ashby Labour Group held an emergency meeting on Monday. Ann Vell spoke during the meeting. "
             "I felt the meeting went badly.")
    assert [t for t, _a in events(ex)].count("Meeting") == 1


def test_elected_as_a_post_is_an_appointment_elected_alone_an_election():
    inside = events(run("Rachel Odd was elected as branch secretary of Kelsey Ward branch."))
    public = events(run("Rachel Odd was first elected to Wexley Borough Council in 2008."))
    assert "Appointment" in {t for t, _a in inside} and "Election" not in {t for t, _a in inside}
    assert "Election" in {t for t, _a in public}


def test_signature_is_a_person_but_a_heading_is_not():
    ex = run("Background\n\nThe background to this is long.\n\nThanks for reading.\n\nMarguerite\n")
    people = names(ex, "person")
    assert "Background" not in people
    assert "Marguerite" in people


def test_remain_a_member_of_two_bodies():
    ex = run("I remain a member of Unison and of the Co-operative Party.", author="Hana Corr")
    found = roles(ex)
    assert ("NARRATOR", "member", "Unison") in found and ("NARRATOR", "member", "Co-operative Party") in found


def test_local_police_force_is_a_body():
    assert "West Yorkshire Police" in names(run("West Yorkshire Police investigated the threats."), "body")


def test_quoted_i_is_not_the_teller():
    ex = run('Cllr Fiona Ashby said: "I was told by email that I had been suspended."', author="Gem Hurst")
    suspension = next(e for e in ex.events if e.type == "Disciplinary")
    assert "narrator" not in suspension.actors


def test_byline_with_a_job_title_is_the_named_person():
    ex = run("Gem Hurst reports on the council.", author="Local Democracy Reporter Gem Hurst")
    narrator = next(e for e in ex.entities if e.narrator)
    assert narrator.name == "Gem Hurst"
    assert "Gem Hurst" not in names(ex, "person")


def test_on_joins_a_place_name_only_between_hyphens():
    ex = run("She represents Millway on Eastford Borough Council. Southend-on-Sea Borough Council met.")
    bodies = names(ex, "body")
    assert "Eastford Borough Council" in bodies and "Southend-on-Sea Borough Council" in bodies

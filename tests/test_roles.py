"""Roles and bodies, one rule of graph/lexicon/patterns/roles.yaml (or one lexicon family) per test.

Each test names the rule id it covers, and asserts what must be found next to
what must not. Sentences and names are invented for the tests.
"""
from __future__ import annotations

import pytest

from graph.extract import extract
from graph.extract.rules import load_rules
from graph.extract.titles import title_case
from graph.model import Account


def run(text: str, author: str | None = None):
    return extract(Account("t", "t.txt", "A statement", text, author=author))


def roles(ex) -> set[tuple[str, str, str | None]]:
    by_key = {e.key: e for e in ex.entities}
    return {("NARRATOR" if by_key[r.person].narrator else by_key[r.person].name, r.title,
             by_key[r.body].name if r.body else None) for r in ex.roles}


def holders(ex) -> set[str]:
    return {p for p, _t, _b in roles(ex)}


def bodies(ex) -> set[str]:
    return {e.name for e in ex.entities if e.kind == "body"}


RULE_IDS = {r.id for family in load_rules().values() for r in family}


def covers(rule_id: str) -> str:
    """The rule a test covers; fails at collection if the rule is gone."""
    assert rule_id in RULE_IDS, rule_id
    return rule_id


# ---- apposition and pre-modifiers -------------------------------------------------

def test_apposition_after_the_name():
    covers("roles.appos-holder-first")
    ex = run("Yesterday Helen Marsh, the Conservative leader, called the budget a mistake.")
    assert ("Helen Marsh", "Leader", "Conservative Party") in roles(ex)
    ex = run("Helen Marsh, the chair of the meeting, was late.")
    assert not any(t == "Chair" and b for _p, t, b in roles(ex))  # a meeting is no body


def test_second_title_in_an_apposition():
    covers("roles.appos-conj")
    ex = run("Peter Walsh, a former Labour minister and now a European Commissioner, spoke.")
    found = roles(ex)
    assert ("Peter Walsh", "Minister", "Labour Party") in found
    assert any(p == "Peter Walsh" and t.endswith("Commissioner") for p, t, _b in found)


def test_title_then_name_in_apposition():
    covers("roles.appos-title-first")
    ex = run("On Friday a reply came from Plaid's chief executive, Gareth Lloyd, by post.")
    assert ("Gareth Lloyd", "Chief Executive", "Plaid Cymru") in roles(ex)
    ex = run("On Friday a reply came from the chief executive by post. Gareth Lloyd rang later.")
    assert "Gareth Lloyd" not in holders(ex)


def test_title_written_before_the_name():
    covers("roles.premodifier")
    ex = run("Tory leader Karen Doyle wants a vote. Lib Dem transport spokesman Simon Hale disagrees.")
    found = roles(ex)
    assert ("Karen Doyle", "Leader", "Conservative Party") in found
    assert ("Simon Hale", "Transport Spokesman", "Liberal Democrats") in found
    ex = run("Sarah Jones called a taxi after the leader spoke.")
    assert "Sarah Jones" not in holders(ex)


def test_whole_titles_keep_prefix_and_portfolio():
    covers("roles.premodifier")
    ex = run("Shadow Foreign Secretary Mary Fisher was in Paris, and Deputy Prime Minister John Barker stayed home.")
    found = roles(ex)
    assert ("Mary Fisher", "Shadow Foreign Secretary", None) in found
    assert ("John Barker", "Deputy Prime Minister", None) in found
    ex = run("The Secretary of State for Work and Pensions Laura Bennett opened the debate.")
    assert ("Laura Bennett", "Secretary of State for Work and Pensions", None) in roles(ex)


def test_a_place_is_no_portfolio():
    ex = run("Since May I have been the Green parliamentary spokesman for Leeds.")
    titles = {t for _p, t, _b in roles(ex)}
    assert "Parliamentary Spokesman" in titles
    assert not any("Leeds" in t for t in titles)


def test_title_case_is_one_per_title():
    assert title_case(["vice", "chair"]) == title_case(["Vice", "Chair"]) == "Vice Chair"
    assert title_case(["secretary", "of", "state", "for", "work", "and", "pensions"]) \
        == "Secretary of State for Work and Pensions"
    assert title_case(["1st", "vice", "chair"]) == "1st Vice Chair"
    assert title_case(["MP"]) == "MP"


def test_former_is_no_part_of_the_title():
    ex = run("Former Liberal Democrat Cllr Emma Hughes now runs a bakery.")
    assert ("Emma Hughes", "Councillor", "Liberal Democrats") in roles(ex)
    ex = run("I met former colleagues at the station.")
    assert not roles(ex) - {("NARRATOR", "Member", None)}


# ---- clauses ------------------------------------------------------------------------

def test_relative_clause_with_a_copula():
    covers("roles.relative-copula")
    ex = run("Edward Lane, who is chairman of the Finance Committee, wants a new audit.")
    assert ("Edward Lane", "Chairman", "Finance Committee") in roles(ex)
    ex = run("Edward Lane, who is angry with the Finance Committee, wants a new audit.")
    assert "Edward Lane" not in holders(ex)


def test_elected_to_a_title():
    covers("roles.elected-to-title")
    ex = run("Rachel Green was elected Chair of the Garside Committee at its AGM "
             "and Tom Archer was elected Secretary.")
    found = roles(ex)
    assert ("Rachel Green", "Chair", "Garside Committee") in found
    assert ("Tom Archer", "Secretary", "Garside Committee") in found  # the one body of the sentence
    ex = run("Foreign Secretary Ruth Evans told the Wexley Gazette that the deal was done.")
    assert ("Ruth Evans", "Foreign Secretary", None) in roles(ex)  # the paper she spoke to is not her body
    ex = run("Rachel Green was elected in 2019 and praised the chair.")
    assert "Rachel Green" not in holders(ex)


def test_elected_as_gives_the_title_to_the_one_elected():
    covers("roles.elected-as")
    ex = run("In March the Greens chose Dr Michael Reed as their leader.")
    assert ("Michael Reed", "Leader", "Green Party") in roles(ex)
    assert not any(t == "Leader" and p == "NARRATOR" for p, t, _b in roles(ex))


def test_name_as_the_title():
    covers("roles.name-as-title")
    ex = run("I have been campaigning with James Porter and now Sarah Cole as the chairmen of the Fallow Society.")
    found = {(p, t) for p, t, _b in roles(ex)}
    assert {("James Porter", "Chairman"), ("Sarah Cole", "Chairman")} <= found
    assert ("NARRATOR", "Chairman") not in found
    ex = run("We won thanks to James Porter and Sarah Cole as the chairmen of the Fallow Society.")
    assert not any(e.described for e in ex.entities)  # a plural title describes no one holder


def test_verb_of_office_needs_a_body():
    covers("roles.verb-of-office")
    ex = run("Linda Moore chairs the Mosswick Parish Council.")
    assert ("Linda Moore", "Chair", "Mosswick Parish Council") in roles(ex)
    ex = run("Linda Moore chaired the meeting on Tuesday.")
    assert "Linda Moore" not in holders(ex)


def test_standing_for_a_party():
    covers("roles.stand-for-party")
    ex = run("Sean Kelly and Mary Byrne are to contest the by-election for Fine Gael next month.")
    found = roles(ex)
    assert ("Sean Kelly", "Candidate", "Fine Gael") in found
    assert ("Mary Byrne", "Candidate", "Fine Gael") in found
    ex = run("Sean Kelly will stand for the anthem at the Fenbridge Town Council.")
    assert "Sean Kelly" not in holders(ex)


def test_being_in_a_party():
    covers("roles.in-party")
    ex = run("For ten years I have been in the NDP and I still am.")
    assert ("NARRATOR", "Member", "New Democratic Party") in roles(ex)
    ex = run("For ten years I have been in the Halbury Town Hall choir.")
    assert not any(t == "Member" for _p, t, _b in roles(ex))


def test_winning_the_leadership():
    covers("roles.took-office")
    ex = run("Robert Hill won the leadership of the Green Party in a landslide.")
    assert ("Robert Hill", "Leader", "Green Party") in roles(ex)
    ex = run("Robert Hill praised the leadership of the Green Party.")
    assert "Robert Hill" not in holders(ex)


def test_whoever_is_put_out_of_a_body_was_its_member():
    covers("roles.removed-from-body")
    ex = run("The NEC expelled Anna Wright from the Green Party. Mark Turner was suspended from the Labour Party "
             "pending an inquiry.")
    found = roles(ex)
    assert ("Anna Wright", "Member", "Green Party") in found
    assert ("Mark Turner", "Member", "Labour Party") in found
    assert ("Anna Wright", "Member", "National Executive Committee") not in found  # who expelled, not where from
    ex = run("Last week the party suspended me from the Green Party. I was kicked off the NEC as well.")
    assert {("NARRATOR", "Member", "Green Party"), ("NARRATOR", "Member", "National Executive Committee")} <= roles(ex)
    ex = run("Anna Wright removed the motion from the agenda of the Green Party.")
    assert "Anna Wright" not in holders(ex)   # the motion was removed, and it is no one
    ex = run("Stewards removed Mark Turner from the hall.")
    assert "Mark Turner" not in holders(ex)   # a hall is not a body


def test_joining_and_defecting():
    covers("roles.joined")
    covers("roles.transferred-membership")
    ex = run("Anna Wright joined the Green Party in 2015. Later Mark Turner defected to the Tories.")
    found = roles(ex)
    assert ("Anna Wright", "Member", "Green Party") in found
    assert ("Mark Turner", "Member", "Conservative Party") in found
    ex = run("Mark Turner spoke. He was joined on the stage by members of the Green Party.")
    assert "Mark Turner" not in holders(ex)
    ex = run("Anna Wright joined the queue outside.")
    assert "Anna Wright" not in holders(ex)
    ex = run("I said yes, though it meant rejoining the Green Party after ten years.")
    assert ("NARRATOR", "Member", "Green Party") in roles(ex)  # the teller's own gerund
    ex = run("It meant rejoining the Green Party after ten years.")
    assert not roles(ex) - {("NARRATOR", "Member", None)}


# ---- officer lists ------------------------------------------------------------------

def test_officer_lists():
    covers("roles.title-dash-holder")
    covers("roles.holder-dash-title")
    ex = run("The officers were elected.\n\nTreasurer: Susan Clarke\n\nSarah Williams – Secretary\n")
    found = {(p, t) for p, t, _b in roles(ex)}
    assert {("Susan Clarke", "Treasurer"), ("Sarah Williams", "Secretary")} <= found
    ex = run("The result: Susan Clarke won easily.")
    assert "Susan Clarke" not in holders(ex)


def test_listed_holders_of_a_plural_title():
    covers("roles.list-introducer")
    ex = run("The branch sent four delegates to the Tarrow Committee: Frank Miller, Alice Cooper and Brian Shaw.")
    found = roles(ex)
    for name in ("Frank Miller", "Alice Cooper", "Brian Shaw"):
        assert (name, "Delegate", "Tarrow Committee") in found
    ex = run("The branch sent four delegates to the Tarrow Committee. Frank Miller came later.")
    assert "Frank Miller" not in holders(ex)


# ---- parties and other bodies -------------------------------------------------------

@pytest.mark.parametrize("text, party", [
    ("Tory leader Paul Walker spoke.", "Conservative Party"),
    ("SNP leader Paul Walker spoke.", "Scottish National Party"),
    ("Plaid activist Paul Walker spoke.", "Plaid Cymru"),
    ("UKIP chairman Paul Walker spoke.", "UK Independence Party"),
    ("Fine Gael candidate Paul Walker spoke.", "Fine Gael"),
    ("NDP candidate Paul Walker spoke.", "New Democratic Party"),
    ("Democratic nominee Paul Walker spoke.", "Democratic Party"),
    ("Next year I am to be the Green candidate in my ward.", "Green Party"),
])
def test_party_names_and_adjectives(text, party):
    ex = run(text)
    assert party in bodies(ex)
    assert any(b == party for _p, _t, b in roles(ex))


@pytest.mark.parametrize("text, named", [
    ("The EU also confirmed a new aid package.", True),
    ("He praised the EU's commitment to the plan.", True),
    ("Britain should leave the EU, she said.", True),
    ("He backed a Remain vote in the EU referendum.", False),
    ("She attacked the proposed EU-US trade deal.", False),
    ("The UK would only join EU-wide measures.", False),
])
def test_a_noun_only_short_form_names_the_body_only_as_a_noun(text, named):
    """bodies.yaml `nouns`: "the EU" is the European Union; "the EU referendum" is a referendum."""
    assert ("European Union" in bodies(run(text))) is named


def test_party_adjective_alone_is_no_party():
    ex = run("The green fields were empty. Tom Green MP spoke. The Democratic process matters.")
    assert not bodies(ex) & {"Green Party", "Democratic Party"}


def test_national_party_is_told_apart_by_country():
    ex = run("The National Party asked the Labour Party for its view.")
    assert not any(e.name == "Labour Party" and "National Party" in e.aliases for e in ex.entities)
    assert not any("National" in b for b in bodies(ex))  # no country named: no one party
    ex = run("In Auckland the National Party won the seat from Labour.")
    assert "New Zealand National Party" in bodies(ex)
    ex = run("In Queensland the National Party held its conference.")
    assert "National Party of Australia" in bodies(ex)


def test_candidate_is_held_in_the_party_not_the_council_contested():
    ex = run("Joan Harris, the UKIP candidate for the Wexley County Council, withdrew.")
    assert ("Joan Harris", "Candidate", "UK Independence Party") in roles(ex)


def test_member_of_a_party_organ():
    ex = run("Chris Palmer, a long-serving member of UKIP's NEC, resigned on Sunday.")
    assert any(p == "Chris Palmer" and t == "Member" and b != "UK Independence Party" for p, t, b in roles(ex))


def test_one_word_organisations():
    ex = run("Hospital waiting lists rose, the NHS said. NHS chief Neil Baxter blamed the winter.")
    assert "NHS" in bodies(ex)
    assert ("Neil Baxter", "Chief", "NHS") in roles(ex)
    ex = run("Tony Garner spoke. Garner said the Committee would meet. The Garside Committee met.")
    assert "Garner" not in bodies(ex) and "Committee" not in bodies(ex)


def test_title_containing_a_body_word_is_a_title():
    ex = run("The chief executive, Ruth Evans, wrote to me.")
    assert ("Ruth Evans", "Chief Executive", None) in roles(ex)
    assert not any(b == "CLP executive" for b in bodies(ex))


def test_acronym_titles_only_in_capitals():
    ex = run("I am sure. Rhys Morgan AM agreed with me.")
    found = roles(ex)
    assert ("Rhys Morgan", "AM", None) in found or "Rhys Morgan" not in {e.name for e in ex.entities}
    assert not any(t == "AM" and p == "NARRATOR" for p, t, _b in found)


def test_described_holder_is_the_named_one():
    ex = run("Tory leader Karen Doyle opened the debate. Later the Tory leader said the vote was lost.")
    assert ("Karen Doyle", "Leader", "Conservative Party") in roles(ex)
    assert not any(e.described for e in ex.entities)
    ex = run("Later the Tory leader said the vote was lost.")
    assert not any(e.kind == "person" for e in ex.entities)  # no name: a post is no person node


def test_lower_case_committees():
    covers("bodies.lowercase-committee")
    ex = run("The plan went to the overview and scrutiny committee. Ruth Evans sits on the planning policy committee.")
    assert {"overview and scrutiny committee", "planning policy committee"} <= bodies(ex)
    ex = run("Councillors on the planning policy committee voted. Jane Moore, who chairs the committee, spoke.")
    assert ("Jane Moore", "Chair", "planning policy committee") in roles(ex)  # "the committee": that one
    ex = run("The plan went back to the same committee, and then to the committee.")
    assert not any("committee" in b for b in bodies(ex))


def test_a_party_group_is_a_body_of_its_own():
    covers("bodies.party-group")
    ex = run("The SNP group on Wexley Council walked out. The Green group leader, Tom Baker, spoke.")
    by_name = {e.name: e for e in ex.entities if e.kind == "body"}
    assert {"SNP group", "Green group"} <= set(by_name)
    assert by_name["SNP group"].parent == "body:" + "scottish national party"
    assert ("Tom Baker", "Leader", "Green group") in roles(ex)
    ex = run("The Facebook group was busy, and a study group met.")
    assert not any("group" in b for b in bodies(ex))


def test_no_portfolio_from_a_body_word_or_an_honorific():
    ex = run("Commons education committee chairman Barry Sheerman said so. A spokesman for Mr Blair denied it.")
    titles = {t for _p, t, _b in roles(ex)}
    assert "Chairman" in titles
    assert not any("Committee" in t or "Mr" in t for t in titles)


def test_events_laws_and_portfolios_are_no_bodies():
    ex = run("The Anti-Fraud Bill failed. Turnout at the European Elections fell. "
             "Home Secretary Ruth Evans spoke; the Home Office agreed. Home Secretary Ruth Evans left.")
    found = bodies(ex)
    assert not found & {"Anti-Fraud Bill", "European Elections", "Home"}
    assert any(p == "Ruth Evans" and t == "Home Secretary" for p, t, _b in roles(ex))


def test_number_ten_is_a_body():
    ex = run("Ex-No 10 media chief Gavin Lowe is at the centre of a row.")
    assert "No 10" in bodies(ex)
    assert ("Gavin Lowe", "Media Chief", "No 10") in roles(ex)


def test_former_roles_are_marked_in_the_graph():
    from rdflib import Literal
    from rdflib.namespace import XSD

    from graph.merge import merge
    from graph.rdf import to_dataset, union
    from graph.vocab import KG, ORG

    ex = run("Peter Walsh, a former Labour minister, spoke. The treasurer, Sarah Williams, paid.")
    former = {r.title: r.former for r in ex.roles}
    assert former == {"Minister": True, "Treasurer": False}
    g = union(to_dataset(merge([ex])))
    flagged = set(g.subjects(KG.former, Literal("true", datatype=XSD.boolean)))
    assert len(flagged) == 1 and (next(iter(flagged)), ORG.member, None) in g
    ex = run("Peter Walsh, a former Labour minister, spoke. Later Labour minister Peter Walsh said more.")
    assert [r.former for r in ex.roles if r.title == "Minister"] == [False]  # held now, as the account says too


def test_short_reference_to_a_named_body():
    ex = run("I have been campaigning with James Porter and now Sarah Cole as the chairmen of the Association. "
             "Later the Wexley Conservative Association thanked them.")
    assert ("Sarah Cole", "Chairman", "Wexley Conservative Association") in roles(ex)
    ex = run("I have been campaigning with James Porter and now Sarah Cole as the chairmen of the Association.")
    assert ("Sarah Cole", "Chairman", None) in roles(ex)  # no body to refer to


def test_possessive_and_of_members():
    covers("roles.possessive-member")
    covers("roles.person-of-body")
    ex = run("We read Sarah Cole's Wexley Labour Party report. Tom Baker of the Compliance Unit replied.")
    found = roles(ex)
    assert ("Sarah Cole", "Member", "Wexley Labour Party") in found
    assert ("Tom Baker", "Member", "Compliance Unit") in found
    ex = run("We read Sarah Cole's report. Tom Baker of Leeds replied.")
    assert not {"Sarah Cole", "Tom Baker"} & holders(ex)


def test_self_reference_and_other_holders():
    covers("roles.self-reference")
    covers("roles.other-holders")
    ex = run("The treasurer (myself) signed it. Ruth Evans and other NEC members objected.")
    found = roles(ex)
    assert ("NARRATOR", "Treasurer", None) in found
    assert any(p == "NARRATOR" and t == "Member" and b == "National Executive Committee" for p, t, b in found)
    ex = run("The treasurer (Ruth Evans) signed it. The other day the members objected.")
    assert not any(p == "NARRATOR" for p, _t, _b in roles(ex))


def test_unnamed_holder_is_the_subject_told_of_just_before():
    ex = run("Karen Doyle has launched an attack on the plan. The Tory leader said it would fail.")
    assert ("Karen Doyle", "Leader", "Conservative Party") in roles(ex)
    assert not any(e.described for e in ex.entities)
    ex = run("Karen Doyle attacked Ruth Evans over the plan. The Labour leader said it would work.")
    assert not any(b == "Labour Party" and p in {"Karen Doyle", "Ruth Evans"} for p, _t, b in roles(ex))


def test_acronym_organisations():
    ex = run("Ruth Evans told the BBC that prices would rise. Later the BBC asked again.")
    assert "BBC" in bodies(ex)
    ex = run("Prices rose when VAT went up at noon GMT on Friday.")
    assert not bodies(ex) & {"VAT", "GMT"}


def test_ordinary_sentences_yield_no_role():
    for text in ("Sarah Jones called a taxi.", "The chair of the meeting was empty.",
                 "I met former colleagues for lunch.", "Tom Green MP is a good green campaigner.",
                 "She said the head of steam was gone."):
        ex = run(text)
        assert not {(p, t) for p, t, _b in roles(ex)} - {("Tom Green", "MP")}, text


def test_copula():
    covers("roles.copula")
    ex = run("After all these years I am still a member of the Green Party. Karen Doyle became leader of the Wexley Labour Party.")
    found = roles(ex)
    assert ("NARRATOR", "Member", "Green Party") in found
    assert ("Karen Doyle", "Leader", "Wexley Labour Party") in found
    ex = run("The leader of the Wexley Labour Party is a mystery to Karen Doyle.")
    assert "Karen Doyle" not in holders(ex)


def test_every_roles_and_bodies_rule_has_a_test_here():
    from pathlib import Path

    text = Path(__file__).read_text(encoding="utf-8")
    rules = load_rules()
    untested = [r.id for family in ("roles", "bodies") for r in rules.get(family, [])
                if f'covers("{r.id}")' not in text]
    assert not untested, f"rules with no test naming them: {untested}"


def test_unnamed_holder_of_another_party_is_not_the_subject_before():
    ex = run("Tory leader Karen Doyle spoke in Leeds. Karen Doyle attacked the plan. The Labour leader replied.")
    assert not any(p == "Karen Doyle" and b == "Labour Party" for p, _t, b in roles(ex))

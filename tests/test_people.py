"""People, the teller and the person filter, on invented sentences.

Each test names the rule of graph/lexicon/patterns/people.yaml (or the code
rule) it covers; every one asserts what must NOT be a person next to what must.
"""
from __future__ import annotations

import pytest

from graph.extract import extract
from graph.extract.lexicon import load_lexicon
from graph.extract.mentions import person_spans
from graph.extract.nlp import load_nlp
from graph.extract.persons import PersonFilter
from graph.extract.quotes import mark_quotes, teller_speaks
from graph.extract.rules import load_rules
from graph.model import Account


def people(text: str, author: str | None = None, title: str = "A report") -> set[str]:
    ex = extract(Account("t", "t.txt", title, text, author=author))
    return {e.name for e in ex.entities if e.kind == "person" and not e.narrator}


def tellers(text: str, author: str | None = None, title: str = "A report") -> list[str]:
    ex = extract(Account("t", "t.txt", title, text, author=author))
    return [e.name for e in ex.entities if e.narrator]


def verdicts(text: str) -> dict[str, str | None]:
    """Each PERSON entity of `text` -> the id of the rule that rejects it (None: a person)."""
    doc = load_nlp()(text)
    filt = PersonFilter(doc, load_lexicon().person_titles)
    return {e.text: (v.rule if (v := filt.verdict(e)) else None) for e in doc.ents if e.label_ == "PERSON"}


def test_every_people_rule_is_loaded_with_a_reason():
    rules = load_rules()["people"]
    assert {r.id for r in rules} >= {"people.job-description", "people.shadow-portfolio", "people.seat-named",
                                     "people.member-for-seat", "people.compass-seat", "people.place-preposition",
                                     "people.after-place", "people.before-place", "people.group-plural",
                                     "people.group-suffix"}
    assert all(r.reason for r in rules)


def test_job_description_is_not_a_person_but_the_name_after_it_is():  # people.job-description, _after_job
    found = people("Tory leader Kemal Ashdown spoke first. The Liberal Democrat leader said nothing. "
                   "Finance Minister Orla Brisk agreed.")
    assert {"Kemal Ashdown", "Orla Brisk"} <= found
    assert not {n for n in found if "leader" in n.lower() or "Minister" in n}


def test_shadow_portfolio_is_no_name():  # people.shadow-portfolio
    found = people("Shadow Home Secretary Dafydd Merrow told the programme he would vote against it.")
    assert "Dafydd Merrow" in found
    assert "Shadow Home" not in found


def test_seat_named_before_seat_is_not_a_person():  # people.seat-named
    found = people("Tobin Ferrow said the Westmorland and Lonsdale seat was one to watch.")
    assert "Tobin Ferrow" in found
    assert not found & {"Westmorland", "Lonsdale", "Westmorland and Lonsdale"}


def test_what_a_member_sits_for_is_a_seat():  # people.member-for-seat
    found = people("The MP for Holborn and St Pancras, Fenella Quarry, spoke.")
    assert "Fenella Quarry" in found
    assert not found & {"Holborn", "St Pancras"}


def test_place_and_compass_point_is_a_constituency():  # people.compass-seat
    found = verdicts("Mr Tom Ellery said Leeds North West and Surrey South West were close.")
    assert found["Leeds North West"] == "people.compass-seat"
    assert found["Surrey South West"] == "people.compass-seat"
    assert found["Tom Ellery"] is None
    names = people("Councillor Maisie West and Oliver North spoke in Leeds.")
    assert {"Maisie West", "Oliver North"} <= names  # a compass word after a first name is a surname


def test_a_known_place_after_a_preposition_is_a_place_but_a_named_man_is_not():  # people.place-preposition
    found = people("Bob Pellingham, of Torfaen, said rises were vital. Later in Holborn, Mr Howard said no.")
    assert "Bob Pellingham" in found
    assert not found & {"Torfaen", "Holborn"}
    assert any(n.endswith("Howard") for n in found)  # a city shares the name; the honorific wins


def test_items_of_a_list_of_places_are_places():  # people.place-list
    found = people("The target seats are: Bristol West, Cambridge, Manchester Gorton, Liverpool Riverside, "
                   "Holborn, Taunton and Birmingham Yardley. Tamsin Verrall leads the campaign.")
    assert "Tamsin Verrall" in found
    assert not found & {"Manchester Gorton", "Liverpool Riverside", "Holborn", "Birmingham Yardley"}


def test_a_list_of_people_stays_people():  # people.place-list must not fire on people
    found = people("The panel was Ravi Olusanya, Petra Moffatt and Elwyn Garside, all from Leeds.")
    assert {"Ravi Olusanya", "Petra Moffatt", "Elwyn Garside"} <= found


def test_plural_proper_noun_is_a_group():  # people.group-plural
    found = people("Many Britons told Hester Lyall they would vote.")
    assert "Hester Lyall" in found
    assert "Britons" not in found


def test_a_county_alone_is_a_place_unless_a_full_name_here_holds_it():  # people.gazetteer
    assert "Essex" not in people("Cllr Ada Moult of Southend, Essex, resigned.")
    assert "Ruth Essex" in people("Ruth Essex spoke. Later Ms Essex said she would stand.")


# ---- the teller --------------------------------------------------------------------------

def test_third_person_report_has_no_teller():  # resolve.has_teller
    text = ("Corwin Hale has rejected the offer. Mr Hale said the bill had safeguards already. "
            "The opposition will vote against it.")
    assert tellers(text, title="Hale rejects offer") == []


def test_first_person_only_inside_quotes_is_no_teller():  # quotes.mark_quotes
    text = ('Ms Pryce said: "I will not resign. "I have the support of my colleagues." '
            'She added: "We will win." Later Mr Daunt said he agreed.\n\n'
            '"I believe it is right," said Mr Daunt.')
    assert tellers(text) == []


def test_nested_quotes_keep_the_outer_quotation_open():  # quotes.mark_quotes depth
    doc = load_nlp()('Ida Venn said: "When I arrived he was the "Father of the House" and helped me."')
    mark_quotes(doc)
    assert not any(teller_speaks(t) for t in doc)


def test_single_quoted_headline_and_numeral_are_no_teller():  # quotes.teller_speaks
    doc = load_nlp()("Greaves: 'I was not leant on'\n\nThe papers of Charles I were shown. World War I ended.")
    mark_quotes(doc)
    assert not any(teller_speaks(t) for t in doc)


def test_a_month_before_i_is_no_regnal_name():  # quotes.teller_speaks
    doc = load_nlp()("Since May I have been the spokesman. Then Elizabeth I ruled.")
    mark_quotes(doc)
    assert [teller_speaks(t) for t in doc if t.text == "I"] == [True, False]


def test_first_person_outside_quotes_makes_a_teller():  # resolve.has_teller
    text = "I joined the party in 2010. Last year I stood down as chair. My reasons are below."
    assert tellers(text, title="Why I left") == ["Author of Why I left"]


def test_byline_names_the_teller_even_in_third_person():
    text = "By Tamsin Orde\n\nThe council met on Monday. Councillors voted to close the library."
    ex = extract(Account("t", "t.txt", "Library to close", text, author="Tamsin Orde"))
    assert [e.name for e in ex.entities if e.narrator] == ["Tamsin Orde"]


@pytest.mark.parametrize("text", ["Holborn", "Blairites", "Tory leader"])
def test_spans_ner_may_call_person_are_never_people(text):  # people.place-preposition, people.group-suffix
    doc = load_nlp()("Yesterday in Holborn, the Tory leader told Blairites to vote for Nerys Dawe-Pritchard, "
                     "said Tom Ellery.")
    names = {s.text for s, _ in person_spans(doc, load_lexicon(), set())}
    assert text not in names
    assert {"Nerys Dawe-Pritchard", "Tom Ellery"} <= names


def test_party_post_standing_in_for_its_holder_is_no_node():  # resolve._national_post
    found = people("The Liberal Democrat leader said the plans were wrong. The Chair of Wexley Borough Council "
                   "disagreed.")
    assert not {n for n in found if "leader" in n.lower()}
    assert "Chair of Wexley Borough Council" in found  # an unnamed holder of a local post is one person


def test_a_signature_names_the_teller():  # people.signed
    text = ("I am now stepping down as chair.\n\nYours sincerely,\nPeter Hallworth\n\n"
            "Dear Peter,\nI accept your resignation.")
    assert tellers(text, title="The exchange of letters") == ["Peter Hallworth"]
    assert "Peter Hallworth" not in people(text, title="The exchange of letters")  # one person: the teller


def test_an_editors_line_names_the_teller():  # people.author-intro
    text = ("This week the party chose a leader. In this post former councillor Idris Mawle reflects on "
            "the contest.\n\nI joined in 2009. I left last year.")
    assert tellers(text, title="Goodbye") == ["Idris Mawle"]


def test_seat_letters_after_a_name_are_no_part_of_it():  # _clean_person: trailing honorifics
    found = people("On Monday, Simon Prothero AM admitted the plan had failed.")
    assert "Simon Prothero" in found and "Simon Prothero AM" not in found


def _with_org(text: str, org: str, label: str = "ORG"):
    """`text` parsed, with NER's `label` forced onto `org` (as the model does for some names)."""
    nlp = load_nlp()
    doc = nlp(text)
    start = text.index(org)
    span = doc.char_span(start, start + len(org), label=label)
    doc.ents = [e for e in doc.ents if e.end <= span.start or e.start >= span.end] + [span]
    return nlp.get_pipe("kg_rules")(doc)


def test_a_name_ner_calls_an_organisation_after_a_role_word_is_a_person():  # people.titled-org
    from graph.extract.mentions import _head_words, _known_names

    lexicon = load_lexicon()
    doc = _with_org("Conservative health spokesman Rhodri Tallis said it was wrong.", "Rhodri Tallis")
    promoted = PersonFilter(doc, lexicon.person_titles).promoted(_head_words(lexicon), _known_names(lexicon))
    assert [s.text for s in promoted] == ["Rhodri Tallis"]
    doc = _with_org("The council leader Wexley Borough Council said no.", "Wexley Borough Council")
    assert PersonFilter(doc, lexicon.person_titles).promoted(_head_words(lexicon), _known_names(lexicon)) == []
    doc = _with_org("Rhodri Tallis of Tallis Holdings said it was wrong.", "Tallis Holdings")
    assert PersonFilter(doc, lexicon.person_titles).promoted(_head_words(lexicon), _known_names(lexicon)) == []


def test_laws_and_followers_are_not_people():  # people.law, people.group-suffix
    found = people("Under the Data Protection Act, Hywel Brace asked for his file. The Eurosceptics and "
                   "Trotskyists objected.")
    assert "Hywel Brace" in found
    assert not found & {"Data Protection Act", "Data Protection", "Eurosceptics", "Trotskyists"}


def test_a_name_ending_in_a_body_head_is_a_body_unless_a_person_holds_it():  # people.body-head
    titles = load_lexicon().person_titles
    doc = _with_org("Ceri Wynne of the London Assembly spoke.", "London Assembly", "PERSON")
    assert PersonFilter(doc, titles).verdict(doc.ents[-1]).rule == "people.body-head"
    doc = _with_org("Later Dwyn Chambers spoke. Mr Chambers was angry.", "Dwyn Chambers", "PERSON")
    span = next(e for e in doc.ents if e.text == "Dwyn Chambers")
    assert PersonFilter(doc, titles).verdict(span) is None


def test_a_first_name_the_tagger_reads_as_a_modal_is_still_a_name():  # _clean_person: _first_name_word
    found = people("The picture shows the chair with now-Premier Will Pengelly during a campaign.\n\nStepping Down")
    assert "Will Pengelly" in found
    assert "Stepping Down" not in found


def test_a_surname_before_any_full_name_is_the_first_named_after_it():  # resolve._expand
    from graph.extract.facts import DocFacts, Mention
    from graph.extract.resolve import resolve

    text = "Harcourt hits back\n\nDavid Harcourt said no. His wife Sarah Harcourt agreed."
    facts = DocFacts(sentences=[(0, 18), (20, 43), (44, len(text))])
    for name, sent in (("Harcourt", 0), ("David Harcourt", 1), ("Sarah Harcourt", 2)):
        start = text.index(name, 20 if sent else 0)
        facts.mentions.append(Mention("person", name, start, start + len(name), sent))
    ex = resolve(Account("t", "t.txt", "Harcourt hits back", text), facts, load_lexicon())
    names = {e.name for e in ex.entities if e.kind == "person"}
    assert names == {"David Harcourt", "Sarah Harcourt"}  # no lone "Harcourt", and no teller

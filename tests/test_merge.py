"""Entity resolution across accounts, on hand-made extractions."""
from __future__ import annotations

from graph.merge import merge
from graph.model import Account, Entity, EventFact, Evidence, Extraction, RoleFact


def account(aid: str, text: str, author: str | None = None) -> Account:
    return Account(aid, f"{aid}.txt", f"Title {aid}", text, author=author)


def ent(aid: str, text: str, key: str, kind: str, name: str, **kw) -> Entity:
    start = text.find(name) if name in text else 0
    ev = Evidence(aid, 0, len(text), text, 0.9)
    return Entity(key, kind, name, [name], [ev], **kw) if start >= 0 else Entity(key, kind, name)


def extraction(aid: str, text: str, people=(), bodies=(), narrator: str | None = None, **kw) -> Extraction:
    acc = account(aid, text, narrator)
    entities = [Entity("narrator", "person", narrator or f"Author of Title {aid}", [], [], narrator=True)]
    entities += [ent(aid, text, f"person:{p.lower()}", "person", p) for p in people]
    entities += [ent(aid, text, f"body:{b.lower()}", "body", b) for b in bodies]
    return Extraction(acc, entities, kw.get("roles", []), kw.get("events", []))


def node_names(kg, kind="person"):
    return sorted(n.name for n in kg.nodes.values() if n.kind == kind)


def test_same_name_in_two_accounts_is_one_node_with_both_sources():
    kg = merge([extraction("a", "Ann Vell spoke.", ["Ann Vell"]), extraction("b", "Ann Vell left.", ["Ann Vell"])])
    node = next(n for n in kg.nodes.values() if n.name == "Ann Vell")
    assert set(node.names_in) == {"a", "b"}


def test_spelling_variants_merge():
    kg = merge([extraction("a", "Shami Chakrabortti spoke.", ["Shami Chakrabortti"]),
                extraction("b", "Shami Chakrabortty spoke.", ["Shami Chakrabortty"])])
    shamis = [n for n in kg.nodes.values() if n.name.startswith("Shami")]
    assert len(shamis) == 1 and set(shamis[0].names_in) == {"a", "b"}


def test_two_full_names_sharing_a_token_stay_apart():
    kg = merge([extraction("a", "Owen Harte spoke.", ["Owen Harte"]),
                extraction("b", "Owen Pellow spoke.", ["Owen Pellow"])])
    assert {"Owen Harte", "Owen Pellow"} <= set(node_names(kg))


def test_lone_surname_joins_the_one_full_name_that_fits():
    kg = merge([extraction("a", "Jeremiah Corbell spoke.", ["Jeremiah Corbell"]),
                extraction("b", "Corbell was there.", ["Corbell"])])
    node = next(n for n in kg.nodes.values() if n.name == "Jeremiah Corbell")
    assert set(node.names_in) == {"a", "b"} and "Corbell" in node.aliases


def test_lone_name_fitting_two_people_is_not_merged():
    kg = merge([extraction("a", "Owen Harte and Owen Pellow spoke.", ["Owen Harte", "Owen Pellow"]),
                extraction("b", "Owen was there.", ["Owen"])])
    assert "Owen" in node_names(kg)


def test_unnamed_tellers_stay_in_their_own_account():
    kg = merge([extraction("a", "I resigned."), extraction("b", "I resigned.")])
    tellers = [n for n in kg.nodes.values() if n.narrator_of]
    assert len(tellers) == 2 and all(len(n.narrator_of) == 1 for n in tellers)


def test_named_teller_merges_with_mentions_elsewhere():
    kg = merge([extraction("a", "I resigned.", narrator="Jo Barker"),
                extraction("b", "Jo Barker resigned.", ["Jo Barker"])])
    node = next(n for n in kg.nodes.values() if n.name == "Jo Barker")
    assert node.narrator_of == {"a"} and set(node.names_in) >= {"b"}


def test_surname_ner_missed_is_found_when_it_names_one_person_elsewhere():
    kg = merge([extraction("a", "Shami Chakrabortti wrote a report.", ["Shami Chakrabortti"]),
                extraction("b", "The Chakrabortty report was ignored. Nobody read it.")])
    node = next(n for n in kg.nodes.values() if n.name == "Shami Chakrabortti")
    assert "b" in node.names_in
    ev = next(e for e in node.evidence if e.account == "b")
    assert ev.text == "The Chakrabortty report was ignored."


def test_surname_spans_found_at_extraction_are_used_and_survive_the_cache():
    from graph.extract.resolve import surname_spans

    text = "The Chakrabortty report was ignored. Nobody read it."
    assert [text[a:b] for a, b in surname_spans(text)] == ["Chakrabortty", "Nobody"]
    full = extraction("a", "Shami Chakrabortti wrote a report.", ["Shami Chakrabortti"])
    scanned, given = extraction("b", text), extraction("b", text)
    given.surname_spans = surname_spans(text)
    assert Extraction.from_json(given.to_json()) == given
    by_merge, by_extraction = merge([full, scanned]), merge([full, given])
    assert by_merge.nodes == by_extraction.nodes
    given.surname_spans = []  # spans are taken as found: none given, none looked for
    assert "b" not in merge([full, given]).nodes["shami-chakrabortti"].names_in


def test_a_town_named_alone_is_not_a_person():
    town = Entity("body:wexley borough council", "body", "Wexley Borough Council", ["Wexley Borough Council"],
                  [Evidence("a", 0, 10, "x" * 10)], body_type="council")
    first = extraction("a", "Wexley Borough Council met.")
    first.entities.append(town)
    kg = merge([first, extraction("b", "Good luck to Wexley.", ["Wexley"])])
    assert "Wexley" not in node_names(kg)


def test_facts_point_at_merged_nodes():
    text = "Ann Vell resigned from Testford Council."
    ev = Evidence("a", 0, len(text), text, 0.8)
    ex = extraction("a", text, ["Ann Vell"], ["Testford Council"],
                    roles=[RoleFact("person:ann vell", "Leader", "body:testford council", ev)],
                    events=[EventFact("Resignation", ["person:ann vell", "body:testford council"], "resigned", ev)])
    kg = merge([ex, extraction("b", "Ann Vell again.", ["Ann Vell"])])
    assert kg.roles[0].person == "ann-vell" and kg.roles[0].body == "testford-council"
    assert kg.events[0].actors == ["ann-vell", "testford-council"]


def test_merge_is_deterministic_whatever_the_order():
    exs = [extraction("a", "Ann Vell spoke.", ["Ann Vell"]), extraction("b", "Vell left.", ["Vell"]),
           extraction("c", "Tom Bray came.", ["Tom Bray"])]
    one, two = merge(exs), merge(list(reversed(exs)))
    assert sorted(one.nodes) == sorted(two.nodes)
    assert {k: sorted(n.aliases) for k, n in one.nodes.items()} == {k: sorted(n.aliases) for k, n in two.nodes.items()}


def test_place_names_take_the_longest_head_off_a_body_name():
    from graph.extract.lexicon import load_lexicon
    from graph.extract.resolve import place_names

    def body(name: str, kind: str = "council", *aliases: str) -> Entity:
        return Entity(f"body:{name.lower()}", "body", name, list(aliases), body_type=kind)

    places = place_names([body("Wexley Metropolitan Borough Council"), body("North Bramp Town Council"),
                          body("Council"), body("Ottery Labour Group", "group"), body("NEC", "acronym")],
                         load_lexicon())
    assert places == {"Wexley", "North Bramp", "North", "Bramp", "Ottery"}


# ---- never over-merge (#12): each test names the rule of graph/merge.py it covers ----

def test_two_lone_first_names_in_unrelated_accounts_stay_two_people():  # _group_key: lone names per thread
    kg = merge([extraction("a", "Dafydd said no.", ["Dafydd"]), extraction("b", "Dafydd said yes.", ["Dafydd"])])
    assert node_names(kg).count("Dafydd") == 2


def test_a_lone_name_is_shared_between_a_post_and_its_comments():  # _thread
    post = extraction("p", "Dafydd said no.", ["Dafydd"])
    comment = extraction("p#comment-2", "Dafydd was right.", ["Dafydd"])
    comment.account = Account("p#comment-2", "p.txt#comment-2", "c", "Dafydd was right.", parent="p")
    kg = merge([post, comment])
    assert node_names(kg).count("Dafydd") == 1


def test_a_lone_first_name_never_joins_a_full_name_of_another_account():  # _cluster: first_names
    kg = merge([extraction("a", "Tamsin Orde spoke.", ["Tamsin Orde"]),
                extraction("b", "Tamsin was there.", ["Tamsin"])])
    assert "Tamsin" in node_names(kg)


def test_a_lone_first_name_joins_the_full_name_its_own_account_names():  # _cluster: own thread
    kg = merge([extraction("a", "Jeremiah Corbell spoke.", ["Jeremiah Corbell"]),
                extraction("b", "Jeremiah came. The Corbell plan was read.", ["Jeremiah"])])
    node = next(n for n in kg.nodes.values() if n.name == "Jeremiah Corbell")
    assert set(node.names_in) == {"a", "b"} and "Jeremiah" not in node_names(kg)


def test_a_unique_surname_merges_but_honorifics_of_the_other_sex_do_not():  # _cluster: _sex
    full = extraction("a", "Mr Quarry spoke. Tobin Quarry left.", ["Tobin Quarry"])
    full.entities[-1].aliases.append("Mr Quarry")
    her = extraction("b", "Mrs Quarry spoke.", ["Quarry"])
    her.entities[-1].aliases.append("Mrs Quarry")
    him = extraction("c", "Mr Quarry left.", ["Quarry"])
    him.entities[-1].aliases.append("Mr Quarry")
    kg = merge([full, her, him])
    node = next(n for n in kg.nodes.values() if n.name == "Tobin Quarry")
    assert set(node.names_in) == {"a", "c"}
    assert "Quarry" in node_names(kg)  # Mrs Quarry is someone else


def test_generic_words_never_merge_across_accounts():  # common_words
    radio = extraction("a", "Capital Radio said so. The radio was on.", ["Capital Radio"])
    four = extraction("b", "He told Radio Four about the General election.", ["Radio"])
    general = extraction("c", "The Solicitor General spoke on the general election.", ["Solicitor General"])
    other = extraction("d", "General said it.", ["General"])
    kg = merge([radio, four, general, other])
    capital = next(n for n in kg.nodes.values() if n.name == "Capital Radio")
    solicitor = next(n for n in kg.nodes.values() if n.name == "Solicitor General")
    assert set(capital.names_in) == {"a"} and set(solicitor.names_in) == {"c"}


def test_a_place_is_not_taken_for_a_near_surname():  # propagate_surnames: is_place
    kg = merge([extraction("a", "Tomos German spoke.", ["Tomos German"]),
                extraction("b", "Talks with Germany went well.")])
    node = next(n for n in kg.nodes.values() if n.name == "Tomos German")
    assert set(node.names_in) == {"a"}


def test_a_surname_written_once_in_lower_case_among_many_capitals_still_merges():  # common_words: share
    many = " ".join(["Mr Rook spoke."] * 25) + " A rook flew over."
    kg = merge([extraction("a", "Tegan Rook spoke.", ["Tegan Rook"]), extraction("b", many, ["Rook"])])
    node = next(n for n in kg.nodes.values() if n.name == "Tegan Rook")
    assert set(node.names_in) == {"a", "b"}
    few = "Rook spoke. A rook flew over. The rook sat."
    kg = merge([extraction("a", "Tegan Rook spoke.", ["Tegan Rook"]), extraction("b", few, ["Rook"])])
    assert "Rook" in node_names(kg)  # mostly a bird here: no surname to merge through


def _aliased(ex: Extraction, *aliases: str) -> Extraction:
    ex.entities[-1].aliases.extend(aliases)
    return ex


def test_an_honorific_picks_the_one_full_name_of_that_sex():  # _cluster: fits
    kg = merge([_aliased(extraction("a", "Tomas Verrity spoke. Mr Verrity left.", ["Tomas Verrity"]), "Mr Verrity"),
                _aliased(extraction("b", "Alys Verrity spoke. Mrs Verrity left.", ["Alys Verrity"]), "Mrs Verrity"),
                _aliased(extraction("c", "Mr Verrity said no.", ["Verrity"]), "Mr Verrity"),
                extraction("d", "Verrity said no.", ["Verrity"])])
    tomas = next(n for n in kg.nodes.values() if n.name == "Tomas Verrity")
    alys = next(n for n in kg.nodes.values() if n.name == "Alys Verrity")
    assert set(tomas.names_in) == {"a", "c"} and set(alys.names_in) == {"b"}
    assert "Verrity" in node_names(kg)  # no honorific: two candidates, no merge


def test_a_peers_title_is_one_person_but_mr_smith_is_not():  # _peerage
    kg = merge([_aliased(extraction("a", "Lord Penhallow spoke.", ["Penhallow"]), "Lord Penhallow"),
                _aliased(extraction("b", "Lord Penhallow left.", ["Penhallow"]), "Lord Penhallow"),
                _aliased(extraction("c", "Mr Tregear spoke.", ["Tregear"]), "Mr Tregear"),
                _aliased(extraction("d", "Mr Tregear left.", ["Tregear"]), "Mr Tregear")])
    assert node_names(kg).count("Penhallow") == 1
    assert node_names(kg).count("Tregear") == 2


def test_a_name_ner_mostly_calls_an_organisation_is_no_person():  # drop_non_people
    odd = extraction("a", "Deffro said no.", ["Deffro"])
    odd.ner_votes = {"deffro": [1, 0]}
    others = []
    for aid in "bcd":
        ex = extraction(aid, "Deffro published figures.", bodies=["Deffro"])
        ex.ner_votes = {"deffro": [0, 1]}
        others.append(ex)
    kept = _aliased(extraction("e", "Mr Deffro said yes.", ["Deffro"]), "Mr Deffro")
    kg = merge([odd, *others, kept])
    people = [n for n in kg.nodes.values() if n.kind == "person" and n.name == "Deffro"]
    assert [set(n.names_in) for n in people] == [{"e"}]  # the honorific one stays a person
    assert Extraction.from_json(odd.to_json()).ner_votes == {"deffro": [1, 0]}


def test_ner_votes_are_counted_at_extraction():
    from graph.extract.nlp import load_nlp
    from graph.extract.persons import ner_votes

    votes = ner_votes(load_nlp()("Tony Rowe met officials in London. London was cold."))
    assert votes.get("london", [0, 0])[1] >= 1 and votes.get("london", [0, 0])[0] == 0


def test_a_lone_name_is_named_after_its_thread_and_a_merged_one_is_not():  # merge: node ids
    kg = merge([extraction("a", "Dafydd said no.", ["Dafydd"]), extraction("b", "Dafydd said yes.", ["Dafydd"]),
                extraction("c", "Jeremiah Corbell spoke.", ["Jeremiah Corbell"]),
                extraction("d", "Corbell was there.", ["Corbell"])])
    assert {"dafydd--a", "dafydd--b", "jeremiah-corbell"} <= set(kg.nodes)
    assert set(kg.nodes["jeremiah-corbell"].names_in) == {"c", "d"}

"""kg export --format ftm: a FollowTheMoney stream that followthemoney's own model reads back whole."""
from __future__ import annotations

import dataclasses
import json
import sys

import pytest
from followthemoney import model
from followthemoney.cli.cli import cli as ftm_cli
from followthemoney.exc import InvalidData

from graph.cli import main
from graph.export import export
from graph.exporters.accounts import read_accounts
from graph.exporters.ftm import entities, record
from graph.model import RoleFact
from graph.rdf import to_dataset
from graph.store import open_graph
from graph.view import read_view


def _stream(kg) -> list[dict]:
    text = export(to_dataset(kg), "ftm")[""]
    assert text.endswith("\n")
    return [json.loads(line) for line in text.splitlines()]


def _by_name(stream: list[dict], schema: str) -> dict[str, dict]:
    return {e["properties"]["name"][0]: e for e in stream if e["schema"] == schema}


@pytest.fixture
def with_member(tiny_kg):
    """The tiny graph plus a plain membership, and a URL for one account."""
    ev = tiny_kg.events[2].evidence  # account b's only sentence
    tiny_kg.roles.append(RoleFact("ann-other", "Member", "national-executive-committee", ev))
    tiny_kg.accounts[1] = dataclasses.replace(tiny_kg.accounts[1], url="https://example.org/letter")
    return tiny_kg


def test_every_entity_round_trips_through_followthemoney(with_member):
    stream = _stream(with_member)
    ids = [e["id"] for e in stream]
    assert ids == sorted(ids) and len(ids) == len(set(ids))
    for data in stream:
        schema = model.get(data["schema"])
        assert schema is not None and not schema.abstract
        schema.validate(data)  # raises InvalidData on a missing required or an ill-typed value
        again = model.get_proxy(data, cleaned=False)  # cleaned again by the library: nothing changes or drops
        assert record(again) == data


def test_every_reference_resolves_to_an_entity_in_the_stream(with_member):
    stream = _stream(with_member)
    known = {e["id"]: e["schema"] for e in stream}
    references = 0
    for data in stream:
        proxy = model.get_proxy(data)
        for prop, value in proxy.itervalues():
            if prop.type.name == "entity":
                references += 1
                assert value in known, (data["schema"], prop.name, value)
                assert model.get(known[value]).is_a(prop.range), (prop.name, known[value])
    assert references > 20


def test_what_each_record_becomes(with_member):
    stream = _stream(with_member)
    people, bodies = _by_name(stream, "Person"), _by_name(stream, "Organization")
    assert set(people) == {"Ann Other", "Sam Teller", "Author of A letter"}
    assert set(bodies) == {"Testford Council", "Labour Group", "National Executive Committee"}
    assert bodies["Labour Group"]["properties"]["parent"] == [bodies["Testford Council"]["id"]]
    assert "parent" not in bodies["Testford Council"]["properties"]
    assert bodies["National Executive Committee"]["properties"]["alias"] == ["NEC"]
    assert not [e for e in stream if e["schema"] in ("PublicBody", "Company", "LegalEntity")]

    posts = _by_name(stream, "Position")
    assert set(posts) == {"Leader, Testford Council", "Chair, Labour Group"}  # "Member" is no post
    chair = next(e for e in stream if e["schema"] == "Occupancy"
                 and e["properties"]["post"] == [posts["Chair, Labour Group"]["id"]])
    assert chair["properties"]["holder"] == [people["Ann Other"]["id"]]
    assert chair["properties"]["summary"] == ["Ann Other, the Chair of the Labour Group, summoned me."]
    assert posts["Chair, Labour Group"]["properties"]["organization"] == [bodies["Labour Group"]["id"]]

    [member] = [e for e in stream if e["schema"] == "Membership"]
    assert member["properties"]["member"] == [people["Ann Other"]["id"]]
    assert member["properties"]["organization"] == [bodies["National Executive Committee"]["id"]]
    assert member["properties"]["role"] == ["Member"]

    events = {e["properties"]["keywords"][0]: e for e in stream if e["schema"] == "Event"}
    assert set(events) == {"Resignation", "Meeting", "Complaint"}
    complaint = events["Complaint"]["properties"]
    assert complaint["date"] == ["2016-05"]
    assert set(complaint["involved"]) == {people["Ann Other"]["id"], bodies["National Executive Committee"]["id"]}
    assert "date" not in events["Meeting"]["properties"]


def test_each_record_points_back_to_its_account_and_sentence(with_member):
    stream = _stream(with_member)
    docs = {e["properties"]["fileName"][0]: e for e in stream if e["schema"] == "Document"}
    assert set(docs) == {"a.txt", "b.txt"}
    a, b = docs["a.txt"]["properties"], docs["b.txt"]["properties"]
    assert a["title"] == ["Why I went"] and a["publishedAt"] == ["2018-02-01"] and a["author"] == ["Sam Teller"]
    assert b["sourceUrl"] == ["https://example.org/letter"] and "sourceUrl" not in a  # a has no URL
    events = {e["properties"]["keywords"][0]: e["properties"] for e in stream if e["schema"] == "Event"}
    assert events["Resignation"]["proof"] == [docs["a.txt"]["id"]]
    assert events["Resignation"]["summary"] == ["I resigned as Leader of Testford Council."]
    assert "sourceUrl" not in events["Resignation"]  # a file name is no URL
    assert events["Complaint"]["sourceUrl"] == ["https://example.org/letter"]
    ann = _by_name(stream, "Person")["Ann Other"]["properties"]
    assert ann["proof"] == sorted([docs["a.txt"]["id"], docs["b.txt"]["id"]])


def test_role_dates_become_occupancy_dates(tiny_trig):
    ds = open_graph(tiny_trig)
    view = read_view(ds)
    chair = next(n for n in view.nodes.values() if n.kind == "role" and n.title == "Chair")
    view.nodes[chair.iri] = chair._replace(began="2015-05", ended="2017")
    held = {p.first("holder"): p for p in entities(view, read_accounts(ds)) if p.schema.name == "Occupancy"}
    dated = [p for p in held.values() if p.get("startDate")]
    assert len(dated) == 1 and dated[0].get("startDate") == ["2015-05"] and dated[0].get("endDate") == ["2017"]
    with pytest.raises(InvalidData):  # the library checks the dates it is given: this stream could not lie
        model.get("Occupancy").validate({"properties": {"startDate": ["May 2015"]}})


def test_same_graph_same_bytes_and_stable_ids(tiny_trig, tiny_kg):
    first = export(open_graph(tiny_trig), "ftm")[""]
    assert first == export(to_dataset(tiny_kg), "ftm")[""]
    ids = {json.loads(line)["id"] for line in first.splitlines()}
    assert any(i.startswith("person-ann-other-") for i in ids)
    assert all(len(i) <= 200 for i in ids)


def test_cli_writes_the_stream(runner, tiny_trig, tmp_path):
    out = tmp_path / "kg.ftm.json"
    result = runner.invoke(main, ["export", "--format", "ftm", "-o", str(out), "-g", str(tiny_trig)])
    assert result.exit_code == 0, result.output
    lines = out.read_text(encoding="utf-8").splitlines()
    assert all(json.loads(line)["schema"] for line in lines) and len(lines) > 10


def test_without_followthemoney_the_export_says_what_to_install(runner, tiny_trig, monkeypatch):
    """followthemoney is an optional extra (it needs PyICU): its absence is a one-line error, exit 2."""
    monkeypatch.setitem(sys.modules, "followthemoney", None)  # import followthemoney now fails
    monkeypatch.delitem(sys.modules, "graph.exporters.ftm")
    result = runner.invoke(main, ["export", "--format", "ftm", "-g", str(tiny_trig)])
    assert result.exit_code == 2
    assert "needs followthemoney" in result.output and "pip install 'kg[ftm]'" in result.output
    assert runner.invoke(main, ["export", "--format", "popolo", "-g", str(tiny_trig)]).exit_code == 0


def test_ftm_validate_reads_back_the_same_entities(runner, with_member, tmp_path):
    """FollowTheMoney's own `ftm validate` command re-parses the stream and loses nothing."""
    stream = tmp_path / "kg.ftm.json"
    stream.write_text(export(to_dataset(with_member), "ftm")[""], encoding="utf-8")
    out = tmp_path / "checked.ftm.json"
    result = runner.invoke(ftm_cli, ["validate", "-i", str(stream), "-o", str(out)])
    assert result.exit_code == 0, result.output

    def entities_of(path):
        return sorted((d["id"], d["schema"], {k: sorted(v) for k, v in d["properties"].items()})
                      for d in map(json.loads, path.read_text(encoding="utf-8").splitlines()))

    assert entities_of(out) == entities_of(stream) and len(entities_of(out)) > 10

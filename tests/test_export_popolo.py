"""kg export --format popolo: every record valid against the Popolo JSON schemas, every id resolving."""
from __future__ import annotations

import dataclasses
import json

import pytest
from jsonschema.exceptions import ValidationError

from graph.cli import main
from graph.export import export
from graph.exporters.accounts import read_accounts
from graph.exporters.popolo import document
from graph.model import RoleFact
from graph.rdf import to_dataset
from graph.store import open_graph
from graph.view import read_view

from popolo_schema import validators as _validators

COLLECTIONS = ("persons", "organizations", "posts", "memberships", "events")


def _popolo(kg) -> dict:
    return json.loads(export(to_dataset(kg), "popolo")[""])


@pytest.fixture
def richer(tiny_kg):
    """The tiny graph plus a plain membership, a role with no body, and a URL for one account."""
    ev_b = tiny_kg.events[2].evidence
    ev_a = tiny_kg.roles[0].evidence
    tiny_kg.roles.append(RoleFact("ann-other", "Member", "national-executive-committee", ev_b))
    tiny_kg.roles.append(RoleFact("sam-teller", "Councillor", None, ev_a))
    tiny_kg.accounts[1] = dataclasses.replace(tiny_kg.accounts[1], url="https://example.org/letter")
    return tiny_kg


def test_every_record_validates_against_the_popolo_classes(richer):
    data = _popolo(richer)
    assert set(data) == set(COLLECTIONS)
    validators = _validators()
    for collection, records in data.items():
        assert records, collection
        for record in records:
            validators[collection].validate(record)


def test_the_validators_do_check(richer):
    """The schemas reject what Popolo forbids or does not define, so a passing export means something."""
    v = _validators()
    with pytest.raises(ValidationError):
        v["memberships"].validate({"id": "m", "start_date": "May 2015"})
    with pytest.raises(ValidationError):
        v["persons"].validate({"id": "p", "other_names": [{"note": "a name is required"}]})
    with pytest.raises(ValidationError):
        v["persons"].validate({"id": "p", "sources": [{"note": "a url is required"}]})
    with pytest.raises(ValidationError):
        v["persons"].validate({"id": "p", "name": "P", "party": "not a Popolo property"})
    with pytest.raises(ValidationError):
        v["events"].validate({"id": "e", "name": "E", "start_date": "2015-5-1"})
    v["memberships"].validate({"id": "m", "start_date": "2015-05", "end_date": "2016"})


def test_every_id_resolves(richer):
    data = _popolo(richer)
    ids = {c: {r["id"] for r in records} for c, records in data.items()}
    every = [r["id"] for records in data.values() for r in records]
    assert len(every) == len(set(every))
    links = 0
    for collection, field, target in (("memberships", "person_id", "persons"),
                                      ("memberships", "organization_id", "organizations"),
                                      ("memberships", "post_id", "posts"), ("posts", "organization_id", "organizations"),
                                      ("organizations", "parent_id", "organizations"),
                                      ("events", "organization_id", "organizations")):
        for record in data[collection]:
            if field in record:
                links += 1
                assert record[field] in ids[target], (collection, field, record[field])
    assert all(m["person_id"] for m in data["memberships"])
    for e in data["events"]:
        assert {a["id"] for a in e.get("attendees", [])} <= ids["persons"]
    assert links >= 12


def test_what_each_record_becomes(richer):
    data = _popolo(richer)
    people = {p["name"]: p for p in data["persons"]}
    bodies = {o["name"]: o for o in data["organizations"]}
    assert set(people) == {"Ann Other", "Sam Teller", "Author of A letter"}
    assert bodies["Labour Group"]["parent_id"] == bodies["Testford Council"]["id"]
    assert "parent_id" not in bodies["Testford Council"]
    assert bodies["National Executive Committee"]["other_names"] == [{"name": "NEC"}]
    assert people["Ann Other"]["identifiers"] == [
        {"scheme": "kg", "identifier": "https://w3id.org/kg-politics/id/person/ann-other"}]

    posts = {p["label"]: p for p in data["posts"]}
    assert set(posts) == {"Leader, Testford Council", "Chair, Labour Group"}  # no post without a body
    by_role = {m["role"]: m for m in data["memberships"]}
    assert set(by_role) == {"Leader", "Chair", "Member", "Councillor"}
    chair = by_role["Chair"]
    assert chair["person_id"] == people["Ann Other"]["id"]
    assert chair["organization_id"] == bodies["Labour Group"]["id"]
    assert chair["post_id"] == posts["Chair, Labour Group"]["id"]
    assert "post_id" not in by_role["Member"] and by_role["Member"]["organization_id"] == \
        bodies["National Executive Committee"]["id"]
    assert "organization_id" not in by_role["Councillor"] and "post_id" not in by_role["Councillor"]
    assert not any("start_date" in m or "end_date" in m for m in data["memberships"])  # the graph has none

    events = {e["classification"]: e for e in data["events"]}
    assert set(events) == {"Resignation", "Meeting", "Complaint"}
    assert events["Complaint"]["start_date"] == "2016-05" and "start_date" not in events["Meeting"]
    assert [a["name"] for a in events["Meeting"]["attendees"]] == ["Ann Other", "Sam Teller"]
    assert "organization_id" not in events["Meeting"]  # no body takes part
    assert events["Complaint"]["organization_id"] == bodies["National Executive Committee"]["id"]


def test_sources_point_back_to_account_and_sentence(richer):
    data = _popolo(richer)
    events = {e["classification"]: e for e in data["events"]}
    [resign] = events["Resignation"]["sources"]
    assert resign["url"] == "https://w3id.org/kg-politics/id/account/a"  # no URL: the account's IRI
    assert resign["note"] == "a.txt, characters 0-41: I resigned as Leader of Testford Council."
    [complaint] = events["Complaint"]["sources"]
    assert complaint["url"] == "https://example.org/letter"
    ann = next(p for p in data["persons"] if p["name"] == "Ann Other")
    assert sorted(s["note"] for s in ann["sources"]) == ["A letter", "Why I went"]


def test_role_dates_become_membership_dates(tiny_trig):
    ds = open_graph(tiny_trig)
    view = read_view(ds)
    chair = next(n for n in view.nodes.values() if n.kind == "role" and n.title == "Chair")
    view.nodes[chair.iri] = chair._replace(began="2015-05", ended="not a date")
    data = document(view, read_accounts(ds))
    [dated] = [m for m in data["memberships"] if m["role"] == "Chair"]
    assert dated["start_date"] == "2015-05" and "end_date" not in dated  # Popolo takes ISO dates only
    _validators()["memberships"].validate(dated)


def test_same_graph_same_bytes(tiny_trig, tiny_kg):
    assert export(open_graph(tiny_trig), "popolo") == export(to_dataset(tiny_kg), "popolo")


def test_ids_match_the_ftm_export(tiny_kg):
    ftm_ids = {json.loads(line)["id"] for line in export(to_dataset(tiny_kg), "ftm")[""].splitlines()}
    data = _popolo(tiny_kg)
    assert {p["id"] for p in data["persons"]} | {o["id"] for o in data["organizations"]} <= ftm_ids
    assert {p["id"] for p in data["posts"]} <= ftm_ids


def test_cli_writes_the_document(runner, tiny_trig, tmp_path):
    out = tmp_path / "kg.popolo.json"
    result = runner.invoke(main, ["export", "--format", "popolo", "-o", str(out), "-g", str(tiny_trig)])
    assert result.exit_code == 0, result.output
    assert len(json.loads(out.read_text(encoding="utf-8"))["persons"]) == 3

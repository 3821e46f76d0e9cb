"""kg query: named queries, read-only guard, errors, output formats, engines."""
from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from rdflib import Literal, URIRef

from graph import query as q
from graph.cli import main
from graph.errors import KgError
from graph.paths import BUNDLED_ACCOUNTS

NAMED = ("accounts", "claims-about", "people-in-body", "roles", "timeline")


def _json(runner, *args: str) -> list[dict]:
    result = runner.invoke(main, ["query", *args, "--format", "json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


# -- named queries: files and headers ---------------------------------------------

def test_every_named_query_ships_with_a_title_and_description():
    queries = q.named_queries()
    assert set(NAMED) <= set(queries)
    for named in queries.values():
        assert named.title and named.title != named.name, named.name
        assert len(named.description) > 20, named.name
        q.check_query(named.text)  # each parses as a read-only query


def test_parse_header_reads_wrapped_fields_and_params():
    text = ("# title: T\n# description: first part\n#   second part\n"
            "# param: who (required) a person\n# param: src an account\nSELECT * WHERE { ?s ?p ?o }\n"
            "# title: not a header any more\n")
    named = q.parse_header("x", text)
    assert named.title == "T"
    assert named.description == "first part second part"
    assert named.params == (q.Param("who", True, "a person"), q.Param("src", False, "an account"))


def test_list_names_every_query_and_its_params(runner):
    result = runner.invoke(main, ["query", "--list"])
    assert result.exit_code == 0
    for name in NAMED:
        assert f"{name}:" in result.output
    assert "--param name=... (required)" in result.output


def test_unknown_named_query_is_a_usage_error(runner, tiny_trig):
    result = runner.invoke(main, ["query", "--name", "nope", "-g", str(tiny_trig)])
    assert result.exit_code == 2
    assert "no named query 'nope'" in result.output and "roles" in result.output


# -- named queries on the tiny graph ------------------------------------------------

def test_roles(runner, tiny_trig):
    rows = _json(runner, "--name", "roles", "-g", str(tiny_trig))
    assert [(r["person"], r["role"], r["body"], r["account"]) for r in rows] == [
        ("Ann Other", "Chair", "Labour Group", "a.txt"),
        ("Sam Teller", "Leader", "Testford Council", "a.txt"),
    ]
    assert rows[0]["confidence"] == pytest.approx(0.8)
    assert rows[0]["sentence"] == "Ann Other, the Chair of the Labour Group, summoned me."


def test_timeline_puts_dated_events_first_then_text_order(runner, tiny_trig):
    rows = _json(runner, "--name", "timeline", "-g", str(tiny_trig))
    assert [(r["date"], r["type"]) for r in rows] == [
        ("2016-05", "Complaint"), (None, "Resignation"), (None, "Meeting")]
    assert set(rows[2]["actors"].split(", ")) == {"Ann Other", "Sam Teller"}
    assert rows[0]["account"] == "b.txt"


def test_claims_about_binds_the_name_case_insensitively(runner, tiny_trig):
    rows = _json(runner, "--name", "claims-about", "--param", "name=ANN other", "-g", str(tiny_trig))
    kinds = {(r["account"], r["kind"]) for r in rows}
    assert kinds == {("a.txt", "role"), ("a.txt", "event"), ("a.txt", "mention"),
                     ("b.txt", "event"), ("b.txt", "mention")}
    assert all(r["sentence"] for r in rows)


def test_claims_about_one_account(runner, tiny_trig):
    rows = _json(runner, "--name", "claims-about", "-p", "name=Ann Other", "-p", "source=b.txt",
                 "-g", str(tiny_trig))
    assert rows and {r["account"] for r in rows} == {"b.txt"}


def test_claims_about_needs_its_param(runner, tiny_trig):
    result = runner.invoke(main, ["query", "--name", "claims-about", "-g", str(tiny_trig)])
    assert result.exit_code == 2
    assert "needs --param name=VALUE" in result.output


def test_unknown_param_is_refused(runner, tiny_trig):
    result = runner.invoke(main, ["query", "--name", "roles", "-p", "x=1", "-g", str(tiny_trig)])
    assert result.exit_code == 2 and "takes no parameter 'x'" in result.output


def test_param_value_cannot_inject_sparql(runner, tiny_trig):
    evil = 'x") } UNION { ?p ?q ?r } #'
    rows = _json(runner, "--name", "claims-about", "-p", f"name={evil}", "-g", str(tiny_trig))
    assert rows == []


def test_people_in_body_all_and_one(runner, tiny_trig):
    rows = _json(runner, "--name", "people-in-body", "-g", str(tiny_trig))
    assert ("Testford Council", "Sam Teller", "role: Leader") in {
        (r["body"], r["person"], r["connection"]) for r in rows}
    one = _json(runner, "--name", "people-in-body", "-p", "name=nec", "-g", str(tiny_trig))
    assert [(r["body"], r["person"], r["connection"]) for r in one] == [
        ("National Executive Committee", "Ann Other", "event: Complaint")]


def test_accounts_counts(runner, tiny_trig):
    rows = _json(runner, "--name", "accounts", "-g", str(tiny_trig))
    assert rows == [
        {"account": "a.txt", "title": "Why I went", "teller": "Sam Teller", "date": "2018-02-01",
         "people": 2, "bodies": 2, "roles": 2, "events": 2},
        {"account": "b.txt", "title": "A letter", "teller": "Author of A letter", "date": None,
         "people": 2, "bodies": 1, "roles": 0, "events": 1},
    ]


# -- ad-hoc queries -------------------------------------------------------------------

def test_prefixes_are_predeclared_and_default_graph_is_the_union(runner, tiny_trig):
    rows = _json(runner, "SELECT ?n WHERE { ?p a foaf:Person ; foaf:name ?n } ORDER BY ?n",
                 "-g", str(tiny_trig))
    assert [r["n"] for r in rows] == ["Ann Other", "Author of A letter", "Sam Teller"]


def test_graph_patterns_name_the_account(runner, tiny_trig):
    rows = _json(runner, "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?e a sem:Event } } ORDER BY ?g",
                 "-g", str(tiny_trig))
    assert [r["g"].rsplit("/", 1)[-1] for r in rows] == ["a", "b"]


def test_query_from_file_and_ask(runner, tiny_trig, tmp_path):
    rq = tmp_path / "q.rq"
    rq.write_text("ASK { ?m a org:Membership }", encoding="utf-8")
    result = runner.invoke(main, ["query", "--file", str(rq), "-g", str(tiny_trig)])
    assert result.exit_code == 0 and result.output == "true\n"
    result = runner.invoke(main, ["query", "--file", str(rq), "-g", str(tiny_trig), "-f", "json"])
    assert json.loads(result.output) == {"boolean": True}


def test_construct_prints_turtle(runner, tiny_trig):
    result = runner.invoke(main, ["query", "CONSTRUCT { ?p foaf:name ?n } WHERE { ?p foaf:name ?n }",
                                  "-g", str(tiny_trig)])
    assert result.exit_code == 0 and '"Sam Teller"' in result.output


@pytest.mark.parametrize("update", [
    "INSERT DATA { <urn:a> <urn:b> <urn:c> }",
    "DELETE WHERE { ?s ?p ?o }",
    "CLEAR ALL",
    "DROP GRAPH <urn:x>",
    "LOAD <http://example.org/x.ttl>",
    "PREFIX ex: <urn:> DELETE { ?s ?p ?o } INSERT { ?s ?p 1 } WHERE { ?s ?p ?o }",
])
def test_updates_are_refused(runner, tiny_trig, update):
    before = tiny_trig.read_bytes()
    result = runner.invoke(main, ["query", update, "-g", str(tiny_trig)])
    assert result.exit_code == 2
    assert "read-only" in result.output and "Traceback" not in result.output
    assert len(result.output.strip().splitlines()) == 1
    assert tiny_trig.read_bytes() == before


def test_malformed_sparql_gives_line_and_column(runner, tiny_trig):
    result = runner.invoke(main, ["query", "SELECT ?s WHERE {\n  ?s ?p \n}", "-g", str(tiny_trig)])
    assert result.exit_code == 2
    assert "malformed SPARQL at line" in result.output and "column" in result.output
    assert len(result.output.strip().splitlines()) == 1


def test_unknown_prefix_is_a_clean_error(runner, tiny_trig):
    result = runner.invoke(main, ["query", "SELECT * WHERE { ?s nope:x ?o }", "-g", str(tiny_trig)])
    assert result.exit_code == 2 and "nope" in result.output and "Traceback" not in result.output


def test_graph_file_that_is_not_rdf(runner, tmp_path):
    bad = tmp_path / "bad.trig"
    bad.write_text("this is { not rdf", encoding="utf-8")
    result = runner.invoke(main, ["query", "--name", "roles", "-g", str(bad)])
    assert result.exit_code == 2 and "bad.trig" in result.output
    missing = runner.invoke(main, ["query", "--name", "roles", "-g", str(tmp_path / "none.trig")])
    assert missing.exit_code == 2 and "kg build" in missing.output


def test_exactly_one_query_source(runner, tiny_trig):
    assert runner.invoke(main, ["query", "-g", str(tiny_trig)]).exit_code == 2
    both = runner.invoke(main, ["query", "ASK {}", "--name", "roles", "-g", str(tiny_trig)])
    assert both.exit_code == 2 and "give one query" in both.output


# -- output formats ------------------------------------------------------------------

def test_csv_and_tsv_have_header_and_full_iris(runner, tiny_trig):
    text = "SELECT ?p ?n WHERE { ?p foaf:name ?n } ORDER BY ?n"
    out = runner.invoke(main, ["query", text, "-g", str(tiny_trig), "--format", "csv"]).output
    rows = list(csv.reader(io.StringIO(out)))
    assert rows[0] == ["p", "n"]
    assert rows[1] == ["https://w3id.org/kg-politics/id/person/ann-other", "Ann Other"]
    tsv = runner.invoke(main, ["query", text, "-g", str(tiny_trig), "--format", "tsv"]).output
    assert tsv.splitlines()[1].split("\t")[1] == "Ann Other"


def test_table_is_aligned_and_compacts_iris(runner, tiny_trig):
    out = runner.invoke(main, ["query", "SELECT ?p ?n WHERE { ?p foaf:name ?n } ORDER BY ?n",
                               "-g", str(tiny_trig)]).output
    lines = out.splitlines()
    assert lines[0].split() == ["p", "n"]
    assert "person/ann-other" in lines[2] and "https://" not in lines[2]
    assert lines[2].index("Ann Other") == lines[0].index("n")  # column aligned
    assert lines[-1] == "(3 rows)"


def test_format_table_truncates_long_cells_to_fit():
    long = "word " * 60
    out = q.format_table(["a", "b"], [["short", long]], width=40)
    body = out.splitlines()[2]
    assert len(body) <= 40 and body.endswith("…")
    assert body.startswith("short")


def test_format_table_flattens_newlines():
    out = q.format_table(["a"], [["one\ntwo"]], width=80)
    assert out.splitlines()[2] == "one two"


def test_parse_params_makes_terms_not_text():
    bound = q.parse_params(["name=Ann Other", "who=<https://example.org/x>", "?v=a=b"])
    assert bound == {"name": Literal("Ann Other"), "who": URIRef("https://example.org/x"),
                     "v": Literal("a=b")}
    with pytest.raises(KgError):
        q.parse_params(["no-equals"])
    with pytest.raises(KgError):
        q.parse_params(["bad name=x"])


def test_compact_and_json_values():
    assert q.compact(URIRef("http://xmlns.com/foaf/0.1/Person")) == "foaf:Person"
    assert q.compact(None) == ""
    assert q.json_value(Literal(3)) == 3
    assert q.json_value(Literal("0.80", datatype=URIRef("http://www.w3.org/2001/XMLSchema#decimal"))) == 0.8
    assert q.json_value(Literal("2016-05")) == "2016-05"


# -- engines ----------------------------------------------------------------------------

def _rows(table: q.Table) -> list[tuple]:
    """Rows in an engine-neutral form: GROUP_CONCAT order and decimal spelling differ."""
    def cell(col: str, value: str):
        if col == "actors" and value:
            return tuple(sorted(value.split(", ")))
        if col == "confidence" and value:
            return float(value)
        return value
    return sorted(tuple(cell(c, v) for c, v in zip(table.columns, map(q.plain, row))) for row in table.rows)


@pytest.mark.parametrize("name,params", [
    ("roles", []), ("timeline", []), ("accounts", []), ("people-in-body", []),
    ("people-in-body", ["name=nec"]), ("claims-about", ["name=ann other"]),
    ("claims-about", ["name=Ann Other", "source=b.txt"]),
])
def test_engines_agree_on_the_named_queries(tiny_trig, name, params):
    named = q.get_named(name)
    bindings = q.parse_params(params)
    hide = [p.name for p in named.params]
    results = {engine: _rows(q.run(load(tiny_trig), named.text, bindings, hide))
               for engine, load in q.ENGINES.items()}
    assert results["rdflib"] == results["oxigraph"]
    assert results["oxigraph"], "each case has rows"
    assert "name" not in q.run(q.load_oxigraph(tiny_trig), named.text, bindings, hide).columns


def test_named_queries_project_their_params_for_oxigraph():
    for named in q.named_queries().values():
        projected = q.check_query(named.text).projected or set()
        assert {p.name for p in named.params} <= projected, named.name


def test_pick_engine():
    assert q.DEFAULT_ENGINE == "oxigraph"
    assert q.pick_engine(None, {"a"}, {}) == "oxigraph"
    assert q.pick_engine(None, {"a", "name"}, {"name": Literal("x")}) == "oxigraph"
    assert q.pick_engine(None, {"a"}, {"name": Literal("x")}) == "rdflib"   # not projected
    assert q.pick_engine(None, None, {"name": Literal("x")}) == "rdflib"    # SELECT *
    assert q.pick_engine("rdflib", {"a"}, {}) == "rdflib"


def test_adhoc_param_not_projected_still_binds(runner, tiny_trig):
    rows = _json(runner, "SELECT ?p WHERE { ?p foaf:name ?n FILTER(LCASE(?n) = LCASE(?who)) }",
                 "-p", "who=SAM TELLER", "-g", str(tiny_trig))
    assert [r["p"] for r in rows] == ["https://w3id.org/kg-politics/id/person/sam-teller"]


def test_claims_about_works_with_the_default_engine(tiny_trig):
    ds = q.ENGINES[q.DEFAULT_ENGINE](tiny_trig)
    table = q.run(ds, q.get_named("claims-about").text, q.parse_params(["name=Sam Teller"]))
    assert len(table.rows) >= 3


def test_oxigraph_loader_reports_bad_files(tmp_path):
    bad = tmp_path / "bad.ttl"
    bad.write_text("@prefix : <x", encoding="utf-8")
    with pytest.raises(KgError, match="bad.ttl"):
        q.load_oxigraph(bad)


# -- no spaCy -----------------------------------------------------------------------------

def test_help_has_examples(runner):
    result = runner.invoke(main, ["query", "--help"])
    assert result.exit_code == 0
    assert "kg query --name claims-about --param name=" in result.output


# -- the real build ------------------------------------------------------------------------

def test_built_accounts(runner, built):
    rows = _json(runner, "--name", "accounts", "-g", str(built / "graph.trig"))
    sources = {p.name for p in BUNDLED_ACCOUNTS.iterdir() if p.is_file() and not p.name.startswith(".")}
    assert {r["account"].split("#")[0] for r in rows} == sources
    assert all(r["teller"] for r in rows)
    assert sum(r["people"] for r in rows) > len(rows)


def test_built_roles_and_timeline_have_sources(runner, built):
    graph = str(built / "graph.trig")
    roles = _json(runner, "--name", "roles", "-g", graph)
    assert roles and all(r["sentence"] and r["account"] for r in roles)
    timeline = _json(runner, "--name", "timeline", "-g", graph)
    assert timeline and all(r["type"] and r["sentence"] for r in timeline)
    dates = [r["date"] for r in timeline if r["date"]]
    assert dates == sorted(dates)
    undated_seen = False
    for r in timeline:  # dated events come first
        undated_seen |= r["date"] is None
        assert not (undated_seen and r["date"])


def test_built_claims_about_and_people_in_body(runner, built):
    graph = str(built / "graph.trig")
    roles = _json(runner, "--name", "roles", "-g", graph)
    person = roles[0]["person"]
    claims = _json(runner, "--name", "claims-about", "-p", f"name={person}", "-g", graph)
    assert any(c["kind"] == "role" for c in claims)
    members = _json(runner, "--name", "people-in-body", "-g", graph)
    assert members and all(m["person"] and m["connection"] for m in members)


def test_engines_see_the_same_union(tiny_trig):
    text = "SELECT ?s ?p ?o WHERE { ?s ?p ?o }"
    counts = {engine: len(q.run(load(tiny_trig), text).rows) for engine, load in q.ENGINES.items()}
    assert counts["oxigraph"] == counts["rdflib"] > 100


@pytest.fixture
def bodiless_trig(tiny_kg, tmp_path) -> Path:
    """The tiny graph plus a role with no body and an account with no teller."""
    from dataclasses import replace

    from graph.model import RoleFact
    from graph.rdf import to_dataset

    ev = tiny_kg.roles[0].evidence
    tiny_kg.roles.append(RoleFact("ann-other", "Councillor", None, ev))
    for node in tiny_kg.nodes.values():
        node.narrator_of.discard("b")
    tiny_kg.accounts[1] = replace(tiny_kg.accounts[1], author=None)
    path = tmp_path / "bodiless.trig"
    path.write_text(to_dataset(tiny_kg).serialize(format="trig"), encoding="utf-8")
    return path


@pytest.mark.parametrize("engine", ["oxigraph", "rdflib"])
def test_unbound_optionals_do_not_match_every_label(runner, bodiless_trig, engine):
    graph = ["-g", str(bodiless_trig), "--engine", engine]
    roles = _json(runner, "--name", "roles", *graph)
    assert len(roles) == 3
    assert [r["body"] for r in roles if r["role"] == "Councillor"] == [None]
    accounts = _json(runner, "--name", "accounts", *graph)
    assert len(accounts) == 2
    timeline = _json(runner, "--name", "timeline", *graph)
    assert len(timeline) == 3

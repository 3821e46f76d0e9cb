"""`kg timeline` (#16): events and role changes in date order, filtered, on invented accounts."""
from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from graph.cli import main

ACCOUNTS = {
    "2016-03-02-f.txt": "A statement\n\nI was appointed secretary of the Northtown Labour Party in June 2010. "
                        "Ann Lee has been chair of the Northtown branch since 2015. In May 2014 I resigned as "
                        "secretary of the Northtown Labour Party. The NEC expelled Bob Hart from the Northtown "
                        "Labour Party in 2013.\n",
    "g.txt": "Another account\n\nBob Hart complained to the NEC about Ann Lee. Ann Lee allegedly threatened "
             "Bob Hart.\n",
}


@pytest.fixture(scope="module")
def graph_file(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("timeline")
    for name, text in ACCOUNTS.items():
        (folder / name).write_text(text, encoding="utf-8")
    result = CliRunner().invoke(main, ["build", str(folder), "-o", str(folder / "out"), "--no-html"])
    assert result.exit_code == 0, result.output
    return folder / "out" / "graph.trig"


def rows(graph_file: Path, *args: str) -> list[dict[str, str]]:
    result = CliRunner().invoke(main, ["timeline", "-g", str(graph_file), "--format", "json", *args])
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def test_dated_rows_in_order_then_undated_with_account_and_sentence(graph_file):
    found = rows(graph_file)
    dated = [(r["date"], r["type"]) for r in found if r["date"]]
    assert dated == sorted(dated)
    assert ("2010-06", "Appointment") in dated and ("2010-06", "Began") in dated
    assert ("2014-05", "Ended") in dated and ("2013", "Disciplinary") in dated and ("2015", "Began") in dated
    assert [(r["type"], r["account"], r["stance"]) for r in found if not r["date"]] == [
        ("Complaint", "g.txt", ""), ("Threat", "g.txt", "Alleged")]  # undated, in text order; as each tells it
    began = next(r for r in found if r["type"] == "Began" and r["date"] == "2015")
    assert began["who"] == "Ann Lee" and "since 2015" in began["what"]
    assert began["sentence"] == "Ann Lee has been chair of the Northtown branch since 2015."


def test_who_acted_comes_first(graph_file):
    expelled = next(r for r in rows(graph_file, "--type", "Disciplinary"))
    assert expelled["who"] == "National Executive Committee" and "Bob Hart" in expelled["what"]
    complaint = next(r for r in rows(graph_file, "--type", "complaint"))
    assert complaint["who"] == "Bob Hart"


def test_filters_by_type_person_body_and_dates(graph_file):
    assert {r["type"] for r in rows(graph_file, "--type", "Began", "--type", "Ended")} == {"Began", "Ended"}
    ann = rows(graph_file, "--person", "ann lee")
    assert ann and all("Ann Lee" in (r["who"] + r["what"]) for r in ann)
    assert {r["type"] for r in ann} == {"Began", "Complaint", "Threat"}
    party = rows(graph_file, "--body", "Northtown Labour Party")
    assert party and not any(r["type"] in {"Complaint", "Threat"} for r in party)
    window = rows(graph_file, "--from", "2013", "--to", "2014-06")
    assert {(r["date"], r["type"]) for r in window} >= {("2013", "Disciplinary"), ("2014-05", "Ended")}
    assert all(r["date"] and "2013" <= r["date"][:4] <= "2014" for r in window)  # undated rows left out


def test_csv_and_table_and_errors(graph_file):
    runner = CliRunner()
    out = runner.invoke(main, ["timeline", "-g", str(graph_file), "--format", "csv", "--type", "Resignation"])
    table = list(csv.reader(io.StringIO(out.output)))
    assert table[0] == ["date", "type", "who", "what", "stance", "account", "sentence"] and len(table) == 2
    text = runner.invoke(main, ["timeline", "-g", str(graph_file)]).output
    assert text.splitlines()[0].split() == ["date", "type", "who", "what", "stance", "account", "sentence"]
    bad = runner.invoke(main, ["timeline", "-g", str(graph_file), "--type", "Coup"])
    assert bad.exit_code == 2 and "unknown --type 'Coup'" in bad.output
    assert runner.invoke(main, ["timeline", "-g", str(graph_file), "--from", "May 2014"]).exit_code == 2
    nobody = runner.invoke(main, ["timeline", "-g", str(graph_file), "--person", "Zebedee Quux"])
    assert nobody.exit_code == 2 and "no person or body is named" in nobody.output

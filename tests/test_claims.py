"""According to whom (#16): the named queries `roles-on`, `corroborated` and `contested`,
on a build of invented accounts, answered the same by both engines."""
from __future__ import annotations

from pathlib import Path

import pytest

from graph import query as q
from graph.cli import main

ACCOUNTS = {
    "2014-06-01-a.txt": "A report\n\nJohn Smith resigned as treasurer of the Northtown CLP in May 2014.\n",
    "2014-06-02-b.txt": "Another report\n\nIn May 2014 John Smith resigned. John Smith was treasurer of the "
                        "Northtown CLP.\n",
    "2014-07-01-c.txt": "A third report\n\nThe NEC expelled John Smith from the Northtown CLP in 2014.\n",
    "d.txt": "A fourth report\n\nJohn Smith denied that he had resigned.\n",
    "e.txt": "A fifth report\n\nJane Doe resigned from the party in 2009.\n",
    "2016-09-01-h.txt": "A later note\n\nAnn Lee, the chair of the Northtown branch, spoke at the rally.\n",
    "2016-06-01-i.txt": "A notice\n\nAnn Lee resigned as chair of the Northtown branch in May 2016.\n",
    "2016-03-02-f.txt": "A statement\n\nI was appointed secretary of the Northtown Labour Party in June 2010. "
                        "Ann Lee has been chair of the Northtown branch since 2015. In May 2014 I resigned as "
                        "secretary of the Northtown Labour Party.\n",
}


@pytest.fixture(scope="module")
def graph_file(tmp_path_factory) -> Path:
    from click.testing import CliRunner

    folder = tmp_path_factory.mktemp("claims")
    for name, text in ACCOUNTS.items():
        (folder / name).write_text(text, encoding="utf-8")
    out = folder / "out"
    result = CliRunner().invoke(main, ["build", str(folder), "-o", str(out), "--no-html"])
    assert result.exit_code == 0, result.output
    assert "2 of 8 accounts have no date" in result.output
    return out / "graph.trig"


def answer(graph_file: Path, name: str, *params: str) -> list[dict[str, str]]:
    named = q.get_named(name)
    bindings = q.parse_params(params)
    q.check_params(named, bindings)
    tables = {engine: q.run(load(graph_file), named.text, bindings, [p.name for p in named.params])
              for engine, load in q.ENGINES.items()}
    def cell(column: str, value) -> str:  # GROUP_CONCAT's order is each engine's own
        text = q.plain(value)
        return ", ".join(sorted(text.split(", "))) if column == "sources" else text

    rows = {engine: sorted(tuple(sorted((c, cell(c, v)) for c, v in zip(t.columns, row))) for row in t.rows)
            for engine, t in tables.items()}
    assert rows["rdflib"] == rows["oxigraph"]
    return [dict(r) for r in rows["oxigraph"]]


def test_corroborated_counts_the_accounts_that_agree(graph_file):
    rows = {(r["kind"], r["claim"], r["who"]): r for r in answer(graph_file, "corroborated")}
    resigned = rows[("event", "Resignation", "John Smith")]
    assert resigned["accounts"] == "2" and resigned["date"] == "2014-05"
    assert resigned["sources"] == "2014-06-01-a.txt, 2014-06-02-b.txt"  # not the one that denies it
    assert rows[("role", "Treasurer, Northtown CLP", "John Smith")]["accounts"] == "2"
    assert not any(who == "Jane Doe" for _, _, who in rows)  # told by one account only


def test_contested_pairs_a_resignation_with_an_expulsion_and_a_denial(graph_file):
    pairs = {(r["account"], r["says"], r["otherAccount"], r["otherSays"]) for r in answer(graph_file, "contested")}
    assert pairs == {
        ("2014-06-01-a.txt", "Resignation", "2014-07-01-c.txt", "Disciplinary"),
        ("2014-06-02-b.txt", "Resignation", "2014-07-01-c.txt", "Disciplinary"),
        ("2014-06-01-a.txt", "Resignation", "d.txt", "Resignation (denied)"),
        ("2014-06-02-b.txt", "Resignation", "d.txt", "Resignation (denied)"),
        # held on 2016-09-01 by one account, ended in May 2016 by another
        ("2016-09-01-h.txt", "Chair, Northtown branch (held)", "2016-06-01-i.txt", "Chair, Northtown branch (ended)"),
    }


@pytest.mark.parametrize("day, held", [
    ("2012-01-01", {("Secretary", "2010-06", "2014-05", "")}),
    ("2014-05-31", {("Secretary", "2010-06", "2014-05", "")}),   # "2014-05" takes in the whole month
    ("2014-06-01", set()),
    ("2015-07-01", {("Chair", "2015", "", "2016-03-02")}),
    ("2016-03-02", {("Chair", "2015", "", "2016-03-02")}),
    ("2016-03-03", set()),   # nothing says she was chair after the account's date
    ("2009-12-31", set()),
])
def test_roles_on_a_day(graph_file, day, held):
    rows = answer(graph_file, "roles-on", f"date={day}")
    assert {(r["role"], r["began"], r["ended"], r["asOf"]) for r in rows} == held


def test_roles_on_needs_a_date(graph_file):
    from click.testing import CliRunner

    result = CliRunner().invoke(main, ["query", "--name", "roles-on", "-g", str(graph_file)])
    assert result.exit_code == 2 and "needs --param date=VALUE" in result.output
    assert answer(graph_file, "roles-on", "date=last year") == []

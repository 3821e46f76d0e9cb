"""A role's dates, read by a real build from an invented account, reach the FtM and Popolo exports."""
from __future__ import annotations

import json

from graph.cli import main

LETTER = """Why I am stepping down

I have been Chair of the Testford Labour Group since May 2015. Today I resigned as Chair of the Testford Labour Group.
"""


def test_role_dates_from_a_build_reach_both_exports(runner, tmp_path):
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "letter.txt").write_text(LETTER, encoding="utf-8")
    out = tmp_path / "out"
    built = runner.invoke(main, ["build", str(tmp_path / "in"), "-o", str(out), "--no-html",
                                 "--cache-dir", str(tmp_path / "cache")])
    assert built.exit_code == 0, built.output
    graph = str(out / "graph.trig")

    ftm = runner.invoke(main, ["export", "--format", "ftm", "-g", graph])
    assert ftm.exit_code == 0, ftm.output
    [held] = [e for e in map(json.loads, ftm.output.splitlines()) if e["schema"] == "Occupancy"]
    assert held["properties"]["startDate"] == ["2015-05"]
    assert "endDate" not in held["properties"]  # an undated account's "today" gives no end date
    assert held["properties"]["summary"] == ["I have been Chair of the Testford Labour Group since May 2015."]

    popolo = runner.invoke(main, ["export", "--format", "popolo", "-g", graph])
    assert popolo.exit_code == 0, popolo.output
    [chair] = [m for m in json.loads(popolo.output)["memberships"] if m["role"] == "Chair"]
    assert chair["start_date"] == "2015-05" and "end_date" not in chair
    assert chair["id"] == held["id"]

"""Shared click options: `-g/--graph` means the same in every command that reads a built graph."""
from __future__ import annotations

import pytest

from graph.cli import main

READERS = {"show": ["show", "x"], "stats": ["stats"], "export": ["export", "-f", "turtle"],
           "render": ["render"], "query": ["query", "--name", "roles"]}


@pytest.mark.parametrize("command", sorted(READERS))
def test_graph_option_is_one_option(runner, command):
    helptext = " ".join(runner.invoke(main, [command, "--help"]).output.split())
    assert "-g, --graph FILE The built graph to read (TriG, Turtle, N-Quads, N-Triples, JSON-LD or RDF/XML, by its" \
           " suffix). [default: ($KG_GRAPH, or the nearest output/graph.trig)]" in helptext


@pytest.mark.parametrize("command", sorted(READERS))
def test_graph_option_refuses_a_folder_and_a_missing_file(runner, command, tmp_path):
    folder = runner.invoke(main, [*READERS[command], "-g", str(tmp_path)])
    assert folder.exit_code == 2 and "is a directory" in folder.output
    missing = runner.invoke(main, [*READERS[command], "-g", str(tmp_path / "none.trig")])
    assert missing.exit_code == 2 and "no such graph file" in missing.output

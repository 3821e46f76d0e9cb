"""One CLI: the graph a command reads without -g, and where render and export write without -o."""
from __future__ import annotations

import shutil

from graph.cli import main


def test_kg_graph_names_the_default_graph(runner, tiny_trig, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("KG_GRAPH", str(tiny_trig))
    result = runner.invoke(main, ["stats", "--json"])
    assert result.exit_code == 0, result.output
    monkeypatch.setenv("KG_GRAPH", str(tmp_path / "missing.trig"))
    missing = runner.invoke(main, ["stats"])
    assert missing.exit_code == 2 and "missing.trig" in missing.output


def test_the_nearest_build_above_is_found(runner, tiny_trig, tmp_path, monkeypatch):
    monkeypatch.delenv("KG_GRAPH", raising=False)
    (tmp_path / "output").mkdir()
    shutil.copy(tiny_trig, tmp_path / "output" / "graph.trig")
    deep = tmp_path / "notes" / "drafts"
    deep.mkdir(parents=True)
    monkeypatch.chdir(deep)
    for command in (["stats"], ["validate"], ["query", "ASK { ?s ?p ?o }"]):
        result = runner.invoke(main, command)
        assert result.exit_code == 0, (command, result.output)
    monkeypatch.chdir(tmp_path.parent)  # no build here or above: the usual message
    none = runner.invoke(main, ["stats"])
    assert none.exit_code == 2 and "run `kg build` first" in none.output


def test_render_and_export_write_beside_the_graph_they_read(runner, tiny_trig, tmp_path, monkeypatch):
    other = tmp_path / "other"
    other.mkdir()
    graph = other / "graph.trig"
    shutil.copy(tiny_trig, graph)
    monkeypatch.chdir(tmp_path)
    assert runner.invoke(main, ["render", "-g", str(graph)]).exit_code == 0
    assert (other / "graph.html").is_file() and not (tmp_path / "output").exists()
    assert runner.invoke(main, ["export", "-g", str(graph), "--format", "csv"]).exit_code == 0
    assert (other / "graph-nodes.csv").is_file() and (other / "graph-edges.csv").is_file()


def test_validate_takes_the_graph_as_file_or_option_but_not_both(runner, tiny_trig, tmp_path):
    assert runner.invoke(main, ["validate", "-g", str(tiny_trig)]).exit_code == 0
    assert runner.invoke(main, ["validate", str(tiny_trig)]).exit_code == 0
    both = runner.invoke(main, ["validate", str(tiny_trig), "-g", str(tmp_path / "x.trig")])
    assert both.exit_code == 2 and "not both" in both.output

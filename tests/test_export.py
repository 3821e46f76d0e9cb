"""kg export: every format through the registry, written atomically and parseable."""
from __future__ import annotations

import csv
import io
import json

import networkx as nx
import pytest
from rdflib import Dataset, Graph

from graph.cli import main
from graph.export import export, flat_view, target_paths
from graph.formats import FORMATS
from graph.store import open_graph
from graph.vocab import FOAF, RDF

RDF_PARSE = {"turtle": "turtle", "trig": "trig", "nquads": "nquads", "ntriples": "nt",
             "jsonld": "json-ld", "xml": "xml"}


def test_registry_covers_the_documented_formats():
    assert set(FORMATS) == set(RDF_PARSE) | {"graphml", "gexf", "csv", "ftm", "popolo"}


@pytest.mark.parametrize("fmt", sorted(RDF_PARSE))
def test_rdf_formats_round_trip(tiny_trig, fmt):
    ds = open_graph(tiny_trig)
    text = export(ds, fmt)[""]
    back = Dataset(default_union=True) if fmt in ("trig", "nquads", "jsonld") else Graph()
    back.parse(data=text, format=RDF_PARSE[fmt])
    people = set(back.subjects(RDF.type, FOAF.Person))
    assert len(people) == 3
    if fmt in ("trig", "nquads"):
        assert len({g.identifier for g in back.graphs()}) >= 3  # two accounts + shared graph


@pytest.mark.parametrize("fmt", sorted(FORMATS))
def test_exports_are_byte_stable(tiny_trig, fmt):
    assert export(open_graph(tiny_trig), fmt) == export(open_graph(tiny_trig), fmt)


def test_flat_view_has_only_scalars(tiny_trig):
    g = flat_view(open_graph(tiny_trig))
    for _, data in g.nodes(data=True):
        assert all(isinstance(v, (str, int, float, bool)) for v in data.values())
    ann = g.nodes["https://w3id.org/kg-politics/id/person/ann-other"]
    assert json.loads(ann["accounts"]) == ["a.txt", "b.txt"]
    assert json.loads(ann["facts"])[0]["sentence"]


def test_graphml_and_gexf_read_back(tiny_trig, tmp_path):
    ds = open_graph(tiny_trig)
    for fmt, reader in (("graphml", nx.read_graphml), ("gexf", nx.read_gexf)):
        path = tmp_path / f"g.{fmt}"
        path.write_text(export(ds, fmt)[""], encoding="utf-8")
        g = reader(path)
        assert g.number_of_nodes() == 11 and g.number_of_edges() == 11, fmt
    assert "lastmodifieddate" not in export(ds, "gexf")[""]


def test_csv_pair(tiny_trig):
    out = export(open_graph(tiny_trig), "csv")
    nodes = list(csv.DictReader(io.StringIO(out["-nodes"])))
    edges = list(csv.DictReader(io.StringIO(out["-edges"])))
    ann = next(n for n in nodes if n["label"] == "Ann Other")
    assert ann["kind"] == "person" and ann["accounts"] == "a.txt; b.txt" and int(ann["facts"]) >= 3
    assert {e["kind"] for e in edges} >= {"holds_role", "took_part", "in_body", "part_of"}


def test_target_paths(tmp_path):
    assert target_paths("turtle", {"": ""}, None, tmp_path) == {"": tmp_path / "graph.ttl"}
    pair = target_paths("csv", {"-nodes": "", "-edges": ""}, tmp_path / "net.csv", tmp_path)
    assert pair == {"-nodes": tmp_path / "net-nodes.csv", "-edges": tmp_path / "net-edges.csv"}


def test_cli_stdout_and_file(runner, tiny_trig, tmp_path):
    result = runner.invoke(main, ["export", "--format", "ntriples", "-g", str(tiny_trig)])
    assert result.exit_code == 0 and "<http://xmlns.com/foaf/0.1/name>" in result.output
    out = tmp_path / "sub" / "g.jsonld"
    result = runner.invoke(main, ["export", "--format", "jsonld", "-o", str(out), "-g", str(tiny_trig)])
    assert result.exit_code == 0 and out.exists()
    assert "@context" in json.loads(out.read_text(encoding="utf-8"))
    assert not list(out.parent.glob(".*.tmp"))  # atomic write left no temp file


def test_cli_csv_writes_two_files(runner, tiny_trig, tmp_path):
    result = runner.invoke(main, ["export", "--format", "csv", "-o", str(tmp_path / "net.csv"),
                                  "-g", str(tiny_trig)])
    assert result.exit_code == 0
    assert (tmp_path / "net-nodes.csv").read_text().startswith("id,kind,label")
    assert (tmp_path / "net-edges.csv").read_text().startswith("source,target,kind")
    refused = runner.invoke(main, ["export", "--format", "csv", "-o", "-", "-g", str(tiny_trig)])
    assert refused.exit_code == 2


def test_cli_csv_default_goes_beside_the_graph(runner, tiny_trig, tmp_path, monkeypatch):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    result = runner.invoke(main, ["export", "--format", "csv", "-g", str(tiny_trig)])
    assert result.exit_code == 0
    assert (tiny_trig.parent / "graph-nodes.csv").exists()
    assert (tiny_trig.parent / "graph-edges.csv").exists()
    assert list(elsewhere.iterdir()) == []


def test_unknown_format_lists_valid_ones(runner, tiny_trig):
    result = runner.invoke(main, ["export", "--format", "yaml", "-g", str(tiny_trig)])
    assert result.exit_code == 2
    assert "graphml" in result.output and "jsonld" in result.output


def test_help_lists_formats(runner):
    result = runner.invoke(main, ["export", "--help"])
    assert "GEXF (Gephi)" in result.output and "kg export --format csv -o net.csv" in result.output


def test_built_exports(runner, built, tmp_path):
    graph = str(built / "graph.trig")
    turtle = tmp_path / "all.ttl"
    assert runner.invoke(main, ["export", "-f", "turtle", "-o", str(turtle), "-g", graph]).exit_code == 0
    g = Graph().parse(turtle)
    assert len(set(g.subjects(RDF.type, FOAF.Person))) > 5
    gml = tmp_path / "all.graphml"
    assert runner.invoke(main, ["export", "-f", "graphml", "-o", str(gml), "-g", graph]).exit_code == 0
    assert nx.read_graphml(gml).number_of_nodes() > 10


@pytest.mark.parametrize("fmt", [f for f in FORMATS.values() if f.serializer], ids=lambda f: f.name)
def test_one_registry_writes_and_reads_each_rdf_format(tiny_trig, tmp_path, fmt):
    """What export writes under a format's suffix, store and both query engines read back by that suffix."""
    from graph.query import load_oxigraph

    ds = open_graph(tiny_trig)
    path = tmp_path / f"graph{fmt.suffix}"
    path.write_text(export(ds, fmt.name)[""], encoding="utf-8")
    assert ds.serialize(format=fmt.plugin) == export(ds, fmt.name)[""]  # the registered rdflib plugin
    assert len(set(open_graph(path).subjects(RDF.type, FOAF.Person))) == 3
    assert len(set(load_oxigraph(path).subjects(RDF.type, FOAF.Person))) == 3
    for alias in fmt.aliases:
        assert export(ds, alias) == export(ds, fmt.name)


def test_unknown_suffix_names_the_readable_ones(tmp_path):
    from graph.errors import KgError

    bad = tmp_path / "graph.yaml"
    bad.write_text("x", encoding="utf-8")
    with pytest.raises(KgError, match=r"unknown RDF format \(expected one of \.jsonld, \.nq, \.nt"):
        open_graph(bad)

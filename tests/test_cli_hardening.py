"""The command line with hostile values: usage errors before any work, safe terminal and CSV output."""
from __future__ import annotations

import csv
import io
import logging

import pytest

from graph.build import build
from graph.cli import main
from graph.safetext import VisibleFormatter, safe_cell, visible

ESC_TITLE = "Title \x1b]0;pwned\x07 \x1b]52;c;ZXZpbA==\x07 \u202etxt.exe"


@pytest.mark.parametrize("args, message", [
    (["--base", "not an iri"], "not an absolute IRI"),
    (["--base", "https://example.org/no-slash"], "ending in / or #"),
    (["--base", "http:///x/"], "not an absolute IRI"),
    (["--min-confidence", "nan"], "not a number"),
])
def test_bad_build_options_fail_before_any_work(runner, tmp_path, args, message):
    (tmp_path / "a.txt").write_text("A\n\nI resigned.\n")
    result = runner.invoke(main, ["build", str(tmp_path), "-o", str(tmp_path / "out"), *args])
    assert result.exit_code == 2 and message in result.output
    assert not (tmp_path / "out").exists()


def test_a_custom_base_of_another_scheme_is_accepted(runner, tmp_path):
    (tmp_path / "a.txt").write_text("A\n\nBy Ann Other\n\nI resigned as Chair of Eastvale CLP.\n")
    result = runner.invoke(main, ["build", str(tmp_path), "-o", str(tmp_path / "out"), "--base", "urn:x:kg#",
                                  "--no-html"])
    assert result.exit_code == 0, result.output


def test_visible_escapes_controls_and_keeps_what_is_asked():
    assert visible("a\x1b[31mb\x07\u202ec\n") == "a\\x1b[31mb\\x07\\u202ec\\x0a"
    assert visible("line\nnext\tcell", keep="\n\t") == "line\nnext\tcell"
    assert visible("caf\udce9") == "caf\\xe9"


def test_a_log_line_stays_one_line():
    record = logging.LogRecord("graph.load", logging.WARNING, __file__, 1, "%s: skipped", ("evil\nERROR: forged",),
                               None)
    line = VisibleFormatter("%(levelname)s: %(message)s").format(record)
    assert "\n" not in line and "evil\\x0aERROR: forged" in line


@pytest.fixture(scope="module")
def hostile_build(tmp_path_factory):
    folder = tmp_path_factory.mktemp("hostile")
    src = folder / "in"
    src.mkdir()
    yaml_title = ESC_TITLE.replace("\x1b", "\\e").replace("\x07", "\\a").replace("\u202e", "\\u202e")
    (src / "post.md").write_text(f"---\ntitle: \"{yaml_title}\"\nauthor: =HYPERLINK(\"http://x.example\")\n---\n"
                                 "I resigned as Chair of Eastvale CLP in May 2016.\n", encoding="utf-8")
    build([src], folder / "out")
    return folder / "out" / "graph.trig"


@pytest.mark.parametrize("command", [["stats"], ["show", "=HYPERLINK"],
                                     ["query", "SELECT ?t WHERE { ?a dcterms:title ?t }"]])
def test_terminal_output_never_carries_raw_escapes(runner, hostile_build, command):
    result = runner.invoke(main, [*command, "-g", str(hostile_build)])
    assert result.exit_code == 0, result.output
    assert "\x1b" not in result.output and "\x07" not in result.output and "\u202e" not in result.output
    if command[0] == "query":
        assert "\\x1b]0;pwned" in result.output


def test_csv_cells_never_start_a_formula(runner, hostile_build, tmp_path):
    query = runner.invoke(main, ["query", "SELECT ?n WHERE { ?p foaf:name ?n }", "-g", str(hostile_build),
                                 "--format", "csv"])
    cells = [c for row in csv.reader(io.StringIO(query.output)) for c in row]
    assert "'=HYPERLINK(\"http://x.example\")" in cells
    runner.invoke(main, ["export", "--format", "csv", "-g", str(hostile_build), "-o", str(tmp_path / "net.csv")])
    for part in ("net-nodes.csv", "net-edges.csv"):
        for row in csv.reader(io.StringIO((tmp_path / part).read_text())):
            assert not any(c[:1] and c[0] in "=+@" for c in row), row


@pytest.mark.parametrize("cell, safe", [("=1+1", "'=1+1"), ("+cmd|' /C calc'!A0", "'+cmd|' /C calc'!A0"),
                                        ("@SUM(A1)", "'@SUM(A1)"), ("-0.5", "-0.5"), ("\t=1", "'\t=1"),
                                        ("Jo Bloggs", "Jo Bloggs")])
def test_safe_cell(cell, safe):
    assert safe_cell(cell) == safe


def test_a_malformed_graph_names_the_line_and_the_problem(runner, tmp_path):
    bad = tmp_path / "bad.ttl"
    bad.write_text('@prefix ex: <http://e/> .\nex:a ex:b "unterminated .\n')
    result = runner.invoke(main, ["stats", "-g", str(bad)])
    assert result.exit_code == 2
    assert "line 2 column 11" in result.output and "Unexpected end of file" in result.output
    assert len(result.output.strip().splitlines()) == 1


def test_the_page_neutralises_bidi_controls_and_non_finite_numbers(runner, hostile_build, tmp_path):
    from graph import payload

    text = hostile_build.read_text(encoding="utf-8")
    nan = tmp_path / "nan.trig"
    nan.write_text(text.replace('kg:confidence 0.', 'kg:confidence "NaN"^^xsd:double ; kg:note 0.'),
                   encoding="utf-8")
    for graph in (hostile_build, nan):
        page = tmp_path / "page.html"
        result = runner.invoke(main, ["render", "-g", str(graph), "-o", str(page)])
        assert result.exit_code == 0, result.output
        html = page.read_text(encoding="utf-8")
        data = html.split('id="kg-data"', 1)[1].split("</script>", 1)[0]
        assert "\u202e" not in data and "\x1b" not in data and "NaN" not in data
        assert "\\\\u202etxt.exe" in data  # shown as an escape, in the JSON as "\\u202e"
    assert payload.page_text("a\u2028b\u202ec") == "a\nb\\u202ec"


@pytest.mark.parametrize("shapes, message", [
    ("not turtle {", "not a readable Turtle shapes file: at line 1"),
    ("@prefix sh: <http://www.w3.org/ns/shacl#> .\n<x> a sh:NodeShape ; sh:targetClass "
     "<http://xmlns.com/foaf/0.1/Person> ; sh:property [ sh:path <p> ; sh:minCount \"abc\" ] .\n",
     "cannot be applied (ConstraintLoadError"),
    ("@prefix sh: <http://www.w3.org/ns/shacl#> .\n<x> a sh:NodeShape ; sh:targetClass "
     "<http://xmlns.com/foaf/0.1/Person> ; sh:sparql [ sh:select \"SELECT garbage\" ] .\n",
     "cannot be applied"),
])
def test_broken_or_hostile_shapes_are_one_line_exit_2(runner, hostile_build, tmp_path, shapes, message):
    path = tmp_path / "shapes.ttl"
    path.write_text(shapes, encoding="utf-8")
    result = runner.invoke(main, ["validate", str(hostile_build), "--shapes", str(path)])
    assert result.exit_code == 2, result.output
    assert message in result.output and len(result.output.strip().splitlines()) == 1


@pytest.fixture(scope="module")
def control_build(tmp_path_factory):
    folder = tmp_path_factory.mktemp("controls")
    (folder / "in").mkdir()
    (folder / "in" / "post.md").write_text('---\ntitle: "Form\\ffeed \\L line \\N next \\e esc \\0 nul"\n---\n'
                                         "I resigned as Chair of Eastvale CLP in May 2016.\n", encoding="utf-8")
    build([folder / "in"], folder / "out", use_cache=False)
    return folder / "out" / "graph.trig"


@pytest.mark.parametrize("fmt, parser", [("turtle", "turtle"), ("trig", "trig"), ("nquads", "nquads"),
                                         ("ntriples", "nt"), ("jsonld", "json-ld"), ("xml", "xml"),
                                         ("graphml", None), ("gexf", None)])
def test_every_export_reads_back_with_its_own_parser(runner, control_build, tmp_path, fmt, parser):
    import xml.dom.minidom

    from rdflib import Dataset
    from rdflib.namespace import DCTERMS

    out = tmp_path / f"x.{fmt}"
    result = runner.invoke(main, ["export", "-g", str(control_build), "--format", fmt, "-o", str(out)])
    assert result.exit_code == 0, result.output
    if parser is None:
        xml.dom.minidom.parse(str(out))
        return
    ds = Dataset()
    ds.parse(out, format=parser)
    titles = {str(q[2]) for q in ds.quads((None, DCTERMS.title, None, None))}
    assert any("feed" in t and "nul" in t for t in titles)
    if fmt != "xml":  # the text formats keep every character
        assert any("\u2028" in t and "\x0c" in t and "\x1b" in t for t in titles)


@pytest.mark.parametrize("suffix", [".trig", ".ttl", ".nq", ".nt", ".rdf"])
def test_graphs_read_through_oxigraph_hold_what_rdflib_reads(tiny_trig, tmp_path, suffix):
    """open_graph parses with Oxigraph; the statements are the ones rdflib's own parser gives."""
    from rdflib import Dataset

    from graph.export import export
    from graph.store import open_graph

    path = tiny_trig
    if suffix != ".trig":
        fmt = {".ttl": "turtle", ".nq": "nquads", ".nt": "ntriples", ".rdf": "xml"}[suffix]
        path = tmp_path / f"g{suffix}"
        path.write_text("".join(export(open_graph(tiny_trig), fmt).values()), encoding="utf-8")
    ours = open_graph(path)
    theirs = Dataset(default_union=True)
    theirs.parse(path, format={".trig": "trig", ".ttl": "turtle", ".nq": "nquads", ".nt": "nt",
                               ".rdf": "xml"}[suffix])
    assert set(ours.quads()) == set(theirs.quads()) and len(set(ours.quads())) > 20


def test_a_huge_literal_reads_whole(tmp_path, runner):
    big = tmp_path / "big.nt"
    big.write_text('<http://e/a> <http://xmlns.com/foaf/0.1/name> "' + "x" * 4_000_000 + '" .\n')
    from graph.store import open_graph

    (name,) = [str(o) for o in open_graph(big).objects()]
    assert len(name) == 4_000_000


def test_written_paths_and_reports_reach_the_terminal_escaped(runner, hostile_build, tmp_path):
    odd = tmp_path / "page\x1b]0;x\x07.html"
    result = runner.invoke(main, ["render", "-g", str(hostile_build), "-o", str(odd)])
    assert result.exit_code == 0, result.output
    assert "\x1b" not in result.output and "\\x1b]0;x\\x07" in result.output
    report = runner.invoke(main, ["validate", str(hostile_build)])
    assert "\x1b" not in report.output

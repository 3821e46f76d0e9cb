"""`kg render` and graph.render: the page, its escaping, focus, filters, determinism."""
from __future__ import annotations

import importlib.util
import json
import os
import re
import subprocess
import sys
from collections import Counter
from html.parser import HTMLParser

import networkx as nx
import pytest

from graph.cli import main
from graph.network import to_networkx
from graph.rdf import to_dataset
from graph.render import render_html, select, write_html
from graph.store import open_graph
from render_samples import HOSTILE_SENTENCE, hostile_kg

HAS_BUILD = importlib.util.find_spec("graph.cli.build") is not None
needs_build = pytest.mark.skipif(not HAS_BUILD, reason="`kg build` has not landed yet")


class Tags(HTMLParser):
    """Every tag the browser would create, and the raw text of each <script>."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict]] = []
        self.scripts: dict[str, str] = {}
        self._in: str | None = None

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        if tag == "script":
            self._in = dict(attrs).get("id", f"inline{len(self.scripts)}")
            self.scripts[self._in] = ""

    def handle_endtag(self, tag):
        if tag == "script":
            self._in = None

    def handle_data(self, data):
        if self._in:
            self.scripts[self._in] += data


def parse(html: str) -> Tags:
    t = Tags()
    t.feed(html)
    return t


def edges(html: str) -> list[dict]:
    """kg-vis-edges unpacked: from, to, kind, label and account sources of each edge."""
    data, raw = json.loads(parse(html).scripts["kg-data"]), json.loads(parse(html).scripts["kg-vis-edges"])
    return [{"from": e[0], "to": e[1], "kind": data["edgeKinds"][e[2]]["kind"], "label": data["strings"][e[3]],
             "accounts": [data["accounts"][a]["source"] for a in e[4]]} for e in raw]


def payload(html: str) -> dict:
    """kg-data with its nodes unpacked into one dict each, facts too: what explorer.js makes of it."""
    data = json.loads(parse(html).scripts["kg-data"])
    cols, strings, accounts, links = data["nodes"], data["strings"], data["accounts"], edges(html)

    def fact(f: list) -> dict:
        kind, text, account, sentence, start, end, confidence, date = f
        return {"kind": data["factKinds"][kind], "text": strings[text], "account": accounts[account]["source"],
                "account_title": accounts[account]["title"], "sentence": strings[sentence], "start": start,
                "end": end, "confidence": confidence, "date": strings[date]}

    def link(i: int) -> list:
        e = links[i if i >= 0 else ~i]
        return [e["label"], e["to"], True] if i >= 0 else [e["label"], e["from"], False]

    data["nodes"] = [{"kind": kind, "label": cols["label"].get(str(i), cols["names"][i][0]),
                      "names": cols["names"][i], "accounts": [accounts[a]["source"] for a in cols["accounts"][i]],
                      "facts": [fact(f) for f in cols["facts"][i]], "date": cols["date"][i],
                      "links": [link(x) for x in cols["links"][i]], "narrator_of": cols["narrator_of"][i]}
                     for i, kind in enumerate(cols["kind"])]
    return data


def test_cli_writes_page(runner, tiny_trig, tmp_path):
    out = tmp_path / "g.html"
    result = runner.invoke(main, ["render", "--graph", str(tiny_trig), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert str(out) in result.output
    html = out.read_text(encoding="utf-8")
    data = payload(html)
    assert len(data["nodes"]) == to_networkx(open_graph(tiny_trig)).number_of_nodes() == 11
    assert {a["source"] for a in data["accounts"]} == {"a.txt", "b.txt"}
    assert re.search(r'data-nodes="11"', html)


def test_page_is_self_contained(tiny_trig):
    html = render_html(open_graph(tiny_trig))
    tags = parse(html)
    for tag, attrs in tags.tags:  # nothing that fetches: no src/href, no external stylesheet
        assert "src" not in attrs and "href" not in attrs, (tag, attrs)
    assert not [t for t, _ in tags.tags if t in ("link", "iframe", "img", "object", "embed")]
    csp = next(a["content"] for t, a in tags.tags if t == "meta" and a.get("http-equiv"))
    assert "default-src 'none'" in csp and "unsafe-inline" not in csp.split("style-src")[0]
    assert "vis.Network" in tags.scripts["inline4"] or "vis.Network" in html


def test_untrusted_text_is_escaped(tiny_trig):
    html = render_html(open_graph(tiny_trig))
    assert "<script>alert(1)</script>" not in html
    assert "\\u003cscript\\u003ealert(1)\\u003c/script\\u003e" in html
    sentences = [f["sentence"] for n in payload(html)["nodes"] for f in n["facts"]]
    assert "Ann Other wrote to the NEC <script>alert(1)</script> about it in May 2016." in sentences


def test_hostile_account_cannot_add_tags(tmp_path):
    html = render_html(to_dataset(hostile_kg()))
    tags = parse(html)
    assert [t for t, _ in tags.tags].count("script") == 6  # 4 JSON blocks, vis-network, ours
    assert not [t for t, _ in tags.tags if t in ("img", "a", "i")]
    for key in ("kg-data", "kg-vis-nodes", "kg-vis-edges", "kg-options"):
        assert "<" not in tags.scripts[key] and ">" not in tags.scripts[key]
    data = payload(html)
    assert HOSTILE_SENTENCE in [f["sentence"] for n in data["nodes"] for f in n["facts"]]
    assert "<script>alert(5)</script> title" in [a["title"] for a in data["accounts"]]
    assert "alert(5)" not in html.split("<body")[0]  # page <title> is ours, not the account's


def test_payload_is_lossless(tiny_trig):
    """Unpacked, the page's data is every node attribute the panel shows, fact for fact."""
    g = to_networkx(open_graph(tiny_trig))
    html = render_html(g)
    data = payload(html)
    ids = {n: i for i, n in enumerate(g.nodes)}
    for node, d in g.nodes(data=True):
        got = data["nodes"][ids[node]]
        assert got["facts"] == d["facts"]  # account_title included, from the accounts table
        want_links = sorted([[e["label"], ids[v], True] for _, v, e in g.out_edges(node, data=True)]
                            + [[e["label"], ids[u], False] for u, _, e in g.in_edges(node, data=True)])
        assert got["links"] == want_links
        assert (got["kind"], got["label"], got["names"], got["accounts"], got["date"], got["narrator_of"]) == (
            d["kind"], d["label"], d["names"], d["accounts"], d.get("date", ""), d.get("narrator_of", []))
    assert sorted((e["from"], e["to"], e["kind"], e["label"], tuple(e["accounts"])) for e in edges(html)) == sorted(
        (ids[u], ids[v], e["kind"], e["label"], tuple(e["accounts"])) for u, v, e in g.edges(data=True))
    counts = Counter(a for _, d in g.nodes(data=True) for a in d["accounts"])
    assert data["accounts"] == [{"source": "a.txt", "title": "Why I went", "nodes": counts["a.txt"]},
                                {"source": "b.txt", "title": "A letter", "nodes": counts["b.txt"]}]


def test_shared_sentence_is_stored_once(tiny_trig):
    """A sentence naming several entities is evidence on each of their nodes, but is in the page once."""
    html = render_html(open_graph(tiny_trig))
    shared = "Ann Other, the Chair of the Labour Group, summoned me."
    holders = [n["label"] for n in payload(html)["nodes"] if any(f["sentence"] == shared for f in n["facts"])]
    assert len(holders) >= 4 and {"Ann Other", "Labour Group", "Sam Teller"} <= set(holders)
    assert html.count(shared) == 1  # not per fact, not in hover texts
    assert html.count("Why I went") == 1  # the account title: once, in the accounts table
    tags = parse(html)
    assert shared in json.loads(tags.scripts["kg-data"])["strings"]
    assert all(shared not in tags.scripts[k] for k in ("kg-vis-nodes", "kg-vis-edges"))


def test_focus_and_depth(runner, tiny_trig, tmp_path):
    def nodes(*args: str) -> list[str]:
        out = tmp_path / "f.html"
        result = runner.invoke(main, ["render", "--graph", str(tiny_trig), "-o", str(out), *args])
        assert result.exit_code == 0, result.output
        data = payload(out.read_text(encoding="utf-8"))
        assert len(data["focus"]) == 1
        return sorted(n["label"] for n in data["nodes"])

    assert nodes("--focus", "Sam Teller", "--depth", "0") == ["Sam Teller"]
    assert nodes("--focus", "Sam Teller", "--depth", "1") == [
        "Leader", "Meeting: Ann Other, Sam Teller", "Resignation: Sam Teller, Testford Council", "Sam Teller"]
    assert "Testford Council" in nodes("--focus", "sam teller", "--depth", "2")
    assert nodes("--focus", "nec", "--depth", "0") == ["National Executive Committee"]  # by another name


def test_focus_without_match(runner, tiny_trig, tmp_path):
    result = runner.invoke(main, ["render", "--graph", str(tiny_trig), "-o", str(tmp_path / "x.html"),
                                  "--focus", "Nobody Atall"])
    assert result.exit_code == 2
    assert "no entity named 'Nobody Atall'" in result.output
    assert not (tmp_path / "x.html").exists()


def test_type_filter(runner, tiny_trig, tmp_path):
    out = tmp_path / "t.html"
    result = runner.invoke(main, ["render", "--graph", str(tiny_trig), "-o", str(out), "--type", "person,body"])
    assert result.exit_code == 0, result.output
    html = out.read_text(encoding="utf-8")
    assert {n["kind"] for n in payload(html)["nodes"]} == {"person", "body"}
    assert {"chair", "leader"} <= {e["label"] for e in edges(html)}  # roles bridged person -> body


def test_unknown_type(runner, tiny_trig, tmp_path):
    result = runner.invoke(main, ["render", "--graph", str(tiny_trig), "-o", str(tmp_path / "x.html"),
                                  "--type", "person,party"])
    assert result.exit_code == 2
    assert "unknown type party" in result.output
    assert "person, body, role, event" in result.output


def test_missing_graph(runner, tmp_path):
    result = runner.invoke(main, ["render", "--graph", str(tmp_path / "none.trig")])
    assert result.exit_code == 2 and "no such graph file" in result.output


# a filter keeping under half the nodes once gave node ids in set order, which changed with the hash seed
@pytest.mark.parametrize("args", [[], ["--type", "event"], ["--focus", "Sam Teller", "--depth", "1"]])
def test_deterministic_across_processes(tiny_trig, tmp_path, args):
    outs = []
    for seed in ("1", "2", "3"):
        out = tmp_path / f"d{seed}.html"
        subprocess.run([sys.executable, "-m", "graph", "render", "--graph", str(tiny_trig), "-o", str(out), *args],
                       check=True, env={**os.environ, "PYTHONHASHSEED": seed}, capture_output=True)
        outs.append(out.read_bytes())
    assert outs[0] == outs[1] == outs[2]
    if not args:
        assert render_html(open_graph(tiny_trig)).encode() == outs[0]


def test_write_html_api(tiny_trig, tmp_path):
    ds = open_graph(tiny_trig)
    path = write_html(ds, tmp_path / "sub" / "graph.html")
    assert path.read_text(encoding="utf-8") == render_html(to_networkx(ds))


def test_select_keeps_focus_even_if_type_filtered(tiny_trig):
    g = to_networkx(open_graph(tiny_trig))
    sub = select(g, "Chair", 1, "person")
    assert sorted(d["label"] for _, d in sub.nodes(data=True)) == ["Ann Other", "Chair"]


def test_render_never_imports_spacy(tiny_trig, tmp_path):
    code = ("import sys; from graph.cli import main; "
            f"main(['render', '--graph', {str(tiny_trig)!r}, '-o', {str(tmp_path / 'x.html')!r}], "
            "standalone_mode=False); assert 'spacy' not in sys.modules, 'spacy imported'")
    subprocess.run([sys.executable, "-c", code], check=True, capture_output=True)


@needs_build
def test_built_corpus(runner, built, tmp_path):
    assert (built / "graph.html").exists()
    out = tmp_path / "b.html"
    result = runner.invoke(main, ["render", "--graph", str(built / "graph.trig"), "-o", str(out)])
    assert result.exit_code == 0, result.output
    data = payload(out.read_text(encoding="utf-8"))
    assert len(data["nodes"]) == to_networkx(open_graph(built / "graph.trig")).number_of_nodes() > 10
    assert len(data["accounts"]) >= 5
    assert all(f["sentence"] and f["account"] for n in data["nodes"] for f in n["facts"])
    person = next(n["label"] for n in data["nodes"] if n["kind"] == "person" and n["facts"])
    result = runner.invoke(main, ["render", "--graph", str(built / "graph.trig"), "-o", str(out),
                                  "--focus", person, "--depth", "1"])
    assert result.exit_code == 0, result.output
    assert 1 <= len(payload(out.read_text(encoding="utf-8"))["nodes"]) < len(data["nodes"])


def _node(kind: str, label: str, facts: list[dict] = (), accounts: list[str] = ()) -> dict:
    return {"kind": kind, "label": label, "iri": label, "names": [label], "accounts": list(accounts),
            "facts": list(facts), "degree": 0}


def _fact(account: str, title: str, sentence: str, start: int) -> dict:
    return {"kind": "mention", "text": "Ann", "account": account, "account_title": title, "sentence": sentence,
            "start": start, "end": start + 5, "confidence": 1.0, "date": ""}


def test_page_of_a_graph_without_facts_or_edges():
    """The tables the page's data is built from are empty, not missing, when nothing fills them."""
    for labels in ([], ["Ann", "Bob"]):
        g = nx.MultiDiGraph()
        for label in labels:
            g.add_node(label, **_node("person", label))
        data = payload(render_html(g))
        assert [n["label"] for n in data["nodes"]] == labels
        assert data["strings"] == data["accounts"] == [] and all(not n["facts"] for n in data["nodes"])
        assert edges(render_html(g)) == []


def test_first_title_given_for_an_account_wins():
    """Facts are read column-wise for the page: the accounts table still takes each account's first title."""
    g = nx.MultiDiGraph()
    g.add_node("a", **_node("person", "Ann", [_fact("x.txt", "First", "One.", 1), _fact("x.txt", "Second", "Two.", 9)],
                            ["x.txt"]))
    g.add_node("b", **_node("person", "Bob", [_fact("y.txt", "Why", "Three.", 2), _fact("x.txt", "Third", "One.", 1)]))
    g.add_edge("a", "b", key="member_of", kind="member_of", label="member of", accounts=["z.txt"])
    data = payload(render_html(g))
    assert [(a["source"], a["title"], a["nodes"]) for a in data["accounts"]] == [
        ("x.txt", "First", 1), ("y.txt", "Why", 0), ("z.txt", "", 0)]
    assert [[(f["sentence"], f["account_title"]) for f in n["facts"]] for n in data["nodes"]] == [
        [("One.", "First"), ("Two.", "First")], [("Three.", "Why"), ("One.", "First")]]
    assert edges(render_html(g)) == [{"from": 0, "to": 1, "kind": "member_of", "label": "member of",
                                      "accounts": ["z.txt"]}]


def test_json_written_in_parts_is_the_json_of_the_whole():
    """The page's JSON is written part by part (a fact shared by nodes once, numbers split from one
    call, members joined): the same text as writing it all in one go, whatever the values."""
    from graph.render import _json, _json_each, _object, _Raw

    odd = (1, -0.0, 0.1, float("nan"), float("inf"), True, None, 10**20, "a,b", "<&>\u2028", [1, [2]], {"b": 1, "a": ","})
    for values in ((), (3,), odd, odd[:6]):
        assert _json_each(values) == [_json(v) for v in values]
    members = {"z": [1, "<"], "a": {"y": 1, "x": 2}, "m": "],["}
    assert _object({}).text == _json({}) == "{}"
    assert _object(members).text == _json(members)
    assert _object({**members, "q": _Raw(_json(odd))}).text == _json({**members, "q": odd})

    shared = _fact("x.txt", "T", "One, <two>.", 1)  # on two nodes: its row is written once
    odd_facts = [{**shared, "start": "1,2", "end": [3, [4]], "confidence": float("inf")}, {**shared, "start": True}]
    g = nx.MultiDiGraph()
    g.add_node("a", **_node("person", "Ann", [shared, *odd_facts]))
    g.add_node("b", **_node("person", "Bob", [shared]))
    g.add_node("c", **_node("person", "Cy"))
    assert [n["facts"] for n in payload(render_html(g))["nodes"]] == [[shared, *odd_facts], [shared], []]

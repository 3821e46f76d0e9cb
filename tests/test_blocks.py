"""TriG and Turtle from stored blocks: the same bytes as writing everything, whatever the store holds."""
from __future__ import annotations

import copy
import marshal
import shutil

from graph import quads
from graph.blocks import STORE_NAME, BlockStore, block_texts, split
from graph.build import build
from graph.model import Account, Evidence, EventFact
from graph.paths import BUNDLED_ACCOUNTS


def _plain(kg):
    return {fmt: text.encode("utf-8") for fmt, text in quads.texts(quads.statements(kg)).items()}


def _with_third_account(kg):
    """`kg` plus an account naming a known person, with a line break and quotes in its sentence."""
    kg = copy.deepcopy(kg)
    text = 'Ann Other said:\n"we meet at nine" and voted.'
    kg.accounts.append(Account("c", "c.txt", "Notes", text))
    ev = Evidence("c", 0, len(text), text, 0.7)
    kg.nodes["ann-other"].names_in["c"] = {"Ann Other"}
    kg.nodes["ann-other"].evidence.append(ev)
    kg.events.append(EventFact("Vote", ["ann-other"], "voted", ev))
    return kg


def test_blocks_give_the_bytes_of_writing_everything(tiny_kg, tmp_path):
    store = BlockStore(tmp_path)
    assert block_texts(quads.graphs(tiny_kg), store) == _plain(tiny_kg)  # nothing stored yet
    assert block_texts(quads.graphs(tiny_kg), store) == _plain(tiny_kg)  # everything stored


def test_a_changed_graph_is_written_again_and_the_rest_reused(tiny_kg, tmp_path, monkeypatch):
    store = BlockStore(tmp_path)
    block_texts(quads.graphs(tiny_kg), store)
    bigger = _with_third_account(tiny_kg)
    written: list[int] = []
    real = quads.texts

    def counting(qs, formats=("trig", "turtle")):
        written.append(len(qs))
        return real(qs, formats)

    monkeypatch.setattr("graph.blocks.texts", counting)
    assert block_texts(quads.graphs(bigger), store) == _plain(bigger)
    assert 0 < sum(written) < len(quads.statements(bigger))  # only the new and changed blocks
    assert block_texts(quads.graphs(tiny_kg), store) == _plain(tiny_kg)  # and back


def test_the_store_keeps_only_the_last_build(tiny_kg, tmp_path):
    store = BlockStore(tmp_path)
    block_texts(quads.graphs(_with_third_account(tiny_kg)), store)
    before = len(store.load())
    block_texts(quads.graphs(tiny_kg), store)
    assert 0 < len(store.load()) < before


def test_a_store_from_another_version_or_unreadable_is_ignored(tiny_kg, tmp_path):
    path = tmp_path / STORE_NAME
    block_texts(quads.graphs(tiny_kg), BlockStore(tmp_path))
    _version, blocks = marshal.loads(path.read_bytes())
    wrong = {key: "<urn:x> <urn:y> <urn:z> .\n" for key in blocks}
    path.write_bytes(marshal.dumps(("kg-blocks/0 pyoxigraph 0.0.1", wrong)))
    assert block_texts(quads.graphs(tiny_kg), BlockStore(tmp_path)) == _plain(tiny_kg)
    path.write_bytes(b"\x00garbage")
    assert BlockStore(tmp_path).load() == {}
    assert block_texts(quads.graphs(tiny_kg), BlockStore(tmp_path)) == _plain(tiny_kg)


def test_split_cuts_at_top_level_lines_only():
    body = ('<urn:g> {\n\t<urn:s> <urn:p> "a\\nb" ;\n\t\t<urn:q> "}" .\n}\n'
            '<urn:h> {\n\t<urn:s> <urn:p> "c" .\n}\n')
    assert split(body) == ['<urn:g> {\n\t<urn:s> <urn:p> "a\\nb" ;\n\t\t<urn:q> "}" .\n}\n',
                           '<urn:h> {\n\t<urn:s> <urn:p> "c" .\n}\n']


def test_rebuild_from_the_store_matches_a_build_without_cache(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    for name in ("001_832e770bf587d685.txt", "002_207178a66fb22d44.txt"):
        shutil.copy(BUNDLED_ACCOUNTS / name, src)
    build([src], tmp_path / "out", html=False)
    assert (tmp_path / "out" / ".cache" / STORE_NAME).is_file()
    shutil.copy(BUNDLED_ACCOUNTS / "004_3deae4f4f57f9920.txt", src)
    build([src], tmp_path / "out", html=False)
    build([src], tmp_path / "clean", html=False, use_cache=False)
    for name in ("graph.trig", "graph.ttl"):
        assert (tmp_path / "out" / name).read_bytes() == (tmp_path / "clean" / name).read_bytes(), name


def test_equal_statements_made_apart_find_their_blocks(tiny_kg, tmp_path, monkeypatch):
    """Keys depend on values only: not on which strings are shared or interned (cache vs fresh parse)."""
    import json
    import sys

    graphs = quads.graphs(tiny_kg)
    store = BlockStore(tmp_path)
    block_texts(graphs, store)
    copied = {sys.intern(g): [tuple(x if isinstance(x, str) else tuple(x) for x in t) for t in triples]
              for g, triples in json.loads(json.dumps(graphs)).items()}
    assert copied == graphs
    written: list[int] = []
    real = quads.texts
    monkeypatch.setattr("graph.blocks.texts", lambda qs, formats: written.append(len(qs)) or real(qs, formats))
    assert block_texts(copied, BlockStore(tmp_path)) == _plain(tiny_kg)
    assert written == [1, 1]  # only the one-statement calls that give the @prefix lines

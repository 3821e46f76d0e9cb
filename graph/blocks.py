"""TriG and Turtle assembled from blocks that Oxigraph writes once and a build keeps.

Both files are a run of independent blocks in sorted order: TriG one block per
named graph (`<g> { ... }`), Turtle one per subject (`<s> p o ; ... .`).
Oxigraph escapes line breaks inside literals, so a block is exactly the lines
from one that does not start with a tab (or `}`) to the next. A block's text
depends only on its statements, so each is stored under a digest of them;
a rebuild writes with Oxigraph only the blocks it has not seen, and takes the
rest from the store the last build left. One new account changes one account
graph, the shared graph of entity labels and the subjects it touches:
that is a few thousand statements to write instead of a quarter of a million
at 1,000 accounts. Same bytes as `quads.texts` (tested), which writes everything
every time.

The store is one file (`blocks.bin` in the build's cache folder) holding the
blocks of the last build only, so it never grows past one build's output. It
is marked with this module's format and Oxigraph's version: a block written
by another version is never mixed with new ones.
"""
from __future__ import annotations

import hashlib
import marshal
from collections.abc import Callable, Sequence
from pathlib import Path

from .atomic import write_bytes
from .quads import Graphs, Quad, Triple, texts

FORMAT = "kg-blocks/3"
STORE_NAME = "blocks.bin"
_UNION = "urn:kg:union"  # the one graph a Turtle block's statements are handed to Oxigraph in
_DUMMY: Quad = (_UNION, "urn:kg:s", "urn:kg:p", "urn:kg:o")


def _version() -> str:
    import pyoxigraph

    return f"{FORMAT} pyoxigraph {pyoxigraph.__version__}"


class BlockStore:
    """The blocks of the last build, by digest, in `folder` (the build's cache)."""

    def __init__(self, folder: Path):
        self.path = folder / STORE_NAME
        self._loaded: dict[str, bytes] | None = None

    def load(self) -> dict[str, bytes]:
        """The stored blocks, read once (a build may read them early, while it waits for the parser)."""
        if self._loaded is None:
            self._loaded = self._read()
        return self._loaded

    def _read(self) -> dict[str, bytes]:
        try:
            version, blocks = marshal.loads(self.path.read_bytes())
        except (OSError, EOFError, ValueError, TypeError):
            return {}  # missing or unreadable: every block is written again
        return blocks if version == _version() and isinstance(blocks, dict) else {}

    def save(self, blocks: dict[str, bytes]) -> None:
        self._loaded = blocks
        write_bytes(self.path, marshal.dumps((_version(), blocks)), sync=False)


def _digest(*parts: object) -> str:
    """A digest of strings, tuples and lists that depends on their values only.

    marshal version 2: later versions write a shared object as a reference and
    mark interned strings, so equal statements made by different code paths
    (parsed now, or read back from the cache) would hash apart.
    """
    return hashlib.sha256(marshal.dumps(parts, 2)).hexdigest()[:32]


def split(body: str) -> list[str]:
    """A TriG or Turtle body (no @prefix lines) -> its top-level blocks, in order."""
    lines = body.splitlines(keepends=True)
    starts = [i for i, line in enumerate(lines) if not line.startswith(("\t", "}")) and line.strip()]
    return ["".join(lines[a:b]) for a, b in zip(starts, [*starts[1:], len(lines)])]


def _oxigraph(quads: Sequence[Quad], fmt: str) -> tuple[bytes, list[bytes]]:
    """(the @prefix lines and the blank line after them, the blocks) of Oxigraph's `fmt` text, in UTF-8."""
    text = texts(quads or [_DUMMY], (fmt,))[fmt]
    head, _, body = text.partition("\n\n")
    return (head + "\n\n").encode("utf-8"), [block.encode("utf-8") for block in split(body)] if quads else []


def _assemble(keys: dict[str, str], known: dict[str, bytes], fmt: str,
              quads_of: Callable[[list[str]], list[Quad]]) -> tuple[bytes, dict[str, bytes]]:
    """`fmt` file of blocks (sort key -> digest) and the blocks it used, by digest.

    `quads_of(sort keys)`: the statements of those blocks, for Oxigraph to write.
    Blocks are kept as UTF-8 bytes: the file is joined from them, never encoded whole.
    """
    order = sorted(keys)
    missing = [k for k in order if keys[k] not in known]
    head, fresh = _oxigraph(quads_of(missing), fmt)
    if len(fresh) != len(missing):
        raise RuntimeError(f"Oxigraph wrote {len(fresh)} {fmt} blocks for {len(missing)}")
    used = dict(zip((keys[k] for k in missing), fresh))
    for k in order:
        digest = keys[k]
        if digest not in used:
            used[digest] = known[digest]
    return (head + b"".join(map(used.__getitem__, map(keys.__getitem__, order)))) if order else b"", used


def _subject_keys(graphs: Graphs, graph_digests: dict[str, str]) -> dict[str, str]:
    """Sort key -> key of each Turtle block.

    Most subjects sit in one graph: their key is that graph's digest plus the
    subject, with no hashing. A subject in several graphs (an entity, a role)
    gets a digest of its own statements: it changes only when they do, not
    whenever any graph holding it does.
    """
    holders: dict[str, list[str]] = {}
    for g, triples in graphs.items():
        for s in {t[0] for t in triples}:
            holders.setdefault(s, []).append(g)
    shared: dict[str, dict[Triple, None]] = {s: {} for s, gs in holders.items() if len(gs) > 1}
    for triples in graphs.values():
        for t in triples:
            if t[0] in shared:
                shared[t[0]][t] = None
    return {f"<{s}>": _digest("turtle", list(shared[s])) if s in shared else f"{s} {graph_digests[gs[0]]}"
            for s, gs in holders.items()}


def block_texts(graphs: Graphs, store: BlockStore) -> dict[str, bytes]:
    """TriG and Turtle of `graphs`: `quads.texts` of them in UTF-8, writing only the blocks `store` lacks."""
    graph_digests = {g: _digest("trig", g, triples) for g, triples in graphs.items()}
    graph_keys = {f"<{g}>": digest for g, digest in graph_digests.items()}
    subject_keys = _subject_keys(graphs, graph_digests)
    known = store.load()

    def graph_quads(keys: list[str]) -> list[Quad]:
        return [(k[1:-1], *t) for k in keys for t in graphs[k[1:-1]]]

    def subject_quads(keys: list[str]) -> list[Quad]:
        wanted = {k[1:-1] for k in keys}
        return list(dict.fromkeys((_UNION, *t) for triples in graphs.values() for t in triples if t[0] in wanted))

    trig, used = _assemble(graph_keys, known, "trig", graph_quads)
    turtle, used_turtle = _assemble(subject_keys, known, "turtle", subject_quads)
    used.update(used_turtle)
    if used.keys() != known.keys():
        store.save(used)
    return {"trig": trig, "turtle": turtle}


__all__ = ["BlockStore", "block_texts", "split"]

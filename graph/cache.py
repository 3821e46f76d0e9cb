"""Per-account extraction cache, keyed by content hash.

A key covers the account's text and metadata, the lexicon, the extractor
version and the model, so a rebuild after adding one account extracts one
account. Entries are written atomically (an interrupted build never leaves a
half-written entry behind) and carry a SHA-256 of their content: an entry
that is damaged, truncated or edited by hand is reported, extracted again and
overwritten, never trusted. The cache is an optimisation: failing to write an
entry (a full disk) is a warning, not a failed build.
"""
from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Iterator
from pathlib import Path

from .atomic import write_bytes
from .errors import KgError
from .model import Extraction

LOG = logging.getLogger("graph.cache")
SUFFIX = ".v2.json"  # entries of another layout are never read


class Cache:
    def __init__(self, folder: Path | None):
        self.folder = folder

    def _path(self, key: str) -> Path:
        assert self.folder is not None
        return self.folder / key[:2] / f"{key}{SUFFIX}"

    def get(self, key: str) -> Extraction | None:
        """The cached extraction, or None (missing, or damaged: then with a warning)."""
        if self.folder is None:
            return None
        return self._read(self._path(key))

    def entries(self) -> Iterator[Extraction]:
        """Every sound entry, in file order (benchmarks read a build's cache whole)."""
        for path in sorted(self.folder.glob(f"*/*{SUFFIX}")) if self.folder else []:
            extraction = self._read(path)
            if extraction is not None:
                yield extraction

    def _read(self, path: Path) -> Extraction | None:
        try:
            data = path.read_bytes()
        except OSError:
            return None  # not cached yet
        digest, _, payload = data.partition(b"\n")
        try:
            if hashlib.sha256(payload).hexdigest().encode() != digest:
                raise ValueError("its checksum does not match")
            return Extraction.from_json(json.loads(payload.decode("utf-8")))
        except Exception as exc:  # any damage at all: the entry is rebuilt, never trusted
            LOG.warning("%s: damaged cache entry (%s); extracting the account again", path,
                        str(exc).splitlines()[0] if str(exc) else type(exc).__name__)
            return None

    def put(self, key: str, extraction: Extraction) -> None:
        if self.folder is None:
            return
        payload = json.dumps(extraction.to_json(), ensure_ascii=False, sort_keys=True).encode("utf-8")
        try:
            write_bytes(self._path(key), hashlib.sha256(payload).hexdigest().encode() + b"\n" + payload,
                        sync=False)
        except KgError as exc:
            LOG.warning("%s; the build goes on without caching this account", exc)

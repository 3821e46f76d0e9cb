"""Per-account extraction cache, keyed by content hash.

A key covers the account's text and metadata, the lexicon, the extractor
version and the model, so a rebuild after adding one account extracts one
account. Entries are written atomically: an interrupted build never leaves a
half-written entry behind.
"""
from __future__ import annotations

import json
from pathlib import Path

from .atomic import write_text
from .model import Extraction


class Cache:
    def __init__(self, folder: Path | None):
        self.folder = folder

    def _path(self, key: str) -> Path:
        assert self.folder is not None
        return self.folder / key[:2] / f"{key}.json"

    def get(self, key: str) -> Extraction | None:
        if self.folder is None:
            return None
        path = self._path(key)
        try:
            return Extraction.from_json(json.loads(path.read_text(encoding="utf-8")))
        except (OSError, ValueError, KeyError, TypeError):
            return None  # missing or unreadable: extract again

    def put(self, key: str, extraction: Extraction) -> None:
        if self.folder is not None:
            write_text(self._path(key), json.dumps(extraction.to_json(), ensure_ascii=False, sort_keys=True))

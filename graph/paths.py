"""Where the project's data lives: the lexicon, the schema, the bundled corpus.

The package is installed editable (see the README), so these sit beside it.
"""
from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LEXICON = ROOT / "data" / "lexicon"
SCHEMA = ROOT / "schema"
BUNDLED_ACCOUNTS = ROOT / "data" / "accounts"
DEFAULT_OUTPUT = Path("output")
DEFAULT_GRAPH = DEFAULT_OUTPUT / "graph.trig"

"""Where the project's data lives: the lexicon, the schema, the bundled corpus; and where its IRIs do.

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
DEFAULT_BASE = "https://w3id.org/kg-politics/id/"  # under which a build mints its IRIs (`--base`)

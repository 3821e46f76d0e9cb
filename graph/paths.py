"""Where the project's data lives: the lexicon and the schema (package data), the bundled corpus; and where its IRIs do.

The lexicon and the schema ship inside the package and are found through
`importlib.resources`, so a plain `pip install` reads the same files as a checkout.
"""
from __future__ import annotations

from importlib.resources import files
from pathlib import Path

PACKAGE = Path(str(files("graph")))
LEXICON = PACKAGE / "lexicon"
SCHEMA = PACKAGE / "schema"
BUNDLED_ACCOUNTS = PACKAGE.parent / "data" / "accounts"
DEFAULT_OUTPUT = Path("output")
DEFAULT_GRAPH = DEFAULT_OUTPUT / "graph.trig"
DEFAULT_BASE = "https://w3id.org/kg-politics/id/"  # under which a build mints its IRIs (`--base`)

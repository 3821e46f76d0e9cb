"""Load stage: account files in, `Account` records out.

One module a job: `files` (find files, load each), `decode` (bytes to text,
or a refusal), `meta` (front matter, sidecars, names and titles), `text`
(layout: title, byline, furniture, comment threads) and `html` (a page's
main text and metadata).

Reads .txt/.md/.html accounts (files or folders), decodes them safely, takes
metadata from a sidecar JSON or YAML front matter or the text itself, blanks
page furniture and splits comment threads off so each comment is its own
account told by its commenter. Files that are not usable text are skipped
with a warning; the rest of the corpus still loads.

For .txt and .md the account text keeps the file's character offsets:
``read_source(path)[acc.offset + i] == acc.text[i]`` for every non-blank
character, so evidence found in an account can be traced back to the file.
For HTML the offsets refer to the text extracted from the page.
"""
from __future__ import annotations

from .files import ACCOUNT_SUFFIXES, LoadResult, find_files, load_file, load_paths, read_source

__all__ = ["ACCOUNT_SUFFIXES", "LoadResult", "find_files", "load_file", "load_paths", "read_source"]

"""Load stage: account files in, `Account` records out.

One module a job: `files` (find files, load each), `decode` (bytes to text,
or a refusal), `meta` (front matter, sidecars, names and titles), `text`
(layout: title, byline, furniture, comment threads), and a reader per format
that turns a file into a `document.Document`: `html` (a page's main text and
metadata), `pdf` (pages and their offsets), `word` (.docx), `mail` (.eml);
`records` makes one account per record of a .jsonl/.csv collection.

Reads .txt/.md/.html/.pdf/.docx/.eml accounts and .jsonl/.csv collections
(files or folders), decodes them safely, takes
metadata from a sidecar JSON or YAML front matter or the text itself, blanks
page furniture and splits comment threads off so each comment is its own
account told by its commenter. Files that are not usable text are skipped
with a warning; the rest of the corpus still loads.

For .txt and .md the account text keeps the file's character offsets:
``read_source(path)[acc.offset + i] == acc.text[i]`` for every non-blank
character, so evidence found in an account can be traced back to the file.
For HTML, PDF, Word and e-mail the offsets refer to the text extracted from the
file (a PDF's `Account.pages` say where each page starts in it); for a record,
to its text field.
"""
from __future__ import annotations

from .files import ACCOUNT_SUFFIXES, LoadMemo, LoadResult, find_files, load_file, load_paths, read_source
from .records import Fields

__all__ = ["ACCOUNT_SUFFIXES", "Fields", "LoadMemo", "LoadResult", "find_files", "load_file", "load_paths", "read_source"]

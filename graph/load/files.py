"""Files and folders in, accounts out: finding account files and loading each (the stage's driver).

See the package docstring (`graph.load`) for what loading does; this module
walks the paths, reads each file through its format's reader (`decode` + `meta` for text, `html`, `pdf`,
`word`, `mail`; `records` for collections), finds its accounts with `text`,
and keeps going past files that yield no account.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import os
import stat
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from ..dates import date_in_name
from ..errors import KgError
from ..model import Account
from . import mail, pdf, records, word
from .decode import Undecodable, decode_bytes
from .document import Document, Unreadable, printable
from .html import html_to_text
from .meta import LOG, Meta, read_front_matter, read_sidecar, sidecar_path
from .records import RECORD_SUFFIXES, Fields
from .text import Layout, analyse

# Where a post's date comes from when neither its metadata nor its text gives one (`kg build --date-from`).
DATE_FROM = ("filename", "mtime", "none")
HTML_SUFFIXES = (".html", ".htm")
# Formats read from their bytes by their own reader, not decoded as text first.
BINARY_READERS: dict[str, Callable[[bytes, str], Document]] = {
    ".pdf": pdf.read, ".docx": word.read, ".eml": mail.read}
ACCOUNT_SUFFIXES = (".txt", ".md", ".markdown", *HTML_SUFFIXES, *BINARY_READERS, *RECORD_SUFFIXES)


@dataclass
class LoadResult:
    accounts: list[Account] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (path as given, reason)




# ---------------------------------------------------------------- finding files

def find_files(paths: Sequence[str | Path], exclude: Sequence[Path] = ()) -> list[Path]:
    """Account files named directly or found (recursively) in folders, sorted.

    A file named directly is taken whatever its suffix (the user asked for it;
    if it is not text it is skipped later with a reason). Hidden files and
    folders are left out of folder scans, and so are the folders in `exclude`
    (kg's own output and cache, when they sit inside an input folder).
    """
    found: dict[str, Path] = {}
    skip = {os.path.normcase(os.path.abspath(p)) for p in exclude}
    for given in paths:
        path = Path(given)
        if path.is_dir():
            inside = _scan_folder(path, skip)
            if not inside:
                raise KgError(f"no account files ({', '.join(ACCOUNT_SUFFIXES)}) in folder {given}")
            for f in inside:
                found.setdefault(os.path.normcase(os.path.abspath(f)), f)
        elif path.exists():  # not only a plain file: a pipe given by name is skipped with a reason
            found.setdefault(os.path.normcase(os.path.abspath(path)), path)
        else:
            raise KgError(f"no such file or folder: {given}")
    return sorted(found.values(), key=lambda p: (str(p), p.name))


def _scan_folder(folder: Path, skip: set[str]) -> list[Path]:
    files: list[Path] = []
    for root, dirs, names in os.walk(folder):  # symlinked folders are not followed: no loops
        dirs[:] = sorted(d for d in dirs if not d.startswith(".")
                         and os.path.normcase(os.path.abspath(os.path.join(root, d))) not in skip)
        files += [Path(root) / n for n in sorted(names)
                  if not n.startswith(".") and n.lower().endswith(ACCOUNT_SUFFIXES)
                  and os.path.normcase(os.path.abspath(os.path.join(root, n))) not in skip]
    return files


# ---------------------------------------------------------------------- loading

Stamp = tuple[int, int, int] | None  # a file's (inode, size, modification time in ns); None: no such file


def _stamp(path: Path) -> Stamp:
    try:
        st = path.stat()
    except OSError:
        return None
    return (st.st_ino, st.st_size, st.st_mtime_ns)


class LoadMemo:
    """The accounts of each file already loaded, kept while the file and its sidecar are unchanged.

    For a resident process (`kg serve`): a rebuild after one file changed reads that
    file again, not the thousand others. A file counts as unchanged while its inode,
    size and modification time (to the nanosecond), and its sidecar's, are the same,
    as `make` judges files; the options that shape loading are part of the key too.
    """

    def __init__(self) -> None:
        self._loaded: dict[Path, tuple[tuple, list[Account] | Unreadable]] = {}

    def load(self, path: Path, fields: Fields, date_from: str) -> list[Account]:
        key = (_stamp(path), _stamp(sidecar_path(path)), fields, date_from)
        known = self._loaded.get(path)
        if known is not None and known[0] == key:
            outcome = known[1]
        else:
            try:
                outcome = _load(path, fields, date_from)
            except Unreadable as skip:
                outcome = skip
            self._loaded[path] = (key, outcome)
        if isinstance(outcome, Unreadable):
            raise outcome
        return outcome

    def keep(self, paths: Sequence[Path]) -> None:
        """Forget the files no longer found (deleted or moved away)."""
        wanted = set(paths)
        self._loaded = {p: v for p, v in self._loaded.items() if p in wanted}


def load_paths(paths: Sequence[str | Path], exclude: Sequence[Path] = (), fields: Fields = Fields(),
               date_from: str = "filename", memo: LoadMemo | None = None) -> LoadResult:
    """Every account in `paths` (less the folders in `exclude`); unusable files are warned
    about and listed in `skipped`. `fields` names the record fields of .jsonl/.csv collections;
    `date_from` (one of `DATE_FROM`): see `fallback_date`; `memo` keeps unchanged files'
    accounts from one call to the next (`LoadMemo`)."""
    if date_from not in DATE_FROM:
        raise KgError(f"unknown date source {date_from!r} (one of: {', '.join(DATE_FROM)})")
    result = LoadResult()
    used: set[str] = set()
    files = find_files(paths, exclude)
    if memo is not None:
        memo.keep(files)
    for path in files:
        try:
            accounts = memo.load(path, fields, date_from) if memo is not None else _load(path, fields, date_from)
        except Unreadable as skip:
            LOG.warning("%s: skipped: %s", path, skip)
            result.skipped.append((str(path), str(skip)))
            continue
        result.accounts += _unique(accounts, used)
    return result


def load_file(path: Path, fields: Fields = Fields()) -> list[Account]:
    """The post, then one Account per comment (a collection: one per record); [] (with a warning)
    if the file is unusable."""
    try:
        return _load(Path(path), fields)
    except Unreadable as skip:
        LOG.warning("%s: skipped: %s", path, skip)
        return []


def read_source(path: Path) -> str:
    """The decoded text of an account file: what `Account.offset` points into (.txt/.md)."""
    try:
        return decode_bytes(Path(path).read_bytes())
    except Undecodable as exc:
        raise KgError(f"{path}: {exc}") from None


def _unique(accounts: list[Account], used: set[str]) -> list[Account]:
    """Give a file whose stem is taken the next free "stem-2", "stem-3" ... (all its accounts)."""
    if not accounts:
        return accounts
    stem = accounts[0].id.split("#", 1)[0]
    if stem not in used:
        used.add(stem)
        return accounts
    n = 2
    while f"{stem}-{n}" in used:
        n += 1
    new = f"{stem}-{n}"
    used.add(new)
    return [dataclasses.replace(a, id=new + a.id[len(stem):], parent=new if a.parent == stem else a.parent)
            for a in accounts]


def fallback_date(path: Path, date_from: str) -> str | None:
    """A post's date when its metadata and text give none: the file name's ("2015-05-03-x.txt"),
    the file's modification day (UTC; only when asked: a copy changes it), or none."""
    if date_from == "filename":
        return date_in_name(path.stem)
    if date_from == "mtime":
        return dt.datetime.fromtimestamp(path.stat().st_mtime, tz=dt.timezone.utc).date().isoformat()
    return None


def _load(path: Path, fields: Fields = Fields(), date_from: str = "filename") -> list[Account]:
    """A file's accounts; a collection's records carry their own dates (`fields.date`), so
    `date_from` applies to documents only."""
    where, suffix = str(path), path.suffix.lower()
    if suffix in RECORD_SUFFIXES:
        return records.read(path, _decoded(path), fields)
    doc = _document(path, suffix, where)
    given = doc.meta.overridden_by(read_sidecar(path, where))
    layout = analyse(doc.text, doc.start)
    if layout.post.end <= layout.post.start:
        raise Unreadable("no text left once boilerplate and comments are set aside")
    if layout.unsplit_thread is not None:
        LOG.warning("%s:%d: comment thread without recognisable comment headers; left out",
                    where, layout.unsplit_thread)
    meta = doc.fallback.overridden_by(layout.guessed).overridden_by(given)
    if meta.date is None:
        meta.date = fallback_date(path, date_from)
    return _accounts(path, layout, meta, doc.pages)


def _document(path: Path, suffix: str, where: str) -> Document:
    """The file's text by its format's reader (text, front matter and all, for .txt and .md)."""
    reader = BINARY_READERS.get(suffix)
    if reader is not None:
        return reader(_read(path), where)
    text = _decoded(path)
    if suffix in HTML_SUFFIXES:
        page = html_to_text(text, where)
        return Document(page.text, meta=page.meta)
    front = read_front_matter(text, where)
    return Document(text, start=front.end, meta=front.meta)


MAX_ACCOUNT_BYTES = 20_000_000  # larger files are skipped with a reason (see the README's Limits)


def _read(path: Path) -> bytes:
    """The file's bytes; only regular files are read (a FIFO or /dev/zero would never end)."""
    try:
        info = path.stat()
        if not stat.S_ISREG(info.st_mode):
            raise Unreadable("not a regular file (a pipe, device or socket): not read")
        if info.st_size > MAX_ACCOUNT_BYTES:
            raise Unreadable(f"larger than {MAX_ACCOUNT_BYTES // 1_000_000} MB: not read")
        with open(path, "rb") as handle:
            data = handle.read(MAX_ACCOUNT_BYTES + 1)
    except OSError as exc:
        raise Unreadable(f"cannot read it ({exc.strerror or exc})") from None
    if not data:
        raise Unreadable("empty file")
    return data


def _decoded(path: Path) -> str:
    """The file's text, decoded (`decode`), or a skip with the reason."""
    try:
        text = decode_bytes(_read(path))
    except Undecodable as exc:
        raise Unreadable(str(exc)) from None
    if not text.strip():
        raise Unreadable("empty file (only whitespace)")
    return text


def _accounts(path: Path, layout: Layout, meta: Meta, pages: tuple[int, ...]) -> list[Account]:
    """The post's Account and one per comment, ids and sources derived from the file name."""
    stem, name = printable(path.stem), printable(path.name)
    title = meta.title or stem
    post = layout.post
    accounts = [Account(id=stem, source=name, title=title, text=layout.blanked[post.start:post.end],
                        author=meta.author, date=meta.date, url=meta.url, offset=post.start, pages=pages)]
    for n, c in enumerate(layout.comments, start=1):
        accounts.append(Account(
            id=f"{stem}#comment-{n}", source=f"{name}#comment-{n}",
            title=f"Comment by {c.author} on {title}", text=layout.blanked[c.start:c.end],
            author=c.author, date=c.date, url=meta.url, parent=stem, offset=c.start, pages=pages))
    return accounts

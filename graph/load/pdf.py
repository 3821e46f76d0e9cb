"""PDF files to text, page by page, through pypdf.

Pages are joined with a blank line (a paragraph break, so no sentence runs
from one page into the next) and the offset where each page starts is kept:
evidence found in the text can then say "p. 3". A PDF whose pages hold no
text is a scan (an image of each page): it is skipped with a reason, since
reading it needs OCR, which kg does not do. An encrypted PDF opens when it
needs no password to read (only to print or edit, as many official documents
are); one that needs a password is skipped.
"""
from __future__ import annotations

import io
import logging
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

from .document import Document, Unreadable, problem, properties
from .meta import LOG, Meta

if TYPE_CHECKING:
    from pypdf import DocumentInformation

PAGE_BREAK = "\n\n"


class _Collect(logging.Filter):
    """pypdf's warnings about damage it repaired ("EOF marker not found"), kept back to be
    logged at debug level with the file's name instead of reaching the user unnamed."""

    def __init__(self) -> None:
        super().__init__()
        self.messages: list[str] = []

    def filter(self, record: logging.LogRecord) -> bool:
        self.messages.append(record.getMessage())
        return False


@contextmanager
def _quiet_pypdf(where: str) -> Iterator[None]:
    logger, collect = logging.getLogger("pypdf"), _Collect()
    logger.addFilter(collect)
    try:
        yield
    finally:
        logger.removeFilter(collect)
        for message in collect.messages:
            LOG.debug("%s: pypdf: %s", where, message)


def read(data: bytes, where: str) -> Document:
    """The text of every page, the page offsets, and the title (and author) the PDF states."""
    from pypdf import PdfReader  # imported only when a PDF is loaded
    from pypdf.errors import DependencyError, FileNotDecryptedError

    with _quiet_pypdf(where):
        try:
            reader = PdfReader(io.BytesIO(data))
            if reader.is_encrypted and not reader.decrypt(""):
                raise Unreadable("encrypted PDF that needs a password to open: not read "
                                 "(save a copy without the password, or export its text)")
            texts = [page.extract_text() or "" for page in reader.pages]
            info = reader.metadata
        except Unreadable:
            raise
        except (FileNotDecryptedError, DependencyError) as exc:
            raise Unreadable(f"encrypted PDF that cannot be opened ({problem(exc)})") from None
        except Exception as exc:  # noqa: BLE001 - pypdf raises many kinds on damaged files
            raise Unreadable(f"not a readable PDF ({problem(exc)})") from None
    if not any(t.strip() for t in texts):
        raise Unreadable(f"PDF with no text layer ({len(texts)} page(s), a scan?): not read; "
                         "run OCR on it first (e.g. ocrmypdf) and build the result")
    pages, parts, at = [], [], 0
    for text in texts:
        pages.append(at)
        parts.append(text)
        at += len(text) + len(PAGE_BREAK)
    return Document(PAGE_BREAK.join(parts) + "\n", pages=tuple(pages), fallback=_properties(info))


def _properties(info: DocumentInformation | None) -> Meta:
    return Meta() if info is None else properties(info.title, info.author)


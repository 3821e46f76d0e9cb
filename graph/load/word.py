"""Word (.docx) files to text through python-docx.

Paragraphs and tables are read in document order, each paragraph on its own
line with a blank line after it (so the layout scan finds the title and a
signature as it does in a text file), a table row as its cells separated by
" | ". Headers, footers, comments and tracked deletions are not the account.
An old binary .doc, or a password-protected .docx (which Word saves in the
same old container), is not a ZIP file: it is skipped with a reason.
"""
from __future__ import annotations

import io
import zipfile
from collections.abc import Iterable

from .document import Document, Unreadable, problem, properties


def read(data: bytes, where: str) -> Document:
    """The document's text, and its stated title (and author, when it is a person's name)."""
    import docx  # imported only when a Word file is loaded
    from docx.table import Table

    try:
        doc = docx.Document(io.BytesIO(data))
        blocks = []
        for item in doc.iter_inner_content():
            if isinstance(item, Table):
                blocks += [" | ".join(_cells(c.text for c in row.cells)) for row in item.rows]
            else:
                blocks.append(item.text)
        core = doc.core_properties
        fallback = properties(core.title, core.author)
    except zipfile.BadZipFile:
        raise Unreadable("not a Word .docx file (an old .doc, or a password-protected document?): "
                         "not read; save it as .docx without a password") from None
    except Exception as exc:  # noqa: BLE001 - python-docx raises many kinds on damaged files
        raise Unreadable(f"not a readable Word document ({problem(exc)})") from None
    lines = [" ".join(b.split()) for b in blocks]
    text = "\n\n".join(line for line in lines if line)
    if not text:
        raise Unreadable("Word document with no text")
    return Document(text + "\n", fallback=fallback)


def _cells(texts: Iterable[str]) -> list[str]:
    """A row's cell texts, a cell merged across columns (repeated by python-docx) once."""
    out: list[str] = []
    for raw in texts:
        text = " ".join(raw.split())
        if not out or text != out[-1]:
            out.append(text)
    return out

"""E-mail messages (.eml) to text, through the standard library's `email` parser.

The message's own headers say who wrote it and when, so they are trusted
over anything the body suggests: From (the display name, else the address)
is the author, Date the date, Subject the title. The text is the text/plain
body, or the text/html one read as a web page is (`html`) when there is no
plain one. Quoted lines of a reply ("> ...", and the "... wrote:" line above
them) are someone else's words: they are blanked (offsets kept), as page
furniture is.
"""
from __future__ import annotations

import re
from email import message_from_bytes, policy
from email.message import EmailMessage

from ..dates import normalize_date
from .document import Document, Unreadable, problem
from .html import html_to_text
from .meta import Meta

# A quoted line, or the "On 1 May, Jo Bloggs wrote:" line a mail client puts above the quote.
_QUOTED = re.compile(r"^[ \t]*>.*$|^[^\n]{0,200}\bwrote:[ \t]*$(?=\n[ \t]*>)", re.MULTILINE)


def read(data: bytes, where: str) -> Document:
    """The body's text, and the author, date and title from the headers."""
    try:
        msg = message_from_bytes(data, policy=policy.default)
        assert isinstance(msg, EmailMessage)  # what policy.default makes
        if not any(msg[h] for h in ("From", "Date", "Subject")):
            raise Unreadable("not an e-mail message (no From, Date or Subject header)")
        meta = Meta(title=_header(msg, "Subject"), author=_author(msg), date=_date(msg))
        part = msg.get_body(preferencelist=("plain", "html"))
        if part is None:
            raise Unreadable("e-mail with no text/plain or text/html body (only attachments?)")
        content = part.get_content()
    except Unreadable:
        raise
    except Exception as exc:  # noqa: BLE001 - a malformed header or charset must not stop the build
        raise Unreadable(f"not a readable e-mail message ({problem(exc)})") from None
    if not isinstance(content, str):
        raise Unreadable("e-mail body is not text")
    if part.get_content_subtype() == "html":
        content = html_to_text(content, where).text
    text = _QUOTED.sub(lambda m: " " * len(m.group()), content.replace("\r\n", "\n"))
    if not text.strip():
        raise Unreadable("e-mail with an empty body")
    return Document(text, meta=meta)


def _header(msg: EmailMessage, name: str) -> str | None:
    value = msg[name]
    return " ".join(str(value).split()) or None if value is not None else None


def _author(msg: EmailMessage) -> str | None:
    """From's display name ("Jane Doe <jane@example.org>" -> "Jane Doe"), else its address."""
    header = msg["From"]
    addresses = getattr(header, "addresses", ()) if header is not None else ()
    if not addresses:
        return _header(msg, "From")
    first = addresses[0]
    return " ".join(first.display_name.split()) or first.addr_spec or None


def _date(msg: EmailMessage) -> str | None:
    """The Date header's day, in the sender's own time zone."""
    header = msg["Date"]
    stamp = getattr(header, "datetime", None) if header is not None else None
    return stamp.date().isoformat() if stamp is not None else normalize_date(_header(msg, "Date"))

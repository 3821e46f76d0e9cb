"""HTML pages to plain text plus metadata, offline.

trafilatura finds the main text of a saved page (dropping menus, footers and
most page furniture) and its title, author, date and canonical URL. When it
finds nothing (a tiny page, an odd layout) the loader still has to produce an
account, so a plain lxml walk over the body is the fallback.

The text returned is what the account's offsets refer to: an HTML file has no
meaningful character offsets of its own for the extractor to point back to.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from html import unescape
from html.parser import HTMLParser
from typing import Any

import lxml.html
from lxml import etree

from ..dates import normalize_date
from .meta import LOG, Meta

_DROP_TAGS = ("script", "style", "noscript", "nav", "header", "footer", "aside", "form",
              "template", "svg", "iframe")
_TITLE = re.compile(r"<title[^>]{0,200}>([^<]{0,500})</title>", re.IGNORECASE)
_BLOCK_TAGS = ("p", "div", "br", "li", "h1", "h2", "h3", "h4", "h5", "h6", "tr",
               "blockquote", "section", "article", "pre", "dd", "dt")


@dataclass
class HtmlText:
    text: str
    meta: Meta


MAX_DEPTH = 255  # libxml2's limit: deeper elements are dropped, text and all
_TAG = re.compile(r"<(/?)([A-Za-z][\w-]*)[^>]*?(/?)>")
_VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param",
         "source", "track", "wbr"}


def nesting(html: str) -> int:
    """How deep the page's elements nest (a tag scan; no tree is built)."""
    depth = deepest = 0
    for closing, name, self_closing in _TAG.findall(html):
        if name.lower() in _VOID or self_closing:
            continue
        depth = max(depth - 1, 0) if closing else depth + 1
        deepest = max(deepest, depth)
    return deepest


class _Text(HTMLParser):
    """Every text node outside scripts and styles, at any depth (the standard library's
    tokenizer keeps no stack, so nesting costs nothing)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if tag in ("script", "style", "noscript", "template"):
            self._skip += 1
        elif tag in _BLOCK_TAGS:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style", "noscript", "template"):
            self._skip = max(self._skip - 1, 0)
        elif tag in _BLOCK_TAGS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.parts.append(data)


def _flat_text(html: str) -> str:
    parser = _Text()
    parser.feed(html)
    parser.close()
    lines = (" ".join(line.split()) for line in "".join(parser.parts).splitlines())
    return "\n\n".join(line for line in lines if line)


def html_to_text(html: str, where: str) -> HtmlText:
    """The page's readable text, its title first, comments under a "Comments" heading."""
    depth = nesting(html)
    if depth > MAX_DEPTH:
        LOG.warning("%s: elements nested %d deep (the HTML parser stops at %d); reading its text "
                    "without the page's structure", where, depth, MAX_DEPTH)
        title = _raw_title(html)
        return HtmlText("\n\n".join(p for p in (title, _flat_text(html)) if p) + "\n",
                        Meta(title=title))
    doc = _trafilatura(html, where)
    if doc is not None and (doc.get("text") or "").strip():
        meta = Meta(doc.get("title"), doc.get("author"), normalize_date(doc.get("date")), doc.get("url"))
        body = doc["text"]
        comments = (doc.get("comments") or "").strip()
    else:
        meta, body, comments = _fallback(html)
    # The raw <title> heads the text: its "| Name" suffix is often the only byline.
    parts = [_raw_title(html) or meta.title or "", body.strip()]
    if comments:
        parts += ["Comments", comments]  # a heading, so the thread never joins the post
    return HtmlText("\n\n".join(p for p in parts if p) + "\n", meta)


def _trafilatura(html: str, where: str) -> dict[str, Any] | None:
    import trafilatura  # heavy: imported only when an HTML file is loaded

    try:
        doc = trafilatura.bare_extraction(
            html, with_metadata=True, include_comments=True, include_tables=True,
            date_extraction_params={"extensive_search": False, "original_date": True},
        )
        if doc is None:
            return None
        return doc if isinstance(doc, dict) else doc.as_dict()
    except Exception as exc:  # noqa: BLE001 - a parser bug must not stop the build
        LOG.warning("%s: trafilatura could not read the page (%s); using plain text", where, exc)
        return None


def _fallback(html: str) -> tuple[Meta, str, str]:
    """Title from <title>/og:title/<h1>, text from the body without scripts and menus."""
    try:
        tree = lxml.html.document_fromstring(html)
    except (etree.ParserError, ValueError):
        return Meta(), re.sub(r"<[^>]{0,2000}>", " ", html), ""
    meta = Meta(title=_first_text(tree, ['//meta[@property="og:title"]/@content', "//title/text()",
                                         "//h1//text()"]),
                author=_first_text(tree, ['//meta[@name="author"]/@content']),
                url=_first_text(tree, ['//link[@rel="canonical"]/@href', '//meta[@property="og:url"]/@content']))
    meta.date = normalize_date(_first_text(tree, ['//meta[@property="article:published_time"]/@content',
                                                  "//time/@datetime"]))
    etree.strip_elements(tree, *_DROP_TAGS, with_tail=False)
    for el in tree.iter(*_BLOCK_TAGS):
        el.tail = "\n" + (el.tail or "")
    body = tree.find("body")
    text = (body if body is not None else tree).text_content()
    return meta, re.sub(r"[ \t]*\n[ \t\n]*", "\n\n", text), ""


def _raw_title(html: str) -> str | None:
    m = _TITLE.search(html, 0, 200_000)
    if m is None:
        return None
    return " ".join(unescape(m[1]).split()) or None


def _first_text(tree: lxml.html.HtmlElement, xpaths: list[str]) -> str | None:
    for xp in xpaths:
        for value in tree.xpath(xp):
            text = " ".join(str(value).split())
            if text:
                return text
    return None

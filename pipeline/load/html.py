"""A government web page → the notice's body, its attachment links and its posting date.

A saved page carries navigation, breadcrumbs, "related links" and a footer with
the site's own phone numbers and address; extracting from all of it would put
the webmaster among the contacts. The body is the block that directly holds the
most Chinese text outside links (its paragraphs' text counts for it; link-heavy
blocks are navigation). A few dozen lines of lxml do this
for the pages notices are posted on, so no readability library is added.
Attachment links are kept from the whole page (they often sit just outside the
body), and the posting date becomes the fallback for ``issue_date``.
"""

from __future__ import annotations

import warnings
from typing import Any

import regex

from pipeline.load.text import decode
from pipeline.types import LoadedDocument

_ATTACHMENT = regex.compile(r"\.(?:pdf|docx?|xlsx?|wps|zip|rar|et|ofd)$", regex.I)
_CHARSET = regex.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_\-]+)""", regex.I)
_HAN = regex.compile(r"\p{Han}")
_DATE = regex.compile(r"(20\d\d)\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})")
_DATE_LABEL = regex.compile(r"(?:发布|发文|印发|公开|成文)(?:时间|日期)\s*[:：]?\s*" + _DATE.pattern)
_DATE_META = (
    "pubdate",
    "publishdate",
    "firstpublishedtime",
    "article:published_time",
    "dc.date",
    "date",
    "og:release_date",
)
_DROP = (
    "script",
    "style",
    "noscript",
    "nav",
    "header",
    "footer",
    "aside",
    "form",
    "iframe",
    "select",
    "button",
)
_BLOCK = {
    "p",
    "div",
    "br",
    "li",
    "ul",
    "ol",
    "tr",
    "table",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "section",
    "article",
    "blockquote",
    "pre",
    "dd",
    "dt",
    "dl",
    "center",
    "main",
    "tbody",
    "thead",
}
_CELL = {"td", "th"}


def _text(html: bytes) -> str:
    """Bytes → str using the page's declared charset, else the project's encoding detection."""
    m = _CHARSET.search(html[:4096])
    if m:
        enc = m.group(1).decode("ascii").lower()
        if enc in {"gb2312", "gbk", "gb_2312-80", "x-gbk"}:
            enc = "gb18030"  # browsers read every GB label as GB18030's superset
        try:
            return html.decode(enc)
        except (LookupError, UnicodeDecodeError):
            pass
    return decode(html)[0]


def _han(s: str) -> int:
    return len(_HAN.findall(s))


_CONTAINS_BLOCKS = ["p", "div", "table", "section", "article", "ul", "ol", "h1", "h2", "h3"]


def _own_text(el: Any) -> float:
    """Chinese text an element holds itself or in its paragraphs, links not counted.

    The notice body is the one element that directly holds most running text;
    a wrapper around it holds the text only through a child block, and
    navigation is all links.
    """
    total = 0.0
    for child in el.children:
        name = getattr(child, "name", None)
        if name is None:
            total += _han(str(child))
        elif name in {"p", "span", "font", "strong", "b", "em", "u", "center", "h2", "h3", "h4", "li"} or (
            name in {"div", "section"} and child.find(_CONTAINS_BLOCKS) is None
        ):
            text = _han(child.get_text())
            links = sum(_han(a.get_text()) for a in child.find_all("a"))
            total += text - links if name != "a" else 0
    return total


def _body(soup: Any) -> Any:
    candidates = soup.find_all(["div", "article", "section", "td", "main", "body"])
    return max(candidates, key=_own_text) if candidates else soup


def _lines(el: Any) -> list[str]:
    """Visible text, one line per block element, table cells joined by " | "."""
    out: list[str] = []
    cur: list[str] = []

    def flush() -> None:
        line = regex.sub(r"[ \t\r\n\xa0]+", " ", "".join(cur)).strip()
        if line:
            out.append(line)
        cur.clear()

    def walk(node: Any) -> None:
        for child in node.children:
            name = getattr(child, "name", None)
            if name is None:
                if type(child).__name__ in {
                    "Comment",
                    "Doctype",
                    "ProcessingInstruction",
                    "Declaration",
                    "CData",
                }:
                    continue
                cur.append(str(child))
            elif name == "tr":
                flush()
                cells = [" ".join(_lines(td)) for td in child.find_all(_CELL, recursive=False)]
                out.append(" | ".join(c for c in cells if c))
            elif name in _BLOCK:
                flush()
                walk(child)
                flush()
            else:
                walk(child)

    walk(el)
    flush()
    return [ln for ln in out if ln]


def _published(soup: Any, text: str) -> str | None:
    for meta in soup.find_all("meta"):
        key = (meta.get("name") or meta.get("property") or meta.get("itemprop") or "").lower()
        if key in _DATE_META:
            m = _DATE.search(meta.get("content") or "")
            if m:
                return _iso(m)
    m = _DATE_LABEL.search(text)
    return _iso(m) if m else None


def _iso(m: regex.Match[str]) -> str | None:
    y, mo, d = (int(g) for g in m.groups()[-3:])
    return f"{y:04d}-{mo:02d}-{d:02d}" if 1 <= mo <= 12 and 1 <= d <= 31 else None


def _attachments(soup: Any) -> tuple[str, ...]:
    seen: dict[str, str] = {}
    for a in soup.find_all("a", href=True):
        href = a["href"].strip()
        path = href.split("?")[0].split("#")[0]
        label = regex.sub(r"\s+", " ", a.get_text()).strip()
        if _ATTACHMENT.search(path) or _ATTACHMENT.search(label):
            seen.setdefault(href, f"{label} <{href}>" if label and label != href else href)
    return tuple(seen.values())


def read(data: bytes, *, path: str, sha256: str, suffix: str) -> LoadedDocument:
    from bs4 import BeautifulSoup, XMLParsedAsHTMLWarning

    with warnings.catch_warnings():
        # a page that starts with <?xml is still read as HTML, on purpose: government pages are
        # XHTML at best, and the HTML parser is the forgiving one
        warnings.simplefilter("ignore", XMLParsedAsHTMLWarning)
        soup = BeautifulSoup(_text(data), "lxml")
    page_text = soup.get_text(" ")
    published = _published(soup, page_text)
    attachments = _attachments(soup)
    for tag in soup.find_all(_DROP):
        tag.decompose()
    body = _body(soup)
    lines = _lines(body)
    heading = soup.find("h1") or soup.find("h2")
    title = regex.sub(r"\s+", "", heading.get_text()) if heading is not None else ""
    if title and _han(title) >= 6 and not any(title in regex.sub(r"\s+", "", ln) for ln in lines[:10]):
        lines.insert(0, title)  # the body block often starts below the page's own title
    return LoadedDocument(
        path=path,
        sha256=sha256,
        format="html",
        raw_text="\n".join(lines),
        attachments=attachments,
        published=published,
    )

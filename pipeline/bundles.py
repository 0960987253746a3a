"""Which files make one notice: a notice and its attachments become one record.

Offices publish the criteria and forms beside the notice (附件1 评审条件.pdf, 附件2 申报表.xls),
so a notice read without them misses half its rules, and an attachment read alone is a record
without a title, a year or a place. The rules, tried in this order for a file ``F``:

1. **HTML page**: the files its links point at by a relative address (``href="附件1.pdf"``,
   ``files/附件2.xlsx``) whose suffix is a document's (pdf, doc(x), xls(x), wps, et, ofd, …) are its
   attachments. A linked file that is not on disk is a warning of the record, not an error.
2. **Shared stem**: files beside ``F`` whose names are ``F``'s stem, then an optional separator,
   then 附件 (``通知.pdf`` → ``通知附件1 评审条件.xlsx``, ``通知_附件2.doc``).
3. **A folder per notice**: a folder holding exactly one file not named 附件… and one or more
   files named 附件… (``附件1 评审条件.pdf``): the others are that one's attachments.

Attachments are ordered by their 附件 number, then by name. A file that is an attachment is not
ingested on its own (``mains``); the record's manifest key covers every file of the bundle
(``digest``), so a changed, added or removed attachment re-ingests the notice. When a notice
comes with attachments, each line of its 附件 list (附件2：申报表) naming a number that no file
carries is a warning too (``missing_listed``); a notice alone is not warned for its list, since
offices often publish the attachments elsewhere.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

import regex

from pipeline.patterns import cn_to_int

# a document's suffix: what a link to an attachment points at
_DOCUMENT = regex.compile(r"\.(?:pdf|docx?|wps|rtf|odt|xlsx?|et|ods|ofd|txt)$", regex.I)
_HTML = frozenset({".html", ".htm"})
# a file named as an attachment: 附件, 附件1, 附件 2, 附件二
ATTACHMENT_NAME = regex.compile(r"^附件\s*(?P<n>[0-9０-９]+|[一二三四五六七八九十]+)?")
_STEM_SEP = regex.compile(r"^[\s_\-－—.．]*附件")
# a line of the notice's 附件 list: 附件2：申报表 / 附件：1.评审条件 / 2.申报表 right below it
_LISTED = regex.compile(r"^\s*附件\s*(?P<n>[0-9]+|[一二三四五六七八九十]+)\s*[:：.．、]?\s*(?P<name>\S.*)?$")
_LIST_HEAD = regex.compile(r"^\s*附件\s*[:：]\s*(?P<first>.*)$")
_LIST_ITEM = regex.compile(r"^\s*(?P<n>[0-9]+)\s*[.．、]\s*(?P<name>\S.*)$")
MAX_ATTACHMENTS = 20  # a folder with more is an archive of notices, not one notice


@dataclass(frozen=True)
class Bundle:
    """A notice file and the files that belong to it, and the attachments it names but lacks."""

    main: Path
    attachments: tuple[Path, ...]
    missing: tuple[str, ...] = ()  # links to attachments that are not on disk
    rule: str = ""  # html, stem or folder


def _number(name: str) -> int | None:
    m = ATTACHMENT_NAME.match(name)
    if not m or not m.group("n"):
        return None
    n = m.group("n").translate(str.maketrans("０１２３４５６７８９", "0123456789"))
    return int(n) if n.isdigit() else cn_to_int(n)


def _order(main: Path, paths: Iterable[Path]) -> tuple[Path, ...]:
    """By 附件 number (after the stem, for the stem rule), then by name; the main file never."""

    def key(p: Path) -> tuple[int, str]:
        rest = p.name.removeprefix(main.stem).lstrip(" _-－—.．")
        n = _number(rest)
        return (n if n is not None else 10_000, p.name)

    return tuple(sorted({p for p in paths if p != main}, key=key))


@dataclass(frozen=True)
class _Listing:
    """A folder's files as the rules need them: the names holding 附件 (few), and how many files
    are not named 附件… — so a folder of 10 000 notices costs one listing, not one per file."""

    with_attachment_word: tuple[str, ...]
    named: tuple[str, ...]  # names starting with 附件
    others: int  # how many names do not


_LISTINGS: dict[tuple[str, int], _Listing] = {}


def _listing(folder: Path) -> _Listing:
    try:
        key = (str(folder.resolve()), folder.stat().st_mtime_ns)  # a new or removed file changes it
        cached = _LISTINGS.get(key)
        if cached is not None:
            return cached
        names = sorted(p.name for p in folder.iterdir() if not p.name.startswith(".") and p.is_file())
    except OSError:
        return _Listing((), (), 0)
    named = tuple(n for n in names if ATTACHMENT_NAME.match(n))
    listing = _Listing(tuple(n for n in names if "附件" in n), named, len(names) - len(named))
    if len(_LISTINGS) > 256:
        _LISTINGS.clear()
    _LISTINGS[key] = listing
    return listing


_LINKS: dict[tuple[str, int, int], tuple[str, ...]] = {}


def _links(page: Path) -> tuple[str, ...]:
    """The relative addresses of documents a page links to, decoded (%E9%99%84 → 附), in order.

    Kept per (file, mtime, size): discovery, the manifest key and the worker each ask for a page's
    bundle, and parsing the page is the costly part."""
    try:
        st = page.stat()
        key = (str(page.resolve()), st.st_mtime_ns, st.st_size)
        cached = _LINKS.get(key)
        if cached is not None:
            return cached
        data = page.read_bytes()
    except OSError:
        return ()
    if len(_LINKS) > 256:
        _LINKS.clear()
    _LINKS[key] = found = tuple(_parsed_links(data))
    return found


def _parsed_links(data: bytes) -> list[str]:
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(data, "lxml")
    out: list[str] = []
    for a in soup.find_all("a", href=True):
        parts = urlsplit(str(a["href"]).strip())
        if parts.scheme or parts.netloc or not parts.path or parts.path.startswith("/"):
            continue  # another site, an absolute address on the publishing server, an anchor
        link = unquote(parts.path)
        if _DOCUMENT.search(link) and link not in out:
            out.append(link)
    return out


def _html_bundle(page: Path) -> Bundle | None:
    found, missing = [], []
    root = page.parent.resolve()
    for link in _links(page):
        target = (page.parent / link).resolve()
        if not target.is_relative_to(root):
            continue  # ../ out of the page's folder: not something published with it
        if target.is_file():
            found.append(page.parent / Path(link))
        else:
            missing.append(link)
    if not found and not missing:
        return None
    return Bundle(page, _order(page, found)[:MAX_ATTACHMENTS], tuple(missing), "html")


def bundle_of(path: str | Path) -> Bundle | None:
    """The bundle ``path`` heads, or None when it is a notice alone (or itself an attachment)."""
    path = Path(path)
    if path.suffix.lower() in _HTML:
        found = _html_bundle(path)
        if found is not None:
            return found
    if ATTACHMENT_NAME.match(path.name):
        return None
    listing = _listing(path.parent)
    stem = [
        path.parent / n
        for n in listing.with_attachment_word
        if n != path.name and n.startswith(path.stem) and _STEM_SEP.match(n[len(path.stem) :])
    ]
    if stem:
        return Bundle(path, _order(path, stem)[:MAX_ATTACHMENTS], (), "stem")
    if listing.named and listing.others == 1 and len(listing.named) <= MAX_ATTACHMENTS:
        return Bundle(path, _order(path, (path.parent / n for n in listing.named)), (), "folder")
    return None


def mains(files: Sequence[Path]) -> list[Path]:
    """The files to ingest: every file that is no other file's attachment, in the given order."""
    taken: set[Path] = set()
    for f in files:
        b = bundle_of(f)
        if b is not None:
            taken.update(p.resolve() for p in b.attachments)
    return [f for f in files if f.resolve() not in taken]


def digest(path: str | Path, sha256: str | None) -> str | None:
    """The manifest's key for ``path``: its own sha256 alone, or for a notice with attachments a
    hash over every file's name and sha256 and the missing links, so any change re-ingests it."""
    b = bundle_of(path)
    if b is None or sha256 is None:
        return sha256
    h = hashlib.sha256(f"{sha256}\n".encode())
    for p in b.attachments:
        try:
            h.update(f"{p.name}\t{hashlib.sha256(p.read_bytes()).hexdigest()}\n".encode())
        except OSError:
            h.update(f"{p.name}\tunreadable\n".encode())
    for link in b.missing:
        h.update(f"missing\t{link}\n".encode())
    return h.hexdigest()


def listed(text: str) -> list[tuple[int, str]]:
    """The notice's 附件 list as (number, name): 附件1：评审条件 lines, or 附件： followed by
    numbered lines (1.评审条件 / 2.申报表)."""
    return list(dict.fromkeys((n, name) for n, name, _ in listed_spans(text)))


def listed_spans(text: str) -> list[tuple[int, str, tuple[int, int]]]:
    """``listed`` with where each name is printed (its span in ``text``), for the record."""
    out: list[tuple[int, str, tuple[int, int]]] = []
    lines = text.split("\n")
    starts = [0]
    for line in lines:
        starts.append(starts[-1] + len(line) + 1)
    seen: set[tuple[int, str]] = set()

    def add(n: int, m: regex.Match[str], at: int) -> None:
        name = m.group("name").strip()
        if (n, name) in seen:
            return
        seen.add((n, name))
        begin = at + m.start("name")
        out.append((n, name, (begin, begin + len(name))))

    for i, line in enumerate(lines):
        head = _LIST_HEAD.match(line)
        if head:
            first = _LIST_ITEM.match(head.group("first"))
            if first:
                add(int(first.group("n")), first, starts[i] + head.start("first"))
            for j in range(i + 1, min(len(lines), i + 1 + 2 * MAX_ATTACHMENTS)):
                if not lines[j].strip():
                    continue
                m = _LIST_ITEM.match(lines[j])
                if not m:
                    break
                add(int(m.group("n")), m, starts[j])
            continue
        m = _LISTED.match(line)
        if m and m.group("name") and len(line) <= 60:
            n = m.group("n")
            number = int(n) if n.isdigit() else cn_to_int(n)
            if number is not None:
                add(number, m, starts[i])
    return out


def missing_listed(text: str, bundle: Bundle) -> list[str]:
    """Warnings for the 附件 list's entries that no file of the bundle carries (by its 附件 number
    or its name)."""
    have = {_number(p.name.removeprefix(bundle.main.stem).lstrip(" _-－—.．")) for p in bundle.attachments}
    names = " ".join(p.stem for p in bundle.attachments)
    out = []
    for n, name in listed(text):
        title = regex.sub(r"[《》\s]|\.\w+$", "", name)
        if n in have or (title and title in names):
            continue
        out.append(f"attachment 附件{n} {name} is listed in the notice but not beside it")
    return out

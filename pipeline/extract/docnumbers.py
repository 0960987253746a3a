"""Document numbers (文号): the notice's own, and those it cites.

A 文号 is an issuer's abbreviation, a year in brackets and a serial (忻工信函〔2024〕18号).
The notice's own stands alone on a masthead line; a cited one sits in the running text,
often as 《title》（文号）. Reposted pages damage them — a lost bracket (〔202032), both
brackets lost (鄂职改办2013128 号), a word of the sentence glued in front (鉴于粤人社规…) —
and each damage is repaired here in general form.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import regex

from pipeline import lexicon
from pipeline.extract.context import Context
from pipeline.types import CitedDocument


def _squash(s: str) -> str:
    return "".join(s.split())


# a document number: issuer abbreviation, year in any bracket, serial, 号; or a ministry order 令第N号
DOC_NUMBER = regex.compile(
    r"(?:[\p{Han}]{1,16}?[〔\[［【(（]\s*(?:19|20)\d{2}\s*[〕\]］】)）]\s*第?\s*\d{1,4}\s*号)"
    r"|(?:[\p{Han}]{2,16}令第\s*\d{1,4}\s*号)"
)
_CITATION = regex.compile(
    r"《(?P<title>[^《》\n]{2,120}?)》\s*[（(](?P<number>[^（）()\n]{0,24}?(?:[〔\[［【(（]\s*(?:19|20)\d{2}\s*[〕\]］】)）]\s*第?\s*\d{1,4}\s*号|令第\s*\d{1,4}\s*号))"
)
# a number that lost both brackets: 鄂职改办2013128 号 (read only where a 文号 stands: after the title)
_BARE_NUMBER = regex.compile(r"(?P<prefix>\p{Han}{2,10}?)(?P<year>(?:19|20)\d{2})\s*(?P<serial>\d{1,4})\s*号")


def doc_numbers(
    head: list[tuple[int, str]], text: str = "", title_span: tuple[int, int] | None = None
) -> list[str]:
    """The notice's own 文号: a masthead line that is only a document number, not a cell of a
    flattened table (a fee schedule's column of approval numbers cites them); or, on a flattened
    page, the number printed right after the title (…的通知鄂职改办2013128 号各市…)."""
    out = []
    for k, (_, line) in enumerate(head):
        if _in_table(head, k):
            continue
        m = DOC_NUMBER.fullmatch(line.replace(" ", ""))
        if m and "令第" not in line:
            out.append(m.group(0))
        elif len(line) <= 24:
            out.extend(f.value for f in repair_broken_numbers(line) if f.span == (0, len(line)))
    if not out and title_span is not None:
        glued = _number_after(text, title_span[1])
        if glued:
            out.append(glued)
    return list(dict.fromkeys(out))


def _in_table(head: list[tuple[int, str]], k: int) -> bool:
    """A line between the cell separators of a table flattened one cell per line (| / cell / |)."""
    return any(0 <= j < len(head) and head[j][1] == "|" for j in (k - 1, k + 1))


def _number_after(text: str, pos: int) -> str | None:
    """A document number that starts right where the title ends, bracketed or not."""
    window = text[pos : pos + 40]
    m = DOC_NUMBER.match(window.replace(" ", "")) or None
    if m and "令第" not in m.group(0):
        return m.group(0)
    bare = _BARE_NUMBER.match(window)
    if bare:
        return f"{bare.group('prefix')}〔{bare.group('year')}〕{bare.group('serial')}号"
    return None


@dataclass(frozen=True)
class _Found:
    value: str
    span: tuple[int, int]


_NUMBER_TAIL = regex.compile(
    r"[〔\[［【(（]\s*(?:19|20)\d{2}\s*[〕\]］】)）]\s*第?\s*\d{1,4}\s*号|令第\s*\d{1,4}\s*号"
)


# a scraped number that lost its closing bracket: 枣人社办发〔202032 / 鲁人社发〔202016号
_BROKEN_NUMBER = regex.compile(
    r"(?P<prefix>\p{Han}{2,12}?)〔(?P<year>(?:19|20)\d{2})(?P<serial>\d{1,3})(?:号|(?=[)）\s]|$))"
)


_CITE_LEAD = regex.compile(r"^(?:文件|以下简称)")


@functools.cache
def _number_lead() -> regex.Pattern[str]:
    """Words a bare number's Han prefix picks up from the sentence before the issuer's abbreviation
    (lexicon notice.citation_leads): everything up to the last of them goes (鉴于粤人社规… → 粤人社规…)."""
    return regex.compile(rf"^.*(?:{lexicon.alternation('notice', 'citation_leads')})|^(?:省|市)+")


def repair_broken_numbers(text: str) -> list[_Found]:
    """Numbers whose closing bracket the page lost, rebuilt as 〔year〕serial号."""
    return [
        _Found(f"{m.group('prefix')}〔{m.group('year')}〕{m.group('serial')}号", m.span())
        for m in _BROKEN_NUMBER.finditer(text)
    ]


def _doc_numbers_in(text: str) -> list[_Found]:
    """Document numbers found from their fixed tail (〔2024〕18号) backwards: far cheaper than
    trying an issuer prefix at every character."""
    out = []
    for tail in _NUMBER_TAIL.finditer(text):
        m = DOC_NUMBER.match(text, max(0, tail.start() - 16), tail.end())
        start = max(0, tail.start() - 16)
        while m is None or m.end() != tail.end():
            start += 1
            if start >= tail.start():
                m = None
                break
            m = DOC_NUMBER.match(text, start, tail.end())
        if m is not None:
            out.append(_Found(m.group(0), m.span()))
    out.extend(repair_broken_numbers(text))
    return sorted(out, key=lambda f: f.span)


def cited_documents(ctx: Context) -> list[CitedDocument]:
    """Documents the notice cites: 《title》（文号） first, then bare numbers; never its own 文号."""
    text = ctx.text
    out: list[CitedDocument] = []
    seen: set[str] = set()
    own_keys = {_squash(n) for n in ctx.own_numbers}
    for m in _CITATION.finditer(text):
        number = _squash(m.group("number"))
        number = _CITE_LEAD.sub("", number)
        if number in seen or number in own_keys:
            continue
        seen.add(number)
        end = m.end() + 1 if text.startswith(("）", ")"), m.end()) else m.end()  # 《…》（…号） whole
        out.append(CitedDocument(ctx.evidence((m.start(), end)), number, _squash(m.group("title"))))
    for m in _doc_numbers_in(text):
        number = _squash(m.value)
        number = _number_lead().sub("", number)
        if (
            len(number) < 6
            or number in seen
            or number in own_keys
            or any(number.endswith(s) or s.endswith(number) for s in seen)
        ):
            continue
        seen.add(number)
        out.append(CitedDocument(ctx.evidence(m.span), number, None))
    out.sort(key=lambda c: c.evidence.span[0])
    return out

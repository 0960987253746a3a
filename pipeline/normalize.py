"""Raw text → clean text, keeping for every character the raw offset it came from.

Notices arrive with what PDFs, web pages and OCR do to text: full-width digits,
traditional characters, pinyin glosses (``業(yè)``), markdown markup, page
numbers, sentences broken over page breaks, stray spaces inside numbers. Every
extractor downstream is simpler when it sees one clean form, and every fact can
still point back to the raw bytes through the offset map.

Each pass is a small named function over a ``_Mapped`` text; passes either
delete characters or replace them one for one, so offsets stay exact.

The offset map is an ``array('i')`` (4 bytes an offset), not a list of Python
ints (36 bytes each with the int object): a 40 MB notice has 14 million
characters, and a list map made normalizing it peak at 1.1 GB.
"""

from __future__ import annotations

import functools
from array import array
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import regex

from pipeline import lexicon
from pipeline.patterns import PAGE_NUMBER_LINE, STARTS_BLOCK
from pipeline.types import NormalizedText

# a file is at most 50 MB (pipeline.load.limits), so every offset fits a C int
_OFFSET = "i"


def _offsets() -> array[int]:
    return array(_OFFSET)


@dataclass
class _Mapped:
    text: str
    offs: array[int]  # len(text) + 1 raw offsets


class _Pieces:
    """Text built from many pieces, joined a few thousand at a time.

    A pass over a 40 MB notice can match a million times; holding two million
    small strings until one final join took 200 MB more than the text itself.
    """

    _BATCH = 4096

    def __init__(self) -> None:
        self.chunks: list[str] = []
        self.pieces: list[str] = []

    def append(self, piece: str) -> None:
        self.pieces.append(piece)
        if len(self.pieces) >= self._BATCH:
            self.chunks.append("".join(self.pieces))
            self.pieces.clear()

    def text(self) -> str:
        return "".join([*self.chunks, *self.pieces])


def _sub(m: _Mapped, pattern: regex.Pattern[str], repl: str | Callable[[regex.Match[str]], str]) -> _Mapped:
    """Regex substitution that keeps the offset map.

    A replacement of the same length maps one for one; any other replacement
    maps all its characters to the start of what it replaced.
    """
    text, offs = m.text, m.offs
    out = _Pieces()
    out_offs = _offsets()
    pos = 0
    changed = False
    for match in pattern.finditer(text):
        s, e = match.span()
        new = repl(match) if callable(repl) else match.expand(repl)
        if new == text[s:e]:
            continue
        changed = True
        out.append(text[pos:s])
        out_offs.extend(offs[pos:s])
        out.append(new)
        if len(new) == e - s:
            out_offs.extend(offs[s:e])
        else:
            out_offs.extend(array(_OFFSET, (offs[s],)) * len(new))
        pos = e
    if not changed:
        return m
    out.append(text[pos:])
    out_offs.extend(offs[pos:])
    return _Mapped(out.text(), out_offs)


def _translate_1to1(m: _Mapped, fn: Callable[[str], str]) -> _Mapped:
    new = fn(m.text)
    if new == m.text:
        return m
    if len(new) == len(m.text):
        return _Mapped(new, m.offs)
    # a converter that changed lengths: fall back to character by character, a block at a time
    # (a list of one str per character of a 40 MB text would take a gigabyte)
    text, block = m.text, 65536
    parts = []
    for i in range(0, len(text), block):
        chars = [fn(c) for c in text[i : i + block]]
        if any(len(c) != 1 for c in chars):
            return m  # some character became two or none: no one-for-one map exists
        parts.append("".join(chars))
    return _Mapped("".join(parts), m.offs)


# --- passes ---------------------------------------------------------------

_LINE_ENDS = regex.compile(r"\r\n?")
_SPACES = regex.compile(r"[\u3000\xa0\u2002-\u200a\u202f\u205f]")
_INVISIBLE = regex.compile(r"[\u200b-\u200d\u2060\ufeff\u00ad]")
_FULLWIDTH = {c: c - 0xFEE0 for c in range(0xFF10, 0xFF1A)}
_FULLWIDTH.update({c: c - 0xFEE0 for c in range(0xFF21, 0xFF3B)})
_FULLWIDTH.update({c: c - 0xFEE0 for c in range(0xFF41, 0xFF5B)})
_FULLWIDTH.update({0xFF0E: ord("."), 0xFF20: ord("@"), 0xFF0F: ord("/"), 0xFF3F: ord("_")})


def _whitespace(m: _Mapped) -> _Mapped:
    m = _sub(m, _LINE_ENDS, "\n")
    m = _sub(m, _SPACES, " ")
    return _sub(m, _INVISIBLE, "")


_HAS_FULLWIDTH = regex.compile(r"[\uff10-\uff19\uff21-\uff3a\uff41-\uff5a\uff0e\uff20\uff0f\uff3f]")


def _widths(m: _Mapped) -> _Mapped:
    if not _HAS_FULLWIDTH.search(m.text):
        return m
    return _translate_1to1(m, lambda s: s.translate(_FULLWIDTH))


@functools.cache
def _t2s() -> Callable[[str], str]:
    import opencc  # imported here: only traditional text needs it

    return opencc.OpenCC("t2s").convert


_BLOCK = 1 << 20


def _in_blocks(fn: Callable[[str], str]) -> Callable[[str], str]:
    """``fn`` over a long text a block of whole lines at a time.

    OpenCC makes several copies of what it converts (UTF-8 in, UTF-8 out); a
    block of about a million characters bounds them. No phrase spans a line
    break, so converting line-aligned blocks gives the same text.
    """

    def run(text: str) -> str:
        if len(text) <= _BLOCK:
            return fn(text)
        parts = []
        pos = 0
        while pos < len(text):
            end = text.find("\n", pos + _BLOCK)
            end = len(text) if end < 0 else end + 1
            parts.append(fn(text[pos:end]))
            pos = end
        return "".join(parts)

    return run


def _simplified(m: _Mapped) -> _Mapped:
    """Traditional characters to simplified, also the odd one left in a simplified text (技術)."""
    if m.text.isascii():
        return m
    return _translate_1to1(m, _in_blocks(_t2s()))


_TONE = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜńňǹḿ"
_PINYIN_GLOSS = regex.compile(
    rf"[(（【\[](?<=\p{{Han}}.)\s*[a-zü{_TONE}]*[{_TONE}][a-zü{_TONE}]*\s*[)）】\]]"
)


def _pinyin(m: _Mapped) -> _Mapped:
    return _sub(m, _PINYIN_GLOSS, "")


_JUNK_SYMBOLS = regex.compile(r"[\p{So}\u10A0-\u10FF]+")


def _junk(m: _Mapped) -> _Mapped:
    """Decorative symbols spam sites scatter through copied text (ღ✿, ★)."""
    return _sub(m, _JUNK_SYMBOLS, "")


_MD_HEADING = regex.compile(r"(?m)^[ \t]*#{1,6}[ \t]+")
_MD_BULLET = regex.compile(r"(?m)^[ \t]*[-*+][ \t]+(?=\S)")
_MD_EMPHASIS = regex.compile(r"\*\*|__")
_MD_LINK_MAIL = regex.compile(r"\[([^\]\n]{1,200})\]\(mailto:[^)\s]+\)")
_MD_LINK = regex.compile(r"\[([^\]\n]{1,200})\]\((https?://[^)\s]+)\)")
_MD_AUTOLINK = regex.compile(r"<((?:https?://|mailto:)[^>\s]+)>")
_MD_TABLE_RULE = regex.compile(r"(?m)^[ \t]*\|?[ \t]*:?-{3,}:?[ \t]*(\|[ \t]*:?-{3,}:?[ \t]*)*\|?[ \t]*$")


def _markdown(m: _Mapped) -> _Mapped:
    """Markdown markup removed; link text kept, a link's address kept beside it.

    Each pattern runs only when its marker character is in the text at all (a plain notice
    has none), which a substring test answers far faster than a regex scan.
    """
    t = m.text
    if "#" in t:
        m = _sub(m, _MD_HEADING, "")
    if "-" in t or "*" in t or "+" in t:
        m = _sub(m, _MD_BULLET, "")
    if "**" in t or "__" in t:
        m = _sub(m, _MD_EMPHASIS, "")
    if "](" in t:
        m = _sub(m, _MD_LINK_MAIL, lambda x: x.group(1))
        m = _sub(
            m, _MD_LINK, lambda x: x.group(1) if x.group(1) == x.group(2) else f"{x.group(1)}({x.group(2)})"
        )
    if "<" in t:
        m = _sub(m, _MD_AUTOLINK, lambda x: x.group(1))
    if "---" in t:
        m = _sub(m, _MD_TABLE_RULE, "")
    return m


# a web page's navigation and tool lines around a notice's body (breadcrumbs, share and print links)
_WEB_CHROME = regex.compile(
    r"(?m)^[ \t]*(?:(?:当前位置|您当前的位置|您的位置|当前所在位置)[:：]?.*|.*首页[ \t]*>.*"
    r"|分享到[:：]?[ \t]*|【[ \t]*字体[:：]?.*|.*【[ \t]*打印[ \t]*】.*|打印本页.*|关闭窗口.*)$"
)
_NO_BODY = regex.compile(r"(?m)^[ \t]*[（(][ \t]*此页无正文[ \t]*[）)][ \t]*$")


_CHROME_HINTS = ("位置", "首页", "分享到", "字体", "打印", "关闭窗口")


def _page_furniture(m: _Mapped) -> _Mapped:
    m = _sub(m, PAGE_NUMBER_LINE, "")
    if any(h in m.text for h in _CHROME_HINTS):
        m = _sub(m, _WEB_CHROME, "")
    return _sub(m, _NO_BODY, "")


def _substitutions(m: _Mapped) -> _Mapped:
    """Homophone and letter substitutions spam sites make (砖科 for 专科, G家 for 国家)."""
    for pattern, repl in lexicon.substitutions():
        m = _sub(m, pattern, repl)
    return m


_OCR_ZERO = regex.compile(r"[oO](?:(?<=\d[oO])(?=\d|年|月|日|万|元|岁|字)|(?<![A-Za-z][oO])(?=\d))")
# each pattern starts with the blank it removes, so the engine only tries at blanks
_DIGIT_GAP = regex.compile(r"[ ]+(?:(?<=\d[ ]+)(?=[\p{Han}）)〕%％])|(?<=[\p{Han}（(〔)）〕][ ]+)(?=\d))")
_PUNCT_GAP = regex.compile(r"[ \t]+(?:(?=[，。；：、！？）》」』”,;:])|(?<=[，。；：、！？（《「『“][ \t]+))")
_DOUBLED_PUNCT = regex.compile(r"([,，;；])[,，、]+")


def _spacing(m: _Mapped) -> _Mapped:
    m = _sub(m, _OCR_ZERO, "0")
    m = _sub(m, _DIGIT_GAP, "")
    m = _sub(m, _PUNCT_GAP, "")
    return _sub(m, _DOUBLED_PUNCT, lambda x: x.group(1))


_TRAILING = regex.compile(r"(?m)[ \t]+$")
_LEADING = regex.compile(r"(?m)^[ \t]+")
_BLANKS = regex.compile(r"\n{3,}")

_ENDS_SENTENCE = regex.compile(r"[。；;！!？?：:…”\"）)》|]$")
# running prose has inner punctuation; a masthead or a title line has none of these
_PROSE = regex.compile(r"[，,；;。、]")
_ENDS_TITLE = regex.compile(r"(?:通知|通告|公告|意见|办法|方案|细则|规定|决定|函|批复|报告|条件|标准)$")


# a line this long or longer is a full printed line, one that may wrap
_MIN_WRAPPED_LINE = 18
# a heading or title line is at most this long; a line that long or longer is running text
_HEADING_MAX = 40


def _is_short_heading(line: str) -> bool:
    """A clause number with a short heading (二、申报条件) whose brackets are all closed."""
    return bool(STARTS_BLOCK.match(line)) and len(line) <= _HEADING_MAX and not _unclosed(line)


def _may_wrap(line: str) -> bool:
    """A line that can run on into the next: a full line of prose that ends no sentence,
    is no title and no short numbered heading."""
    return (
        len(line) >= _MIN_WRAPPED_LINE
        and not _is_short_heading(line)
        and bool(_PROSE.search(line))
        and not _ENDS_TITLE.search(line)
        and not _ENDS_SENTENCE.search(line)
    )


def _continues(line: str) -> bool:
    """A line that can be the rest of the sentence above: it starts no block and is no title,
    and it completes the sentence (ends with its punctuation) or is itself a long line."""
    return (
        not STARTS_BLOCK.match(line)
        and not _is_title_line(line)
        and (bool(_ENDS_SENTENCE.search(line)) or len(line) >= _HEADING_MAX)
    )


def _is_wrap(before: str, after: str) -> bool:
    """Is the break between these two (stripped) lines a wrap rather than a paragraph end?"""
    return _may_wrap(before) and _continues(after) and _glue(before, after)


def _join_broken_lines(m: _Mapped) -> _Mapped:
    """A sentence split over a line or page break is one sentence again.

    Blank lines between the two halves (a page break) go with the break. Short lines
    without punctuation on both sides are list items or table cells and stay apart.
    """
    text = m.text
    cuts: list[tuple[int, int]] = []
    prev: tuple[int, str] | None = None  # (end offset, stripped text) of the last non-blank line
    for start, line in _lines(text):
        stripped = line.strip()
        if stripped:
            if prev is not None and _is_wrap(prev[1], stripped):
                cuts.append((prev[0], start))
            prev = (start + len(line), stripped)
    return _delete(m, cuts)


def _delete(m: _Mapped, cuts: list[tuple[int, int]]) -> _Mapped:
    """``m`` without the characters of each (start, end) cut; the cuts are sorted and disjoint."""
    if not cuts:
        return m
    out = _Pieces()
    out_offs = _offsets()
    pos = 0
    for s, e in cuts:
        out.append(m.text[pos:s])
        out_offs.extend(m.offs[pos:s])
        pos = e
    out.append(m.text[pos:])
    out_offs.extend(m.offs[pos:])
    return _Mapped(out.text(), out_offs)


def _lines(text: str) -> Iterator[tuple[int, str]]:
    """(start offset, line) of every line, without a list of them all (text.split copies the text)."""
    pos = 0
    while True:
        end = text.find("\n", pos)
        if end < 0:
            yield pos, text[pos:]
            return
        yield pos, text[pos:end]
        pos = end + 1


def _is_title_line(line: str) -> bool:
    """A short line ending like a title (…资格条件, …的通知) stands on its own."""
    return len(line) <= _HEADING_MAX and not _PROSE.search(line) and bool(_ENDS_TITLE.search(line))


def _unclosed(line: str) -> bool:
    return line.count("（") + line.count("(") > line.count("）") + line.count(")")


_GLUE_LEFT = regex.compile(r"[\p{Han}\d（(“《〈、，,\-]")
_GLUE_RIGHT = regex.compile(r"[\p{Han}\d）)”》〉、，,。；]")


def _glue(prev: str, nxt: str) -> bool:
    """Only Chinese running text wraps: the seam is between two Han, digit or bracket characters."""
    return (
        bool(_GLUE_LEFT.match(prev[-1]))
        and bool(_GLUE_RIGHT.match(nxt[0]))
        and "|" not in prev
        and "\t" not in prev
    )


_HAN_GAP = regex.compile(r" (?<=\p{Han} )(?=\p{Han})")
_HAN_CHAR = regex.compile(r"[\u4e00-\u9fff]")
_MIN_HAN_FOR_GAP = 30


def _han_gaps(m: _Mapped) -> _Mapped:
    """Single spaces between Chinese characters in long running lines are PDF wrap artefacts.

    Short lines keep theirs: a masthead ``忻州市工业和信息化局 忻州市人社局``
    separates two issuers with one.
    """
    text = m.text
    keep = []
    for pos, line in _lines(text):
        if " " not in line or len(line) < _MIN_HAN_FOR_GAP:
            continue
        han = len(_HAN_CHAR.findall(line))
        if han >= _MIN_HAN_FOR_GAP and line.count(" ") <= han // 8 and _PROSE.search(line):
            keep.append((pos, pos + len(line)))
    if not keep:
        return m
    return _delete(m, sorted((g.start(), g.end()) for a, b in keep for g in _HAN_GAP.finditer(text, a, b)))


def _tidy(m: _Mapped) -> _Mapped:
    m = _sub(m, _TRAILING, "")
    m = _sub(m, _LEADING, "")
    m = _sub(m, _BLANKS, "\n\n")
    # drop leading/trailing blank lines
    start = len(m.text) - len(m.text.lstrip("\n"))
    end = len(m.text.rstrip("\n"))
    if start or end < len(m.text):
        offs = m.offs[start:end]  # empty when the text is only newlines (start > end)
        offs.append(m.offs[end])
        return _Mapped(m.text[start:end], offs)
    return m


PASSES: tuple[Callable[[_Mapped], _Mapped], ...] = (
    _whitespace,
    _widths,
    _simplified,
    _pinyin,
    _junk,
    _markdown,
    _substitutions,
    _page_furniture,
    _spacing,
    _tidy,
    _join_broken_lines,
    _han_gaps,
    _spacing,
    _tidy,
)


def normalize(raw: str) -> NormalizedText:
    """Run every pass over ``raw``; the result maps back to it character by character."""
    m = _Mapped(raw, array(_OFFSET, range(len(raw) + 1)))
    for step in PASSES:
        m = step(m)
    return NormalizedText(m.text, m.offs)

"""Named text pieces every stage cuts notices into, each defined once.

A sentence, a comma-bounded part, a table cell, "the lines above", an
organisation name's end, a level word, a Chinese numeral, a page number and
a line that starts a block: each is written here once (word lists from
``lexicon/``) and used by every extractor and by the normaliser and the
layout loader, so a fact's quoted sentence always agrees with the piece it
was read from. ``tests/test_patterns.py`` holds a table of cases for each.

``P(pattern)`` caches the one-off patterns written inline in the extractors:
``regex.search(pattern, s)`` recompiles through the module's own cache on
every call, which cost about 1 ms per notice; ``P(pattern).search(s)`` is one
dictionary lookup. Patterns used in several places belong here as constants.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator

import regex

from pipeline import lexicon


@functools.cache
def P(pattern: str) -> regex.Pattern[str]:
    return regex.compile(pattern)


# --- sentences and their parts ----------------------------------------------

# what ends a sentence: full stop, semicolon, exclamation and question marks (both widths), a line end;
# a half-width ! or ? with a letter or digit right after it is inside a word, not at a sentence's end
# (a URL's ?id=5, a scrape's glyph residue 或?qū)W士学位 for 或学士学位)
SENTENCE_ENDS = "。；;！!？?\n"
_WORD_CHAR = r"[A-Za-z0-9\p{Latin}]"
SENTENCE_END = regex.compile(rf"[。；;！？\n]|[!?](?!{_WORD_CHAR})")
# one sentence: a run of text without a sentence end
SENTENCE = regex.compile(rf"(?:[^{SENTENCE_ENDS}]|[!?](?={_WORD_CHAR}))+")
# what bounds a part of a sentence: the commas
PART_DELIMS = "，,"
# what bounds a phrase (the words that go with one number or date): commas, colons and sentence ends
PHRASE_DELIMS = "，,；;。：:\n"
PHRASE_DELIM = regex.compile(f"[{PHRASE_DELIMS}]")


def part_start(text: str, lo: int, pos: int, delims: str = PART_DELIMS) -> int:
    """Where the part ending at ``pos`` starts: just after the last delimiter in text[lo:pos], else ``lo``."""
    return max(lo, max(text.rfind(c, lo, pos) for c in delims) + 1)


def part_end(text: str, pos: int, hi: int, delims: str = PART_DELIMS) -> int:
    """Where the part starting at ``pos`` ends: at the first delimiter in text[pos:hi], else ``hi``."""
    found = [i for i in (text.find(c, pos, hi) for c in delims) if i >= 0]
    return min(found) if found else hi


# --- table rows and cells ---------------------------------------------------

# what separates the cells of a table row: a pipe (markdown, pdf tables) or tabs (office tables)
CELL_SEP = regex.compile(r"\s*\|\s*|\t+")
# a table flattened one cell per line: a line this long or longer is running text, not a cell
CELL_MAX = 30


def cells(line: str) -> list[str]:
    """A table row's cells, empty ones kept so that columns line up; a line without separators is one cell."""
    return [p.strip() for p in CELL_SEP.split(line.strip().strip("|"))]


def is_row(line: str) -> bool:
    """A table row of at least two cells."""
    return "|" in line or "\t" in line


def line_start(text: str, pos: int) -> int:
    """Where the line holding ``pos`` starts."""
    return text.rfind("\n", 0, pos) + 1


def line_end(text: str, pos: int) -> int:
    """Where the line holding ``pos`` ends: at its line break, or at the end of the text."""
    end = text.find("\n", pos)
    return len(text) if end < 0 else end


def lines_above(text: str, pos: int) -> Iterator[tuple[int, int]]:
    """(start, end) of each line above the line holding ``pos``, nearest first, blank ones included.

    Lazy: a caller that looks a few lines up reads only those, never the whole text before.
    """
    end = text.rfind("\n", 0, pos)
    while end >= 0:
        start = text.rfind("\n", 0, end) + 1
        yield start, end
        end = start - 1


def cells_above(text: str, pos: int, n: int) -> list[tuple[int, int, str]]:
    """Up to ``n`` non-blank lines above ``pos``, nearest first, as (start, end, stripped line)."""
    out: list[tuple[int, int, str]] = []
    for start, end in lines_above(text, pos):
        line = text[start:end].strip()
        if line:
            out.append((start, end, line))
            if len(out) >= n:
                break
    return out


# --- words from the vocabulary ----------------------------------------------


def _alternation(words: list[str]) -> str:
    """Longest first, so that 办公室 wins over 办 and 正高级 over 高级."""
    return "|".join(regex.escape(w) for w in sorted(set(words), key=len, reverse=True))


@functools.cache
def org_suffix() -> str:
    """What ends the name of an organisation (局, 委员会, 中心, 处…): ``lexicon/notice.toml`` [org]."""
    org = lexicon.load("notice")["org"]
    return _alternation([*org["bodies"], *org["units"]])


@functools.cache
def office_suffix() -> str:
    """What ends the name of an office people sit in (处, 科, 办公室…), as contact lines print it."""
    org = lexicon.load("notice")["org"]
    return _alternation([*org["units"], *org["office_bodies"]])


@functools.cache
def grade_level() -> regex.Pattern[str]:
    """A title grade without a title (正高级, 中级, 员级): ``lexicon/notice.toml`` grades."""
    return regex.compile(_alternation(lexicon.load("notice")["grades"]))


@functools.cache
def row_level() -> regex.Pattern[str]:
    """A criteria or fee table's level cell: a grade (副高级) or a title (高级工程师)."""
    data = lexicon.load("notice")
    return regex.compile(_alternation([*data["grades"], *data["row_titles"]]))


# --- Chinese numerals -------------------------------------------------------

CN_DIGITS = "零〇一二两三四五六七八九"
CN_UNITS = "十百千"
# the characters a Chinese numeral is written with
CN_NUMERAL = f"[{CN_DIGITS}{CN_UNITS}]"
_DIGIT_VALUE = {c: i for i, c in enumerate("零一二三四五六七八九")} | {"〇": 0, "两": 2, "俩": 2}
_UNIT_VALUE = {"十": 10, "百": 100, "千": 1000}


def cn_to_int(s: str) -> int | None:
    """A Chinese numeral to int (十二 → 12, 一百二十 → 120, 两 → 2); None when ``s`` is not one."""
    total = 0
    current = 0
    seen = False
    for ch in s:
        if ch in _DIGIT_VALUE:
            current = _DIGIT_VALUE[ch]
            seen = True
        elif ch in _UNIT_VALUE:
            total += (current or 1) * _UNIT_VALUE[ch]
            current = 0
            seen = True
        else:
            return None
    return total + current if seen else None


# --- lines of a page --------------------------------------------------------

# a blank inside one line: any whitespace but the line end
_B = r"[^\S\n]"
# 第3页 / 第3页，共10页 / 第 3 页 共 10 页
_PAGE_OF = rf"第{_B}*\d{{1,4}}{_B}*页(?:{_B}*[,，/]?{_B}*共{_B}*\d{{1,4}}{_B}*页)?"
# 3/10
_PAGE_SLASH = rf"\d{{1,4}}{_B}*/{_B}*\d{{1,4}}"
_DASHES = "[-—–－~_·]"
# a line that is only a page number, wherever it stands: — 3 —, 第3页共10页, 3/10
PAGE_NUMBER_LINE = regex.compile(
    rf"(?m)^{_B}*(?:{_DASHES}+{_B}*\d{{1,4}}{_B}*{_DASHES}+|{_PAGE_OF}|{_PAGE_SLASH}){_B}*$"
)
# a page number as a line at a page's edge, where a bare 3 or Page 3 of 10 is one too
EDGE_PAGE_NUMBER = regex.compile(
    rf"^{_B}*(?:{_DASHES}*{_B}*\d{{1,4}}{_B}*{_DASHES}*|{_PAGE_OF}|{_PAGE_SLASH}"
    rf"|[Pp]age{_B}*\d{{1,4}}(?:{_B}*of{_B}*\d{{1,4}})?){_B}*$"
)
# a line that starts a block — a clause number, a list item, an attachment, the contacts, the
# distribution list, the signing date — and is never the continuation of the line above
STARTS_BLOCK = regex.compile(
    r"^(?:[一二三四五六七八九十]+[、.．]|[（(](?:[一二三四五六七八九十]+|\d{1,2})[）)]|\d+[.．、](?!\d)|[①-⑳]"
    r"|第[一二三四五六七八九十百\d]+[章条节]|附件|抄送|抄报|联系|\d{4}年\d{1,2}月\d{1,2}日)"
)

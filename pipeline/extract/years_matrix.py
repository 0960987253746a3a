"""Years of service from a criteria matrix: degrees across, levels down, years in the cells.

    | 级别   | 博士 | 硕士 | 本科 | 大专 |
    | 副高级 | 2年  | 4年  | 5年  | 5年  |

A cell prints only ``2年`` (no 满 or 以上: the table's caption says these are minimums), so
the prose reader cannot take it; here each cell is one rule, its degree the column's header
and its level the row's first cell.
"""

from __future__ import annotations

from collections.abc import Callable

import regex

from pipeline.extract.context import Context
from pipeline.extract.numbers import NUMBER, parse_number
from pipeline.lexicon.title_levels import level_code
from pipeline.patterns import P
from pipeline.types import ServiceYears, Span

_CELL_SEP = regex.compile(r"\s*\|\s*|\t+")
_YEARS_CELL = regex.compile(rf"(?:满|已满|累计满)?\s*(?P<n>{NUMBER})\s*年(?:以上|及以上)?")
_TITLE_WORDS = regex.compile(r"任职|职称|职务|资格|任现职")
_DIVIDER = regex.compile(r"^[\s|:\-—]+$")


def _cells(line: str) -> list[tuple[int, str]]:
    """(offset in line, text) of each cell of a pipe or tab row."""
    out = []
    pos = 0
    body = line.strip().strip("|")
    lead = line.find(body) if body else 0
    for part in _CELL_SEP.split(body):
        at = line.find(part, lead + pos) if part else lead + pos
        out.append((at, part.strip()))
        pos = at - lead + len(part)
    return out


def matrix_rules(
    ctx: Context, degrees_in: Callable[[str, int, int], list[tuple[str, int]]], route: Callable[[int], str]
) -> tuple[list[ServiceYears], list[Span]]:
    """The rules of every degree-by-level matrix in the notice, and the spans of the rows read
    (so that the prose reader leaves them alone)."""
    text = ctx.text
    out: list[ServiceYears] = []
    claimed: list[Span] = []
    if "|" not in text and "\t" not in text:
        return out, claimed  # no table rows at all: most notices
    header: list[str | None] | None = None
    caption = ""
    prev_line = ""
    for lm in P(r"[^\n]+").finditer(text):
        line, start = lm.group(0), lm.start()
        if not _CELL_SEP.search(line) or _DIVIDER.match(line):
            if not _DIVIDER.match(line):
                header = None
                prev_line = line
            continue
        cells = _cells(line)
        named = [degrees_in(c, 0, len(c)) if len(c) <= 12 else [] for _, c in cells]
        cols = [n[0][0] if len(n) == 1 else None for n in named]
        if sum(1 for c in cols if c) >= 2:
            header, caption = cols, prev_line + cells[0][1]
            continue
        if header is None or len(cells) != len(header):
            continue
        level = level_code(cells[0][1])
        basis = "title" if _TITLE_WORDS.search(caption + cells[0][1]) else "work"
        row: list[ServiceYears] = []
        for (off, cell), degree in zip(cells, header, strict=True):
            m = _YEARS_CELL.fullmatch(cell)
            if degree is None or not m:
                continue
            years = parse_number(m.group("n"))
            if not years or years > 60:
                continue
            ev = ctx.evidence((start + off, start + off + len(cell)))
            row.append(ServiceYears(ev, years, degree, basis, route(start), None, level=level))
        if row:
            out.extend(row)
            claimed.append((start, lm.end()))
    return out, claimed

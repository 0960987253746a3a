"""Notices side by side: one column per notice, one row per criterion matched by meaning.

A row is what the diff would call "the same fact" in every notice: the first
notice that states a criterion opens its row, and each later notice's facts
are paired with the rows by the diff's own passes (``pipeline.diff.match``:
equal in every field first, then by identity key, then looser keys guarded by
text similarity). So 发明专利 stays one row whether it sits in clause 3.5.4 or
2.6.1, and a threshold that moved from 1 to 2 lands on its row as a differing
cell rather than as a new row. Each notice's fact goes to at most one row, and
a row holds at most one fact per notice: a sentence that sets four 考核次数
(one per degree) gives four rows, paired across notices by value first.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from pipeline.diff import labels as L
from pipeline.diff.history import _place_matches
from pipeline.diff.match import SPECS, FactSpec, Pass, pair_facts
from pipeline.lexicon import labels
from pipeline.record_types import PolicyRecord

Fact = Mapping[str, Any]

# the fact lists a comparison shows, in row order; contacts are people, not criteria
COMPARED: tuple[str, ...] = ("service_years", "requirements", "fees", "deadlines")


@dataclass(frozen=True)
class Column:
    """One notice: who issued it for where and when, and the file it was read from."""

    record_id: str
    province: str | None
    city: str | None
    year: int | None
    series: str | None
    source: str

    @property
    def name(self) -> str:
        """忻州市 2024: the header a person reads."""
        place = self.city or self.province or "未识别地区"
        return f"{place} {self.year or '?'}"

    def to_json(self) -> dict[str, Any]:
        return {
            "record_id": self.record_id,
            "province": self.province,
            "city": self.city,
            "year": self.year,
            "series": self.series,
            "source": self.source,
        }


@dataclass(frozen=True)
class Cell:
    """What one notice says about one criterion, and the clause and sentence it says it in."""

    value: Any
    display: str
    clause: str
    text: str
    # the display without the notice's own name for the criterion: what ``differs`` compares
    plain: str = field(default="", repr=False, compare=False)

    def to_json(self) -> dict[str, Any]:
        return {"value": self.value, "display": self.display, "clause": self.clause, "text": self.text}


@dataclass(frozen=True)
class Row:
    """One criterion across the notices; ``differs``: columns whose display is not the row's usual one."""

    criterion: str
    section: str
    cells: tuple[Cell | None, ...]
    differs: tuple[int, ...]
    # the fact that opened the row: what charts and filters read its meaning from
    fact: Fact = field(repr=False, compare=False, default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return {
            "criterion": self.criterion,
            "cells": [c.to_json() if c else None for c in self.cells],
            "differs": list(self.differs),
        }


@dataclass(frozen=True)
class Matrix:
    columns: tuple[Column, ...]
    rows: tuple[Row, ...]

    def to_json(self) -> dict[str, Any]:
        return {"columns": [c.to_json() for c in self.columns], "rows": [r.to_json() for r in self.rows]}


def _num(x: Any) -> Any:
    """5 not 5.0, so the JSON value reads like the notice."""
    return int(x) if isinstance(x, float) and x.is_integer() else x


def service_criterion(f: Fact) -> str:
    """本科·任现职称年限, 不限学历·从事专业工作年限（破格）."""
    route = labels.route(f.get("route"))
    name = f"{labels.degree(f.get('degree'))}·{labels.table('basis_name').get(f.get('basis') or '', '年限')}"
    return f"{name}（{route}）" if route else name


def _service_plain(f: Fact) -> str:
    return f"{L.num(f.get('years'))}年" + (f"，{f['note']}" if f.get("note") else "")


def _service_display(f: Fact) -> str:
    """5年（2019-12-31前取得）: the cut-off moves every year, so it is shown but not compared."""
    return _service_plain(f) + (f"（{f['cutoff']}前取得）" if f.get("cutoff") else "")


@dataclass(frozen=True)
class Criterion:
    """How a fact list becomes rows: its row name, its value, the words of its value."""

    criterion: Callable[[Any], str]
    value: Callable[[Any], Any]
    display: Callable[[Any], str]
    # what ``differs`` compares: the display, less what changes every year by nature
    plain: Callable[[Any], str] | None = None


CRITERIA: dict[str, Criterion] = {
    "service_years": Criterion(
        service_criterion, lambda f: _num(f["years"]), _service_display, _service_plain
    ),
    "requirements": Criterion(L.requirement_label, lambda f: _num(f["min_count"]), L.requirement_value),
    "fees": Criterion(L.fee_label, lambda f: _num(f["amount"]), L.fee_value),
    "deadlines": Criterion(
        lambda f: str(f.get("event") or "日期"), lambda f: [f["start"], f["end"]], L.window
    ),
}


def _exceptional(f: Fact) -> bool:
    """A 破格 group is a route of its own: its thresholds never share a row with the regular ones."""
    return "破格" in str(f.get("group") or "")


def _key(*names: str) -> Callable[[Fact], tuple[Any, ...]]:
    return lambda f: tuple(f.get(n) for n in names)


# after the diff's passes: two cities word the same criterion differently, so where the diff
# (two versions of one notice) asks for similar sentences, a comparison trusts the meaning alone
# — a group's heading (业绩成果条件 / 论文、著作要求) is the notice's own filing, not the criterion
_LOOSER: dict[str, tuple[Pass, ...]] = {
    "requirements": (Pass(lambda f: (*_key("kind", "subtype", "level")(f), _exceptional(f))),),
    "fees": (Pass(_key("per")),),
}
_SPECS: dict[str, FactSpec] = {
    s.section: replace(s, passes=s.passes + _LOOSER.get(s.section, ())) for s in SPECS
}


def column_of(record: PolicyRecord) -> Column:
    n = record["notice"]
    return Column(
        record["record_id"], n["province"], n["city"], n["year"], n["series"], record["source"]["path"]
    )


def _order(r: PolicyRecord) -> tuple[Any, ...]:
    n = r["notice"]
    return (n["province"] or "~", n["city"] or "", n["year"] or 0, n["issue_date"] or "", r["record_id"])


def select(
    records: Iterable[PolicyRecord],
    *,
    series: str | None = None,
    level: str | None = None,
    year: int | None = None,
    place: str | None = None,
) -> list[PolicyRecord]:
    """The records a comparison covers, in column order: by place, then year."""
    out = []
    for r in records:
        n = r["notice"]
        if series and (n["series"] or "") != series:
            continue
        if level and level not in n["levels"]:
            continue
        if year is not None and n["year"] != year:
            continue
        if place and not _place_matches(r, place):
            continue
        out.append(r)
    return sorted(out, key=_order)


def _cell(section: str, f: Fact, row_name: str) -> Cell:
    c = CRITERIA[section]
    display = c.display(f)
    plain = (c.plain or c.display)(f)
    own = c.criterion(f)
    if own != row_name.split("·#")[0]:  # paired by a looser key: say what this notice calls it
        display = f"{own}：{display}"
    return Cell(c.value(f), display, str(f.get("clause") or ""), str(f.get("text") or ""), plain)


def _differs(cells: Sequence[Cell | None]) -> tuple[int, ...]:
    """Columns whose value (as displayed) is not the row's most common one (ties: the earliest column's wins)."""
    shown = [c.plain for c in cells if c is not None]
    if not shown:
        return ()
    usual = Counter(shown).most_common(1)[0][0]
    return tuple(i for i, c in enumerate(cells) if c is not None and c.plain != usual)


def _section_rows(section: str, records: Sequence[PolicyRecord]) -> list[Row]:
    spec = _SPECS[section]
    opened: list[Fact] = []  # the fact that opened each row
    found: list[dict[int, Fact]] = []  # per row: column → that notice's fact
    for col, record in enumerate(records):
        facts: Sequence[Fact] = record["facts"][section]  # type: ignore[literal-required]
        pairs, _, new = pair_facts(opened, facts, spec)
        row_of = {id(f): i for i, f in enumerate(opened)}
        for rep, fact in pairs:
            found[row_of[id(rep)]][col] = fact
        for fact in new:
            opened.append(fact)
            found.append({col: fact})
    names = [CRITERIA[section].criterion(f) for f in opened]
    seen: Counter[str] = Counter()
    rows = []
    for rep, name, by_col in zip(opened, names, found, strict=True):
        seen[name] += 1
        label = name if names.count(name) == 1 else f"{name}·#{seen[name]}"
        cells = tuple(_cell(section, by_col[c], label) if c in by_col else None for c in range(len(records)))
        rows.append(Row(label, section, cells, _differs(cells), rep))
    return rows


def build(records: Sequence[PolicyRecord]) -> Matrix:
    """The matrix of these records, columns in the order given (``select`` sorts them)."""
    rows = [row for section in COMPARED for row in _section_rows(section, records)]
    return Matrix(tuple(column_of(r) for r in records), tuple(rows))

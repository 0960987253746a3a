"""Display names of record codes, read from ``labels.toml``: the one place a code gets its words.

The diff summaries, the report index, the review page and the export headers
all call these, so a degree or a column is named the same way on every page.
A code the file does not know is shown as itself: new extractor output is
visible at once rather than hidden behind a blank.
"""

from __future__ import annotations

import functools

from pipeline import lexicon


@functools.cache
def table(family: str) -> dict[str, str]:
    """code → display name for one family (``degree``, ``route``, ``kind``, ``column`` …), in file order."""
    data: dict[str, str] = lexicon.load("labels")[family]
    return data


def degree(code: str | None) -> str:
    """博士, 专业学位硕士 …; a rule naming no degree reads 不限学历."""
    return table("degree").get(code or "", code or "")


def degree_order(code: str | None) -> int:
    """Position of a degree in the file (highest first), so lists of degrees read in one order."""
    names = list(table("degree"))
    key = code or ""
    return names.index(key) if key in names else len(names)


def route(code: str | None) -> str:
    """破格, 高技能人才 …; the regular route is the empty string."""
    return table("route").get(code or "regular", code or "")


def basis(code: str | None, years: str) -> str:
    """任现职称满5年: what the years are counted from, with the number put in."""
    return table("basis").get(code or "", "满{n}年").format(n=years)


def kind(code: str | None, subtype: str | None = None) -> str:
    """发明专利 when the subtype has a name, else the kind's name (专利)."""
    code = code or "other"
    named = table("subtype").get(f"{code}.{subtype}") if subtype else None
    return named or table("kind").get(code, code)


def level(code: str | None) -> str:
    """国家级, 省级 …; no level is the empty string."""
    return table("level").get(code or "", code or "")


def title_level(code: str | None) -> str:
    """初级 … 正高级: the title level a service-years rule leads to; no level is the empty string."""
    return table("title_level").get(code or "", code or "")


def per(code: str | None) -> str:
    """每人; a fee with no unit is the empty string."""
    return table("per").get(code or "", code or "")


def group(name: str) -> str:
    """资历年限, 业绩条件 …: a fact list's title on every page."""
    return table("group").get(name, name)


def column(name: str) -> str:
    """A table column's Chinese header (and a notice field's name in diff summaries)."""
    return table("column").get(name, name)


def name(family: str, code: str | None) -> str:
    """The display name of a code of any family (tag, status, op, verdict …), else the code itself."""
    return table(family).get(code or "", code or "")


def cell(column: str, code: str, kind_code: str | None = None) -> str:
    """A code in a table column as people read it (exports with ``--labels zh``); unknown: itself.

    ``kind_code`` is the row's ``kind``, which a ``subtype`` is named under (patent.invention).
    """
    named = table("cell").get(f"{column}.{code}")
    if named:
        return named
    if column == "subtype":
        return table("subtype").get(f"{kind_code}.{code}", code)
    if column == "basis":
        return table("basis_name").get(code, code)
    family = {"degree": "degree", "route": "route", "kind": "kind", "level": "level", "per": "per"}.get(
        column
    )
    return (table(family).get(code) or code) if family else code


# table columns whose values are codes, translated by ``cell``
CODE_COLUMNS: frozenset[str] = frozenset({"degree", "basis", "route", "kind", "subtype", "level", "per"})

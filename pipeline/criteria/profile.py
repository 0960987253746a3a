"""An applicant's profile (JSON or TOML, same keys), checked field by field before any notice is read.

A profile is written by hand, so its mistakes are typos: an unknown key, a
count written as text, 2020-02-30. Each is refused with one line naming the
file and the field, rather than read as "not stated" and turned into a wrong
verdict.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import regex

from pipeline import lexicon
from pipeline.criteria import vocab
from pipeline.errors import IngestError

LEVELS = ("junior", "intermediate", "deputy_senior", "senior")
ACHIEVEMENT_LEVELS = ("national", "provincial", "association", "municipal", "enterprise")


_DEGREES = tuple(vocab.data()["degree"]["ladder"])
# 2020-09-01 (and TOML's own dates), 2020/9/1, 2020.09.01, 2020年9月1日
_DATE = regex.compile(r"(?P<y>\d{4})\s*[-/.年]\s*(?P<m>\d{1,2})\s*[-/.月]\s*(?P<d>\d{1,2})\s*日?")
_TITLE_LEVELS = {
    "初级": "junior",
    "中级": "intermediate",
    "副高级": "deputy_senior",
    "副高": "deputy_senior",
    "正高级": "senior",
    "正高": "senior",
}


@functools.cache
def _achievement_kinds() -> tuple[str, ...]:
    """The requirement kinds of the record contract: a profile's kind outside them is a typo."""
    return tuple(dict.fromkeys(k["kind"] for k in lexicon.load("requirements")["kind"]))


@functools.cache
def _subtypes() -> dict[str, tuple[str, ...]]:
    out: dict[str, list[str]] = {"paper": ["general", "core"]}
    for k in lexicon.load("requirements")["kind"]:
        if k.get("subtype"):
            out.setdefault(k["kind"], []).append(k["subtype"])
    return {k: tuple(v) for k, v in out.items()}


class ProfileError(IngestError):
    """A profile that cannot be read: ``error: <file>: <field>: <reason>``."""


@dataclass(frozen=True)
class Held:
    """A title or a skill level and the date it was obtained."""

    name: str | None
    level: str | None
    obtained: dt.date | None


@dataclass(frozen=True)
class Achievement:
    kind: str
    count: int
    subtype: str | None = None
    level: str | None = None
    words: int | None = None
    amount_cny: int | None = None
    rank: int | None = None


@dataclass(frozen=True)
class Profile:
    name: str
    degree: str | None = None
    professional_master: bool = False
    title: Held | None = None
    skill_level: Held | None = None
    work_years: float | None = None
    frontline_years: float | None = None
    assessments: dict[str, int] | None = None
    achievements: tuple[Achievement, ...] | None = None
    status: tuple[str, ...] = ()
    attests: tuple[str, ...] = ()
    source: str = ""
    extra: dict[str, Any] = field(default_factory=dict)


_KEYS = {
    "name",
    "degree",
    "professional_master",
    "title",
    "skill_level",
    "work_years",
    "frontline_years",
    "assessments",
    "achievements",
    "status",
    "attests",
}


class _Reader:
    def __init__(self, path: str) -> None:
        self.path = path

    def fail(self, where: str, reason: str) -> ProfileError:
        return ProfileError(f"{where}: {reason}", self.path)

    def keys(self, data: Any, allowed: set[str], where: str) -> dict[str, Any]:
        if not isinstance(data, dict):
            raise self.fail(where or "profile", f"must be a table/object, not {_kind(data)}")
        for key in data:
            if key not in allowed:
                raise self.fail(f"{where}.{key}" if where else key, "unknown key")
        return data

    def text(self, value: Any, where: str, allowed: tuple[str, ...] | None = None) -> str | None:
        if value is None:
            return None
        if not isinstance(value, str):
            raise self.fail(where, f"must be text, not {_kind(value)}")
        if allowed is not None and value not in allowed:
            raise self.fail(where, f"{value!r} is not one of {', '.join(allowed)}")
        return value

    def number(self, value: Any, where: str, whole: bool = False) -> Any:
        if value is None:
            return None
        if (
            isinstance(value, bool)
            or not isinstance(value, int | float)
            or (whole and not isinstance(value, int))
        ):
            raise self.fail(where, f"must be a {'whole ' if whole else ''}number, not {_kind(value)}")
        if value < 0:
            raise self.fail(where, "must not be negative")
        return value

    def date(self, value: Any, where: str) -> dt.date | None:
        if value is None:
            return None
        if isinstance(value, dt.datetime):
            return value.date()
        if isinstance(value, dt.date):
            return value
        if not isinstance(value, str):
            raise self.fail(where, f"must be a date like 2020-09-01, not {_kind(value)}")
        m = _DATE.fullmatch(value.strip())
        if m is None:
            raise self.fail(where, f"{value!r} is not a date (YYYY-MM-DD)")
        try:
            return dt.date(int(m["y"]), int(m["m"]), int(m["d"]))
        except ValueError:
            raise self.fail(where, f"{value!r} is not a date (YYYY-MM-DD)") from None

    def degree(self, value: Any, where: str) -> str | None:
        """A degree word of the contract (master) or as a person writes it (硕士研究生, 大学本科)."""
        if value is None or (isinstance(value, str) and value in _DEGREES):
            return value if value is None else str(value)
        if isinstance(value, str):
            found = {k for k, _, _ in vocab.degrees(value) if k in _DEGREES}
            if found == {"master", "master_professional"}:  # 工程类专业学位硕士: one degree, named twice
                found = {"master_professional"}
            if len(found) == 1:
                return found.pop()
        shown = self.text(value, where)
        raise self.fail(where, f"{shown!r} is not one of {', '.join(_DEGREES)} (or 博士, 硕士, 本科 …)")

    def held(self, value: Any, where: str, levels: tuple[str, ...] | None = LEVELS) -> Held | None:
        if value is None:
            return None
        data = self.keys(value, {"name", "level", "obtained"}, where)
        level = data.get("level")
        if levels is not None and isinstance(level, str):
            level = _TITLE_LEVELS.get(level, level)
        return Held(
            self.text(data.get("name"), f"{where}.name"),
            self.text(level, f"{where}.level", levels),
            self.date(data.get("obtained"), f"{where}.obtained"),
        )

    def words(self, value: Any, where: str, allowed: tuple[str, ...]) -> tuple[str, ...]:
        if value is None:
            return ()
        if not isinstance(value, list):
            raise self.fail(where, f"must be a list, not {_kind(value)}")
        return tuple(str(self.text(v, f"{where}[{i}]", allowed)) for i, v in enumerate(value))

    def achievement(self, value: Any, where: str) -> Achievement:
        keys = {"kind", "subtype", "level", "count", "words", "amount_cny", "rank"}
        data = self.keys(value, keys, where)
        kind = self.text(data.get("kind"), f"{where}.kind", _achievement_kinds())
        if not kind:
            raise self.fail(f"{where}.kind", "missing")
        subtypes = _subtypes().get(kind)
        if data.get("subtype") is not None and subtypes is not None:
            self.text(data.get("subtype"), f"{where}.subtype", subtypes)
        count = self.number(data.get("count", 1), f"{where}.count", whole=True)
        return Achievement(
            kind,
            count,
            self.text(data.get("subtype"), f"{where}.subtype"),
            self.text(data.get("level"), f"{where}.level", ACHIEVEMENT_LEVELS),
            self.number(data.get("words"), f"{where}.words", whole=True),
            self.number(data.get("amount_cny"), f"{where}.amount_cny", whole=True),
            self.number(data.get("rank"), f"{where}.rank", whole=True),
        )


def _kind(value: Any) -> str:
    names = {
        list: "a list",
        dict: "a table",
        str: "text",
        bool: "true/false",
        int: "a number",
        float: "a number",
    }
    return "null" if value is None else names.get(type(value), type(value).__name__)


def parse_profile(data: Any, path: str = "<profile>") -> Profile:
    """A profile from parsed JSON/TOML; ``ProfileError`` names the first wrong field."""
    r = _Reader(path)
    d = r.keys(data, _KEYS, "")
    assessments = None
    if d.get("assessments") is not None:
        a = r.keys(d["assessments"], {"passed", "excellent"}, "assessments")
        assessments = {
            k: r.number(a.get(k, 0), f"assessments.{k}", whole=True) for k in ("passed", "excellent")
        }
    achievements = None
    if d.get("achievements") is not None:
        if not isinstance(d["achievements"], list):
            raise r.fail("achievements", f"must be a list, not {_kind(d['achievements'])}")
        achievements = tuple(r.achievement(v, f"achievements[{i}]") for i, v in enumerate(d["achievements"]))
    pm = d.get("professional_master", False)
    if not isinstance(pm, bool):
        raise r.fail("professional_master", f"must be true or false, not {_kind(pm)}")
    statuses = tuple(e["status"] for e in vocab.data()["status"])
    tags = tuple(e["tag"] for e in vocab.data()["tag"])
    return Profile(
        name=r.text(d.get("name"), "name") or Path(path).stem,
        degree=r.degree(d.get("degree"), "degree"),
        professional_master=pm,
        title=r.held(d.get("title"), "title"),
        skill_level=r.held(d.get("skill_level"), "skill_level", None),  # 高级技师 … have no title level
        work_years=r.number(d.get("work_years"), "work_years"),
        frontline_years=r.number(d.get("frontline_years"), "frontline_years"),
        assessments=assessments,
        achievements=achievements,
        status=r.words(d.get("status"), "status", statuses),
        attests=r.words(d.get("attests"), "attests", tags),
        source=path,
    )


def load_profile(path: str | Path) -> Profile:
    """A profile file (.json or .toml); one ``ProfileError`` line for any fault."""
    p = Path(path)
    try:
        raw = p.read_bytes()
    except OSError as exc:
        raise ProfileError(f"cannot read ({exc.strerror or exc.__class__.__name__})", str(path)) from None
    try:
        text = raw.decode("utf-8")
        data = tomllib.loads(text) if p.suffix.lower() == ".toml" else json.loads(text)
    except UnicodeDecodeError:
        raise ProfileError("not UTF-8 text", str(path)) from None
    except tomllib.TOMLDecodeError as exc:
        raise ProfileError(f"not valid TOML ({exc})", str(path)) from None
    except json.JSONDecodeError as exc:
        raise ProfileError(f"not valid JSON ({exc.msg} at line {exc.lineno})", str(path)) from None
    return parse_profile(data, str(path))

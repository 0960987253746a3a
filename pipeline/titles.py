"""The national title system (``lexicon/titles.toml``): the level and series of a printed title name.

One vocabulary serves every reader of titles — the notice's levels and series,
the topic check that refuses texts not about titles — so that a series added to
the data file is known everywhere at once, with no list per module.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import regex

from pipeline import lexicon

LEVEL_CODES = ("junior", "intermediate", "deputy_senior", "senior")
_RANK = {code: k for k, code in enumerate(LEVEL_CODES)}
# 高级 alone names both senior levels
_GENERIC_CODES = {**{c: (c,) for c in LEVEL_CODES}, "high": ("deputy_senior", "senior")}


@dataclass(frozen=True)
class TitleSystem:
    levels_of: dict[str, tuple[str, ...]]  # 副研究馆员 → ("deputy_senior",)
    series_of: dict[str, tuple[str, ...]]  # 副研究馆员 → (图书资料系列, 文物博物系列, 档案系列, 群众文化系列)
    series_by_word: dict[str, str]  # name or alias as printed → the series' name
    ordinary: frozenset[str]  # names that are also everyday words
    not_titles: frozenset[str]  # skill levels that contain a title's name (高级技师)
    names: regex.Pattern[str]  # any title name or generic level word, longest first
    series_words: regex.Pattern[str]  # any series name or alias, longest first


def _alternation(words: set[str]) -> regex.Pattern[str]:
    return regex.compile("|".join(regex.escape(w) for w in sorted(words, key=lambda w: (-len(w), w))))


@functools.cache
def system() -> TitleSystem:
    data = lexicon.load("titles")
    levels_of: dict[str, list[str]] = {}
    series_of: dict[str, list[str]] = {}
    by_word: dict[str, str] = {}
    for s in data["series"]:
        by_word[s["name"]] = s["name"]
        for alias in s.get("aliases", []):
            by_word.setdefault(alias, s["name"])
        for code in LEVEL_CODES:
            for name in s.get(code, []):
                codes = levels_of.setdefault(name, [])
                if code not in codes:
                    codes.append(code)
                series_of.setdefault(name, []).append(s["name"])
    for key, words in data["generic"].items():
        for name in words:
            levels_of.setdefault(name, list(_GENERIC_CODES[key]))
    return TitleSystem(
        levels_of={k: tuple(v) for k, v in levels_of.items()},
        series_of={k: tuple(dict.fromkeys(v)) for k, v in series_of.items()},
        series_by_word=by_word,
        ordinary=frozenset(data["ordinary"]["words"]),
        not_titles=frozenset(data["not_titles"]["words"]),
        names=_alternation(set(levels_of) | set(data["not_titles"]["words"])),
        series_words=_alternation(set(by_word)),
    )


def find_names(text: str, *, ordinary: bool = True) -> list[tuple[str, tuple[int, int]]]:
    """Title names in ``text``, longest first at each place (副研究馆员, not 研究馆员); everyday
    words among them only when ``ordinary``; skill levels (高级技师) never."""
    ts = system()
    return [
        (m.group(0), m.span())
        for m in ts.names.finditer(text)
        if m.group(0) not in ts.not_titles and (ordinary or m.group(0) not in ts.ordinary)
    ]


def level_codes(names: list[str] | tuple[str, ...]) -> list[str]:
    """The level codes of printed names, junior first, each once."""
    ts = system()
    codes = {c for n in names for c in ts.levels_of.get(n, ())}
    return sorted(codes, key=_RANK.__getitem__)


def series_of_names(names: list[str] | tuple[str, ...]) -> str | None:
    """The one series that all of these title names share (讲师 alone decides nothing; 主任记者 does)."""
    ts = system()
    common: list[str] | None = None
    for n in names:
        own = ts.series_of.get(n)
        if not own:
            continue
        common = [s for s in (common if common is not None else own) if s in own]
    return common[0] if common and len(common) == 1 else None


def series_named(text: str, *, suffixed: bool) -> str | None:
    """The first series the text names: as ``X系列`` only when ``suffixed`` (running text), by
    name or alias anywhere otherwise (a title: 四川省出版专业技术人员…条件)."""
    ts = system()
    for m in ts.series_words.finditer(text):
        word = m.group(0)
        if not suffixed or word.endswith("系列") or text.startswith("系列", m.end()):
            return ts.series_by_word[word]
    return None

"""Province and city names, and the telephone area code of each city.

Names come from cpca's administrative-division table (the CSV inside its
wheel; read directly, because importing cpca itself pulls in pandas and costs
a third of a second). Area codes come from libphonenumber's Chinese geocoding
data (``phonenumbers``), which maps ``86`` + area code to ``省市`` names; it is
extracted once into ``lexicon/area_codes.tsv`` by ``scripts/area_codes.py``
because importing that data takes half a second (a test keeps the file in step).
Both are loaded on first use and cached.
"""

from __future__ import annotations

import csv
import functools
import importlib.util
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import regex

_SUFFIXES = (
    "壮族自治区",
    "回族自治区",
    "维吾尔自治区",
    "特别行政区",
    "自治区",
    "自治州",
    "地区",
    "省",
    "市",
    "盟",
)


MUNICIPALITIES = frozenset({"北京市", "天津市", "上海市", "重庆市"})


@dataclass(frozen=True)
class Gazetteer:
    provinces: frozenset[str]
    city_province: dict[str, str]  # 忻州市 -> 山西省
    pattern: re.Pattern[str]  # any full province or city name
    county_city: dict[str, str]  # 长沙县 -> 长沙市, 滨海新区 -> 天津市: names one prefecture has


def _cpca_file(name: str) -> Path:
    """A data file inside the installed cpca package, found without importing cpca (and pandas)."""
    spec = importlib.util.find_spec("cpca")
    if spec is None or not spec.submodule_search_locations:
        raise ModuleNotFoundError("cpca is not installed: pip install cpca")
    return Path(next(iter(spec.submodule_search_locations))) / name


@functools.cache
def gazetteer() -> Gazetteer:
    raw = _cpca_file("resources/adcodes.csv").read_text(encoding="utf-8")
    rows = list(csv.DictReader(io.StringIO(raw)))
    by_code = {r["adcode"]: r["name"] for r in rows}
    provinces: set[str] = set()
    city_province: dict[str, str] = {}
    for code, name in by_code.items():
        if code.endswith("0000000000"):
            provinces.add(name)
        elif code.endswith("00000000") and name not in {
            "市辖区",
            "县",
            "省直辖县级行政区划",
            "自治区直辖县级行政区划",
        }:
            prov = by_code.get(code[:2] + "0000000000")
            if prov:
                city_province[name] = prov
    names = sorted(provinces | set(city_province), key=len, reverse=True)
    pattern = re.compile("|".join(re.escape(n) for n in names))  # re compiles this 20x faster than regex
    return Gazetteer(frozenset(provinces), city_province, pattern, _counties(by_code, city_province))


def _counties(by_code: dict[str, str], city_province: dict[str, str]) -> dict[str, str]:
    """County-level names (县, 区, 县级市, 旗) → their prefecture; a municipality's districts → the
    municipality. A name that two prefectures share (鼓楼区) is left out: it places nothing."""
    seen: dict[str, set[str]] = {}
    for code, name in by_code.items():
        if code.endswith("00000000") or not code.endswith("000000") or len(name) < 3:
            continue
        parent = by_code.get(code[:4] + "00000000")
        if parent is None or parent not in city_province:
            parent = by_code.get(code[:2] + "0000000000")
            if parent not in MUNICIPALITIES:
                continue
        seen.setdefault(name, set()).add(parent)
    return {name: next(iter(parents)) for name, parents in seen.items() if len(parents) == 1}


# a county named as the seat of an office: 长沙县人社局, 宁乡市人力资源和社会保障局, 滨海新区管委会
_OFFICE_AFTER = (
    r"(?=人力资源|人社|人民政府|政府|党委|党工委|管委会|组织部|职改|职称|[\u4e00-\u9fff]{0,8}?(?:局|委员会))"
)


_OFFICE_AT = re.compile(_OFFICE_AFTER)
# the last character of every county, district, new area, province or prefecture name
_NAME_END = re.compile(r"[县区市旗省州盟]")


@functools.cache
def _county_names() -> tuple[frozenset[str], int]:
    names = frozenset(gazetteer().county_city) | frozenset(_new_areas())
    return names, max(map(len, names))


@functools.cache
def _place_names() -> tuple[frozenset[str], int]:
    g = gazetteer()
    names = g.provinces | frozenset(g.city_province)
    return names, max(map(len, names))


def _seats(text: str, names: frozenset[str], longest: int) -> Iterator[tuple[int, str]]:
    """(start, name) of each name of ``names`` that seats an office, in order. Found from the
    name's last character (县, 区, 市 …) backwards: far cheaper than an alternation of thousands
    of names tried at every character."""
    for m in _NAME_END.finditer(text):
        end = m.end()
        if not _OFFICE_AT.match(text, end):
            continue
        for k in range(min(longest, end), 1, -1):
            if text[end - k : end] in names:
                yield end - k, text[end - k : end]
                break


@functools.cache
def _new_areas() -> dict[str, str]:
    from pipeline import lexicon

    return dict(lexicon.load("notice")["new_areas"])


def find_county_office(text: str) -> tuple[str, str] | None:
    """(province, prefecture) of the first county, district or new area named as an office's seat."""
    found = next(_seats(text, *_county_names()), None)
    if found is None:
        return None
    g = gazetteer()
    city = _new_areas().get(found[1]) or g.county_city[found[1]]
    province = city if city in MUNICIPALITIES else g.city_province.get(city)
    return (province, city) if province else None


def county_office_at(text: str, pos: int) -> bool:
    """Whether a county, district or new area seating an office starts at ``pos``."""
    names, longest = _county_names()
    return any(
        text[pos : pos + k] in names and _OFFICE_AT.match(text, pos + k) is not None
        for k in range(2, longest + 1)
    )


def find_office_place(text: str) -> str | None:
    """The first province or prefecture name that heads an office (…省人力资源和社会保障厅)."""
    found = next(_seats(text, *_place_names()), None)
    return found[1] if found else None


def short_name(name: str) -> str:
    """忻州市 → 忻州, 广西壮族自治区 → 广西."""
    for suffix in _SUFFIXES:
        if name.endswith(suffix) and len(name) > len(suffix) + 1:
            return name[: -len(suffix)]
    return name


@functools.cache
def _short_city_pattern() -> re.Pattern[str]:
    g = gazetteer()
    shorts = {short_name(c): c for c in g.city_province if len(short_name(c)) >= 2}
    alternation = "|".join(re.escape(s) for s in sorted(shorts, key=len, reverse=True))
    return re.compile(rf"({alternation})(?=职称|人社|人力资源|市直|市属)")


def find_short_city(text: str) -> str | None:
    """A prefecture named by its short form where it heads 职称/人社 (淮安职称申报): its full name."""
    m = _short_city_pattern().search(text)
    if not m:
        return None
    g = gazetteer()
    return next((c for c in g.city_province if short_name(c) == m.group(1)), None)


def find_places(text: str) -> list[tuple[str, int]]:
    """Full province and city names in ``text`` with their offsets, in order."""
    return [(m.group(0), m.start()) for m in gazetteer().pattern.finditer(text)]


@functools.cache
def _area_codes() -> dict[str, str]:
    """城市名 → 区号, from ``lexicon/area_codes.tsv`` (generated from libphonenumber by scripts/)."""
    data = resources.files("pipeline.lexicon").joinpath("area_codes.tsv").read_text(encoding="utf-8")
    out: dict[str, str] = {}
    for line in data.splitlines():
        if line and not line.startswith("#"):
            place, code = line.split("\t")
            out.setdefault(place, code)
    return out


def area_codes_from_phonenumbers() -> dict[str, str]:
    """The table as libphonenumber has it: zh geocoding prefixes of fixed lines (86 + 2-4 digits)."""
    from phonenumbers.geodata import GEOCODE_DATA

    out: dict[str, str] = {}
    for prefix, names in sorted(GEOCODE_DATA.items()):
        if (
            not prefix.startswith("86")
            or not 4 <= len(prefix) <= 6
            or (prefix[2] == "1" and prefix != "8610")
        ):
            continue
        zh = names.get("zh") if isinstance(names, dict) else None
        if not zh:
            continue
        code = "0" + prefix[2:]
        m = regex.search(r"(?:省|自治区)(.+)$", zh)
        out.setdefault(m.group(1) if m else zh, code)
    return out


def area_code(city: str | None) -> str | None:
    """The fixed-line area code of a city (忻州市 → 0350), or None when unknown."""
    if not city:
        return None
    codes = _area_codes()
    if city in codes:
        return codes[city]
    for place, code in codes.items():
        if place.endswith(city) or city.endswith(place):
            return code
    return None

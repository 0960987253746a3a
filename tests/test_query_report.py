"""The report: one row per notice, every link resolves, diffs only where a previous year exists."""

from __future__ import annotations

import importlib.util
import json
import re
import shutil
from pathlib import Path
from urllib.parse import unquote

from pipeline.query.report import previous_years, thresholds, write_report
from tests.conftest import STRUCTURED

SEED = STRUCTURED / "000_020e7bca74b620b8.txt.json"


def _two_years(folder: Path) -> None:
    """The seed as 2024 and a copy of it dated a year earlier: a timeline of two notices."""
    folder.mkdir()
    shutil.copy(SEED, folder / SEED.name)
    old = json.loads(SEED.read_text(encoding="utf-8"))
    old["notice"]["year"] = 2023
    old["record_id"] = old["record_id"].replace("2024", "2023")
    (folder / "old.txt.json").write_text(json.dumps(old, ensure_ascii=False), encoding="utf-8")


def test_one_row_per_notice_and_links_resolve(tmp_path: Path) -> None:
    out = write_report(STRUCTURED, tmp_path / "index.html")
    page = out.read_text(encoding="utf-8")
    assert len(re.findall(r"<tr[^>]* data-place=", page)) == len(list(STRUCTURED.glob("[!.]*.json")))
    links = [unquote(link) for link in re.findall(r'href="([^"#]+)"', page)]
    assert links and all((tmp_path / link).is_file() for link in links)


def test_previous_year_gets_a_diff_link(tmp_path: Path) -> None:
    data = tmp_path / "data"
    _two_years(data)
    out = write_report(data, tmp_path / "site" / "index.html")
    page = out.read_text(encoding="utf-8")
    diff_links = re.findall(r'href="(diff/[^"]+)"', page)
    if importlib.util.find_spec("pipeline.diff") is None:
        assert diff_links == []
    else:
        assert diff_links == ["diff/old.txt__000_020e7bca74b620b8.txt.html"]
        assert ">对比2023年<" in page
        assert (tmp_path / "site" / diff_links[0]).is_file()


def test_previous_years_picks_latest_earlier_on_same_timeline() -> None:
    def rec(year: int, city: str) -> dict:  # type: ignore[type-arg]
        return {
            "notice": {
                "province": "山西省",
                "city": city,
                "series": "工程系列",
                "specialties": [],
                "year": year,
            }
        }

    records = [
        ("a", rec(2022, "忻州市")),
        ("b", rec(2024, "忻州市")),
        ("c", rec(2023, "忻州市")),
        ("d", rec(2023, "太原市")),
    ]
    assert previous_years(records) == {"c": "a", "b": "c"}


def test_thresholds_take_the_regular_route_minimum_by_degree() -> None:
    record = {
        "facts": {
            "service_years": [
                {"years": 5, "degree": "bachelor", "route": "regular"},
                {"years": 3, "degree": "bachelor", "route": "exceptional"},
                {"years": 2, "degree": "doctor", "route": "regular"},
            ],
            "requirements": [{}, {}],
        }
    }
    assert thresholds(record) == "博士2年；本科5年；业绩条件2条"


def test_warnings_and_likely_duplicates_are_flagged(tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    record = json.loads(SEED.read_text(encoding="utf-8"))
    shutil.copy(SEED, data / SEED.name)
    record["warnings"] = ["deadline: 10月32日 is not a date"]
    (data / "copy.txt.json").write_text(json.dumps(record, ensure_ascii=False), encoding="utf-8")
    page = write_report(data, tmp_path / "index.html").read_text(encoding="utf-8")
    rows = re.findall(r"<tr( class=\"flagged\")?[^>]* data-place=[^>]*>(.*?)</tr>", page)
    assert len(rows) == 2 and all(flag for flag, _ in rows)  # same place, series, year: both flagged
    assert sum("⚠ 1" in cells for _, cells in rows) == 1
    assert all("重复?" in cells for _, cells in rows)
    assert 'title="deadline: 10月32日 is not a date"' in page

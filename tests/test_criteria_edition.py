"""A later edition of the Xinzhou notice, and profiles written the way people outside the repo write them.

The 2025 edition is made from seed 000 by moving every year one on: 2024年度 → 2025年度 and the
cut-offs of the 任职年限 rule (即2019年底前取得 … 2020年底 … 2022年底) each a year later. A careful
reader of that edition counts the same years to the new cut-offs, so a bachelor who took 工程师 in
2020 cannot apply in 2024 and can in 2025. Profiles here use the field forms the contract allows
besides the codes: degree words in Chinese, title levels in Chinese, dates as 2020年6月1日 or TOML
dates; each case says the verdict and why.
"""

from __future__ import annotations

import functools
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from pipeline.criteria.check import check_record, years_end
from pipeline.criteria.profile import ProfileError, parse_profile
from pipeline.ingest import ingest_file
from tests.test_criteria_check import TAGS, person, record

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "data" / "raw" / "000_020e7bca74b620b8.txt"
# the 2024 edition's years and the 2025 edition's, longest first so 2019 年底 moves before 2024
MOVES = [("2022 年底", "2023 年底"), ("2020 年底", "2021 年底"), ("2019 年底", "2020 年底"), ("2024", "2025")]


def edition_text() -> str:
    text = SEED.read_text(encoding="utf-8")
    for old, new in MOVES:
        assert old in text, old
        text = text.replace(old, new)
    return text


@functools.cache
def edition() -> dict[str, Any]:
    import tempfile

    with tempfile.TemporaryDirectory() as d:
        p = Path(d) / "xinzhou-2025.txt"
        p.write_text(edition_text(), encoding="utf-8")
        return ingest_file(p)


def test_the_edition_reads_its_own_year_and_cut_offs() -> None:
    rec = edition()
    assert rec["notice"]["year"] == 2025
    cutoffs = sorted(f["cutoff"] for f in rec["facts"]["service_years"] if f["cutoff"])
    assert cutoffs == ["2020-12-31", "2021-12-31", "2023-12-31"]
    assert str(years_end(rec)) == "2025-12-31"


EDITION_CASES = [
    # E1. A bachelor, 工程师 since 2020-06-01: the 2025 edition asks for the title by 2020年底: eligible.
    (person(title={"name": "工程师", "level": "中级", "obtained": "2020年6月1日"}), "eligible", "regular"),
    # E2. … the same bachelor with the title from 2021-03-01 is after 2020年底: ineligible (not yet).
    (
        person(title={"name": "工程师", "level": "intermediate", "obtained": "2021/3/1"}),
        "ineligible",
        "regular",
    ),
    # E3. A 工程类专业学位 master (written in Chinese) with 工程师 from 2021-09-01: by 2021年底, and 4 assessments
    #     are enough for such a master: eligible.
    (
        person(
            degree="工程类专业学位硕士",
            title={"name": "工程师", "level": "intermediate", "obtained": "2021-09-01"},
            assessments={"passed": 4, "excellent": 0},
        ),
        "eligible",
        "regular",
    ),
    # E4. A doctor (博士研究生) with 工程师 from 2023-05-01: the 2025 edition's doctor row wants it by 2023年底: eligible.
    (
        person(
            degree="博士研究生", title={"name": "工程师", "level": "intermediate", "obtained": "2023-05-01"}
        ),
        "eligible",
        "regular",
    ),
    # E5. A retired engineer who meets everything else is still barred (退休人员不得申报).
    (person(status=["retired"], title={"name": "工程师", "obtained": "2015-01-01"}), "ineligible", "regular"),
    # E6. A bachelor who states no title date: nothing fails, the years are unknown: possible.
    (person(title={"name": "工程师", "level": "intermediate"}), "possible", "regular"),
]


@pytest.mark.parametrize(("profile", "verdict", "route"), EDITION_CASES)
def test_edition_case(profile: dict[str, Any], verdict: str, route: str) -> None:
    res = check_record(edition(), parse_profile(profile, "edition.json"))
    assert (res.verdict, res.route) == (verdict, route), [(r.route, r.verdict, r.failed) for r in res.routes]


def test_the_same_engineer_in_two_editions() -> None:
    """工程师 from June 2020: too late for the 2024 edition (by 2019年底), in time for the 2025 one."""
    p = parse_profile(person(title={"name": "工程师", "obtained": "2020-06-01"}), "p.json")
    assert check_record(record("xinzhou"), p).verdict == "ineligible"
    assert check_record(edition(), p).verdict == "eligible"


@pytest.mark.parametrize(
    ("written", "code"),
    [
        ("博士", "doctor"),
        ("硕士研究生", "master"),
        ("大学本科", "bachelor"),
        ("大专", "college"),
        ("doctor", "doctor"),
    ],
)
def test_degree_words_in_chinese_or_codes(written: str, code: str) -> None:
    assert parse_profile({"degree": written}).degree == code


@pytest.mark.parametrize(
    ("profile", "field"),
    [
        ({"degree": "本科硕士"}, "degree"),  # two degrees: which one is the highest is not said
        ({"title": {"obtained": "2020年2月30日"}}, "title.obtained"),
        ({"title": {"level": "高级"}}, "title.level"),
        ({"achievements": [{"kind": "patents"}]}, "achievements[0].kind"),
        ({"achievements": [{"kind": "paper", "subtype": "sci"}]}, "achievements[0].subtype"),
        ({"hobby": "chess"}, "hobby"),  # the contract: an unknown key is refused, never ignored
    ],
)
def test_wrong_fields_are_named(profile: dict[str, Any], field: str) -> None:
    with pytest.raises(ProfileError) as err:
        parse_profile(profile, "p.json")
    assert str(err.value).split(": ")[0] == field, str(err.value)


def test_a_toml_profile_with_native_dates_against_the_edition(tmp_path: Path) -> None:
    """As an applicant outside the repo runs it: a TOML profile, the edition's raw text, JSON out."""
    raw = tmp_path / "xinzhou-2025.txt"
    raw.write_text(edition_text(), encoding="utf-8")
    prof = tmp_path / "me.toml"
    prof.write_text(
        'name = "甲"\ndegree = "本科"\nwork_years = 12\nattests = ' + json.dumps(TAGS) + "\n"
        '[title]\nname = "工程师"\nlevel = "中级"\nobtained = 2020-06-01\n'
        "[assessments]\npassed = 5\n"
        '[[achievements]]\nkind = "project"\nlevel = "provincial"\ncount = 1\n'
        '[[achievements]]\nkind = "patent"\nsubtype = "invention"\n'
        '[[achievements]]\nkind = "paper"\nsubtype = "core"\nwords = 4000\n'
        '[[achievements]]\nkind = "course"\ncount = 6\n',
        encoding="utf-8",
    )
    out = subprocess.run(
        [sys.executable, "-m", "pipeline", "check", "--profile", str(prof), str(raw), "--format", "json"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
    )
    assert out.returncode == 0, out.stderr
    res = json.loads(out.stdout)["results"][0]
    assert (res["verdict"], res["route"]) == ("eligible", "regular")

"""Hand-written applicant profiles against the seeds and excerpts: the verdict a careful reader gives.

Xinzhou (seed 000) counts 任职年限 by the cut-off printed in each rule (即2019年底前取得…);
Lianyungang (seed 004) to its 任职年限截止时间 2023-12-31; an excerpt with no year cannot count
years from a title at all. Each case says why in its comment.
"""

from __future__ import annotations

import functools
import json
from pathlib import Path
from typing import Any

import pytest

from pipeline.criteria.check import check_record, years_end
from pipeline.criteria.profile import parse_profile
from pipeline.ingest import ingest_file

ROOT = Path(__file__).resolve().parent.parent
TAGS = ["ethics", "accepted", "continuing_education", "assessment", "outstanding"]


@functools.cache
def record(name: str) -> dict[str, Any]:
    seeds = {"xinzhou": "000_020e7bca74b620b8", "lianyungang": "004_44f96866d5556162"}
    if name in seeds:
        return json.loads(
            (ROOT / "data" / "structured" / f"{seeds[name]}.txt.json").read_text(encoding="utf-8")
        )
    folder = "web2" if name.startswith("web2") else "web"
    return ingest_file(ROOT / ".." / "shared" / "corpus" / folder / f"{name}.txt")


def person(**kw: Any) -> dict[str, Any]:
    """A 工程师 with what most applicants have; each case changes what matters to it."""
    base: dict[str, Any] = {
        "name": "case",
        "degree": "bachelor",
        "title": {"name": "工程师", "level": "intermediate", "obtained": "2018-06-01"},
        "work_years": 12,
        "frontline_years": 0,
        "assessments": {"passed": 5, "excellent": 0},
        "achievements": [
            {"kind": "project", "level": "provincial", "count": 1},
            {"kind": "patent", "subtype": "invention", "count": 1},
            {"kind": "paper", "subtype": "core", "count": 1, "words": 4000},
            {"kind": "course", "count": 6},
        ],
        "status": [],
        "attests": TAGS,
    }
    base.update(kw)
    return base


def title(date: str) -> dict[str, Any]:
    return {"name": "工程师", "level": "intermediate", "obtained": date}


CASES = [
    # 1. 忻州: a doctor who became 工程师 in March 2022 meets the doctor row (2022年底前取得), a provincial
    #    project, an invention patent, a core paper: eligible by the regular route.
    ("xinzhou", person(degree="doctor", title=title("2022-03-01")), "eligible", "regular"),
    # 2. 连云港: the same doctor is not yet eligible: 2 years from 2022-03-01 end 2024-03-01, after the
    #    任职年限截止时间 2023-12-31; no award for 破格 or 绿色通道.
    ("lianyungang", person(degree="doctor", title=title("2022-03-01")), "ineligible", "regular"),
    # 3. 忻州: a bachelor with 工程师 from June 2019 meets 任工程师满5年 (2019年底前取得).
    ("xinzhou", person(title=title("2019-06-01")), "eligible", "regular"),
    # 4. 忻州: a bachelor with 工程师 from March 2020 is a few months late for the 5-year row, and has no
    #    优秀 assessment or award for 破格.
    ("xinzhou", person(title=title("2020-03-01")), "ineligible", "regular"),
    # 5. 忻州: a 工程类专业学位 master from October 2020 may apply a year early (2020年底前取得).
    (
        "xinzhou",
        person(degree="master", professional_master=True, title=title("2020-10-01")),
        "eligible",
        "regular",
    ),
    # 6. 忻州: an academic master from October 2020 has no early row: the 5-year row needs 2019.
    ("xinzhou", person(degree="master", title=title("2020-10-01")), "ineligible", "regular"),
    # 7. 忻州: a 大专 graduate with 22 years at the front line and 业绩突出: 学历可放宽到大专.
    ("xinzhou", person(degree="college", work_years=22, frontline_years=22), "eligible", "regular"),
    # 8. 忻州: a 大专 graduate with 10 front-line years fails 学历, but one 优秀 assessment and a provincial
    #    science award open 破格 (不受学历、资历条件限制).
    (
        "xinzhou",
        person(
            degree="college",
            frontline_years=10,
            assessments={"passed": 4, "excellent": 1},
            achievements=[{"kind": "award", "level": "provincial", "count": 1}],
        ),
        "eligible",
        "exceptional",
    ),
    # 9. 忻州: a 公务员 may not apply at all (下列人员不得申报).
    ("xinzhou", person(status=["public_servant"]), "ineligible", "regular"),
    # 10. 忻州: a retired engineer may not apply either.
    ("xinzhou", person(status=["retired"]), "ineligible", "regular"),
    # 11. 忻州: a 高技能人才 with no degree or title stated: the 高技能 route is kept in 晋人社厅发〔2019〕55号,
    #     so it is possible, not certain.
    (
        "xinzhou",
        {"name": "技师", "status": ["high_skill"], "achievements": [], "attests": []},
        "possible",
        "high_skill",
    ),
    # 12. 忻州: an introduced high-level talent goes by 认定 (绿色通道): eligible on status alone.
    ("xinzhou", {"name": "引进", "status": ["introduced_talent"]}, "eligible", "green_channel"),
    # 13. 忻州: a profile that states only a doctor's degree and title: nothing fails, much is unknown.
    ("xinzhou", {"name": "少", "degree": "doctor", "title": title("2021-01-01")}, "possible", "regular"),
    # 14. 忻州: 4 assessments are enough for a 工程类专业学位 master (不低于4次), not for a bachelor (5次).
    (
        "xinzhou",
        person(
            degree="master",
            professional_master=True,
            title=title("2020-10-01"),
            assessments={"passed": 4, "excellent": 0},
        ),
        "eligible",
        "regular",
    ),
    ("xinzhou", person(assessments={"passed": 4, "excellent": 0}), "ineligible", "regular"),
    # 16. 连云港: a bachelor with 工程师 from June 2018 has 5 years by 2023-06: eligible (course, paper of 4000字).
    ("lianyungang", person(), "eligible", "regular"),
    # 17. 连云港: from March 2019 the 5 years end 2024-03-01, after 2023-12-31: not yet.
    ("lianyungang", person(title=title("2019-03-01")), "ineligible", "regular"),
    # 18. 连云港: a doctor from October 2021 has 2 years by 2023-10: eligible.
    ("lianyungang", person(degree="doctor", title=title("2021-10-01")), "eligible", "regular"),
    # 19. 连云港: a 高技能人才, 高级技师 since June 2019 (满4年 by 2023-06), via the 高技能 route.
    (
        "lianyungang",
        person(
            degree="secondary",
            title=None,
            status=["high_skill"],
            skill_level={"name": "高级技师", "obtained": "2019-06-01"},
        ),
        "eligible",
        "high_skill",
    ),
    # 20. 连云港: 公务员、离退休人员不得申报.
    ("lianyungang", person(status=["public_servant"]), "ineligible", "regular"),
    # 21. 广西卫生 (web-022): the conditions are in 桂职办〔2017〕36号: at best possible.
    ("web-022", person(), "possible", "regular"),
    # 22. … and a 公务员 is barred there too.
    ("web-022", person(status=["public_servant"]), "ineligible", "regular"),
    # 23. web-010 (no year printed): a doctor's 2 years from the title cannot be counted: possible.
    ("web-010", person(degree="doctor", title=title("2015-01-01")), "possible", "regular"),
    # 24. web-010: 3 years of work fail every row (8 or 10 years of work, or a doctor's degree).
    ("web-010", person(work_years=3), "ineligible", "regular"),
]


@pytest.mark.parametrize(("notice", "profile", "verdict", "route"), CASES)
def test_profile_case(notice: str, profile: dict[str, Any], verdict: str, route: str) -> None:
    res = check_record(record(notice), parse_profile(profile, "case.json"))
    assert (res.verdict, res.route) == (verdict, route), [(r.route, r.verdict, r.failed) for r in res.routes]


def test_the_same_doctor_in_two_cities() -> None:
    """The contrast of the issue: the failed leaf in 连云港 is the doctor's 2-year row, with its clause."""
    doctor = parse_profile(person(degree="doctor", title=title("2022-03-01")), "doctor.json")
    assert check_record(record("xinzhou"), doctor).verdict == "eligible"
    res = check_record(record("lianyungang"), doctor)
    regular = next(r for r in res.routes if r.route == "regular")
    assert any(f["clause"] == "2.1.1" and "2022-03-01" in f["have"] for f in regular.failed)


def test_years_run_to_the_printed_cut_off_else_year_end() -> None:
    assert str(years_end(record("lianyungang"))) == "2023-12-31"
    assert str(years_end(record("xinzhou"))) == "2024-12-31"
    assert years_end(record("web-010")) is None


def test_record_without_criteria_is_reported_as_such() -> None:
    old = {k: v for k, v in record("xinzhou").items() if k != "criteria"}
    res = check_record(old, parse_profile(person(), "p.json"))
    assert res.verdict == "no_criteria" and res.routes == []

"""``pipeline check``: the exact lines a user sees, for good and bad profiles and inputs."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SEED = "data/structured/004_44f96866d5556162.txt.json"
DOCTOR = {
    "name": "王工",
    "degree": "doctor",
    "title": {"name": "工程师", "level": "intermediate", "obtained": "2022-03-01"},
    "work_years": 6,
    "assessments": {"passed": 3, "excellent": 0},
    "achievements": [
        {"kind": "course", "count": 2},
        {"kind": "paper", "subtype": "core", "count": 1, "words": 5000},
    ],
    "status": [],
    "attests": ["ethics"],
}


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "pipeline", *args], capture_output=True, text=True, cwd=ROOT, timeout=300
    )


@pytest.fixture
def doctor(tmp_path: Path) -> Path:
    p = tmp_path / "me.json"
    p.write_text(json.dumps(DOCTOR, ensure_ascii=False), encoding="utf-8")
    return p


def test_json_result_names_the_failed_leaf_with_its_clause(doctor: Path) -> None:
    out = run("check", "--profile", str(doctor), SEED, "--format", "json")
    assert out.returncode == 0, out.stderr
    doc = json.loads(out.stdout)
    assert doc["profile"] == "王工"
    (res,) = doc["results"]
    assert (res["verdict"], res["source"]) == ("ineligible", SEED)
    regular = next(r for r in res["routes"] if r["route"] == "regular")
    years = next(f for f in regular["failed"] if f["clause"] == "2.1.1")
    assert years["need"] == "任现职称满2年" and years["have"] == "工程师2022-03-01取得"


def test_table_says_it_in_chinese(doctor: Path) -> None:
    out = run("check", "--profile", str(doctor), SEED)
    assert "结论：不符合申报条件，按常规申报" in out.stdout
    assert "未满足 [2.1.1] 要求：任现职称满2年；本人：工程师2022-03-01取得" in out.stdout


def test_html_is_a_page_in_chinese(doctor: Path, tmp_path: Path) -> None:
    page = tmp_path / "me.html"
    out = run("check", "--profile", str(doctor), SEED, "--format", "html", "--out", str(page))
    assert out.returncode == 0 and out.stdout == ""
    text = page.read_text(encoding="utf-8")
    assert text.startswith("<!doctype html>") and 'lang="zh-CN"' in text and "不符合申报条件" in text


def test_toml_profile_is_read_like_json(tmp_path: Path) -> None:
    p = tmp_path / "me.toml"
    p.write_text(
        'name = "李工"\ndegree = "doctor"\n[title]\nname = "工程师"\nobtained = 2021-10-01\n',
        encoding="utf-8",
    )
    out = run("check", "--profile", str(p), SEED, "--format", "json")
    assert json.loads(out.stdout)["results"][0]["routes"][0]["verdict"] in ("possible", "eligible")


@pytest.mark.parametrize(
    ("name", "content", "line"),
    [
        ("a.json", '{"degre": "doctor"}', "degre: unknown key"),
        (
            "b.toml",
            'name = "x"\n[title]\nobtained = "2020-02-30"\n',
            "title.obtained: '2020-02-30' is not a date (YYYY-MM-DD)",
        ),
        (
            "c.json",
            '{"achievements": [{"kind": "paper", "count": "3"}]}',
            "achievements[0].count: must be a whole number, not text",
        ),
        (
            "d.json",
            '{"degree": "phd"}',
            "degree: 'phd' is not one of secondary, college, bachelor, second_bachelor, master, master_professional, doctor",
        ),
        ("e.json", '{"status": ["civil_servant"]}', "status[0]: 'civil_servant' is not one of"),
        ("f.json", '{"work_years": -1}', "work_years: must not be negative"),
        ("g.json", "{", "not valid JSON (Expecting property name enclosed in double quotes at line 1)"),
    ],
)
def test_bad_profile_is_one_line_naming_file_and_field(
    tmp_path: Path, name: str, content: str, line: str
) -> None:
    p = tmp_path / name
    p.write_text(content, encoding="utf-8")
    out = run("check", "--profile", str(p), SEED)
    assert out.returncode == 1 and out.stdout == ""
    assert out.stderr.startswith(f"error: {p}: {line}") and out.stderr.count("\n") == 1


def test_old_record_is_reported_not_judged(doctor: Path, tmp_path: Path) -> None:
    old = json.loads((ROOT / SEED).read_text(encoding="utf-8"))
    del old["criteria"]
    p = tmp_path / "old.json"
    p.write_text(json.dumps(old, ensure_ascii=False), encoding="utf-8")
    out = run("check", "--profile", str(doctor), str(p), "--format", "json")
    (res,) = json.loads(out.stdout)["results"]
    assert res["verdict"] == "no_criteria" and "older pipeline" in res["note"]


def test_a_bad_input_is_one_line_and_the_rest_is_checked(doctor: Path, tmp_path: Path) -> None:
    bad = tmp_path / "broken.json"
    bad.write_text("{", encoding="utf-8")
    out = run("check", "--profile", str(doctor), str(bad), SEED, "--format", "json")
    assert out.returncode == 1
    assert out.stderr.startswith(f"error: {bad}: ")
    assert [r["source"] for r in json.loads(out.stdout)["results"]] == [SEED]

"""A notice and its attachments are one record: each grouping rule, missing attachments, provenance.

The rules live in ``pipeline/bundles.py``: an HTML page and the local files it links, a file and
the 附件 files sharing its stem, a folder holding one notice and 附件 files. The record lists each
attachment with its sha256 and format, holds its text as a top-level part (att1 …), and every
fact read there names its file; a criteria table in an .xlsx attachment gives service years.
"""

from __future__ import annotations

import hashlib
import subprocess
import sys
from pathlib import Path

import pytest

from pipeline import bundles
from pipeline.ingest import ingest_file
from pipeline.store import dumps
from tests.conftest import RAW, ROOT

SEED = (RAW / "004_44f96866d5556162.txt").read_text(encoding="utf-8")


def _criteria_xlsx(path: Path, years: tuple[int, int] = (2, 4)) -> Path:
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["学历", "任职资格", "年限"])
    ws.append(["博士", "取得工程师职称后", f"从事本专业技术工作满{years[0]}年"])
    ws.append(["硕士", "取得工程师职称后", f"从事本专业技术工作满{years[1]}年"])
    wb.save(path)
    return path


def _folder_notice(root: Path) -> Path:
    folder = root / "raw" / "n1"
    folder.mkdir(parents=True)
    (folder / "通知.txt").write_text(SEED, encoding="utf-8")
    _criteria_xlsx(folder / "附件1 评审条件.xlsx")
    return folder / "通知.txt"


def test_folder_rule_makes_one_record_with_the_attachment_as_a_part(tmp_path: Path) -> None:
    main = _folder_notice(tmp_path)
    assert bundles.mains(sorted(main.parent.iterdir())) == [main]
    record = ingest_file(main)
    (att,) = record["source"]["attachments"]
    xlsx = main.parent / "附件1 评审条件.xlsx"
    assert att["sha256"] == hashlib.sha256(xlsx.read_bytes()).hexdigest()
    assert att["format"] == "xlsx" and att["clause"] == "att1" and att["path"].endswith("附件1 评审条件.xlsx")
    part = record["clauses"][-1]
    assert (part["id"], part["heading"]) == ("att1", "附件1 评审条件.xlsx")
    assert record["text"][part["span"][0] : part["span"][1]] == part["text"]
    assert all(c["id"].startswith("att1.") for c in part["children"])


def test_a_criteria_table_in_an_xlsx_attachment_gives_service_years(tmp_path: Path) -> None:
    record = ingest_file(_folder_notice(tmp_path))
    from_sheet = [f for f in record["facts"]["service_years"] if f.get("file")]
    assert {(f["degree"], f["years"]) for f in from_sheet} == {("doctor", 2), ("master", 4)}
    assert all(
        f["file"].endswith("附件1 评审条件.xlsx") and f["clause"].startswith("att1") for f in from_sheet
    )
    # the notice's own facts name no file
    assert all("file" not in f for f in record["facts"]["service_years"] if not f["clause"].startswith("att"))


def test_an_attachment_listed_but_absent_is_a_warning(tmp_path: Path) -> None:
    record = ingest_file(_folder_notice(tmp_path))
    assert (
        "attachment 附件2 专业技术人员简介表 is listed in the notice but not beside it" in record["warnings"]
    )
    assert not any("附件1" in w for w in record["warnings"])  # the one beside it


def test_stem_rule_takes_only_the_files_named_after_the_notice(tmp_path: Path) -> None:
    (tmp_path / "关于评审的通知.txt").write_text(SEED, encoding="utf-8")
    _criteria_xlsx(tmp_path / "关于评审的通知_附件1.xlsx")
    (tmp_path / "另一份通知.txt").write_text(SEED.replace("2024", "2023"), encoding="utf-8")
    files = sorted(tmp_path.iterdir())
    assert [p.name for p in bundles.mains(files)] == ["关于评审的通知.txt", "另一份通知.txt"]
    b = bundles.bundle_of(tmp_path / "关于评审的通知.txt")
    assert (
        b is not None
        and b.rule == "stem"
        and [p.name for p in b.attachments] == ["关于评审的通知_附件1.xlsx"]
    )
    assert bundles.bundle_of(tmp_path / "另一份通知.txt") is None  # two notices: no folder rule


def test_html_page_and_the_files_it_links(tmp_path: Path) -> None:
    body = "".join(f"<p>{line}</p>" for line in SEED.splitlines() if line.strip())
    links = (
        '<a href="files/%E9%99%84%E4%BB%B61.xlsx">附件1 评审条件</a>'
        '<a href="附件2.doc">附件2 申报表</a><a href="http://example.gov.cn/附件3.pdf">附件3</a>'
    )
    (tmp_path / "files").mkdir()
    _criteria_xlsx(tmp_path / "files" / "附件1.xlsx")
    page = tmp_path / "notice.html"
    page.write_text(f"<html><body>{body}{links}</body></html>", encoding="utf-8")
    record = ingest_file(page)
    present, missing, *remote = record["source"]["attachments"]
    assert present["path"].endswith("files/附件1.xlsx") and present["format"] == "xlsx"
    assert missing == {"path": "附件2.doc", "missing": True}
    assert remote == ["附件3 <http://example.gov.cn/附件3.pdf>"]  # a link elsewhere stays a link
    assert "attachment 附件2.doc is linked from the page but not beside it" in record["warnings"]
    assert any(f.get("file", "").endswith("附件1.xlsx") for f in record["facts"]["service_years"])
    assert bundles.mains(sorted(p for p in tmp_path.rglob("*") if p.is_file())) == [page]


def test_an_unreadable_attachment_is_a_warning_not_an_error(tmp_path: Path) -> None:
    main = _folder_notice(tmp_path)
    (main.parent / "附件2 申报表.xls").write_bytes(b"\xd0\xcf\x11\xe0 broken")
    record = ingest_file(main)
    assert any(w.startswith("attachment 附件2 申报表.xls not read: ") for w in record["warnings"])
    assert [a["clause"] for a in record["source"]["attachments"]] == ["att1"]


def test_bundle_record_is_deterministic(tmp_path: Path) -> None:
    main = _folder_notice(tmp_path)
    assert dumps(ingest_file(main)) == dumps(ingest_file(main))


def _ingest(raw: Path, out: Path) -> str:
    done = subprocess.run(
        [sys.executable, "-m", "pipeline", "ingest", str(raw), "--out", str(out), "--jobs", "1"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=300,
    )
    return done.stdout.splitlines()[-1]


@pytest.mark.slow
def test_batch_writes_one_record_and_a_changed_attachment_re_ingests_it(tmp_path: Path) -> None:
    main = _folder_notice(tmp_path)
    out = tmp_path / "out"
    assert _ingest(tmp_path / "raw", out) == f"1 records written to {out}, 0 failed, 5 warnings"
    assert sorted(p.name for p in out.glob("*.json") if not p.name.startswith(".")) == ["n1__通知.txt.json"]
    assert _ingest(tmp_path / "raw", out) == f"0 records written to {out}, 1 unchanged, 0 failed, 0 warnings"
    _criteria_xlsx(main.parent / "附件1 评审条件.xlsx", years=(3, 5))
    assert _ingest(tmp_path / "raw", out) == f"1 records written to {out}, 0 failed, 5 warnings"
    record = (out / "n1__通知.txt.json").read_text(encoding="utf-8")
    assert "从事本专业技术工作满3年" in record


@pytest.mark.parametrize(
    ("text", "names"),
    [
        ("附件：1.评审条件\n2.申报表\n", [(1, "评审条件"), (2, "申报表")]),
        ("附件1：评审条件.pdf\n附件2：申报表.xls\n", [(1, "评审条件.pdf"), (2, "申报表.xls")]),
        ("附件：1. 评审条件\n\n2、申报表\n联系人：王静\n", [(1, "评审条件"), (2, "申报表")]),
        ("附件三：汇总表\n", [(3, "汇总表")]),
        ("申报人须提交附件1所列材料，并于10月底前报送。\n", []),  # a sentence naming 附件 is no list
    ],
)
def test_the_attachment_list_is_read_with_where_each_name_is_printed(
    text: str, names: list[tuple[int, str]]
) -> None:
    found = bundles.listed_spans(text)
    assert [(n, name) for n, name, _ in found] == names
    assert all(text[a:b] == name for _, name, (a, b) in found)


def test_a_lone_notice_lists_its_attachments_in_the_record() -> None:
    """The 附件 list is part of what the notice says, whether or not the files came with it."""
    record = ingest_file(RAW / "004_44f96866d5556162.txt")
    listed = record["notice"]["attachments_listed"]
    assert [a["number"] for a in listed] == [1, 2, 3, 4, 5, 6]
    assert listed[5]["name"] == "破格申报专业技术资格申请表"
    assert all(record["text"][a["span"][0] : a["span"][1]] == a["text"] == a["name"] for a in listed)

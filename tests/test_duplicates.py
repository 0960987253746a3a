"""One record per notice: copies linked across formats and reposts, never across editions; the
canonical copy is decided by the set, not the order; incremental = from scratch; counted once."""

from __future__ import annotations

import io
import json
import random
import shutil
from contextlib import redirect_stdout
from pathlib import Path

import pytest

from pipeline import duplicates_folder
from pipeline.cli import main
from pipeline.duplicates import Copy, conflict, link, pair_reason
from pipeline.records import record_paths
from scripts.demo_corpus import SEEDS, vary
from tests.conftest import RAW, ROOT, SHARED, needs_shared

FORMATS = ROOT / "tests" / "fixtures" / "formats"
XINZHOU = "000_020e7bca74b620b8"
LIANYUNGANG = "004_44f96866d5556162"

# what a reposting site puts around a notice it copies: breadcrumbs, a byline, share buttons, a footer
HEADER = (
    "首页 > 新闻中心 > 通知公告\n"
    "来源：职称评审资讯网  发布时间：2024-05-01 10:22  浏览次数：1234\n"
    "【字体：大 中 小】 【打印】 【关闭】\n"
)
FOOTER = (
    "\n上一篇：2024年度会计专业技术资格考试报名通知\n"
    "下一篇：关于做好2024年度职称评审工作的通知\n"
    "分享到：微信 微博 QQ空间\n"
    "版权所有 © 2024 职称评审资讯网 京ICP备12345678号-1 客服电话：400-800-1234\n"
    "免责声明：本站部分内容来源于网络，如有侵权请联系删除。\n"
)


def _copy(name: str, **kw: object) -> Copy:
    base: dict[str, object] = {
        "title": None,
        "doc_numbers": frozenset(),
        "year": None,
        "province": None,
        "city": None,
        "issuers": frozenset(),
        "ocr": False,
        "missing": 0,
        "format_rank": 2,
        "warnings": 0,
    }
    base.update(kw)
    return Copy(name=name, **base)  # type: ignore[arg-type]


NOTICE = "".join(f"第{i}条 申报人员须任现职称满{i % 5 + 1}年，近五年年度考核合格以上。" for i in range(60))
OTHER = "".join(
    f"第{i}项 评审费每人{i * 10}元，材料报送截止时间为{i % 12 + 1}月{i % 28 + 1}日。" for i in range(60)
)
TITLE = "关于开展2024年度工程系列高级工程师评审工作的通知"
N1, N2 = frozenset({"忻工信函〔2024〕18号"}), frozenset({"忻工信函〔2023〕15号"})

# (case, a, b, text a, text b, expected reason — a prefix — or None)
PAIRS = [
    (
        "same 文号 and title, texts apart",
        {"doc_numbers": N1, "title": TITLE},
        {"doc_numbers": N1, "title": TITLE},
        NOTICE,
        NOTICE[:200],
        "same 文号 and title",
    ),
    (
        "same 文号, another title: the text decides",
        {"doc_numbers": N1, "title": TITLE},
        {"doc_numbers": N1, "title": "附件"},
        NOTICE,
        NOTICE,
        "text similarity 1.00",
    ),
    (
        "near-identical text, nothing else known",
        {},
        {},
        NOTICE,
        NOTICE.replace("合格", "称职", 3),
        "text similarity 0.99",
    ),
    (
        "a repost: the text inside site furniture",
        {},
        {},
        NOTICE,
        HEADER * 8 + NOTICE + FOOTER * 4,
        "text containment 1.00",
    ),
    (
        "editions: identical text, different 文号",
        {"doc_numbers": N1},
        {"doc_numbers": N2},
        NOTICE,
        NOTICE,
        None,
    ),
    ("editions: identical text, different years", {"year": 2024}, {"year": 2023}, NOTICE, NOTICE, None),
    (
        "editions: same title and 文号 but years differ",
        {"doc_numbers": N1, "title": TITLE, "year": 2024},
        {"doc_numbers": N1, "title": TITLE, "year": 2023},
        NOTICE,
        NOTICE,
        None,
    ),
    ("two cities", {"city": "忻州市"}, {"city": "大同市"}, NOTICE, NOTICE, None),
    ("two provinces", {"province": "山西省"}, {"province": "江苏省"}, NOTICE, NOTICE, None),
    (
        "two issuers",
        {"issuers": frozenset({"忻州市人社局"})},
        {"issuers": frozenset({"大同市人社局"})},
        NOTICE,
        NOTICE,
        None,
    ),
    (
        "one side silent on the year is no conflict",
        {"year": 2024},
        {},
        NOTICE,
        NOTICE,
        "text similarity 1.00",
    ),
    ("an excerpt under half the notice is not a copy", {}, {}, NOTICE, NOTICE[: len(NOTICE) // 3], None),
    ("unrelated notices", {}, {}, NOTICE, OTHER, None),
    ("same title, no 文号, unrelated text", {"title": TITLE}, {"title": TITLE}, NOTICE, OTHER, None),
]


@pytest.mark.parametrize(("case", "a", "b", "ta", "tb", "want"), PAIRS, ids=[p[0] for p in PAIRS])
def test_pair_rule(case: str, a: dict, b: dict, ta: str, tb: str, want: str | None) -> None:
    found = pair_reason(_copy("a.json", **a), _copy("b.json", **b), ta, tb)
    assert (found[1] if found else None) == want, case
    again = pair_reason(_copy("b.json", **b), _copy("a.json", **a), tb, ta)
    assert (again[1] if again else None) == want, "the rule is symmetric"


def test_a_group_never_holds_two_editions_even_through_an_excerpt() -> None:
    """An excerpt with no year is like both editions; it joins one of them, never both together."""
    copies = {
        "2023.json": _copy("2023.json", year=2023, doc_numbers=N2),
        "2024.json": _copy("2024.json", year=2024, doc_numbers=N1),
        "excerpt.json": _copy("excerpt.json", missing=2),
    }
    scored = [
        ("2023.json", "excerpt.json", 0.97, "text similarity 0.97"),
        ("2024.json", "excerpt.json", 0.98, "text similarity 0.98"),
    ]
    assert conflict(copies["2023.json"], copies["2024.json"]) == "different 文号"
    links = link(copies, scored)
    assert {n: (x.of, x.reason) for n, x in links.items()} == {
        "excerpt.json": ("2024.json", "text similarity 0.98")
    }


def test_canonical_copy_prefers_text_layer_then_complete_then_format_then_fewer_warnings_then_name() -> None:
    copies = {
        "a.scan.pdf.json": _copy("a.scan.pdf.json", ocr=True, format_rank=0),
        "b.txt.json": _copy("b.txt.json", missing=1, format_rank=2),
        "c.html.json": _copy("c.html.json", format_rank=1),
        "d.pdf.json": _copy("d.pdf.json", format_rank=0, warnings=1),
        "e.pdf.json": _copy("e.pdf.json", format_rank=0, warnings=1),
        "f.pdf.json": _copy("f.pdf.json", format_rank=0, warnings=2),
    }
    names = sorted(copies)
    scored = [(a, b, 0.95, "text similarity 0.95") for i, a in enumerate(names) for b in names[i + 1 :]]
    results = set()
    for seed in range(5):  # the order the pairs arrive in never matters
        random.Random(seed).shuffle(scored)
        results.add(tuple(sorted((n, x.of) for n, x in link(copies, scored).items())))
    assert results == {tuple((n, "d.pdf.json") for n in names if n != "d.pdf.json")}


def _ingest(raw: Path, out: Path, *extra: str) -> str:
    buf = io.StringIO()
    with redirect_stdout(buf):
        assert main(["ingest", str(raw), "--out", str(out), "--jobs", "1", *extra]) == 0
    return buf.getvalue()


def _links(out: Path) -> dict[str, object]:
    links = {}
    for p in record_paths(out):
        record = json.loads(p.read_text(encoding="utf-8"))
        links[p.name] = record.get("duplicate_of")
    return links


def _renders(folder: Path) -> None:
    """Seed 000 as text, PDF, web page and Word file (the format fixtures), and seed 004 as text."""
    folder.mkdir(parents=True, exist_ok=True)
    shutil.copy(RAW / f"{XINZHOU}.txt", folder)
    shutil.copy(RAW / f"{LIANYUNGANG}.txt", folder)
    for suffix in (".pdf", ".html", ".docx"):
        shutil.copy(FORMATS / f"{XINZHOU}{suffix}", folder)


@pytest.fixture(scope="module")
def renders(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("renders")
    _renders(root / "raw")
    _ingest(root / "raw", root / "records")
    return root


def test_renders_of_one_notice_are_linked_to_the_document(renders: Path) -> None:
    canonical = f"{XINZHOU}.docx.json"  # docx and pdf rank alike (text layers, complete); then by name
    same = {"of": canonical, "reason": "same 文号 and title"}
    assert _links(renders / "records") == {
        canonical: None,
        f"{XINZHOU}.html.json": same,
        f"{XINZHOU}.pdf.json": same,
        f"{XINZHOU}.txt.json": same,
        f"{LIANYUNGANG}.txt.json": None,
    }


def test_the_batch_says_each_link_once(tmp_path: Path) -> None:
    raw = tmp_path / "raw"
    raw.mkdir()
    shutil.copy(RAW / f"{XINZHOU}.txt", raw)
    shutil.copy(FORMATS / f"{XINZHOU}.html", raw)
    out = tmp_path / "records"
    lines = [line for line in _ingest(raw, out).splitlines() if line.startswith("copy:")]
    assert lines == [
        f"copy: {out}/{XINZHOU}.txt.json is a copy of {out}/{XINZHOU}.html.json (same 文号 and title)"
    ]
    assert "copy:" not in _ingest(raw, out)  # nothing changed: nothing said, nothing rewritten


REPOSTED = ["web-006.txt", "web-040.txt", "web-052.txt"]


@needs_shared
def test_reposts_with_page_furniture_are_linked_to_their_notice(tmp_path: Path) -> None:
    raw = tmp_path / "raw"
    (raw / "mirror").mkdir(parents=True)
    for name in REPOSTED:
        text = (SHARED / "corpus" / "web" / name).read_text(encoding="utf-8")
        (raw / name).write_text(text, encoding="utf-8")
        (raw / "mirror" / name).write_text(HEADER + text + FOOTER, encoding="utf-8")
    out = tmp_path / "records"
    _ingest(raw, out)
    links = _links(out)
    for name in REPOSTED:  # each repost with its own notice, none with another's
        a, b = f"{name}.json", f"mirror__{name}.json"
        linked = [(n, x) for n, x in ((a, links[a]), (b, links[b])) if isinstance(x, dict)]
        assert len(linked) == 1, (name, links[a], links[b])
        copy, dup = linked[0]
        assert (copy, dup["of"]) == (b, a), "the repost, whose furniture costs warnings, is the copy"
        assert dup["reason"].startswith(("text similarity 0.9", "text containment ")), dup
    assert sum(1 for x in links.values() if x) == len(REPOSTED)


def _edition(year: int) -> str:
    """Seed 000 as its city's notice of another year: every year moved, so its 文号 too."""
    seed = SEEDS[0]
    return vary((RAW / seed.file).read_text(encoding="utf-8"), seed.home, seed.home, year)


def test_editions_of_one_citys_notice_are_never_linked(tmp_path: Path) -> None:
    raw = tmp_path / "raw"
    raw.mkdir()
    shutil.copy(RAW / f"{XINZHOU}.txt", raw / "xinzhou_2024.txt")
    (raw / "xinzhou_2023.txt").write_text(_edition(2023), encoding="utf-8")
    assert "忻工信函〔2023〕18号" in _edition(2023)
    out = tmp_path / "records"
    _ingest(raw, out)
    assert _links(out) == {"xinzhou_2023.txt.json": None, "xinzhou_2024.txt.json": None}


def test_the_demo_corpus_of_five_years_and_three_cities_has_no_copies(demo_records: Path) -> None:
    """30 notices that share most of their text (two seeds over 2020–2024 and three cities each)."""
    assert not [n for n, x in _links(demo_records).items() if x]


def _bytes(out: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in record_paths(out)}


def test_incremental_ingest_writes_what_a_run_from_scratch_writes(tmp_path: Path) -> None:
    raw = tmp_path / "raw"
    raw.mkdir()
    shutil.copy(RAW / f"{XINZHOU}.txt", raw)
    shutil.copy(RAW / f"{LIANYUNGANG}.txt", raw)
    out = tmp_path / "records"
    _ingest(raw, out)
    assert not any(_links(out).values())
    for suffix in (".html", ".pdf"):  # each added copy outranks the last: every link is rewritten
        shutil.copy(FORMATS / f"{XINZHOU}{suffix}", raw)
        _ingest(raw, out)
        scratch = tmp_path / f"scratch{suffix}"
        _ingest(raw, scratch)
        assert _bytes(out) == _bytes(scratch)
    assert _links(out)[f"{XINZHOU}.txt.json"] == {
        "of": f"{XINZHOU}.pdf.json",
        "reason": "same 文号 and title",
    }
    (raw / f"{XINZHOU}.pdf").unlink()  # the canonical copy goes: its copies link to the next best
    _ingest(raw, out, "--prune")
    scratch = tmp_path / "scratch-pruned"
    _ingest(raw, scratch)
    assert _bytes(out) == _bytes(scratch)
    again = _ingest(raw, out)
    assert "repaired" not in again and "0 records written" in again


def test_the_canonical_copy_does_not_depend_on_the_order_files_are_given(tmp_path: Path) -> None:
    _renders(tmp_path / "raw")
    files = sorted(str(p) for p in (tmp_path / "raw").iterdir())
    results = []
    for i, order in enumerate([files, files[::-1]]):
        out = tmp_path / f"records{i}"
        buf = io.StringIO()
        with redirect_stdout(buf):
            assert main(["ingest", *order, "--out", str(out), "--jobs", "1"]) == 0
        results.append(_bytes(out))
    assert results[0] == results[1]


def _out(*args: str) -> str:
    buf = io.StringIO()
    with redirect_stdout(buf):
        main(list(args))
    return buf.getvalue()


def test_query_export_and_check_count_each_notice_once_unless_all_copies(
    renders: Path, tmp_path: Path
) -> None:
    data = str(renders / "records")
    sql = "SELECT count(*) AS n, count(duplicate_of) AS copies FROM notices"
    assert _out("query", sql, "--data", data, "--format", "csv") == "n,copies\n2,0\n"
    assert _out("query", sql, "--data", data, "--format", "csv", "--all-copies") == "n,copies\n5,3\n"
    facts = "SELECT count(DISTINCT record_id) AS n FROM requirements"
    assert _out("query", facts, "--data", data, "--format", "csv") == "n\n2\n"
    assert _out("query", facts, "--data", data, "--format", "csv", "--all-copies") == "n\n5\n"
    profile = str(ROOT / "docs" / "profiles" / "doctor.json")
    check = _out("check", "--profile", profile, "--data", data, "--format", "json")
    check_all = _out("check", "--profile", profile, "--data", data, "--format", "json", "--all-copies")
    assert (len(json.loads(check)["results"]), len(json.loads(check_all)["results"])) == (2, 5)
    history = _out("history", "--city", "忻州市", "--data", data, "--format", "json")
    history_all = _out("history", "--city", "忻州市", "--data", data, "--format", "json", "--all-copies")
    assert [t["records"] for t in json.loads(history)] == [[_id(renders, f"{XINZHOU}.docx.json")]]
    assert sum(len(t["records"]) for t in json.loads(history_all)) == 4


def _id(root: Path, name: str) -> str:
    return str(json.loads((root / "records" / name).read_text(encoding="utf-8"))["record_id"])


def test_the_duplicate_pass_reads_no_record_the_batch_has_just_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each worker sends its record's sketch (copy, signature) with it: the driver reads a record
    file only to score a pair or rewrite a link. Two notices of two cities are no pair."""
    raw = tmp_path / "raw"
    raw.mkdir()
    shutil.copy(RAW / f"{XINZHOU}.txt", raw)
    shutil.copy(RAW / f"{LIANYUNGANG}.txt", raw)
    read: list[str] = []
    load = duplicates_folder._load
    monkeypatch.setattr(duplicates_folder, "_load", lambda path: read.append(path.name) or load(path))
    out = tmp_path / "records"
    _ingest(raw, out)
    assert read == []
    assert not any(_links(out).values())
    (out / ".duplicates.json").unlink()  # no cache and no sketch: the records are read
    (raw / "extra.txt").write_text((RAW / f"{XINZHOU}.txt").read_text(encoding="utf-8"), encoding="utf-8")
    _ingest(raw, out)
    assert sorted(set(read)) == sorted(p.name for p in record_paths(out))
    assert _links(out)["extra.txt.json"] == {"of": f"{XINZHOU}.txt.json", "reason": "same 文号 and title"}

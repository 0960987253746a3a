"""One reader for every command: bad record files are named in one line, the good ones still serve.

Each command is run as a user runs it, on a folder holding the two committed
records, a truncated record and a record missing ``facts``, and the exact
stderr lines are checked, along with the good records in the output.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from pipeline.records import BadRecord, NoRecords, iter_records, read_record, record_paths
from tests.conftest import STRUCTURED
from tests.test_query_cli import run

XINZHOU = "000_020e7bca74b620b8.txt.json"
LIANYUNGANG = "004_44f96866d5556162.txt.json"
TRUNCATED_LINE = "truncated: the JSON ends early (Unterminated string starting at: line 3 column 16)"


def _seed(name: str = LIANYUNGANG) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((STRUCTURED / name).read_text(encoding="utf-8"))
    return data


def _where_cut(data: bytes) -> str:
    """Where the standard library's parser says a cut record ends, as 'line N column M'."""
    try:
        json.loads(data)
    except json.JSONDecodeError as exc:
        return f"line {exc.lineno} column {exc.colno}"
    raise AssertionError("the cut record still parses")


def _write(path: Path, value: Any) -> Path:
    path.write_text(json.dumps(value, ensure_ascii=False), encoding="utf-8")
    return path


# (what is in the file, the reason the user reads)
BAD_FILES: list[tuple[str, bytes | Any, str]] = [
    ("truncated", (STRUCTURED / LIANYUNGANG).read_bytes()[:57], TRUNCATED_LINE),
    (
        "truncated at the end",
        (STRUCTURED / LIANYUNGANG).read_bytes()[:-3],
        f"truncated: the JSON ends early (Expecting ',' delimiter: {_where_cut((STRUCTURED / LIANYUNGANG).read_bytes()[:-3])})",
    ),
    (
        "cut inside a character",
        (STRUCTURED / LIANYUNGANG).read_bytes()[:47],
        "truncated: the file ends inside a character",
    ),
    ("empty", b"", "empty file, not a record"),
    ("blank", b"  \n", "empty file, not a record"),
    ("binary junk", b"\x89PNG\r\n\x1a\n\x00\xff", "not UTF-8 text, not a record"),
    ("not JSON", b"record_id: x\n", "not valid JSON (Expecting value: line 1 column 1)"),
    ("an array", b"[1, 2]", "not a policy record: the file holds a JSON array, not an object"),
    ("a string", b'"x"', "not a policy record: the file holds a JSON string, not an object"),
    (
        "another JSON file",
        b'{"name": "x", "version": "1"}',
        "not a policy record: no schema_version, record_id, source, text, notice, clauses, facts, warnings",
    ),
    ("no facts", {k: v for k, v in _seed().items() if k != "facts"}, "not a policy record: no facts"),
    ("no notice", {k: v for k, v in _seed().items() if k != "notice"}, "not a policy record: no notice"),
    (
        "year as text",
        {**_seed(), "notice": {**_seed()["notice"], "year": "2024"}},
        "not a policy record: notice.year must be integer or null",
    ),
    ("facts a list", {**_seed(), "facts": []}, "not a policy record: facts must be object"),
    (
        "fact missing a key",
        {**_seed(), "facts": {**_seed()["facts"], "fees": [{"amount": 1}]}},
        "not a policy record: facts.fees[0] must contain ['clause', 'covers', 'currency', 'id', 'per', 'span', 'text'] properties",
    ),
]


@pytest.mark.parametrize(("what", "content", "reason"), BAD_FILES, ids=[b[0] for b in BAD_FILES])
def test_a_bad_record_is_named_with_its_reason(tmp_path: Path, what: str, content: Any, reason: str) -> None:
    path = tmp_path / "bad.json"
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        _write(path, content)
    with pytest.raises(BadRecord) as caught:
        read_record(path)
    assert caught.value.line() == f"error: {path}: {reason}"


def test_a_good_record_reads_back_as_written() -> None:
    assert read_record(STRUCTURED / XINZHOU) == _seed(XINZHOU)


def test_the_folder_is_records_only(tmp_path: Path) -> None:
    """Manifest, journal, locks, temp files and report's pages are never read as records."""
    shutil.copy(STRUCTURED / XINZHOU, tmp_path / XINZHOU)
    (tmp_path / "sub").mkdir()
    shutil.copy(STRUCTURED / LIANYUNGANG, tmp_path / "sub" / LIANYUNGANG)
    for name in (".manifest.json", ".manifest.jsonl", ".lock", f".{XINZHOU}.123.tmp", "index.html"):
        (tmp_path / name).write_text("{", encoding="utf-8")
    for folder in ("review", "diff", ".build-x"):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "page.json").write_text("{", encoding="utf-8")
    assert record_paths(tmp_path) == [tmp_path / XINZHOU, tmp_path / "sub" / LIANYUNGANG]


def test_iter_records_collects_problems_and_goes_on(tmp_path: Path) -> None:
    shutil.copy(STRUCTURED / XINZHOU, tmp_path / XINZHOU)
    (tmp_path / "a.json").write_bytes(b"{")
    problems: list[Any] = []
    got = [p.name for p, _ in iter_records(tmp_path, problems)]
    assert got == [XINZHOU]
    assert [p.line() for p in problems] == [
        f"error: {tmp_path / 'a.json'}: truncated: the JSON ends early (Expecting property name enclosed in double quotes: line 1 column 2)"
    ]


def test_missing_or_empty_folder(tmp_path: Path) -> None:
    with pytest.raises(NoRecords, match="no such folder"):
        record_paths(tmp_path / "nope")
    with pytest.raises(NoRecords, match="no records"):
        record_paths(tmp_path)


# ---------------------------------------------------------------- every command, as a user runs it


@pytest.fixture
def damaged(tmp_path: Path) -> Path:
    """The two committed records plus a truncated one and one without facts."""
    data = tmp_path / "data"
    data.mkdir()
    for name in (XINZHOU, LIANYUNGANG):
        shutil.copy(STRUCTURED / name, data / name)
    (data / "broken.txt.json").write_bytes((STRUCTURED / LIANYUNGANG).read_bytes()[:57])
    _write(data / "nofacts.txt.json", {k: v for k, v in _seed().items() if k != "facts"})
    return data


def _lines(data: Path) -> str:
    return (
        f"error: {data / 'broken.txt.json'}: {TRUNCATED_LINE}\n"
        f"error: {data / 'nofacts.txt.json'}: not a policy record: no facts\n"
    )


def test_query_names_bad_records_and_answers_from_the_good(damaged: Path, tmp_path: Path) -> None:
    sql = "SELECT record_file FROM notices ORDER BY record_file"
    for attempt in ("builds the cache", "answers from the cache", "--no-cache"):
        extra = ("--no-cache",) if attempt == "--no-cache" else ()
        done = run("query", sql, "--data", str(damaged), "--format", "csv", *extra, cache=tmp_path / "cache")
        assert (done.returncode, done.stderr) == (1, _lines(damaged)), attempt
        assert done.stdout == f"record_file\n{XINZHOU}\n{LIANYUNGANG}\n", attempt


def test_export_names_bad_records_and_writes_the_good(damaged: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    done = run("export", "--data", str(damaged), "--to", f"{out}/")
    assert (done.returncode, done.stderr) == (1, _lines(damaged))
    notices = (out / "notices.csv").read_text(encoding="utf-8-sig")
    assert XINZHOU in notices and LIANYUNGANG in notices and len(notices.strip().splitlines()) == 3


def test_report_names_bad_records_and_lists_the_good(damaged: Path) -> None:
    done = run("report", "--data", str(damaged))
    assert (done.returncode, done.stderr, done.stdout) == (1, _lines(damaged), f"{damaged / 'index.html'}\n")
    index = (damaged / "index.html").read_text(encoding="utf-8")
    assert "2 条记录" in index and "忻州市" in index and "连云港市" in index
    assert sorted(p.name for p in (damaged / "review").iterdir()) == sorted(
        n.replace(".json", ".html") for n in (XINZHOU, LIANYUNGANG)
    )


def test_review_names_a_bad_record_file(damaged: Path, tmp_path: Path) -> None:
    for name, reason in (
        ("broken.txt.json", TRUNCATED_LINE),
        ("nofacts.txt.json", "not a policy record: no facts"),
    ):
        done = run("review", str(damaged / name), "--out", str(tmp_path / "x.html"))
        assert (done.returncode, done.stderr, done.stdout) == (1, f"error: {damaged / name}: {reason}\n", "")
    assert not (tmp_path / "x.html").exists()


def test_review_by_id_names_bad_records_and_finds_the_good(damaged: Path, tmp_path: Path) -> None:
    out = tmp_path / "page.html"
    done = run("review", _seed(XINZHOU)["record_id"], "--data", str(damaged), "--out", str(out))
    assert (done.returncode, done.stdout) == (0, f"{out}\n")
    assert '<mark id="seg-0"' in out.read_text(encoding="utf-8")
    missing = run("review", "no-such-id", "--data", str(damaged))
    assert (missing.returncode, missing.stderr) == (
        1,
        _lines(damaged)
        + f"error: no-such-id: no such record file, and no record with that id under {damaged}\n",
    )


def test_history_names_bad_records_instead_of_skipping_them(damaged: Path) -> None:
    done = run("history", "--city", "忻州市", "--data", str(damaged))
    assert (done.returncode, done.stderr) == (1, _lines(damaged))
    assert done.stdout.startswith("# 忻州市 历年职称评审通知") and "忻工信函〔2024〕18号" in done.stdout


def test_diff_names_a_bad_record(damaged: Path) -> None:
    for name, reason in (
        ("broken.txt.json", TRUNCATED_LINE),
        ("nofacts.txt.json", "not a policy record: no facts"),
    ):
        done = run("diff", str(damaged / XINZHOU), str(damaged / name))
        assert (done.returncode, done.stderr, done.stdout) == (1, f"error: {damaged / name}: {reason}\n", "")


def test_a_folder_of_only_bad_records(tmp_path: Path) -> None:
    (tmp_path / "a.json").write_bytes(b"")
    done = run("query", "SELECT 1", "--data", str(tmp_path), "--no-cache")
    assert (done.returncode, done.stderr) == (
        1,
        f"error: {tmp_path / 'a.json'}: empty file, not a record\n"
        f"error: {tmp_path}: none of its 1 record files could be read\n",
    )

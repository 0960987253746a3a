"""The query/export CLI as a user runs it: exact output lines, exit codes, no tracebacks."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT, STRUCTURED

TABLES = "notices, clauses, service_years, requirements, deadlines, fees, contacts, citations"


CACHE = Path(__file__).resolve().parent / ".." / ".pytest_cache" / "query-tables"


def run(*args: str, cache: Path = CACHE) -> subprocess.CompletedProcess[str]:
    """The CLI in a subprocess, its Parquet cache kept out of the user's ~/.cache."""
    env = {**os.environ, "XDG_CACHE_HOME": str(cache)}
    return subprocess.run(
        [sys.executable, "-m", "pipeline", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
        env=env,
    )


def test_grouped_count_as_table() -> None:
    done = run(
        "query",
        "SELECT city, count(*) AS n FROM notices GROUP BY city ORDER BY city",
        "--data",
        str(STRUCTURED),
    )
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0].split() == ["city", "n"]
    assert lines[-1] == "(2 rows)"
    assert any(line.split() == ["忻州市", "1"] for line in lines)


def test_json_is_one_array_with_iso_dates_and_numbers() -> None:
    done = run(
        "query",
        "SELECT record_id, min(end_date) AS end_date, sum(hours IS NULL) AS n FROM deadlines GROUP BY 1 ORDER BY 1",
        "--data",
        str(STRUCTURED),
        "--format",
        "json",
    )
    assert done.returncode == 0, done.stderr
    rows = json.loads(done.stdout)  # one JSON document, not one per line
    assert isinstance(rows, list) and len(rows) == 2
    assert [sorted(row) for row in rows] == [["end_date", "n", "record_id"]] * 2
    assert all(len(row["end_date"]) == 10 and row["end_date"][4] == "-" for row in rows)
    assert all(isinstance(row["n"], int) for row in rows)  # DuckDB's DECIMAL sum as a number, not "3"


def test_json_of_no_rows_is_an_empty_array() -> None:
    done = run("query", "SELECT * FROM fees WHERE false", "--data", str(STRUCTURED), "--format", "json")
    assert (done.returncode, done.stdout) == (0, "[]\n")


def test_jsonl_is_one_object_per_line() -> None:
    done = run(
        "query",
        "SELECT city, event, end_date FROM deadlines ORDER BY end_date NULLS LAST, event",
        "--data",
        str(STRUCTURED),
        "--format",
        "jsonl",
    )
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    rows = [json.loads(line) for line in lines]
    assert len(rows) > 1 and all(set(row) == {"city", "event", "end_date"} for row in rows)
    assert rows[0]["end_date"][4] == "-"


def test_table_never_cuts_record_id_but_cuts_long_text() -> None:
    ids = sorted(
        json.loads(p.read_text(encoding="utf-8"))["record_id"] for p in sorted(STRUCTURED.glob("[!.]*.json"))
    )
    assert max(len(i) for i in ids) > 30  # long enough that a 40-column cut would have hit it
    done = run("query", "SELECT record_id, title FROM notices ORDER BY record_id", "--data", str(STRUCTURED))
    assert done.returncode == 0, done.stderr
    rows = done.stdout.splitlines()[2:-1]
    assert [row.split()[0] for row in rows] == ids  # whole, so it can be pasted into `review`
    assert all(row.rstrip().endswith("…") for row in rows)  # the titles are still cut


def test_csv_output() -> None:
    done = run("query", "SELECT count(*) AS n FROM notices", "--data", str(STRUCTURED), "--format", "csv")
    assert done.stdout == "n\n2\n"


@pytest.mark.parametrize(
    ("sql", "line"),
    [
        ("SELECT * FROM requirement", f"error: no table named requirement; tables: {TABLES}"),
        ("SELEC 1", 'error: Parser Error: syntax error at or near "SELEC"'),
        (
            "SELECT nope FROM notices",
            'error: Binder Error: Referenced column "nope" not found in FROM clause',
        ),
        ("", "error: empty query; try: SELECT city, count(*) FROM requirements GROUP BY city"),
    ],
)
def test_bad_sql_is_one_clear_line(sql: str, line: str) -> None:
    done = run("query", sql, "--data", str(STRUCTURED))
    assert done.returncode == 1
    assert done.stdout == ""
    assert done.stderr == line + "\n"


def test_missing_data_folder(tmp_path: Path) -> None:
    done = run("query", "SELECT 1", "--data", str(tmp_path / "none"))
    assert (done.returncode, done.stderr) == (
        1,
        f"error: {tmp_path / 'none'}: no such folder (run `make ingest` first)\n",
    )


def test_export_cli_prints_files(tmp_path: Path) -> None:
    done = run("export", "--data", str(STRUCTURED), "--to", str(tmp_path / "r.xlsx"))
    assert (done.returncode, done.stdout) == (0, f"{tmp_path / 'r.xlsx'}\n")
    bad = run("export", "--data", str(STRUCTURED), "--to", str(tmp_path / "r.txt"))
    assert (bad.returncode, bad.stderr) == (
        1,
        f"error: {tmp_path / 'r.txt'}: give FILE.xlsx, FILE.parquet or a folder ending in /\n",
    )


def test_cache_answers_like_the_json_and_follows_a_changed_record(tmp_path: Path) -> None:
    import shutil

    data = tmp_path / "data"
    shutil.copytree(STRUCTURED, data)
    sql = "SELECT record_id, year, count(*) AS n FROM requirements GROUP BY ALL ORDER BY record_id"
    cached = run("query", sql, "--data", str(data), cache=tmp_path / "cache")
    direct = run("query", sql, "--data", str(data), "--no-cache", cache=tmp_path / "cache")
    assert cached.returncode == 0 and cached.stdout == direct.stdout
    assert list((tmp_path / "cache").rglob("requirements.parquet"))  # the cache was really used
    # a re-ingested record must not be answered from stale tables
    path = next(p for p in sorted(data.glob("*.json")) if not p.name.startswith("."))
    record = json.loads(path.read_text(encoding="utf-8"))
    record["notice"]["year"] = 1999
    path.write_text(json.dumps(record, ensure_ascii=False), encoding="utf-8")
    after = run(
        "query",
        "SELECT min(year) AS y FROM requirements",
        "--data",
        str(data),
        "--format",
        "csv",
        cache=tmp_path / "cache",
    )
    assert after.stdout == "y\n1999\n"


def test_review_by_record_id_and_unknown_record(tmp_path: Path) -> None:
    record_id = json.loads((STRUCTURED / "004_44f96866d5556162.txt.json").read_text(encoding="utf-8"))[
        "record_id"
    ]
    out = tmp_path / "page.html"
    done = run("review", record_id, "--data", str(STRUCTURED), "--out", str(out))
    assert (done.returncode, done.stdout) == (0, f"{out}\n")
    assert '<mark id="seg-0"' in out.read_text(encoding="utf-8")
    bad = run("review", "no-such-record", "--data", str(STRUCTURED))
    assert (bad.returncode, bad.stderr) == (
        1,
        f"error: no-such-record: no such record file, and no record with that id under {STRUCTURED}\n",
    )


def test_review_writes_beside_the_records_not_into_the_current_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import shutil

    from pipeline.cli import main

    data = tmp_path / "data"
    shutil.copytree(STRUCTURED, data)
    here = tmp_path / "here"
    here.mkdir()
    monkeypatch.chdir(here)
    record_id = json.loads((data / "004_44f96866d5556162.txt.json").read_text(encoding="utf-8"))["record_id"]
    code = main(["review", record_id, "--data", str(data)])
    page = data / "review" / "004_44f96866d5556162.txt.html"  # where `report` links to it
    assert (code, *capsys.readouterr()) == (0, f"{page}\n", "")
    assert page.is_file() and list(here.iterdir()) == []
    # a record file outside --data: the page goes into review/ beside it
    loose = tmp_path / "loose"
    loose.mkdir()
    shutil.copy(data / "004_44f96866d5556162.txt.json", loose / "x.json")
    code = main(["review", str(loose / "x.json"), "--data", str(data)])
    assert (code, *capsys.readouterr()) == (0, f"{loose / 'review' / 'x.html'}\n", "")
    assert list(here.iterdir()) == []


def test_review_to_an_unwritable_place_is_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from pipeline.cli import main

    blocker = tmp_path / "file"
    blocker.write_text("")
    out = blocker / "page.html"
    code = main(["review", str(STRUCTURED / "004_44f96866d5556162.txt.json"), "--out", str(out)])
    assert (code, *capsys.readouterr()) == (1, "", f"error: {out}: {blocker} is a file, not a folder\n")


def test_report_default_out_is_index_in_data(tmp_path: Path) -> None:
    import shutil

    data = tmp_path / "data"
    shutil.copytree(STRUCTURED, data)
    done = run("report", "--data", str(data))
    assert (done.returncode, done.stdout) == (0, f"{data / 'index.html'}\n")
    assert (data / "index.html").is_file()

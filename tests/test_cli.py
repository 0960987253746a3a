"""The command line as a user sees it: exact lines, exit codes, nothing half-written."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import RAW, ROOT


def run(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "pipeline", *args], capture_output=True, text=True, cwd=cwd, timeout=120
    )


@pytest.fixture()
def bad_files(tmp_path: Path) -> dict[str, Path]:
    files = {
        "empty": tmp_path / "empty.txt",
        "binary": tmp_path / "junk.txt",
        "nuls": tmp_path / "nuls.txt",
        "other": tmp_path / "recipe.txt",
        "archive": tmp_path / "archive.pdf",
        "program": tmp_path / "program.txt",
    }
    files["empty"].write_bytes(b"")
    files["binary"].write_bytes(bytes(range(256)) * 20)
    files["nuls"].write_bytes(b"\x00" * 4096)
    files["other"].write_text("今天天气很好，我们去公园散步，然后回家做饭。", encoding="utf-8")
    files["archive"].write_bytes(b"\x1f\x8b\x08\x00" + b"\x00" * 100)
    files["program"].write_bytes(b"\x7fELF\x02\x01\x01" + b"\x00" * 100)
    return files


EXPECTED = {
    "empty": "empty file",
    "binary": "binary data or unknown text encoding",
    "nuls": "binary data, not text",
    "other": "not a professional-title notice: the text never mentions 职称, 评审 or a title level",
    "archive": "a compressed archive, not a notice (unpack it first)",
    "program": "an executable program, not a notice",
}


@pytest.mark.parametrize("kind", sorted(EXPECTED))
def test_bad_file_gives_one_line_and_the_batch_goes_on(
    kind: str, bad_files: dict[str, Path], tmp_path: Path
) -> None:
    out = tmp_path / "out"
    seed = RAW / "004_44f96866d5556162.txt"
    result = run("ingest", str(bad_files[kind]), str(seed), "--out", str(out), "--jobs", "1")
    assert result.returncode == 1
    assert result.stderr.splitlines() == [f"error: {bad_files[kind]}: {EXPECTED[kind]}"]
    assert sorted(p.name for p in out.glob("[!.]*")) == ["004_44f96866d5556162.txt.json"]


def test_missing_path_and_empty_folder(tmp_path: Path) -> None:
    empty = tmp_path / "nothing"
    empty.mkdir()
    result = run("ingest", str(tmp_path / "nope.txt"), str(empty), "--out", str(tmp_path / "out"))
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        f"error: {tmp_path / 'nope.txt'}: no such file or folder",
        f"error: {empty}: folder has no notice files",
    ]


def test_encodings_are_not_bad_input(tmp_path: Path) -> None:
    text = (RAW / "000_020e7bca74b620b8.txt").read_text(encoding="utf-8")
    import opencc

    traditional = opencc.OpenCC("s2t").convert(text)  # Big5 notices are written in traditional script
    for enc in ("gb18030", "utf-16", "utf-8-sig", "big5"):
        data = (traditional if enc == "big5" else text).encode(
            enc, errors="ignore" if enc == "big5" else "strict"
        )
        (tmp_path / f"notice-{enc}.txt").write_bytes(data)
    result = run("ingest", str(tmp_path), "--out", str(tmp_path / "out"), "--jobs", "1")
    assert result.returncode == 0, result.stderr
    assert "4 records written" in result.stdout


def test_too_large_is_refused_without_reading(tmp_path: Path) -> None:
    big = tmp_path / "huge.txt"
    with big.open("wb") as f:
        f.truncate(51 * 1024 * 1024)
    result = run("ingest", str(big), "--out", str(tmp_path / "out"))
    assert result.returncode == 1
    assert result.stderr.strip() == f"error: {big}: file is 51 MB, larger than any notice (limit 50 MB)"


def test_usage_error_exits_2() -> None:
    result = run("ingest")
    assert result.returncode == 2
    assert "usage:" in result.stderr


def test_success_output_and_summary(tmp_path: Path) -> None:
    result = run("ingest", "data/raw", "--out", str(tmp_path), "--jobs", "1")
    assert result.returncode == 0
    lines = result.stdout.splitlines()
    assert lines[-1] == f"2 records written to {tmp_path}, 0 failed, 0 warnings"
    assert lines[0].startswith("ok data/raw/000_020e7bca74b620b8.txt -> ")


def test_failures_are_listed_again_in_the_end_summary(tmp_path: Path) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    result = run(
        "ingest",
        str(empty),
        str(RAW / "004_44f96866d5556162.txt"),
        "--out",
        str(tmp_path / "out"),
        "--jobs",
        "1",
    )
    tail = result.stdout.splitlines()[-7:]
    assert tail == [
        "summary",
        "  written        1",
        "  unchanged      0",
        "  warnings       0",
        "  failed         1",
        f"    {empty}: empty file",
        f"1 records written to {tmp_path / 'out'}, 1 failed, 0 warnings",
    ]

"""The command line as a user sees it: exact lines, exit codes, nothing half-written."""

from __future__ import annotations

import errno
import io
import json
import os
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


# --- an output folder that cannot be written, and arguments out of range ---------------------------

SEED = RAW / "004_44f96866d5556162.txt"


def _summary_of_one_failure(out: Path, line: str) -> list[str]:
    return [
        "summary",
        "  written        0",
        "  unchanged      0",
        "  warnings       0",
        "  failed         1",
        f"    {line}",
        f"0 records written to {out}, 1 failed, 0 warnings",
    ]


def test_output_path_that_is_a_file(tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.write_text("not a folder", encoding="utf-8")
    result = run("ingest", str(SEED), "--out", str(out))
    assert result.returncode == 1
    assert result.stderr.splitlines() == [f"error: {out}: is a file, not a folder"]
    assert result.stdout.splitlines() == _summary_of_one_failure(out, f"{out}: is a file, not a folder")
    assert out.read_text(encoding="utf-8") == "not a folder"


def test_output_path_under_a_file(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x", encoding="utf-8")
    out = blocker / "records"
    result = run("ingest", str(SEED), str(RAW / "000_020e7bca74b620b8.txt"), "--out", str(out))
    assert result.returncode == 1
    assert result.stderr.splitlines() == [f"error: {out}: {blocker} is a file, not a folder"]
    assert result.stdout.splitlines()[-1] == f"0 records written to {out}, 1 failed, 0 warnings"


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into a read-only folder anyway")
def test_read_only_output_folder(tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    out.chmod(0o555)
    result = run("ingest", str(SEED), "--out", str(out))
    assert result.returncode == 1
    assert result.stderr.splitlines() == [f"error: {out}: cannot write here: permission denied"]


def _batch(paths: list[Path], out: Path) -> tuple[int, list[str]]:
    from pipeline.batch import run_batch
    from pipeline.cli import _files

    stdout = io.StringIO()
    code = run_batch(list(_files([str(p) for p in paths], out)), out, jobs=1, stream=stdout)
    return code, stdout.getvalue().splitlines()


def test_read_only_output_folder_simulated(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """As root the test above cannot fail a write, so the folder's first write is made to fail."""
    import pipeline.manifest

    def refuse(*_: object) -> int:
        raise PermissionError(errno.EACCES, "Permission denied")

    monkeypatch.setattr(pipeline.manifest, "_open", refuse)
    out = tmp_path / "out"
    code, lines = _batch([SEED, RAW / "000_020e7bca74b620b8.txt"], out)
    assert code == 1
    assert capsys.readouterr().err.splitlines() == [f"error: {out}: cannot write here: permission denied"]
    assert lines == _summary_of_one_failure(out, f"{out}: cannot write here: permission denied")


def test_a_folder_that_turns_read_only_mid_batch_stops_the_batch_with_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import pipeline.batch

    calls: list[Path] = []

    def read_only(path: Path, content: str, **_: object) -> None:
        calls.append(path)
        raise OSError(errno.EROFS, "Read-only file system")

    monkeypatch.setattr(pipeline.batch, "write_atomic", read_only)
    out = tmp_path / "out"
    code, lines = _batch([SEED, RAW / "000_020e7bca74b620b8.txt"], out)
    assert code == 1 and len(calls) == 1
    assert capsys.readouterr().err.splitlines() == [f"error: {out}: cannot write here: read-only file system"]
    assert lines[-1] == f"0 records written to {out}, 1 failed, 0 warnings"


def test_a_full_disk_fails_each_record_alone_and_leaves_nothing_half_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """The disk fills up after half of each record is written: no record, no temporary file, one
    line per file, the manifest (still writable) does not remember them, and the next run writes them."""
    import pipeline.store

    real_fdopen = os.fdopen

    class Full:
        def __init__(self, fd: int, *args: object, **kwargs: object) -> None:
            self.f = real_fdopen(fd, *args, **kwargs)  # type: ignore[call-overload]

        def __enter__(self) -> Full:
            return self

        def __exit__(self, *exc: object) -> None:
            self.f.close()

        def write(self, text: str) -> int:
            self.f.write(text[: len(text) // 2])
            raise OSError(errno.ENOSPC, "No space left on device")

    def fdopen(fd: int, *args: object, **kwargs: object) -> object:
        target = os.readlink(f"/proc/self/fd/{fd}")  # a record's temporary file: .<name>.json.<pid>.tmp
        if ".json." in target and ".manifest" not in target:
            return Full(fd, *args, **kwargs)
        return real_fdopen(fd, *args, **kwargs)  # type: ignore[call-overload]

    monkeypatch.setattr(pipeline.store.os, "fdopen", fdopen)
    out = tmp_path / "out"
    seeds = [RAW / "000_020e7bca74b620b8.txt", SEED]
    code, lines = _batch(seeds, out)
    assert code == 1
    assert capsys.readouterr().err.splitlines() == [
        f"error: {p}: cannot write {out / (p.name + '.json')}: no space left on device" for p in seeds
    ]
    assert lines[-1] == f"0 records written to {out}, 2 failed, 0 warnings"
    assert sorted(p.name for p in out.iterdir()) == [".ingest.lock", ".manifest.json"]
    monkeypatch.undo()
    code, lines = _batch(seeds, out)
    assert code == 0 and lines[-1] == f"2 records written to {out}, 0 failed, 0 warnings"


@pytest.mark.parametrize(
    ("option", "value", "message"),
    [
        ("--jobs", "0", "argument --jobs: must be a whole number of at least 1, got 0"),
        ("--jobs", "-2", "argument --jobs: must be a whole number of at least 1, got -2"),
        ("--jobs", "two", "argument --jobs: must be a whole number of at least 1, got 'two'"),
        (
            "--timeout-per-file",
            "0",
            "argument --timeout-per-file: must be a number of seconds above 0, got 0",
        ),
    ],
)
def test_out_of_range_numbers_are_usage_errors(option: str, value: str, message: str, tmp_path: Path) -> None:
    result = run("ingest", str(SEED), "--out", str(tmp_path / "out"), option, value)
    assert result.returncode == 2
    assert result.stderr.splitlines()[-1] == f"python -m pipeline ingest: error: {message}"
    assert not (tmp_path / "out").exists()


def test_make_diff_json_is_only_json(tmp_path: Path) -> None:
    records = [ROOT / "data" / "structured" / f"{p.name}.json" for p in sorted(RAW.glob("*.txt"))]
    # as a user types it at the shell: not as a sub-make of `make test`, which prints its directory
    shell = {k: v for k, v in os.environ.items() if k not in {"MAKELEVEL", "MAKEFLAGS", "MFLAGS"}}
    result = subprocess.run(
        ["make", "-o", ".venv/.installed", "diff", f"A={records[0]}", f"B={records[1]}", "FORMAT=json"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
        env=shell,
    )
    assert result.returncode == 0, result.stderr
    assert isinstance(json.loads(result.stdout), dict)


def test_a_subfolder_that_cannot_be_listed_is_named_not_skipped(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from pipeline.cli import _files

    (tmp_path / "locked").mkdir()
    (tmp_path / "a.txt").write_text("x", encoding="utf-8")
    real = os.scandir

    def scandir(path: object, *args: object) -> object:
        if str(path).endswith("locked"):  # what a folder without read permission gives (root reads it anyway)
            raise PermissionError(errno.EACCES, "Permission denied", str(path))
        return real(path, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "scandir", scandir)
    lines = [i.error.line() if i.error else i.path for i in _files([str(tmp_path)], tmp_path / "out")]
    assert lines == [
        f"error: {tmp_path / 'locked'}: cannot read the folder: permission denied",
        str(tmp_path / "a.txt"),
    ]

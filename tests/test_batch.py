"""Batch ingest: incremental skip, --jobs equivalence, pruning, and a real kill -9 in mid-batch."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from pipeline.record import validate
from tests.conftest import RAW, ROOT


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "pipeline", *args], capture_output=True, text=True, cwd=ROOT, timeout=300
    )


def _corpus(folder: Path, n: int) -> list[Path]:
    """n distinct notices: the seeds with the year changed, so each has its own bytes."""
    folder.mkdir(parents=True, exist_ok=True)
    seeds = [p.read_text(encoding="utf-8") for p in sorted(RAW.glob("*.txt"))]
    out = []
    for i in range(n):
        p = folder / f"n{i:04d}.txt"
        p.write_text(
            seeds[i % 2].replace("2024", str(2000 + i % 60)) + f"\n\n共印{i + 1}份\n", encoding="utf-8"
        )
        out.append(p)
    return out


def _records(out: Path) -> list[Path]:
    return sorted(p for p in out.glob("*.json") if not p.name.startswith("."))


def test_second_run_skips_unchanged_and_redoes_changed(tmp_path: Path) -> None:
    files = _corpus(tmp_path / "raw", 6)
    out = tmp_path / "out"
    first = run("ingest", str(tmp_path / "raw"), "--out", str(out), "--jobs", "1")
    assert first.stdout.splitlines()[-1] == f"6 records written to {out}, 0 failed, 0 warnings"
    files[0].write_text(files[0].read_text(encoding="utf-8").replace("满", "满 "), encoding="utf-8")
    second = run("ingest", str(tmp_path / "raw"), "--out", str(out), "--jobs", "1")
    assert second.stdout.splitlines()[-1] == f"1 records written to {out}, 5 unchanged, 0 failed, 0 warnings"
    forced = run("ingest", str(tmp_path / "raw"), "--out", str(out), "--force", "--jobs", "1")
    assert forced.stdout.splitlines()[-1].startswith("6 records written")


def test_removed_raw_file_is_reported_then_pruned(tmp_path: Path) -> None:
    files = _corpus(tmp_path / "raw", 3)
    out = tmp_path / "out"
    run("ingest", str(tmp_path / "raw"), "--out", str(out), "--jobs", "1")
    files[2].unlink()
    kept = run("ingest", str(tmp_path / "raw"), "--out", str(out), "--jobs", "1")
    assert (
        f"stale: {files[2]} is gone; its record is kept (use --prune to remove it)"
        in kept.stdout.splitlines()
    )
    assert (out / "n0002.txt.json").exists()
    pruned = run("ingest", str(tmp_path / "raw"), "--out", str(out), "--prune", "--jobs", "1")
    assert f"pruned: record of {files[2]} removed" in pruned.stdout.splitlines()
    assert not (out / "n0002.txt.json").exists()


def test_jobs_2_writes_exactly_what_jobs_1_writes(tmp_path: Path) -> None:
    _corpus(tmp_path / "raw", 8)
    a, b = tmp_path / "a", tmp_path / "b"
    run("ingest", str(tmp_path / "raw"), "--out", str(a), "--jobs", "1")
    run("ingest", str(tmp_path / "raw"), "--out", str(b), "--jobs", "2")
    names = [p.name for p in _records(a)]
    assert names == [p.name for p in _records(b)] and len(names) == 8
    for name in names:
        assert (a / name).read_bytes() == (b / name).read_bytes()


def test_unchanged_failure_is_reported_again_without_rereading(tmp_path: Path) -> None:
    bad = tmp_path / "raw" / "empty.txt"
    bad.parent.mkdir()
    bad.write_bytes(b"")
    out = tmp_path / "out"
    first = run("ingest", str(bad), "--out", str(out))
    second = run("ingest", str(bad), "--out", str(out))
    assert first.returncode == second.returncode == 1
    assert second.stderr.strip() == f"error: {bad}: empty file (unchanged since the last run)"


@pytest.mark.slow
def test_kill_9_mid_batch_leaves_only_whole_records_and_a_rerun_finishes(tmp_path: Path) -> None:
    _corpus(tmp_path / "raw", 300)
    out = tmp_path / "out"
    proc = subprocess.Popen(
        [sys.executable, "-m", "pipeline", "ingest", str(tmp_path / "raw"), "--out", str(out), "--jobs", "1"],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and len(_records(out)) < 20:
        time.sleep(0.02)
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
    written = _records(out)
    assert 20 <= len(written) < 300, "the kill should land mid-batch"
    for p in written:
        validate(json.loads(p.read_text(encoding="utf-8")))
    rerun = run("ingest", str(tmp_path / "raw"), "--out", str(out), "--jobs", "2")
    assert rerun.returncode == 0
    assert len(_records(out)) == 300
    assert not list(out.glob(".*.tmp"))
    last = rerun.stdout.splitlines()[-1]
    assert "unchanged" in last, last

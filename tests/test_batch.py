"""Batch ingest: incremental skip, --jobs equivalence, pruning, and a real kill -9 in mid-batch."""

from __future__ import annotations

import hashlib
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

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


# --- records are named by place: nothing lost, nothing let in, nothing damaged left ---------------


def _seed(i: int) -> str:
    return sorted(RAW.glob("*.txt"))[i].read_text(encoding="utf-8")


def _sources(out: Path) -> list[str]:
    """The sha256 of the raw file behind each record (source.path of a file outside the working
    folder is only its name, so the hash is what tells two notice.txt apart)."""
    return sorted(json.loads(p.read_text(encoding="utf-8"))["source"]["sha256"] for p in _records(out))


def _shas(*paths: Path) -> list[str]:
    return sorted(hashlib.sha256(p.read_bytes()).hexdigest() for p in paths)


def test_same_named_files_in_two_folders_keep_both_records(tmp_path: Path) -> None:
    for folder, i in (("a", 0), ("b", 1)):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "notice.txt").write_text(_seed(i), encoding="utf-8")
    out = tmp_path / "out"
    a, b = tmp_path / "a", tmp_path / "b"
    first = run("ingest", str(a), str(b), "--out", str(out), "--jobs", "1")
    assert first.stdout.splitlines()[-1] == f"2 records written to {out}, 0 failed, 0 warnings"
    # two folders given on the command line, one relative name: a short hash of each path tells them apart
    names = [p.name for p in _records(out)]
    assert len(names) == 2 and all(n.startswith("notice.txt~") and n.endswith(".json") for n in names)
    assert _sources(out) == _shas(a / "notice.txt", b / "notice.txt")
    again = run("ingest", str(a), str(b), "--out", str(out), "--jobs", "2")
    assert again.stdout.splitlines()[-1] == f"0 records written to {out}, 2 unchanged, 0 failed, 0 warnings"
    assert [p.name for p in _records(out)] == names


def test_subfolders_name_records_by_their_relative_path(tmp_path: Path) -> None:
    root = tmp_path / "downloads"
    (root / "a").mkdir(parents=True)
    (root / "a" / "通知.txt").write_text(_seed(0), encoding="utf-8")
    (root / "通知.txt").write_text(_seed(1), encoding="utf-8")
    out = tmp_path / "out"
    result = run("ingest", str(root), "--out", str(out), "--jobs", "1")
    assert result.returncode == 0, result.stderr
    assert [p.name for p in _records(out)] == ["a__通知.txt.json", "通知.txt.json"]
    assert _sources(out) == _shas(root / "a" / "通知.txt", root / "通知.txt")


def test_record_names_never_coincide() -> None:
    from pipeline.store import record_names

    names = record_names(
        {"r/a/x.txt": "a/x.txt", "r/a__x.txt": "a__x.txt", "s/A/X.txt": "A/X.txt", "t/y.txt": "y.txt"},
        taken=["y.txt.json"],
    )
    assert len({n.casefold() for n in names.values()}) == 4
    assert all("~" in n for n in names.values())  # each was claimed twice, or its name was taken
    assert record_names({"d/b.txt": "b.txt", "d/c.txt": "c.txt"}) == {
        "d/b.txt": "b.txt.json",
        "d/c.txt": "c.txt.json",
    }
    assert record_names({"q/" + "长" * 200 + ".txt": "长" * 200 + ".txt"})[
        "q/" + "长" * 200 + ".txt"
    ].endswith(".json")
    long = next(iter(record_names({"q/" + "长" * 200 + ".txt": "长" * 200 + ".txt"}).values()))
    assert len(long.encode()) <= 255


def test_a_folder_named_the_old_way_is_migrated_without_duplicates(tmp_path: Path) -> None:
    """Records named by base name (before this fix) whose two files shared one record: both come
    back under their own names, and the old file, which held only one of them, is gone."""
    from pipeline.batch import fingerprint

    for folder, i in (("a", 0), ("b", 1)):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "notice.txt").write_text(_seed(i), encoding="utf-8")
    a, b, out = tmp_path / "a" / "notice.txt", tmp_path / "b" / "notice.txt", tmp_path / "out"
    out.mkdir()
    run("ingest", str(b), "--out", str(tmp_path / "old"))
    (out / "notice.txt.json").write_bytes((tmp_path / "old" / "notice.txt.json").read_bytes())
    sha = {p: hashlib.sha256(p.read_bytes()).hexdigest() for p in (a, b)}
    entries = {str(p): {"sha256": sha[p], "record": "notice.txt.json", "warnings": 0} for p in (a, b)}
    manifest = {"pipeline": fingerprint(), "files": entries}
    (out / ".manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    result = run("ingest", str(tmp_path / "a"), str(tmp_path / "b"), "--out", str(out), "--jobs", "1")
    assert result.stdout.splitlines()[-1] == f"2 records written to {out}, 0 failed, 0 warnings"
    assert not (out / "notice.txt.json").exists()
    assert _sources(out) == _shas(a, b)


def test_a_record_whose_name_changed_is_renamed(tmp_path: Path) -> None:
    root = tmp_path / "root"
    (root / "a").mkdir(parents=True)
    (root / "a" / "notice.txt").write_text(_seed(0), encoding="utf-8")
    out = tmp_path / "out"
    run("ingest", str(root / "a" / "notice.txt"), "--out", str(out))
    assert [p.name for p in _records(out)] == ["notice.txt.json"]
    moved = run("ingest", str(root), "--out", str(out))
    assert moved.stdout.splitlines() == [
        f"renamed: {out / 'notice.txt.json'} -> {out / 'a__notice.txt.json'}",
        f"0 records written to {out}, 1 unchanged, 0 failed, 0 warnings",
    ]
    assert [p.name for p in _records(out)] == ["a__notice.txt.json"]


def test_ingest_never_reads_its_own_output_folder(tmp_path: Path) -> None:
    data = tmp_path / "data"
    _corpus(data / "raw", 2)
    out = data / "structured"
    first = run("ingest", str(data), "--out", str(out), "--jobs", "1")
    assert first.stdout.splitlines()[-1] == f"2 records written to {out}, 0 failed, 0 warnings"
    (out / "index.html").write_text("<html>职称评审 report</html>", encoding="utf-8")
    (out / "review").mkdir()
    (out / "review" / "x.html").write_text("<html>职称评审 review</html>", encoding="utf-8")
    again = run("ingest", str(data), "--out", str(out), "--jobs", "1")
    assert again.stdout.splitlines()[-1] == f"0 records written to {out}, 2 unchanged, 0 failed, 0 warnings"
    assert len(_records(out)) == 2
    # a records folder of another run is not input either, nor is a record named directly
    other = run("ingest", str(data), "--out", str(tmp_path / "elsewhere"), "--jobs", "1")
    assert (
        other.stdout.splitlines()[-1]
        == f"2 records written to {tmp_path / 'elsewhere'}, 0 failed, 0 warnings"
    )
    record = _records(out)[0]
    direct = run("ingest", str(record), "--out", str(out))
    assert direct.stderr.splitlines() == [
        f"error: {record}: written by this pipeline into the records folder {out}, not a notice"
    ]


@pytest.mark.parametrize("damage", ["truncate", "delete", "edit"])
def test_a_damaged_record_is_repaired_not_called_unchanged(tmp_path: Path, damage: str) -> None:
    _corpus(tmp_path / "raw", 2)
    out = tmp_path / "out"
    run("ingest", str(tmp_path / "raw"), "--out", str(out), "--jobs", "1")
    target = out / "n0001.txt.json"
    whole = target.read_bytes()
    if damage == "truncate":
        target.write_bytes(whole[: len(whole) // 2])
    elif damage == "delete":
        target.unlink()
    else:
        target.write_bytes(whole.replace(b'"year": 2001', b'"year": 2002'))
    rerun = run("ingest", str(tmp_path / "raw"), "--out", str(out), "--jobs", "1")
    why = "record file is missing" if damage == "delete" else "record file changed since it was written"
    assert rerun.stdout.splitlines()[0] == f"repaired: {target}: {why}"
    assert (
        rerun.stdout.splitlines()[-1]
        == f"1 records written to {out}, 1 repaired, 1 unchanged, 0 failed, 0 warnings"
    )
    assert target.read_bytes() == whole


# --- a time and memory budget per file; the folder locked for the run ------------------------------


def _in_process(paths: list[Path], out: Path, **kw: object) -> tuple[int, list[str], list[str]]:
    """run_batch in this process (its workers are forked from it, so a monkeypatched
    ``pipeline.workers.process`` is what they run); returns (exit code, stdout lines, stderr lines)."""
    import io

    from pipeline.batch import run_batch
    from pipeline.cli import _files

    stdout = io.StringIO()
    code = run_batch(list(_files([str(p) for p in paths], out)), out, stream=stdout, **kw)  # type: ignore[arg-type]
    return code, stdout.getvalue().splitlines(), []


@pytest.fixture()
def hostile(monkeypatch: pytest.MonkeyPatch) -> None:
    """Files that hang, eat memory or kill their worker, by name; every other file is read as usual."""
    import pipeline.workers as workers

    real = workers.process

    def process(path: str) -> workers.Outcome:
        name = Path(path).name
        if name.startswith("hang"):
            time.sleep(600)
        if name.startswith("hog"):
            hoard = [b"x" * (64 * 1024 * 1024) for _ in range(32)]  # 2 GB, 64 MB at a time
            time.sleep(600 + len(hoard))
        if name.startswith("crash"):
            os.kill(os.getpid(), signal.SIGKILL)  # what the kernel's OOM killer does
        return real(path)

    monkeypatch.setattr(workers, "process", process)


@pytest.mark.parametrize("jobs", [1, 2])
def test_a_file_over_its_time_budget_fails_and_the_batch_goes_on(
    tmp_path: Path, hostile: None, jobs: int, capsys: pytest.CaptureFixture[str]
) -> None:
    from pipeline.batch import Limits

    files = _corpus(tmp_path / "raw", 3)
    hang = tmp_path / "raw" / "hang.txt"
    hang.write_text(_seed(0), encoding="utf-8")
    out = tmp_path / "out"
    start = time.monotonic()
    code, lines, _ = _in_process([tmp_path / "raw"], out, jobs=jobs, limits=Limits(timeout_s=1.5))
    assert time.monotonic() - start < 60
    assert code == 1
    assert capsys.readouterr().err.splitlines() == [
        f"error: {hang}: took longer than 1.5 s (--timeout-per-file)"
    ]
    assert lines[-1] == f"3 records written to {out}, 1 failed, 0 warnings"
    assert len(_records(out)) == len(files)
    # unchanged and with the same budget: reported again without a wait; a bigger budget tries again
    start = time.monotonic()
    code, lines, _ = _in_process([tmp_path / "raw"], out, jobs=jobs, limits=Limits(timeout_s=1.5))
    assert time.monotonic() - start < 1.5
    assert capsys.readouterr().err.splitlines() == [
        f"error: {hang}: took longer than 1.5 s (--timeout-per-file) (unchanged since the last run)"
    ]
    code, lines, _ = _in_process([tmp_path / "raw"], out, jobs=jobs, limits=Limits(timeout_s=2))
    assert capsys.readouterr().err.splitlines() == [
        f"error: {hang}: took longer than 2 s (--timeout-per-file)"
    ]


def test_a_file_over_its_memory_budget_or_crashing_its_worker_fails_alone(
    tmp_path: Path, hostile: None, capsys: pytest.CaptureFixture[str]
) -> None:
    from pipeline.batch import Limits

    _corpus(tmp_path / "raw", 2)
    hog, crash = tmp_path / "raw" / "hog.txt", tmp_path / "raw" / "crash.txt"
    for p in (hog, crash):
        p.write_text(_seed(1), encoding="utf-8")
    out = tmp_path / "out"
    code, lines, _ = _in_process([tmp_path / "raw"], out, jobs=2, limits=Limits(timeout_s=60, memory_mb=1024))
    assert code == 1
    assert capsys.readouterr().err.splitlines() == [
        f"error: {crash}: the worker reading it was killed (SIGKILL)",
        f"error: {hog}: ran out of memory (limit 1024 MB)",
    ]
    assert lines[-1] == f"2 records written to {out}, 2 failed, 0 warnings"


def test_timeout_per_file_on_the_command_line(tmp_path: Path) -> None:
    seed = RAW / "004_44f96866d5556162.txt"
    result = run("ingest", str(seed), "--out", str(tmp_path / "out"), "--timeout-per-file", "0.001")
    assert result.returncode == 1
    assert result.stderr.splitlines() == [f"error: {seed}: took longer than 0.001 s (--timeout-per-file)"]
    assert result.stdout.splitlines()[-1] == f"0 records written to {tmp_path / 'out'}, 1 failed, 0 warnings"


def test_a_second_ingest_into_the_same_folder_waits_for_the_first(tmp_path: Path) -> None:
    import fcntl

    _corpus(tmp_path / "raw", 2)
    out = tmp_path / "out"
    out.mkdir()
    with (out / ".ingest.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "pipeline",
                "ingest",
                str(tmp_path / "raw"),
                "--out",
                str(out),
                "--jobs",
                "1",
            ],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        assert proc.stderr is not None
        assert proc.stderr.readline() == f"waiting: another ingest is writing to {out}\n"
        time.sleep(0.5)
        assert proc.poll() is None and not _records(out)
    stdout, _ = proc.communicate(timeout=120)
    assert proc.returncode == 0
    assert stdout.splitlines()[-1] == f"2 records written to {out}, 0 failed, 0 warnings"


def test_two_concurrent_ingests_keep_each_others_manifest_entries(tmp_path: Path) -> None:
    _corpus(tmp_path / "one", 6)
    _corpus(tmp_path / "two", 6)
    for p in (tmp_path / "two").iterdir():
        p.rename(p.with_name("t" + p.name))
    out = tmp_path / "out"
    procs = [
        subprocess.Popen(
            [sys.executable, "-m", "pipeline", "ingest", str(tmp_path / d), "--out", str(out), "--jobs", "1"],
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for d in ("one", "two")
    ]
    assert [p.wait(timeout=300) for p in procs] == [0, 0]
    manifest = json.loads((out / ".manifest.json").read_text(encoding="utf-8"))
    assert len(manifest["files"]) == 12
    both = run("ingest", str(tmp_path / "one"), str(tmp_path / "two"), "--out", str(out), "--jobs", "1")
    assert both.stdout.splitlines()[-1] == f"0 records written to {out}, 12 unchanged, 0 failed, 0 warnings"


def test_a_file_reached_twice_is_ingested_once(tmp_path: Path) -> None:
    files = _corpus(tmp_path / "raw", 2)
    out = tmp_path / "out"
    result = run(
        "ingest",
        str(tmp_path / "raw"),
        str(files[0]),
        str(tmp_path / "raw" / "." / "n0001.txt"),
        "--out",
        str(out),
    )
    assert result.stdout.splitlines()[-1] == f"2 records written to {out}, 0 failed, 0 warnings"
    assert [p.name for p in _records(out)] == ["n0000.txt.json", "n0001.txt.json"]


_PART = st.text(alphabet="aA_~.通知附件1", min_size=1, max_size=6).filter(lambda s: s not in {".", ".."})


@given(
    st.lists(
        st.tuples(st.sampled_from(["r", "s", "t/u"]), st.lists(_PART, min_size=1, max_size=3)), max_size=12
    )
)
def test_record_names_are_distinct_and_independent_of_input_order(spec: list[tuple[str, list[str]]]) -> None:
    from pipeline.store import record_names

    inputs = {f"{root}/{'/'.join(parts)}": "/".join(parts) for root, parts in spec}
    names = record_names(inputs)
    assert len({n.casefold() for n in names.values()}) == len(inputs)
    assert all(n.endswith(".json") and "/" not in n for n in names.values())
    assert record_names(dict(reversed(list(inputs.items())))) == names

"""``--executor ray``: the records of ``--jobs 1``, a worker killed mid-batch loses nothing, and
the lines a user sees. One local Ray (2 CPUs, no dashboard) for the module."""

from __future__ import annotations

import hashlib
import importlib.util
import io
import json
import logging
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import RAW, ROOT, WEB, needs_shared

WEB_EXCERPTS = ("web-002.txt", "web-010.txt", "web-018.txt", "web-042.txt")


@pytest.fixture(scope="module")
def kill_dir(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """A Ray for the module, its workers told where the test's kill marks are (workers.TEST_KILL_ENV)."""
    ray = pytest.importorskip("ray")
    from pipeline.workers import TEST_KILL_ENV

    folder = tmp_path_factory.mktemp("kill")
    env = pytest.MonkeyPatch()
    env.setenv(TEST_KILL_ENV, str(folder))  # before ray.init: its workers inherit the environment
    env.setenv("RAY_USAGE_STATS_ENABLED", "0")
    ray.init(
        address="local", num_cpus=2, include_dashboard=False, logging_level=logging.ERROR, log_to_driver=False
    )
    try:
        yield folder
    finally:
        ray.shutdown()
        env.undo()


def _batch(paths: list[str], out: Path, executor: object, **kw: object) -> tuple[int, list[str]]:
    from pipeline.batch import run_batch
    from pipeline.cli import _files

    stdout = io.StringIO()
    code = run_batch(list(_files(paths, out)), out, stream=stdout, executor=executor, **kw)  # type: ignore[arg-type]
    return code, stdout.getvalue().splitlines()


def _folder(out: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(out.iterdir()) if p.name != ".ingest.lock"}


def _raw(tmp_path: Path) -> Path:
    raw = tmp_path / "raw"
    shutil.copytree(RAW, raw, ignore=shutil.ignore_patterns(".*"))
    return raw


@needs_shared
def test_ray_writes_byte_for_byte_what_jobs_1_writes(
    kill_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from pipeline.executors import Local
    from pipeline.ray_exec import RayExecutor

    raw = _raw(tmp_path)
    for name in WEB_EXCERPTS:
        shutil.copy(WEB / name, raw / name)
    (raw / "empty.txt").write_bytes(b"")
    (raw / "menu.txt").write_text("今日菜单：米饭，青菜，豆腐汤。\n", encoding="utf-8")
    # the Ray workers started in the repository: a record's source.path is worked out here, not there
    monkeypatch.chdir(tmp_path)
    code, local = _batch(["raw"], tmp_path / "local", Local(1))
    local_err = capsys.readouterr().err
    code_ray, lines = _batch(["raw"], tmp_path / "ray", RayExecutor())
    assert code_ray == code
    assert [line.replace(str(tmp_path / "ray"), str(tmp_path / "local")) for line in lines] == local
    assert capsys.readouterr().err == local_err
    assert code == 1 and "error: raw/empty.txt: empty file" in local_err
    assert _folder(tmp_path / "ray") == _folder(tmp_path / "local")
    # 2 seeds, the web excerpts, the manifest, the duplicates signature cache
    assert len(_folder(tmp_path / "ray")) == len(WEB_EXCERPTS) + 4


def test_a_worker_killed_mid_batch_loses_nothing(
    kill_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Killed once (the process reading the file, or the Ray worker above it): the file is read
    again and its record written; killed on every try: that file alone is reported, with the
    reason, and every other record is written."""
    from pipeline.executors import Local
    from pipeline.ray_exec import RayExecutor

    raw = _raw(tmp_path)
    seed = next(raw.glob("*.txt"))
    marks = ("once", "ray-once", "always", "ray-always")
    for mark in marks:
        shutil.copy(seed, raw / f"{mark}.txt")
        (kill_dir / f"{mark}.txt.{mark}").touch()
    try:
        code, lines = _batch([str(raw)], tmp_path / "ray", RayExecutor())
    finally:
        for mark in marks:
            (kill_dir / f"{mark}.txt.{mark}").unlink(missing_ok=True)
    assert not (kill_dir / "once.txt.once").exists() and not (kill_dir / "ray-once.txt.ray-once").exists()
    assert code == 1
    assert capsys.readouterr().err.splitlines() == [
        f"error: {raw / 'always.txt'}: the worker reading it was killed (SIGKILL), on each of 3 tries",
        f"error: {raw / 'ray-always.txt'}: the Ray worker reading it died on each of 3 tries",
    ]
    assert lines[-1] == f"4 records written to {tmp_path / 'ray'}, 2 failed, 0 warnings"
    _batch([str(raw)], tmp_path / "local", Local(1))
    local = {k: v for k, v in _folder(tmp_path / "local").items() if not k.startswith(".")}
    written = {k: v for k, v in _folder(tmp_path / "ray").items() if not k.startswith(".")}
    assert written == {k: v for k, v in local.items() if k not in {"always.txt.json", "ray-always.txt.json"}}
    assert {"once.txt.json", "ray-once.txt.json"} <= set(written)


def test_the_cli_line_for_a_file_that_kills_its_worker(
    kill_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from pipeline.cli import main

    raw = _raw(tmp_path)
    bad = raw / "bad.txt"
    shutil.copy(next(raw.glob("*.txt")), bad)
    (kill_dir / "bad.txt.always").touch()
    out = tmp_path / "out"
    try:
        code = main(["ingest", str(raw), "--out", str(out), "--executor", "ray"])
    finally:
        (kill_dir / "bad.txt.always").unlink()
    captured = capsys.readouterr()
    assert code == 1
    assert captured.err.splitlines() == [
        f"error: {bad}: the worker reading it was killed (SIGKILL), on each of 3 tries"
    ]
    assert captured.out.splitlines()[-7:] == [
        "summary",
        "  written        2",
        "  unchanged      0",
        "  warnings       0",
        "  failed         1",
        f"    {bad}: the worker reading it was killed (SIGKILL), on each of 3 tries",
        f"2 records written to {out}, 1 failed, 0 warnings",
    ]
    # unchanged: reported again without a Ray task
    code = main(["ingest", str(raw), "--out", str(out), "--executor", "ray"])
    assert code == 1
    assert capsys.readouterr().err.splitlines() == [
        f"error: {bad}: the worker reading it was killed (SIGKILL), on each of 3 tries (unchanged since the last run)"
    ]


def test_the_time_budget_is_kept_on_the_worker(
    kill_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from pipeline.cli import main

    raw = _raw(tmp_path)
    code = main(
        [
            "ingest",
            str(raw),
            "--out",
            str(tmp_path / "out"),
            "--executor",
            "ray",
            "--timeout-per-file",
            "0.001",
        ]
    )
    assert code == 1
    assert capsys.readouterr().err.splitlines() == [
        f"error: {p}: took longer than 0.001 s (--timeout-per-file)" for p in sorted(raw.glob("*.txt"))
    ]


def test_a_worker_with_another_pipeline_refuses_the_file() -> None:
    """A worker machine with another checkout would write other records: the task says so instead."""
    import os

    from pipeline.ray_exec import _read
    from pipeline.workers import Job, Limits

    path = str(next(RAW.glob("*.txt")))
    outcome, died = _read(Job(path, Path(path).read_bytes(), "x.txt"), Limits(), "0123456789abcdef")
    assert not died and outcome.content is None
    assert outcome.error is not None and outcome.error.startswith(
        f"error: {path}: the Ray worker on {os.uname().nodename} runs another version of the pipeline ("
    )
    assert outcome.error.endswith(", not 0123456789abcdef)")


def test_without_ray_the_executor_is_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from pipeline.cli import main

    real = importlib.util.find_spec
    monkeypatch.setattr(
        importlib.util, "find_spec", lambda name, *a: None if name == "ray" else real(name, *a)
    )
    code = main(["ingest", str(RAW), "--out", str(tmp_path / "out"), "--executor", "ray"])
    assert code == 1
    assert (
        capsys.readouterr().err
        == "error: --executor ray needs Ray: pip install -e '.[ray]' (or make setup)\n"
    )
    assert not (tmp_path / "out").exists()


def test_address_without_ray_executor_is_a_usage_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from pipeline.cli import main

    code = main(["ingest", str(RAW), "--out", str(tmp_path / "out"), "--address", "auto"])
    assert code == 1
    assert (
        capsys.readouterr().err == "error: --address is the Ray cluster to use: give it with --executor ray\n"
    )


def test_an_address_where_no_cluster_listens_is_one_line(tmp_path: Path) -> None:
    pytest.importorskip("ray")
    cmd = [sys.executable, "-m", "pipeline", "ingest", "data/raw", "--out", str(tmp_path / "out")]
    result = subprocess.run(
        [*cmd, "--executor", "ray", "--address", "127.0.0.1:1"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert (result.returncode, result.stderr) == (
        1,
        "error: --address 127.0.0.1:1: no Ray cluster to join (connection refused)\n",
    )


def test_the_local_executor_never_imports_ray(tmp_path: Path) -> None:
    code = (
        "import sys; from pipeline.cli import main; "
        f"main(['ingest', 'data/raw', '--out', {str(tmp_path / 'out')!r}, '--jobs', '1']); "
        "assert 'ray' not in sys.modules, 'ray imported'"
    )
    subprocess.run([sys.executable, "-c", code], check=True, cwd=ROOT, timeout=60, capture_output=True)


def test_a_notice_with_attachments_is_read_on_the_worker_with_them(
    kill_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The worker cannot look beside the notice for its 附件 files: the driver sends them (and
    why one could not be read), and the record and manifest key are what local workers give."""
    from pipeline.executors import Local
    from pipeline.ray_exec import RayExecutor
    from tests.test_bundles import _folder_notice

    main = _folder_notice(tmp_path)
    (main.parent / "附件2 申报表.xls").write_bytes(b"\xd0\xcf\x11\xe0 broken")
    monkeypatch.chdir(tmp_path)
    code, local = _batch(["raw"], tmp_path / "local", Local(1))
    code_ray, lines = _batch(["raw"], tmp_path / "ray", RayExecutor())
    assert (code_ray, code) == (0, 0)
    assert [line.replace(str(tmp_path / "ray"), str(tmp_path / "local")) for line in lines] == local
    assert _folder(tmp_path / "ray") == _folder(tmp_path / "local")
    record = json.loads((tmp_path / "ray" / "n1__通知.txt.json").read_bytes())
    assert [a["clause"] for a in record["source"]["attachments"]] == ["att1"]
    assert any(w.startswith("attachment 附件2 申报表.xls not read: ") for w in record["warnings"])


def test_a_notice_with_attachments_that_kills_its_worker_is_keyed_as_its_bundle(
    kill_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """The failure is kept under the bundle's manifest key, as a local worker keeps it: the next
    run says it is unchanged instead of killing three more workers (it was keyed by the notice's
    own sha256, which never equals a bundle's key)."""
    from pipeline.manifest import read_manifest
    from pipeline.ray_exec import RayExecutor
    from pipeline.workers import file_sha256
    from tests.test_bundles import _folder_notice

    main = _folder_notice(tmp_path)
    monkeypatch.chdir(tmp_path)
    (kill_dir / f"{main.name}.always").touch()  # the process reading it dies
    try:
        code, _ = _batch(["raw"], tmp_path / "ray", RayExecutor())
        assert code == 1
        (entry,) = read_manifest(tmp_path / "ray")["files"].values()
        key = file_sha256(str(main))
        assert entry["sha256"] == key and key != hashlib.sha256(main.read_bytes()).hexdigest()
        code, _ = _batch(["raw"], tmp_path / "ray", RayExecutor())
        assert code == 1
        err = capsys.readouterr().err.splitlines()
        assert (
            err[-1]
            == f"error: {Path('raw/n1/通知.txt')}: the worker reading it was killed (SIGKILL), on each of 3 tries (unchanged since the last run)"
        )
    finally:
        (kill_dir / f"{main.name}.always").unlink()


def _scan_pages(dest: Path, n: int) -> None:
    """The first ``n`` pages of a seed scan, as a PDF of their own."""
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument.new()
    pdf.import_pages(
        pdfium.PdfDocument(ROOT / "tests/fixtures/formats/004_44f96866d5556162.scan.pdf"), list(range(n))
    )
    pdf.save(dest)


@pytest.mark.slow
def test_a_scan_read_page_by_page_loses_nothing_when_a_page_reader_dies(
    kill_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """A scan's pages are OCR'd a Ray task each and the record is the one ``--jobs 1`` writes,
    when the first page task's Ray worker dies and then the process reading a page (each tried
    again); a scan whose every page kills its reader fails alone, with the file's own line."""
    from pipeline.executors import Local
    from pipeline.ray_exec import RayExecutor

    raw = tmp_path / "raw"
    raw.mkdir()
    _scan_pages(raw / "scan.pdf", 2)
    monkeypatch.chdir(tmp_path)
    code, _ = _batch(["raw"], tmp_path / "local", Local(1))
    assert code == 0
    shutil.copy(raw / "scan.pdf", raw / "bad.pdf")  # after: two copies would be linked as duplicates
    marks = [
        kill_dir / "scan.pdf.ray-page-once",
        kill_dir / "scan.pdf.page-once",
        kill_dir / "bad.pdf.page-always",
    ]
    for mark in marks:
        mark.touch()
    executor = RayExecutor()
    try:
        code, lines = _batch(["raw"], tmp_path / "ray", executor)
        struck = not marks[0].exists() and not marks[1].exists()
    finally:
        for mark in marks:
            mark.unlink(missing_ok=True)
    assert struck  # both
    assert code == 1
    assert capsys.readouterr().err.splitlines() == [
        "error: raw/bad.pdf: the worker reading it was killed (SIGKILL), on each of 3 tries"
    ]
    assert lines[-1].startswith(f"1 records written to {tmp_path / 'ray'}, 1 failed, ")
    assert (tmp_path / "ray" / "scan.pdf.json").read_bytes() == (
        tmp_path / "local" / "scan.pdf.json"
    ).read_bytes()
    assert executor.page_nodes.total() >= 2  # the scan's two pages (and bad.pdf's none) read as page tasks


@pytest.mark.slow
def test_an_attachments_scan_is_read_page_by_page(
    kill_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A notice whose 附件 is a scanned PDF: the attachment's pages are OCR'd a Ray task each (not
    in the notice's task), one of them again when its reading process dies, and the record and
    manifest are the ones ``--jobs 1`` writes."""
    from pipeline.executors import Local
    from pipeline.ray_exec import RayExecutor
    from tests.test_bundles import _folder_notice

    main = _folder_notice(tmp_path)
    _scan_pages(main.parent / "附件2 申报表.pdf", 2)
    monkeypatch.chdir(tmp_path)
    code, local = _batch(["raw"], tmp_path / "local", Local(1))
    mark = kill_dir / f"{main.name}.page-once"  # a page task names the notice it is for
    mark.touch()
    executor = RayExecutor()
    try:
        code_ray, lines = _batch(["raw"], tmp_path / "ray", executor)
        struck = not mark.exists()
    finally:
        mark.unlink(missing_ok=True)
    assert struck
    assert (code_ray, code) == (0, 0)
    assert [line.replace(str(tmp_path / "ray"), str(tmp_path / "local")) for line in lines] == local
    assert _folder(tmp_path / "ray") == _folder(tmp_path / "local")
    record = json.loads((tmp_path / "ray" / "n1__通知.txt.json").read_bytes())
    assert [a["clause"] for a in record["source"]["attachments"][:2]] == ["att1", "att2"]
    assert executor.page_nodes.total() == 2  # the attachment's two pages, each a page task

#!/usr/bin/env python3
"""One multi-page scan through ``--executor ray``: a task per page beside one task per file.

    .venv/bin/python bench/ray_pages.py              # a local Ray with 2 CPUs, 2 rounds
    .venv/bin/python bench/ray_pages.py --cpus 4 --rounds 3

The 7-page seed scan (tests/fixtures/formats/000_….scan.pdf) is ingested alone, again and
again, by a Ray of ``--cpus`` CPUs: with its pages OCR'd a task each (``RayExecutor()``, the
default) and in one task (``RayExecutor(split=False)``, what ``--executor ray`` did before), the
two interleaved round by round, the order alternating, since other sessions share the cores.
Each run prints its wall time and the CPU time of every process the run's Ray started (its
workers and their reading processes; ``/proc``), and the machine's load beside it, so a ratio
can be read against how busy the cores were ("cores": Ray CPU over wall, what the run got of
the machine). A first, uncounted run loads the OCR model in each worker. The records of both are checked equal to ``--jobs 1``'s.
"""

from __future__ import annotations

import argparse
import importlib.util
import io
import logging
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
SCAN = ROOT / "tests/fixtures/formats/000_020e7bca74b620b8.scan.pdf"
WARM = ROOT / "tests/fixtures/formats/004_44f96866d5556162.scan.pdf"
_TICK = os.sysconf("SC_CLK_TCK")


def _tree_cpu(root: int) -> float:
    """CPU seconds (user + system, with reaped children's) of every process under ``root``."""
    parents: dict[int, int] = {}
    times: dict[int, float] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rpartition(")")[2].split()
        except OSError:
            continue
        parents[int(entry.name)] = int(fields[1])
        times[int(entry.name)] = sum(int(x) for x in fields[11:15]) / _TICK
    total, todo = 0.0, [root]
    while todo:
        pid = todo.pop()
        kids = [p for p, parent in parents.items() if parent == pid]
        total += sum(times[k] for k in kids)
        todo.extend(kids)
    return total


def _busy() -> tuple[int, int]:
    with open("/proc/stat") as f:
        cpu = [int(x) for x in f.readline().split()[1:]]
    return sum(cpu) - cpu[3] - cpu[4], sum(cpu)


def _run(src: Path, out: Path, executor: Any) -> tuple[float, float, float, dict[str, bytes]]:
    from pipeline.batch import run_batch
    from pipeline.cli import _files

    shutil.rmtree(out, ignore_errors=True)
    busy0, all0 = _busy()
    cpu0 = _tree_cpu(os.getpid())
    start = time.perf_counter()
    code = run_batch(list(_files([str(src)], out)), out, stream=io.StringIO(), executor=executor)
    wall = time.perf_counter() - start
    cpu = _tree_cpu(os.getpid()) - cpu0
    busy1, all1 = _busy()
    assert code == 0, f"ingest of {src} failed"
    records = {p.name: p.read_bytes() for p in out.iterdir() if p.suffix == ".json" and p.name[0] != "."}
    return wall, cpu, (busy1 - busy0) / max(1, all1 - all0), records


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--cpus", type=int, default=2, help="CPUs of the local Ray (default 2)")
    parser.add_argument("--rounds", type=int, default=2, help="interleaved rounds (default 2)")
    args = parser.parse_args()
    if importlib.util.find_spec("ray") is None:
        print("ray pages: skipped: Ray is not installed (pip install -e '.[ray]')")
        return
    os.environ.setdefault("RAY_USAGE_STATS_ENABLED", "0")
    import ray

    from pipeline.executors import Local
    from pipeline.ray_exec import RayExecutor

    with tempfile.TemporaryDirectory() as tmp_s:
        tmp = Path(tmp_s)
        for scan in (SCAN, WARM):
            (tmp / scan.stem).mkdir()
            shutil.copy(scan, tmp / scan.stem / scan.name)
        # started here, in the checkout: its workers import this checkout's pipeline
        ray.init(
            address="local",
            num_cpus=args.cpus,
            include_dashboard=False,
            logging_level=logging.ERROR,
            log_to_driver=False,
        )
        try:
            _run(tmp / WARM.stem, tmp / "warm", RayExecutor())  # the model loaded in each worker
            runs: dict[str, list[tuple[float, float, float]]] = {"page tasks": [], "one task per file": []}
            seen: dict[str, dict[str, bytes]] = {}
            for n in range(args.rounds):
                order = list(runs) if n % 2 == 0 else list(reversed(runs))
                for name in order:
                    executor = RayExecutor(split=name == "page tasks")
                    wall, cpu, busy, seen[name] = _run(tmp / SCAN.stem, tmp / "out", executor)
                    runs[name].append((wall, cpu, busy))
                    print(
                        f"round {n + 1} {name:<18} wall {wall:6.1f} s  Ray CPU {cpu:6.1f} s "
                        f"({cpu / wall:.2f} cores)  machine busy {busy:4.0%}",
                        flush=True,
                    )
        finally:
            ray.shutdown()
        local = _run(tmp / SCAN.stem, tmp / "local", Local(1))[3]  # (a cold process: not timed)
        assert all(records == local for records in seen.values()), "records differ from --jobs 1"
    pages = 7
    split, whole = (min(r[0] for r in runs[k]) for k in ("page tasks", "one task per file"))
    print(
        f"{SCAN.name} ({pages} scanned pages), {args.cpus} Ray CPUs: best wall {split:.1f} s with page "
        f"tasks, {whole:.1f} s with one task per file: {whole / split:.2f}x; records equal --jobs 1"
    )


if __name__ == "__main__":
    main()

"""Query store over 100,000 records: cold build, one-record updates and a grouped query, with peak memory.

The records are made from the committed seed records (data/structured) with the
place, year, series, service years and counts varied by a fixed random seed, and
written as real record files (~12 GB at 100,000), so the store reads them the
way it reads an analyst's folder.  Ingesting 100,000 notices would only measure
the extractor; this measures the query layer.

Each step runs in its own process, as ``python -m pipeline query`` would, and
reports its time and its peak resident memory (``ru_maxrss``; for the cold
build also the largest of its worker processes):

1. cold build: the store made from nothing;
2. update after one new record file, one changed record, one removed record;
3. the grouped queries on the up-to-date store (median of 5, store open).

Targets: an update ≤ 3 s, a grouped query ≤ 1 s, every process ≤ 4 GB.

    .venv/bin/python bench/query.py [--n 100000] [--records DIR] [--jobs N]

``--records DIR`` keeps the generated records in DIR (outside the repository)
for the next run, ``--cache DIR`` the store; by default both go to a temporary
folder, deleted after.  On a busy machine the CPU seconds (the process and its
workers) say more than the wall time.
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import orjson

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pipeline.records import record_paths  # noqa: E402

PLACES = [
    ("山西省", "忻州市"),
    ("山西省", "太原市"),
    ("山西省", "大同市"),
    ("江苏省", "连云港市"),
    ("江苏省", "南京市"),
    ("江苏省", "苏州市"),
    ("湖南省", "衡阳市"),
    ("湖南省", "岳阳市"),
    ("四川省", "成都市"),
    ("广东省", "深圳市"),
    ("山东省", "济南市"),
    ("陕西省", "西安市"),
]
SERIES = ["工程系列", "卫生系列", "农业系列", "经济系列", "中小学教师系列"]
QUERIES = {
    "requirements by province and kind": (
        "SELECT province, kind, count(*) AS n, count(DISTINCT record_id) AS notices "
        "FROM requirements GROUP BY ALL ORDER BY n DESC LIMIT 5"
    ),
    "avg service years by degree": (
        "SELECT degree, round(avg(years), 2) AS avg_years, count(*) AS n "
        "FROM service_years GROUP BY ALL ORDER BY n DESC LIMIT 5"
    ),
}
STAMP = ".bench-records"
GB = 1024**3


class Varier:
    """Synthetic records from the seeds: the seed dict changed in place and serialised (no deep copy)."""

    def __init__(self) -> None:
        self.seeds = [orjson.loads(p.read_bytes()) for p in record_paths(ROOT / "data" / "structured")]
        self.base = [
            (
                [f["years"] for f in s["facts"].get("service_years") or []],
                [f["min_count"] for f in s["facts"].get("requirements") or []],
            )
            for s in self.seeds
        ]

    def record(self, i: int, rng: random.Random, tag: str = "bench") -> bytes:
        k = i % len(self.seeds)
        r: dict[str, Any] = self.seeds[k]
        years, counts = self.base[k]
        province, city = rng.choice(PLACES)
        year = rng.randint(2015, 2025)
        r["notice"].update(province=province, city=city, year=year, series=rng.choice(SERIES))
        r["record_id"] = f"{city}-{year}-{tag}-{i:06d}"
        for f, y in zip(r["facts"].get("service_years") or [], years, strict=True):
            f["years"] = max(1, y + rng.choice((-1, 0, 0, 1)))
        for f, c in zip(r["facts"].get("requirements") or [], counts, strict=True):
            f["min_count"] = max(1, c + rng.choice((-1, 0, 0, 1)))
        return orjson.dumps(r)


def generate(folder: Path, n: int) -> float:
    """Write n records into folder (unless a previous run left exactly these); seconds spent."""
    stamp = folder / STAMP
    if stamp.is_file() and stamp.read_text() == str(n):
        return 0.0
    t0 = time.perf_counter()
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    varier, rng = Varier(), random.Random(20241009)
    for i in range(n):
        (folder / f"bench-{i:06d}.json").write_bytes(varier.record(i, rng))
    stamp.write_text(str(n))
    return time.perf_counter() - t0


def child(step: str, records: Path, jobs: int | None) -> None:
    """One step in this process: print its seconds and peak memory as one JSON line."""
    from pipeline.query.cache import cached_tables
    from pipeline.query.sql import run_query

    out: dict[str, Any] = {}
    if step == "query":
        with cached_tables(records) as tables:
            for name, sql in QUERIES.items():
                times = []
                for _ in range(5):
                    t0, c0 = time.perf_counter(), cpu()
                    result = run_query(tables, sql)
                    times.append((time.perf_counter() - t0, cpu() - c0))
                wall, used = sorted(times)[2]
                out[name] = {"seconds": wall, "cpu": used, "result": result.to_string(index=False)}
            counts = run_query(tables, "SELECT count(*) AS n FROM notices")
            out["notices"] = int(counts["n"][0])
    else:
        t0, c0 = time.perf_counter(), cpu()
        cached_tables(records, jobs=jobs).close()
        out["seconds"], out["cpu"] = time.perf_counter() - t0, cpu() - c0
    out["rss"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    out["rss_workers"] = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * 1024
    print(json.dumps(out, ensure_ascii=False))


def cpu() -> float:
    """CPU seconds of this process and its finished workers: on a busy machine, what the step itself cost."""
    own, workers = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + workers.ru_utime + workers.ru_stime


def step(name: str, records: Path, cache: Path, jobs: int | None) -> dict[str, Any]:
    import os

    env = {**os.environ, "XDG_CACHE_HOME": str(cache)}
    cmd = [sys.executable, __file__, "--child", name, "--records", str(records)]
    if jobs:
        cmd += ["--jobs", str(jobs)]
    t0 = time.perf_counter()
    done = subprocess.run(cmd, capture_output=True, text=True, env=env, check=False)
    if done.returncode != 0:
        raise SystemExit(f"{name} failed: {done.stderr.strip()}")
    result: dict[str, Any] = json.loads(done.stdout.splitlines()[-1])
    result["process"] = time.perf_counter() - t0
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=100_000, help="records to generate (default 100000)")
    parser.add_argument("--records", type=Path, help="keep the records here for the next run")
    parser.add_argument("--cache", type=Path, help="keep the store here (XDG_CACHE_HOME) for the next run")
    parser.add_argument("--jobs", type=int, help="processes for the cold build (default: up to 4 cores)")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child, args.records, args.jobs)
        return 0
    with tempfile.TemporaryDirectory(prefix="bench-query-") as tmp:
        records = args.records or Path(tmp) / "records"
        cache = args.cache or Path(tmp) / "cache"
        t_gen = generate(records, args.n)
        print(f"records: {args.n} in {records}" + (f" (generated in {t_gen:.0f} s)" if t_gen else " (kept)"))
        varier, rng = Varier(), random.Random(7)
        kept = any((cache / "zhicheng-pipeline" / "store").glob("*/manifest.json"))
        first = "first update (kept store)" if kept else "cold build"  # the cold build was a former run's
        rows: list[tuple[str, dict[str, Any]]] = [(first, step("build", records, cache, args.jobs))]
        added = records / "bench-new.json"
        added.write_bytes(varier.record(args.n, rng, "new"))
        rows.append(("update: 1 new record", step("update", records, cache, None)))
        changed = records / f"bench-{args.n // 2:06d}.json"
        original = changed.read_bytes()
        changed.write_bytes(varier.record(args.n // 2, rng, "changed"))
        rows.append(("update: 1 changed record", step("update", records, cache, None)))
        added.unlink()
        rows.append(("update: 1 removed record", step("update", records, cache, None)))
        queried = step("query", records, cache, None)
        changed.write_bytes(original)  # a kept folder stays as generated
    worst = 0
    for label, r in rows:
        worst = max(worst, r["rss"], r["rss_workers"])
        print(
            f"{label:26} {r['seconds']:7.2f} s, CPU {r['cpu']:.2f} s  (process {r['process']:.2f} s)  "
            f"peak {r['rss'] / GB:.2f} GB"
            + (f", workers {r['rss_workers'] / GB:.2f} GB" if r["rss_workers"] else "")
        )
    worst = max(worst, queried["rss"])
    assert queried["notices"] == args.n, queried["notices"]
    for name in QUERIES:
        q = queried[name]
        print(f"query: {name:34} {q['seconds'] * 1000:5.0f} ms, CPU {q['cpu'] * 1000:.0f} ms (median of 5)")
        print("  " + queried[name]["result"].replace("\n", "\n  "))
    print(f"query process peak {queried['rss'] / GB:.2f} GB")
    updates = [r["seconds"] for label, r in rows if label.startswith("update")]
    query_s = max(queried[name]["seconds"] for name in QUERIES)
    ok = max(updates) <= 3.0 and query_s <= 1.0 and worst <= 4 * GB
    print(
        "PASS: updates ≤ 3 s, grouped queries ≤ 1 s, peak ≤ 4 GB" if ok else "FAIL (targets 3 s, 1 s, 4 GB)"
    )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())

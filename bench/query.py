"""Query speed over 10,000 records: does a grouped count still answer in under a second?

The records are made from the committed seed records (data/structured) with the
place, year, series, service years and counts varied by a fixed random seed, and
written as real record files to a temporary folder, so loading goes through the
same ``load_records`` an analyst uses.  Ingesting 10,000 notices would only
measure the extractor; this measures the query layer.

Printed: loading the JSON into tables (paid once per session in pandas or a
notebook), the grouped count query on loaded tables (the target: < 1 s), and
the whole ``python -m pipeline query`` command end to end, first with a cold
Parquet cache (it reads every JSON file and writes the cache) and then warm.

    .venv/bin/python bench/query.py [--n 10000]
"""

from __future__ import annotations

import argparse
import copy
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pipeline.query.sql import run_query  # noqa: E402
from pipeline.query.tables import load_records, record_files  # noqa: E402

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
QUERY = (
    "SELECT province, year, kind, count(*) AS n, count(DISTINCT record_id) AS notices "
    "FROM requirements GROUP BY ALL ORDER BY n DESC LIMIT 5"
)


def vary(seed: dict[str, Any], i: int, rng: random.Random) -> dict[str, Any]:
    """One synthetic record: the seed with its place, year, series and numbers changed."""
    r = copy.deepcopy(seed)
    province, city = rng.choice(PLACES)
    year = rng.randint(2015, 2025)
    n = r["notice"]
    n.update(province=province, city=city, year=year, series=rng.choice(SERIES))
    r["record_id"] = f"{city}-{year}-bench-{i:05d}"
    for f in r["facts"].get("service_years") or []:
        f["years"] = max(1, f["years"] + rng.choice((-1, 0, 0, 1)))
    for f in r["facts"].get("requirements") or []:
        f["min_count"] = max(1, f["min_count"] + rng.choice((-1, 0, 0, 1)))
    return r


def generate(folder: Path, n: int) -> None:
    seeds = [json.loads(p.read_text(encoding="utf-8")) for p in record_files(ROOT / "data" / "structured")]
    rng = random.Random(20241009)
    for i in range(n):
        record = vary(seeds[i % len(seeds)], i, rng)
        (folder / f"bench-{i:05d}.json").write_text(json.dumps(record, ensure_ascii=False), encoding="utf-8")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=10_000, help="records to generate (default 10000)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-query-") as tmp:
        folder = Path(tmp)
        t0 = time.perf_counter()
        (folder / "records").mkdir()
        generate(folder / "records", args.n)
        t_gen = time.perf_counter() - t0

        t0 = time.perf_counter()
        tables = load_records(folder / "records")
        t_load = time.perf_counter() - t0

        timings = []
        for _ in range(5):
            t0 = time.perf_counter()
            result = run_query(tables, QUERY)
            timings.append(time.perf_counter() - t0)
        t_query = sorted(timings)[len(timings) // 2]

        records = folder / "records"
        cli_times = []
        env = {**os.environ, "XDG_CACHE_HOME": str(folder / "cache")}
        for _ in range(2):  # cold cache, then warm
            t0 = time.perf_counter()
            cli = subprocess.run(
                [sys.executable, "-m", "pipeline", "query", QUERY, "--data", str(records)],
                cwd=ROOT,
                capture_output=True,
                text=True,
                check=False,
                env=env,
            )
            cli_times.append(time.perf_counter() - t0)

    print(f"records: {args.n}  rows: " + ", ".join(f"{name} {len(frame)}" for name, frame in tables.items()))
    print(f"query:   {QUERY}")
    print(result.to_string(index=False))
    print(
        f"generate {t_gen:.2f} s | load_records {t_load:.2f} s | grouped count (median of 5) {t_query * 1000:.0f} ms "
    )
    print(f"CLI end to end: cold cache {cli_times[0]:.2f} s, warm cache {cli_times[1]:.2f} s")
    ok = t_query < 1.0 and cli.returncode == 0
    if cli.returncode == 0:
        print("CLI (warm) output:\n" + cli.stdout.rstrip())
    print(
        "PASS: grouped count under 1 s"
        if ok
        else f"FAIL (target 1 s; cli rc {cli.returncode}: {cli.stderr.strip()})"
    )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())

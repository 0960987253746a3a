"""``make bench``: end-to-end speed of text ingest against a floor measured in the same run.

300 notices are made from the seeds with years, counts, dates and numbers
varied (fixed random seed). The floor is what any extractor must pay:
reading the files and running twenty extraction regexes over them.
"""

from __future__ import annotations

import importlib.util
import random
import re
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
N = 300
N_BATCH = 1000
FLOOR_PATTERNS = [
    r"满\s*\d+\s*年",
    r"\d+\s*年以上",
    r"\d+\s*项以上",
    r"\d+\s*篇",
    r"\d+\s*部",
    r"\d+\s*次",
    r"\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日",
    r"\d{1,2}\s*月\s*\d{1,2}\s*日",
    r"\d+\s*元",
    r"[\u4e00-\u9fff]{1,12}〔\d{4}〕\d+号",
    r"《[^》]+》",
    r"0\d{2,3}-\d{7,8}",
    r"[\w.]+@[\w.]+",
    r"https?://\S+",
    r"^[一二三四五六七八九十]+、",
    r"^[（(][一二三四五六七八九十]+[）)]",
    r"^\d+[.、]",
    r"^[（(]\d+[）)]",
    r"博士|硕士|本科|大专|中专",
    r"联系人|联系电话",
]


def make_corpus(folder: Path, n: int = N) -> list[Path]:
    rng = random.Random(20241123)
    seeds = [p.read_text(encoding="utf-8") for p in sorted((ROOT / "data" / "raw").glob("*.txt"))]
    out = []
    for i in range(n):
        text = seeds[i % len(seeds)]
        year = rng.randint(2019, 2030)
        text = re.sub(r"20(2[0-9])", lambda m, y=year: str(y + int(m.group(1)) - 24), text)
        text = re.sub(
            r"(满\s*)(\d+)", lambda m: f"{m.group(1)}{max(1, int(m.group(2)) + rng.randint(-1, 2))}", text
        )
        text = re.sub(
            r"(\d+)(\s*项以上)", lambda m: f"{max(1, int(m.group(1)) + rng.randint(0, 2))}{m.group(2)}", text
        )
        text = re.sub(
            r"(\d{1,2})(\s*月\s*)(\d{1,2})(\s*日)",
            lambda m: f"{m.group(1)}{m.group(2)}{rng.randint(1, 28)}{m.group(4)}",
            text,
        )
        p = folder / f"notice-{i:04d}.txt"
        p.write_text(text + f"\n共印{i + 1}份\n", encoding="utf-8")
        out.append(p)
    return out


def floor(files: list[Path]) -> float:
    patterns = [re.compile(p, re.M) for p in FLOOR_PATTERNS]
    t = time.perf_counter()
    hits = 0
    for f in files:
        text = f.read_text(encoding="utf-8")
        for p in patterns:
            hits += len(p.findall(text))
    return time.perf_counter() - t


def timed(cmd: list[str]) -> float:
    t = time.perf_counter()
    subprocess.run(cmd, check=True, cwd=ROOT, stdout=subprocess.DEVNULL)
    return time.perf_counter() - t


def ingest(src: Path, out: Path, *extra: str) -> list[str]:
    """The command line of one timed ingest run."""
    return [sys.executable, "-m", "pipeline", "ingest", str(src), "--out", str(out), *extra]


def main() -> int:
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "raw"
        src.mkdir()
        files = make_corpus(src)
        floor_s = min(floor(files) for _ in range(3))
        startup = min(timed([sys.executable, "-m", "pipeline", "ingest", "--help"]) for _ in range(3))
        wall = {jobs: timed(ingest(src, Path(tmp) / f"out{jobs}", "--jobs", str(jobs))) for jobs in (1, 2)}
        peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024  # before Ray's processes
        ray_row = "skipped: Ray is not installed (pip install -e '.[ray]')"
        if importlib.util.find_spec("ray") is not None:
            ray_s = timed(ingest(src, Path(tmp) / "out-ray", "--executor", "ray", "--jobs", "2"))
            ray_row = f"{ray_s:.2f} s ({N / ray_s:.0f} notices/s, incl. starting and stopping Ray)"
        big = Path(tmp) / "batch"
        big.mkdir()
        make_corpus(big, N_BATCH)
        batch_first = timed(ingest(big, Path(tmp) / "b1", "--jobs", "1"))
        batch_again = timed(ingest(big, Path(tmp) / "b1", "--jobs", "1"))
        batch_two = timed(ingest(big, Path(tmp) / "b2", "--jobs", "2"))
    per = wall[1] / N * 1000
    floor_per = floor_s / N * 1000
    rows = [
        ("notices", f"{N}"),
        ("floor: read + 20 regexes", f"{floor_s:.2f} s ({floor_per:.2f} ms/notice)"),
        ("ingest --jobs 1, wall", f"{wall[1]:.2f} s"),
        ("ms per notice (--jobs 1, incl. start-up)", f"{per:.1f} ms ({per / floor_per:.1f}x floor)"),
        ("notices per second (--jobs 1)", f"{N / wall[1]:.0f}"),
        ("ingest --jobs 2, wall", f"{wall[2]:.2f} s ({N / wall[2]:.0f} notices/s)"),
        ("ingest --executor ray --jobs 2 (a local Ray), wall", ray_row),
        ("start-up (ingest --help)", f"{startup * 1000:.0f} ms"),
        ("peak memory of one ingest process", f"{peak_mb:.0f} MB"),
        (f"{N_BATCH} notices, first run (--jobs 1)", f"{batch_first:.2f} s"),
        (
            f"{N_BATCH} notices, second run, nothing changed",
            f"{batch_again:.2f} s ({batch_again / batch_first:.0%} of the first)",
        ),
        (
            f"{N_BATCH} notices, first run (--jobs 2)",
            f"{batch_two:.2f} s ({batch_first / batch_two:.2f}x the speed of --jobs 1)",
        ),
    ]
    print_table(rows)
    return 0


def print_table(rows: list[tuple[str, str]]) -> None:
    """A Markdown table of (measure, value) rows, as the README's Speed tables are."""
    width = max(len(r[0]) for r in rows)
    print(f"| {'measure'.ljust(width)} | value |\n|{'-' * (width + 2)}|-------|")
    for name, value in rows:
        print(f"| {name.ljust(width)} | {value} |")


if __name__ == "__main__":
    sys.exit(main())

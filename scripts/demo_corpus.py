"""A demo corpus: the two seed notices moved over five years and three cities each (30 notices).

History pages, trend charts and the comparison matrix need a place seen over
several years and several places seen in one year; the two seeds are one
notice each. As ``bench/`` does, the seeds are rewritten: every year in the
text is shifted (issue date, title, document numbers, cut-offs together), the
city's names, document-number abbreviation and telephone area code are
swapped for another city of the same province, and some thresholds (满N年,
N项以上, fees) move by one step. The random generator is seeded by city and
year, so the corpus is the same on every machine and every run: tests and the
README can name what it shows. Nothing here is committed as data.

    python scripts/demo_corpus.py --out /tmp/demo            # raw notices in /tmp/demo/raw
    python scripts/demo_corpus.py --out /tmp/demo --ingest   # and records in /tmp/demo/records
"""

from __future__ import annotations

import argparse
import random
import re
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
YEARS = (2020, 2021, 2022, 2023, 2024)
SEED_YEAR = 2024


@dataclass(frozen=True)
class City:
    name: str  # 大同 (without 市)
    short: str  # the document-number abbreviation, 同
    area: str  # telephone area code
    slug: str  # for file names


@dataclass(frozen=True)
class Seed:
    file: str
    home: City
    cities: tuple[City, ...]


SEEDS = (
    Seed(
        "000_020e7bca74b620b8.txt",
        City("忻州", "忻", "0350", "xinzhou"),
        (
            City("忻州", "忻", "0350", "xinzhou"),
            City("大同", "同", "0352", "datong"),
            City("晋中", "晋中", "0354", "jinzhong"),
        ),
    ),
    Seed(
        "004_44f96866d5556162.txt",
        City("连云港", "连", "0518", "lianyungang"),
        (
            City("连云港", "连", "0518", "lianyungang"),
            City("南通", "通", "0513", "nantong"),
            City("盐城", "盐", "0515", "yancheng"),
        ),
    ),
)
_YEAR = re.compile(r"(?<!\d)20([0-3]\d)(?!\d)")


def _offset(city: City, k: int, year: int) -> int:
    """How far the k-th threshold of a city has moved by ``year``: a walk that mostly stays put,
    so a change made one year holds in the next ones, as revisions do."""
    steps = (random.Random(f"{city.slug}-{k}-{y}").choice((0,) * 8 + (1, -1)) for y in YEARS[1:] if y <= year)
    return sum(steps)


def vary(text: str, home: City, city: City, year: int) -> str:
    """One seed as the notice of ``city`` in ``year``."""
    shift = year - SEED_YEAR
    text = _YEAR.sub(lambda m: str(2000 + int(m.group(1)) + shift), text)
    if city != home:
        text = text.replace(home.name, city.name).replace(f"{home.area}-", f"{city.area}-")
        text = re.sub(f"{home.short}(?=工信|人社)", city.short, text).replace(
            f"驻{home.short}", f"驻{city.short}"
        )
    counter = iter(range(1 << 30))

    def moved(m: re.Match[str], scale: int = 1) -> str:
        value = max(1, int(m.group(2)) + scale * _offset(city, next(counter), year))
        return f"{m.group(1)}{value}{m.group(3)}"

    text = re.sub(r"(满\s*)(\d+)(\s*年)", moved, text)
    text = re.sub(r"()(\d+)(\s*项以上)", moved, text)
    return re.sub(r"()(\d+)(0元)", lambda m: moved(m, 5), text)


def make_corpus(folder: Path) -> list[Path]:
    """Write the 30 notices into ``folder``; returns their paths in a fixed order."""
    folder.mkdir(parents=True, exist_ok=True)
    out = []
    for seed in SEEDS:
        text = (ROOT / "data" / "raw" / seed.file).read_text(encoding="utf-8")
        for city in seed.cities:
            for year in YEARS:
                path = folder / f"{city.slug}_{year}.txt"
                path.write_text(vary(text, seed.home, city, year), encoding="utf-8")
                out.append(path)
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", required=True, help="folder to write raw/ (and records/) into")
    parser.add_argument("--ingest", action="store_true", help="also ingest them into OUT/records")
    args = parser.parse_args(argv)
    out = Path(args.out)
    files = make_corpus(out / "raw")
    print(f"{len(files)} notices in {out / 'raw'}")
    if args.ingest:
        from pipeline.cli import main as pipeline

        return pipeline(["ingest", str(out / "raw"), "--out", str(out / "records")])
    return 0


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/env python3
"""OCR seconds/page: our settings beside plain rapidocr (its defaults, 200 dpi render), in one run.

    .venv/bin/python bench/ocr.py            # ours vs plain on both seed scans, and scan macro F1
    .venv/bin/python bench/ocr.py --grid     # the measurement grid of docs/ocr-tuning.md

The seed scans (tests/fixtures/formats/*.scan.pdf: 150 dpi, blurred, skewed
1–2°) are read page by page. Other sessions share the machine's cores, so the
two are interleaved document by document (order alternating) and only their
ratio is meant to carry from run to run. "Ours" is the loader's own path
(pdf.read: render at ``ocr.SETTINGS.dpi``, ``ocr.recognize_pages``), so it
includes rendering, the per-page threads and layout; plain rapidocr is timed on
the OCR call alone.
"""

from __future__ import annotations

import argparse
import dataclasses
import importlib.util
import json
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
FIXTURES = ROOT / "tests/fixtures/formats"
SEEDS = ("000_020e7bca74b620b8", "004_44f96866d5556162")
SCORER = ROOT.parent / "shared/eval/score.py"


def _plain_engine() -> Any:
    """rapidocr as it comes (models of its wheel, every other setting its default), logging quiet."""
    from rapidocr import RapidOCR

    return RapidOCR(params={"Global.log_level": "error"})


def _plain(engine: Any, data: bytes) -> tuple[float, int]:
    import numpy as np
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(data)
    images = [np.asarray(page.render(scale=200 / 72, grayscale=True).to_pil().convert("RGB")) for page in pdf]
    start = time.perf_counter()
    for image in images:
        engine(image)
    return time.perf_counter() - start, len(images)


def _ours(data: bytes, stem: str) -> tuple[float, int, dict[str, Any]]:
    from pipeline.ingest import build_record
    from pipeline.load import pdf

    start = time.perf_counter()
    doc = pdf.read(data, path=f"{stem}.txt", sha256="0" * 64, suffix=".pdf")
    secs = time.perf_counter() - start
    record = build_record(doc)
    return secs, len(doc.pages), {**record, "source": {**record["source"], "path": f"{stem}.txt"}}


def _macro_f1(records: dict[str, dict[str, Any]]) -> float | None:
    """The shared scorer's macro F1 of the scan records against the seeds' gold (None without ../shared)."""
    if not SCORER.exists():
        return None
    spec = importlib.util.spec_from_file_location("shared_score", SCORER)
    assert spec and spec.loader
    score = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(score)
    with tempfile.TemporaryDirectory() as tmp:
        rec_dir, gold_dir = Path(tmp, "records"), Path(tmp, "gold")
        rec_dir.mkdir()
        gold_dir.mkdir()
        for stem, record in records.items():
            (rec_dir / f"{stem}.json").write_text(json.dumps(record, ensure_ascii=False), encoding="utf-8")
            gold = (ROOT / f"tests/gold/seeds/{stem}.gold.json").read_text(encoding="utf-8")
            (gold_dir / f"{stem}.json").write_text(gold, encoding="utf-8")
        return float(score.score(rec_dir, gold_dir)["macro_f1"])


def compare(plain: Any, rounds: int = 1) -> tuple[float, float, float | None]:
    """Seconds/page of plain rapidocr and of ours, interleaved, and our scan macro F1."""
    data = {stem: (FIXTURES / f"{stem}.scan.pdf").read_bytes() for stem in SEEDS}
    plain_s = ours_s = 0.0
    plain_n = ours_n = 0
    records: dict[str, dict[str, Any]] = {}
    turn = 0
    for _ in range(rounds):
        for stem, d in data.items():
            for side in ("plain", "ours") if turn % 2 == 0 else ("ours", "plain"):
                if side == "plain":
                    secs, n = _plain(plain, d)
                    plain_s, plain_n = plain_s + secs, plain_n + n
                else:
                    secs, n, records[stem] = _ours(d, stem)
                    ours_s, ours_n = ours_s + secs, ours_n + n
            turn += 1
    return plain_s / plain_n, ours_s / ours_n, _macro_f1(records)


def _warm(plain: Any) -> float:
    """Load both engines (model load is once per process, not per page) and return our load time."""
    import numpy as np

    from pipeline.load import ocr

    blank = np.full((64, 256, 3), 255, dtype=np.uint8)
    plain(blank)
    start = time.perf_counter()
    ocr.recognize(blank)  # rapidocr loads each model on its first call
    return time.perf_counter() - start


# (label, changes from rapidocr's defaults); each row is measured against plain in the same run
GRID: tuple[tuple[str, dict[str, Any]], ...] = (
    ("plain: 200 dpi, min 736, cls, batch 6, 2 threads", {}),
    ("150 dpi", {"dpi": 150}),
    ("150 dpi, max 1280", {"dpi": 150, "limit_type": "max", "limit_side": 1280}),
    ("150 dpi, max 960", {"dpi": 150, "limit_type": "max", "limit_side": 960}),
    ("150 dpi, max 736", {"dpi": 150, "limit_type": "max", "limit_side": 736}),
    ("150 dpi, max 960, no cls", {"dpi": 150, "limit_type": "max", "limit_side": 960, "use_cls": False}),
    (
        "150 dpi, max 960, no cls, batch 1",
        {"dpi": 150, "limit_type": "max", "limit_side": 960, "use_cls": False, "rec_batch": 1},
    ),
    (
        "  + 1 thread a session, 2 pages at once",
        {"dpi": 150, "limit_type": "max", "limit_side": 960, "use_cls": False, "rec_batch": 1}
        | {"threads": 1, "pages": 2},
    ),
    (
        "  + max 736",
        {"dpi": 150, "limit_type": "max", "limit_side": 736, "use_cls": False, "rec_batch": 1}
        | {"threads": 1, "pages": 2},
    ),
)


def grid(plain: Any, rounds: int) -> None:
    """Each row of GRID on both seed scans: wall and CPU s/page, and macro F1 (deterministic).

    A row pairs with plain rapidocr timed before the first row and after the last
    (12 pages each) rather than interleaved row by row, which would double a run
    that already takes a quarter of an hour on a loaded machine.
    """
    from pipeline.load import ocr

    data = {stem: (FIXTURES / f"{stem}.scan.pdf").read_bytes() for stem in SEEDS}

    def plain_rate() -> tuple[float, float]:
        wall = cpu = 0.0
        pages = 0
        for d in data.values():
            c = time.process_time()
            secs, n = _plain(plain, d)
            wall, cpu, pages = wall + secs, cpu + time.process_time() - c, pages + n
        return wall / pages, cpu / pages

    before = plain_rate()
    rows = []
    for label, change in GRID:
        ocr.SETTINGS = dataclasses.replace(ocr.PLAIN, **change)
        ocr._engine()
        wall = cpu = 0.0
        pages = 0
        records = {}
        for _ in range(rounds):
            for stem, d in data.items():
                c = time.process_time()
                secs, n, records[stem] = _ours(d, stem)
                wall, cpu, pages = wall + secs, cpu + time.process_time() - c, pages + n
        rows.append((label, wall / pages, cpu / pages, _macro_f1(records)))
        print(f"  {label}: {wall / pages:.2f} s/page", file=sys.stderr, flush=True)
    after = plain_rate()
    plain_wall = (before[0] + after[0]) / 2
    print(
        f"plain rapidocr: {before[0]:.2f} / {after[0]:.2f} s/page before / after (CPU {before[1]:.2f} / {after[1]:.2f})"
    )
    print(f"{'setting':50} {'s/page':>7} {'CPU s':>7} {'×plain':>7} {'F1':>6}")
    for label, wall, cpu, f1 in rows:
        f1_text = f"{f1:6.3f}" if f1 is not None else "     -"
        print(f"{label:50} {wall:7.2f} {cpu:7.2f} {wall / plain_wall:7.2f} {f1_text}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--grid", action="store_true", help="measure every row of the tuning grid")
    ap.add_argument("--rounds", type=int, default=1, help="passes over both seed scans (12 pages)")
    args = ap.parse_args()

    plain = _plain_engine()
    load_s = _warm(plain)
    if args.grid:
        grid(plain, args.rounds)
        return
    p, o, f1 = compare(plain, args.rounds)
    f1_text = f"scan macro F1 {f1:.3f}" if f1 is not None else "scan F1 not scored (../shared absent)"
    print(f"{'plain rapidocr (defaults, 200 dpi)':38} {p:8.2f} s/page")
    print(f"{'pipeline OCR (ocr.SETTINGS)':38} {o:8.2f} s/page   ({o / p:.2f}× plain; {f1_text})")
    print(f"{'':38} model load {load_s:.2f} s once per process")


if __name__ == "__main__":
    main()

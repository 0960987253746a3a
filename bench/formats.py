#!/usr/bin/env python3
"""Text-layer PDF pages/second: our loader beside pypdfium2's bare text extraction, in one run.

    .venv/bin/python bench/formats.py [--rounds N]

Runs on the committed fixtures (tests/fixtures/formats: two seed notices and a
fee table), so the numbers are comparable between machines and commits. Other
sessions share the cores, so pypdfium2 and the loader are interleaved round by
round (order alternating) and the ratio between them is the number to compare;
CPU seconds are printed beside wall seconds for the same reason. The table page
is timed alone too, beside the loader with its table left to pdfplumber (the
reader before ``pipeline/load/pdf_tables.py``). OCR speed is bench/ocr.py.
"""

from __future__ import annotations

import argparse
import io
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
FIXTURES = ROOT / "tests/fixtures/formats"


def _timed(
    files: list[Path], runs: dict[str, Callable[[bytes], int]], rounds: int
) -> dict[str, tuple[float, float]]:
    """pages/s (wall, CPU) of each reader over ``files``, the readers interleaved round by round."""
    data = [p.read_bytes() for p in files]
    for run in runs.values():
        run(data[0])  # warm-up: imports, font caches
    wall = dict.fromkeys(runs, 0.0)
    cpu = dict.fromkeys(runs, 0.0)
    pages = dict.fromkeys(runs, 0)
    names = list(runs)
    for r in range(rounds):
        for name in names if r % 2 == 0 else reversed(names):
            w, c = time.perf_counter(), time.process_time()
            for d in data:
                pages[name] += runs[name](d)
            wall[name] += time.perf_counter() - w
            cpu[name] += time.process_time() - c
    return {name: (pages[name] / wall[name], pages[name] / cpu[name]) for name in runs}


def _pdfium(d: bytes) -> int:
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(d)
    for page in doc:
        page.get_textpage().get_text_range()
    n = len(doc)
    doc.close()
    return n


def _plumber(d: bytes) -> int:
    import pdfplumber

    with pdfplumber.open(io.BytesIO(d)) as pdf:
        for page in pdf.pages:
            page.extract_text()
        return len(pdf.pages)


def _loader(d: bytes) -> int:
    from pipeline.load import pdf

    return len(pdf.read(d, path="bench.pdf", sha256="", suffix=".pdf").pages)


def _loader_with(module: Any, name: str, value: Any) -> Callable[[bytes], int]:
    """The loader with ``module.name`` replaced while it reads."""

    def run(d: bytes) -> int:
        real = getattr(module, name)
        setattr(module, name, value)
        try:
            return _loader(d)
        finally:
            setattr(module, name, real)

    return run


def _loader_plumber_tables(d: bytes) -> int:
    """The loader with every table page left to pdfplumber, as before ``pdf_tables``."""
    from pipeline.load import pdf_tables

    return _loader_with(pdf_tables, "find_tables", lambda *args: None)(d)


def _loader_ctypes_boxes(d: bytes) -> int:
    """The loader with the characters' boxes read by ctypes, as where ``_charboxes.c`` is not built."""
    from pipeline.load import pdf_lines

    return _loader_with(pdf_lines, "_native_boxes", lambda: None)(d)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--rounds", type=int, default=10, help="interleaved passes over the fixtures")
    args = ap.parse_args()
    files = sorted(p for p in FIXTURES.glob("*.pdf") if ".scan." not in p.name and p.name != "encrypted.pdf")
    runs = {"pypdfium2 get_text_range": _pdfium, "pipeline.load.pdf (layout, tables)": _loader}
    rates = _timed(files, runs, args.rounds)
    for name, (wall, cpu) in rates.items():
        print(f"{name:38} {wall:8.1f} pages/s  ({cpu:.1f} pages/CPU-s)")
    (ref_wall, ref_cpu), (ours_wall, ours_cpu) = rates.values()
    print(
        f"{'loader / pypdfium2':38} {ref_wall / ours_wall:8.2f}× the time  ({ref_cpu / ours_cpu:.2f}× in CPU time)"
    )
    plain = [p for p in files if p.name != "fee_table.pdf"]
    (ref_wall, ref_cpu), (ours_wall, ours_cpu) = _timed(plain, runs, args.rounds).values()
    print(
        f"{'  without the table page':38} {ref_wall / ours_wall:8.2f}× the time  ({ref_cpu / ours_cpu:.2f}× in CPU time)"
    )
    fallback: dict[str, Callable[[bytes], int]] = {**runs, "boxes by ctypes": _loader_ctypes_boxes}
    (ref_wall, ref_cpu), _, (old_wall, old_cpu) = _timed(files, fallback, args.rounds).values()
    print(
        f"{'  without the C loop (ctypes boxes)':38} {ref_wall / old_wall:8.2f}× the time  ({ref_cpu / old_cpu:.2f}× in CPU time)"
    )
    table = [p for p in files if p.name == "fee_table.pdf"]
    both: dict[str, Callable[[bytes], int]] = {**runs, "tables by pdfplumber": _loader_plumber_tables}
    rates = _timed(table, both, args.rounds)
    (ref_wall, ref_cpu), (ours_wall, ours_cpu), (old_wall, old_cpu) = rates.values()
    print(
        f"{'  the table page alone':38} {ref_wall / ours_wall:8.2f}× the time  ({ref_cpu / ours_cpu:.2f}× in CPU time);"
        f" {ref_wall / old_wall:.2f}× ({ref_cpu / old_cpu:.2f}×) with its table read by pdfplumber"
    )
    (rate,) = _timed(files[:1], {"pdfplumber extract_text": _plumber}, 1).values()
    print(f"{'pdfplumber extract_text':38} {rate[0]:8.1f} pages/s  (for scale: opened only on table pages)")


if __name__ == "__main__":
    main()

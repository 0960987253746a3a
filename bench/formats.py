#!/usr/bin/env python3
"""Format loading speed: text-layer PDF pages/second (pypdfium2, pdfplumber, our loader) and OCR seconds/page.

    .venv/bin/python bench/formats.py [--ocr-pages N]

Runs on the committed fixtures (tests/fixtures/formats), so the numbers are
comparable between machines and commits.
"""

from __future__ import annotations

import argparse
import io
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
FIXTURES = ROOT / "tests/fixtures/formats"


def _rate(name: str, files: list[Path], run: Callable[[bytes], int], repeat: int) -> None:
    data = [p.read_bytes() for p in files]
    run(data[0])  # warm-up: imports, font caches
    pages = 0
    start = time.perf_counter()
    for _ in range(repeat):
        for d in data:
            pages += run(d)
    secs = time.perf_counter() - start
    print(f"{name:38} {pages / secs:8.1f} pages/s  ({pages} pages in {secs:.2f} s)")


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


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--ocr-pages", type=int, default=3, help="scanned pages to OCR (about 2-5 s each)")
    args = ap.parse_args()
    files = sorted(p for p in FIXTURES.glob("*.pdf") if ".scan." not in p.name and p.name != "encrypted.pdf")
    _rate("pypdfium2 get_text_range", files, _pdfium, 20)
    _rate("pdfplumber extract_text", files, _plumber, 1)
    _rate("pipeline.load.pdf (layout, tables)", files, _loader, 5)
    if args.ocr_pages:
        import pypdfium2 as pdfium

        from pipeline.load import ocr

        scan = pdfium.PdfDocument(FIXTURES / "004_44f96866d5556162.scan.pdf")
        n = min(args.ocr_pages, len(scan))
        images = [scan[i].render(scale=200 / 72, grayscale=True).to_pil() for i in range(n)]
        start = time.perf_counter()
        ocr._engine()
        load_s = time.perf_counter() - start
        start = time.perf_counter()
        for img in images:
            ocr.recognize(img)
        secs = time.perf_counter() - start
        print(
            f"{'rapidocr (PP-OCRv6 small, onnxruntime)':38} {secs / n:8.2f} s/page   ({n} pages, model load {load_s:.2f} s)"
        )


if __name__ == "__main__":
    main()

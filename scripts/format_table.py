"""README's "Formats" table: each 公文 notice in every published format, macro F1 against its gold.

    .venv/bin/python scripts/format_table.py [--scans all|one|none] [--keep DIR]

Builds the fixtures of tests/test_gongwen.py (tests/gongwen_factory.py: python-docx →
LibreOffice; colour scans and phone photos of the PDF's pages), ingests each file and
scores it with ../shared/eval/score.py, then prints one Markdown row per format, one
column per notice. OCR takes 5–10 s a page: ``--scans one`` (the default) scans only
heldout-03 as the tests do, ``all`` every notice (about 30 pages twice).
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # score this checkout, not whichever one the venv installed

from pipeline.errors import IngestError  # noqa: E402
from pipeline.ingest import ingest_file  # noqa: E402
from tests import gongwen_factory as gw  # noqa: E402
from tests.conftest import scorer  # noqa: E402

ROWS = {
    "txt": "plain text (.txt)",
    "docx": "DOCX (python-docx)",
    "pdf": "PDF (LibreOffice export)",
    "doc": "DOC (Word 97, LibreOffice)",
    "wps": "WPS (the Word 97 file named .wps)",
    "odt": "ODT (LibreOffice)",
    "rtf": "RTF (LibreOffice)",
    "html": "HTML (LibreOffice export)",
    "scan.pdf": "colour scan, 200 dpi JPEG 60, keystone, uneven light (OCR)",
    "photo.pdf": "phone photo: desk border, 1.5–3° turn, perspective, blur (OCR)",
}


def _score(path: Path, stem: str) -> str:
    try:
        return f"{gw.macro_f1(ingest_file(path), stem, ROOT, scorer()):.3f}"
    except IngestError as exc:
        print(exc.line(), file=sys.stderr)
        return "error"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--scans", choices=("all", "one", "none"), default="one")
    ap.add_argument("--keep", type=Path, help="write the fixtures here and keep them")
    args = ap.parse_args()
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        print("error: LibreOffice (soffice) is not installed: run `make office`", file=sys.stderr)
        return 1
    with tempfile.TemporaryDirectory() as tmp:
        out = args.keep or Path(tmp)
        out.mkdir(parents=True, exist_ok=True)
        gw.build(ROOT, out, soffice)
        scanned = {"all": list(gw.NOTICES), "one": ["heldout-03"], "none": []}[args.scans]
        for stem in scanned:
            pages = gw.render_pages(out / f"{stem}.pdf")
            gw.image_pdf([gw.scan(p, n) for n, p in enumerate(pages)], out / f"{stem}.scan.pdf")
            gw.image_pdf([gw.photo(p, n) for n, p in enumerate(pages)], out / f"{stem}.photo.pdf")
        jobs: list[tuple[str, str, Path]] = []
        for stem, (txt, _gold) in gw.NOTICES.items():
            jobs.append((stem, "txt", ROOT / txt))
            jobs += [
                (stem, fmt, out / f"{stem}.{fmt}") for fmt in (*gw.TEXT_FORMATS, "scan.pdf", "photo.pdf")
            ]
        jobs = [j for j in jobs if j[2].exists()]
        with ThreadPoolExecutor(2) as pool:
            scores: dict[tuple[str, str], Any] = dict(
                zip([(s, f) for s, f, _ in jobs], pool.map(lambda j: _score(j[2], j[0]), jobs), strict=True)
            )
    stems = list(gw.NOTICES)
    print("| format | " + " | ".join(stems) + " |")
    print("| --- |" + " --- |" * len(stems))
    for fmt, label in ROWS.items():
        print(f"| {label} | " + " | ".join(scores.get((s, fmt), "—") for s in stems) + " |")
    return 0


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/env python3
"""Hostile and huge inputs: time and peak memory of one file each, in a fresh process.

    .venv/bin/python bench/hostile.py [--lines 100000] [--text-mb 40] [--bomb-mb 200]

* a notice with 100,000 numbered lines (segmentation was quadratic in the
  length of a list: minutes);
* a text notice of 40 MB made from the seeds (normalize peaked at 1.1 GB);
* a DOCX of under 1 MB that unpacks to 200 MB (python-docx ran for minutes
  at 1.6 GB before it was refused from its stated sizes).

Each case runs ``ingest_file`` in its own interpreter so that its peak
resident memory is its own. Inputs are made in a temporary folder.
"""

from __future__ import annotations

import argparse
import io
import json
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

_CHILD = """
import json, sys, time
sys.path.insert(0, sys.argv[2])
from pipeline.errors import IngestError
from pipeline.ingest import ingest_file
t = time.perf_counter()
try:
    ingest_file(sys.argv[1])
    outcome = "record"
except IngestError as exc:
    outcome = exc.reason
seconds = time.perf_counter() - t
# VmHWM, not ru_maxrss: Linux carries ru_maxrss over from the forking parent
status = open("/proc/self/status").read()
peak = int(status.split("VmHWM:")[1].split()[0]) / 1024
print(json.dumps({"seconds": seconds, "peak_mb": peak, "outcome": outcome}))
"""


def numbered_notice(path: Path, n: int) -> Path:
    lines = ["关于开展2024年度工程系列职称评审工作的通知", "", "各有关单位：", "", "一、申报条件", ""]
    lines += [f"{i % 99 + 1}. 取得助理工程师职称后从事本专业技术工作满{i % 5 + 1}年。" for i in range(n)]
    lines += [
        "",
        "二、报送时间",
        "",
        "请于2024年10月31日前报送材料。",
        "",
        "某某市人力资源和社会保障局",
        "2024年9月9日",
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def big_text(path: Path, mb: int) -> Path:
    seeds = [p.read_text(encoding="utf-8") for p in sorted((ROOT / "data" / "raw").glob("*.txt"))]
    parts, size = [], 0
    while size < mb * 1024 * 1024:
        parts.append(seeds[len(parts) % len(seeds)])
        size += len(parts[-1].encode())
    path.write_text("\n".join(parts), encoding="utf-8")
    return path


def docx_bomb(path: Path, mb: int) -> Path:
    import docx

    buf = io.BytesIO()
    document = docx.Document()
    document.add_paragraph("关于开展职称评审工作的通知")
    document.save(buf)
    para = "<w:p><w:r><w:t>职称评审工作的通知，申报条件满五年。</w:t></w:r></w:p>"
    with zipfile.ZipFile(buf) as src, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == "word/document.xml":
                head, sep, tail = data.decode().partition("<w:sectPr")
                data = (head + para * (mb * 1024 * 1024 // len(para.encode())) + sep + tail).encode()
            z.writestr(info.filename, data)
    return path


def run(path: Path) -> dict[str, object]:
    out = subprocess.run(
        [sys.executable, "-c", _CHILD, str(path), str(ROOT)], check=True, capture_output=True, text=True
    )
    result: dict[str, object] = json.loads(out.stdout.strip().splitlines()[-1])
    return result


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--lines", type=int, default=100_000)
    ap.add_argument("--text-mb", type=int, default=40)
    ap.add_argument("--bomb-mb", type=int, default=200)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        cases = [
            (f"{args.lines:,} numbered lines", numbered_notice(folder / "numbered.txt", args.lines)),
            (f"{args.text_mb} MB text", big_text(folder / "big.txt", args.text_mb)),
            (f"DOCX unpacking to {args.bomb_mb} MB", docx_bomb(folder / "bomb.docx", args.bomb_mb)),
        ]
        print("| input | file | seconds | peak memory | outcome |\n|---|---|---|---|---|")
        for name, path in cases:
            r = run(path)
            size = path.stat().st_size / 1024 / 1024
            print(
                f"| {name} | {size:.1f} MB | {r['seconds']:.1f} s | {r['peak_mb']:.0f} MB | {r['outcome']} |"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())

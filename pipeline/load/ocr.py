"""The OCR engine: rapidocr (PP-OCR models run by onnxruntime), models from inside its wheel.

Nothing is downloaded at run time: rapidocr would fetch models it does not find,
so every model path is given explicitly from the wheel's own ``models/`` folder,
and a missing model is a ``MissingTool`` error rather than a network call.
The engine is imported on first use (a text notice never pays for it) and runs
with one inference thread per core we may use, so two pages of a batch do not
fight over the same cores.

Scans are skewed by a degree or two; the line boxes' own slope gives the angle
and the boxes are rotated back, so left-margin and indentation tests in
``layout`` see a straight page.
"""

from __future__ import annotations

import functools
import itertools
import math
import os
import statistics
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import regex

from pipeline.errors import MissingTool
from pipeline.load.layout import Line

LOW_CONFIDENCE = 0.85  # mean line score below this gets a warning for the page
_MODELS = ("PP-OCRv6_det_small.onnx", "PP-OCRv6_rec_small.onnx", "ch_ppocr_mobile_v2.0_cls_mobile.onnx")


@dataclass(frozen=True)
class OcrPage:
    lines: tuple[Line, ...]
    confidence: float  # mean recognition score of the page's lines, 0 when none


def _threads() -> int:
    limit = os.environ.get("OMP_THREAD_LIMIT") or os.environ.get("OMP_NUM_THREADS")
    if limit and limit.isdigit():
        return max(1, int(limit))
    return max(
        1, min(4, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1)
    )


@functools.cache
def _engine() -> Any:
    try:
        import rapidocr
        from rapidocr import RapidOCR
    except ImportError:
        raise MissingTool("OCR needs rapidocr and onnxruntime: pip install rapidocr onnxruntime") from None
    root = Path(rapidocr.__file__).parent / "models"
    det, rec, cls = (root / name for name in _MODELS)
    for model in (det, rec, cls):
        if not model.is_file():
            raise MissingTool(
                f"OCR model {model.name} missing from the rapidocr package (reinstall rapidocr)"
            )
    threads = _threads()
    return RapidOCR(
        params={
            "Global.log_level": "error",
            "Det.model_path": str(det),
            "Rec.model_path": str(rec),
            "Cls.model_path": str(cls),
            "EngineConfig.onnxruntime.intra_op_num_threads": threads,
            "EngineConfig.onnxruntime.inter_op_num_threads": 1,
        }
    )


_TO_FULL = {",": "，", ";": "；", ":": "：", "!": "！", "?": "？", "(": "（", ")": "）"}
_HALF_PUNCT = regex.compile(r"(?<=[\p{Han}）])[,;:!?]|[,;:!?](?=\p{Han})")
# "(" opening a Chinese aside, or closed by a full-width "）": OCR mixes the widths in one pair
_OPEN = regex.compile(r"\((?=[^()（）\n]{0,60}[)）])(?=[^()（）\n]*\p{Han}|[^()（）\n]*）)")
_CLOSE = regex.compile(r"(?<=（[^()（）\n]{0,60})\)")
# a dash between two dates read as the character 一 ("7月18日一9月10日")
_DATE_DASH = regex.compile(r"(?<=\d[日号])[一－-](?=\d{1,2}[月日])")
_HAN_SPACE = regex.compile(r"(?<=[\p{Han}，。、；：（）《》“”])\s+(?=[\p{Han}，。、；：（）《》“”])")


def clean_text(text: str) -> str:
    """OCR's mixed punctuation widths made consistent; spaces between Han characters removed."""
    text = _HALF_PUNCT.sub(lambda m: _TO_FULL[m.group()], text.strip())
    text = _OPEN.sub("（", text)
    text = _CLOSE.sub("）", text)
    text = _DATE_DASH.sub("—", text)
    return _HAN_SPACE.sub("", text)


def _skew(boxes: list[list[list[float]]]) -> float:
    """Median slope (radians) of the wide boxes' top edges."""
    angles = []
    for box in boxes:
        (x0, y0), (x1, y1) = box[0], box[1]
        if x1 - x0 > 4 * abs(box[3][1] - box[0][1]):
            angles.append(math.atan2(y1 - y0, x1 - x0))
    if not angles:
        return 0.0
    angles.sort()
    return angles[len(angles) // 2]


def recognize(image: Any) -> OcrPage:
    """OCR one page image (PIL image or numpy array) into positioned, cleaned lines."""
    import numpy as np

    arr = np.asarray(image.convert("RGB")) if hasattr(image, "convert") else image
    out = _engine()(arr)
    boxes = [[list(map(float, pt)) for pt in box] for box in (out.boxes if out.boxes is not None else [])]
    texts = list(out.txts or ())
    scores = [float(s) for s in (out.scores or ())]
    angle = _skew(boxes)
    cos, sin = math.cos(-angle), math.sin(-angle)
    items = []
    for box, text, score in zip(boxes, texts, scores, strict=False):
        pts = [(x * cos - y * sin, x * sin + y * cos) for x, y in box]
        xs, ys = [p[0] for p in pts], [p[1] for p in pts]
        items.append((min(xs), max(xs), min(ys), max(ys), text, score))
    items.sort(key=lambda it: (it[2] + it[3]) / 2)
    # boxes on one baseline (a line the detector split at a gap) form one line
    rows: list[list[tuple[float, float, float, float, str, float]]] = []
    for it in items:
        if rows:
            last = rows[-1]
            top = min(r[2] for r in last)
            bottom = max(r[3] for r in last)
            centre = (it[2] + it[3]) / 2
            if top < centre < bottom:
                last.append(it)
                continue
        rows.append([it])
    lines = []
    for row in rows:
        row.sort(key=lambda r: r[0])
        height = statistics.median_high([r[3] - r[2] for r in row])
        parts = [clean_text(row[0][4])]
        for prev, cur in itertools.pairwise(row):
            # boxes split at a wide gap (masthead issuers) keep one space; a narrow split none
            parts.append((" " if cur[0] - prev[1] > height else "") + clean_text(cur[4]))
        text = "".join(parts).strip()
        if not text:
            continue
        lines.append(
            Line(
                text,
                row[0][0],
                row[-1][1],
                min(r[2] for r in row),
                max(r[3] for r in row),
                size=height * 0.85,
            )
        )
    conf = sum(scores) / len(scores) if scores else 0.0
    return OcrPage(tuple(lines), conf)

"""The OCR engine: rapidocr (PP-OCR models run by onnxruntime), models from inside its wheel.

Nothing is downloaded at run time: rapidocr would fetch models it does not find,
so every model path is given explicitly from the wheel's own ``models/`` folder,
and a missing model is a ``MissingTool`` error rather than a network call.
The engine is imported on first use (a text notice never pays for it) and built
once per process. Every setting that trades time for accuracy is in ``SETTINGS``
(chosen on the seed scans: docs/ocr-tuning.md): a document's pages are OCR'd one
per core at once, each session with one inference thread, which keeps the cores
busier than splitting one page's small recognition calls between them.

Scans are skewed by a degree or two; the line boxes' own slope gives the angle
and the boxes are rotated back, so left-margin and indentation tests in
``layout`` see a straight page.
"""

from __future__ import annotations

import collections
import functools
import importlib.util
import itertools
import math
import os
import statistics
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import regex

from pipeline.errors import MissingTool
from pipeline.load.layout import Line

LOW_CONFIDENCE = 0.85  # mean line score below this gets a warning for the page


@dataclass(frozen=True)
class OcrPage:
    lines: tuple[Line, ...]
    confidence: float  # mean recognition score of the page's lines, 0 when none


@dataclass(frozen=True)
class Settings:
    """Every choice that trades OCR time for accuracy, in one place (measured in docs/ocr-tuning.md)."""

    dpi: int  # a PDF page is rendered at this resolution before OCR
    det: str  # "package:file.onnx": a model inside an installed package's models/ folder
    rec: str
    cls: str
    limit_side: int  # the detector's input is scaled so that its ...
    limit_type: str  # ... "max" (longest) side is at most, or "min" (shortest) side at least, this
    use_cls: bool  # the 180° line classifier: upright scans never need it
    rec_batch: int  # line crops per recognition call
    threads: int  # onnxruntime intra-op threads per session (0: one per core we may use)
    pages: int  # pages of one document OCR'd at once, each in its own thread (0: one per core)


# The defaults rapidocr itself would use on a 200 dpi render: the baseline the bench compares with.
PLAIN = Settings(
    dpi=200,
    det="rapidocr:PP-OCRv6_det_small.onnx",
    rec="rapidocr:PP-OCRv6_rec_small.onnx",
    cls="rapidocr:ch_ppocr_mobile_v2.0_cls_mobile.onnx",
    limit_side=736,
    limit_type="min",
    use_cls=True,
    rec_batch=6,
    threads=0,
    pages=1,
)
# Chosen on the seed scans (docs/ocr-tuning.md has the grid): recognition is three quarters of
# the time and nothing but fewer pixels, fewer models or more cores makes it cheaper.
SETTINGS = Settings(
    dpi=150,  # what scanners save; 200 dpi only upsamples a 150 dpi scan for the detector to wade through
    det=PLAIN.det,  # the small PP-OCRv6 models are the only ones the wheel ships (v4 mobile: see the doc)
    rec=PLAIN.rec,
    cls=PLAIN.cls,
    limit_side=960,  # longest side down to 960 px: a 12 pt line is still ~20 px high, detection 3× cheaper
    limit_type="max",
    use_cls=False,  # pages are upright (skew is 1-2°, undone below); the classifier only risks flipping a line
    rec_batch=1,  # a batch pads every crop to its widest one: padding is read as text and costs time
    threads=1,  # one inference thread a session ...
    pages=0,  # ... and one page per core at once: scales better than threads inside one page
)


def _threads() -> int:
    limit = os.environ.get("OMP_THREAD_LIMIT") or os.environ.get("OMP_NUM_THREADS")
    if limit and limit.isdigit():
        return max(1, int(limit))
    return max(
        1, min(4, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1)
    )


def _model(spec: str) -> Path:
    """The path of ``package:file.onnx``, found without importing the package (nothing is fetched)."""
    package, _, name = spec.partition(":")
    found = importlib.util.find_spec(package)
    if found is None or not found.submodule_search_locations:
        raise MissingTool(
            f"OCR model {name} needs the {package} package: pip install {package.replace('_', '-')}"
        )
    path = Path(next(iter(found.submodule_search_locations))) / "models" / name
    if not path.is_file():
        raise MissingTool(f"OCR model {name} missing from the {package} package (reinstall {package})")
    return path


def _engine(settings: Settings | None = None) -> Any:
    """The engine for ``settings`` (the chosen ones by default), built once per process."""
    return _build(settings or SETTINGS)


@functools.cache
def _build(settings: Settings) -> Any:
    try:
        from rapidocr import RapidOCR
    except ImportError:
        raise MissingTool("OCR needs rapidocr and onnxruntime: pip install rapidocr onnxruntime") from None
    det, rec, cls = _model(settings.det), _model(settings.rec), _model(settings.cls)
    threads = settings.threads or _threads()
    return RapidOCR(
        params={
            "Global.log_level": "error",
            "Global.use_cls": settings.use_cls,
            "Det.model_path": str(det),
            "Det.limit_side_len": settings.limit_side,
            "Det.limit_type": settings.limit_type,
            "Rec.model_path": str(rec),
            "Rec.rec_batch_num": settings.rec_batch,
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


def recognize_pages(images: Iterable[Any], settings: Settings | None = None) -> Iterator[OcrPage]:
    """``recognize`` over a document's pages, ``settings.pages`` of them at a time, in order.

    One engine serves every thread (onnxruntime sessions may be run from
    several threads, and rapidocr keeps no state between calls), so the model
    is loaded once per process. ``images`` is consumed lazily from the calling
    thread, which is where a PDF's pages must be rendered (PDFium is not
    thread-safe); at most twice as many pages as threads are held in memory.
    """
    settings = settings or SETTINGS
    workers = settings.pages or _threads()
    if workers <= 1:
        for image in images:
            yield recognize(image, settings)
        return
    from concurrent.futures import Future, ThreadPoolExecutor

    pending: collections.deque[Future[OcrPage]] = collections.deque()
    with ThreadPoolExecutor(workers, thread_name_prefix="ocr") as pool:
        for image in images:
            pending.append(pool.submit(recognize, image, settings))
            if len(pending) >= 2 * workers:
                yield pending.popleft().result()
        while pending:
            yield pending.popleft().result()


def recognize(image: Any, settings: Settings | None = None) -> OcrPage:
    """OCR one page image (PIL image or numpy array) into positioned, cleaned lines."""
    import numpy as np

    arr = np.asarray(image.convert("RGB")) if hasattr(image, "convert") else image
    out = _engine(settings)(arr)
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

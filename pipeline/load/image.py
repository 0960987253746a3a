"""Photographed or scanned notices (.png, .jpg, .tif, …): OCR every frame, then rebuild paragraphs.

A multi-page TIFF is a multi-page scan, so each frame is a page, and frames are
OCR'd several at once like a scanned PDF's pages. The lines OCR
returns go through the same layout rules as a PDF's text layer, so a scan and
its PDF give the same paragraphs.
"""

from __future__ import annotations

import io
from typing import Any

from pipeline.errors import UnreadableInput
from pipeline.load import layout
from pipeline.load.layout import PageLines
from pipeline.types import LoadedDocument

MAX_PIXELS = 80_000_000  # a 600 dpi A3 page; larger is a decompression bomb, not a notice


def _opened(data: bytes) -> tuple[Any, int]:
    """The image and its number of frames."""
    from PIL import Image, UnidentifiedImageError

    Image.MAX_IMAGE_PIXELS = MAX_PIXELS
    try:
        img = Image.open(io.BytesIO(data))
        return img, getattr(img, "n_frames", 1)
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError) as exc:
        raise UnreadableInput(f"damaged or unsupported image ({exc.__class__.__name__})") from None


def _frame(img: Any, index: int) -> Any:
    """Frame ``index`` decoded, turned upright and readied for OCR."""
    from PIL import ImageOps

    from pipeline.load import scan_clean

    try:
        img.seek(index)
        frame = ImageOps.exif_transpose(img.convert("RGB"))
    except (OSError, ValueError) as exc:
        raise UnreadableInput(f"damaged image: frame {index + 1} cannot be decoded ({exc})") from None
    return scan_clean.clean(frame)  # a photo's page cut out, light evened, the seal's red removed


def read(data: bytes, *, path: str, sha256: str, suffix: str) -> LoadedDocument:
    from pipeline.load import ocr, scanned

    img, frames = _opened(data)
    pages: list[PageLines] = []
    warnings: list[str] = []
    read = scanned.read_pages("image", range(frames), lambda index: _frame(img, index))
    for index, seen in enumerate(read):
        if seen.ocr.confidence < ocr.LOW_CONFIDENCE:
            warnings.append(f"page {index + 1}: low OCR confidence ({seen.ocr.confidence:.2f})")
        pages.append(PageLines(index + 1, float(seen.width), float(seen.height), seen.ocr.lines))
    raw, spans = layout.assemble(layout.drop_furniture(pages))
    return LoadedDocument(
        path=path,
        sha256=sha256,
        format="image",
        raw_text=raw,
        pages=spans if frames > 1 else (),
        ocr=True,
        warnings=tuple(warnings),
    )


def ocr_page(data: bytes, index: int) -> Any:
    """Frame ``index`` of the image ``data`` OCR'd on its own (a Ray page task: ``load.scanned``)."""
    from pipeline.load import scanned

    img, _ = _opened(data)
    return scanned.recognized(_frame(img, index))

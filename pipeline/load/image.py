"""Photographed or scanned notices (.png, .jpg, .tif, …): OCR every frame, then rebuild paragraphs.

A multi-page TIFF is a multi-page scan, so each frame is a page, and frames are
OCR'd several at once like a scanned PDF's pages. The lines OCR
returns go through the same layout rules as a PDF's text layer, so a scan and
its PDF give the same paragraphs.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from typing import Any

from pipeline.errors import UnreadableInput
from pipeline.load import layout
from pipeline.load.layout import PageLines
from pipeline.types import LoadedDocument

MAX_PIXELS = 80_000_000  # a 600 dpi A3 page; larger is a decompression bomb, not a notice


def read(data: bytes, *, path: str, sha256: str, suffix: str) -> LoadedDocument:
    from PIL import Image, ImageOps, UnidentifiedImageError

    from pipeline.load import ocr, scan_clean

    Image.MAX_IMAGE_PIXELS = MAX_PIXELS
    try:
        img = Image.open(io.BytesIO(data))
        frames = getattr(img, "n_frames", 1)
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError) as exc:
        raise UnreadableInput(f"damaged or unsupported image ({exc.__class__.__name__})") from None
    sizes: list[tuple[float, float]] = []

    def decoded() -> Iterator[Any]:
        for index in range(frames):
            try:
                img.seek(index)
                frame = ImageOps.exif_transpose(img.convert("RGB"))
            except (OSError, ValueError) as exc:
                raise UnreadableInput(f"damaged image: frame {index + 1} cannot be decoded ({exc})") from None
            frame = scan_clean.clean(frame)  # a photo's page cut out, light evened, the seal's red removed
            sizes.append((float(frame.width), float(frame.height)))
            yield frame

    pages: list[PageLines] = []
    warnings: list[str] = []
    for index, result in enumerate(ocr.recognize_pages(decoded())):
        if result.confidence < ocr.LOW_CONFIDENCE:
            warnings.append(f"page {index + 1}: low OCR confidence ({result.confidence:.2f})")
        pages.append(PageLines(index + 1, *sizes[index], result.lines))
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

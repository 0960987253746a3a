"""Where a document's scanned pages are OCR'd: here, several at once (the default), or elsewhere.

A loader with pages to OCR (a scanned PDF's pages, a TIFF's frames, an OFD's scans) asks
``read_pages`` for them. By default they are OCR'd here, a page per core at once (``ocr.recognize_pages``), which is
what ``--jobs`` does and keeps doing: a local worker's one long scan already has every core of
the machine, so splitting it into page tasks there would only add a second text-layer pass and
a model per process. ``--executor ray`` wants a long scan spread over a cluster, a page per Ray
task (``pipeline.ray_exec``), and the record built exactly as if the pages had been read here.
So the same loader code runs in two passes, told by ``elsewhere``:

1. ``Elsewhere()`` (nothing given): a document with at least ``MIN_PAGES`` pages to OCR raises
   ``NeedsOcr`` with the pages' numbers, before any is rendered; a document with fewer is
   read as usual (a single photo gains nothing from a task of its own), and its readings are
   kept in the ``Elsewhere`` (``kept``), so a last pass need not OCR them again.
2. Each page is OCR'd on its own, from the document's bytes (``read_page``): the same render,
   resolution, ``scan_clean.clean`` and ``ocr.SETTINGS`` as here, so the same ``ScannedPage``.
3. ``Elsewhere(done)``: the loader runs again and takes each page from ``done`` instead of
   rendering it, and goes on as usual: layout, warnings and page order are the loader's own.

A notice with attachments (``pipeline.bundles``) is one record read from several documents, its
*parts*: 0 the notice itself, k its k-th attachment as sent (``ingest.ingest_bytes``). Each part is
loaded under ``elsewhere(where, part)``, so a page is named (part, index) in ``Scans``, ``done`` and
``kept``. The first pass loads every part, collecting each part's ``Scans`` rather than stopping at
the first, and raises one ``NeedsOcr`` for them all; ``MIN_PAGES`` counts each part on its own.

A context variable rather than a parameter: the loaders share one signature
(``read(data, *, path, sha256, suffix)``) and only the OCR step cares; unset, nothing changes.
"""

from __future__ import annotations

import contextlib
import contextvars
import importlib
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # the OCR engine's module is imported only when a page is OCR'd
    from pipeline.load.ocr import OcrPage

MIN_PAGES = 2  # fewer pages to OCR than this: read where the document is

# format key (``load._LOADERS``) -> the loader module whose ``ocr_page(data, index)`` reads one page
_PAGE_READERS = {"pdf": "pipeline.load.pdf", "image": "pipeline.load.image", "ofd": "pipeline.load.ofd"}


@dataclass(frozen=True)
class ScannedPage:
    """One page as OCR read it, and the size of the image it read (rendered, cut out and flattened
    by ``scan_clean``), which puts its lines back on the page."""

    ocr: OcrPage
    width: int
    height: int


Page = tuple[int, int]  # a page of a bundle: (its part, its index in that part's document)


@dataclass(frozen=True)
class Scans:
    """The pages of a document that OCR must read (0-based; an OFD's count its page-sized images
    in document order, as ``ofd.ocr_page`` does), its loader's format key, and the part of its
    bundle it is (0: the notice itself, k: its k-th attachment as sent)."""

    kind: str
    pages: tuple[int, ...]
    part: int = 0


class NeedsOcr(Exception):  # not an error: the first pass's answer
    """The scans of a notice's parts that are to be read elsewhere before its record can be built,
    and the pages the first pass read here meanwhile (``kept``: parts below ``MIN_PAGES``)."""

    def __init__(self, scans: tuple[Scans, ...], kept: Mapping[Page, ScannedPage] | None = None) -> None:
        super().__init__(scans)
        self.scans = scans
        self.kept = dict(kept or {})


@dataclass(frozen=True)
class Elsewhere:
    """Pages OCR'd elsewhere: ``done`` maps each (part, index) to its reading; None: not read yet."""

    done: Mapping[Page, ScannedPage] | None = None


@dataclass(frozen=True)
class _Reading:
    """What ``elsewhere`` set: how scans are read, whose they are, the readings made here meanwhile."""

    where: Elsewhere
    part: int
    kept: dict[Page, ScannedPage]


_where: contextvars.ContextVar[_Reading | None] = contextvars.ContextVar("scanned_where", default=None)


@contextlib.contextmanager
def elsewhere(where: Elsewhere | None, part: int = 0) -> Iterator[dict[Page, ScannedPage]]:
    """Within: the loaders' scans are part ``part``'s, read as ``where`` says (None: here, as
    usual). Yields the readings a first pass made here (a document below ``MIN_PAGES``), filled
    as the loader reads, so a bundle's last pass can be given them rather than OCR them again."""
    kept: dict[Page, ScannedPage] = {}
    token = _where.set(None if where is None else _Reading(where, part, kept))
    try:
        yield kept
    finally:
        _where.reset(token)


def read_pages(kind: str, indices: Sequence[int], image_of: Callable[[int], Any]) -> Iterator[ScannedPage]:
    """The readings of pages ``indices``, in order. ``image_of(i)`` gives page i ready for OCR; it
    is called from the calling thread (PDFium is not thread-safe), lazily."""
    reading = _where.get()
    if reading is not None and reading.where.done is not None:
        done = reading.where.done
        yield from (done[reading.part, i] for i in indices)
        return
    if reading is not None and len(indices) >= MIN_PAGES:
        raise NeedsOcr((Scans(kind, tuple(indices), reading.part),))
    from pipeline.load import ocr

    sizes: list[tuple[int, int]] = []

    def images() -> Iterator[Any]:
        for i in indices:
            image = image_of(i)
            sizes.append((image.width, image.height))
            yield image

    for n, result in enumerate(ocr.recognize_pages(images())):
        page = ScannedPage(result, *sizes[n])
        if reading is not None:
            reading.kept[reading.part, indices[n]] = page
        yield page


def recognized(image: Any) -> ScannedPage:
    """One page image OCR'd here, as ``read_pages`` would."""
    from pipeline.load import ocr

    return ScannedPage(ocr.recognize(image), image.width, image.height)


def read_page(kind: str, data: bytes, index: int) -> ScannedPage:
    """Page ``index`` of a document given as its bytes, OCR'd as its loader would OCR it."""
    reader: Any = importlib.import_module(_PAGE_READERS[kind])
    page: ScannedPage = reader.ocr_page(data, index)
    return page

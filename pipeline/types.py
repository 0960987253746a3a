"""What passes between the stages: load → normalize → segment → extract → record.

Each stage takes one of these and returns the next, so any stage can be tested
on a hand-made input without running the ones before it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

Span = tuple[int, int]


@dataclass(frozen=True)
class Page:
    """A page of the source, as character offsets into ``LoadedDocument.raw_text``."""

    number: int
    start: int
    end: int


@dataclass(frozen=True)
class LoadedDocument:
    """A file read into text, before any cleaning. Loaders for every format return this."""

    path: str
    sha256: str
    format: str
    raw_text: str
    pages: tuple[Page, ...] = ()
    ocr: bool = False
    warnings: tuple[str, ...] = ()
    attachments: tuple[str, ...] = ()
    published: str | None = None  # a web page's own date, fallback for issue_date
    # where each raw_text character is printed on its page (PDF, OFD): x0, y0, x1, y1 in points from
    # the top-left, 4 floats a character, NaN for characters the loader made (line breaks, joins)
    boxes: Sequence[float] = ()


@dataclass(frozen=True)
class NormalizedText:
    """Cleaned text plus, for every character, the offset it came from in the raw text.

    ``raw_offsets`` has ``len(text) + 1`` entries so that an end offset maps too.
    """

    text: str
    raw_offsets: Sequence[int]  # an array('i'): 4 bytes an offset, not a tuple of int objects

    def raw_span(self, start: int, end: int) -> Span:
        return self.raw_offsets[start], self.raw_offsets[end]


@dataclass
class Clause:
    """One node of the clause tree. ``id`` is a dotted path of ordinals ("3.4.2")."""

    id: str
    label: str | None
    heading: str | None
    span: Span
    text: str
    style: str | None = None  # numbering style key, see segment.STYLES
    children: list[Clause] = field(default_factory=list)


@dataclass(frozen=True)
class Evidence:
    """Where a fact came from: the clause id, the sentence's span in ``text`` and that sentence,
    and the span of the phrase inside it the fact was read from (发明专利1项以上), so a reviewer
    sees which words, not only which sentence, gave the fact."""

    clause: str
    span: Span
    text: str
    phrase: Span


@dataclass(frozen=True)
class ServiceYears:
    evidence: Evidence
    years: float
    degree: str | None
    basis: str
    route: str
    cutoff: str | None = None
    note: str | None = None
    level: str | None = None  # the title level the rule leads to, when a criteria table names it


@dataclass(frozen=True)
class Requirement:
    evidence: Evidence
    kind: str
    subtype: str | None
    min_count: float
    unit: str
    level: str | None
    group: str | None
    min_words: int | None = None
    min_amount_cny: int | None = None
    rank_max: int | None = None
    note: str | None = None


@dataclass(frozen=True)
class Deadline:
    evidence: Evidence
    event: str
    start: str | None
    end: str | None
    hours: tuple[str, ...] = ()


@dataclass(frozen=True)
class Fee:
    evidence: Evidence
    amount: int  # whole yuan: money is never a float (fees.py says why)
    currency: str
    per: str | None
    covers: tuple[str, ...]
    level: str | None = None  # the title level a fee table row is for (高级/中级/初级)


@dataclass(frozen=True)
class Contact:
    evidence: Evidence
    org: str | None
    name: str | None
    phone: str | None
    phone_inferred: bool
    email: str | None
    address: str | None
    url: str | None


@dataclass(frozen=True)
class CitedDocument:
    evidence: Evidence
    number: str
    title: str | None


@dataclass(frozen=True)
class NoticeMeta:
    title: str | None
    doc_numbers: tuple[str, ...]
    issuers: tuple[str, ...]
    issue_date: str | None
    province: str | None
    city: str | None
    year: int | None
    series: str | None
    levels: tuple[str, ...]
    specialties: tuple[str, ...]
    cited_documents: tuple[CitedDocument, ...]
    title_span: Span | None = None


@dataclass
class Facts:
    service_years: list[ServiceYears] = field(default_factory=list)
    requirements: list[Requirement] = field(default_factory=list)
    deadlines: list[Deadline] = field(default_factory=list)
    fees: list[Fee] = field(default_factory=list)
    contacts: list[Contact] = field(default_factory=list)
    emails: list[str] = field(default_factory=list)
    urls: list[str] = field(default_factory=list)

"""Dataclasses that pass between the diff steps (match → clauses → render).

Kept free of jieba and of rendering so that a notebook can build, inspect and
serialise a diff without paying for either; ``to_json`` fixes the public JSON
shape in one place so renderers and tests cannot drift apart.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

from pipeline.lexicon import labels

ChangeKind = Literal["added", "removed", "changed"]
ClauseStatus = Literal["added", "removed", "changed", "unchanged"]

# the order sections appear in every output (the reading order)
SECTIONS: tuple[str, ...] = (
    "notice",
    "service_years",
    "requirements",
    "deadlines",
    "fees",
    "contacts",
    "cited_documents",
    "clauses",
)

# each section's title on every page (lexicon/labels.toml, shared with the review page)
SECTION_TITLES: dict[str, str] = {s: labels.group(s) for s in SECTIONS}


@dataclass(frozen=True)
class Change:
    """One semantic change a reader can act on: a fact or field added, removed or changed."""

    section: str
    change: ChangeKind
    before: Any
    after: Any
    summary: str
    # position used only for ordering (b's offset when the fact exists in b, else a's)
    order: int = 0

    def to_json(self) -> dict[str, Any]:
        return {
            "section": self.section,
            "change": self.change,
            "before": self.before,
            "after": self.after,
            "summary": self.summary,
        }


@dataclass(frozen=True)
class ClauseRef:
    """The part of a clause the redline shows: where it is and what it says."""

    id: str
    label: str | None
    heading: str | None
    text: str

    def to_json(self) -> dict[str, Any]:
        return {"id": self.id, "label": self.label, "heading": self.heading, "text": self.text}


@dataclass(frozen=True)
class Segment:
    """One run of the inline redline: equal text, or what a had and b has instead."""

    op: Literal["equal", "delete", "insert", "replace"]
    a: str
    b: str

    def to_json(self) -> list[str]:
        return [self.op, self.a, self.b]


@dataclass(frozen=True)
class ClauseDiff:
    """An aligned pair of clauses (or a clause only one side has) with its inline marks."""

    status: ClauseStatus
    a: ClauseRef | None
    b: ClauseRef | None
    similarity: float
    segments: tuple[Segment, ...] = ()

    def to_json(self) -> dict[str, Any]:
        return {
            "change": self.status,
            "a": self.a.to_json() if self.a else None,
            "b": self.b.to_json() if self.b else None,
            "similarity": round(self.similarity, 3),
            "inline": [s.to_json() for s in self.segments],
        }


@dataclass(frozen=True)
class Side:
    """What identifies one compared record in a report header."""

    record_id: str | None
    source: str | None
    title: str | None
    city: str | None
    province: str | None
    year: int | None
    series: str | None
    doc_numbers: tuple[str, ...]

    @property
    def name(self) -> str:
        """Short label for column headers: 忻州市 2024 工程系列."""
        parts = [self.city or self.province or "?", str(self.year or "?"), self.series or ""]
        return " ".join(p for p in parts if p)

    def to_json(self) -> dict[str, Any]:
        return {
            "record_id": self.record_id,
            "source": self.source,
            "title": self.title,
            "province": self.province,
            "city": self.city,
            "year": self.year,
            "series": self.series,
            "doc_numbers": list(self.doc_numbers),
        }


@dataclass(frozen=True)
class DiffResult:
    """Everything a renderer needs: both sides, the semantic changes, the clause redline."""

    a: Side
    b: Side
    changes: tuple[Change, ...]
    clauses: tuple[ClauseDiff, ...] = field(default=())

    @property
    def has_changes(self) -> bool:
        return bool(self.changes) or any(c.status != "unchanged" for c in self.clauses)

    def by_section(self) -> list[tuple[str, list[Change]]]:
        """Changes grouped in the fixed section order; empty sections left out."""
        return [
            (s, [c for c in self.changes if c.section == s])
            for s in SECTIONS
            if any(c.section == s for c in self.changes)
        ]

    def to_json(self) -> dict[str, Any]:
        return {
            "a": self.a.to_json(),
            "b": self.b.to_json(),
            "changes": [c.to_json() for c in self.changes],
            "clauses": [c.to_json() for c in self.clauses],
        }

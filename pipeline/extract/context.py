"""What every extractor needs to know about the notice it reads.

Built once per notice, after the metadata and before any fact is read: the
text, the clause index, and the notice's own reference date, place, issuers
and signing-date lines, so that year-less dates and bare phone numbers resolve
against the notice, never against the clock. Frozen: an extractor reads the
context and returns facts; the one thing it may add to is ``warnings``.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field

from pipeline import gazetteer
from pipeline.patterns import SENTENCE_END
from pipeline.segment import ClauseIndex
from pipeline.types import Clause, Evidence, Span


@dataclass(frozen=True)
class Context:
    text: str
    clauses: list[Clause]
    index: ClauseIndex
    year: int | None = None  # the evaluation year (年度)
    issue_date: str | None = None
    city: str | None = None
    area_code: str | None = None  # the city's telephone area code, for bare local numbers
    issuers: tuple[str, ...] = ()
    own_numbers: tuple[str, ...] = ()  # the notice's own 文号, never a citation
    signing_spans: frozenset[Span] = frozenset()  # dates alone on a line (落款, 印发): never deadlines
    warnings: list[str] = field(default_factory=list)
    sentence_ends: tuple[int, ...] = field(init=False, repr=False)  # offsets just after each sentence end

    def __post_init__(self) -> None:
        object.__setattr__(self, "sentence_ends", tuple(m.end() for m in SENTENCE_END.finditer(self.text)))

    @classmethod
    def of(
        cls,
        text: str,
        clauses: list[Clause],
        *,
        year: int | None = None,
        issue_date: str | None = None,
        city: str | None = None,
        issuers: tuple[str, ...] = (),
        own_numbers: tuple[str, ...] = (),
        signing_spans: frozenset[Span] = frozenset(),
    ) -> Context:
        """The context of a notice whose metadata says this; the area code follows from the city."""
        return cls(
            text,
            clauses,
            ClauseIndex(clauses),
            year,
            issue_date,
            city,
            gazetteer.area_code(city),
            issuers,
            own_numbers,
            signing_spans,
        )

    def evidence(self, span: Span, phrase: Span | None = None) -> Evidence:
        """Provenance of a fact read from the phrase at ``span``: the clause it falls in, the sentence
        around it and the phrase itself (``phrase`` when the fact's words are narrower than the span
        that places it), trimmed of blanks and kept inside the sentence."""
        start, end = span
        clause = self.index.at(start)
        s, e = self.sentence_bounds(start, end)
        return Evidence(
            clause=clause.id if clause else "0",
            span=(s, e),
            text=self.text[s:e],
            phrase=self._phrase(phrase or span, s, e),
        )

    def _phrase(self, span: Span, s: int, e: int) -> Span:
        """``span`` clipped to the sentence [s, e) without its surrounding blanks; the sentence
        itself when nothing printed is left (a span that only placed the fact)."""
        a, b = max(span[0], s), min(span[1], e)
        text = self.text
        while a < b and text[a].isspace():
            a += 1
        while b > a and text[b - 1].isspace():
            b -= 1
        return (a, b) if a < b else (s, e)

    def sentence_bounds(self, start: int, end: int) -> Span:
        """The sentence around [start, end): from the last sentence end before to the next one after."""
        text = self.text
        i = bisect.bisect_right(self.sentence_ends, start) - 1
        s = self.sentence_ends[i] if i >= 0 else 0
        j = bisect.bisect_right(self.sentence_ends, end)
        if j < len(self.sentence_ends):
            e = self.sentence_ends[j]
            if text[e - 1] == "\n":
                e -= 1
        else:
            e = len(text)
        while s < e and text[s].isspace():
            s += 1
        return s, max(e, end)

    def reference_year(self) -> int | None:
        """The year a date without one takes: the notice's signing year, else its evaluation year."""
        if self.issue_date:
            return int(self.issue_date[:4])
        return self.year

    def warn(self, message: str) -> None:
        if message not in self.warnings:
            self.warnings.append(message)

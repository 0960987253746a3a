"""What every extractor needs to know about the notice it reads.

Built once per notice: the text, the clause index, and the notice's own
reference date and place, so that year-less dates and bare phone numbers
resolve against the notice, never against the clock.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field

from pipeline.patterns import SENTENCE_END
from pipeline.segment import ClauseIndex
from pipeline.types import Clause, Evidence, Span


@dataclass
class Context:
    text: str
    clauses: list[Clause]
    index: ClauseIndex
    year: int | None = None  # the evaluation year (年度)
    issue_date: str | None = None
    city: str | None = None
    area_code: str | None = None
    warnings: list[str] = field(default_factory=list)
    sentence_ends: list[int] = field(default_factory=list, repr=False)  # offsets just after each sentence end

    def __post_init__(self) -> None:
        self.sentence_ends = [m.end() for m in SENTENCE_END.finditer(self.text)]

    def evidence(self, span: Span) -> Evidence:
        """Provenance of a fact: the clause it falls in, its span, the sentence it was read from."""
        start, end = span
        clause = self.index.at(start)
        s, e = self.sentence_bounds(start, end)
        return Evidence(clause=clause.id if clause else "0", span=(s, e), text=self.text[s:e])

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

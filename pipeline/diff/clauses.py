"""Clause-level redline: align the clause trees of two notices and mark changed words.

Clauses are aligned by content, not by number, so that a list renumbered after
a deletion lines up item with item. Similarity is Dice over jieba tokens with
numbers masked (a threshold edit stays the same clause), boosted when the
headings agree; an order-preserving alignment (LCS-style dynamic programming)
pairs them. Inline marks come from difflib over the real tokens.

jieba is imported here and only here, lazily: it costs about a second to load
its dictionary, and ``python -m pipeline ingest`` must not pay for it.
"""

from __future__ import annotations

import difflib
import functools
import logging
import re
from collections import Counter
from collections.abc import Iterator, Sequence
from typing import Any

from pipeline.diff.model import ClauseDiff, ClauseRef, Segment
from pipeline.record_types import Clause

# pairs less similar than this are a removal plus an addition, not a change
MIN_SIMILARITY = 0.45
_NUMBER = re.compile(r"\d+(?:\.\d+)?")
_SPACE = re.compile(r"\s+")


@functools.cache
def _jieba() -> Any:
    import jieba

    jieba.setLogLevel(logging.WARNING)
    return jieba


def tokens(text: str) -> list[str]:
    """jieba words of a clause, whitespace dropped (line breaks are layout, not content)."""
    return [t for t in _jieba().lcut(_SPACE.sub("", text)) if t.strip()]


def flatten(clauses: Sequence[Clause]) -> Iterator[ClauseRef]:
    """Clause tree → document order list; each node keeps only its own text."""
    for c in clauses:
        yield ClauseRef(c["id"], c["label"], c["heading"], c["text"])
        yield from flatten(c["children"])


def body(c: ClauseRef) -> str:
    """The clause text without its printed number, so renumbering is no change."""
    text = c.text
    if c.label and text.startswith(c.label):
        text = text[len(c.label) :]
    return _SPACE.sub("", text)


def _bag(toks: Sequence[str]) -> Counter[str]:
    return Counter(_NUMBER.sub("#", t) for t in toks)


def _dice(x: Counter[str], y: Counter[str]) -> float:
    total = sum(x.values()) + sum(y.values())
    return 2 * sum((x & y).values()) / total if total else 1.0


def similarity(a: ClauseRef, b: ClauseRef, ta: Counter[str], tb: Counter[str]) -> float:
    """Content similarity, lifted when both clauses carry the same heading."""
    sim = _dice(ta, tb)
    if a.heading and b.heading and a.heading == b.heading:
        sim = 0.5 + 0.5 * sim
    return sim


def align(a: Sequence[ClauseRef], b: Sequence[ClauseRef]) -> list[tuple[int | None, int | None, float]]:
    """Order-preserving pairing maximising total similarity; unpaired clauses get None opposite."""
    ta = [_bag(tokens(body(c))) for c in a]
    tb = [_bag(tokens(body(c))) for c in b]
    n, m = len(a), len(b)
    sim = [[similarity(a[i], b[j], ta[i], tb[j]) for j in range(m)] for i in range(n)]
    dp = [[0.0] * (m + 1) for _ in range(n + 1)]
    for i in range(n - 1, -1, -1):
        for j in range(m - 1, -1, -1):
            best = max(dp[i + 1][j], dp[i][j + 1])
            if sim[i][j] >= MIN_SIMILARITY:
                best = max(best, dp[i + 1][j + 1] + sim[i][j])
            dp[i][j] = best
    out: list[tuple[int | None, int | None, float]] = []
    i = j = 0
    while i < n and j < m:
        if sim[i][j] >= MIN_SIMILARITY and dp[i][j] == dp[i + 1][j + 1] + sim[i][j]:
            out.append((i, j, sim[i][j]))
            i, j = i + 1, j + 1
        elif dp[i][j] == dp[i + 1][j]:
            out.append((i, None, 0.0))
            i += 1
        else:
            out.append((None, j, 0.0))
            j += 1
    out += [(k, None, 0.0) for k in range(i, n)]
    out += [(None, k, 0.0) for k in range(j, m)]
    return out


def inline(a: str, b: str) -> tuple[Segment, ...]:
    """Token-level redline of two clause bodies, adjacent runs kept as difflib gives them."""
    x, y = tokens(a), tokens(b)
    sm = difflib.SequenceMatcher(None, x, y, autojunk=False)
    return tuple(Segment(op, "".join(x[i1:i2]), "".join(y[j1:j2])) for op, i1, i2, j1, j2 in sm.get_opcodes())  # type: ignore[arg-type]


def diff_clauses(a: Sequence[Clause], b: Sequence[Clause]) -> list[ClauseDiff]:
    """The redline of two clause trees in reading order (a removed clause sits where it was)."""
    fa, fb = list(flatten(a)), list(flatten(b))
    out: list[ClauseDiff] = []
    for i, j, sim in align(fa, fb):
        ca = fa[i] if i is not None else None
        cb = fb[j] if j is not None else None
        if ca is not None and cb is not None:
            if body(ca) == body(cb):
                out.append(ClauseDiff("unchanged", ca, cb, 1.0))
            else:
                out.append(ClauseDiff("changed", ca, cb, sim, inline(body(ca), body(cb))))
        elif ca is not None:
            out.append(ClauseDiff("removed", ca, None, 0.0))
        else:
            assert cb is not None
            out.append(ClauseDiff("added", None, cb, 0.0))
    return out

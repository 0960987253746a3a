"""A compiled-pattern cache for the one-off patterns written inline in the extractors.

``regex.search(pattern, s)`` recompiles through the module's own cache on every call,
which cost about 1 ms per notice across the extractors; ``P(pattern).search(s)`` is one
dictionary lookup. Patterns used in several places belong in named module constants.
"""

from __future__ import annotations

import functools

import regex


@functools.cache
def P(pattern: str) -> regex.Pattern[str]:
    return regex.compile(pattern)

"""Site and advert furniture of reposted pages: lines whose phones, e-mails and URLs are the host's.

Reposting sites and agencies wrap a notice in their own adverts — a 联系我们 block
with a QQ number, a 微信号 to add, a 400 hotline, the 原文网址 of the page they
copied, a government site's footer. Those contacts are not the notice's. The
cue words are data (``lexicon/contacts.toml``), matched per line; a short header
line (联系我们, 业务范围) also claims the few lines under it.
"""

from __future__ import annotations

import bisect
import functools

import regex

from pipeline import lexicon
from pipeline.patterns import P

# a line this short that holds a cue is a header (联系我们): the lines under it are its block
_HEADER_MAX = 8


@functools.cache
def _vocabulary() -> tuple[regex.Pattern[str], int]:
    data = lexicon.load("contacts")
    return regex.compile("|".join(f"(?:{p})" for p in data["advert"])), int(data["header_reach"])


@functools.lru_cache(maxsize=8)
def advert_spans(text: str) -> tuple[tuple[int, int], ...]:
    """The (start, end) of every advert line of the text, in order."""
    cue, reach = _vocabulary()
    lines = [(m.start(), m.end()) for m in P(r"[^\n]*").finditer(text) if m.end() > m.start()]
    flagged: set[int] = set()
    for k, (s, e) in enumerate(lines):
        if cue.search(text, s, e):
            flagged.add(k)
            if len(text[s:e].strip()) <= _HEADER_MAX:
                flagged.update(range(k + 1, min(len(lines), k + 1 + reach)))
    return tuple(lines[k] for k in sorted(flagged))


def in_advert(text: str, pos: int) -> bool:
    """Whether ``pos`` falls on an advert line."""
    spans = advert_spans(text)
    i = bisect.bisect_right(spans, (pos, len(text) + 1)) - 1
    return i >= 0 and spans[i][0] <= pos < spans[i][1]


def without_adverts(text: str) -> str:
    """The text with advert lines blanked (same length, so offsets hold): an agency's
    地址:武汉市… places nothing."""
    spans = advert_spans(text)
    if not spans:
        return text
    out, pos = [], 0
    for s, e in spans:
        out.append(text[pos:s])
        out.append(" " * (e - s))
        pos = e
    out.append(text[pos:])
    return "".join(out)

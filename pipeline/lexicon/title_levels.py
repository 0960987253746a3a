"""A printed title or level word → the level code of the national title system (titles.toml).

``正高级教师`` → ``senior``, ``副高级`` → ``deputy_senior``, ``助理级`` → ``junior``. A word
that names no one level (``高级`` in a 高级/中级/初级 table covers both senior grades) has none.
"""

from __future__ import annotations

import functools

from pipeline.lexicon import load

LEVEL_CODES = ("junior", "intermediate", "deputy_senior", "senior")


@functools.cache
def _names() -> dict[str, str]:
    data = load("titles")
    out: dict[str, str] = {}
    for code in LEVEL_CODES:
        for word in data["generic"].get(code, []):
            out.setdefault(word, code)
    for series in data["series"]:
        for code in LEVEL_CODES:
            for word in series.get(code, []):
                out.setdefault(word, code)
    return out


def level_code(name: str | None) -> str | None:
    """The level code of a title or level word as printed (职称/职务/资格 after it ignored)."""
    if not name:
        return None
    word = name.strip()
    names = _names()
    if word in names:
        return names[word]
    for suffix in ("职称", "职务", "资格", "岗位"):
        if word.endswith(suffix) and word[: -len(suffix)] in names:
            return names[word[: -len(suffix)]]
    generic = load("titles")["generic"]
    for code in LEVEL_CODES:  # 中级工程师, 副高级农艺师: a level word before a title name
        for prefix in sorted(generic.get(code, []), key=len, reverse=True):
            rest = word[len(prefix) :]
            if word.startswith(prefix) and rest and any(rest.endswith(n) for n in names):
                return code
    return None

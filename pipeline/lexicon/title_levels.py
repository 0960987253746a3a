"""A printed title or level word → the one level code it names (the title system of ``pipeline.titles``).

``正高级教师`` → ``senior``, ``副高级`` → ``deputy_senior``, ``助理级`` → ``junior``, ``中级工程师`` →
``intermediate``. A word that names no one level (``高级`` in a 高级/中级/初级 table covers both
senior grades) has none: a rule's level is given only where the notice says it.
"""

from __future__ import annotations

from pipeline import lexicon
from pipeline.titles import LEVEL_CODES, system

__all__ = ["LEVEL_CODES", "level_code"]


def _one(word: str) -> str | None:
    codes = system().levels_of.get(word, ())
    return codes[0] if len(codes) == 1 else None


def level_code(name: str | None) -> str | None:
    """The level code of a title or level word as printed (职称/职务/资格/岗位 after it ignored)."""
    if not name:
        return None
    word = name.strip()
    if word in system().levels_of:
        return _one(word)
    for suffix in ("职称", "职务", "资格", "岗位"):
        if word.endswith(suffix) and word[: -len(suffix)] in system().levels_of:
            return _one(word[: -len(suffix)])
    generic = lexicon.load("titles")["generic"]
    for code in LEVEL_CODES:  # 中级工程师, 副高级农艺师: a level word before a title name
        for prefix in sorted(generic.get(code, []), key=len, reverse=True):
            rest = word[len(prefix) :]
            if word.startswith(prefix) and rest and any(rest.endswith(n) for n in system().levels_of):
                return code
    return None

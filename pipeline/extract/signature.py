"""Who signed the notice and when: org names on a line of their own, the date under them.

The masthead and the 落款 are the official places; pages that repost a notice
move them about. An 印发 notice prints its signature and date above the rules it
issues (so not at the end of the text), and a flattened PDF runs the signature
and date into the sentence before them (…请遵照执行。湖北省职称改革工作领导小组办公室2013 年
8 月 30 日湖北省…). Both are read here as fallbacks to the fixed places.
"""

from __future__ import annotations

import itertools

import regex

from pipeline import gazetteer
from pipeline.extract.dates import iso
from pipeline.patterns import P, org_suffix

ORG_END = regex.compile(org_suffix())
ORG_SUFFIX = regex.compile(f"(?:{org_suffix()})$")
DATE_LINE = regex.compile(r"^[（(]?((?:19|20)\d{2})年(\d{1,2})月(\d{1,2})日(?:印发|印|发布|签发)?[）)]?$")
_SEPARATORS = regex.compile(r"[\s　、]+")
_NOT_ORG = regex.compile(r"[，。；：:,]|百科$")  # 职称百科 is a site's name
# 。湖北省职称改革工作领导小组办公室2013 年 8 月 30 日 — a signature and date inside running text
_RUN_ON = regex.compile(
    r"[。！]\s*(?P<org>\p{Han}{4,40}?(?:办公室|局|厅|委员会|管委会|人民政府|领导小组|中心|组织部))\s*"
    r"(?P<y>(?:19|20)\d{2})\s*年\s*(?P<m>\d{1,2})\s*月\s*(?P<d>\d{1,2})\s*日"
)


# what opens the next org of a masthead besides a province or city: a party body, or a county or
# new area that seats an office
_NEXT_ORG = regex.compile(r"中共|中国共产党")


def split_orgs(run: str) -> list[str]:
    """忻州市工业和信息化局忻州市人力资源和社会保障局 → two issuers: a masthead whose separating
    space was lost (OCR, PDF) splits where an org suffix is followed by a place name, a county or
    new area seating an office (…组织部湘江新区管理委员会), or 中共."""
    cuts = [
        m.end()
        for m in ORG_END.finditer(run)
        if m.end() < len(run)
        and (
            gazetteer.gazetteer().pattern.match(run, m.end())
            or _NEXT_ORG.match(run, m.end())
            or gazetteer.county_office_at(run, m.end())
        )
    ]
    bounds = [0, *cuts, len(run)]
    return [run[a:b] for a, b in itertools.pairwise(bounds) if b > a]


def orgs_in(line: str) -> list[str]:
    """The org names of a line that holds nothing else (separated by spaces or 、), else []."""
    parts = [q for p in _SEPARATORS.split(line) if p for q in split_orgs(p)]
    orgs = [p for p in parts if 4 <= len(p) <= 40 and ORG_SUFFIX.search(p) and not _NOT_ORG.search(p)]
    return orgs if len(orgs) == len(parts) else []


def signed_blocks(text: str) -> list[tuple[list[str], str]]:
    """(issuers, date) of each standalone date line with an org-only line just above it, in order."""
    out = []
    lines = [(m.start(), m.group(0).strip()) for m in P(r"[^\n]+").finditer(text)]
    lines = [(s, t) for s, t in lines if t]
    for k, (_, line) in enumerate(lines):
        m = DATE_LINE.match(line)
        if m and k:
            orgs = orgs_in(lines[k - 1][1])
            date = iso(int(m.group(1)), int(m.group(2)), int(m.group(3)))
            if orgs and date:
                out.append((orgs, date))
    return out


def run_on_signature(text: str) -> tuple[list[str], str] | None:
    """The first signature and date run into the text after a sentence end."""
    for m in _RUN_ON.finditer(text):
        date = iso(int(m.group("y")), int(m.group("m")), int(m.group("d")))
        orgs = split_orgs(m.group("org"))
        if date and all(ORG_SUFFIX.search(o) for o in orgs):
            return orgs, date
    return None

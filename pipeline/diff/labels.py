"""Chinese phrases for facts: the words a reader sees in one-sentence change summaries.

The record stores codes (``patent``/``invention``, ``doctor``, ``title``) so
that machines can match them; people compare ``发明专利: 1项以上 → 2项以上``.
Everything here is a pure function of one fact, so summaries are deterministic.
The words for the codes come from ``lexicon/labels.toml``, shared with every page.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pipeline.lexicon import labels
from pipeline.record_types import CitedDocument, Contact, Deadline, Fee, Requirement, ServiceYears

# a notice field's name in summaries (印发日期: 2024-09-09 → …); the names are the export's headers
NOTICE_FIELDS: tuple[str, ...] = (
    "title",
    "doc_numbers",
    "issuers",
    "issue_date",
    "province",
    "city",
    "year",
    "series",
    "levels",
    "specialties",
)
# the contact fields a summary names, in this order
CONTACT_FIELDS: tuple[str, ...] = ("org", "name", "phone", "email", "address", "url")


def num(x: Any) -> str:
    """5 not 5.0; 50000 字 as 5万 so that word counts read like the notice."""
    if isinstance(x, float) and x.is_integer():
        x = int(x)
    if isinstance(x, int) and x >= 10000 and x % 10000 == 0:
        return f"{x // 10000}万"
    return str(x)


def plain(value: Any) -> str:
    """A notice field or list as printed: lists joined with 、, null as （无）."""
    if value is None or value == [] or value == "":
        return "（无）"
    if isinstance(value, list):
        return "、".join(plain(v) for v in value)
    return str(value)


def requirement_label(f: Requirement) -> str:
    group = f["group"]
    return f"{labels.level(f['level'])}{labels.kind(f['kind'], f['subtype'])}" + (
        f"（{group}）" if group else ""
    )


def requirement_value(f: Requirement) -> str:
    parts = [f"{num(f['min_count'])}{f['unit']}以上"]
    if f.get("min_words"):
        parts.append(f"每篇/部{num(f.get('min_words'))}字以上")
    if f.get("min_amount_cny"):
        parts.append(f"金额{num(f.get('min_amount_cny'))}元以上")
    if f.get("rank_max"):
        parts.append(f"排名前{num(f.get('rank_max'))}")
    if f.get("note"):
        parts.append(str(f.get("note")))
    return "，".join(parts)


def service_label(f: ServiceYears) -> str:
    degree = labels.degree(f["degree"])
    route = labels.route(f["route"])
    return f"{degree}（{route}）" if route else degree


def service_value(f: ServiceYears) -> str:
    text = labels.basis(f["basis"], num(f["years"]))
    if f["cutoff"]:
        text += f"，{f['cutoff']}前"
    if f.get("level"):
        text += f"，{labels.title_level(f.get('level'))}"
    if f.get("note"):
        text += f"，{f.get('note')}"
    return text


def window(f: Deadline) -> str:
    """2024-10-09~10-12: the end's year is dropped when both dates share it."""
    start, end = f["start"], f["end"]
    if start and end:
        short = end[5:] if start[:4] == end[:4] else end
        text = f"{start}~{short}"
    elif start:
        text = f"{start}起"
    else:
        text = f"{end or '?'}止"
    hours = f.get("hours") or []
    if hours:
        text += "（" + "、".join(hours) + "）"
    return text


def fee_label(f: Fee) -> str:
    covers = f["covers"]
    return ("、".join(covers) + "费") if covers else "费用"


def fee_value(f: Fee) -> str:
    return f"{num(f['amount'])}元" + ("/人" if f["per"] == "person" else "")


def contact_label(f: Contact) -> str:
    return f["name"] or f["org"] or "联系方式"


def contact_value(f: Contact) -> str:
    return "，".join(f"{labels.column(k)} {v}" for k in CONTACT_FIELDS if (v := _field(f, k)))


def _field(f: Mapping[str, Any], key: str) -> Any:
    return f.get(key)


def cited_label(f: CitedDocument) -> str:
    title = f["title"]
    return f"《{title}》" if title else "文件"


def cited_value(f: CitedDocument) -> str:
    return f["number"] or "（无文号）"


def contact_changed(a: Contact, b: Contact) -> str:
    """Only the fields that differ: 张楠: 电话 0350-3334038 → 0350-3334066."""
    diffs = [
        f"{labels.column(k)} {plain(_field(a, k))} → {plain(_field(b, k))}"
        for k in CONTACT_FIELDS
        if _field(a, k) != _field(b, k)
    ]
    if not diffs:  # only a flag such as phone_inferred moved
        diffs = [
            f"{k}: {plain(_field(a, k))} → {plain(_field(b, k))}"
            for k in sorted(set(a) | set(b))
            if _field(a, k) != _field(b, k) and k not in ("clause", "span", "text")
        ]
    return f"{contact_label(a)}: " + "；".join(diffs)

"""Chinese phrases for facts: the words a reader sees in one-sentence change summaries.

The record stores codes (``patent``/``invention``, ``doctor``, ``title``) so
that machines can match them; people compare ``发明专利: 1项以上 → 2项以上``.
Everything here is a pure function of one fact, so summaries are deterministic.
"""

from __future__ import annotations

from typing import Any

KIND_ZH: dict[str, str] = {
    "award": "奖项",
    "patent": "专利",
    "software_copyright": "软件著作权",
    "paper": "论文",
    "book": "著作",
    "report": "技术报告",
    "standard": "标准",
    "project": "项目",
    "funding": "资金支持",
    "product": "产品",
    "plan": "规划",
    "platform": "创新平台",
    "honor": "荣誉/示范",
    "assessment": "年度考核",
    "course": "继续教育",
    "other": "其他成果",
}
SUBTYPE_ZH: dict[tuple[str, str], str] = {
    ("patent", "invention"): "发明专利",
    ("patent", "utility_model"): "实用新型专利",
    ("patent", "design"): "外观设计专利",
    ("paper", "core"): "核心期刊论文",
    ("paper", "general"): "一般论文",
}
LEVEL_ZH: dict[str, str] = {
    "national": "国家级",
    "provincial": "省级",
    "municipal": "市级",
    "enterprise": "企业",
    "association": "团体/协会",
}
DEGREE_ZH: dict[str, str] = {
    "doctor": "博士",
    "master": "硕士",
    "master_professional": "工程类专业学位硕士",
    "second_bachelor": "第二学士学位",
    "bachelor": "本科",
    "college": "大专",
    "secondary": "中专/技工",
    "below_required": "不具备规定学历",
}
BASIS_ZH: dict[str, str] = {
    "title": "任现职称满{n}年",
    "work": "从事专业工作满{n}年",
    "skill_level": "取得技能等级后满{n}年",
    "post": "任职满{n}年",
}
ROUTE_ZH: dict[str, str] = {
    "regular": "",
    "exceptional": "破格",
    "high_skill": "高技能人才",
    "green_channel": "绿色通道",
    "transfer": "转评/流动",
    "relaxation": "学历放宽",
}
NOTICE_FIELD_ZH: dict[str, str] = {
    "title": "标题",
    "doc_numbers": "文号",
    "issuers": "发文单位",
    "issue_date": "印发日期",
    "province": "省份",
    "city": "城市",
    "year": "年度",
    "series": "系列",
    "levels": "评审层级",
    "specialties": "专业",
}


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


def requirement_label(f: dict[str, Any]) -> str:
    kind = f.get("kind") or "other"
    what = SUBTYPE_ZH.get((kind, f.get("subtype") or ""), KIND_ZH.get(kind, kind))
    level = LEVEL_ZH.get(f.get("level") or "", "")
    group = f.get("group")
    return f"{level}{what}" + (f"（{group}）" if group else "")


def requirement_value(f: dict[str, Any]) -> str:
    parts = [f"{num(f.get('min_count'))}{f.get('unit') or ''}以上"]
    if f.get("min_words"):
        parts.append(f"每篇/部{num(f['min_words'])}字以上")
    if f.get("min_amount_cny"):
        parts.append(f"金额{num(f['min_amount_cny'])}元以上")
    if f.get("rank_max"):
        parts.append(f"排名前{num(f['rank_max'])}")
    if f.get("note"):
        parts.append(str(f["note"]))
    return "，".join(parts)


def service_label(f: dict[str, Any]) -> str:
    degree = DEGREE_ZH.get(f.get("degree") or "", "不限学历")
    route = ROUTE_ZH.get(f.get("route") or "regular", f.get("route") or "")
    return f"{degree}（{route}）" if route else degree


def service_value(f: dict[str, Any]) -> str:
    text = BASIS_ZH.get(f.get("basis") or "", "满{n}年").format(n=num(f.get("years")))
    if f.get("cutoff"):
        text += f"，{f['cutoff']}前"
    if f.get("level"):
        text += f"，{f['level']}"
    if f.get("note"):
        text += f"，{f['note']}"
    return text


def window(f: dict[str, Any]) -> str:
    """2024-10-09~10-12: the end's year is dropped when both dates share it."""
    start, end = f.get("start"), f.get("end")
    if start and end:
        short = end[5:] if start[:4] == end[:4] else end
        text = f"{start}~{short}"
    elif start:
        text = f"{start}起"
    else:
        text = f"{end or '?'}止"
    if f.get("hours"):
        text += "（" + "、".join(f["hours"]) + "）"
    return text


def fee_label(f: dict[str, Any]) -> str:
    covers = f.get("covers") or []
    return ("、".join(covers) + "费") if covers else "费用"


def fee_value(f: dict[str, Any]) -> str:
    return f"{num(f.get('amount'))}元" + ("/人" if f.get("per") == "person" else "")


def contact_label(f: dict[str, Any]) -> str:
    return f.get("name") or f.get("org") or "联系方式"


CONTACT_FIELDS_ZH = {
    "org": "单位",
    "name": "联系人",
    "phone": "电话",
    "email": "邮箱",
    "address": "地址",
    "url": "网址",
}


def contact_value(f: dict[str, Any]) -> str:
    return "，".join(f"{zh} {f[k]}" for k, zh in CONTACT_FIELDS_ZH.items() if f.get(k))


def cited_label(f: dict[str, Any]) -> str:
    title = f.get("title")
    return f"《{title}》" if title else "文件"


def cited_value(f: dict[str, Any]) -> str:
    return f.get("number") or "（无文号）"


def contact_changed(a: dict[str, Any], b: dict[str, Any]) -> str:
    """Only the fields that differ: 张楠: 电话 0350-3334038 → 0350-3334066."""
    diffs = [
        f"{zh} {plain(a.get(k))} → {plain(b.get(k))}"
        for k, zh in CONTACT_FIELDS_ZH.items()
        if a.get(k) != b.get(k)
    ]
    if not diffs:  # only a flag such as phone_inferred moved
        diffs = [
            f"{k}: {plain(a.get(k))} → {plain(b.get(k))}"
            for k in sorted(set(a) | set(b))
            if a.get(k) != b.get(k) and k not in ("clause", "span", "text")
        ]
    return f"{contact_label(a)}: " + "；".join(diffs)

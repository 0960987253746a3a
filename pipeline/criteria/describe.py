"""Criteria nodes and profile values in Chinese words: what a notice asks, what a person has.

The check's tables and pages, the review page and the diff all say a condition
the same way, with the display names of ``labels.toml``.
"""

from __future__ import annotations

from typing import Any

from pipeline.criteria.profile import Profile
from pipeline.lexicon import labels

_BASIS = {
    "title": "任现职称",
    "skill_level": "取得现技能等级",
    "work": "从事本专业工作",
    "post": "任相应职务",
}


def _num(x: float) -> str:
    return str(int(x)) if float(x).is_integer() else str(x)


def _degrees(codes: list[str]) -> str:
    return "、".join(labels.degree(c) for c in codes)


def need(n: dict[str, Any], negate: bool = False) -> str:
    """What a leaf asks for, as a reader of the notice would say it."""
    atom = n["atom"]
    if atom == "degree":
        return f"学历/学位：{_degrees(n['in'])}"
    if atom == "years":
        where = "基层一线" if n.get("frontline") else ""
        text = f"{where}{_BASIS.get(n['basis'], n['basis'])}满{_num(n['years'])}年"
        if n.get("cutoff"):
            text += f"（{n['cutoff']}前取得）"
        return text
    if atom == "count":
        level = labels.level(n.get("level"))
        kind = labels.kind(n.get("kind"), n.get("subtype"))
        if n["kind"] == "assessment":
            grade = "优秀" if n.get("grade") == "excellent" else "合格以上"
            return f"年度考核{grade}{_num(n['min_count'])}次以上"
        extra = ""
        if n.get("min_words"):
            extra += f"，不少于{n['min_words']}字"
        if n.get("min_amount_cny"):
            extra += f"，金额{n['min_amount_cny'] // 10000}万元以上"
        if n.get("rank_max"):
            extra += f"，排名前{n['rank_max']}"
        prefix = f"{level}以上" if level else ""
        return f"{prefix}{kind}{_num(n['min_count'])}{n.get('unit') or '项'}以上{extra}"
    if atom == "status":
        who = "、".join(labels.name("status", s) for s in n["in"])
        return f"不属于：{who}" if negate else f"身份：{who}"
    if atom == "text":
        return labels.name("tag", n["tag"])
    if atom == "external":
        return f"按{n['number']}执行"
    return atom


def have(n: dict[str, Any], p: Profile) -> str:
    """What the profile says about the thing a leaf asks for ("未填写" when it says nothing)."""
    atom = n["atom"]
    if atom == "degree":
        if p.degree is None:
            return "未填写"
        return labels.degree(p.degree) + ("（工程类专业学位）" if p.professional_master else "")
    if atom == "years":
        if n["basis"] in ("title", "skill_level"):
            held = p.title if n["basis"] == "title" else p.skill_level
            if held is None or held.obtained is None:
                return "未填写取得时间"
            return f"{held.name or ''}{held.obtained.isoformat()}取得"
        if n["basis"] == "work":
            value = p.frontline_years if n.get("frontline") else p.work_years
            return "未填写" if value is None else f"{_num(value)}年"
        return "档案未记录任职经历"
    if atom == "count":
        if n["kind"] == "assessment":
            if p.assessments is None:
                return "未填写"
            return f"合格{p.assessments['passed']}次、优秀{p.assessments['excellent']}次"
        if p.achievements is None:
            return "未填写"
        same = [a for a in p.achievements if a.kind == n["kind"]]
        if not same:
            return "无"
        return "、".join(
            f"{labels.level(a.level)}{labels.kind(a.kind, a.subtype)}{a.count}{n.get('unit') or '项'}"
            for a in same
        )
    if atom == "status":
        return "、".join(labels.name("status", s) for s in p.status) or "无所列身份"
    if atom == "text":
        return "已声明" if n["tag"] in p.attests else "未声明"
    return "—"

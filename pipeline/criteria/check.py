"""An applicant's profile against a record's criteria: met / failed / unknown, per route and per notice.

Three values because a profile never says everything: a 品德 condition the
person has not attested, a rule kept in another document, years from a post
the profile does not record are *unknown*, and an ``any`` that an unknown
child could still satisfy is unknown too. Only what the profile states can
fail. ``check_record`` is the library function a notebook calls.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from pipeline.criteria import vocab
from pipeline.criteria.describe import have, need
from pipeline.criteria.profile import Profile

MET, FAILED, UNKNOWN = "met", "failed", "unknown"
_RANK = {"eligible": 2, "possible": 1, "ineligible": 0}
_LEVEL_RANK = {"national": 4, "provincial": 3, "association": 2, "municipal": 2, "enterprise": 1}


@dataclass
class RouteResult:
    route: str
    clause: str
    verdict: str
    failed: list[dict[str, Any]] = field(default_factory=list)
    unknown: list[dict[str, Any]] = field(default_factory=list)

    def as_json(self) -> dict[str, Any]:
        return {
            "route": self.route,
            "clause": self.clause,
            "verdict": self.verdict,
            "failed": self.failed,
            "unknown": self.unknown,
        }


@dataclass
class Result:
    record_id: str
    source: str
    verdict: str
    route: str | None
    routes: list[RouteResult]
    title: str | None = None
    note: str | None = None

    def as_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"record_id": self.record_id, "source": self.source, "title": self.title}
        out.update(
            {"verdict": self.verdict, "route": self.route, "routes": [r.as_json() for r in self.routes]}
        )
        if self.note:
            out["note"] = self.note
        return out


def years_end(record: dict[str, Any]) -> dt.date | None:
    """Where 任职年限 stop counting: the notice's 任职年限 cut-off date, else December 31 of its year."""
    for d in record["facts"].get("deadlines", []):
        if "任职年限" in d.get("event", "") and d.get("end"):
            return dt.date.fromisoformat(d["end"])
    year = record["notice"].get("year")
    if not year and record["notice"].get("issue_date"):
        year = int(record["notice"]["issue_date"][:4])
    return dt.date(int(year), 12, 31) if year else None


def _add_years(d: dt.date, years: float) -> dt.date:
    whole = int(years)
    months = round((years - whole) * 12)
    y, m = d.year + whole + (d.month - 1 + months) // 12, (d.month - 1 + months) % 12 + 1
    try:
        return d.replace(year=y, month=m)
    except ValueError:  # 29 February, or a 31st in a shorter month
        return dt.date(y, m, 28)


class _Checker:
    def __init__(self, record: dict[str, Any], profile: Profile) -> None:
        self.record = record
        self.p = profile
        self.end = years_end(record)
        self.nodes: dict[str, dict[str, Any]] = {}
        for r in record["criteria"]["routes"]:
            self._index(r["requires"])

    def _index(self, node: dict[str, Any]) -> None:
        if "id" in node:
            self.nodes[node["id"]] = node
        for ch in node.get("of", ()):
            self._index(ch)

    # ---- leaves -------------------------------------------------------------------
    def leaf(self, n: dict[str, Any]) -> str:
        atom = n["atom"]
        if atom == "degree":
            if self.p.degree is None:
                return UNKNOWN
            # the highest degree: a row for 本科 is open to a 硕士 too, a row for 博士 only to a 博士
            held = _rank(self.p.degree)
            if self.p.professional_master:
                held = max(held, _rank("master_professional"))
            needed = min((_rank(d) for d in n["in"]), default=0)
            return MET if held >= needed else FAILED
        if atom == "status":
            return MET if set(n["in"]) & set(self.p.status) else FAILED
        if atom == "text":
            return MET if n["tag"] in self.p.attests else UNKNOWN
        if atom == "external":
            return UNKNOWN
        if atom == "years":
            return self.years(n)
        if atom == "count":
            return self.count(n)
        return UNKNOWN

    def years(self, n: dict[str, Any]) -> str:
        basis = n["basis"]
        if basis in ("title", "skill_level"):
            held = self.p.title if basis == "title" else self.p.skill_level
            if held is None or held.obtained is None:
                return UNKNOWN
            if n.get("cutoff"):
                return MET if held.obtained <= dt.date.fromisoformat(n["cutoff"]) else FAILED
            if self.end is None:
                return UNKNOWN
            return MET if _add_years(held.obtained, n["years"]) <= self.end else FAILED
        if basis == "work":
            value = self.p.frontline_years if n.get("frontline") else self.p.work_years
            if value is None:
                return UNKNOWN
            return MET if value >= n["years"] else FAILED
        return UNKNOWN  # years in a post (任科级): the profile does not record posts

    def count(self, n: dict[str, Any]) -> str:
        if n["kind"] == "assessment":
            if self.p.assessments is None:
                return UNKNOWN
            have_ = self.p.assessments["excellent"]
            if n.get("grade") != "excellent":
                have_ += self.p.assessments["passed"]
            return MET if have_ >= n["min_count"] else FAILED
        if self.p.achievements is None:
            return UNKNOWN
        total, vague = 0, 0
        for a in self.p.achievements:
            if a.kind != n["kind"] or not _subtype_ok(n.get("subtype"), a.subtype):
                continue
            if n.get("level") and a.level is None:
                vague += a.count
                continue
            if n.get("level") and _LEVEL_RANK.get(a.level or "", 0) < _LEVEL_RANK.get(n["level"], 0):
                continue
            if any(
                n.get(k) is not None and getattr(a, attr) is None
                for k, attr in (
                    ("min_words", "words"),
                    ("min_amount_cny", "amount_cny"),
                    ("rank_max", "rank"),
                )
            ):
                vague += a.count
                continue
            if (n.get("min_words") and (a.words or 0) < n["min_words"]) or (
                n.get("min_amount_cny") and (a.amount_cny or 0) < n["min_amount_cny"]
            ):
                continue
            if n.get("rank_max") and (a.rank or 0) > n["rank_max"]:
                continue
            total += a.count
        if total >= n["min_count"]:
            return MET
        return UNKNOWN if total + vague >= n["min_count"] else FAILED

    # ---- groups ---------------------------------------------------------------------
    def value(self, n: dict[str, Any], seen: frozenset[str] = frozenset()) -> str:
        if "ref" in n:
            target = self.nodes.get(n["ref"])
            if target is None or n["ref"] in seen:
                return UNKNOWN
            return self.value(target, seen | {n["ref"]})
        if "atom" in n:
            return self.leaf(n)
        values = [self.value(ch, seen) for ch in n["of"]]
        if n["op"] == "all":
            return FAILED if FAILED in values else UNKNOWN if UNKNOWN in values else MET
        if n["op"] == "none":
            return FAILED if MET in values else UNKNOWN if UNKNOWN in values else MET
        k = n.get("min", 1)
        met = values.count(MET)
        return MET if met >= k else FAILED if met + values.count(UNKNOWN) < k else UNKNOWN

    def collect(
        self,
        n: dict[str, Any],
        out: RouteResult,
        under_met: bool,
        negate: bool,
        seen: frozenset[str] = frozenset(),
    ) -> None:
        """Failed leaves that make the route fail (not those under a met group); every unknown leaf."""
        if "ref" in n:
            target = self.nodes.get(n["ref"])
            if target is not None and n["ref"] not in seen:
                self.collect(target, out, under_met, negate, seen | {n["ref"]})
            return
        v = self.value(n, seen)
        if "atom" in n:
            bad = (v == MET) if negate else (v == FAILED)
            entry = {
                "id": n["id"],
                "clause": n["clause"],
                "text": n["text"],
                "need": need(n, negate),
                "have": have(n, self.p),
            }
            if n["atom"] == "text":
                entry["tag"] = n["tag"]
            if bad and not under_met:
                out.failed.append(entry)
            elif v == UNKNOWN:
                out.unknown.append(entry)
            return
        for ch in n["of"]:
            self.collect(ch, out, under_met or v == MET, negate or n["op"] == "none", seen)


def _rank(degree: str | None) -> int:
    ladder: list[str] = vocab.data()["degree"]["ladder"]
    return ladder.index(degree) if degree in ladder else -1


def _subtype_ok(demand: str | None, held: str | None) -> bool:
    if demand is None or demand == "general":
        return True
    return demand == held


def _verdict(value: str) -> str:
    return {MET: "eligible", UNKNOWN: "possible", FAILED: "ineligible"}[value]


def check_record(record: dict[str, Any], profile: Profile, source: str | None = None) -> Result:
    """The verdict for one record: per route, and the notice's (the best route's)."""
    rid = record.get("record_id", "?")
    src = source or record.get("source", {}).get("path", "")
    title = record.get("notice", {}).get("title")
    if "criteria" not in record:
        return Result(
            rid, src, "no_criteria", None, [], title, "record made by an older pipeline: it has no criteria"
        )
    c = _Checker(record, profile)
    routes = []
    for r in record["criteria"]["routes"]:
        res = RouteResult(r["route"], r["clause"], _verdict(c.value(r["requires"])))
        c.collect(r["requires"], res, False, False)
        routes.append(res)
    if not routes:
        return Result(rid, src, "possible", None, [], title, "the notice states no conditions")
    best = max(routes, key=lambda x: _RANK[x.verdict])
    return Result(rid, src, best.verdict, best.route, routes, title)


def check_records(records: list[tuple[str, dict[str, Any]]], profile: Profile) -> dict[str, Any]:
    """The ``check --format json`` document: one result per record, in the order given."""
    return {
        "profile": profile.name,
        "results": [check_record(r, profile, src).as_json() for src, r in records],
    }

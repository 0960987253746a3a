"""Properties of the check over the seeds' trees: monotone, deterministic, and met when everything is met."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipeline.criteria.check import check_record
from pipeline.criteria.profile import Achievement, Held, Profile

ROOT = Path(__file__).resolve().parent.parent
RECORDS = [
    json.loads(p.read_text(encoding="utf-8"))
    for p in sorted((ROOT / "data" / "structured").glob("*.json"))
    if not p.name.startswith(".")
]
_RANK = {"eligible": 2, "possible": 1, "ineligible": 0}
KINDS = [
    "project",
    "award",
    "patent",
    "paper",
    "book",
    "report",
    "standard",
    "course",
    "honor",
    "funding",
    "platform",
]


def _index(n: dict[str, Any], out: dict[str, dict[str, Any]]) -> dict[str, dict[str, Any]]:
    if "id" in n:
        out[n["id"]] = n
    for ch in n.get("of", ()):
        _index(ch, out)
    return out


NODES = {id(r): {} for r in RECORDS}
for _r in RECORDS:
    for _route in _r["criteria"]["routes"]:
        _index(_route["requires"], NODES[id(_r)])


def _leaves(n: dict[str, Any], nodes: dict[str, dict[str, Any]] | None = None) -> list[dict[str, Any]]:
    """Every leaf under a node, through ``ref`` nodes (a 破格 route points at the regular conditions)."""
    if "ref" in n:
        return _leaves(nodes[n["ref"]], nodes) if nodes else []
    return [n] if "atom" in n else [x for ch in n.get("of", ()) for x in _leaves(ch, nodes)]


def everything_of(route: dict[str, Any], record: dict[str, Any]) -> Profile:
    """A profile meeting every leaf of a route outside its 不得申报 lists."""
    achievements = []
    statuses: set[str] = set()
    tags: set[str] = set()
    for leaf in _leaves(route["requires"], NODES[id(record)]):
        if leaf["atom"] == "count" and leaf["kind"] != "assessment":
            achievements.append(
                Achievement(
                    leaf["kind"], int(leaf["min_count"]), leaf.get("subtype"), "national", 10**6, 10**9, 1
                )
            )
        if leaf["atom"] == "text":
            tags.add(leaf["tag"])
        if leaf["atom"] == "status":
            statuses.update(leaf["in"])
    barred = {s for r in record["criteria"]["routes"] for n in _nones(r["requires"]) for s in n}
    return Profile(
        name="all",
        degree="doctor",
        title=Held("工程师", "intermediate", __import__("datetime").date(2000, 1, 1)),
        skill_level=Held("高级技师", None, __import__("datetime").date(2000, 1, 1)),
        work_years=40,
        frontline_years=40,
        assessments={"passed": 20, "excellent": 20},
        achievements=tuple(achievements),
        status=tuple(sorted(statuses - barred)),
        attests=tuple(sorted(tags)),
    )


def _nones(n: dict[str, Any]) -> list[list[str]]:
    if n.get("op") == "none":
        return [x["in"] for x in n["of"] if x["atom"] == "status"]
    return [x for ch in n.get("of", ()) for x in _nones(ch)]


def test_a_profile_meeting_every_leaf_is_eligible() -> None:
    for record in RECORDS:
        for route in record["criteria"]["routes"]:
            if any(
                leaf["atom"] in ("external",) or leaf.get("basis") == "post"
                for leaf in _leaves(route["requires"])
            ):
                continue  # a rule kept elsewhere or years in a post can never be known from a profile
            res = check_record(record, everything_of(route, record))
            verdict = next(
                r.verdict for r in res.routes if r.clause == route["clause"] and r.route == route["route"]
            )
            assert verdict == "eligible", (record["record_id"], route["route"])


profiles = st.builds(
    Profile,
    name=st.just("p"),
    degree=st.sampled_from(["college", "bachelor", "master", "doctor", None]),
    professional_master=st.booleans(),
    title=st.one_of(
        st.none(),
        st.builds(
            Held,
            st.just("工程师"),
            st.just("intermediate"),
            st.dates(
                min_value=__import__("datetime").date(2010, 1, 1),
                max_value=__import__("datetime").date(2024, 12, 31),
            ),
        ),
    ),
    work_years=st.one_of(st.none(), st.integers(0, 30)),
    frontline_years=st.one_of(st.none(), st.integers(0, 30)),
    assessments=st.one_of(
        st.none(), st.fixed_dictionaries({"passed": st.integers(0, 8), "excellent": st.integers(0, 3)})
    ),
    achievements=st.lists(
        st.builds(
            Achievement,
            st.sampled_from(KINDS),
            st.integers(1, 4),
            st.sampled_from([None, "invention", "utility_model", "core", "general"]),
            st.sampled_from([None, "national", "provincial", "municipal", "enterprise"]),
        ),
        max_size=6,
    ).map(tuple),
    status=st.lists(
        st.sampled_from(["high_skill", "public_servant", "retired", "introduced_talent"]),
        max_size=2,
        unique=True,
    ).map(tuple),
    attests=st.lists(
        st.sampled_from(["ethics", "accepted", "continuing_education", "assessment", "outstanding"]),
        max_size=5,
        unique=True,
    ).map(tuple),
)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(profiles, st.integers(0, 5), st.sampled_from(range(len(RECORDS))))
def test_removing_an_achievement_never_makes_a_profile_more_eligible(p: Profile, k: int, which: int) -> None:
    record = RECORDS[which]
    before = check_record(record, p)
    if not p.achievements:
        return
    fewer = list(p.achievements)
    a = fewer[k % len(fewer)]
    if a.count > 1:
        fewer[k % len(fewer)] = dataclasses.replace(a, count=a.count - 1)
    else:
        del fewer[k % len(fewer)]
    after = check_record(record, dataclasses.replace(p, achievements=tuple(fewer)))
    assert _RANK[after.verdict] <= _RANK[before.verdict]
    for b, r in zip(before.routes, after.routes, strict=True):
        assert _RANK[r.verdict] <= _RANK[b.verdict]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(profiles, st.sampled_from(range(len(RECORDS))))
def test_checking_twice_gives_the_same_result(p: Profile, which: int) -> None:
    first = check_record(RECORDS[which], p).as_json()
    second = check_record(RECORDS[which], p).as_json()
    assert json.dumps(first, ensure_ascii=False) == json.dumps(second, ensure_ascii=False)

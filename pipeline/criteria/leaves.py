"""The leaves of the criteria tree, read from one clause's sentences and facts.

A clause's years and printed counts come from the flat fact lists (their ids
go into the leaf's ``fact``), never read a second time, so the tree and the
lists cannot disagree. What joins them is read from the words between them:
或 makes alternatives, rows for different degrees are alternatives, anything
else holds together.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from typing import Any

import regex

from pipeline.criteria import vocab
from pipeline.patterns import P

Node = dict[str, Any]

_SENTENCE = regex.compile(r"[^。；;！!？?\n]+[。；;！!？?]?")
_NUMBER = regex.compile(r"(?:\d+(?:\.\d+)?|[一二两三四五六七八九十]+)\s*(?:项|篇|部|次|门|个|本|件|份|人)")
_AND = regex.compile(r"并且|同时|且")
_OR_START = regex.compile(r"^[\s，,；;、]*或")
_YEARS_AT = regex.compile(r"(?:满|以上|超过|不少于)?\s*\d+(?:\.\d+)?\s*年(?!度|底|\d)")
_OR_CLAUSE = regex.compile(r"[，,；;]\s*或")
_ABOVE = regex.compile(r"上述(?:规定)?的?(?:学历|学位)")
_REWARD = regex.compile(r"并[^。；;，,]{0,6}?(?:获得?|取得|荣获|被评为|受到)")
_SUBSTITUTE = regex.compile(r"替代|代替|顶替")
_CATEGORY = regex.compile(r"(?:要求|条件|资格|标准|情况|能力|水平)\s*$")
_YEAR_KEYS = ("years", "basis", "cutoff", "degree")
_COUNT_KEYS = ("kind", "subtype", "min_count", "unit", "level", "rank_max", "min_words", "min_amount_cny")


@dataclass(frozen=True)
class Sentence:
    start: int
    end: int
    text: str


def own_text(c: dict[str, Any]) -> str:
    """The clause's text before its first child: its intro, the sentence a list hangs from."""
    if not c["children"]:
        return str(c["text"])
    return str(c["text"][: c["children"][0]["span"][0] - c["span"][0]])


def clause_sentences(c: dict[str, Any], own: str) -> list[Sentence]:
    """Sentences of the clause's own text after its label and heading.

    A heading that is itself a condition (2.按要求完成继续教育培训学习。) is read as a sentence: only
    a category heading (学历要求, 业绩成果条件) is skipped.
    """
    skip = 0
    heading = c.get("heading")
    if heading and vocab.tags(heading) and not _CATEGORY.search(heading):
        heading = None
    for part in (c.get("label"), heading):
        if part:
            i = own.find(part, skip)
            if 0 <= i <= skip + 4:
                skip = i + len(part)
    out = []
    for m in _SENTENCE.finditer(own, skip):
        s = m.group().strip()
        if s:
            out.append(Sentence(c["span"][0] + m.start(), c["span"][0] + m.end(), m.group()))
    return out


class Reader:
    def __init__(self, text: str, facts: dict[str, Any], parent: dict[str, str | None]) -> None:
        self.text = text
        self.parent = parent
        self.years: dict[str, list[dict[str, Any]]] = {}
        self.counts: dict[str, list[dict[str, Any]]] = {}
        self.upward: set[str] = set()  # degrees read so far as 及以上, for a later 上述学历
        for f in facts.get("service_years", []):
            self.years.setdefault(f["clause"], []).append(f)
        for f in facts.get("requirements", []):
            self.counts.setdefault(f["clause"], []).append(f)

    def all_years(self) -> list[dict[str, Any]]:
        return [f for fs in self.years.values() for f in fs]

    def has_facts(self, cid: str) -> bool:
        return bool(self.years.get(cid) or self.counts.get(cid))

    def _leaf(self, cid: str, span: tuple[int, int] | list[int], atom: str, **values: Any) -> Node:
        lo, hi = int(span[0]), int(span[1])
        return {"clause": cid, "span": [lo, hi], "text": self.text[lo:hi], "atom": atom, **values}

    def years_leaf(self, f: dict[str, Any]) -> Node:
        leaf = self._leaf(f["clause"], f["span"], "years", **{k: f.get(k) for k in _YEAR_KEYS}, fact=f["id"])
        if vocab.statuses(f["text"]).count("frontline"):
            leaf["frontline"] = True
        return leaf

    def count_leaf(self, f: dict[str, Any]) -> Node:
        leaf = self._leaf(f["clause"], f["span"], "count", **{k: f.get(k) for k in _COUNT_KEYS}, fact=f["id"])
        if f["kind"] == "assessment" and "优秀" in f["text"]:
            leaf["grade"] = "excellent"
        return leaf

    def degree_leaf(self, cid: str, span: tuple[int, int] | list[int], degrees: list[str]) -> Node:
        return self._leaf(cid, span, "degree", **{"in": degrees})

    def status_leaf(self, c: dict[str, Any], status: str) -> Node:
        return self._leaf(c["id"], c["span"], "status", **{"in": [status]})

    def status_leaves(self, c: dict[str, Any]) -> list[Node]:
        """Who a 不得申报 item bars: one status leaf per status word, else a text leaf saying it."""
        text = own_text(c)
        found = vocab.statuses(text)
        if found:
            return [self._leaf(c["id"], c["span"], "status", **{"in": [s]}) for s in found]
        return [self._leaf(c["id"], c["span"], "text", tag="barred")]

    # ---- one clause's sentences ---------------------------------------------------
    def sentence_nodes(self, c: dict[str, Any], sentences: list[Sentence], item: bool) -> list[Node]:
        """The conditions the clause's own sentences state, in text order; 放宽 rows marked ``_relax``."""
        cid = c["id"]
        own_end = sentences[-1].end if sentences else c["span"][0]
        lo = c["span"][0]  # a clause's detached tail (flat.detach_tail) shares its id
        years = [f for f in self.years.get(cid, []) if lo <= f["span"][0] < own_end]
        counts = [f for f in self.counts.get(cid, []) if lo <= f["span"][0] < own_end]
        nodes: list[Node] = []
        relax_pat = vocab.compiled("relaxation")
        for s in sentences:
            in_s = [f for f in years if s.start <= f["span"][0] < s.end]
            if in_s and relax_pat.search(s.text):
                nodes.append(self._relaxation(cid, s, in_s))
                years = [f for f in years if f not in in_s]
        has_fact = {
            i
            for i, s in enumerate(sentences)
            for f in years + counts
            if s.start <= f["span"][0] < s.end or f["span"][0] <= s.start < f["span"][1]
        }
        for i, s in enumerate(sentences):
            if vocab.is_info_sentence(s.text) and i not in has_fact:
                continue
            if relax_pat.search(s.text) and any(
                n.get("_relax") and n["span"][0] <= s.start < n["span"][1] for n in nodes
            ):
                continue
            counted = any(f["span"][0] < s.end and f["span"][1] > s.start for f in counts)
            nodes.extend(self._words(cid, s, with_facts=i in has_fact, counted=counted))
        nodes = _first_of_each_tag(nodes)
        nodes.extend(self._year_rows(cid, years))
        nodes.extend(self._count_runs(cid, counts))
        for s in sentences:
            if not any(s.start <= f["span"][0] < s.end for f in counts):
                self._place_substitute(nodes, self._substitute(cid, s))
        if not nodes and not c["children"]:
            inline = vocab.quantifier(own_text(c))
            item = item or (inline is not None and inline.op == "any")
        if item and not nodes:
            implied = self._implied(c)
            if implied is not None:
                nodes.append(implied)
        elif item:
            nodes.extend(self._rewards(sentences, years + counts, cid))
        nodes.sort(key=lambda n: n["span"][0])
        return nodes

    def _relaxation(self, cid: str, s: Sentence, facts: list[dict[str, Any]]) -> Node:
        """学历可放宽到大专 for 20 years at the front line: an alternative to the clause's degree rule."""
        members: list[Node] = []
        degrees = vocab.degree_set(s.text, upward=True)
        if degrees:
            members.append(self.degree_leaf(cid, (s.start, s.end), degrees))
        members.extend(self.years_leaf(f) for f in facts)
        for tag, _always, _ in vocab.tags(s.text):
            members.append(self._leaf(cid, (s.start, s.end), "text", tag=tag))
        return {
            "clause": cid,
            "span": [s.start, s.end],
            "text": s.text,
            "op": "all",
            "of": members,
            "_relax": True,
        }

    def _words(self, cid: str, s: Sentence, with_facts: bool, counted: bool = False) -> list[Node]:
        """What a sentence says without numbers: cross-references, external rules, degrees, tags."""
        out: list[Node] = []
        for m in vocab.compiled("ref").finditer(s.text):
            n = vocab.cn_number(m.group("n") or m.group("d") or "")
            parent = self.parent.get(cid)
            if n and parent:
                out.append({"ref": f"{parent}.{n}", "span": [s.start + m.start(), s.start + m.end()]})
        m = vocab.compiled("external").search(s.text)
        if m:
            out.append(self._leaf(cid, (s.start, s.end), "external", number=m.group("number")))
        if not with_facts and not out:
            cue = vocab.compiled("degree", "cue")
            found = [d for d in vocab.degrees(s.text) if d[0] != "below_required"]
            if found and cue.search(s.text):
                degrees = vocab.degree_set(s.text)
                if degrees:
                    out.append(self.degree_leaf(cid, (s.start, s.end), degrees))
        q = vocab.quantifier(s.text)
        tail = P(r"[：:]").split(s.text, maxsplit=1)
        if not with_facts and q is not None and q.op == "any" and len(tail) == 2 and len(tail[1].strip()) > 4:
            implied = self._implied_text(cid, (s.start + len(tail[0]) + 1, s.end), tail[1])
            if implied is not None:
                out.append(implied)
        bare = not (with_facts or out)
        tagged = vocab.tags(s.text)
        # every `always` tag (并通过鉴定或验收 beside 解决过重大难题), and the first other one when
        # nothing else is read from the sentence
        # — unless it stands before the sentence's count: 意见被采纳…挽回重大损失1件以上 describes
        # what is counted, while 并经验收通过 after the count is a condition of its own
        number = _NUMBER.search(s.text) if with_facts else None
        chosen = [t for t, always, at in tagged if always and (number is None or at[1] > number.start())]
        first = next((t for t, always, _ in tagged if not always), None)
        if first is not None and (bare or (first == "outstanding" and not counted and not out)):
            # 满5年,成绩显著、贡献突出: praise beside years alone is a demand of its own (beside a
            # count it describes what is counted)
            chosen.append(first)
        for tag in sorted(chosen, key=[t for t, _, _ in tagged].index):
            out.append(self._leaf(cid, (s.start, s.end), "text", tag=tag))
        return out

    def _year_rows(self, cid: str, years: list[dict[str, Any]]) -> list[Node]:
        """Years rules as rows: one per degree (or none), a row's several years side by side."""
        ladder = vocab.data()["degree"]["ladder"]
        rows: list[tuple[str | None, tuple[int, int], list[dict[str, Any]]]] = []
        for f in years:
            key = (f["span"][0], f["span"][1])
            if rows and rows[-1][0] == f["degree"] and rows[-1][1] == key:
                rows[-1][2].append(f)
            else:
                rows.append((f["degree"], key, [f]))
        out: list[Node] = []
        for degree, span, facts in rows:
            leaves = [self.years_leaf(f) for f in facts]
            if len(leaves) > 1 and self._years_or(span, len(leaves)):
                # 担任审计机构负责人…累计满5年,或在会计师事务所…专职执业满5年: either suffices
                leaves = [self._wrap(cid, "any", leaves)]
            if degree is not None and degree in ladder:
                text = facts[0]["text"]
                if vocab.upward_after(text, degree):
                    degrees = vocab.upward_from(degree)
                    self.upward.add(degree)
                elif degree in self.upward and _ABOVE.search(text):
                    # 具备上述规定学历(学位)条件: the degree rule printed above, 及以上 and all
                    degrees = vocab.upward_from(degree)
                else:
                    degrees = [degree]
                leaves.insert(0, self.degree_leaf(cid, span, degrees))
            if len(leaves) == 1:
                out.append(leaves[0])
            else:
                out.append(
                    {"clause": cid, "span": list(span), "text": facts[0]["text"], "op": "all", "of": leaves}
                )
        # rows for different degrees are alternatives; so are rows of one degree joined by 或
        # (博士…取得工程师职称后满2年;或具备博士学位,从事本专业技术工作满3年)
        joined = any(_OR_START.match(facts[0]["text"]) for _, _, facts in rows[1:])
        if len(out) > 1 and (len({f["degree"] for f in years}) > 1 or joined):
            return [self._wrap(cid, "any", out)]
        return out

    def _years_or(self, span: tuple[int, int], n: int) -> bool:
        """Whether a row's years are printed as alternatives: a clause opening with 或 between them."""
        found = list(_YEARS_AT.finditer(self.text, span[0], span[1]))
        if len(found) != n:
            return False
        return all(_OR_CLAUSE.search(self.text, a.end(), b.start()) for a, b in itertools.pairwise(found))

    def _positions(self, counts: list[dict[str, Any]]) -> list[int]:
        """Where each count's number is printed, so the words between two counts can be read."""
        by_span: dict[tuple[int, int], list[int]] = {}
        out = []
        for f in counts:
            key = (f["span"][0], f["span"][1])
            if key not in by_span:
                by_span[key] = [m.start() for m in _NUMBER.finditer(self.text, key[0], key[1])]
            same = [g for g in counts if (g["span"][0], g["span"][1]) == key]
            k = same.index(f)
            nums = by_span[key]
            out.append(nums[k] if len(nums) == len(same) else nums[0] if nums else key[0] + k)
        return out

    def _count_runs(self, cid: str, counts: list[dict[str, Any]]) -> list[Node]:
        """Counts joined by 或 (or read as one degree's alternative) into ``any``; the rest side by side."""
        if not counts:
            return []
        pos = self._positions(counts)
        runs: list[list[Node]] = [[self.count_leaf(counts[0])]]
        for i in range(1, len(counts)):
            prev, f = counts[i - 1], counts[i]
            seg = self.text[pos[i - 1] : pos[i]]
            leaf = self.count_leaf(f)
            same = prev["span"] == f["span"]
            whole = f["text"]
            joins = "或" in seg if same else bool(_OR_START.match(f["text"]))
            alt = joins or bool(_SUBSTITUTE.search(self.text[pos[i] : pos[i] + 12]))
            if same and "或" in whole and not _AND.search(whole):
                alt = True
            cond = [d for d in vocab.degrees(seg) if d[0] != "below_required"]
            status = vocab.statuses(seg)
            if same and f["kind"] == prev["kind"] and (cond or status):
                alt = True
                if cond:
                    member = self.degree_leaf(cid, f["span"], [cond[0][0]])
                else:
                    member = self._leaf(cid, f["span"], "status", **{"in": [status[-1]]})
                leaf = {
                    "clause": cid,
                    "span": list(f["span"]),
                    "text": f["text"],
                    "op": "all",
                    "of": [member, leaf],
                }
            if alt:
                runs[-1].append(leaf)
            else:
                runs.append([leaf])
        return [run[0] if len(run) == 1 else self._wrap(cid, "any", run) for run in runs]

    def _rewards(self, sentences: list[Sentence], facts: list[dict[str, Any]], cid: str) -> list[Node]:
        """完成2项以上大中型工程设计…,并获得省部级以上表彰: the recognition a counted item must also have
        won, read after the item's facts (an award or honour named without a count)."""
        out = []
        for s in sentences:
            lo = max([f["span"][1] for f in facts if s.start <= f["span"][0] < s.end] + [s.start])
            m = _REWARD.search(self.text, lo, s.end)
            if m is None:
                continue
            kind = vocab.named_kind(self.text[m.start() : s.end])
            if kind is not None and kind[0] in ("award", "honor"):
                out.append(self._implied_leaf(cid, (m.start(), s.end), self.text[m.start() : s.end], kind))
        return out

    def _substitute(self, cid: str, s: Sentence) -> tuple[Node, str] | None:
        """授权发明专利可替代1篇论文: an achievement without its own count that stands in for one
        the clause counts, as (implied leaf, the kind it replaces); None when the sentence is no such."""
        m = _SUBSTITUTE.search(s.text)
        if m is None:
            return None
        head, tail = s.text[: m.start()], s.text[m.end() :]
        kind, target = vocab.named_kind(head), vocab.named_kind(tail)
        if kind is None or target is None or kind == target:
            return None
        leaf = self._implied_leaf(cid, (s.start, s.end), head, kind)
        return leaf, target[0]

    def _place_substitute(self, nodes: list[Node], found: tuple[Node, str] | None) -> None:
        """Put a substitute beside the count it replaces: the count's 或-run grows, a lone count becomes one."""
        if found is None:
            return
        leaf, target = found
        for i, n in enumerate(nodes):
            if n.get("atom") == "count" and n["kind"] == target:
                nodes[i] = self._wrap(n["clause"], "any", [n, leaf])
                return
            if n.get("op") == "any" and any(
                ch.get("atom") == "count" and ch["kind"] == target for ch in n["of"]
            ):
                n["of"].append(leaf)
                n["span"] = [min(n["span"][0], leaf["span"][0]), max(n["span"][1], leaf["span"][1])]
                n["text"] = self.text[n["span"][0] : n["span"][1]]
                return

    def _wrap(self, cid: str, op: str, of: list[Node]) -> Node:
        lo = min(n["span"][0] for n in of)
        hi = max(n["span"][1] for n in of)
        return {"clause": cid, "span": [lo, hi], "text": self.text[lo:hi], "op": op, "of": of}

    def _implied(self, c: dict[str, Any]) -> Node | None:
        """An item that names an achievement without a number: at least one of it."""
        text = own_text(c)
        if any(tag == "outstanding" for tag, _, _ in vocab.tags(text)):
            return self._leaf(c["id"], c["span"], "text", tag="outstanding")
        implied = self._implied_text(c["id"], c["span"], text)
        if implied is None:
            tags = vocab.tags(text)
            if tags:
                return self._leaf(c["id"], c["span"], "text", tag=tags[0][0])
        return implied

    def _implied_text(self, cid: str, span: tuple[int, int] | list[int], text: str) -> Node | None:
        kind = vocab.implied_kind(text)
        if kind is None:
            return None
        return self._implied_leaf(cid, span, text, kind)

    def _implied_leaf(
        self, cid: str, span: tuple[int, int] | list[int], text: str, kind: tuple[str, str | None]
    ) -> Node:
        return self._leaf(
            cid,
            span,
            "count",
            kind=kind[0],
            subtype=kind[1],
            min_count=1,
            unit="项",
            level=vocab.level(text),
            rank_max=None,
            min_words=None,
            min_amount_cny=None,
            implied=True,
        )


def _first_of_each_tag(nodes: list[Node]) -> list[Node]:
    """A clause that says 品德 twice states one condition, not two."""
    seen: set[str] = set()
    out = []
    for n in nodes:
        if n.get("atom") == "text":
            if n["tag"] in seen:
                continue
            seen.add(n["tag"])
        out.append(n)
    return out

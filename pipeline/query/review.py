"""One record → one self-contained HTML page an analyst can check in a minute.

The page shows the notice's normalised text with every extracted fact
highlighted and labelled by kind, a side panel listing the facts grouped by
top-level section (each a link to its place in the text), and the record's
warnings.  Highlighting uses spaCy's displaCy in ``manual`` mode: it renders
character spans without any language model, and escapes the text for us.

displaCy cannot draw overlapping spans, and facts overlap all the time (one
sentence gives three requirements; a contact line gives one entry per person),
so the spans are first cut into non-overlapping segments, each labelled with
every kind that covers it (``业绩条件×3``).  The page has no external assets:
it must open from a mail attachment or a CI artefact.

For a PDF, OFD or scan, ``write_review`` also draws the source's pages with every fact's boxes
on them, left of the text (``review_pages.py``); ``render_page`` alone draws the text only.
"""

from __future__ import annotations

import html
import itertools
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, cast

from pipeline.corrections import show
from pipeline.diff.labels import num
from pipeline.lexicon import labels
from pipeline.query import review_pages
from pipeline.query.review_criteria import panel as criteria_panel
from pipeline.query.tables import FACT_SCHEMAS, walk_clauses
from pipeline.record_types import PolicyRecord
from pipeline.records import NoRecords, Problem, iter_records, read_record, record_paths

# fact kind → (Chinese label, highlight colour); the order is the order labels are combined in.
# The labels are the section titles of the diff pages (lexicon/labels.toml).
KINDS: dict[str, tuple[str, str]] = {
    "service_years": (labels.group("service_years"), "#ffd58a"),
    "requirements": (labels.group("requirements"), "#9fd8ff"),
    "deadlines": (labels.group("deadlines"), "#b9f0a8"),
    "fees": (labels.group("fees"), "#ffb3b3"),
    "contacts": (labels.group("contacts"), "#e0c3ff"),
    "citations": (labels.group("cited_documents"), "#d9d9d9"),
}


class RecordNotFound(Exception):
    """Neither a record file nor a record id under the data folder."""


@dataclass(frozen=True)
class Fact:
    """One extracted fact, flattened for display: which kind, its n-th entry, where it sits."""

    kind: str
    index: int
    start: int
    end: int
    clause: str
    data: Mapping[str, Any]

    @property
    def anchor(self) -> str:
        return f"{self.kind}-{self.index}"


@dataclass(frozen=True)
class Segment:
    """A stretch of text covered by the same set of facts: one displaCy entity."""

    start: int
    end: int
    facts: tuple[Fact, ...]

    @property
    def label(self) -> str:
        counts = {k: sum(f.kind == k for f in self.facts) for k in KINDS}
        return "、".join(f"{KINDS[k][0]}×{n}" if n > 1 else KINDS[k][0] for k, n in counts.items() if n)

    @property
    def colour(self) -> str:
        return KINDS[min((f.kind for f in self.facts), key=list(KINDS).index)][1]


def find_record(ref: str, data: Path, problems: list[Problem] | None = None) -> Path:
    """A path to a record file, or a record id / file name looked up under ``data``.

    Looking up an id reads the folder's records through ``pipeline.records``; the files
    that cannot be read go to ``problems`` (else stderr), and the search goes on.
    """
    path = Path(ref)
    if path.is_file():
        return path
    try:
        candidates = record_paths(data)
    except NoRecords:
        candidates = []
    for candidate in candidates:
        if ref in (candidate.name, candidate.name.removesuffix(".json")):
            return candidate
    if candidates:
        for candidate, record in iter_records(data, problems, all_copies=True):
            if record["record_id"] == ref:
                return candidate
    raise RecordNotFound(f"{ref}: no such record file, and no record with that id under {data}")


def facts_of(record: PolicyRecord) -> list[Fact]:
    """Every fact with a usable span, cited documents included, in kind order then list order."""
    text_len = len(record["text"])
    facts = cast(Mapping[str, Sequence[Mapping[str, Any]]], record["facts"])
    lists: dict[str, Sequence[Mapping[str, Any]]] = {k: facts[k] for k in FACT_SCHEMAS}
    lists["citations"] = record["notice"]["cited_documents"]
    out = []
    for kind in KINDS:
        for i, fact in enumerate(lists.get(kind, [])):
            span = fact.get("span")
            if isinstance(span, list) and len(span) == 2 and 0 <= span[0] < span[1] <= text_len:
                out.append(Fact(kind, i, span[0], span[1], str(fact.get("clause") or ""), fact))
    return out


def segments(facts: list[Fact]) -> list[Segment]:
    """Cut overlapping fact spans into non-overlapping segments, each with the facts covering it."""
    cuts = sorted({f.start for f in facts} | {f.end for f in facts})
    out: list[Segment] = []
    for a, b in itertools.pairwise(cuts):
        covering = tuple(f for f in facts if f.start <= a and f.end >= b)
        if not covering:
            continue
        previous = out[-1] if out else None
        if previous and previous.end == a and previous.facts == covering:
            out[-1] = Segment(previous.start, b, covering)
        else:
            out.append(Segment(a, b, covering))
    return out


def render_text(text: str, segs: list[Segment]) -> str:
    """The text as displaCy HTML, each highlight given an id ``seg-N`` so links can jump to it."""
    from spacy import displacy

    ents = [{"start": s.start, "end": s.end, "label": s.label} for s in segs]
    colours = {s.label: s.colour for s in segs}
    markup = displacy.render(
        {"text": text, "ents": ents, "title": None},
        style="ent",
        manual=True,
        page=False,
        jupyter=False,
        options={"colors": colours},
    )
    parts = markup.split('<mark class="entity"')
    if len(parts) - 1 != len(segs):  # displaCy changed its markup: fail loudly, never mislabel
        raise RuntimeError(f"displaCy drew {len(parts) - 1} highlights for {len(segs)} segments")
    return parts[0] + "".join(f'<mark id="seg-{i}" class="entity"{p}' for i, p in enumerate(parts[1:]))


def summary(fact: Fact) -> str:
    """One line saying what the fact says, in the record's own values."""
    d = fact.data

    def join(*parts: Any) -> str:
        return " · ".join(str(p) for p in parts if p not in (None, "", []))

    if fact.kind == "service_years":
        return join(
            labels.basis(d.get("basis"), num(d.get("years"))),
            labels.degree(d.get("degree")),
            labels.route(d.get("route")),
            d.get("cutoff") and f"截至{d['cutoff']}",
        )
    if fact.kind == "requirements":
        level = labels.level(d.get("level"))
        return join(
            labels.kind(d.get("kind"), d.get("subtype")),
            f"≥{d.get('min_count')}{d.get('unit') or ''}",
            level,
            d.get("group"),
        )
    if fact.kind == "deadlines":
        window = f"{d.get('start') or ''}–{d.get('end') or ''}" if d.get("start") else d.get("end")
        return join(d.get("event"), window, "、".join(d.get("hours") or []))
    if fact.kind == "fees":
        return join(f"{d.get('amount')}元", labels.per(d.get("per")), "、".join(d.get("covers") or []))
    if fact.kind == "contacts":
        return join(d.get("org"), d.get("name"), d.get("phone"), d.get("email"))
    return join(d.get("number"), d.get("title"))


def sections(record: PolicyRecord) -> dict[str, str]:
    """Top-level clause id → its title as printed (``三、申报条件``), for grouping the side panel."""
    out = {}
    for node, parent, _depth in walk_clauses(record["clauses"]):
        if parent is None:
            title = "".join(x for x in (node["label"], node["heading"]) if x)
            out[node["id"]] = title or ("正文前" if node["id"] == "0" else "其他")
    return out


def _section_of(clause: str, titles: dict[str, str]) -> str:
    top = clause.split(".")[0]
    return top if top in titles else clause


def render_page(record: PolicyRecord, pages: review_pages.SourcePages | None = None) -> str:
    """The whole review page as one HTML string (deterministic: same record and pages, same bytes);
    with ``pages``, the source's pages and the facts' boxes on them beside the text."""
    facts = facts_of(record)
    drawn = {p.number for p in pages.pages} if pages else set()
    boxes = review_pages.fact_boxes(
        [(f.anchor, f.data, KINDS[f.kind][1], f"{KINDS[f.kind][0]}：{summary(f)}") for f in facts]
    )
    boxed = {b.anchor: b.page for b in boxes if b.page in drawn}
    segs = segments(facts)
    segment_of: dict[
        str, int
    ] = {}  # fact → the segment where it starts (there always is one: spans are cut there)
    for i, s in enumerate(segs):
        for f in s.facts:
            if s.start == f.start:
                segment_of.setdefault(f.anchor, i)
    titles = sections(record)
    order = list(titles)
    grouped: dict[str, list[Fact]] = {}
    for f in sorted(facts, key=lambda f: (f.start, list(KINDS).index(f.kind), f.index)):
        grouped.setdefault(_section_of(f.clause, titles), []).append(f)
    e = html.escape
    panel = []

    def command(f: Fact) -> str:
        cmd = show.command_for(record["record_id"], f.kind, f.data)
        return f'<code class="cmd">{e(cmd)}</code>' if cmd else ""

    def on_page(f: Fact) -> str:
        page = boxed.get(f.anchor)
        return f' <a class="onpage" href="#box-{f.anchor}">第{page}页</a>' if page else ""

    for key in sorted(grouped, key=lambda k: (order.index(k) if k in order else len(order), k)):
        items = "".join(
            f'<li id="row-{f.anchor}"><a href="#seg-{segment_of.get(f.anchor, 0)}"><span class="tag" style="background:{KINDS[f.kind][1]}">'
            f"{e(KINDS[f.kind][0])}</span> {e(summary(f))}</a>{show.mark(f.data)} <small>条款 {e(f.clause)}</small>"
            f"{on_page(f)}{command(f)}</li>"
            for f in grouped[key]
        )
        panel.append(f"<h3>{e(titles.get(key, key))}</h3><ul>{items}</ul>")
    notice = record["notice"]
    warnings = record["warnings"]
    warn_html = "<ul>" + "".join(f"<li>{e(w)}</li>" for w in warnings) + "</ul>" if warnings else "<p>无</p>"
    meta = " · ".join(
        e(str(v))
        for v in (
            notice["province"],
            notice["city"],
            notice["year"] and f"{notice['year']}年度",
            notice["series"],
            "、".join(notice["levels"]),
            "、".join(notice["doc_numbers"]),
        )
        if v
    )
    counts = " ".join(f"{KINDS[k][0]} {sum(f.kind == k for f in facts)}" for k in KINDS)
    legend = "".join(f'<span class="tag" style="background:{c}">{e(z)}</span>' for z, c in KINDS.values())
    title = notice["title"] or record["record_id"] or "record"
    return f"""<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<title>核对 · {e(str(title))}</title>
<style>
body {{ margin: 0; font-family: "Noto Sans CJK SC", "Source Han Sans SC", "PingFang SC", "Microsoft YaHei", sans-serif; color: #222; }}
header {{ padding: 12px 20px; border-bottom: 1px solid #ccc; background: #fafafa; }}
header h1 {{ font-size: 18px; margin: 0 0 4px; }}
.meta, .counts {{ font-size: 13px; color: #555; }}
main {{ display: flex; align-items: flex-start; }}
#text {{ flex: 3; padding: 12px 20px; font-size: 15px; }}
aside {{ flex: 2; position: sticky; top: 0; max-height: 100vh; overflow-y: auto; padding: 12px 16px;
  border-left: 1px solid #ccc; background: #fcfcfc; font-size: 13px; }}
aside h2 {{ font-size: 15px; margin: 8px 0; }} aside h3 {{ font-size: 14px; margin: 12px 0 4px; }}
aside ul {{ padding-left: 16px; margin: 0; }} aside li {{ margin: 3px 0; }}
aside a {{ color: #123; text-decoration: none; }} aside a:hover {{ text-decoration: underline; }}
.tag {{ display: inline-block; padding: 0 6px; border-radius: 4px; font-size: 12px; margin-right: 4px; }}
.warnings {{ background: #fff4e5; border: 1px solid #f0c36d; padding: 6px 10px; border-radius: 4px; }}
mark:target {{ outline: 3px solid #d33; }}
{show.STYLE}
{review_pages.STYLE if pages else ""}
</style>
</head>
<body>
<header>
<h1>{e(str(title))}</h1>
<div class="meta">{meta}{show.mark(notice)}</div>
<div class="counts">{e(record["record_id"])} · {e(counts)} · {legend}</div>
</header>
<main>
{review_pages.render(pages, boxes) if pages else ""}
<section id="text">{render_text(record["text"], segs)}</section>
<aside>
<h2>警告</h2>
<div class="warnings">{warn_html}</div>
{show.section(record)}
<h2>要素（{len(facts)}）</h2>
{"".join(panel) or "<p>没有抽取到要素</p>"}
{criteria_panel(cast(dict[str, Any], record).get("criteria"), [s.start for s in segs], [s.end for s in segs])}
</aside>
</main>
</body>
</html>
"""


def write_review(record: PolicyRecord | Path, out: Path, source_root: Path | None = None) -> Path:
    """Render a record (or the record file at that path, read and validated) to ``out``, with the
    pages of its source (``source.path`` under ``source_root``, by default the current folder)
    when it is a PDF, OFD or scan."""
    from pipeline.store import write_atomic

    if isinstance(record, Path):
        record = read_record(record)
    write_atomic(out, render_with_pages(record, source_root))
    return out


def render_with_pages(record: PolicyRecord, source_root: Path | None = None) -> str:
    """``render_page`` with the source's pages drawn, for a PDF, OFD or scan whose file is found
    (``source.path`` under ``source_root``); a note instead where it is missing or changed."""
    wanted = [f.data["page"] for f in facts_of(record) if isinstance(f.data.get("page"), int)]
    pages = review_pages.source_pages(record, wanted, source_root)
    return render_page(record, pages if pages.pages or pages.note else None)


def iter_anchors(page: str) -> Iterator[str]:
    """The ``#seg-N`` targets a page links to; lets tests check every link lands on a highlight."""
    import re

    yield from re.findall(r'href="#(seg-\d+)"', page)

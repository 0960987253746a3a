"""Review page: every fact highlighted and linked; checked in a real headless chromium when there is one."""

from __future__ import annotations

import itertools
import json
import re
from pathlib import Path

import pytest

from pipeline.query.review import KINDS, facts_of, iter_anchors, render_page, segments, write_review
from tests.conftest import STRUCTURED, chromium, needs_chromium
from tests.record_factory import blank_record

SEED = STRUCTURED / "000_020e7bca74b620b8.txt.json"


def _record() -> dict:  # type: ignore[type-arg]
    return json.loads(SEED.read_text(encoding="utf-8"))


def _facts_in(record: dict) -> int:  # type: ignore[type-arg]
    facts = record["facts"]
    return sum(len(facts.get(k) or []) for k in KINDS if k != "citations") + len(
        record["notice"].get("cited_documents") or []
    )


def test_segments_do_not_overlap_and_cover_every_fact() -> None:
    facts = facts_of(_record())
    assert len(facts) == _facts_in(_record())
    segs = segments(facts)
    assert all(a.end <= b.start for a, b in itertools.pairwise(segs))
    for f in facts:
        covered = sum(s.end - s.start for s in segs if f in s.facts)
        assert covered == f.end - f.start, f.anchor


def test_overlapping_facts_get_a_combined_label() -> None:
    req = {"kind": "paper", "subtype": None, "min_count": 1, "unit": "篇", "level": None, "group": None}
    record = blank_record(
        "甲乙丙丁戊",
        facts={
            "requirements": [
                {**req, "span": [0, 3], "clause": "1", "text": "甲乙丙"},
                {**req, "span": [0, 3], "clause": "1", "text": "甲乙丙"},
            ]
        },
        notice={"cited_documents": [{"span": [2, 5], "clause": "1", "number": "x", "title": None}]},
    )
    segs = segments(facts_of(record))  # type: ignore[arg-type]
    assert [(s.start, s.end, s.label) for s in segs] == [
        (0, 2, "业绩条件×2"),
        (2, 3, "业绩条件×2、引用文件"),
        (3, 5, "引用文件"),
    ]


def test_page_links_land_on_highlights_and_lists_warnings() -> None:
    record = _record()
    record["warnings"] = ["<script>警告示例</script>"]
    page = render_page(record)
    ids = set(re.findall(r'<mark id="(seg-\d+)"', page))
    anchors = list(iter_anchors(page))
    assert len(anchors) == _facts_in(record)  # one side-panel link per fact
    assert set(anchors) <= ids
    assert "&lt;script&gt;警告示例" in page and "<script>" not in page  # escaped, and no scripts at all
    assert "http" not in page.split("<body>")[0]  # self-contained: no external assets in the head


def test_page_is_deterministic(tmp_path: Path) -> None:
    a, b = write_review(SEED, tmp_path / "a.html"), write_review(SEED, tmp_path / "b.html")
    assert a.read_bytes() == b.read_bytes()


@pytest.mark.slow
@needs_chromium
def test_review_page_screenshot_shows_highlighted_facts(tmp_path: Path) -> None:
    from PIL import Image

    page = write_review(SEED, tmp_path / "review.html")
    shot = tmp_path / "shot.png"
    done = chromium(tmp_path, "--window-size=1400,3000", f"--screenshot={shot}", page.as_uri(), check=False)
    assert shot.exists(), done.stderr[-2000:]
    image = Image.open(shot).convert("RGB")
    assert len(image.getcolors(maxcolors=1 << 20) or []) > 50  # not blank: text, panel, highlights
    # the requirement colour fills highlights inside the notice text (left column, below the header)
    text_area = image.crop((0, 120, int(image.width * 0.55), image.height))
    blue = tuple(int(KINDS["requirements"][1][i : i + 2], 16) for i in (1, 3, 5))
    counts = {colour: n for n, colour in text_area.getcolors(maxcolors=1 << 22) or []}
    assert counts.get(blue, 0) > 500


@pytest.mark.slow
@needs_chromium
def test_review_page_dom_has_fact_marks(tmp_path: Path) -> None:
    page = write_review(SEED, tmp_path / "review.html")
    dom = chromium(tmp_path, "--dump-dom", page.as_uri(), check=False).stdout
    expected = len(segments(facts_of(_record())))
    assert len(re.findall(r'<mark id="seg-\d+" class="entity"', dom)) == expected > 0
    assert "业绩条件" in dom and "资历年限" in dom

"""Arbitrary bytes and text: nothing but the project's own errors, and every span inside the text."""

from __future__ import annotations

from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipeline.errors import IngestError
from pipeline.load import load
from pipeline.normalize import normalize
from pipeline.segment import segment, walk
from tests.conftest import facts_of, run_text

_NOTICE_ALPHABET = st.sampled_from(
    list(
        "一二三四五六七八九十年月日底满以上项篇部次元职称评审工程师博士硕士本科大专联系人电话（）()〔〕、，。；：\n 0123456789-—至.@①"
    )
)
_NOTICE_TEXT = st.text(_NOTICE_ALPHABET, max_size=300)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    data=st.binary(max_size=2000), suffix=st.sampled_from([".txt", ".pdf", ".md", ".html", ".docx", ".png"])
)
def test_loader_raises_only_ingest_errors(tmp_path_factory, data: bytes, suffix: str) -> None:  # type: ignore[no-untyped-def]
    path = Path(tmp_path_factory.mktemp("fuzz")) / f"f{suffix}"
    path.write_bytes(data)
    try:
        doc = load(path)
    except IngestError as exc:
        assert exc.path == str(path) and exc.reason
        return
    assert doc.raw_text.strip()


@settings(max_examples=200, deadline=None)
@given(_NOTICE_TEXT)
def test_segmenter_covers_only_the_text(text: str) -> None:
    norm = normalize(text)
    for c in walk(segment(norm)):
        assert 0 <= c.span[0] <= c.span[1] <= len(norm.text)
        assert norm.text[c.span[0] : c.span[1]] == c.text


@settings(max_examples=200, deadline=None)
@given(_NOTICE_TEXT, st.sampled_from([None, 2019, 2024]))
def test_extractors_keep_spans_inside_the_text(text: str, year: int | None) -> None:
    facts = facts_of(text, year=year, city="忻州市")
    n = len(normalize(text).text)
    for items in (facts.service_years, facts.requirements, facts.deadlines, facts.fees, facts.contacts):
        for f in items:
            s, e = f.evidence.span
            assert 0 <= s <= e <= n


@settings(max_examples=100, deadline=None)
@given(st.text(max_size=400))
def test_whole_pipeline_on_any_text_gives_a_valid_record_or_our_error(text: str) -> None:
    try:
        record = run_text("职称评审 工程师\n" + text)
    except IngestError:
        return
    body = record["text"]
    for items in record["facts"].values():
        for fact in items:
            if isinstance(fact, dict):
                assert body[fact["span"][0] : fact["span"][1]] == fact["text"]


_ZIP_MEMBERS = st.sampled_from(
    [
        "word/document.xml",
        "word/styles.xml",
        "[Content_Types].xml",
        "xl/workbook.xml",
        "ppt/presentation.xml",
        "mimetype",
        "OFD.xml",
        "content.xml",
        "notice.txt",
    ]
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    members=st.dictionaries(_ZIP_MEMBERS, st.binary(max_size=200), max_size=5),
    suffix=st.sampled_from([".docx", ".pdf", ".txt"]),
)
def test_any_zip_package_gives_a_document_or_our_error(tmp_path_factory, members, suffix) -> None:  # type: ignore[no-untyped-def]
    import zipfile

    path = Path(tmp_path_factory.mktemp("zipfuzz")) / f"f{suffix}"
    with zipfile.ZipFile(path, "w") as z:
        for name, data in members.items():
            z.writestr(name, data)
    try:
        doc = load(path)
    except IngestError as exc:
        assert exc.path == str(path) and exc.reason and "\n" not in exc.reason
        return
    assert doc.raw_text.strip()

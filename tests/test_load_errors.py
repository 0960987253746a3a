"""Each bad file gives one clear error of its own class; a wrong suffix still takes the right path."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest

from pipeline.errors import (
    EmptyInput,
    EncryptedInput,
    MissingTool,
    TooLarge,
    UnreadableInput,
    UnsupportedFormat,
)
from pipeline.load import load, office

FIXTURES = Path(__file__).resolve().parent / "fixtures/formats"
PDF = FIXTURES / "004_44f96866d5556162.pdf"


def test_encrypted_pdf() -> None:
    with pytest.raises(EncryptedInput) as err:
        load(FIXTURES / "encrypted.pdf")
    assert err.value.line() == f"error: {FIXTURES / 'encrypted.pdf'}: password-protected PDF"


@pytest.mark.parametrize("keep", [0.33, 0.05])
def test_truncated_pdf(tmp_path: Path, keep: float) -> None:
    data = PDF.read_bytes()
    p = tmp_path / "cut.pdf"
    p.write_bytes(data[: int(len(data) * keep)])
    with pytest.raises(UnreadableInput, match=r"^damaged PDF: "):
        load(p)


def test_zero_page_pdf(tmp_path: Path) -> None:
    import pypdfium2 as pdfium

    buf = io.BytesIO()
    pdfium.PdfDocument.new().save(buf)  # a well-formed PDF whose page tree is empty
    p = tmp_path / "empty.pdf"
    p.write_bytes(buf.getvalue())
    with pytest.raises(EmptyInput, match="PDF has no pages"):
        load(p)


def test_zip_with_pdf_suffix_is_refused(tmp_path: Path) -> None:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("notice.txt", "关于开展职称评审工作的通知")
    p = tmp_path / "notice.pdf"
    p.write_bytes(buf.getvalue())
    with pytest.raises(UnsupportedFormat, match="archive"):
        load(p)


def test_doc_without_libreoffice_says_how_to_install(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(office.shutil, "which", lambda name: None)
    p = tmp_path / "notice.doc"
    p.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600)
    with pytest.raises(MissingTool, match="apt-get install libreoffice-writer"):
        load(p)


def test_encrypted_office_document(tmp_path: Path) -> None:
    p = tmp_path / "locked.docx"
    p.write_bytes(
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100 + "EncryptedPackage".encode("utf-16-le")
    )
    with pytest.raises(EncryptedInput):
        load(p)


def test_damaged_docx(tmp_path: Path) -> None:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("word/document.xml", "<not-xml")
    p = tmp_path / "broken.docx"
    p.write_bytes(buf.getvalue())
    with pytest.raises(UnreadableInput, match="damaged Word document"):
        load(p)


def _word_package(tmp_path: Path, name: str, members: dict[str, bytes | str]) -> Path:
    """A real .docx made by python-docx, with members replaced or added."""
    import docx

    buf = io.BytesIO()
    docx.Document().save(buf)
    with zipfile.ZipFile(buf) as src:
        parts = {i.filename: src.read(i.filename) for i in src.infolist()}
    parts.update({k: v.encode() if isinstance(v, str) else v for k, v in members.items()})
    p = tmp_path / name
    with zipfile.ZipFile(p, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        for member, data in parts.items():
            if data:
                z.writestr(member, data)
    return p


def _body(paragraphs: str) -> str:
    ns = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    return f'<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="{ns}"><w:body>{paragraphs}</w:body></w:document>'


def test_docx_bomb_is_refused_from_its_stated_sizes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    para = "<w:p><w:r><w:t>职称评审工作的通知，申报条件满五年。</w:t></w:r></w:p>"
    p = _word_package(tmp_path, "bomb.docx", {"word/document.xml": _body(para * 720_000)})  # 60 MB of XML
    assert p.stat().st_size < 1024 * 1024
    import docx

    def never(*args: object, **kwargs: object) -> None:
        raise AssertionError("python-docx must not open a zip bomb")

    monkeypatch.setattr(docx, "Document", never)
    with pytest.raises(TooLarge) as err:
        load(p)
    assert err.value.line() == f"error: {p}: DOCX unpacks to 61 MB, larger than any notice (limit 50 MB)"


def test_docx_part_that_unpacks_far_beyond_its_packed_size(tmp_path: Path) -> None:
    p = _word_package(tmp_path, "bomb.docx", {"word/media/blank.bmp": b"\x00" * (20 * 1024 * 1024)})
    with zipfile.ZipFile(p) as z:
        info = z.getinfo("word/media/blank.bmp")
    ratio = info.file_size // info.compress_size  # about 1000; the exact figure is zlib's
    with pytest.raises(TooLarge) as err:
        load(p)
    assert err.value.reason == (
        f"DOCX part word/media/blank.bmp unpacks to {ratio} times its packed size, "
        "a zip bomb, not a document (limit 200 times)"
    )


def test_docx_below_the_limits_still_reads(tmp_path: Path) -> None:
    para = "<w:p><w:r><w:t>关于开展职称评审工作的通知</w:t></w:r></w:p>"
    p = _word_package(tmp_path, "ok.docx", {"word/document.xml": _body(para * 3)})
    assert load(p).raw_text.splitlines()[0] == "关于开展职称评审工作的通知"


def test_docx_without_document_xml(tmp_path: Path) -> None:
    p = _word_package(tmp_path, "notice.docx", {"word/document.xml": b""})
    with pytest.raises(UnreadableInput) as err:
        load(p)
    assert err.value.line() == f"error: {p}: damaged Word file: no word/document.xml"


@pytest.mark.parametrize(
    ("members", "reason"),
    [
        (
            {"[Content_Types].xml": "<Types/>", "ppt/presentation.xml": "<p/>"},
            "a presentation (pptx), not a notice document",
        ),
    ],
)
def test_other_zip_documents_named_docx_say_what_they_are(
    tmp_path: Path, members: dict[str, str], reason: str
) -> None:
    p = tmp_path / "notice.docx"
    with zipfile.ZipFile(p, "w") as z:
        for name, data in members.items():
            z.writestr(name, data)
    with pytest.raises(UnsupportedFormat) as err:
        load(p)
    assert err.value.line() == f"error: {p}: {reason}"


def test_real_xlsx_named_docx_is_read_as_a_spreadsheet(tmp_path: Path) -> None:
    import openpyxl

    p = tmp_path / "通知.docx"
    book = openpyxl.Workbook()
    book.active["A1"] = "职称评审"
    book.save(p)
    doc = load(p)
    assert (doc.format, doc.raw_text) == ("xlsx", "职称评审")


def test_damaged_xlsx_is_one_error_line(tmp_path: Path) -> None:
    p = tmp_path / "附件.xlsx"
    with zipfile.ZipFile(p, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("xl/workbook.xml", "<workbook/>")
    with pytest.raises(UnreadableInput) as err:
        load(p)
    assert err.value.line().startswith(f"error: {p}: damaged spreadsheet (")


def test_a_policy_record_is_not_read_as_a_notice(tmp_path: Path) -> None:
    """A records folder lying among the notices (data/structured under data/) is never ingested again."""
    record = Path(__file__).resolve().parent.parent / "data/structured/000_020e7bca74b620b8.txt.json"
    copy = tmp_path / "000.txt.json"
    copy.write_bytes(record.read_bytes())
    with pytest.raises(UnsupportedFormat) as err:
        load(copy)
    assert err.value.line() == (
        f"error: {copy}: a policy record written by this pipeline, not a notice (ingest the raw notice instead)"
    )

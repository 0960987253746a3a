"""Each bad file gives one clear error of its own class; a wrong suffix still takes the right path."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest

from pipeline.errors import EmptyInput, EncryptedInput, MissingTool, UnreadableInput, UnsupportedFormat
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

"""Word .docx → text: paragraphs and tables in document order, list numbers restored.

Word keeps one paragraph per paragraph, so no line rebuilding is needed. What
python-docx leaves out is the automatic numbering (``一、``, ``（一）``, ``1.``):
a notice's clause structure often lives only there, so the numbering
definitions are read and the number is printed back in front of the text.
Tables become one line per row, cells joined by `` | ``, merged cells once.
Text boxes (a masthead set in one) are read where they are anchored.
"""

from __future__ import annotations

import io
from collections import defaultdict
from typing import Any

from pipeline.errors import UnreadableInput
from pipeline.load.package import check_unpacked
from pipeline.types import LoadedDocument

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_MC_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"
_CN = "零一二三四五六七八九"


def _chinese(n: int) -> str:
    if n < 10:
        return _CN[n]
    if n < 20:
        return "十" + (_CN[n % 10] if n % 10 else "")
    if n < 100:
        return _CN[n // 10] + "十" + (_CN[n % 10] if n % 10 else "")
    return str(n)


def _format(n: int, fmt: str) -> str:
    if fmt in {
        "chineseCounting",
        "chineseCountingThousand",
        "ideographTraditional",
        "chineseLegalSimplified",
    }:
        return _chinese(n)
    if fmt == "decimalEnclosedCircle" or fmt == "decimalEnclosedCircleChinese":
        return chr(0x2460 + n - 1) if 1 <= n <= 20 else str(n)
    if fmt == "lowerLetter":
        return chr(ord("a") + (n - 1) % 26)
    if fmt == "upperLetter":
        return chr(ord("A") + (n - 1) % 26)
    if fmt == "bullet" or fmt == "none":
        return ""
    return str(n)


class _Numbering:
    """Counters for Word's automatic list numbers, from word/numbering.xml."""

    def __init__(self, doc: Any) -> None:
        self.levels: dict[tuple[str, str], tuple[str, str, int]] = {}
        self.counts: dict[str, dict[int, int]] = defaultdict(dict)
        try:
            root = doc.part.numbering_part.element
        except (KeyError, NotImplementedError, AttributeError):
            return
        abstract: dict[str, dict[str, tuple[str, str, int]]] = {}
        for a in root.iter(f"{_W}abstractNum"):
            lv = {}
            for lvl in a.iter(f"{_W}lvl"):
                fmt = lvl.find(f"{_W}numFmt")
                text = lvl.find(f"{_W}lvlText")
                start = lvl.find(f"{_W}start")
                lv[lvl.get(f"{_W}ilvl", "0")] = (
                    fmt.get(f"{_W}val", "decimal") if fmt is not None else "decimal",
                    text.get(f"{_W}val", "") if text is not None else "",
                    int(start.get(f"{_W}val", "1")) if start is not None else 1,
                )
            abstract[a.get(f"{_W}abstractNumId", "")] = lv
        for num in root.iter(f"{_W}num"):
            ref = num.find(f"{_W}abstractNumId")
            if ref is None:
                continue
            for ilvl, spec in abstract.get(ref.get(f"{_W}val", ""), {}).items():
                self.levels[(num.get(f"{_W}numId", ""), ilvl)] = spec

    def label(self, p: Any, style: Any) -> str:
        numpr = _numpr(p)
        while numpr is None and style is not None:  # "List Number" styles carry the numbering themselves
            numpr = _numpr(style.element)
            style = style.base_style
        if numpr is None:
            return ""
        num_el, lvl_el = numpr.find(f"{_W}numId"), numpr.find(f"{_W}ilvl")
        num = num_el.get(f"{_W}val", "") if num_el is not None else ""
        ilvl = lvl_el.get(f"{_W}val", "0") if lvl_el is not None else "0"
        if (num, ilvl) not in self.levels:
            return ""
        fmt, text, start = self.levels[(num, ilvl)]
        level = int(ilvl)
        counts = self.counts[num]
        counts[level] = counts.get(level, start - 1) + 1
        for deeper in [k for k in counts if k > level]:
            del counts[deeper]  # a new item restarts the numbering below it
        out = text
        for k in range(level + 1):
            fk = self.levels.get((num, str(k)), (fmt, "", 1))
            out = out.replace(f"%{k + 1}", _format(counts.get(k, fk[2]), fk[0]))
        return "" if fmt == "bullet" else out


def _numpr(el: Any) -> Any:
    ppr = el.find(f"{_W}pPr")
    return ppr.find(f"{_W}numPr") if ppr is not None else None


def _boxed_lines(el: Any) -> list[str]:
    """The paragraphs of the text boxes anchored in a paragraph, which python-docx's text leaves out.

    WPS and many 公文 templates set the 发文机关标志 in a floating text box. Word writes each
    box twice (DrawingML, and VML inside ``mc:Fallback`` for old readers): the fallback is skipped.
    """
    out = []
    for box in el.iter(f"{_W}txbxContent"):
        if any(a.tag == _MC_FALLBACK for a in box.iterancestors()):
            continue
        for p in box.iter(f"{_W}p"):
            text = "".join(t.text or "" for t in p.iter(f"{_W}t")).strip()
            if text:
                out.append(text)
    return out


def _cell_text(cell: Any) -> str:
    return " ".join(p.text.strip() for p in cell.paragraphs if p.text.strip())


def _table_rows(table: Any) -> list[str]:
    rows = []
    for row in table.rows:
        seen: set[int] = set()
        cells = []
        for cell in row.cells:
            if id(cell._tc) in seen:
                continue  # a merged cell is returned once per grid column it spans
            seen.add(id(cell._tc))
            cells.append(_cell_text(cell))
        if any(cells):
            rows.append(" | ".join(c for c in cells if c))
    return rows


def read(data: bytes, *, path: str, sha256: str, suffix: str) -> LoadedDocument:
    import docx
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    check_unpacked(data, "DOCX")  # before python-docx unpacks and parses every part
    try:
        doc = docx.Document(io.BytesIO(data))
    except Exception as exc:  # python-docx raises KeyError/ValueError/lxml errors for broken packages
        raise UnreadableInput(f"damaged Word document ({type(exc).__name__})") from None
    numbering = _Numbering(doc)
    lines: list[str] = []
    for el in doc.element.body.iterchildren():
        if el.tag == f"{_W}p":
            lines.extend(_boxed_lines(el))
            para = Paragraph(el, doc)
            text = para.text.strip()
            label = numbering.label(el, para.style) if text else ""
            if text:
                lines.append(f"{label}{text}" if label and not text.startswith(label) else text)
        elif el.tag == f"{_W}tbl":
            lines.extend(_table_rows(Table(el, doc)))
    return LoadedDocument(path=path, sha256=sha256, format="docx", raw_text="\n".join(lines))

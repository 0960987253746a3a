"""Plain text and markdown: decode whatever encoding the file is in.

Chinese notices come in UTF-8 (with or without BOM), GB18030/GBK, Big5 and
UTF-16. Byte-order marks are trusted; otherwise strict UTF-8 is tried, then
charset-normalizer guesses, and the guess is kept only when it yields Chinese
text rather than mojibake.
"""

from __future__ import annotations

import codecs

import regex

from pipeline.errors import UnreadableInput
from pipeline.types import LoadedDocument

_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_CJK_ENCODINGS = ("gb18030", "big5", "utf_16_le", "utf_16_be")
_CONTROL = regex.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f\ufffd]")
_HAN = regex.compile(r"\p{Han}")


def _binary(text: str) -> bool:
    """Control characters of a binary file (more than one in 200)."""
    return len(_CONTROL.findall(text)) > max(2, len(text) // 200)


def _plausible(text: str) -> float:
    """Share of Han characters, or -1 when the text has control bytes of a binary file."""
    if not text or _binary(text):
        return -1.0
    return len(_HAN.findall(text)) / len(text)


def _utf16_without_bom(data: bytes) -> str | None:
    sample = data[:4000]
    if len(sample) < 4:
        return None
    even = sample[0::2].count(0)
    odd = sample[1::2].count(0)
    half = len(sample) // 2
    if odd > half * 0.3 and even < half * 0.05:
        return "utf_16_le"
    if even > half * 0.3 and odd < half * 0.05:
        return "utf_16_be"
    return None


def decode(data: bytes) -> tuple[str, str]:
    """(text, encoding name); raises UnreadableInput for binary data."""
    for bom, enc in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(enc), enc.replace("-sig", "")
            except UnicodeDecodeError:
                break
    enc16 = _utf16_without_bom(data)
    if enc16:
        try:
            text = data.decode(enc16)
            if _plausible(text) >= 0:
                return text, enc16
        except UnicodeDecodeError:
            pass
    if data.count(0) > max(2, len(data) // 100):
        raise UnreadableInput("binary data, not text")
    try:
        text = data.decode("utf-8")
        if _binary(text):
            raise UnreadableInput("binary data, not text")
        return text, "utf-8"
    except UnicodeDecodeError:
        pass
    candidates: list[tuple[float, str, str]] = []
    from charset_normalizer import from_bytes  # only non-UTF-8 files pay for the detector

    best = from_bytes(data).best()
    tried = []
    if best is not None:
        tried.append(best.encoding)
    tried.extend(_CJK_ENCODINGS)
    for enc in dict.fromkeys(tried):
        try:
            text = data.decode(enc)
        except (UnicodeDecodeError, LookupError):
            continue
        score = _plausible(text)
        if score >= 0:
            candidates.append((score, enc, text))
    if not candidates:
        raise UnreadableInput("binary data or unknown text encoding")
    score, enc, text = max(candidates, key=lambda c: c[0])
    if score < 0.05 and not text.isascii():
        raise UnreadableInput(f"text in an unknown encoding (best guess {enc} gives no Chinese)")
    return text, enc


def read(data: bytes, *, path: str, sha256: str, suffix: str) -> LoadedDocument:
    text, _enc = decode(data)
    fmt = "md" if suffix in {".md", ".markdown"} else "txt"
    return LoadedDocument(path=path, sha256=sha256, format=fmt, raw_text=text)

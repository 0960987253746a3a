"""Contacts, e-mails and URLs.

One contact entry per person; the phone, e-mail, office and address printed
with them are shared by everyone named in the same block. A bare local number
(85811227) gets the issuing city's area code, flagged ``phone_inferred``.
"""

from __future__ import annotations

import regex

from pipeline.extract.context import Context
from pipeline.types import Contact

EMAIL = regex.compile(r"[A-Za-z0-9._%+\-]+@[A-Za-z0-9.\-]+\.[A-Za-z]{2,}")
URL = regex.compile(r"(?:https?://|www\.)[A-Za-z0-9.\-]+(?::\d+)?(?:/[A-Za-z0-9._~:/?#@!$&'*+,;=%\-]*)?")
_NOT_PHONE_CHAR = regex.compile(r"[^\d\-]")
_HAN_BEFORE = regex.compile(r"\p{Han}$")
_HAN_AFTER = regex.compile(r"\p{Han}")
_PHONE = regex.compile(
    r"(?<![\d\-])(?:\(?0\d{2,3}\)?[\-－—\s]?)?[1-9]\d{6,7}(?![\d])|(?<!\d)1[3-9]\d{9}(?!\d)"
)
_PHONE_LABEL = regex.compile(r"(?:联系|咨询|办公|服务|监督|举报)?(?:电话|热线|手机|座机|传真|联系方式)")
_NAME_LABEL = regex.compile(r"联\s*系\s*人\s*[：:]?\s*")
_NAME = regex.compile(r"[\p{Han}]{2,4}(?:老师|同志|先生|女士)?")
_ADDRESS = regex.compile(r"(?:联系|通讯|办公|报送|受理)?地址\s*[：:]\s*(?P<addr>[^；;。\n]+)")
_BLOCK_GAP = 160


def _digits(s: str) -> str:
    return _NOT_PHONE_CHAR.sub("", s.replace("－", "-").replace("—", "-")).strip("-")


def extract_emails(text: str) -> list[str]:
    return list(dict.fromkeys(m.group(0).rstrip(".") for m in EMAIL.finditer(text)))


def extract_urls(text: str, warnings: list[str] | None = None) -> list[str]:
    """Every URL once. A bare www-address glued between Chinese characters (网站www.x.com对…)
    is a copying site's watermark, not the notice's: dropped with a warning."""
    out = []
    for m in URL.finditer(text):
        u = m.group(0).rstrip(".,;:)'")
        if "@" in u:
            continue
        if (
            not u.startswith("http")
            and _HAN_BEFORE.search(text, 0, m.start())
            and _HAN_AFTER.match(text, m.start() + len(u))
        ):
            if warnings is not None:
                warnings.append(f"web-site watermark address ignored: {u}")
            continue
        out.append(u)
    return list(dict.fromkeys(out))


def _phones(ctx: Context, lo: int, hi: int) -> list[tuple[str, bool]]:
    out = []
    for m in _PHONE.finditer(ctx.text, lo, hi):
        raw = m.group(0)
        if regex.fullmatch(r"(?:19|20)\d{2}\d*", raw.replace(" ", "")) and len(raw) <= 8:
            continue
        number = _digits(raw)
        if number.startswith("1") and len(number) == 11:
            out.append((number, False))
        elif number.startswith("0"):
            if "-" not in number and len(number) >= 10:
                code_len = 3 if number[1] in "12" else 4
                number = number[:code_len] + "-" + number[code_len:]
            out.append((number, False))
        elif ctx.area_code:
            out.append((f"{ctx.area_code}-{number}", True))
        else:
            out.append((number, False))
    return list(dict.fromkeys(out))


def extract_contacts(ctx: Context, issuers: tuple[str, ...]) -> list[Contact]:
    """Contact blocks start at 联系人 or a phone label; a block runs until the next blank gap."""
    text = ctx.text
    anchors = sorted(
        {m.start() for m in _NAME_LABEL.finditer(text)}
        | {m.start() for m in _PHONE_LABEL.finditer(text)}
        | {m.start() for m in _ADDRESS.finditer(text)}
    )
    blocks: list[tuple[int, int]] = []
    for a in anchors:
        line_start = text.rfind("\n", 0, a) + 1
        lo = max(line_start, a - 80) if a - line_start > 80 else line_start
        hi = a + _BLOCK_GAP
        if blocks and lo <= blocks[-1][1]:
            blocks[-1] = (blocks[-1][0], max(blocks[-1][1], hi))
        else:
            blocks.append((lo, hi))
    out: list[Contact] = []
    for lo, hi in blocks:
        hi = min(hi, len(text))
        # stop the block at a blank line after its last label
        phones = _phones(ctx, lo, hi)
        labels_ok = _PHONE_LABEL.search(text, lo, hi) or _NAME_LABEL.search(text, lo, hi)
        if not phones and not _NAME_LABEL.search(text, lo, hi):
            continue
        if not labels_ok:
            continue
        names = []
        for nm in _NAME_LABEL.finditer(text, lo, hi):
            seg_end = nm.end()
            while seg_end < hi and text[seg_end] not in "；;，,。\n：:（(0123456789":
                seg_end += 1
            for part in regex.split(r"[\s、和及/]+", text[nm.end() : seg_end]):
                if _NAME.fullmatch(part) and not regex.search(r"电话|方式|地址|邮箱", part):
                    names.append(part)
        email_m = EMAIL.search(text, lo, hi)
        url_m = URL.search(text, lo, hi)
        addr_m = _ADDRESS.search(text, lo, hi)
        address = org = None
        if addr_m:
            address = "".join(addr_m.group("addr").split())
            inner = regex.fullmatch(
                r"(?P<org>[^（(]+?(?:局|厅|办公室|中心|委员会|办|科|处))[（(](?P<addr>[^）)]+)[）)]", address
            )
            if inner:
                org, address = inner.group("org"), inner.group("addr")
        if org is None:
            org = issuers[-1] if issuers else None
        phone_list = phones or [(None, False)]
        people = list(dict.fromkeys(names)) or [None]
        ev = ctx.evidence((lo, min(hi, lo + 1)))
        for person in people:
            phone, inferred = (
                phone_list[0]
                if len(phone_list) == 1 or person is None
                else phone_list[min(people.index(person), len(phone_list) - 1)]
            )
            out.append(
                Contact(
                    ev,
                    org,
                    person,
                    phone,
                    inferred,
                    email_m.group(0) if email_m else None,
                    address,
                    url_m.group(0) if url_m else None,
                )
            )
        if len(phone_list) > len(people) and people != [None]:
            for phone, inferred in phone_list[len(people) :]:
                out.append(Contact(ev, org, None, phone, inferred, None, address, None))
    return out

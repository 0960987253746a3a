"""Contacts, e-mails and URLs.

One contact entry per person; the phone, e-mail, office and address printed
with them are shared by everyone named in the same block. A bare local number
(85811227) gets the issuing city's area code, flagged ``phone_inferred``.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field

import regex

from pipeline import lexicon
from pipeline.extract.adverts import in_advert
from pipeline.extract.context import Context
from pipeline.patterns import P, line_end, line_start, office_suffix, org_suffix
from pipeline.types import Contact, Evidence

EMAIL = regex.compile(r"[A-Za-z0-9._%+\-]+@[A-Za-z0-9.\-]+\.[A-Za-z]{2,}")
URL = regex.compile(r"(?:https?://|www\.)[A-Za-z0-9.\-]+(?::\d+)?(?:/[A-Za-z0-9._~:/?#@!$&'*+,;=%\-]*)?")
_NAME_SPLIT = regex.compile(r"[\s、和及/]+")
_NOT_NAME = regex.compile(r"电话|方式|地址|邮箱")
_NEXT_LABEL = regex.compile(r"(?:联系|办公|咨询)?(?:电话|手机|方式|地址|邮箱)")
_ORG_WITH_ADDRESS = regex.compile(rf"(?P<org>[^（(]+?(?:{org_suffix()}))[（(](?P<addr>[^）)]+)[）)]")
_OFFICE = rf"[\p{{Han}}（）()]{{2,30}}?(?:{office_suffix()})"
_OFFICE_THEN_NAME = regex.compile(rf"(?P<org>{_OFFICE})(?P<name>\p{{Han}}{{2,3}})")
# 湖南省…专业技术人员管理处：彭立军，0731-89991263 — an office, a person, then the phone
_OFFICE_PERSON_PHONE = regex.compile(
    rf"(?P<org>{_OFFICE})[：:\s]?\s*(?P<name>\p{{Han}}{{2,3}})[，,、]\s*(?:(?:联系)?电话|手机|座机)?[：:]?\s*(?=[\d(（])"
)
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
# how far after a label its block runs: labels closer than this make one block
_BLOCK_GAP = 160
# how far back on its line a label's block may start (the office or names printed before 联系人)
_BLOCK_LEAD = 80


def _digits(s: str) -> str:
    return _NOT_PHONE_CHAR.sub("", s.replace("－", "-").replace("—", "-")).strip("-")


def extract_emails(ctx: Context) -> list[str]:
    """Every e-mail address once (plain strings: the contract reads ``facts.emails`` so); an
    advert's (QQ邮箱 beside a QQ号) is the host's, dropped with a warning."""
    out = []
    for m in EMAIL.finditer(ctx.text):
        if in_advert(ctx.text, m.start()):
            ctx.warn(f"site or advert e-mail ignored: {m.group(0)}")
        else:
            out.append(m.group(0).rstrip("."))
    return list(dict.fromkeys(out))


def extract_urls(ctx: Context) -> list[str]:
    """Every URL once (plain strings, as the contract reads ``facts.urls``). A bare www-address
    glued between Chinese characters (网站www.x.com对…) is a copying site's watermark, not the
    notice's: dropped with a warning."""
    text = ctx.text
    out = []
    for m in URL.finditer(text):
        u = m.group(0).rstrip(".,;:)'")
        if "@" in u:
            continue
        if in_advert(text, m.start()):
            ctx.warn(f"site or advert address ignored: {u}")
            continue
        if (
            not u.startswith("http")
            and _HAN_BEFORE.search(text, 0, m.start())
            and _HAN_AFTER.match(text, m.start() + len(u))
        ):
            ctx.warnings.append(f"web-site watermark address ignored: {u}")
            continue
        out.append(u)
    return list(dict.fromkeys(out))


def _phone_spans(ctx: Context, lo: int, hi: int) -> list[tuple[int, tuple[str, bool]]]:
    """(offset, (phone, inferred)) of each distinct phone number in [lo, hi)."""
    out: list[tuple[int, tuple[str, bool]]] = []
    seen: set[str] = set()
    for m in _PHONE.finditer(ctx.text, lo, hi):
        raw = m.group(0)
        if P(r"(?:19|20)\d{2}\d*").fullmatch(raw.replace(" ", "")) and len(raw) <= 8:
            continue
        number = _digits(raw)
        inferred = False
        if number.startswith("0") and "-" not in number and len(number) >= 10:
            code_len = 3 if number[1] in "12" else 4
            number = number[:code_len] + "-" + number[code_len:]
        elif not number.startswith(("0", "1")) and ctx.area_code:
            number, inferred = f"{ctx.area_code}-{number}", True
        if number not in seen:
            seen.add(number)
            out.append((m.start(), (number, inferred)))
    return out


@dataclass
class _Group:
    """The people named by one 联系人 label, or one 处室＋姓名＋电话 entry, and their phones."""

    start: int
    names: list[str] = field(default_factory=list)
    phones: list[tuple[str, bool]] = field(default_factory=list)
    org: str | None = None
    end: int = 0  # just after the last of its own phones: where what it was read from ends


def _blocks(text: str) -> list[tuple[int, int]]:
    """Stretches of text around contact labels; labels close together make one block."""
    anchors = sorted(
        {m.start() for m in _NAME_LABEL.finditer(text)}
        | {m.start() for m in _PHONE_LABEL.finditer(text)}
        | {m.start() for m in _ADDRESS.finditer(text)}
    )
    blocks: list[tuple[int, int]] = []
    for a in anchors:
        lo = max(line_start(text, a), a - _BLOCK_LEAD)
        hi = min(a + _BLOCK_GAP, len(text))
        if blocks and lo <= blocks[-1][1]:
            blocks[-1] = (blocks[-1][0], max(blocks[-1][1], hi))
        else:
            blocks.append((lo, hi))
    return blocks


def _names_at(text: str, label_end: int, hi: int) -> list[str]:
    seg_end = label_end
    while seg_end < hi and text[seg_end] not in "；;，,。\n：:（(0123456789":
        seg_end += 1
    names: list[str] = []
    for part in _NAME_SPLIT.split(text[label_end:seg_end]):
        # 王静怡联系电话: OCR loses the gap between the name and the next label
        part = _NEXT_LABEL.split(part, maxsplit=1)[0]
        if not part or _NOT_NAME.search(part):
            continue
        office = _OFFICE_THEN_NAME.fullmatch(part)
        if office:
            part = office.group("name")  # 市教育局教师工作处金丽娜: the office, then the person
        together = _split_names(part) if 4 <= len(part) <= 9 else []
        if together:
            names.extend(together)  # 刘艾东张楠: two people printed without a separator
        elif _NAME.fullmatch(part):
            names.append(part)
    return names


@functools.cache
def _surnames() -> tuple[frozenset[str], frozenset[str]]:
    data = lexicon.load("surnames")
    return frozenset("".join(data["single"].split())), frozenset(data["compound"])


def _split_names(run: str) -> list[str]:
    """刘艾东张楠 → [刘艾东, 张楠]: names of 2–3 characters (4 with a compound surname), each
    starting with a common surname; [] when no such split exists."""
    single, compound = _surnames()

    def split(s: str) -> list[str] | None:
        if not s:
            return []
        sizes = (4, 3) if s[:2] in compound else (3, 2)
        for size in sizes:
            head = s[:size]
            if len(head) == size and (s[:2] in compound or head[0] in single):
                rest = split(s[size:])
                if rest is not None:
                    return [head, *rest]
        return None

    found = split(run)
    return found if found and len(found) >= 2 else []


def _org_address(text: str, lo: int, hi: int) -> tuple[str | None, str | None]:
    addr_m = _ADDRESS.search(text, lo, hi)
    if not addr_m:
        return None, None
    address = "".join(addr_m.group("addr").split())
    inner = _ORG_WITH_ADDRESS.fullmatch(address)
    if inner:
        return inner.group("org"), inner.group("addr")
    return None, address


def _groups(text: str, lo: int, hi: int) -> list[_Group]:
    """The block's groups in order: one per 联系人 label, one per 处室＋姓名＋电话 entry naming
    someone no label named; a labelled person printed after an office gets that office."""
    groups = [
        _Group(m.start(), _names_at(text, m.end(), hi))
        for m in _NAME_LABEL.finditer(text, lo, hi)
        if not in_advert(text, m.start())
    ]
    named = {n for g in groups for n in g.names}
    for m in _OFFICE_PERSON_PHONE.finditer(text, lo, hi):
        if in_advert(text, m.start()):
            continue
        if m.group("name") not in named and not _NOT_NAME.search(m.group("name")):
            groups.append(_Group(m.start("name"), [m.group("name")], org=m.group("org")))
    for g in groups:
        office = _OFFICE_PERSON_PHONE.search(text, g.start, hi) if g.org is None and g.names else None
        if office and office.group("name") == g.names[0]:
            g.org = office.group("org").removeprefix("联系人").lstrip("：: ")
    return sorted(groups, key=lambda g: g.start) or [_Group(lo)]


@dataclass(frozen=True)
class _Shared:
    """What a block prints once for every group in it."""

    org: str | None
    address: str | None
    email: str | None
    url: str | None


def _shared(ctx: Context, lo: int, hi: int) -> _Shared:
    """The block's e-mail, web address, address and office; the office defaults to the last issuer."""
    text = ctx.text
    email_m = next((m for m in EMAIL.finditer(text, lo, hi) if not in_advert(text, m.start())), None)
    url_m = next((m for m in URL.finditer(text, lo, hi) if not in_advert(text, m.start())), None)
    org, address = _org_address(text, lo, hi)
    return _Shared(
        org or (ctx.issuers[-1] if ctx.issuers else None),
        address,
        email_m.group(0) if email_m else None,
        url_m.group(0) if url_m else None,
    )


def _group_contacts(
    ev: Evidence, g: _Group, phones: list[tuple[str, bool]], shared: _Shared
) -> list[Contact]:
    """One entry per person of the group; as many phones as people pair up in order, else all
    take the first, and a second number for the last person (a landline and a mobile) is one more."""
    org = g.org or shared.org
    g_phones: list[tuple[str | None, bool]] = [*phones] or [(None, False)]
    people: list[str | None] = list(dict.fromkeys(g.names)) or [None]
    paired = len(g_phones) == len(people)
    out = [
        Contact(ev, org, person, *g_phones[k if paired else 0], shared.email, shared.address, shared.url)
        for k, person in enumerate(people)
    ]
    if people != [None]:
        out.extend(
            Contact(ev, org, people[-1], *found, None, shared.address, None)
            for found in g_phones[len(people) :]
        )
    return out


def extract_contacts(ctx: Context) -> list[Contact]:
    """One entry per person. Within a block, each 联系人 label opens a group: the phones printed
    after it (before the next label) are that group's; e-mail, address and office printed once
    are shared by every group of the block."""
    text = ctx.text
    out: list[Contact] = []
    for lo, hi in _blocks(text):
        phones = _phone_spans(ctx, lo, hi)
        for pos, (number, _) in phones:
            if in_advert(text, pos):
                ctx.warn(f"site or advert phone ignored: {number}")
        phones = [p for p in phones if not in_advert(text, p[0])]
        if not phones and not any(not in_advert(text, m.start()) for m in _NAME_LABEL.finditer(text, lo, hi)):
            continue
        groups = _groups(text, lo, hi)
        for pos, found in phones:
            owner = next((g for g in reversed(groups) if g.start <= pos), groups[0])
            owner.phones.append(found)
            phone = _PHONE.match(text, pos)
            owner.end = max(owner.end, phone.end() if phone else pos + 1)
        shared = _shared(ctx, lo, hi)
        block_phones = next((g.phones for g in groups if g.phones), [])
        for g in groups:
            ev = ctx.evidence(_read_from(text, g, lo, hi))
            out.extend(_group_contacts(ev, g, g.phones or block_phones, shared))
    if ctx.area_code is None and any(_is_local(c.phone) for c in out):
        ctx.warn("a local phone number without area code, and the notice's city is unknown")
    return out


def _read_from(text: str, g: _Group, lo: int, hi: int) -> tuple[int, int]:
    """What a group was read from: its label (or office and name) to its last phone; a group
    without phones of its own, its label's line (联系人：刘宇翔；)."""
    start = max(g.start, lo)
    end = g.end if g.end > start else min(line_end(text, start), hi)
    return start, max(end, start + 1)


def _is_local(phone: str | None) -> bool:
    """A number printed without its area code (85811227): neither 0… nor a mobile 1…."""
    return bool(phone) and not (phone or "").startswith(("0", "1"))

"""Linking copies over a large records folder (``pipeline.duplicates.link_folder``).

N distinct notices are made from the sentences of the seeds and held-out notices (each a
random draw with characters swapped, with its own year and city), 2 % of them reposted with site furniture around
them; minimal record files are written and linked three times: from scratch, again with nothing
changed, and after one more copy arrives (the signatures of the others come from the cache).

    python bench/duplicates.py [N]
"""

from __future__ import annotations

import json
import random
import re
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.bench import print_table  # noqa: E402
from pipeline import duplicates_folder as duplicates  # noqa: E402

CITIES = [
    "忻州市",
    "大同市",
    "晋中市",
    "连云港市",
    "南通市",
    "盐城市",
    "长沙市",
    "衡阳市",
    "湘潭市",
    "成都市",
]
JUNK = "首页 > 通知公告\n来源：某某人才网 发布时间：2024-05-01 浏览次数：1234\n"
FOOT = "\n上一篇：…\n下一篇：…\n版权所有 © 2024 某某人才网 京ICP备12345678号\n"


def _sentences() -> list[str]:
    texts = [p.read_text(encoding="utf-8") for p in (ROOT / "data" / "raw").glob("*.txt")]
    texts += [p.read_text(encoding="utf-8") for p in (ROOT / "tests" / "fixtures" / "heldout").glob("*.txt")]
    return sorted({s.strip() + "。" for t in texts for s in re.split("。", t) if len(s.strip()) > 8})


def _record(text: str, year: int, city: str) -> dict[str, object]:
    return {
        "source": {"format": "txt", "ocr": False},
        "text": text,
        "notice": {
            "title": None,
            "doc_numbers": [],
            "year": year,
            "province": None,
            "city": city,
            "issuers": [],
            "issue_date": None,
        },
        "facts": {"service_years": [], "requirements": [1], "deadlines": []},
        "warnings": [],
    }


def _write(out: Path, name: str, record: dict[str, object]) -> str:
    content = json.dumps(record, ensure_ascii=False, indent=2) + "\n"
    (out / name).write_text(content, encoding="utf-8")
    import hashlib

    return hashlib.sha256(content.encode()).hexdigest()


def main() -> int:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 5_000
    rng = random.Random(20261202)
    pool = _sentences()
    chars = sorted(set("".join(pool)))
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp)
        records: dict[str, str] = {}
        made = []
        for i in range(n):
            # drawn sentences, one character in six swapped: notices share vocabulary, not whole
            # passages (mean 3-gram Jaccard of two notices 0.06; of the real excerpts 0.02)
            text = "".join(
                c if rng.random() > 1 / 6 else rng.choice(chars) for c in "".join(rng.sample(pool, 40))
            )
            year, city = rng.randint(2015, 2030), rng.choice(CITIES)
            records[f"n{i:06d}.txt.json"] = _write(out, f"n{i:06d}.txt.json", _record(text, year, city))
            made.append((text, year, city))
        for i in range(0, n, 50):
            text, year, city = made[i]
            records[f"repost{i:06d}.txt.json"] = _write(
                out, f"repost{i:06d}.txt.json", _record(JUNK + text + FOOT, year, city)
            )
        state: dict[str, object] = {}
        said: list[str] = []

        def rewritten(name: str, sha: str) -> None:
            records[name] = sha

        t0 = time.perf_counter()
        duplicates.link_folder(out, dict(records), state, rewritten=rewritten, say=said.append)
        first = time.perf_counter() - t0
        t0 = time.perf_counter()
        duplicates.link_folder(out, dict(records), state, rewritten=rewritten, say=said.append)
        again = time.perf_counter() - t0
        text, year, city = made[1]
        records["late.txt.json"] = _write(out, "late.txt.json", _record(JUNK + text + FOOT, year, city))
        t0 = time.perf_counter()
        duplicates.link_folder(out, dict(records), state, rewritten=rewritten, say=said.append)
        added = time.perf_counter() - t0
    links = sum(1 for line in said if line.startswith("copy:"))
    rows = [
        ("records", f"{len(records)} ({n} notices, {len(records) - n} reposts)"),
        ("copies linked", f"{links}"),
        ("link from scratch", f"{first:.2f} s ({first / len(records) * 1000:.2f} ms/record)"),
        ("again, nothing changed", f"{again * 1000:.0f} ms"),
        ("one copy added", f"{added:.2f} s"),
    ]
    print_table(rows)
    return 0


if __name__ == "__main__":
    sys.exit(main())

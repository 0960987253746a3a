"""``pipeline.minhash`` gives exactly datasketch's MinHash values and LSH candidates: the signatures
a folder's duplicate cache keeps stay valid, and the copies linked stay the ones linked before."""

from __future__ import annotations

import base64
import random
import subprocess
import sys
import zlib
from pathlib import Path

import numpy as np
import pytest

from pipeline import minhash
from pipeline.duplicates import LSH_THRESHOLD, NUM_PERM, candidates, copy_of, signature
from tests.conftest import RAW

datasketch = pytest.importorskip("datasketch")

_ALPHABET = "aZ9é ß\n\t\u3000中文职称评审〔〕（）😀𠀀"


def _texts() -> list[str]:
    rng = random.Random(7)
    seeds = [p.read_text(encoding="utf-8") for p in sorted(RAW.glob("*.txt"))]
    made = ["".join(rng.choice(_ALPHABET) for _ in range(rng.randint(0, 80))) for _ in range(200)]
    return ["", " ", "a", "中", "ab", "中文", "😀😀", " a b ", "abc", *seeds, *made]


def _datasketch_values(text: str) -> np.ndarray:
    """What ``signature`` computed with datasketch before: its MinHash over each 3-gram's CRC-32."""
    flat = "".join(text.split())
    grams = {flat[i : i + 3].encode("utf-8") for i in range(max(1, len(flat) - 2))}
    m = datasketch.MinHash(num_perm=NUM_PERM, seed=1, scheme="affine32", hashfunc=zlib.crc32)
    m.update_batch(list(grams))
    return np.asarray(m.hashvalues, dtype=np.uint32)


@pytest.mark.parametrize("text", _texts())
def test_signature_is_datasketchs_minhash(text: str) -> None:
    values = np.frombuffer(base64.b64decode(signature(text)), dtype="<u4")
    assert values.tolist() == _datasketch_values(text).tolist()


def test_shingle_hashes_are_the_crc32_of_each_3gram() -> None:
    text = "职称 评审a😀b\n中文"
    flat = "".join(text.split())
    want = [zlib.crc32(flat[i : i + 3].encode("utf-8")) for i in range(len(flat) - 2)]
    assert minhash.shingle_hashes(text).tolist() == want


def test_bands_are_those_datasketch_chooses() -> None:
    lsh = datasketch.MinHashLSH(threshold=LSH_THRESHOLD, num_perm=NUM_PERM)
    assert (lsh.b, lsh.r) == (minhash.BANDS, minhash.ROWS)


def test_candidates_are_the_pairs_datasketchs_lsh_gives() -> None:
    """Texts that share some bands and not others: the same pairs as MinHashLSH's queries."""
    rng = random.Random(3)
    base = [p.read_text(encoding="utf-8") for p in sorted(RAW.glob("*.txt"))]
    texts = {}
    for i in range(60):
        text = list(base[i % len(base)][: rng.randint(200, 2000)])
        for _ in range(rng.randint(0, 400)):
            text[rng.randrange(len(text))] = rng.choice(_ALPHABET)
        texts[f"r{i:02d}"] = "".join(text)
    record = {"source": {}, "notice": {}, "facts": {}, "warnings": []}
    copies = {name: copy_of(name, record) for name in texts}
    sigs = {name: signature(t) for name, t in texts.items()}
    lsh = datasketch.MinHashLSH(threshold=LSH_THRESHOLD, num_perm=NUM_PERM)
    want: set[tuple[str, str]] = set()
    for name in sorted(texts):
        m = datasketch.LeanMinHash(seed=1, hashvalues=_datasketch_values(texts[name]), scheme="affine32")
        want.update((min(name, o), max(name, o)) for o in lsh.query(m))
        lsh.insert(name, m)
    got = candidates(copies, sigs)
    assert got == sorted(want)
    assert 0 < len(got) < len(texts) * (len(texts) - 1) // 2  # some pairs collide, not all


def test_a_batch_never_imports_datasketch_or_scipy(tmp_path: Path) -> None:
    """scipy (pulled in by datasketch's LSH) cost 0.6 s at every run whose records changed."""
    code = (
        "import sys; from pipeline.cli import main; "
        f"main(['ingest', {str(RAW)!r}, '--out', {str(tmp_path / 'out')!r}, '--jobs', '1']); "
        "heavy = {'datasketch', 'scipy'} & set(sys.modules); assert not heavy, heavy"
    )
    subprocess.run([sys.executable, "-c", code], check=True, timeout=120, stdout=subprocess.DEVNULL)
    assert len(list((tmp_path / "out").glob("[!.]*.json"))) == len(list(RAW.glob("*.txt")))

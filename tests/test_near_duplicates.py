"""ingest.near_duplicates on the seed articles: reposts match, same-topic articles do not."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from itertools import combinations
from pathlib import Path

import pytest

from ingest.near_duplicates import (CANDIDATE_DISTANCE, SimhashIndex, containment, find_near_duplicate,
                                    fingerprint, hamming, is_near_duplicate, shingles)
from ingest.pages import extract_page
from tests.local_site import SITE_DIR

ROOT = Path(__file__).resolve().parent.parent
SEEDS = {p.name[:3]: p.read_text(encoding="utf-8") for p in sorted((ROOT / "seeds").glob("*.txt"))}


def body(text: str) -> str:
    """A seed without its title line."""
    return text.split("\n", 1)[1]


def repost_of_001() -> str:
    """Seed 001 as a second portal would run it: its own chrome, a cut paragraph, light edits, the end cut."""
    paragraphs = [p for p in body(SEEDS["001"]).splitlines() if p.strip()]
    paragraphs = [p for p in paragraphs if not p.startswith(("Cập nhật", "HỒ VĂN"))]
    del paragraphs[5]  # the second editor drops a paragraph
    paragraphs = paragraphs[:-1]  # and the last one
    edited = [p.replace("Chủ tịch UBND tỉnh", "Chủ tịch UBND tỉnh Bình Dương", 1).replace("Hôm qua (23-1)", "Ngày 23/1")
              for p in paragraphs]
    chrome_top = ["Trang chủ | Thời sự | Chính trị | Kinh tế | Đối ngoại", "Thứ Tư, 24/01/2024 10:15 (GMT+7)",
                  "(Chinhphu.vn) - " + edited[0]]
    chrome_bottom = ["Theo Báo Bình Dương", "Chia sẻ Facebook Zalo In bài", "Tin liên quan",
                     "Thủ tướng tiếp Đại sứ Hàn Quốc chào từ biệt",
                     "Cơ quan chủ quản: Văn phòng Chính phủ. Tổng biên tập: Nguyễn Hồng Sâm",
                     "Giấy phép số 164/GP-BTTTT. Địa chỉ: 16 Lê Hồng Phong, Ba Đình, Hà Nội"]
    return "\n".join(chrome_top + edited[1:] + chrome_bottom)


def test_a_repost_with_other_chrome_and_edits_matches():
    original, copy = body(SEEDS["001"]), repost_of_001()
    assert copy != original
    assert hamming(fingerprint(original), fingerprint(copy)) <= CANDIDATE_DISTANCE
    assert is_near_duplicate(original, copy) and is_near_duplicate(copy, original)


def test_the_same_agency_story_on_two_portal_pages_matches():
    """The TTXVN story of seed 002 as Vietnam+ printed it and as a provincial paper reposted it."""
    agency = extract_page((SITE_DIR / "vietnamplus_bo_ngoai_giao.html").read_bytes(), "https://vietnamplus.vn/a", clean_body=None)
    repost = extract_page((SITE_DIR / "baolangson_repost.html").read_bytes(), "https://baolangson.vn/b", clean_body=None)
    assert agency.title != repost.title and agency.body != repost.body
    assert is_near_duplicate(agency.body, repost.body)
    index = SimhashIndex([(name, fingerprint(body(text))) for name, text in SEEDS.items() if name != "002"])
    index.add("vietnamplus", fingerprint(agency.body))
    texts = {name: body(text) for name, text in SEEDS.items()} | {"vietnamplus": agency.body}
    assert find_near_duplicate(repost.body, index, texts.get) == "vietnamplus"


@pytest.mark.parametrize("a, b", list(combinations(sorted(SEEDS), 2)))
def test_different_articles_on_the_same_topic_do_not_match(a, b):
    """All five seeds are about local diplomacy with the same ministry: same words, different stories."""
    ta, tb = body(SEEDS[a]), body(SEEDS[b])
    assert not is_near_duplicate(ta, tb)
    assert containment(ta, tb) < 0.3
    assert hamming(fingerprint(ta), fingerprint(tb)) > 10


def test_find_near_duplicate_ignores_same_topic_candidates():
    texts = {name: body(text) for name, text in SEEDS.items()}
    index = SimhashIndex((name, fingerprint(t)) for name, t in texts.items() if name != "001")
    loads: list[str] = []

    def load(key):
        loads.append(key)
        return texts[key]

    assert find_near_duplicate(repost_of_001(), index, load) is None  # the original is not stored
    index.add("001", fingerprint(texts["001"]))
    assert find_near_duplicate(repost_of_001(), index, load) == "001"
    assert loads[-1] == "001"


def test_a_feed_teaser_is_inside_its_full_article():
    full = body(SEEDS["000"])
    teaser = full.split(". ")[0] + "."
    assert is_near_duplicate(teaser, full)
    assert not is_near_duplicate(teaser, body(SEEDS["003"]))


def test_short_texts_match_only_when_identical():
    assert is_near_duplicate("Bộ Ngoại giao họp báo", "bộ ngoại giao họp báo!")
    assert not is_near_duplicate("Bộ Ngoại giao họp báo", "Bộ Ngoại giao tiếp Đại sứ")
    assert not is_near_duplicate("", "")


def test_fingerprints_are_signed_64_bit_and_survive_sqlite(tmp_path):
    db = sqlite3.connect(tmp_path / "fp.db")
    db.execute("create table articles (name text, simhash integer)")
    prints = {name: fingerprint(text) for name, text in SEEDS.items()}
    assert all(-(2 ** 63) <= fp < 2 ** 63 for fp in prints.values())
    db.executemany("insert into articles values (?, ?)", prints.items())
    db.commit()
    stored = dict(sqlite3.connect(tmp_path / "fp.db").execute("select name, simhash from articles"))
    assert stored == prints


def test_fingerprints_do_not_depend_on_the_process():
    """Stored fingerprints must be comparable tomorrow: no salted hash()."""
    code = "from ingest.near_duplicates import fingerprint; import sys; print(fingerprint(sys.stdin.read()))"
    values = set()
    for seed in ("1", "2"):
        env = dict(os.environ, PYTHONHASHSEED=seed, PYTHONPATH=str(ROOT))
        out = subprocess.run([sys.executable, "-c", code], input=SEEDS["002"], capture_output=True, text=True,
                             env=env, cwd=ROOT, check=True)
        values.add(int(out.stdout))
    assert values == {fingerprint(SEEDS["002"])}


def test_shingles_ignore_case_and_punctuation():
    assert shingles("Bộ Ngoại giao, Việt Nam.") == shingles("bộ ngoại giao việt nam") == {
        "bộ ngoại giao", "ngoại giao việt", "giao việt nam"}


def test_index_add_remove_find():
    index = SimhashIndex(max_distance=3)
    index.add("a", 0b1111)
    index.add("b", 0b0111)
    index.add("c", -1)  # all 64 bits set, stored signed
    assert len(index) == 3 and "a" in index
    assert index.find(0b0011) == [("b", 1), ("a", 2)]
    assert index.find((1 << 64) - 1) == [("c", 0)]  # signed and unsigned forms are the same fingerprint
    assert index.find(0, max_distance=4) == [("b", 3), ("a", 4)]
    index.remove("b")
    assert index.find(0b0011) == [("a", 2)] and "b" not in index

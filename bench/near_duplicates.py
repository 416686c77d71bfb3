"""How far apart SimHash puts reposts and different articles (prints numbers).

Usage: python bench/near_duplicates.py [DATA.jsonl] [--limit N]
DATA is a vietnews-style file ({"id","title","body"}, one sentence a line), e.g.
vietnews_val_diplomatic.jsonl: every article there is about diplomacy, so "different
article, same topic" is the hard negative. A repost is simulated the way portals repost
agency stories: other boilerplate around the body (outlet tag, caption, byline, footer),
a few words changed, a sentence dropped, sometimes the last paragraphs cut.
Without DATA (as `make bench` runs it) the five seed articles stand in: few pairs, same code.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import time
from itertools import combinations
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from ingest.near_duplicates import (  # noqa: E402 (after sys.path)
    CANDIDATE_DISTANCE, MIN_CONTAINMENT, SimhashIndex, containment, find_near_duplicate, fingerprint, hamming, shingles)

FOOTERS = [
    ["Cơ quan chủ quản: UBND tỉnh Sóc Trăng - Điện thoại: 0299.3822339", "Giấy phép số 01/GP-STTTT",
     "@ Ghi rõ nguồn khi phát hành lại thông tin từ Cổng thông tin này."],
    ["Báo Lạng Sơn - Cơ quan của Đảng bộ tỉnh Lạng Sơn", "Tổng biên tập: Hoàng Văn Hà", "Địa chỉ: 62 Bà Triệu, TP Lạng Sơn"],
    ["Tin liên quan", "Đọc nhiều", "Bản quyền thuộc về Báo điện tử. Ghi rõ nguồn khi trích dẫn."],
]
SWAPS = [("cho biết", "nói"), ("tổ chức", "tiến hành"), ("ngày", "hôm"), ("Việt Nam", "VN"), ("đã", ""),
         ("nhấn mạnh", "khẳng định"), ("tăng cường", "đẩy mạnh")]


def repost(lines: list[str], rng: random.Random, cut: bool) -> str:
    lines = list(lines)
    if len(lines) > 4:
        del lines[rng.randrange(1, len(lines))]  # an editor drops a sentence
    if cut and len(lines) > 6:
        lines = lines[: int(len(lines) * 0.8)]  # and the last paragraphs
    for _ in range(3):  # a few words changed
        i = rng.randrange(len(lines))
        old, new = rng.choice(SWAPS)
        lines[i] = lines[i].replace(old, new, 1)
    lines[0] = "(TTXVN) - " + lines[0]
    lines.insert(min(2, len(lines)), "Quang cảnh buổi làm việc. Ảnh: TTXVN")
    return "\n".join(lines + ["Theo TTXVN"] + rng.choice(FOOTERS))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("data", nargs="?", help="vietnews-style JSONL; default: the five seeds")
    parser.add_argument("--limit", type=int, default=600)
    args = parser.parse_args()
    if args.data:
        with open(args.data, encoding="utf-8") as fh:
            records = [json.loads(line) for line in fh][: args.limit]
    else:
        print("no DATA given: the five seed articles (pass vietnews_val_diplomatic.jsonl for real numbers)")
        records = []
        for path in sorted((ROOT / "seeds").glob("*.txt")):
            title, _, body = path.read_text(encoding="utf-8").partition("\n")
            lines = [line.strip() for line in body.splitlines() if line.strip()]
            records.append({"id": path.stem, "title": title, "body": "\n".join(lines)})
    bodies = [r["body"] for r in records]
    rng = random.Random(7)
    began = time.perf_counter()
    prints = [fingerprint(b) for b in bodies]
    per_doc_ms = (time.perf_counter() - began) * 1000 / len(bodies)
    index = SimhashIndex(enumerate(prints))
    print(f"articles: {len(bodies)}; fingerprint {per_doc_ms:.2f} ms/article")
    for name, cut in (("repost: boilerplate, 3 words changed, a sentence dropped", False),
                      ("same, and the last 20% cut", True)):
        copies = [repost(b.splitlines(), rng, cut) for b in bodies]
        dist = [hamming(fp, fingerprint(c)) for fp, c in zip(prints, copies)]
        cont = [containment(b, c) for b, c in zip(bodies, copies)]
        began = time.perf_counter()
        found = [find_near_duplicate(c, index, bodies.__getitem__) for c in copies]
        ms = (time.perf_counter() - began) * 1000 / len(copies)
        hits = sum(f is not None and bodies[f] == bodies[i] for i, f in enumerate(found))  # a twin counts
        q = sorted(dist)
        print(f"{name}:\n  simhash distance median {q[len(q) // 2]}, p95 {q[int(.95 * len(q))]}, max {q[-1]};"
              f" containment min {min(cont):.2f}, median {statistics.median(cont):.2f}\n"
              f"  found by find_near_duplicate: {hits}/{len(copies)} ({hits / len(copies):.1%}), {ms:.1f} ms/lookup")
    pairs = list(combinations(range(len(bodies)), 2))
    dist = [hamming(prints[i], prints[j]) for i, j in pairs]
    sets = [shingles(b) for b in bodies]
    cand = [(i, j) for (i, j), d in zip(pairs, dist) if d <= CANDIDATE_DISTANCE]
    confirmed = [(i, j) for i, j in cand if containment(sets[i], sets[j]) >= MIN_CONTAINMENT]
    exact = sum(1 for i, j in confirmed if bodies[i] == bodies[j])
    print(f"different-article pairs: {len(pairs)}; simhash distance mean {statistics.mean(dist):.1f}, "
          f"min {min(dist)}; candidates (<= {CANDIDATE_DISTANCE} bits) {len(cand) / len(pairs):.2%}; "
          f"confirmed (containment >= {MIN_CONTAINMENT}) {len(confirmed)}, of which identical bodies {exact}")
    for i, j in confirmed:
        if bodies[i] != bodies[j]:
            print(f"  confirmed, not identical: {records[i]['id']} / {records[j]['id']}: "
                  f"{records[i]['title'][:50]} | {records[j]['title'][:50]}")


if __name__ == "__main__":
    main()

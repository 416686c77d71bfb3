"""The blind people gold set of issue 14 (tests/data/people_gold/): its selection rule, its
held-out third, and that it points into the shared data without copying it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tagger.countries import names
from tagger.gold import BLIND_KINDS, fold_name, load_gold, load_people_gold, score
from tagger.provinces import data

HERE = Path(__file__).resolve().parent / "data"
GOLD = HERE / "people_gold" / "gold.jsonl"
SHARED = Path(__file__).resolve().parents[2] / "shared" / "data"

pytestmark = pytest.mark.skipif(not SHARED.is_dir(), reason="needs ../shared/data")


def test_blind_set_has_its_two_parts_and_a_held_out_third():
    arts = load_people_gold(GOLD, SHARED)
    for part, size in (("diplomatic", 40), ("domestic", 30)):
        picked = [a for a in arts if a.split == part]
        assert len(picked) == size
        assert [a.heldout for a in picked] == [p % 3 == 2 for p in range(size)]
    old = {a.id for a in load_gold(HERE / "tags_gold.jsonl")}
    assert not old & {a.id for a in arts} and len({a.id for a in arts}) == 70
    assert all(a.title and a.body for a in arts)  # texts come from ../shared, by line index


def test_annotations_use_the_tagger_codes():
    olds, codes = set(data().old_by_name), set(names())
    for line in GOLD.read_text(encoding="utf-8").splitlines():
        rec = json.loads(line)
        assert "body" not in rec and "title" not in rec  # no article text in the project
        assert set(rec["gold"]["provinces"]) <= olds
        assert set(rec["gold"]["countries"]) <= codes
        assert all(p["name"] and isinstance(p["role"], str) for p in rec["gold"]["people"])


def test_folded_names_match_redacted_and_unmarked_forms():
    assert fold_name("Nguyễn Văn H.") == fold_name("nguyen van h") == "nguyen van h"
    assert fold_name("Ri Yong - ho") == fold_name("Ri Yong-ho")
    arts = load_people_gold(GOLD, SHARED)[:1]
    perfect = score(arts, [dict(arts[0].gold)], BLIND_KINDS)
    assert perfect["people_folded"].f1 == 1.0 and perfect["countries"].f1 == 1.0

"""The gold-set loader and scorer (bench/tagging_eval.py relies on them)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tagger import tag_article
from tagger.gold import as_sets, load_gold, norm, score

GOLD = Path(__file__).resolve().parent / "data" / "tags_gold.jsonl"


def test_gold_set_loads_with_seeds_and_forty_articles():
    articles = load_gold(GOLD)
    seeds = [a for a in articles if a.id.startswith("seed/")]
    assert len(seeds) == 5 and len(articles) - len(seeds) >= 40
    assert len({a.id for a in articles}) == len(articles)
    for a in articles:
        assert a.title and a.body
        assert all(len(c) == 2 and c.isupper() for c in a.gold["countries"])
        assert all(p["name"] and p["role"] for p in a.gold["people"])


def test_loader_names_a_bad_line(tmp_path):
    bad = tmp_path / "g.jsonl"
    good = {"id": "x", "title": "t", "body": "b", "published_at": None,
            "gold": {"provinces": [], "countries": [], "people": [], "dates": []}}
    bad.write_text(json.dumps(good) + "\n" + json.dumps({"id": "y"}) + "\n", encoding="utf-8")
    with pytest.raises(ValueError, match=":2:"):
        load_gold(bad)


def test_norm_ignores_case_spacing_and_hyphen_spacing():
    assert norm("Moon Jae - in") == norm("moon jae-in")
    assert norm("Phó thủ tướng , Bộ trưởng") == norm("phó thủ tướng, bộ trưởng")


def test_score_counts_extra_and_missed():
    articles = load_gold(GOLD)[:1]
    perfect = score(articles, [dict(articles[0].gold, provinces=articles[0].gold["provinces"])])
    assert perfect["provinces"].f1 == 1.0
    empty = {"provinces": [], "countries": [], "people": [], "dates": []}
    s = score(articles, [empty])
    assert s["provinces"].fn == len(articles[0].gold["provinces"]) and s["provinces"].fp == 0
    assert s["provinces"].errors[0].startswith(articles[0].id + ": -")


def test_tagger_output_is_comparable_with_gold():
    a = load_gold(GOLD)[1]
    got = as_sets(tag_article(a.title, a.body, a.published_at).to_dict())
    assert got["provinces"] == as_sets(a.gold)["provinces"]

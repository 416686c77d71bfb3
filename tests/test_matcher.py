"""bot.matcher.SubscriptionIndex on real article text (../shared vietnews, read in place):
keywords with /search's diacritic rule, whole words only, exclusions across every kind of
subscription, people by /person's rule."""

from __future__ import annotations

import json
import re
import unicodedata
from pathlib import Path

import pytest

from bot.matcher import PoolMatches, SubscriptionIndex
from diplobot.tags import Person, Tags
from diplobot.text import fold

VIETNEWS = Path(__file__).resolve().parent.parent.parent / "shared" / "data" / "vietnews_val_diplomatic.jsonl"
_WORD = re.compile(r"\w+")
FIELDS = ("title", "summary", "body")


@pytest.fixture(scope="module")
def articles() -> list[dict]:
    if not VIETNEWS.exists():
        pytest.skip("../shared/data is not mounted")
    rows = [json.loads(line) for line in VIETNEWS.read_text(encoding="utf-8").splitlines()]
    return [{"id": n, "keys": set(), "title": r["title"], "summary": r["abstract"], "body": r["body"]}
            for n, r in enumerate(rows)]


def oracle(item: dict, phrase: str) -> bool:
    """A regex over each field's words, written apart from the automaton: without marks on
    the folded words, with marks on the lower-case words as typed (NFC: the corpus has both)."""
    if "_fields" not in item:  # (lower, folded) words of each field, once per article
        lower = [" ".join(_WORD.findall(unicodedata.normalize("NFC", item[f]).lower())) for f in FIELDS]
        item["_fields"] = [(text, fold(text)) for text in lower]
    pattern = re.compile(r"(?<!\w)" + re.escape(phrase) + r"(?!\w)")
    return any(pattern.search(folded if fold(phrase) == phrase else lower) for lower, folded in item["_fields"])


def keyword(code: str, kind: str = "keyword") -> dict:
    return {"kind": kind, "code": code, "value": code}


PHRASES = ["dai su", "đại sứ", "an", "biển đông", "mỹ", "my", "sứ", "sự", "su", "an ninh", "hoà bình", "hòa bình"]


@pytest.fixture(scope="module")
def hits(articles) -> dict[str, set[int]]:
    """Each phrase followed by its own chat; the articles each chat got, in one pass over the corpus."""
    index = SubscriptionIndex.build({n: [keyword(p)] for n, p in enumerate(PHRASES)})
    found: dict[str, set[int]] = {p: set() for p in PHRASES}
    for item in articles:
        for chat in index.chats_for(item):
            found[PHRASES[chat]].add(item["id"])
    return found


@pytest.mark.parametrize("phrase", [p for p in PHRASES if p != "hòa bình"])
def test_keywords_match_what_the_regex_finds_in_real_articles(articles, hits, phrase):
    spellings = {"hoà bình": ("hoà bình", "hòa bình")}.get(phrase, (phrase,))  # /search's either placement
    expected = {item["id"] for item in articles if any(oracle(item, p) for p in spellings)}
    assert expected  # every phrase here is in the corpus
    assert hits[phrase] == expected


def test_marks_narrow_and_unmarked_words_take_every_form(hits):
    assert hits["sứ"] and hits["sự"] and hits["sứ"] != hits["sự"]  # sứ is not sự
    assert hits["sứ"] | hits["sự"] < hits["su"]  # su is both (and sử, sư…)
    assert hits["đại sứ"] <= hits["dai su"]


def test_either_tone_placement_as_in_search(hits):
    """The corpus writes `hoà bình`; a reader typing `hòa bình` (the new placement) finds it."""
    assert hits["hòa bình"] == hits["hoà bình"] != set()


def test_whole_words_only_an_is_not_in_thanh():
    index = SubscriptionIndex.build({1: [keyword("an")]})
    assert index.chats_for({"id": 1, "title": "Thanh niên Thái Lan", "summary": "", "body": "hoan nghênh"}) == {}
    assert index.chats_for({"id": 2, "title": "Bảo đảm an ninh", "summary": "", "body": ""}) == {1: 1}
    assert index.chats_for({"id": 3, "title": "AN NINH", "summary": "", "body": ""}) == {1: 1}


def test_a_phrase_does_not_run_from_the_title_into_the_summary():
    index = SubscriptionIndex.build({1: [keyword("hà nội hợp tác")]})
    item = {"id": 1, "title": "Đoàn công tác tới Hà Nội", "summary": "Hợp tác kinh tế", "body": ""}
    assert index.chats_for(item) == {}
    item["body"] = "tại Hà Nội, hợp tác được bàn thêm"  # a comma is no field: /search's phrase rule
    assert index.chats_for(item) == {1: 1}


def test_exclusion_keeps_the_article_from_every_kind_of_subscription(articles):
    subs = [{"kind": "all", "code": "*"}, {"kind": "country", "code": "JP"}, keyword("đại sứ"),
            {"kind": "person", "code": "vladimir putin", "value": "Vladimir Putin"}, keyword("putin", "exclude")]
    index = SubscriptionIndex.build({1: subs, 2: subs[:4]})
    putin = next(a for a in articles if oracle(a, "putin") and oracle(a, "đại sứ"))
    item = {**putin, "keys": {("country", "JP")}, "tags": Tags(people=(Person("Vladimir Putin"),))}
    assert index.chats_for(item) == {2: 4}  # chat 1 excludes him, whatever else matched
    found = index.match(item)
    assert found.excluded == {1} and index.count(found, 1) == 0 and index.count(found, 2) == 4
    other = next(a for a in articles if oracle(a, "đại sứ") and not oracle(a, "putin"))
    assert index.chats_for(other) == {1: 2, 2: 2}  # all + the keyword; no exclusion hit


def test_people_by_the_rule_of_person():
    index = SubscriptionIndex.build({
        1: [{"kind": "person", "code": "vladimir putin", "value": "Vladimir Putin"}],
        2: [{"kind": "person", "code": "le hoai trung", "value": "Lê Hoài Trung"}],
    })

    def tagged(*names: str) -> dict:
        return {"id": 1, "title": "", "summary": "", "body": "", "keys": set(),
                "tags": Tags(people=tuple(Person(n) for n in names))}

    assert index.chats_for(tagged("Putin")) == {1: 1}  # an article that gave only the surname
    assert index.chats_for(tagged("Lê Hoài Trung", "Vladimir Putin")) == {1: 1, 2: 1}
    assert index.chats_for(tagged("Trung")) == {}  # a lone Vietnamese word is nobody's surname
    assert index.chats_for(tagged("Nguyễn Văn Trung")) == {}


def test_a_keyword_met_twice_counts_once_and_the_index_grows_after_matching():
    index = SubscriptionIndex.build({1: [keyword("asean"), keyword("ASEAN".lower())]})
    item = {"id": 1, "title": "ASEAN và ASEAN", "summary": "asean", "body": ""}
    assert index.chats_for(item) == {1: 2}  # two subscriptions stored (the same code twice here), one hit each
    index.add(2, keyword("và"))
    assert index.chats_for(item) == {1: 2, 2: 1}


def test_pool_matches_say_what_each_chat_matched(articles):
    index = SubscriptionIndex.build({1: [keyword("đại sứ"), keyword("mỹ")], 2: [{"kind": "all", "code": "*"}]})
    pool = articles[:60]
    matches = PoolMatches(index, pool)
    for item in pool:
        expected = oracle(item, "đại sứ") + oracle(item, "mỹ")
        assert matches.count(1, item) == expected
        assert matches.count(2, item) == 1
        assert (("keyword", "đại sứ") in matches.keys(item)) == oracle(item, "đại sứ")

"""Topics, the diplomatic score and the tag_article contract."""

from __future__ import annotations

from pathlib import Path

import pytest

from tagger import TAXONOMY, resolve_topic, suggest_topics, tag_article
from tagger.topics import diplomatic_score, find_topics

SEEDS = Path(__file__).resolve().parent.parent / "seeds"


def seed(n: int) -> tuple[str, str]:
    title, _, body = next(SEEDS.glob(f"{n:03d}_*.txt")).read_text(encoding="utf-8").partition("\n")
    return title, body


@pytest.mark.parametrize("n", range(5))
def test_seeds_are_diplomatic(n):
    assert tag_article(*seed(n)).is_diplomatic >= 0.8


@pytest.mark.parametrize(
    "title,body",
    [
        ("Messi ghi bàn giúp Barcelona thắng trận",
         "Trong trận đấu tối qua, cầu thủ Messi đã ghi bàn thắng quyết định. HLV khen ngợi."),
        ("Bắt nghi phạm trộm xe máy",
         "Công an quận 1 đã bắt giữ nghi phạm trộm cắp. Cơ quan điều tra khởi tố, tạm giam nghi can."),
        ("Hà Nội mưa lớn, nhiệt độ giảm",
         "Không khí lạnh tràn về, Hà Nội có mưa lớn, nhiệt độ thấp nhất 15 độ C."),
    ],
)
def test_sports_crime_weather_are_not(title, body):
    assert diplomatic_score(title, body) < 0.2


def test_seed_topics():
    assert find_topics(*seed(0))[0]["name"] == "đối ngoại địa phương"
    names_004 = [t["name"] for t in find_topics(*seed(4))]
    assert names_004[:2] == ["ngoại giao kinh tế", "ngoại giao y tế — vắc xin"]
    names_001 = [t["name"] for t in find_topics(*seed(1))]
    assert "thu hút đầu tư" in names_001 and "bảo hộ công dân" not in names_001


def test_topic_scores_are_ordered_and_bounded():
    topics = find_topics(*seed(3))
    scores = [t["score"] for t in topics]
    assert scores == sorted(scores, reverse=True)
    assert all(0.5 <= s <= 1 for s in scores) and {t["name"] for t in topics} <= set(TAXONOMY)


def test_sea_topic():
    topics = find_topics("Biển Đông", "Việt Nam phản đối Trung Quốc ở Hoàng Sa, đòi tuân thủ UNCLOS và COC.")
    assert topics[0]["name"] == "biển đảo"


@pytest.mark.parametrize(
    "query,name",
    [("kinh te", "ngoại giao kinh tế"), ("ASEAN", "đa phương — ASEAN/LHQ"),
     ("vắc xin", "ngoại giao y tế — vắc xin"), ("bien dao", "biển đảo"),
     ("Biển Đông", "biển đảo"), ("bao ho cong dan", "bảo hộ công dân"),
     ("quoc phong", "quốc phòng — an ninh"), ("dau tu", "thu hút đầu tư")],
)
def test_resolve_topic(query, name):
    assert resolve_topic(query) == name


def test_unknown_topic_and_suggestions():
    assert resolve_topic("bóng đá") is None
    assert suggest_topics("bien")[0] in TAXONOMY


def test_tag_article_contract_shape():
    tags = tag_article(*seed(1)).to_dict()
    assert set(tags) == {"provinces", "countries", "people", "topics", "dates", "is_diplomatic"}
    assert set(tags["provinces"][0]) == {"mention", "old", "old_code", "new", "new_code"}
    assert set(tags["countries"][0]) == {"mention", "name", "code"}
    assert set(tags["people"][0]) == {"name", "role"}
    assert set(tags["topics"][0]) == {"name", "score"}
    assert isinstance(tags["is_diplomatic"], float)


def test_tag_article_empty_input():
    assert tag_article("", "").to_dict() == {"provinces": [], "countries": [], "people": [], "topics": [],
                                   "dates": [], "is_diplomatic": 0.0}

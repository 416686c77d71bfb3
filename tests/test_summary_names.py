"""A person the summary's first sentence names by one word gets the full name the article gives
(`summarizer.names`), on real vietnews lines where the shared files sit beside the checkout."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from summarizer.extractive import ExtractiveSummarizer
from summarizer.names import in_full
from summarizer.readability import opens_on_lede
from tagger.people import find_people, full_name_of

SHARED = Path(__file__).resolve().parents[2] / "shared" / "data"
DIPLOMATIC = SHARED / "vietnews_val_diplomatic.jsonl"
VAL_2000 = SHARED / "vietnews_val_2000.jsonl"

SPOKESWOMAN_BODY = (
    "Người phát ngôn Bộ Ngoại giao Lê Thị Thu Hằng trả lời câu hỏi của phóng viên tại cuộc họp báo chiều 9/3 .\n"
    "\" Việt Nam kiên quyết phản đối mọi hành động vi phạm chủ quyền \" , bà Hằng nói .\n"
    "Bà Hằng cho biết Việt Nam luôn sẵn sàng đối thoại để giải quyết các bất đồng ."
)


def _record(article: str, path: Path = DIPLOMATIC) -> dict:
    if not path.exists():
        pytest.skip(f"{path} not found (the shared vietnews files sit next to the checkout)")
    with path.open(encoding="utf-8") as handle:
        return next(r for r in map(json.loads, handle) if r["id"] == article)


def test_a_speaker_named_by_one_word_gets_the_full_name_the_article_gives():
    sentence = "Bà Hằng cho biết Việt Nam luôn sẵn sàng đối thoại để giải quyết các bất đồng ."
    shown = in_full(sentence, "Việt Nam phản đối", SPOKESWOMAN_BODY)
    assert shown == "Bà Lê Thị Thu Hằng cho biết Việt Nam luôn sẵn sàng đối thoại để giải quyết các bất đồng ."


def test_real_speakers_in_the_diplomatic_file():
    # val/007676: "Tuyên bố của bà Hoa …" (readers: a bà Hoa that neither title nor summary holds).
    record = _record("val/007676")
    line = next(s for s in record["body"].splitlines() if s.startswith("Tuyên bố của bà Hoa"))
    assert in_full(line, record["title"], record["body"]).startswith("Tuyên bố của bà Hoa Xuân Oánh được đưa ra sau khi")
    # val/002729: "Theo ông Thịnh , …" (readers: a speaker never introduced) opens the summary in full.
    record = _record("val/002729")
    summary = ExtractiveSummarizer().summarize(record["title"], record["body"]).text
    assert summary.startswith("Theo ông Đỗ Ngọc Thịnh , ")


def test_who_is_left_as_the_article_wrote_them():
    sentence = "Bà Hằng cho biết Việt Nam luôn sẵn sàng đối thoại ."
    # The title or the summary already names her in full.
    assert in_full(sentence, "Bà Lê Thị Thu Hằng nói về Biển Đông", SPOKESWOMAN_BODY) == sentence
    assert in_full(sentence, "Biển Đông", SPOKESWOMAN_BODY, "Bà Lê Thị Thu Hằng trả lời phóng viên .") == sentence
    # Someone the article gives no role: a name in a crime story stays as the paper wrote it.
    crime = "Anh Nguyễn Văn Hùng ( 35 tuổi ) bị đánh trọng thương .\nAnh Hùng được đưa đi cấp cứu ."
    assert in_full("Anh Hùng được đưa đi cấp cứu .", "Đánh người", crime) == "Anh Hùng được đưa đi cấp cứu ."
    # Two people with a role who could be `ông Minh`: no guess.
    two = (
        "Thứ trưởng Bộ Ngoại giao Nguyễn Quốc Minh dự họp .\n"
        "Chủ tịch UBND tỉnh Trần Văn Minh phát biểu .\nÔng Minh cho biết tỉnh sẽ hỗ trợ ."
    )
    assert in_full("Ông Minh cho biết tỉnh sẽ hỗ trợ .", "Hội nghị", two) == "Ông Minh cho biết tỉnh sẽ hỗ trợ ."
    # A name already in full, or `bà` before a place or a word that is no name.
    full = "Bà Lê Thị Thu Hằng cho biết ."
    assert in_full(full, "", SPOKESWOMAN_BODY) == full
    place = "Tỉnh Bà Rịa - Vũng Tàu đón bà con về quê ."
    assert in_full(place, "", SPOKESWOMAN_BODY) == place


def test_full_name_of_reads_names_as_the_tagger_joins_them():
    people = find_people(SPOKESWOMAN_BODY + "\nChủ tịch Trung Quốc Tập Cận Bình tới Hà Nội .")
    assert full_name_of("Hằng", people) == "Lê Thị Thu Hằng"
    assert full_name_of("Tập", people) == "Tập Cận Bình"  # the surname first, as Chinese names go
    assert full_name_of("Lan", people) is None
    nobody = find_people("Anh Nguyễn Văn Hùng ( 35 tuổi ) bị đánh trọng thương .")
    assert full_name_of("Hùng", nobody) is None
    assert full_name_of("Hùng", nobody, with_role=False) == "Nguyễn Văn Hùng"


def test_a_summary_that_names_someone_in_full_still_opens_on_the_lede():
    body = "Bà Hằng cho biết Việt Nam luôn sẵn sàng đối thoại để giải quyết các bất đồng .\nCâu thứ hai của bài viết ."
    assert opens_on_lede(body, "Bà Lê Thị Thu Hằng cho biết Việt Nam luôn sẵn sàng đối thoại để giải quyết các bất đồng .")
    # So does one shown without a pointer the article had (`này`), or without its opening connective.
    body = "Theo đó , các đối tượng này bị truy nã vì tội lừa đảo chiếm đoạt tài sản ở nhiều tỉnh .\nCâu khác ."
    assert opens_on_lede(body, "Các đối tượng bị truy nã vì tội lừa đảo chiếm đoạt tài sản ở nhiều tỉnh .")
    # Another sentence, or a short one that shares a few words, does not.
    assert not opens_on_lede(body, "Câu khác .")
    assert not opens_on_lede(body, "Các đối tượng bị bắt giữ tại nhiều tỉnh miền Trung vào năm ngoái .")


def test_a_name_that_opens_a_sentence_gets_the_full_name_too():
    # val/001062: the suspect, `Trần Hữu Hiếu` in the lede, is `Hiếu` further in; readers called such
    # a bare name from the middle of a story unintroduced. No role is needed for a name of this shape.
    record = _record("val/001062", VAL_2000)
    shown = in_full("Hiếu cất giấu số lượng pháo ở nhà để bán kiếm lời dịp Tết .", record["title"], record["body"])
    assert shown == "Trần Hữu Hiếu cất giấu số lượng pháo ở nhà để bán kiếm lời dịp Tết ."
    summary = ExtractiveSummarizer().summarize(record["title"], record["body"]).text
    assert not summary.startswith("Hiếu ")


def test_a_word_that_opens_a_sentence_and_is_also_a_name_stays():
    # val/001476 names `Huỳnh Đông`, but `Đông đảo kiều bào …` is "numerous", a compound for underthesea.
    record = _record("val/001476", VAL_2000)
    line = next(s for s in record["body"].splitlines() if s.startswith("Đông đảo kiều bào"))
    assert in_full(line, record["title"], record["body"]) == line
    # A word the body also writes in lower case is a word (`Công an …` where the body has `công an`).
    body = "Ông Nguyễn Văn Công , Giám đốc Công an tỉnh , cho biết công an đã vào cuộc .\nCông an tỉnh đã bắt giữ 3 đối tượng ."
    assert in_full("Công an tỉnh đã bắt giữ 3 đối tượng .", "Bắt giữ", body) == "Công an tỉnh đã bắt giữ 3 đối tượng ."

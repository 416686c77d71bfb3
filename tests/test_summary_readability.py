"""Summaries a reader trusts: no photo captions, questions, cut sentences or dangling openings.

Every line quoted here is a real vietnews line (bodies as vietnews gives them, spaced
punctuation included). The end-to-end tests read held-out articles from ../shared/data
next to the checkout and are skipped where that folder is absent.
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

import pytest

from diplobot.text import syllables
from summarizer.eligibility import is_caption, opener
from summarizer.extractive import ExtractiveSummarizer, candidates
from summarizer.readability import kind_shares, opens_on_lede, unreadable_kinds
from summarizer.sentences import is_furniture, readable, split_line_sentences, split_lines
from summarizer.shapes import (
    also_after_subject,
    is_cut,
    is_exclamation,
    is_photo_credit,
    is_question,
    link_names,
    marked_caption,
    opens_pointing_back,
    photo_marks,
    points_back,
    restated_by,
    strip_photo_position,
)

SHARED = Path(__file__).resolve().parents[2] / "shared" / "data"
DIPLOMATIC = SHARED / "vietnews_val_diplomatic.jsonl"
VAL_2000 = SHARED / "vietnews_val_2000.jsonl"

CAPTIONS = [
    "Tổng thống Philippines Rodrigo Duterte .",
    "Phát ngôn viên Bộ Ngoại giao Nga Maria Zakharova .",
    "Một trong 10 chiếc tàu của Trung Quốc gần bãi cạn Scarborough .",
    "Thủ tướng Anh Theresa May và Tổng thống Mỹ Donald Trump .",
    "Ngoại trưởng Pompeo trong cuộc họp bên lề AMM hôm 1/8 .",
    "Hiện trường vụ lao xe ở Berlin , Đức .",
    "Toà Đại sứ quán Triều Tiên tại London .",
    "Đại sứ EU tại Mỹ David O ’ Sullivan .",  # the tagger calls `’` a verb
    # A caption's own marks, verb or not: where people stand, a picture noun opening it.
    "Lãnh đạo Triều Tiên Kim Jong-un ( trái ) và Tổng thống Mỹ Donald Trump ( phải ) .",
    "Thủ tướng Ấn Độ Narendra Modi ( trái ) nhận hoa khi đặt chân tới sân bay Nội Bài .",
    "Chủ tịch Trung Quốc Tập Cận Bình , phải , đón Tổng thống Philippines Duterte tại Bắc Kinh tuần trước .",
    "Hình ảnh phóng thử tên lửa Pukguksong -2 do KCNA công bố .",
]
# Short real sentences: a verb, the copula, an adjective predicate, a demonstrative.
SHORT_SENTENCES = [
    "Có ba người bị thương do mảnh vỡ của những quả bom.",
    "Thanh niên này tử vong vì mất nhiều máu .",
    "Lúc này , cuộc sống của vợ chồng rất hạnh phúc .",
    "Hai nạn nhân này trong độ tuổi từ 30 - 35 .",
    "Ông xã người đẹp là con trai của \" bà trùm mía đường \" Trần Thị Thái .",
    "Tuần này tiếp tục là một vòng đấu mới của Mỹ và Trung Quốc tại Campuchia .",
    "Việt Nam tham gia Công ước Basel năm 1995 .",
    "Quả tên lửa thứ 3 bị bắn hạ .",
    "Thủ đô Jakarta của Indonesia có khoảng 10,7 triệu dân .",
    "Hội nghị AMCC chỉ diễn ra trong ngày 18-9 .",
    # `phải` after a comma is "had to"; a sentence about a picture has a clause.
    "Hậu quả , chị T. và con trai 3 tuổi bị thương , phải đi cấp cứu .",
    "Hình ảnh sau đó đã thu hút rất nhiều bình luận .",
    "Hình ảnh mặc bikini của bốn chị em từng gây chú ý trên mạng xã hội .",
    "Ảnh hưởng do mưa lớn của cơn bão số 3 đã khiến nhiều địa phương bị ảnh hưởng nặng .",
]


def _records(path: Path) -> dict[str, dict]:
    if not path.exists():
        pytest.skip(f"{path} not found (the shared vietnews files sit next to the checkout)")
    with path.open(encoding="utf-8") as handle:
        return {record["id"]: record for record in map(json.loads, handle)}


@pytest.fixture(scope="module")
def summarizer() -> ExtractiveSummarizer:
    return ExtractiveSummarizer()


@lru_cache(maxsize=1)
def _summarizer() -> ExtractiveSummarizer:
    return ExtractiveSummarizer()


def _summary(record: dict) -> str:
    """The default summary of a vietnews record, from one summarizer shared by the tests."""
    return _summarizer().summarize(record["title"], record["body"]).text


# --- captions ----------------------------------------------------------------------


@pytest.mark.parametrize("line", CAPTIONS)
def test_a_verbless_line_that_names_someone_is_a_caption(line):
    assert is_caption(line, len(syllables(line)))
    assert "caption" in unreadable_kinds("Tin thế giới", f"{line}\nMột câu khác của bài .", line)


@pytest.mark.parametrize("line", SHORT_SENTENCES)
def test_a_short_real_sentence_stays_eligible(line):
    tokens = syllables(line)
    assert not is_caption(line, len(tokens))
    assert readable(line, tokens, syllables("Tin trong nước"))
    assert "caption" not in unreadable_kinds("Tin trong nước", line, line)


def test_a_caption_is_a_line_of_its_own():
    caption = "Tổng thống Philippines Rodrigo Duterte ."
    first = "Ông Duterte cảm thấy bị ràng buộc bởi các nghi thức ."
    last = "Ông Duterte sẽ không dự các cuộc gặp bên lề hội nghị ."
    # Inside a longer line it is not a caption for the counter.
    assert "caption" not in unreadable_kinds("Duterte", f"Ông nói . {caption} {first}", caption)
    # Down the body, the selector skips it; opening the body, it is not even scored.
    found = candidates("Duterte", f"{first}\n{caption}\n{last}")
    assert found.whole_line == [True, True, True]
    assert [found.allowed(i) for i in range(3)] == [True, False, True]
    assert candidates("Duterte", f"{caption}\n{first}\n{last}").sentences == [first, last]


def test_where_someone_stands_in_the_photo_goes_and_the_rest_is_judged():
    lead = "Thủ tướng Ấn Độ Narendra Modi tới Hà Nội tối qua , bắt đầu chuyến thăm chính thức Việt Nam ."
    body = "\n".join([
        lead,
        "Thủ tướng Ấn Độ Narendra Modi ( trái ) nhận hoa khi đặt chân tới sân bay Nội Bài .",
        "Lãnh đạo Triều Tiên Kim Jong-un ( trái ) và Tổng thống Mỹ Donald Trump ( phải ) .",
    ])
    found = candidates("Thủ tướng Ấn Độ thăm Việt Nam", body)
    assert found.sentences[1] == "Thủ tướng Ấn Độ Narendra Modi nhận hoa khi đặt chân tới sân bay Nội Bài ."
    assert found.allowed(1)  # a sentence once the marker is gone
    assert len(found.sentences) == 2  # still a caption: no verb (`shapes.marked_caption`)
    assert "caption" not in unreadable_kinds("Modi", body, found.sentences[1])


def test_a_short_first_line_the_lede_repeats_is_a_caption_with_a_verb(summarizer):
    # Real vietnews diplomatic articles: the body opens on a photo's caption that has a verb, and the
    # lede says it again at length. Readers rejected summaries that opened on such a caption.
    records = _records(DIPLOMATIC)
    for article, caption in [
        ("val/006885", "Tổng thống Trump tưởng niệm các nạn nhân thảm hoạ 11/9 ."),
        ("val/007906", "Chủ tịch nước Trần Đại Quang và phu nhân hội kiến Quốc vương Campuchia Norodom Sihamoni ."),
        ("val/011251", "Người biểu tình ném lốp vào cổng đại sứ quán Mỹ ở Honduras hôm 31/5 ."),
    ]:
        record = records[article]
        lines = record["body"].splitlines()
        assert lines[0] == caption
        assert restated_by(lines[0], syllables(lines[0]), syllables(lines[1]))
        found = candidates(record["title"], record["body"])
        assert caption not in found.sentences
        assert found.sentences[0] == split_line_sentences(lines[1])[0]
        summary = summarizer.summarize(record["title"], record["body"]).text
        assert not summary.startswith(caption)
        assert opens_on_lede(record["body"], summary) == summary.startswith(found.sentences[0])


def test_a_first_line_the_next_does_not_repeat_stays():
    lede = "Việt Nam tham gia Công ước Basel năm 1995 ."
    after = "Công ước kiểm soát việc vận chuyển xuyên biên giới các chất thải nguy hại và việc tiêu huỷ chúng ."
    assert not restated_by(lede, syllables(lede), syllables(after))
    assert candidates("Công ước Basel", f"{lede}\n{after}").sentences == [lede, after]
    # Longer than what follows, or with a comma, it is a sentence of its own however much is repeated.
    long_first = "Tổng thống Mỹ Donald Trump hôm qua có bài phát biểu tưởng nhớ các nạn nhân thảm hoạ 11/9 ."
    assert not restated_by(long_first, syllables(long_first), syllables("Tổng thống Trump tưởng niệm các nạn nhân ."))
    comma = "Hôm qua , Tổng thống Trump tưởng niệm các nạn nhân ."
    assert not restated_by(comma, syllables(comma), syllables("Hôm qua , Tổng thống Mỹ Donald Trump tưởng niệm các nạn nhân thảm hoạ ."))
    # Only the first line: further down, a sentence the next one repeats is the article's own.
    body = f"{after}\n{lede}\nViệt Nam tham gia Công ước Basel năm 1995 và đã thực hiện nhiều cam kết ."
    assert lede in candidates("Công ước Basel", body).sentences


def test_a_line_a_photo_credit_follows_is_a_caption_even_with_a_verb():
    record = _records(DIPLOMATIC)["val/007630"]
    caption, credit = record["body"].splitlines()[:2]
    assert (caption, credit) == ("Tiêm kích bom Su -34 Nga không kích ở Syria .", "Ảnh : Sputnik")
    assert is_photo_credit(credit)
    assert caption not in candidates(record["title"], record["body"]).sentences
    assert "caption" in unreadable_kinds(record["title"], record["body"], caption)
    lede = record["body"].splitlines()[2]
    assert opens_on_lede(record["body"], lede) and not opens_on_lede(record["body"], caption)
    # A credit names a source, not a sentence; a long paragraph before one is no caption.
    assert not is_photo_credit("Ảnh hưởng của cơn bão đã giảm .")
    assert is_photo_credit("( Ảnh : AP )") and is_photo_credit("Photo : CoCo")
    paragraph = (
        "Năm 2013 , ông được bổ nhiệm làm Phó chánh văn phòng Bộ Công Thương , Vụ trưởng , Trưởng ban "
        "chỉ đạo chống buôn lậu , gian lận thương mại và hàng giả của bộ ."
    )
    body = f"Ông Trần Văn A được bổ nhiệm làm Thứ trưởng Bộ Công Thương từ ngày 1/8 .\n{paragraph}\nẢnh : Công an Nhân dân"
    assert paragraph in candidates("Bổ nhiệm Thứ trưởng", body).sentences


# --- questions and exclamations ------------------------------------------------------


@pytest.mark.parametrize(
    "line",
    [
        "Vì sao lại như thế ?",
        "Đệ nhất Phu nhân sẽ làm dịu bầu không khí căng thẳng ?",
        "Giọt nước tràn ly , các quốc gia đã chuyển trả container chứa phế thải . Làm dữ mới ăn thua ?",
        "Nếu bị ảo giác làm sao bị cáo phân biệt được ai với ai ?...",
    ],
)
def test_questions_are_not_summary_sentences(line):
    sentence = line.split(" . ")[-1]
    assert is_question(sentence)
    assert not readable(sentence, syllables(sentence), syllables("Syria sau hoà đàm"))


def test_exclamations_are_not_summary_sentences_even_under_a_question_title():
    line = "Cảm ơn ông rất nhiều !"
    assert is_exclamation(line)
    title = "Ông Trump và ông Kim nói gì với nhau khi vừa gặp tại Singapore ?"
    assert "question" in unreadable_kinds(title, line, line)
    assert not readable(line, syllables(line), syllables(title), title_is_question=True)


def test_a_question_may_answer_a_title_that_asks_one():
    title, line = "Mỹ làm gì để Triều Tiên thả con tin ?", "Mỹ làm gì để Triều Tiên thả con tin nhanh nhất ?"
    assert readable(line, syllables(line), syllables("Tin thế giới"), title_is_question=True)
    assert "question" not in unreadable_kinds(title, line, line)


def test_a_quoted_question_with_its_speaker_is_a_statement():
    line = "“ Bị cáo chiếm đoạt hơn 2.000 tỷ đồng của DongABank để dùng làm việc gì ? ” , chủ toạ hỏi ."
    assert not is_question(line)
    assert readable(line, syllables(line), syllables("Xét xử vụ DongABank"))


# --- cut sentences -------------------------------------------------------------------


@pytest.mark.parametrize(
    "line",
    [
        "Sẵn sàng mở rộng nhập khẩu từ Việt Nam , ưu tiên triển khai công tác đánh giá tiêu chuẩn "
        "gia nhập thị trường Trung Quốc đối với sữa và sản phẩm từ sữa của Việt Nam ...",
        "Người phát ngôn nhấn mạnh \" Việt Nam sẽ tiếp tục thực hiện các biện pháp bảo hộ ngoại giao , "
        "lãnh sự , pháp lý ở mức cao nhất \" ,",
        "… các nghệ sĩ Tuấn Ngọc , Mỹ Linh , Mỹ Tâm biểu diễn trong đêm nhạc hội Tết an bình .",
        # The source broke the line at a title's period (val/015457).
        "Ngoài ra , trong Đại lễ Phật Đản 2019 còn có sự tham gia của Phó tổng thống Ấn Độ Venkaiah Naidu , "
        "Thủ tướng Nepal K.P Sharma Oli , Hoà thượng Chủ tịch Vesak Liên Hợp Quốc 2019 Prof.",
    ],
)
def test_cut_sentences_are_not_summary_sentences(line):
    assert is_cut(line)
    assert not readable(line, syllables(line), syllables("Việt Nam - Trung Quốc"))


def test_an_ellipsis_inside_a_sentence_is_the_printed_etc():
    line = (
        "Singapore , Malaysia , Thái Lan ... là những nước được các nhân sự trẻ ưu tiên lựa chọn "
        "hàng đầu trong khu vực để ứng tuyển việc làm ."
    )
    assert not is_cut(line)
    assert readable(line, syllables(line), syllables("Việc làm ở ASEAN"))


# A line the source broke at an abbreviation's period, and the line that finishes it (val/000996).
BROKEN_AT_TP = (
    "Theo thông tin ban đầu , vào tối ngày 6/6 , qua công tác trinh sát và quản lí địa bàn , các trinh sát đội "
    "CSĐT tội phạm về ma tuý Công an TP.",
    "Vũng Tàu phát hiện Đào Ánh Nguyệt có nhiều biểu hiện nghi vấn nên tiến hành kiểm tra .",
)


def test_a_sentence_broken_at_an_abbreviation_is_one_sentence():
    head, tail = BROKEN_AT_TP
    body = f"{head}\n{tail}\nTại đây , lực lượng chức năng phát hiện Nguyệt đang tàng trữ 13 gói ma tuý ."
    assert split_lines(body)[0] == (f"{head} {tail}", False)
    assert is_cut(head) and not is_cut(tail)  # the tail alone ends well: only its start is cut
    assert unreadable_kinds("Hotgirl", body, tail) == {"cut"}
    assert unreadable_kinds("Hotgirl", body, f"{head} {tail}") == frozenset()


def test_an_abbreviation_inside_a_line_does_not_cut_it():
    line = "Ngày 1/11 , Công an TP. Vĩnh Yên ra quyết định truy nã đối với Tùng và Việt ."  # val/000024
    nxt = "Được sự vận động của gia đình , đến ngày 3/11 , Tùng đã ra đầu thú ."
    assert split_lines(f"{line}\n{nxt}") == [(line, True), (nxt, True)]
    assert unreadable_kinds("Vĩnh Yên", f"{line}\n{nxt}", nxt) == frozenset()


# --- openings that point back ----------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "shown"),
    [
        (
            "Tuy nhiên , sau 7 năm hoạt động , đến tháng 5/2017 , Sistar khiến dân mạng châu Á ngỡ ngàng khi thông báo tan rã .",
            "Sau 7 năm hoạt động , đến tháng 5/2017 , Sistar khiến dân mạng châu Á ngỡ ngàng khi thông báo tan rã .",
        ),
        ("Tuy nhiên, sau 7 năm, UAE quyết định rút phần lớn binh sĩ khỏi Yemen.",
         "Sau 7 năm, UAE quyết định rút phần lớn binh sĩ khỏi Yemen."),
        (
            "Theo đó , triển lãm ảnh Đất nước , con người ASEAN do bộ Văn hoá , Thể thao và Du lịch tổ chức .",
            "Triển lãm ảnh Đất nước , con người ASEAN do bộ Văn hoá , Thể thao và Du lịch tổ chức .",
        ),
        (
            "Trước đó , hồi tháng 3 , Trung Quốc đã bắt giữ 6 người Nhật vì tình nghi làm gián điệp .",
            "Hồi tháng 3 , Trung Quốc đã bắt giữ 6 người Nhật vì tình nghi làm gián điệp .",
        ),
        (
            "Liên quan đến vụ việc trên , lãnh đạo Công an thị xã Thuận An xác nhận có vụ phát hiện đôi nam nữ tử vong .",
            "Lãnh đạo Công an thị xã Thuận An xác nhận có vụ phát hiện đôi nam nữ tử vong .",
        ),
        (
            "Cũng theo Thượng tá Nguyễn Ngọc Mẽ , cảnh sát sẽ tăng cường lực lượng kiểm tra qua cổng từ .",
            "Theo Thượng tá Nguyễn Ngọc Mẽ , cảnh sát sẽ tăng cường lực lượng kiểm tra qua cổng từ .",
        ),
        # "And …", "Not only that , …".
        (
            "Và trong bối cảnh lệnh cấm vận phương Tây , khả năng nhận được tín dụng từ Trung Quốc cũng là \" điểm cộng \" đối với Nga .",
            "Trong bối cảnh lệnh cấm vận phương Tây , khả năng nhận được tín dụng từ Trung Quốc cũng là \" điểm cộng \" đối với Nga .",
        ),
        (
            "Không những thế , mối quan hệ giữa Châu Tinh Trì và Kim Dung thật sự gặp gỡ nhau từ sau 2004 .",
            "Mối quan hệ giữa Châu Tinh Trì và Kim Dung thật sự gặp gỡ nhau từ sau 2004 .",
        ),
        # What is left names a title with a pronoun in it, or the paper as "us": it stands alone.
        (
            "Theo đó , Liên hoan nghệ thuật toàn thế giới Tôi yêu tiếng nước tôi 2019 được tổ chức với mong muốn góp phần "
            "bảo vệ tiếng Việt , bảo tồn văn hoá Việt Nam cũng như nâng cao đời sống văn hoá tinh thần cho các thế hệ "
            "người Việt Nam trên thế giới .",
            "Liên hoan nghệ thuật toàn thế giới Tôi yêu tiếng nước tôi 2019 được tổ chức với mong muốn góp phần "
            "bảo vệ tiếng Việt , bảo tồn văn hoá Việt Nam cũng như nâng cao đời sống văn hoá tinh thần cho các thế hệ "
            "người Việt Nam trên thế giới .",
        ),
        # "Regarding the incident", never described; "immediately" after what?
        (
            "Liên quan đến sự việc , ngày 30/12 , Công an huyện Minh Hoá , tỉnh Quảng Bình đã bắt quả tang đối tượng Hoàng Thanh Tâm ( 30 tuổi ) , "
            "trú thôn Bắc Sơn , xã Sơn Hoá , huyện Minh Hoá , dùng clip sex để tống tiền một nữ giáo viên trên địa bàn .",
            "Ngày 30/12 , Công an huyện Minh Hoá , tỉnh Quảng Bình đã bắt quả tang đối tượng Hoàng Thanh Tâm ( 30 tuổi ) , "
            "trú thôn Bắc Sơn , xã Sơn Hoá , huyện Minh Hoá , dùng clip sex để tống tiền một nữ giáo viên trên địa bàn .",
        ),
    ],
)
def test_a_connective_is_dropped_when_the_rest_stands_alone(line, shown):
    assert points_back(line)
    assert opener(line) == shown
    assert not points_back(shown)


@pytest.mark.parametrize(
    "line",
    [
        "Đây là sự xác nhận chính thức đầu tiên của Bắc Kinh sau nhiều thông tin đồn đoán trên báo chí .",
        "Tội danh này nếu bị kết án sẽ bị phạt tối đa 1 năm tù và 1.000 USD .",
        "Điều này khiến nhiều người lo ngại về an ninh khu vực .",
        "Cụ thể , cơ quan này đã ra Quyết định khởi tố vụ án hình sự .",
        "Ông cũng cảnh báo rằng Hà Lan sẽ phải \" trả giá \" về cách đối xử với các bộ trưởng Thổ Nhĩ Kỳ .",
        "Tại đây , họ phát hiện anh C. tử vong trong tư thế treo cổ .",
        # A speaker's "I" in the first clause, the speaker not named.
        "Giữa tôi và Vân Dung chỉ là đôi bạn diễn ăn ý .",
        "Bản thân tôi đã có hơn 20 ngày không ngủ , vì thời gian tập là về đêm .",
        # "They" as the subject after the opening phrase.
        "Thứ tư , họ được thụ hưởng các chính sách liên quan như các lao động ở các nước sở tại , đó là vấn đề bảo hiểm , "
        "lương , những vấn đề thuộc chính sách đối với người lao động di cư .",
    ],
)
def test_an_anaphor_cannot_open_a_summary(line):
    assert points_back(line)
    assert opener(line) is None
    assert "dangling" in unreadable_kinds("Tin", line, line)


@pytest.mark.parametrize(
    ("line", "shown"),
    [
        # A demonstrative in the first clause with no name before it to point to.
        (
            "Điều kiện cho cuộc đầu thú và lãnh án tù này là sẽ không bị dẫn độ sang Mỹ sau thời gian thụ án ở Anh .",
            "Điều kiện cho cuộc đầu thú và lãnh án tù là sẽ không bị dẫn độ sang Mỹ sau thời gian thụ án ở Anh .",
        ),
        (
            "Cơ quan điều tra sau đó di lý vị \" thiếu gia \" này về miền Tây để chứng kiến việc khám xét trong đêm 17 "
            "đến rạng sáng 18/8 , tại phường 8 , TP. Cà Mau .",
            "Cơ quan điều tra di lý vị \" thiếu gia \" về miền Tây để chứng kiến việc khám xét trong đêm 17 "
            "đến rạng sáng 18/8 , tại phường 8 , TP. Cà Mau .",
        ),
        (
            "Theo RT , cuộc tấn công này sẽ kéo dài nhiều ngày và ảnh hưởng tới cuộc bầu cử Tổng thống Ukraine .",
            "Theo RT , cuộc tấn công sẽ kéo dài nhiều ngày và ảnh hưởng tới cuộc bầu cử Tổng thống Ukraine .",
        ),
        # After a name of another kind (`đơn vị` is not `Công an quận 7`'s head): the pointer goes.
        (
            "Công an quận 7 , TP. HCM cho biết đơn vị này vừa bắt được đối tượng Tạ Khắc Huy ( SN 1994 , quê Hải Phòng ) "
            "để điều tra về hành vi cứa cổ tài xế taxi để cướp tài sản .",
            "Công an quận 7 , TP. HCM cho biết đơn vị vừa bắt được đối tượng Tạ Khắc Huy ( SN 1994 , quê Hải Phòng ) "
            "để điều tra về hành vi cứa cổ tài xế taxi để cướp tài sản .",
        ),
        (
            "Trong tuyên bố ngày 13-1 , Iran cũng khẳng định không khuất phục trước sức ép của Mỹ buộc Tehran phải đàm phán lại thoả thuận này .",
            "Trong tuyên bố ngày 13-1 , Iran cũng khẳng định không khuất phục trước sức ép của Mỹ buộc Tehran phải đàm phán lại thoả thuận .",
        ),
        # `trên` with no object: "the above", wherever it stands.
        (
            "Theo Tân Hoa Xã lửa bùng cháy ở khu vực trên sau khi bị tấn công bằng những vũ khí hạng nặng , "
            "tuy nhiên hiện vẫn chưa rõ bên nào chịu trách nhiệm cho vụ tấn công này .",
            "Theo Tân Hoa Xã lửa bùng cháy ở khu vực sau khi bị tấn công bằng những vũ khí hạng nặng , "
            "tuy nhiên hiện vẫn chưa rõ bên nào chịu trách nhiệm cho vụ tấn công này .",
        ),
        # `sau đó`, `theo đó` inside the first clause link back even after a name.
        (
            "Lực lượng của Bộ Công an sau đó đã phải vào cuộc để khai quật tử thi .",
            "Lực lượng của Bộ Công an đã phải vào cuộc để khai quật tử thi .",
        ),
        (
            "Tuyên bố chung ASEAN - Úc theo đó cũng kêu gọi phi quân sự hoá và hình thành một bộ quy tắc ứng xử ở Biển Đông .",
            "Tuyên bố chung ASEAN - Úc cũng kêu gọi phi quân sự hoá và hình thành một bộ quy tắc ứng xử ở Biển Đông .",
        ),
        # After a connective opening: `Theo X , trước đó , …` keeps `Theo X ,`.
        (
            "Theo cơ quan công an , trước đó , đối tượng Chỉnh đi đến huyện Quảng Điền để thăm dò , lợi dụng các công trình "
            "xây dựng vào buổi trưa không có người trông giữ để tìm cơ hội trộm cắp tài sản .",
            "Theo cơ quan công an , đối tượng Chỉnh đi đến huyện Quảng Điền để thăm dò , lợi dụng các công trình "
            "xây dựng vào buổi trưa không có người trông giữ để tìm cơ hội trộm cắp tài sản .",
        ),
    ],
)
def test_a_pointer_further_in_goes_when_the_rest_stands_alone(line, shown):
    assert points_back(line)
    assert "dangling" in unreadable_kinds("Tin", line, line)
    assert opener(line) == shown
    assert not points_back(shown)
    assert unreadable_kinds("Tin", shown, shown) == frozenset()


def test_a_link_after_a_sentence_end_the_splitter_kept_does_not_dangle():
    # val/000786: two lines; `Q.` (an initial) keeps them together when the summary is split.
    first = "Khi ra kiểm tra thì thấy 1 chai thuốc diệt cỏ và lá thư tuyệt mệnh ký tên Vũ Thị Như Q."
    second = "Sau đó , lực lượng chức năng của 2 xã cùng người dân địa phương đã thông báo tới người nhà cô giáo này để phối hợp tìm kiếm ."
    assert points_back(second)
    assert not points_back(f"{first} {second}")
    assert unreadable_kinds("Tuyên Quang", f"{first}\n{second}", f"{first} {second}") == frozenset()


def test_the_above_points_back_anywhere():
    line = "Mới đây , nữ ca sĩ Lệ Quyên đã lên tiếng phủ nhận thông tin kể trên , cô cho biết đó chỉ là sự hiểu lầm ."
    assert points_back(line)
    assert "dangling" in unreadable_kinds("Lệ Quyên", line, line)


@pytest.mark.parametrize(
    "line",
    [
        "Mới đây , Bộ Ngoại giao Mỹ đã phê chuẩn thương vụ bán vũ khí cho Đài Loan .",
        "Những năm gần đây , Việt Nam và Nhật Bản đẩy mạnh hợp tác .",
        "Ông Trump cho biết sẽ gặp ông Kim Jong-un vào tháng tới .",
        "Ông chủ Wikileaks Julian Assange vẫn ở trong sứ quán Ecuador .",
        "Thông tin trên báo Người lao động , ông Nguyễn Văn A đã bị bắt .",
        "Trên thế giới , nhiều nước đã công nhận Nhà nước Palestine .",
        "Vào chủ nhật này ( 12/2 ) , đội tuyển sẽ lên đường sang Hàn Quốc .",
        "Tuy cả hai đều mang khuôn mặt nghiêm nghị khi bước xuống xe , hai nhà lãnh đạo đều tươi cười .",
        # A demonstrative of time (`lần này`); one after a name of its kind: see the tests at the end.
        "Thủ tướng mong muốn tại hội chợ lần này , các doanh nghiệp Việt Nam sẽ tìm kiếm được nhiều cơ hội hợp tác đầu tư , mở rộng thị "
        "trường tại các quốc gia ASEAN và Trung Quốc , qua đó góp phần đóng góp cho sản xuất trong nước , thúc đẩy hoạt động xuất khẩu .",
        # A pronoun in a title; the paper as "us" in an opening phrase.
        "Những ngày qua mạng xã hội truyền tay nhau thông tin MC Hoàng Linh của chương trình Chúng tôi là chiến sĩ lộ clip nóng .",
        "Trao đổi với chúng tôi , Trung tá Bùi Quốc Toản , Phó giám thị Trại giam Xuân Hà cho biết : "
        "“ Sự việc xảy ra quá nhanh nên các cán bộ quản giáo không xử lý kịp .",
        # `trên` with its object: "on".
        "Một thanh niên chạy trên đường Đồng Khởi hướng về huyện Vĩnh Cửu bị các đối tượng chạy xe máy rượt chém gục tại 1 con hẻm nhỏ .",
        "Liên quan đến đường dây xăng dầu giả của đại gia Trịnh Sướng , thông tin trên Zing , sáng 19/7 , VKSND tỉnh Đắk Nông đã phê chuẩn "
        "quyết định tạm giữ hình sự đối với ông Lưu Văn Nguyện , Chủ tịch Hội đồng quản trị Công ty cổ phần dầu khí Bình Minh , để điều tra "
        "hành vi bán dung môi cho người khác pha chế , sản xuất xăng thành phẩm giả .",
    ],
)
def test_openings_that_stand_alone(line):
    assert not points_back(line)
    assert opener(line) == line


def test_only_the_first_sentence_of_a_summary_can_dangle():
    first = "Đại sứ quán Nga nhấn mạnh , lệnh trừng phạt mới của Mỹ là “ tàn bạo ” ."
    second = "Trước đó , bộ Ngoại giao Mỹ thông báo những lệnh trừng phạt mới nhằm vào Nga ."
    assert unreadable_kinds("Nga", f"{first}\n{second}", f"{first} {second}") == frozenset()
    assert unreadable_kinds("Nga", f"{first}\n{second}", second) == {"dangling"}


def test_kind_shares_count_summaries_not_sentences():
    items = [
        ("Tin", "Vì sao lại như thế ?", "Vì sao lại như thế ?"),
        ("Tin", "Điều này khiến nhiều người lo ngại .", "Điều này khiến nhiều người lo ngại . Vì sao lại như thế ?"),
        ("Tin", SHORT_SENTENCES[0], SHORT_SENTENCES[0]),
        ("Tin", CAPTIONS[0], CAPTIONS[0]),
    ]
    shares = kind_shares(items)
    assert shares == {"caption": 25.0, "question": 50.0, "dangling": 25.0, "cut": 0.0, "any": 75.0}


# --- the summarizer on held-out articles ---------------------------------------------

# Ids whose summary held each kind before the filter, or after it in a hand reading (issue 19,
# second pass: a demonstrative in the first clause, `trên` as "the above", `Ngay lập tức`, a
# speaker's "I", a line broken at `Prof.`, `Và …`, `Không những thế ,`, `sau đó` after a name).
BEFORE = {
    DIPLOMATIC: {
        "val/008177": "Tổng thống Philippines Rodrigo Duterte .",
        "val/008374": "Ngoại trưởng Nga Sergei Lavrov .",
        "val/005394": "Cảm ơn ông rất nhiều !",
        "val/001178": "Theo đó , triển lãm ảnh",
        "val/004948": "Đây là sự xác nhận chính thức",
        "val/004782": "sản phẩm từ sữa của Việt Nam ...",
        "val/004888": "ở mức cao nhất \" ,",
        "val/004722": "lãnh án tù này",
        "val/015457": "2019 Prof.",
        "val/005397": "Và trong bối cảnh",
        "val/004527": "theo đó cũng",
        "val/007002": "ở khu vực trên sau khi",
    },
    VAL_2000: {
        # Found by hand after the filter (issue 19, second pass): dangling openings.
        "val/000055": "sau đó di lý",
        "val/001040": "Liên quan đến sự việc",
        "val/001282": "Giữa tôi và Vân Dung",
        "val/000084": "sau đó đã phải",
        "val/001330": "Không những thế",
        "val/000648": "Do con khóc dỗ không nín ?",
        "val/000778": "Giá cả như thế nào ?",
        "val/001577": "Tuy nhiên , sau 7 năm",
        "val/000015": "Cụ thể , hai vợ chồng",
        "val/000332": "các hành vi vi phạm pháp luật khác trên các tuyến giao thông …",
    },
}


@pytest.mark.parametrize(("path", "article"), [(p, i) for p, ids in BEFORE.items() for i in ids])
def test_held_out_summaries_hold_no_unreadable_sentence(summarizer, path, article):
    record = _records(path)[article]
    summary = summarizer.summarize(record["title"], record["body"])
    assert summary.backend == "extractive"
    assert BEFORE[path][article] not in summary.text
    assert unreadable_kinds(record["title"], record["body"], summary.text) == frozenset()


def test_the_rest_of_a_sentence_broken_at_an_abbreviation_comes_whole(summarizer):
    record = _records(VAL_2000)["val/000996"]
    summary = summarizer.summarize(record["title"], record["body"])
    assert not summary.text.startswith(BROKEN_AT_TP[1][:20])
    assert unreadable_kinds(record["title"], record["body"], summary.text) == frozenset()


def test_a_dropped_connective_keeps_the_sentence(summarizer):
    record = _records(DIPLOMATIC)["val/001178"]
    summary = summarizer.summarize(record["title"], record["body"])
    assert summary.text.startswith("Triển lãm ảnh Đất nước , con người ASEAN do bộ Văn hoá")


# --- demonstratives after a name, half parentheses (issue 19, third pass) -----------------
# Lines read from ../shared at test time: `_sentence(file, id, opening)` is the sentence of that
# article's body that starts with `opening`.


def _sentence(path: Path, article: str, opening: str) -> str:
    body = _records(path)[article]["body"]
    found = [s for line in body.splitlines() for s in split_line_sentences(line) if s.startswith(opening)]
    assert len(found) == 1, (article, opening, found)
    return found[0]


@pytest.mark.parametrize(
    ("path", "article", "opening", "pointer"),
    [
        # A name, then a noun of another kind with `này`: a view, an organization, a process that
        # the sentence does not hold (hand readings 3–5).
        (DIPLOMATIC, "val/011903", "Trung Quốc đưa ra quan điểm này", "quan điểm này"),
        (DIPLOMATIC, "val/005236", "Luật sư của tổng thống Mỹ đưa ra quan điểm này", "quan điểm này"),
        # `Trước đó , bà Neomi Melendez đã thay mặt tổ chức này …`, as it shows once `Trước đó ,` goes.
        (VAL_2000, "val/001402", "Trước đó , bà Neomi Melendez", "tổ chức này"),
    ],
)
def test_a_demonstrative_after_a_name_of_another_kind_points_back(path, article, opening, pointer):
    line = _sentence(path, article, opening).removeprefix("Trước đó , b").replace("à Neomi", "Bà Neomi", 1)
    assert pointer in line
    assert points_back(line)
    assert "dangling" in unreadable_kinds("Tin", line, line)
    shown = opener(line)
    assert shown is None or (pointer not in shown and not points_back(shown))


@pytest.mark.parametrize(
    ("path", "article", "opening", "pointer"),
    [
        # The noun is the name's own head: `Bộ Ngoại giao Nga … Bộ này`.
        (DIPLOMATIC, "val/012668", '" Bộ Ngoại giao Nga đã triệu tập', "Bộ này"),
        # A person's title after a person, a country after a country.
        (DIPLOMATIC, "val/012027", "Trịnh Xuân Thanh bị Bộ Công an", "ông này"),
        (DIPLOMATIC, "val/008923", "Trung Quốc nói nước này", "nước này"),
        # Not a pointer: `trong đó` (among which), `tới đâu … tới đó`, `từ X này đến Y khác`,
        # a title (`Ngày ấy mình đã yêu`), a quotation, `tháng 10 này`.
        (DIPLOMATIC, "val/004419", "Sau khi chuyển hàng đặc dụng", "trong đó có"),
        (DIPLOMATIC, "val/004303", "Với tinh thần gấp gáp", "tới đó"),
        (VAL_2000, "val/001921", "“ Cầm trịch ” Quý ông đại chiến", "bất ngờ này đến"),
        (VAL_2000, "val/001564", "Trong đoạn preview tập 15", "Ngày ấy"),
        (DIPLOMATIC, "val/005503", "Ông Bolton nói", "thông báo này"),
        (VAL_2000, "val/001263", "Diễn viên Thu Trang chia sẻ", "tháng 10 này"),
    ],
)
def test_a_demonstrative_whose_referent_the_sentence_holds_stays(path, article, opening, pointer):
    line = _sentence(path, article, opening)
    assert pointer in line
    shown = opener(line)
    assert shown is not None and pointer in shown


@pytest.mark.parametrize(
    ("path", "article", "opening"),
    [
        # Without `này` a classifier or `người` is not a phrase (`gọi vụ là`, `người xác nhận`).
        (DIPLOMATIC, "val/005517", "Báo chí châu Âu đã gọi vụ này"),
        (VAL_2000, "val/000627", "Đến 9h30 cùng ngày , BQL"),
        (VAL_2000, "val/001892", "Hiện tại , Tú Anh chưa nghĩ tới chuyện này"),
    ],
)
def test_a_classifier_keeps_its_demonstrative_and_cannot_open(path, article, opening):
    line = _sentence(path, article, opening)
    assert points_back(line)
    assert opener(line) is None


@pytest.mark.parametrize(
    ("article", "opening"),
    [
        # The source broke a line inside a parenthesis: its head and its tail.
        ("val/000785", "Tỉnh Hải Dương ) , phát hiện"),
        ("val/000785", "Ngày 12/7 , đại diện phòng CSĐT"),
        ("val/000049", "Theo đó , vụ việc xảy ra vào sáng 19/7"),
    ],
)
def test_half_a_parenthesis_is_cut(article, opening):
    line = _sentence(VAL_2000, article, opening)
    assert is_cut(line)
    assert not readable(line, syllables(line), [])


def test_whole_parentheses_are_not_cut():
    line = _sentence(VAL_2000, "val/000785", "Tại hiện trường , công an thu giữ")
    assert "(" in line and not is_cut(line)


@pytest.mark.parametrize(
    ("path", "article", "gone"),
    [
        (DIPLOMATIC, "val/011903", "quan điểm này"),
        (VAL_2000, "val/001402", "tổ chức này"),
        (VAL_2000, "val/000785", "Tỉnh Hải Dương )"),
        (VAL_2000, "val/000049", "Bắc Từ Liêm ."),
    ],
)
def test_held_out_summaries_after_the_third_pass(summarizer, path, article, gone):
    record = _records(path)[article]
    summary = summarizer.summarize(record["title"], record["body"])
    assert gone not in summary.text
    assert unreadable_kinds(record["title"], record["body"], summary.text) == frozenset()


@pytest.mark.parametrize(
    ("article", "opening"),
    [
        # Hand reading 7: shown without `( phải )`, these were summaries' first sentences.
        ("val/008462", "Ông Kung Sok - ung ( phải ) khi"),
        ("val/008085", "Ông Mike Pompeo , phải , người"),
    ],
)
def test_a_marked_line_whose_main_clause_has_no_verb_is_a_caption(article, opening):
    record = _records(DIPLOMATIC)[article]
    line = next(line for line in record["body"].splitlines() if line.startswith(opening))
    assert marked_caption(line, len(syllables(line)))
    found = candidates(record["title"], record["body"])
    shown = strip_photo_position(line)
    assert shown not in found.sentences
    assert "caption" in unreadable_kinds(record["title"], record["body"], shown)
    summary = ExtractiveSummarizer().summarize(record["title"], record["body"])
    assert shown not in summary.text


def test_a_marked_line_with_a_main_verb_stays_a_sentence():
    record = _records(DIPLOMATIC)["val/009744"]
    line = next(line for line in record["body"].splitlines() if line.startswith("Ông Kem Sokha ( trái )"))
    assert not marked_caption(line, len(syllables(line)))
    assert strip_photo_position(line) in candidates(record["title"], record["body"]).sentences


@pytest.mark.parametrize(
    ("path", "article", "opening"),
    [
        # Hand readings 7 and 8: a sentence's second half, "so …", "then …".
        (DIPLOMATIC, "val/018403", "Nên nợ nước ngoài của DN"),
        (VAL_2000, "val/001393", "Thì mới đây , một đoạn preview"),
    ],
)
def test_so_and_then_open_a_second_half(path, article, opening):
    line = _sentence(path, article, opening)
    assert points_back(line)
    assert "dangling" in unreadable_kinds("Tin", line, line)
    record = _records(path)[article]
    summary = ExtractiveSummarizer().summarize(record["title"], record["body"])
    assert not summary.text.startswith(opening)


@pytest.mark.parametrize("opening", ["Phú lo sợ nên đã đồng ý", "Trước Tết khoảng 2 tháng , An bị bố mắng nên"])
def test_so_inside_a_sentence_does_not_point_back(opening):
    article = "val/000010" if opening.startswith("Phú") else "val/000014"
    assert not points_back(_sentence(VAL_2000, article, opening))


# --- fourth pass: captions the tagger misreads, matter nouns, lines broken at Q. or in a name ------


def _line(path: Path, article: str, opening: str) -> str:
    """The whole body line of that article that starts with `opening`."""
    found = [line.strip() for line in _records(path)[article]["body"].splitlines() if line.strip().startswith(opening)]
    assert len(found) == 1, (article, opening, found)
    return found[0]


@pytest.mark.parametrize(
    ("path", "article", "opening"),
    [
        # The tagger calls the end of a Korean name (`in`), an office (`Đại sứ Anh`), "of" (`thuộc`)
        # and the verbs of a `khi` phrase verbs; the line is a noun phrase all the same.
        (DIPLOMATIC, "val/008596", "Tân tổng thống Hàn Quốc Moon Jae - in"),
        (DIPLOMATIC, "val/012023", "Đại sứ Anh tại Mỹ Kim Darroch"),
        (DIPLOMATIC, "val/012820", "Nữ nghị sĩ thuộc đảng Dân chủ"),
        (DIPLOMATIC, "val/010923", "Hoạt động trên tàu USS Theodore Roosevelt"),
        (VAL_2000, "val/001971", "Tăng Thanh Hà khi trưởng thành"),
        # 21 syllables: captions run longer than 20.
        (DIPLOMATIC, "val/009000", "Thủ tướng Nguyễn Xuân Phúc trong phiên họp toàn thể"),
    ],
)
def test_captions_the_tagger_misreads(path, article, opening):
    line = _line(path, article, opening)
    assert is_caption(line, len(syllables(line)))
    assert "caption" in unreadable_kinds("Tin", line, line)
    record = _records(path)[article]
    assert opening not in _summary(record)


def test_where_someone_stands_before_an_and_marks_a_caption():
    line = _line(DIPLOMATIC, "val/009136", "Thủ tướng Việt Nam Nguyễn Xuân Phúc , phải và")
    assert strip_photo_position(line).startswith("Thủ tướng Việt Nam Nguyễn Xuân Phúc và Thủ tướng Australia")
    assert marked_caption(line, len(syllables(line)))
    record = _records(DIPLOMATIC)["val/009136"]
    assert "Morrison trong họp báo sáng nay" not in _summary(record)


@pytest.mark.parametrize(
    ("path", "article", "opening"),
    [
        (DIPLOMATIC, "val/009834", "Đảo Thị Tứ thuộc Trường Sa"),  # `thuộc` after a name: "belongs to"
        (VAL_2000, "val/001230", "Nam ca sĩ Đỗ Hoàng Dương bàng hoàng khi"),  # an adjective, then `khi`
        (VAL_2000, "val/000005", "HĐXX tuyên Tiến 20 năm tù"),  # a verb glued to the name after it
        (VAL_2000, "val/000224", "Sau khi thông tin được đăng tải"),  # `sau khi` opens a clause
        (VAL_2000, "val/000043", "Cô gái chết trong tư thế"),
    ],
)
def test_short_sentences_with_a_verb_the_tagger_glues_stay(path, article, opening):
    line = _line(path, article, opening)
    assert not is_caption(line, len(syllables(line)))
    assert "caption" not in unreadable_kinds("Tin", line, line)


def test_a_matter_noun_keeps_its_demonstrative():
    # Hand reading 7: `… lên tiếng về vấn đề này .` was shown as `… về vấn đề .`.
    line = _sentence(VAL_2000, "val/001828", "Ông bầu Phúc Nguyễn đã chính thức lên tiếng")
    assert line.endswith("về vấn đề này .")
    assert points_back(line) and opener(line) is None
    record = _records(VAL_2000)["val/001828"]
    assert "về vấn đề ." not in _summary(record)


def test_a_line_broken_at_a_district_comes_whole():
    body = _records(VAL_2000)["val/000279"]["body"]
    sentences = [s for s, _ in split_lines(body)]
    assert "Ngày 29/12 , cơ quan CSĐT Công an Q. Long Biên ( Hà Nội ) đã ra quyết định" in " ".join(sentences)
    assert not any(s.startswith("Long Biên") for s in sentences)
    # a person's initial is not a district: `chị Hồ Thị H.` ends a sentence
    assert split_lines("Anh sống với chị Hồ Thị H.\nĐược biết , hai người quen nhau từ lâu .")[0][0].endswith("H.")
    summary = ExtractiveSummarizer().summarize("Tin", body).text
    assert unreadable_kinds("Tin", body, summary) == frozenset()


def test_a_line_broken_inside_a_name_comes_whole():
    record = _records(DIPLOMATIC)["val/004441"]
    sentences = [s for s, _ in split_lines(record["body"])]
    assert any(s.startswith("Theo bà Maria Abegail A.Albaladejo , thời gian qua") for s in sentences)
    assert not any(s.startswith("A.Albaladejo") for s in sentences)
    assert "cut" in unreadable_kinds(record["title"], record["body"], _line(DIPLOMATIC, "val/004441", "A.Albaladejo"))


@pytest.mark.parametrize(
    ("article", "opening"),
    [
        # A title with no name as the subject after the opening phrase: "he" (hand reading 9's
        # val/001183 "Trong gần 2 năm qua , anh đã hoá thân …").
        ("val/001183", "Trong gần 2 năm qua , anh đã hoá thân"),
        ("val/001281", "Trưa ngày 13/9 , anh đã trò chuyện"),
        ("val/001436", "Năm 2016 , anh đã phát hành"),
    ],
)
def test_an_unnamed_person_after_the_opening_phrase_points_back(article, opening):
    line = _sentence(VAL_2000, article, opening)
    assert points_back(line) and opener(line) is None
    assert "dangling" in unreadable_kinds("Tin", line, line)


def test_a_person_the_opening_phrase_names_is_not_unnamed():
    line = _sentence(VAL_2000, "val/001827", "Tuấn Hiệp cho biết , anh đã bay")
    assert not opens_pointing_back(line)


# --- fifth pass: what blind readings 9 and 10 found (seeds 1909, 1910; notes/R1) -----------------


@pytest.mark.parametrize(
    ("path", "article", "opening"),
    [
        (VAL_2000, "val/001905", "Bởi gia đình dù có đi đâu"),  # "because": the second half of a thought
        (VAL_2000, "val/001194", "Bởi chia sẻ của anh"),
        (VAL_2000, "val/001854", "Thật ra , năm nào sau khi kết thúc"),  # "actually": an answer
    ],
)
def test_because_and_actually_open_a_second_half(path, article, opening):
    line = _sentence(path, article, opening)
    assert points_back(line)
    assert "dangling" in unreadable_kinds("Tin", line, line)
    shown = opener(line)
    assert shown is None or not shown.lower().startswith(("bởi", "thật ra"))


def test_an_interview_answer_is_not_a_summary_sentence():
    line = _sentence(DIPLOMATIC, "val/011342", "- Đương nhiên phải tranh luận")
    assert not readable(line, syllables(line), [])
    assert "dangling" in unreadable_kinds("Tin", line, line)


def test_also_after_a_short_subject_goes():
    line = _sentence(VAL_2000, "val/001164", "Team Đông Nhi cũng mang đến")
    assert points_back(line)
    assert opener(line).startswith("Team Đông Nhi mang đến sự bất ngờ")
    # After a dropped opening the `cũng` still points back (`Lúc này , Kiểm cũng xông đến …`).
    assert opener(_sentence(VAL_2000, "val/000907", "Lúc này , Kiểm cũng xông đến")) is None
    # `cũng như` compares; `Đây cũng là` is `đây`'s to answer for.
    assert opener("Cũng như mọi năm , lễ hội diễn ra tại Hà Nội với nhiều hoạt động .") is not None
    assert opener("Đây cũng là một bất cập lớn của ngành suốt nhiều năm qua .") is None


def test_superiors_are_not_the_above():
    # `các bị cáo trên` (the above defendants) goes; `cấp trên` (superiors) stays whole.
    line = _sentence(VAL_2000, "val/000402", "Về trách nhiệm dân sự , HĐXX cấp sơ thẩm")
    shown = opener(line)
    assert "các bị cáo đã quá tin tưởng cấp trên ," in shown


def test_what_is_left_of_a_dropped_phrase_must_not_point_back():
    line = _sentence(VAL_2000, "val/001738", "Trong toàn bộ bộ ảnh đó")
    assert points_back(line)
    assert opener(line) is None  # `… nhưng thật ra nó cũng không toát lên được vẻ ấy .`


# --- sixth pass: what blind readings 11 and 12 found (seeds 1911, 1912; notes/R2) ----------------


def test_a_country_that_ends_a_caption_is_not_an_initial():
    # `… thuỷ quân lục chiến Mỹ .` is a word; `… Nguyên Th .` is a name's initial.
    lines = split_lines(_records(DIPLOMATIC)["val/009456"]["body"])
    assert lines[0] == ("Trang bị của đại đội An ninh Chống khủng bố thuỷ quân lục chiến Mỹ .", True)
    assert split_lines("Bé được đặt tên Đàm Thị Nguyên Th .\n( 3 tuổi ) .")[0][0].endswith("( 3 tuổi ) .")


def test_an_age_after_an_initial_finishes_the_sentence():
    body = _records(VAL_2000)["val/000240"]["body"]
    first = split_lines(body)[0][0]
    assert first.startswith("Theo điều tra ban đầu , do có mâu thuẫn với H.V . Th . 23 tuổi , trú tại TP. Vũng Tàu nên")
    assert not any(s.startswith("23 tuổi") for s, _ in split_lines(body))


def test_a_related_headline_run_into_its_lede_is_counted_as_cut():
    # The summarizer keeps such a line (without the headline its lede scores lower and the
    # diplomatic ROUGE falls below the floor); the counter shows it, 3 of 543 summaries.
    line = _line(DIPLOMATIC, "val/005085", "Chủ tịch Triều Tiên Kim Jong Un bắt đầu thăm Việt Nam TTO -")
    assert "cut" in unreadable_kinds("Tin", line, line)
    assert "cut" not in unreadable_kinds("Tin", "TTO - Chiều 10-6 , hai thủ tướng hội đàm .", "TTO - Chiều 10-6 , hai thủ tướng hội đàm .")


def test_a_video_caption_is_a_caption():
    line = _line(VAL_2000, "val/000189", "Video hiện trường vụ đối tượng sát hại")
    assert is_caption(line, len(syllables(line)))
    assert "caption" in unreadable_kinds("Tin", line, line)


def test_an_office_with_no_name_as_the_source_points_back():
    line = _sentence(DIPLOMATIC, "val/008096", "Ngoài ra , theo Thứ trưởng ,")
    assert points_back(line) and opener(line) is None
    named = _sentence(DIPLOMATIC, "val/005893", "Theo tin từ Bộ Ngoại giao Việt Nam")
    assert "Theo tin từ Bộ Ngoại giao Việt Nam , tại hội đàm , Phó Thủ tướng , Bộ trưởng Phạm Bình Minh" in named
    assert not opens_pointing_back(named)


# --- seventh pass: blind readings 13 and 14 (seeds 1913, 1914; notes/R3) -------------------------


def test_an_acronym_before_a_demonstrative_is_not_a_title():
    # `phim Ngày ấy mình đã yêu` is a title; `ICBM này`, `MV này` point back.
    line = _sentence(DIPLOMATIC, "val/012827", "Các nhà phân tích cho rằng ICBM này")
    assert points_back(line)
    assert opener(line).startswith("Các nhà phân tích cho rằng ICBM có tầm bắn")


def test_both_of_those_opens_no_summary():
    # `Cả 2 người phụ nữ …` (both women): the two are in the line before. Once only counted, the
    # filter now keeps it from opening (val 2,000 ROUGE-1 32.102 → 32.082, above the floor).
    line = _sentence(VAL_2000, "val/000380", "Cả 2 người phụ nữ này quen biết")
    assert points_back(line) and opener(line) is None
    assert "dangling" in unreadable_kinds("Tin", line, line)
    record = _records(VAL_2000)["val/000380"]
    summary = _summary(record)
    assert not summary.startswith("Cả 2")
    assert unreadable_kinds(record["title"], record["body"], summary) == frozenset()
    assert not points_back("Cả nước có 63 tỉnh , thành phố trực thuộc trung ương trước khi sáp nhập .")


def test_everyone_is_not_also():
    line = _sentence(VAL_2000, "val/001710", "Nhắc đến Tây Du Ký , ai cũng nghĩ")
    assert not points_back(line)
    assert "dangling" not in unreadable_kinds("Tin", line, line)


# --- eighth pass: blind readings 15 and 16 (seeds 1915, 1916; notes/R4) -------------------------


def test_a_hmong_surname_is_not_and():
    # `Và Xái Vừ bị truy tố …` was shown as `Xái Vừ bị truy tố …`.
    line = _sentence(VAL_2000, "val/000312", "Và Xái Vừ bị truy tố")
    assert not opens_pointing_back(line)
    assert opener(line).startswith("Và Xái Vừ bị truy tố")
    assert opener("Và sau khi chấp hành xong , Lương vẫn tiếp tục được hành nghề y tế tại địa phương .").startswith("Sau khi")


@pytest.mark.parametrize(
    ("path", "article", "opening"),
    [
        (DIPLOMATIC, "val/017764", "Theo tôi , đầu tiên"),  # a speaker's view, and no speaker
        (DIPLOMATIC, "val/008709", "Một thách thức nữa mà ASEAN"),  # one more: after the first
        (VAL_2000, "val/001188", "Một khoảnh khắc không kém phần xúc động"),  # no less than what?
    ],
)
def test_more_no_less_and_by_me_cannot_open(path, article, opening):
    line = _sentence(path, article, opening)
    assert points_back(line) and opener(line) is None
    assert "dangling" in unreadable_kinds("Tin", line, line)


def test_a_line_broken_at_ths_comes_whole():
    body = _records(VAL_2000)["val/000132"]["body"]
    first = split_lines(body)[0][0]
    assert first.startswith("Liên quan đến hàng loạt sai phạm xảy ra trong kỳ thi THPT Quốc gia năm 2018 , Ths . ")
    assert is_cut(_line(VAL_2000, "val/000132", "Liên quan đến hàng loạt sai phạm"))


# --- ninth pass: blind readings 17 and 18 (seeds 1917, 1918; notes/R5) --------------------------


def test_a_quoted_heading_is_not_a_sentence():
    line = _records(DIPLOMATIC)["val/006726"]["body"].splitlines()[0].strip()
    assert line == "“ Màn tiếp đón vương giả ”"
    assert not readable(line, syllables(line), [])
    # a quotation with its own end stays
    quoted = _sentence(DIPLOMATIC, "val/006726", "“ Màn tiếp đón vương giả ” đối với ông Trump")
    assert readable(quoted, syllables(quoted), [])
    record = _records(DIPLOMATIC)["val/006726"]
    assert not _summary(record).startswith("“ Màn tiếp đón")


def test_a_speakers_i_before_any_quotation_points_back():
    # `… mọi người vẫn gọi tôi là “ bản sao … ”`: the quotation comes after the "I", it names no one.
    line = _sentence(VAL_2000, "val/001612", "Trong cuộc thi Thần tượng Bolero 2016")
    assert points_back(line) and opener(line) is None


# --- tenth pass: blind readings 19 and 20 (seeds 1919, 1920; notes/R6) --------------------------


@pytest.mark.parametrize(
    ("article", "opening"),
    [
        ("val/000863", "Ít phút sau , giữa Trọng và anh G."),  # a few minutes after what?
        ("val/000128", "Tuy nhiên , ít phút sau , Thiện bất ngờ"),  # once `Tuy nhiên` goes
        ("val/001084", "Người thân phát hiện bà tử vong vào sáng cùng ngày"),  # the same day as what?
        ("val/000853", "Trước đó , khoảng 14h cùng ngày , các ngư dân"),
    ],
)
def test_the_next_step_of_a_story_points_back(article, opening):
    line = _sentence(VAL_2000, article, opening)
    assert points_back(line)
    assert "dangling" in unreadable_kinds("Tin", line, line)
    shown = opener(line)
    assert shown is None or ("cùng ngày" not in shown and "sau ," not in shown)


def test_the_same_day_stays_after_its_connective_goes():
    # `Theo đó` once went, leaving `Khoảng 9h cùng ngày , …`: 9 o'clock of which day?
    line = (
        "Theo đó , khoảng 9h cùng ngày , theo quan sát của chúng tôi , xe ô tô chở theo nhiều cán bộ mang sắc phục "
        "công an có mặt tại nhà riêng ông Phan Ngọc Thạch ( số 60 Châu Thượng Văn , tổ 13 , phường Hoà Cường Bắc , "
        "quận Hải Châu , TP. Đà Nẵng ) để đọc lệnh và tiến hành khám xét nhà ."
    )
    assert opener(line) is None


def test_a_date_before_the_same_day_and_a_time_clause_stay():
    # The day is given before `cùng ngày`; `Một ngày sau khi …` says after what.
    assert not points_back("Sáng 5/6 , ông Nguyễn Văn A đến Hà Nội ; chiều cùng ngày ông về Hải Phòng .")
    line = _sentence(VAL_2000, "val/000372", "Trưa 27/8 , Công an tỉnh Bình Dương")
    assert not points_back(line)
    assert not points_back("Một ngày sau khi Hương Giang khóc lóc công khai xin lỗi nghệ sĩ Trung Dân , cô lên tiếng .")


def test_a_moment_keeps_its_above():
    # `vào thời điểm trên` without `trên` is `vào thời điểm .`: the line cannot open a summary.
    line = _sentence(VAL_2000, "val/001005", "Theo thông tin ban đầu , vào thời điểm trên")
    assert opener(line) is None
    record = _records(VAL_2000)["val/001005"]
    assert "vào thời điểm ." not in _summary(record)


def test_a_name_that_is_also_a_connective_stays():
    # `Nên` is Ngô Hữu Nên in this article, not "so"; elsewhere `Nên …` still points back.
    record = _records(VAL_2000)["val/000673"]
    assert link_names(record["body"]) == frozenset({"nên"})
    line = _sentence(VAL_2000, "val/000673", "Nên chính là người đã sát hại")
    assert points_back(line) and not points_back(line, link_names(record["body"]))
    summary = _summary(record)
    assert not summary.startswith("Chính là người")
    assert "dangling" not in unreadable_kinds(record["title"], record["body"], line)
    assert link_names("Nên nợ nước ngoài của DN tăng rất nhanh .") == frozenset()


@pytest.mark.parametrize(
    ("article", "opening"),
    [
        # `trên` after a counted noun, before a verb or a preposition: "the two above", "the group above".
        ("val/000485", "Bên cạnh đó , cơ quan an ninh điều tra Công an tỉnh"),
        ("val/001052", "Chiều 23/7 , cả nhóm trên đi xe máy"),
    ],
)
def test_the_above_after_a_counted_noun_points_back(article, opening):
    line = _sentence(VAL_2000, article, opening)
    assert points_back(line)
    shown = opener(line)
    assert shown is None or " trên " not in shown


def test_on_after_a_counted_noun_stays():
    # `trên toàn nước Nhật` (across Japan), `trên xe` (on the truck): "on", not "the above".
    line = _sentence(DIPLOMATIC, "val/018960", "Trong thư giới thiệu về bài báo")
    assert not points_back(line)
    assert not points_back("Vụ tai nạn khiến 20 hành khách trên xe bị thương , trong đó có 3 người nặng .")


def test_in_particular_opens_no_summary():
    # `Đặc biệt ,` (in particular) was counted only; the filter now drops it (val 2,000 ROUGE-1 rose).
    line = _sentence(VAL_2000, "val/001709", "Đặc biệt , giám khảo đánh giá")
    assert points_back(line)
    assert opener(line).startswith("Giám khảo đánh giá chất lượng món ăn")
    record = _records(VAL_2000)["val/001709"]
    summary = _summary(record)
    assert not summary.startswith("Đặc biệt")
    assert not points_back("Đặc biệt quan trọng là việc hai nước ký kết hiệp định thương mại tự do .")


@pytest.mark.parametrize(
    "line",
    [
        # A story's next move (a contrast, what came at once, one more thing): without its connective
        # it is still that move, of people the summary has not met.
        "Ngay lập tức , nam diễn viên phủ nhận việc \" đụng chạm dao kéo \" và còn chia sẻ một hình ảnh khác của mình với góc nghiêng : "
        "\" Mũi người ta vậy mà nói sửa , giận quá méc mẹ \" .",
        "Nhưng , chị Tr . không chịu dừng nhậu cùng các “ chiến hữu ” .",
        "Sau đó , Hiếu được xuất viện và về nhà tiếp tục điều trị theo chỉ định của bác sĩ .",
    ],
)
def test_a_story_next_move_does_not_open(line):
    assert points_back(line) and opener(line) is None


def test_a_story_next_move_follows_the_sentence_before_it(summarizer):
    # val/001906: the best sentence opens on `Ngay lập tức`; the sentence before it comes along.
    record = _records(VAL_2000)["val/001906"]
    summary = summarizer.summarize(record["title"], record["body"]).text
    assert not summary.startswith(("Ngay lập tức", "Nam diễn viên phủ nhận"))
    assert "sống mũi của Quốc Trường rất thẳng . Ngay lập tức , nam diễn viên phủ nhận" in summary
    assert unreadable_kinds(record["title"], record["body"], summary) == frozenset()
    # `Tuy nhiên , sau 7 năm , UAE …` still loses its `Tuy nhiên` (the issue's own example).
    assert opener("Tuy nhiên , sau 7 năm , UAE quyết định rút phần lớn binh sĩ khỏi Yemen .").startswith("Sau 7 năm")


# --- eleventh pass: blind readings 21 and 22 (seeds 1921, 1922; notes/R7) -------------------------


@pytest.mark.parametrize(
    ("article", "opening"),
    [
        ("val/001625", "Trong khi QQ cho hay"),  # whereas, with no main clause of its own
        ("val/001683", "Trở lại với phần thi giả giọng"),  # back to a thread the summary never started
    ],
)
def test_whereas_and_back_to_point_back(article, opening):
    line = _sentence(VAL_2000, article, opening)
    assert points_back(line) and opener(line) is None
    assert "dangling" in unreadable_kinds("Tin", line, line)
    # `Trong khi …, …` has its main clause; `Trở lại Hà Nội …` is a trip back.
    assert not points_back("Trong khi Vũ không thừa nhận hành vi , các đàn em thân tín của Vũ đã khai nhận mọi hành vi .")
    assert not points_back("Trở lại Hà Nội để tham gia đêm nhạc tưởng nhớ cố nhạc sĩ , danh ca Khánh Ly xúc động .")


def test_a_performance_is_a_caption():
    # `Phần thi` (the performance) is a noun; the tagger calls `thi` a verb.
    line = _line(VAL_2000, "val/001489", "Phần thi ấn tượng của Minh Luân")
    assert is_caption(line, len(syllables(line)))
    record = _records(VAL_2000)["val/001489"]
    summary = _summary(record)
    assert not summary.startswith("Phần thi ấn tượng")


# --- twelfth pass: blind readings 23 and 24 (seeds 1923, 1924; notes/R8) --------------------------


@pytest.mark.parametrize(
    ("article", "opening"),
    [
        ("val/000535", "Hậu quả khiến bà B. tử vong"),  # the result of a crash the summary never tells
        ("val/001473", "Chỉ tiếc , hai diễn viên Huy Khánh"),  # sadly: against the line before
        ("val/001185", "Dù chưa biết thực hư ra sao nhưng đây"),  # `đây` (this) as the main subject
    ],
)
def test_a_result_a_regret_and_this_point_back(article, opening):
    line = _sentence(VAL_2000, article, opening)
    assert points_back(line) and opener(line) is None
    assert "dangling" in unreadable_kinds("Tin", line, line)


def test_the_counter_reads_the_first_sentence_the_summary_shows():
    # `… huyện Anh Sơn , tỉnh Nghệ An . Đến sáng 2/1 , …`: the splitter reads `An .` as an initial and
    # runs the two sentences together; the second one's `tài xế lái xe trên` is not the opening.
    record = _records(VAL_2000)["val/000535"]
    first = _sentence(VAL_2000, "val/000535", "Vụ việc được xác định xảy ra")
    second = _sentence(VAL_2000, "val/000535", "Đến sáng 2/1 , biết không thể nào thoát tội")
    assert points_back(second)
    assert "dangling" not in unreadable_kinds(record["title"], record["body"], f"{first} {second}")
    assert "dangling" in unreadable_kinds(record["title"], record["body"], f"{second} {first}")


# --- thirteenth pass: blind readings 25 and 26 (seeds 1925, 1926; notes/R9) -----------------------


def test_a_question_mark_before_a_stray_full_stop_is_a_question():
    line = _sentence(VAL_2000, "val/001609", "Thông tin trên Zing , mới đây , Người trẻ Việt")
    assert line.endswith("? .") and is_question(line)
    assert not is_question("Lý Nhược Đồng thực hiện bộ ảnh mới cho tạp chí Oops ! .")  # a name's `!`
    record = _records(VAL_2000)["val/001609"]
    summary = _summary(record)
    assert "? ." not in summary


def test_a_date_does_not_hide_the_opening_phrase():
    # `Đến khoảng 9h45 ngày 9/2/2019 ,` is an opening phrase: `người đàn ông này` after it points back.
    line = _sentence(VAL_2000, "val/001046", "Đến khoảng 9h45 ngày 9/2/2019")
    assert points_back(line)
    assert " này " not in (opener(line) or "")


def test_she_with_no_name_points_back():
    line = _sentence(VAL_2000, "val/001877", "Chị là một trong những ca sĩ hiếm hoi")
    assert points_back(line) and opener(line) is None
    assert not points_back("Chị em phụ nữ trong xã được tập huấn kỹ năng phòng chống bạo lực gia đình .")
    assert not points_back("Chị Nguyễn Thị Lan cho biết gia đình đã nhận được tiền hỗ trợ của xã .")


# --- fourteenth pass: blind readings 27 and 28 (seeds 1927, 1928; notes/R10) ----------------------


@pytest.mark.parametrize(
    ("article", "opening"),
    [
        ("val/000656", "Tại đây , chúng thấy chị L.T"),  # they, once `Tại đây` goes
        ("val/001298", "Đặc biệt hơn , lần này , Quang Lê"),  # more particularly: of a list not shown
        ("val/001452", "Trong sự việc ồn ào này , có cả á hậu"),  # "there were even …": the rest of a list
    ],
)
def test_they_more_particularly_and_there_were_even_do_not_open(article, opening):
    line = _sentence(VAL_2000, article, opening)
    assert opener(line) is None
    record = _records(VAL_2000)[article]
    summary = _summary(record)
    assert not summary.startswith(("Chúng thấy", "Đặc biệt hơn", "Có cả"))
    # `chúng tôi` is "we"; `Chúng Huyền Thanh` is a name.
    assert not points_back("Chúng Huyền Thanh được bạn trai cầu hôn vào đúng sinh nhật 20 tuổi .")


# --- fifteenth pass: blind readings 29 and 30 (seeds 1929, 1930; notes/R11) -----------------------


def test_an_office_with_no_name_points_back():
    # `Vị Đại tá cho biết …`: which colonel? (`Theo vị Phó Chánh án … ,` likewise.)
    line = _sentence(VAL_2000, "val/000997", "Vị Đại tá cho biết")
    assert points_back(line) and opener(line) is None
    assert points_back(_sentence(VAL_2000, "val/000237", "Theo vị Phó Chánh án TAND cấp cao"))
    # A name after the office, and `Vị trí` (position), are not.
    assert not points_back("Vị Trung tá Nguyễn Văn An cho biết , đơn vị đã bắt giữ 3 đối tượng .")
    assert not points_back("Vị trí của con tàu được xác định vào sáng nay , cách bờ 20 hải lý .")


# --- sixteenth pass: blind readings 31 and 32 (seeds 1931, 1932; notes/R12) -----------------------


def test_a_scene_line_is_a_caption():
    # `Hiện trường …` (the scene of …) on a line of its own, no clause word: a clip's caption.
    line = _line(VAL_2000, "val/000745", "Hiện trường nhóm đối tượng xông vào trụ sở")
    assert photo_marks(line, len(syllables(line)))
    record = _records(VAL_2000)["val/000745"]
    summary = _summary(record)
    assert not summary.startswith("Hiện trường")
    assert not photo_marks("Hiện trường vụ tai nạn khiến nhiều người đi đường bàng hoàng .", 12)


def test_a_line_broken_after_a_middle_name_comes_whole():
    body = _records(VAL_2000)["val/000587"]["body"]
    glued = [s for s, _ in split_lines(body) if "Bùi Thị U. N" in s]
    assert len(glued) == 1 and "thi thể của bé Bùi Thị U. N ( SN 2011 )" in glued[0]
    record = _records(VAL_2000)["val/000587"]
    summary = _summary(record)
    assert not summary.startswith("U. N")


# --- seventeenth pass: blind readings 33 and 34 (seeds 1933, 1934; notes/R13) -----------------------


@pytest.mark.parametrize(
    ("article", "opening"),
    [
        ("val/001361", "Một thời gian sau , bạn bè và đồng nghiệp"),  # some time after what?
        ("val/000276", "Phải đến lần thứ 3 ,"),  # only at the third search: which searches?
        ("val/000850", "Nhân viên bảo vệ tiếp tục đi vào trong"),  # went on in: from where?
        ("val/001587", "Ban đầu chưa quen , nhiều lần cậu bé 7 tuổi"),  # at first: at what?
    ],
)
def test_a_story_that_goes_on_cannot_open(article, opening):
    line = _sentence(VAL_2000, article, opening)
    assert points_back(line) and opener(line) is None
    assert "dangling" in unreadable_kinds("Tin", line, line)
    record = _records(VAL_2000)[article]
    summary = _summary(record)
    assert not summary.startswith(opening)


def test_a_time_clause_and_an_ongoing_state_stay_open():
    # `Chỉ vài tiếng sau khi …` says after what; `đang tiếp tục` is a state, not the story's next step.
    assert not points_back("Chỉ vài tiếng sau khi xác nhận chia tay , Miley Cyrus bị bắt gặp tại Italy .")
    assert not points_back("Cảnh sát đang tiếp tục lấy lời khai của các đối tượng để làm rõ vụ án .")
    assert points_back("Không lâu sau thì em T. mang thai .")
    # `cũng` keeps its own reading: "Ai cũng biết" is "everyone knows".
    assert also_after_subject("Bà Oanh cũng cho biết , gia đình đã báo công an .") == len("Bà Oanh ")
    assert also_after_subject("Ai cũng biết chuyện này từ lâu .") is None


@pytest.mark.parametrize(("article", "opening"), [("val/000546", "Hiện trường ô tô bị"), ("val/000327", "Video nhóm đối tượng giết người bị bắt giữ")])
def test_a_scene_whose_noun_is_passive_is_a_caption(article, opening):
    # `Hiện trường ô tô bị nhóm côn đồ chặn …`: the `bị` is the car's, what the picture shows.
    line = _line(VAL_2000, article, opening)
    assert photo_marks(line, len(syllables(line)))
    record = _records(VAL_2000)[article]
    summary = _summary(record)
    assert not summary.startswith(opening)


def test_a_scene_that_is_the_subject_of_its_passive_stays_a_sentence():
    for line in (
        "Hiện trường được phong toả và khám nghiệm .",
        "Hiện trường vụ tai nạn được phong toả để điều tra .",
        "Hình ảnh của đối tượng được camera an ninh ghi lại .",
        "Clip nhanh chóng được lan truyền trên mạng xã hội .",
    ):
        assert not photo_marks(line, len(syllables(line))), line


# --- eighteenth pass: blind readings 35 and 36 (seeds 1935, 1936; notes/R14) -----------------------


def test_a_section_heading_is_not_a_sentence_and_is_counted_when_shown():
    # `Chuyên sử dụng ô tô đi lấy “ hàng ”`: a heading; its closing quote is not a sentence's end.
    record = _records(VAL_2000)["val/000904"]
    heading = _line(VAL_2000, "val/000904", "Chuyên sử dụng ô tô đi lấy")
    assert is_furniture(heading, len(syllables(heading)))
    assert heading not in candidates(record["title"], record["body"]).sentences
    summary = _summary(record)
    assert not summary.startswith("Chuyên sử dụng")
    # The counter reads a heading run into the sentence after it as a cut sentence.
    after = _line(VAL_2000, "val/000904", "Khoảng 9h30 thì ăn sáng")
    assert "cut" in unreadable_kinds(record["title"], record["body"], f"{heading} {after}")
    assert "cut" not in unreadable_kinds(record["title"], record["body"], after)
    # A quotation that ends the sentence before its closing quote does end it.
    assert not is_furniture("Ông nói : “ Chúng tôi sẽ làm rõ . ”", 9)


def test_a_name_line_before_a_sentence_that_opens_on_it_is_no_heading_run_in():
    # `Kaia Gerber` (a caption) then `Kaia Gerber là người mẫu 10X …`: the sentence is a line of its own.
    body = "Kaia Gerber\nKaia Gerber là người mẫu 10X hiếm hoi được nhiều nhà thiết kế săn đón .\nCô sinh năm 2001 ."
    summary = "Kaia Gerber là người mẫu 10X hiếm hoi được nhiều nhà thiết kế săn đón ."
    assert unreadable_kinds("Kaia Gerber", body, summary) == frozenset()


def test_a_pointer_that_was_a_clause_takes_its_comma_along():
    line = _sentence(VAL_2000, "val/000995", "Đáng chú ý , trước đó , người đàn ông này")
    assert ", ," not in (opener(line) or "")
    record = _records(VAL_2000)["val/000995"]
    assert ", ," not in _summary(record)


@pytest.mark.parametrize(
    ("article", "opening"),
    [
        ("val/001494", "Tất cả đã sẵn sàng bước lên sân khấu"),  # all of whom?
        ("val/000668", "Cụ thể , hắn đã cầm cố 4 chiếc xe"),  # he: who?
    ],
)
def test_all_of_them_and_he_point_back(article, opening):
    line = _sentence(VAL_2000, article, opening)
    assert points_back(line) and opener(line) is None
    record = _records(VAL_2000)[article]
    summary = _summary(record)
    assert not summary.startswith(("Tất cả đã", "Hắn"))


def test_kin_and_nouns_after_em_and_cau_stay():
    assert points_back("Em vẫn hồn nhiên kể những chuyện đã xảy ra với mình .")
    assert points_back("Anh ta cho biết , chị H. là người quen từ trước .")
    assert not points_back("Em gái chủ tịch Kim Jong-un tháp tùng anh trai trong chuyến thăm .")
    assert not points_back("Cậu bé 7 tuổi được đưa đi cấp cứu trong tình trạng nguy kịch .")
    assert not points_back("Tất cả các con đường đều ngổn ngang , cây cối nằm la liệt .")
    assert not points_back("Anh tuyên bố rời Liên minh châu Âu vào cuối tháng 3 .")  # England


# --- nineteenth pass: blind readings 37 and 38 (seeds 1937, 1938; notes/R15) -----------------------


def test_an_although_clause_alone_is_cut():
    line = _line(VAL_2000, "val/001611", "Mặc dù Miss Korea 2019 đã kết thúc")
    assert is_cut(line)
    record = _records(VAL_2000)["val/001611"]
    summary = _summary(record)
    assert "Mặc dù Miss Korea 2019 đã kết thúc" not in summary
    assert "cut" in unreadable_kinds(record["title"], record["body"], line)
    # With its main clause, after a comma or `nhưng`, it is a sentence; `Tuy nhiên` is "however".
    assert not is_cut("Dù đã gần 30 tuổi nhưng Tùng vẫn chưa lập gia đình và đang sống cùng cha mẹ .")
    assert not is_cut("Mặc dù trời mưa lớn , trận đấu vẫn diễn ra đúng giờ .")
    assert not is_cut("Tuy nhiên ông D. chưa rõ lý do vì sao lái xe lại chở khách về Yên Bái .")


@pytest.mark.parametrize(
    ("article", "opening", "shown"),
    [
        # `Điều đáng nói là …`, `Đáng nói , …` (what is worth noting): more than what came before; the rest stands.
        ("val/001475", "Điều đáng nói là Quán quân", "Quán quân Cười xuyên Việt"),
        ("val/001736", "Đáng nói , trên trang cá nhân của Thu Quỳnh", "Trên trang cá nhân của Thu Quỳnh"),
        # `Qua kiểm tra ,` (on inspection) and `Qua đây ,` (through this): of what?
        ("val/000188", "Qua kiểm tra , lực lượng chức năng phát hiện 3 thùng", "Lực lượng chức năng phát hiện 3 thùng"),
        ("val/001646", "Qua đây , nhiều fan", "Nhiều fan còn"),
    ],
)
def test_what_is_worth_noting_and_on_inspection_go(article, opening, shown):
    line = _sentence(VAL_2000, article, opening)
    assert points_back(line)
    assert opener(line).startswith(shown)
    record = _records(VAL_2000)[article]
    assert not _summary(record).startswith(opening)
    # `Đáng nói` inside a sentence is no opening; `Qua kiểm tra sức khoẻ định kỳ …` has no comma after it.
    assert not points_back("Vụ việc đáng nói ở chỗ cả hai đều là cán bộ xã .")


# --- twentieth pass: blind readings 39 and 40 (seeds 1939, 1940; notes/R16) -----------------------


def test_a_counted_group_that_all_did_points_back():
    # `Được biết , 2 đối tượng đều là …` (both of them): the two the sentence before counted.
    line = _sentence(VAL_2000, "val/000572", "Được biết , 2 đối tượng đều là nhân viên cũ")
    assert points_back(line) and opener(line) is None
    record = _records(VAL_2000)["val/000572"]
    assert not _summary(record).startswith("Được biết , 2 đối tượng")
    # Named, they are no group from before; the lede of val/000621 stays the summary's first sentence.
    assert not points_back("Được biết , cả Khoa và Duẩn đều không có nghề nghiệp và là những con nghiện lâu năm .")
    record = _records(VAL_2000)["val/000621"]
    assert _summary(record).startswith("Tối 19/3 ,")


def test_a_line_broken_at_a_doctors_title_comes_whole():
    # `… trao đổi với Ths.Bs .` / `Nguyễn Trọng Khoa , Phó Cục trưởng …`: one sentence, not a name's tail.
    body = _records(VAL_2000)["val/000101"]["body"]
    glued = [s for s, _ in split_lines(body) if "Bs . Nguyễn Trọng Khoa , Phó Cục trưởng" in s]
    assert len(glued) == 1
    record = _records(VAL_2000)["val/000101"]
    summary = _summary(record)
    assert not summary.startswith("Nguyễn Trọng Khoa , Phó Cục trưởng")


def test_the_two_of_a_story_point_back():
    line = _sentence(VAL_2000, "val/000444", "Trong quá trình ca hát , hai nhóm trò chuyện")
    assert points_back(line) and opener(line) is None
    record = _records(VAL_2000)["val/000444"]
    assert not _summary(record).startswith("Trong quá trình ca hát")
    # Named right after, or two countries' sides, they stand.
    assert not points_back("Hai đối tượng Xồng Nhịa Dênh và Và Gà Vừ bị bắt giữ khi đang vận chuyển ma tuý .")
    assert not points_back("Hai bên nhất trí thúc đẩy hợp tác kinh tế , thương mại và đầu tư .")


def test_a_two_syllable_noun_refers_within_only_when_both_syllables_are_there():
    # `ca sĩ này` after `nghệ sĩ`: another noun; `trường này` after `một trường`, `ca sĩ này` after `Ca sĩ`: the same.
    assert points_back("Nhiều nghệ sĩ chuyên hát nhạc Bolero lên tiếng phản đối dữ dội phát ngôn của ca sĩ này .")
    assert not points_back("Một trường THCS ở Hà Nội cho học sinh nghỉ học , lãnh đạo của trường này cho biết .")
    assert not points_back("Ca sĩ Mỹ Tâm vừa ra album mới và ca sĩ này sẽ đi lưu diễn vào tháng sau .")


# --- twenty-first pass: blind readings 41 and 42 (seeds 1941, 1942; notes/R17) -----------------------


def test_on_arrival_and_the_above_before_but_point_back():
    line = _sentence(VAL_2000, "val/000706", "Khi tới nơi , người bạn phát hiện")
    assert points_back(line)
    assert not (opener(line) or "").startswith("Khi tới nơi")
    # `… áp dụng điều luật trên nhưng Toà …`: "the above" law, left after `Trước đó ,` goes.
    line = _sentence(VAL_2000, "val/000180", "Trước đó , tại phiên toà xét xử vụ án đánh bạc nghìn tỷ")
    assert opener(line) is None
    record = _records(VAL_2000)["val/000180"]
    assert "điều luật trên" not in _summary(record).split(" . ")[0]
    assert points_back("Đại diện VKS đề nghị áp dụng điều luật trên nhưng Toà đã không chấp nhận .")
    assert not points_back("Đại diện VKS đề nghị áp dụng điều luật trên 3 năm tù nhưng Toà đã không chấp nhận .")


def test_a_sentence_the_source_left_without_its_full_stop_gets_one():
    record = _records(VAL_2000)["val/000399"]
    summary = _summary(record)
    assert "huyện Chợ Mới ( An Giang ) ." in summary
    assert "( An Giang ) Theo đó" not in summary


# --- twenty-second pass: blind readings 43 and 44 (seeds 1943, 1944; notes/R18) -----------------------


@pytest.mark.parametrize(
    ("article", "opening"),
    [
        ("val/000864", "Test nhanh , công an phát hiện"),  # the raid's next step: which raid?
        ("val/000287", "Tiến hành kiểm tra , lực lượng chức năng"),
        ("val/001541", "Chào Nhã Phương ,"),  # an interviewer's turn
        ("val/000812", "Kết quả phát hiện , tạm giữ 50 đối tượng"),  # the result of what?
    ],
)
def test_a_raids_next_step_and_an_interviewers_greeting_cannot_open(article, opening):
    line = _sentence(VAL_2000, article, opening)
    assert points_back(line)
    assert not (opener(line) or "").startswith(opening.split(" ,")[0])
    record = _records(VAL_2000)[article]
    assert not _summary(record).startswith(opening)
    assert not points_back("Chào mừng Quốc khánh , thành phố tổ chức bắn pháo hoa tại 3 điểm .")


def test_the_papers_notice_to_its_readers_is_furniture():
    line = "Tin an ninh hình sự 24h được cập nhật vào 21h hàng ngày , mời quý độc giả đón đọc trên báo điện tử Người Đưa Tin ."
    assert is_furniture(line, len(syllables(line)))
    record = _records(VAL_2000)["val/000864"]
    assert "mời quý độc giả" not in _summary(record)


# --- twenty-third pass: blind readings 45 and 46 (seeds 1945, 1946; notes/R19) -----------------------


@pytest.mark.parametrize(
    ("article", "opening"),
    [
        ("val/000836", "Phát hiện 7 ghe bị bắt ,"),  # on finding: after what?
        ("val/001887", "Thấy Phi Nhung vẫn lẻ bóng"),  # on seeing
        ("val/000013", "Nhận được tin báo , Công an huyện Hậu Lộc"),  # on the report of what?
    ],
)
def test_a_step_on_finding_seeing_or_hearing_cannot_open(article, opening):
    line = _sentence(VAL_2000, article, opening)
    assert points_back(line) and opener(line) is None
    record = _records(VAL_2000)[article]
    assert not _summary(record).startswith(opening)
    # Without a comma after it, the verb is the sentence's own.
    assert not points_back("Phát hiện mới của các nhà khoa học Nhật Bản được công bố trên tạp chí Nature .")


# --- twenty-fourth pass: blind readings 47 and 48 (val 2,000's last 30 and 70 train articles; notes/R20) ---


def test_as_above_keeps_its_above():
    # `… trực thuộc UBND TP như trên .`: without `trên`, `như .` is a cut sentence; the line cannot open.
    line = "Việc này do các đơn vị trực thuộc UBND TP thực hiện theo quy trình như trên ."
    assert points_back(line) and opener(line) is None


def test_added_goes_and_what_is_more_or_below_cannot_open():
    # `… cho biết thêm , …` (added): `thêm` goes, as `cũng` does; both go together.
    assert opener("Công an tỉnh Thanh Hoá cho biết thêm , trong đêm qua người nhà nạn nhân đã đến nhận diện .") == (
        "Công an tỉnh Thanh Hoá cho biết , trong đêm qua người nhà nạn nhân đã đến nhận diện ."
    )
    assert opener("Bà Oanh cũng cho biết thêm , gia đình đã báo công an từ sáng sớm hôm qua .") == (
        "Bà Oanh cho biết , gia đình đã báo công an từ sáng sớm hôm qua ."
    )
    # `Chưa hết ,` (what is more) and `Hoặc ,` (or) keep their connective and cannot open; `Dưới đây`
    # (below) points at what a card does not show.
    for line in (
        "Chưa hết , Khải còn kính cẩn xin lỗi Phan Hải trên sóng truyền hình trực tiếp .",
        "Hoặc , một khi đã cho người ta thi lại thì phải công bằng với các thí sinh khác .",
        "Dưới đây , chúng tôi xin đăng bài viết của nhà văn về vấn đề dư luận quan tâm .",
        "Nàng đẹp , nàng có quyền khoe những gì mình có .",
    ):
        assert points_back(line) and opener(line) is None, line
    record = _records(VAL_2000)["val/001787"]
    assert not _summary(record).startswith(("Dưới đây", "Nàng đẹp"))
    assert not points_back("Nàng dâu Tú Anh tỉnh dậy khỏi cơn ác mộng và trở về với thời hiện đại .")


# --- twenty-fifth pass: blind readings 49 and 50 (50 diplomatic and 50 train articles; notes/R21) -----------


def test_still_according_to_and_going_on_with_a_search_point_back():
    # `Vẫn theo chị Sim , …` loses `Vẫn` as `Cũng theo` loses `Cũng`; `Tiếp tục khám xét … ,` is a next step.
    line = "Vẫn theo chị Sim , trước khi bỏ nhà ra đi , Mai đã để lại một lá thư cho gia đình ."
    assert points_back(line) and opener(line).startswith("Theo chị Sim ,")
    line = "Tiếp tục khám xét phương tiện , lực lượng chức năng thu giữ thêm 10 bánh heroin ."
    assert points_back(line) and opener(line) is None
    assert not points_back("Vẫn còn nhiều người dân chưa được hỗ trợ sau cơn bão số 3 đổ bộ .")


def test_all_in_all_goes():
    # `Tựu trung ,` (all in all) sums up what came before: it goes when the rest stands alone.
    line = _sentence(DIPLOMATIC, "val/005522", "Tựu trung , lợi ích chiến lược song phương")
    assert points_back(line)
    assert opener(line).startswith("Lợi ích chiến lược song phương Việt - Úc")


def test_at_the_same_time_keeps_its_subject():
    # vietnews train/015890 (blind reading 56): without `Đồng thời ,` the line had no subject.
    line = "Đồng thời , nhắc nhở cán bộ và người dân Cà Mau không được chủ quan với bão ."
    assert opener(line) is None
    # With a subject after it, the connective goes as before.
    assert opener("Đồng thời , HĐXX buộc bị cáo bồi thường cho gia đình nạn nhân 130 triệu đồng .") == (
        "HĐXX buộc bị cáo bồi thường cho gia đình nạn nhân 130 triệu đồng ."
    )


def test_the_above_inside_a_quotation_is_the_speakers():
    # vietnews diplomatic val/004699 (blind reading 60): `nói trên` cut out of a quotation left "… góp
    # phần vào mục tiêu " - bà Thu Hằng nêu rõ .". A quotation keeps its words, so the line cannot open.
    line = _sentence(DIPLOMATIC, "val/004699", "\" Việt Nam sẵn sàng đóng góp tích cực")
    assert points_back(line) and opener(line) is None
    # Outside a quotation, `trên` still goes where the rest stands alone.
    assert opener("Liên quan đến vụ việc trên , lãnh đạo công an huyện xác nhận đã bắt giữ 3 đối tượng .") == (
        "Lãnh đạo công an huyện xác nhận đã bắt giữ 3 đối tượng ."
    )


def test_along_with_cannot_open():
    # vietnews train/018138 (blind reading 58): along with a status the summary never shows.
    line = "Kèm theo dòng trạng thái là hình ảnh cổng đường đèn được trang trí lung linh dịp Tết ."
    assert points_back(line) and opener(line) is None
    # `kèm theo` further in is the sentence's own.
    assert not points_back("Ông Trump gửi thư cho ông Kim Jong-un kèm theo lời mời tới Washington .")


def test_a_link_with_that_goes_whole():
    # vietnews diplomatic val/009120 (blind reading 57): dropping `khi đó` left "… Mỹ trong né tránh …".
    line = _sentence(DIPLOMATIC, "val/009120", "Nhà chức trách Mỹ trong khi đó")
    assert opener(line).startswith("Nhà chức trách Mỹ né tránh hầu hết các câu hỏi")
    # As `sau đó` goes after a name, so does `ngay sau đó`, not leaving its `ngay`.
    shown = opener("Phía Nga ngay sau đó đã bác bỏ thông tin về vụ tấn công mạng nhằm vào Ukraine .")
    assert shown == "Phía Nga đã bác bỏ thông tin về vụ tấn công mạng nhằm vào Ukraine ."


def test_a_statement_that_was_made_cannot_open():
    # vietnews diplomatic val/011189 and val/017238 (blind reading 53): when or why of a statement the
    # summary does not state; the lead paragraph that states it is not in vietnews' body.
    for article, opening in [("val/011189", "Tuyên bố của quan chức Nga được đưa ra"), ("val/017238", "Công bố được đưa ra sau")]:
        line = _sentence(DIPLOMATIC, article, opening)
        assert points_back(line) and opener(line) is None
    assert points_back("Quyết định này được đưa ra sau khi Ban Bí thư xem xét đề nghị của Uỷ ban Kiểm tra Trung ương .")
    # A statement the sentence states, or one made by a named subject, is news of its own.
    assert not points_back("Tuyên bố chung được các nhà lãnh đạo ASEAN thông qua tại hội nghị ở Bangkok hôm 23/6 .")
    assert not points_back("Bộ Ngoại giao Trung Quốc đưa ra tuyên bố phản đối việc Mỹ bán vũ khí cho Đài Loan .")


def test_thanks_to_that_after_an_opening_clause_points_within_the_sentence():
    # vietnews train/007066, the lede: `nhờ đó` is the clause before it, not a sentence before. Dropping
    # it as a pointer left "… Aquaman , cũng , mọi thông tin …" (blind reading 54).
    line = "Nổi đình nổi đám nhờ bom tấn Aquaman , cũng nhờ đó , mọi thông tin về tài tử Jason Momoa luôn được săn lùng ."
    assert not points_back(line) and opener(line) == line
    assert "dangling" not in unreadable_kinds("Aquaman", line + "\nCâu thứ hai của bài .", line)
    # After an adverbial phrase (`Theo …`, `Sau khi …`) there is no clause to point to: the sentence before.
    assert points_back("Theo cơ quan công an , do đó đối tượng đã bỏ trốn khỏi địa phương .")
    assert points_back("Sau khi kết thúc hội nghị , nhờ đó hai bên đã ký thoả thuận hợp tác .")


def test_a_speaker_who_said_so_cannot_open(summarizer):
    # vietnews train/018147: the paper's lead paragraph holds what he said; the body opens on who said it.
    line = "Ông Võ Viết Thanh , nguyên chủ tịch UBND TP. HCM , nói như vậy với Tuổi Trẻ ."
    assert points_back(line) and opener(line) is None
    assert "dangling" in unreadable_kinds("Thủ Thiêm", line + "\nÔng Thanh là người ký tờ trình quy hoạch .", line)
    assert points_back("Phó Thủ tướng Vương Đình Huệ đã nói như vậy tại cuộc họp đề án tiêu chí việc làm .")
    assert points_back("Đại tướng Ngô Xuân Lịch cho biết như vậy khi trao đổi với các đại biểu Quốc hội .")
    # vietnews train/009079 (blind reading 58): why someone "said so".
    assert points_back("Có thể , Thành Trung nói vậy là bởi nhiều năm nay anh không diễn hài tại miền Bắc .")
    # The body it opens comes with the sentence after it or not at all.
    body = "\n".join([
        line,
        "Ông Võ Viết Thanh chính là người ký tờ trình gửi Thủ tướng xin phê duyệt quy hoạch khu đô thị mới Thủ Thiêm .",
        "Theo ông , quy hoạch Thủ Thiêm được lập với sự tham gia của nhiều chuyên gia trong và ngoài nước .",
    ])
    assert not summarizer.summarize("Quy hoạch Thủ Thiêm", body).text.startswith("Ông Võ Viết Thanh , nguyên")
    # `nói` before a word that goes on (`thế giới`) is no pointer.
    assert not points_back("Ông Trump nói thế giới đang thay đổi rất nhanh .")


def test_a_summary_opens_on_the_lede_when_its_first_sentence_is_the_first_real_lines():
    body = (
        "Tổng thống Philippines Rodrigo Duterte .\n"  # a caption: not the lede
        "Theo đó , Tổng thống Duterte sẽ thăm chính thức Việt Nam từ ngày 28 đến 29/9 theo lời mời .\n"
        "Đây là chuyến thăm đầu tiên của ông tới Đông Nam Á kể từ khi nhậm chức ."
    )
    lede = "Theo đó , Tổng thống Duterte sẽ thăm chính thức Việt Nam từ ngày 28 đến 29/9 theo lời mời ."
    assert opens_on_lede(body, lede)
    # Shown without its connective, it is still the lede.
    assert opens_on_lede(body, "Tổng thống Duterte sẽ thăm chính thức Việt Nam từ ngày 28 đến 29/9 theo lời mời .")
    assert not opens_on_lede(body, "Tổng thống Philippines Rodrigo Duterte . " + lede)
    assert not opens_on_lede(body, "Đây là chuyến thăm đầu tiên của ông tới Đông Nam Á kể từ khi nhậm chức .")
    assert not opens_on_lede(body, "")


def test_the_above_news_or_decision_points_back():
    # `Thông tin trên do …` (the above news) as the subject cannot open, with or without `trên`;
    # `quyết định trên xuất phát …`, `Hành vi trên khiến …` (the above decision, deed) point back.
    line = _sentence(DIPLOMATIC, "val/004848", "Thông tin trên do một đại diện Bộ Ngoại giao Mỹ")
    assert points_back(line) and opener(line) is None
    assert points_back("Theo Bộ Ngoại giao Mỹ , quyết định trên xuất phát từ việc Matxcơva sẵn sàng tiếp nhận họ .")
    assert points_back("Hành vi trên khiến dư luận địa phương vô cùng bất bình .")
    # `trên` before a noun is "on".
    assert not points_back("Quyết định trên bàn của Thủ tướng đã được ký vào sáng nay .")
    assert not points_back("Hai xe trên đường cao tốc bị hư hỏng nặng sau vụ va chạm .")

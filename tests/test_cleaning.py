"""Boilerplate removal on the five seeds: every marker gone, every real paragraph kept."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from ingest.cleaning import clean_article, clean_text
from ingest.dates import parse_date_line
from tests.conftest import seed_text

# What must not survive in any stored body.
MARKERS = [
    "lượt truy cập", "Tất cả: 77288761", "258 lượt xem", "Cơ quan chủ quản", "Giấy phép số",
    "Điện thoại Ban biên tập", "Địa chỉ:", "Ghi rõ nguồn", "Thông báo", "Báo cáo - thống kê", "Videos",
    "Tin mới Emagazine Truyền hình Podcast", "Đọc thêm", "Chủ đề Hoạt động", "Tin cùng chuyên mục",
    "Từ khóa", "Quay lên trên", "Chia sẻ bài viết", "LƯU Ý: BDO", "Gửi file đính kèm", "Ảnh:",
    "QUỐC CHIẾN", "Toàn cảnh buổi làm việc", "H.NHƯ", "HỒ VĂN", "LIỄU CHANG", "baolangson.vn",
    "(TTXVN/Vietnam+)", "https://", "Cập nhật:", "08:58:32", "(Baohatinh.vn)",
]

# The first words of every real paragraph of each seed (read by hand from the files).
PARAGRAPHS = {
    "000": [
        "Chiều ngày 18/10, đoàn các Đại sứ, Tổng lãnh sự Việt Nam ở nước ngoài",
        "Thời gian qua, công tác đối ngoại đã được triển khai tích cực",
        "Tại buổi tọa đàm, đại diện lãnh đạo UBND các tỉnh, thành phía Nam",
        "Tọa đàm lần này là cơ hội để các địa phương khu vực phía Nam",
    ],
    "001": [
        "Hôm qua (23-1), gần 20 đại sứ, tổng lãnh sự Việt Nam",
        "Tiếp và làm việc với các đại sứ, tổng lãnh sự Việt Nam ở nước ngoài, ông Võ Văn Minh",
        "Tiếp đó, tại buổi tọa đàm đại diện các tỉnh, thành, hiệp hội ngành hàng",
        "Phát biểu tại tọa đàm, ông Võ Đức Trong",
        "Với vị trí chiến lược đặc biệt quan trọng, Nghị quyết 24",
        "Ông Trần Phước Anh, Giám đốc Sở Ngoại vụ TP.Hồ Chí Minh cho rằng",
        "Ông Mai Phan Dũng, Đại sứ, Trưởng Phái đoàn Đại diện Thường trực Việt Nam tại Liên hợp quốc đã đánh giá cao",
    ],
    "002": [
        "Thứ trưởng Ngoại giao Bùi Thanh Sơn khẳng định Bộ Ngoại giao sẽ tăng cường",
        "Ngày 13/8, tại Hà Nội, Bộ Ngoại giao tổ chức tọa đàm",
        "Tham dự có đại diện các cơ quan ngoại giao",
        "Phát biểu khai mạc, Thứ trưởng Bộ Ngoại giao Bùi Thanh Sơn nhấn mạnh",
        "Việc đẩy mạnh hoạt động đối ngoại của các địa phương nói chung",
        "Để các quan hệ hợp tác thực sự phát huy hiệu quả",
        "Các cơ quan ngoại vụ, Sở Ngoại vụ của các tỉnh, thành phố",
        "Thứ trưởng Bộ Ngoại giao Bùi Thanh Sơn khẳng định, Bộ Ngoại giao sẵn sàng",
        "Tại tọa đàm, các đại biểu tập trung thảo luận",
    ],
    "003": [
        "Thứ trưởng Bộ Ngoại giao Lê Hoài Trung đánh giá cao việc thực hiện",
        "Sáng 13/11, Đoàn công tác Bộ Ngoại giao do Ủy viên Trung ương Đảng",
        "Bí thư Tỉnh ủy Hoàng Trung Dũng, Chủ tịch UBND tỉnh Trần Tiến Hưng",
        "Báo cáo với đoàn công tác Bộ Ngoại giao về công tác đối ngoại của Hà Tĩnh",
        "Hà Tĩnh đã củng cố và phát triển quan hệ hữu nghị hợp tác toàn diện",
        "Hoạt động đối ngoại đã góp phần rất lớn vào sự phát triển chung của tỉnh.",
        "Thứ trưởng Bộ Ngoại giao Lê Hoài Trung chúc mừng kết quả",
        "Thứ trưởng Bộ Ngoại giao cũng đánh giá cao Hà Tĩnh",
        "“Để ổn định và phát triển KT-XH của từng địa phương",
        "Thứ trưởng Lê Hoài Trung mong muốn Hà Tĩnh tiếp tục tranh thủ",
        "Phát biểu tại buổi làm việc, Bí thư Tỉnh ủy Hoàng Trung Dũng cảm ơn",
        "“Hà Tĩnh vừa tổ chức thành công Đại hội đại biểu Đảng bộ tỉnh",
        "Bí thư Tỉnh ủy Hoàng Trung Dũng mong muốn Bộ Ngoại giao tiếp tục quan tâm",
        "Đặc biệt, thông qua Bộ Ngoại giao, cơ quan đại diện ngoại giao Việt Nam",
        "Tỉnh Hà Tĩnh có chung đường biên giới với nước bạn Lào",
        "Nhân dịp này, thay mặt Bộ Ngoại giao",
        "Chia sẻ với những thiệt hại trong các đợt mưa lũ vừa qua",
    ],
    "004": [
        "Chiều ngày 21/1, tại Hà Nội, Bộ Ngoại giao tổ chức hội nghị trực tuyến",
        "Hội nghị được kết nối với 94 điểm cầu",
        "Dự hội nghị tại điểm cầu tỉnh Lạng Sơn",
        "Theo báo cáo tại hội nghị, trong năm 2021",
        "Đặc biệt, công tác ngoại giao vắc xin được triển khai quyết liệt",
        "Công tác nghiên cứu, dự báo tham mưu chiến lược",
        "Tại Lạng Sơn, trong năm 2021, tỉnh đã tập trung chỉ đạo",
        "Trong năm, tỉnh đã vận động và tiếp nhận 150.000 liều vắc xin",
        "Cùng đó, triển khai thực hiện tốt công tác xúc tiến",
        "Tại hội nghị, các đại biểu đã thảo luận",
        "Phát biểu kết luận tại hội nghị, Bộ trưởng Bộ Ngoại giao Bùi Thanh Sơn",
        "Đồng chí cũng nêu rõ các mục tiêu phấn đấu trong năm 2022",
        "Đồng thời đề nghị các cơ quan, đơn vị trong ngành ngoại giao",
    ],
}


@pytest.mark.parametrize("seed", sorted(PARAGRAPHS))
def test_markers_are_removed(seed):
    body = clean_text(seed_text(seed)).body
    for marker in MARKERS:
        assert marker not in body, f"seed {seed} still contains {marker!r}"


@pytest.mark.parametrize("seed", sorted(PARAGRAPHS))
def test_every_real_paragraph_survives(seed):
    body = clean_text(seed_text(seed)).body
    for start in PARAGRAPHS[seed]:
        assert start in body, f"seed {seed} lost the paragraph starting {start!r}"


@pytest.mark.parametrize("seed", sorted(PARAGRAPHS))
def test_title_is_not_repeated_in_body(seed):
    result = clean_text(seed_text(seed))
    assert result.title
    assert result.title not in result.body


def test_caption_glued_after_sentence_is_dropped():
    body = clean_text(seed_text("004")).body
    assert "năm 2022.Các đại biểu" not in body
    assert "triển khai công tác ngoại giao kinh tế năm 2022." in body


def test_captions_under_repeated_title_in_seed_003():
    body = clean_text(seed_text("003")).body
    assert "Phó Chủ tịch Thường trực UBND tỉnh Đặng Quốc Vinh: Hà Tĩnh" not in body
    assert "Bí thư Tỉnh ủy Hoàng Trung Dũng: Công tác đối ngoại" not in body
    assert ".. và trao bằng khen" not in body


def test_publication_dates_of_seeds():
    tz = ZoneInfo("Asia/Ho_Chi_Minh")
    assert clean_text(seed_text("001")).published_at == datetime(2024, 1, 24, 8, 18, 59, tzinfo=tz)
    assert clean_text(seed_text("004")).published_at == datetime(2022, 1, 22, 8, 58, 32, tzinfo=tz)


@pytest.mark.parametrize("seed", ["000", "002", "003"])
def test_no_date_means_none_not_today(seed):
    # Seed 000's footer says "cấp ngày 22/9/2021": a sentence, not a publication stamp.
    assert clean_text(seed_text(seed)).published_at is None


def test_source_url_and_outlet():
    result = clean_text(seed_text("004"))
    assert result.url == "https://baolangson.vn/kinh-te/476767-hoi-nghi-truc-tuyen-trien-khai-cong-tac-ngoai-giao-kinh-te-nam-2022.html"
    # Each seed names its outlet somewhere in its text: a byline domain, a lead tag, a footer notice.
    assert result.source == "Báo Lạng Sơn"  # LIỄU CHANG/baolangson.vn, Lạng Sơn in the text
    assert clean_text(seed_text("003")).source == "Báo Hà Tĩnh"  # (Baohatinh.vn) - …
    assert clean_text(seed_text("002")).source == "TTXVN/Vietnam+"
    assert clean_text(seed_text("000")).source == "Cổng thông tin điện tử tỉnh Sóc Trăng"  # Ghi rõ nguồn "…"
    assert clean_text(seed_text("001")).source == "BDO"  # BDO sẽ biên tập ý kiến của bạn đọc


@pytest.mark.parametrize(
    "line, expected",
    [
        ("Cập nhật: 24-01-2024 | 08:18:59", (2024, 1, 24, 8, 18)),
        ("Thứ 7, 22.01.2022 | 08:58:32", (2022, 1, 22, 8, 58)),
        ("Thứ Hai, 12/3/2024, 10:05 (GMT+7)", (2024, 3, 12, 10, 5)),
        ("10:05 12/03/2024", (2024, 3, 12, 10, 5)),
        ("Ngày đăng: 2023-05-07", (2023, 5, 7, 0, 0)),
    ],
)
def test_date_line_shapes(line, expected):
    parsed = parse_date_line(line)
    assert (parsed.year, parsed.month, parsed.day, parsed.hour, parsed.minute) == expected
    assert parsed.utcoffset().total_seconds() == 7 * 3600


@pytest.mark.parametrize("line", ["Giấy phép số 01/GP-STTTT cấp ngày 22/9/2021.", "Chiều ngày 21/1", "31/02/2024"])
def test_sentences_and_impossible_dates_are_not_stamps(line):
    assert parse_date_line(line) is None


def test_general_shapes_on_an_unseen_site():
    lines = [
        "Trang chủ",
        "Thứ Ba, 05/03/2024 - 14:30",
        "1.234 lượt xem",
        "(TTXVN) - Sáng 5/3, Bộ trưởng Ngoại giao tiếp Đại sứ Nhật Bản tại Hà Nội.",
        "Hai bên trao đổi về hợp tác kinh tế, đầu tư và giao lưu nhân dân.",
        "Bộ trưởng tiếp Đại sứ. (Ảnh: TTXVN)",
        "Đại sứ khẳng định Nhật Bản coi trọng quan hệ với Việt Nam (Ảnh: Bộ Ngoại giao) trong mọi lĩnh vực.",
        "NGỌC ANH",
        "Tin liên quan",
        "Bản quyền thuộc về Báo điện tử. Ghi rõ nguồn khi phát hành lại.",
        "Xem thêm: https://example.vn/tin-khac",
    ]
    result = clean_article("Bộ trưởng tiếp Đại sứ Nhật Bản", lines)
    assert result.body.splitlines() == [
        "Sáng 5/3, Bộ trưởng Ngoại giao tiếp Đại sứ Nhật Bản tại Hà Nội.",
        "Hai bên trao đổi về hợp tác kinh tế, đầu tư và giao lưu nhân dân.",
        "Đại sứ khẳng định Nhật Bản coi trọng quan hệ với Việt Nam trong mọi lĩnh vực.",
    ]
    assert result.source == "TTXVN"
    assert result.published_at.date().isoformat() == "2024-03-05"

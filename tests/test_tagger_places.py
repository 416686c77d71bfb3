"""Provinces and countries: the seeds, the traps, the reader queries."""

from __future__ import annotations

from pathlib import Path

import pytest

from tagger import (
    find_countries,
    find_provinces,
    flag,
    resolve_country,
    resolve_province,
    suggest_countries,
    suggest_provinces,
    tag_article,
)

SEEDS = Path(__file__).resolve().parent.parent / "seeds"


def seed(n: int) -> tuple[str, str]:
    path = next(SEEDS.glob(f"{n:03d}_*.txt"))
    title, _, body = path.read_text(encoding="utf-8").partition("\n")
    return title, body


def olds(text: str) -> list[str]:
    return [p["old"] for p in find_provinces(text)]


def codes(text: str) -> list[str]:
    return [c["code"] for c in find_countries(text)]


# --- seeds -----------------------------------------------------------------------


def test_seed_000_soc_trang_now_can_tho():
    tags = tag_article(*seed(0))
    assert [(p.old, p.old_code, p.new, p.new_code) for p in tags.provinces] == [
        ("Sóc Trăng", "94", "Cần Thơ", "92")
    ]
    assert tags.countries == ()


def test_seed_001_provinces_and_countries():
    tags = tag_article(*seed(1))
    assert [p.old for p in tags.provinces] == ["Bình Dương", "Tây Ninh", "Hồ Chí Minh"]
    bd = tags.provinces[0]
    assert (bd.new, bd.new_code) == ("Hồ Chí Minh", "79")
    tn = tags.provinces[1]
    assert (tn.old_code, tn.new_code) == ("72", "80")  # codes differ old/new
    got = {c.code for c in tags.countries}
    assert got == {"JP", "KR", "TW", "SG", "CU", "NL"}  # not US, GB, DE, CN


def test_seed_002_ha_noi_only():
    tags = tag_article(*seed(2))
    assert [p.old for p in tags.provinces] == ["Hà Nội"]
    assert tags.countries == ()


def test_seed_003_ha_tinh_and_countries():
    tags = tag_article(*seed(3))
    assert [p.old for p in tags.provinces] == ["Hà Tĩnh"]
    got = [c.code for c in tags.countries]
    assert got == ["LA", "TH", "JP", "KR", "SG", "CA", "FR", "DE", "IL", "US"]
    assert tags.countries[0].name == "Lào"


def test_seed_004_lang_son_and_china_not_quang_tay():
    tags = tag_article(*seed(4))
    assert [p.old for p in tags.provinces] == ["Hà Nội", "Lạng Sơn"]
    assert [c.code for c in tags.countries] == ["CN"]


def test_only_expected_seeds_carry_japan_ha_tinh_hoa_binh():
    japan = [n for n in range(5) if "JP" in {c.code for c in tag_article(*seed(n)).countries}]
    assert japan == [1, 3]
    ha_tinh = [n for n in range(5) if "Hà Tĩnh" in olds("\n".join(seed(n)))]
    assert ha_tinh == [3]
    assert not any("Hòa Bình" in olds("\n".join(seed(n))) for n in range(5))


# --- traps -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "giữ vững môi trường hoà bình, ổn định",
        "vì hòa bình, hợp tác và phát triển",
        "Giải Nobel Hòa bình năm nay",
    ],
)
def test_peace_is_not_hoa_binh(text):
    assert olds(text) == []


def test_pacific_is_not_thai_binh_nor_binh_duong():
    assert olds("khu vực châu Á - Thái Bình Dương và Ấn Độ Dương") == []
    assert codes("khu vực Ấn Độ Dương") == []


def test_lao_cai_is_not_laos():
    assert olds("tỉnh Lào Cai giáp Vân Nam") == ["Lào Cai"]
    assert codes("tỉnh Lào Cai giáp Vân Nam") == []


def test_chinese_places_are_china_not_provinces():
    text = "vắc xin do Quảng Tây (Trung Quốc) tài trợ; Tập đoàn Đông Á tại Nam Ninh, Quảng Tây"
    assert olds(text) == []
    assert codes(text) == ["CN"]
    assert olds("đoàn tỉnh Hà Nam (Trung Quốc) sang thăm") == []
    assert olds("tỉnh Hà Nam, Trung Quốc") == []
    assert olds("tỉnh Hà Nam và Nam Định") == ["Hà Nam", "Nam Định"]


def test_americas_are_not_usa():
    assert codes("thị trường châu Á, châu Âu, châu Mỹ và Mỹ Latin") == []
    assert codes("các nước Nam Mỹ, Bắc Mỹ") == []


@pytest.mark.parametrize(
    "text",
    [
        "ông Trần Phước Anh, Giám đốc Sở Ngoại vụ",
        "ông Võ Đức Trong, Phó Chủ tịch Thường trực",
        "Võ Đức Trong phát biểu tại hội nghị",
        "ông Nguyễn Minh Đức cho biết",
        "anh Minh và chị Nga cùng đi",
        "Anh cho biết anh sẽ trở lại",
        "ca sĩ Mỹ Linh biểu diễn",
        "đồng chí Đức phát biểu",
    ],
)
def test_person_names_are_not_countries(text):
    assert codes(text) == []


@pytest.mark.parametrize(
    "text",
    [
        "theo quy định của pháp luật",
        "Bộ Tư pháp cho biết",
        "Pháp luật quy định rõ",
        "Báo Pháp luật đưa tin",
        "Ý kiến của các đại biểu",
        "nhiều ý kiến đóng góp",
        "thanh toán bằng séc",
        "Áo dài là quốc phục",
        "LƯU Ý: ý kiến bạn đọc",
        "học tiếng Anh và tiếng Pháp",
        "Chủ Nhật tuần trước",
        "Đức Giáo hoàng Francis",
        "các tỉnh phía Nam và vùng Đông Nam bộ",
        "Nam",
    ],
)
def test_common_words_are_not_countries(text):
    assert codes(text) == []


def test_south_and_south_east_are_not_places():
    assert olds("các tỉnh phía Nam, vùng Đông Nam bộ, Nam Bộ") == []


def test_countries_in_context():
    assert codes("Ngoại trưởng Mỹ Mike Pompeo") == ["US"]
    assert codes("Thủ tướng Anh Boris Johnson") == ["GB"]
    assert codes("Anh và Pháp ký hiệp định") == ["GB", "FR"]
    assert codes("Đại sứ Pháp tại Việt Nam") == ["FR"]
    assert codes("quan hệ Việt - Mỹ") == ["US"]
    assert codes("hai nước anh em Lào và Campuchia") == ["LA", "KH"]
    assert codes("Việt Nam và Lào") == ["LA"]  # Việt Nam is never tagged


def test_taiwan_china_is_taiwan_only():
    got = find_countries("các nước Nhật Bản, Đài Loan (Trung Quốc), Singapore")
    assert [c["code"] for c in got] == ["JP", "TW", "SG"]


def test_media_forms_of_countries():
    text = ("I-xra-en, Ô-xtrây-li-a, I-ta-li-a, Xinh-ga-po, Ác-hen-ti-na, Niu Di-lân, "
            "Cam-pu-chia, In-đô-nê-xi-a, Ma-lai-xi-a, Phi-líp-pin")
    assert codes(text) == ["IL", "AU", "IT", "SG", "AR", "NZ", "KH", "ID", "MY", "PH"]
    assert codes("Hoa Kỳ và Mỹ") == ["US"]
    assert codes("Vương quốc Anh") == ["GB"]
    assert codes("CHDCND Triều Tiên") == ["KP"]
    assert codes("CHDCND Lào, Vương quốc Thái Lan") == ["LA", "TH"]
    assert codes("Nhật, Japan và Nhật Bản") == ["JP"]


def test_country_dict_shape():
    [c] = find_countries("thăm Hoa Kỳ")
    assert c == {"mention": "Hoa Kỳ", "name": "Hoa Kỳ", "code": "US"}


def test_province_aliases_and_cities_in_text():
    assert olds("tại TP.HCM") == ["Hồ Chí Minh"]
    assert olds("TP Hồ Chí Minh và Thừa Thiên Huế") == ["Hồ Chí Minh", "Huế"]
    assert olds("Hoà Bình và Khánh Hoà") == ["Hòa Bình", "Khánh Hòa"]
    assert olds("BR-VT") == ["Bà Rịa - Vũng Tàu"]
    assert olds("Vịnh Hạ Long, Đà Lạt, Nha Trang và Phú Quốc") == [
        "Quảng Ninh", "Lâm Đồng", "Khánh Hòa", "Kiên Giang"]


def test_uncle_ho_is_not_the_city():
    assert olds("Chủ tịch Hồ Chí Minh") == []
    assert olds("học tập tư tưởng Hồ Chí Minh") == []


def test_capitalized_headline():
    assert olds("HÀ TĨNH ĐẨY MẠNH ĐỐI NGOẠI") == ["Hà Tĩnh"]


# --- reader queries --------------------------------------------------------------


def test_resolve_old_province_points_to_its_new_one():
    q = resolve_province("Sóc Trăng")
    assert (q.kind, q.name, q.full_name, q.old_codes) == ("old", "Sóc Trăng", "Tỉnh Sóc Trăng", ["94"])
    assert (q.new_code, q.new_name, q.exact) == ("92", "Cần Thơ", True)


def test_resolve_new_province_covers_its_members():
    q = resolve_province("Cần Thơ")
    assert (q.kind, q.full_name, q.new_code) == ("new", "Thành phố Cần Thơ", "92")
    assert sorted(q.old_codes) == ["92", "93", "94"]
    assert sorted(q.members) == ["Cần Thơ", "Hậu Giang", "Sóc Trăng"]


@pytest.mark.parametrize(
    "query,kind,name",
    [
        ("Hồ Chí Minh", "new", "Hồ Chí Minh"),
        ("Hà Tĩnh", "new", "Hà Tĩnh"),
        ("Bình Dương", "old", "Bình Dương"),
        ("Hòa Bình", "old", "Hòa Bình"),
        ("Hoà Bình", "old", "Hòa Bình"),
        ("hoa binh", "old", "Hòa Bình"),
        ("KHÁNH HOÀ", "new", "Khánh Hòa"),
        ("tỉnh Sóc Trăng", "old", "Sóc Trăng"),
        ("TP. Cần Thơ", "new", "Cần Thơ"),
        ("Tp.Cần Thơ", "new", "Cần Thơ"),
        ("thành phố cần thơ", "new", "Cần Thơ"),
        ("TP Hà Nội", "new", "Hà Nội"),
        ("TPHCM", "new", "Hồ Chí Minh"),
        ("TP.HCM", "new", "Hồ Chí Minh"),
        ("HCM", "new", "Hồ Chí Minh"),
        ("Sài Gòn", "new", "Hồ Chí Minh"),
        ("sai gon", "new", "Hồ Chí Minh"),
        ("Huế", "new", "Huế"),
        ("Thừa Thiên Huế", "new", "Huế"),
        ("Bắc Cạn", "old", "Bắc Kạn"),
        ("Đắc Lắc", "new", "Đắk Lắk"),
        ("BR-VT", "old", "Bà Rịa - Vũng Tàu"),
        ("Vũng Tàu", "old", "Bà Rịa - Vũng Tàu"),
        ("Tây Ninh", "new", "Tây Ninh"),
    ],
)
def test_resolve_province_forms(query, kind, name):
    q = resolve_province(query)
    assert q is not None and (q.kind, q.name, q.exact) == (kind, name, True)


def test_resolve_province_typo_and_unknown():
    q = resolve_province("Binh Duongg")
    assert (q.name, q.exact, q.new_name) == ("Bình Dương", False, "Hồ Chí Minh")
    assert resolve_province("xyz") is None
    assert resolve_province("Bắc Kinh") is None
    assert resolve_province("") is None


def test_suggest_provinces():
    assert suggest_provinces("Binh Duong")[0] == "Bình Dương"
    assert len(suggest_provinces("can tho", n=3)) == 3


@pytest.mark.parametrize(
    "query,code",
    [("Mỹ", "US"), ("my", "US"), ("hoa ky", "US"), ("Japan", "JP"), ("nhat", "JP"),
     ("i-xra-en", "IL"), ("Đài Loan", "TW"), ("uk", "GB"), ("trung quoc", "CN"), ("JP", "JP"),
     ("han quoc", "KR"), ("lao", "LA"), ("Xinh-ga-po", "SG")],
)
def test_resolve_country_forms(query, code):
    q = resolve_country(query)
    assert q is not None and q.code == code and q.exact


def test_resolve_country_typo_unknown_and_vietnam():
    q = resolve_country("singapor")
    assert (q.code, q.name, q.exact) == ("SG", "Singapore", False)
    assert resolve_country("Việt Nam") is None
    assert resolve_country("qqqq") is None


def test_suggest_countries_and_flag():
    assert "Hàn Quốc" in suggest_countries("han")
    assert flag("JP") == "🇯🇵" and flag("us") == "🇺🇸" and flag("X") == ""


def test_languages_are_not_countries():
    assert codes("công dân Thổ Nhĩ Kỳ nói tiếng Anh và Hà Lan") == ["TR"]


def test_dependent_territories_and_seas_are_not_countries():
    assert codes("bắn tới đảo Guam của Mỹ") == ["US"]
    assert codes("diễn tập tại vịnh Thái Lan và biển Nhật Bản") == []


def test_viet_compounds_and_bylines():
    assert codes("quan hệ Việt Pháp") == ["FR"]
    assert codes("ông Nguyễn Việt Anh cho biết") == []
    assert codes("kết thúc bài.\nPhương Anh") == []


def test_ship_named_after_a_province_is_not_the_province():
    assert olds("nhóm tàu khảo sát địa chất Hải Dương 8 của Trung Quốc") == []
    assert olds("tỉnh Hải Dương có 12 huyện") == ["Hải Dương"]


def test_vietnamese_districts_named_like_countries_are_not_countries():
    for text in ("trú tại huyện Đông Anh, Hà Nội", "huyện Mỹ Đức (Hà Nội)", "huyện Nga Sơn, Thanh Hóa",
                 "thành phố Mỹ Tho, Tiền Giang"):
        assert find_countries(text) == [], text
    assert [c["code"] for c in find_countries("Thủ tướng Anh và Tổng thống Nga")] == ["GB", "RU"]

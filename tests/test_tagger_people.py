"""People with roles: the seeds and the shapes news writes them in."""

from __future__ import annotations

from pathlib import Path

import pytest

from tagger.people import find_people

SEEDS = Path(__file__).resolve().parent.parent / "seeds"


def seed_people(n: int) -> dict[str, str]:
    path = next(SEEDS.glob(f"{n:03d}_*.txt"))
    return {p["name"]: p["role"] for p in find_people(path.read_text(encoding="utf-8"))}


def test_seed_001_people():
    assert seed_people(1) == {
        "Võ Văn Minh": "Phó Bí thư Tỉnh ủy, Chủ tịch UBND tỉnh",
        "Mai Phan Dũng": "Đại sứ, Trưởng Phái đoàn Đại diện Thường trực Việt Nam tại Liên hợp quốc",
        "Võ Đức Trong": "Phó Chủ tịch Thường trực UBND tỉnh Tây Ninh",
        "Trần Phước Anh": "Giám đốc Sở Ngoại vụ TP.Hồ Chí Minh",
    }


def test_seed_002_people():
    assert seed_people(2) == {"Bùi Thanh Sơn": "Thứ trưởng Ngoại giao"}


def test_seed_003_people_one_tag_each():
    assert seed_people(3) == {
        "Lê Hoài Trung": "Thứ trưởng Bộ Ngoại giao",
        "Hoàng Trung Dũng": "Bí thư Tỉnh ủy",
        "Trần Tiến Hưng": "Chủ tịch UBND tỉnh",
        "Đặng Quốc Vinh": "Phó Chủ tịch UBND tỉnh",
        "Nguyễn Hồng Lĩnh": "Phó Chủ tịch UBND tỉnh",
    }


def test_seed_004_people():
    assert seed_people(4) == {"Bùi Thanh Sơn": "Bộ trưởng Bộ Ngoại giao"}


def test_seed_000_dash_appositive():
    assert seed_people(0) == {
        "Tô Anh Dũng": "Thứ trưởng Bộ Ngoại giao",
        "Lâm Hoàng Nghiệp": "Phó Chủ tịch UBND tỉnh",
    }


@pytest.mark.parametrize(
    "text,name,role",
    [
        ("Thứ trưởng Bộ Ngoại giao Lê Hoài Trung đánh giá cao", "Lê Hoài Trung",
         "Thứ trưởng Bộ Ngoại giao"),
        ("Ngoại trưởng Mỹ Mike Pompeo cho biết", "Mike Pompeo", "Ngoại trưởng Mỹ"),
        ("Phó thủ tướng , Bộ trưởng Bộ Ngoại giao Phạm Bình Minh và", "Phạm Bình Minh",
         "Phó thủ tướng, Bộ trưởng Bộ Ngoại giao"),
        ("đại tướng Ngô Xuân Lịch , bộ trưởng Bộ Quốc phòng , đã chủ trì", "Ngô Xuân Lịch",
         "Đại tướng, bộ trưởng Bộ Quốc phòng"),
        ("Bộ trưởng Bộ Công Thương Trần Tuấn Anh phát biểu", "Trần Tuấn Anh",
         "Bộ trưởng Bộ Công Thương"),
        ("Tổng thống Donald J. Trump tới Việt Nam", "Donald J. Trump", "Tổng thống"),
        ("Chủ tịch Tập Cận Bình hội đàm", "Tập Cận Bình", "Chủ tịch"),
        ("bà Meng Wanzhou , giám đốc tài chính toàn cầu của Huawei", "Meng Wanzhou",
         "Giám đốc tài chính"),
        ("Thứ trưởng Bộ Văn hoá , thể thao và du lịch Huỳnh Vĩnh Ái đã nói",
         "Huỳnh Vĩnh Ái", "Thứ trưởng Bộ Văn hóa, thể thao và du lịch"),
        ("Tổng thống Guatemala , ông Emmanuel Nahshon – người phát ngôn của Bộ Ngoại giao "
         "Israel , đã lên tiếng", "Emmanuel Nahshon", "Người phát ngôn của Bộ Ngoại giao Israel"),
        ("Bí thư Tỉnh ủy Hà Tĩnh Hoàng Trung Dũng khẳng định", "Hoàng Trung Dũng",
         "Bí thư Tỉnh ủy Hà Tĩnh"),
    ],
)
def test_role_shapes(text, name, role):
    assert {p["name"]: p["role"] for p in find_people(text)} == {name: role}


def test_short_mentions_join_the_full_name():
    text = ("Thứ trưởng Bộ Ngoại giao Lê Hoài Trung đến thăm. Thứ trưởng Trung nói. "
            "Ông Trung cảm ơn. Ngoại trưởng Mỹ Mike Pompeo và Ngoại trưởng Pompeo.")
    assert [p["name"] for p in find_people(text)] == ["Lê Hoài Trung", "Mike Pompeo"]


def test_lone_foreign_surname_with_a_political_head():
    assert find_people("Tổng thống Trump và Tổng thống Putin gặp nhau") == [
        {"name": "Trump", "role": "Tổng thống"}, {"name": "Putin", "role": "Tổng thống"}]


@pytest.mark.parametrize(
    "text",
    [
        "Chủ tịch UBND tỉnh đã cảm ơn các đại sứ",
        "Đại sứ quán Hoa Kỳ thông báo",
        "Đại sứ Mỹ ở Jerusalem sẽ chuyển",
        "Thái Lan , chủ tịch luân phiên ASEAN 2019",
        "Thị trưởng thành phố New York phát biểu",
    ],
)
def test_no_person(text):
    assert find_people(text) == []


@pytest.mark.parametrize(
    "text,name,role",
    [
        ("Tổng thống Hàn Quốc Moon Jae - in cho biết", "Moon Jae-in", "Tổng thống Hàn Quốc"),
        ("Tổng thống Syria Bashar al - Assad phát biểu", "Bashar al-Assad", "Tổng thống Syria"),
        ("Thái tử Saudi Arabia Mohammed bin Salman đến", "Mohammed bin Salman",
         "Thái tử Saudi Arabia"),
        ("cựu Tổng thống Saleh kiểm soát", "Saleh", "Cựu Tổng thống"),
        ("Ông Sung Kim là đại sứ Mỹ tại Philippines và", "Sung Kim", "Đại sứ Mỹ tại Philippines"),
        ("Andrey Kolesnikov , tổng biên tập tạp chí Pioneer của Nga , viết", "Andrey Kolesnikov",
         "Tổng biên tập tạp chí Pioneer của Nga"),
        ("chuẩn đô đốc Murray Joe Tynch III , tư lệnh Nhóm hậu cần Tây Thái Bình Dương , nói",
         "Murray Joe Tynch III", "Chuẩn đô đốc, tư lệnh Nhóm hậu cần Tây Thái Bình Dương"),
        ("Thủ tướng Singapore Lý Hiển Long ( chủ tịch ASEAN năm 2018 )", "Lý Hiển Long",
         "Thủ tướng Singapore, chủ tịch ASEAN năm 2018"),
        ("Bộ trưởng Quốc phòng Trung Quốc Thường Vạn Toàn đề nghị", "Thường Vạn Toàn",
         "Bộ trưởng Quốc phòng Trung Quốc"),
        ("ông Dương Danh Kiểm , đội trưởng đội 9 , nói", "Dương Danh Kiểm", "Đội trưởng đội 9"),
    ],
)
def test_foreign_and_long_shapes(text, name, role):
    assert {p["name"]: p["role"] for p in find_people(text)} == {name: role}


def test_a_consular_visit_is_no_consul_but_the_citizen_is_a_person():
    # `thăm lãnh sự`: a consular visit; the citizen is tagged with no role (issue 14).
    assert find_people("Đại sứ quán Việt Nam thăm lãnh sự Đoàn Thị Hương") == [
        {"name": "Đoàn Thị Hương", "role": ""}]


def test_government_is_not_acting_president():
    # `Chính quyền Tổng thống` is the administration: `quyền` is no `acting` here.
    people = find_people("Chính quyền Tổng thống Mỹ Donald Trump đã từ chối")
    assert people == [{"name": "Donald Trump", "role": "Tổng thống Mỹ"}]


def test_nested_role_keeps_both_people():
    text = ("ông Farhan Haq , phó phát ngôn của Tổng thư ký LHQ , ông António Guterres , "
            "cho biết")
    assert {p["name"]: p["role"] for p in find_people(text)} == {
        "Farhan Haq": "Phó phát ngôn của Tổng thư ký LHQ",
        "António Guterres": "Tổng thư ký LHQ",
    }


def test_short_rank_mention_joins_a_foreign_full_name():
    text = "vụ ám sát cựu đại tá tình báo Skripal . Cha con điệp viên Sergei Skripal bị đầu độc ."
    assert find_people(text) == [{"name": "Sergei Skripal", "role": "Cựu đại tá tình báo"}]

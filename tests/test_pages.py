"""ingest.pages on pages modelled on Vietnamese portals, and on every page that is no article."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest

from ingest.dates import VN_TZ
from ingest.fetch import fetch
from ingest.models import Rejected
from ingest.pages import PageArticle, decode_html, extract_page, extract_sapo, is_anti_bot, parse_html
from ingest.quality import quality_problem
from tests.local_site import SITE_DIR, local_site  # noqa: F401 (fixture)

SEEDS = Path(__file__).resolve().parent.parent / "seeds"


def page(name: str) -> bytes:
    return (SITE_DIR / name).read_bytes()


def seed_lines(prefix: str) -> list[str]:
    path = next(SEEDS.glob(prefix + "_*.txt"))
    return [line.strip() for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def extract(name: str, url: str = "https://example.vn/tin/a.html", **kw):
    kw.setdefault("clean_body", None)
    return extract_page(page(name), url, **kw)


def verdict(result) -> str | None:
    """Why the ingest path rejects an extracted page: extraction's reason, else the quality gate's (run by the pipeline)."""
    return result.reason if isinstance(result, Rejected) else quality_problem(result.body)


def test_provincial_portal_page():
    art = extract("soctrang_toa_dam.html", "https://m.soctrang.gov.vn/tin-tuc/a.html?utm_source=rss")
    assert isinstance(art, PageArticle)
    seed = seed_lines("000")
    assert art.title == seed[0]
    assert art.published_at == datetime(2023, 10, 18, 16, 30, tzinfo=VN_TZ)
    assert art.canonical_url == "https://soctrang.gov.vn/tin-tuc/toa-dam-dai-su-tong-lanh-su.html"
    assert art.url == "https://m.soctrang.gov.vn/tin-tuc/a.html?utm_source=rss"
    lines = art.body.splitlines()
    assert art.sapo == seed[1] and lines[0] == seed[1]  # the sapo div trafilatura drops, put back first
    assert lines[1:] == [seed[2], seed[4], seed[5]]  # every body paragraph of the seed, nothing else
    for chrome in ("Ảnh: H.NHƯ", "Cơ quan chủ quản", "Giới thiệu", "77288761", "Gửi bình luận",
                   "Sóc Trăng tiếp Đại sứ Nhật Bản", "Từ khóa", "Chia sẻ Facebook", "Đang truy cập"):
        assert chrome not in art.body, chrome


def test_agency_page_with_h2_sapo_and_table_caption():
    art = extract("vietnamplus_bo_ngoai_giao.html", "https://www.vietnamplus.vn/chinhtri/x.vnp")
    seed = seed_lines("002")
    assert art.title == seed[0]  # " | Vietnam+ (VietnamPlus)" gone
    assert art.body.splitlines()[0] == seed[1] == art.sapo
    assert art.published_at == datetime(2019, 8, 13, 15, 20, tzinfo=VN_TZ)
    assert art.canonical_url == "https://vietnamplus.vn/bo-ngoai-giao-tro-giup-cac-dia-phuong-quang-ba-thu-hut-dau-tu/586251.vnp"
    assert "Văn Điệp" not in art.body and "phát biểu khai mạc tọa đàm." not in art.body
    assert seed[-3] in art.body  # last paragraph before the agency tag
    assert "Tin cùng chuyên mục" not in art.body and "Bộ trưởng Ngoại giao tiếp Đại sứ Hàn Quốc" not in art.body


def test_br_layout_with_only_a_visible_date_stamp():
    art = extract("baolangson_ngoai_giao_kinh_te.html")
    seed = seed_lines("004")
    assert art.title == seed[0]
    assert art.published_at == datetime(2022, 1, 22, 8, 58, 32, tzinfo=VN_TZ)
    expected = [" ".join(line.split()) for line in seed[3:seed.index("LIỄU CHANG/baolangson.vn")]]
    assert art.body.splitlines()[:len(expected)] == expected  # every <br> paragraph, in order
    assert art.sapo == ""


def test_the_cleaning_hook_gets_title_and_text():
    seen = []

    def cleaner(title: str, text: str) -> str:
        seen.append((title, text))
        return "\n".join(line for line in text.splitlines() if not line.startswith("(TTXVN"))

    art = extract("vietnamplus_bo_ngoai_giao.html", clean_body=cleaner)
    assert seen and seen[0][0] == art.title and "(TTXVN/Vietnam+)" in seen[0][1]
    assert "(TTXVN/Vietnam+)" not in art.body


DATA_TABLE_PAGE = """<html><head><meta charset="utf-8"><title>Kim ngạch thương mại Việt Nam - Lào</title></head><body>
<article><h1>Kim ngạch thương mại Việt Nam - Lào tăng mạnh trong năm 2023</h1>
<p>Theo số liệu của Tổng cục Hải quan, kim ngạch thương mại hai chiều giữa Việt Nam và Lào năm 2023 tăng mạnh so với năm trước.</p>
<table class="data"><tr><th>Năm</th><th>Kim ngạch (triệu USD)</th></tr><tr><td>2022</td><td>1.680</td></tr><tr><td>2023</td><td>2.050</td></tr></table>
<p>Hai bên đặt mục tiêu nâng kim ngạch thương mại lên 5 tỷ USD trong những năm tới, tập trung vào nông sản và điện.</p>
<table class="image"><tr><td><img src="a.jpg"></td></tr><tr><td>Cửa khẩu quốc tế Cầu Treo. Ảnh: TTXVN</td></tr></table>
</article></body></html>"""


def test_data_tables_are_kept_photo_tables_are_not():
    art = extract_page(DATA_TABLE_PAGE, "https://example.vn/kim-ngach.html", clean_body=None)
    assert "2023 | 2.050" in art.body.splitlines()
    assert "Cầu Treo" not in art.body


@pytest.mark.parametrize("name", ["cloudflare_challenge.html", "captcha_vi.html"])
def test_anti_bot_pages(name):
    result = extract(name)
    assert isinstance(result, Rejected) and result.reason == "anti_bot"


@pytest.mark.parametrize("html", [
    "<html><head><title>Attention Required! | Cloudflare</title></head><body><p>Sorry, you have been blocked</p></body></html>",
    "<html><head><title>Tin tức</title></head><body><p>Access denied</p><p>Reference #18.2f</p></body></html>",
    "<html><head><title>Báo X</title></head><body><noscript>Please enable JavaScript to view the page.</noscript>"
    "<script src='/_guard/auto.js'></script></body></html>",
])
def test_anti_bot_shapes(html):
    assert is_anti_bot(html)


def test_an_article_that_mentions_captcha_is_not_a_challenge():
    html = page("soctrang_toa_dam.html").decode().replace(
        "<button type=\"submit\">", "<div class=\"g-recaptcha\">captcha</div><button type=\"submit\">")
    assert not is_anti_bot(html)
    assert verdict(extract_page(html, "https://example.vn/a.html", clean_body=None)) is None


@pytest.mark.parametrize("content", [page("portal_no_article.html"), b"", b"   \n ", b"<html><body></body></html>"])
def test_empty_pages(content):
    result = extract_page(content, "https://example.vn/a.html", clean_body=None)
    assert verdict(result) == "empty"


def test_english_page_is_not_vietnamese():
    result = extract("english_article.html")
    assert verdict(result) == "not_vietnamese" and result.title == "Viet Nam and Laos agree to boost border trade"


def test_one_sentence_notice_is_too_short():
    result = extract("short_notice.html")
    assert verdict(result) == "too_short" and result.title == "Thông báo lịch tiếp công dân tháng 3 năm 2024"


def test_title_hint_when_the_page_has_no_title():
    html = "<html><body><div class='content'>" + "".join(
        f"<p>{line}</p>" for line in seed_lines("003")[1:6]) + "</div></body></html>"
    art = extract_page(html, "https://baohatinh.vn/a.html", title_hint="Tiêu đề từ nguồn tin", clean_body=None)
    assert art.ok and art.title == "Tiêu đề từ nguồn tin"


def test_xhtml_with_an_xml_declaration_parses():
    html = '<?xml version="1.0" encoding="utf-8"?>\n' + page("vietnamplus_bo_ngoai_giao.html").decode()
    assert verdict(extract_page(html, "https://example.vn/a.html", clean_body=None)) is None


def test_decode_html():
    text = "<p>Hội nghị ngoại giao</p>"
    assert decode_html(b"\xef\xbb\xbf" + text.encode()) == text
    assert decode_html(text.encode("utf-16"), "utf-16") == text
    latin = '<meta charset="iso-8859-1"><p>Café</p>'.encode("iso-8859-1")
    assert "Café" in decode_html(latin)
    assert "Hội" in decode_html(text.encode() + b"\xff", None)  # broken byte: replaced, not fatal


def test_sapo_is_not_taken_from_related_news_boxes():
    tree = parse_html("""<html><body><div class="box-related"><p class="sapo">Tin khác: Bộ trưởng Ngoại giao tiếp
        Đại sứ Hàn Quốc chào từ biệt nhân dịp kết thúc nhiệm kỳ</p></div>
        <div class="detail"><p class="lead">Chiều 11/2, đoàn đại biểu tỉnh Quảng Ninh đã hội kiến lãnh đạo
        Khu tự trị dân tộc Choang Quảng Tây.</p></div></body></html>""")
    assert extract_sapo(tree).startswith("Chiều 11/2, đoàn đại biểu tỉnh Quảng Ninh")


def test_quality_problem_on_plain_bodies():
    assert quality_problem("") == "empty"
    assert quality_problem("Trang chủ\nTin tức - Sự kiện\nLiên hệ") == "empty"
    assert quality_problem("\n".join(seed_lines("002")[1:4])) is None


def test_fetched_page_end_to_end(local_site):
    url = local_site.add("/tin-tuc/a.html", page("soctrang_toa_dam.html"), "text/html; charset=utf-8")
    fetched = fetch(url, allow_private=True)
    art = extract_page(fetched.content, fetched.final_url, encoding=fetched.encoding, clean_body=None)
    assert art.ok and art.title == seed_lines("000")[0] and art.url == url

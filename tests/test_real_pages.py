"""Extraction proven on real pages (`../shared/data/real_pages/`, hand-read expectations), the page
shapes behind them as small synthetic pages (each with a case the rule must leave alone), and the
outlet every seed article shows, through `diplobot ingest` and `diplobot chat`."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from ingest.cleaning import clean_article
from ingest.page_checks import CHECKS, load_cases, names_outlet, score_page
from ingest.pages import PageArticle, extract_page, extract_sapo, page_site_name, page_title, parse_html
from tests.test_cli_operator import diplobot  # a subcommand as cron runs it: pipes, no TTY, default flags

ROOT = Path(__file__).resolve().parent.parent
REAL_PAGES = ROOT.parent / "shared" / "data" / "real_pages"
SEEDS = ROOT / "seeds"
CASES = load_cases(REAL_PAGES) if (REAL_PAGES / "manifest.jsonl").is_file() else []


@pytest.mark.skipif(not CASES, reason=f"no real pages: {REAL_PAGES}/manifest.jsonl is absent")
@pytest.mark.parametrize("case", CASES, ids=[c.file for c in CASES])
def test_real_page(case):
    score = score_page(case, (REAL_PAGES / case.file).read_bytes())
    wrong = {check: score.why[check] for check in CHECKS if not score.passed[check]}
    assert not wrong, f"{case.file}: {wrong}"


def test_outlet_names():
    assert names_outlet("TUOI TRE ONLINE", "tuoitre.vn")
    assert names_outlet("Báo điện tử Dân Trí", "dantri.com.vn")
    assert names_outlet("Báo Người Lao Động Online", "nld.com.vn")
    assert names_outlet("vnexpress.net", "vnexpress.net")
    assert not names_outlet("000_c3d951b46af5694b.txt", "soctrang.gov.vn")
    assert not names_outlet("VietNamNet News", "nld.com.vn")
    assert not names_outlet("", "nld.com.vn")


# --- the page shapes, synthetic -----------------------------------------------------------------

HEADLINE = "Việt Nam và Lào thúc đẩy hợp tác kinh tế, thương mại trong năm 2026"
LEAD = ("Chiều 11/2, tại Hà Nội, Bộ trưởng Bộ Ngoại giao đã hội đàm với Bộ trưởng Ngoại giao Lào về "
        "các biện pháp thúc đẩy hợp tác kinh tế, thương mại và đầu tư giữa hai nước.")
PARAGRAPHS = [
    "Hai bên nhất trí tăng cường trao đổi đoàn các cấp, nhất là đoàn cấp cao, và phối hợp chặt chẽ tại "
    "các diễn đàn đa phương trong khu vực và trên thế giới.",
    "Bộ trưởng đề nghị hai bên sớm hoàn tất các thủ tục để khởi công tuyến đường cao tốc nối hai nước, "
    "đồng thời tạo thuận lợi cho hàng hóa của doanh nghiệp hai bên qua các cửa khẩu biên giới.",
    "Phía Lào cảm ơn sự hỗ trợ quý báu của Việt Nam và khẳng định sẵn sàng phối hợp triển khai hiệu quả "
    "các thỏa thuận cấp cao, góp phần đưa quan hệ hai nước ngày càng đi vào chiều sâu.",
]
LAST = PARAGRAPHS[-1]
OTHER_LEAD = ("Thủ tướng tiếp Đại sứ Nhật Bản chào từ biệt nhân dịp kết thúc nhiệm kỳ công tác tại Việt Nam, "
              "đánh giá cao đóng góp của Đại sứ cho quan hệ hai nước.")
URL = "https://baomoi.example.vn/thoi-su/viet-nam-lao-hop-tac-123.html"


def article_html(lead_html: str = f'<p class="sapo">{LEAD}</p>', between: str = "", after: str = "",
                 title_tag: str = HEADLINE, h1: str = HEADLINE, head: str = "",
                 wrap: tuple[str, str] = ('<div class="main">', "</div>"), side: str = "") -> str:
    body = "".join(f"<p>{p}</p>" for p in PARAGRAPHS)
    return (f"<html><head><title>{title_tag}</title>{head}</head><body>"
            f'<nav><ul><li><a href="/">Trang chủ</a></li><li><a href="/the-gioi">Thế giới</a></li></ul></nav>'
            f"{wrap[0]}<h1>{h1}</h1>{lead_html}{between}"
            f'<div class="detail-content">{body}{after}</div>{wrap[1]}{side}'
            f"<footer><p>Cơ quan chủ quản: Báo Ví Dụ. Giấy phép số 123/GP-BTTTT.</p></footer></body></html>")


def extract(html: str, url: str = URL) -> PageArticle:
    page = extract_page(html, url)
    assert isinstance(page, PageArticle), page
    return page


def test_a_main_column_named_sidebar_keeps_its_lead():
    # vnexpress.net: the whole main column is a div.sidebar-1; a real sidebar-2 holds other news.
    side = ('<div class="sidebar-2"><article class="item-news"><h3 class="title-news"><a href="/thu-tuong-1.html">'
            f'Thủ tướng tiếp Đại sứ Nhật Bản</a></h3><p class="description"><a href="/thu-tuong-1.html">{OTHER_LEAD}'
            "</a></p></article></div>")
    page = extract(article_html(lead_html=f'<p class="description">{LEAD}</p>',
                                wrap=('<div class="sidebar-1">', "</div>"), side=side))
    assert page.sapo == LEAD
    assert page.body.splitlines()[0] == LEAD
    assert OTHER_LEAD not in page.body


def test_a_real_sidebar_is_still_outside_the_article():
    # The other news' lead comes first in the page, in a sidebar without the headline: not the sapo.
    tree = parse_html(f'<html><body><div class="sidebar"><p class="sapo">{OTHER_LEAD}</p></div>'
                      f'<div class="col-main"><h1>{HEADLINE}</h1><p class="sapo">{LEAD}</p></div></body></html>')
    assert extract_sapo(tree, HEADLINE) == LEAD
    # Without the headline, every sidebar is outside: the sidebar-named main column is too.
    tree = parse_html(f'<html><body><div class="sidebar-1"><h1>{HEADLINE}</h1><p class="sapo">{LEAD}</p></div>'
                      "</body></html>")
    assert extract_sapo(tree) == ""
    assert extract_sapo(tree, HEADLINE) == LEAD


def test_a_page_inside_an_aspnet_form_keeps_its_lead():
    page = extract(article_html(wrap=('<form method="post" action="./a.aspx" id="form1"><div class="main">',
                                      "</div></form>")))
    assert page.sapo == LEAD and page.body.splitlines()[0] == LEAD


def test_a_comment_form_is_still_outside_the_article():
    comment = f'<form class="binh-luan"><div class="summary">{OTHER_LEAD}</div><textarea></textarea></form>'
    tree = parse_html(f"<html><body>{comment}<div><h1>{HEADLINE}</h1><div class='sapo'>{LEAD}</div></div></body></html>")
    assert extract_sapo(tree, HEADLINE) == LEAD


def test_the_visible_h1_beats_a_reworded_title_tag():
    # nld.com.vn: <title> and og:title say "…quy định thuế mới", the page shows "…quy định mới về thuế".
    h1 = "Những sai sót hộ kinh doanh thường gặp khi thực hiện quy định mới về thuế"
    seo = "Những sai sót hộ kinh doanh thường gặp khi thực hiện quy định thuế mới"
    tree = parse_html(f'<html><head><title>{seo}</title><meta property="og:title" content="{seo}"></head>'
                      f"<body><h1> {h1}</h1></body></html>")
    assert page_title(tree) == h1


def test_an_h1_that_is_not_the_headline_loses_to_the_title_tag():
    for h1 in ("Báo Người Lao Động Online", "Giá vàng hôm nay tăng mạnh trên thị trường thế giới"):
        tree = parse_html(f"<html><head><title>{HEADLINE} | Báo Ví Dụ</title></head>"
                          f"<body><h1>{h1}</h1></body></html>")
        assert page_title(tree) == HEADLINE


RELATED = ["Thủ tướng tiếp Đại sứ Nhật Bản chào từ biệt", "Việt Nam - Campuchia ký kết ba văn bản hợp tác",
           "Bộ Ngoại giao họp báo thường kỳ tháng 2/2026"]


def test_a_related_links_list_between_lead_and_body_is_dropped():
    links = "".join(f'<li><a href="/tin/{n}.html">{t}</a></li>' for n, t in enumerate(RELATED))
    page = extract(article_html(between=f'<ul class="list-news">{links}</ul>'))
    assert page.body.splitlines()[:2] == [LEAD, PARAGRAPHS[0]]
    for title in RELATED:
        assert title not in page.body
    # The same as paragraphs "- headline" each carried by a link.
    paras = "".join(f'<p>- <a href="https://other.example.vn/{n}.html">{t}</a></p>' for n, t in enumerate(RELATED))
    page = extract(article_html(between=paras))
    assert page.body.splitlines()[:2] == [LEAD, PARAGRAPHS[0]]


def test_list_items_of_text_and_a_table_of_contents_stay():
    items = ["Người thuộc hộ nghèo theo quy định của pháp luật về chuẩn nghèo",
             "Đồng bào dân tộc thiểu số ở các xã đặc biệt khó khăn theo quy định của pháp luật"]
    text_list = "<ul>" + "".join(f"<li>{i}</li>" for i in items) + "</ul>"
    toc = f'<ul class="toc"><li><a href="{URL}#muc-1">Hai bên nhất trí tăng cường trao đổi đoàn</a></li></ul>'
    page = extract(article_html(after=text_list + toc))
    for item in items:
        assert item in page.body
    assert "Hai bên nhất trí tăng cường trao đổi đoàn" in page.body


def test_a_trailing_source_credit_is_dropped():
    for credit in ("Theo Forbes", "Theo Hồ Hương", "Theo Hồ Hương (Đại Đoàn kết)", "Nguồn: Reuters"):
        page = extract(article_html(after=f'<p style="text-align:right"><strong>{credit}</strong></p>'))
        assert page.body.splitlines()[-1] == LAST, credit
    page = extract(article_html(after="<p>(Theo Forbes)</p>"))
    assert page.body.splitlines()[-1] == LAST


def test_a_credit_in_brackets_after_the_last_sentence_is_cut():
    result = clean_article(HEADLINE, [LEAD, LAST + " (Theo Forbes)"])
    assert result.body.splitlines()[-1] == LAST


def test_a_last_sentence_that_opens_with_theo_stays():
    for last in ("Theo ông Minh đây là cơ hội lớn cho doanh nghiệp của cả hai nước.",
                 "Theo kế hoạch, đoàn sẽ thăm tỉnh Luang Prabang vào ngày 13/2.",
                 "Theo Bộ Công Thương, kim ngạch thương mại hai chiều đạt 2,1 tỷ USD."):
        result = clean_article(HEADLINE, [LEAD, PARAGRAPHS[0], last])
        assert result.body.splitlines()[-1] == last


def test_the_outlet_from_a_title_suffix_without_og_site_name():
    html = article_html(title_tag=f"{HEADLINE} | baotintuc.vn")
    page = extract(html, "https://baotintuc.vn/thoi-su/a-123.htm")
    assert page.site_name == "baotintuc.vn"
    assert page.title == HEADLINE
    # og:site_name, where there is one, is the outlet's own name.
    tree = parse_html(f'<html><head><title>{HEADLINE} | baotintuc.vn</title>'
                      '<meta property="og:site_name" content="Báo Tin tức"></head><body></body></html>')
    assert page_site_name(tree) == "Báo Tin tức"


def test_a_dash_inside_the_headline_is_no_outlet():
    tree = parse_html("<html><head><title>Việt Nam - Lào tăng cường hợp tác kinh tế</title></head><body></body></html>")
    assert page_site_name(tree) == ""
    assert page_title(tree) == "Việt Nam - Lào tăng cường hợp tác kinh tế"


def test_a_lead_with_doubled_hard_breaks_is_stored_once_on_one_line():
    broken = LEAD.replace(" tại Hà Nội,", "<br><br>\n tại Hà Nội,").replace(" về các", "<br>\n<br> về các")
    page = extract(article_html(lead_html=f'<h2 class="sapo">{broken}</h2>'))
    assert page.sapo == LEAD
    lines = page.body.splitlines()
    assert lines[0] == LEAD and lines[1] == PARAGRAPHS[0]
    assert page.body.count("Bộ trưởng Ngoại giao Lào") == 1


def test_a_lead_in_the_body_with_hard_breaks_is_joined_not_repeated():
    # Trafilatura keeps the lead as three lines (its <br>s); the sapo is those lines joined.
    broken = LEAD.replace(" tại Hà Nội,", "<br><br> tại Hà Nội,")
    page = extract(article_html(lead_html=f'<div class="sapo"><p>{broken}</p></div>'))
    assert page.body.count("Bộ trưởng Ngoại giao Lào") == 1
    assert LEAD in page.body.splitlines()


# --- seed outlets, through the command line -------------------------------------------------------

@pytest.mark.parametrize("tail, outlet", [
    ("Bản quyền thuộc về Báo Quảng Ninh. Ghi rõ nguồn khi phát hành lại.", "Báo Quảng Ninh"),
    ('@ Ghi rõ nguồn "Cổng thông tin điện tử tỉnh Sóc Trăng" khi phát hành lại thông tin.',
     "Cổng thông tin điện tử tỉnh Sóc Trăng"),
    ("LƯU Ý: BDO sẽ biên tập ý kiến của bạn đọc trước khi xuất bản.", "BDO"),
    ("LƯU Ý: Ban biên tập sẽ biên tập ý kiến của bạn đọc trước khi xuất bản.", ""),
    ("PV/baoquangninh.vn", "Báo Quảng Ninh"),  # a provincial paper's domain, the place as the text spells it
    ("PV/baolaocai.vn", "baolaocai.vn"),  # the text never names the place: the domain as written
])
def test_the_outlet_a_file_names(tail, outlet):
    lines = [f"Sáng 5/3, đoàn đại biểu tỉnh Quảng Ninh đã làm việc với Tổng lãnh sự quán Trung Quốc về {LAST}", tail]
    assert clean_article(HEADLINE, lines).source == outlet


def test_a_body_sentence_is_no_outlet_notice():
    lines = [LEAD, "Bộ Ngoại giao hoan nghênh ý kiến đóng góp của các doanh nghiệp về dự thảo nghị định mới."]
    assert clean_article(HEADLINE, lines).source == ""


def test_seed_cards_show_the_outlet_their_text_names(tmp_path):
    seeds = tmp_path / "seeds"
    shutil.copytree(SEEDS, seeds)
    # A file that names no outlet anywhere: its card shows none rather than the file name.
    (seeds / "005_0123456789abcdef.txt").write_text(
        f"{HEADLINE}\n\n{LEAD}\n\n" + "\n\n".join(PARAGRAPHS) + "\n", encoding="utf-8")
    db = tmp_path / "diplobot.db"
    assert diplobot("ingest", str(seeds), db=db).returncode == 0
    chat = diplobot("chat", db=db, stdin="/latest\n/more\n".encode())
    assert chat.returncode == 0, chat.err
    out = chat.out
    for outlet in ("Cổng thông tin điện tử tỉnh Sóc Trăng", "BDO", "TTXVN/Vietnam+", "Báo Hà Tĩnh", "Báo Lạng Sơn"):
        assert f"📰 {outlet} ·" in out, out
    assert ".txt" not in out, out
    card = out.split(HEADLINE, 1)[1].split("\n\n", 1)[0]
    assert "📰" not in card, card

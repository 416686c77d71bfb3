"""A listing page like a ministry's or a provincial portal's section, for the section-source tests.

Twenty article links in the main list, around it what every portal has: a top menu whose
links also look like headlines, a header, breadcrumbs, a "Đọc nhiều nhất" box and a "Tin
liên quan" box (both same-site articles, in a plain div, not an <aside>), pagination and a
footer full of links. Only the twenty belong to the section.
"""

from __future__ import annotations

from html import escape

PLACES = ["Lào", "Campuchia", "Nhật Bản", "Hàn Quốc", "Ấn Độ", "Australia", "Singapore", "Indonesia", "Thái Lan",
          "Malaysia", "Philippines", "Brunei", "New Zealand", "Canada", "Pháp", "Đức", "Italy", "Brazil", "Chile",
          "Nam Phi"]


def article_path(n: int) -> str:
    return f"/tin-tuc/bo-truong-hoi-dam-voi-doi-tac-{n:02d}-{1000 + n}.html"


def article_title(n: int) -> str:
    return f"Bộ trưởng Ngoại giao hội đàm với người đồng cấp {PLACES[n - 1]}"


ACTORS = ["Bộ trưởng", "Thứ trưởng", "Đại sứ", "Tổng lãnh sự", "Phó Thủ tướng", "Vụ trưởng", "Trợ lý Bộ trưởng"]
TOPICS = ["thương mại nông sản", "đầu tư hạ tầng", "giáo dục đại học", "du lịch biển", "năng lượng tái tạo",
          "chuyển đổi số", "y tế công cộng", "lao động có tay nghề", "văn hóa nghệ thuật", "khoa học công nghệ",
          "an ninh hàng hải", "nông nghiệp công nghệ cao", "logistics cảng biển", "tài chính xanh", "hàng không",
          "dệt may xuất khẩu", "thủy sản", "điện tử bán dẫn", "phim ảnh", "thể thao"]
CITIES = ["Hà Nội", "Huế", "Đà Nẵng", "Cần Thơ", "Hải Phòng", "Quy Nhơn", "Vinh", "Lạng Sơn", "Sóc Trăng", "Hà Tĩnh"]


def article_html(n: int) -> str:
    """An article page long enough for the quality gates, its wording its own (no near-duplicates)."""
    title = article_title(n)
    place = PLACES[n - 1]
    sentences = [
        f"Sáng {n}/3/2024 tại {CITIES[n % 10]}, {ACTORS[n % 7]} đã tiếp đoàn đại biểu {place} sang thăm làm việc.",
        f"Hai bên trao đổi về hợp tác {TOPICS[n - 1]} và thống nhất lập nhóm công tác chung trước tháng {n % 12 + 1}.",
        f"Phía {place} đề nghị mở thêm đường bay thẳng, hỗ trợ doanh nghiệp ngành {TOPICS[(n + 7) % 20]}.",
        f"{ACTORS[(n + 3) % 7]} nhấn mạnh dư địa về {TOPICS[(n + 13) % 20]} còn lớn, cần cơ chế thúc đẩy cụ thể.",
        f"Kim ngạch song phương năm trước đạt {n * 37 % 90 + 10} tỷ USD, tăng {n * 3 % 17 + 2}% so với năm {2000 + n}.",
        f"Dịp này, hai bên ký {n % 5 + 2} văn kiện hợp tác và hẹn gặp lại tại {CITIES[(n + 5) % 10]} năm sau.",
    ]
    body = "".join(f"<p>{s}</p>" for s in sentences)
    return (f'<html lang="vi"><head><meta charset="utf-8"><title>{escape(title)}</title>'
            f'<meta property="og:site_name" content="Bộ Ngoại giao"></head><body>'
            f'<article><h1>{escape(title)}</h1><div class="article-content">{body}</div></article></body></html>')


def _card(n: int, date: bool) -> str:
    when = f'<div class="news-time">{10 + n % 10}:{n:02d} | {21 - n:02d}/03/2024</div>' if date else ""
    return (f'<div class="block-category-container"><a href="{article_path(n)}"><img src="/img/{n}.jpg" alt=""></a>'
            f'<h3 class="news-title"><a href="{article_path(n)}">{escape(article_title(n))}</a></h3>{when}'
            f'<p class="sapo">Tóm tắt tin số {n}.</p></div>')


def section_html(count: int = 20, dates: bool = True) -> str:
    menu = "".join(f'<li><a href="/{slug}">{name}</a></li>' for slug, name in [
        ("", "Trang chủ"), ("tin-tuc", "Tin tức"), ("hoat-dong-lanh-dao-bo", "Hoạt động lãnh đạo Bộ"),
        ("chinh-sach-doi-ngoai-cua-viet-nam-trong-thoi-ky-moi", "Chính sách đối ngoại của Việt Nam trong thời kỳ mới")])
    side = "".join(f'<li><a href="/tin-tuc/tin-doc-nhieu-so-{k}-ve-cong-tac-ngoai-giao.html">'
                   f"Tin đọc nhiều số {k} về công tác ngoại giao</a></li>" for k in range(1, 11))
    related = "".join(f'<li><a href="/tin-tuc/bai-lien-quan-so-{k}-ve-hop-tac-quoc-te.html">'
                      f"Bài liên quan số {k} về hợp tác quốc tế</a></li>" for k in range(1, 4))
    footer = "".join(f'<a href="/gioi-thieu/thong-tin-co-quan-chu-quan-so-{k}">Thông tin cơ quan chủ quản số {k}</a>'
                     for k in range(1, 6))
    cards = "".join(_card(n, dates) for n in range(1, count + 1))
    return (
        '<html lang="vi"><head><meta charset="utf-8"><title>Hoạt động lãnh đạo Bộ - Bộ Ngoại giao</title></head><body>'
        f'<header class="site-header"><a href="/"><img src="/logo.png" alt="Bộ Ngoại giao Việt Nam"></a></header>'
        f'<div class="top-menu"><ul class="menu">{menu}</ul></div>'
        '<div class="breadcrumb"><a href="/">Trang chủ</a> › <a href="/hoat-dong-lanh-dao-bo">Hoạt động lãnh đạo Bộ</a></div>'
        '<div class="container"><div class="sidebar-1 col-main">'
        f'<h1 class="category-name">Hoạt động lãnh đạo Bộ</h1><div class="list-news">{cards}</div>'
        '<div class="paging"><a href="/hoat-dong-lanh-dao-bo/trang-2">2</a> <a href="/hoat-dong-lanh-dao-bo/trang-3">3</a></div>'
        f'<div class="box"><h3>Tin liên quan</h3><ul>{related}</ul></div>'
        '</div>'
        f'<div class="col-right"><div class="box-2"><div class="box-title"><span>Đọc nhiều nhất</span></div><ul>{side}</ul></div></div>'
        f'</div><footer>{footer}<a href="https://facebook.com/mofa">Facebook của Bộ Ngoại giao Việt Nam</a></footer>'
        '</body></html>')


def add_section_site(site, count: int = 20, dates: bool = True) -> str:
    """Serve the section at /hoat-dong-lanh-dao-bo and its articles; returns the section URL."""
    for n in range(1, count + 1):
        site.add(article_path(n), article_html(n))
    return site.add("/hoat-dong-lanh-dao-bo", section_html(count, dates))

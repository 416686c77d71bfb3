"""A small Vietnamese news site for the live-source tests, served by `LocalSite`.

Two "outlets" on one server: the main one has a feed (`/rss.xml`) whose items lead to
real portal pages (tests/site), a tracking-link copy of one item, an English page, an
anti-bot page whose feed teaser is good enough to keep, and a dead link; `/lang-son/rss.xml`
is a provincial paper that reposts one of the main outlet's stories. `/broken.xml` answers
500 and `/garbage.xml` is no feed at all.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from tests.local_site import SITE_DIR, LocalSite

SEEDS = Path(__file__).resolve().parent.parent / "seeds"

TEASER = ("Chiều 11/2, đoàn đại biểu tỉnh Quảng Ninh do Bí thư Tỉnh ủy dẫn đầu đã hội kiến lãnh đạo Khu tự trị "
          "dân tộc Choang Quảng Tây, Trung Quốc. Hai bên nhất trí tăng cường hợp tác kinh tế, thương mại và "
          "giao lưu nhân dân giữa các địa phương giáp biên.")
# What a portal puts around an article and must never reach a stored body.
BOILERPLATE = ("Trang chủ", "Ảnh:", "Chia sẻ", "Cơ quan chủ quản", "Lượt xem", "Đang truy cập", "Tin cùng chuyên mục",
               "Giấy phép", "Tổng biên tập", "Các tin khác", "Gửi bình luận", "Từ khóa", "Liên hệ")


def seed_lines(prefix: str) -> list[str]:
    path = next(SEEDS.glob(prefix + "_*.txt"))
    return [" ".join(line.split()) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def item(title: str, link: str | None, date: str = "", description: str = "") -> str:
    parts = [f"<title>{title}</title>"]
    if link:
        parts.append(f"<link>{link.replace('&', '&amp;')}</link>")
    if description:
        parts.append(f"<description><![CDATA[{description}]]></description>")
    if date:
        parts.append(f"<pubDate>{date}</pubDate>")
    return "<item>" + "".join(parts) + "</item>"


def rss(title: str, items: list[str]) -> str:
    return ('<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel>'
            f"<title>{title}</title><link>/</link>{''.join(items)}</channel></rss>")


@dataclass
class NewsSite:
    site: LocalSite

    @property
    def feed(self) -> str:
        return self.site.url("/rss.xml")

    @property
    def repost_feed(self) -> str:
        return self.site.url("/lang-son/rss.xml")

    @property
    def broken_feed(self) -> str:
        return self.site.url("/broken.xml")

    @property
    def garbage_feed(self) -> str:
        return self.site.url("/garbage.xml")


def add_news_site(site: LocalSite) -> NewsSite:
    """Add the routes described in the module docstring; returns URL helpers."""
    base = site.base_url
    site.add_file("/tin-tuc/toa-dam-dai-su.html", "soctrang_toa_dam.html")
    site.add_file("/chinhtri/bo-ngoai-giao-tro-giup.vnp", "vietnamplus_bo_ngoai_giao.html")
    site.add_file("/kinh-te/hoi-nghi-ngoai-giao-kinh-te.html", "baolangson_ngoai_giao_kinh_te.html")
    site.add_file("/en/foreign-ministers.html", "english_article.html")
    site.add("/quang-ninh-quang-tay.html", (SITE_DIR / "cloudflare_challenge.html").read_bytes(), status=403)
    site.add_file("/lang-son/bo-ngoai-giao-ho-tro-dia-phuong.html", "baolangson_repost.html")
    site.add("/rss.xml", rss("Đối ngoại - Tin tức", [
        item("Tọa đàm trực tuyến đoàn các Đại sứ", f"{base}/tin-tuc/toa-dam-dai-su.html?utm_source=rss&utm_medium=feed",
             "Wed, 18 Oct 2023 16:30:00 +0700", "Chiều ngày 18/10, đoàn các Đại sứ tổ chức tọa đàm."),
        item("Bộ Ngoại giao trợ giúp các địa phương", "/chinhtri/bo-ngoai-giao-tro-giup.vnp", "2019-08-13 15:20:00"),
        item("Hội nghị ngoại giao kinh tế 2022", f"{base}/kinh-te/hoi-nghi-ngoai-giao-kinh-te.html"),
        item("Tọa đàm (chia sẻ)", f"{base}/tin-tuc/toa-dam-dai-su.html?fbclid=abc#binh-luan"),
        item("Foreign ministers meet", f"{base}/en/foreign-ministers.html", description="Ministers met in Geneva."),
        item("Đoàn đại biểu tỉnh Quảng Ninh thăm Quảng Tây", f"{base}/quang-ninh-quang-tay.html",
             "Sun, 11 Feb 2024 17:30:00 +0700", f"<p>{TEASER}</p>"),
        item("Bài đã gỡ", f"{base}/da-go.html", description="Bài viết đã được gỡ."),
    ]), "application/rss+xml")
    site.add("/lang-son/rss.xml", rss("Báo Lạng Sơn - Đối ngoại", [
        item("Bộ Ngoại giao hỗ trợ địa phương quảng bá hình ảnh, thu hút đầu tư",
             f"{base}/lang-son/bo-ngoai-giao-ho-tro-dia-phuong.html", "Tue, 13 Aug 2019 17:05:00 +0700"),
    ]), "application/rss+xml")
    site.add("/broken.xml", "<h1>500 Internal Server Error</h1>", status=500)
    site.add("/garbage.xml", b"\xef\xbb\xbf<<< this is not a feed >>>", "application/rss+xml")
    return NewsSite(site)

"""Section pages: a listing page of a site without RSS (mofa.gov.vn, provincial portals) read as a feed.

A `section` source is an HTML page whose main list links to the site's articles. What
`parse_section` keeps are the same-site article links of that list, newest first:

1. Page furniture goes first: `nav`, `header`, `footer`, `aside`, `menu` and elements
   whose role or whole class/id name says navigation, banner, footer, pagination; then
   every box whose heading names it a side list ("Xem nhiều", "Đọc nhiều", "Tin liên quan",
   "Có thể bạn quan tâm", "Most read"…), by the heading's words, not by the site.
   (Not a class that merely *contains* `sidebar`: some sites keep their main column in one.)
2. A link is an article candidate when it stays on the site (the host, `www.` aside, or a
   subdomain of it), is not the section itself, a parent section, a tag, search or
   pagination page or a file, and reads like a headline (four words or more in its text,
   title or image alt, or in its URL slug).
3. Each candidate's *item* is the largest element around it that holds no other article;
   items that share a parent form a list. The main list is the one with the most articles
   (lists with the same tag and class elsewhere on the page, split by an advert, join it).
   Fewer than 3 articles: `no_article_list`.
4. Items keep page order, which is newest first on a listing; when every item shows a date
   (`12:47 | 07/07/2025`, `07/07/2025`), they are sorted by it, newest first.

The items then go through the same page pipeline, limits and dedupe as feed items
(`read_section`, through `ingest.live.Batch.read_items`).
"""

from __future__ import annotations

import hashlib
import re
from collections import OrderedDict
from dataclasses import dataclass, field
from datetime import datetime
from typing import Union
from urllib.parse import urldefrag, urljoin, urlsplit
from zoneinfo import ZoneInfo

import lxml.etree

from diplobot.text import fold, normalize
from ingest.feeds import VN_TZ, FeedItem, parse_timestamp
from ingest.live import Batch
from ingest.models import Source
from ingest.pages import decode_html, parse_html
from ingest.pipeline import RunReport
from storage import sources as source_rows

MIN_ARTICLES = 3
_DROP_TAGS = ("nav", "header", "footer", "aside", "menu", "script", "style", "noscript", "template", "iframe",
              "select", "svg")
_DROP_ROLES = {"navigation", "banner", "contentinfo", "complementary", "menu", "menubar", "search"}
# Whole class or id names of page furniture (a card's `item-header` is not `header`).
_DROP_NAMES = {"menu", "main-menu", "mainmenu", "nav", "navbar", "navigation", "breadcrumb", "breadcrumbs",
               "header", "site-header", "footer", "site-footer", "topbar", "top-bar", "pagination", "pager",
               "paging", "social", "share", "tags", "tag-list"}
# Class or id words of side lists, wherever they appear in the name (folded, no diacritics).
_SIDE_LIST_RE = re.compile(r"most-?(read|view|viewed|popular)|xem-?nhieu|doc-?nhieu|lien-?quan|related|trending")
# Headings that name a side list (folded).
_SIDE_HEADING_RE = re.compile(
    r"^(tin |bai |bai viet |cac tin |tin tuc )?(xem nhieu|doc nhieu|duoc xem nhieu|duoc doc nhieu|lien quan"
    r"|tin lien quan|bai lien quan|co the ban quan tam|ban co the quan tam|quan tam nhieu|most read|most viewed"
    r"|most popular|popular|trending|tin cung chuyen muc|doc them)\b")
_HEADING_TAGS = {"h1", "h2", "h3", "h4", "h5", "h6"}
_SKIP_PATH_RE = re.compile(r"/(tag|tags|tim-kiem|search|tac-gia|author|login|dang-nhap|rss|video|multimedia)(/|$)"
                           r"|/(page|trang)[-/]?\d+/?$", re.IGNORECASE)
_FILE_RE = re.compile(r"\.(jpe?g|png|gif|webp|svg|pdf|docx?|xlsx?|zip|rar|mp3|mp4|xml|rss)$", re.IGNORECASE)


@dataclass(frozen=True)
class SectionLink:
    url: str  # absolute, fragment dropped
    title: str
    published_at: datetime | None = None  # a date shown beside the link, in `tz`


@dataclass(frozen=True)
class Section:
    title: str
    links: list[SectionLink] = field(default_factory=list)

    ok = True


@dataclass(frozen=True)
class SectionError:
    reason: str  # no_article_list, not_html
    detail: str = ""

    ok = False


SectionOutcome = Union[Section, SectionError]


def _site(host: str) -> str:
    host = host.lower().rstrip(".")
    return host[4:] if host.startswith("www.") else host


def _names(el) -> list[str]:
    return [n.lower() for n in (el.get("class") or "").split() + (el.get("id") or "").split()]


def _text(el) -> str:
    return normalize(el.text_content() or "").strip()


def _drop(el) -> None:
    parent = el.getparent()
    if parent is not None:
        el.drop_tree()


def _strip_furniture(root) -> None:
    for el in list(root.iter(*_DROP_TAGS)):
        # A card's own <header>/<footer> (HTML5 `<article><header><h3><a>`) is part of the card.
        if el.tag in ("header", "footer") and any(p.tag in ("article", "li") for p in el.iterancestors()):
            continue
        _drop(el)
    for el in list(root.iter(lxml.etree.Element)):
        if el.getparent() is None or el.tag in ("html", "body"):
            continue
        names = _names(el)
        if (el.get("role") or "").lower() in _DROP_ROLES or any(n in _DROP_NAMES for n in names) \
                or any(_SIDE_LIST_RE.search(fold(n).replace("_", "-")) for n in names):
            _drop(el)


def _is_heading(el) -> bool:
    if el.tag in _HEADING_TAGS:
        return True
    names = " ".join(_names(el))
    return ("title" in names or "heading" in names or "header" in names) and len(_text(el)) <= 40


def _strip_side_lists(root, candidates) -> None:
    """Drop each box whose heading names a side list: the heading's nearest ancestor that holds links."""
    total = len(candidates(root))
    for el in list(root.iter(lxml.etree.Element)):
        if el.getparent() is None or not _is_heading(el):
            continue
        if not _SIDE_HEADING_RE.match(fold(_text(el))):
            continue
        box = el.getparent()
        while box is not None and box.tag not in ("body", "html") and not candidates(box):
            box = box.getparent()
        if box is None or box.tag in ("body", "html"):
            continue
        if 2 * len(candidates(box)) < max(total, 1):  # never the page's main part
            _drop(box)


class _Links:
    """Which anchors of a page are article candidates (rule 2), by their absolute URL."""

    def __init__(self, page_url: str) -> None:
        parts = urlsplit(page_url)
        self.base = page_url
        self.page = urldefrag(page_url)[0].rstrip("/")
        self.site = _site(parts.hostname or "")
        self.section_path = parts.path.rstrip("/")

    def url(self, a) -> str | None:
        href = (a.get("href") or "").strip()
        if not href or href.startswith(("#", "javascript:", "mailto:", "tel:")):
            return None
        try:
            url = urldefrag(urljoin(self.base, href))[0]
            parts = urlsplit(url)
        except ValueError:
            return None
        if parts.scheme not in ("http", "https") or not parts.hostname:
            return None
        host = _site(parts.hostname)
        if host != self.site and not host.endswith("." + self.site):
            return None
        path = parts.path.rstrip("/")
        if not path or url.rstrip("/") == self.page or (self.section_path.startswith(path) and host == self.site):
            return None
        if _SKIP_PATH_RE.search(parts.path) or _FILE_RE.search(path):
            return None
        return url

    @staticmethod
    def title(a) -> str:
        text = _text(a)
        if not text:
            text = normalize(a.get("title") or "").strip()
        if not text:
            img = next(iter(a.iter("img")), None)
            text = normalize(img.get("alt") or "").strip() if img is not None else ""
        return text

    def headline_like(self, a, url: str) -> bool:
        if len(self.title(a).split()) >= 4:
            return True
        slug = urlsplit(url).path.rstrip("/").rsplit("/", 1)[-1]
        slug = re.sub(r"\.\w{2,5}$", "", slug)
        return len([w for w in re.split(r"[-_]+", slug) if w and not w.isdigit()]) >= 4


def _candidates(links: _Links):
    def find(root) -> list[tuple[object, str]]:
        out = []
        for a in root.iter("a"):
            url = links.url(a)
            if url and links.headline_like(a, url):
                out.append((a, url))
        return out
    return find


def _item_of(a, url: str, urls_under) -> object:
    """The largest ancestor of `a` that holds no article but `url` (rule 3)."""
    item = a
    parent = item.getparent()
    while parent is not None and parent.tag not in ("body", "html") and urls_under(parent) == {url}:
        item = parent
        parent = item.getparent()
    return item


def _date_in(text: str, tz: ZoneInfo) -> datetime | None:
    """The date shown beside a link (ingest.dates reads dates in running text)."""
    return parse_timestamp(text, tz)


def parse_section(content: bytes | str, url: str, *, encoding: str | None = None, limit: int = 50,
                  tz: ZoneInfo = VN_TZ) -> SectionOutcome:
    """The newest `limit` article links of a listing page, or why none were found."""
    root = parse_html(decode_html(content, encoding) if isinstance(content, bytes) else content)
    if root is None:
        return SectionError("not_html", "empty or unparseable page")
    page_title = normalize(root.findtext(".//title") or "").strip()
    links = _Links(url)
    candidates = _candidates(links)
    _strip_furniture(root)
    _strip_side_lists(root, candidates)

    found = candidates(root)
    under: dict[object, set[str]] = {}  # keyed by the element itself: it keeps lxml's proxy alive

    def urls_under(el) -> set[str]:
        if el not in under:
            under[el] = {u for _, u in candidates(el)}
        return under[el]

    # Lists: parent element -> its items, in page order, one per article URL.
    lists: "OrderedDict[object, OrderedDict[str, tuple[object, object]]]" = OrderedDict()
    for a, link in found:
        item = _item_of(a, link, urls_under)
        parent = item.getparent()
        if parent is None:
            continue
        lists.setdefault(parent, OrderedDict()).setdefault(link, (item, a))
    if not lists:
        return SectionError("no_article_list", "no same-site article links outside menus and side boxes")
    main = max(lists, key=lambda p: len(lists[p]))
    if len(lists[main]) < MIN_ARTICLES:
        return SectionError("no_article_list", f"the largest list has {len(lists[main])} article links")
    signature = (main.tag, main.get("class"))
    chosen: OrderedDict[str, tuple[object, object]] = OrderedDict()
    for parent, items in lists.items():
        if parent is main or ((parent.tag, parent.get("class")) == signature and len(items) >= 2):
            for link, pair in items.items():
                chosen.setdefault(link, pair)

    out = []
    for link, (item, a) in chosen.items():
        title = max((links.title(x) for x in item.iter("a") if links.url(x) == link), key=len, default="")
        out.append(SectionLink(url=link, title=title or links.title(a), published_at=_date_in(_text(item), tz)))
    if all(s.published_at for s in out):
        out.sort(key=lambda s: s.published_at, reverse=True)  # stable: page order among equals
    return Section(title=page_title, links=out[:limit])


def section_items(section: Section) -> list[FeedItem]:
    """The section's links as feed items (no description: the page is the article)."""
    return [FeedItem(url=s.url, title=s.title, summary_text="", published_at=s.published_at, guid=s.url,
                     entry_hash=hashlib.sha1(f"{s.title}\x1f{s.published_at}".encode()).hexdigest())
            for s in section.links]


def read_section(batch: Batch, source: Source, report: RunReport) -> bool:
    """The `section` reader (ingest.run.READERS): fetch the listing, then its articles as feed items.

    Same fetch (validators, limits, backoff) and same item path (dedupe, item memory, page
    extraction, DIPLOBOT_FEED_MAX_ITEMS) as a feed; a page with no list found is a failed
    source with reason `no_article_list`.
    """
    url = source.location
    if source.polled:
        source_rows.set_kind(batch.db, url, "section", now=batch.now)
    fetched = batch.fetch_source(source, report)
    if not fetched.ok or fetched.not_modified:
        return fetched.ok
    section = parse_section(fetched.content, fetched.final_url, encoding=fetched.encoding,
                            limit=batch.options.max_items, tz=batch.options.tz)
    if not section.ok:
        report.reject(url, section.reason, section.detail)
        batch.source_failed(url, section.reason, section.detail)
        return False
    return batch.read_items(url, section_items(section), report, title=section.title, fetched=fetched)

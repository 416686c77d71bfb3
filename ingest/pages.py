"""One article page (HTML we fetched) in, `PageArticle` out, or `Rejected` with a reason.

trafilatura finds the article body (default mode: `favor_precision` dropped the lead and a
paragraph on a `<br>` page), but Vietnamese portals need a few things around it:
- the sapo (lead paragraph) sits in `<div class="sapo">`, `<h2 class="…sapo">` or a
  `*summary*`/`*lead*` element that trafilatura drops: we read it with lxml and put it
  back on top when the body lacks it;
- photo captions live in `<figcaption>` and in one-cell layout tables next to an `<img>`:
  removed before extraction, so that data tables can still be kept;
- the date is in page metadata (`article:published_time`, `itemprop=datePublished`,
  JSON-LD) or only in a visible stamp (`Thứ 7, 22.01.2022 | 08:58:32`), in Vietnam time;
- a portal may answer with an anti-bot challenge instead of the article (`is_anti_bot`).
The text then goes through the same boilerplate rules as files (`ingest.cleaning`). Whether
the body makes an article (the quality gate) is judged once, by the pipeline (`Pipeline.add`).
"""

from __future__ import annotations

import copy
import json
import re
from collections.abc import Callable, Collection
from dataclasses import dataclass
from datetime import datetime
from typing import Union
from zoneinfo import ZoneInfo

import lxml.etree
import lxml.html

from diplobot.text import fold, normalize
from ingest.cleaning import clean_article
from ingest.dates import VN_TZ, parse_timestamp
from ingest.fetch import is_anti_bot
from ingest.models import Rejected
from ingest.urls import pick_canonical

Cleaner = Callable[[str, str], str]  # (title, raw text) -> clean body


@dataclass(frozen=True)
class PageArticle:
    title: str
    body: str  # clean text, one paragraph a line, sapo first
    published_at: datetime | None  # aware, Asia/Ho_Chi_Minh; None when the page shows no date
    url: str  # the address fetched (final URL after redirects)
    canonical_url: str  # dedupe key: the page's rel=canonical/og:url claim, else url (ingest.urls)
    sapo: str = ""
    site_name: str = ""  # the outlet as the page names itself: "Vietnam+ (VietnamPlus)", "Báo Lạng Sơn"

    ok = True


PageOutcome = Union[PageArticle, Rejected]  # rejected: empty (no document), anti_bot


def default_cleaner(title: str, text: str) -> str:
    """The boilerplate rules files go through too (`ingest.cleaning`)."""
    return clean_article(title, text.splitlines()).body


def extract_page(html: bytes | str, url: str, *, title_hint: str = "", encoding: str | None = None,
                 clean_body: Cleaner | None = default_cleaner, tz: ZoneInfo = VN_TZ) -> PageOutcome:
    """Title, clean body, date, canonical URL and sapo of an article page.

    `title_hint` (the feed item's title) is used when the page has none; `encoding` is
    the charset from the HTTP header; `clean_body=None` skips boilerplate cleaning.
    """
    text = decode_html(html, encoding) if isinstance(html, bytes) else html
    tree = parse_html(text)
    if tree is None:
        return Rejected("empty", "no HTML document")
    visible = visible_text(tree)
    if is_anti_bot(text, visible):
        return Rejected("anti_bot", _title_tag(tree)[:100])
    title = page_title(tree) or title_hint
    sapo = extract_sapo(tree, title)
    date = page_date(tree, tz)
    canonical = pick_canonical(url, _attr(tree, "//link[@rel='canonical']/@href"),
                               _attr(tree, "//meta[@property='og:url']/@content"))
    _drop_captions(tree)
    _drop_link_lists(tree, url, canonical)
    import trafilatura  # here, not at the top: 0.2-0.3 s to import, and only page reads need it

    doc = trafilatura.bare_extraction(tree, url=url, include_comments=False, include_tables=True,
                                      with_metadata=True)
    headlines = [title] + [h.text_content() for h in tree.iter("h1")]
    body = _body_lines(doc.text if doc is not None and doc.text else "", headlines)
    if not title and doc is not None and doc.title:
        title = normalize(doc.title).strip()
    if date is None and doc is not None and doc.date:
        date = parse_timestamp(doc.date, tz)  # trafilatura/htmldate: a day, no time
    if sapo:
        body = _with_sapo(body, sapo)
    if clean_body is not None and body:
        body = clean_body(title, body)
    return PageArticle(title=title, body=body, published_at=date, url=url, canonical_url=canonical, sapo=sapo,
                       site_name=page_site_name(tree))


# --- decoding and parsing --------------------------------------------------------------

_META_CHARSET_RE = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([\w.:-]+)""", re.IGNORECASE)
_XML_DECL_RE = re.compile(r"^\s*<\?xml[^>]*\?>", re.IGNORECASE)


def decode_html(content: bytes, encoding: str | None = None) -> str:
    """Bytes to text: BOM, then the HTTP charset, then `<meta charset>`, then UTF-8 (bad bytes replaced)."""
    if content.startswith(b"\xef\xbb\xbf"):
        return content[3:].decode("utf-8", errors="replace")
    meta = _META_CHARSET_RE.search(content[:4096])
    for enc in (encoding, meta.group(1).decode("ascii", "ignore") if meta else None, "utf-8"):
        if not enc:
            continue
        try:
            return content.decode(enc)
        except (LookupError, UnicodeDecodeError):
            continue
    return content.decode("utf-8", errors="replace")


def parse_html(text: str) -> lxml.html.HtmlElement | None:
    """An lxml document, or None for an empty or unparseable page."""
    text = _XML_DECL_RE.sub("", text, count=1)  # lxml refuses str input with an encoding declaration
    if not text.strip():
        return None
    try:
        return lxml.html.document_fromstring(text)
    except (lxml.etree.ParserError, ValueError):
        return None


def visible_text(tree: lxml.html.HtmlElement) -> str:
    """What a reader would see in <body>: scripts and styles left out."""
    body = tree.find("body")
    if body is None:
        return ""
    parts = [t for t in body.xpath(".//text()[not(ancestor::script) and not(ancestor::style)]")]
    return normalize(" ".join(parts)).strip()


def _attr(tree: lxml.html.HtmlElement, xpath: str) -> str | None:
    values = tree.xpath(xpath)
    return str(values[0]).strip() if values else None


def _title_tag(tree: lxml.html.HtmlElement) -> str:
    return normalize(tree.findtext(".//title") or "").strip()


# --- title, date, sapo -------------------------------------------------------------------

_SEPARATORS = (" | ", " - ", " – ", " — ", " :: ")


def page_title(tree: lxml.html.HtmlElement) -> str:
    """The headline: an <h1> the page's title tags agree with, else og:title, else an <h1>."""
    site = normalize(_attr(tree, "//meta[@property='og:site_name']/@content") or "").strip()
    claimed = [_strip_site(t, site) for t in (_attr(tree, "//meta[@property='og:title']/@content"),
                                              _title_tag(tree)) if t]
    h1s = [normalize(h.text_content()).strip() for h in tree.iter("h1")]
    h1s = [h for h in h1s if len(h.split()) >= 3 and not h.startswith(("http", "www."))]
    for h1 in h1s:
        if any(fold(c).startswith(fold(h1)) or fold(h1).startswith(fold(c)) for c in claimed):
            return h1
    for h1 in h1s:  # the title tags reword the visible headline (SEO): same words, another order
        if any(_same_words(h1, c) for c in claimed):
            return h1
    if claimed and len(claimed[0].split()) >= 3:
        return claimed[0]
    return h1s[0] if h1s else (claimed[0] if claimed else "")


def _same_words(a: str, b: str, share: float = 0.7) -> bool:
    """Whether two headlines use mostly the same words (Jaccard over folded words)."""
    wa, wb = set(re.findall(r"\w+", fold(a))), set(re.findall(r"\w+", fold(b)))
    return bool(wa and wb) and len(wa & wb) / len(wa | wb) >= share


def page_site_name(tree: lxml.html.HtmlElement) -> str:
    """The outlet's name: og:site_name, else the site name a `Headline - Báo X` title ends with."""
    site = normalize(_attr(tree, "//meta[@property='og:site_name']/@content") or "").strip()
    if site:
        return site
    title = _title_tag(tree)
    head = _strip_site(title, "")
    if head != title:
        return title[len(head):].strip(" |-–—:")
    return ""


def _strip_site(title: str, site: str) -> str:
    title = normalize(title).strip()
    for sep in _SEPARATORS:
        if site and title.endswith(sep + site):
            return title[: -len(sep + site)].strip()
    for sep in _SEPARATORS:  # "Headline | Báo X": drop a short trailing site name
        head, found, tail = title.rpartition(sep)
        if found and len(tail) < len(head) / 2 and re.search(r"\.(?:vn|com|net|org)\b|^(?:báo|cổng|tạp chí|trang|vietnam)",
                                                              tail, re.IGNORECASE):
            return head.strip()
    return title


_DATE_META = ("article:published_time", "og:published_time", "datepublished", "pubdate", "publishdate",
              "publish-date", "dc.date.issued", "dc.date", "dcterms.created", "date", "parsely-pub-date",
              "sailthru.date")
_DATE_CLASS_RE = re.compile(r"date|time|publish|ngay|thoi-?gian", re.IGNORECASE)


def page_date(tree: lxml.html.HtmlElement, tz: ZoneInfo = VN_TZ) -> datetime | None:
    """Publication time from metadata, JSON-LD, <time> or a visible date stamp, in `tz`."""
    for raw in _date_candidates(tree):
        value = parse_timestamp(raw, tz)
        if value is not None:
            return value
    return None


def _date_candidates(tree: lxml.html.HtmlElement):
    metas = {}
    for meta in tree.iter("meta"):
        key = (meta.get("property") or meta.get("name") or meta.get("itemprop") or "").strip().lower()
        if key and meta.get("content") and key not in metas:
            metas[key] = meta.get("content")
    for key in _DATE_META:
        if key in metas:
            yield metas[key]
    for el in tree.xpath("//*[@itemprop='datePublished'][not(self::meta)]"):
        yield el.get("datetime") or el.get("content") or el.text_content()
    yield from _json_ld_dates(tree)
    for el in tree.xpath("//time[@datetime]"):
        yield el.get("datetime")
    for el in tree.xpath("//body//*[@class or @id]"):
        if el.tag in ("script", "style") or not _DATE_CLASS_RE.search(f"{el.get('class', '')} {el.get('id', '')}"):
            continue
        stamp = normalize(el.text_content()).strip()
        if 6 <= len(stamp) <= 80 and re.search(r"\d{1,2}\s*[./-]\s*\d{1,2}\s*[./-]\s*\d{4}", stamp):
            yield stamp


def _json_ld_dates(tree: lxml.html.HtmlElement):
    for script in tree.xpath("//script[@type='application/ld+json']"):
        try:
            data = json.loads(script.text or "")
        except ValueError:
            continue
        stack = [data]
        while stack:
            item = stack.pop(0)
            if isinstance(item, list):
                stack.extend(item)
            elif isinstance(item, dict):
                if isinstance(item.get("datePublished"), str):
                    yield item["datePublished"]
                stack.extend(v for k, v in item.items() if k == "@graph" or isinstance(v, (dict, list)))


_SAPO_TOKEN_RE = re.compile(r"sapo|chapeau|tomtat|tom-tat|(?:^|[-_])(?:lead|summary|description|excerpt|teaser|intro)(?:$|[-_])",
                            re.IGNORECASE)
_NOT_CONTENT_RE = re.compile(r"related|relate|sidebar|menu|footer|comment|box-news|list|other|tin-khac|lien-quan",
                             re.IGNORECASE)


def extract_sapo(tree: lxml.html.HtmlElement, headline: str = "") -> str:
    """The lead paragraph a portal marks with a sapo/lead/summary class, or '' when there is none.

    `headline` (the page's title) locates the article column: a container that holds the
    headline holds the article, whatever its class says (see `_outside_article`).
    """
    anchor = _headline_element(tree, headline)
    column = set(anchor.iterancestors()) | {anchor} if anchor is not None else set()
    for el in tree.xpath("//body//*[self::div or self::p or self::h2 or self::h3 or self::h4 or self::span"
                         " or self::section or self::strong][@class or @itemprop='description']"):
        tokens = (el.get("class") or "").split()
        if not (any(_SAPO_TOKEN_RE.search(t) for t in tokens) or el.get("itemprop") == "description"):
            continue
        if _outside_article(el, column) or el.xpath(".//ul|.//ol|.//li|.//form"):
            continue
        text = _one_line(el)
        links = sum(len(normalize(a.text_content())) for a in el.iter("a"))
        if 8 <= len(text.split()) and len(text) <= 1500 and links < len(text) / 2:
            return text
    return ""


def _one_line(el: lxml.html.HtmlElement) -> str:
    """The element's text on one line: a `<br>` is a space, runs of whitespace one space."""
    el = copy.deepcopy(el)
    for br in el.iter("br"):
        br.tail = " " + (br.tail or "")
    return re.sub(r"\s+", " ", normalize(el.text_content())).strip()


def _headline_element(tree: lxml.html.HtmlElement, headline: str) -> lxml.html.HtmlElement | None:
    """The element showing the headline: an <h1>, else a `*title*`-classed element with that text."""
    want = fold(normalize(headline)).strip()
    if not want:
        return None
    for xpath in ("//body//h1", "//body//*[contains(@class, 'title')]"):
        for el in tree.xpath(xpath):
            if fold(normalize(el.text_content())).strip() == want:
                return el
    return None


def _outside_article(el: lxml.html.HtmlElement, column: Collection[lxml.html.HtmlElement] = ()) -> bool:
    """Whether `el` sits in navigation, a footer, a form or a box of other news.

    `column` is the headline and its ancestors: the first of them met going up is the
    article's own column, so what is above it (a `div.sidebar-1` main column, an ASP.NET
    `<form>` around the whole page) says nothing about `el`.
    """
    for parent in el.iterancestors():
        if parent in column:
            return False
        if parent.tag in ("nav", "header", "footer", "aside", "form"):
            return True
        if _NOT_CONTENT_RE.search(f"{parent.get('class', '')} {parent.get('id', '')}"):
            return True
    return False


# --- body ---------------------------------------------------------------------------------

_CAPTION_CLASS_RE = re.compile(r"caption|chuthich|chu-thich|image-desc|img-desc|photo-desc", re.IGNORECASE)


def _drop_captions(tree: lxml.html.HtmlElement) -> None:
    """Remove photo captions: <figcaption>, caption-classed elements, image layout tables."""
    doomed = list(tree.iter("figcaption"))
    for el in tree.xpath("//body//*[@class]"):
        if _CAPTION_CLASS_RE.search(el.get("class", "")) and len(el.text_content()) < 500:
            doomed.append(el)
    for table in tree.iter("table"):
        if table.xpath(".//img") and len(normalize(table.text_content()).strip()) < 400:
            doomed.append(table)  # a photo with its caption, laid out in a table
    for el in doomed:
        if el.getparent() is not None:
            el.drop_tree()


_DASH_RE = re.compile(r"^[\s•·▪►»*+–—-]+")


def _drop_link_lists(tree: lxml.html.HtmlElement, url: str, canonical: str) -> None:
    """Remove lists of headlines that link to other pages (related news between lead and body).

    A list (`<ul>`/`<ol>`) whose every item, or a paragraph that, is a headline (3 words or
    more, not a sentence ending in a period) carried almost entirely by a link to a page
    ("most read" boxes list this page too). List items that are text (`- Người thuộc hộ
    nghèo…`) or that jump inside the page (a table of contents) stay.
    """
    here = {u.split("#")[0].rstrip("/") for u in (url, canonical) if u}
    doomed = []
    for lst in tree.xpath("//body//ul | //body//ol"):
        items = [li for li in lst if isinstance(li.tag, str) and li.tag == "li"]
        if items and all(_is_link_headline(li, here) for li in items):
            doomed.append(lst)
    for para in tree.xpath("//body//p"):
        if _is_link_headline(para, here):
            doomed.append(para)
    for el in doomed:
        if el.getparent() is not None:
            el.drop_tree()


def _is_link_headline(el: lxml.html.HtmlElement, here: set[str]) -> bool:
    text = _DASH_RE.sub("", normalize(el.text_content())).strip()
    if len(text.split()) < 3 or text.endswith(".") or len(text) > 300:
        return False
    linked = 0
    for a in el.iter("a"):
        href = (a.get("href") or "").strip()
        if not href or href.startswith(("#", "javascript:", "mailto:")):
            continue
        if "#" in href and href.split("#")[0].rstrip("/") in here:
            continue  # a jump inside this page (table of contents)
        linked += len(normalize(a.text_content()).strip())
    return linked >= 0.8 * len(text)


def _body_lines(text: str, headlines: list[str]) -> str:
    lines = []
    for line in text.splitlines():
        line = normalize(line).strip()
        if line.startswith("|") and line.endswith("|"):  # a data-table row from trafilatura
            line = " | ".join(c.strip() for c in line.strip("|").split("|") if c.strip())
        if line:
            lines.append(line)
    folded = {fold(normalize(h)).strip() for h in headlines if h}
    if lines and fold(lines[0]) in folded:
        lines.pop(0)  # the headline again, from an <h1> inside the article
    return "\n".join(lines)


def _squash(text: str) -> str:
    return re.sub(r"\s+", " ", fold(text)).strip()


def _with_sapo(body: str, sapo: str) -> str:
    """The body with the sapo on top, once.

    When the body already holds the sapo, broken over several lines by hard line breaks
    (`<br>` inside the lead), those lines become the one sapo line; when it holds the
    sapo's opening some other way, the body is left alone; else the sapo goes on top.
    """
    target = _squash(sapo)
    lines = body.splitlines()
    squashed = [_squash(line) for line in lines]
    for i, first in enumerate(squashed):
        if not first or not target.startswith(first):
            continue
        joined = first
        for j in range(i + 1, len(lines) + 1):
            if joined == target:
                return "\n".join(lines[:i] + [sapo] + lines[j:])
            if j == len(lines) or not target.startswith(f"{joined} {squashed[j]}"):
                break
            joined = f"{joined} {squashed[j]}"
    if target[:80] in " ".join(squashed):
        return body
    return sapo + ("\n" + body if body else "")

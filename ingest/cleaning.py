"""Strip site boilerplate from scraped article text, keeping every real sentence.

The rules describe the *shapes* Vietnamese news sites use (a caption ends in
`Ảnh: NAME`, a byline is a short line in capitals, a portal footer starts with
`Cơ quan chủ quản`…), not the strings of any one site, so that the next site
cleans too. Pages (trafilatura output) and local files go through the same rules.

The work is line based: `clean_article(title, lines)` returns the body lines that
are article prose, and the metadata (date, source URL, outlet) found on the way.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from zoneinfo import ZoneInfo

from diplobot.text import fold, normalize
from ingest.dates import parse_date_line

URL_RE = re.compile(r"(?:https?://|www\.)[^\s<>\"“”()]+", re.IGNORECASE)
_BARE_URL_LINE_RE = re.compile(r"^\W*(?:https?://|www\.)\S+\W*$", re.IGNORECASE)
_TERMINAL = (".", "!", "?", "…", "”", '"', "»", ")", ";")

# Counters and widgets: whole lines that only count visits, views or readers.
_COUNTER_RE = re.compile(
    r"^\W*(?:"
    r"[\d.,\s]+lượt\s+(?:xem|truy cập|đọc|thích|chia sẻ|bình luận)"
    r"|lượt\s+(?:xem|truy cập)\b.*"
    r"|(?:tất cả|hôm nay|hôm qua|tuần này|tháng này|đang (?:truy cập|online)|trực tuyến|tổng(?: số)? lượt truy cập)\s*:\s*[\d.,\s]+"
    r"|số lượt (?:truy cập|xem)\b.*"
    r")\W*$",
    re.IGNORECASE,
)

# Portal footers, legal lines and comment-form notices: a line that opens with one of these.
_FOOTER_RE = re.compile(
    r"^\W*(?:cơ quan chủ quản|đơn vị quản lý|giấy phép(?: số| hoạt động|\s*:)|điện thoại(?: ban biên tập)?\s*:?\s*[\d(+]"
    r"|điện thoại ban biên tập|địa chỉ\s*:|e-?mail\s*:|fax\s*:|hotline\s*:|@?\s*ghi rõ nguồn|bản quyền|copyright|©"
    r"|chịu trách nhiệm(?: nội dung| xuất bản)?\s*:|tổng biên tập\s*:|phó tổng biên tập\s*:|trưởng ban biên tập\s*:"
    r"|lưu ý\s*:.*(?:bạn đọc|ý kiến|bình luận)|gửi file đính kèm|đính kèm file|vui lòng gõ tiếng việt"
    r"|ý kiến bạn đọc|gửi ý kiến|gửi bình luận|viết bình luận|bình luận của bạn)",
    re.IGNORECASE,
)

# Menus, share bars and related-news blocks: short lines that open with these words.
_WIDGET_WORDS = (
    "thông báo", "báo cáo - thống kê", "video", "videos", "podcast", "emagazine", "e-magazine",
    "truyền hình", "tin mới", "tin mới nhất", "tin khác", "tin liên quan", "tin cùng chuyên mục",
    "bài liên quan", "bài viết liên quan", "có thể bạn quan tâm", "đọc thêm", "xem thêm", "đọc tiếp",
    "từ khóa", "từ khoá", "tags", "tag", "chủ đề", "chia sẻ", "share", "bình luận", "quay lên trên",
    "về đầu trang", "lên đầu trang", "in bài", "in bài viết", "gửi bài", "gửi email", "theo dõi",
    "trang chủ", "trở về", "quay lại", "tải ứng dụng", "đăng nhập", "đăng ký", "liên hệ",
    "tin nổi bật", "tin xem nhiều", "đọc nhiều", "xem nhiều", "mới nhất", "tin tức", "multimedia",
    "infographics", "ảnh", "góp ý", "sitemap", "rss",
)
_WIDGET_RE = re.compile(
    r"^[\s•·▪►»|>*-]*(?:" + "|".join(re.escape(w) for w in sorted(_WIDGET_WORDS, key=len, reverse=True)) + r")\b",
    re.IGNORECASE,
)

# A caption: a line (or its end) that credits a photo: "… Ảnh: QUỐC CHIẾN", "(Ảnh: TTXVN)".
_CAPTION_CREDIT_RE = re.compile(r"(?:^|[\s.(])(?:ảnh|nguồn ảnh|ảnh minh họa|ảnh minh hoạ|photo)\s*:\s*[^!?:()]{1,50}\)?\s*$", re.IGNORECASE)
_INLINE_PHOTO_CREDIT_RE = re.compile(r"\s*\((?:ảnh|nguồn)\s*:[^)]{0,80}\)", re.IGNORECASE)
_CAPTION_OPENERS_RE = re.compile(
    r"^(?:toàn cảnh|quang cảnh|cảnh|các đại biểu|đại biểu|lãnh đạo .{0,40}(?:chụp ảnh|tặng|trao)|"
    r"ảnh|hình|clip|video)\b",
    re.IGNORECASE,
)
# "Name, Role: statement" captions, the shape portals use under a photo.
_COLON_CAPTION_RE = re.compile(r"^[^.:!?“”\"]{6,120}:\s+\S")
# Leading outlet tag: "(Baohatinh.vn) - ", "(TTXVN) – ", "HÀ NỘI (Reuters) - ".
_LEAD_SOURCE_RE = re.compile(r"^\s*(?:[A-ZĐÀ-Ỹ ]{2,30}\s*)?\(([^()]{2,40})\)\s*[-–—:]\s*")
# Byline lines: short, in capitals, optionally with an outlet after a slash or in brackets.
_BYLINE_RE = re.compile(
    r"^\(?\s*(?:theo\s+)?[A-ZĐÀ-Ỹ][A-ZĐÀ-Ỹ.\s\-]{0,40}(?:\s*[-/]\s*[\w.+\-]+(?:\.[a-z]{2,})?)?\s*(?:\([^()]{1,40}\))?\s*\)?$"
)
_AGENCY_LINE_RE = re.compile(r"^\(?\s*(?:theo\s+)?(?:TTXVN|VNA|Vietnam\+|VOV|VTV|Reuters|AFP|AP|Xinhua|TTXVN/Vietnam\+)[^.]{0,40}\)?$", re.IGNORECASE)
_THEO_SOURCE_RE = re.compile(r"^\(?\s*(?:theo|nguồn)\s*:?\s+[\w .+/\-]{2,40}\)?$", re.IGNORECASE)
# Notices that name the outlet itself, anywhere on the page (footer, comment form):
# `Ghi rõ nguồn "Cổng thông tin điện tử tỉnh Sóc Trăng" khi phát hành lại`, `Bản quyền thuộc về Báo Hà Tĩnh`,
# `BDO sẽ biên tập ý kiến của bạn đọc`.
_OUTLET_NOTICE_RES = (
    re.compile(r"ghi rõ nguồn\s*:?\s*[\"“'‘]([^\"”'’]{3,80})[\"”'’]", re.IGNORECASE),
    re.compile(r"bản quyền (?:thuộc(?: về)?|của)\s+([^.,;:()|]{3,60}?)\s*(?:[.,;:()|]|$)", re.IGNORECASE),
    re.compile(r"^\W*(?:lưu ý\s*:\s*)?([^\s.:,;]+(?:\s[^\s.:,;]+){0,4})\s+(?:sẽ biên tập|hoan nghênh|có quyền)\b.{0,60}"
               r"ý kiến", re.IGNORECASE),
)
# Subjects of such notices that are not a name: "Ban biên tập sẽ biên tập ý kiến…".
_NOT_OUTLET_NAMES = {"ban bien tap", "chung toi", "toa soan", "bao", "trang", "cong", "website", "trang web"}
_HOST_RE = re.compile(r"^(?:www\.)?([a-z0-9-]+)((?:\.[a-z0-9-]+)+)$", re.IGNORECASE)
# Capitalized words in a row (a proper name), for reading `baohatinh.vn` as "Báo Hà Tĩnh".
_NAME_RUN_RE = re.compile(r"[A-ZĐÀ-Ỹ][a-zà-ỹđ]*(?: [A-ZĐÀ-Ỹ][a-zà-ỹđ]*)*")

# A source credit closing the article: "Theo Forbes", "Theo Hồ Hương (Đại Đoàn kết)", "Nguồn: Reuters".
# A name: up to five words, the first capitalized ("Theo ông Minh đây là…" is a sentence).
_CREDIT_LINE_RE = re.compile(r"^\(?\s*(?:[Tt]heo|[Nn]guồn)\s*:?\s+[A-ZĐÀ-Ỹ][^\s.!?,;:()]*(?:[\s,&]+[^\s.!?,;:()]+){0,4}"
                             r"\s*(?:\([^()]{1,50}\))?\s*\)?\.?$")
# The same credit in brackets after the last sentence: "… trong năm tới. (Theo Forbes)".
_CREDIT_TAIL_RE = re.compile(r"(?<=[.!?…”\"])\s*\((?:theo|nguồn)\s*:?\s*[^()]{2,50}\)\s*$", re.IGNORECASE)
_GLUED_RE = re.compile(r"(?<=[a-zà-ỹ\d][.!?])(?=[A-ZĐÀ-Ỹ][a-zà-ỹ])")
_DOMAIN_RE = re.compile(r"\b([a-z0-9-]+(?:\.[a-z0-9-]+)*\.(?:vn|com|net|org|gov\.vn|com\.vn|info))\b", re.IGNORECASE)


@dataclass
class CleanResult:
    title: str
    body: str
    published_at: datetime | None = None
    url: str | None = None
    source: str = ""
    dropped: list[tuple[str, str]] = field(default_factory=list)  # (reason, line), for debugging


def _words(line: str) -> int:
    return len(line.split())


def _is_prose(line: str) -> bool:
    """A paragraph of the article: several words that end like a sentence."""
    return _words(line) >= 6 and line.rstrip().endswith(_TERMINAL)


def _same_text(a: str, b: str) -> bool:
    strip = lambda s: re.sub(r"\W+", "", fold(s))  # noqa: E731
    return bool(strip(a)) and strip(a) == strip(b)


def _is_byline(line: str) -> bool:
    if _words(line) > 6 or line.endswith((".", "!", "?")) and not line.isupper():
        return False
    letters = [c for c in line if c.isalpha()]
    if not letters:
        return False
    if _AGENCY_LINE_RE.match(line) or _THEO_SOURCE_RE.match(line):
        return True
    head = re.split(r"[/(]", line)[0]
    head_letters = [c for c in head if c.isalpha()]
    return bool(head_letters) and all(c.isupper() for c in head_letters) and bool(_BYLINE_RE.match(line))


def _outlet_of_byline(line: str) -> str:
    """`LIỄU CHANG/baolangson.vn` → baolangson.vn; `(TTXVN/Vietnam+)` → TTXVN/Vietnam+; a name alone → ''."""
    m = _DOMAIN_RE.search(line)
    if m:
        return m.group(1).lower()
    if _AGENCY_LINE_RE.match(line):
        return re.sub(r"^\(?\s*(?:theo\s+)?", "", line, flags=re.IGNORECASE).strip("() ")
    return ""


def _is_widget(line: str) -> bool:
    return _words(line) <= 8 and not line.rstrip().endswith((".", "!", "?")) and bool(_WIDGET_RE.match(line))


def _line_noise_reason(line: str) -> str | None:
    """Why a line anywhere in the article is not prose, or None."""
    if _BARE_URL_LINE_RE.match(line):
        return "url"
    if _COUNTER_RE.match(line):
        return "counter"
    if _FOOTER_RE.match(line):
        return "footer"
    if _CAPTION_CREDIT_RE.search(line):
        return "caption"
    if _is_byline(line):
        return "byline"
    if _is_widget(line):
        return "widget"
    return None


def _caption_after_image(line: str) -> bool:
    """The line under a photo (after the title repeated as its alt text)."""
    if not line.endswith((".", "!", "?", "…", "”")) and _words(line) <= 15:
        return True
    if line.startswith(("..", "…")) or line[:1].islower():
        return True
    if _CAPTION_OPENERS_RE.match(line):
        return True
    return bool(_COLON_CAPTION_RE.match(line))


def _strip_inline(line: str) -> str:
    line = _INLINE_PHOTO_CREDIT_RE.sub("", line)
    line = URL_RE.sub("", line)
    line = re.sub(r"\s*\./\.\s*$", ".", line)  # "./." closes many Vietnamese articles
    line = re.sub(r"\s{2,}", " ", line).strip()
    return line


def _drop_glued_caption(line: str) -> str:
    """`…năm 2022.Các đại biểu tham dự hội nghị` : a photo alt glued after a sentence."""
    parts = _GLUED_RE.split(line)
    if len(parts) > 1 and not parts[-1].rstrip().endswith(_TERMINAL):
        return "".join(parts[:-1]).strip()
    return line


def clean_article(title: str, lines: list[str], tz: ZoneInfo | None = None) -> CleanResult:
    """Body lines of the article proper, with the date, URL and outlet found around them."""
    title = normalize(title).strip()
    result = CleanResult(title=title, body="")
    kept: list[str] = []
    after_image = False
    for raw in lines:
        line = normalize(raw).strip().lstrip("•·▪").strip()
        if not line:
            continue
        if _same_text(line, title):
            after_image = True  # the title again: a photo's alt text; a caption may follow
            result.dropped.append(("title", line))
            continue
        if not kept and result.published_at is None and _words(line) <= 14:
            date = parse_date_line(line, tz)
            if date is not None:
                result.published_at = date
                result.dropped.append(("date", line))
                continue
        if _BARE_URL_LINE_RE.match(line):
            result.url = result.url or URL_RE.search(line).group(0).rstrip(".,;")
            result.dropped.append(("url", line))
            continue
        reason = _line_noise_reason(line)
        if reason == "byline" and not result.source:
            result.source = _outlet_of_byline(line)
        if reason is None and after_image and _caption_after_image(line):
            reason = "caption"
        after_image = False
        if reason:
            result.dropped.append((reason, line))
            continue
        lead = _LEAD_SOURCE_RE.match(line)
        if lead and not kept:
            result.source = result.source or lead.group(1).strip()
            line = line[lead.end():]
        line = _drop_glued_caption(_strip_inline(line))
        if line:
            kept.append(line)
    kept = _trim_tail(kept, result)
    result.body = "\n".join(kept)
    if not result.source:  # only lines already known as footers: a body sentence is no notice
        result.source = _outlet_in_notices([line for reason, line in result.dropped if reason == "footer"])
    if not result.source and result.url:
        m = re.match(r"https?://(?:www\.)?([^/]+)", result.url)
        result.source = m.group(1).lower() if m else ""
    result.source = _outlet_name(result.source, [title, *kept])
    return result


def _outlet_in_notices(lines: list[str]) -> str:
    """The outlet a footer or comment-form notice names (`_OUTLET_NOTICE_RES`), or ''."""
    for pattern in _OUTLET_NOTICE_RES:
        for raw in lines:
            m = pattern.search(normalize(raw))
            if m and fold(m.group(1)).strip() not in _NOT_OUTLET_NAMES:
                return re.sub(r"\s+", " ", m.group(1)).strip()
    return ""


def _outlet_name(source: str, text_lines: list[str]) -> str:
    """An outlet as readers know it: `Baohatinh.vn` is "Báo Hà Tĩnh" when the article names Hà Tĩnh.

    A host `bao<place>.<tld>` (a provincial paper's domain) becomes "Báo <Place>" with the
    place's marks as the article's own text writes it; any other host is kept in lower case.
    """
    host = _HOST_RE.match(source.strip())
    if not host:
        return source
    label = host.group(1).lower()
    if label.startswith("bao") and len(label) > 5:
        place = _place_named(label[3:], text_lines)
        if place:
            return f"Báo {place}"
    return source.strip().lower().removeprefix("www.")


def _place_named(compact: str, text_lines: list[str]) -> str:
    """Consecutive capitalized words in the text that fold to `compact` ("hatinh" → "Hà Tĩnh"), or ''."""
    for line in text_lines:
        for run in _NAME_RUN_RE.finditer(line):
            words = run.group(0).split()
            for i in range(len(words)):
                joined = ""
                for j in range(i, min(i + 4, len(words))):
                    joined += fold(words[j])
                    if joined == compact:
                        return " ".join(words[i:j + 1])
                    if not compact.startswith(joined):
                        break
    return ""


def _trim_tail(kept: list[str], result: CleanResult) -> list[str]:
    """Drop what follows the last paragraph: short non-sentences such as widget titles, and a source credit."""
    while kept and (not _is_prose(kept[-1]) and _words(kept[-1]) <= 12 or _CREDIT_LINE_RE.match(kept[-1])):
        result.dropped.append(("tail", kept.pop()))
    if kept and _CREDIT_TAIL_RE.search(kept[-1]):
        result.dropped.append(("credit", kept[-1]))
        kept[-1] = _CREDIT_TAIL_RE.sub("", kept[-1])
    return kept


def clean_text(text: str, tz: ZoneInfo | None = None) -> CleanResult:
    """Clean a scraped article whose first non-empty line is its title."""
    lines = text.splitlines()
    while lines and not lines[0].strip():
        lines.pop(0)
    if not lines:
        return CleanResult(title="", body="")
    return clean_article(lines[0], lines[1:], tz)

"""Topics of a diplomatic article and how diplomatic it is, by weighted keywords.

The taxonomy is small on purpose: readers subscribe to a handful of themes (`/topic`).
Each topic lists the phrases that signal it with a weight (a phrase that only occurs in
that theme weighs more). An article's topic score is `1 - exp(-hits / 4)` over
weighted hits, with title hits counted double: one passing mention stays low, a theme
the article dwells on approaches 1. `is_diplomatic` uses the same idea on the
vocabulary of foreign relations, minus the vocabulary of sports, crime, weather, pageants and
showbiz; `đại sứ` given as a pageant's or a brand's title is no ambassador, and the countries an
article names count only once it has some diplomatic vocabulary (a foreign name alone is not
diplomacy). Numbers: docs/tags.md.

Taxonomy (name: what it covers):
- ngoại giao kinh tế: trade, FTAs, export markets, economic diplomacy
- thu hút đầu tư: FDI, investors, investment promotion
- đối ngoại địa phương: provinces' own foreign relations, Sở Ngoại vụ, twin regions
- đa phương — ASEAN/LHQ: ASEAN, United Nations, APEC, G20, multilateral forums
- biên giới lãnh thổ: land borders, border gates, demarcation
- biển đảo: East Sea, islands, maritime law, fishermen at sea
- bảo hộ công dân: citizens abroad, consular protection, visas, migrant workers
- ngoại giao y tế — vắc xin: vaccines, medical aid, epidemics
- văn hóa — giáo dục: culture, education, scholarships, tourism, people-to-people
- quốc phòng — an ninh: defence, security, military, nuclear, terrorism
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from functools import lru_cache

from diplobot.text import fold
from tagger._text import canon
from tagger.provinces import fuzzy_pick

TAXONOMY: dict[str, dict[str, float]] = {
    "ngoại giao kinh tế": {
        "ngoại giao kinh tế": 3, "thương mại": 1, "xuất khẩu": 1, "nhập khẩu": 1,
        "hiệp định thương mại": 2, "FTA": 2, "CPTPP": 2, "EVFTA": 2, "RCEP": 2, "WTO": 1,
        "kim ngạch": 1.5, "xúc tiến thương mại": 2, "thị trường": 0.5, "hợp tác kinh tế": 1.5,
        "doanh nghiệp": 0.5, "kinh tế": 0.5, "thuế quan": 1.5, "chuỗi cung ứng": 1,
    },
    "thu hút đầu tư": {
        "thu hút đầu tư": 3, "xúc tiến đầu tư": 3, "nhà đầu tư": 1.5, "vốn đầu tư": 2,
        "FDI": 2, "đầu tư nước ngoài": 2, "dự án đầu tư": 1.5, "đầu tư": 0.7,
        "khu công nghiệp": 1, "ODA": 1.5,
    },
    "đối ngoại địa phương": {
        "đối ngoại địa phương": 3, "Sở Ngoại vụ": 2.5, "ngoại vụ": 1.5, "các địa phương": 1,
        "địa phương": 0.5, "kết nghĩa": 2, "hữu nghị hợp tác": 1, "UBND tỉnh": 1,
        "lãnh đạo tỉnh": 1.5, "Tỉnh ủy": 1, "tỉnh, thành": 1, "tỉnh bạn": 2,
    },
    "đa phương — ASEAN/LHQ": {
        "ASEAN": 1.5, "Liên hợp quốc": 2, "LHQ": 2, "APEC": 1.5, "G20": 1.5, "đa phương": 2,
        "Hội đồng Bảo an": 2.5, "thượng đỉnh": 1, "hội nghị cấp cao": 1, "diễn đàn": 0.7,
        "Mekong": 1.5, "EU": 1, "Liên minh châu Âu": 1.5, "gìn giữ hòa bình": 2,
        "tổ chức quốc tế": 1, "WHO": 1,
    },
    "biên giới lãnh thổ": {
        "biên giới": 1.5, "cột mốc": 2.5, "cửa khẩu": 2, "phân giới": 3, "cắm mốc": 3,
        "lãnh thổ": 1, "đường biên": 2, "Ủy ban Biên giới": 2.5, "vành đai biên giới": 2,
    },
    "biển đảo": {
        "Biển Đông": 2.5, "Hoàng Sa": 3, "Trường Sa": 3, "chủ quyền biển": 3, "UNCLOS": 3,
        "COC": 2.5, "DOC": 2, "tàu cá": 2, "ngư dân": 1.5, "vùng biển": 1.5,
        "thềm lục địa": 2.5, "biển đảo": 2.5, "hàng hải": 1, "trên biển": 1,
        "vùng đặc quyền kinh tế": 2.5, "giàn khoan": 2, "hải cảnh": 2,
    },
    "bảo hộ công dân": {
        "bảo hộ công dân": 3, "công dân Việt Nam": 2, "lãnh sự": 1.5, "thị thực": 2,
        "tổng lãnh sự": -1.5,  # a consul general is a diplomat, not a consular case
        "visa": 2, "hộ chiếu": 1.5, "kiều bào": 2, "người Việt Nam ở nước ngoài": 2.5,
        "cộng đồng người Việt": 2, "người lao động": 1, "sơ tán": 2, "nạn nhân": 1,
        "tạm giữ": 1.5, "xét xử": 1, "dẫn độ": 1.5, "trả tự do": 1.5, "bị bắt": 1,
    },
    "ngoại giao y tế — vắc xin": {
        "vắc xin": 3, "vaccine": 3, "vắc-xin": 3, "ngoại giao vắc xin": 3, "COVID": 2,
        "dịch bệnh": 1.5, "y tế": 1, "viện trợ y tế": 3, "vật tư y tế": 2.5, "dịch": 0.5,
        "khẩu trang": 1.5, "bệnh viện": 1, "đại dịch": 2,
    },
    "văn hóa — giáo dục": {
        "văn hóa": 1, "giáo dục": 1.5, "du học": 2.5, "học bổng": 2.5, "giao lưu": 1,
        "triển lãm": 2, "lễ hội": 1.5, "du lịch": 1, "nghệ thuật": 1.5, "di sản": 2,
        "UNESCO": 2, "đào tạo": 1, "trường học": 1, "sinh viên": 1.5, "ngoại giao văn hóa": 3,
        "ngoại giao nhân dân": 2, "hữu nghị": 0.7,
    },
    "quốc phòng — an ninh": {
        "quốc phòng": 2, "an ninh": 1, "quân sự": 2, "hải quân": 2, "tập trận": 2.5,
        "vũ khí": 2, "hạt nhân": 2, "tên lửa": 2.5, "quân đội": 1.5, "khủng bố": 2,
        "Bộ Quốc phòng": 2, "tàu chiến": 2.5, "an ninh trật tự": 1, "gián điệp": 2,
        "phi hạt nhân hóa": 3,
    },
}

# Short forms readers type for `/topic`.
TOPIC_ALIASES = {
    "kinh tế": "ngoại giao kinh tế", "thương mại": "ngoại giao kinh tế",
    "đầu tư": "thu hút đầu tư", "fdi": "thu hút đầu tư",
    "địa phương": "đối ngoại địa phương",
    "asean": "đa phương — ASEAN/LHQ", "lhq": "đa phương — ASEAN/LHQ",
    "liên hợp quốc": "đa phương — ASEAN/LHQ", "đa phương": "đa phương — ASEAN/LHQ",
    "biên giới": "biên giới lãnh thổ", "biển": "biển đảo", "biển đông": "biển đảo",
    "bảo hộ": "bảo hộ công dân", "công dân": "bảo hộ công dân",
    "y tế": "ngoại giao y tế — vắc xin", "vắc xin": "ngoại giao y tế — vắc xin",
    "vaccine": "ngoại giao y tế — vắc xin",
    "văn hóa": "văn hóa — giáo dục", "giáo dục": "văn hóa — giáo dục",
    "quốc phòng": "quốc phòng — an ninh", "an ninh": "quốc phòng — an ninh",
}

DIPLOMATIC: dict[str, float] = {
    "ngoại giao": 2, "đối ngoại": 2, "Bộ Ngoại giao": 2, "đại sứ": 2, "đại sứ quán": 2,
    "tổng lãnh sự": 2, "lãnh sự": 1.5, "hội đàm": 2.5, "hội kiến": 2.5, "tiếp kiến": 2.5,
    "điện đàm": 2.5, "chuyến thăm": 1.5, "thăm chính thức": 2.5, "thăm cấp nhà nước": 3,
    "hợp tác quốc tế": 2, "hội nhập quốc tế": 1.5, "quan hệ hai nước": 2.5,
    "quan hệ song phương": 2.5, "đối tác chiến lược": 2.5, "đối tác toàn diện": 2.5,
    # `Thủ tướng` is light: most articles that repeat it are the Vietnamese PM at home (prices, plans,
    # provinces: 92 of the 441 vietnews train articles kept at 0.7 fall below 0.5 at 0.3, val_diplomatic lost 1).
    "Ngoại trưởng": 2, "Thủ tướng": 0.3, "Tổng thống": 1, "hiệp định": 1.5,
    "ký kết": 1, "biên bản ghi nhớ": 1.5, "phái đoàn": 1.5, "đoàn công tác": 1,
    "cơ quan đại diện": 2, "nhà ngoại giao": 2, "quốc tế": 0.5, "song phương": 1.5,
    "đa phương": 1.5, "hữu nghị": 1, "ASEAN": 1, "Liên hợp quốc": 1, "APEC": 1,
    "bảo hộ công dân": 2, "thượng đỉnh": 1.5, "người phát ngôn": 1.5, "cấm vận": 1.5,
    "trừng phạt": 1,
    # `đại sứ` as a title a pageant, brand, festival or campaign gives (vietnews train: "đại sứ du lịch"
    # 32 times, "thương hiệu" 15, "lễ hội", "hình ảnh", "áo dài", "thiện chí"...) is no diplomat:
    # each cancels the `đại sứ` it starts with.
    **{f"đại sứ {kind}": -2 for kind in (
        "du lịch", "thương hiệu", "hình ảnh", "thiện chí", "lễ hội", "áo dài", "đồng hành", "nhỏ",
        "chiến dịch", "chương trình", "của chương trình", "cuộc thi", "của cuộc thi", "tuyên truyền",
        "văn hóa", "truyền cảm hứng", "liên hoan", "ngày hội", "festival", "toàn cầu", "âm nhạc",
        "môi trường", "nhân ái", "thể thao", "sắc đẹp", "hoàn vũ", "của kênh", "của quỹ", "quỹ")},
    # `cơ quan đại diện` of a magazine, a newspaper or the state owner is an office, not a mission.
    **{f"cơ quan đại diện {kind}": -2 for kind in (
        "tạp chí", "báo", "chủ sở hữu", "phía nam", "phía bắc", "miền nam", "miền bắc", "miền trung")},
}
NOT_DIPLOMATIC: dict[str, float] = {
    "bóng đá": 2, "cầu thủ": 2, "trận đấu": 2, "ghi bàn": 2.5, "HLV": 2, "huấn luyện viên": 2,
    "giải đấu": 1.5, "vô địch": 1, "đội tuyển": 1, "sân cỏ": 2, "V-League": 2.5,
    "nghi phạm": 2, "nghi can": 2, "điều tra viên": 1.5, "tạm giam": 1.5, "khởi tố": 1.5,
    "trộm": 2, "cướp": 2, "ma túy": 2, "án mạng": 2.5, "hung thủ": 2.5, "công an quận": 1.5,
    "mưa lớn": 2, "nắng nóng": 2, "nhiệt độ": 1.5, "áp thấp": 2, "dự báo thời tiết": 2.5,
    "không khí lạnh": 2, "độ C": 1.5, "giá vàng": 2, "chứng khoán": 1.5, "cổ phiếu": 1.5,
    "ca sĩ": 1.5, "showbiz": 2, "bộ phim": 1.5, "tai nạn giao thông": 2,
    # Pageants and showbiz: absent from val_diplomatic (0-2 of 543 articles each), common in the
    # entertainment news a foreign name drags in (2-8 % of vietnews train).
    "hoa hậu": 2, "á hậu": 2, "Miss": 2, "người đẹp": 1.5, "đăng quang": 2, "nhan sắc": 2,
    "vương miện": 2, "hoa khôi": 2, "nam vương": 2, "thí sinh": 1, "catwalk": 2, "người mẫu": 1.5,
    "thời trang": 1, "diễn viên": 1.5, "đạo diễn": 1.5, "nghệ sĩ": 1, "khán giả": 1, "người hâm mộ": 1.5,
    "fan": 1.5, "liveshow": 2, "MV": 2, "album": 1.5, "ca khúc": 1.5, "gameshow": 2, "scandal": 1.5,
    "ly hôn": 1.5, "hẹn hò": 1.5, "bạn gái": 1, "bạn trai": 1, "cư dân mạng": 1, "dân mạng": 1,
    # Crime and family cases with a foreigner in them.
    "bị can": 1.5, "lừa đảo": 1.5, "hiếp dâm": 2, "bạo hành": 1.5, "cô dâu": 1.5,
}


_WORD = re.compile(r"\w+")


Index = dict[str, list[tuple[tuple[str, ...], list[tuple[str, float]]]]]


def _index(tables: dict[str, dict[str, float]]) -> tuple[Index, Index]:
    """First word -> [(phrase words, [(table, weight)])]; case-sensitive for names and
    acronyms (`ASEAN`, `Bộ Ngoại giao`, `EU`), lowercase for ordinary words."""
    flat: tuple[dict, dict] = ({}, {})
    for table, phrases in tables.items():
        for phrase, weight in phrases.items():
            form = canon(phrase)
            sensitive = form.isupper() or any(ch.isupper() for ch in form[1:])
            key = tuple(_WORD.findall(form if sensitive else form.lower()))
            flat[0 if sensitive else 1].setdefault(key, []).append((table, weight))
    out: tuple[Index, Index] = ({}, {})
    for side in (0, 1):
        for key, hits in flat[side].items():
            out[side].setdefault(key[0], []).append((key, hits))
    return out


@lru_cache(maxsize=1)
def _indexes() -> tuple[Index, Index]:
    return _index({**TAXONOMY, "__diplomatic__": DIPLOMATIC, "__not__": NOT_DIPLOMATIC})


def _count(text: str, factor: float, totals: dict[str, float]) -> None:
    exact, lower = _indexes()
    words = _WORD.findall(text)
    lows = text.lower()
    lows = _WORD.findall(lows)
    n = len(words)
    for i in range(n):
        for index, seq in ((exact, words), (lower, lows)):
            candidates = index.get(seq[i])
            if not candidates:
                continue
            for key, hits in candidates:
                if tuple(seq[i : i + len(key)]) == key:
                    for table, weight in hits:
                        totals[table] = totals.get(table, 0.0) + factor * weight


def keyword_hits(title: str, body: str) -> dict[str, float]:
    """Weighted phrase hits per table (title counts double), scaled for length.

    Long articles repeat words, so hits are divided by sqrt(length / 2,000 characters).
    """
    totals: dict[str, float] = {}
    _count(title, 2.0, totals)
    _count(body, 1.0, totals)
    length = max(1.0, (len(title) + len(body)) / 2000)
    return {table: hits / math.sqrt(length) for table, hits in totals.items()}


def _saturate(hits: float, scale: float) -> float:
    return 1.0 - math.exp(-hits / scale)


def topics_from_hits(hits: dict[str, float], threshold: float = 0.5, limit: int = 4) -> list[dict]:
    scored = []
    for name in TAXONOMY:
        score = round(_saturate(hits.get(name, 0.0), 4.0), 2)
        if score >= threshold:
            scored.append({"name": name, "score": score})
    scored.sort(key=lambda t: -t["score"])
    return scored[:limit]


# Diplomatic hits at which the countries an article names count in full; below it they count in
# proportion, so a foreign name alone (a pageant's contestants, a film star) adds nothing.
COUNTRY_EVIDENCE = 2.0


def diplomatic_from_hits(hits: dict[str, float], n_countries: int = 0) -> float:
    vocabulary = hits.get("__diplomatic__", 0.0)
    countries = 1.5 * min(n_countries, 4) * min(1.0, max(0.0, vocabulary) / COUNTRY_EVIDENCE)
    net = vocabulary + countries - 1.5 * hits.get("__not__", 0.0)
    return round(max(0.0, _saturate(net, 8.0)), 2)


def find_topics(title: str, body: str, threshold: float = 0.5, limit: int = 4) -> list[dict]:
    """Topics at or above `threshold`, best first: [{"name", "score"}] (score 0..1)."""
    return topics_from_hits(keyword_hits(canon(title), canon(body)), threshold, limit)


def diplomatic_score(title: str, body: str, n_countries: int = 0) -> float:
    """How much an article is about foreign relations, 0..1 (countries named add to it)."""
    return diplomatic_from_hits(keyword_hits(canon(title), canon(body)), n_countries)


# --- reader queries --------------------------------------------------------------


def _key(text: str) -> str:
    return " ".join(re.sub(r"[^\w]+", " ", fold(canon(text))).split())


@lru_cache(maxsize=1)
def _lookup() -> dict[str, str]:
    table = {_key(name): name for name in TAXONOMY}
    for name in TAXONOMY:
        for part in re.split(r"\s+—\s+|/", name):
            table.setdefault(_key(part), name)
    for alias, name in TOPIC_ALIASES.items():
        table.setdefault(_key(alias), name)
    return table


def resolve_topic(query: str) -> str | None:
    """The taxonomy name a reader means (`kinh te`, `ASEAN`, `vắc xin`), or None."""
    key = _key(query)
    if not key:
        return None
    table = _lookup()
    if key in table:
        return table[key]
    best = fuzzy_pick(key, list(table))
    return table[best] if best else None


def suggest_topics(query: str, n: int = 3) -> list[str]:
    """Closest taxonomy names to a query, best first."""
    from rapidfuzz import fuzz, process

    table = _lookup()
    out: list[str] = []
    for choice, _score, _ in process.extract(_key(query), list(table), scorer=fuzz.WRatio,
                                             limit=n * 4):
        if table[choice] not in out:
            out.append(table[choice])
    return out[:n]

"""Each chat's time zone: `/timezone` sets it (issue 15, bot.timezone_command), everything that
shows or schedules by local time reads it through `chat_zone`; and how a typed zone is read.

A chat without one uses DIPLOBOT_TZ (Settings.tz). `bot.handlers.dispatch` gives each handler
a context in its chat's zone, so listings, /article, /events and /subscriptions show the chat's
dates and times; the digest's hour is read through `chat_zone` by bot.outbox. A leaf module
(nothing of the bot's), so the delivery side can use it. A zone is typed as an IANA name in any case (`asia/tokyo`), as the last part of one
(`Tokyo`, `New York`), or as a city in Vietnamese or English, with or without diacritics
(`Luân Đôn`, `Mat-xco-va`, `TP. Hồ Chí Minh`).
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from rapidfuzz import fuzz, process

from diplobot.text import fold


def chat_zone(chat: dict[str, Any] | None, default: ZoneInfo) -> ZoneInfo:
    """The chat's zone (`chats.timezone`), else `default`; a name no longer known falls back too."""
    name = (chat or {}).get("timezone")
    if not name:
        return default
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return default


# --- reading a zone -------------------------------------------------------------------------

# (name shown, IANA zone, other names): capitals and big cities readers of Vietnamese
# diplomatic news ask for, in Vietnamese and English; any IANA city (`Lisbon`) works besides.
CITIES: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("Hà Nội", "Asia/Ho_Chi_Minh", ("Hanoi", "Việt Nam", "Vietnam")),
    ("TP. Hồ Chí Minh", "Asia/Ho_Chi_Minh", ("Hồ Chí Minh", "TPHCM", "HCM", "Sài Gòn", "Saigon", "Ho Chi Minh City")),
    ("Tokyo", "Asia/Tokyo", ("Tô-ky-ô", "Nhật Bản", "Japan")),
    ("Seoul", "Asia/Seoul", ("Xơ-un", "Hàn Quốc", "Korea")),
    ("Bắc Kinh", "Asia/Shanghai", ("Beijing", "Thượng Hải", "Trung Quốc", "China")),
    ("Hồng Kông", "Asia/Hong_Kong", ("Hong Kong", "Hương Cảng")),
    ("Đài Bắc", "Asia/Taipei", ("Taipei",)),
    ("Viêng Chăn", "Asia/Vientiane", ("Vientiane", "Lào", "Laos")),
    ("Phnôm Pênh", "Asia/Phnom_Penh", ("Phnom Penh", "Campuchia", "Cambodia")),
    ("Băng Cốc", "Asia/Bangkok", ("Bangkok", "Thái Lan", "Thailand")),
    ("Singapore", "Asia/Singapore", ("Xin-ga-po",)),
    ("Kuala Lumpur", "Asia/Kuala_Lumpur", ("Malaysia",)),
    ("Gia-các-ta", "Asia/Jakarta", ("Jakarta", "Indonesia")),
    ("Ma-ni-la", "Asia/Manila", ("Manila", "Philippines")),
    ("Yangon", "Asia/Yangon", ("Myanmar", "Rangoon")),
    ("Niu Đê-li", "Asia/Kolkata", ("New Delhi", "Delhi", "Ấn Độ", "India")),
    ("Dubai", "Asia/Dubai", ("Đu-bai",)),
    ("Mát-xcơ-va", "Europe/Moscow", ("Moscow", "Moskva", "Nga", "Russia")),
    ("Luân Đôn", "Europe/London", ("London", "Anh", "UK")),
    ("Paris", "Europe/Paris", ("Pa-ri", "Pháp", "France")),
    ("Berlin", "Europe/Berlin", ("Béc-lin", "Đức", "Germany")),
    ("Rô-ma", "Europe/Rome", ("Rome", "Roma", "Italia", "Italy")),
    ("Madrid", "Europe/Madrid", ("Tây Ban Nha", "Spain")),
    ("Brúc-xen", "Europe/Brussels", ("Brussels", "Bruxelles", "Bỉ", "Belgium")),
    ("Giơ-ne-vơ", "Europe/Zurich", ("Geneva", "Genève", "Thụy Sĩ", "Switzerland")),
    ("Washington", "America/New_York", ("Oa-sinh-tơn", "Washington DC", "Hoa Kỳ", "Mỹ", "USA")),
    ("New York", "America/New_York", ("Niu Oóc", "Nữu Ước", "NYC")),
    ("San Francisco", "America/Los_Angeles", ("Los Angeles", "Xan Phran-xi-xcô")),
    ("Ốt-ta-oa", "America/Toronto", ("Ottawa", "Toronto", "Canada")),
    ("Bra-xi-li-a", "America/Sao_Paulo", ("Brasilia", "Brasília", "Brazil")),
    ("Canberra", "Australia/Sydney", ("Can-bê-ra", "Sydney", "Xít-ni", "Úc", "Australia")),
    ("Wellington", "Pacific/Auckland", ("Auckland", "New Zealand", "Niu Di-lân")),
    ("Cairo", "Africa/Cairo", ("Ai Cập", "Egypt")),
    ("Pretoria", "Africa/Johannesburg", ("Johannesburg", "Nam Phi", "South Africa")),
    ("UTC", "UTC", ("GMT",)),
)
MAX_ZONE_CHARS = 64
_REGIONS = ("Africa/", "America/", "Asia/", "Atlantic/", "Australia/", "Europe/", "Indian/", "Pacific/")
_SEPARATORS = re.compile(r"[\s\-._]+")


def _key(text: str) -> str:
    """`Mát-xcơ-va` → `mat xco va`: folded, separators as one space."""
    return _SEPARATORS.sub(" ", fold(text)).strip()


@lru_cache(maxsize=1)
def _names() -> dict[str, str]:
    """Every name a zone is read by → its IANA name: the table, each IANA name, its city part."""
    names: dict[str, str] = {}
    for zone in sorted(available_timezones()):  # ~600 names, read once
        names.setdefault(zone.lower(), zone)
        if zone.startswith(_REGIONS):
            names.setdefault(_key(zone.rsplit("/", 1)[1]), zone)
    for shown, zone, others in CITIES:
        for name in (shown, *others):
            names[_key(name)] = zone
    return names


def read_zone(text: str) -> ZoneInfo | None:
    """The zone `text` names (an IANA name in any case, an IANA city, a city of `CITIES`); None if none."""
    text = text.strip()
    if not text or len(text) > MAX_ZONE_CHARS:
        return None
    names = _names()
    zone = names.get(text.replace(" ", "_").lower()) or names.get(_key(text))
    return ZoneInfo(zone) if zone else None


def close_zones(text: str, limit: int = 3) -> list[str]:
    """IANA names of the zones whose names are closest to `text` (rapidfuzz), best first."""
    names = _names()
    found = process.extract(_key(text[:MAX_ZONE_CHARS]), list(names), scorer=fuzz.WRatio, limit=limit * 4,
                            score_cutoff=75)
    return list(dict.fromkeys(names[name] for name, _, _ in found))[:limit]


def city_of(key: str) -> str:
    """How a zone is named to readers: its city in CITIES (`Europe/London` → `Luân Đôn`), else the
    last part of its IANA name (`America/Argentina/Buenos_Aires` → `Buenos Aires`)."""
    for name, zone, _ in CITIES:
        if zone == key:
            return name
    return key.rsplit("/", 1)[-1].replace("_", " ")

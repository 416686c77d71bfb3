"""Local time as readers type it and read it: a time of day (`7h30` → `07:30`) and the
label of a time zone (`giờ Việt Nam`).

A leaf module (no handler imports), so every handler module can use it: /digest_time,
/quiet (bot.alerts) and /subscriptions.
"""

from __future__ import annotations

import re
from zoneinfo import ZoneInfo

from bot.timezones import city_of
from diplobot.text import fold

# ASCII digits only: `\d` alone also takes `٧` or `७`, and `7:3٠` was stored as a digest time.
_TIME_RE = re.compile(r"^([01]?[0-9]|2[0-3])(?:[:hg.]([0-5][0-9])?)?$")


def parse_time(text: str) -> str | None:
    """`7:30`, `07:30`, `7h30`, `7h`, `19` → `HH:MM`; None when it is not a time of day."""
    match = _TIME_RE.match(fold(text.strip()).replace(" ", ""))
    if not match:
        return None
    return f"{int(match.group(1)):02d}:{match.group(2) or '00'}"


def tz_label(tz: ZoneInfo) -> str:
    """`giờ Việt Nam`, `giờ Luân Đôn` (a city of `bot.timezones.CITIES`), else `giờ Lisbon` (the
    zone's own city)."""
    if tz.key in ("Asia/Ho_Chi_Minh", "Asia/Saigon"):
        return "giờ Việt Nam"
    return f"giờ {city_of(tz.key)}"

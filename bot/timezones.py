"""Each chat's time zone: `/timezone` sets it (issue 15), everything that shows or schedules
by local time reads it through `chat_zone`.

A chat without one uses DIPLOBOT_TZ (Settings.tz).
"""

from __future__ import annotations

from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError


def chat_zone(chat: dict[str, Any] | None, default: ZoneInfo) -> ZoneInfo:
    """The chat's zone (`chats.timezone`), else `default`; a name no longer known falls back too."""
    name = (chat or {}).get("timezone")
    if not name:
        return default
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return default

"""How news arrives in a chat (issue 15): alerts, the quiet window, daily or weekly digests.

- `/alerts on|off` (`bật|tắt`): each stored article that matches one of the chat's
  subscriptions is sent once, as soon as it is stored (the bot's poll wakes delivery;
  otherwise the minute tick or cron's `diplobot digest` plans it).
- `/quiet 22:00-07:00`: alerts are held inside the window (the chat's time zone) and sent,
  all as one message, once it ends; `/quiet tắt` removes it.
- `/digest_weekly`: the digest on Monday at the chat's time, covering the week;
  `/digest_daily` goes back.

The commands live in bot.alert_commands: this module is imported by bot.delivery, which the
handler registry must not reach back to.

Exactly once: `plan_alerts` queues each message in the delivery log in the transaction that
records its articles in `chat_articles` and moves the chat's `alert_until` on
(`storage.deliveries.record_alerts`); the digest planner leaves out what a chat already had.
An article alerted is never in a digest, and a crash anywhere sends nothing twice.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta, timezone
from typing import Any
from zoneinfo import ZoneInfo

from bot.clock import parse_time, tz_label
from bot.digest import MAX_WINDOW, card, heading_for, importance, split_message, topic_for
from bot.matcher import SubscriptionIndex
from bot.outbox import TERMINAL_CHAT_ID
from bot.timezones import chat_zone
from diplobot.settings import Settings
from diplobot.text import fold
from storage import follow
from storage import subscriptions as subs
from storage.deliveries import AlertMessage, ChatAlerts, record_alerts
from storage.times import now_iso, parse_iso

# A run reads back this far behind the previous one: an article whose `fetched_at` was set
# before a writer waited for the lock (storage.tx, up to a minute) is still found;
# `chat_articles` keeps what was already sent out of the overlap.
OVERLAP = timedelta(minutes=5)
BUNDLE_OVER = 5  # more new articles than this at once (the bot was down): one message
_WINDOW_RE = re.compile(r"^(.+?)\s*(?:-|–|—|\bden\b|\bto\b)\s*(.+)$")
FOOTER = "<i>Tắt báo tin ngay: /alerts off · Giờ yên lặng: /quiet</i>"


# --- the quiet window -------------------------------------------------------------------------

@dataclass(frozen=True)
class QuietWindow:
    """`start`–`end` in the chat's local time; it may run past midnight (22:00–07:00)."""

    start: time
    end: time

    @classmethod
    def of(cls, chat: dict[str, Any]) -> "QuietWindow | None":
        if not chat.get("quiet_start") or not chat.get("quiet_end"):
            return None
        return cls(time.fromisoformat(chat["quiet_start"]), time.fromisoformat(chat["quiet_end"]))

    def holds(self, local: datetime) -> bool:
        now = local.time().replace(tzinfo=None)
        if self.start < self.end:
            return self.start <= now < self.end
        return now >= self.start or now < self.end

    def last_end(self, local: datetime) -> datetime:
        """When the window last ended, at or before `local` (aware, in `local`'s zone)."""
        end = datetime.combine(local.date(), self.end, local.tzinfo)
        return end if end <= local else datetime.combine(local.date() - timedelta(days=1), self.end, local.tzinfo)

    def label(self) -> str:
        return f"{self.start:%H:%M}–{self.end:%H:%M}"


def parse_window(text: str) -> QuietWindow | None:
    """`22:00-07:00`, `22h-7h`, `22:00 đến 07:00` → a window; None for anything else
    (`25:00-99:00`, a start equal to its end)."""
    match = _WINDOW_RE.match(fold(text.strip()))
    if not match:
        return None
    start, end = parse_time(match.group(1)), parse_time(match.group(2))
    if start is None or end is None or start == end:
        return None
    return QuietWindow(time.fromisoformat(start), time.fromisoformat(end))


# --- planning ---------------------------------------------------------------------------------

@dataclass
class AlertPlan:
    """The outcome of one alert planning run."""

    chats: int = 0  # chats with alerts on
    held: int = 0  # inside their quiet window: nothing planned for them now
    messages: int = 0
    articles: int = 0
    recorded: list[int] = field(default_factory=list)  # chats whose alerts this run queued

    def summary_line(self) -> str:
        return (f"alerts: {self.messages} messages ({self.articles} articles) to {len(self.recorded)} chats, "
                f"{self.held} chats in their quiet window")


def plan_alerts(db, settings: Settings, now: datetime | None = None, chat_ids: list[int] | None = None) -> AlertPlan:
    """Queue, for each chat with alerts on and not in its quiet window, the articles stored
    since its `alert_until` that match its subscriptions (`bot.matcher`) and are diplomatic,
    each once; what a quiet window held goes as one message. One write transaction."""
    now = now or datetime.now(timezone.utc)
    chats = [c for c in follow.alert_chats(db) if c["chat_id"] != TERMINAL_CHAT_ID
             and (chat_ids is None or c["chat_id"] in chat_ids)]
    plan = AlertPlan(chats=len(chats))
    awake = {}
    for chat in chats:
        window = QuietWindow.of(chat)
        if window is not None and window.holds(now.astimezone(chat_zone(chat, settings.tz))):
            plan.held += 1
        else:
            awake[chat["chat_id"]] = chat
    if not awake:
        return plan
    since = {cid: max(parse_iso(c["alert_until"]) or now, now - MAX_WINDOW) for cid, c in awake.items()}
    found = _matches(db, settings, awake, since, now)
    texts: dict[tuple, list[str]] = {}  # rendered once per article, heading and zone, not per chat
    planned = []
    for chat_id, chat in awake.items():
        items = found.get(chat_id, [])
        stale = since[chat_id] < now - 2 * OVERLAP
        if not items and not stale:
            continue  # nothing to queue, and its window is still short: no write
        until = now_iso(max(since[chat_id], now - OVERLAP))
        planned.append(ChatAlerts(chat_id, chat["alert_until"], until, alert_messages(chat, items, settings, now, texts)))
    plan.recorded = record_alerts(db, planned)
    recorded = set(plan.recorded)
    for chat in planned:
        if chat.chat_id in recorded:
            plan.messages += len(chat.messages)
            plan.articles += sum(len(m.article_ids) for m in chat.messages)
    return plan


@dataclass
class Found:
    """An article for one chat's alerts, with what `bot.matcher` said of it."""

    item: dict[str, Any]
    matches: int  # how many of the chat's subscriptions it matches
    subscriptions: list[dict[str, Any]]  # the chat's
    keys: set[tuple[str, str]]  # the subscription keys it matched (for the heading)


def _matches(db, settings: Settings, awake: dict[int, dict[str, Any]], since: dict[int, datetime],
             now: datetime) -> dict[int, list[Found]]:
    """chat id → the articles it has not had, stored after its `since`, that match it."""
    pool = subs.digest_pool(db, min(since.values()), now, settings.diplomatic_threshold)
    if not pool:
        return {}
    by_chat = subs.subscriptions_by_chat(db, list(awake))
    index = SubscriptionIndex.build(by_chat)
    taken = follow.taken_articles(db, list(awake), [item["id"] for item in pool])
    found: dict[int, list[Found]] = {}
    for item in pool:
        fetched = parse_iso(item["fetched_at"])
        match = index.match(item)  # once per article, whatever the number of chats
        for chat_id, matches in index.chats_for(item, match).items():
            if chat_id in since and fetched > since[chat_id] and item["id"] not in taken.get(chat_id, ()):
                found.setdefault(chat_id, []).append(Found(item, matches, by_chat.get(chat_id, []), match.keys))
    return found


def alert_messages(chat: dict[str, Any], items: list[Found], settings: Settings, now: datetime,
                   texts: dict[tuple, list[str]] | None = None) -> list[AlertMessage]:
    """Per forum topic (that of the first subscription an article matches; None: General, or
    no forum): one message per article; one for all of them when a quiet window held some
    (stored before it last ended) or when there are more than BUNDLE_OVER. `texts` caches
    single alerts across the chats of a run."""
    texts = {} if texts is None else texts
    by_topic: dict[int | None, list[Found]] = {}
    for found in items:
        by_topic.setdefault(topic_for(found.subscriptions, found.keys), []).append(found)
    messages = []
    for thread_id, found in by_topic.items():
        for message in _topic_messages(chat, found, settings, now, texts):
            message.thread_id = thread_id
            messages.append(message)
    return messages


def _topic_messages(chat: dict[str, Any], items: list[Found], settings: Settings, now: datetime,
                    texts: dict[tuple, list[str]]) -> list[AlertMessage]:
    tz = chat_zone(chat, settings.tz)
    window = QuietWindow.of(chat)
    held = window is not None and any(
        parse_iso(found.item["fetched_at"]) < window.last_end(now.astimezone(tz)) for found in items)
    if not held and len(items) <= BUNDLE_OVER:
        singles = []
        for found in items:
            item, heading = found.item, heading_for(found.item, found.subscriptions, found.keys)
            key = (item["id"], heading, tz.key)
            if key not in texts:
                texts[key] = single_alert(item, heading, tz)
            singles.append(AlertMessage(f"a{item['id']}", [item["id"]], texts[key]))
        return singles
    ranked = [found.item for found in sorted(items, key=lambda found: importance(found.item, found.matches))]
    ids = [item["id"] for item in ranked]
    return [AlertMessage(f"a{ids[0]}+{len(ids)}", ids, bundle(ranked, tz, window if held else None))]


def single_alert(item: dict[str, Any], heading: str, tz: ZoneInfo) -> list[str]:
    return split_message([("", card(item, None, tz)), ("", FOOTER)], f"🔔 <b>Tin mới</b> · {heading}")


def bundle(ranked: list[dict[str, Any]], tz: ZoneInfo, window: QuietWindow | None) -> list[str]:
    count = len(ranked)
    if window is not None:
        header = f"🌙 <b>{count} tin mới trong giờ yên lặng</b> ({window.label()}) theo đăng ký của bạn."
    else:
        header = f"🔔 <b>{count} tin mới</b> theo đăng ký của bạn."
    blocks = [("", card(item, number, tz)) for number, item in enumerate(ranked, 1)]
    return split_message([*blocks, ("", FOOTER)], header)


# --- what /subscriptions says -----------------------------------------------------------------

def digest_time_of(chat: dict[str, Any], settings: Settings) -> str:
    return chat.get("digest_time") or settings.digest_time


def arrival_lines(chat: dict[str, Any] | None, settings: Settings) -> list[str]:
    """How news reaches this chat: the digest (daily or weekly, or off), alerts, the quiet window."""
    chat = chat or {}
    zone = tz_label(chat_zone(chat, settings.tz))
    weekly = chat.get("digest_frequency") == follow.WEEKLY
    every = "hằng tuần" if weekly else "hằng ngày"
    if not follow.digest_on(chat):
        lines = [f"⏸ Bản tin {every} đang <b>tắt</b>. Bật lại: /digest_on"]
    elif weekly:
        lines = [f"⏰ Bản tin hằng tuần vào <b>thứ Hai</b> lúc <b>{digest_time_of(chat, settings)}</b> ({zone}). "
                 "Đổi giờ: /digest_time · Hằng ngày: /digest_daily · Tắt: /digest_off"]
    else:
        lines = [f"⏰ Bản tin hằng ngày lúc <b>{digest_time_of(chat, settings)}</b> ({zone}). "
                 "Đổi giờ: /digest_time · Hằng tuần: /digest_weekly · Tắt: /digest_off"]
    if chat.get("alerts"):
        lines.append("🔔 Báo tin ngay: <b>bật</b> — mỗi tin mới gửi một lần, không lặp lại trong bản tin. "
                     "Tắt: /alerts off")
    else:
        lines.append("🔕 Báo tin ngay: tắt. Bật: /alerts on")
    window = QuietWindow.of(chat)
    if window is not None:
        lines.append(f"🌙 Giờ yên lặng <b>{window.label()}</b> ({zone}): tin báo ngay được giữ lại, "
                     f"gửi gộp một lần lúc {window.end:%H:%M}. Bỏ: /quiet tắt")
    return lines

"""What to send: due digests, channel broadcasts and admin announcements, planned into the
delivery log as 'pending' rows with their text. Sending them is `bot.delivery`'s job.

Planning is idempotent: a chat's digest day is marked in the same transaction that queues
its parts, an article goes to a channel once (row `chat, article id, 'article'`), and a
second planning run finds nothing new to queue.
"""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from typing import Any, Protocol
from zoneinfo import ZoneInfo

from bot.digest import Digest, announcement, article_message, build_digest, window_start
from bot.matcher import PoolMatches, SubscriptionIndex
from bot.timezones import chat_zone
from diplobot.settings import Settings
from storage import deliveries, follow
from storage import subscriptions as subs
from storage.times import now_iso, parse_iso

log = logging.getLogger(__name__)

PLAN_BATCH = 500  # chats planned per transaction
TERMINAL_CHAT_ID = 0  # the terminal chat's pseudo chat: shown by --dry-run, never sent to
MONDAY = 0  # datetime.weekday(): the weekly digest's day


@dataclass
class ChatInfo:
    id: int
    type: str
    title: str | None = None
    username: str | None = None


class ChatResolver(Protocol):
    async def get_chat(self, chat: int | str) -> ChatInfo: ...


@dataclass
class Plan:
    """The outcome of one planning run."""

    due: int = 0
    digests: list[Digest] = field(default_factory=list)  # with news, in chat order (texts: dry runs only)
    recorded: list[int] = field(default_factory=list)  # chats whose digest was queued by this run
    messages: int = 0

    @property
    def empty(self) -> int:
        return self.due - len(self.digests)


def local_now(now: datetime, tz: ZoneInfo) -> datetime:
    return now.astimezone(tz)


def is_due(chat: dict[str, Any], now_local: datetime, default_time: str, force: bool = False) -> bool:
    """Today's digest not planned yet, and the chat's time has come (or `force`); a weekly
    digest (`/digest_weekly`) only on Mondays, or with `force`. `now_local` is in the chat's zone."""
    today = now_local.date().isoformat()
    if chat.get("digest_day") and chat["digest_day"] >= today:
        return False
    if force:
        return True
    if is_weekly(chat) and now_local.weekday() != MONDAY:
        return False
    return now_local.strftime("%H:%M") >= (chat.get("digest_time") or default_time)


def is_weekly(chat: dict[str, Any]) -> bool:
    return chat.get("digest_frequency") == follow.WEEKLY


def _channel_subscription(chat: dict[str, Any]) -> list[dict[str, Any]]:
    return [{"kind": subs.ALL, "code": subs.ALL_CODE, "value": "", "created_at": chat.get("created_at")}]


def plan_digests(
    db, settings: Settings, now: datetime | None = None, *, force: bool = False,
    chat_ids: list[int] | None = None, channel_ids: list[int] | None = None, dry_run: bool = False,
) -> Plan:
    """Build the digests due at `now` and (unless `dry_run`) queue them in the delivery log.

    `channel_ids` are the broadcast channels, which get a daily digest of every diplomatic
    article when DIPLOBOT_BROADCAST=daily. `chat_ids` limits the run to those chats.
    """
    now = now or datetime.now(timezone.utc)
    daily_channels = list(channel_ids or []) if settings.broadcast == "daily" else []
    chats = subs.digest_chats(db, daily_channels)
    if chat_ids is not None:
        chats = [c for c in chats if c["chat_id"] in chat_ids]
    else:
        chats = [c for c in chats if c["chat_id"] != TERMINAL_CHAT_ID]
    zones = {c["chat_id"]: chat_zone(c, settings.tz) for c in chats}
    due = [c for c in chats if is_due(c, local_now(now, zones[c["chat_id"]]), settings.digest_time, force)]
    plan = Plan(due=len(due))
    if not due:
        return plan
    by_chat = subs.subscriptions_by_chat(db, [c["chat_id"] for c in due])
    for chat in due:
        if chat["chat_id"] in daily_channels:
            by_chat[chat["chat_id"]] = _channel_subscription(chat)
    since = min(window_start(c, by_chat.get(c["chat_id"], []), now) for c in due)
    pool = subs.digest_pool(db, since, now, settings.diplomatic_threshold)
    matches = PoolMatches(SubscriptionIndex.build(by_chat), pool)  # one index; each article matched once
    # What alerts (or another run's digest) already brought a chat is not in its digest.
    taken = follow.taken_articles(db, [c["chat_id"] for c in due], [item["id"] for item in pool])
    cards: dict = {}  # per zone: a card shows its dates in the chat's zone
    for start in range(0, len(due), PLAN_BATCH):  # bounded memory: texts go to the database batch by batch
        built = [
            build_digest(c, by_chat.get(c["chat_id"], []), _pool_for(pool, taken.get(c["chat_id"])),
                         local_now(now, zones[c["chat_id"]]).date(), now, zones[c["chat_id"]],
                         channel=c["chat_id"] in daily_channels, weekly=is_weekly(c),
                         cards=cards.setdefault(zones[c["chat_id"]].key, {}), matches=matches)
            for c in due[start:start + PLAN_BATCH]
        ]
        with_news = [d for d in built if d.parts]
        plan.digests += with_news
        plan.messages += sum(len(d.parts) for d in with_news)
        if not dry_run:
            plan.recorded += deliveries.record_digests(
                db, [(d.chat_id, d.day.isoformat(), now_iso(now), d.topics) for d in built]
            )
            for digest in with_news:
                digest.parts, digest.topics = [], []  # queued: the database holds the texts now
    return plan


def _pool_for(pool: list[dict[str, Any]], taken: set[int] | None) -> list[dict[str, Any]]:
    return [item for item in pool if item["id"] not in taken] if taken else pool


async def resolve_channels(db, settings: Settings, resolver: ChatResolver | None, record: bool = True) -> list[int]:
    """DIPLOBOT_CHANNELS as chat ids. An `@username` is resolved once with getChat and
    stored in `chats`; later runs read it from there. Unresolvable names are logged, skipped.
    `record=False` (dry runs) writes nothing and asks nobody."""
    ids: list[int] = []
    for entry in settings.channels:
        if entry.lstrip("-").isdigit():
            chat_id = int(entry)
            if record:
                subs.ensure_chat(db, chat_id, "channel" if chat_id < 0 else "private")
            ids.append(chat_id)
            continue
        known = subs.chat_by_username(db, entry)
        if known is not None:
            ids.append(known["chat_id"])
            continue
        if resolver is None or not record:
            log.warning("DIPLOBOT_CHANNELS: %s is not resolved yet (needs getChat); skipped", entry)
            continue
        try:
            info = await resolver.get_chat(entry)
        except Exception as exc:  # not found, bot not a member: say so, keep the others
            log.warning("DIPLOBOT_CHANNELS: cannot resolve %s (%s); add the bot to it or use its numeric id",
                        entry, exc)
            continue
        subs.ensure_chat(db, info.id, info.type, info.title, info.username or entry.lstrip("@"))
        ids.append(info.id)
    return ids


def sends_each_article(settings: Settings) -> bool:
    """DIPLOBOT_BROADCAST=each: the channels get every new diplomatic article as it is stored."""
    return settings.broadcast == "each"


def queue_articles(db, settings: Settings, channel_ids: list[int], article_ids: list[int]) -> int:
    """Each new diplomatic article to each channel (DIPLOBOT_BROADCAST=each); rows queued."""
    if not sends_each_article(settings) or not channel_ids or not article_ids:
        return 0
    items = subs.broadcast_articles(db, article_ids, settings.diplomatic_threshold)
    zones = {channel: chat_zone(subs.get_chat(db, channel), settings.tz) for channel in channel_ids}
    planned = []
    for item in items:
        by_zone = {zone.key: article_message(item, zone) for zone in set(zones.values())}  # dates in its zone
        planned += [(channel, item["id"], by_zone[zones[channel].key]) for channel in channel_ids]
    # Recorded in chat_articles too: a channel that also follows with /alerts or a digest
    # never gets an article twice.
    return deliveries.record_articles(db, planned)


CATCH_UP = timedelta(days=1)


def catch_up_articles(db, settings: Settings, channel_ids: list[int], now: datetime | None = None) -> int:
    """Queue, for each channel, the articles stored since it was configured (at most a day
    back) that it has not had yet (DIPLOBOT_BROADCAST=each): articles ingested by another
    process (`diplobot ingest`, cron) reach the channels within a minute without any hook."""
    if not sends_each_article(settings):
        return 0
    now = now or datetime.now(timezone.utc)
    queued = 0
    for channel in channel_ids:
        chat = subs.get_chat(db, channel) or {}
        since = max(parse_iso(chat.get("created_at")) or now, now - CATCH_UP)
        queued += queue_articles(db, settings, [channel], subs.ingested_since(db, since))
    return queued


def queue_announcement(db, text: str, chat_ids: list[int], now: datetime | None = None) -> int:
    """An admin's `/broadcast` to every subscriber; one item id per announcement."""
    now = now or datetime.now(timezone.utc)
    stamp = now.astimezone(timezone.utc).strftime("%Y%m%dT%H%M%S")
    item = f"{stamp}-{hashlib.sha1(text.encode()).hexdigest()[:8]}"
    parts = announcement(text)
    rows = [
        {"chat_id": chat_id, "item": item if len(parts) == 1 else f"{item}#{i}", "kind": "announce", "payload": part}
        for chat_id in chat_ids if chat_id != TERMINAL_CHAT_ID
        for i, part in enumerate(parts, 1)
    ]
    return deliveries.enqueue(db, rows)

"""A chat's daily digest: its matching articles, most important first, grouped by
province or country, cut into Telegram messages.

Pure functions over rows that `storage.subscriptions.digest_pool` returns; nothing here
reads the clock or sends anything, so a digest is easy to test and to print (`--dry-run`).
Which articles a chat's subscriptions match is `bot.matcher`'s to say: a planning run
matches its pool once (`PoolMatches`) and every chat's digest reads from that.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from bot.format import article_card, flag, format_day, province_label
from bot.matcher import PoolMatches
from bot.replies import esc
from bot.telegram_html import MESSAGE_LIMIT, plain_text, split_html, telegram_length
from diplobot.tags import Tags
from storage.deliveries import DigestTopic
from storage.subscriptions import ALL, EXCLUDE, KEYWORD, PERSON
from storage.follow import WEEKLY
from storage.times import parse_iso

# Room kept in every part for the "(tiếp, 2/3)" line added after splitting.
PART_MARK_ROOM = 80
FIRST_WINDOW = timedelta(days=1)  # a first digest reaches one day before the subscription
MAX_WINDOW = timedelta(days=7)  # a digest never reaches further back than this
# A weekly digest reaches back to the previous one even when this Monday's run comes later
# in the day than last Monday's (a week and some minutes), or a Monday was missed.
WEEKLY_MAX_WINDOW = timedelta(days=14)
SUMMARY_SENTENCES = 2
SUMMARY_CHARS = 320


@dataclass
class Digest:
    """What one chat gets for one day: `parts` are ready-to-send Telegram HTML messages.

    In a forum, one digest per topic its subscriptions were made in (`topics`); `parts` and
    `article_ids` are all of them, topic after topic."""

    chat_id: int
    day: date
    since: datetime
    until: datetime
    parts: list[str] = field(default_factory=list)
    article_ids: list[int] = field(default_factory=list)
    topics: list[DigestTopic] = field(default_factory=list)


# --- splitting (measured and cut by bot.telegram_html) --------------------------------------

def _hard_split(markup: str, budget: int) -> list[str]:
    """Last resort for one block too long for a message: its plain text, cut at spaces.

    Formatting is dropped so that no cut can fall inside a tag or an entity.
    """
    return split_html(esc(plain_text(markup).strip()), budget)


def split_message(blocks: list[tuple[str, str]], header: str = "", limit: int = MESSAGE_LIMIT) -> list[str]:
    """Pack blocks into messages of at most `limit` visible units, cutting only between blocks.

    `blocks` are (group heading, card) pairs; a card is never cut (unless it alone exceeds
    the limit), a heading always travels with a card, and a group that continues in the
    next message repeats its heading with "(tiếp)". Parts get "(tiếp, k/n)" when n > 1.
    """
    budget = limit - PART_MARK_ROOM
    parts: list[list[str]] = []
    current: list[str] = [header] if header else []
    size = telegram_length(header) if header else 0
    heading_open = None
    for heading, card in blocks:
        unit = card if heading == heading_open else f"{heading}\n{card}" if heading else card
        unit_len = telegram_length(unit)
        if current and size + 2 + unit_len > budget:
            parts.append(current)
            current, size = [], 0
            if heading and heading == heading_open:
                unit = f"{heading} <i>(tiếp)</i>\n{card}"
                unit_len = telegram_length(unit)
        if unit_len > budget:  # one card longer than a message: plain-text pieces
            parts.extend([[piece] for piece in _hard_split(unit, budget)])
            current, size = [], 0
        else:
            current.append(unit)
            size += unit_len + (2 if size else 0)
        heading_open = heading
    if current:
        parts.append(current)
    texts = ["\n\n".join(p) for p in parts]
    if len(texts) > 1:
        texts = [t if i == 0 else f"<i>(tiếp, {i + 1}/{len(texts)})</i>\n\n{t}" for i, t in enumerate(texts)]
        texts[0] = f"{texts[0]}\n\n<i>(1/{len(texts)})</i>"
    return texts


# --- choosing and ordering ----------------------------------------------------------------

def window_start(chat: dict[str, Any], subscriptions: list[dict[str, Any]], until: datetime) -> datetime:
    """Where this chat's digest window starts: its previous digest, else a day before it subscribed."""
    starts = [until - (WEEKLY_MAX_WINDOW if chat.get("digest_frequency") == WEEKLY else MAX_WINDOW)]
    previous = parse_iso(chat.get("digest_until"))
    first = min((parse_iso(s["created_at"]) for s in subscriptions if s.get("created_at")), default=None)
    if first is None:
        first = parse_iso(chat.get("created_at")) or until
    starts.append(first - FIRST_WINDOW)
    if previous is not None:
        starts.append(previous)
    return max(starts)


def sub_key(sub: dict[str, Any]) -> tuple[str, str]:
    return sub["kind"], sub["code"]


def importance(item: dict[str, Any], matches: int) -> tuple:
    """Sort key: more matching subscriptions, more sources, more diplomatic, newer."""
    score = item.get("is_diplomatic")
    return (-matches, -(item.get("sources") or 1), -(score if score is not None else -1.0),
            -_timestamp(item.get("published_at") or item.get("fetched_at")), -item["id"])


def _timestamp(value: str | None) -> float:
    try:
        return parse_iso(value).timestamp() if value else 0.0
    except ValueError:
        return 0.0


def sub_heading(sub: dict[str, Any]) -> str:
    kind, value = sub["kind"], sub["value"]
    if kind in ("province", "province_new"):
        return f"📍 <b>{esc(province_label(value))}</b>"
    if kind == "country":
        return f"{flag(sub['code'])} <b>{esc(value)}</b>".strip()
    if kind == "topic":
        return f"🏷 <b>{esc(value)}</b>"
    if kind == KEYWORD:
        return f"🔑 «<b>{esc(value)}</b>»"
    if kind == PERSON:
        return f"👤 <b>{esc(value)}</b>"
    return ""


def heading_for(item: dict[str, Any], subscriptions: list[dict[str, Any]],
                matched: set[tuple[str, str]] | None = None) -> str:
    """The group an article is listed under: the chat's first subscription it matches
    (`matched`: the subscription keys `bot.matcher` found; a caller without them, such as
    one alert, gets them matched here for this chat alone), else (for `all`) its first
    province as it is now, else its first country."""
    if matched is None:
        matched = PoolMatches.for_chat(0, subscriptions, [item]).keys(item)
    for sub in subscriptions:
        if sub["kind"] not in (ALL, EXCLUDE, "topic") and sub_key(sub) in matched:
            return sub_heading(sub)
    tags: Tags = item["tags"]
    if tags.provinces:
        return f"📍 <b>{esc(province_label(tags.provinces[0].new))}</b>"
    if tags.countries:
        first = tags.countries[0]
        return f"{flag(first.code)} <b>{esc(first.name)}</b>".strip()
    for sub in subscriptions:
        if sub["kind"] == "topic" and sub_key(sub) in matched:
            return sub_heading(sub)
    return "📰 <b>Tin chung</b>"


def topic_for(subscriptions: list[dict[str, Any]], matched: set[tuple[str, str]]) -> int | None:
    """The forum topic an article goes to in a chat: that of the chat's first subscription it
    matches (`matched`: the keys `bot.matcher` found; `all` matches everything); None: General."""
    for sub in subscriptions:
        if sub["kind"] == ALL or (sub["kind"] != EXCLUDE and sub_key(sub) in matched):
            return sub.get("thread_id")
    return None


def short_summary(text: str | None, sentences: int = SUMMARY_SENTENCES, limit: int = SUMMARY_CHARS) -> str:
    """The first one or two sentences of a summary, cut at a word past `limit` characters."""
    text = " ".join((text or "").split())
    if not text:
        return ""
    ends = [m.end() for m in re.finditer(r"[.!?…](?=\s+[\"“(]?[A-ZÀ-ỸĐ0-9])", text)]
    if len(ends) >= sentences:
        text = text[: ends[sentences - 1]]
    if len(text) > limit:
        text = text[:limit].rsplit(" ", 1)[0].rstrip(",;:") + "…"
    return text


def card(item: dict[str, Any], number: int, tz: ZoneInfo | None) -> str:
    """An article card (title with link, date, outlet, tags) with a 1–2 sentence summary."""
    return article_card({**item, "summary": short_summary(item.get("summary"))}, number, tz)


def select(pool: list[dict[str, Any]], chat_id: int, matches: PoolMatches,
           since: datetime, until: datetime) -> list[tuple[dict[str, Any], int]]:
    """The articles of `pool` in (since, until] that match the chat's subscriptions (none
    of its exclusions), with how many they match, ranked."""
    chosen = []
    for item in pool:
        fetched = parse_iso(item.get("fetched_at"))
        if fetched is None or not since < fetched <= until:
            continue
        count = matches.count(chat_id, item)
        if count:
            chosen.append((item, count))
    chosen.sort(key=lambda pair: importance(*pair))
    return chosen


def grouped(chosen: list[tuple[dict[str, Any], int]], subscriptions: list[dict[str, Any]],
            matches: PoolMatches) -> list[tuple[str, list[dict]]]:
    """Groups in order of their most important article; articles in rank order inside."""
    groups: dict[str, list[dict]] = {}
    for item, _ in chosen:
        groups.setdefault(heading_for(item, subscriptions, matches.keys(item)), []).append(item)
    return list(groups.items())


def header_line(day: date, count: int, channel: bool = False, weekly: bool = False) -> str:
    if weekly:  # /digest_weekly: Monday's bulletin of the week
        line = f"🗞 <b>Bản tin ngoại giao hằng tuần</b> ({format_day(day)})\n{count} tin mới trong tuần"
    else:
        line = f"🗞 <b>Bản tin ngoại giao {format_day(day)}</b>\n{count} tin mới"
    return line + ("." if channel else " theo đăng ký của bạn.")


FOOTER = "<i>Quản lý đăng ký: /subscriptions · Đổi giờ: /digest_time · Tắt: /digest_off</i>"


def build_digest(
    chat: dict[str, Any], subscriptions: list[dict[str, Any]], pool: list[dict[str, Any]],
    day: date, until: datetime, tz: ZoneInfo | None = None, channel: bool = False,
    cards: dict[tuple[int, int], str] | None = None, weekly: bool = False,
    matches: PoolMatches | None = None,
) -> Digest:
    """The digest for one chat: empty `parts` when nothing matched (nothing is sent then).

    A channel (DIPLOBOT_BROADCAST=daily) gets no footer: its readers cannot run commands.
    `cards` caches formatted cards by (article id, number) across the chats of one run;
    `matches`, the run's pool matched once against every due chat's subscriptions (without
    it, the pool is matched here against this chat's alone).
    """
    cards = {} if cards is None else cards
    if matches is None:
        matches = PoolMatches.for_chat(chat["chat_id"], subscriptions, pool)
    since = window_start(chat, subscriptions, until)
    digest = Digest(chat["chat_id"], day, since, until)
    by_topic: dict[int | None, list[tuple[dict[str, Any], int]]] = {}  # a forum: one digest per topic
    for pair in select(pool, chat["chat_id"], matches, since, until):
        by_topic.setdefault(topic_for(subscriptions, matches.keys(pair[0])), []).append(pair)
    for thread_id, chosen in by_topic.items():
        topic = DigestTopic(thread_id)
        blocks: list[tuple[str, str]] = []
        number = 0
        for heading, items in grouped(chosen, subscriptions, matches):
            for item in items:
                number += 1
                key = (item["id"], number)
                if key not in cards:
                    cards[key] = card(item, number, tz)
                blocks.append((heading, cards[key]))
                topic.article_ids.append(item["id"])
        if not channel:
            blocks.append(("", FOOTER))
        topic.parts = split_message(blocks, header_line(day, number, channel, weekly))
        digest.topics.append(topic)
        digest.parts += topic.parts
        digest.article_ids += topic.article_ids
    return digest


def article_message(item: dict[str, Any], tz: ZoneInfo | None = None) -> list[str]:
    """One new article for a channel (DIPLOBOT_BROADCAST=each): its card, whole summary."""
    return split_message([("", article_card(item, None, tz))])


def announcement(text: str) -> list[str]:
    """An admin's `/broadcast` text, escaped (it is plain text, not markup)."""
    return split_message([("", esc(text.strip()))], header="📢 <b>Thông báo</b>")

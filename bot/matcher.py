"""Which chats a stored article matches: one index over every subscription, built once per run.

The one owner of "does this article match this chat's subscriptions", for digests
(bot.digest), alerts (bot.alerts) and benches. Matching one article must not grow with the
number of chats (issue 15): tag subscriptions are a dictionary lookup per tag key; keyword
and person subscriptions are extended here (an Aho–Corasick automaton over folded text).

An item is a row of `storage.subscriptions.digest_pool`/`broadcast_articles`: it has `id`,
`keys` (the (kind, code) tag pairs subscriptions match), `title`, `summary` and, where
keyword matching needs it, `body`.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from typing import Any

from storage.subscriptions import ALL


class SubscriptionIndex:
    """Every chat's subscriptions, inverted: tag key → chats, plus the chats that follow all."""

    def __init__(self) -> None:
        self._by_key: dict[tuple[str, str], list[int]] = defaultdict(list)
        self._all: set[int] = set()

    @classmethod
    def build(cls, subs_by_chat: Mapping[int, list[dict[str, Any]]]) -> "SubscriptionIndex":
        index = cls()
        for chat_id, subs in subs_by_chat.items():
            for sub in subs:
                index.add(chat_id, sub)
        return index

    def add(self, chat_id: int, sub: dict[str, Any]) -> None:
        if sub["kind"] == ALL:
            self._all.add(chat_id)
        else:
            self._by_key[(sub["kind"], sub["code"])].append(chat_id)

    def chats_for(self, item: dict[str, Any]) -> dict[int, int]:
        """chat id → how many of its subscriptions the article matches (`all` counts once)."""
        counts: dict[int, int] = dict.fromkeys(self._all, 1)
        for key in item.get("keys", ()):
            for chat_id in self._by_key.get(key, ()):
                counts[chat_id] = counts.get(chat_id, 0) + 1
        return counts

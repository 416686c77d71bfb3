"""The delivery log: one row per (chat, item, kind), an outbox that survives crashes.

Life of a row:

    pending ──claim──▶ sending ──▶ sent (message_id)
       ▲                  │──────▶ failed (BadRequest: error kept, batch goes on)
       └───release────────┤──────▶ uncertain (TimedOut, or found 'sending' after a crash)
       (RetryAfter, not   └──────▶ blocked (Forbidden: the chat is marked blocked)
        sent for sure)     pending ─▶ skipped (the chat blocked us before its turn)

A row is planned with its text (`payload`) and claimed, durably, before the send; only
'pending' rows are ever sent. So a restart sends exactly the rows that never reached
'sending': no duplicates, none lost. A row left in 'sending' may or may not have been
delivered (the Bot API has no idempotency key), so it becomes 'uncertain' and is not
resent unless an operator asks (`requeue_uncertain`, `diplobot digest --retry-uncertain`).

Claims and results from many concurrent sends are grouped into one transaction by
`DeliveryLog` (synchronous=FULL: a claim is on disk before its message leaves), written
from a worker thread so the fsync (≈ 4 ms here) never blocks the event loop.
"""

from __future__ import annotations

import asyncio
import functools
import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from typing import Any

import sqlite_utils

from storage.follow import taken_articles
from storage.times import now_iso
from storage.tx import database_path, write

PENDING, SENDING, SENT = "pending", "sending", "sent"
FAILED, UNCERTAIN, BLOCKED, SKIPPED = "failed", "uncertain", "blocked", "skipped"
STATUSES = (PENDING, SENDING, SENT, FAILED, UNCERTAIN, BLOCKED, SKIPPED)
# What a chat was sent or queued (storage.db `_follow`): written with the message, never twice.
_TAKE = "insert or ignore into chat_articles (chat_id, article_id, via, item, at) values (?, ?, ?, ?, ?)"


@dataclass
class Delivery:
    """A planned message; `rowid` identifies it even after its chat id moves (ChatMigrated)."""

    rowid: int
    chat_id: int
    item: str
    kind: str
    releases: int = 0  # times put back this run (sent for sure not)
    # Its forum topic: planned for TOPIC_KINDS (None: General), else the chat's at send time;
    # recorded with its result as the topic it went into.
    thread_id: int | None = None


# Kinds planned for one forum topic: the topic of the subscription that brought them
# (`deliveries.thread_id`, NULL: the General topic). Rows of other kinds (announcements,
# channel articles) go to the chat's latest topic (`chats.thread_id`) at send time.
TOPIC_KINDS = ("digest", "alert")
_QUEUE = ("insert or ignore into deliveries (chat_id, item, kind, status, payload, attempts, thread_id) "
          "values (?, ?, ?, 'pending', ?, 0, ?)")


def enqueue(db: sqlite_utils.Database, rows: Iterable[dict[str, Any]]) -> int:
    """Plan messages (chat_id, item, kind, payload, optional thread_id) as 'pending'; an
    existing row is kept as is.

    Call inside the caller's transaction (`storage.tx.write`) to plan together with other writes.
    """
    count = 0
    with write(db):
        for row in rows:
            count += db.execute(
                _QUEUE, [row["chat_id"], row["item"], row["kind"], row["payload"], row.get("thread_id")],
            ).rowcount
    return count


@dataclass
class DigestTopic:
    """The part of a chat's digest for one forum topic (None: the General topic, or no forum):
    the articles its subscriptions brought, as ready-to-send parts."""

    thread_id: int | None
    parts: list[str] = field(default_factory=list)
    article_ids: list[int] = field(default_factory=list)


def digest_item(day: str, thread_id: int | None, number: int) -> str:
    """A digest part's delivery item: `day#1`…, or `day#t5#1`… for the digest of topic 5."""
    return f"{day}#{number}" if thread_id is None else f"{day}#t{thread_id}#{number}"


def record_digests(db: sqlite_utils.Database,
                   planned: Iterable[tuple[int, str, str, list[DigestTopic]]]) -> list[int]:
    """Plan digests in one transaction: for each (chat_id, day, until, topics), mark the
    chat's day as done, queue each topic's parts (items `day#1`…, `day#t5#1`… for topic 5,
    with their `thread_id`) and record its articles in `chat_articles`. A chat whose day is
    already done (another run got there first) is left alone, and so is one that got one of
    these articles in between (an alert planned by another process): it is planned again,
    without that article, on the next run. Returns the chats recorded.

    `storage.tx.write` takes the write lock first (BEGIN IMMEDIATE), so two processes
    planning at once cannot both see the day as open.
    """
    done: list[int] = []
    conn = db.conn
    at = now_iso()
    with write(db):
        for chat_id, day, until, topics in planned:
            if taken_articles(db, [chat_id], [a for topic in topics for a in topic.article_ids]):
                continue
            claimed = conn.execute(
                "update chats set digest_day = ?, digest_until = ? where chat_id = ? "
                "and (digest_day is null or digest_day < ?)",
                [day, until, chat_id, day],
            ).rowcount
            if not claimed:
                continue
            done.append(chat_id)
            for topic in topics:
                conn.executemany(_QUEUE, [(chat_id, digest_item(day, topic.thread_id, i), "digest", part,
                                           topic.thread_id) for i, part in enumerate(topic.parts, 1)])
                item = digest_item(day, topic.thread_id, 1)
                conn.executemany(_TAKE, [(chat_id, a, "digest", item, at) for a in topic.article_ids])
    return done


@dataclass
class AlertMessage:
    """One alert: a single article, or the articles a quiet window held, as one message."""

    item: str  # the delivery item: `a<article id>`, or `a<first id>+<count>` for several
    article_ids: list[int]
    parts: list[str]  # Telegram HTML; more than one only when the text is too long for one message
    thread_id: int | None = None  # the forum topic of the subscription that matched (None: General)


@dataclass
class ChatAlerts:
    """What one planning run queues for one chat, and how far it read (`chats.alert_until`)."""

    chat_id: int
    since: str | None  # `alert_until` as the run read it
    until: str  # `alert_until` once this is queued
    messages: list[AlertMessage] = field(default_factory=list)


def record_alerts(db: sqlite_utils.Database, planned: Iterable[ChatAlerts]) -> list[int]:
    """Queue alerts in one transaction: per chat, its messages (kind `alert`), their articles
    in `chat_articles`, and `alert_until` moved on. A chat whose `alert_until` moved since
    the run read it (another run got there first, or alerts were turned off), or that got one
    of these articles in between (a digest planned by another process), is left alone and
    planned again on the next run. Returns the chats recorded."""
    planned = list(planned)
    done: list[int] = []
    messages, articles = [], []
    at = now_iso()
    with write(db):
        taken = taken_articles(db, [c.chat_id for c in planned],
                               {a for c in planned for m in c.messages for a in m.article_ids})
        for chat in planned:
            if any(a in taken.get(chat.chat_id, ()) for m in chat.messages for a in m.article_ids):
                continue
            if not db.conn.execute("update chats set alert_until = ? where chat_id = ? and alerts != 0 "
                                   "and alert_until is ?", [chat.until, chat.chat_id, chat.since]).rowcount:
                continue
            done.append(chat.chat_id)
            for message in chat.messages:
                messages += [(chat.chat_id, message.item if len(message.parts) == 1 else f"{message.item}#{i}",
                              "alert", part, message.thread_id) for i, part in enumerate(message.parts, 1)]
                articles += [(chat.chat_id, a, "alert", message.item, at) for a in message.article_ids]
        db.conn.executemany(_QUEUE, messages)
        db.conn.executemany(_TAKE, articles)
    return done


def record_articles(db: sqlite_utils.Database, planned: Iterable[tuple[int, int, list[str]]]) -> int:
    """Queue whole articles for channels (DIPLOBOT_BROADCAST=each) in one transaction: for each
    (chat_id, article_id, parts), its messages (kind `article`, items `id`, `id#2`…) and the
    article in `chat_articles`; an article the chat already had (broadcast, alerted, in a
    digest) is left out. Returns the rows queued."""
    planned = list(planned)
    rows, articles = [], []
    at = now_iso()
    with write(db):
        taken = taken_articles(db, {c for c, _, _ in planned}, {a for _, a, _ in planned})
        for chat_id, article_id, parts in planned:
            if article_id in taken.get(chat_id, ()):
                continue
            rows += [(chat_id, str(article_id) if len(parts) == 1 else f"{article_id}#{i}", part)
                     for i, part in enumerate(parts, 1)]
            articles.append((chat_id, article_id, "article", str(article_id), at))
        queued = sum(db.conn.execute("insert or ignore into deliveries (chat_id, item, kind, status, payload, attempts) "
                                     "values (?, ?, 'article', 'pending', ?, 0)", row).rowcount for row in rows)
        db.conn.executemany(_TAKE, articles)
    return queued


def pending(db: sqlite_utils.Database, chat_ids: list[int] | None = None) -> dict[int, list[Delivery]]:
    """Pending rows per chat, each chat's rows in planning order, chats in order of their oldest row.

    Texts stay in the database until their turn (`payload`): a 100k-chat fan-out would
    otherwise hold every message in memory at once.
    """
    where, args = "", []
    if chat_ids is not None:
        where, args = f" and chat_id in ({','.join('?' * len(chat_ids))})", list(chat_ids)
    out: dict[int, list[Delivery]] = {}
    for rowid, chat_id, item, kind, thread_id in db.execute(
        f"select rowid, chat_id, item, kind, thread_id from deliveries where status = 'pending'{where} order by rowid",
        args,
    ).fetchall():
        out.setdefault(chat_id, []).append(Delivery(rowid, chat_id, item, kind, thread_id=thread_id))
    return out


def payload(db: sqlite_utils.Database, row: Delivery) -> str:
    """The text of a planned message."""
    found = db.execute("select payload from deliveries where rowid = ?", [row.rowid]).fetchone()
    return (found[0] or "") if found else ""


def recover_stale(db: sqlite_utils.Database, older_than: timedelta = timedelta(seconds=60)) -> int:
    """Rows still 'sending' since before `older_than`: a crash between claim and result.

    Nothing proves they were not delivered, so they become 'uncertain' (never resent by
    themselves). Younger 'sending' rows may belong to a live process and are left alone.
    """
    cutoff = now_iso(datetime.now(timezone.utc) - older_than)
    with write(db):
        return db.execute(
            "update deliveries set status = 'uncertain', error = coalesce(error, 'claimed, no result (crash?)') "
            "where status = 'sending' and (claimed_at is null or julianday(claimed_at) <= julianday(?))",
            [cutoff],
        ).rowcount


def requeue_uncertain(db: sqlite_utils.Database, chat_ids: list[int] | None = None) -> int:
    """An operator's decision: send the uncertain rows again (a reader may see a message twice)."""
    where, args = "", []
    if chat_ids is not None:
        where, args = f" and chat_id in ({','.join('?' * len(chat_ids))})", list(chat_ids)
    with write(db):
        return db.execute(f"update deliveries set status = 'pending' where status = 'uncertain'{where}", args).rowcount


def skip_pending(db: sqlite_utils.Database, chat_id: int, reason: str) -> int:
    """A blocked chat's remaining rows are skipped, not kept for later."""
    with write(db):
        return db.execute(
            "update deliveries set status = 'skipped', error = ? where chat_id = ? and status = 'pending'",
            [reason, chat_id],
        ).rowcount


def status_counts(db: sqlite_utils.Database, kind: str | None = None) -> dict[str, int]:
    where, args = ("where kind = ?", [kind]) if kind else ("", [])
    return dict(db.execute(f"select status, count(*) from deliveries {where} group by status", args).fetchall())


# --- the group-commit log ------------------------------------------------------------------

_CLAIM = ("update deliveries set status = 'sending', claimed_at = ?, error = null, "
          "attempts = coalesce(attempts, 0) + 1 where rowid = ? and status = 'pending'")
_RELEASE = "update deliveries set status = 'pending' where rowid = ? and status = 'sending'"
# 'uncertain' too: another process may have judged our in-flight row stale; the result wins.
_FINISH = ("update deliveries set status = ?, message_id = ?, error = ?, sent_at = ?, thread_id = ? "
           "where rowid = ? and status in ('sending', 'uncertain')")
_LAST_DIGEST = "update chats set last_digest_at = ? where chat_id = ?"


class DeliveryLog:
    """Claims and results for one delivery run, committed in groups on a worker thread.

    `claim` and `release` wait until their transaction is committed (the send depends on
    it); `finish` only queues its write, which the next group (or `close`) commits.
    """

    def __init__(self, path: str):
        self._conn = sqlite3.connect(path, timeout=30, isolation_level=None, check_same_thread=False)
        self._conn.execute("pragma busy_timeout = 30000")
        self._conn.execute("pragma synchronous = FULL")
        self._queue: list[tuple[str, list, asyncio.Future | None]] = []
        self._wakeup = asyncio.Event()
        self._task: asyncio.Task | None = None
        self._inflight: asyncio.Future | None = None  # the commit running in a worker thread
        self._closed = False
        self.commits = 0

    @classmethod
    def for_db(cls, db: sqlite_utils.Database) -> "DeliveryLog":
        return cls(database_path(db))

    async def claim(self, row: Delivery) -> bool:
        """Mark the row 'sending' on disk; False when it is no longer pending (another run took it)."""
        return await self._execute(_CLAIM, [now_iso(), row.rowid]) == 1

    async def release(self, row: Delivery) -> None:
        """Back to 'pending': the message certainly did not leave (RetryAfter, no connection)."""
        await self._execute(_RELEASE, [row.rowid])

    def unclaim(self, row: Delivery) -> None:
        """`release` without waiting, for a claim interrupted by a shutdown (queued after it)."""
        self._submit(_RELEASE, [row.rowid])

    def finish(self, row: Delivery, status: str, message_id: int | None = None, error: str | None = None) -> None:
        sent_at = now_iso() if status == SENT else None
        self._submit(_FINISH, [status, message_id, (error or "")[:500] or None, sent_at, row.thread_id, row.rowid])
        if status == SENT and row.kind == "digest":
            self._submit(_LAST_DIGEST, [sent_at, row.chat_id])

    async def flush(self) -> None:
        """Wait until everything queued so far is committed."""
        await self._execute("select 1", [])

    async def close(self) -> None:
        """Commit everything queued, stop the writer, close the connection.

        Safe at shutdown: `asyncio.run` cancels every task at exit, this log's writer
        included, while the delivery run that owns it is still closing it. A writer that
        is gone is replaced for the last flush, and a commit still running in its thread
        is waited for; nothing queued is lost and nothing waits forever.
        """
        if self._closed:
            return
        try:
            await self.flush()
        finally:
            self._closed = True
            task, self._task = self._task, None
            if task is not None and not task.done():
                task.cancel()
                await asyncio.wait([task])
            if self._inflight is not None and not self._inflight.done():
                await asyncio.wait([self._inflight])
            self._conn.close()

    def _submit(self, sql: str, args: list, future: asyncio.Future | None = None) -> None:
        if self._closed:
            raise RuntimeError("delivery log is closed")
        self._queue.append((sql, args, future))
        self._wakeup.set()
        task = self._task
        if task is None or task.done() or task.cancelling():  # none yet, or cancelled by a shutdown
            self._wakeup = asyncio.Event()
            self._wakeup.set()
            self._task = asyncio.get_running_loop().create_task(self._run(self._wakeup))

    async def _execute(self, sql: str, args: list) -> int:
        future = asyncio.get_running_loop().create_future()
        self._submit(sql, args, future)
        return await future

    async def _run(self, wakeup: asyncio.Event) -> None:
        loop = asyncio.get_running_loop()
        while True:
            await wakeup.wait()
            wakeup.clear()
            if self._inflight is not None and not self._inflight.done():
                await asyncio.wait([self._inflight])  # a replaced writer's commit goes first
            batch, self._queue = self._queue, []
            if not batch:
                continue
            # An executor future, not a task: cancelling the writer (shutdown) neither
            # cancels the commit nor loses its results, which `_settle` hands out.
            job = loop.run_in_executor(None, self._commit, batch)
            job.add_done_callback(functools.partial(self._settle, batch))
            self._inflight = job
            await asyncio.wait([job])

    def _settle(self, batch: list[tuple[str, list, asyncio.Future | None]], job: asyncio.Future) -> None:
        """Hand each waiter its row count, or the error (a locked or broken database)."""
        error = RuntimeError("commit cancelled") if job.cancelled() else job.exception()
        counts = [] if error else job.result()
        if not error:
            self.commits += 1
        for i, (_, _, future) in enumerate(batch):
            if future is None or future.done():
                continue
            if error:
                future.set_exception(error)
            else:
                future.set_result(counts[i])

    def _commit(self, batch: list[tuple[str, list, asyncio.Future | None]]) -> list[int]:
        with write(self._conn):
            return [self._conn.execute(sql, args).rowcount for sql, args, _ in batch]

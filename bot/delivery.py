"""The delivery engine: sends the delivery log's 'pending' rows, politely and exactly once.

- Pacing: an overall rate (about 30 messages/s; AIORateLimiter in the Bot enforces it
  too, and 20/min per group or channel), one message per second per private chat (and
  one per 3 s per group or channel) — AIORateLimiter does not pace private chats —, and
  each chat's messages strictly in order (one send at a time per chat).
- Exactly once: a row is claimed ('sending', committed) just before its send and marked
  'sent' with the message id after; see `storage.deliveries` for the states.
- Errors (the RSS bots' classic failures): RetryAfter pauses every send for the time asked,
  then the same row is retried; ChatMigrated moves the chat to its new id and retries
  there; Forbidden marks the chat blocked and skips its rows; BadRequest fails that one
  row; TimedOut (the request may have reached Telegram) makes the row 'uncertain', never
  blindly resent — a duplicate in a reader's chat is worse than a gap an operator can
  see and fill (`diplobot digest --retry-uncertain`). A timeout or error that proves the
  request never left (pool or connect timeout, connection refused) puts the row back.
- Forum topics: a digest part or an alert goes into the topic planned with it, that of the
  subscription that brought it (`deliveries.thread_id`); other rows (/broadcast) into the
  topic of the chat's latest /subscribe (`chats.thread_id`). A topic deleted since
  (BadRequest "message thread not found") is forgotten — its subscriptions and pending rows
  move to General — and the same row goes to General.

Entry points: `run_digests` (the `diplobot digest` command), `broadcast_new_articles`
(after an ingest), and `schedule_jobs` (the bot's JobQueue wiring).
"""

from __future__ import annotations

import asyncio
import contextlib
import heapq
import logging
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from typing import Any, Protocol

from telegram.error import (
    BadRequest, ChatMigrated, Forbidden, InvalidToken, NetworkError, RetryAfter, TimedOut,
)

from bot.alerts import AlertPlan, plan_alerts
from bot.outbox import ChatInfo, Plan, catch_up_articles, plan_digests, queue_articles, resolve_channels
from bot.redact import protect_token, redact
from diplobot.settings import Settings
from storage import chats
from storage import deliveries as dlog
from storage import run_state
from storage.deliveries import BLOCKED, FAILED, SENT, UNCERTAIN, Delivery, DeliveryLog

log = logging.getLogger(__name__)

OVERALL_RATE = 30.0  # messages per second, Telegram's broadcast limit
PRIVATE_GAP = 1.0  # seconds between two messages to one private chat
GROUP_GAP = 3.0  # 20 per minute to one group or channel
STALE_AFTER = timedelta(seconds=60)  # a 'sending' row older than this is from a dead run
MAX_RELEASES = 5  # a row put back this often waits for the next run
# Chats sent to at once: at 30 msg/s and Telegram's 100-300 ms per call, about 9 are in flight.
CONCURRENCY = 16
SHUTDOWN_GRACE = 3.0  # seconds a send in flight gets to finish when the bot stops


class Sender(Protocol):
    """What the engine needs from Telegram; errors are `telegram.error` exceptions."""

    async def send(self, chat_id: int, text: str, preview: bool = False, thread_id: int | None = None) -> int:
        """Send into the forum topic `thread_id` (None: the chat itself, or a forum's General topic)."""
        ...

    async def get_chat(self, chat: int | str) -> ChatInfo: ...


class PTBSender:
    """A `Sender` over a python-telegram-bot `Bot` (the Application's, or `make_bot`'s)."""

    def __init__(self, bot: Any):
        from telegram import LinkPreviewOptions

        self.bot = bot
        self._previews = {flag: LinkPreviewOptions(is_disabled=not flag) for flag in (False, True)}

    async def send(self, chat_id: int, text: str, preview: bool = False, thread_id: int | None = None) -> int:
        message = await self.bot.send_message(
            chat_id, text, parse_mode="HTML", link_preview_options=self._previews[preview],
            message_thread_id=thread_id,
        )
        return message.message_id

    async def get_chat(self, chat: int | str) -> ChatInfo:
        info = await self.bot.get_chat(chat)
        return ChatInfo(info.id, info.type, info.title, info.username)


def file_base_url(api_base: str) -> str:
    """The file URL that goes with a Bot API base: `…/bot` → `…/file/bot` (PTB appends the token)."""
    if api_base.endswith("/bot"):
        return api_base[: -len("bot")] + "file/bot"
    if "/bot{token}" in api_base:
        return api_base.replace("/bot{token}", "/file/bot{token}")
    return api_base.rstrip("/") + "/file/bot"


def make_bot(settings: Settings, rate: float = OVERALL_RATE, connections: int = 2 * CONCURRENCY):
    """A standalone `ExtBot` for the CLI: settings' base URL, AIORateLimiter (overall `rate`
    per second, 20/min per group). RetryAfter is re-raised (max_retries=0): the engine
    handles it, so a row never sits claimed through a long flood wait. The token is
    registered with `bot.redact` first: PTB logs URLs with it at DEBUG."""
    from telegram.ext import AIORateLimiter, ExtBot
    from telegram.request import HTTPXRequest

    protect_token(settings.telegram_token)
    return ExtBot(
        settings.telegram_token,
        base_url=settings.telegram_api_base_url,
        base_file_url=file_base_url(settings.telegram_api_base_url),
        request=HTTPXRequest(connection_pool_size=connections, pool_timeout=5.0),
        rate_limiter=AIORateLimiter(overall_max_rate=rate, overall_time_period=1,
                                    group_max_rate=20, group_time_period=60, max_retries=0),
    )


def telegram_failure(exc: BaseException, api_base: str) -> str:
    """One line for the operator about a Bot API failure at start (no token, no traceback)."""
    if isinstance(exc, InvalidToken):
        return ("TELEGRAM_BOT_TOKEN was rejected by the Bot API server (401 Unauthorized): "
                "check the token @BotFather gave you")
    if isinstance(exc, NetworkError) and not isinstance(exc, BadRequest):
        return f"cannot reach the Bot API server at {redact(api_base)}: {redact(_one_line(exc))}"
    return f"the Bot API server refused the bot: {redact(_one_line(exc))}"


def _one_line(exc: BaseException) -> str:
    return " ".join(str(exc).split()) or type(exc).__name__


# --- pacing ------------------------------------------------------------------------------

class Pacing:
    """Overall rate, per-chat gaps and the global pause after a RetryAfter.

    One `Pacing` lives as long as the bot, so digests, broadcasts and announcements share
    it. Slots are spaced evenly (no burst) with a small catch-up allowance for timer jitter.
    """

    def __init__(self, rate: float = OVERALL_RATE, private_gap: float = PRIVATE_GAP,
                 group_gap: float = GROUP_GAP, clock: Callable[[], float] = time.monotonic):
        self.interval = 1.0 / rate if rate else 0.0
        self.private_gap = private_gap
        self.group_gap = group_gap
        self.clock = clock
        self._next_slot = 0.0
        self._last: dict[int, float] = {}
        self.resume_at = 0.0
        self.stopped = False  # the bot is shutting down: claim nothing more
        self._on_stop: set[Callable[[], None]] = set()

    def gap(self, chat_id: int) -> float:
        return self.group_gap if chat_id < 0 else self.private_gap

    def ready_at(self, chat_id: int) -> float:
        last = self._last.get(chat_id)
        return 0.0 if last is None else last + self.gap(chat_id)

    def sent(self, chat_id: int) -> None:
        now = self.clock()
        self._last[chat_id] = now
        if len(self._last) > 50_000:  # forget chats whose gap is long past
            self._last = {k: v for k, v in self._last.items() if now - v < self.group_gap}

    def pause(self, seconds: float) -> None:
        self.resume_at = max(self.resume_at, self.clock() + seconds)

    def stop(self) -> None:
        """Shutdown: every delivery run sharing this pacing stops claiming rows."""
        self.stopped = True
        for callback in list(self._on_stop):
            callback()

    async def slot(self) -> None:
        """Wait out a RetryAfter pause, then for the next overall slot (not after a stop)."""
        while not self.stopped and (wait := self.resume_at - self.clock()) > 0:
            await asyncio.sleep(min(wait, 1.0))
        if not self.interval:
            return
        now = self.clock()
        # Two slots of catch-up absorb timer overshoot without allowing a real burst.
        self._next_slot = max(self._next_slot, now - 2 * self.interval)
        wait = self._next_slot - now
        self._next_slot += self.interval
        if wait > 0:
            await asyncio.sleep(wait)


# --- the engine --------------------------------------------------------------------------

@dataclass
class DeliveryReport:
    sent: int = 0
    failed: int = 0
    uncertain: int = 0
    blocked: int = 0  # chats that blocked the bot during this run
    skipped: int = 0  # their rows not sent
    migrated: int = 0
    retry_after: int = 0  # RetryAfter answers honoured
    released: int = 0  # rows put back (certainly not sent) for a later try
    taken: int = 0  # rows another run claimed first
    aborted: str = ""
    seconds: float = 0.0
    errors: list[str] = field(default_factory=list)

    def summary_line(self) -> str:
        line = (f"sent {self.sent}, failed {self.failed}, uncertain {self.uncertain}, "
                f"blocked chats {self.blocked} ({self.skipped} skipped), migrated {self.migrated}, "
                f"RetryAfter {self.retry_after} in {self.seconds:.1f}s")
        return line + (f"; stopped: {self.aborted}" if self.aborted else "")


def _never_sent(exc: BaseException) -> str | None:
    """Why a failed request provably never reached Telegram: "unreachable" (no connection),
    "busy" (no free connection in our pool); None when it may have been delivered."""
    import httpx

    cause = exc.__cause__
    if isinstance(cause, (httpx.ConnectError, httpx.ConnectTimeout)):
        return "unreachable"
    if isinstance(cause, httpx.PoolTimeout):
        return "busy"
    return None


DONE, RETRY, HOLD = "done", "retry", "hold"  # what a lane does after one row


class Deliverer:
    """Sends pending rows: one worker per chat at a time, `concurrency` chats at once."""

    def __init__(self, db, sender: Sender, pacing: Pacing | None = None, concurrency: int = CONCURRENCY,
                 on_sent: Callable[[int], None] | None = None):
        self.db = db
        self.sender = sender
        self.pacing = pacing or Pacing()
        self.concurrency = concurrency
        self.on_sent = on_sent
        self.report = DeliveryReport()

    async def run(self, chat_ids: list[int] | None = None) -> DeliveryReport:
        started = time.perf_counter()
        if self.pacing.stopped:
            self.stop()
            return self.report
        lanes = {chat: deque(rows) for chat, rows in dlog.pending(self.db, chat_ids).items()}
        if lanes:
            self.pacing._on_stop.add(self.stop)
            self._lanes = lanes
            self._heap = [(self.pacing.ready_at(chat), n, chat) for n, chat in enumerate(lanes)]
            heapq.heapify(self._heap)
            self._seq = len(self._heap)
            self._busy = 0
            self._changed = asyncio.Event()
            self._log = DeliveryLog.for_db(self.db)
            workers = [asyncio.ensure_future(self._worker()) for _ in range(min(self.concurrency, len(lanes)))]
            try:
                await asyncio.gather(*workers)
            finally:  # one worker failing (or a shutdown) stops the others: no orphan sends
                self.pacing._on_stop.discard(self.stop)
                for worker in workers:
                    worker.cancel()
                await asyncio.gather(*workers, return_exceptions=True)
                await self._log.close()
        self.report.seconds = time.perf_counter() - started
        return self.report

    def stop(self) -> None:
        """Claim nothing more (a shutdown); sends in flight finish and are recorded."""
        if not self.report.aborted:
            self.report.aborted = "shutdown"
        changed = getattr(self, "_changed", None)
        if changed is not None:
            changed.set()

    async def _next_lane(self) -> int | None:
        """The chat whose next row may go first (its per-chat gap over); None when all done."""
        while not self.report.aborted:
            delay = None
            if self._heap:
                delay = self._heap[0][0] - self.pacing.clock()
                if delay <= 0:
                    self._busy += 1
                    return heapq.heappop(self._heap)[2]
            elif not self._busy:
                return None
            self._changed.clear()
            try:
                await asyncio.wait_for(self._changed.wait(), delay)
            except TimeoutError:
                pass
        return None

    async def _worker(self) -> None:
        while (lane := await self._next_lane()) is not None:
            rows = self._lanes[lane]
            try:
                outcome = await self._deliver(rows[0])
                if outcome == DONE:
                    rows.popleft()
                elif outcome == HOLD:  # this chat waits for a later run; its order is kept
                    rows.clear()
            finally:
                self._busy -= 1
                if rows and not self.report.aborted:
                    heapq.heappush(self._heap, (self.pacing.ready_at(rows[0].chat_id), self._seq, lane))
                    self._seq += 1
                self._changed.set()

    async def _deliver(self, row: Delivery) -> str:
        """Send one row: DONE (whatever its fate), RETRY (send it again) or HOLD."""
        await self.pacing.slot()
        if self.report.aborted:
            return HOLD
        try:
            claimed = await self._log.claim(row)
        except asyncio.CancelledError:  # shutdown: the claim may commit, but nothing was sent
            self._log.unclaim(row)
            raise
        if not claimed:
            self.report.taken += 1
            return DONE
        try:
            message_id = await self._send(row, dlog.payload(self.db, row))
        except asyncio.CancelledError:  # shutdown mid-send: it may have left, so never resent blindly
            self._log.finish(row, UNCERTAIN, error="interrupted by shutdown")
            self.report.uncertain += 1
            raise
        except RetryAfter as exc:
            await self._log.release(row)
            seconds = _seconds(exc.retry_after)
            log.warning("RetryAfter %.1fs from Telegram: pausing all sends", seconds)
            self.report.retry_after += 1
            self.pacing.pause(seconds)
            return RETRY  # the same row after the pause: nothing dropped, order kept
        except ChatMigrated as exc:
            await self._log.release(row)
            self._migrate(row.chat_id, exc.new_chat_id)
            return RETRY
        except Forbidden as exc:
            self._log.finish(row, BLOCKED, error=str(exc))
            await self._block(row.chat_id, str(exc))
            return HOLD
        except InvalidToken as exc:
            await self._log.release(row)
            self.report.aborted = f"invalid token ({exc})"
            return HOLD
        except BadRequest as exc:
            log.warning("chat %s, %s %s: %s", row.chat_id, row.kind, row.item, exc)
            self._log.finish(row, FAILED, error=str(exc))
            self.report.failed += 1
            self.report.errors.append(f"{row.chat_id} {row.kind} {row.item}: {exc}")
            return DONE
        except (TimedOut, NetworkError) as exc:
            why = _never_sent(exc)
            if why:
                return await self._put_back(row, why, exc)
            log.warning("chat %s, %s %s: %s; marked uncertain, not resent", row.chat_id, row.kind, row.item, exc)
            self._log.finish(row, UNCERTAIN, error=f"{type(exc).__name__}: {exc}")
            self.report.uncertain += 1
            return DONE
        except Exception as exc:  # a bug: unknown whether it left, so never resend blindly
            log.exception("chat %s, %s %s: unexpected error", row.chat_id, row.kind, row.item)
            self._log.finish(row, UNCERTAIN, error=f"{type(exc).__name__}: {exc}")
            self.report.uncertain += 1
            return DONE
        self._log.finish(row, SENT, message_id)
        self.pacing.sent(row.chat_id)
        self.report.sent += 1
        if self.on_sent:
            self.on_sent(1)
        return DONE

    async def _send(self, row: Delivery, text: str) -> int:
        """Send into the row's forum topic: a digest part's or an alert's own (planned from the
        subscription that brought it), any other row's the chat's latest (`chats.thread_id`).
        A topic deleted since (BadRequest "message thread not found": the message did not
        leave) sends the same row to the General topic, where that topic's subscriptions and
        rows go from now on."""
        preview = row.kind == "article"
        if row.kind not in dlog.TOPIC_KINDS:
            row.thread_id = chats.thread_of(self.db, row.chat_id)
        try:
            return await self.sender.send(row.chat_id, text, preview=preview, thread_id=row.thread_id)
        except BadRequest as exc:
            if row.thread_id is None or "thread not found" not in str(exc).lower():
                raise
        gone = row.thread_id
        log.warning("chat %s: forum topic %s not found (deleted?); sending to the General topic from now on",
                    row.chat_id, gone)
        chats.forget_thread(self.db, row.chat_id, gone)
        for rows in self._lanes.values():  # this run's rows for that topic: straight to General too
            for other in rows:
                if other.chat_id == row.chat_id and other.thread_id == gone:
                    other.thread_id = None
        row.thread_id = None
        return await self.sender.send(row.chat_id, text, preview=preview)

    async def _put_back(self, row: Delivery, why: str, exc: Exception) -> str:
        """The request never left: the row is pending again, for this run or the next."""
        await self._log.release(row)
        self.report.released += 1
        row.releases += 1
        if why == "unreachable":
            self.report.aborted = f"Bot API unreachable ({exc}); the rest stays pending"
            return HOLD
        if row.releases >= MAX_RELEASES:
            return HOLD
        await asyncio.sleep(0.5)
        return RETRY

    def _migrate(self, old_id: int, new_id: int) -> None:
        log.info("chat %s became supergroup %s: moving its subscriptions and deliveries", old_id, new_id)
        chats.migrate_chat(self.db, old_id, new_id)
        for rows in self._lanes.values():
            for r in rows:
                if r.chat_id == old_id:
                    r.chat_id = new_id
        self.report.migrated += 1

    async def _block(self, chat_id: int, reason: str) -> None:
        log.warning("chat %s blocked or removed the bot (%s); skipped until it comes back "
                    "(a channel needs the bot as an administrator allowed to post)", chat_id, reason)
        await self._log.flush()
        chats.set_blocked(self.db, chat_id, True)
        self.report.skipped += dlog.skip_pending(self.db, chat_id, "chat blocked the bot")
        self.report.blocked += 1


def _seconds(value: Any) -> float:
    return value.total_seconds() if isinstance(value, timedelta) else float(value)


# --- entry points ------------------------------------------------------------------------

@dataclass
class DigestRun:
    plan: Plan
    delivery: DeliveryReport | None = None
    recovered: int = 0
    requeued: int = 0
    caught_up: int = 0  # channel messages queued for articles stored by another process
    alerts: AlertPlan | None = None

    def summary_line(self) -> str:
        plan = self.plan
        line = (f"{plan.due} chats due: {len(plan.digests)} digests ({plan.messages} messages), "
                f"{plan.empty} without news")
        if self.alerts is not None and self.alerts.chats:
            line += f"; {self.alerts.summary_line()}"
        if self.recovered:
            line += f"; {self.recovered} interrupted sends marked uncertain"
        if self.delivery is not None:
            line += f"; {self.delivery.summary_line()}"
        return line


async def run_digests(
    db, settings: Settings, sender: Sender | None, *, now: datetime | None = None, force: bool = False,
    chat_ids: list[int] | None = None, dry_run: bool = False, retry_uncertain: bool = False,
    pacing: Pacing | None = None, stale_after: timedelta = STALE_AFTER, concurrency: int = CONCURRENCY,
    on_sent: Callable[[int], None] | None = None,
) -> DigestRun:
    """Plan the alerts and the due digests, and send every pending row (the API behind
    `diplobot digest`). Alerts first: an article alerted is not repeated in the digest.

    Idempotent: a second run plans nothing and finds nothing pending. `dry_run` plans
    digests without writing and sends nothing (`sender` may be None).
    """
    channels = await resolve_channels(db, settings, sender, record=not dry_run)
    if dry_run:
        return DigestRun(plan_digests(db, settings, now, force=force, chat_ids=chat_ids,
                                      channel_ids=channels, dry_run=True))
    run = DigestRun(Plan())
    run.recovered = dlog.recover_stale(db, stale_after)
    if retry_uncertain:
        run.requeued = dlog.requeue_uncertain(db, chat_ids)
    run.alerts = plan_alerts(db, settings, now, chat_ids)
    run.plan = plan_digests(db, settings, now, force=force, chat_ids=chat_ids, channel_ids=channels)
    if chat_ids is None:
        run.caught_up = catch_up_articles(db, settings, channels, now)
    run.delivery = await Deliverer(db, sender, pacing, concurrency, on_sent).run(chat_ids)
    return run


async def broadcast_new_articles(db, settings: Settings, sender: Sender, article_ids: list[int],
                                 pacing: Pacing | None = None) -> DeliveryReport:
    """Send each new diplomatic article to the DIPLOBOT_CHANNELS (DIPLOBOT_BROADCAST=each).

    Call after an ingest with its new article ids; safe to call twice with the same ids.
    """
    channels = await resolve_channels(db, settings, sender)
    queue_articles(db, settings, channels, article_ids)
    return await Deliverer(db, sender, pacing).run(channels)


class DeliveryService:
    """The bot's side: one pacing for all sends, one delivery run at a time."""

    def __init__(self, db, settings: Settings, sender: Sender, pacing: Pacing | None = None):
        self.db = db
        self.settings = settings
        self.sender = sender
        self.pacing = pacing or Pacing()
        self.lock = asyncio.Lock()
        self.last_run: DigestRun | None = None
        self._woken: set[asyncio.Task] = set()
        self._running: set[asyncio.Task] = set()  # tasks sending now (tick, wake, broadcast)

    async def tick(self, context: Any = None) -> None:
        """The every-minute job: due digests, then anything pending. Skipped while one runs."""
        if self.lock.locked() or self.pacing.stopped:
            return
        async with self._sending():
            try:
                self.last_run = await run_digests(self.db, self.settings, self.sender, pacing=self.pacing)
                run_state.record(self.db, run_state.LAST_DIGEST, self.last_run.summary_line())  # `diplobot health`
                if self.last_run.plan.digests or self.last_run.delivery.sent:
                    log.info("digests: %s", self.last_run.summary_line())
            except Exception:
                log.exception("delivery tick failed")

    async def deliver_pending(self) -> DeliveryReport:
        async with self._sending():
            return await Deliverer(self.db, self.sender, self.pacing).run()

    async def broadcast_new(self, article_ids: list[int]) -> DeliveryReport:
        """After an ingest: queue new articles for the channels and send them."""
        async with self._sending():
            return await broadcast_new_articles(self.db, self.settings, self.sender, article_ids, self.pacing)

    async def alert_new(self) -> DeliveryReport | None:
        """After the bot's own poll stored articles: their alerts now, not at the next tick."""
        async with self._sending():
            try:
                plan_alerts(self.db, self.settings)
                return await Deliverer(self.db, self.sender, self.pacing).run()
            except Exception:  # the poll that called must go on
                log.exception("alerts after the poll failed")
                return None

    def wake(self) -> None:
        """Send what was just queued (e.g. a /broadcast) without waiting for the next tick."""
        if self.pacing.stopped:
            return  # shutting down: the rows stay pending for the next run
        task = asyncio.get_running_loop().create_task(self.deliver_pending())
        self._woken.add(task)  # keep a reference until it is done
        task.add_done_callback(self._woken.discard)

    @contextlib.asynccontextmanager
    async def _sending(self):
        """Hold the one-run lock, and let `shutdown` find the task that holds it."""
        async with self.lock:
            task = asyncio.current_task()
            self._running.add(task)
            try:
                yield
            finally:
                self._running.discard(task)

    async def shutdown(self, grace: float = SHUTDOWN_GRACE) -> None:
        """Stop sending before the bot stops (SIGTERM): nothing new is claimed, a send in
        flight gets `grace` seconds to finish and be recorded, then it is cancelled and
        marked uncertain; every row not sent stays pending for the next run."""
        self.pacing.stop()
        tasks = self._running | self._woken
        if not tasks:
            return
        _, late = await asyncio.wait(tasks, timeout=grace)
        for task in late:
            task.cancel()
        if late:
            log.warning("shutdown: %d delivery run(s) cancelled after %.0fs", len(late), grace)
            await asyncio.wait(late)


def schedule_jobs(application: Any, db, settings: Settings, interval: float = 60.0, first: float = 5.0) -> DeliveryService:
    """Wire delivery into a PTB Application (call from post_init); put the returned service
    in `BotContext.delivery` so /broadcast sends at once.

    A job every minute plans and sends the due digests, whatever is pending, and (with
    DIPLOBOT_BROADCAST=each) new articles for the channels; schedules live in SQLite (the
    chats' digest times), so nothing is lost when JobQueue's in-memory jobs are.
    """
    service = DeliveryService(db, settings, PTBSender(application.bot))
    application.job_queue.run_repeating(service.tick, interval=interval, first=first, name="diplobot-digests")
    return service

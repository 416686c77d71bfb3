"""`diplobot health`: is the bot well? One check per line, for Docker's HEALTHCHECK and monitors.

Each check is a `Check` (name, ok, detail). The database is opened read-only as it is
(never created or migrated here); a token, when set, is tried with `getMe` within 2 s
against TELEGRAM_API_BASE_URL (the token never appears in the output); the last poll
round and the last digest run are the times the running bot records (storage.run_state)
and must be recent enough for the configured intervals, as must the last daily backup
when DIPLOBOT_BACKUP_DIR is set. Without a token there is no running Telegram bot, so
those are not asked.
"""

from __future__ import annotations

import sqlite3
from dataclasses import asdict, dataclass
from datetime import datetime, timedelta, timezone
from typing import Any

import httpx

from bot.redact import redact
from storage import run_state
from storage.db import SCHEMA_VERSION, open_existing, quick_check, schema_version
from storage.queries import count_articles
from storage.sources import list_sources

API_TIMEOUT = 2.0  # seconds getMe may take
POLL_SLACK = timedelta(minutes=10)  # a round takes a while; stale after two intervals and this
DIGEST_STALE = timedelta(minutes=15)  # the digest job runs every minute
BACKUP_STALE = timedelta(hours=26)  # one a day (bot.operator checks hourly), with slack


@dataclass(frozen=True)
class Check:
    name: str
    ok: bool
    detail: str

    def line(self) -> str:
        return f"{'ok' if self.ok else 'FAIL':<4} {self.name}: {self.detail}"


def run_checks(settings: Any, now: datetime | None = None) -> list[Check]:
    """Every check, in order; a broken database stops the ones that need it."""
    moment = now or datetime.now(timezone.utc)
    try:
        db = open_existing(settings.db_path)
        verdict = quick_check(db)
    except (sqlite3.Error, OSError) as exc:
        return [Check("database", False, f"{settings.db_path}: {exc}"), telegram_check(settings)]
    try:
        checks = [Check("database", verdict == "ok", f"{settings.db_path}: quick_check {verdict}")]
        if verdict != "ok":
            return checks + [telegram_check(settings)]
        checks.append(schema_check(db))
        if not checks[-1].ok:
            return checks + [telegram_check(settings)]
        checks += [telegram_check(settings), sources_check(db, settings)]
        if settings.telegram_token:
            checks += [poll_check(db, settings, moment),
                       recent_check(db, run_state.LAST_DIGEST, "last digest run", DIGEST_STALE, moment)]
            if settings.backup_dir is not None:
                checks.append(recent_check(db, run_state.LAST_BACKUP, "last daily backup", BACKUP_STALE, moment))
        return checks
    finally:
        db.close()


def schema_check(db: Any) -> Check:
    version = schema_version(db)
    if version == SCHEMA_VERSION:
        return Check("schema", True, f"v{version}, {count_articles(db):,} articles")
    if version < SCHEMA_VERSION:
        return Check("schema", False, f"v{version}, this code needs v{SCHEMA_VERSION}: start the bot to migrate")
    return Check("schema", False, f"v{version} is newer than this code (v{SCHEMA_VERSION}): upgrade Diplobot")


def telegram_check(settings: Any) -> Check:
    """getMe within API_TIMEOUT; the token stays out of every word of the answer."""
    token, base = settings.telegram_token, settings.telegram_api_base_url
    if not token:
        return Check("telegram", True, "no TELEGRAM_BOT_TOKEN (terminal chat): not asked")
    url = (base.replace("{token}", token) if "{token}" in base else base + token) + "/getMe"
    where = redact(base.replace("{token}", ""))
    try:
        response = httpx.get(url, timeout=API_TIMEOUT)
    except httpx.TimeoutException:
        return Check("telegram", False, f"{where} did not answer getMe within {API_TIMEOUT:g} s")
    except httpx.HTTPError as exc:
        return Check("telegram", False, f"{where} unreachable ({type(exc).__name__})")
    if response.status_code == 401:
        return Check("telegram", False, "TELEGRAM_BOT_TOKEN was rejected (401 Unauthorized)")
    try:
        answer = response.json()
    except ValueError:
        answer = {}
    if response.status_code != 200 or not answer.get("ok"):
        return Check("telegram", False, f"{where} answered getMe with HTTP {response.status_code}")
    return Check("telegram", True, f"getMe ok: @{answer.get('result', {}).get('username', '?')}")


def sources_check(db: Any, settings: Any) -> Check:
    """How many sources are failing; unhealthy only when every one of them is (no network, say)."""
    sources = list_sources(db, settings.feeds)
    failing = [s for s in sources if (s.get("errors") or 0) > 0]
    ok = not sources or len(failing) < len(sources)
    return Check("sources", ok, f"{len(failing)} of {len(sources)} failing")


def poll_check(db: Any, settings: Any, now: datetime) -> Check:
    if settings.feeds_from == "none":
        return Check("last poll", True, "polling is off (DIPLOBOT_FEEDS=none)")
    limit = 2 * timedelta(minutes=settings.poll_minutes) + POLL_SLACK
    return recent_check(db, run_state.LAST_POLL, "last poll", limit, now)


def recent_check(db: Any, key: str, name: str, limit: timedelta, now: datetime) -> Check:
    done = run_state.last(db, key)
    if done is None:
        return Check(name, False, "never recorded (is the bot running?)")
    age = now - done.at
    detail = f"{_ago(age)} ago (limit {_ago(limit)})" + (f": {done.detail}" if done.detail else "")
    return Check(name, age <= limit, detail)


def _ago(delta: timedelta) -> str:
    minutes = int(delta.total_seconds() // 60)
    return f"{minutes // 60} h {minutes % 60} min" if minutes >= 60 else f"{minutes} min"


def as_json(checks: list[Check]) -> dict[str, Any]:
    return {"healthy": all(c.ok for c in checks), "checks": [asdict(c) for c in checks]}

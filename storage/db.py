"""Opening the database, and the migrations that bring any older file up to date."""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Callable
from contextlib import AbstractContextManager
from pathlib import Path

import sqlite_utils

from storage.backup import BackupError, backup_connection, dated_name, open_readonly
from storage.times import now_iso
from storage.tx import database_path, retry_busy, write

log = logging.getLogger(__name__)

SEARCH_TOKENIZER = "unicode61 remove_diacritics 2"


def _v1(db: sqlite_utils.Database) -> None:
    """Articles, summaries, tags, their search index, and the delivery side."""
    db["articles"].create(
        {
            "id": int, "source_key": str, "url": str, "canonical_url": str, "source": str,
            "title": str, "body": str, "published_at": str, "fetched_at": str, "updated_at": str,
            "content_hash": str, "simhash": int, "is_diplomatic": float, "duplicate_of": int,
        },
        pk="id", not_null={"source_key", "title", "body", "content_hash"},
    )
    db["articles"].create_index(["source_key"], unique=True)
    db["articles"].create_index(["content_hash"])
    db["articles"].create_index(["canonical_url"])
    db["articles"].create_index(["published_at"])
    db["summaries"].create(
        {"article_id": int, "backend": str, "model": str, "text": str, "flag": str, "created_at": str},
        pk="article_id", foreign_keys=[("article_id", "articles", "id")],
    )
    db["tags"].create(
        {"article_id": int, "kind": str, "value": str, "code": str, "extra": str},
        foreign_keys=[("article_id", "articles", "id")],
    )
    db["tags"].create_index(["kind", "code", "article_id"])
    db["tags"].create_index(["article_id"])
    # The text the search index sees: title, summary and body with đ/Đ folded to d/D,
    # because FTS5's remove_diacritics treats đ as a letter of its own.
    db["article_search"].create({"rowid": int, "title": str, "summary": str, "body": str}, pk="rowid")
    db["article_search"].enable_fts(["title", "summary", "body"], tokenize=SEARCH_TOKENIZER, create_triggers=True)
    db["chats"].create(
        {
            "chat_id": int, "type": str, "title": str, "username": str, "blocked": int,
            "digest_time": str, "digest_enabled": int, "last_digest_at": str,
            "created_at": str, "updated_at": str,
        },
        pk="chat_id",
    )
    db["subscriptions"].create(
        {"chat_id": int, "kind": str, "value": str, "code": str, "created_at": str},
        pk=("chat_id", "kind", "code"),
    )
    db["deliveries"].create(
        {
            "chat_id": int, "item": str, "kind": str, "status": str, "message_id": int,
            "error": str, "claimed_at": str, "sent_at": str,
        },
        pk=("chat_id", "item", "kind"),
    )
    db["sources"].create(
        {
            "url": str, "title": str, "etag": str, "last_modified": str, "last_ok": str,
            "last_error": str, "errors": int, "backoff_until": str, "items": int, "added_by": int,
            "created_at": str,
        },
        pk="url",
    )


def _v2(db: sqlite_utils.Database) -> None:
    """The delivery log becomes an outbox: each row carries the message it stands for.

    A digest is planned (rows with their text, status 'pending') in one transaction and
    sent afterwards, so a restart sends exactly what was planned, even if news arrived
    since. `chats.digest_day` (local date of the last planned digest) and
    `chats.digest_until` (end of the window it covered) make planning idempotent.
    """
    db["deliveries"].add_column("payload", str)
    db["deliveries"].add_column("attempts", int)
    db["deliveries"].create_index(["status", "chat_id"])
    db["chats"].add_column("digest_day", str)
    db["chats"].add_column("digest_until", str)
    # Digests and channel catch-up select articles by ingest time.
    db["articles"].create_index(["fetched_at"])


def _live_sources(db: sqlite_utils.Database) -> None:
    """Feed health, reposts, and reader queries that stay fast at 100,000 articles.

    `sources.polled` marks the feeds the bot polls; `last_error_at` dates the last failure.
    An index counts an article's other sources (rows with duplicate_of). Each tag row carries
    its article's sort key (`coalesce(published_at, fetched_at)`), so that the newest
    articles with a tag are read from one index, never by sorting every match; the newest
    articles overall come from a partial index on the same key; the number of listed
    articles and of articles per tag are kept by triggers in `listing_counts`
    (bench/ingest_speed.py).
    """
    db["sources"].add_column("polled", int, not_null_default=0)
    db["sources"].add_column("last_error_at", str)
    db["articles"].create_index(["duplicate_of"])
    db["tags"].add_column("sort_key", str)
    db.execute(
        "update tags set sort_key = (select coalesce(a.published_at, a.fetched_at) from articles a "
        "where a.id = tags.article_id)"
    )
    db["tags"].create_index(["kind", "code", "sort_key", "article_id"], index_name="idx_tags_listing")
    db.execute(
        "create index idx_articles_listing on articles (coalesce(published_at, fetched_at)) "
        "where duplicate_of is null"
    )
    # Listed articles, and articles per tag, kept by triggers: "Bài 1–5/17420" without counting
    # 17,420 index entries. Rows: (kind, code) of a tag, and ("article", "listed").
    db.execute("create table listing_counts (kind text not null, code text not null, n integer not null, "
               "primary key (kind, code)) without rowid")
    db.execute("insert into listing_counts select kind, code, count(*) from tags group by kind, code")
    db.execute("insert into listing_counts select 'article', 'listed', count(*) from articles where duplicate_of is null")
    db.execute("create trigger tags_count_ai after insert on tags begin "
               "insert into listing_counts values (new.kind, new.code, 1) "
               "on conflict (kind, code) do update set n = n + 1; end")
    db.execute("create trigger tags_count_ad after delete on tags begin "
               "update listing_counts set n = n - 1 where kind = old.kind and code = old.code; end")
    listed = "update listing_counts set n = n {} 1 where kind = 'article' and code = 'listed'"
    db.execute(f"create trigger articles_count_ai after insert on articles when new.duplicate_of is null "
               f"begin {listed.format('+')}; end")
    db.execute(f"create trigger articles_count_ad after delete on articles when old.duplicate_of is null "
               f"begin {listed.format('-')}; end")
    db.execute(f"create trigger articles_count_au_out after update of duplicate_of on articles "
               f"when old.duplicate_of is null and new.duplicate_of is not null begin {listed.format('-')}; end")
    db.execute(f"create trigger articles_count_au_in after update of duplicate_of on articles "
               f"when old.duplicate_of is not null and new.duplicate_of is null begin {listed.format('+')}; end")


def _chat_defaults(db: sqlite_utils.Database) -> None:
    """v4 (hardening): chats.digest_enabled NOT NULL with a default; old rows migrated.

    A chat first recorded by the Telegram adapter (`storage.chats.upsert_chat`) had NULL,
    which one reader took for "off" and another for "on". Digests are on unless a chat says
    /digest_off, so NULL becomes 1. SQLite cannot add NOT NULL to a column: sqlite-utils
    rebuilds the table (chats has no search index, trigger or foreign key to carry over).
    """
    db.execute("update chats set digest_enabled = 1 where digest_enabled is null")
    db["chats"].transform(not_null={"digest_enabled"}, defaults={"digest_enabled": 1})


def _listing_state(db: sqlite_utils.Database) -> None:
    """v5 (hardening): listing state kept on the server, a short id in callback data.

    A `Xem thêm ›` button carried its listing's key (a search query, codes) in Telegram's
    64-byte callback data, cut after about 20 Vietnamese characters, so page 2 answered
    another query. Now the key lives here under a short random id (storage.listing_state);
    one row per (listing, key), `used_at` (Unix seconds) refreshed whenever a page of it
    is shown, rows older than the bot's expiry pruned.
    """
    db.execute("create table listing_state (id text primary key, listing text not null, key text not null, "
               "used_at integer not null)")
    db.execute("create unique index idx_listing_state_key on listing_state (listing, key)")
    db.execute("create index idx_listing_state_used on listing_state (used_at)")


def _feed_items(db: sqlite_utils.Database) -> None:
    """v6 (hardening): feed items seen per feed, rejected ones with their reason.

    A feed of 10,000 items made 10,000 page requests a run, because an item whose page was
    rejected left no article behind to recognise it by. Each item dealt with is kept here
    (storage.feed_items) under its feed and its key, with a hash of the entry: the page is
    fetched again only when the entry changes. `sources.last_error_detail` keeps the words
    behind a stable reason (the XML parser's message for a broken feed).
    """
    db.execute("create table feed_items (feed_url text not null, item_key text not null, "
               "entry_hash text not null, reason text, detail text, seen_at text not null, "
               "primary key (feed_url, item_key))")
    db.execute("alter table sources add column last_error_detail text")


def _run_state(db: sqlite_utils.Database) -> None:
    """v7 (operations): what the running bot records, and the admin alerts' hourly limit.

    `run_state` holds one row per event the health check asks about (the last poll round,
    the last digest run, the last daily backup), with its time and a short detail
    (storage.run_state). `admin_notices` holds, per kind of admin message, when one was
    last sent and how many were held back since, so the limit of one message per kind per
    hour survives a restart (bot.operator).
    """
    db.execute("create table run_state (key text primary key, at text not null, detail text not null default '')")
    db.execute("create table admin_notices (kind text primary key, sent_at text not null, "
               "held integer not null default 0)")


def _source_health(db: sqlite_utils.Database) -> None:
    """v8 (sources, issue 13): a source's kind, how long it has been failing, and its admin alert.

    `kind` is `feed` or `section` (a listing page read by ingest.sections); a source row of
    an older file is a feed. `failing_since` is the time of the first failure since the
    last success (the consecutive count is `errors`), cleared by a success. `alerted_at`
    is when the admins were told the source is down (after 5 failed polls in a row or 24 h
    without success); it is cleared when the "works again" message goes out, so each
    outage gives exactly two messages (storage.sources).
    """
    db["sources"].add_column("kind", str, not_null_default="feed")
    db["sources"].add_column("failing_since", str)
    db["sources"].add_column("alerted_at", str)
    db.execute("update sources set failing_since = last_error_at where errors > 0")


def _follow(db: sqlite_utils.Database) -> None:
    """v9 (follow, issue 15): how each chat gets its news, and which articles it already had.

    chats: `timezone` (an IANA name; NULL = DIPLOBOT_TZ), `digest_frequency` (`daily` or
    `weekly`, Monday at the chat's time), `alerts` (0/1: each matching article as soon as it
    is stored), `quiet_start`/`quiet_end` (`HH:MM` local; alerts held inside the window),
    `alert_until` (the UTC time up to which stored articles were considered for alerts),
    `thread_id` (the forum topic the chat's digests go to; NULL = the General topic).
    subscriptions: `thread_id` (the forum topic a subscription was made in).
    deliveries: `thread_id` (the topic a message is sent into).
    `chat_articles`: each article a chat was sent or queued, by alert or digest, written in
    the transaction that queues the message (storage.deliveries), so that alerts and digests
    never carry the same article twice to one chat, even across crashes.
    """
    db["chats"].add_column("timezone", str)
    db["chats"].add_column("digest_frequency", str, not_null_default="daily")
    db["chats"].add_column("alerts", int, not_null_default=0)
    db["chats"].add_column("quiet_start", str)
    db["chats"].add_column("quiet_end", str)
    db["chats"].add_column("alert_until", str)
    db["chats"].add_column("thread_id", int)
    db["subscriptions"].add_column("thread_id", int)
    db["deliveries"].add_column("thread_id", int)
    db.execute("create table chat_articles (chat_id integer not null, article_id integer not null, "
               "via text not null, item text not null, at text not null, primary key (chat_id, article_id))")


MIGRATIONS: list[Callable[[sqlite_utils.Database], None]] = [
    _v1, _v2, _live_sources, _chat_defaults, _listing_state, _feed_items, _run_state, _source_health, _follow,
]
SCHEMA_VERSION = len(MIGRATIONS)


def schema_version(db: sqlite_utils.Database) -> int:
    if "schema_version" not in db.table_names():
        return 0
    row = db.execute("select max(version) from schema_version").fetchone()
    return row[0] or 0


def migrate(db: sqlite_utils.Database) -> int:
    """Apply the migrations this file lacks, each in its own write transaction.

    Two processes may open a new file at once (two `diplobot ingest`, an ingest and the
    bot): each version is checked again once the write lock is held, so it is applied once.
    """
    current = schema_version(db)
    if 0 < current < SCHEMA_VERSION:
        _backup_before_migrating(db, current)
    for version in range(current + 1, SCHEMA_VERSION + 1):
        with write(db):
            db["schema_version"].create({"version": int, "applied_at": str}, pk="version", if_not_exists=True)
            if schema_version(db) >= version:
                continue
            MIGRATIONS[version - 1](db)
            db["schema_version"].insert({"version": version, "applied_at": now_iso()})
    return SCHEMA_VERSION


def _backup_before_migrating(db: sqlite_utils.Database, current: int) -> None:
    """A file in use gets a backup beside it before its schema changes (storage.backup); an empty one does not.

    A failed backup stops the migration: the file stays as it was, and the caller says why.
    """
    in_use = any(db.execute(f"select 1 from {t} limit 1").fetchone() for t in ("articles", "chats"))
    if not in_use:  # a new or empty file: nothing to lose
        return
    folder = Path(database_path(db)).parent
    try:
        result = backup_connection(db.conn, folder / dated_name(label=f"before-v{SCHEMA_VERSION}"))
    except BackupError as exc:
        raise BackupError(f"schema v{current} -> v{SCHEMA_VERSION} not applied, the backup before it failed: {exc}") from None
    log.warning("schema v%d -> v%d: the database was backed up first to %s", current, SCHEMA_VERSION, result.path)


class Database(sqlite_utils.Database):
    """sqlite-utils with one way to write: `atomic()` is `storage.tx.write` (BEGIN IMMEDIATE, retried).

    sqlite-utils' own writes (insert, upsert, transform…) open `atomic()` when no
    transaction is open; a plain `BEGIN` there would be the deferred kind that fails at
    once beside another writer (storage/tx.py).
    """

    def atomic(self) -> AbstractContextManager[sqlite_utils.Database]:  # type: ignore[override]
        return write(self)


def open_existing(path: str | Path) -> Database:
    """An existing file as it is, read-only: no folder, schema or migration made (`diplobot health`)."""
    if not Path(path).is_file():
        raise FileNotFoundError(f"no database file at {path}")
    return Database(open_readonly(path, busy_timeout_ms=2000))


def quick_check(db: sqlite_utils.Database) -> str:
    """'ok', or SQLite's first complaint about the file (`PRAGMA quick_check`)."""
    rows = [row[0] for row in db.execute("PRAGMA quick_check").fetchall()]
    return "ok" if rows == ["ok"] else rows[0]


def open_db(path: str | Path) -> Database:
    """Open (creating folders and schema as needed) with WAL and a busy timeout.

    The connection is in autocommit mode (`isolation_level=None`): Python's sqlite3 never
    opens a transaction by itself, so a read never leaves a snapshot open, and every write
    transaction is an explicit `storage.tx.write`.
    """
    path = Path(path)
    if str(path) != ":memory:":
        path.parent.mkdir(parents=True, exist_ok=True)
    db = Database(sqlite3.connect(str(path), isolation_level=None))
    db.execute("PRAGMA busy_timeout = 10000")
    db.execute("PRAGMA foreign_keys = ON")
    if str(path) != ":memory:":
        # Switching a new file to WAL needs it to itself: another process opening it too waits.
        retry_busy(db.enable_wal, what="switch to WAL")
        # With WAL, NORMAL is durable across application crashes (only an OS crash may lose
        # the last commits) and saves an fsync per commit (~4 ms here).
        db.execute("PRAGMA synchronous = NORMAL")
    migrate(db)
    return db

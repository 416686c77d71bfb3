"""Write transactions: the one way storage writes, so that two writers queue instead of failing.

A deferred transaction (sqlite-utils' `atomic()` says `BEGIN`; Python's sqlite3 opens one
by itself before an INSERT) reads first and asks for the write lock at its first write. When
another connection holds that lock, or committed since the read, SQLite cannot upgrade the
read snapshot and answers `database is locked` at once: busy_timeout is never consulted,
since waiting could deadlock (https://www.sqlite.org/rescode.html#busy_snapshot,
https://www.sqlite.org/lang_transaction.html). Two `diplobot ingest` runs, or an ingest
beside the bot, dropped items that way.

`write(db)` begins with `BEGIN IMMEDIATE` instead: the write lock is taken before the first
read, so a busy lock can be waited for. We ask again every 0.5-5 ms (jittered), for
`WRITE_WAIT` seconds in all (or the `wait` a caller gives), rather than through SQLite's
busy_timeout, whose sleeps grow to 100 ms while other writers hold the lock a few ms at a
time (bench/concurrency.py, 2 cores: the bot's p95 beside three ingests, 35-58 ms → 15-25 ms).
Once the lock is held no statement of the transaction waits on another writer, so only
BEGIN, and COMMIT (which may wait for readers outside WAL mode, under busy_timeout), are
retried. Past the bound `DatabaseBusy` is raised: the write was not made, and the caller
must say so (the pipeline counts the item as failed, to be stored by the next run).

Nested blocks are savepoints of the outer transaction. `storage.db.Database.atomic()` is
this same context manager, so sqlite-utils' own writes take the lock the same way.
"""

from __future__ import annotations

import random
import sqlite3
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from itertools import count
from typing import TypeVar, Union

import sqlite_utils

# Generous: the other writers' transactions last milliseconds (an article, a batch of
# delivery results); only a migration or a bulk job holds the lock for long.
WRITE_WAIT = 60.0
_FIRST_DELAY, _MAX_DELAY = 0.0005, 0.005
SQLITE_BUSY = 5
SQLITE_BUSY_SNAPSHOT = 517

T = TypeVar("T")
Connectable = Union[sqlite_utils.Database, sqlite3.Connection]
_savepoints = count(1)


class DatabaseBusy(sqlite3.OperationalError):
    """Other writers held the database lock for longer than the wait allowed; nothing was written."""


class UnfinishedRead(sqlite3.ProgrammingError):
    """A write on a connection whose own read is still open (a cursor not read to the end).

    That read pins an old snapshot; once another process has written, no wait can give this
    connection the write lock, so the write fails at once instead of retrying in vain.
    """


def is_busy(exc: BaseException) -> bool:
    """SQLITE_BUSY in any of its forms ("database is locked"); not SQLITE_LOCKED, a conflict within one connection."""
    if not isinstance(exc, sqlite3.OperationalError) or isinstance(exc, DatabaseBusy):
        return False
    code = getattr(exc, "sqlite_errorcode", None)
    if code is not None:  # BUSY_SNAPSHOT: our own old snapshot, no retry can help (UnfinishedRead)
        return code & 0xFF == SQLITE_BUSY and code != SQLITE_BUSY_SNAPSHOT
    return "database is locked" in str(exc)


def retry_busy(call: Callable[[], T], wait: float | None = None, what: str = "write") -> T:
    """`call()`, asked again with jittered backoff while the database is busy, `wait` seconds in all."""
    wait = WRITE_WAIT if wait is None else wait
    deadline = time.monotonic() + wait
    delay = _FIRST_DELAY
    while True:
        try:
            return call()
        except sqlite3.OperationalError as exc:
            left = deadline - time.monotonic()
            if not is_busy(exc):
                raise
            if left <= 0:
                raise DatabaseBusy(f"database is busy: other writers held the lock for more than {wait:g} s; "
                                   f"the {what} was not made") from exc
            time.sleep(min(left, delay * random.uniform(0.5, 1.0)))
            delay = min(delay * 2, _MAX_DELAY)


def database_path(db: Connectable) -> str:
    """The file behind an open database, for another connection to it (a worker thread, the delivery log)."""
    for _seq, name, file in _connection(db).execute("pragma database_list").fetchall():
        if name == "main" and file:
            return file
    raise ValueError("a database file is needed here, not :memory:")


def _connection(db: Connectable) -> sqlite3.Connection:
    return db if isinstance(db, sqlite3.Connection) else db.conn


@contextmanager
def write(db: Connectable, wait: float | None = None) -> Iterator[Connectable]:
    """A write transaction on `db` (a sqlite-utils Database or a sqlite3 connection in autocommit mode).

    The outermost block holds the write lock from its first statement to its commit; inner
    blocks are savepoints, undone alone when they raise.
    """
    conn = _connection(db)
    if conn.in_transaction:
        with _savepoint(conn):
            yield db
        return
    try:
        with _no_busy_timeout(conn):
            retry_busy(lambda: conn.execute("BEGIN IMMEDIATE"), wait, "write")
    except sqlite3.OperationalError as exc:
        if getattr(exc, "sqlite_errorcode", None) == SQLITE_BUSY_SNAPSHOT:
            raise UnfinishedRead("cannot write: a read on this connection is unfinished (read the cursor "
                                 "to the end, e.g. fetchall(), before writing) and another process wrote since") from exc
        raise
    try:
        yield db
    except BaseException:
        _rollback(conn)
        raise
    try:
        retry_busy(lambda: conn.execute("COMMIT"), wait, "commit")
    except BaseException:
        _rollback(conn)
        raise


@contextmanager
def _no_busy_timeout(conn: sqlite3.Connection) -> Iterator[None]:
    """SQLite's own wait off while `retry_busy` does the waiting (the connection's setting restored)."""
    current = conn.execute("PRAGMA busy_timeout").fetchone()[0]
    conn.execute("PRAGMA busy_timeout = 0")
    try:
        yield
    finally:
        conn.execute(f"PRAGMA busy_timeout = {current}")


@contextmanager
def _savepoint(conn: sqlite3.Connection) -> Iterator[None]:
    name = f"diplobot_{next(_savepoints)}"
    conn.execute(f"SAVEPOINT {name}")
    try:
        yield
    except BaseException:
        # An error such as a RAISE(ROLLBACK) trigger may have ended the whole transaction,
        # savepoint included: undoing it then would hide the error under "no such savepoint".
        if conn.in_transaction:
            conn.execute(f"ROLLBACK TO {name}")
            conn.execute(f"RELEASE {name}")
        raise
    conn.execute(f"RELEASE {name}")


def _rollback(conn: sqlite3.Connection) -> None:
    if conn.in_transaction:
        conn.execute("ROLLBACK")

"""Chats the bot knows: who they are, whether they blocked the bot, supergroup migration."""

from __future__ import annotations

import sqlite_utils

from storage.times import now_iso
from storage.tx import write

# Columns that describe the chat itself; every other column is a setting a migration keeps.
_IDENTITY = {"chat_id", "type", "title", "username", "updated_at"}


def upsert_chat(db: sqlite_utils.Database, chat_id: int, type: str, title: str | None = None,
                username: str | None = None) -> None:
    """Insert a chat seen for the first time, or refresh its type, title and username."""
    now = now_iso()
    with write(db):
        exists = db.execute("select 1 from chats where chat_id = ?", [chat_id]).fetchone()
        if exists:
            db["chats"].update(chat_id, {"type": type, "title": title, "username": username, "updated_at": now})
        else:
            db["chats"].insert({"chat_id": chat_id, "type": type, "title": title, "username": username,
                                "blocked": 0, "created_at": now, "updated_at": now})


def set_blocked(db: sqlite_utils.Database, chat_id: int, blocked: bool) -> None:
    """Mark a chat that blocked or removed the bot (no more sends), or that took it back."""
    now = now_iso()
    with write(db):
        if db.execute("select 1 from chats where chat_id = ?", [chat_id]).fetchone():
            db["chats"].update(chat_id, {"blocked": int(blocked), "updated_at": now})
        else:
            db["chats"].insert({"chat_id": chat_id, "blocked": int(blocked), "created_at": now, "updated_at": now})


def is_blocked(db: sqlite_utils.Database, chat_id: int) -> bool:
    row = db.execute("select blocked from chats where chat_id = ?", [chat_id]).fetchone()
    return bool(row and row[0])


def migrate_chat(db: sqlite_utils.Database, old_id: int, new_id: int) -> None:
    """Move a group's rows to its new supergroup id (idempotent; rows already there win)."""
    if old_id == new_id:
        return
    with write(db):
        old = db.execute("select 1 from chats where chat_id = ?", [old_id]).fetchone()
        new = db.execute("select 1 from chats where chat_id = ?", [new_id]).fetchone()
        if old and not new:
            db.execute("update chats set chat_id = ?, type = 'supergroup', updated_at = ? where chat_id = ?",
                       [new_id, now_iso(), old_id])
        elif old and new:  # the supergroup was seen first: it inherits the group's settings
            columns = [c for c in db["chats"].columns_dict if c not in _IDENTITY | {"digest_enabled"}]
            sets = ", ".join(f"{c} = coalesce({c}, (select {c} from chats where chat_id = :old))" for c in columns)
            # Never NULL (on by default): off in either chat stays off.
            sets += ", digest_enabled = min(digest_enabled, (select digest_enabled from chats where chat_id = :old))"
            db.execute(f"update chats set {sets} where chat_id = :new", {"old": old_id, "new": new_id})
        db.execute("delete from chats where chat_id = ?", [old_id])
        for table in ("subscriptions", "deliveries", "chat_articles"):
            db.execute(f"update or ignore {table} set chat_id = ? where chat_id = ?", [new_id, old_id])
            db.execute(f"delete from {table} where chat_id = ?", [old_id])


def thread_of(db: sqlite_utils.Database, chat_id: int) -> int | None:
    """The forum topic the chat's messages go to (`chats.thread_id`); None: the General topic."""
    row = db.execute("select thread_id from chats where chat_id = ?", [chat_id]).fetchone()
    return row[0] if row else None


def forget_thread(db: sqlite_utils.Database, chat_id: int, thread_id: int) -> None:
    """A deleted forum topic: what went there goes to the General topic from now on — the
    subscriptions made in it, the rows still pending for it, and the chat's latest topic
    (`chats.thread_id`) when it is that one (unless a /subscribe has chosen another since)."""
    with write(db):
        db.execute("update chats set thread_id = null, updated_at = ? where chat_id = ? and thread_id = ?",
                   [now_iso(), chat_id, thread_id])
        for table in ("subscriptions", "deliveries"):
            pending = " and status = 'pending'" if table == "deliveries" else ""
            db.execute(f"update {table} set thread_id = null where chat_id = ? and thread_id = ?{pending}",
                       [chat_id, thread_id])

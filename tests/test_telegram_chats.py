"""storage/chats.py on a real SQLite file: the rows the Telegram adapter keeps per chat."""

from __future__ import annotations

import sqlite3

from storage import open_db
from storage.chats import is_blocked, migrate_chat, set_blocked, upsert_chat


def rows(path, sql, args=()):
    conn = sqlite3.connect(path)
    try:
        return conn.execute(sql, args).fetchall()
    finally:
        conn.close()


def test_upsert_and_block(tmp_path):
    path = tmp_path / "c.db"
    db = open_db(path)
    upsert_chat(db, -5, "group", "Nhóm cũ", None)
    upsert_chat(db, -5, "group", "Nhóm mới", "nhom")
    set_blocked(db, -5, True)
    set_blocked(db, 42, True)  # a chat never seen before still gets its flag
    assert rows(path, "select chat_id, type, title, username, blocked from chats order by chat_id") == [
        (-5, "group", "Nhóm mới", "nhom", 1), (42, None, None, None, 1)]
    set_blocked(db, -5, False)
    assert not is_blocked(db, -5) and is_blocked(db, 42)


def test_migrate_moves_chat_subscriptions_and_deliveries(tmp_path):
    path = tmp_path / "c.db"
    db = open_db(path)
    upsert_chat(db, -5, "group", "Nhóm", None)
    db["chats"].update(-5, {"digest_time": "08:00", "digest_enabled": 1})
    db["subscriptions"].insert_all([{"chat_id": -5, "kind": "country", "value": "Nhật Bản", "code": "JP"},
                                    {"chat_id": -5, "kind": "province", "value": "Huế", "code": "46"}])
    db["deliveries"].insert({"chat_id": -5, "item": "a1", "kind": "article", "status": "sent"})
    # The supergroup already has one of the subscriptions and a bare row of its own.
    upsert_chat(db, -1005, "supergroup", "Nhóm", None)
    db["subscriptions"].insert({"chat_id": -1005, "kind": "country", "value": "Nhật Bản", "code": "JP"})
    migrate_chat(db, -5, -1005)
    migrate_chat(db, -5, -1005)  # idempotent: the second message about the move changes nothing
    assert rows(path, "select chat_id, type, digest_time, digest_enabled from chats") == [(-1005, "supergroup", "08:00", 1)]
    assert sorted(rows(path, "select chat_id, code from subscriptions")) == [(-1005, "46"), (-1005, "JP")]
    assert rows(path, "select chat_id, item from deliveries") == [(-1005, "a1")]


def test_migrate_without_a_supergroup_row_renames(tmp_path):
    path = tmp_path / "c.db"
    db = open_db(path)
    upsert_chat(db, -7, "group", "Nhóm", None)
    migrate_chat(db, -7, -1007)
    assert rows(path, "select chat_id, type, title from chats") == [(-1007, "supergroup", "Nhóm")]

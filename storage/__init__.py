"""SQLite storage through sqlite-utils: schema, migrations, writes, queries, FTS.

Knows nothing of Telegram or models. `open_db(path)` is the one way in: it creates or
migrates the schema, turns on WAL and a busy timeout, so any process can open the file.
`write(db)` is the one way to write: a transaction that takes the write lock first
(BEGIN IMMEDIATE) and waits for other writers instead of failing (storage/tx.py).
"""

from storage.db import SCHEMA_VERSION, open_db
from storage.tx import DatabaseBusy, write

__all__ = ["SCHEMA_VERSION", "DatabaseBusy", "open_db", "write"]

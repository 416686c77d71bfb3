"""SQLite storage through sqlite-utils: schema, migrations, writes, queries, FTS.

Knows nothing of Telegram or models. `open_db(path)` is the one way in: it creates or
migrates the schema, turns on WAL and a busy timeout, so any process can open the file.
"""

from storage.db import SCHEMA_VERSION, open_db

__all__ = ["SCHEMA_VERSION", "open_db"]

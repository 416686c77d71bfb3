"""Every source in one list, for `diplobot sources` and OPML export: the catalogue, DIPLOBOT_FEEDS,
then what the database knows, each with its health (last success, last error, next try)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from ingest.catalogue import load_catalogue
from storage import sources as source_rows


@dataclass(frozen=True)
class SourceStatus:
    """One line of `diplobot sources`: a source of the catalogue, of DIPLOBOT_FEEDS or of the database."""

    url: str
    kind: str  # feed | section
    origin: str  # catalogue | DIPLOBOT_FEEDS | added (by an admin or an import) | seen (read once, not polled)
    title: str
    polled: bool
    last_ok: str | None
    last_error: str | None
    last_error_at: str | None
    errors: int  # failures in a row
    backoff_until: str | None

    def next_try(self, now: datetime) -> str:
        if not self.polled:
            return "not polled"
        if self.backoff_until and datetime.fromisoformat(self.backoff_until) > now:
            return self.backoff_until
        return "due"


def source_statuses(db, feeds: Sequence[str], feeds_from: str) -> list[SourceStatus]:
    """The catalogue, then DIPLOBOT_FEEDS, then every other source the database knows, with health.

    `feeds`/`feeds_from` are the settings' (`feeds_from` catalogue: the catalogue is polled;
    none: nothing configured is).
    """
    rows = {row["url"]: row for row in source_rows.all_sources(db)}
    configured = set(feeds) if feeds_from != "none" else set()
    out: list[SourceStatus] = []

    def add(url: str, kind: str, origin: str, title: str) -> None:
        row = rows.pop(url, None) or {}
        out.append(SourceStatus(
            url=url, kind=kind or row.get("kind") or "feed", origin=origin, title=title or row.get("title") or "",
            polled=url in configured or bool(row.get("polled")), last_ok=row.get("last_ok"),
            last_error=row.get("last_error"), last_error_at=row.get("last_error_at"), errors=row.get("errors") or 0,
            backoff_until=row.get("backoff_until")))

    for entry in load_catalogue():
        add(entry.url, entry.kind, "catalogue", entry.outlet)
    listed = {s.url for s in out}
    if feeds_from == "env":
        for url in feeds:
            if url not in listed:
                add(url, "", "DIPLOBOT_FEEDS", "")
    for url, row in list(rows.items()):
        add(url, "", "added" if row.get("polled") else "seen", "")
    return out

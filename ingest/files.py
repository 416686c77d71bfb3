"""Local article files: a title on the first line, then the page text as scraped."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from zoneinfo import ZoneInfo

from ingest.cleaning import clean_text
from ingest.models import Article, Rejected

ARTICLE_SUFFIXES = {".txt", ".md", ""}
MAX_FILE_BYTES = 5 * 1024 * 1024


def iter_article_files(path: Path) -> Iterator[Path]:
    """The file itself, or the article files in a folder (sorted, hidden files skipped)."""
    if path.is_dir():
        for child in sorted(path.rglob("*")):
            if child.is_file() and not child.name.startswith(".") and child.suffix.lower() in ARTICLE_SUFFIXES:
                yield child
    else:
        yield path


def read_article_file(path: Path, tz: ZoneInfo | None = None) -> Article | Rejected:
    """Read and clean one file; `Rejected` when it cannot be text (the quality gate comes later)."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        return Rejected("unreadable", exc.strerror or str(exc))
    if len(data) > MAX_FILE_BYTES:
        return Rejected("too_large", f"{len(data)} bytes")
    if b"\x00" in data[:4096]:
        return Rejected("binary")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return Rejected("not_utf8")
    cleaned = clean_text(text, tz)
    return Article(
        title=cleaned.title,
        body=cleaned.body,
        source_key=f"file:{path.resolve()}",
        source=cleaned.source,  # the outlet the text names, else none (never the file name)
        url=cleaned.url,
        canonical_url=cleaned.url,
        published_at=cleaned.published_at,
    )

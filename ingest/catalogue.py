"""The built-in catalogue of sources (ingest/sources.toml), read into typed entries.

The file ships inside the package (pyproject's package-data), so an installed bot has it.
A broken catalogue is a bug of this package, not of the operator: `load_catalogue` raises
`CatalogueError` naming the entry and the field.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from urllib.parse import urlsplit

KINDS = ("feed", "section")


class CatalogueError(ValueError):
    """ingest/sources.toml is malformed; the message names the entry and the field."""


@dataclass(frozen=True)
class CatalogueSource:
    outlet: str
    kind: str  # feed | section
    url: str
    language: str
    covers: tuple[str, ...]
    found_at: str  # where the URL was found stated
    checked: str  # YYYY-MM-DD: when that statement was read
    province: str = ""  # provincial sources
    verified: str = ""  # the source's own word on when it last read the URL

    @property
    def provincial(self) -> bool:
        return bool(self.province)


def _entry(number: int, raw: dict) -> CatalogueSource:
    def text(name: str, required: bool = True) -> str:
        value = raw.get(name, "")
        if not isinstance(value, str) or (required and not value.strip()):
            raise CatalogueError(f"sources.toml entry {number}: {name!r} must be a non-empty string")
        return value.strip()

    kind = text("kind")
    if kind not in KINDS:
        raise CatalogueError(f"sources.toml entry {number}: kind must be feed or section, got {kind!r}")
    url = text("url")
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise CatalogueError(f"sources.toml entry {number}: url must be http(s), got {url!r}")
    covers = raw.get("covers", [])
    if not isinstance(covers, list) or not covers or not all(isinstance(c, str) and c for c in covers):
        raise CatalogueError(f"sources.toml entry {number}: covers must be a non-empty list of strings")
    return CatalogueSource(outlet=text("outlet"), kind=kind, url=url, language=text("language"),
                           covers=tuple(covers), found_at=text("found_at"), checked=text("checked"),
                           province=text("province", required=False), verified=text("verified", required=False))


def parse_catalogue(data: str) -> list[CatalogueSource]:
    """Entries of a catalogue text, in file order; one URL at most once."""
    try:
        raw = tomllib.loads(data)
    except tomllib.TOMLDecodeError as exc:
        raise CatalogueError(f"sources.toml: {exc}") from None
    entries = [_entry(n, e) for n, e in enumerate(raw.get("source", []), 1)]
    seen: set[str] = set()
    for entry in entries:
        if entry.url in seen:
            raise CatalogueError(f"sources.toml: {entry.url} is listed twice")
        seen.add(entry.url)
    return entries


@lru_cache(maxsize=1)
def load_catalogue() -> tuple[CatalogueSource, ...]:
    """The shipped catalogue (read once)."""
    text = resources.files("ingest").joinpath("sources.toml").read_text(encoding="utf-8")
    return tuple(parse_catalogue(text))


def catalogue_entry(url: str) -> CatalogueSource | None:
    return next((s for s in load_catalogue() if s.url == url), None)


def catalogue_kind(url: str) -> str | None:
    """`section` or `feed` for a catalogue URL; None for a URL the catalogue does not list."""
    entry = catalogue_entry(url)
    return entry.kind if entry else None


def _host(url: str) -> str:
    return (urlsplit(url).hostname or "").lower().removeprefix("www.")


@lru_cache(maxsize=1)
def _outlets_by_host() -> dict[str, str]:
    outlets: dict[str, str] = {}
    for entry in load_catalogue():  # "VnExpress — Thế giới" names a section of the outlet VnExpress
        outlets.setdefault(_host(entry.url), entry.outlet.split(" — ")[0])
    return outlets


def outlet(url: str) -> str:
    """The outlet a page of `url` is shown under when the page names none (no `og:site_name`):
    the catalogue's name for its host (`baoquocte.vn` → "Báo Thế giới & Việt Nam", `vnexpress.net`
    → "VnExpress"), else the host without `www.`."""
    host = _host(url)
    return _outlets_by_host().get(host, host)

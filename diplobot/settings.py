"""One settings object, read from the environment and validated at start.

A bad value raises `SettingsError` whose message names the variable; the CLI prints
that one line and exits, never a traceback (datasette's `Setting` registry does the same).
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from ingest.catalogue import load_catalogue

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_TELEGRAM_API = "https://api.telegram.org/bot"


class SettingsError(ValueError):
    """A configuration value is invalid; the message names the variable."""


# name, default, help: the registry that README, .env.example and tests check.
VARIABLES: list[tuple[str, str, str]] = [
    ("DIPLOBOT_DB", "data/diplobot.db", "SQLite file"),
    ("DIPLOBOT_SEEDS", "", "folder of seed articles ingested into an empty database (default: the repo's seeds/)"),
    ("TELEGRAM_BOT_TOKEN", "", "bot token from @BotFather; unset = terminal chat; never logged"),
    ("TELEGRAM_API_BASE_URL", DEFAULT_TELEGRAM_API, "Bot API server base URL (self-hosted server, tests)"),
    ("DIPLOBOT_WEBHOOK_URL", "", "public HTTPS URL for webhook mode; unset = polling"),
    ("DIPLOBOT_WEBHOOK_SECRET", "", "secret_token Telegram sends with each webhook call"),
    ("DIPLOBOT_WEBHOOK_PORT", "8443", "local port the webhook server listens on"),
    ("DIPLOBOT_SUMMARIZER", "extractive", "extractive or vit5"),
    ("DIPLOBOT_VIT5_MODEL", "VietAI/vit5-base-vietnews-summarization", "Hub id or local folder (CTranslate2 folders detected)"),
    ("DIPLOBOT_FEEDS", "", "feed URLs, comma-separated; none = no polling; unset = the built-in catalogue (ingest/sources.toml)"),
    ("DIPLOBOT_CHANNELS", "", "channel/group ids (or @usernames) that get broadcasts, comma-separated"),
    ("DIPLOBOT_BROADCAST", "each", "each (every new article) or daily (one digest a day)"),
    ("DIPLOBOT_ADMINS", "", "Telegram user ids allowed admin commands, comma-separated"),
    ("DIPLOBOT_TZ", "Asia/Ho_Chi_Minh", "time zone for dates and digests"),
    ("DIPLOBOT_DIGEST_TIME", "07:00", "default daily digest time, HH:MM"),
    ("DIPLOBOT_POLL_MINUTES", "30", "feed polling interval in minutes"),
    ("DIPLOBOT_FEED_MAX_ITEMS", "50", "newest items fetched per feed per run"),
    ("DIPLOBOT_ALLOW_PRIVATE_URLS", "0", "1 allows fetching loopback/private addresses (tests, local feeds)"),
    ("DIPLOBOT_DIPLOMATIC_THRESHOLD", "0.5", "is_diplomatic score (0-1) an article needs for digests and broadcasts"),
    ("DIPLOBOT_LOG_LEVEL", "INFO", "DEBUG, INFO, WARNING or ERROR"),
    ("DIPLOBOT_BACKUP_DIR", "", "folder where the running bot writes one dated backup a day; unset = no daily backup"),
    ("DIPLOBOT_BACKUP_KEEP", "7", "daily backups kept in DIPLOBOT_BACKUP_DIR (older ones deleted)"),
    ("DIPLOBOT_CHART_DIR", ".", "folder where the terminal chat writes chart PNGs and /report files"),
]


def default(name: str) -> str:
    """The default of a variable, as `VARIABLES` registers it (what an empty environment gives)."""
    return next(d for n, d, _ in VARIABLES if n == name)


# What a time printed without a zone means where no settings reach (parsers' defaults).
DEFAULT_TZ = ZoneInfo(default("DIPLOBOT_TZ"))

_TIME_RE = re.compile(r"^([01]?\d|2[0-3]):([0-5]\d)$")
_TOKEN_RE = re.compile(r"^\d+:[A-Za-z0-9_-]+$")


def _env(environ, name: str) -> str:
    value = environ.get(name)
    return default(name) if value is None or value.strip() == "" else value.strip()


def _csv(value: str) -> list[str]:
    return [v.strip() for v in value.split(",") if v.strip()]


def _int(environ, name: str, low: int, high: int) -> int:
    raw = _env(environ, name)
    try:
        value = int(raw)
    except ValueError:
        raise SettingsError(f"{name}: expected a whole number, got {raw!r}") from None
    if not low <= value <= high:
        raise SettingsError(f"{name}: expected {low}..{high}, got {value}")
    return value


def _folder(environ, name: str) -> Path:
    """An existing folder this process may write in."""
    path = Path(_env(environ, name)).expanduser()
    if not path.is_dir():
        raise SettingsError(f"{name}: {str(path)!r} is not an existing folder")
    if not os.access(path, os.W_OK | os.X_OK):
        raise SettingsError(f"{name}: folder {str(path)!r} is not writable")
    return path


def _backup_dir(environ) -> Path | None:
    raw = _env(environ, "DIPLOBOT_BACKUP_DIR")
    if not raw:
        return None
    path = Path(raw)
    if path.exists() and not path.is_dir():
        raise SettingsError(f"DIPLOBOT_BACKUP_DIR: {raw!r} is a file, expected a folder")
    return path


@dataclass(frozen=True)
class Settings:
    """Every setting, validated. Built only by `from_env`: the defaults live once, in `VARIABLES`
    (tests take the `settings` fixture or `from_env({...})`, never a hand-made instance)."""

    db_path: Path
    seeds_dir: Path
    telegram_token: str = field(repr=False)
    telegram_api_base_url: str
    webhook_url: str
    webhook_secret: str = field(repr=False)
    webhook_port: int
    summarizer: str
    vit5_model: str
    feeds: list[str]
    channels: list[str]
    broadcast: str
    admins: list[int]
    tz: ZoneInfo
    digest_time: str
    poll_minutes: int
    allow_private_urls: bool
    diplomatic_threshold: float
    log_level: str
    feed_max_items: int
    backup_dir: Path | None  # daily backups by the running bot (bot.operator); None = none
    backup_keep: int
    chart_dir: Path
    feeds_from: str  # where `feeds` came from: catalogue (DIPLOBOT_FEEDS unset), env, none

    @classmethod
    def from_env(cls, environ=None) -> "Settings":
        """Read and validate every variable; raise `SettingsError` naming the first bad one."""
        env = os.environ if environ is None else environ
        token = _env(env, "TELEGRAM_BOT_TOKEN")
        if token and not _TOKEN_RE.match(token):
            raise SettingsError("TELEGRAM_BOT_TOKEN: malformed (expected digits:letters, as @BotFather gives it)")
        api = _env(env, "TELEGRAM_API_BASE_URL")
        if not api.startswith(("http://", "https://")):
            raise SettingsError(f"TELEGRAM_API_BASE_URL: expected an http(s) URL, got {api!r}")
        webhook = _env(env, "DIPLOBOT_WEBHOOK_URL")
        if webhook and not webhook.startswith("https://"):
            raise SettingsError("DIPLOBOT_WEBHOOK_URL: Telegram only calls https:// webhooks")
        summarizer = _env(env, "DIPLOBOT_SUMMARIZER").lower()
        if summarizer not in ("extractive", "vit5"):
            raise SettingsError(f"DIPLOBOT_SUMMARIZER: expected extractive or vit5, got {summarizer!r}")
        broadcast = _env(env, "DIPLOBOT_BROADCAST").lower()
        if broadcast not in ("each", "daily", "off"):
            raise SettingsError(f"DIPLOBOT_BROADCAST: expected each, daily or off, got {broadcast!r}")
        tz_name = _env(env, "DIPLOBOT_TZ")
        try:
            tz = ZoneInfo(tz_name)
        except (ZoneInfoNotFoundError, ValueError):
            raise SettingsError(f"DIPLOBOT_TZ: unknown time zone {tz_name!r}") from None
        digest_time = _env(env, "DIPLOBOT_DIGEST_TIME")
        m = _TIME_RE.match(digest_time)
        if not m:
            raise SettingsError(f"DIPLOBOT_DIGEST_TIME: expected HH:MM, got {digest_time!r}")
        digest_time = f"{int(m.group(1)):02d}:{m.group(2)}"
        admins = []
        for raw in _csv(_env(env, "DIPLOBOT_ADMINS")):
            if not re.fullmatch(r"-?\d+", raw):
                raise SettingsError(f"DIPLOBOT_ADMINS: expected numeric Telegram user ids, got {raw!r}")
            admins.append(int(raw))
        channels = _csv(_env(env, "DIPLOBOT_CHANNELS"))
        for ch in channels:
            if not re.fullmatch(r"-?\d+|@[A-Za-z][A-Za-z0-9_]{3,}", ch):
                raise SettingsError(f"DIPLOBOT_CHANNELS: expected numeric ids or @usernames, got {ch!r}")
        feeds_raw = _env(env, "DIPLOBOT_FEEDS")
        feeds = _csv(feeds_raw)
        feeds_from = "env"
        if feeds_raw.lower() == "none":
            feeds, feeds_from = [], "none"
        elif not feeds:  # unset: the sources the package ships (ingest/sources.toml)
            feeds, feeds_from = [s.url for s in load_catalogue()], "catalogue"
        for feed in feeds:
            if not feed.startswith(("http://", "https://")):
                raise SettingsError(f"DIPLOBOT_FEEDS: expected http(s) URLs, got {feed!r}")
        private = _env(env, "DIPLOBOT_ALLOW_PRIVATE_URLS")
        if private not in ("0", "1"):
            raise SettingsError(f"DIPLOBOT_ALLOW_PRIVATE_URLS: expected 0 or 1, got {private!r}")
        threshold_raw = _env(env, "DIPLOBOT_DIPLOMATIC_THRESHOLD")
        try:
            threshold = float(threshold_raw)
        except ValueError:
            threshold = -1.0
        if not 0.0 <= threshold <= 1.0:
            raise SettingsError(f"DIPLOBOT_DIPLOMATIC_THRESHOLD: expected a number 0..1, got {threshold_raw!r}")
        level = _env(env, "DIPLOBOT_LOG_LEVEL").upper()
        if level not in ("DEBUG", "INFO", "WARNING", "ERROR"):
            raise SettingsError(f"DIPLOBOT_LOG_LEVEL: expected DEBUG, INFO, WARNING or ERROR, got {level!r}")
        seeds = _env(env, "DIPLOBOT_SEEDS")
        return cls(
            db_path=Path(_env(env, "DIPLOBOT_DB")),
            seeds_dir=Path(seeds) if seeds else PROJECT_ROOT / "seeds",
            telegram_token=token,
            telegram_api_base_url=api,
            webhook_url=webhook,
            webhook_secret=_env(env, "DIPLOBOT_WEBHOOK_SECRET"),
            webhook_port=_int(env, "DIPLOBOT_WEBHOOK_PORT", 1, 65535),
            summarizer=summarizer,
            vit5_model=_env(env, "DIPLOBOT_VIT5_MODEL"),
            feeds=feeds,
            channels=channels,
            broadcast=broadcast,
            admins=admins,
            tz=tz,
            digest_time=digest_time,
            poll_minutes=_int(env, "DIPLOBOT_POLL_MINUTES", 1, 24 * 60),
            allow_private_urls=private == "1",
            diplomatic_threshold=threshold,
            log_level=level,
            feed_max_items=_int(env, "DIPLOBOT_FEED_MAX_ITEMS", 1, 10_000),
            backup_dir=_backup_dir(env),
            backup_keep=_int(env, "DIPLOBOT_BACKUP_KEEP", 1, 3650),
            chart_dir=_folder(env, "DIPLOBOT_CHART_DIR"),
            feeds_from=feeds_from,
        )

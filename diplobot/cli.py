"""`diplobot`: a thin click CLI over the Python API (sqlite-utils' `cli.py` is the model).

Each command parses its arguments, calls one library function and prints the result.
Settings come from the environment, validated once; a bad value prints one line
naming the variable and exits with status 2, never a traceback.
"""

from __future__ import annotations

import asyncio
import dataclasses
import json
import logging
import sys
import time
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import click
from telegram.error import TelegramError
from tqdm import tqdm

from bot.bulletin import gather
from bot.delivery import PTBSender, make_bot, run_digests, telegram_failure
from bot.feeds import announce_source_health
from bot.periods import PeriodError, between
from bot.redact import protect_token
from bot.registry import BotContext
from bot.replies import html_to_text
from bot.report import DEFAULT_DAYS as REPORT_DAYS
from bot.report import ReportError, check_target, save
from bot.telegram import run_telegram
from bot.terminal import run_chat
from bot.trends import window
from diplobot.health import as_json as checks_json
from diplobot.health import run_checks
from diplobot.settings import Settings, SettingsError
from ingest.cleaning import clean_text
from ingest.maintenance import resummarize_all, retag_all
from ingest.models import IngestOptions
from ingest.opml import OpmlError, OpmlSource, read_opml_file, write_opml
from ingest.polling import poll as poll_sources
from ingest.run import ingest as ingest_sources
from ingest.source_list import source_statuses
from storage import open_db
from storage.backup import BackupError, backup_file
from storage.queries import count_articles
from storage.sources import add_source
from storage.stats import period_count
from summarizer import SummarizerLoadError, load_summarizer
from summarizer.convert import convert_model
from summarizer.evaluate import evaluate, format_report, load_jsonl
from summarizer.jsonl import summarize_jsonl
from tagger import tag_article


def setup_logging(level: str = "INFO") -> None:
    logging.basicConfig(
        level=getattr(logging, level, logging.INFO),
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
        stream=sys.stderr,
    )
    # httpx logs every request URL at INFO, and a Bot API URL carries the token.
    logging.getLogger("httpx").setLevel(logging.WARNING)
    logging.getLogger("httpcore").setLevel(logging.WARNING)


def fail(message: str, code: int = 1) -> None:
    click.echo(f"diplobot: {message}", err=True)
    sys.exit(code)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="diplobot")
@click.pass_context
def cli(ctx: click.Context) -> None:
    """Diplobot: Vietnamese diplomatic news, summarized and tagged, in Telegram or a terminal chat.

    Configuration comes from environment variables (see README and .env.example).
    """
    try:
        settings = Settings.from_env()
    except SettingsError as exc:
        fail(str(exc), 2)
    setup_logging(settings.log_level)
    if settings.telegram_token:  # before any subcommand can log a URL or print an error
        protect_token(settings.telegram_token, settings.webhook_secret if len(settings.webhook_secret) >= 8 else "")
    ctx.obj = settings


def _summarizer(settings: Settings):
    try:
        return load_summarizer(settings.summarizer, settings.vit5_model)
    except SummarizerLoadError as exc:
        fail(str(exc), 2)


def _db(settings: Settings):
    try:
        return open_db(settings.db_path)
    except Exception as exc:  # unwritable folder, not a database, ...
        fail(f"DIPLOBOT_DB: cannot open {settings.db_path}: {exc}", 2)


def ensure_seeded(db, settings: Settings) -> None:
    """An empty database gets the embedded seed articles, so the bot always has news."""
    if count_articles(db) == 0 and settings.seeds_dir.is_dir():
        click.echo(f"Empty database: ingesting the seed articles from {settings.seeds_dir}", err=True)
        report = ingest_sources(db, [settings.seeds_dir], _summarizer(settings), IngestOptions.from_settings(settings))
        click.echo(report.summary_line(), err=True)


@cli.command()
@click.argument("sources", nargs=-1, required=True)
@click.option("--progress/--no-progress", default=True, help="Show a progress bar on stderr.")
@click.pass_obj
def ingest(settings: Settings, sources: tuple[str, ...], progress: bool) -> None:
    """Ingest SOURCES: article files, folders, feed URLs and page URLs, mixed; print a run summary.

    Each item is cleaned, checked, deduplicated, summarized, tagged and stored; one bad
    item never stops the batch. Exits 1 when no source worked, or when items failed
    (fine, but not stored this run: the database stayed busy; the next run stores them).
    Loopback and private addresses are refused unless DIPLOBOT_ALLOW_PRIVATE_URLS=1.
    """
    db = _db(settings)
    report = ingest_sources(db, sources, _summarizer(settings), IngestOptions.from_settings(settings, progress))
    _print_report(report)
    if report.sources_ok == 0 or sum(report.failed.values()):
        sys.exit(1)


def _print_report(report) -> None:
    for item, reason in report.problems:
        click.echo(f"  rejected {item}: {reason}", err=True)
    click.echo(report.summary_line())


@cli.command()
@click.pass_obj
def poll(settings: Settings) -> None:
    """Read every due source once, as the bot does on schedule: the built-in catalogue (or DIPLOBOT_FEEDS;
    none with DIPLOBOT_FEEDS=none) and the sources added with /addfeed or `sources import`.

    Sources that failed recently are skipped until their backoff ends. Exits 1 when sources
    were due and none worked, or when items failed (not stored this run: the database stayed busy).
    """
    db = _db(settings)
    report = poll_sources(db, _summarizer(settings), IngestOptions.from_settings(settings))
    _print_report(report)
    if report.waiting:
        click.echo(f"{len(report.waiting)} sources backing off after errors", err=True)
    if settings.telegram_token and settings.admins:  # polled by cron, no bot running: admins still hear of it
        asyncio.run(_announce_sources(settings, db))
    if (report.sources_failed and not report.sources_ok) or sum(report.failed.values()):
        sys.exit(1)


async def _announce_sources(settings: Settings, db) -> None:
    """A source down for 5 polls (or 24 h), or back: one message to each admin (bot.feeds)."""
    try:
        async with make_bot(settings) as bot:
            await announce_source_health(bot, db, settings)
    except TelegramError as exc:
        click.echo(f"could not alert the admins: {telegram_failure(exc, settings.telegram_api_base_url)}", err=True)


@cli.command()
@click.pass_obj
def chat(settings: Settings) -> None:
    """Terminal chat: one command per line on stdin (e.g. `echo /latest | diplobot chat`)."""
    db = _db(settings)
    ensure_seeded(db, settings)
    run_chat(BotContext(db=db, settings=settings))


@cli.command()
@click.pass_obj
def run(settings: Settings) -> None:
    """Run the bot: Telegram when TELEGRAM_BOT_TOKEN is set, else the terminal chat."""
    db = _db(settings)
    ensure_seeded(db, settings)
    if not settings.telegram_token:
        click.echo("TELEGRAM_BOT_TOKEN is not set: starting the terminal chat.", err=True)
        run_chat(BotContext(db=db, settings=settings))
        return
    sys.exit(run_telegram(settings, db))


def _read_input(file: str) -> str:
    if file == "-":
        return sys.stdin.read()
    try:
        return Path(file).read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        fail(f"cannot read {file}: {exc}")


@cli.command()
@click.argument("file", default="-")
@click.option("--raw", is_flag=True, help="The whole input is the body: no title line, no cleaning.")
@click.option("--jsonl", "jsonl_path", type=click.Path(dir_okay=False, allow_dash=True),
              help='Read {"id","title","body"} records from this file; write {"id","summary","backend"} lines.')
@click.option("--progress/--no-progress", default=True, help="Progress bar on stderr (with --jsonl).")
@click.pass_obj
def summarize(settings: Settings, file: str, raw: bool, jsonl_path: str | None, progress: bool) -> None:
    """Print the summary of one article (FILE, or - for stdin; first line = title).

    With --jsonl, summarize many records: one output line per input line, in order,
    even when one fails (it gets an empty summary and a warning on stderr).
    """
    summarizer = _summarizer(settings)
    if jsonl_path:
        stream = sys.stdin if jsonl_path == "-" else open(jsonl_path, encoding="utf-8")
        with stream:
            summarize_jsonl(stream, summarizer, sys.stdout, progress=progress)  # ends with a summary line
        return
    text = _read_input(file)
    title, body = ("", text) if raw else (lambda r: (r.title, r.body))(clean_text(text, settings.tz))
    summary = summarizer.summarize(title, body)
    click.echo(summary.text)
    if summary.flag:
        click.echo(f"({summary.backend}: {summary.flag})", err=True)


@cli.command(name="eval")
@click.argument("data", type=click.Path(exists=True, dir_okay=False))
@click.option("--limit", type=int, default=None, help="Only the first N records.")
@click.option("--progress/--no-progress", default=True, help="Show a progress bar on stderr.")
@click.pass_obj
def eval_(settings: Settings, data: str, limit: int | None, progress: bool) -> None:
    """ROUGE-1/2/L (syllable level) of the summarizer and of Lead-1/2/3 on DATA.jsonl.

    Records are {"id","title","abstract","body"} (.jsonl or .jsonl.gz); the table shows
    F1 x 100, mean summary length and articles per second, side by side.
    """
    records = load_jsonl(data)[:limit] if limit else load_jsonl(data)
    summarizer = _summarizer(settings)
    report = evaluate(records, {summarizer.name: summarizer.summarize}, progress=progress)
    click.echo(format_report(report))


@cli.command()
@click.argument("file", default="-")
@click.pass_obj
def tags(settings: Settings, file: str) -> None:
    """Print the tags of one article as JSON (FILE, or - for stdin; first line = title)."""
    cleaned = clean_text(_read_input(file), settings.tz)
    result = tag_article(cleaned.title, cleaned.body, cleaned.published_at)
    click.echo(json.dumps(result.to_dict(), ensure_ascii=False, indent=2))


@cli.command()
@click.option("--now", "force", is_flag=True, help="Every chat's digest for today, whatever its digest time.")
@click.option("--chat", "chats", type=int, multiple=True, help="Only this chat id (repeatable).")
@click.option("--dry-run", is_flag=True, help="Print what would be sent; send and record nothing.")
@click.option("--retry-uncertain", is_flag=True,
              help="Send again the messages marked uncertain (a timeout: a reader may get one twice).")
@click.option("--progress/--no-progress", default=True, help="Show a progress bar on stderr.")
@click.pass_obj
def digest(settings: Settings, force: bool, chats: tuple[int, ...], dry_run: bool, retry_uncertain: bool,
           progress: bool) -> None:
    """Send the due digests and the alerts once, then exit (for cron, or without the bot running).

    Due: the chat's digest time has passed today in the chat's time zone (DIPLOBOT_TZ unless
    /timezone set one; a weekly digest: on Monday) and today's digest has not been sent.
    Alerts: articles stored since the last run, for chats with /alerts on (outside their
    /quiet window), never one a chat already had. Anything left pending by an interrupted run
    is sent too. Idempotent: a second run sends nothing new. Needs TELEGRAM_BOT_TOKEN unless --dry-run.
    """
    if not dry_run and not settings.telegram_token:
        fail("TELEGRAM_BOT_TOKEN: required to send digests (or use --dry-run)", 2)
    db = _db(settings)
    chat_ids = list(chats) or None

    async def go():
        if dry_run:
            return await run_digests(db, settings, None, force=force, chat_ids=chat_ids, dry_run=True)
        async with make_bot(settings) as bot:  # getMe first: a bad token fails before any bar is drawn
            bar = None
            if progress:
                bar = tqdm(desc="digest", unit="msg", leave=False, file=sys.stderr)
            try:
                # `bar is not None`: a tqdm without a total refuses bool().
                return await run_digests(db, settings, PTBSender(bot), force=force, chat_ids=chat_ids,
                                         retry_uncertain=retry_uncertain,
                                         on_sent=bar.update if bar is not None else None)
            finally:
                if bar is not None:
                    bar.close()

    try:
        result = asyncio.run(go())
    except TelegramError as exc:  # a revoked token, an unreachable server: one line, no traceback
        fail(telegram_failure(exc, settings.telegram_api_base_url))
    if dry_run:
        for d in result.plan.digests:
            click.echo(f"── chat {d.chat_id}: {len(d.article_ids)} articles, {len(d.parts)} messages ──")
            for part in d.parts:
                click.echo(html_to_text(part) + "\n")
        click.echo(f"dry run, nothing sent: {result.summary_line()}")
        return
    click.echo(result.summary_line())
    if result.delivery is not None and result.delivery.aborted:
        sys.exit(1)


@cli.command()
@click.option("--progress/--no-progress", default=True, help="Show a progress bar on stderr.")
@click.pass_obj
def retag(settings: Settings, progress: bool) -> None:
    """Re-run the tagger over every stored article, so improved rules reach old articles."""
    db = _db(settings)
    changed, total, seconds = retag_all(db, progress=progress)
    click.echo(f"{total} articles retagged in {seconds:.2f}s: {changed} with changed tags")


@cli.command()
@click.option("--backend", type=click.Choice(["extractive", "vit5"]), default=None,
              help="Backend to summarize with (default: DIPLOBOT_SUMMARIZER).")
@click.option("--progress/--no-progress", default=True, help="Show a progress bar on stderr.")
@click.pass_obj
def resummarize(settings: Settings, backend: str | None, progress: bool) -> None:
    """Redo the stored summaries that another backend made (e.g. after installing ViT5)."""
    if backend:
        settings = dataclasses.replace(settings, summarizer=backend)
    summarizer = _summarizer(settings)
    started = time.perf_counter()
    redone, by_backend = resummarize_all(_db(settings), summarizer, summarizer.name, progress=progress)
    click.echo(f"{redone} summaries redone in {time.perf_counter() - started:.2f}s: "
               f"{by_backend} by {summarizer.name}, {redone - by_backend} fell back")


@cli.command(name="convert-model")
@click.argument("src")
@click.argument("dst", type=click.Path(file_okay=False))
@click.option("--quantization", default="int8", show_default=True, help="CTranslate2 quantization.")
def convert_model_(src: str, dst: str, quantization: str) -> None:
    """Convert a ViT5 (T5) folder SRC into a CTranslate2 folder DST (int8), tokenizer included.

    Point DIPLOBOT_VIT5_MODEL at DST to summarize with ctranslate2, without torch.
    """
    try:
        convert_model(src, dst, quantization=quantization)
    except SummarizerLoadError as exc:
        fail(str(exc), 2)
    click.echo(f"converted {src} -> {dst} ({quantization})")


@cli.command()
@click.argument("dest", type=click.Path())
@click.pass_obj
def backup(settings: Settings, dest: str) -> None:
    """Copy the database to DEST (a file, or a folder for a dated name) while the bot keeps running.

    SQLite's online backup, then an integrity check of the copy; prints its size and
    article count. On any failure: one line, exit 1, no partial file, the database untouched.
    Restore: stop the bot, copy the file back to DIPLOBOT_DB, start it.
    """
    try:
        result = backup_file(settings.db_path, dest)
    except BackupError as exc:
        fail(f"backup failed: {exc}")
    click.echo(result.summary_line())


def _report_day(value: str, option: str):
    try:
        if not (len(value) == 10 and value[4] == value[7] == "-" and value.replace("-", "").isascii()):
            raise ValueError(value)  # fromisoformat also takes 20240101 and 2024-W01-1
        return date.fromisoformat(value)
    except ValueError:
        fail(f"{option}: expected a date YYYY-MM-DD, got {value!r}")


@cli.command()
@click.option("--from", "start", metavar="YYYY-MM-DD",
              help=f"First day of the bulletin (local); default: {REPORT_DAYS} days before --to.")
@click.option("--to", "end", metavar="YYYY-MM-DD", help="Last day of the bulletin, included; default: today.")
@click.option("--format", "fmt", type=click.Choice(["docx", "html", "csv"]), default="docx", show_default=True,
              help="Word document, one self-contained HTML page, or CSV (UTF-8 with BOM, one row per article).")
@click.option("--out", required=True, type=click.Path(dir_okay=True), help="File to write (replaced as a whole).")
@click.option("--progress/--no-progress", default=True, help="Show a progress bar on stderr.")
@click.pass_obj
def report(settings: Settings, start: str | None, end: str | None, fmt: str, out: str, progress: bool) -> None:
    """A bulletin of the period: articles grouped by topic, then province and country, with a cover chart.

    Without --from and --to, the last 7 days to today (DIPLOBOT_TZ), as /report in the chat."""
    last = _report_day(end, "--to") if end else datetime.now(settings.tz).date()
    first = _report_day(start, "--from") if start else last - timedelta(days=REPORT_DAYS - 1)
    if first > last:
        fail(f"--from {first} is after --to {last}")
    try:
        period = between(first, last)
        check_target(Path(out))
    except (PeriodError, ReportError) as exc:
        fail(str(exc))
    ctx = BotContext(db=_db(settings), settings=settings)
    total = period_count(ctx.db, window(ctx, period))
    if not total:
        fail(f"no article between {first} and {last}")
    # Two bars of the articles, one after the other: read from the database, then written out.
    bar = tqdm(total=total, desc="report: read", unit="article", file=sys.stderr) if progress else None
    bulletin = gather(ctx, period, progress=(lambda rows: _counted(rows, bar)) if bar else None, chart=fmt != "csv")
    if bar:
        bar.close()
        bar = tqdm(total=len(bulletin.entries), desc="report: write", unit="article", file=sys.stderr)
    try:
        size = save(bulletin, fmt, Path(out), progress=bar.update if bar else None)
    except ReportError as exc:
        fail(str(exc))
    finally:
        if bar:
            bar.close()
    click.echo(f"{out}: {fmt}, {size:,} bytes, {len(bulletin.entries)} articles")


def _counted(rows, bar):
    for row in rows:
        bar.update(1)
        yield row


@cli.command()
@click.option("--json", "as_json", is_flag=True, help="Print the checks as one JSON object.")
@click.pass_obj
def health(settings: Settings, as_json: bool) -> None:
    """Check the database, the schema, the Bot API (getMe, 2 s), the sources and the bot's last runs.

    One line per check; exit 0 when all pass, 1 otherwise (Docker's HEALTHCHECK, monitors).
    The last poll and digest run are what the running bot recorded: asked only with a token.
    """
    checks = run_checks(settings)
    if as_json:
        click.echo(json.dumps(checks_json(checks), ensure_ascii=False))
    else:
        for check in checks:
            click.echo(check.line())
    sys.exit(0 if all(c.ok for c in checks) else 1)


@cli.group(invoke_without_command=True)
@click.pass_context
def sources(ctx: click.Context) -> None:
    """The sources: the built-in catalogue and every source the database knows, one per line.

    Columns (tab-separated): URL, kind (feed or section), where it comes from, last success,
    last error, next try. `sources export FILE.opml` and `sources import FILE.opml` move them
    between installations (OPML 2.0, as feed readers write it).
    """
    if ctx.invoked_subcommand is not None:
        return
    settings: Settings = ctx.obj
    rows = source_statuses(_db(settings), settings.feeds, settings.feeds_from)
    now = datetime.now(timezone.utc)
    click.echo("url\tkind\tfrom\tlast success\tlast error\tnext try")
    for row in rows:
        error = "-"
        if row.last_error:
            error = f"{row.last_error} at {row.last_error_at}" + (f" ({row.errors} in a row)" if row.errors else "")
        click.echo(f"{row.url}\t{row.kind}\t{row.origin}\t{row.last_ok or 'never'}\t{error}\t{row.next_try(now)}")
    polling = {"catalogue": "the catalogue is polled", "env": "DIPLOBOT_FEEDS is polled",
               "none": "DIPLOBOT_FEEDS=none: no polling"}[settings.feeds_from]
    catalogue = sum(r.origin == "catalogue" for r in rows)
    click.echo(f"{len(rows)} sources: {catalogue} in the catalogue, {len(rows) - catalogue} more; {polling}", err=True)


@sources.command(name="export")
@click.argument("file", type=click.Path(dir_okay=False, allow_dash=True))
@click.pass_obj
def sources_export(settings: Settings, file: str) -> None:
    """Write every source listed by `diplobot sources` to FILE as OPML 2.0 (`-`: stdout)."""
    rows = source_statuses(_db(settings), settings.feeds, settings.feeds_from)
    data = write_opml([OpmlSource(r.url, r.kind, r.title) for r in rows])
    if file == "-":
        click.echo(data, nl=False)  # bytes: written as they are
    else:
        try:
            Path(file).write_bytes(data)
        except OSError as exc:
            fail(f"cannot write {file}: {exc.strerror or exc}")
    click.echo(f"exported {len(rows)} sources to {file}", err=True)


@sources.command(name="import")
@click.argument("file", type=click.Path(dir_okay=False))
@click.pass_obj
def sources_import(settings: Settings, file: str) -> None:
    """Poll every feed and section page of an OPML file (from `sources export` or a feed reader)."""
    try:
        found, skipped = read_opml_file(file)
    except OpmlError as exc:
        fail(f"{file}: {exc}")
    db = _db(settings)
    new = sum(add_source(db, s.url, s.title, kind=s.kind) for s in found)
    for line in skipped:
        click.echo(f"  skipped {line}", err=True)
    click.echo(f"imported {len(found)} sources from {file}: {new} new, {len(found) - new} already polled"
               + (f", {len(skipped)} skipped" if skipped else ""))


def main() -> None:
    cli(prog_name="diplobot")


if __name__ == "__main__":
    main()

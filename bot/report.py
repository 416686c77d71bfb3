"""Bulletin files: `diplobot report` (DOCX, HTML or CSV) and `/report [period]` (DOCX in the chat).

The writers lay a `bot.bulletin.Bulletin` out as bytes; `save` writes a file beside its
target and renames it into place, so a failed or interrupted report leaves no partial file.
"""

from __future__ import annotations

import asyncio
import base64
import csv
import html
import io
import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import IO, Any

from bot.bulletin import TITLE, Bulletin, Entry, gather
from bot.periods import EXAMPLES, PeriodError, last_days, parse_period
from bot.registry import BotContext, Command, command
from bot.replies import Attachment, Reply, esc, quote
from bot.report_docx import write_docx
from bot.trends import today

CSV_COLUMNS = ("id", "date", "outlet", "title", "url", "summary", "provinces", "countries", "people", "topics")
DEFAULT_DAYS = 7  # /report without a period: the last week
REPORT_USAGE = (f"Cách dùng: /report [thời gian], mặc định {DEFAULT_DAYS} ngày qua. Ví dụ: <code>/report tuần này</code>, "
                f"<code>/report từ 01/01/2024 đến 31/03/2024</code>. Thời gian: {EXAMPLES}.")

Progress = Callable[[int], Any] | None  # called with the number of articles just written


def write_csv(bulletin: Bulletin, out: IO[bytes], progress: Progress = None) -> None:
    """One row per article, UTF-8 with a byte-order mark so that Excel reads Vietnamese right."""
    text = io.TextIOWrapper(out, encoding="utf-8-sig", newline="", write_through=True)
    writer = csv.writer(text)
    writer.writerow(CSV_COLUMNS)
    for e in bulletin.entries:
        writer.writerow([e.id, e.day, e.outlet, e.title, e.url, e.summary, "; ".join(e.provinces),
                         "; ".join(e.countries), "; ".join(e.people), "; ".join(e.topics)])
    text.flush()
    text.detach()  # `out` belongs to the caller
    if progress is not None:
        progress(len(bulletin.entries))


_CSS = """body{font-family:"Segoe UI",Arial,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;
color:#222;line-height:1.5}h1{margin-bottom:.2rem}header img{max-width:100%;height:auto}
table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:.2rem .6rem;text-align:left}
article{margin:1rem 0 1.4rem}article h4{margin:0 0 .2rem;font-size:1.05rem}.meta,.tags{color:#555;
font-size:.9rem;margin:.1rem 0}nav ol{margin:.2rem 0}"""


def _h(value: Any) -> str:
    return html.escape(str(value), quote=True)


def _html_entry(e: Entry) -> str:
    title = f'<a href="{_h(e.link)}">{_h(e.title)}</a>' if e.link else _h(e.title)
    meta = " · ".join(_h(x) for x in (e.day_vn, e.outlet) if x)
    tags = " · ".join(_h(t) for t in e.tag_texts())
    summary = f"<p>{_h(e.summary)}</p>" if e.summary else ""
    return f'<article><h4>{title}</h4><p class="meta">{meta}</p>{summary}<p class="tags">{tags}</p></article>\n'


def _html_cover(bulletin: Bulletin) -> list[str]:
    parts = [f"<header><h1>{_h(TITLE)}</h1>"] + [f"<p>{_h(line)}</p>" for line in bulletin.cover_lines()]
    chart = bulletin.coverage.chart
    if chart is not None:
        parts.append(f'<img alt="{_h(chart.title)}" src="data:image/png;base64,{base64.b64encode(chart.png).decode()}">')
    parts.append("<table><tr><th>Chủ đề</th><th>Số bài</th></tr>")
    parts += [f"<tr><td>{_h(t)}</td><td>{n}</td></tr>" for t, n in bulletin.topic_counts()]
    parts.append("</table></header>\n")
    return parts


def write_html(bulletin: Bulletin, out: IO[bytes], progress: Progress = None) -> None:
    """One self-contained page: styles inline, the chart as a data: URI, every value escaped."""
    parts = [f'<!doctype html>\n<html lang="vi"><head><meta charset="utf-8">'
             f'<meta name="viewport" content="width=device-width, initial-scale=1">'
             f"<title>{_h(TITLE)} {_h(bulletin.period.span)}</title><style>{_CSS}</style></head><body>\n"]
    parts += _html_cover(bulletin)
    sections = bulletin.sections()
    parts.append("<nav><h2>Mục lục</h2><ol>")
    for i, (topic, groups) in enumerate(sections, 1):
        inner = "".join(f'<li><a href="#s{i}-{j}">{_h(place)}</a> ({len(es)})</li>' for j, (place, es) in enumerate(groups, 1))
        parts.append(f'<li><a href="#s{i}">{_h(topic)}</a><ol>{inner}</ol></li>')
    parts.append("</ol></nav>\n")
    for i, (topic, groups) in enumerate(sections, 1):
        parts.append(f'<section id="s{i}"><h2>{_h(topic)}</h2>\n')
        for j, (place, entries) in enumerate(groups, 1):
            parts += [f'<section id="s{i}-{j}"><h3>{_h(place)}</h3>\n', *map(_html_entry, entries), "</section>\n"]
            if progress is not None:
                progress(len(entries))
        parts.append("</section>\n")
    parts.append("</body></html>\n")
    out.write("".join(parts).encode("utf-8"))


WRITERS: dict[str, Callable[[Bulletin, IO[bytes], Progress], None]] = {
    "docx": write_docx, "html": write_html, "csv": write_csv}  # python-docx is imported only for a DOCX


class ReportError(ValueError):
    """A report file that cannot be written; the message is one line for the operator."""


def check_target(path: Path) -> None:
    """ReportError unless `path` can be written: its folder exists and is writable, and it is no folder."""
    folder = path.parent
    if not folder.is_dir():
        raise ReportError(f"--out: folder {folder} does not exist")
    if path.is_dir():
        raise ReportError(f"--out: {path} is a folder")
    if not os.access(folder, os.W_OK | os.X_OK):
        raise ReportError(f"--out: folder {folder} is not writable")


def save(bulletin: Bulletin, fmt: str, path: Path, progress: Progress = None) -> int:
    """Write the bulletin to `path` through a temporary file beside it; returns the size in bytes."""
    check_target(path)
    try:
        handle, temp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=path.parent)
    except OSError as exc:
        raise ReportError(f"--out: cannot write in {path.parent}: {exc.strerror or exc}") from None
    try:
        with os.fdopen(handle, "wb") as out:
            WRITERS[fmt](bulletin, out, progress)
        os.replace(temp, path)
    except BaseException as exc:  # Ctrl-C included: no partial file, ever
        Path(temp).unlink(missing_ok=True)
        if isinstance(exc, OSError):
            raise ReportError(f"--out: cannot write {path}: {exc.strerror or exc}") from None
        raise
    return path.stat().st_size


def render(bulletin: Bulletin, fmt: str = "docx") -> bytes:
    buffer = io.BytesIO()
    WRITERS[fmt](bulletin, buffer, None)
    return buffer.getvalue()


@command("report", "Bản tin (Word) của một khoảng thời gian")
async def report(ctx: BotContext, cmd: Command) -> Reply:
    """The bulletin of a period (default the last 7 days) as a Word document."""
    try:
        period = parse_period(cmd.args, today(ctx)) if cmd.args.strip() else last_days(DEFAULT_DAYS, today(ctx))
    except PeriodError as exc:
        return Reply(f"{esc(exc)} {REPORT_USAGE}")
    if period is None:
        return Reply(f"«{quote(cmd.args)}» không hợp lệ. {REPORT_USAGE}")
    bulletin = gather(ctx, period)
    if not bulletin.entries:
        return Reply(f"Không có bài viết nào trong {esc(period.describe())}.")
    data = await asyncio.to_thread(render, bulletin, "docx")  # no database there: the bot keeps answering
    name = f"ban-tin-{period.start:%Y%m%d}-{period.end:%Y%m%d}.docx"
    caption = f"🗂 {esc(TITLE)}: {len(bulletin.entries)} bài viết, {esc(period.describe())}"
    return Reply(caption, attachment=Attachment("document", data, name))

"""/trend and /stats: the data each chart is drawn from, the PNG, the replies without a chart,
and both adapters (the terminal chat writes the PNG; Telegram sends a photo)."""

from __future__ import annotations

import io
import struct
from collections import Counter
from datetime import datetime, timedelta

import pytest

from bot.handlers import dispatch
from bot.registry import BotContext, Command
from bot.terminal import TerminalChat
from bot.trends import bins, coverage, trend_series
from bot.periods import last_weeks, parse_period
from diplobot.settings import Settings
from storage import open_db
from tests.synthetic_news import TZ, build

PNG = b"\x89PNG\r\n\x1a\n"


@pytest.fixture(scope="module")
def news(tmp_path_factory):
    path = tmp_path_factory.mktemp("trends") / "news.db"
    return path, build(path)


@pytest.fixture
def ctx(news, tmp_path):
    settings = Settings.from_env({"DIPLOBOT_DB": str(news[0]), "DIPLOBOT_CHART_DIR": str(tmp_path)})
    return BotContext(db=open_db(news[0]), settings=settings)


def ask(ctx, name: str, args: str = ""):
    import asyncio

    return asyncio.run(dispatch(ctx, Command(name=name, args=args)))


def png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == PNG
    return struct.unpack(">II", data[16:24])


def weekly_expected(stored, kinds: set[str], today) -> Counter:
    monday = lambda d: d - timedelta(days=d.weekday())  # noqa: E731
    first = monday(last_weeks(12, today).start)
    return Counter(monday(d).isoformat() for _, k, d in stored if k in kinds and monday(d) >= first)


def test_trend_compares_two_countries_week_by_week(ctx, news):
    reply = ask(ctx, "trend", "Nhật Bản, Hàn Quốc")
    attachment = reply.attachment
    assert attachment is not None and attachment.kind == "photo" and attachment.filename.endswith(".png")
    width, height = png_size(attachment.data)
    assert (width, height) == (1000, 560) and 10_000 < len(attachment.data) < 500_000
    # the data behind the picture: one series per name, 12 weekly bins, the stored counts
    today = datetime.now(TZ).date()
    series, days = trend_series(ctx, ["Nhật Bản", "han quoc"], last_weeks(12, today))
    assert list(series) == ["Nhật Bản", "Hàn Quốc"] and len(days) == 12 and days[0].weekday() == 0
    for label, kinds in (("Nhật Bản", {"japan", "both"}), ("Hàn Quốc", {"korea", "both"})):
        expected = weekly_expected(news[1], kinds, today)
        assert dict(zip((d.isoformat() for d in days), series[label])) == {d.isoformat(): expected[d.isoformat()] for d in days}
    total_jp = sum(series["Nhật Bản"])
    assert f"Nhật Bản: {total_jp} bài" in reply.text and "12 tuần qua" in reply.text and "\n" not in reply.html


def test_trend_of_a_short_period_is_daily_and_a_merged_province_shows_its_new_name(ctx, news):
    today = datetime.now(TZ).date()
    period = parse_period("14 ngày", today)
    series, days = trend_series(ctx, ["binh duong"], period)
    assert len(days) == 14 and days[-1] == today
    (label, counts), = series.items()
    assert label == "Bình Dương (nay thuộc TP. Hồ Chí Minh)"
    expected = Counter(d for _, k, d in news[1] if k == "korea" and d >= period.start)
    assert counts == [expected[d] for d in days]
    reply = ask(ctx, "trend", "Bình Dương 14 ngày")
    assert reply.attachment is not None and "nay thuộc TP. Hồ Chí Minh" in reply.text


def test_trend_without_a_match_draws_nothing_and_suggests(ctx):
    reply = ask(ctx, "trend", "Nhat Bann, xyzzyqw")
    assert reply.attachment is None
    assert reply.text.startswith("Không có bài viết nào về «xyzzyqw». Có phải bạn muốn: ")
    assert reply.buttons and all(row[0].callback_data.startswith("run|trend|") for row in reply.buttons)
    reply = ask(ctx, "trend", "Đà Nẵnq")  # a typo of a province with articles: understood
    assert reply.attachment is not None


def test_trend_keyword_and_bad_input(ctx):
    assert ask(ctx, "trend", "khu công nghiệp").attachment is not None  # a keyword of the korea articles
    assert "Cách dùng: /trend" in ask(ctx, "trend", "").text
    assert "không có thật" in ask(ctx, "trend", "Nhật Bản từ 31/02/2024").text
    assert "Không có bài viết nào về Nhật Bản" in ask(ctx, "trend", "Nhật Bản từ 01/01/2001 đến 31/01/2001").text
    assert "Tối đa 6 tên" in ask(ctx, "trend", ", ".join(["Lào"] * 7)).text


def test_stats_counts_provinces_by_their_new_names(ctx, news):
    reply = ask(ctx, "stats", "12 tuần")
    assert reply.attachment is not None and png_size(reply.attachment.data)[0] == 1000
    cov = coverage(ctx, parse_period("12 tuần", datetime.now(TZ).date()))
    kinds = Counter(k for _, k, d in news[1] if d >= cov.period.start)
    assert cov.total == sum(kinds.values())
    assert dict(cov.countries) == {"Nhật Bản": kinds["japan"] + kinds["both"], "Hàn Quốc": kinds["korea"] + kinds["both"]}
    assert dict(cov.provinces) == {"TP. Đà Nẵng": kinds["japan"], "TP. Hồ Chí Minh": kinds["korea"], "TP. Hà Nội": kinds["both"]}
    assert cov.chart.data["Quốc gia"] == cov.countries
    assert reply.text.startswith(f"📊 {cov.total} bài viết, 12 tuần qua") and "Nhiều nhất: Nhật Bản" in reply.text
    assert ask(ctx, "stats", "tu 01/01/2001 den 02/01/2001").text.startswith("Không có bài viết nào trong")
    assert "Cách dùng: /stats" in ask(ctx, "stats", "hôm kia").text


def test_bins_cover_the_period():
    period = parse_period("12 tuần", datetime(2026, 12, 3).date())
    days = bins(period, weekly=True)
    assert len(days) == 12 and days[-1] <= period.end < days[-1] + timedelta(days=7)


def test_terminal_chat_writes_the_png_and_prints_its_path(ctx, tmp_path):
    out = io.StringIO()
    TerminalChat(ctx, io.StringIO("/trend Nhật Bản\n/stats 30 ngày\n"), out).run()
    pngs = sorted(tmp_path.glob("*.png"))
    assert len(pngs) == 2 and all(p.read_bytes()[:8] == PNG for p in pngs)
    for png in pngs:
        assert f"Biểu đồ: {png}" in out.getvalue()
    assert not list(tmp_path.glob(".*.part"))

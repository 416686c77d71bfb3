"""Through the real PTB Application and the fake Bot API: /trend sends a photo, /report a
document, and /article of a 20,000-character article delivers every sentence, three messages
a press, with `Đọc tiếp ›` for the rest."""

from __future__ import annotations

import asyncio
import hashlib
from datetime import datetime

import pytest

from bot.commands import ARTICLE_PARTS, READ_ON, parse_more
from bot.handlers import dispatch
from bot.registry import BotContext, Command
from diplobot.settings import Settings
from storage import open_db
from tests.fake_bot_api import TOKEN, BotThread, FakeBotAPI, callback_update, check_html, message_update, utf16_len
from tests.synthetic_news import TZ, build

SENTENCES = [f"Câu số {i} kể về cuộc gặp thứ {i} giữa hai đoàn đại biểu tại Hà Nội và Tokyo." for i in range(1, 261)]
BODY = "\n\n".join(" ".join(SENTENCES[i:i + 6]) for i in range(0, len(SENTENCES), 6))


@pytest.fixture(scope="module")
def news(tmp_path_factory):
    from storage.articles import store_article
    from tagger import tag_article

    path = tmp_path_factory.mktemp("pictures") / "news.db"
    build(path, weeks=2)
    db = open_db(path)
    record = {"source_key": "long:1", "url": "https://tin.example.vn/dai.html", "source": "Báo Dài",
              "title": "Một bài rất dài", "body": BODY, "published_at": datetime.now(TZ).isoformat(),
              "content_hash": hashlib.sha1(BODY.encode()).hexdigest()}
    long_id = store_article(db, record, {"text": SENTENCES[0], "backend": "extractive"}, tag_article("Một bài", BODY))
    db.conn.close()
    return path, long_id


def settings_for(api: FakeBotAPI, path) -> Settings:
    return Settings.from_env({"TELEGRAM_BOT_TOKEN": TOKEN, "TELEGRAM_API_BASE_URL": api.base_url,
                              "DIPLOBOT_DB": str(path), "DIPLOBOT_FEEDS": "none"})


@pytest.fixture
def bot(news):
    with FakeBotAPI() as api, BotThread(settings_for(api, news[0]), news[0]) as running:
        running.api = api
        yield running
    assert [c for c in api.calls if c.status != 200] == []


def test_trend_is_a_photo_and_report_a_document(bot):
    bot.api.inject(message_update("/trend Nhật Bản, Hàn Quốc 14 ngày", chat_id=77))
    (photo,) = bot.api.wait_for("sendPhoto", timeout=30)
    assert photo.chat_id == 77 and photo.params["photo"]["data"][:8] == b"\x89PNG\r\n\x1a\n"
    caption, problems = check_html(photo.params["caption"])
    assert problems == [] and caption.startswith("📈 Nhật Bản: ") and "Hàn Quốc: " in caption and "\n" not in caption
    bot.api.inject(message_update("/report 14 ngày", chat_id=77))
    (document,) = bot.api.wait_for("sendDocument", timeout=60)
    upload = document.params["document"]
    assert upload["filename"].startswith("ban-tin-") and upload["filename"].endswith(".docx")
    assert upload["data"][:2] == b"PK"  # a zip: the DOCX container
    assert check_html(document.params["caption"])[0].startswith("🗂 Bản tin ngoại giao: ")
    assert bot.api.sent(77) == []  # everything went as the file's caption


def presses(path, article_id: int) -> list[int]:
    """How many messages each press of /article and its `Đọc tiếp ›` buttons makes (the handler's replies, split)."""
    from bot.telegram_html import split_html

    ctx = BotContext(db=open_db(path), settings=Settings.from_env({"DIPLOBOT_DB": str(path)}))
    cmd, counts = Command(name="article", args=str(article_id)), []
    while cmd is not None:
        reply = asyncio.run(dispatch(ctx, cmd))
        counts.append(len(split_html(reply.html)))
        more = [b.callback_data for row in reply.buttons for b in row]
        cmd = parse_more(more[0]) if more else None
    return counts


def test_long_article_arrives_whole_three_messages_a_press(bot, news):
    counts = presses(*news)
    assert len(counts) >= 2 and all(n <= ARTICLE_PARTS for n in counts)
    bot.api.inject(message_update(f"/article_{news[1]}", chat_id=78))
    calls = bot.api.wait_for("sendMessage", counts[0], where=lambda c: c.chat_id == 78, timeout=30)
    for n in counts[1:]:
        markup = calls[-1].params.get("reply_markup") or {}
        (button,) = [b for row in markup["inline_keyboard"] for b in row]
        assert button["text"] == READ_ON and all(c.params.get("reply_markup") is None for c in calls[-n:-1])
        bot.api.inject(callback_update(button["callback_data"], chat_id=78))
        calls = bot.api.wait_for("sendMessage", len(calls) + n, where=lambda c: c.chat_id == 78, timeout=30)
    assert bot.api.wait_for("editMessageReplyMarkup", len(counts) - 1)  # each pressed button goes away
    assert calls[-1].params.get("reply_markup") is None
    texts = [check_html(c.text) for c in calls]
    assert all(problems == [] for _, problems in texts) and all(utf16_len(t) <= 4096 for t, _ in texts)
    delivered = "\n".join(t for t, _ in texts)
    assert [s for s in SENTENCES if s not in delivered] == []


def test_every_sentence_through_the_handler(news):
    settings = Settings.from_env({"DIPLOBOT_DB": str(news[0])})
    ctx = BotContext(db=open_db(news[0]), settings=settings)
    cmd, seen = Command(name="article", args=str(news[1])), []
    while cmd is not None:
        reply = asyncio.run(dispatch(ctx, cmd))
        seen.append(reply.text)
        more = [b.callback_data for row in reply.buttons for b in row]
        cmd = parse_more(more[0]) if more else None
    assert len(seen) >= 2 and [s for s in SENTENCES if s not in "\n".join(seen)] == []
    assert "(bài" in seen[1] and "tiếp: phần 4–" in seen[1]

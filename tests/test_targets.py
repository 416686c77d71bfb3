"""A channel or group managed from a private chat (`/subscribe @kenh …`, bot/targets.py):
the real `Application` over the fake Bot API, which knows the chats by id and @username
and says who administers them and whether the bot may post there."""

from __future__ import annotations

import asyncio
import io

import pytest

from bot.registry import BotContext
from bot.terminal import TerminalChat
from diplobot.settings import Settings
from storage import open_db
from tests.conftest import copy_db, rows
from tests.fake_bot_api import BOT_USER, TOKEN, BotThread, FakeBotAPI, check_html, message_update

USER = 42
BOT_ID = BOT_USER["id"]
CHANNEL, GROUP = -1005550001, -1001234567890


@pytest.fixture
def bot(seeded_copy):
    with FakeBotAPI() as api:
        api.add_chat(CHANNEL, "channel", "Tin Bình Dương", "kenh")
        api.set_member(CHANNEL, BOT_ID, "administrator")
        api.set_member(CHANNEL, USER, "creator")
        api.add_chat(GROUP, "supergroup", "Sở Ngoại vụ")
        api.set_member(GROUP, BOT_ID, "member")
        api.set_member(GROUP, USER, "administrator")
        settings = Settings.from_env({"TELEGRAM_BOT_TOKEN": TOKEN, "TELEGRAM_API_BASE_URL": api.base_url,
                                      "DIPLOBOT_DB": str(seeded_copy)})
        with BotThread(settings, seeded_copy) as running:
            running.api, running.db_path = api, seeded_copy
            yield running


def says(bot, text: str, chat_id: int = USER, user_id: int = USER, **kw):
    """Send `text`; return the visible text of the reply and its sendMessage call."""
    before = len(bot.api.sent(chat_id))
    bot.api.inject(message_update(text, chat_id=chat_id, user_id=user_id, **kw))
    call = bot.api.wait_for("sendMessage", before + 1, where=lambda c: c.chat_id == chat_id)[before]
    visible, problems = check_html(call.text)
    assert problems == []
    return visible, call


def test_a_channel_subscribed_from_a_private_chat_gets_its_own_digest(bot):
    reply, _ = says(bot, "/subscribe @kenh nước Nhật Bản")
    assert reply.startswith("📣 Kênh Tin Bình Dương (@kenh):\n✅ Đã đăng ký")
    assert rows(bot.db_path, "select chat_id, kind, code from subscriptions") == [(CHANNEL, "country", "JP")]
    assert rows(bot.db_path, "select type, title, username from chats where chat_id = ?", [CHANNEL]) == [
        ("channel", "Tin Bình Dương", "kenh")]
    # By number, a supergroup where the bot is a plain member (it may send there).
    reply, _ = says(bot, f"/subscribe {GROUP} tinh Ha Tinh")
    assert reply.startswith("👥 Nhóm Sở Ngoại vụ (-1001234567890):\n✅ Đã đăng ký") and "Hà Tĩnh" in reply

    listing, _ = says(bot, "/subscriptions @KENH")
    assert listing.startswith("📣 Kênh Tin Bình Dương (@kenh):") and "Nhật Bản" in listing and "Hà Tĩnh" not in listing
    assert says(bot, "/subscriptions")[0].startswith("Bạn chưa đăng ký nhận tin nào.")  # the private chat's own
    # A suggestion button acts on the channel too.
    reply, call = says(bot, "/subscribe @kenh nuoc Xyz Ban")
    assert reply.startswith("📣 Kênh Tin Bình Dương (@kenh):\nKhông tìm thấy quốc gia «Xyz Ban».")
    buttons = [b["callback_data"] for row in call.params["reply_markup"]["inline_keyboard"] for b in row]
    assert buttons and all(b.startswith("run|subscribe|@kenh nước ") for b in buttons)

    assert "00:00" in says(bot, "/digest_time @kenh 00:00")[0]
    before = len(bot.api.sent(USER))
    asyncio.run_coroutine_threadsafe(bot.app.bot_data.ctx.delivery.tick(), bot._loop).result(30)
    titles = dict(rows(bot.db_path, "select id, title from articles"))
    wanted = {chat: {i for (i,) in rows(bot.db_path, "select t.article_id from tags t join subscriptions s on "
                                        "s.kind = t.kind and s.code = t.code where s.chat_id = ?", [chat])}
              for chat in (CHANNEL, GROUP)}
    assert wanted[CHANNEL] and wanted[GROUP] and wanted[CHANNEL] != wanted[GROUP]
    # Each target gets exactly the articles of its own subscriptions (the group's time, 07:00, may
    # not have come yet in Vietnam: then it gets nothing yet).
    for chat in (CHANNEL, GROUP):
        digest = " ".join(check_html(c.text)[0] for c in bot.api.sent(chat))
        if chat == CHANNEL or digest:
            assert {i for i, title in titles.items() if title in digest} == wanted[chat], chat
    assert len(bot.api.sent(USER)) == before  # nothing for the private chat that made the subscriptions

    assert says(bot, "/unsubscribe @kenh tất cả")[0].startswith("📣 Kênh Tin Bình Dương (@kenh):\nĐã hủy 1 đăng ký.")
    assert rows(bot.db_path, "select chat_id from subscriptions") == [(GROUP,)]


def test_each_refusal_is_one_line_and_stores_nothing(bot):
    api = bot.api
    api.add_chat(-1006, "channel", "Kênh khác", "kenh_khac")  # the sender is a plain subscriber there
    api.set_member(-1006, BOT_ID, "administrator")
    api.add_chat(-1007, "channel", "Kênh chưa quyền", "kenh_chua_quyen")  # the bot may not post
    api.set_member(-1007, BOT_ID, "administrator", can_post_messages=False)
    api.set_member(-1007, USER, "creator")
    api.add_chat(-1008, "supergroup", "Nhóm đã rời")  # the bot left
    api.set_member(-1008, BOT_ID, "left")
    api.set_member(-1008, USER, "creator")
    api.add_chat(-1009, "supergroup", "Nhóm chỉ đọc", members_may_send=False)  # members may not send
    api.set_member(-1009, USER, "creator")
    api.add_chat(-1010, "channel", "Kênh không có bot", "kenh_khong_bot")  # the bot is no admin: members hidden
    cases = {
        "/subscribe @kenh_khac nước Lào": "Chỉ quản trị viên của kênh Kênh khác (@kenh_khac) mới được",
        "/subscriptions @kenh_khac": "Chỉ quản trị viên của kênh Kênh khác (@kenh_khac) mới được",
        "/subscribe @kenh_chua_quyen nước Lào": "Bot chưa được đăng tin trong kênh Kênh chưa quyền",
        "/subscribe -1008 nước Lào": "Bot không gửi được tin vào nhóm Nhóm đã rời (-1008)",
        "/subscribe -1009 nước Lào": "Bot không gửi được tin vào nhóm Nhóm chỉ đọc (-1009)",
        "/subscribe @kenh_khong_bot nước Lào": "Bot chưa được đăng tin trong kênh Kênh không có bot",
        "/unsubscribe @kenh_khong_bot tất cả": "Không kiểm tra được quyền quản trị của bạn trong kênh Kênh không có bot",
        "/subscribe @khong_co_kenh nước Lào": "Không tìm thấy kênh hoặc nhóm @khong_co_kenh.",
        "/subscribe @x nước Lào": "Không tìm thấy kênh hoặc nhóm @x.",
    }
    for text, expected in cases.items():
        reply, _ = says(bot, text)
        assert reply.startswith(expected) and "\n" not in reply, (text, reply)
    # Typed in a group, a target is refused: the command would act on a chat nobody there sees.
    api.admins[-1003] = {USER}
    reply, _ = says(bot, "/subscribe @kenh nước Lào", chat_id=-1003, chat_type="supergroup")
    assert reply.startswith("Hãy chọn kênh hoặc nhóm khác trong chat riêng với bot")
    assert rows(bot.db_path, "select count(*) from subscriptions") == [(0,)]
    assert rows(bot.db_path, "select chat_id from chats where chat_id in (-1006, -1007, -1008, -1009, -1010)") == []
    assert [c.params for c in api.calls if c.status == 400 and c.method == "sendMessage"] == []


def test_the_terminal_chat_has_no_other_chats(seeded_copy, settings):
    chat = TerminalChat(BotContext(db=open_db(seeded_copy), settings=settings), stdin=io.StringIO(), stdout=io.StringIO())
    reply = asyncio.run(chat.answer("/subscribe @kenh nước Nhật Bản"))
    assert reply == "Chọn kênh hoặc nhóm khác chỉ làm được trong Telegram, trong chat riêng với bot."
    assert rows(seeded_copy, "select count(*) from subscriptions") == [(0,)]


def test_a_channels_time_zone_is_set_and_shown_from_a_private_chat(bot):
    """`/timezone @kenh Tokyo` sets the channel's zone, not the private chat's; commands that
    name the channel then run in the channel's zone (its digest hour reads in Tokyo time)."""
    reply, _ = says(bot, "/timezone @kenh Tokyo")
    assert reply.startswith("📣 Kênh Tin Bình Dương (@kenh):\n🕐 Đã đặt múi giờ Asia/Tokyo")
    assert rows(bot.db_path, "select chat_id, timezone from chats where timezone is not null") == [
        (CHANNEL, "Asia/Tokyo")]
    assert "Asia/Tokyo" in says(bot, "/timezone @kenh")[0]
    assert says(bot, "/timezone")[0].startswith("🕐 Múi giờ: Asia/Ho_Chi_Minh")  # the private chat keeps the bot's
    says(bot, "/subscribe @kenh nước Nhật Bản")
    assert "(giờ Tokyo)" in says(bot, "/subscriptions @kenh")[0]
    assert "(giờ Việt Nam)" in says(bot, "/digest_time 08:00")[0]

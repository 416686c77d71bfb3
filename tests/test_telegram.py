"""The Telegram adapter end to end in-process: the real PTB Application, over HTTP, against
the fake Bot API server, on a copy of the seeded database."""

from __future__ import annotations

import logging
import re
import socket
import sqlite3
import time
from pathlib import Path

import httpx
import pytest

from bot.handlers import HANDLERS
from bot.registry import BotContext, Command
from bot.replies import Button, Reply
from bot.telegram import CHATTER_HINT, ERROR_TEXT, STALE_BUTTON, StartupError
from diplobot.settings import Settings
from tests.fake_bot_api import (
    BOT_USER,
    TOKEN,
    BotThread,
    FakeBotAPI,
    callback_update,
    channel_post_update,
    check_html,
    inline_update,
    message_update,
    my_chat_member_update,
    utf16_len,
)

BOT = BOT_USER["username"]


def settings_for(api: FakeBotAPI, db_path: Path, **env: str) -> Settings:
    return Settings.from_env({"TELEGRAM_BOT_TOKEN": TOKEN, "TELEGRAM_API_BASE_URL": api.base_url,
                              "DIPLOBOT_DB": str(db_path), **env})


@pytest.fixture
def db_copy(seeded_db_path, tmp_path) -> Path:
    """A private copy of the seeded database (SQLite backup, so the WAL comes along)."""
    target = tmp_path / "bot.db"
    src, dst = sqlite3.connect(seeded_db_path), sqlite3.connect(target)
    src.backup(dst)
    src.close()
    dst.close()
    return target


@pytest.fixture
def bot(api, db_copy):
    with BotThread(settings_for(api, db_copy), db_copy) as running:
        running.api, running.expected_errors = api, 0
        yield running
    # Every text the bot sent was accepted: valid Telegram HTML within the length limit.
    refused = [(c.method, c.params) for c in api.calls if c.status == 400]
    assert len(refused) == running.expected_errors, refused


def ask(bot, text: str, chat_id: int = 42, parts: int = 1, **kw) -> list:
    """Send a message as a user; return the bot's new messages to that chat."""
    before = len(bot.api.sent(chat_id))
    bot.api.inject(message_update(text, chat_id=chat_id, **kw))
    calls = bot.api.wait_for("sendMessage", before + parts, where=lambda c: c.chat_id == chat_id)
    return calls[before:]


def eventually(check, timeout: float = 5.0):
    deadline = time.monotonic() + timeout
    while True:
        result = check()
        if result or time.monotonic() > deadline:
            return result
        time.sleep(0.02)


def db_row(db_path: Path, sql: str, args=()):
    conn = sqlite3.connect(db_path)
    try:
        return conn.execute(sql, args).fetchone()
    finally:
        conn.close()


def visible(call) -> str:
    text, problems = check_html(call.text)
    assert problems == []
    return text


# --- start-up -----------------------------------------------------------------------------

def test_startup_checks_token_and_publishes_vietnamese_menus(bot):
    assert bot.api.calls_of("getMe")
    menus = {c.params["scope"]["type"]: c.params["commands"] for c in bot.api.wait_for("setMyCommands", 2)}
    private = {c["command"]: c["description"] for c in menus["all_private_chats"]}
    assert private["province"] == "Tin theo tỉnh, thành" and private["search"] == "Tìm kiếm bài viết"
    assert "start" not in {c["command"] for c in menus["all_group_chats"]}
    polls = bot.api.wait_for("getUpdates")
    assert "callback_query" in polls[0].params["allowed_updates"] and "my_chat_member" in polls[0].params["allowed_updates"]


def test_startup_schedules_digests_and_feed_polling(bot):
    names = lambda: {job.name for job in bot.app.job_queue.jobs()}  # noqa: E731
    assert eventually(lambda: {"diplobot-digests", "poll_feeds"} <= names())


# --- commands -------------------------------------------------------------------------------

def test_province_binh_duong_lists_the_seed_article(bot, seed_titles):
    (call,) = ask(bot, "/province Bình Dương")
    assert call.params["parse_mode"] == "HTML"
    assert call.params["link_preview_options"] == {"is_disabled": True}
    text = visible(call)
    assert seed_titles["001"] in text and "nay thuộc" in text


def test_user_text_comes_back_escaped(bot):
    (call,) = ask(bot, "/search <script>alert(1)</script> & Co")
    assert "&lt;script&gt;" in call.text and "&amp; Co" in call.text
    assert "<script>" not in call.text
    assert "<script>alert(1)</script> & Co" in visible(call)


def test_article_shortcut_and_unknown_command(bot, seed_titles):
    article_id = db_row(bot.db_path, "select id from articles where title = ?", [seed_titles["003"]])[0]
    first, _ = ask(bot, f"/article_{article_id}", parts=2)  # the whole body (5,770 characters): two messages
    assert seed_titles["003"] in visible(first)
    (call,) = ask(bot, "/nosuch")
    assert "Không có lệnh /nosuch" in visible(call)


def test_private_chatter_gets_a_hint_and_channel_posts_are_ignored(bot):
    bot.api.inject(channel_post_update("/help", chat_id=-1009))
    (call,) = ask(bot, "xin chào")
    assert visible(call) == CHATTER_HINT
    ask(bot, "/help")  # a barrier: the channel post came first and produced nothing
    assert bot.api.sent(-1009) == []


def test_groups_answer_only_commands_meant_for_this_bot(bot):
    group = -5
    for text in ("/help@other_bot", "/nosuch", "chuyện phiếm trong nhóm"):
        bot.api.inject(message_update(text, chat_id=group, chat_type="group"))
    (call,) = ask(bot, f"/nosuch@{BOT}", chat_id=group, chat_type="group")
    assert "Không có lệnh /nosuch" in visible(call)
    (call,) = ask(bot, f"/help@{BOT}", chat_id=group, chat_type="group")
    assert "<b>Diplobot</b>" in call.text
    assert call.params["reply_parameters"]["allow_sending_without_reply"] is True
    (call,) = ask(bot, "/latest 1", chat_id=group, chat_type="group")  # a bare known command
    assert "Bài 1–1/5" in visible(call)
    assert len(bot.api.sent(group)) == 3


def test_forum_topic_replies_stay_in_the_topic(bot):
    (call,) = ask(bot, "/help", chat_id=-1007, chat_type="supergroup", message_thread_id=77, is_topic_message=True)
    assert int(call.params["message_thread_id"]) == 77


# --- buttons ----------------------------------------------------------------------------------

def test_more_button_removes_itself_and_sends_the_next_page(bot):
    (first,) = ask(bot, "/latest 2")
    (button,) = first.params["reply_markup"]["inline_keyboard"][0]
    assert button["text"] == "Xem thêm ›" and button["callback_data"].startswith("more|latest|2|")
    bot.api.inject(callback_update(button["callback_data"], message_id=555))
    answer = bot.api.wait_for("answerCallbackQuery")[0]
    assert "text" not in answer.params
    second = bot.api.wait_for("sendMessage", 2)[1]
    assert "Bài 3–" in visible(second) and "/5" in visible(second)
    edit = bot.api.wait_for("editMessageReplyMarkup")[0]
    assert int(edit.params["message_id"]) == 555 and not edit.params.get("reply_markup")


@pytest.mark.parametrize("data", ["more|nosuch|5|x", "more|latest|abc|", "garbage", "run|nosuch|x"])
def test_stale_buttons_are_answered_politely(bot, data):
    update = callback_update(data)
    bot.api.inject(update)
    answer = bot.api.wait_for("answerCallbackQuery")[0]
    assert answer.params["callback_query_id"] == update["callback_query"]["id"]
    assert answer.params["text"] == STALE_BUTTON
    ask(bot, "/help")  # barrier
    assert len(bot.api.sent()) == 1


def test_suggestion_button_runs_its_command(bot, seed_titles):
    bot.api.inject(callback_update("run|province|Bình Dương"))
    call = bot.api.wait_for("sendMessage")[0]
    assert seed_titles["001"] in visible(call)
    assert len(bot.api.calls_of("answerCallbackQuery")) == 1


# --- long replies -------------------------------------------------------------------------------

def test_long_reply_is_split_with_buttons_on_the_last_part(bot, monkeypatch):
    paragraphs = [f'<b>{i}. <a href="https://baoquocte.vn/{i}">Tin số {i} &amp; bình luận</a></b>\n'
                  + "Đại sứ trao đổi về hợp tác kinh tế. " * 12 for i in range(30)]
    markup = "\n\n".join(paragraphs)

    async def long(ctx, cmd):
        return Reply(markup, [[Button("Xem thêm ›", callback_data="more|long|30|")]])

    monkeypatch.setitem(HANDLERS, "long", long)
    calls = ask(bot, "/long", parts=4)
    assert all(utf16_len(visible(c)) <= 4096 for c in calls)
    assert [bool(c.params.get("reply_markup")) for c in calls] == [False] * (len(calls) - 1) + [True]
    joined = " ".join(visible(c) for c in calls)  # cuts drop the whitespace at the boundary
    assert " ".join(joined.split()) == " ".join(check_html(markup)[0].split())
    assert all(re.match(r"\d+\. Tin số \d+ & bình luận\n", visible(c)) for c in calls)  # cut between paragraphs


# --- groups: admins, membership, migration ------------------------------------------------------

def test_is_admin_reaches_handlers(bot, monkeypatch):
    async def whoami(ctx: BotContext, cmd: Command) -> Reply:
        return Reply(f"is_admin={cmd.is_admin}")

    monkeypatch.setitem(HANDLERS, "whoami", whoami)
    bot.api.admins[-5] = {7}
    assert visible(ask(bot, "/whoami", chat_id=-5, user_id=7, chat_type="group")[0]) == "is_admin=True"
    assert visible(ask(bot, "/whoami", chat_id=-5, user_id=8, chat_type="group")[0]) == "is_admin=False"
    assert visible(ask(bot, "/whoami", chat_id=-5, user_id=7, chat_type="group")[0]) == "is_admin=True"
    assert len(bot.api.calls_of("getChatMember")) == 2  # the second ask by user 7 came from the cache
    anonymous = {"sender_chat": {"id": -5, "type": "group", "title": "Nhóm"}}
    assert visible(ask(bot, "/whoami", chat_id=-5, user_id=1087968824, chat_type="group", **anonymous)[0]) == "is_admin=True"
    assert visible(ask(bot, "/whoami", chat_id=99, user_id=99)[0]) == "is_admin=True"  # private chat


def test_bot_added_removed_and_blocked_updates_chats(bot):
    bot.api.inject(my_chat_member_update(-5, "left", "member", chat_type="group"))
    hello = bot.api.wait_for("sendMessage", where=lambda c: c.chat_id == -5)[0]
    assert f"/help@{BOT}" in visible(hello)
    assert eventually(lambda: db_row(bot.db_path, "select blocked, type from chats where chat_id = -5") == (0, "group"))
    bot.api.inject(my_chat_member_update(-5, "member", "kicked", chat_type="group"))
    assert eventually(lambda: db_row(bot.db_path, "select blocked from chats where chat_id = -5") == (1,))
    bot.api.inject(my_chat_member_update(42, "member", "kicked"))  # a user blocked the bot
    assert eventually(lambda: db_row(bot.db_path, "select blocked from chats where chat_id = 42") == (1,))
    bot.api.inject(my_chat_member_update(-1003, "left", "administrator", chat_type="channel"))
    assert eventually(lambda: db_row(bot.db_path, "select blocked, type from chats where chat_id = -1003") == (0, "channel"))
    assert len(bot.api.sent(-5)) == 1 and bot.api.sent(-1003) == []  # no greeting in channels


def test_group_migration_moves_its_rows(bot):
    conn = sqlite3.connect(bot.db_path)
    with conn:
        conn.execute("insert into chats (chat_id, type, title, blocked, digest_time) values (-5, 'group', 'Nhóm', 0, '08:00')")
        conn.execute("insert into subscriptions (chat_id, kind, value, code) values (-5, 'country', 'Nhật Bản', 'JP')")
        conn.execute("insert into deliveries (chat_id, item, kind, status) values (-5, 'a1', 'article', 'sent')")
    conn.close()
    bot.api.inject(message_update("", chat_id=-5, chat_type="group", migrate_to_chat_id=-1005))
    assert eventually(lambda: db_row(bot.db_path, "select count(*) from chats where chat_id = -5") == (0,))
    assert db_row(bot.db_path, "select type, digest_time from chats where chat_id = -1005") == ("supergroup", "08:00")
    assert db_row(bot.db_path, "select code from subscriptions where chat_id = -1005") == ("JP",)
    assert db_row(bot.db_path, "select status from deliveries where chat_id = -1005") == ("sent",)


# --- inline mode ------------------------------------------------------------------------------------

def inline(bot, query: str, offset: str = "") -> dict:
    update = inline_update(query, offset=offset)
    bot.api.inject(update)
    query_id = update["inline_query"]["id"]
    return bot.api.wait_for("answerInlineQuery", where=lambda c: c.params["inline_query_id"] == query_id)[0].params


def test_inline_query_by_province_country_search_and_latest(bot, seed_titles):
    answer = inline(bot, "Bình Dương")
    assert [r["title"] for r in answer["results"]] == [seed_titles["001"]]
    result = answer["results"][0]
    assert result["type"] == "article" and "url" not in result  # the seed file has no URL
    assert result["description"] and result["input_message_content"]["parse_mode"] == "HTML"
    assert seed_titles["001"] in check_html(result["input_message_content"]["message_text"])[0]
    (lang_son,) = inline(bot, "Lạng Sơn")["results"]
    assert lang_son["url"].startswith("https://baolangson.vn/")
    assert 'href="https://baolangson.vn/' in lang_son["input_message_content"]["message_text"]
    assert {r["title"] for r in inline(bot, "nhat ban")["results"]} == {seed_titles["001"], seed_titles["003"]}
    assert inline(bot, "đại sứ")["results"]  # full-text search
    assert len(inline(bot, "")["results"]) == 5  # empty query: the latest


# --- errors ------------------------------------------------------------------------------------------

def test_forbidden_marks_the_chat_blocked(bot, caplog):
    bot.api.fail("sendMessage", 403, "Forbidden: bot was blocked by the user")
    update_id = bot.api.inject(message_update("/help", chat_id=77, user_id=77))
    assert eventually(lambda: db_row(bot.db_path, "select blocked from chats where chat_id = 77") == (1,))
    assert eventually(lambda: any(f"Exception while handling update {update_id}" in r.getMessage() for r in caplog.records))
    assert bot.api.sent(77) == []


def test_retry_after_is_honoured_and_the_message_sent_once(bot):
    bot.api.fail("sendMessage", 429, "Too Many Requests: retry after 1", retry_after=1)
    bot.api.inject(message_update("/help"))
    (sent,) = bot.api.wait_for("sendMessage", timeout=10)
    (refused,) = [c for c in bot.api.calls_of("sendMessage", ok_only=False) if c.status == 429]
    assert sent.at - refused.at >= 1.0
    time.sleep(0.3)
    assert len(bot.api.sent()) == 1


def test_a_failing_update_never_stops_the_bot(bot, monkeypatch):
    bot.expected_errors = 1
    bot.api.fail("sendMessage", 400, "Bad Request: can't parse entities: injected")
    (apology,) = ask(bot, "/help")
    assert visible(apology) == ERROR_TEXT

    def broken(*args, **kwargs):
        raise RuntimeError("storage is down")

    monkeypatch.setattr("bot.telegram.find_articles", broken)
    bot.api.inject(inline_update("Bình Dương"))
    (call,) = ask(bot, "/help")
    assert "<b>Diplobot</b>" in call.text
    assert bot.api.calls_of("answerInlineQuery") == []


# --- the token stays secret ---------------------------------------------------------------------------

class Records(logging.Handler):
    def __init__(self):
        super().__init__(logging.DEBUG)
        self.records: list[logging.LogRecord] = []
        self.setFormatter(logging.Formatter("%(name)s %(levelname)s %(message)s"))

    def emit(self, record):
        self.records.append(record)


def test_token_never_logged_at_debug(api, db_copy, capfd):
    records, root = Records(), logging.getLogger()
    old_level = root.level
    root.setLevel(logging.DEBUG)
    root.addHandler(records)

    def loud(app):  # undo the WARNING mitigation to prove the scrubbing alone suffices
        for name in ("httpx", "httpcore", "telegram", "apscheduler"):
            logging.getLogger(name).setLevel(logging.DEBUG)

    try:
        with BotThread(settings_for(api, db_copy), db_copy, configure=loud) as running:
            api.fail("sendMessage", 403, "Forbidden: bot was blocked by the user")
            api.inject(message_update("/help", chat_id=77, user_id=77))
            assert eventually(lambda: db_row(db_copy, "select blocked from chats where chat_id = 77") == (1,))
            running.api = api
        api.fail("getMe", 401, "Unauthorized")
        with pytest.raises(StartupError) as failed:
            with BotThread(settings_for(api, db_copy), db_copy, configure=loud):
                pass
    finally:
        root.removeHandler(records)
        root.setLevel(old_level)
        for name in ("httpx", "httpcore"):
            logging.getLogger(name).setLevel(logging.WARNING)
        for name in ("telegram", "apscheduler"):
            logging.getLogger(name).setLevel(logging.NOTSET)
    out, err = capfd.readouterr()
    logged = "\n".join(records.format(r) for r in records.records)
    assert "HTTP Request: POST" in logged and "Set Bot API URL" in logged  # the capture saw the URL logs
    assert "Exception while handling update" in logged and "Forbidden" in logged
    for text in (logged, out, err, str(failed.value)):
        assert TOKEN not in text
    assert "401 Unauthorized" in str(failed.value)


# --- webhook mode --------------------------------------------------------------------------------------

def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_webhook_mode_registers_and_checks_the_secret(api, db_copy):
    port, secret = free_port(), "s3cret_Token-1"
    settings = settings_for(api, db_copy, DIPLOBOT_WEBHOOK_URL="https://bot.example.vn/diplobot-hook",
                            DIPLOBOT_WEBHOOK_SECRET=secret, DIPLOBOT_WEBHOOK_PORT=str(port))
    with BotThread(settings, db_copy):
        (hook,) = api.calls_of("setWebhook")
        assert hook.params["url"] == "https://bot.example.vn/diplobot-hook"
        assert hook.params["secret_token"] == secret
        assert "callback_query" in hook.params["allowed_updates"]
        assert api.calls_of("getUpdates") == []
        url = f"http://127.0.0.1:{port}/diplobot-hook"
        update = {"update_id": 900, **message_update("/help", chat_id=55)}
        wrong = httpx.post(url, json=update, headers={"X-Telegram-Bot-Api-Secret-Token": "nope"})
        assert wrong.status_code == 403
        right = httpx.post(url, json={**update, "update_id": 901},
                           headers={"X-Telegram-Bot-Api-Secret-Token": secret})
        assert right.status_code == 200
        (call,) = api.wait_for("sendMessage")
        assert call.chat_id == 55 and "<b>Diplobot</b>" in call.text
        time.sleep(0.2)
        assert len(api.sent()) == 1  # the update with the wrong secret was dropped


def test_redaction_covers_messages_arguments_and_tracebacks():
    from bot.redact import install_redaction

    secret = "987654:redaction-test-secret"
    install_redaction(secret)
    records = Records()
    logger = logging.getLogger("tests.redaction")
    logger.addHandler(records)
    try:
        logger.warning("url %s", f"https://api.example/bot{secret}/getMe")
        try:
            raise RuntimeError(f"The token `{secret}` was rejected by the server.")
        except RuntimeError:
            logger.exception("failed")
    finally:
        logger.removeHandler(records)
    text = "\n".join(records.format(r) for r in records.records)
    assert "bot<token>/getMe" in text and "The token `<token>` was rejected" in text
    assert secret not in text


# --- malformed commands, bookkeeping failures ------------------------------------------------------

def test_malformed_commands_get_the_usage_line_in_private_and_when_addressed(bot):
    """Whatever `/…` a user types in a private chat gets one short answer pointing at the
    usage; in a group only a command addressed to this bot does."""
    generic = "Lệnh không hợp lệ. Cách dùng: /lệnh nội dung, ví dụ /province Bình Dương. Gõ /help để xem các lệnh."
    other = "Lệnh này dành cho @other_bot, không phải cho bot này. Gõ /help để xem các lệnh."
    for text, expected in (("/ latest", generic), ("/", generic), ("/help@other_bot", other)):
        update = message_update(text)
        if text == "/":
            del update["message"]["entities"]  # Telegram marks no command: the chatter route
        before = len(bot.api.sent(42))
        bot.api.inject(update)
        (call,) = bot.api.wait_for("sendMessage", before + 1, where=lambda c: c.chat_id == 42)[before:]
        assert visible(call) == expected, text
    for text in ("/tỉnh Huế", "/province-Huế", "/" + "x" * 70, "/latest@", "/article_x"):
        (call,) = ask(bot, text)  # the parser may read a command in these; either way one answer
        assert visible(call).strip(), text
    (call,) = ask(bot, "/province-Huế@other_bot")
    assert visible(call) == other
    group = -6
    for text in ("/ latest", "/tỉnh Huế", "/province-Huế@other_bot", "/help@other_bot"):
        bot.api.inject(message_update(text, chat_id=group, chat_type="group"))  # maybe for another bot
    (call,) = ask(bot, f"/tỉnh@{BOT} Huế", chat_id=group, chat_type="group")
    assert "/help" in visible(call)
    (call,) = ask(bot, f"/province-Huế@{BOT}", chat_id=group, chat_type="group")
    assert visible(call).strip()
    time.sleep(0.2)
    assert len(bot.api.sent(group)) == 2


def test_a_chat_that_cannot_be_recorded_still_gets_only_its_answer(bot, monkeypatch, caplog):
    """A read-only (or locked) database: no extra error message, the answer, one log line."""
    import sqlite3 as sqlite

    def read_only(*args, **kwargs):
        raise sqlite.OperationalError("attempt to write a readonly database")

    monkeypatch.setattr("bot.telegram.upsert_chat", read_only)
    with caplog.at_level(logging.WARNING):
        for chat in (501, 502, 501):
            before = len(bot.api.sent(chat))
            (call,) = ask(bot, "/latest 1", chat_id=chat, user_id=chat)
            assert "Tin mới nhất" in visible(call) and before + 1 == len(bot.api.sent(chat))
        time.sleep(0.3)
    assert [len(bot.api.sent(c)) for c in (501, 502)] == [2, 1]  # nothing else was sent
    failures = [r.getMessage() for r in caplog.records if "Could not record chat" in r.getMessage()]
    assert sorted(failures) == [f"Could not record chat {c} (answering anyway): attempt to write a readonly database"
                                for c in (501, 502)]


def test_an_error_after_the_answer_sends_nothing_more(bot):
    from telegram import Update
    from telegram.ext import TypeHandler

    async def late_failure(update, context):
        raise RuntimeError("bookkeeping after the answer failed")

    bot.app.add_handler(TypeHandler(Update, late_failure), group=5)
    (call,) = ask(bot, "/help", chat_id=77, user_id=77)
    assert "<b>Diplobot</b>" in call.text
    time.sleep(0.3)
    assert len(bot.api.sent(77)) == 1

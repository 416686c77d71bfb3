"""Digests: which articles, in which order and groups, cut into valid Telegram messages."""

from __future__ import annotations

from datetime import timedelta
from html.parser import HTMLParser

import pytest

from bot.digest import build_digest, short_summary, split_message, window_start
from bot.outbox import plan_digests
from bot.telegram_html import MESSAGE_LIMIT, telegram_length
from storage import open_db
from storage import follow
from storage import subscriptions as store
from storage.times import now_iso
from tests.delivery_support import (
    BINH_DUONG, HA_TINH, HCM_NEW, JAPAN, KOREA, NOW, add_article, make_settings,
)


@pytest.fixture
def db(tmp_path):
    return open_db(tmp_path / "d.db")


class TagChecker(HTMLParser):
    """Fails on a tag closed out of order or left open: a cut inside markup."""

    def __init__(self):
        super().__init__()
        self.stack: list[str] = []
        self.problems: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.stack.append(tag)

    def handle_endtag(self, tag):
        if not self.stack or self.stack.pop() != tag:
            self.problems.append(tag)

    def check(self, markup: str) -> list[str]:
        self.feed(markup)
        self.close()
        return self.problems + self.stack


def subscribe(db, chat_id, kind, code, value, created=NOW - timedelta(days=3)):
    store.ensure_chat(db, chat_id)
    store.subscribe(db, chat_id, kind, code, value)
    db.execute("update subscriptions set created_at = ? where chat_id = ?", [now_iso(created), chat_id])
    db.conn.commit()


def digest_for(db, chat_id, settings=None, until=NOW):
    settings = settings or make_settings()
    chat = store.get_chat(db, chat_id)
    subs = store.list_subscriptions(db, chat_id)
    pool = store.digest_pool(db, until - timedelta(days=8), until, settings.diplomatic_threshold)
    return build_digest(chat, subs, pool, until.astimezone(settings.tz).date(), until, settings.tz)


# --- splitting -------------------------------------------------------------------------------

def test_long_digest_splits_between_cards_under_the_limit():
    flags = "🇯🇵 🇰🇷 🇱🇦 " * 10
    cards = [(f"📍 <b>Nhóm {i // 5}</b>",
              f'<b>{i}. <a href="https://e.vn/{i}?a=1&amp;b=2">Tiêu đề &lt;{i}&gt;</a></b>\n{flags}\n' + "Tóm tắt. " * 40)
             for i in range(60)]
    parts = split_message(cards, header="🗞 <b>Bản tin</b>")
    assert len(parts) > 3
    for part in parts:
        assert telegram_length(part) <= MESSAGE_LIMIT
        assert TagChecker().check(part) == []
    joined = "\n".join(parts)
    assert [joined.count(f">{i}. <a ") for i in range(60)] == [1] * 60  # each card once
    positions = [joined.index(f">{i}. <a ") for i in range(60)]
    assert positions == sorted(positions)  # in order
    assert "(tiếp)" in joined and "(tiếp, 2/" in parts[1] and parts[0].endswith(f"(1/{len(parts)})</i>")


def test_a_card_longer_than_a_message_is_cut_as_plain_text():
    huge = "<b>Tiêu đề</b>\n" + "<i>chữ</i> &amp; " * 1500
    parts = split_message([("", huge)])
    assert len(parts) > 1
    for part in parts:
        assert telegram_length(part) <= MESSAGE_LIMIT
        assert TagChecker().check(part) == []
        assert "&amp;" in part and "<i>chữ" not in part


def test_short_summary_keeps_two_sentences():
    text = "Câu một về Hà Nội. Câu hai về Lào! Câu ba không cần."
    assert short_summary(text) == "Câu một về Hà Nội. Câu hai về Lào!"
    assert short_summary("Một câu rất dài " * 50).endswith("…")
    assert short_summary(None) == ""


# --- choosing --------------------------------------------------------------------------------

def test_window_first_digest_reaches_a_day_before_subscribing():
    subs = [{"kind": "all", "code": "*", "created_at": now_iso(NOW - timedelta(hours=5))}]
    assert window_start({}, subs, NOW) == NOW - timedelta(hours=29)
    previous = NOW - timedelta(hours=20)
    assert window_start({"digest_until": now_iso(previous)}, subs, NOW) == previous
    old = [{"kind": "all", "code": "*", "created_at": now_iso(NOW - timedelta(days=90))}]
    assert window_start({}, old, NOW) == NOW - timedelta(days=7)  # never more than a week


def test_merged_province_subscription_gets_old_province_articles(db):
    binh_duong = add_article(db, "Bình Dương đón đoàn đại sứ", provinces=[BINH_DUONG])
    add_article(db, "Hà Tĩnh làm việc với Bộ Ngoại giao", provinces=[HA_TINH])
    subscribe(db, 1, "province_new", "79", "Hồ Chí Minh")
    subscribe(db, 2, "province", "74", "Bình Dương")
    subscribe(db, 3, "province", "79", "Hồ Chí Minh")  # the old city only
    assert digest_for(db, 1).article_ids == [binh_duong]
    assert digest_for(db, 2).article_ids == [binh_duong]
    assert digest_for(db, 3).article_ids == []


def test_only_diplomatic_new_unduplicated_articles_in_the_window(db):
    subscribe(db, 1, "all", "*", "")
    keep = add_article(db, "Đối ngoại", provinces=[HA_TINH], score=0.8)
    unscored = add_article(db, "Chưa chấm điểm", provinces=[HA_TINH], score=None)
    add_article(db, "Giá lúa", provinces=[HA_TINH], score=0.2)
    add_article(db, "Bản đăng lại", provinces=[HA_TINH], duplicate_of=keep)
    add_article(db, "Quá cũ", provinces=[HA_TINH], fetched_at=NOW - timedelta(days=5))
    add_article(db, "Sau giờ chốt", provinces=[HA_TINH], fetched_at=NOW + timedelta(minutes=1))
    assert sorted(digest_for(db, 1).article_ids) == sorted([keep, unscored])


def test_most_important_first_and_grouped(db):
    subscribe(db, 1, "country", "JP", "Nhật Bản")
    store.subscribe(db, 1, "province_new", "79", "Hồ Chí Minh")
    store.subscribe(db, 1, "country", "KR", "Hàn Quốc")
    korea_only = add_article(db, "Hàn Quốc", countries=[KOREA], score=0.99)
    both = add_article(db, "Nhật Bản và Bình Dương", provinces=[BINH_DUONG], countries=[JAPAN], score=0.6)
    japan = add_article(db, "Nhật Bản", countries=[JAPAN], score=0.7)
    reposted = add_article(db, "Nhật Bản, nhiều báo đưa", countries=[JAPAN], score=0.6)
    add_article(db, "Bản đăng lại", countries=[JAPAN], duplicate_of=reposted)
    digest = digest_for(db, 1)
    # Two matching subscriptions first, then more sources, then the higher score.
    assert digest.article_ids == [both, reposted, japan, korea_only]
    text = digest.parts[0]
    assert text.index("🇯🇵 <b>Nhật Bản</b>") < text.index("🇰🇷 <b>Hàn Quốc</b>")
    assert text.count("<b>Nhật Bản</b>\n") == 1  # one heading for the group
    assert "Bình Dương (nay thuộc TP. Hồ Chí Minh)" in text  # the card's tags
    assert "/subscriptions" in text  # the footer


def test_all_subscription_groups_by_province_then_country(db):
    subscribe(db, 1, "all", "*", "")
    add_article(db, "Ở TP. Hồ Chí Minh", provinces=[HCM_NEW])
    add_article(db, "Với Nhật Bản", countries=[JAPAN])
    add_article(db, "Chung chung")
    text = digest_for(db, 1).parts[0]
    assert "📍 <b>TP. Hồ Chí Minh</b>" in text and "🇯🇵 <b>Nhật Bản</b>" in text and "📰 <b>Tin chung</b>" in text


def test_nothing_matches_nothing_to_send(db):
    subscribe(db, 1, "country", "LA", "Lào")
    add_article(db, "Nhật Bản", countries=[JAPAN])
    digest = digest_for(db, 1)
    assert digest.parts == [] and digest.article_ids == []


def test_planning_a_day_without_news_records_the_day_but_queues_nothing(db):
    settings = make_settings()
    subscribe(db, 1, "country", "LA", "Lào")
    plan = plan_digests(db, settings, NOW)
    assert (plan.due, len(plan.digests), plan.empty) == (1, 0, 1)
    assert db.execute("select count(*) from deliveries").fetchone()[0] == 0
    assert store.get_chat(db, 1)["digest_day"] == "2025-07-02"
    assert plan_digests(db, settings, NOW + timedelta(hours=1)).due == 0  # not retried all day


def test_due_follows_each_chats_time_in_the_configured_zone(db):
    settings = make_settings(DIPLOBOT_DIGEST_TIME="07:00")
    add_article(db, "Nhật Bản", countries=[JAPAN])
    for chat_id in (1, 2):
        subscribe(db, chat_id, "country", "JP", "Nhật Bản")
    follow.set_digest_time(db, 2, "09:30")
    early = NOW - timedelta(hours=1, minutes=1)  # 06:59 local
    assert plan_digests(db, settings, early).due == 0
    assert [d.chat_id for d in plan_digests(db, settings, NOW).digests] == [1]  # 08:00: chat 1 only
    assert [d.chat_id for d in plan_digests(db, settings, NOW, force=True).digests] == [2]  # --now
    assert plan_digests(db, settings, NOW, force=True).due == 0  # once a day, even with --now


def test_next_digest_starts_where_the_last_ended(db):
    settings = make_settings()
    subscribe(db, 1, "country", "JP", "Nhật Bản")
    first = add_article(db, "Nhật Bản 1", countries=[JAPAN])
    assert plan_digests(db, settings, NOW).digests[0].article_ids == [first]
    second = add_article(db, "Nhật Bản 2", countries=[JAPAN], fetched_at=NOW + timedelta(hours=3))
    tomorrow = NOW + timedelta(days=1)
    assert plan_digests(db, settings, tomorrow).digests[0].article_ids == [second]


def test_dry_run_writes_nothing(db):
    settings = make_settings()
    subscribe(db, 1, "country", "JP", "Nhật Bản")
    add_article(db, "Nhật Bản", countries=[JAPAN])
    plan = plan_digests(db, settings, NOW, dry_run=True)
    assert len(plan.digests) == 1 and plan.recorded == []
    assert store.get_chat(db, 1)["digest_day"] is None
    assert db.execute("select count(*) from deliveries").fetchone()[0] == 0


def test_a_chat_the_telegram_adapter_recorded_first_gets_its_digest(db):
    from storage.chats import upsert_chat

    settings = make_settings()
    upsert_chat(db, 1, "private", "Bạn đọc", None)  # remember_chat, before any command
    subscribe(db, 1, "country", "JP", "Nhật Bản")
    article = add_article(db, "Nhật Bản", countries=[JAPAN])
    plan = plan_digests(db, settings, NOW)
    assert [(d.chat_id, d.article_ids) for d in plan.digests] == [(1, [article])]
    follow.set_digest_enabled(db, 1, False)
    assert plan_digests(db, settings, NOW + timedelta(days=1)).due == 0

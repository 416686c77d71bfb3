"""A small database of dated, tagged articles for chart and report tests (and the docs' example chart).

Articles are written through the real tagger and `storage.articles.store_article`; their dates
spread over the last weeks, local time in Asia/Ho_Chi_Minh, so that `/trend`, `/stats` and
`/report` have something to count. `NEWS` says what each kind of article mentions.
"""

from __future__ import annotations

import hashlib
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

TZ = ZoneInfo("Asia/Ho_Chi_Minh")

# (title, body): what the tagger finds in them is what the tests count.
NEWS = {
    "japan": ("Đại sứ Nhật Bản thăm Đà Nẵng",
              "Đại sứ Nhật Bản làm việc với lãnh đạo thành phố Đà Nẵng về hợp tác đầu tư và du lịch."),
    "korea": ("Hàn Quốc mở rộng đầu tư tại Bình Dương",
              "Đoàn doanh nghiệp Hàn Quốc làm việc với tỉnh Bình Dương về các khu công nghiệp mới."),
    "both": ("Nhật Bản và Hàn Quốc hợp tác với Hà Nội",
             "Thành phố Hà Nội tiếp các đoàn Nhật Bản và Hàn Quốc bàn về hợp tác văn hóa, giáo dục & <đào tạo>."),
}


def plan(today: date, weeks: int = 12) -> list[tuple[str, date]]:
    """(kind, local day) of every article: `japan` every 3 days, `korea` weekly, `both` every 10 days."""
    first = today - timedelta(weeks=weeks) + timedelta(days=1)
    days = [first + timedelta(days=i) for i in range((today - first).days + 1)]
    out = [("japan", d) for i, d in enumerate(days) if i % 3 == 0]
    out += [("korea", d) for i, d in enumerate(days) if i % 7 == 1]
    out += [("both", d) for i, d in enumerate(days) if i % 10 == 2]
    return sorted(out, key=lambda kd: kd[1])


def build(path: Path, today: date | None = None, weeks: int = 12) -> list[tuple[int, str, date]]:
    """Store the plan in the database at `path`; returns (id, kind, local day) per article."""
    from storage import open_db
    from storage.articles import store_article
    from tagger import tag_article

    today = today or datetime.now(TZ).date()
    db = open_db(path)
    tags = {kind: tag_article(title, body) for kind, (title, body) in NEWS.items()}
    stored = []
    for n, (kind, day) in enumerate(plan(today, weeks)):
        title, body = NEWS[kind]
        when = datetime(day.year, day.month, day.day, 8 + n % 12, 30, tzinfo=TZ)
        record = {"source_key": f"synthetic:{n}", "url": f"https://tin.example.vn/{kind}-{n}.html?a=1&b=2",
                  "source": "Báo Thử Nghiệm" if n % 2 else "Cổng tin <Đà Nẵng>", "title": f"{title} ({n})",
                  "body": body, "published_at": when.isoformat(),
                  "content_hash": hashlib.sha1(f"{n}{body}".encode()).hexdigest()}
        article_id = store_article(db, record, {"text": f"Tóm tắt {n}: {body}", "backend": "extractive"}, tags[kind])
        stored.append((article_id, kind, day))
    db.conn.close()
    return stored

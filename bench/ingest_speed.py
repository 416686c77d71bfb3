"""Live ingest speed and reader query latency, on vietnews articles.

1. Pages per second through the whole live path: a feed and its article pages served by a
   local HTTP server (in another process, so it takes no CPU from the measured one), each
   page a vietnews article wrapped in the chrome of a Vietnamese portal (menu, sapo,
   photo caption, share bar, related news, footer); fetch → extract → clean → gates →
   dedupe → summarize (extractive) → tag → store. Also the time of each stage per page.
2. p50/p95 latency of /province, /country and /search (through `bot.handlers.dispatch`,
   the handler, the queries and the reply formatting) on databases of 10,000 and 100,000
   articles built from the vietnews training file: each distinct body is summarized and
   tagged once and stored many times under other ids and dates (bulk insert).

Targets: >= 20 pages/s per core; query p95 <= 50 ms at 100,000 articles, growing <= 2x
from 10,000. Usage: python bench/ingest_speed.py [--pages 300] [--sizes 10000,100000]
"""

from __future__ import annotations

import argparse
import asyncio
import gzip
import hashlib
import html
import json
import multiprocessing
import os
import random
import re
import sqlite3
import statistics
import sys
import tempfile
import time
from datetime import datetime, timedelta, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

DATA = ROOT.parent / "shared" / "data"
VN = timezone(timedelta(hours=7))

# --- vietnews records as pages ----------------------------------------------------------


def read_records(path: Path, limit: int) -> list[dict]:
    opener = gzip.open if path.suffix == ".gz" else open
    out = []
    with opener(path, "rt", encoding="utf-8") as f:
        for line in f:
            if len(out) >= limit:
                break
            out.append(json.loads(line))
    return out


def detok(text: str) -> str:
    """vietnews is tokenized with spaces around punctuation: `Hà Nội , ngày 3/2 .` → `Hà Nội, ngày 3/2.`"""
    text = re.sub(r"\s+([,.;:!?%)\]}»”…])", r"\1", text)
    text = re.sub(r"([(\[{«“])\s+", r"\1", text)
    return re.sub(r"[ \t]{2,}", " ", text).strip()


MENU = "".join(f'<li><a href="/{slug}">{name}</a></li>' for slug, name in [
    ("", "Trang chủ"), ("thoi-su", "Thời sự"), ("the-gioi", "Thế giới"), ("kinh-te", "Kinh tế"),
    ("doi-ngoai", "Đối ngoại"), ("xa-hoi", "Xã hội"), ("van-hoa", "Văn hóa"), ("the-thao", "Thể thao"),
    ("video", "Video"), ("lien-he", "Liên hệ")])


def page_html(rec: dict, url: str, published: datetime, others: list[str]) -> str:
    title = html.escape(detok(rec["title"]))
    paragraphs = [html.escape(detok(p)) for p in rec["body"].splitlines() if p.strip()]
    body = [f"<p>{p}</p>" for p in paragraphs]
    figure = (f'<figure class="image"><img src="/img/{abs(hash(url)) % 10**6}.jpg" alt="{title}">'
              "<figcaption>Quang cảnh buổi làm việc. Ảnh: TTXVN</figcaption></figure>")
    body.insert(min(2, len(body)), figure)
    related = "".join(f'<li><a href="/tin/{i}.html">{html.escape(detok(t))}</a></li>' for i, t in enumerate(others))
    stamp = published.strftime("%d/%m/%Y %H:%M")
    return f"""<!DOCTYPE html><html lang="vi"><head><meta charset="utf-8">
<title>{title} - Báo Điện tử Bench</title><meta property="og:title" content="{title}">
<meta property="og:site_name" content="Báo Điện tử Bench"><meta property="article:published_time" content="{published.isoformat()}">
<link rel="canonical" href="{url}"><link rel="stylesheet" href="/css/site.css">
<script>window.dataLayer=window.dataLayer||[];function gtag(){{dataLayer.push(arguments);}}gtag('js',new Date());</script>
</head><body><header class="site-header"><div class="logo"><a href="/"><img src="/logo.png" alt="Báo Điện tử Bench"></a></div>
<nav class="main-menu"><ul>{MENU}</ul></nav><form class="search"><input name="q" placeholder="Tìm kiếm..."></form></header>
<div class="breadcrumb"><a href="/">Trang chủ</a> &gt; <a href="/doi-ngoai">Đối ngoại</a></div>
<main><article class="news-detail"><h1 class="title">{title}</h1>
<div class="meta"><span class="date">Thứ Tư, {stamp}</span> <span class="views">Lượt xem: 1.254</span></div>
<div class="share-bar"><a href="https://www.facebook.com/sharer/sharer.php">Chia sẻ Facebook</a> <a href="https://zalo.me/share">Zalo</a> <a href="javascript:window.print()">In bài</a></div>
<div class="sapo">{html.escape(detok(rec["abstract"]))}</div>
<div class="content">{"".join(body)}<p class="author"><strong>MINH ANH</strong></p></div>
<div class="tags">Từ khóa: <a href="/tag/a">đối ngoại</a> <a href="/tag/b">hợp tác</a></div>
<div class="comments"><h3>Gửi bình luận</h3><textarea></textarea></div></article>
<aside class="box-related"><h3>Tin cùng chuyên mục</h3><ul>{related}</ul></aside></main>
<footer><p>Cơ quan chủ quản: Bộ Ngoại giao Bench</p><p>Tổng biên tập: Nguyễn Văn A</p>
<p>Giấy phép số 123/GP-BTTTT cấp ngày 1/1/2020. Địa chỉ: 1 Tôn Thất Đàm, Hà Nội.</p><p>© Bản quyền thuộc về Báo Bench</p></footer>
</body></html>"""


def feed_xml(base: str, items: list[tuple[str, str, datetime]]) -> str:
    entries = "".join(
        f"<item><title>{html.escape(t)}</title><link>{base}{path}</link>"
        f"<pubDate>{d.strftime('%a, %d %b %Y %H:%M:%S +0700')}</pubDate></item>" for path, t, d in items)
    return f'<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>Bench</title>{entries}</channel></rss>'


def build_site(records: list[dict], base: str, prefix: str) -> tuple[dict[str, tuple[str, bytes]], str]:
    """Routes path -> (content type, bytes) for a feed at /{prefix}/rss.xml and one page per record."""
    rng = random.Random(7)
    routes: dict[str, tuple[str, bytes]] = {}
    items = []
    start = datetime(2023, 1, 1, 8, 0, tzinfo=VN)
    for i, rec in enumerate(records):
        path = f"/{prefix}/bai-{i}.html"
        published = start + timedelta(minutes=97 * i)
        others = [records[rng.randrange(len(records))]["title"] for _ in range(5)]
        routes[path] = ("text/html; charset=utf-8", page_html(rec, base + path, published, others).encode())
        items.append((path, detok(rec["title"]), published))
    feed = f"/{prefix}/rss.xml"
    routes[feed] = ("application/rss+xml", feed_xml(base, items).encode())
    return routes, base + feed


def serve(routes: dict, port_queue) -> None:
    """Serve `routes` on 127.0.0.1 (child process) until killed."""

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        disable_nagle_algorithm = True  # headers and body go out as two writes: no 40 ms delayed-ACK stall

        def do_GET(self):  # noqa: N802
            ctype, body = routes.get(self.path.split("?")[0], ("text/html", b"<h1>404</h1>"))
            self.send_response(200 if self.path.split("?")[0] in routes else 404)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", port_queue.get()), Handler)
    port_queue.put("ready")
    server.serve_forever()


def free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# --- part 1: pages per second -------------------------------------------------------------

BOILERPLATE = ("Trang chủ", "Ảnh: TTXVN", "Chia sẻ", "Lượt xem", "Cơ quan chủ quản", "Tin cùng chuyên mục",
               "Gửi bình luận", "Từ khóa", "Giấy phép", "MINH ANH")


def leaked(body: str, rec: dict) -> bool:
    """Whether chrome reached a stored body (a marker in the body that the article's own text lacks)."""
    source = detok(rec["body"]) + detok(rec["abstract"])
    return any(m in body and m not in source for m in BOILERPLATE)


class PageSite:
    """The pages of part 1 served from a child process: a warm-up feed and the measured feed."""

    def __init__(self, val_path: Path, n_pages: int) -> None:
        records = read_records(val_path, n_pages + 20)
        self.warm, self.measured = records[:20], records[20:20 + n_pages]
        port = free_port()
        self.base = f"http://127.0.0.1:{port}"
        self.routes, self.warm_feed = build_site(self.warm, self.base, "warm")
        more, self.feed = build_site(self.measured, self.base, "tin")
        self.routes.update(more)
        queue = multiprocessing.Queue()
        self.server = multiprocessing.Process(target=serve, args=(self.routes, queue), daemon=True)
        self.server.start()
        queue.put(port)
        time.sleep(0.2)
        assert queue.get(timeout=10) == "ready"

    def close(self) -> None:
        self.server.terminate()

    def ingest(self, db_path: Path) -> tuple:
        """(report, wall s, CPU s) of the measured feed into the database at `db_path`."""
        from ingest.models import IngestOptions
        from ingest.run import ingest
        from storage import open_db
        from summarizer import load_summarizer

        db = open_db(db_path)
        cpu0, wall0 = time.process_time(), time.perf_counter()
        report = ingest(db, [self.feed], load_summarizer("extractive"),
                        IngestOptions(allow_private=True, max_items=len(self.measured)))  # every page, not the newest 50
        return report, time.perf_counter() - wall0, time.process_time() - cpu0


PAGES_HEADER = f"{'database':<22}{'wall s':>8}{'pages/s':>10}{'CPU s':>8}{'pages/CPU-s':>13}   run"


def pages_row(label: str, pages: int, report, wall: float, cpu: float) -> str:
    return f"{label:<22}{wall:>8.2f}{pages / wall:>10.1f}{cpu:>8.2f}{pages / cpu:>13.1f}   {report.summary_line()}"


def bench_pages(site: PageSite, tmp: Path) -> None:
    from ingest.models import IngestOptions
    from ingest.run import ingest
    from storage import open_db
    from summarizer import load_summarizer

    ingest(open_db(tmp / "warm.db"), [site.warm_feed], load_summarizer("extractive"), IngestOptions(allow_private=True))
    report, wall, cpu = site.ingest(tmp / "pages.db")
    db = open_db(tmp / "pages.db")
    bodies = db.execute("select url, body from articles").fetchall()
    leaks = sum(1 for url, body in bodies if leaked(body, site.measured[int(re.search(r"bai-(\d+)", url).group(1))]))
    print(f"\n== live ingest: {len(site.measured)} pages via a local feed + HTTP server (another process)")
    print(PAGES_HEADER)
    print(pages_row("empty", len(site.measured), report, wall, cpu))
    print(f"stored bodies with boilerplate left in: {leaks}/{len(bodies)}")
    stage_times(site.measured[:100], site.routes, site.base, tmp)


def stage_times(records: list[dict], routes: dict, base: str, tmp: Path) -> None:
    """Milliseconds per page for each stage, on pages already in memory (no HTTP)."""
    from ingest.near_duplicates import fingerprint
    from ingest.pages import extract_page
    from ingest.quality import quality_problem
    from storage import open_db
    from storage.articles import store_article
    from summarizer import load_summarizer
    from tagger import tag_article

    summarizer = load_summarizer("extractive")
    db = open_db(tmp / "stages.db")
    totals = dict.fromkeys(["extract+clean", "gates", "simhash", "summarize", "tag", "store"], 0.0)
    for i in range(len(records)):
        path = f"/tin/bai-{i}.html"
        t = time.perf_counter()
        page = extract_page(routes[path][1], base + path)
        totals["extract+clean"] += time.perf_counter() - (t0 := t)
        t = time.perf_counter(); quality_problem(page.body); totals["gates"] += time.perf_counter() - t
        t = time.perf_counter(); fp = fingerprint(page.body); totals["simhash"] += time.perf_counter() - t
        t = time.perf_counter(); s = summarizer.summarize(page.title, page.body); totals["summarize"] += time.perf_counter() - t
        t = time.perf_counter(); tags = tag_article(page.title, page.body, page.published_at); totals["tag"] += time.perf_counter() - t
        t = time.perf_counter()
        store_article(db, {"source_key": f"k{i}", "title": page.title, "body": page.body, "content_hash": str(i),
                           "simhash": fp}, {"text": s.text, "backend": s.backend}, tags)
        totals["store"] += time.perf_counter() - t
        del t0
    n = len(records)
    print(f"stages, ms per page ({n} pages): " + ", ".join(f"{k} {v / n * 1000:.1f}" for k, v in totals.items())
          + f"; sum {sum(totals.values()) / n * 1000:.1f}")


# --- part 2: query latency ----------------------------------------------------------------


def _analyse(rec: dict) -> dict:
    """Title, body, summary and tags of one vietnews record (run in a worker process)."""
    from diplobot.text import fold_d
    from ingest.near_duplicates import fingerprint
    from summarizer import load_summarizer
    from tagger import tag_article

    title, body = detok(rec["title"]), "\n".join(detok(p) for p in rec["body"].splitlines() if p.strip())
    summary = load_summarizer("extractive").summarize(title, body)
    tags = tag_article(title, body)
    return {"title": title, "body": body, "summary": summary.text, "tags": tags, "simhash": fingerprint(body),
            "search": (fold_d(title), fold_d(summary.text), fold_d(body))}


def analyse_all(records: list[dict]) -> list[dict]:
    with multiprocessing.Pool(max(1, os.cpu_count() or 1)) as pool:
        return pool.map(_analyse, records, chunksize=64)


def build_db(path: Path, size: int, distinct: list[dict]) -> float:
    """A database of `size` articles, copies of the analysed records under other ids and dates."""
    from storage import open_db
    from storage.tag_rows import to_rows

    started = time.perf_counter()
    open_db(path).close()
    conn = sqlite3.connect(path)
    conn.execute("pragma synchronous = off")
    start = datetime(2022, 1, 1, tzinfo=VN)
    now = datetime.now(timezone.utc).isoformat(timespec="seconds")
    with conn:
        for chunk in range(0, size, 5000):
            articles, summaries, tags, search = [], [], [], []
            for i in range(chunk, min(size, chunk + 5000)):
                a = distinct[i % len(distinct)]
                aid = i + 1
                published = None if i % 50 == 0 else (start + timedelta(minutes=(i * 7919) % (3 * 365 * 24 * 60))).isoformat()
                articles.append((aid, f"bench:{aid}", f"https://bench.vn/{aid}.html", f"https://bench.vn/{aid}.html",
                                 "bench.vn", a["title"], a["body"], published, now, now,
                                 hashlib.sha256(f"{aid}".encode()).hexdigest()[:32], a["tags"].is_diplomatic,
                                 a["simhash"]))
                summaries.append((aid, "extractive", "", a["summary"], None, now))
                for row in to_rows(a["tags"]):
                    tags.append((aid, row.kind, row.value, row.code, row.extra, published or now))
                search.append((aid, *a["search"]))
            conn.executemany("insert into articles (id, source_key, url, canonical_url, source, title, body, published_at,"
                             " fetched_at, updated_at, content_hash, is_diplomatic, simhash) values (?,?,?,?,?,?,?,?,?,?,?,?,?)",
                             articles)
            conn.executemany("insert into summaries values (?,?,?,?,?,?)", summaries)
            conn.executemany("insert into tags (article_id, kind, value, code, extra, sort_key) values (?,?,?,?,?,?)", tags)
            conn.executemany("insert into article_search (rowid, title, summary, body) values (?,?,?,?)", search)
    conn.close()
    return time.perf_counter() - started


QUERIES = {
    "/province": ["Hà Nội", "Hồ Chí Minh", "Đà Nẵng", "Bình Dương", "Quảng Ninh", "Sóc Trăng", "Cần Thơ",
                  "Lạng Sơn", "Hải Phòng", "Nghệ An", "Lai Châu", "Thanh Hóa"],
    "/country": ["Trung Quốc", "Mỹ", "Nhật Bản", "Hàn Quốc", "Lào", "Nga", "Pháp", "Campuchia", "Thái Lan",
                 "Úc", "Cuba", "Israel"],
    "/latest": ["", "3", "10", "20"] * 3,
    "/search": ["đại sứ", "han quoc", "ngoại giao", "biển đông", "hợp tác kinh tế", "việt nam", "thủ tướng",
                "covid", "bóng đá", "giáo dục", "xuất khẩu gạo", "nguyen xuan phuc"],
}


def measure_queries(path: Path, rounds: int) -> dict[str, list[float]]:
    from bot.commands import parse_command
    from bot.handlers import dispatch
    from bot.registry import BotContext
    from diplobot.settings import Settings
    from storage import open_db

    ctx = BotContext(db=open_db(path), settings=Settings.from_env({}))
    loop = asyncio.new_event_loop()
    times: dict[str, list[float]] = {name: [] for name in QUERIES}
    for round_ in range(rounds + 1):
        for name, words in QUERIES.items():
            for word in words:
                cmd = parse_command(f"{name} {word}".strip())
                t = time.perf_counter()
                reply = loop.run_until_complete(dispatch(ctx, cmd))
                elapsed = (time.perf_counter() - t) * 1000
                assert not reply.text.startswith("Xin lỗi, đã có lỗi"), reply.text
                if round_:  # round 0 warms the caches
                    times[name].append(elapsed)
    loop.close()
    return times


def p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20)[-1]


def bench_queries(train: Path, sizes: list[int], distinct_n: int, rounds: int, tmp: Path,
                  site: PageSite | None = None) -> None:
    t = time.perf_counter()
    distinct = analyse_all(read_records(train, distinct_n))
    print(f"\n== queries: {len(distinct)} distinct vietnews articles summarized and tagged in "
          f"{time.perf_counter() - t:.1f}s ({os.cpu_count()} processes)")
    results, pages = {}, []
    for size in sizes:
        path = tmp / f"q{size}.db"
        seconds = build_db(path, size, distinct)
        mb = path.stat().st_size / 1e6
        print(f"built {size:,} articles in {seconds:.1f}s ({mb:,.0f} MB)")
        results[size] = measure_queries(path, rounds)
        if site is not None:  # the same pages, now into a full database (dedupe against it included)
            pages.append(pages_row(f"{size:,} stored", len(site.measured), *site.ingest(path)))
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
    if pages:
        print(f"\nlive ingest of the same {len(site.measured)} pages into these databases:\n{PAGES_HEADER}")
        print("\n".join(pages))
    print(f"\n{'command':<11}" + "".join(f"{f'p50 @{s:,}':>14}{f'p95 @{s:,}':>14}" for s in sizes)
          + ("   p95 growth" if len(sizes) > 1 else ""))
    for name in QUERIES:
        row = f"{name:<11}"
        for size in sizes:
            values = results[size][name]
            row += f"{statistics.median(values):>11.1f} ms{p95(values):>11.1f} ms"
        if len(sizes) > 1:
            row += f"   {p95(results[sizes[-1]][name]) / p95(results[sizes[0]][name]):.2f}x"
        print(row)
    print(f"({rounds} rounds x {len(QUERIES['/search'])} queries per command, through bot.handlers.dispatch; "
          f"load average {' '.join(f'{x:.1f}' for x in os.getloadavg())})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--val", type=Path, default=DATA / "vietnews_val_2000.jsonl", help="articles for the pages")
    parser.add_argument("--train", type=Path, default=DATA / "vietnews_train_20000.jsonl.gz", help="articles for the databases")
    parser.add_argument("--pages", type=int, default=300)
    parser.add_argument("--sizes", default="10000,100000", help="database sizes, comma-separated")
    parser.add_argument("--distinct", type=int, default=10000, help="distinct articles the databases are built from")
    parser.add_argument("--rounds", type=int, default=10, help="times each query is asked")
    parser.add_argument("--skip-pages", action="store_true")
    parser.add_argument("--skip-queries", action="store_true")
    args = parser.parse_args()
    for path in (args.val, args.train):
        if not path.exists():  # `make bench` on a machine without the data: say so, fail nothing
            print(f"ingest_speed: skipped, missing data file {path} (pass --val/--train)")
            return
    print(f"load average before: {' '.join(f'{x:.1f}' for x in os.getloadavg())} on {os.cpu_count()} cores")
    site = None if args.skip_pages else PageSite(args.val, args.pages)
    try:
        with tempfile.TemporaryDirectory() as tmp:
            if site is not None:
                bench_pages(site, Path(tmp))
            if not args.skip_queries:
                sizes = [int(s) for s in args.sizes.split(",")]
                bench_queries(args.train, sizes, min(args.distinct, max(sizes)), args.rounds, Path(tmp), site)
    finally:
        if site is not None:
            site.close()


if __name__ == "__main__":
    main()

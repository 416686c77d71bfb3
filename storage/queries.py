"""Read side: pages of articles for the bot, each with its summary and tags."""

from __future__ import annotations

import itertools
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import sqlite_utils

from diplobot.text import VIETNAMESE_MARKS, fold, fold_d
from storage.tag_rows import from_rows
from storage.window import Window

# Duplicates stay stored (a repost is a source of the first article) but are never listed.
_LISTED = "a.duplicate_of is null"
_MOMENT = "coalesce(a.published_at, a.fetched_at)"
_ORDER = f"{_MOMENT} desc, a.id desc"
_COLUMNS = (
    "a.id, a.title, a.url, a.source, a.published_at, a.fetched_at, a.is_diplomatic, "
    "s.text as summary, s.backend as summary_backend"
)


@dataclass
class Page:
    items: list[dict[str, Any]]
    total: int
    offset: int = 0
    limit: int = 5

    @property
    def has_more(self) -> bool:
        return self.offset + len(self.items) < self.total


def _rows(cursor) -> list[dict[str, Any]]:
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row)) for row in cursor.fetchall()]


def attach_tags(db: sqlite_utils.Database, items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Give each item its `tags` (`Tags`, with the item's `is_diplomatic`), one query for the whole page."""
    rows: dict[int, list[tuple]] = {item["id"]: [] for item in items}
    if rows:
        marks = ",".join("?" * len(rows))
        cursor = db.execute(
            f"select article_id, kind, value, code, extra from tags where article_id in ({marks}) order by rowid",
            list(rows),
        )
        for article_id, *row in cursor.fetchall():
            rows[article_id].append(row)
    for item in items:
        item["tags"] = from_rows(rows[item["id"]], item.get("is_diplomatic"))
    return items


def attach_sources(db: sqlite_utils.Database, items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Give each item `sources_count`: its outlet plus every other outlet that reposted it (one query)."""
    by_id = {item["id"]: item for item in items}
    outlets: dict[int, set[str]] = {i: {by_id[i].get("source") or ""} for i in by_id}
    if by_id:
        marks = ",".join("?" * len(by_id))
        rows = db.execute(f"select duplicate_of, source from articles where duplicate_of in ({marks})", list(by_id))
        for article_id, source in rows.fetchall():
            outlets[article_id].add(source or "")
    for article_id, item in by_id.items():
        item["sources_count"] = len(outlets[article_id])
    return items


def _finish(db: sqlite_utils.Database, items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return attach_sources(db, attach_tags(db, items))


def _page(db, where: str, args: list, limit: int, offset: int) -> Page:
    """A page of listed articles matching `where` (a generic path; the reader commands below are indexed)."""
    total = db.execute(f"select count(*) from articles a where {_LISTED} and {where}", args).fetchone()[0]
    base = f"from articles a left join summaries s on s.article_id = a.id where {_LISTED} and {where}"
    cursor = db.execute(f"select {_COLUMNS} {base} order by {_ORDER} limit ? offset ?", [*args, limit, offset])
    return Page(_finish(db, _rows(cursor)), total, offset, limit)


def _by_ids(db, ids: list[int], total: int, limit: int, offset: int) -> Page:
    """A page of the articles `ids`, in that order: the second step of every indexed listing.

    Picking ids first from an index and reading the five rows afterwards keeps the big
    article rows out of sorts and counts (bench/ingest_speed.py: 225 ms → 1 ms at 100,000).
    """
    if not ids:
        return Page([], total, offset, limit)
    marks = ",".join("?" * len(ids))
    cursor = db.execute(
        f"select {_COLUMNS} from articles a left join summaries s on s.article_id = a.id "
        f"where a.id in ({marks}) and {_LISTED}", ids)
    rows = {row["id"]: row for row in _rows(cursor)}
    return Page(_finish(db, [rows[i] for i in ids if i in rows]), total, offset, limit)


Bounds = tuple[str, str]  # [lo, hi) as UTC ISO strings (`bot.periods.Period.utc_bounds`)


def _dated(bounds: Bounds, moment: str = _MOMENT) -> tuple[str, list[str]]:
    """SQL for "the article was published within `bounds`": undated articles are left out,
    whatever their fetch time. `moment` is the sort key the index orders on (`a.` or tags')."""
    where, args = Window.from_iso(*bounds).where(moment)
    return f"a.published_at is not null and {where}", args


def latest(db, limit: int = 5, offset: int = 0, bounds: Bounds | None = None) -> Page:
    """Newest listed articles, walked in order on the partial index of listed articles' dates;
    with `bounds`, only those published within them."""
    where, args = _dated(bounds) if bounds else ("1", [])
    select = f"from articles a indexed by idx_articles_listing where {_LISTED} and {where}"
    total = db.execute(f"select count(*) {select}", args).fetchone()[0] if bounds else count_articles(db)
    ids = [r[0] for r in db.execute(f"select a.id {select} order by {_ORDER} limit ? offset ?",
                                    [*args, limit, offset])]
    return _by_ids(db, ids, total, limit, offset)


def by_tag(db, kind: str, codes: Iterable[str], limit: int = 5, offset: int = 0, bounds: Bounds | None = None) -> Page:
    """Articles carrying any of `codes` under `kind` (province, province_new, country, person, topic);
    with `bounds`, only those published within them.

    Tags exist only for listed articles (reposts get none), each row with its article's
    sort key, so count and order come from the index on (kind, code, sort_key, article_id).
    """
    codes = list(dict.fromkeys(codes))
    marks = ",".join("?" * len(codes))
    match = f"from tags where kind = ? and code in ({marks})"
    args: list = [kind, *codes]
    if bounds:  # the index narrows on sort_key; each row's article says whether it is dated
        dated, dated_args = _dated(bounds, "sort_key")
        match += f" and exists (select 1 from articles a where a.id = tags.article_id and {dated})"
        args += dated_args
    if len(codes) == 1 and not bounds:  # one row per article and code: no grouping, and the count is kept
        total = _kept_count(db, kind, codes[0])
        cursor = db.execute(f"select article_id {match} order by sort_key desc, article_id desc limit ? offset ?",
                            [*args, limit, offset])
    else:
        total = db.execute(f"select count(distinct article_id) {match}", args).fetchone()[0]
        cursor = db.execute(f"select article_id, max(sort_key) as k {match} group by article_id "
                            f"order by k desc, article_id desc limit ? offset ?", [*args, limit, offset])
    return _by_ids(db, [r[0] for r in cursor.fetchall()], total, limit, offset)


def events(db, first: str, last: str | None = None, limit: int = 5, offset: int = 0) -> Page:
    """Event dates the tagger found (tags of kind `date`, ISO days) from `first` to `last`
    (included; no end when None), soonest first, one item per (date, article): the article's
    fields with `event_date`. The tag index on (kind, code, …) gives the order."""
    where, args = "kind = 'date' and code >= ?", [first]
    if last:
        where, args = where + " and code <= ?", [first, last]
    pairs = f"select distinct code, article_id from tags where {where}"
    total = db.execute(f"select count(*) from ({pairs})", args).fetchone()[0]
    rows = db.execute(f"{pairs} order by code, article_id desc limit ? offset ?", [*args, limit, offset]).fetchall()
    found = {item["id"]: item for item in _by_ids(db, list({a: None for _, a in rows}), total, limit, offset).items}
    items = [{**found[article_id], "event_date": day} for day, article_id in rows if article_id in found]
    return Page(items, total, offset, limit)


def fts_query(text: str) -> str:
    """A safe FTS5 query: every word quoted (no operators from users), all required."""
    words = re.findall(r"\w+", fold_d(text))
    return " ".join(f'"{w}"' for w in words)


# Search offers the newest SEARCH_WINDOW matches and ranks them in tiers: the words as a
# phrase in the title, as a phrase anywhere, all of them in the title, the rest; newest first
# within a tier. bm25 and an exact count scanned every match of every word (72 ms + 4 ms for
# "việt nam" at 100,000 articles, growing with the database); this stays near 1 ms
# (bench/ingest_speed.py).
SEARCH_WINDOW = 500
_SEARCH_SQL = """
with win as (select rowid from article_search_fts where article_search_fts match :all /*dated*/
             order by rowid desc limit :window),
     floor as (select coalesce(min(rowid), 0) as m from win)
select win.rowid, (select count(*) from win) from win order by
  case when win.rowid in (select rowid from article_search_fts where article_search_fts match :title_phrase
                          and rowid >= (select m from floor)) then 0
       when win.rowid in (select rowid from article_search_fts where article_search_fts match :phrase
                          and rowid >= (select m from floor)) then 1
       when win.rowid in (select rowid from article_search_fts where article_search_fts match :title_all
                          and rowid >= (select m from floor)) then 2
       else 3 end,
  win.rowid desc
limit :limit offset :offset
"""
# A word typed with its marks matches only that word (`sứ` is not `sự`), which the index,
# built without marks, cannot tell. So the newest index matches are read in chunks and kept
# when every marked word is in the title, summary or body as typed, in lower case, capitalized
# or in capitals, either tone placement (`hòa`, `hoà`). At most SEARCH_SCAN index matches are
# read: a rare pair of common syllables (`đại sứ` among every "dai su") costs a bounded time,
# ≈ 10 ms CPU at 10,000 and at 100,000 articles (≈ 2 ms without marks; bench/bot_latency.py).
# The words are looked for in the UTF-8 bytes: reading 3,000 bodies as str took 47 ms, as
# bytes 13, and a body is decoded only where the index says the phrase may be in it. Searching
# all of a chunk's bodies joined, one find per spelling, was slower (a miss scans everything).
SEARCH_SCAN = 500
_SCAN_CHUNK = 250
_WORD_RE = re.compile(r"\w+")
_TONES = "\u0300\u0301\u0303\u0309\u0323"  # huyền, sắc, ngã, hỏi, nặng (NFD combining marks)


@dataclass(frozen=True)
class SearchWord:
    """A query word: NFC lowercase, and whether it was typed with any diacritic (đ included)."""

    text: str
    marked: bool

    @property
    def spellings(self) -> tuple[str, ...]:
        """What a marked word matches (lower case); an unmarked one matches every form instead."""
        return _spellings(self.text) if self.marked else ()


def search_words(text: str) -> list[SearchWord]:
    """The words of a query as search sees them."""
    words = _WORD_RE.findall(unicodedata.normalize("NFC", text).lower())
    return [SearchWord(w, fold(w) != w) for w in words]


_GLIDES = re.compile(r"(?<![gq])(oa|oe|uy)(?!\w*[^\W\d_aeiouy])", re.IGNORECASE)


@lru_cache(maxsize=256)
def _spellings(word: str) -> tuple[str, ...]:
    """A marked word's spellings: one, or two where old and new tone placement differ
    (`hoà`/`hòa`, `hoè`/`hòe`, `thuỷ`/`thủy`: oa, oe, uy closing the syllable)."""
    letters = unicodedata.normalize("NFD", word)
    tones = [c for c in letters if c in _TONES]
    bare = "".join(c for c in letters if c not in _TONES)
    glide = _GLIDES.search(bare)
    if len(tones) != 1 or glide is None:
        return (word,)
    spellings = {unicodedata.normalize("NFC", bare[:i + 1] + tones[0] + bare[i + 1:])
                 for i in (glide.start(), glide.start() + 1)}
    return tuple(sorted(spellings))


@lru_cache(maxsize=256)
def _needles(word: SearchWord) -> tuple[bytes, ...]:
    """A marked word's spellings as UTF-8, in lower case, capitalized and in capitals."""
    forms = [f for s in word.spellings for f in (s, s[:1].upper() + s[1:], s.upper())]
    return tuple(dict.fromkeys(f.encode() for f in forms))  # lower case first: the likely one


def _has_needle(data: bytes, needles: tuple[bytes, ...]) -> bool:
    """Whether UTF-8 text holds one of `needles` as a whole word."""
    for needle in needles:
        start = data.find(needle)
        while start >= 0:
            end = start + len(needle)
            before = data[max(0, start - 4):start].decode(errors="ignore")
            after = data[end:end + 4].decode(errors="ignore")
            if not (before and _WORD_RE.match(before[-1])) and not (after and _WORD_RE.match(after[0])):
                return True
            start = data.find(needle, start + 1)
    return False


@lru_cache(maxsize=1)
def _forms() -> dict[str, str]:
    """Each unmarked letter with every marked letter that folds to it: `d` → `dđ`, `u` → `uùú…ưừứ…`."""
    forms: dict[str, set[str]] = {}
    for ch in VIETNAMESE_MARKS:
        forms.setdefault(fold(ch), set()).add(ch)
    return {base: base + "".join(sorted(chars)) for base, chars in forms.items()}


def _word_pattern(word: SearchWord) -> str:
    if word.marked:
        return "(?:" + "|".join(re.escape(s) for s in word.spellings) + ")"
    forms = _forms()
    return "".join(f"[{forms[ch]}]" if ch in forms else re.escape(ch) for ch in word.text)


@lru_cache(maxsize=256)
def _words_re(words: tuple[SearchWord, ...]) -> re.Pattern:
    """The words in order with only non-word characters between them (the index's phrase), lower case."""
    return re.compile(r"\W+".join(_word_pattern(w) for w in words))


def _has_match(pattern: re.Pattern, text: str) -> bool:
    """`pattern` matched as whole words. The boundary is checked here, not in the pattern: a
    pattern that starts with a lookbehind loses the regex engine's first-letter skip (35 µs a
    body instead of 1.4)."""
    match = pattern.search(text)
    while match:
        start, end = match.span()
        if not (start and _WORD_RE.match(text[start - 1])) and not _WORD_RE.match(text, end, end + 1):
            return True
        match = pattern.search(text, start + 1)
    return False


@lru_cache(maxsize=256)
def _phrase_needles(words: tuple[SearchWord, ...]) -> tuple[bytes, ...]:
    """Some spellings of the phrase as UTF-8, one space between, in four cases (`Việt Nam`): a quick
    way to find it. A word without marks is taken as typed, one of the forms it matches."""
    phrases = [" ".join(p) for p in itertools.product(*(w.spellings or (w.text,) for w in words))]
    forms = [f for p in phrases for f in (p, p[:1].upper() + p[1:], p.title(), p.upper())]
    return tuple(dict.fromkeys(f.encode() for f in forms))


def _tier(title: bytes, rest: bytes, words: tuple[SearchWord, ...], folded_phrase: bool) -> int:
    """0: the words as a phrase in the title, 1: as a phrase in the summary or body, 2: all in the title, 3: else.

    `folded_phrase`: whether the index holds the phrase without marks; when it does not, the
    body is never decoded. When it does, the phrase as typed is looked for in the bytes first.
    """
    lowered = title.decode(errors="replace").lower()
    phrase = _words_re(words)
    if _has_match(phrase, lowered):
        return 0
    if folded_phrase and (_has_needle(rest, _phrase_needles(words))
                          or _has_match(phrase, rest.decode(errors="replace").lower())):
        return 1
    return 2 if all(_has_match(_words_re((w,)), lowered) for w in words) else 3


def _dated_ids(bounds: Bounds | None) -> tuple[str, list[str]]:
    """` and rowid in (…)`: the search index's matches kept to articles published within `bounds`
    (before the window is cut, so an old period still finds its articles); "" without bounds."""
    if not bounds:
        return "", []
    where, args = _dated(bounds)
    return f" and +rowid in (select a.id from articles a where {_LISTED} and {where})", args


def search(db, text: str, limit: int = 5, offset: int = 0, bounds: Bounds | None = None) -> Page:
    """Full-text search among recent matches, title and exact phrase first; with `bounds`, among
    the articles published within them.

    A word typed without marks matches every form (`su`: sứ, sự, sử); a word typed with them
    matches only itself (`sứ`). `total` counts the matches offered: all of them, or the newest
    SEARCH_WINDOW (among the newest SEARCH_SCAN index matches when a word has marks).
    """
    words = tuple(search_words(text))
    query = fts_query(" ".join(w.text for w in words))
    if not query:
        return Page([], 0, offset, limit)
    window = max(SEARCH_WINDOW, offset + limit)
    dated, dated_args = _dated_ids(bounds)
    if any(w.marked for w in words):
        ranked = _filtered_matches(db, query, words, window, (dated, dated_args))
        return _by_ids(db, ranked[offset: offset + limit], len(ranked), limit, offset)
    phrase = '"' + " ".join(w.strip('"') for w in query.split()) + '"'
    named, named_dated = {f"d{i}": value for i, value in enumerate(dated_args)}, dated
    for name in named:  # _SEARCH_SQL takes named parameters
        named_dated = named_dated.replace("?", f":{name}", 1)
    cursor = db.execute(_SEARCH_SQL.replace("/*dated*/", named_dated), {
        "all": query, "title_phrase": f"title : {phrase}", "phrase": phrase, "title_all": f"title : ({query})",
        "window": window, "limit": limit, "offset": offset, **named,
    })
    rows = cursor.fetchall()
    if rows:
        total = rows[0][1]
    else:  # past the last page: count what the window holds
        total = db.execute(f"select count(*) from (select rowid from article_search_fts where article_search_fts "
                           f"match ?{dated} limit ?)", [query, *dated_args, window]).fetchone()[0]
    return _by_ids(db, [r[0] for r in rows], total, limit, offset)


def _filtered_matches(db, query: str, words: tuple[SearchWord, ...], window: int,
                      dated: tuple[str, list[str]] = ("", [])) -> list[int]:
    """Ids of the newest index matches that hold every marked word as typed, ranked in tiers
    (among the articles `dated` keeps, `_dated_ids`)."""
    phrase = '"' + " ".join(w.strip('"') for w in query.split()) + '"'
    needles = [_needles(w) for w in words if w.marked]
    found: list[tuple[int, int]] = []  # (tier, -id), newest first
    below, scanned = 2**63 - 1, 0
    while len(found) < window and scanned < max(SEARCH_SCAN, window):
        ids = [r[0] for r in db.execute(
            f"select rowid from article_search_fts where article_search_fts match ? and rowid < ?{dated[0]} "
            f"order by rowid desc limit ?", [query, below, *dated[1], _SCAN_CHUNK])]
        if not ids:
            break
        below, scanned = ids[-1], scanned + len(ids)
        marks = ",".join("?" * len(ids))
        phrased = {r[0] for r in db.execute(  # the phrase without marks, as the index sees it
            "select rowid from article_search_fts where article_search_fts match ? and rowid between ? and ?",
            [phrase, ids[-1], ids[0]])} if len(words) > 1 else set(ids)
        rows = db.execute(  # title and the rest as bytes, one string for all the finds
            f"select a.id, cast(a.title as blob), cast(coalesce(s.text, '') || char(10) || a.body as blob) "
            f"from articles a left join summaries s on s.article_id = a.id where a.id in ({marks}) and {_LISTED} "
            f"order by a.id desc", ids)
        for article_id, title, rest in rows:
            if all(_has_needle(title, n) or _has_needle(rest, n) for n in needles):
                found.append((_tier(title, rest, words, article_id in phrased), -article_id))
    return [-neg for _, neg in sorted(found[:window])]


def get_article(db, article_id: int) -> dict[str, Any] | None:
    cursor = db.execute(
        f"select {_COLUMNS}, a.body from articles a left join summaries s on s.article_id = a.id where a.id = ?",
        [article_id],
    )
    rows = _rows(cursor)
    return _finish(db, rows)[0] if rows else None


def _kept_count(db, kind: str, code: str) -> int:
    """A count the triggers keep in `listing_counts` (storage.db)."""
    row = db.execute("select n from listing_counts where kind = ? and code = ?", [kind, code]).fetchone()
    return row[0] if row else 0


def count_articles(db) -> int:
    """Listed articles (reposts merged into another are not counted)."""
    return _kept_count(db, "article", "listed")


def tag_names(db, kind: str) -> list[tuple[str, str, int]]:
    """Distinct (value, code, articles) of one tag kind: what `/person` can match against."""
    cursor = db.execute(
        "select value, code, count(distinct article_id) from tags where kind = ? group by code order by 3 desc",
        [kind],
    )
    return [tuple(row) for row in cursor.fetchall()]


def iter_articles(db, batch: int = 500):
    """Every stored article's (id, title, body, published_at), in id order, a batch at a time."""
    last = 0
    while True:
        rows = db.execute(
            "select id, title, body, published_at from articles where id > ? order by id limit ?", [last, batch]
        ).fetchall()
        if not rows:
            return
        yield from rows
        last = rows[-1][0]

"""Hand-read expectations for real article pages, and how an extraction is scored against them.

The pages and their `manifest.jsonl` live in `../shared/data/real_pages/` (see its README): one
line per page with the visible headline, the first and last sentence of the body, strings that
are boilerplate, the printed date and the outlet's domain. A page is extracted the way the live
ingest does it (`ingest.pages.extract_page`, the outlet as `ingest.live` stores it) and each
check is compared after NFC and whitespace collapsing. `bench/real_pages.py` prints the table;
`tests/test_real_pages.py` asserts it.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from diplobot.text import fold, normalize
from ingest.catalogue import outlet
from ingest.pages import PageArticle, extract_page

CHECKS = ("headline", "first", "last", "no_boilerplate", "date", "outlet")
# Words an outlet's name carries besides the name itself ("Báo điện tử Dân Trí" is dantri.com.vn).
_OUTLET_FILLER = {"bao", "dien", "tu", "online", "news", "trang", "tin", "tuc"}


@dataclass(frozen=True)
class PageCase:
    file: str
    outlet: str  # the outlet's domain, "nld.com.vn"
    url: str
    title: str
    first: str
    last: str
    date: str  # YYYY-MM-DD
    boilerplate: tuple[str, ...] = ()
    note: str = ""


@dataclass
class PageScore:
    case: PageCase
    passed: dict[str, bool] = field(default_factory=dict)
    why: dict[str, str] = field(default_factory=dict)  # check -> what was found instead

    @property
    def ok(self) -> bool:
        return all(self.passed.values())


def load_cases(folder: Path) -> list[PageCase]:
    """Every page of `folder/manifest.jsonl` (lines of other kinds are skipped)."""
    cases = []
    for line in (folder / "manifest.jsonl").read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        row = json.loads(line)
        if row.get("kind", "page") != "page":
            continue
        cases.append(PageCase(file=row["file"], outlet=row["outlet"], url=row["url"], title=row["title"],
                              first=row["first"], last=row["last"], date=row["date"],
                              boilerplate=tuple(row.get("boilerplate", ())), note=row.get("note", "")))
    return cases


def _flat(text: str) -> str:
    return re.sub(r"\s+", " ", normalize(text)).strip()


def names_outlet(source: str, domain: str) -> bool:
    """Whether an outlet name stands for `domain`: `TUOI TRE ONLINE` is tuoitre.vn, `Báo Người Lao Động` nld.com.vn."""
    label = fold(domain).split(".")[0].removeprefix("www")
    compact = re.sub(r"[^a-z0-9]", "", fold(source))
    if not label or not compact or re.search(r"\.(?:txt|md|html?)$", source.strip(), re.IGNORECASE):
        return False
    if label in compact:
        return True
    words = [w for w in re.findall(r"[a-z0-9]+", fold(source)) if w not in _OUTLET_FILLER]
    return "".join(w[0] for w in words).startswith(label)


def page_outlet(page: PageArticle) -> str:
    """The outlet an article card shows for a page: the name it gives itself, else its host (`ingest.live`)."""
    return page.site_name or outlet(page.url)


def score_page(case: PageCase, html: bytes) -> PageScore:
    score = PageScore(case)
    page = extract_page(html, case.url)
    if not page.ok:
        for check in CHECKS:
            score.passed[check] = False
            score.why[check] = f"page rejected: {page.reason}"
        return score
    body = _flat(page.body)
    title = _flat(page.title)
    score.passed["headline"] = title == _flat(case.title)
    score.why["headline"] = title
    score.passed["first"] = _flat(case.first) in body
    score.why["first"] = body[:160]
    score.passed["last"] = _flat(case.last) in body
    score.why["last"] = body[-160:]
    leaked = [b for b in case.boilerplate if _flat(b) in body]
    score.passed["no_boilerplate"] = not leaked
    score.why["no_boilerplate"] = "; ".join(leaked)
    date = page.published_at.isoformat()[:10] if page.published_at else ""
    score.passed["date"] = date == case.date
    score.why["date"] = date or "no date"
    source = page_outlet(page)
    score.passed["outlet"] = names_outlet(source, case.outlet)
    score.why["outlet"] = source
    return score


def score_folder(folder: Path) -> list[PageScore]:
    return [score_page(case, (folder / case.file).read_bytes()) for case in load_cases(folder)]

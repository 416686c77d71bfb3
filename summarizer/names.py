"""A person a summary names by one word after `ông` or `bà` gets the full name the article gives
them, at the summary's first mention: "Tuyên bố của bà Hoa được đưa ra …" → "Tuyên bố của bà Hoa
Xuân Oánh được đưa ra …", "Theo ông Thịnh , …" → "Theo ông Đỗ Ngọc Thịnh , …".

News names a person in full once, with a role, then by one word; a summary that opens further in
shows only the word, and hand readings called such a speaker unintroduced. Only people the article
gives a role (officials, spokespeople: `tagger.people`), and only when the title and the summary's
sentences before do not name them in full already. On the diplomatic val file it changed 21 first
sentences and raised ROUGE-1/2/L by 0.02/0.03/0.02 (val 2,000: 3, no change): the paper's lead
paragraph names people in full.
"""

from __future__ import annotations

import re

from tagger.people import find_people, full_name_of

# `ông` / `bà` (and the like) before one capitalized word that no other capitalized word follows.
_SHORT_RE = re.compile(r"\b(?:[Ôô]ng|[Bb]à|[Aa]nh|[Cc]hị|[Nn]gài)\s+(\w[\w-]*)(?=(\s+\S+)?)")


def in_full(sentence: str, title: str, body: str, summary: str = "") -> str:
    """`sentence` with each person it names by one word after an honorific named in full, once, unless
    the title or `summary` (the summary's sentences before it) names them in full already."""
    mentions = [m for m in _SHORT_RE.finditer(sentence) if _one_name(m)]
    if not mentions:
        return sentence
    people = find_people(body)
    out, last = [], 0
    done: set[str] = set()
    for m in mentions:
        full = full_name_of(m.group(1), people)
        if full is None or full in done or full in title or full in summary or full in sentence:
            continue
        done.add(full)
        out.append(sentence[last : m.start(1)] + full)
        last = m.end(1)
    return "".join(out) + sentence[last:] if out else sentence


def _one_name(match: re.Match) -> bool:
    """A capitalized word whose next word is not capitalized too (`bà Hằng nói`, not `bà Lê Thị`)."""
    after = (match.group(2) or "").strip()
    return match.group(1)[:1].isupper() and not after[:1].isupper()

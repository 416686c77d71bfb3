"""A person a summary names by one word gets the full name the article gives them, at the summary's
first mention: "Tuyên bố của bà Hoa được đưa ra …" → "Tuyên bố của bà Hoa Xuân Oánh được đưa ra …",
"Theo ông Thịnh , …" → "Theo ông Đỗ Ngọc Thịnh , …", "Hiếu cất giấu số lượng pháo …" → "Trần Hữu Hiếu
cất giấu số lượng pháo …".

News names a person in full once, then by one word; a summary that opens further in shows only the
word, and hand readings called such a person unintroduced. After `ông`, `bà` (and the like), the
people the article gives a role (officials, spokespeople: `tagger.people`); a name that opens a
sentence, anyone the article names in full (in crime news, the suspects), when underthesea reads the
word as a word of its own (`Đông đảo kiều bào …` is "numerous", not Mr Đông). Never when the title or
the summary's sentences before name them in full already, nor when several people could be meant.
"""

from __future__ import annotations

import re

from diplobot.text import import_underthesea
from tagger.people import find_people, full_name_of


# `ông` / `bà` (and the like) before one capitalized word that no other capitalized word follows.
_SHORT_RE = re.compile(r"\b(?:[Ôô]ng|[Bb]à|[Aa]nh|[Cc]hị|[Nn]gài)\s+(\w[\w-]*)(?=(\s+\S+)?)")
# A capitalized word that opens the sentence (`Hiếu cất giấu …`).
_OPENING_RE = re.compile(r"^(\w[\w-]*)(?=(\s+\S+)?)")


def in_full(sentence: str, title: str, body: str, summary: str = "") -> str:
    """`sentence` with each person it names by one word named in full, once, unless the title or
    `summary` (the summary's sentences before it) names them in full already."""
    mentions = [(m, True) for m in _SHORT_RE.finditer(sentence) if _one_name(m)]
    opening = _OPENING_RE.match(sentence)
    if opening and _one_name(opening) and _name_in(opening.group(1), body):
        mentions.insert(0, (opening, False))
    if not mentions:
        return sentence
    out, last = [], 0
    done: set[str] = set()
    for m, after_honorific in mentions:
        # The lines that name the person in full hold the role too; scanning them alone is quick.
        full = full_name_of(m.group(1), find_people(_lines_naming(m.group(1), body)), with_role=after_honorific)
        if full is None or full in done or full in title or full in summary or full in sentence:
            continue
        if not after_honorific and not _word_of_its_own(sentence, m.group(1)):
            continue
        done.add(full)
        out.append(sentence[last : m.start(1)] + full)
        last = m.end(1)
    return "".join(out) + sentence[last:] if out else sentence


def _one_name(match: re.Match) -> bool:
    """A capitalized word whose next word is not capitalized too (`bà Hằng nói`, not `bà Lê Thị`)."""
    after = (match.group(2) or "").strip()
    return match.group(1)[:1].isupper() and not after[:1].isupper()


def _lines_naming(word: str, body: str) -> str:
    """The body's lines where a capitalized word comes right before `word` (`… Lê Thị Thu Hằng …`)."""
    pattern = re.compile(rf"\b[^\W\d_][\w-]*\s+{re.escape(word)}\b")
    return "\n".join(
        line for line in body.splitlines()
        if any(match.group()[:1].isupper() for match in pattern.finditer(line))
    )


def _name_in(word: str, body: str) -> bool:
    """Whether the body writes `word` as the end of a name (`Trần Hữu Hiếu`) and never in lower case
    (`công an` makes `Công` a word): a cheap test before the article's people are looked up."""
    if word.lower() in body:
        return False
    return any(before[:1].isupper() for before in re.findall(rf"([^\W\d_][\w-]*)\s+{re.escape(word)}\b", body))


def _word_of_its_own(sentence: str, word: str) -> bool:
    """Whether underthesea reads the sentence's first word alone (`Hiếu | cất giấu`), not as the
    start of a compound (`Đông đảo`, `Hoa hậu`, `Bình thường`)."""
    tokens = import_underthesea().word_tokenize(sentence[:80])
    return bool(tokens) and tokens[0] == word

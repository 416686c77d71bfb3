"""Which candidate sentences the selector may choose, and which may open a summary.

Two questions `summarizer.select` asks about a candidate (one `sentences.readable`
already let through):

- `is_caption`: a photo caption that reads like a sentence ("Tổng thống Philippines
  Rodrigo Duterte ."): a short line of its own that names something and makes no clause.
  It needs underthesea's `pos_tag`, so the selector asks only about the sentences it is
  about to take, and words that make a clause on their own (`đã`, `là`, `rất`…) answer
  first without tagging.
- `opener`: the text a sentence shows when it opens the summary. An opening that points
  back at the sentence before (`Tuy nhiên ,`, `Theo đó ,`, `Liên quan đến vụ việc trên ,`)
  is dropped when the rest stands on its own ("Tuy nhiên , sau 7 năm , UAE quyết định …"
  → "Sau 7 năm , UAE quyết định …"); when it cannot be (`Điều này …`, `Ông này …`), the
  sentence may follow another one but not open the summary.
"""

from __future__ import annotations

import re

from diplobot.text import syllables
from summarizer.shapes import (
    ADVERBIAL_STARTS,
    BY_ME_RE,
    CAPTION_MAX_SYLLABLES,
    CONNECTIVES,
    REGRETS,
    also_after_subject,
    said_more,
    has_predicate,
    names_something,
    opening_phrase,
    opens_on_name,
    opens_on_verb,
    opens_pointing_back,
    photo_marks,
    pointer_spans,
    pointers_droppable,
    points_back,
)

# What is left once an opening is dropped must be a sentence of its own size.
MIN_REST_SYLLABLES = 6

# Openings that only tie a sentence to the one before it; longest first, so that
# `ngay sau đó` wins over `sau đó`.
LINKS = tuple(
    sorted(
        set(CONNECTIVES)
        | {
            "theo đó", "trước đó", "sau đó", "ngay sau đó", "tiếp đó", "bên cạnh đó", "thêm vào đó",
            "cùng với đó", "kèm theo đó", "trong khi đó", "như vậy", "do đó", "do vậy", "vì vậy",
            "vì thế", "bởi vậy", "chính vì vậy", "chính vì thế", "cũng bởi vậy", "qua đó", "qua đây", "từ đó",
            "nhờ đó", "khi đó", "lúc đó", "lúc này", "trong đó", "vậy", "vậy mà", "không chỉ vậy",
        },
        key=len,
        reverse=True,
    )
)
_LINK_RE = re.compile(
    r"^\s*(?:" + "|".join(re.escape(link) for link in LINKS) + r")(?!\w)\s*,?\s*", re.IGNORECASE
)
# Connectives of a story's next move: a contrast, what came at once, one more thing. What is left
# without them is that move, told of someone or something the summary has not met (`Tuy nhiên , sau
# một thời gian , cặp đôi đường ai nấy đi …`, `Nhưng , chị Tr . không chịu dừng nhậu …`): such a
# sentence may follow another but not open. Blind readings found these leftovers; keeping them
# from opening raised val 2,000 ROUGE-1/2/L by 0.015/0.011/0.034 (diplomatic −0.008 ROUGE-L), where
# `Theo đó ,` and `Trước đó ,` (accordingly, before that: a fact of its own) cost 0.1–0.2.
_STORY_LINKS = ("thế nhưng", "nhưng", "ngay lập tức", "lập tức", "ngay sau đó", "sau đó", "ngoài ra", "chưa hết", "hoặc") + REGRETS
_AT_THE_SAME_TIME_RE = re.compile(r"^\s*đồng thời\b", re.IGNORECASE)
_STORY_LINK_RE = re.compile(r"^\s*(?:" + "|".join(re.escape(link) for link in _STORY_LINKS) + r")(?!\w)", re.IGNORECASE)
# `Cũng` before a preposition is "also" (`Cũng theo ông X ,` → `Theo ông X ,`).
_ALSO_RE = re.compile(r"^\s*(?:cũng|vẫn)\s+(?=(?:theo|trong|tại|vào|ở|từ|nhân|tối|sáng|chiều|ngày)\b)", re.IGNORECASE)
# Syllables that make a clause wherever they stand (`không`, `quá` also open nouns:
# `không quân`, `quá trình`, `bị cáo`); seeing one spares the tagger.
_CLAUSE_SYLLABLES = {"là", "rất", "chưa", "chẳng", "đã", "đang", "sẽ", "vẫn", "cũng", "lắm", "được"}
_POINTERS = {"đây", "này", "đó", "ấy"}
_EMPTY_CLAUSE_RE = re.compile(r"\s*,(?:\s*,)+")
_STILL_POINTING = {"nó", "họ", "ấy"}
_NEEDS_OPENING = ("thì", "mà", "nên", "là", ",", ".")


def is_caption(sentence: str, n_syllables: int) -> bool:
    """A short sentence that names something and makes no clause, or that has a caption's
    own marks (`shapes.photo_marks`); call on lines of their own."""
    if photo_marks(sentence, n_syllables):
        return True
    if n_syllables > CAPTION_MAX_SYLLABLES:
        return False
    if _CLAUSE_SYLLABLES.intersection(syllables(sentence)):
        return False  # a clause whatever the tagger says: no need to tag
    return names_something(sentence) and not has_predicate(sentence)


def opener(sentence: str, names: frozenset[str] = frozenset()) -> str | None:
    """The text `sentence` shows as a summary's first sentence; None when it cannot open one.

    `names`: the connectives its article uses as names (`shapes.link_names`), kept whole."""
    if not points_back(sentence, names):
        return sentence
    named = opens_on_name(sentence, names)
    drops = (_drop_inner_link, _drop_pointers, _drop_also) if named else (_drop_opening, _drop_inner_link, _drop_pointers, _drop_also)
    for rest in (drop(sentence) for drop in drops):
        if rest is not None and _stands_alone(rest):
            return rest[0].upper() + rest[1:]
    return None


def _stands_alone(rest: str) -> bool:
    if points_back(rest) or len(syllables(rest)) < MIN_REST_SYLLABLES:
        return False
    words = rest.lower().split()
    # `Tuy nhiên , chúng tôi coi đây là …`: what is left still points back; so does `nó`, `họ` or
    # `ấy` anywhere (`Trong toàn bộ bộ ảnh đó , có một vài cái … nhưng thật ra nó cũng không toát lên
    # được vẻ ấy .`).
    # `Có cả á hậu , diễn viên …` (there were even …): the rest of a list the dropped phrase opened.
    even = words[:2] == ["có", "cả"]
    return not (even or words[0] in _NEEDS_OPENING or _POINTERS.intersection(words[:5]) or _STILL_POINTING.intersection(words))


def _drop_also(sentence: str) -> str | None:
    """`Bà Oanh cũng cho biết , …` → `Bà Oanh cho biết , …`: "also" after a short subject goes; so
    does "added" after a speaker's verb, `… cho biết thêm , …` → `… cho biết , …`."""
    rest = sentence
    for find, word in ((also_after_subject, "cũng"), (said_more, "thêm")):
        at = find(rest)
        if at is not None:
            rest = f"{rest[:at].rstrip()} {rest[at + len(word):].lstrip()}"
    return rest if rest != sentence else None


def _drop_pointers(sentence: str) -> str | None:
    """The sentence without the demonstratives that point back from inside it: `Các đối tượng
    này bị … truy nã` → `Các đối tượng bị … truy nã`, `… phủ nhận thông tin kể trên , …` →
    `… phủ nhận thông tin , …` (a definite noun, as news writes it). None when there are none."""
    spans = pointer_spans(sentence)
    if not spans or opens_pointing_back(sentence) or not pointers_droppable(sentence):
        return None  # `Tội danh này nếu …`, `Trung Quốc đưa ra quan điểm này`: the noun says nothing alone
    pieces, last = [], 0
    for start, end in spans:
        pieces.append(sentence[last:start].strip())
        last = end
    pieces.append(sentence[last:].strip())
    # `Đáng chú ý , trước đó , người …`: a pointer that was a clause of its own takes its comma along.
    return _EMPTY_CLAUSE_RE.sub(" ,", " ".join(piece for piece in pieces if piece))


def _drop_inner_link(sentence: str) -> str | None:
    """The sentence without a connective that follows its opening phrase: `Theo cơ quan công an ,
    trước đó , đối tượng Chỉnh đi …` → `Theo cơ quan công an , đối tượng Chỉnh đi …`."""
    phrase, closed = opening_phrase(sentence)
    comma = sentence.find(",")
    if not closed or comma < 0:
        return None
    match = _LINK_RE.match(sentence[comma + 1 :])
    if not match or comma + 1 + match.end() >= len(sentence):
        return None
    return f"{sentence[: comma + 1]} {sentence[comma + 1 + match.end() :]}"


def _drop_opening(sentence: str) -> str | None:
    """The sentence without the connective or adverbial phrase it opens with, if it has one.

    Not `Theo tôi ,`: the rest is a speaker's view, not news; nor a story's next move
    (`_STORY_LINK_RE`). (`Trong đó ,` still goes, though what
    is left may be a part of something before, `Có nhiều nội dung …`: keeping such sentences from
    opening cost val 2,000 0.057 ROUGE-1.)"""
    if BY_ME_RE.match(sentence) or _STORY_LINK_RE.match(sentence):
        return None
    for pattern in (_LINK_RE, _ALSO_RE):
        match = pattern.match(sentence)
        if match and match.end() < len(sentence):
            rest = sentence[match.end() :]
            # `Đồng thời , nhắc nhở cán bộ …` (at the same time, [he] reminded …): what is left has no
            # subject when a verb opens it and no comma closes an opening phrase soon after.
            if _AT_THE_SAME_TIME_RE.match(sentence) and "," not in rest.split()[:6] and opens_on_verb(rest):
                return None
            return rest
    phrase, closed = opening_phrase(sentence)
    padded = " " + " ".join(phrase) + " "
    # `2 năm sau đó ,`: a number opens a time phrase.
    adverbial = (bool(phrase) and phrase[0].isdigit()) or any(padded.startswith(f" {w} ") for w in ADVERBIAL_STARTS)
    if closed and adverbial:
        head, _, rest = sentence.partition(",")
        return rest.strip() or None
    return None

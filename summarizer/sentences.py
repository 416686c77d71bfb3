"""Sentences of an article body, and which of them a reader may be shown alone.

Splitting uses `diplobot.text.split_sentences`, with two additions that matter for
summaries: a line with no inner sentence end is kept whole without calling underthesea
(most news lines; it avoids importing underthesea at all for such texts), and pieces that
underthesea cuts at a person's initials (`Đ. N.A`) or before a comma are glued back.
"""

from __future__ import annotations

import re
import unicodedata

from diplobot.text import normalize, split_sentences
from summarizer.shapes import DASHES, ends_on_abbreviation, goes_on, is_cut, is_exclamation, is_question

# A sentence end followed by more text: only such lines need the real splitter.
_INNER_END_RE = re.compile(r"[.!?](?=.*\w)")
# Characters that cannot open a sentence: it continues the previous piece.
_CONTINUATION_CHARS = set(",;:)]”’»")
# A piece that ends on an initial (`Đ.`, `Th .`): the name goes on in the next piece.
# (`Kh ..` is an initial and a sentence end: not matched.)
_INITIAL_END_RE = re.compile(r"(?:^|[\s.(])([^\W\d_]{1,2})\s?\.$")

# `… với H.V . Th .` / `23 tuổi , trú tại …`: the age that follows a name.
_AGE_RE = re.compile(r"^\d{1,3}\s+tuổi\b")
# A piece that opens with the closing quote of the previous sentence, then the rest.
_CLOSING_RE = re.compile(r"^([”’»]+)\s*(.*)$")

_FINAL_PUNCT = (".", "!", "?", "…", "”", '"', "»", "'", "’")
_SENTENCE_ENDS = (".", "!", "?", "…")
# Headings and captions have no closing punctuation and are short; real sentences rarely lack it.
HEADING_MAX_SYLLABLES = 30
_CLOSING_QUOTES = "”\"»'’"
# Photo captions, credits, related-article links and similar furniture.
_FURNITURE_RE = re.compile(
    r"(\bẢnh\s*:|\(\s*Ảnh|\bNguồn\s*:|\bVideo\s*:|\bClip\s*:|^\s*(Xem|Đọc)\s+thêm\b|>\s*>"
    # The paper's notice to its readers: `… mời quý độc giả đón đọc trên báo điện tử Người Đưa Tin .`
    r"|\bmời (?:quý )?(?:vị )?(?:độc giả|bạn đọc)\b)",
    re.IGNORECASE,
)
# A line that is one quotation with no sentence end inside: a heading (`“ Màn tiếp đón vương giả ”`).
_QUOTED_HEADING_RE = re.compile(r"^[“\"][^“”\"]*[^\s.!?…“”\"]\s*[”\"]$")
_BYLINE_RE = re.compile(r"^\(?\s*(Theo|Nguồn)\s+[\w./+ -]{1,40}\)?\s*\.?$", re.IGNORECASE)
_SOURCE_ONLY_RE = re.compile(r"^\(\s*[\w./+ -]{1,40}\s*\)\s*\.?$")
_SOURCE_TAG_RE = re.compile(r"^\(\s*[\w./+ -]{1,40}\s*\)\s*[-–—:]\s*")


def split_line_sentences(text: str) -> list[str]:
    """Sentences of `text`, line by line, with cut names and clauses glued back."""
    return [sentence for sentence, _ in split_lines(text)]


def split_lines(text: str) -> list[tuple[str, bool]]:
    """Like `split_line_sentences`, each sentence with True when it is a whole line.

    A line of its own is what a photo caption is (`eligibility.is_caption`).
    """
    out: list[tuple[str, bool]] = []
    for line in text.splitlines():
        line = normalize(line).strip()
        if not line:
            continue
        pieces = _glue(split_sentences(line), line) if _INNER_END_RE.search(line) else [line]
        whole = len(pieces) == 1
        # A line cut at an initial (`… Thạch Sà Kh .` / `( SN 1983 ) …`, seen in vietnews), at an
        # abbreviation (`… Công an TP.` / `Hà Nội đã phê chuẩn …`, one article in 15) or inside
        # a name (`Theo bà Maria Abegail .` / `A.Albaladejo , …`).
        cut_initial = out and _ends_on_initial(out[-1][0]) and (
            broken_start(pieces[0]) or pieces[0][0] == "(" or _AGE_RE.match(pieces[0]) is not None
        )
        if cut_initial or (out and goes_on(out[-1][0], line)):
            before = out[-1][0]
            if not ends_on_abbreviation(before) and not cut_initial:
                before = before[:-1].rstrip()  # `Maria Abegail .` + `A.Albaladejo` is one name
            out[-1] = (f"{before} {pieces.pop(0)}", False)
            whole = False
        out.extend((piece, whole) for piece in pieces)
    return out


def broken_start(text: str) -> bool:
    """True when `text` starts mid-sentence: punctuation, or a lowercase word (not `iPhone`)."""
    if not text:
        return True
    if text[0] in _CONTINUATION_CHARS:
        return True
    return text[0].islower() and not (len(text) > 1 and text[1].isupper())


def _ends_on_initial(text: str) -> bool:
    """`… với Đ.` or `… ông Th .`: a capital, at most one small letter, then a period."""
    match = _INITIAL_END_RE.search(text)
    if not match:
        return False
    initial = match.group(1)
    # `Th`, `Ng`, `Gi`, `Qu` abbreviate a name; a capital and a vowel is a word (`… lục chiến Mỹ .`).
    second = _base_letter(initial[1]) if len(initial) == 2 else ""
    return initial[0].isupper() and (not second or (second.islower() and (second not in "aeiouy" or initial in ("Gi", "Qu"))))


def _base_letter(ch: str) -> str:
    """`ỹ` → `y`, `đ` → `đ`: the letter without its marks."""
    return unicodedata.normalize("NFD", ch)[0]


def _glue(pieces: list[str], line: str) -> list[str]:
    """Join a piece to the previous one when it plainly continues it.

    underthesea cuts `“Tốt.” Sau đó` after the period: the closing quote goes back to
    its sentence (spaced as in `line`), and what follows it stands alone if it can.
    """
    glued: list[str] = []
    for piece in pieces:
        closing = _CLOSING_RE.match(piece)
        if glued and closing:
            quote, rest = closing.group(1), closing.group(2)
            joiner = "" if glued[-1] + quote in line else " "
            glued[-1] = f"{glued[-1]}{joiner}{quote}"
            if not rest:
                continue
            piece = rest
        if glued and (broken_start(piece) or _ends_on_initial(glued[-1]) or ends_on_abbreviation(glued[-1])):
            glued[-1] = f"{glued[-1]} {piece}"
        else:
            glued.append(piece)
    return glued


def quotes_balanced(sentence: str) -> bool:
    """False for half a quotation: an opening quote closed in another sentence."""
    if sentence.count("“") != sentence.count("”"):
        return False
    if sentence.count("«") != sentence.count("»"):
        return False
    return sentence.count('"') % 2 == 0


def is_furniture(sentence: str, n_syllables: int) -> bool:
    """Captions, bylines, credits and headings: text a summary must never show."""
    if _FURNITURE_RE.search(sentence) or _BYLINE_RE.match(sentence) or _SOURCE_ONLY_RE.match(sentence):
        return True
    # Headings and captions have no closing punctuation; real sentences rarely lack it. A quoted
    # heading (`“ Màn tiếp đón vương giả ”`) has none inside its quotation marks either.
    return n_syllables < HEADING_MAX_SYLLABLES and (not ends_sentence(sentence) or _QUOTED_HEADING_RE.match(sentence.rstrip()) is not None)


def ends_sentence(text: str) -> bool:
    """Whether the text ends as a sentence does. A closing quote ends one only after a sentence end
    (`… “ hàng ” .`, `… sai . ”`): `Chuyên sử dụng ô tô đi lấy “ hàng ”` is a section's heading."""
    text = text.rstrip()
    closed = text.rstrip(_CLOSING_QUOTES).rstrip()
    return text.endswith(_FINAL_PUNCT) and (closed == text or closed.endswith(_SENTENCE_ENDS))


def repeats_title(tokens: list[str], title_tokens: list[str]) -> bool:
    """True when a sentence is the title again (image alt text, a repeated heading).

    Compared on syllables: nearly all of the sentence's syllables are in the title, and
    it is not much longer than the title.
    """
    if not tokens or not title_tokens:
        return False
    title = set(title_tokens)
    covered = sum(1 for w in tokens if w in title) / len(tokens)
    return covered >= 0.9 and len(tokens) <= 1.2 * len(title_tokens)


def strip_source_tag(sentence: str) -> str:
    """`(Baohatinh.vn) - Thứ trưởng …` → `Thứ trưởng …`: the tag means nothing in a summary."""
    return _SOURCE_TAG_RE.sub("", sentence, count=1)


def readable(sentence: str, tokens: list[str], title_tokens: list[str], title_is_question: bool = False) -> bool:
    """Whether a reader may be shown this sentence out of its article.

    `sentence` has had its source tag stripped; one that still opens with a parenthesis
    is the tail of a cut sentence (`( SN 1983 ) nghi bị …`). Questions and exclamations
    are the article talking to its reader, not news (a question may answer a title that
    asks one); a sentence the source cut (`… sản phẩm từ sữa của Việt Nam ...`) is not whole.
    """
    return (
        len(tokens) >= 5
        and not broken_start(sentence)
        and not sentence.startswith(("(", *DASHES))  # the tail of a cut sentence; an interview's answer
        and not sentence.rstrip().endswith(":")  # announces a list that is not shown
        and quotes_balanced(sentence)
        and not is_furniture(sentence, len(tokens))
        and not repeats_title(tokens, title_tokens)
        and not is_cut(sentence)
        and not is_exclamation(sentence)
        and (title_is_question or not is_question(sentence))
    )

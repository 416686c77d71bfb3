"""Sentences no editor would print in a summary, counted the way a reader would see them.

This module is the *counter*: it looks at a finished summary next to its article and says
which of four kinds of unreadable sentence it holds. `summarizer.evaluate` reports the share
of summaries with each kind for every system, Lead-n included. It is written from the
definitions below, not from the summarizer's filter, so that it keeps measuring the filter
honestly:

- `caption`: a photo caption picked as a sentence. A short line of its own (at most
  `CAPTION_MAX_SYLLABLES`) whose words carry no verb (underthesea's `pos_tag`) and name
  something (a noun): "Tổng thống Philippines Rodrigo Duterte ."; or a line with a
  caption's own marks, where people stand in the photo or a picture noun opening a short
  line: "Thủ tướng Ấn Độ Narendra Modi ( trái ) nhận hoa …", "Hình ảnh phóng thử tên lửa
  Pukguksong -2 do KCNA công bố ." (`shapes.photo_marks`).
- `question`: a sentence that ends on a question mark, unless the title is itself a
  question ("Vì sao lại như thế ?"), or on an exclamation mark ("Cảm ơn ông rất nhiều !").
- `dangling`: the summary opens with a sentence that points back at text the summary does
  not hold: a connective ("Tuy nhiên , …", "Theo đó , …", "Trước đó , …"), a demonstrative
  in its opening phrase ("Liên quan đến vụ việc trên , …", "Tại hội nghị này , …"), an
  anaphoric subject ("Điều này …", "Ông này …", "Ông cho biết …", "Họ …"), a demonstrative
  in the first clause with no name before it to point to ("Điều kiện cho cuộc đầu thú và
  lãnh án tù này là …", "Cơ quan điều tra sau đó di lý …"), `trên` meaning "the above"
  anywhere ("… ở khu vực trên sau khi …", "… thông tin kể trên , …"), a matter it does
  not name ("Liên quan đến sự việc , …") or a speaker's "I" ("Giữa tôi và Vân Dung …").
- `cut`: a sentence that stops mid-way: cut with an ellipsis at its end or its start
  ("… đánh giá tiêu chuẩn … đối với sữa …"), or ending on a comma, semicolon or dash where
  the source broke the line ("… ở mức cao nhất " ,"), or the rest of a sentence the source
  broke at an abbreviation ("… Công an TP." / "Vũng Tàu phát hiện …"), or a related article's
  headline run into its lede ("… bắt đầu thăm Việt Nam TTO - Chủ tịch …"), or a section's heading shown
  as a sentence or run into one ("Chuyên sử dụng ô tô đi lấy “ hàng ” Khoảng 9h30 thì …"), or an
  "although" clause with no main clause ("Mặc dù Miss Korea 2019 đã kết thúc …"). An ellipsis inside a sentence
  ("Singapore , Malaysia … là những nước …") is the printed "etc." and not counted.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from itertools import islice

from diplobot.text import normalize, syllables
from summarizer.sentences import HEADING_MAX_SYLLABLES, ends_sentence, is_furniture, split_line_sentences, strip_source_tag
from summarizer.shapes import (
    CAPTION_MAX_SYLLABLES,
    credited_caption,
    goes_on,
    has_predicate,
    is_cut,
    is_exclamation,
    is_question,
    link_names,
    marked_caption,
    names_something,
    photo_marks,
    points_back,
    restated_by,
    strip_photo_position,
)

KINDS = ("caption", "question", "dangling", "cut")
# A related article's headline run into its lede by Tuổi Trẻ's tag (`Chủ tịch Triều Tiên … bắt đầu thăm
# Việt Nam TTO - Chủ tịch Triều Tiên … hôm nay …`): the headline stops without an end.
_RUN_IN_HEADLINE_RE = re.compile(r"^[^.!?]{10,200}?\sTTO\s[-–]\s")


def is_caption(sentence: str, lines: set[str], marked: frozenset[str] = frozenset()) -> bool:
    """A short line of its own, with nouns and no verb, or with a caption's own marks; or one
    shown without its marks whose main clause has no verb (`marked`, `shapes.marked_caption`)."""
    if sentence in marked:
        return True
    if sentence not in lines:
        return False
    n = len(syllables(sentence))
    if photo_marks(sentence, n):
        return True
    return n <= CAPTION_MAX_SYLLABLES and names_something(sentence) and not has_predicate(sentence)


def body_lines(body: str) -> set[str]:
    """The body's lines as sentences are compared: normalized, stripped, source tag off,
    with and without where people stand in the photo (`( trái )`)."""
    lines = {strip_source_tag(normalize(line).strip()) for line in body.splitlines() if line.strip()}
    return lines | {strip_photo_position(line) for line in lines}


def marked_captions(lines: set[str]) -> frozenset[str]:
    """The body lines with where people stand in the photo that are captions once that goes
    (`Ông Mike Pompeo , phải , người được …`), as the summary shows them: without the marks."""
    return frozenset(strip_photo_position(line) for line in lines if marked_caption(line, len(syllables(line))))


def credited_captions(body: str) -> frozenset[str]:
    """Short lines the next line credits as a photo (`Tiêm kích bom Su -34 Nga không kích ở Syria .` /
    `Ảnh : Sputnik`): captions, verb or not."""
    lines = _ordered_lines(body)
    return frozenset(line for line, after in zip(lines, lines[1:]) if credited_caption(len(syllables(line)), after))


def _ordered_lines(body: str) -> list[str]:
    return [strip_source_tag(normalize(line).strip()) for line in body.splitlines() if line.strip()]


def cut_tails(body: str) -> set[str]:
    """Lines that finish a sentence the source broke at an abbreviation or inside a name (`… Công
    an TP.` then `Hà Nội đã phê chuẩn …`, `shapes.goes_on`): shown alone, they start mid-sentence."""
    lines = _ordered_lines(body)
    return {after for before, after in zip(lines, lines[1:]) if goes_on(before, after)}


def summary_sentences(summary: str) -> list[str]:
    return split_line_sentences(summary)


def unreadable_kinds(title: str, body: str, summary: str) -> frozenset[str]:
    """The kinds (of `KINDS`) of unreadable sentence that `summary` of this article holds."""
    sentences = summary_sentences(summary)
    if not sentences:
        return frozenset()
    found: set[str] = set()
    lines, tails = body_lines(body), cut_tails(body)
    marked = marked_captions(lines) | credited_captions(body)
    title_is_question = is_question(normalize(title).strip())
    for sentence in sentences:
        if is_caption(sentence, lines, marked):
            found.add("caption")
        if (is_question(sentence) and not title_is_question) or is_exclamation(sentence):
            found.add("question")
        if is_cut(sentence) or sentence in tails or _RUN_IN_HEADLINE_RE.search(sentence) or _shows_heading(sentence, lines):
            found.add("cut")
    first = _first_sentence(sentences[0], lines)
    if points_back(first, link_names(body, [first])):
        found.add("dangling")
    return frozenset(found)


def _shows_heading(sentence: str, lines: set[str]) -> bool:
    """A section's heading shown as, or run into, a sentence: a short body line with no sentence end
    (`Chuyên sử dụng ô tô đi lấy “ hàng ” Khoảng 9h30 thì …`); it reads as a sentence cut off."""
    return any(
        (sentence == line or (sentence.startswith(line + " ") and _opens_a_line(sentence[len(line) + 1 :], lines)))
        and not ends_sentence(line)
        and len(syllables(line)) < HEADING_MAX_SYLLABLES
        for line in lines
    )


def _opens_a_line(text: str, lines: set[str]) -> bool:
    """Whether `text` starts as a body line does (what follows a heading run into it), not as the rest
    of the line the heading's words open (`Kaia Gerber` / `Kaia Gerber là người mẫu …`)."""
    head = text[:40]
    return any(line.startswith(head) for line in lines)


def _first_sentence(first: str, lines: set[str]) -> str:
    """The summary's first sentence where the splitter ran it into the second: a body line that ends
    a sentence and opens the text (`… huyện Anh Sơn , tỉnh Nghệ An .` read as an initial, `An .`)."""
    whole = [line for line in lines if first.startswith(line + " ") and line.endswith((".", "!", "?", "…", '"', "”"))]
    return max(whole, key=len) if whole else first


def kind_shares(items: Iterable[tuple[str, str, str]]) -> dict[str, float]:
    """Percent of (title, body, summary) items holding each kind, and `any` of them."""
    counts = dict.fromkeys(KINDS + ("any",), 0)
    n = 0
    for title, body, summary in items:
        kinds = unreadable_kinds(title, body, summary)
        for kind in kinds:
            counts[kind] += 1
        counts["any"] += bool(kinds)
        n += 1
    return {kind: 100 * count / max(n, 1) for kind, count in counts.items()}


def opens_on_lede(body: str, summary: str) -> bool:
    """Whether the summary opens on the article's lede: the first sentence of the first body line that
    is not a caption, heading or byline, shown whole or without its opening connective, give or take a
    few syllables (`_ends_with`: a name given in full, a pointer dropped).

    A short first line the next one repeats is not the lede but announces it (`shapes.restated_by`).
    Not one of the four kinds, but what they hang on: read by hand, summaries that open on the lede
    were clearly wrong 1.1 % of the time, those that open further in 8.7 % (docs/summaries.md)."""
    sentences = summary_sentences(summary)
    if not sentences:
        return False
    ordered = _ordered_lines(body)
    lines = set(ordered)
    captions = credited_captions(body)
    readable = list(islice(
        (line for line in ordered if not is_furniture(line, len(syllables(line))) and not is_caption(line, lines, captions)), 2
    ))
    if not readable:
        return False
    lede = readable[0]
    # A short first line the next one repeats only announces it (`shapes.restated_by`).
    if len(readable) > 1 and restated_by(lede, syllables(lede), syllables(readable[1])):
        lede = readable[1]
    first = syllables(_first_sentence(sentences[0], lines))
    lede_first = syllables(split_line_sentences(lede)[0])
    return bool(first) and _ends_with(lede_first, first)


# Syllables by which a summary's sentence may differ from the article's: a name given in full
# (`summarizer.names`: `bà Hằng` shown as `bà Lê Thị Thu Hằng`), a pointer dropped (`này`).
_CHANGED_MAX = 6


def _ends_with(line: list[str], shown: list[str]) -> bool:
    """Whether `shown` is the end of `line` (an opening connective dropped), give or take
    `_CHANGED_MAX` syllables added or dropped inside it."""
    n, m = len(line), len(shown)
    # common[i][j]: the longest common subsequence of line[i:] and shown[j:].
    common = [[0] * (m + 1) for _ in range(n + 1)]
    for i in range(n - 1, -1, -1):
        for j in range(m - 1, -1, -1):
            common[i][j] = common[i + 1][j + 1] + 1 if line[i] == shown[j] else max(common[i + 1][j], common[i][j + 1])
    # From some place in `line` on, `shown` adds and leaves out at most `_CHANGED_MAX` syllables,
    # and keeps most of what it shows.
    return any(
        m - common[i][0] + (n - i - common[i][0]) <= _CHANGED_MAX and 2 * common[i][0] > m for i in range(n)
    )


def lede_share(items: Iterable[tuple[str, str]]) -> float:
    """Percent of (body, summary) items whose summary opens on the lede (`opens_on_lede`)."""
    flags = [opens_on_lede(body, summary) for body, summary in items]
    return 100 * sum(flags) / max(len(flags), 1)

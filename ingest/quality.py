"""The quality gates every item passes before storage: files, pages and feed teasers alike.

One set of reasons, shown in the run summary and stored nowhere else:
`empty` (no text, or only menu items), `not_vietnamese`, `too_short` (one real sentence).
Anti-bot challenge pages are caught earlier, on the raw HTML (`ingest.fetch.is_anti_bot`),
and reported as `anti_bot`.
"""

from __future__ import annotations

from diplobot.text import is_vietnamese, split_sentences, syllables

MIN_SENTENCE_WORDS = 5  # "Trang chủ", "Tin tức - Sự kiện": menu items are not sentences
MIN_SENTENCES = 2
# The gates read the head of a body: a 1.5 MB article is judged by its first pages.
GATE_CHARS = 20_000


def quality_problem(body: str) -> str | None:
    """Why a body cannot be an article (`empty`, `not_vietnamese`, `too_short`), or None.

    Only sentences of MIN_SENTENCE_WORDS syllables or more count, so that a page where
    the extractor found nothing but menu items is `empty`, not an article.
    """
    head = body[:GATE_CHARS]
    if not head.strip():
        return "empty"
    sentences = [s for s in split_sentences(head) if len(syllables(s)) >= MIN_SENTENCE_WORDS]
    if not sentences:
        return "empty"
    if not is_vietnamese(" ".join(sentences)):
        return "not_vietnamese"
    if len(sentences) < MIN_SENTENCES:
        return "too_short"
    return None

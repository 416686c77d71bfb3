"""Which chats a stored article matches: one index over every subscription, built once per run.

The one owner of "does this article match this chat's subscriptions", for digests
(bot.digest), alerts (bot.alerts) and benches. Matching one article must not grow with the
number of chats (issue 15):

- tag subscriptions (province, country, topic) are a dictionary lookup per tag key;
- keyword and exclusion phrases are one Aho–Corasick automaton (`pyahocorasick`) over the
  article's folded words, padded with spaces so that only whole words match (`an` is not in
  `thanh`). A word typed without marks matches every form; a word typed with them matches
  only itself (`sứ` is not `sự`), checked on the lower-cased word at the same place. That
  is /search's rule (`storage.queries.search_words`: which words are marked, their spellings
  `hòa`/`hoà`), over `diplobot.text.fold`;
- person subscriptions are looked up by each ending of a person tag's name (`le hoai trung`,
  `hoai trung`, `trung`) and, for a one-word tag, by its word as a followed name's last one,
  then checked with `tagger.people.name_matches`, the rule `/person` uses (`Putin` is
  `Vladimir Putin`; `Trung` is not `Lê Hoài Trung`);
- an exclusion the article holds drops the chat, whatever else it matched.

An item is a row of `storage.subscriptions.digest_pool`/`broadcast_articles`: it has `id`,
`keys` (the (kind, code) tag pairs subscriptions match), `title`, `summary`, `body` and
`tags` (people's names as written).
"""

from __future__ import annotations

import bisect
import itertools
import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

import ahocorasick

from diplobot.text import fold
from storage.queries import search_words
from storage.subscriptions import ALL, EXCLUDE, KEYWORD, PERSON
from tagger.people import name_matches

TEXT_FIELDS = ("title", "summary", "body")
FIELD_BREAK = "\n"  # a "word" between fields, so that no phrase runs from the title into the body
_WORD_RE = re.compile(r"\w+")
_fold_word = lru_cache(maxsize=200_000)(fold)  # news reuses a small vocabulary: fold each word once


@dataclass(frozen=True)
class Phrase:
    """A keyword as the automaton sees it: its folded words, and for each word typed with
    marks the spellings it must have in the article (None: any form)."""

    key: str  # " dai su ": folded words between spaces
    spellings: tuple[frozenset[str] | None, ...]

    @classmethod
    def of(cls, code: str) -> "Phrase | None":
        words = search_words(code)
        if not words:
            return None
        key = " " + " ".join(_fold_word(w.text) for w in words) + " "
        marked = tuple(frozenset(w.spellings) if w.marked else None for w in words)
        return cls(key, marked if any(marked) else ())

    def holds(self, lower: list[str], first: int) -> bool:
        """Whether the words from `first` on have the marks this phrase was typed with."""
        return all(want is None or lower[first + i] in want for i, want in enumerate(self.spellings))


@dataclass
class _Entry:
    """One followed phrase (kind `keyword` or `exclude`, one code) and the chats that follow it."""

    number: int
    kind: str
    code: str
    phrase: Phrase
    chats: list[int] = field(default_factory=list)


@dataclass
class _Person:
    code: str
    value: str
    chats: list[int] = field(default_factory=list)


@dataclass
class ArticleMatch:
    """One article against the index. `counts` leaves out `all` (every chat that follows
    all would be in it) and the excluded chats; `keys` are the subscription keys it matched,
    for headings (tag keys, ("keyword", code), ("person", code), ("exclude", code))."""

    counts: dict[int, int]
    excluded: set[int]
    keys: set[tuple[str, str]]


class SubscriptionIndex:
    """Every chat's subscriptions, inverted: tag key → chats, phrases → chats, people → chats,
    plus the chats that follow all."""

    def __init__(self) -> None:
        self._by_key: dict[tuple[str, str], list[int]] = defaultdict(list)
        self._all: set[int] = set()
        self._phrases: dict[tuple[str, str], _Entry] = {}
        self._people: dict[str, _Person] = {}  # folded name → person
        self._people_by_last: dict[str, list[_Person]] = defaultdict(list)  # its last word → people
        self._automaton: ahocorasick.Automaton | None = None

    @classmethod
    def build(cls, subs_by_chat: Mapping[int, list[dict[str, Any]]]) -> "SubscriptionIndex":
        index = cls()
        for chat_id, subs in subs_by_chat.items():
            for sub in subs:
                index.add(chat_id, sub)
        return index

    def add(self, chat_id: int, sub: dict[str, Any]) -> None:
        kind, code = sub["kind"], sub["code"]
        if kind == ALL:
            self._all.add(chat_id)
        elif kind in (KEYWORD, EXCLUDE):
            self._add_phrase(chat_id, kind, code)
        elif kind == PERSON:
            self._add_person(chat_id, code, sub.get("value") or code)
        else:
            self._by_key[(kind, code)].append(chat_id)

    def _add_phrase(self, chat_id: int, kind: str, code: str) -> None:
        entry = self._phrases.get((kind, code))
        if entry is None:
            phrase = Phrase.of(code)
            if phrase is None:  # nothing to match (never stored by /subscribe)
                return
            entry = self._phrases[(kind, code)] = _Entry(len(self._phrases), kind, code, phrase)
            self._automaton = None
        entry.chats.append(chat_id)

    def _add_person(self, chat_id: int, code: str, value: str) -> None:
        name = " ".join(code.split())
        if not name:
            return
        person = self._people.get(name)
        if person is None:
            person = self._people[name] = _Person(code, value)
            self._people_by_last[name.rsplit(" ", 1)[-1]].append(person)
        person.chats.append(chat_id)

    def _matcher(self) -> ahocorasick.Automaton | None:
        """The automaton over every phrase's key, built on first use after a change."""
        if self._automaton is None and self._phrases:
            by_key: dict[str, list[_Entry]] = defaultdict(list)
            for entry in self._phrases.values():
                by_key[entry.phrase.key].append(entry)
            automaton = ahocorasick.Automaton()
            for number, (key, entries) in enumerate(by_key.items()):
                plain = tuple(e for e in entries if not e.phrase.spellings)
                marked = tuple(e for e in entries if e.phrase.spellings)
                automaton.add_word(key, (number, len(key), plain, marked))
            automaton.make_automaton()
            self._automaton = automaton
        return self._automaton

    # --- matching ---------------------------------------------------------------------------

    def match(self, item: dict[str, Any]) -> ArticleMatch:
        """The article against every subscription: who it reaches, who it is kept from."""
        keys: set[tuple[str, str]] = set()
        counts: dict[int, int] = {}
        excluded: set[int] = set()
        for key in item.get("keys", ()):
            chats = self._by_key.get(key)
            if chats:
                keys.add(key)
                _count(counts, chats)
        for entry in self._phrase_hits(item):
            keys.add((entry.kind, entry.code))
            if entry.kind == EXCLUDE:
                excluded.update(entry.chats)
            else:
                _count(counts, entry.chats)
        for person in self._person_hits(item):
            keys.add((PERSON, person.code))
            _count(counts, person.chats)
        for chat_id in excluded:
            counts.pop(chat_id, None)
        return ArticleMatch(counts, excluded, keys)

    def chats_for(self, item: dict[str, Any], found: ArticleMatch | None = None) -> dict[int, int]:
        """chat id → how many of its subscriptions the article matches (`all` counts once);
        a chat that excludes a phrase the article holds is not there. `found`: the article's
        `match`, when the caller has it already."""
        found = self.match(item) if found is None else found
        counts = dict.fromkeys(self._all - found.excluded, 1)
        for chat_id, n in found.counts.items():
            counts[chat_id] = counts.get(chat_id, 0) + n
        return counts

    def count(self, found: ArticleMatch, chat_id: int) -> int:
        """What `chats_for` says for one chat, from a `match` result."""
        if chat_id in found.excluded:
            return 0
        return found.counts.get(chat_id, 0) + (chat_id in self._all)

    def _phrase_hits(self, item: dict[str, Any]) -> Iterable[_Entry]:
        automaton = self._matcher()
        if automaton is None:
            return ()
        lower = article_words(item)
        folded = [_fold_word(w) for w in lower]
        text = " " + " ".join(folded) + " "
        starts: list[int] | None = None  # where each word's leading space is, when a mark needs checking
        seen: set[int] = set()  # keys met once already: their unmarked entries are in
        hits: list[_Entry] = []
        held: set[int] = set()  # marked entries found as typed
        for end, (number, length, plain, marked) in automaton.iter(text):
            if number not in seen:
                seen.add(number)
                hits += plain
            for entry in marked:
                if entry.number in held:
                    continue
                if starts is None:
                    starts = [0, *itertools.accumulate(len(w) + 1 for w in folded)]
                if entry.phrase.holds(lower, bisect.bisect_left(starts, end - length + 1)):
                    held.add(entry.number)
                    hits.append(entry)
        return hits

    def _person_hits(self, item: dict[str, Any]) -> Iterable[_Person]:
        if not self._people:
            return ()
        hits: dict[str, _Person] = {}
        for name in person_names(item):
            words = _fold_word(name).split()
            endings = (self._people.get(" ".join(words[-k:])) for k in range(1, len(words) + 1))
            candidates = [p for p in endings if p is not None]
            if len(words) == 1:
                candidates += self._people_by_last.get(words[0], ())
            for person in candidates:
                if person.code not in hits and name_matches(person.value, name):
                    hits[person.code] = person
        return hits.values()


def _count(counts: dict[int, int], chats: list[int]) -> None:
    for chat_id in chats:
        counts[chat_id] = counts.get(chat_id, 0) + 1


def article_words(item: dict[str, Any]) -> list[str]:
    """Title, summary and body as lower-case words (NFC), FIELD_BREAK between the fields."""
    words: list[str] = []
    for name in TEXT_FIELDS:
        text = item.get(name)
        if text:
            if words:
                words.append(FIELD_BREAK)
            words += _WORD_RE.findall(unicodedata.normalize("NFC", text).lower())  # spaces do not count
    return words


def person_names(item: dict[str, Any]) -> list[str]:
    """The people an article is tagged with, as written (their codes where no tags are attached)."""
    tags = item.get("tags")
    if tags is not None:
        return [p.name for p in tags.people]
    return [code for kind, code in item.get("keys", ()) if kind == PERSON]


class PoolMatches:
    """Every article of a digest pool matched once against one index; each chat's digest
    then reads its counts (`count`) and the subscriptions matched (`keys`)."""

    def __init__(self, index: SubscriptionIndex, pool: Iterable[dict[str, Any]]) -> None:
        self.index = index
        self._by_id = {item["id"]: index.match(item) for item in pool}

    @classmethod
    def for_chat(cls, chat_id: int, subscriptions: list[dict[str, Any]], pool: list[dict[str, Any]]) -> "PoolMatches":
        return cls(SubscriptionIndex.build({chat_id: subscriptions}), pool)

    def count(self, chat_id: int, item: dict[str, Any]) -> int:
        found = self._by_id.get(item["id"])
        return 0 if found is None else self.index.count(found, chat_id)

    def keys(self, item: dict[str, Any]) -> set[tuple[str, str]]:
        found = self._by_id.get(item["id"])
        return set(item.get("keys", ())) if found is None else found.keys

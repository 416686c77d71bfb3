"""People named in an article, each with the role the article gives them.

Rules, not a statistical tagger: underthesea's CRF `ner` costs ≈ 50 ms an article and
still needs the role attached, while news writes people in two fixed shapes:

* role first: `Thứ trưởng Bộ Ngoại giao Lê Hoài Trung`, `Ngoại trưởng Mỹ Mike Pompeo`,
  `Phó Thủ tướng, Bộ trưởng Bộ Ngoại giao Phạm Bình Minh`, `các Phó Chủ tịch UBND tỉnh:
  Đặng Quốc Vinh, Nguyễn Hồng Lĩnh`;
* name first: `ông Võ Văn Minh, Phó Bí thư Tỉnh ủy, Chủ tịch UBND tỉnh`,
  `đồng chí Tô Anh Dũng - Thứ trưởng Bộ Ngoại giao`.

A role is a head from `tagger.roles.HEADS` plus the organisation after it. One tag per
person: later short mentions (`ông Minh`, `Thứ trưởng Trung`) join the full name, and
the role is the one given at the first mention that has a role. Only people with a role
are tagged (a name with no role says little about who acted).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from tagger import aliases, roles
from tagger._text import Token, is_acronym, is_title, looks_vietnamese
from tagger.gazetteer import Scan

# Heads after which a lone foreign surname is a person (`Tổng thống Trump`).
_POLITICAL = {"tổng thống", "phó tổng thống", "thủ tướng", "ngoại trưởng", "bộ trưởng",
              "quốc vương", "nhà vua", "nữ hoàng", "hoàng tử", "thái tử", "tổng thư ký",
              "đại sứ", "chủ tịch", "thủ tướng chính phủ", "phó thủ tướng", "tổng bí thư"}
_APPOSITIVE_MARKS = {",", "-", "("}
_PARTICLES = {"bin", "al", "de", "van", "von", "der", "da", "di", "del", "la", "le", "dos"}
_LIST_JOINERS = {",", "và"}
_SPACE_BEFORE_PUNCT = re.compile(r"\s+([,.;:)])")
_SPACE_AFTER_OPEN = re.compile(r"([(])\s+")


@dataclass
class _Mention:
    words: list[str]  # name syllables (hyphenated foreign parts joined)
    role: str | None
    head: str | None = None
    org_is_place: bool = True


class _Trie:
    def __init__(self, phrases: list[str]) -> None:
        self.root: dict = {}
        for phrase in phrases:
            node = self.root
            for word in phrase.split():
                node = node.setdefault(word, {})
            node["$"] = phrase

    def longest(self, tokens: list[Token], i: int) -> tuple[int, str] | None:
        node, best = self.root, None
        for j in range(i, min(len(tokens), i + 8)):
            if j > i and tokens[j].line_start:
                break
            node = node.get(tokens[j].text.lower())
            if node is None:
                break
            if "$" in node:
                best = (j + 1, node["$"])
        return best


@lru_cache(maxsize=1)
def _heads() -> _Trie:
    return _Trie(roles.HEADS)


@lru_cache(maxsize=1)
def _cues() -> _Trie:
    return _Trie(sorted(roles.CUES))


@lru_cache(maxsize=1)
def _known_orgs() -> _Trie:
    return _Trie([o.lower() for o in roles.KNOWN_ORGS])


class _Parser:
    """One pass over a scanned article; collects name mentions with their roles."""

    def __init__(self, result: Scan) -> None:
        self.text = result.text
        self.toks = result.tokens
        self.places = result.places
        self.n = len(self.toks)
        self.mentions: list[_Mention] = []

    # -- token tests ---------------------------------------------------------------

    def tok(self, k: int) -> Token | None:
        return self.toks[k] if 0 <= k < self.n else None

    def same_line(self, k: int) -> bool:
        return k < self.n and not self.toks[k].line_start

    def word_at(self, k: int) -> int | None:
        """End of a capitalized name word at k (`Minh`, `D`, `Jong-un`), else None."""
        t = self.tok(k)
        if t is None or not t.text.isalpha() or not is_title(t.text):
            return None
        end = k + 1
        # Hyphen-glued parts: `Jong-un`, `Jae-in`.
        while (
            end + 1 < self.n
            and self.toks[end].text == "-"
            and self.toks[end].start == self.toks[end - 1].end
            and self.toks[end + 1].start == self.toks[end].end
            and self.toks[end + 1].text.isalpha()
        ):
            end += 2
        return end

    def run_at(self, k: int) -> list[tuple[int, int]]:
        """Consecutive capitalized words from k on the same line, as token ranges."""
        words: list[tuple[int, int]] = []
        while k < self.n and (not words or self.same_line(k)):
            end = self.word_at(k)
            if (
                end is None
                and words
                and self.toks[k].text in _PARTICLES
                and self.word_at(k + 1) is not None
                and self.is_foreign(words[-1])
            ):
                end = k + 1  # `Mohammed bin Salman`, `Ursula von der Leyen`
            if end is None:
                break
            # An initial with its dot: `Donald J. Trump`.
            if (
                end - k == 1
                and len(self.toks[k].text) == 1
                and end + 1 < self.n
                and self.toks[end].text == "."
                and self.word_at(end + 1) is not None
            ):
                end += 1
            words.append((k, end))
            k = end
        return words

    def wtext(self, w: tuple[int, int]) -> str:
        return self.text[self.toks[w[0]].start : self.toks[w[1] - 1].end]

    def is_foreign(self, w: tuple[int, int]) -> bool:
        return w[1] - w[0] > 1 or not looks_vietnamese(self.wtext(w))

    def continues_org(self, k: int, prev_word: str) -> bool:
        """Lowercase token k continues an organisation name after `prev_word`."""
        t = self.tok(k)
        if t is None or not self.same_line(k) or not t.text.isalpha() or not t.text.islower():
            return False
        return t.text in roles.ORG_VOCAB or (prev_word.lower(), t.text) in roles.ORG_PAIRS

    # -- names ---------------------------------------------------------------------

    def pick_name(self, words: list[tuple[int, int]]) -> int | None:
        """Index in `words` where a person's name starts, or None.

        A surname-led run of 2-4 Vietnamese syllables wins (`Phạm Nhật Vượng` in
        `Vingroup Phạm Nhật Vượng`); else 2-4 Vietnamese syllables not opening an
        organisation (`Tập Cận Bình`); else up to 5 foreign words (`Mike Pompeo`).
        """
        texts = [self.wtext(w) for w in words]
        viet = [not self.is_foreign(w) for w in words]
        for q, word in enumerate(texts):
            rest = len(texts) - q
            if word.lower() in aliases.SURNAMES and 2 <= rest <= 4 and all(viet[q:]):
                return q
        if all(viet) and 2 <= len(texts) <= 4 and texts[0].lower() not in roles.ORG_STARTERS:
            return 0
        last_foreign = max(q for q, v in enumerate(viet) if not v) if not all(viet) else -1
        if not viet[0] and 2 <= len(texts) - last_foreign - 1 <= 4:
            return last_foreign + 1  # `Huawei Mạnh Vãn Chu`: a company, then the name
        if not all(viet) and len(texts) <= 5 and texts[0].lower() not in roles.ORG_STARTERS:
            return 0
        return None

    def names_at(self, k: int) -> tuple[list[str], int] | None:
        """A name (or a lone word, for joining) starting exactly at k."""
        words = self.run_at(k)
        if not words:
            return None
        if len(words) == 1:
            return [self.wtext(words[0])], words[0][1]
        q = self.pick_name(words)
        if q != 0:
            return None
        return [self.wtext(w) for w in words], words[-1][1]

    # -- roles ---------------------------------------------------------------------

    def parse_org(self, k: int, allow_name: bool, head: str = ""):
        """Organisation after a head, from token k.

        Returns (org_end, name_words, name_end, place_only): name_words is None when no
        name follows; place_only says the organisation was empty or just a country.
        """
        start, place_only = k, True
        prev_word = head.split()[-1] if head else ""  # `giám đốc tài chính`
        while k < self.n and self.same_line(k):
            t = self.toks[k]
            w = t.text
            if k in self.places:
                k = self.places[k]
                prev_word = ""
                continue
            known = _known_orgs().longest(self.toks, k)
            if known is not None and (k == start or prev_word or self.toks[k - 1].text != ","):
                k, prev_word, place_only = known[0], self.toks[known[0] - 1].text, False
                continue
            if is_acronym(w) and not w.startswith("ĐẠI"):
                k, prev_word, place_only = k + 1, w, False
                continue
            if w == "." and self.tok(k - 1) and self.toks[k - 1].text in {"TP", "Tp"}:
                k += 1
                continue
            if self.word_at(k) is not None:
                words = self.run_at(k)
                after = words[-1][1]
                last = self.wtext(words[-1])
                if allow_name and not self.continues_org(after, last):
                    q = self.pick_name(words)
                    if q is not None:
                        name_start = words[q][0]
                        if q > 0:
                            place_only = False
                        return name_start, [self.wtext(w_) for w_ in words[q:]], after, place_only
                    if len(words) == 1 and not self.continues_org(after, last):
                        if w.lower() not in roles.ORG_STARTERS:
                            return k, [w], after, place_only
                k, prev_word, place_only = words[0][1], self.wtext(words[0]), False
                continue
            if w.isalpha() and w.islower():
                if w in roles.ORG_LOWER or (prev_word and self.continues_org(k, prev_word)):
                    k, prev_word, place_only = k + 1, w, False
                    continue
                nxt = self.tok(k + 1)
                if (
                    w == "và"
                    and prev_word
                    and nxt is not None
                    and self.continues_org(k + 1, "")
                ):
                    k += 1  # `văn hóa, thể thao và du lịch`
                    continue
                if (
                    w in {"và", "tại", "ở", "của"}
                    and (k > start or w != "và")
                    and nxt is not None
                    and self.same_line(k + 1)
                    and is_title(nxt.text)
                    and _heads().longest(self.toks, k + 1) is None
                ):
                    k += 1
                    if w != "và" and k not in self.places and self.word_at(k) is not None:
                        k = self.word_at(k)  # `Đại sứ Mỹ ở Jerusalem`: a place, not a name
                    continue
                break
            if w == "," and self.tok(k + 2) and self.toks[k + 1].text.lower() == "thể" \
                    and self.toks[k + 2].text == "thao":
                k += 1  # `Bộ Văn hóa, thể thao và du lịch`
                continue
            if w == "(" and k > start and self.same_line(k + 2):
                inner, close = self.tok(k + 1), self.tok(k + 2)
                if close is not None and close.text == ")" and inner.text[:1].isupper():
                    k += 3  # `Tập đoàn ... ( Viettel )`
                    continue
            if w == "-" and k > start and not prev_word == "":
                nxt = self.tok(k + 1)
                if (
                    nxt is not None
                    and self.same_line(k + 1)
                    and (is_title(nxt.text) or nxt.text in roles.ORG_VOCAB)
                    and _heads().longest(self.toks, k + 1) is None
                ):
                    k += 1
                    continue
            break
        return k, None, k, place_only

    def span_text(self, a: int, b: int) -> str:
        raw = self.text[self.toks[a].start : self.toks[b - 1].end]
        raw = _SPACE_AFTER_OPEN.sub(r"\1", _SPACE_BEFORE_PUNCT.sub(r"\1", raw))
        return raw[:1].upper() + raw[1:]

    def parse_chain(self, i: int, allow_name: bool):
        """Heads joined by commas from i: (chain_end, name_words, name_end, first_head, place_only)."""
        start, k = i, i
        first_head = None
        place_only = True
        while True:
            head = _heads().longest(self.toks, k)
            if head is None:
                return None
            first_head = first_head or head[1]
            org_end, name, name_end, p_only = self.parse_org(head[0], allow_name, head[1])
            place_only = place_only and p_only
            if name is not None:
                return org_end, name, name_end, first_head, place_only
            nxt = self.tok(org_end)
            if (
                nxt is not None
                and nxt.text == ","
                and self.same_line(org_end + 1)
                and _heads().longest(self.toks, org_end + 1) is not None
            ):
                k = org_end + 1
                continue
            return org_end, None, org_end, first_head, place_only

    # -- the two shapes --------------------------------------------------------------

    def role_first(self, i: int) -> int | None:
        """`Thứ trưởng Bộ Ngoại giao Lê Hoài Trung`: returns where to resume, or None."""
        chain = self.parse_chain(i, allow_name=True)
        if chain is None:
            return None
        chain_end, name, name_end, head, place_only = chain
        if name is not None:
            if chain_end <= i:
                return None
            role = self.span_text(i, chain_end)
            post, resume = self.appositive(name_end)
            if post:  # `đại tướng Ngô Xuân Lịch, bộ trưởng Bộ Quốc phòng`
                role = f"{role}, {post}"
            self.mentions.append(_Mention(name, role, head, place_only))
            return max(name_end, resume)
        nxt = self.tok(chain_end)
        if chain_end > i and nxt is not None and nxt.text == ":" and self.same_line(chain_end + 1):
            return self.name_list(i, chain_end, head)
        if chain_end > i and nxt is not None and nxt.text == ",":
            cue = _cues().longest(self.toks, chain_end + 1)
            if cue is not None:
                found = self.names_at(cue[0])
                if found is not None and len(found[0]) >= 2:
                    post, resume = self.appositive(found[1])
                    # `Tổng thống Guatemala, ông X – người phát ngôn ...`: X has his own role.
                    role = post or self.span_text(i, chain_end)
                    self.mentions.append(_Mention(found[0], role, head))
                    return max(found[1], resume)
        return chain_end if chain_end > i else None

    def name_list(self, i: int, colon: int, head: str) -> int:
        """`các Phó Chủ tịch UBND tỉnh: Đặng Quốc Vinh, Nguyễn Hồng Lĩnh`."""
        role = self.span_text(i, colon)
        k = colon + 1
        while k < self.n and self.same_line(k):
            found = self.names_at(k)
            if found is None or len(found[0]) < 2:
                break
            self.mentions.append(_Mention(found[0], role, head, True))
            k = found[1]
            if k < self.n and self.toks[k].text in _LIST_JOINERS and self.same_line(k):
                k += 1
            else:
                break
        return k

    def appositive(self, k: int) -> tuple[str | None, int]:
        """`, Phó Bí thư Tỉnh ủy, Chủ tịch UBND tỉnh` after a name: (role, resume)."""
        t = self.tok(k)
        if t is not None and t.text == "(" and self.same_line(k):
            close = next((m for m in range(k + 1, min(self.n, k + 8))
                          if self.toks[m].text == ")"), None)
            if close is not None and _heads().longest(self.toks, k + 1) is None:
                k = close + 1  # `(bên phải)`, `(thứ hai từ trái)`
                t = self.tok(k)
        if t is None or t.text not in _APPOSITIVE_MARKS or not self.same_line(k + 1):
            return None, k
        chain = self.parse_chain(k + 1, allow_name=True)
        if chain is None:
            return None, k
        chain_end, name, _, _, _ = chain
        if name is not None or chain_end <= k + 1:
            return None, k  # the next person's role, not this one's
        return self.span_text(k + 1, chain_end), chain_end

    def name_first(self, i: int) -> int | None:
        """`ông Võ Văn Minh, Phó Bí thư Tỉnh ủy`: cue (or surname) + name + role."""
        cue = _cues().longest(self.toks, i)
        if cue is not None and cue[1] in {"anh", "chị"} and self.toks[i].text != cue[1]:
            cue = None  # `Anh` capitalized is more often Britain than a title
        start = cue[0] if cue is not None else i
        if cue is None:
            t = self.toks[i]
            if t.text.lower() not in aliases.SURNAMES or not is_title(t.text) or i in self.places:
                return None  # (`Thái Lan, chủ tịch ASEAN` is a country)
        found = self.names_at(start)
        if found is None:
            return None
        words, end = found
        if cue is None and len(words) < 2:
            return None
        role, resume = self.appositive(end)
        if cue is None and role is None:
            return None
        self.mentions.append(_Mention(words, role))
        return max(resume, end)

    def run(self) -> list[_Mention]:
        i = 0
        while i < self.n:
            nxt = self.name_first(i)
            head = _heads().longest(self.toks, i) if nxt is None else None
            if head is not None and not (head[1] == "lãnh sự" and i and self.toks[i - 1].text == "thăm"):
                nxt = self.role_first(i)  # (`thăm lãnh sự`: a consular visit, not a consul)
            i = nxt if nxt is not None and nxt > i else i + 1
        return self.mentions


def _merge(mentions: list[_Mention]) -> list[dict]:
    """One tag per person: full names first; short mentions join the full name."""
    people: dict[str, dict] = {}
    for m in mentions:
        if len(m.words) >= 2:
            name = " ".join(m.words)
            person = people.setdefault(name, {"name": name, "role": None})
            if person["role"] is None and m.role:
                person["role"] = m.role
    for m in mentions:
        if len(m.words) != 1:
            continue
        word = m.words[0]
        full = next((p for n, p in people.items() if n.split()[-1] == word), None)
        if full is not None:
            if full["role"] is None and m.role:
                full["role"] = m.role
        elif (
            m.role
            and m.head in _POLITICAL
            and m.org_is_place
            and not looks_vietnamese(word)
        ):
            people.setdefault(word, {"name": word, "role": m.role})
    return [p for p in people.values() if p["role"]]


def people_from_scan(result: Scan) -> list[dict]:
    """People with roles from a scanned text (see `tagger.gazetteer.scan`)."""
    return _merge(_Parser(result).run())


def find_people(text: str) -> list[dict]:
    """People with roles in `text`, one per person, in order of first mention."""
    from tagger.gazetteer import scan

    return people_from_scan(scan(text))

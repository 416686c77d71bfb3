"""People named in an article, each with the role the article gives them.

Rules, not a statistical tagger: underthesea's CRF `ner` costs ≈ 50 ms an article and
still needs the role attached, while news writes people in two fixed shapes:

* role first: `Thứ trưởng Bộ Ngoại giao Lê Hoài Trung`, `Ngoại trưởng Mỹ Mike Pompeo`,
  `Phó Thủ tướng, Bộ trưởng Bộ Ngoại giao Phạm Bình Minh`, `các Phó Chủ tịch UBND tỉnh:
  Đặng Quốc Vinh, Nguyễn Hồng Lĩnh`;
* name first: `ông Võ Văn Minh, Phó Bí thư Tỉnh ủy, Chủ tịch UBND tỉnh`,
  `đồng chí Tô Anh Dũng - Thứ trưởng Bộ Ngoại giao`.

A role is a head from `tagger.roles.HEADS` plus the organisation after it. Every named
person is tagged, with role "" when the text gives none (issue 14): besides the two role
shapes, a name is a run led by a Vietnamese surname (`Nguyễn Huỳnh Tú Trinh`, redacted
`Nguyễn Văn H.`), a run after a person cue (`chị Nguyễn Thị Hiền`, `anh Tim Tugendhat`,
`bị cáo ...`, `tên là Hiếu`), or a run of two or more foreign words that is neither a
place nor an organisation (`Kevin Bruce Zeese , 64 tuổi`). One tag per person: later
short mentions (`ông Minh`, `Thứ trưởng Trung`, `ông Putin`, `bà Mạnh`) join the full
name, and the role is the one given at the first mention that has a role.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from diplobot.text import VIETNAMESE_MARKS, fold
from tagger import aliases, roles
from tagger._text import Token, is_acronym, is_sentence_start, is_title, looks_vietnamese
from tagger.gazetteer import Scan, default_gazetteer, scan

_APPOSITIVE_MARKS = {",", "-", "("}
_COPULAS = {"là", "làm"}
_ADMIN_UNITS = {"xã", "huyện", "quận", "phường", "trấn", "thị"}
_PARTICLES = {"bin", "al", "de", "van", "von", "der", "da", "di", "del", "la", "le", "dos"}
_NUMERALS = {"II", "III", "IV", "Jr"}
_LIST_JOINERS = {",", "và"}
_SPACE_BEFORE_PUNCT = re.compile(r"\s+([,.;:)])")
_SPACE_AFTER_OPEN = re.compile(r"([(])\s+")


# Words before a capitalized run that make it the name of a place, a street, a school or a
# shop rather than a person (`đường Lê Lợi`, `Trường THPT chuyên Phan Bội Châu`).
_NOT_PERSON_BEFORE = set("""
đường phố ngõ hẻm ngách đại lộ trường học viện quán hiệu hát lăng tượng đài cầu chợ
phường xã quận huyện tỉnh tp thị trấn tàu giải quỹ thcs thpt chuyên khu bến sân nhà tiệm
karaoke phim vở báo tạp chí chương trình hội thôn ấp xóm bản làng sạn tòa hàng thị công
trình án thưởng chương tuyến lễ đền chùa nhà thờ trường viện tư tưởng ty đoàn phòng
lộ số kiệt dốc đèo núi sông hồ bãi mũi cảng cửa khẩu tập đội ban sở cục hãng kênh hiệp
trang
""".split())
# Words after which a role's organisation goes on with a person's name that is its own
# (`Phó hiệu trưởng trường Tiểu học Võ Nguyên Giáp`).
_NAMED_AFTER = {"học", "thpt", "thcs", "chuyên", "đường", "phố", "trường", "lăng", "quỹ", "giải"}
# Vietnamese words that never end a hyphenated name (`Hoài Lâm - rao bán`).
_FUNCTION_WORDS = set("""
cho và rao của là thì mà với ở tại trong khi nhưng hay hoặc được bị đã sẽ đang có không
cũng vẫn còn rồi nên vì do từ đến theo về ra vào lên xuống qua sau trước nay nói
em anh chị ông bà
""".split())
# Words shortly before a name that make it a company's (`Công ty cổ phần dầu khí Bình Minh`).
_COMPANY_BEFORE = {"ty", "ctcp", "hãng", "hiệu", "doanh", "nghiệp", "nhãn", "tập", "quán", "tiệm"}
# Words inside a capitalized run that make it an organisation (`Đoàn Luật sư`).
_ORG_WORDS = {"luật", "dược", "ngân", "bộ", "sở", "ban", "cục", "viện", "hội", "trường", "tòa",
              "báo", "đài", "quỹ", "nhà"}
# Acronyms before a name that make it a company's or a school's (`Công ty Luật TNHH Hà Ninh`).
_ORG_ACRONYMS = {"tnhh", "ctcp", "cp", "mtv", "thpt", "thcs", "jsc", "tm", "dv", "xnk"}
# First words of capitalized foreign runs that name a paper, a company or a group.
_ORG_HEADS = set("""
Vietnam Viet American Chinese British Air Royal Channel South North New Code Embassy Popular
United National Global International Asia Asian World Washington Taiwan China Korea Japan
Nikkei Radio Voice Hong Sputnik Reuters Zing Fox Global Human Amnesty Abu Al Boeing Airbus
The Miss Mister Rainbow True Sea Ocean Star Super Grand Golden Silver Big Happy Top Best
Ea Krông Chư Ia Pen Naked
""".split())
# Title words of foreign honorifics that open a name without being part of it.
_FOREIGN_HONORIFICS = {"Dato", "Datuk", "Tan", "Sri", "Seri", "Tun", "Haji", "Sir", "Dame", "Samdech"}
# Last words of capitalized foreign runs that name an organisation, a paper or a title.
_ORG_TAILS = set("""
World Universe Co Construction Castle Ocean Bridge Artists Face Show Idol Talent Music
Entertainment Studios Records Festival Cup Games Open Awards Week Vietnam Asia Pacific
Act Code Model Level Law Bill Treaty Agreement Gnomes City Man Jungle
Post Times News NewsAsia Review Ilbo Journal Daily Herald Telegraph Tribune Gazette Mail
Agency Institute University College School Foundation Council Bank Fund Forum Corporation
Inc Ltd Company Airlines Airways Force Army Navy Party Front League Union Association
Center Centre Group Collective Resistance Pink One Network Channel Press Report Cat War
Faso Principe Tome Street Square Hotel Tower Club Team Prize Award Summit Online Today
Express Global International Monitor Watch Institution Initiative Program Programme
Project Service Services Company Holdings Motors Technologies Sayyaf Qaeda Ilbo Shimbun
Republica Guardian Observer Economist Magazine Broadcasting Television Radio Studio
""".split())


@dataclass
class _Mention:
    words: list[str]  # name syllables (hyphenated foreign parts joined)
    role: str | None
    head: str | None = None
    no_company: bool = True
    cue: str | None = None  # the person cue before the name (`ông`, `chị`, `tên là`)


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
def _start_words() -> frozenset[str]:
    """First words of heads, modifiers and cues (lowercase)."""
    phrases = list(roles.HEADS) + sorted(roles.CUES) + sorted(roles.MODIFIERS)
    return frozenset(p.split()[0] for p in phrases)


@lru_cache(maxsize=1)
def _speech() -> _Trie:
    return _Trie(sorted(roles.SPEECH_VERBS))


@lru_cache(maxsize=1)
def _descriptions() -> _Trie:
    return _Trie(sorted(roles.DESCRIPTIONS))


@lru_cache(maxsize=1)
def _known_orgs() -> _Trie:
    return _Trie([o.lower() for o in roles.KNOWN_ORGS])


class _Parser:
    """One pass over a scanned article; collects name mentions with their roles."""

    def __init__(self, result: Scan) -> None:
        self.text = result.text
        self.toks = result.tokens
        self.places = result.places
        self.place_ends = set(result.places.values())
        self.runs: dict[int, list[tuple[int, int]]] = {}
        self.accepted = {m.i for m in result.matches}  # provinces and countries, not blockers
        self.n = len(self.toks)
        self.mentions: list[_Mention] = []
        self.nested: list[int] = []  # heads inside another role (`của Tổng thư ký`)

    # -- token tests ---------------------------------------------------------------

    def tok(self, k: int) -> Token | None:
        return self.toks[k] if 0 <= k < self.n else None

    def same_line(self, k: int) -> bool:
        return k < self.n and not self.toks[k].line_start

    def head_at(self, k: int) -> tuple[int, str] | None:
        """A role head at k, with an optional modifier before it (`cựu Tổng thống`)."""
        t = self.tok(k)
        chinh = k > 0 and self.toks[k - 1].text.lower() == "chính"  # `chính quyền`
        direct = _heads().longest(self.toks, k)
        if t is not None and t.text.lower() in roles.MODIFIERS and self.same_line(k + 1) and not chinh:
            head = _heads().longest(self.toks, k + 1)
            if head is not None and (direct is None or head[0] > direct[0]):
                return head  # (`Phó Thủ tướng` is a head of its own; `phó đại sứ` is phó + đại sứ)
        return direct

    def word_at(self, k: int) -> int | None:
        """End of a capitalized name word at k (`Minh`, `D`, `Jong-un`, `Jae - in`)."""
        t = self.tok(k)
        if t is None or not t.text.isalpha() or not _name_cased(t.text):
            return None
        end = k + 1
        # Hyphenated parts: `Jong-un`; vietnews spaces them: `Moon Jae - in`.
        while (
            end + 1 < self.n
            and self.toks[end].text == "-"
            and not self.toks[end].line_start
            and self.toks[end + 1].text.isalpha()
            and (
                (self.toks[end + 1].text.islower() and fold(self.toks[end + 1].text) == self.toks[end + 1].text
                 and fold(self.toks[end - 1].text) == self.toks[end - 1].text.lower()
                 and self.toks[end + 1].text not in _FUNCTION_WORDS)
                or (not _viet_word(self.toks[end - 1].text)  # `Jean - Claude`
                    and is_title(self.toks[end + 1].text)
                    and not _viet_word(self.toks[end + 1].text))
                or (self.toks[end].start == self.toks[end - 1].end
                    and self.toks[end + 1].start == self.toks[end].end)
            )
        ):
            end += 2
        return end

    def run_at(self, k: int) -> list[tuple[int, int]]:
        """Consecutive capitalized words from k on the same line, as token ranges."""
        if k not in self.runs:
            self.runs[k] = self._run_at(k)
        return list(self.runs[k])

    def _run_at(self, k: int) -> list[tuple[int, int]]:
        words: list[tuple[int, int]] = []
        while self.tok(k) is not None and self.toks[k].text in _FOREIGN_HONORIFICS and self.same_line(k + 1):
            k += 2 if self.tok(k + 1) is not None and self.toks[k + 1].text == "'" else 1  # `Dato ' Sri`
        if self.tok(k) is not None and self.initials(k) and not self.toks[k].line_start:
            words.append((k, k + 1))  # `VK Singh`
            k += 1
        while k < self.n and (not words or self.same_line(k)):
            if words and self.toks[k].text in {'"', "“"} and self.is_foreign(words[-1]):
                close = next((m for m in range(k + 2, min(self.n, k + 5))
                              if self.toks[m].text in {'"', "”"}), None)
                if close is not None and self.same_line(close) and self.word_at(close + 1) is not None:
                    k = close + 1  # `Joko " Jokowi " Widodo`: the nickname is no part of the name
                    continue
            end = self.word_at(k)
            if end is None and words and self.toks[k].text in _PARTICLES and self.is_foreign(words[-1]):
                nxt = k + 2 if self.tok(k + 1) and self.toks[k + 1].text == "-" else k + 1
                if nxt == k + 2 and self.word_at(nxt) is not None:
                    end = self.word_at(nxt)  # `Bashar al - Assad`: one word `al-Assad`
                elif self.word_at(nxt) is not None:
                    end = nxt  # `Mohammed bin Salman`
            if end is None and words and self.toks[k].text in _NUMERALS and self.is_foreign(words[-1]):
                end = k + 1  # `Murray Joe Tynch III`
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
            elif self.redacted(words, k, end):
                end += 1  # `Nguyễn Văn H.`: the dot belongs to the name
                while self.tok(end + 1) is not None and self.toks[end + 1].text == "." \
                        and len(self.toks[end].text) == 1 and self.toks[end].text.isupper() \
                        and self.toks[end].start == self.toks[end - 1].end:
                    end += 2  # `V.A.`
                words.append((k, end))
                break
            if words and self.wtext((k, end)) == self.wtext(words[-1]) and self.is_foreign(words[-1]):
                k = end  # `Gennady Gatilov Gatilov`: a doubled word is written once
                continue
            words.append((k, end))
            k = end
        return words

    def initials(self, k: int) -> bool:
        """`VK` in `VK Singh`: two capitals before a foreign name word."""
        w = self.toks[k].text
        nxt = self.tok(k + 1)
        return (len(w) == 2 and w.isalpha() and w.isupper() and nxt is not None
                and self.same_line(k + 1) and _name_cased(nxt.text) and nxt.text.isalpha()
                and not _viet_word(nxt.text) and len(nxt.text) > 2)

    def redacted(self, words: list[tuple[int, int]], k: int, end: int) -> bool:
        """`H` of `Nguyễn Văn H.`, `Kh` of `anh Nguyễn Đăng Kh.`: a cut given name."""
        w = self.toks[k].text
        dot = self.tok(end)
        return (
            bool(words)
            and end == k + 1
            and (len(w) == 1 or len(w) == 2 and w[1] in "hgr")  # `H`, `Kh`, `Th`, `Ng`, `Tr`
            and w[0].isupper()
            and dot is not None
            and dot.text == "."
            and not any(self.is_foreign(x) for x in words)
        )

    def wtext(self, w: tuple[int, int]) -> str:
        if w[1] - w[0] == 1:
            return self.toks[w[0]].text
        raw = self.text[self.toks[w[0]].start : self.toks[w[1] - 1].end]
        raw = re.sub(r"\s+\.", ".", raw)  # `Kh .` -> `Kh.`
        return re.sub(r"\s*-\s*", "-", raw)  # `Jae - in` -> `Jae-in`

    def is_foreign(self, w: tuple[int, int]) -> bool:
        text = self.wtext(w)
        if text.endswith(".") and len(text.replace(".", "")) <= 3:
            return False  # a redacted given name: `H.`, `Kh.`, `V.A.`
        return w[1] - w[0] > 1 or not _viet_word(text)

    def continues_org(self, k: int, prev_word: str) -> bool:
        """Lowercase token k continues an organisation name after `prev_word`."""
        t = self.tok(k)
        if t is None or not self.same_line(k) or not t.text.isalpha() or not t.text.islower():
            return False
        return t.text in roles.ORG_VOCAB or (prev_word.lower(), t.text) in roles.ORG_PAIRS

    # -- names ---------------------------------------------------------------------

    def is_weak_name(self, words: list[tuple[int, int]], q: int) -> bool:
        """A name picked only because it is 2-4 Vietnamese syllables with no surname
        (`Tập Cận Bình`): an organisation word after it (`Bộ Công an`) wins."""
        first = self.wtext(words[q]).lower()
        return first not in aliases.SURNAMES and not any(self.is_foreign(w) for w in words[q:])

    def pick_name(self, words: list[tuple[int, int]]) -> int | None:
        """Index in `words` where a person's name starts, or None.

        A surname-led run of 2-4 Vietnamese syllables wins (`Phạm Nhật Vượng` in
        `Vingroup Phạm Nhật Vượng`); else 2-4 Vietnamese syllables not opening an
        organisation (`Tập Cận Bình`); else up to 5 foreign words (`Mike Pompeo`).
        """
        texts = [self.wtext(w) for w in words]
        viet = [not self.is_foreign(w) for w in words]
        if len(texts) >= 2 and texts[0] in aliases.AMBIGUOUS and not any(viet[1:]):
            return 1  # `Hạ viện Anh Tim Tugendhat`, `Thủ tướng Nga Medvedev`: the country, then the name
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

    def parse_org(self, k: int, allow_name: bool, head: str = "", min_name: int = 1):
        """Organisation after a head, from token k.

        Returns (org_end, name_words, name_end, no_company): name_words is None when no
        name follows (a lone word counts only if min_name is 1); no_company is False
        once a company word was read (`Giám đốc Công ty Samsung` names no person).
        """
        start, no_company = k, True
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
                k, prev_word = known[0], self.toks[known[0] - 1].text
                continue
            if allow_name and self.initials(k):
                words = self.run_at(k)
                return k, [self.wtext(w_) for w_ in words], words[-1][1], no_company  # `Ấn Độ VK Singh`
            if is_acronym(w) and not w.startswith("ĐẠI"):
                k, prev_word = k + 1, w
                continue
            if w == "." and self.tok(k - 1) and self.toks[k - 1].text in {"TP", "Tp"}:
                k += 1
                continue
            if self.word_at(k) is not None:
                words = self.run_at(k)
                after = words[-1][1]
                last = self.wtext(words[-1])
                q = self.pick_name(words) if allow_name else None
                if q is not None and self.is_weak_name(words, q) and self.continues_org(after, last):
                    q = None  # `Bộ Ngoại giao`: an organisation, not `Bộ Ngoại`
                if q is not None and self.toks[words[q][0] - 1].text.lower() in _NAMED_AFTER:
                    k, prev_word = after, last  # `trường Tiểu học Võ Nguyên Giáp`: the school's name
                    continue
                if allow_name:
                    if q is not None and len(words) - q >= min_name:
                        name_start = words[q][0]
                        if q > 0 and self.wtext(words[0]).lower() in roles.COMPANY_WORDS:
                            no_company = False
                        return name_start, [self.wtext(w_) for w_ in words[q:]], after, no_company
                    if len(words) == 1 and min_name == 1 and not self.continues_org(after, last):
                        if w.lower() not in roles.ORG_STARTERS:
                            return k, [w], after, no_company
                if w.lower() in roles.COMPANY_WORDS:
                    no_company = False
                k, prev_word = words[0][1], self.wtext(words[0])
                continue
            if w.isdigit() and k > start and prev_word.lower() in roles.ORG_LOWER | roles.ORG_VOCAB:
                k += 1  # `đội 9`, `phòng 3`
                continue
            if w.isalpha() and w.islower():
                nxt = self.tok(k + 1)
                if w == "năm" and k > start and nxt is not None and re.fullmatch(r"(19|20)\d\d", nxt.text):
                    k += 2  # `chủ tịch ASEAN năm 2018`
                    continue
                if w in roles.ORG_LOWER or (prev_word and self.continues_org(k, prev_word)):
                    if w in roles.COMPANY_WORDS:
                        no_company = False
                    k, prev_word = k + 1, w
                    if w in _ADMIN_UNITS:
                        k = self.skip_place(k)  # `UBND xã Ea Kly`: the commune, not a person
                    continue
                if (
                    w == "và"
                    and prev_word
                    and nxt is not None
                    and self.continues_org(k + 1, "")
                ):
                    k += 1  # `văn hóa, thể thao và du lịch`
                    continue
                if w == "của" and nxt is not None and self.same_line(k + 1):
                    nested = self.head_at(k + 1)
                    if nested is not None:  # `phó phát ngôn của Tổng thư ký LHQ`
                        self.nested.append(k + 1)  # parsed again for its own person
                        k = self.parse_org(nested[0], False, nested[1])[0]
                        prev_word = self.toks[k - 1].text
                        continue
                if (
                    w in {"và", "tại", "ở", "của"}
                    and (k > start or w != "và")
                    and nxt is not None
                    and self.same_line(k + 1)
                    and is_title(nxt.text)
                    and self.head_at(k + 1) is None
                ):
                    k += 1
                    if w != "và":
                        # `Đại sứ Mỹ ở Jerusalem`, `cố vấn của International Crisis Group`.
                        k = self.skip_place(k)
                        prev_word = self.toks[k - 1].text
                    continue
                break
            if w == "," and self.tok(k + 2) and self.toks[k + 1].text.lower() == "thể" \
                    and self.toks[k + 2].text == "thao":
                k, prev_word = k + 3, "thao"  # `Bộ Văn hóa, thể thao và du lịch`
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
                    and self.head_at(k + 1) is None
                ):
                    k += 1
                    continue
            break
        return k, None, k, no_company

    def skip_place(self, k: int) -> int:
        """Past a place or body named at k, up to a surname-led name that may follow it."""
        if k in self.places or self.word_at(k) is None:
            return k
        words = self.run_at(k)
        if len(words) >= 3 and self.wtext(words[1]) in {"Văn", "Thị"}:
            return k  # `UBND huyện Trần Văn Bình`: the unit is unnamed, this is a person
        cut = next((q for q, w_ in enumerate(words)
                    if q and self.wtext(w_).lower() in aliases.SURNAMES
                    and 2 <= len(words) - q <= 4), len(words))
        return words[cut - 1][1]

    def span_text(self, a: int, b: int, capitalize: bool = True) -> str:
        """Tokens a..b as written, tidy spacing (`thủ tướng , Bộ` -> `thủ tướng, Bộ`)."""
        raw = self.text[self.toks[a].start : self.toks[b - 1].end]
        raw = _SPACE_AFTER_OPEN.sub(r"\1", _SPACE_BEFORE_PUNCT.sub(r"\1", raw))
        return raw[:1].upper() + raw[1:] if capitalize else raw

    def parse_chain(self, i: int, allow_name: bool, min_name: int = 1):
        """Heads joined by commas from i: (chain_end, name_words, name_end, first_head, no_company)."""
        start, k = i, i
        first_head = None
        no_company = True
        while True:
            head = self.head_at(k)
            if head is None:
                return None
            first_head = first_head or head[1]
            org_end, name, name_end, chunk_ok = self.parse_org(head[0], allow_name, head[1], min_name)
            no_company = no_company and chunk_ok
            if name is not None:
                return org_end, name, name_end, first_head, no_company
            nxt = self.tok(org_end)
            if (
                nxt is not None
                and nxt.text in {",", "kiêm"}
                and self.same_line(org_end + 1)
                and self.head_at(org_end + 1) is not None
            ):
                k = org_end + 1
                continue
            return org_end, None, org_end, first_head, no_company

    # -- the two shapes --------------------------------------------------------------

    def role_first(self, i: int) -> int | None:
        """`Thứ trưởng Bộ Ngoại giao Lê Hoài Trung`: returns where to resume, or None."""
        chain = self.parse_chain(i, allow_name=True)
        if chain is None:
            return None
        chain_end, name, name_end, head, no_company = chain
        if name is not None:
            if chain_end <= i:
                return None
            while chain_end - 1 > i and (self.toks[chain_end - 1].text in _FOREIGN_HONORIFICS
                                         or self.toks[chain_end - 1].text == "'"):
                chain_end -= 1  # `Malaysia Dato ' Sri Anifah Aman`: the honorific is no role
            role = self.span_text(i, chain_end)
            post, resume = self.appositive(name_end)
            if post:  # `đại tướng Ngô Xuân Lịch, bộ trưởng Bộ Quốc phòng`
                role = f"{role}, {post}"
            self.mentions.append(_Mention(name, role, head, no_company))
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
                    role = _capital(post) if post else self.span_text(i, chain_end)
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

    def appositive(self, k: int, copula: bool = False) -> tuple[str | None, int]:
        """`, Phó Bí thư Tỉnh ủy, Chủ tịch UBND tỉnh` after a name: (role, resume).

        With `copula`, `là`/`làm` also introduce it (`ông Sung Kim là đại sứ Mỹ`).
        """
        t = self.tok(k)
        if t is not None and t.text == "(" and self.same_line(k):
            close = next((m for m in range(k + 1, min(self.n, k + 8))
                          if self.toks[m].text == ")"), None)
            if close is not None and self.head_at(k + 1) is None:
                k = close + 1  # `(bên phải)`, `(thứ hai từ trái)`
                t = self.tok(k)
        marks = _APPOSITIVE_MARKS | (_COPULAS if copula else set())
        if t is None or t.text not in marks or not self.same_line(k + 1):
            return None, k
        chain = self.parse_chain(k + 1, allow_name=True, min_name=2)
        if chain is None:
            return None, k
        chain_end, name, _, _, _ = chain
        if name is not None or chain_end <= k + 1:
            return None, k  # the next person's role, not this one's
        return self.span_text(k + 1, chain_end, capitalize=False), chain_end

    def name_first(self, i: int) -> int | None:
        """`ông Võ Văn Minh, Phó Bí thư Tỉnh ủy`: cue (or surname) + name (+ role)."""
        cue = _cues().longest(self.toks, i)
        if cue is not None and cue[1] in {"anh", "chị", "em", "cô", "chú", "bác"} \
                and self.toks[i].text != cue[1] and len(self.run_at(cue[0])) < 2:
            cue = None  # `Anh` capitalized is more often Britain than a title
        if cue is not None and cue[1] in {"ông", "bà"} and self.toks[i].text[0].isupper() \
                and not is_sentence_start(self.toks, i):
            return None  # `xã Bà Điểm`, `84 Bà Triệu`: a place named after someone
        start = cue[0] if cue is not None else i
        if cue is not None and (start in self.places or not self.same_line(start)):
            return None
        if cue is None:
            t = self.toks[i]
            if not _name_cased(t.text) or i in self.places or self.word_at(i) is None:
                return None  # (`Thái Lan, chủ tịch ASEAN` is a country)
            if self.not_person_here(i) or not self.strong_run(i):
                return None
        found = self.names_at(start)
        if found is None and cue is not None and not self.not_person_here(i):
            found = self.cued_run(start)  # `NSƯT Thành Lộc` (not `Văn phòng luật sư Chính Pháp`)
        if found is None:
            return None
        words, end = found
        if cue is None and len(words) < 2:
            return None
        inside = self.accepted if words[0].lower() in aliases.SURNAMES else self.places
        if any(w[0] in inside for w in self.run_at(start)[1:]):
            return None  # `Hoa hậu Biển Việt Nam`: a title with a place in it (`Nguyễn Đức Thọ` is a name)
        if words[-1] in _ORG_TAILS or words[0] in _ORG_HEADS:
            return None  # `nhóm Abu Sayyaf`, `báo Washington Post`
        if self.byline(start, end):
            return None
        if cue is not None and len(words) == 1 and self.word_at(start) is None:
            return None
        role, resume = self.appositive(end, copula=cue is not None)
        if role is None:
            role, resume = self.description(end)
        if role is None and cue is not None and cue[1] in roles.PROFESSION_CUES:
            role = self.span_text(i, cue[0], capitalize=False)  # `giáo sư Fredrik Lovegall`
        cue_text = cue[1] if cue is not None else None
        self.mentions.append(_Mention(words, _capital(role) if role else None, cue=cue_text))
        return max(resume, end)

    def cued_run(self, k: int) -> tuple[list[str], int] | None:
        """Two to four Vietnamese syllables after a person cue, whatever their first word."""
        words = self.run_at(k)
        if not 2 <= len(words) <= 4 or any(w[0] in self.places for w in words):
            return None  # (`NSƯT Thành Lộc`, not `Hoa hậu Biển Việt Nam`)
        if any(self.is_foreign(w) for w in words) or self.address(words[-1][1]):
            return None
        return [self.wtext(w) for w in words], words[-1][1]

    def description(self, k: int) -> tuple[str | None, int]:
        """`Ông Yugi Prayanto - thành viên cao cấp của Phòng Thương mại Indonesia`: a role
        told in words after the name, up to the next comma, dash or sentence end."""
        t = self.tok(k)
        if t is None or t.text not in {",", "-"} or not self.same_line(k + 1):
            return None, k
        start = _descriptions().longest(self.toks, k + 1)
        if start is None:
            return None, k
        end = start[0]
        while end < self.n and self.same_line(end) and end - k < 20 \
                and self.toks[end].text not in {",", "-", ".", ";", ":", "(", '"', "“", "”"} \
                and _speech().longest(self.toks, end) is None:
            end += 1
        return self.span_text(k + 1, end, capitalize=False), end

    def strong_run(self, i: int) -> bool:
        """A run at i that is a person's name without any cue: led by a Vietnamese surname
        (2-4 syllables, `Nguyễn Văn H.`), a `Văn`/`Thị` middle name (`Vì Văn Sơn`), or two
        to five foreign words that do not end like an organisation (`Kevin Bruce Zeese`)."""
        words = self.run_at(i)
        if len(words) < 2 or len(words) > 5:
            return False
        texts = [self.wtext(w) for w in words]
        if words[0][0] in self.places or any(w[0] in self.accepted for w in words):
            return False  # (a blocker inside is a place only by its name: `Trang Chí Linh`)
        place = default_gazetteer().longest(self.toks, i)
        if place is not None and place.entry.kind != "block" and place.j >= words[-1][1]:
            return False  # `tiếng Anh và Hà Lan`: a place the context rules let go
        viet = [not self.is_foreign(w) for w in words]
        first = texts[0].lower()
        if first in roles.CUES or first in aliases.PLACE_LEADERS:
            return False  # `Ông Kung`, `Theo Reuters`: a cue or a sentence opener, then a word
        if any(t.lower() in _ORG_WORDS for t in texts[1:]):
            return False  # `Đoàn Luật sư`
        if all(viet):
            if len(words) > 4 or self.address(words[-1][1]):
                return False
            if first in aliases.SURNAMES:
                return first != "văn" or len(words) >= 3  # (`huyện Yên Bình , Văn Chấn`)
            return len(words) >= 3 and texts[1] in {"Văn", "Thị"}
        if texts[-1] in _ORG_TAILS or texts[0] in _ORG_HEADS or any(t.isupper() and len(t) > 2 for t in texts):
            return False
        if any(t in {"Of", "The", "And", "For", "In", "On", "At", "To", "With"} for t in texts[1:]):
            return False  # `Law Of The Jungle`: a title
        if any(len(t) == 1 for t in texts):
            return False  # `P-8 A Poseidon`: a letter without its dot is no initial
        nxt, after = self.tok(words[-1][1]), self.tok(words[-1][1] + 1)
        if nxt is not None and nxt.text in {"-", "/"} and after is not None and after.text[:1].isdigit():
            return False  # `Ilyushin Il -96`: a model, not a person
        if len(words) == 2:  # (`Emagazine Truyền` is a menu; `Lucio Guo` a name)
            return not viet[-1] or not viet[0] and fold(texts[-1]) == texts[-1].lower()
        return sum(viet) <= 1

    def address(self, k: int) -> bool:
        """`Hoàng Liệt , Hoàng Mai , Hà Nội`: capitalized runs and commas up to a place."""
        for _ in range(4):
            if self.tok(k) is None or self.toks[k].text != "," or not self.same_line(k + 1):
                return False
            if k + 1 in self.places:
                return self.toks[k + 1].text not in aliases.AMBIGUOUS
            words = self.run_at(k + 1)
            if not words or len(words) > 3:
                return False
            k = words[-1][1]
        return False

    def byline(self, start: int, end: int) -> bool:
        """`Đào Vũ` alone on the last line (or `Mai Lâm ( Theo Hill )`): the writer."""
        if not self.toks[start].line_start:
            return False
        k = end
        if self.tok(k) is not None and self.toks[k].text == "(" and self.same_line(k):
            while k < self.n and self.same_line(k) and self.toks[k].text != ")":
                k += 1
            k += 1
        return k >= self.n

    def not_person_here(self, i: int) -> bool:
        """The run at i names a street, a school, a shop or a place (`đường Lê Lợi`)."""
        prev = self.tok(i - 1)
        if prev is None or self.toks[i].line_start:
            return False
        word = prev.text.lower()
        if word in _NOT_PERSON_BEFORE or word in _ORG_ACRONYMS:
            return True
        if _name_cased(prev.text) and prev.text.isalpha() and not is_sentence_start(self.toks, i - 1) \
                and word not in roles.CUES and i not in self.place_ends:
            return True  # inside a longer capitalized run (`Nam Từ Liêm`)
        back = [t.text.lower() for t in self.toks[max(0, i - 5) : i]]
        if prev.text.isdigit() and {"số", "tàu", "chỉ", "nhà"} & set(back):
            return True  # `số 2/152 Lương Khánh Thiện`, `Tàu 012 Lý Thái Tổ`
        return False

    def foreign_run(self, i: int) -> bool:
        """`Andrey Kolesnikov`, `Kim Yong - chol`: two or more words, one of them foreign."""
        words = self.run_at(i)
        return len(words) >= 2 and any(self.is_foreign(w) for w in words)

    def run(self) -> list[_Mention]:
        starts = _start_words()
        i = 0
        while i < self.n:
            if i in self.places:
                i = self.places[i]  # inside a place name no person starts (`Hoa Kỳ`)
                continue
            word = self.toks[i].text
            if word.lower() not in starts and not word[:1].isupper():
                i += 1  # fast path: most tokens open neither a name nor a role
                continue
            nxt = self.name_first(i)
            head = self.head_at(i) if nxt is None else None
            if head is not None and not (head[1] == "lãnh sự" and i and self.toks[i - 1].text == "thăm"):
                nxt = self.role_first(i)  # (`thăm lãnh sự`: a consular visit, not a consul)
            if nxt is not None:
                inside = [k for k in self.nested if i < k < nxt]
                nxt = min(inside) if inside else nxt  # `…của Tổng thư ký LHQ, ông Guterres`
            i = nxt if nxt is not None and nxt > i else i + 1
        self.stage_names()
        return self.mentions

    def stage_names(self) -> None:
        """Two given-name syllables with no surname, three times or more and never as a
        place, a street or a company (`Hoài Lâm`, `Bảo Ngọc`): a stage or pen name."""
        seen: dict[str, list[str]] = {}
        counts: dict[str, int] = {}
        bad: set[str] = set()
        given = aliases.GIVEN_NAMES
        for i in range(1, self.n):
            t = self.toks[i]
            if not t.text[:1].isupper() or t.text.lower() not in given or i in self.places:
                continue
            if self.toks[i + 1].text.lower() not in given if i + 1 < self.n else True:
                continue
            prev = self.toks[i - 1]
            if _name_cased(prev.text) and prev.text.isalpha() and not t.line_start:
                continue  # inside a longer run
            words = self.run_at(i)
            texts = [self.wtext(w) for w in words]
            if len(words) != 2 or not all(_viet_word(w) and w.lower() in aliases.GIVEN_NAMES for w in texts):
                continue
            if texts[0].lower() in aliases.SURNAMES or texts[0].lower() in roles.ORG_STARTERS \
                    or texts[0].lower() in roles.CUES:
                continue  # (`Anh Thắng`: the cue, then a given name)
            key = " ".join(texts)
            place = default_gazetteer().longest(self.toks, i)
            if place is not None and place.j >= words[-1][1]:
                bad.add(key)
            nxt = self.tok(words[-1][1])
            back = {tk.text.lower() for tk in self.toks[max(0, i - 5) : i]}
            if self.not_person_here(i) or self.address(words[-1][1]) or back & _COMPANY_BEFORE or (
                    nxt is not None and self.continues_org(words[-1][1], texts[-1])):
                bad.add(key)
            seen[key] = texts
            counts[key] = counts.get(key, 0) + 1
        for key, n in counts.items():
            if n >= 3 and key not in bad:
                self.mentions.append(_Mention(seen[key], None, cue="stage"))


_VI_LETTERS = set("abcdefghijklmnopqrstuvwxyz") | VIETNAMESE_MARKS


def _viet_word(word: str) -> bool:
    """A Vietnamese syllable in Vietnamese letters (`Ömer`, `Yıldız` are not, marks or no)."""
    return all(ch in _VI_LETTERS for ch in word.lower()) and looks_vietnamese(word)


def _name_cased(word: str) -> bool:
    """`Minh`, `McCain`, `DiCaprio`; not `UBND` nor `minh`."""
    return is_title(word) or (len(word) > 2 and word[0].isupper() and word[1].islower()
                              and word.isalpha() and not word.isupper())


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def _joins(short: list[str], full: list[str]) -> bool:
    """`Putin` joins `Vladimir Putin`, `Minh Bắc` joins `Nguyễn Trần Minh Bắc`, `Mạnh`
    joins `Mạnh Vãn Chu` (Chinese and Korean names put the surname first)."""
    full = [w for w in full if w not in _NUMERALS]  # `Murray Joe Tynch III`
    n = len(short)
    return n < len(full) and (full[-n:] == short or full[:n] == short)


def _merge(mentions: list[_Mention]) -> list[dict]:
    """One tag per person: full names first; short mentions join the full name."""
    people: dict[str, dict] = {}
    for m in mentions:
        if len(m.words) >= 2:
            name = " ".join(m.words)
            person = people.setdefault(name, {"name": name, "role": None, "words": m.words})
            if person["role"] is None and m.role:
                person["role"] = m.role
    # A two-word mention inside a longer name is that person (`Minh Bắc`, `Thái Anh Văn`).
    for name in [n for n, p in people.items() if len(p["words"]) == 2]:
        full = next((p for n, p in people.items() if n != name and _joins(people[name]["words"], p["words"])), None)
        if full is not None:
            short = people.pop(name)
            if full["role"] is None and short["role"]:
                full["role"] = short["role"]
    for m in mentions:
        if len(m.words) != 1:
            continue
        word = m.words[0]
        full = next((p for p in people.values() if _joins([word], p["words"])), None)
        if full is not None:
            if full["role"] is None and m.role:
                full["role"] = m.role
        elif word in people:
            if people[word]["role"] is None and m.role:
                people[word]["role"] = m.role
        elif (
            m.role
            and m.head in roles.SINGLE_NAME_HEADS
            and m.no_company
            and not _viet_word(word)
        ) or _lone_name(m, word):
            people[word] = {"name": word, "role": m.role, "words": [word]}
    return [{"name": p["name"], "role": p["role"] or ""} for p in people.values()
            if not _initials_only(p["name"])]


def _initials_only(name: str) -> bool:
    """`T. P. S.`, `N.H. B.`, `H.R`: nothing left to look a person up by."""
    return all(len(part) == 1 or len(part) == 2 and (part[1] in "hgr" or part.isupper())
               for part in re.split(r"[\s.]+", name) if part)


def _lone_name(m: _Mention, word: str) -> bool:
    """A single word that is a person by its cue: `ông Putin`, `chị Nhiêu`, `tên là Hiếu`."""
    if m.cue not in roles.KIN_CUES or word.endswith(".") or len(word) < 3:
        return False
    if word.lower() in _start_words() or word.lower() in roles.ORG_STARTERS:
        return False  # `các ông Phó cục trưởng`
    return m.cue in {"ông", "bà", "ngài"} or _viet_word(word)


def people_from_scan(result: Scan) -> list[dict]:
    """People from a scanned text (see `tagger.gazetteer.scan`): name and role ("" if none)."""
    return _merge(_Parser(result).run())


def name_matches(query: str, name: str) -> bool:
    """Does a reader's query name this tagged person? `putin`, `Putin` and `Vladimir Putin`
    all name `Vladimir Putin`; `Vladimir Putin` also names a tag `Putin` (an article that
    gave only the foreign surname). Case and diacritics do not count. A lone Vietnamese
    word (`Minh`) is no one's surname, so `Phạm Bình Minh` does not name a tag `Minh`."""
    wanted, have = fold(query).split(), fold(name).split()
    if not wanted or not have:
        return False
    if have[-len(wanted):] == wanted:
        return True
    return len(have) == 1 and wanted[-1] == have[0] and not _viet_word(name.split()[0])


def find_people(text: str) -> list[dict]:
    """People named in `text`, one per person, in order of first mention."""
    return people_from_scan(scan(text))


def full_name_of(word: str, people: list[dict], with_role: bool = True) -> str | None:
    """The one full name among `people` (`find_people`) that a one-word mention is short for
    (`Hằng` → `Lê Thị Thu Hằng`, `Tập` → `Tập Cận Bình`, as `_joins` reads names); None when
    no one or several people fit, or, with `with_role`, when the article gives them no role."""
    fits = {p["name"] for p in people
            if (p["role"] or not with_role) and _joins([word], p["name"].split())}
    return fits.pop() if len(fits) == 1 else None

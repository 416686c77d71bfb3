"""The shape of a sentence: how it ends, how it opens, whether it makes a clause.

Small predicates on one sentence, shared by the sentence filter of the extractive
summarizer (`summarizer.eligibility`) and by the counter of unreadable summaries
(`summarizer.readability`), so that both mean the same thing by "a question" or "an
opening that points back". Only `has_predicate` and `names_something` call underthesea
(`pos_tag`, cached); callers ask them about short sentences only.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

from diplobot.text import import_underthesea

# Closing quotes and brackets that may follow a sentence's real last mark.
_CLOSERS = " \"'”’»)"
_OPENERS = " \"'“‘«("
_ABBREVIATIONS = ("www", "TP", "Tp", "TX", "Tx", "TT", "TS", "ThS", "Ths", "PGS", "GS", "BS", "Bs", "Prof", "Dr", "Mr", "Mrs", "Ms")
_ABBREVIATION_END_RE = re.compile(r"(?<!\w)(?:" + "|".join(_ABBREVIATIONS) + r")\s?\.$")
# `Q.`, `P.`, `H.` are a district, a ward or a county after an office or a place word
# (`… Công an Q.` / `Long Biên gặp …`); after a name they are a person's initial (`chị Hồ Thị H.`).
_PLACE_ABBREVIATION_END_RE = re.compile(r"(?:\b(?:Công an|CA|UBND|tại|ở|ngụ|trú|thuộc)|,)\s+[QPH]\s?\.$")
# `A.Albaladejo , …` opening a line: an initial glued to a surname, the rest of a name the
# source broke at the initial before it (`Theo bà Maria Abegail .`).
_NAME_TAIL_START_RE = re.compile(r"^[A-ZĐ]\.[A-ZĐ][^\W\d_]+")
_MIDDLE_NAME_END_RE = re.compile(r"(?<!\w)(?:Thị|Văn|Hữu|Đức|Ngọc|Quốc|Xuân|Đình|Công|Quang|Thanh|Minh)\s?\.$")
_INITIAL_START_RE = re.compile(r"^[A-ZĐ]\s?\.(?=\s)")
_CAPITALIZED_END_RE = re.compile(r"(?<!\w)[A-ZĐ][^\W\d_]*\s?\.$")
_CONCESSION_RE = re.compile(r"^\s*(?:Mặc dù|Mặc dầu|Dù|Dẫu|Tuy)\b(?! nhiên| vậy| thế)[^,;:]*$", re.IGNORECASE)
_MAIN_CLAUSE_RE = re.compile(r"\b(?:nhưng|song|vẫn|mà|thì|lại|cũng)\b", re.IGNORECASE)
_CUT_ENDS = ("...", "…", ",", ";", "-", "–", "—")
# Words the tagger calls verbs that modify a noun in captions: `cố Thủ tướng` (the late),
# `Tổng thống đắc cử` (elect), `phe đối lập` (opposition); `thuộc` right after a common noun is
# "of" (`Nữ nghị sĩ thuộc đảng Dân chủ …`), not "belongs to" (`Đảo Thị Tứ thuộc Trường Sa`).
_NOUN_MODIFIERS = {"cố", "đắc cử", "đối lập"}
# Classifiers that turn the next verb into a noun (`vụ cháy`, `cuộc họp`): no predicate.
PREDICATE_WORDS = {
    "là", "rất", "chưa", "không", "chẳng", "đã", "đang", "sẽ", "vẫn", "cũng", "đều", "còn",
    "luôn", "từng", "khá", "quá", "lắm", "càng", "ngày càng", "hơi",
}
_NOMINALIZERS = {"vụ", "cuộc", "sự", "việc", "buổi", "lễ", "chuyến", "phiên", "nơi", "lúc", "lực lượng", "địa điểm", "phần", "màn"}
# A `khi` or `lúc` phrase after the noun says when (`… khi đi qua Biển Đông hôm 10/4 .`): its
# verbs are not the line's own, up to the next comma.
_WHEN_WORDS = {"khi", "lúc"}
_BEFORE_WHEN = {"sau", "trước", "đến", "từ", "mỗi", "ngay", "trong", "cho đến", "tới", "những", "các", "một"}

# An opening phrase that starts like an adverbial (a preposition, a time), so dropping it
# up to its comma leaves the clause: `Liên quan đến vụ việc trên , lãnh đạo … xác nhận …`.
ADVERBIAL_STARTS = (
    "liên quan", "tại", "trong", "theo", "với", "để", "sau", "trước", "khi", "nhân", "qua", "từ",
    "ở", "về", "đối với", "bên cạnh", "ngoài", "đặc biệt", "vào", "cùng", "thời điểm", "lúc", "hôm",
    "ngày", "đến", "tới", "trên", "dưới", "riêng", "bằng", "do", "vì", "nhờ", "như",
)
# Verbs a speaker is given with (`… cho biết`, `… nói như vậy`, `… chia sẻ thêm`).
_SPEAKS = (
    "cho biết", "cho hay", "nói", "khẳng định", "chia sẻ", "nhấn mạnh", "cho rằng", "thông tin", "tiết lộ",
    "kể", "tuyên bố", "phát biểu", "bày tỏ", "trả lời", "lý giải", "giải thích", "nhận định", "đánh giá",
    "xác nhận", "khuyến cáo", "đề nghị", "kiến nghị",
)
_SPEAKS_RE = "(?:" + "|".join(sorted(_SPEAKS, key=len, reverse=True)) + ")"

# Connectives that link a sentence to the one before it: as an opening, they dangle.
# Captions are short: a verbless one, or one with a caption's own marks (`photo_marks`).
CAPTION_MAX_SYLLABLES = 22
MARKED_CAPTION_MAX_SYLLABLES = 30

# `Chỉ tiếc , …`, `Đáng tiếc , …` (sadly): against the line before; none of 18 train lines opens its
# article. `Hậu quả , …` (as a result): of what? 1 of 266. `eligibility` keeps them whole, too.
REGRETS = ("chỉ tiếc", "đáng tiếc", "tiếc là", "rất tiếc", "tiếc rằng", "hậu quả")
# `Đáng chú ý , …`, `Điều đáng nói là …` (what is worth noting): more than what the sentence before
# told; 17 of 668 such train lines open their article (2.5 %). What follows them stands alone.
NOTABLY = tuple(
    f"{head}{what}{tail}"
    for head in ("điều ", "")
    for what in ("đáng nói", "đáng chú ý", "đáng bàn")
    for tail in (" hơn là", " hơn", " là", "")
)
CONNECTIVES = (
    "tuy nhiên", "tuy vậy", "tuy thế", "dù vậy", "dù thế", "mặc dù vậy", "mặc dù thế", "song",
    "nhưng", "thế nhưng", "ngoài ra", "hơn nữa", "hơn thế", "hơn thế nữa", "mặt khác",
    "đồng thời", "ngược lại", "cụ thể", "tiếp theo", "còn", "thậm chí", "vả lại",
    "kết quả là", "ngay lập tức", "lập tức", "và", "không những thế", "không chỉ thế", "không những vậy",
    # `Nên nợ nước ngoài của DN tăng rất nhanh .` (so), `Thì mới đây , …` (then): a sentence's second
    # half (144 and 22 lines of the 20,000 train articles open on them; each of 16 read continues
    # the line before).
    "nên", "thì", "thì ra",
    # `Bởi gia đình dù có đi đâu …` (because), `Thật ra , …` (actually): an answer to the line before;
    # none of 742 and 123 such lines of 10,000 train articles opens its article (all lines: 5.6 %).
    "bởi", "bởi vì", "bởi lẽ", "thật ra", "thực ra",
    # `Chưa hết , Khải còn …` (what is more), `Hoặc , …` (or): none of 96 and 1 of 44 such train lines
    # open their article.
    "chưa hết", "hoặc",
    # `Tựu trung , lợi ích chiến lược …` (all in all): the sum of what came before.
    "tựu trung", "tóm lại", "nói tóm lại",
    *REGRETS,
    *NOTABLY,
)
_ONE_WORD_LINKS = frozenset(c for c in CONNECTIVES if " " not in c)
# A demonstrative in the opening phrase points back (`Theo đó`, `Trong khi đó`, `Như vậy`,
# `Vì thế`, `Vụ việc trên`). `trên` counts only at the end of the phrase (else it is the
# preposition "on"); `đây` only as the subject (`gần đây`, `cách đây` are "recently", "ago").
_DEMONSTRATIVES = {"này", "đó", "ấy", "vậy"}
# `thế` points back after these (`như thế`, `vì thế`), unless it opens a compound (`thế giới`).
_SO_WORDS = {"như", "vì", "do", "tuy", "dù", "bởi", "hơn", "là", "nghe", "thấy"}
_THE_COMPOUNDS = {"giới", "hệ", "kỷ", "mạnh", "chấp", "vận", "trận", "lực"}
# Time words: with `này` they are the reporter's own time (`tuần này` = this week).
_TIME_WORDS = {
    "tuần", "tháng", "năm", "hôm", "sáng", "chiều", "tối", "trưa", "đêm", "ngày", "quý",
    "mùa", "kỳ", "thời", "giờ", "dạo",
}
# `Dưới đây , chúng tôi xin đăng …` (below): what a card does not show.
_PRONOUN_SUBJECTS = ("họ", "nó", "hắn", "anh ta", "đây", "đó", "vậy", "tại đây", "ở đây", "qua đây", "dưới đây")
# Outside quotation marks, "I" and "we" are a speaker the sentence does not name
# (`Chúng tôi coi đây là sự việc rất nghiêm trọng .`); inside them, the speaker follows.
_FIRST_PERSON = ("tôi", "chúng tôi", "chúng ta")
_QUOTES = "\"“«'‘"
# A title or pronoun with no name after it: `Ông cho biết`, `Theo bà ,` (but `Ông Trump
# cho biết`, and `ông chủ`, `bà con`, `cô gái` are nouns of their own).
# Words that follow `trên` meaning "the above" (`vụ việc trên đang …`), not "on" (`trên báo`).
_AFTER_ABOVE = {"đang", "đã", "sẽ", "được", "bị", "là", "có", "không", "chưa", "cũng", "vẫn", "xảy"}
_TOKEN_RE = re.compile(r"\w+|[^\w\s]")
# Where someone stands in a photo, in parentheses or between commas.
_POSITION_RE = re.compile(
    r"[(,]\s*(?:trái|phải|giữa|ngoài cùng bên (?:trái|phải)|(?:thứ \w+ )?từ (?:trái|phải)(?: (?:sang|qua) (?:trái|phải))?)\s*(?:[),]|(?=\s+và\s))",
    re.IGNORECASE,
)
# Words that make "Hình ảnh …" a sentence about a picture (`… được … chụp … cho thấy …`).
_SPACES_RE = re.compile(r"\s{2,}")
_PICTURE_CLAUSE_WORDS = PREDICATE_WORDS | {"được", "bị", "thấy", "cho", "khiến"}
# Words that open a phrase about the noun before them in a caption: a time (`khi`, `lúc`), a
# place (`tại`, `ở`, `trong`), an apposition (`người được …`).
_CAPTION_PHRASE_WORDS = {"khi", "lúc", "người", "tại", "ở", "trong", "sau", "trước", "hồi", "vào"}
_PASSIVES = {"bị", "được"}
_ADVERB_ENDS = {"chóng", "tức", "tục", "liền", "ngay", "nhanh", "đó", "sau"}  # `nhanh chóng`, `lập tức`, `tiếp tục`
_PICTURE_RE = re.compile(r"^\W*(?:hình ảnh|quang cảnh|toàn cảnh|cận cảnh|khung cảnh|video|clip|hiện trường)\s", re.IGNORECASE)
_PERSON_COMPOUNDS = {
    "chủ", "bầu", "xã", "cụ", "trùm", "lão", "già", "ngoại", "nội", "gái", "giáo", "bé",
    "chồng", "vợ", "mẹ", "bố", "con", "dâu", "hoàng", "nhà", "và", "em",
}
# Titles that stand for a person already named (`anh`, `ông`…); `anh rể`, `em trai` are kin nouns.
_TITLES = {"anh", "chị", "ông", "bà", "cô", "em", "cậu"}
_YOUNG_NOUNS = {"trai", "hậu", "thơ", "ca", "rể", "diễn", "hươu", "công", "tiên", "lọ"}  # `chàng trai`, `nàng hậu`, `chàng diễn viên`
_KIN_WORDS = {
    "rể", "trai", "họ", "út", "cả", "ruột", "chồng", "vợ", "dâu", "ngoại", "nội", "nuôi", "kế", "em", "chị", "anh", "bà",
    "cháu", "con",
}
# A line that opens on a dash is an interview's answer or a list's item.
DASHES = ("-", "–", "—")
_SURNAME_VA_RE = re.compile(r"^Và [A-ZĐ][^\W\d_]* [A-ZĐ][^\W\d_]*(?! [A-ZĐ])")
_MORE_RE = re.compile(r"^Một (?:\w+ ){1,2}nữa\b", re.IGNORECASE)
_NO_LESS_RE = re.compile(r"^[^,]{0,60}\bkhông kém\b", re.IGNORECASE)
# `Ít phút sau , …`, `Hôm sau , …`, `Một lúc sau , …`, `Sau một thời gian , …`: the next step of a
# story whose last step the sentence before told.
_NEXT_STEP_RE = re.compile(
    r"^(?:(?:ít|vài|mấy|một|một vài|\d+) (?:giây|phút|giờ|tiếng|ngày|hôm|tuần|tháng|năm) sau"
    r"|(?:một )?(?:lúc|lát|chốc) sau|(?:(?:sáng|chiều|tối|trưa|đêm|ngày) )?hôm sau"
    r"|sau (?:một )?(?:thời gian|lúc|lát|hồi)(?: ngắn)?"
    r"|(?:một |ít |không )?(?:thời gian|lâu)(?: ngắn)? sau(?: đó)?"
    r"|(?:nhiều|chỉ (?:ít|vài|mấy)) (?:giây|phút|giờ|tiếng|ngày|hôm|tuần|tháng|năm) sau)\s*(?:,|thì\b)"
    r"|^(?:phải |mãi )?(?:đến|tới) lần thứ\b|^ban đầu\b"
    # `Qua kiểm tra , lực lượng chức năng phát hiện …` (on inspection): 5 of 273 train lines open their article.
    r"|^qua (?:kiểm tra|khám xét|xác minh|làm việc|đấu tranh)(?: nhanh)?\s*,"
    # `Khi tới nơi , người bạn phát hiện …` (on arrival): 0 of 31 train lines open their article.
    r"|^khi (?:tới|đến|về đến|về tới|vào đến) (?:nơi|hiện trường|nhà)\s*,"
    # `Test nhanh , công an phát hiện …`, `Tiến hành kiểm tra chiếc xe , …`: the raid's next step (0 of 61
    # and 0 of 58 such train lines open their article).
    r"|^(?:qua |sau khi |tiến hành )?(?:test|kiểm tra|khai thác|xét nghiệm) nhanh\s*,"
    r"|^(?:tiến hành|tiếp tục) (?:kiểm tra|khám xét|xác minh|khám nghiệm|làm việc|truy|điều tra|mở rộng|đấu tranh|khai thác)\b[^,]{0,40},"
    # `Kết quả phát hiện , …`, `Kết quả khám nghiệm tử thi , …` (the result): 1 of 187.
    r"|^kết quả(?: (?:kiểm tra|khám xét|phát hiện|xác minh|điều tra|khám nghiệm|test|giám định|xét nghiệm)\b[^,]{0,30})?\s*,"
    # `Phát hiện 7 ghe bị bắt , …`, `Thấy chị H. đi một mình , …`, `Nhận được tin báo , …`, `Biết bị lộ , …`
    # (on finding, seeing, hearing): a step after one the sentence before told; of 1,589 such train
    # lines 3 open their article.
    r"|^(?:phát hiện|thấy|biết|nghe (?:tin|vậy|thấy|tiếng)|(?:nhận được|tiếp nhận) (?:tin báo|thông tin|tin)"
    r"|bị (?:phát hiện|truy đuổi|bắt|lộ))\b[^,]{0,60},",
    re.IGNORECASE,
)
# `… vào sáng cùng ngày`, `Khoảng 14h cùng ngày , …`: the same day as a date the sentence does not give.
_SAME_DAY_RE = re.compile(r"\bcùng (?:ngày|đêm|hôm)\b", re.IGNORECASE)
# A date in a sentence (`5/6`, `ngày 5`, `tháng 6`, `năm 2019`, `hôm qua`); the scorer's `has_date` too.
DATE_RE = re.compile(
    r"\b\d{1,2}\s?[/-]\s?\d{1,2}\b|\b(ngày|tháng)\s\d|\bnăm\s\d{4}\b|\bhôm\s(nay|qua)\b", re.IGNORECASE
)
_WEEKDAY_RE = re.compile(r"\b(?:thứ (?:hai|ba|tư|năm|sáu|bảy)|chủ nhật)\b", re.IGNORECASE)
# `Đặc biệt , …` (in particular), `Cả 2 người phụ nữ …` (both): of what the sentence before listed or
# named; 0 of 489 and 1 of 422 such train lines open their article.
_OF_THOSE_RE = re.compile(
    r"^(?:Đặc biệt(?: hơn)?\s*,|Cả (?:hai|2|ba|3|bốn|4)\b"
    # `Tất cả đã sẵn sàng …` (all of them): 0 of 135 such train lines open their article; `Tất cả
    # các con đường …` says all of what.
    r"|Tất cả (?:đã|đều|đang|sẽ|cùng|được|bị|vẫn|chỉ|phải|không|chưa)\b)",
    re.IGNORECASE,
)
# `Trong quá trình ca hát , hai nhóm trò chuyện …`, `Biết bị phát hiện , 2 đối tượng liền tháo chạy …`: "the
# two" of a story's people the sentence does not name (17 of 1,003 such train lines open their article).
# Not `hai bên`, `hai người`, `hai nước`: in diplomatic news they follow the names in the same sentence
# and keeping them from opening cost the diplomatic file 0.08 ROUGE-L.
_TWO_OF_THEM_RE = re.compile(
    r"^(?:[^,]{0,50}, )?(?:[Hh]ai|2) (?:nhóm|vợ chồng|anh em|chị em|đối tượng|nghi phạm"
    r"|bị cáo|nạn nhân|cô gái|thanh niên|nam thanh niên|mẹ con|bố con|cha con)\b"
    r"(?! (?:[A-ZĐ]|này|trên|đó|gồm|là|khác|bị thương|tử vong|\())(?! \w+ [A-ZĐ])"
)
# `Được biết , 2 đối tượng đều là …`, `Qua kiểm tra nhanh , cả 7 đối tượng đều …` (all of them): a group
# the sentence before counted; 3 of 232 such train lines open their article.
# `cả Khoa và Duẩn đều …` names them.
_ALL_OF_THE_GROUP_RE = re.compile(r"^(?:[^,]{0,40}, )?(?:(?:[Cc]ả )?(?:hai|2|ba|3)|[Cc]ả) (?:(?!\w*[A-ZĐ])\w+ ){1,3}?đều\b")
# `Trong khi QQ cho hay … .` (whereas), with no comma for a main clause of its own: the other side of
# the sentence before (2 of 141 train lines open their article). `Trở lại với phần thi …`, `Quay
# trở lại vụ án …` (back to): a thread the article left.
_WHEREAS_RE = re.compile(r"^Trong khi\b(?! đó)[^,]*$", re.IGNORECASE)
_BACK_TO_RE = re.compile(
    r"^(?:quay )?(?:trở lại|quay lại)(?: với)? (?:vụ|việc|sự việc|câu chuyện|chuyện|phần|vấn đề|quá trình)\b", re.IGNORECASE
)
# `Dù chưa biết thực hư ra sao nhưng đây được xem là …`: `đây` ("this") as the subject of the main
# clause, after a `nhưng`, `thì` or `mà` in the first clause (1 of 45 train lines opens its article).
_THIS_AFTER_BUT_RE = re.compile(r"^[^,]*\b(?:nhưng|thì|mà) đây (?:là|được|chính|cũng|sẽ|đã|có|không)\b", re.IGNORECASE)
# `Chào Nhã Phương , khán giả chưa thấy chị …`: an interviewer's turn, a speaker the summary does not
# name, before a question.
_GREETING_RE = re.compile(r"^(?:Xin )?[Cc]hào [A-ZĐ]")
# `Chúng thấy chị L.T …` (they), after an opening phrase or not; `chúng tôi`, `chúng ta` are "we" and
# `Chúng Huyền Thanh` a name (1 of 165 train lines opens its article).
_THEY_RE = re.compile(r"^(?:[^,]{0,60}, )?[Cc]húng (?!tôi\b|ta\b|cháu\b|em\b|mình\b)[a-zđà-ỹ]")
# `Theo tôi , …`: a speaker's own view; `eligibility` keeps it whole as well.
BY_ME_RE = re.compile(r"^\s*Theo tôi\b", re.IGNORECASE)
# Words of a clause: a `cũng` after them is inside the sentence's own story (`Nếu … thì … cũng …`).
_CLAUSE_BEFORE_ALSO = {
    "đã", "là", "sẽ", "đang", "được", "bị", "khi", "nếu", "vì", "nên", "thì", "mà", "nói", "biết", "có",
    "không", "vẫn", "phải", "rằng", "để", "nhưng", "và", "\"", "“",
}
# An office with no name after it as the source (`Theo Thứ trưởng , …`): which deputy minister?
# `Thủ tướng` alone is the Prime Minister, known to every reader.
_OFFICE_TITLES = (
    "thứ trưởng", "bộ trưởng", "đại sứ", "ngoại trưởng", "người phát ngôn", "phát ngôn viên", "giám đốc",
    "chủ tịch", "tổng thư ký", "bí thư", "đại tá", "thiếu tướng", "trung tướng", "thượng nghị sĩ",
)
# `Vị Đại tá cho biết …`, `Theo vị Phó Chánh án … ,`: an office after `vị` with no name after it (only
# lowercase words or acronyms before the verb); 2 of 83 train lines open their article.
_VI_OFFICES = _OFFICE_TITLES + (
    "thượng tá", "trung tá", "thiếu tá", "nghị sĩ", "luật sư", "bác sĩ", "tiến sĩ", "chuyên gia", "lãnh đạo",
    "quan chức", "tướng",
)
# `Kèm theo dòng trạng thái là hình ảnh …` (along with the status): what it comes with is in the
# sentence before; 2 of 36 such train lines open their article.
_ALONG_WITH_RE = re.compile(r"^\W*kèm theo\b", re.IGNORECASE)
# A statement, decision or call "was made" (`Tuyên bố của bà Hoa được đưa ra sau khi …`, `Quyết định này
# được đưa ra sau khi …`): the sentence tells when or why of something it does not state. vietnews takes
# the lead paragraph that states it out of the body (5 of 12 such train lines open what is left).
_WAS_MADE_RE = re.compile(
    r"^\W*(?:tuyên bố|công bố|thông báo|phát biểu|bình luận|động thái|quyết định|lời kêu gọi|thông điệp|"
    r"cảnh báo|yêu cầu|phát ngôn|lời khẳng định|lời cảnh báo|đề xuất)(?: này| trên| đó| của [^,]{1,50}?)? "
    r"(?:được|đã được|vừa được) (?:đưa ra|phát đi|công bố|nêu ra)\b",
    re.IGNORECASE,
)
# A speaker who "said so" (`Ông Võ Viết Thanh , nguyên chủ tịch UBND TP. HCM , nói như vậy với Tuổi Trẻ .`)
# points at what was said before. vietnews takes the paper's lead paragraph out of the body, so 76 of
# 163 such train lines open what is left of their article: a summary without that paragraph dangles.
_SAID_SO_RE = re.compile(
    r"\b" + _SPEAKS_RE + r" (?:như vậy|như thế|vậy|thế)"
    r"(?= (?:với|khi|tại|trong|trước|bên lề|sau|hôm|ngày|sáng|chiều|tối|trưa|vào|ở|qua|trên|là|\.|,))",
    re.IGNORECASE,
)
_UNNAMED_OFFICE_RE = re.compile(
    r"^(?:Theo )?[Vv]ị (?i:" + "|".join(re.escape(t) for t in sorted(_VI_OFFICES, key=len, reverse=True))
    + r"|(?:phó|trưởng|cựu) [^\W\d_]+)"
    r"(?: (?:[a-zđà-ỹ][^\W\d_]*|[A-ZĐ]{2,}[^\W\d_]*\.?|\d+)){0,8}? ?"
    r"(?:cho biết|cho hay|nói|khẳng định|chia sẻ|nhấn mạnh|cho rằng|thông tin|tiết lộ|,)"
)
_OPENING_WORDS = 8
_OPENING_CHARS = 160  # enough for the opening words, however long the sentence
_CLAUSE_CHARS = 320  # enough for a first clause
# `Cơ quan điều tra sau đó di lý vị " thiếu gia " này …`: a demonstrative in the first clause
# whose referent the sentence does not hold (`_unnamed`).
_CLAUSE_DEMONSTRATIVES = {"này", "đó", "ấy"}
# `trên` after these is a place (`ở trên`, `phía trên`), not "the above".
_PLACE_BEFORE_ABOVE = {"ở", "phía", "bên", "lên", "từ", "tầng", "mặt", "cấp", "bề"}  # `cấp trên`: superiors
# `kể trên`, `nói trên`, `nêu trên`: "mentioned above".
_MENTIONED = {"kể", "nói", "nêu"}
_SAID_MORE_RE = re.compile(r"^[^,.]{0,80}\b" + _SPEAKS_RE + r" (thêm)\b")
_CLAUSE_ENDS = {",", ".", ";", ":", "?", "!"}
# `sau đó`, `trước đó`, `theo đó` inside a clause: "afterwards", "before that", "accordingly".
_THEN = {"sau", "trước", "khi", "lúc", "từ", "qua", "nhờ", "do", "theo"}
_POINTER_WORDS = ("này", "đó", "ấy", "trên")
# Nouns that take a name of their own kind as referent in the same sentence: a person's title
# (`anh Q. đạp chị H. làm chị này ngã`, `Huấn … sau khi anh này bị …`) and a country
# (`… Colombia có 24 giờ để rời khỏi nước này`). Any other noun points at a name only when
# it is the name's own head (`Bộ Ngoại giao Nga … Bộ này`, `tỉnh Sơn La … tỉnh này`): on train,
# sentences with `<noun> này` after a name of another kind open their article a third as often
# as other sentences (1.7 % against 7.2 %) — they point back (`Trung Quốc đưa ra quan điểm
# này …`, `Bà Neomi Melendez đã thay mặt tổ chức này …`).
# Words before a noun that are not part of it (`của trường này`, `một trường`).
_GRAMMAR_WORDS = {
    "của", "với", "cho", "về", "tại", "ở", "từ", "và", "là", "các", "những", "một", "mọi", "vị", "trong",
    "ngoài", "trên", "dưới", "theo", "bởi", "do", "như", "khi", "thì", "mà", "đã", "đang", "sẽ", "được",
    "bị", "có", "không", "chưa", "vào", "ra", "lên", "xuống", "đến", "tới", "qua", "sang", "cả", "hai", "ba",
}
_NAME_KINDS = {
    "ông", "bà", "anh", "chị", "em", "cô", "cậu", "cháu", "bé", "hắn", "gã", "nước", "quốc gia", "đất nước",
    "đàn ông", "phụ nữ", "đàn bà", "thanh niên",
}
_INDEFINITE = {"gì", "nào", "ai", "đâu"}
_SCARE_QUOTE_TOKENS = 8
# Classifiers and bare nouns that a demonstrative completes: `vụ này`, `điều này`, `người này`.
_BARE_NOUNS = {
    "vụ", "điều", "chuyện", "việc", "người", "khối", "cái", "con", "chiếc", "bên", "phía", "nơi", "lúc",
    "khi", "sự", "cuộc", "lần", "đây", "kiểu", "loại", "thứ", "cách",
}
# Nouns for "the matter" that name nothing without their demonstrative (`vấn đề này`, `sự việc
# này`): unlike `thoả thuận này` → `thoả thuận` (the deal the title names), `vấn đề` alone is
# no phrase a reader can place.
_MATTER_NOUNS = {
    "vấn đề", "sự việc", "vụ việc", "sự kiện", "thông tin", "trường hợp", "tình huống", "hiện tượng",
    "câu chuyện", "nội dung", "tình trạng", "sự cố", "chủ đề", "tiến trình", "quá trình",
}
# A moment or a place says nothing without its pointer either, `trên` included (`Theo thông tin ban
# đầu , vào thời điểm trên .` → `… vào thời điểm .`), where `thông tin trên` → `thông tin` still reads.
_MOMENT_NOUNS = {"thời điểm", "thời gian", "địa điểm"}
# `quyết định trên xuất phát từ …`, `hành vi trên khiến …`: what a sentence before told, as `trên` after a
# counted noun is.
_ABOVE_NOUNS = _MATTER_NOUNS | {
    "quyết định", "hành vi", "đề xuất", "tuyên bố", "động thái", "kế hoạch", "chính sách", "phát ngôn",
    "hành động", "yêu cầu", "văn bản", "con số", "số tiền", "thông báo", "lời khai", "ý kiến",
}
# Words that count a noun (`hai cơ quan`, `các bị cáo`); numbers count as well.
_NUMBER_WORDS = {"hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín", "mười", "mấy"}
# `trên toàn nước Nhật`, `trên khắp cả nước`: "across", whatever the tagger calls the word.
_ALL_OVER = {"toàn", "khắp", "cả", "mọi", "nhiều", "từng", "các", "những", "một"} | _NUMBER_WORDS
_ABOVE_WINDOW = 5  # words each side of `trên` the tagger reads
_COUNT_WORDS = _NUMBER_WORDS | {"các", "những", "cả"}
_ABOVE_FOLLOWERS = (_AFTER_ABOVE - {"không"}) | {"sau", "thì", "khi", "mà", "nhưng", "do"}
# `Liên quan đến sự việc ,`: a matter the sentence does not name (a bare noun of one or two words).
_RELATED_RE = re.compile(r"^liên quan(?: (?:đến|tới))?((?: \w+){1,2})$")


def _last_mark(sentence: str) -> str:
    return sentence.rstrip(_CLOSERS)


def _final_mark(sentence: str) -> str:
    """The sentence's last mark, closing quotes and a trailing ellipsis aside (`?` in `ai ?...`), and a
    stray full stop after a question mark (`… Châu Đăng Khoa ? .`; after `!` it is a name's, `Oops ! .`)."""
    text = _last_mark(sentence)
    if text.endswith(("...", "…")):
        text = text[: -3 if text.endswith("...") else -1].rstrip(_CLOSERS)
    if text.endswith(".") and text[:-1].rstrip(_CLOSERS)[-1:] == "?":
        text = text[:-1].rstrip(_CLOSERS)
    return text[-1:]


def is_question(sentence: str) -> bool:
    """Ends on `?`."""
    return _final_mark(sentence) == "?"


def is_exclamation(sentence: str) -> bool:
    """Ends on `!`."""
    return _final_mark(sentence) == "!"


def is_cut(sentence: str) -> bool:
    """Stops mid-way: ends on an ellipsis, a comma, a semicolon or a dash, or on an
    abbreviation the splitter took for a sentence end (`Trang mạng quân đội chính thức www.`,
    `… và Công an TP.`), starts on an ellipsis, or holds half a parenthesis."""
    end = _last_mark(sentence)
    if end.endswith(_CUT_ENDS) or sentence.lstrip(_OPENERS).startswith(("...", "…")):
        return True
    return ends_on_abbreviation(end) or not _parentheses_balanced(sentence) or _concession_alone(sentence)


def _concession_alone(sentence: str) -> bool:
    """`Mặc dù Miss Korea 2019 đã kết thúc vào ngày 11/7 vừa qua .`: an "although" clause with no main
    clause after it (no comma, no `nhưng`, `vẫn` …): the source split the sentence."""
    return _CONCESSION_RE.match(sentence) is not None and _MAIN_CLAUSE_RE.search(sentence) is None


def _parentheses_balanced(sentence: str) -> bool:
    """False for `Tỉnh Hải Dương ) , phát hiện …` (the tail of a line the source broke inside
    a parenthesis) and for its head (`… quán bar Ruby ( nằm trên đường An Định … .`)."""
    if "(" not in sentence and ")" not in sentence:
        return True
    depth = 0
    for ch in sentence:
        depth += (ch == "(") - (ch == ")")
        if depth < 0:
            return False
    return depth == 0


def ends_on_abbreviation(text: str) -> bool:
    """`… Công an TP.`, `… chính thức www.`: the source broke the line at an abbreviation's
    period; the sentence goes on in the next line (`Hà Nội đã phê chuẩn …`)."""
    if not text.endswith("."):
        return False
    return _ABBREVIATION_END_RE.search(text[-6:]) is not None or _PLACE_ABBREVIATION_END_RE.search(text[-16:]) is not None


def goes_on(before: str, after: str) -> bool:
    """Whether the line `after` finishes the sentence the source broke at the end of `before`:
    at an abbreviation (`ends_on_abbreviation`), or inside a name (`Theo bà Maria Abegail .` /
    `A.Albaladejo , thời gian qua …`, `… của bé Bùi Thị .` / `U. N ( SN 2011 ) …`)."""
    if ends_on_abbreviation(before):
        return True
    # `… thi thể của bé Bùi Thị .` / `U. N ( SN 2011 ) , là nạn nhân …`: a middle name, then the initial.
    if _MIDDLE_NAME_END_RE.search(before[-12:]) and _INITIAL_START_RE.match(after):
        return True
    return _NAME_TAIL_START_RE.match(after) is not None and _CAPITALIZED_END_RE.search(before[-30:]) is not None


@lru_cache(maxsize=4096)
def _tags(sentence: str) -> tuple[tuple[str, str], ...]:
    return tuple(import_underthesea().pos_tag(sentence))


def opens_on_verb(sentence: str) -> bool:
    """Whether underthesea tags the sentence's first word a verb (`Nhắc nhở cán bộ …`)."""
    tags = _tags(sentence)
    return bool(tags) and tags[0][1] == "V"


def has_predicate(sentence: str) -> bool:
    """True when the words make a clause, not a noun phrase.

    A verb that is not nominalized (`vụ cháy`), the copula `là` (often tagged C), an
    adverb that only modifies a predicate (`rất hạnh phúc`, `chưa đủ 16 tuổi`: adjectives
    are predicates in Vietnamese), or a demonstrative that points into the text
    (`Hai nạn nhân này …`): a caption describes its photo, not the story around it.
    Words in parentheses (`( phải )`: "right", tagged as the verb "must") and marks the
    tagger calls verbs (`’`) do not count.
    """
    previous, depth, clause_of_time = "", 0, False
    tags = _tags(sentence)
    for k, (word, tag) in enumerate(tags):
        lower = word.lower()
        depth += (word == "(") - (word == ")")
        if word == ",":
            clause_of_time = False
        if depth > 0 or not any(ch.isalpha() for ch in word):
            continue
        if k > 0 and lower in _WHEN_WORDS and tags[k - 1][1] in ("N", "Np") and tags[k - 1][0].lower() not in _BEFORE_WHEN:
            clause_of_time = True  # `Hoạt động trên tàu USS … khi đi qua Biển Đông`: when the photo was taken
        # `thuộc` after a common noun is "of"; after `hiện` (now) it is the verb again (`Cô hiện thuộc …`).
        of = lower == "thuộc" and k > 0 and tags[k - 1][1] == "N" and tags[k - 1][0] != "hiện"
        modifier = lower in _NOUN_MODIFIERS or of
        verb = tag.startswith("V") and previous not in _NOMINALIZERS and not modifier
        # `Trang bị của đại đội …` (the equipment of): a word before `của` is a noun.
        owned = k + 1 < len(tags) and tags[k + 1][0].lower() == "của"
        if verb and not clause_of_time and not owned and not _part_of_name(tags, k):
            return True
        if lower in PREDICATE_WORDS or (tag == "P" and lower in _DEMONSTRATIVES):
            return True
        previous = lower
    return False


def _part_of_name(tags: tuple[tuple[str, str], ...], k: int) -> bool:
    """Whether the word the tagger calls a verb is part of a name: its first and last syllables
    capitalized (`Đại sứ Anh`), or the last part of a hyphenated Korean name (`Moon Jae - in`,
    `Thae Yong - ho`)."""
    parts = tags[k][0].split()
    # (One capitalized end alone is a name the tagger glued to a verb: `Tiến nhận`, `bắt Assange`.)
    if len(parts) > 1 and parts[0][:1].isupper() and parts[-1][:1].isupper():
        return True
    return k > 1 and tags[k - 1][0] == "-" and tags[k - 2][1] == "Np" and len(tags[k][0]) <= 3


def names_something(sentence: str) -> bool:
    return any(tag.startswith("N") for _, tag in _tags(sentence))


def _words(sentence: str) -> list[str]:
    """Lowercase words and marks of the sentence's opening, each a token (`nhiên,` → `nhiên`, `,`)."""
    return _TOKEN_RE.findall(sentence[:_OPENING_CHARS].lower())


def opening_phrase(sentence: str) -> tuple[list[str], bool]:
    """Lowercase words before the first comma when that comes early (True), else the first three.

    Early: within `_OPENING_WORDS` words, the marks inside a date aside (`Đến khoảng 9h45 ngày
    9/2/2019 ,` is six words and five marks)."""
    words = _words(sentence.lstrip(_OPENERS))
    if "," in words:
        comma = words.index(",")
        if sum(1 for w in words[:comma] if w[:1].isalnum()) <= _OPENING_WORDS:
            return words[:comma], True
    return words[:3], False


def link_names(body: str, openings: Iterable[str] | None = None) -> frozenset[str]:
    """The one-word connectives an article uses inside a name, after a capitalized word on the same
    line (`… anh trai là Ngô Hữu Nên`): a sentence that opens on one of them (`Nên chính là người
    đã sát hại …`) opens on the name, not on "so". Given `openings` (the sentences that may open),
    the body is read only when one of them opens on such a word (`_opens_on_link_word`)."""
    if openings is not None and not any(_opens_on_link_word(sentence) for sentence in openings):
        return frozenset()
    found = set()
    for line in body.splitlines():
        words = line.split()
        for before, word in zip(words, words[1:]):
            if word[:1].isupper() and before[:1].isupper() and before[-1:].isalpha() and word.lower() in _ONE_WORD_LINKS:
                found.add(word.lower())
    return frozenset(found)


def _opens_on_link_word(sentence: str) -> bool:
    """Whether the sentence opens on a one-word connective (`Nên …`): only then can `link_names` matter."""
    return _first_word(sentence).lower() in _ONE_WORD_LINKS


def opens_on_name(sentence: str, names: frozenset[str]) -> bool:
    """Whether the sentence opens on a connective its article uses as a name (`link_names`)."""
    first = _first_word(sentence)
    return first[:1].isupper() and first.lower() in names


def _first_word(sentence: str) -> str:
    match = _TOKEN_RE.match(sentence.lstrip(_OPENERS))
    return match.group() if match else ""


def points_back(sentence: str, names: frozenset[str] = frozenset()) -> bool:
    """Whether a sentence refers to what came before it: by its opening (`opens_pointing_back`)
    or by a demonstrative further in (`pointer_spans`). `names`: `link_names` of its article."""
    return opens_pointing_back(sentence, names) or bool(pointer_spans(sentence))


@lru_cache(maxsize=4096)
def opens_pointing_back(sentence: str, names: frozenset[str] = frozenset()) -> bool:
    """Whether a sentence opens by referring to what came before it (`names`: `link_names`)."""
    text = sentence.lstrip(_OPENERS)
    words = _words(text)
    padded = " " + " ".join(words[:6]) + " "
    # `Và Xái Vừ bị truy tố …`: `Và` before a name of two capitalized words is a Hmong surname;
    # `Nên chính là …` where the article names `Ngô Hữu Nên` is the man.
    surname = _SURNAME_VA_RE.match(text) is not None
    named = opens_on_name(text, names)
    if not named and any(padded.startswith(f" {c} ") for c in CONNECTIVES + _PRONOUN_SUBJECTS if not (surname and c == "và")):
        return True
    quoted = sentence.lstrip()[:1] in _QUOTES
    if not quoted and any(padded.startswith(f" {p} ") for p in _FIRST_PERSON):
        return True
    if not quoted and _first_person_clause(text):
        return True
    # `Cũng theo ông …`, `Cũng tại đây …`: "also", after something (`Cũng như …` compares); `Vẫn theo chị
    # Sim , …` (still according to): 0 of 44 such train lines open their article.
    if (padded.startswith(" cũng ") and not padded.startswith(" cũng như ")) or padded.startswith(" vẫn theo "):
        return True
    # `Một thách thức nữa …` (one more), `… không kém phần xúc động` (no less), `Theo tôi , …` (a
    # speaker the sentence does not name): 0 of 48, 28 and 72 such train lines open their article.
    if (
        _MORE_RE.match(text) or _NO_LESS_RE.match(text) or BY_ME_RE.match(text) or _OF_THOSE_RE.match(text)
        or _WHEREAS_RE.match(text) or _BACK_TO_RE.match(text) or _THIS_AFTER_BUT_RE.match(text)
        or _THEY_RE.match(text) or _UNNAMED_OFFICE_RE.match(text) or _GREETING_RE.match(text)
        or _SAID_SO_RE.search(text) or _WAS_MADE_RE.match(text) or _ALONG_WITH_RE.match(text)
    ):
        return True
    # An interview's answer or a list's item (`- Đương nhiên phải tranh luận …`): 0 of 118 train
    # lines that open on a dash open their article.
    if sentence.lstrip()[:1] in DASHES:
        return True
    if also_after_subject(text) is not None or also_after_subject(text, "tiếp tục", 4) is not None or said_more(text) is not None:
        return True
    if _NEXT_STEP_RE.match(text) or _same_day(text) or _ALL_OF_THE_GROUP_RE.match(text) or _TWO_OF_THEM_RE.match(text):
        return True
    if _bare_person(text):
        return True
    phrase, closed = opening_phrase(text)
    if _means_above(phrase, closed, words) or (closed and _RELATED_RE.match(" ".join(phrase))):
        return True
    # `Thứ tư , họ được thụ hưởng …`: "they" as the subject after the opening phrase.
    if closed and words[len(phrase) + 1 : len(phrase) + 2] in (["họ"], ["nó"]):
        return True
    if closed and _bare_person_after(text, phrase):
        return True
    for i, word in enumerate(phrase[1:], start=1):
        before, after = phrase[i - 1], phrase[i + 1] if i + 1 < len(phrase) else ""
        # `thứ hai này`, `chủ nhật này`: a weekday is time too.
        weekday = i > 1 and phrase[i - 2] in ("thứ", "chủ")
        if word in _DEMONSTRATIVES and not (word == "này" and (before in _TIME_WORDS or weekday)):
            return True
        if word == "thế" and before in _SO_WORDS and after not in _THE_COMPOUNDS:
            return True
    return False


def _same_day(text: str) -> bool:
    """`cùng ngày` ("the same day") with no date before it in the sentence: which day?"""
    match = _SAME_DAY_RE.search(text)
    if match is None:
        return False
    before = text[: match.start()]
    return DATE_RE.search(before) is None and _WEEKDAY_RE.search(before) is None


def _means_above(phrase: list[str], closed: bool, words: list[str]) -> bool:
    """`Vụ việc trên ,`, `Vụ việc trên đang …` (the above), not `Thông tin trên báo …` (on)."""
    if len(phrase) < 2 or phrase[-1] != "trên":
        return False
    after = words[len(phrase)] if len(words) > len(phrase) else ""
    return closed or after in _AFTER_ABOVE


def pointer_spans(sentence: str) -> list[tuple[int, int]]:
    """Where, past its opening words, a sentence points back at text before it: character spans
    (in `sentence`) of `trên` meaning "the above", with its `kể`/`nói`/`nêu`, and of the
    demonstratives of its first clause that have no name before them, with the `sau`/`trước`
    of `sau đó`/`trước đó`. Empty for most sentences; `points_back` counts these too."""
    return list(_pointers(sentence)[0])


def pointers_droppable(sentence: str) -> bool:
    """False when a demonstrative of `pointer_spans` follows a classifier or `người` (`Báo chí
    châu Âu đã gọi vụ này là …`: without it the noun is not a phrase, `gọi vụ là`), or a matter
    noun (`… lên tiếng về vấn đề này .`: `về vấn đề` still points back, `_MATTER_NOUNS`)."""
    return not _pointers(sentence)[1]


@lru_cache(maxsize=1024)
def _pointers(sentence: str) -> tuple[tuple[tuple[int, int], ...], bool]:
    offset = len(sentence) - len(sentence.lstrip(_OPENERS))
    text = sentence[offset:]
    head = text[:_CLAUSE_CHARS].lower()
    if not any(word in head for word in _POINTER_WORDS):
        return (), False  # most sentences: no need to tokenize
    phrase, closed = opening_phrase(text)
    matches = list(_TOKEN_RE.finditer(text[:_CLAUSE_CHARS]))
    tokens = [m.group() for m in matches]
    lower = [t.lower() for t in tokens]
    unnamed, fixed = _unnamed(tokens, lower, phrase, closed)
    above = _above(lower)
    counted = _above_before_verb(tokens, lower, {i for i, _ in above})
    # `hai cơ quan trên` without `trên` is still "the two agencies": which?
    fixed = fixed or any(not lower[i - 3].isalpha() or lower[i - 3] in _NUMBER_WORDS or lower[i - 2] in _NUMBER_WORDS for i in counted)
    above += [(i, i) for i in counted]
    fixed = fixed or any(" ".join(lower[max(i - 2, 0) : i]) in _MOMENT_NOUNS for i, _ in above)
    # `… trực thuộc UBND TP như trên .` (as above): without `trên`, `như .` is cut. `Thông tin trên do …`
    # (the above news) as the sentence's subject: without `trên` it still asks "which news?".
    fixed = fixed or any(lower[i - 1] == "như" or (i <= 3 and " ".join(lower[max(i - 2, 0) : i]) in _MATTER_NOUNS) for i, _ in above)
    # Inside a quotation the words are the speaker's: `… góp phần vào mục tiêu nói trên " - bà Thu Hằng
    # nêu rõ .` keeps its `nói trên`, and so cannot open.
    opened = sum(ch in _QUOTES for ch in sentence[:offset])  # a quote mark the sentence opens with
    fixed = fixed or any((opened + sum(word in _QUOTES for word in lower[:i])) % 2 == 1 for i, _ in above)
    spans = [(matches[i].start(), matches[j].end()) for i, j in above + unnamed]
    return tuple(sorted((offset + a, offset + b) for a, b in spans)), fixed


def _above(words: list[str]) -> list[tuple[int, int]]:
    """`… ở khu vực trên sau khi …`, `… thông tin kể trên , …`, `… các trường hợp trên thì …`:
    `trên` with no object is "the above", wherever it stands (`trên báo`, `trên 3.600 tỷ` are
    "on", "over"); (first, last) token indices."""
    found = []
    for i, word in enumerate(words[1:], start=1):
        if word != "trên" or words[i - 1] in _PLACE_BEFORE_ABOVE:
            continue
        after = words[i + 1] if i + 1 < len(words) else "."
        if words[i - 1] in _MENTIONED:
            found.append((i - 1, i))
        elif after in _ABOVE_FOLLOWERS or after in _CLAUSE_ENDS:
            found.append((i, i))
    return found


def _above_before_verb(tokens: list[str], words: list[str], known: set[int]) -> list[int]:
    """`Ông Mỹ yêu cầu hai cơ quan trên huỷ bỏ …`, `… những đối tượng trên rao bán …`: `trên` after a
    counted noun, or a matter or a deed (`_ABOVE_NOUNS`: `quyết định trên xuất phát …`), and before a verb, an adverb or a preposition (underthesea's `pos_tag`: `muốn`,
    `đều`, `để`) is "the above" too; before a noun it is "on" (`các xe trên đường`). Token indices;
    the tagger runs only on the rare sentences with the shape, on the words around `trên`."""
    found = [
        i
        for i, word in enumerate(words[2:-1], start=2)
        if word == "trên"
        and i not in known
        and (
            words[i - 2] in _COUNT_WORDS or words[i - 2].isdigit() or " ".join(words[i - 2 : i]) in _ABOVE_NOUNS
            or (i > 2 and (words[i - 3] in _COUNT_WORDS or words[i - 3].isdigit()))
        )
        and tokens[i + 1][:1].islower()
        and words[i + 1] not in _ALL_OVER
    ]
    return [i for i in found if _verb_after(tokens[max(i - _ABOVE_WINDOW, 0) : i + _ABOVE_WINDOW + 1], min(i, _ABOVE_WINDOW))]


def _verb_after(window: list[str], at: int) -> bool:
    """Whether the tagger reads the word after `window[at]` (a `trên`) as a verb, an adverb or a
    preposition. A few words each side tag as the whole clause does, in a fraction of the time (the
    tagger's cost grows with the words it reads)."""
    tags = _tags(" ".join(window))
    after = [tag for (word, _), (_, tag) in zip(tags, tags[1:]) if word.lower() == "trên"]
    places = [k for k, word in enumerate(window) if word.lower() == "trên"]
    if len(after) != len(places):
        return False  # the tagger glued a `trên` into a word: no way to line them up
    return after[places.index(at)][:1] in ("V", "R", "E")


# `nhờ đó`, `do đó` (thanks to that, so) right after an opening clause point at that clause, not at
# the sentence before: `Nổi đình nổi đám nhờ bom tấn Aquaman , cũng nhờ đó , mọi thông tin …`.
_BECAUSE = {"nhờ", "do"}
# Words that open a link with `đó` (`trong khi đó`, `ngay sau đó`, `ngay trước đó`, `kể từ đó`).
_LINK_HEADS = {("trong", "khi"), ("ngay", "sau"), ("ngay", "trước"), ("kể", "từ"), ("ngay", "khi"), ("chính", "vì")}
# First words of an adverbial phrase rather than a clause (`Theo RT ,`, `Tại cuộc họp ,`).
_PHRASE_STARTS = frozenset(start.split()[0] for start in ADVERBIAL_STARTS)


def _clause_before(phrase: list[str], closed: bool, start: int, i: int) -> bool:
    """Whether the link at token i follows, within a word (`cũng`), an opening clause of its own
    sentence: a closed opening phrase of six syllables or more that no preposition opens."""
    return closed and len(phrase) >= 6 and phrase[0] not in _PHRASE_STARTS and i - 1 - start <= 1


def _unnamed(tokens: list[str], words: list[str], phrase: list[str], closed: bool) -> tuple[list[tuple[int, int]], bool]:
    """Demonstratives in the first clause whose referent is not earlier in the sentence.

    `Điều kiện cho cuộc đầu thú và lãnh án tù này là …`, `Theo RT , cuộc tấn công này …`,
    `Trung Quốc đưa ra quan điểm này …` (a name, but not of a view); not `Bộ Ngoại giao Nga …
    Bộ này`, `anh Q. … chị H. làm chị này ngã` (`_refers_within`), `Tuần này …` (time),
    `Điểm mới đó là …`. The clause ends at its first comma after an opening phrase; a source
    named in `Theo X ,` is not something the clause can point to. Also whether one of them
    follows a noun that says nothing without it (`_BARE_NOUNS`).
    """
    start = len(phrase) + 1 if closed else 0
    named = start > 0 and phrase[:1] != ["theo"] and any(t[0].isupper() for t in tokens[1 : start - 1])
    found, fixed = [], False
    skip_to = 0
    for i in range(max(start, 1), len(tokens)):
        word = words[i]
        if i < skip_to:
            continue
        if word in _QUOTES:
            close = next((j for j in range(i + 1, min(i + _SCARE_QUOTE_TOKENS, len(tokens))) if words[j] in _QUOTES), None)
            if close is None:
                break  # a quotation is the speaker's own words: not ours to read or cut
            skip_to = close + 1  # scare quotes (`vị " thiếu gia " này`): a phrase of the clause
            continue
        if word in (",", ":"):
            break
        if word == "." and tokens[i - 1] not in _ABBREVIATIONS and tokens[i + 1 : i + 2] != [] and tokens[i + 1][0].isupper():
            break  # `… ký tên Vũ Thị Như Q. Sau đó , …`: two sentences the splitter kept together
        named = named or tokens[i][0].isupper()
        if word not in _CLAUSE_DEMONSTRATIVES:
            continue
        before = words[i - 1]
        after = words[i + 1] if i + 1 < len(words) else ""
        if word == "đó" and before in _THEN and after != "là":
            if before in _BECAUSE and _clause_before(phrase, closed, start, i):
                continue  # `Nổi đình nổi đám nhờ bom tấn Aquaman , cũng nhờ đó , …`: thanks to that clause
            # `sau đó`, `theo đó` link to the sentence before, names or not (`Lực lượng của
            # Bộ Công an sau đó đã phải …`, `Tuyên bố chung ASEAN - Úc theo đó cũng …`); the whole
            # link goes, `trong khi đó`, `ngay sau đó` (`Nhà chức trách Mỹ trong khi đó né tránh …`).
            first = i - 2 if i >= 2 and (words[i - 2], before) in _LINK_HEADS else i - 1
            found.append((first, i))
            continue
        weekday = i > 1 and words[i - 2] in ("thứ", "chủ")
        dated = i > 1 and before.isdigit() and words[i - 2] in _TIME_WORDS  # `tháng 10 này`
        if word == "này" and (before in _TIME_WORDS or before == "lần" or weekday or dated):
            continue  # `tuần này`, `lần này`: the reporter's own time
        titled = tokens[i - 1][:1].isupper() and not tokens[i - 1].isupper()  # not `tỷ phú USD này`
        if titled or (word == "đó" and before == "trong") or "khác" in words[i + 1 : i + 5]:
            continue  # a title (`phim Ngày ấy mình đã yêu`); `trong đó có` (among which); `từ X này đến Y khác`
        if word == "đó" and "đâu" in words[:i]:
            continue  # `tới đâu … tới đó`: wherever … there
        if _refers_within(words, i, named):
            continue  # `Công an tỉnh Sơn La … tỉnh này`, `ông H. … ông này`
        if word == "đó" and (after == "là" or before in _INDEFINITE):
            continue  # `Điểm mới đó là …`; `điều gì đó` is "something"
        found.append((i, i))
        # `gọi vụ này là`, `lợi dụng điều này để`: a classifier or `người` says nothing without it;
        # nor does a matter (`… lên tiếng về vấn đề này .` → `về vấn đề .`).
        fixed = fixed or before in _BARE_NOUNS or " ".join(words[i - 2 : i]) in _MATTER_NOUNS | _MOMENT_NOUNS
    return found, fixed


def _refers_within(words: list[str], i: int, named: bool) -> bool:
    """Whether the noun before the demonstrative `words[i]` has its referent earlier in the
    sentence: the noun itself is there (`một trường THCS … của trường này`), or a name is and the
    noun is of a name's kind (`_NAME_KINDS`)."""
    noun = words[i - 1]
    pair = " ".join(words[i - 2 : i]) if i > 1 else noun
    if named and (noun in _NAME_KINDS or pair in _NAME_KINDS):
        return True
    if not any(ch.isalpha() for ch in noun):
        return False
    # `ca sĩ này` after `nghệ sĩ`: a noun of two syllables is there only if both are.
    compound = i > 1 and words[i - 2].isalpha() and words[i - 2] not in _GRAMMAR_WORDS
    if compound:
        return any(words[j - 1 : j + 1] == words[i - 2 : i] for j in range(1, i - 2))
    return noun in words[: i - 1]


def _first_person_clause(text: str) -> bool:
    """`Giữa tôi và Vân Dung chỉ là …`, `Bản thân tôi đã …`: a speaker's "I" in the first clause, with
    no quotation mark before it to give the speaker (`Ông nói : " Tôi …`), not in an opening phrase.
    Only the singular: `chúng tôi` there is often the paper (`theo quan sát của chúng tôi`), and a
    capitalized pronoun is a title (`chương trình Chúng tôi là chiến sĩ`, `Tôi yêu tiếng nước tôi`)."""
    phrase, closed = opening_phrase(text)
    tokens = _TOKEN_RE.findall(text[:_OPENING_CHARS])[len(phrase) + 1 if closed else 0 :]
    ends = [i for i, token in enumerate(tokens) if token in (",", ".", ":")]
    clause = tokens[: ends[0]] if ends else tokens
    # A quotation mark before the "I" gives a speaker (`Ông nói : " Tôi …`); one after it does not
    # (`… mọi người vẫn gọi tôi là “ bản sao … ”`).
    quote = next((i for i, token in enumerate(clause) if i > 0 and (token in _QUOTES or token in ("Tôi", "Chúng"))), len(clause))
    return any(token == "tôi" and (i == 0 or clause[i - 1].lower() != "chúng") for i, token in enumerate(clause[:quote]))


def _bare_person(text: str) -> bool:
    """`Ông cho biết`, `Bà này`, `Theo ông ,`, `Theo Thứ trưởng ,`: a person the sentence does not
    name. (`Người phát ngôn khẳng định …` is left alone: in diplomatic news it is the Foreign
    Ministry's, and the sentence after it often names him.)"""
    tokens = _TOKEN_RE.findall(text[:60])
    if [t.lower() for t in tokens[:1]] == ["theo"]:  # lowercase once a connective before it goes
        tokens = tokens[1:]
        title = next((t for t in _OFFICE_TITLES if " ".join(tokens[: len(t.split())]).lower() == t), None)
        if title and tokens[len(title.split()) : len(title.split()) + 1] == [","]:
            return True
    if len(tokens) < 2 or tokens[0].lower() not in ("ông", "bà", "cô", "chị", "em", "cậu", "nàng", "chàng"):
        return False
    following = tokens[1]
    # `Em gái chủ tịch …`, `Cậu bé …`, `Nàng dâu …` are kin and nouns; `Em vẫn hồn nhiên kể …`, `Nàng
    # đẹp , nàng có quyền khoe .` are "she" (1 of 20 such train lines opens its article).
    kin = tokens[0].lower() in ("em", "cậu", "nàng", "chàng") and following.lower() in _KIN_WORDS | _YOUNG_NOUNS
    return not following[0].isupper() and following.lower() not in _PERSON_COMPOUNDS and not kin


def also_after_subject(sentence: str, word: str = "cũng", longest: int = 3) -> int | None:
    """Where `cũng` ("also") follows a short subject (`Kiểm cũng xông đến …`, `Bà Oanh cũng cho biết
    …`): the character offset of `cũng`, or None. Also what? Something the sentence before said: of
    2,842 lines of 10,000 train articles with `cũng` after their first one to three words, 12 open
    their article (0.4 %; all lines: 5.6 %). `cũng như` compares, `ai cũng` is "everyone" and `Đây
    cũng là` is `đây`'s to answer for. (After a longer subject, `Tổng bí thư , Chủ tịch Trung Quốc
    Tập Cận Bình cũng gửi lời …`, the rule cost the diplomatic file 0.04 ROUGE-L, below the issue's
    floor, and half such lines hold what they are "also" to.)

    `word="tiếp tục", longest=4`: "went on" after a short subject, `Nhân viên bảo vệ tiếp tục đi vào
    trong …`, a story's next step (of 371 such train lines, 5 open their article)."""
    parts = word.split()
    matches = list(_TOKEN_RE.finditer(sentence[:_OPENING_CHARS]))[: longest + 1 + len(parts)]
    words = [m.group().lower() for m in matches]
    at = next((i for i in range(1, longest + 1) if words[i : i + len(parts)] == parts), None)
    if at is None or words[0] in _PRONOUN_SUBJECTS:
        return None
    after = words[at + len(parts) : at + len(parts) + 1]
    if after == ["như"] or words[at - 1] == "ai" or "," in words[:at] or _CLAUSE_BEFORE_ALSO.intersection(words[:at]):
        return None
    return matches[at].start()


def said_more(sentence: str) -> int | None:
    """Where `thêm` ("added") follows a speaker's verb in the first clause (`Công an tỉnh Thanh Hoá
    cho biết thêm , …`): the character offset of `thêm`, or None. Added to what the sentence before
    said: of 633 such train lines, 11 open their article."""
    match = _SAID_MORE_RE.match(sentence)
    return match.start(1) if match else None


def _bare_person_after(text: str, phrase: list[str]) -> bool:
    """`Trong gần 2 năm qua , anh đã hoá thân …`, `Khi về đến nhà , ông phát hiện …`: a person's
    title with no name as the subject after the opening phrase ("he", "she"), when the phrase names
    nobody (`Bị cáo Ngọc cũng cho biết , cô sinh ra …` is Ngọc). Lowercase only: `, Anh đã …` is
    England. On train, such lines open 3 articles in 527 (all lines: 6 in 100)."""
    tokens = _TOKEN_RE.findall(text[:_OPENING_CHARS])
    head, rest = tokens[1 : len(phrase)], tokens[len(phrase) + 1 : len(phrase) + 3]
    if len(rest) < 2 or rest[0] not in _TITLES or any(t[:1].isupper() for t in head):
        return False
    following = rest[1]
    return following[:1].islower() and following not in _PERSON_COMPOUNDS and following not in _KIN_WORDS


def strip_photo_position(sentence: str) -> str:
    """`Thủ tướng Ấn Độ Narendra Modi ( trái ) nhận hoa …` → `… Narendra Modi nhận hoa …`.

    Where someone stands in the photo means nothing without it; what is left is a
    sentence when it has a verb (`is_caption` judges it like any other line).
    """
    if not _POSITION_RE.search(sentence):
        return sentence
    return _SPACES_RE.sub(" ", _POSITION_RE.sub(" ", sentence)).strip()


# A photo's credit on the line after its caption: `Ảnh : Sputnik`, `( Ảnh : AP )`, `Photo : CoCo`.
_PHOTO_CREDIT_RE = re.compile(r"^\(?\s*(?:ảnh|photo|nguồn ảnh)\s*:\s*[^.:!?]{1,40}?\s*\)?\s*\.?$", re.IGNORECASE)
# A short first line whose words the next line repeats (four in five) only announces it: a photo
# caption with a verb ("Tổng thống Trump tưởng niệm các nạn nhân thảm hoạ 11/9 ." / "Tổng thống Mỹ
# Donald Trump hôm qua có bài phát biểu tưởng nhớ các nạn nhân …") or a heading again.
RESTATED_SHARE = 0.8


def is_photo_credit(line: str) -> bool:
    """A line that only credits a photo (`Ảnh : AP`): the line before it is the photo's caption."""
    return _PHOTO_CREDIT_RE.match(line.strip()) is not None


def credited_caption(n_syllables: int, next_line: str) -> bool:
    """A short line (of `n_syllables`) that the next line credits as a photo (`Tiêm kích bom Su -34 Nga
    không kích ở Syria .` / `Ảnh : Sputnik`): a caption, verb or not."""
    return n_syllables <= MARKED_CAPTION_MAX_SYLLABLES and is_photo_credit(next_line)


def restated_by(line: str, tokens: list[str], after: list[str]) -> bool:
    """Whether `after`, a longer sentence, repeats `line` (a short line with no comma): at least
    `RESTATED_SHARE` of its syllables (`tokens` and `after` as `diplobot.text.syllables` gives them)."""
    if not tokens or len(tokens) > MARKED_CAPTION_MAX_SYLLABLES or len(after) <= len(tokens) or "," in line:
        return False
    later = set(after)
    return sum(token in later for token in tokens) >= RESTATED_SHARE * len(tokens)


def marked_caption(line: str, n_syllables: int) -> bool:
    """A line with where people stand in the photo whose main clause, once the marks are gone,
    has no verb: `Ông Kung Sok - ung ( phải ) khi còn giữ chức thứ trưởng …`, `Ông Mike Pompeo ,
    phải , người được Tổng thống chọn …` (their verbs are in a `khi` or `người` phrase); not
    `Thủ tướng Ấn Độ Narendra Modi ( trái ) nhận hoa khi …`. The main clause ends at the first
    comma or word that opens a phrase about the noun (`_CAPTION_PHRASE_WORDS`)."""
    if n_syllables > MARKED_CAPTION_MAX_SYLLABLES or not _POSITION_RE.search(line):
        return False
    tokens = _TOKEN_RE.findall(strip_photo_position(line))
    end = next((i for i, t in enumerate(tokens) if i > 0 and (t == "," or t.lower() in _CAPTION_PHRASE_WORDS)), len(tokens))
    return not has_predicate(" ".join(tokens[:end]))


def photo_marks(sentence: str, n_syllables: int) -> bool:
    """A caption's own marks: where people stand in the photo (`Kim Jong-un ( trái ) và …`,
    `Ông Mike Pompeo , phải , …`), or a short line that a picture noun opens and no clause
    word follows (`Hình ảnh phóng thử tên lửa … do KCNA công bố .`, but not `Hình ảnh sau
    đó đã thu hút …`, a sentence about a picture).
    """
    if n_syllables <= MARKED_CAPTION_MAX_SYLLABLES and _POSITION_RE.search(sentence):
        return True
    if n_syllables > MARKED_CAPTION_MAX_SYLLABLES or not _PICTURE_RE.match(sentence):
        return False
    tokens = _TOKEN_RE.findall(sentence.lower())
    clause = set(tokens) & _PICTURE_CLAUSE_WORDS
    return (not clause or _passive_of_subject(tokens, clause)) and not points_back(sentence)


def _passive_of_subject(tokens: list[str], clause: set[str]) -> bool:
    """`Hiện trường ô tô bị nhóm côn đồ chặn …`, `Video nhóm đối tượng hỗn chiến bị bắt giữ .`: the
    line's only clause word is a `bị` or `được` of the noun after the picture noun, which says what
    the picture shows; not `Hiện trường được phong toả …`, whose `được` is the picture noun's own, or
    `… nhanh chóng được lan truyền`, after an adverb."""
    if not clause <= _PASSIVES:
        return False
    at = next(i for i, token in enumerate(tokens) if token in _PASSIVES)
    opener = _PICTURE_RE.match(" ".join(tokens))
    if opener is None:
        return False
    start = len(opener.group().split())
    # `Hiện trường vụ tai nạn được phong toả`, `Hình ảnh của đối tượng được …`: the passive of the
    # whole noun phrase.
    whole = tokens[start : start + 1] and (tokens[start] in _NOMINALIZERS or tokens[start] == "của")
    return at > start and not whole and tokens[at - 1] not in _ADVERB_ENDS

"""The role lexicon and organisation vocabulary behind `tagger.people`.

A role is a title head (`Thứ trưởng`, `Bí thư`, `Đại sứ`) plus the organisation that
follows it (`Bộ Ngoại giao`, `Tỉnh ủy`, `UBND tỉnh Tây Ninh`). Organisation names are
written `Title lowercase…` (`Bộ Ngoại giao`, `Ủy ban Biên giới quốc gia`) while a
person's name is a run of capitalized syllables; the vocabulary below tells one from
the other. Heads are matched lowercased because vietnews writes `bộ trưởng`.
"""

from __future__ import annotations

HEADS = """
thủ tướng|phó thủ tướng|phó thủ tướng thường trực|thủ tướng chính phủ
chủ tịch nước|phó chủ tịch nước|tổng bí thư|chủ tịch quốc hội|phó chủ tịch quốc hội
chủ tịch|phó chủ tịch|chủ tịch thường trực|phó chủ tịch thường trực|quyền chủ tịch
bộ trưởng|thứ trưởng|thứ trưởng thường trực|quyền bộ trưởng|ngoại trưởng|bộ trưởng ngoại giao
tổng thống|phó tổng thống|quốc vương|nhà vua|nữ hoàng|hoàng tử|công chúa|thái tử|nhật hoàng
tổng thư ký|phó tổng thư ký|đại sứ|đại sứ đặc mệnh toàn quyền|tổng lãnh sự|phó tổng lãnh sự
lãnh sự|tham tán|tham tán công sứ|công sứ|bí thư thứ nhất|bí thư thứ hai|đại biện|đại biện lâm thời
bí thư|phó bí thư|phó bí thư thường trực|bí thư thường trực
giám đốc|phó giám đốc|tổng giám đốc|phó tổng giám đốc|quyền giám đốc
cục trưởng|phó cục trưởng|vụ trưởng|phó vụ trưởng|tổng cục trưởng|phó tổng cục trưởng
trưởng ban|phó trưởng ban|trưởng đoàn|phó trưởng đoàn|trưởng phái đoàn|phó trưởng phái đoàn
trưởng phòng|phó trưởng phòng|trưởng cơ quan đại diện|trưởng đại diện
người phát ngôn|phát ngôn viên|chánh văn phòng|phó chánh văn phòng
chủ nhiệm|phó chủ nhiệm|ủy viên bộ chính trị|ủy viên trung ương đảng|ủy viên ban chấp hành trung ương đảng
ủy viên trung ương|bí thư trung ương đảng|ủy viên|ủy viên thường vụ
đại tướng|thượng tướng|trung tướng|thiếu tướng|đại tá|thượng tá|trung tá|thiếu tá
chuẩn đô đốc|phó đô đốc|đô đốc|tư lệnh|phó tư lệnh|chính ủy|tổng tham mưu trưởng|tham mưu trưởng
thống đốc|phó thống đốc|chánh án|viện trưởng|phó viện trưởng|hiệu trưởng|phó hiệu trưởng
tổng kiểm toán|tổng thanh tra|chánh thanh tra|điều phối viên|đặc phái viên|đặc sứ|thị trưởng
phó thị trưởng|nghị sĩ|thượng nghị sĩ|hạ nghị sĩ|chủ tịch hạ viện|chủ tịch thượng viện|tổng biên tập
đại biểu quốc hội|thủ hiến|tỉnh trưởng|phó tỉnh trưởng|quốc vụ khanh|tổng lý|ngoại trưởng
chủ tịch hội đồng quản trị|trưởng đại diện thường trú|giáo hoàng|quốc trưởng|hoàng thái tử
cố vấn|cố vấn nhà nước|cố vấn an ninh quốc gia|cố vấn cao cấp|phụ tá|phụ tá phát ngôn viên
phó phát ngôn|trợ lý|người đứng đầu|nhà lãnh đạo|lãnh đạo|đội trưởng|giám đốc điều hành
người sáng lập|nhà sáng lập|tướng|quan chức|chủ tịch điều hành|tổng tư lệnh|phó đội trưởng
người đồng cấp|thẩm phán|chánh công tố viên|bình luận viên|phó trợ lý
""".replace("\n", "|").split("|")
HEADS = sorted({h.strip() for h in HEADS if h.strip()})

# `Ủy`/`Uỷ` spelled either way in heads: `tagger._text.canon` turns `uỷ` into `ủy`.

# Words that may be a person's title without being a role (`ông`, `TS`).
CUES = {"ông", "bà", "ngài", "đồng chí", "anh", "chị", "gs", "pgs", "ts", "ths", "gs.ts",
        "pgs.ts", "tiến sĩ", "tiến sỹ", "giáo sư", "luật sư", "nhà báo", "bác sĩ", "ns", "nsnd",
        "nsưt", "cháu", "em", "bé", "cụ", "cô", "chú", "bác", "thầy", "cô giáo", "thầy giáo",
        "chuyên gia", "nhà hoạt động", "ca sĩ", "nữ ca sĩ", "nam ca sĩ", "nhạc sĩ", "nghệ sĩ",
        "danh hài", "diễn viên", "á hậu", "hoa hậu", "người đẹp", "bị cáo", "bị can", "đối tượng",
        "nạn nhân", "tên là", "có tên", "tên thật là", "con trai", "con gái", "anh trai",
        "em trai", "chị gái", "em gái", "vợ", "chồng", "mẹ", "học trò", "bạn gái",
        "bạn trai", "người yêu", "đàn chị", "đàn anh", "phu nhân", "tài tử", "nhà nghiên cứu",
        "nhà phân tích", "giới thiệu", "công dân", "thuyền viên", "thượng úy", "thiếu úy",
        "trung úy", "đại úy", "sinh viên", "học sinh", "cầu thủ", "hlv", "huấn luyện viên"}
# Cues that are a role when the text gives no other (`giáo sư Fredrik Lovegall`).
PROFESSION_CUES = {"tiến sĩ", "tiến sỹ", "giáo sư", "luật sư", "nhà báo", "bác sĩ", "ns", "nsnd",
                   "nsưt", "gs", "pgs", "ts", "ths", "gs.ts", "pgs.ts", "chuyên gia", "nhà hoạt động",
                   "ca sĩ", "nữ ca sĩ", "nam ca sĩ", "nhạc sĩ", "nghệ sĩ", "danh hài", "diễn viên",
                   "á hậu", "hoa hậu", "công dân", "thuyền viên", "thượng úy", "thiếu úy",
                   "trung úy", "đại úy", "sinh viên", "học sinh", "cầu thủ", "hlv", "huấn luyện viên",
                   "nhà nghiên cứu", "nhà phân tích", "tài tử", "cô giáo", "thầy giáo"}
# Cues that stand for a person by themselves: a lone given name after them is a person
# (`chị Nhiêu`, `tên là Hiếu`); after other cues it must join a full name.
KIN_CUES = {"ông", "bà", "anh", "chị", "cháu", "em", "bé", "cụ", "cô", "chú", "bác", "tên là",
            "có tên", "ca sĩ", "nữ ca sĩ", "nam ca sĩ", "danh hài", "nghệ sĩ", "ngài"}

# Words that open a role told as a description after a name (`, thành viên cao cấp của
# Phòng Thương mại Indonesia`, `- một nhà phân tích quốc phòng`): up to the next comma.
DESCRIPTIONS = {"thành viên", "chuyên gia", "nhà nghiên cứu", "nhà phân tích", "nhà báo",
                "nhà hoạt động", "giáo sư", "tiến sĩ", "một thành viên", "một chuyên gia",
                "một nhà nghiên cứu", "một nhà phân tích", "một nhà hoạt động", "một cựu",
                "chuyên viên", "người đứng đầu", "con trai", "con gái", "vợ", "chồng",
                "nghiên cứu viên", "học giả", "luật sư", "nhà ngoại giao", "cựu nhà ngoại giao"}

# Verbs that end a description (`chuyên gia ... ở Bắc Kinh nhận xét`).
SPEECH_VERBS = {"nhận xét", "cho biết", "nói", "cho rằng", "nhấn mạnh", "khẳng định", "phát biểu",
                "tuyên bố", "đánh giá", "viết", "thừa nhận", "nhận định", "bình luận", "chia sẻ",
                "kể", "giải thích", "lưu ý", "cảnh báo", "bày tỏ", "đã", "sẽ", "đang", "vừa",
                "phân tích", "nhận xét", "dự báo"}

# Lowercase words that continue an organisation name after a capitalized word
# (`Ngoại giao`, `Biên giới quốc gia`). Verbs that follow names are left out on
# purpose: `hội đàm`, `đồng chủ trì`, `phát biểu`, `thông báo`, `tiếp`, `trao`.
ORG_VOCAB = set("""
giao vụ phủ phòng an pháp chính thương hoạch tư động binh tải dựng nguyên trường dục tạo
học nghệ hóa thao lịch tế nghiệp triển thôn hàng nước tra tộc ủy ương giáo vận chức ngoại
giới quốc gia sự trực diện hợp nghị sản dân trận quân sát lệnh mưu trị ban đoàn ty viện
sách tác chế tân chí xã biển cảng khẩu lao mại đối kinh doanh bang viên vệ tài văn tổ
ngân nhà thể du y đào khoa công xây môi truyền nội hành lễ báo cục sở vực niên phụ
nữ đội liên hiệp hữu sinh lực trung cảnh phong thuế quan toán hải hòa vũ khí đài tỉnh
thành phố huyện đảng chấp hành thường vụ viễn quản lý đội trú trưởng tâm thượng hạ tình chương trình tạp chí hậu đàn thế
""".split())

# Lowercase words that belong to a role's organisation anywhere (`UBND tỉnh`).
ORG_LOWER = {"tỉnh", "thành", "phố", "huyện", "quận", "thị", "xã", "nước", "quốc", "gia",
             "trung", "ương", "thường", "trực", "vụ", "ủy", "đảng", "ngoại", "giao", "bộ",
             "sở", "cục", "ban", "đội", "phòng"}

# Words before a head that belong to the role (`cựu Tổng thống`, `quyền Bộ trưởng`).
MODIFIERS = {"cựu", "nguyên", "tân", "quyền", "phó"}

# Heads after which one foreign word is a person's name (`Tổng thống Trump`,
# `Thứ trưởng Ngoại giao Syria Mekdad`), not a company (`Giám đốc Samsung`).
SINGLE_NAME_HEADS = {
    "tổng thống", "phó tổng thống", "thủ tướng", "phó thủ tướng", "ngoại trưởng", "bộ trưởng",
    "thứ trưởng", "quốc vương", "nhà vua", "nữ hoàng", "hoàng tử", "thái tử", "tổng thư ký",
    "đại sứ", "chủ tịch", "thủ tướng chính phủ", "tổng bí thư", "người phát ngôn",
    "phát ngôn viên", "đại tướng", "thượng tướng", "trung tướng", "thiếu tướng", "đại tá",
    "thượng tá", "tướng", "đô đốc", "thị trưởng", "thống đốc", "nghị sĩ", "thượng nghị sĩ",
    "hạ nghị sĩ", "lãnh đạo", "nhà lãnh đạo", "bộ trưởng ngoại giao", "chủ tịch nước",
    "người đồng cấp", "thẩm phán", "tổng lãnh sự", "đặc phái viên", "đặc sứ", "tư lệnh",
}

# Ranks and titles after which an appositive role is added (`đại tướng Ngô Xuân Lịch,
# bộ trưởng Bộ Quốc phòng`); all roles also take it. Company words never name a person.
COMPANY_WORDS = {"công", "ty", "tập", "đoàn", "hãng", "tổng công ty", "ngân", "hàng"}

# Capitalized words that start an organisation, never a person's name (`Bộ`, `Sở`).
ORG_STARTERS = set("""
bộ sở ban ủy cục vụ viện hội tổng liên trung ngân công học trường báo đài quỹ đảng
quốc chính nhà phái cơ tỉnh thành huyện quân hải không cảnh biên lực tòa kiểm mặt
tổ chi phòng hãng nhóm khối diễn hiệp nghị đại thông hãng tờ tạp ngoại đối kinh thủ
""".split())

# Capitalized organisation names made only of capitalized words (`Bộ Công Thương`).
KNOWN_ORGS = ["Công Thương", "Quốc hội", "Chính phủ", "Nhà Trắng", "Điện Kremlin",
              "Lầu Năm Góc", "Thường trực", "Tỉnh ủy", "Thành ủy", "Trung ương", "UBND",
              "HĐND", "UBMTTQ", "Quốc phòng"]

# Lowercase words that continue only one capitalized word (`Xã hội`, `Hội đồng`),
# because alone they are verbs after a name (`hội đàm`, `đồng chủ trì`).
ORG_PAIRS = {("xã", "hội"), ("quốc", "hội"), ("đại", "hội"), ("hội", "đồng"),
             ("cộng", "đồng"), ("giao", "thông"), ("truyền", "thông"), ("thông", "tin"),
             ("thông", "tấn"), ("phát", "triển"), ("hợp", "tác"), ("tuyên", "giáo"),
             ("tuyên", "truyền"), ("chủ", "tịch"), ("thông", "tấn"), ("dân", "chủ"),
             ("tiếp", "thị"), ("xúc", "tiến"), ("viễn", "thông"), ("thư", "ký"), ("tổng", "thư"), ("thế", "giới"),
             ("hậu", "cần"), ("đại", "sứ"), ("sứ", "quán")}

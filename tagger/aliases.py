"""Reviewed name variants that the official lists lack, and the words that guard them.

Every table here was written by hand from how Vietnamese media actually spell places
(official transliterations such as `I-xra-en`, short forms such as `Mỹ`, old spellings
such as `Bắc Cạn`). Keep entries specific: a form that is also an ordinary word or a
given name goes in `AMBIGUOUS` so that the context rules look at it twice.
"""

from __future__ import annotations

# --- provinces -------------------------------------------------------------------
# form -> old province short name (as in mapping.json's old_province_names).
PROVINCE_ALIASES: dict[str, str] = {
    "Thừa Thiên Huế": "Huế",
    "Thừa Thiên - Huế": "Huế",
    "TT-Huế": "Huế",
    "TP.HCM": "Hồ Chí Minh",
    "TP. HCM": "Hồ Chí Minh",
    "TP HCM": "Hồ Chí Minh",
    "Tp.HCM": "Hồ Chí Minh",
    "Tp HCM": "Hồ Chí Minh",
    "TPHCM": "Hồ Chí Minh",
    "TP.HCMC": "Hồ Chí Minh",
    "HCMC": "Hồ Chí Minh",
    "HCM": "Hồ Chí Minh",
    "Sài Gòn": "Hồ Chí Minh",
    "Bắc Cạn": "Bắc Kạn",
    "Đắc Lắc": "Đắk Lắk",
    "Đắk Lắc": "Đắk Lắk",
    "Đăk Lăk": "Đắk Lắk",
    "Đắk Lăk": "Đắk Lắk",
    "Đắc Lắk": "Đắk Lắk",
    "Daklak": "Đắk Lắk",
    "Đắc Nông": "Đắk Nông",
    "Đăk Nông": "Đắk Nông",
    "Kontum": "Kon Tum",
    "BR-VT": "Bà Rịa - Vũng Tàu",
    "BRVT": "Bà Rịa - Vũng Tàu",
    "Bà Rịa Vũng Tàu": "Bà Rịa - Vũng Tàu",
    "Bà Rịa-Vũng Tàu": "Bà Rịa - Vũng Tàu",
    "Vũng Tàu": "Bà Rịa - Vũng Tàu",
    "Côn Đảo": "Bà Rịa - Vũng Tàu",
    # Cities and famous places that name their province without doubt.
    "Nha Trang": "Khánh Hòa",
    "Cam Ranh": "Khánh Hòa",
    "Hạ Long": "Quảng Ninh",
    "Móng Cái": "Quảng Ninh",
    "Vân Đồn": "Quảng Ninh",
    "Đà Lạt": "Lâm Đồng",
    "Phú Quốc": "Kiên Giang",
    "Rạch Giá": "Kiên Giang",
    "Buôn Ma Thuột": "Đắk Lắk",
    "Quy Nhơn": "Bình Định",
    "Hội An": "Quảng Nam",
    "Sa Pa": "Lào Cai",
    "Sapa": "Lào Cai",
    "Phan Thiết": "Bình Thuận",
    "Pleiku": "Gia Lai",
    "Biên Hòa": "Đồng Nai",
    "Thủ Dầu Một": "Bình Dương",
    "Mỹ Tho": "Tiền Giang",
    "Tuy Hòa": "Phú Yên",
    "Phan Rang": "Ninh Thuận",
    "Phan Rang - Tháp Chàm": "Ninh Thuận",
    "Đồng Hới": "Quảng Bình",
    "Việt Trì": "Phú Thọ",
    "Cửa Lò": "Nghệ An",
    "Sầm Sơn": "Thanh Hóa",
    "Điện Biên Phủ": "Điện Biên",
    "Cát Bà": "Hải Phòng",
    "Lý Sơn": "Quảng Ngãi",
    "Dung Quất": "Quảng Ngãi",
    "Vũng Áng": "Hà Tĩnh",
    "Lao Bảo": "Quảng Trị",
    "Mộc Bài": "Tây Ninh",
}

# Names written without `tỉnh`/`TP` that are also a person or a thing: only with a
# city prefix or after a place preposition (`Chủ tịch Hồ Chí Minh` is a person).
CITY_PREFIX_ONLY = {"Hồ Chí Minh"}

# Prefixes people type before a province (folded, longest first).
PROVINCE_PREFIXES = (
    "thanh pho truc thuoc trung uong",
    "thanh pho",
    "tinh",
    "tp.",
    "tp",
    "t.p.",
    "t.p",
)

# --- countries -------------------------------------------------------------------
# ISO alpha-2 -> media forms beyond Babel's Vietnamese name.
COUNTRY_ALIASES: dict[str, list[str]] = {
    "US": ["Mỹ", "Hoa Kỳ", "Hợp chủng quốc Hoa Kỳ", "USA", "United States", "Hoa Kì"],
    "GB": ["Anh", "Vương quốc Anh", "Anh Quốc", "Liên hiệp Vương quốc Anh",
           "Liên hiệp Vương quốc Anh và Bắc Ai-len", "Liên hiệp Anh", "United Kingdom", "UK"],
    "KP": ["Triều Tiên", "CHDCND Triều Tiên", "Bắc Triều Tiên",
           "Cộng hòa Dân chủ Nhân dân Triều Tiên", "North Korea"],
    "KR": ["Hàn Quốc", "Hàn", "Đại Hàn", "Nam Hàn", "Đại Hàn Dân Quốc", "South Korea", "Korea"],
    "LA": ["Lào", "CHDCND Lào", "Cộng hòa Dân chủ Nhân dân Lào", "Laos"],
    "TH": ["Thái Lan", "Vương quốc Thái Lan", "Thailand"],
    "JP": ["Nhật Bản", "Nhật", "Nhật hoàng", "Nhật Hoàng", "Japan"],
    "CN": ["Trung Quốc", "Trung Hoa", "Cộng hòa Nhân dân Trung Hoa", "CHND Trung Hoa", "China"],
    "TW": ["Đài Loan", "Đài Loan (Trung Quốc)", "Taiwan"],
    "HK": ["Hồng Kông", "Hong Kong", "Hồng Kông (Trung Quốc)", "Hong Kong (Trung Quốc)",
           "Hương Cảng"],
    "MO": ["Ma Cao", "Macau", "Macao", "Ma Cao (Trung Quốc)"],
    "KH": ["Campuchia", "Cam-pu-chia", "Căm-pu-chia", "Vương quốc Campuchia", "Cambodia"],
    "ID": ["In-đô-nê-xi-a", "Inđônêxia", "Indonesia", "Nam Dương"],
    "MY": ["Ma-lai-xi-a", "Malaixia", "Malaysia"],
    "PH": ["Phi-líp-pin", "Philippines", "Philippin", "Phi-lip-pin", "Philipines", "Phillipines"],
    "SG": ["Xinh-ga-po", "Xin-ga-po", "Singapore", "Singapo"],
    "MM": ["Mi-an-ma", "Myanmar", "Miến Điện", "Mianma"],
    "BN": ["Bru-nây", "Brunei", "Brunây", "Bru-nây Đa-rút-xa-lam"],
    "TL": ["Ti-mo Lét-xtê", "Đông Timor", "Timor-Leste", "Timor Leste", "Đông Ti-mo"],
    "AU": ["Ô-xtrây-li-a", "Ôxtrâylia", "Úc", "Australia"],
    "NZ": ["Niu Di-lân", "Niu Dilân", "New Zealand", "Tân Tây Lan"],
    "IL": ["I-xra-en", "Ixraen", "Israel", "Ít-xra-en"],
    "IT": ["I-ta-li-a", "Italia", "Ý", "Italy"],
    "AR": ["Ác-hen-ti-na", "Achentina", "Argentina"],
    "RU": ["Nga", "Liên bang Nga", "LB Nga", "Russia"],
    "FR": ["Pháp", "Cộng hòa Pháp", "France"],
    "DE": ["Đức", "CHLB Đức", "Cộng hòa Liên bang Đức", "Germany"],
    "IN": ["Ấn Độ", "India"],
    "CA": ["Ca-na-đa", "Canađa", "Canada"],
    "BR": ["Bra-xin", "Braxin", "Brazil", "Brasil"],
    "MX": ["Mê-hi-cô", "Mêhicô", "Mexico", "Mêxicô"],
    "CU": ["Cu-ba", "Cuba"],
    "VE": ["Vê-nê-xu-ê-la", "Venezuela"],
    "CL": ["Chi-lê", "Chilê", "Chile"],
    "PE": ["Pê-ru", "Peru"],
    "CO": ["Cô-lôm-bi-a", "Colombia"],
    "ZA": ["Nam Phi"],
    "EG": ["Ai Cập"],
    "NG": ["Ni-giê-ri-a", "Nigeria"],
    "DZ": ["An-giê-ri", "Angiêri", "Algeria"],
    "MA": ["Ma-rốc", "Maroc", "Morocco"],
    "MZ": ["Mô-dăm-bích", "Môdămbích", "Mozambique"],
    "AO": ["Ăng-gô-la", "Ănggôla", "Angola"],
    "TZ": ["Tan-da-ni-a", "Tanzania"],
    "KE": ["Kê-ni-a", "Kenya"],
    "ET": ["Ê-ti-ô-pi-a", "Ethiopia"],
    "SA": ["Ả Rập Xê-út", "Ả-rập Xê-út", "Ả Rập Saudi", "Saudi Arabia", "A-rập Xê-út"],
    "AE": ["UAE", "Các Tiểu vương quốc Ả-rập Thống nhất", "Các Tiểu vương quốc Ả Rập Thống nhất",
           "Các Tiểu vương quốc Ả Rập thống nhất"],
    "IR": ["I-ran", "Iran"],
    "IQ": ["I-rắc", "Iraq", "Irắc"],
    "SY": ["Xy-ri", "Xi-ri", "Syria"],
    "TR": ["Thổ Nhĩ Kỳ", "Turkey"],
    "KW": ["Cô-oét", "Kuwait"],
    "QA": ["Ca-ta", "Qatar"],
    "PS": ["Pa-le-xtin", "Palestine", "Lãnh thổ Palestine"],
    "JO": ["Gioóc-đa-ni", "Jordan"],
    "LB": ["Li-băng", "Liban", "Lebanon"],
    "PK": ["Pa-ki-xtan", "Pakistan"],
    "BD": ["Băng-la-đét", "Bangladesh", "Băngla Đét"],
    "LK": ["Xri Lan-ca", "Sri Lanka"],
    "NP": ["Nê-pan", "Nepal"],
    "MN": ["Mông Cổ"],
    "KZ": ["Ca-dắc-xtan", "Cadắcxtan", "Kazakhstan"],
    "UZ": ["U-dơ-bê-ki-xtan", "Uzbekistan"],
    "UA": ["U-crai-na", "Ucraina", "Ukraine", "Ukraina"],
    "BY": ["Bê-la-rút", "Bêlarút", "Belarus"],
    "PL": ["Ba Lan"],
    "CZ": ["Séc", "Cộng hòa Séc", "CH Séc", "Czech"],
    "SK": ["Xlô-va-ki-a", "Slovakia"],
    "HU": ["Hung-ga-ri", "Hungary", "Hunggari"],
    "RO": ["Ru-ma-ni", "Rumani", "Romania"],
    "BG": ["Bun-ga-ri", "Bungari", "Bulgaria"],
    "RS": ["Xéc-bi-a", "Xécbia", "Serbia"],
    "HR": ["Crô-a-ti-a", "Croatia"],
    "GR": ["Hy Lạp"],
    "AT": ["Áo", "Austria"],
    "CH": ["Thụy Sĩ", "Thụy Sỹ", "Switzerland"],
    "SE": ["Thụy Điển", "Sweden"],
    "NO": ["Na Uy", "Norway"],
    "DK": ["Đan Mạch", "Denmark"],
    "FI": ["Phần Lan", "Finland"],
    "NL": ["Hà Lan", "Netherlands"],
    "BE": ["Bỉ", "Vương quốc Bỉ", "Belgium"],
    "ES": ["Tây Ban Nha", "Spain"],
    "PT": ["Bồ Đào Nha", "Portugal"],
    "IE": ["Ai-len", "Ai Len", "Ireland", "Ai-rơ-len"],
    "IS": ["Ai-xơ-len", "Iceland"],
    "LU": ["Lúc-xăm-bua", "Luxembourg", "Lúcxămbua"],
    "CY": ["Síp", "Cyprus"],
    "EE": ["E-xtô-ni-a", "Estonia"],
    "LV": ["Lát-vi-a", "Latvia"],
    "LT": ["Lít-va", "Litva", "Lithuania"],
    "AZ": ["A-déc-bai-gian", "Azerbaijan"],
    "AM": ["Ác-mê-ni-a", "Armenia"],
    "GE": ["Gru-di-a", "Gruzia"],
    "VA": ["Vatican", "Tòa Thánh Vatican", "Tòa Thánh"],
    "CI": ["Bờ Biển Ngà", "Côte d'Ivoire"],
    "LY": ["Li-bi", "Libya", "Libi"],
    "TN": ["Tuy-ni-di", "Tunisia"],
    "SD": ["Xu-đăng", "Sudan"],
    "CG": ["Cộng hòa Công-gô", "Công-gô"],
    "CD": ["Cộng hòa Dân chủ Công-gô", "CHDC Công-gô"],
    "MG": ["Ma-đa-ga-xca", "Madagascar"],
    "SN": ["Xê-nê-gan", "Senegal"],
    "GH": ["Ga-na", "Ghana"],
    "CM": ["Ca-mơ-run", "Cameroon"],
    "PA": ["Pa-na-ma", "Panama"],
    "NI": ["Ni-ca-ra-goa", "Nicaragua"],
    "EC": ["Ê-cu-a-đo", "Ecuador"],
    "UY": ["U-ru-goay", "Uruguay"],
    "PY": ["Pa-ra-goay", "Paraguay"],
    "BO": ["Bô-li-vi-a", "Bolivia"],
    "DO": ["Cộng hòa Đô-mi-ni-ca"],
    "MV": ["Man-đi-vơ", "Maldives"],
    "PG": ["Pa-pua Niu Ghi-nê", "Papua New Guinea"],
    "FJ": ["Phi-gi", "Fiji"],
    "AF": ["Áp-ga-ni-xtan", "Afghanistan"],
    "MK": ["Bắc Macedonia", "Bắc Ma-xê-đô-ni-a"],
    "SI": ["Xlô-ven-ni-a", "Slovenia"],
    "BA": ["Bô-xni-a Héc-dê-gô-vi-na"],
    "MT": ["Man-ta", "Malta"],
    "OM": ["Ô-man", "Oman"],
    "BH": ["Ba-ranh", "Bahrain"],
    "YE": ["Y-ê-men", "Yemen"],
}

# Canonical Vietnamese names where Babel's is long or not what media write.
COUNTRY_NAMES: dict[str, str] = {
    "HK": "Hồng Kông",
    "MO": "Ma Cao",
    "MM": "Myanmar",
    "PS": "Palestine",
    "VA": "Vatican",
    "CI": "Bờ Biển Ngà",
    "AE": "Các Tiểu vương quốc Ả Rập Thống nhất",
    "CD": "Cộng hòa Dân chủ Congo",
    "CG": "Cộng hòa Congo",
}

# Babel codes that are not countries (groupings, pseudo locales, remote islands).
NOT_COUNTRIES = {"AC", "AQ", "CP", "DG", "EA", "EU", "EZ", "IC", "QO", "TA", "UN",
                 "XA", "XB", "ZZ", "VN"}
# Dependent territories (`đảo Guam của Mỹ` is not a country). Hong Kong, Macao, Taiwan
# and Palestine stay: Vietnamese diplomacy deals with them as partners.
NOT_COUNTRIES |= {"AS", "AI", "AW", "AX", "BL", "BM", "BQ", "BV", "CC", "CK", "CW", "CX", "EH",
                  "FK", "FO", "GF", "GG", "GI", "GL", "GP", "GS", "GU", "HM", "IM", "IO", "JE",
                  "KY", "MF", "MP", "MQ", "MS", "NC", "NF", "NU", "PF", "PM", "PN", "PR", "RE",
                  "SH", "SJ", "SX", "TC", "TF", "TK", "UM", "VG", "VI", "WF", "YT"}

# --- words that are never a place ----------------------------------------------
# Longer names that contain a province or country name but are neither.
BLOCKERS = [
    "Thái Bình Dương", "Ấn Độ Dương", "châu Mỹ", "Châu Mỹ", "Mỹ Latin", "Mỹ Latinh",
    "Mỹ La-tinh", "Mỹ La tinh", "Nam Mỹ", "Bắc Mỹ", "Trung Mỹ", "Mỹ Đình", "Mỹ Phước",
    "Chủ Nhật", "Chủ nhật", "Nam Ninh", "Quảng Tây", "Quảng Đông", "Vân Nam",
    "Đông Nam Á", "Đông Nam bộ", "Đông Nam Bộ", "Nam Bộ", "Nam bộ", "Tây Nam bộ",
    "Tây Nam Bộ", "Nam Trung Bộ", "Nam Trung bộ", "Nam Cực", "Bắc Cực",
    "Đức Giáo hoàng", "Đức Giáo Hoàng", "Đức Thánh Cha", "Đức Phật", "Đức Cha",
    "Đức Mẹ", "Đức Tổng Giám mục", "Đức Hồng y", "Đức Đạt Lai Lạt Ma", "Đức Chúa",
    "Đức Ông", "sông Hàn", "Sông Hàn", "cầu Sông Hàn", "Công viên Hòa Bình",
    "Samoa thuộc Mỹ", "Quần đảo Virgin thuộc Mỹ", "Hà Nội Mới",
    "Việt Nam", "Liên hợp quốc", "Liên Hợp Quốc", "Liên Hiệp Quốc", "Liên hiệp quốc",
    # Seas and gulfs named after a country are not the country.
    "vịnh Thái Lan", "Vịnh Thái Lan", "biển Nhật Bản", "Biển Nhật Bản", "biển Hoa Đông",
    # World regions.
    "châu Âu", "Châu Âu", "châu Á", "Châu Á", "châu Phi", "Châu Phi", "châu Đại Dương",
    "Châu Đại Dương", "Đông Bắc Á", "Đông Á", "Nam Á", "Tây Á", "Trung Á", "Bắc Á", "Đông Âu", "Tây Âu",
    "Bắc Âu", "Nam Âu", "Trung Âu", "Trung Đông", "Bắc Phi", "Tây Phi", "Đông Phi",
    "Trung Phi", "Nam Thái Bình Dương", "Tây Thái Bình Dương",
    # Vietnamese districts and towns whose names hold a country word (`huyện Đông Anh`).
    "Đông Anh", "Mỹ Tho", "Mỹ Hào", "Mỹ Đức", "Mỹ Lộc", "Mỹ Tú", "Mỹ Xuyên", "Mỹ Khê", "Mỹ Sơn",
    "Long Mỹ", "Cẩm Mỹ", "Thạnh Mỹ", "Đức Trọng", "Đức Hòa", "Đức Huệ", "Đức Linh", "Đức Phổ",
    "Đức Thọ", "Đức Cơ", "Nga Sơn", "Hưng Hà", "Anh Sơn",
    # Words and names that hold one (`Viện Hàn lâm` is an academy; `Việt Anh` a given name).
    "Hàn lâm", "Hàn Lâm", "Việt Anh", "Thủ Đức",
    # Peninsulas named after a country are regions (`bán đảo Triều Tiên`).
    "bán đảo Triều Tiên", "Bán đảo Triều Tiên",
    # Newspapers named after a city are titles (`báo Pháp luật TP. HCM`).
    "Pháp luật TP. HCM", "Pháp luật TP.HCM", "Pháp Luật TP.HCM", "Pháp luật TP HCM",
    "Pháp Luật TP. HCM", "Sài Gòn Giải Phóng", "Sài Gòn Giải phóng",
]
# Places and landmarks whose first syllable is also a surname: never a person
# (`quần đảo Hoàng Sa`, `huyện Thạch Thất`, `Kim Tự Tháp`).
BLOCKERS += [
    "Hoàng Sa", "Trường Sa", "Kim Tự Tháp", "Hai Bà Trưng", "Buenos Aires", "Rio de Janeiro",
    "Hoàng Mai", "Hà Đông", "Thạch Thất", "Lương Sơn", "Mai Châu", "Hồ Gươm", "Hồ Tây",
    "Văn Miếu", "Đồng Văn", "Từ Liêm", "Nam Từ Liêm", "Bắc Từ Liêm", "Hồng Bàng",
    "Đống Đa", "Cầu Giấy", "Phú Nhuận", "Gò Vấp", "Bình Thạnh", "Thanh Xuân", "Long Biên",
    "Mai Dịch", "Thái Hòa", "Tô Lịch", "Lâm Hà", "Đoan Hùng", "Vũ Quang", "Đinh Quán",
    "Phan Rí", "Hồ Núi Cốc", "Cao Lãnh", "Hà Tiên", "Trần Đề", "Châu Đốc",
    "Châu Thành", "Hà Quảng", "Vũ Thư", "Lục Ngạn", "Lục Nam", "Kim Bôi", "Kim Sơn",
    "Uông Bí", "Thạch Hà", "Cù Lao Chàm", "Âu Châu", "Hoa Ngữ", "Lò Gốm", "Kim Mã", "Tây Đô",
    "Châu Thổ", "Ngọc Hoàng", "Táo Quân", "ông Táo", "Ông Táo", "Thần Tài", "Ông Địa",
    # Goods and bodies named after a country, and capitals typed by mistake.
    "kiếm Nhật", "hàng Nhật", "nội địa Nhật", "cỏ Mỹ", "thẩm mỹ Việt Mỹ", "Tư Pháp", "cố Ý",
]
# Towns and districts named with given-name syllables (`Tam Kỳ`, `Vĩnh Yên`): places, not
# stage names. Province names themselves stay out (they are provinces).
BLOCKERS += """Tam Kỳ|Vĩnh Yên|Thạnh Hóa|Tân An|Bảo Lộc|Long Xuyên|Sa Đéc|Đông Hà|Vị Thanh|Ngã Bảy
|Cẩm Phả|Phủ Lý|Tam Điệp|Sông Công|Phúc Yên|Chí Linh|Kinh Môn|Đồng Xoài|Bình Long|Phước Long
|Gia Nghĩa|An Khê|Ayun Pa|Buôn Hồ|Ninh Hòa|La Gi|Long Khánh|Phú Mỹ|Thuận An|Dĩ An|Tân Uyên
|Bến Cát|Hồng Ngự|Tân Châu|Vĩnh Châu|Giá Rai|Ngã Năm|Duyên Hải|Kiến Tường|Gò Công|Cai Lậy
|Hương Thủy|Hương Trà|Ba Đồn|Hồng Lĩnh|Kỳ Anh|Bỉm Sơn|Nghi Sơn|Điện Bàn|Hoài Nhơn|An Nhơn
|Sông Cầu|Đông Hòa|Hoàn Kiếm|Ba Đình|Tây Hồ|Gia Lâm|Thanh Trì|Mê Linh|Sóc Sơn|Quốc Oai
|Chương Mỹ|Ứng Hòa|Phú Xuyên|Thường Tín|Đan Phượng|Hoài Đức|Phúc Thọ|Ba Vì|Tân Bình|Tân Phú
|Bình Tân|Hóc Môn|Bình Chánh|Nhà Bè|Cần Giờ|Củ Chi|Ninh Kiều|Cái Răng|Bình Thủy|Ô Môn
|Thốt Nốt|Sơn Trà|Hải Châu|Thanh Khê|Liên Chiểu|Ngũ Hành Sơn|Cẩm Lệ|Hòa Vang|Hồng Bàng
|Kiến An|Đồ Sơn|Dương Kinh|Thủy Nguyên|An Dương|Tiên Lãng|Vĩnh Bảo|Cát Hải""".replace("\n", "").split("|")
# Currencies and goods named after a country are not the country (issue 14):
# `đô la Mỹ`, `yên Nhật`, `dao Thái Lan`.
_MONEY = {"Mỹ": ["đô la", "đôla", "đô-la", "Đô la", "USD", "đô"], "Nhật": ["yên"],
          "Anh": ["bảng"], "Singapore": ["đô la", "đôla"], "Úc": ["đô la", "đôla"],
          "Hồng Kông": ["đô la", "đôla"], "Hong Kong": ["đô la", "đôla"],
          "Canada": ["đô la", "đôla"], "Đài Loan": ["đô la", "Đài tệ"], "Hàn Quốc": ["won"],
          "Nga": ["rúp", "đồng rúp"], "Thụy Sĩ": ["franc"], "Thái Lan": ["dao", "baht"]}
BLOCKERS += [f"{word} {country}" for country, words in _MONEY.items() for word in words]
# Companies, schools and hospitals named after a country are not the country:
# `công ty Việt Séc`, `bệnh viện Việt Đức`, `Trường Việt Úc`, `Đại học Quốc gia Singapore`.
_INSTITUTIONS = ["công ty", "Công ty", "cty", "Cty", "bệnh viện", "Bệnh viện", "trường", "Trường",
                 "liên doanh", "Liên doanh", "ngân hàng", "Ngân hàng", "Hữu nghị",
                 "tập đoàn", "Tập đoàn", "khách sạn", "Khách sạn", "trung tâm", "Trung tâm"]
_SHORT = ["Đức", "Séc", "Úc", "Nga", "Pháp", "Mỹ", "Nhật", "Hàn", "Anh", "Lào", "Thái", "Trung",
          "Ý", "Bỉ", "Singapore", "Cuba", "Ba Lan", "Hàn Quốc", "Nhật Bản", "Trung Quốc"]
BLOCKERS += [f"{inst} Việt {c}" for inst in _INSTITUTIONS for c in _SHORT]
BLOCKERS += [f"{inst} Việt - {c}" for inst in _INSTITUTIONS for c in _SHORT]
# Universities named after a country (not `các đại học Mỹ`, US universities in general).
BLOCKERS += [f"{uni} {c}" for uni in ("Đại học", "đại học", "ĐH")
             for c in ["Quốc gia Singapore", "Hong Kong", "Hồng Kông", "Quốc gia Úc",
                       "Quốc gia Australia", "Quốc gia Seoul", "Quốc gia Đài Loan"]]
# Foreign capitals and big cities: never a Vietnamese place, never a person's name
# (`Đại sứ Mỹ ở Jerusalem`, `Thị trưởng thành phố New York`).
FOREIGN_CITIES = [
    "Washington", "New York", "Bắc Kinh", "Thượng Hải", "Quảng Châu", "Thâm Quyến",
    "Moskva", "Matxcơva", "Mát-xcơ-va", "Tokyo", "Tô-ky-ô", "Osaka", "Seoul", "Xơ-un",
    "Bình Nhưỡng", "Paris", "Pa-ri", "London", "Luân Đôn", "Berlin", "Béc-lin", "Rome",
    "Jerusalem", "Tel Aviv", "Ankara", "Istanbul", "Bangkok", "Băng Cốc", "Viêng Chăn",
    "Vientiane", "Phnom Penh", "Phnôm Pênh", "Kuala Lumpur", "Jakarta", "Gia-các-ta",
    "Manila", "Ma-ni-la", "Yangon", "Naypyidaw", "New Delhi", "Niu Đê-li", "Canberra",
    "Sydney", "Ottawa", "Geneva", "Brussels", "Vienna", "Madrid", "Tehran", "Riyadh",
    "Dubai", "Havana", "La Habana", "Caracas", "Brasilia", "Singapore City", "Đài Bắc",
    "Hồng Kông", "Bàn Môn Điếm", "Vladivostok", "San Francisco", "Los Angeles", "Hawaii",
    "Nhà Trắng", "Điện Kremlin", "Kremlin", "Lầu Năm Góc",
]
BLOCKERS += [c for c in FOREIGN_CITIES if c not in {"Hồng Kông"}]

# Single syllables that are also everyday words or given names.
AMBIGUOUS = {"Anh", "Ý", "Pháp", "Đức", "Áo", "Mỹ", "Nga", "Nhật", "Hàn", "Úc", "Bỉ",
             "Séc", "Lào", "Síp", "Huế", "Jordan", "Georgia", "Chad", "Niger", "Mali",
             "Jersey", "Guinea"}

# Sentence-initial compounds: `Pháp luật`, `Ý kiến`, `Áo dài` are not countries.
COMPOUNDS: dict[str, set[str]] = {
    "Pháp": {"luật", "lý", "chế", "nhân", "định", "quyền", "y", "sư", "trường", "môn",
             "chủ", "điển", "danh", "hiệu", "lệnh", "đình", "thuật", "bảo", "hội", "sự"},
    "Ý": {"kiến", "nghĩa", "nghĩ", "thức", "tưởng", "chí", "định", "muốn", "đồ", "tứ",
          "thích", "nguyện", "niệm", "tình", "thơ", "chính", "tại"},
    "Áo": {"dài", "khoác", "sơ", "mưa", "giáp", "phao", "quần", "len", "thun", "ấm",
           "bà", "tứ", "cưới", "trắng", "đỏ", "xanh", "choàng", "vest", "gối"},
    "Mỹ": {"phẩm", "thuật", "nghệ", "quan", "mãn", "nhân", "vị", "học", "viện", "tục", "lệ"},
    "Đức": {"tin", "tính", "độ", "hạnh", "dục", "trị"},
    "Nhật": {"ký", "kí", "thực", "báo", "trình", "dụng"},
    "Anh": {"ấy", "ta", "em", "chị", "hùng", "minh", "tài", "linh", "trai", "rể", "họ",
            "cả", "hai", "ba", "nói", "cho", "kể", "đã", "sẽ", "là", "đang", "vẫn",
            "từng", "bị", "được", "không", "chưa", "có", "muốn", "thấy", "nghĩ", "biết",
            "chia", "tâm", "nhớ", "chỉ", "lại", "vừa", "mới", "luôn", "thì"},
}

# Kinship terms and pronouns used as titles before a given name (`anh Minh`, `chị Nga`).
KINSHIP = {"ông", "bà", "anh", "chị", "cô", "chú", "bác", "cụ", "bé", "cậu", "thầy",
           "dì", "em", "cháu", "mợ", "thím", "nàng", "chàng", "lão", "tên"}

# Capitalized words that may stand right before a place (`Tại Hà Nội`, `Vịnh Hạ Long`,
# `TP Hồ Chí Minh`): not part of a person's name. Lowercase, with marks.
PLACE_LEADERS = set("""
tại ở và với từ cho theo của giữa sang đến tới về trong ngoài thuộc tỉnh thành phố tp
huyện quận thị xã vịnh sông cảng báo đài sở bộ đảo biển núi cửa khẩu sân bay chợ cầu
đường phường miền vùng khu trường bệnh viện hội ban cục chi đoàn nhân dân các những mọi
nhiều cả toàn hai ba sứ quán lãnh phía hướng thăm rời gặp sau trước riêng còn tuy nhưng
khi nếu là nước quốc gia thủ đô nhà công ty tập học hàng hợp tác giao trung tâm lễ
festival ngày sáng chiều tối hôm đêm trưa năm tháng kể tiếp một trên dưới cùng để vào ra
lên xuống qua lại dự mua bán xuất nhập chính phủ quyền địa phương tổng đông tây nam bắc
tuần tết xuân hè thu đông đại tế liên minh khối nhóm tổ chức diễn phái ủy tư uỷ
""".split()) - {"trung", "minh", "thu", "xuân", "quốc", "chính", "công", "tâm",
                  "nhân", "phương", "đoàn", "thị", "thành"}

# Vietnamese surnames: a capitalized one right before a name means a person.
SURNAMES = set("""
nguyễn trần lê phạm hoàng huỳnh phan vũ võ đặng bùi đỗ hồ ngô dương lý đinh đào lâm mai
trương lương tô hà cao tạ châu triệu trịnh chu quách lưu thái tăng vương lại la kiều khúc
đoàn mạc phùng đàm tôn nghiêm kha giang lạc lò âu vi hứa thân từ đồng lữ uông khổng diệp
quan bạch tiêu nông hầu ông lục doãn văn thạch sầm chế khương bành quàng vì danh trang
lã ninh phí cù giáp tiết trình ung kim lò hoa
""".split())

# Syllables that middle or end Vietnamese given names, from the training split
# (`PYTHONPATH=. python bench/given_names.py --ratio 40`): two of them repeated through an
# article with no surname are a stage or pen name (`Hoài Lâm`, `Bảo Ngọc`, `Thanh Tú`).
GIVEN_NAMES = set("""
anh ba bào bá bách bê bình bích bính bô bôn bùi băng bạch bảo bảy bắc bỉnh bốn bồ bổng bội
bửu cang chi chinh chiêm chiêu chiến chiểu chu chung chàm chánh châm châu chí chín chương
chấn cà cát công cúc cương cường cẩm cẩn cốt cừ cửu cự danh dinh diên diều diễm diệc diệp
diệu doãn dung duy duyên duật dĩnh dũ dũng dương dược dạ dần dậu dững eun gi giang giàu giáp
gấm hanh hee hi hinh hiên hiến hiếu hiền hiển hiểu hiệp hoa hoan hoài hoàng hoành hoán huy
huynh huyên huyến huyền huân huấn huẩn huế huệ huỳnh hy hà hàm hàn hào hán hân hãn hòa hòe
hóa hùng hưng hương hường hạ hạnh hạo hải hảo hận hằng hồ hồng hổ hới hời hợi hữu hựu hỷ kha
khang khanh khiêm khiết khiếu khoa khoan khuê khuông khuất khái khánh khê khôi khăm khơi
khương khạnh khải khắc kim kiên kiều kiệt klơng kính kít kỳ kỵ la lai lam lan lang lao linh
liêm liễu loan long luyến luyện luân ly lynh lâm lân lãm lão lê líu lò lăng lĩnh lư lưu
lương lệ lộc lợi lục lữ mai mi min minh miên my mã mãnh mão mùi mơ mười mường mạc mạn mạnh
mẫn mận mậu mịch mộc mộng mỵ mỹ na nai nam nga nghĩa ngoan nguyên nguyễn nguyệt ngà ngân ngô
ngôn ngũ ngưu ngạn ngọ ngọc ngộ ngữ nhi nho nhung nhuần nhuận nhàn nhâm nhã nhơn nhưỡng
nhược nhạ nhẫn nhậm nhật nhị nhựt ni ninh nô nưng nương nội oai oanh oánh pha phan phi phiến
phong phu phùng phú phúc phương phước phượng phạm phấn phến phớc phụng quang quyên quách
quái quân quí quý quảng quế quốc quỳnh rang rê rí sa san sang sen siêu son sum sào sáu sâm
sùng sơn sương sướng sường sầm sỏi sửu sỹ tae tam thanh thao thiên thiền thiều thiện thiệp
thiệu thoa thoan thu thung thuân thuấn thuần thuận thành thái thám thánh tháp thìn thùy thúy
thăng thơ thơm thưởng thượng thạch thạnh thản thảnh thảo thắm thắng thế thị thịnh thọ thới
thụ thục thụy thủy tinh tiên tiến tiếu tiểu tiệp toan toàn toại toản trang tri trinh triết
triều trung truyện trà trác tráng trâm trân trì trí trùng trúc trương trạc trạch trần trịnh
trọng trỗi trứ tuyên tuyến tuyết tuyền tuân tuấn tuệ tám tát tâm tân tây tín tòng tô tôn
tông tùng tú tý tĩnh tơ tươi tường tạ tạc tảo tấn tất tần tắc tề tịnh tống tộ tứ tỵ uy uyên
van vinh viết viễn việt vy vân võ văn vĩ vĩnh vũ vương vượng vạn vịnh vững vỹ xiếc xoài
xuyến xuân xà xá xương yên yến ái ánh ân âu út đam đan đang đinh điền điểu điệp đoan đoàn đà
đàm đào đã đãng đê đình đính đôn đông đăng đại đạt đắc đằng đẳng đặng đặt đế đề đều đệ đỗ
đức ưng
""".split())

"""Unicode clean-up, name folding and legacy Vietnamese encodings (dashboard.textfix)."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dashboard import textfix
from dashboard.textfix import (
    LegacyTextError,
    decode_bytes,
    detect_legacy,
    fix_text,
    fold,
    from_tcvn3,
    from_vni,
    nfc,
    to_tcvn3,
    to_vni,
)

#: Every lower-case Vietnamese letter outside ASCII, written out by hand.
LOWER = (
    "àảãáạ" "ăằẳẵắặ" "âầẩẫấậ" "èẻẽéẹ" "êềểễếệ" "ìỉĩíị" "òỏõóọ" "ôồổỗốộ" "ơờởỡớợ"
    "ùủũúụ" "ưừửữứự" "ỳỷỹýỵ" "đ"
)  # fmt: skip
UPPER = LOWER.upper()
ALL_LETTERS = LOWER + UPPER
#: The upper-case letters TCVN3 (ABC) has a byte for.
TCVN3_UPPER = "ĂÂÊÔƠƯĐ"

#: The TCVN3 table as given in the specification (byte -> letter).
TCVN3_SPEC = (
    "A1 Ă, A2 Â, A3 Ê, A4 Ô, A5 Ơ, A6 Ư, A7 Đ, A8 ă, A9 â, AA ê, AB ô, AC ơ, AD ư, AE đ, B5 à, B6 ả, "
    "B7 ã, B8 á, B9 ạ, BB ằ, BC ẳ, BD ẵ, BE ắ, C6 ặ, C7 ầ, C8 ẩ, C9 ẫ, CA ấ, CB ậ, CC è, CE ẻ, CF ẽ, "
    "D0 é, D1 ẹ, D2 ề, D3 ể, D4 ễ, D5 ế, D6 ệ, D7 ì, D8 ỉ, DC ĩ, DD í, DE ị, DF ò, E1 ỏ, E2 õ, E3 ó, "
    "E4 ọ, E5 ồ, E6 ổ, E7 ỗ, E8 ố, E9 ộ, EA ờ, EB ở, EC ỡ, ED ớ, EE ợ, EF ù, F1 ủ, F2 ũ, F3 ú, F4 ụ, "
    "F5 ừ, F6 ử, F7 ữ, F8 ứ, F9 ự, FA ỳ, FB ỷ, FC ỹ, FD ý, FE ỵ"
)

TCVN3_NOTE = "Văn bản mã TCVN3 (ABC) đã được chuyển sang Unicode."
VNI_NOTE = "Văn bản mã VNI đã được chuyển sang Unicode."


def _spec_table() -> dict[str, str]:
    pairs = (item.split() for item in TCVN3_SPEC.split(", "))
    return {chr(int(code, 16)): letter for code, letter in pairs}


# --------------------------------------------------------------------------- nfc, fold


def test_letter_lists_are_complete():
    assert len(LOWER) == len(set(LOWER)) == 67
    assert len(ALL_LETTERS) == len(set(ALL_LETTERS)) == 134
    assert all(unicodedata.normalize("NFC", c) == c and not c.isascii() for c in ALL_LETTERS)


def test_nfc_composes_and_collapses_whitespace():
    decomposed = unicodedata.normalize("NFD", "Phường Hoàn Kiếm")
    assert decomposed != "Phường Hoàn Kiếm"
    assert nfc(decomposed) == "Phường Hoàn Kiếm"
    assert nfc("  Phường\u00a0\u00a0Hoàn\t\n Kiếm \u200b") == "Phường Hoàn Kiếm"
    assert nfc("Hoàn\u200bKiếm") == "Hoàn Kiếm"
    assert nfc("\ufeffTD-001\u2003") == "TD-001"
    assert nfc("") == ""


def test_nfc_keeps_legacy_bytes():
    # NFC, not NFKC: ª ² µ and the soft hyphen are TCVN3 letters or symbols to keep
    assert nfc("Ph\u00adêng ª µ ²") == "Ph\u00adêng ª µ ²"


def test_fold_examples():
    assert fold("Phường  HOÀN Kiếm") == "phuong hoan kiem"
    assert fold("Quận Đống Đa") == "quan dong da"
    assert fold("  Xã Sóc Sơn ") == "xa soc son"
    assert fold("Ý Yên") == "y yen"
    assert fold("Q.Hoàn Kiếm") == fold("Q. Hoàn Kiếm") == "q hoan kiem"
    assert fold("Văn Miếu - Quốc Tử Giám") == fold("Văn Miếu-Quốc Tử Giám") == "van mieu quoc tu giam"
    assert fold("(TD_001), a/b") == "td 001 a b"
    assert fold("Ðống Ða") == "dong da"  # eth typed for Đ


def test_fold_nfd_equals_nfc():
    for name in ("Phường Hoàn Kiếm", "Thị xã Sơn Tây", "Ô Chợ Dừa", "Đống Đa", "Ứng Hòa", "Mỹ Đức"):
        assert fold(unicodedata.normalize("NFD", name)) == fold(name)
        assert fold(name.upper()) == fold(name)
    assert fold("Hòa") == fold("Hoà")


def test_fold_drops_every_diacritic():
    folded = fold(ALL_LETTERS)
    assert folded.isascii()
    assert set(folded) <= set("aeiouyd")


# --------------------------------------------------------------------------- tables, encoders


def test_tcvn3_table_matches_the_standard():
    assert _spec_table() == textfix.TCVN3_TABLE


def test_tcvn3_example():
    assert to_tcvn3("Phường Hoàn Kiếm") == "Ph\u00adêng Hoµn KiÕm"
    assert from_tcvn3("Ph\u00adêng Hoµn KiÕm") == "Phường Hoàn Kiếm"


def test_tcvn3_round_trip_of_every_letter():
    for letter in LOWER + TCVN3_UPPER:
        encoded = to_tcvn3(letter)
        assert len(encoded) == 1 and 0xA1 <= ord(encoded) <= 0xFE, letter
        assert from_tcvn3(encoded) == letter
    assert len({to_tcvn3(letter) for letter in LOWER + TCVN3_UPPER}) == 74


def test_tcvn3_cannot_encode_upper_case_with_tone():
    with pytest.raises(ValueError, match="TCVN3"):
        to_tcvn3("Ấp")


def test_vni_table_has_every_letter():
    assert len(textfix.VNI_TABLE) == 134
    assert sorted(textfix.VNI_TABLE.values()) == sorted(ALL_LETTERS)


@pytest.mark.parametrize(
    ("letter", "vni"),
    [
        ("â", "aâ"), ("ê", "eâ"), ("ô", "oâ"), ("ấ", "aá"), ("ề", "eà"), ("ộ", "oä"), ("ẩ", "aå"),
        ("ễ", "eã"), ("ă", "aê"), ("ắ", "aé"), ("ằ", "aè"), ("ẳ", "aú"), ("ẵ", "aü"), ("ặ", "aë"),
        ("ơ", "ô"), ("ư", "ö"), ("ớ", "ôù"), ("ừ", "öø"), ("Ơ", "Ô"), ("Ư", "Ö"), ("í", "í"),
        ("ì", "ì"), ("ỉ", "æ"), ("ĩ", "ó"), ("ị", "ò"), ("Ỉ", "Æ"), ("Ị", "Ò"), ("ỵ", "î"),
        ("Ỵ", "Î"), ("ý", "yù"), ("đ", "ñ"), ("Đ", "Ñ"), ("á", "aù"), ("ò", "oø"), ("ủ", "uû"),
        ("ẽ", "eõ"), ("ụ", "uï"), ("Ấ", "AÁ"), ("Ặ", "AË"), ("Ộ", "OÄ"), ("À", "AØ"), ("Ự", "ÖÏ"),
    ],
)  # fmt: skip
def test_vni_sequences(letter, vni):
    assert to_vni(letter) == vni
    assert from_vni(vni) == letter


def test_vni_round_trip_of_every_letter():
    for letter in ALL_LETTERS:
        encoded = to_vni(letter)
        assert all(ord(c) <= 0xFF for c in encoded), letter
        assert 1 <= len(encoded) <= 2
        if len(encoded) == 2:
            assert encoded[0] in "aeouyAEOUYôöÔÖ", letter
        assert from_vni(encoded) == letter
    assert from_vni(to_vni(ALL_LETTERS)) == ALL_LETTERS


def test_vni_longest_match_first():
    assert from_vni("ô") == "ơ"
    assert from_vni("ôù") == "ớ"
    assert from_vni("öôø") == "ườ"
    assert from_vni("oâ") == "ô"


def test_vni_examples():
    assert to_vni("Phường Hoàn Kiếm") == "Phöôøng Hoaøn Kieám"
    assert to_vni("Đống Đa") == "Ñoáng Ña"
    assert from_vni("Phöôøng Hoaøn Kieám") == "Phường Hoàn Kiếm"
    assert from_vni("Ñoáng Ña") == "Đống Đa"


def test_vni_cannot_encode_other_scripts():
    with pytest.raises(ValueError, match="VNI"):
        to_vni("Zürich")


# --------------------------------------------------------------------------- detection, fix_text

PLAUSIBLE = "phường hoàn kiếm quốc giữa người khuỷu hoà hòa thuở nghiêng ấp gì uống chính oách huynh Đống ĐA"
IMPLAUSIBLE = "phảảảng teọp tổnh bàt hoàc ôô aì muà ing đ Ñoáng x2"


def test_syllable_plausibility():
    # how a decoded word is judged: structure, tone place, tones on c/ch/p/t
    assert all(textfix._plausible(word) for word in PLAUSIBLE.split())
    assert not any(textfix._plausible(word) for word in IMPLAUSIBLE.split())


@pytest.mark.parametrize(
    ("legacy", "encoding", "unicode"),
    [
        ("Ph\u00adêng Hoµn KiÕm", "tcvn3", "Phường Hoàn Kiếm"),
        ("Phöôøng Hoaøn Kieám", "vni", "Phường Hoàn Kiếm"),
        ("Ñoáng Ña", "vni", "Đống Đa"),
        ("Hµ Néi", "tcvn3", "Hà Nội"),
        ("Haø Noäi", "vni", "Hà Nội"),
    ],
)
def test_examples_are_detected_and_converted(legacy, encoding, unicode):
    assert detect_legacy(legacy) == encoding
    assert fix_text(legacy) == (unicode, TCVN3_NOTE if encoding == "tcvn3" else VNI_NOTE)


SENTENCES = [
    "Đội tuần tra phường Đống Đa",
    "Nhà nghỉ số 12 phố Hàng Bạc",
    "Phường Cửa Nam, quận Hoàn Kiếm",
    "Karaoke Hoa Hồng, đường Láng",
    "Kiểm tra hành chính cơ sở lưu trú",
    "Tụ điểm đã được xóa",
    "Đ/c Nguyễn Văn Bình",
]


@pytest.mark.parametrize("sentence", SENTENCES)
def test_sentences_in_both_encodings(sentence):
    tcvn3 = to_tcvn3(sentence)
    assert fix_text(tcvn3) == (sentence, TCVN3_NOTE)
    for form in (sentence, sentence.upper()):
        assert fix_text(to_vni(form)) == (form, VNI_NOTE)


@pytest.mark.parametrize(
    "text",
    [
        "Phường Hoàn Kiếm",
        "Xã Sóc Sơn",
        "Thị xã Sơn Tây",
        "Ô Chợ Dừa",
        "Ý Yên",
        "Hà Tây",
        "Cà Mau",
        "TD-001",
        "",
        "3×4",
        "10m×20m",
        "Kho 2 × 3 m",
        "Kích thước 3×4 m",
        "20°C",
        "Nhiệt độ 30°C",
        "Diện tích 50 m²",
        "±5 m",
        "«TD-001»",
        "«ABC» ©",
        "Công ty ABC®",
        "x ¤",
        unicodedata.normalize("NFD", "Phường Hoàn Kiếm"),
    ],
)
def test_correct_text_is_not_legacy(text):
    assert detect_legacy(text) is None
    assert fix_text(text) == (nfc(text), None)


def test_legacy_text_keeps_symbols():
    assert fix_text("Sè nhµ 3×4, 20°C") == ("Số nhà 3×4, 20°C", TCVN3_NOTE)
    assert fix_text("  Hµ\u00a0 Néi ") == ("Hà Nội", TCVN3_NOTE)


def test_unicode_text_with_odd_characters_is_left_alone():
    # letters outside Latin-1 prove the text is Unicode already
    assert fix_text("Quán Müller, phố Hàng Bạc") == ("Quán Müller, phố Hàng Bạc", None)
    assert fix_text("Ghi chú ¶ 3: Phường Ô Chợ Dừa") == ("Ghi chú ¶ 3: Phường Ô Chợ Dừa", None)


def test_ambiguous_words_follow_the_vni_signature():
    # both readings are plausible Vietnamese: "Cöa" is VNI "Cưa" or TCVN3 "Cửa",
    # "Chæ" VNI "Chỉ" or TCVN3 "Chổ"; ö (VNI ư) decides for VNI, else TCVN3 wins
    assert detect_legacy("Cöa Nam") == "vni"
    assert detect_legacy("Chæ") == "tcvn3"
    assert detect_legacy("Ph\u00adêng Cöa Nam") == "tcvn3"  # the soft hyphen (ư) is not VNI


def test_unconvertible_text_raises_with_message():
    text = "Ph¶¶¶ng ¤¤"
    # unclean in both encodings: VNI has no ¶ or ¤, TCVN3 gives a word with three tones
    assert from_vni(text) == text
    assert from_tcvn3(text) == "Phảảảng ÔÔ"
    assert detect_legacy(text) is None
    with pytest.raises(LegacyTextError) as caught:
        fix_text(text)
    assert str(caught.value) == (
        "Văn bản có ký tự lạ, có thể do bảng mã cũ (TCVN3/VNI) không chuyển được: «Ph¶¶¶ng ¤¤». "
        "Hãy lưu lại bằng Unicode."
    )
    assert isinstance(caught.value, ValueError)


@pytest.mark.parametrize("text", ["Müller", "Ph¶¶ng", "nhµ ng¶¶", "señor"])
def test_other_unclean_text_raises(text):
    assert detect_legacy(text) is None
    with pytest.raises(LegacyTextError):
        fix_text(text)


# --------------------------------------------------------------------------- bytes


def test_decode_bytes():
    text = "Phường Hoàn Kiếm\n"
    assert decode_bytes(text.encode("utf-8")) == (text, "utf-8")
    assert decode_bytes(b"\xef\xbb\xbf" + text.encode("utf-8")) == (text, "utf-8")
    assert decode_bytes(text.encode("utf-16")) == (text, "utf-16")
    assert decode_bytes(b"\xfe\xff" + text.encode("utf-16-be")) == (text, "utf-16")
    assert decode_bytes(b"TD-001;3") == ("TD-001;3", "utf-8")
    assert decode_bytes(b"") == ("", "utf-8")


def test_decode_bytes_legacy_files():
    tcvn3 = "Ph\u00adêng Hoµn KiÕm".encode("latin-1")
    decoded, encoding = decode_bytes(tcvn3)
    assert encoding == "latin-1"
    assert fix_text(decoded) == ("Phường Hoàn Kiếm", TCVN3_NOTE)
    decoded, encoding = decode_bytes("Ñoáng Ña".encode("latin-1"))
    assert encoding == "latin-1"
    assert fix_text(decoded) == ("Đống Đa", VNI_NOTE)
    assert decode_bytes(b"caf\xe9") == ("café", "latin-1")
    assert decode_bytes(b"\xff\xfe\x00") == ("ÿþ\x00", "latin-1")  # a BOM but not UTF-16


@given(st.binary(max_size=200))
def test_decode_bytes_never_raises(data):
    text, encoding = decode_bytes(data)
    assert encoding in ("utf-8", "utf-16", "cp1258", "latin-1")
    assert isinstance(text, str)


# --------------------------------------------------------------------------- properties

VIETNAMESE = st.text(
    alphabet=st.sampled_from("abcdeghiklmnopqrstuvxyABCDEGHIKLMNOPQRSTUVXY " + ALL_LETTERS), max_size=40
)


@given(VIETNAMESE)
def test_vietnamese_text_is_never_legacy(text):
    assert detect_legacy(text) is None
    assert fix_text(text) == (nfc(text), None)


@given(VIETNAMESE)
def test_legacy_round_trips(text):
    assert from_vni(to_vni(text)) == text
    assert from_tcvn3(to_tcvn3(text.lower())) == text.lower()

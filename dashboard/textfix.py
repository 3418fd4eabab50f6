"""Cleaning Vietnamese text: Unicode normalisation, matching keys and legacy encodings.

Before Unicode became common, Vietnamese was typed with 8-bit fonts. Files
and spreadsheet cells typed that way still circulate; their text arrives here
as ordinary strings whose characters are the Latin-1 code points of the
legacy bytes (an Excel cell typed in the .VnTime font, a CSV decoded as
latin-1). Two encodings are recognised and converted:

* TCVN3 (ABC): one byte per letter, the table of TCVN 5712:1993 (lower-case
  letters and the upper-case Ă Â Ê Ô Ơ Ư Đ; upper-case letters with a tone
  were typed in a separate font and cannot be told apart here).
* VNI-Windows: an ASCII base letter followed by modifier bytes (the VNI font
  encoding), with a few letters (ơ ư đ, i with a tone, ỵ) as single bytes.

:func:`fix_text` is the entry point for a cell value; :func:`fold` gives the
key under which names are compared.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from dashboard.i18n import t

__all__ = [
    "TCVN3_TABLE",
    "VNI_TABLE",
    "LegacyTextError",
    "decode_bytes",
    "detect_legacy",
    "fix_text",
    "fold",
    "from_tcvn3",
    "from_vni",
    "nfc",
    "to_tcvn3",
    "to_vni",
]


class LegacyTextError(ValueError):
    """Text with characters of an old 8-bit encoding that could not be converted."""


# --------------------------------------------------------------------------- normalising

#: Whitespace, including no-break spaces (via ``\s``) and zero-width spaces.
_SPACES = re.compile(r"[\s\u180e\u200b\u2060\ufeff]+")


def nfc(text: str) -> str:
    """``text`` in Unicode NFC, trimmed, with every run of whitespace as one space."""
    return _SPACES.sub(" ", unicodedata.normalize("NFC", text)).strip()


def fold(text: str) -> str:
    """The key under which two names are the same: lower case, no diacritics
    (đ is d), punctuation and symbols read as spaces, spaces collapsed.

    ``fold("Phường  HOÀN Kiếm") == "phuong hoan kiem"``; ``"Q.Hoàn Kiếm"`` and
    ``"Q. Hoàn Kiếm"`` both give ``"q hoan kiem"``.
    """
    lowered = unicodedata.normalize("NFD", nfc(text).lower())
    kept = []
    for char in lowered:
        if unicodedata.combining(char):
            continue
        if char in "đð":  # ð (eth) is often typed for đ
            kept.append("d")
        elif unicodedata.category(char)[0] in "PSZC":
            kept.append(" ")
        else:
            kept.append(char)
    return " ".join("".join(kept).split())


# --------------------------------------------------------------------------- legacy tables
#
# Table facts: TCVN3 (ABC) from TCVN 5712:1993, the 8-bit Vietnamese standard
# (bytes A1-FE as listed below; bytes not listed are not letters in it).
# VNI from the VNI-Windows font encoding: base letter + tone byte (acute ù,
# grave ø, hook û, tilde õ, dot-below ï), circumflex byte â and its toned forms
# á à å ã ä, breve byte ê and its toned forms é è ú ü ë; ơ = ô, ư = ö, đ = ñ,
# ỵ = î and i with a tone as single bytes (í ì æ ó ò); upper-case letters use
# the upper-case form of each byte.

_TCVN3_CODES = {
    0xA1: "Ă", 0xA2: "Â", 0xA3: "Ê", 0xA4: "Ô", 0xA5: "Ơ", 0xA6: "Ư", 0xA7: "Đ",
    0xA8: "ă", 0xA9: "â", 0xAA: "ê", 0xAB: "ô", 0xAC: "ơ", 0xAD: "ư", 0xAE: "đ",
    0xB5: "à", 0xB6: "ả", 0xB7: "ã", 0xB8: "á", 0xB9: "ạ",
    0xBB: "ằ", 0xBC: "ẳ", 0xBD: "ẵ", 0xBE: "ắ", 0xC6: "ặ",
    0xC7: "ầ", 0xC8: "ẩ", 0xC9: "ẫ", 0xCA: "ấ", 0xCB: "ậ",
    0xCC: "è", 0xCE: "ẻ", 0xCF: "ẽ", 0xD0: "é", 0xD1: "ẹ",
    0xD2: "ề", 0xD3: "ể", 0xD4: "ễ", 0xD5: "ế", 0xD6: "ệ",
    0xD7: "ì", 0xD8: "ỉ", 0xDC: "ĩ", 0xDD: "í", 0xDE: "ị",
    0xDF: "ò", 0xE1: "ỏ", 0xE2: "õ", 0xE3: "ó", 0xE4: "ọ",
    0xE5: "ồ", 0xE6: "ổ", 0xE7: "ỗ", 0xE8: "ố", 0xE9: "ộ",
    0xEA: "ờ", 0xEB: "ở", 0xEC: "ỡ", 0xED: "ớ", 0xEE: "ợ",
    0xEF: "ù", 0xF1: "ủ", 0xF2: "ũ", 0xF3: "ú", 0xF4: "ụ",
    0xF5: "ừ", 0xF6: "ử", 0xF7: "ữ", 0xF8: "ứ", 0xF9: "ự",
    0xFA: "ỳ", 0xFB: "ỷ", 0xFC: "ỹ", 0xFD: "ý", 0xFE: "ỵ",
}  # fmt: skip

#: TCVN3 character (the Latin-1 code point of the byte) -> Unicode letter.
TCVN3_TABLE: dict[str, str] = {chr(code): letter for code, letter in _TCVN3_CODES.items()}
_TO_TCVN3 = {letter: char for char, letter in TCVN3_TABLE.items()}

# Combining marks, in the order of the VNI byte tuples below.
_ACUTE, _GRAVE, _HOOK, _TILDE, _DOT = "\u0301", "\u0300", "\u0309", "\u0303", "\u0323"
_TONES = ("", _ACUTE, _GRAVE, _HOOK, _TILDE, _DOT)
_CIRCUMFLEX, _BREVE, _HORN = "\u0302", "\u0306", "\u031b"

_VNI_TONE = ("", "ù", "ø", "û", "õ", "ï")  # after a base letter
_VNI_CIRCUMFLEX = ("â", "á", "à", "å", "ã", "ä")  # circumflex with each tone
_VNI_BREVE = ("ê", "é", "è", "ú", "ü", "ë")  # breve with each tone
_VNI_HORN = {"o": "ô", "u": "ö"}  # ơ and ư as single bytes, a tone byte may follow
_VNI_I = ("i", "í", "ì", "æ", "ó", "ò")  # i with each tone, single bytes
_VNI_Y_DOT, _VNI_D = "î", "ñ"  # ỵ and đ


def _compose(*parts: str) -> str:
    letter = unicodedata.normalize("NFC", "".join(parts))
    assert len(letter) == 1, parts
    return letter


def _build_vni() -> dict[str, str]:
    """VNI sequence -> Unicode letter, for every Vietnamese letter outside ASCII."""
    lower: dict[str, str] = {}
    for base in "aeouy":
        for tone, byte in zip(_TONES[1:], _VNI_TONE[1:], strict=True):
            if not (base == "y" and tone == _DOT):
                lower[base + byte] = _compose(base, tone)
    for base in "aeo":
        for tone, byte in zip(_TONES, _VNI_CIRCUMFLEX, strict=True):
            lower[base + byte] = _compose(base, _CIRCUMFLEX, tone)
    for tone, byte in zip(_TONES, _VNI_BREVE, strict=True):
        lower["a" + byte] = _compose("a", _BREVE, tone)
    for base, horn in _VNI_HORN.items():
        for tone, byte in zip(_TONES, _VNI_TONE, strict=True):
            lower[horn + byte] = _compose(base, _HORN, tone)
    for tone, byte in zip(_TONES[1:], _VNI_I[1:], strict=True):
        lower[byte] = _compose("i", tone)
    lower[_VNI_Y_DOT] = "ỵ"
    lower[_VNI_D] = "đ"
    table = dict(lower)
    table.update({sequence.upper(): letter.upper() for sequence, letter in lower.items()})
    return table


#: VNI sequence (Latin-1 code points of the bytes) -> Unicode letter: 134 entries.
VNI_TABLE: dict[str, str] = _build_vni()
_TO_VNI = {letter: sequence for sequence, letter in VNI_TABLE.items()}


_VNI_CHARS = frozenset("".join(VNI_TABLE)) - frozenset(chr(c) for c in range(128))

#: Characters of U+00A1-U+00FF that correctly encoded Vietnamese uses.
_VIET_LATIN1 = frozenset("ÀÁÂÃÈÉÊÌÍÒÓÔÕÙÚÝàáâãèéêìíòóôõùúý")
_LATIN1_HIGH = frozenset(chr(c) for c in range(0xA1, 0x100))
#: Characters that never occur in correctly encoded Vietnamese text.
_SUSPECT = _LATIN1_HIGH - _VIET_LATIN1
#: Suspect characters that are bytes of TCVN3 or VNI (the rest, such as
#: ° ± ² ³ º ¿, are ordinary symbols in either encoding).
_LEGACY = _SUSPECT & (frozenset(TCVN3_TABLE) | _VNI_CHARS)
_SYMBOLS = _SUSPECT - _LEGACY
#: Characters that a legacy decoder must consume: any left over is a sign of
#: the wrong encoding.
_MUST_CONVERT = _LATIN1_HIGH - _SYMBOLS
#: Letters outside Latin-1 that Windows-1252 also has; they prove nothing.
_CP1252_LETTERS = frozenset("ƒŠŒŽšœžŸ")
#: TCVN3-only bytes whose lower-case letter never ends a syllable (ă â đ and ă
#: with a tone): at the end of a word they are symbols (» closing quote, ® ©).
_NOT_WORD_FINAL = frozenset("¨©®»¼½¾")
_MATH_SIGNS = frozenset("×÷")

NOTES = {
    "tcvn3": t("textfix.note.tcvn3"),
    "vni": t("textfix.note.vni"),
}


# --------------------------------------------------------------------------- encoders, decoders


def to_tcvn3(text: str) -> str:
    """``text`` as TCVN3 would store it (ASCII is kept). Raises ValueError for a
    letter TCVN3 has no byte for, such as an upper-case letter with a tone."""
    out = []
    for char in unicodedata.normalize("NFC", text):
        if char.isascii():
            out.append(char)
        elif char in _TO_TCVN3:
            out.append(_TO_TCVN3[char])
        else:
            raise ValueError(t("textfix.not_in_tcvn3", char=char))
    return "".join(out)


def to_vni(text: str) -> str:
    """``text`` as VNI-Windows would store it (ASCII is kept). Raises ValueError
    for a character VNI has no form for."""
    out = []
    for char in unicodedata.normalize("NFC", text):
        if char.isascii():
            out.append(char)
        elif char in _TO_VNI:
            out.append(_TO_VNI[char])
        else:
            raise ValueError(t("textfix.not_in_vni", char=char))
    return "".join(out)


def _decode_tcvn3(text: str) -> tuple[str, int]:
    """(converted text, number of characters TCVN3 has no letter for)."""
    out = []
    odd = 0
    for char in text:
        letter = TCVN3_TABLE.get(char)
        if letter is None:
            odd += char in _MUST_CONVERT
            letter = char
        out.append(letter)
    return "".join(out), odd


def _decode_vni(text: str) -> tuple[str, int]:
    """(converted text, number of characters left that are not part of a VNI
    letter); sequences are matched longest first."""
    out = []
    odd = 0
    i = 0
    while i < len(text):
        pair = text[i : i + 2]
        if len(pair) == 2 and pair in VNI_TABLE:
            out.append(VNI_TABLE[pair])
            i += 2
            continue
        char = text[i]
        letter = VNI_TABLE.get(char)
        if letter is None:
            odd += char in _MUST_CONVERT
            letter = char
        out.append(letter)
        i += 1
    return "".join(out), odd


def from_tcvn3(text: str) -> str:
    """``text`` read as TCVN3 (characters TCVN3 has no letter for are kept)."""
    return _decode_tcvn3(text)[0]


def from_vni(text: str) -> str:
    """``text`` read as VNI-Windows (characters outside a VNI letter are kept)."""
    return _decode_vni(text)[0]


_DECODERS = {"tcvn3": _decode_tcvn3, "vni": _decode_vni}


# --------------------------------------------------------------------------- plausible syllables

_INITIALS = "ngh|ng|gh|gi|kh|nh|ph|qu|th|tr|ch|[bcdđghklmnpqrstvx]"
_FINALS = "ch|ng|nh|[cmnpt]"
# Vowel groups (toneless) by what may follow them: a final consonant never,
# optionally, or always.
_OPEN = [
    "ai",
    "ao",
    "au",
    "ay",
    "âu",
    "ây",
    "eo",
    "êu",
    "ia",
    "iu",
    "oi",
    "ôi",
    "ơi",
    "ua",
    "ui",
    "uơ",
    "ưa",
    "ưi",
    "ưu",
    "iêu",
    "yêu",
    "oai",
    "oao",
    "oay",
    "oeo",
    "uây",
    "uôi",
    "uya",
    "uyu",
    "ươi",
    "ươu",
]
_OPTIONAL = ["a", "e", "ê", "i", "o", "ô", "ơ", "u", "ư", "y", "oa", "oe", "uê", "uy"]
_CLOSED = ["ă", "â", "iê", "yê", "oă", "uâ", "uô", "ươ", "uyê"]


def _alternatives(groups: list[str]) -> str:
    return "|".join(sorted(groups, key=len, reverse=True))


_SYLLABLE = re.compile(
    rf"(?:{_INITIALS})?(?:(?P<closed>{_alternatives(_CLOSED)})(?:{_FINALS})"
    rf"|(?P<optional>{_alternatives(_OPTIONAL)})(?P<final>{_FINALS})?|(?P<open>{_alternatives(_OPEN)}))"
)
_MARKED_VOWELS = "ăâêôơư"
_VOWELS = frozenset("aeiouy")
_TONE_MARKS = frozenset(_TONES[1:])


def _tone_places(nucleus: str, final: bool) -> tuple[int, ...]:
    """Where in ``nucleus`` the tone mark may sit (old and new style)."""
    marked = [i for i, vowel in enumerate(nucleus) if vowel in _MARKED_VOWELS]
    if marked:
        return (marked[-1],)
    if final or len(nucleus) == 1:
        return (len(nucleus) - 1,)
    if nucleus in ("oa", "oe", "uy"):
        return (0, 1)
    return (1,) if len(nucleus) == 3 else (0,)


def _plausible(word: str) -> bool:
    """Whether ``word`` (letters only) can be one Vietnamese syllable: initial
    consonant, vowel group, final consonant, at most one tone mark, on the
    right vowel, and only the acute or dot-below tone before c, ch, p, t."""
    letters = word.lower()
    tones = []
    bare = []
    for i, char in enumerate(letters):
        decomposed = unicodedata.normalize("NFD", char)
        tones += [(i, mark) for mark in decomposed if mark in _TONE_MARKS]
        bare.append(unicodedata.normalize("NFC", "".join(c for c in decomposed if c not in _TONE_MARKS)))
    match = _SYLLABLE.fullmatch("".join(bare))
    if match is None or len(tones) > 1 or len("".join(bare)) != len(letters):
        return False
    group = next(name for name in ("closed", "optional", "open") if match[name])
    ending = letters[match.end(group) :]
    last_vowel = match[group][-1]
    if (ending in ("nh", "ch") and last_vowel not in "aêiy") or (
        ending in ("ng", "c") and last_vowel in "iy"
    ):
        return False
    stop = ending in ("c", "ch", "p", "t")
    if not tones:
        return not stop
    place, tone = tones[0]
    if place - match.start(group) not in _tone_places(match[group], bool(ending)):
        return False
    return not stop or tone in (_ACUTE, _DOT)


def _syllable_counts(text: str) -> tuple[int, int]:
    """(plausible, implausible) words among those with a letter outside ASCII;
    words without a vowel (abbreviations such as Đ/c, LĐTBXH) are not counted."""
    good = bad = 0
    for word in re.findall(r"[^\W_]+", text):
        if word.isascii() or not _VOWELS.intersection(unicodedata.normalize("NFD", word.lower())):
            continue
        if word.isalpha() and (word.islower() or word.isupper() or word.istitle()) and _plausible(word):
            good += 1
        else:
            bad += 1
    return good, bad


# --------------------------------------------------------------------------- detection


@dataclass(frozen=True)
class _Analysis:
    encoding: str | None = None
    converted: str | None = None
    #: legacy bytes used as letters that neither encoding converts cleanly
    unconvertible: bool = False


def _letterish(char: str) -> bool:
    return char.isalpha() or char in _LEGACY


def _symbol_positions(text: str) -> set[int]:
    """Positions of legacy-looking characters used as symbols, left unconverted:
    next to a digit (3×4, 1½), × or ÷ between numbers, ă/â/đ-bytes ending a
    word (®, a closing »), and the « that opens such a ».
    """
    masked: set[int] = set()
    for i, char in enumerate(text):
        if char not in _LEGACY:
            continue
        before = text[i - 1] if i else ""
        after = text[i + 1] if i + 1 < len(text) else ""
        if (
            before.isdigit()
            or after.isdigit()
            or (
                char in _MATH_SIGNS
                and text[:i].rstrip()[-1:].isdigit()
                and text[i + 1 :].lstrip()[:1].isdigit()
            )
            or (char in _NOT_WORD_FINAL and _letterish(before) and not _letterish(after))
        ):
            masked.add(i)
    for i in [i for i in masked if text[i] == "»"]:
        opening = text.rfind("«", 0, i)
        if opening >= 0 and (opening == 0 or not _letterish(text[opening - 1])):
            masked.add(opening)
    return masked


def _convert(text: str, masked: set[int], encoding: str) -> tuple[str, int]:
    """``text`` decoded with ``encoding`` except at the masked positions."""
    decode = _DECODERS[encoding]
    out = []
    odd = 0
    start = 0
    for position in [*sorted(masked), len(text)]:
        converted, count = decode(text[start:position])
        out.append(converted)
        odd += count
        out.append(text[position : position + 1])
        start = position + 1
    return "".join(out), odd


def _unicode_evidence(text: str) -> bool:
    """Whether ``text`` has letters or combining marks that no 8-bit encoding
    produces, so it is Unicode already."""
    return any(
        ord(char) > 0xFF and char not in _CP1252_LETTERS and unicodedata.category(char)[0] in "LM"
        for char in text
    )


def _vni_signature(text: str) -> int:
    """How strongly ``text`` looks like VNI: vowels followed by a tone byte, a,
    e, o followed by a circumflex or breve byte, and the VNI byte for ư."""
    return len(re.findall(r"[aeiouyAEIOUYôöÔÖ][ùøûõïÙØÛÕÏ]|[aeoAEO][âáàåãäêéèúüëÂÁÀÅÃÄÊÉÈÚÜË]|[öÖ]", text))


def _analyse(text: str) -> _Analysis:
    if not any(char in _SUSPECT for char in text) or _unicode_evidence(text):
        return _Analysis()
    masked = _symbol_positions(text)
    # a legacy byte counts as a letter next to a letter or inside a word with
    # ASCII letters ("Ñ/c"); alone ("x ¤", "a · b") it is a symbol
    words = {m.start(): m.group() for m in re.finditer(r"\S+", text)}
    word_of = {i: word for start, word in words.items() for i in range(start, start + len(word))}
    used_as_letter = any(
        char in _LEGACY
        and i not in masked
        and (
            (i > 0 and _letterish(text[i - 1]))
            or (i + 1 < len(text) and _letterish(text[i + 1]))
            or re.search("[A-Za-z]", word_of[i]) is not None
        )
        for i, char in enumerate(text)
    )
    if not used_as_letter:
        return _Analysis()
    candidates = []
    for encoding in _DECODERS:
        converted, odd = _convert(text, masked, encoding)
        good, bad = _syllable_counts(converted)
        # all words plausible; from six words on, one in six may be odd (a name, a typo)
        if odd == 0 and bad * 5 <= good:
            candidates.append((bad, -good, encoding, converted))
    if not candidates:
        return _Analysis(unconvertible=True)
    if len(candidates) == 2 and candidates[0][:2] == candidates[1][:2]:
        chosen = "vni" if _vni_signature(text) else "tcvn3"
        return next(_Analysis(c[2], c[3]) for c in candidates if c[2] == chosen)
    best = min(candidates)
    return _Analysis(best[2], best[3])


def detect_legacy(text: str) -> str | None:
    """ "tcvn3" or "vni" when ``text`` is Vietnamese typed in that legacy
    encoding and converts cleanly; None otherwise (ASCII, Unicode Vietnamese,
    symbols such as × ° ², or text that converts cleanly in neither)."""
    return _analyse(text).encoding


def fix_text(text: str) -> tuple[str, str | None]:
    """(``text`` in clean NFC Unicode, a Vietnamese note if it was converted
    from TCVN3 or VNI, else None).

    Raises :class:`LegacyTextError` when the text has legacy bytes used as
    letters that neither encoding turns into plausible Vietnamese.
    """
    cleaned = nfc(text)
    analysis = _analyse(cleaned)
    if analysis.encoding is not None and analysis.converted is not None:
        return nfc(analysis.converted), NOTES[analysis.encoding]
    if analysis.unconvertible:
        raise LegacyTextError(t("textfix.unconvertible", text=cleaned))
    return cleaned, None


# --------------------------------------------------------------------------- bytes


def decode_bytes(data: bytes) -> tuple[str, str]:
    """(text, encoding) of file contents: "utf-8" (a BOM is dropped), "utf-16"
    (with a BOM), "cp1258" (Windows Vietnamese) or "latin-1" for anything
    else, so that TCVN3/VNI bytes land on the code points :func:`fix_text`
    converts. Never raises."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16"), "utf-16"
        except UnicodeDecodeError:
            pass
    try:
        return data.decode("utf-8-sig"), "utf-8"
    except UnicodeDecodeError:
        pass
    latin = data.decode("latin-1")
    # Excel on a Vietnamese Windows saves "CSV" in Windows-1258 (tones as
    # combining marks). Chosen when it gives Vietnamese letters beyond
    # Latin-1 and the bytes do not read as TCVN3/VNI text.
    try:
        windows = unicodedata.normalize("NFC", data.decode("cp1258"))
    except UnicodeDecodeError:
        return latin, "latin-1"
    if any(ord(c) > 0xFF and c.isalpha() for c in windows) and detect_legacy(latin[:20000]) is None:
        return windows, "cp1258"
    return latin, "latin-1"

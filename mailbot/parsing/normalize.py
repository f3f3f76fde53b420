"""Vietnamese text keys: Unicode normalisation, folding for comparison, legacy font encodings.

Owns the comparison key (`fold`) every insensitive match in parsing uses, abbreviation
expansion, and repair of text typed in the pre-Unicode TCVN3 (ABC, ".VnTime") and VNI
(VNI-Windows) fonts. Pure functions; touches no files and no other parsing module.
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from functools import cache, lru_cache

__all__ = [
    "could_be_legacy",
    "detect_legacy",
    "expand_abbreviations",
    "fix_legacy",
    "fold",
    "looks_legacy",
    "nfc",
]


def nfc(s: str) -> str:
    """The text in composed Unicode (NFC); None-safe for empty input."""
    return unicodedata.normalize("NFC", s or "")


_NON_WORD = re.compile(r"[^0-9a-z]+")


@cache
def _fold_cached(s: str) -> str:
    decomposed = unicodedata.normalize("NFD", s.replace("đ", "d").replace("Đ", "D"))
    bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch)).lower()
    # Anything not a latin letter or digit (punctuation, dashes, NBSP, tabs) separates words.
    return _NON_WORD.sub(" ", bare).strip()


def fold(s: str) -> str:
    """Comparison key: lowercase, no diacritics, đ→d, punctuation → space, spaces collapsed."""
    if not s:
        return ""
    if len(s) > 200:  # long paragraphs are not worth caching
        return _fold_cached.__wrapped__(s)
    return _fold_cached(s)


def expand_abbreviations(folded: str, abbreviations: dict[str, str]) -> str:
    """Replace whole-word abbreviations in a folded string by their folded expansions."""
    if not folded or not abbreviations:
        return folded
    table = _abbreviation_table(tuple(sorted(abbreviations.items())))
    return " ".join(table.get(word, word) for word in folded.split())


@cache
def _abbreviation_table(items: tuple[tuple[str, str], ...]) -> dict[str, str]:
    return {fold(k): fold(v) for k, v in items if fold(k)}


# --- Legacy encodings -------------------------------------------------------------------
#
# Text typed with a TCVN3 or VNI font and later opened as Unicode keeps the font's byte
# values as Latin-1 code points, so "Trường" shows as "Tr­êng" (TCVN3) or "Tröôøng" (VNI).

# TCVN 5712:1993 (VN3/ABC) upper half: byte → Unicode. Bytes 0xB0-0xB4 (combining marks in
# VN1) are left out on purpose: as Latin-1 they are °, ±, ², ³, ´ which occur in real text.
_TCVN3_HIGH = {
    0xA1: "Ă", 0xA2: "Â", 0xA3: "Ê", 0xA4: "Ô", 0xA5: "Ơ", 0xA6: "Ư", 0xA7: "Đ",
    0xA8: "ă", 0xA9: "â", 0xAA: "ê", 0xAB: "ô", 0xAC: "ơ", 0xAD: "ư", 0xAE: "đ", 0xAF: "Ằ",
    0xB5: "à", 0xB6: "ả", 0xB7: "ã", 0xB8: "á", 0xB9: "ạ", 0xBA: "Ẳ", 0xBB: "ằ",
    0xBC: "ẳ", 0xBD: "ẵ", 0xBE: "ắ", 0xBF: "Ẵ",
    0xC0: "Ắ", 0xC1: "Ầ", 0xC2: "Ẩ", 0xC3: "Ẫ", 0xC4: "Ấ", 0xC5: "Ề", 0xC6: "ặ", 0xC7: "ầ",
    0xC8: "ẩ", 0xC9: "ẫ", 0xCA: "ấ", 0xCB: "ậ", 0xCC: "è", 0xCD: "Ể", 0xCE: "ẻ", 0xCF: "ẽ",
    0xD0: "é", 0xD1: "ẹ", 0xD2: "ề", 0xD3: "ể", 0xD4: "ễ", 0xD5: "ế", 0xD6: "ệ", 0xD7: "ì",
    0xD8: "ỉ", 0xD9: "Ễ", 0xDA: "Ế", 0xDB: "Ồ", 0xDC: "ĩ", 0xDD: "í", 0xDE: "ị", 0xDF: "ò",
    0xE0: "Ổ", 0xE1: "ỏ", 0xE2: "õ", 0xE3: "ó", 0xE4: "ọ", 0xE5: "ồ", 0xE6: "ổ", 0xE7: "ỗ",
    0xE8: "ố", 0xE9: "ộ", 0xEA: "ờ", 0xEB: "ở", 0xEC: "ỡ", 0xED: "ớ", 0xEE: "ợ", 0xEF: "ù",
    0xF0: "Ỗ", 0xF1: "ủ", 0xF2: "ũ", 0xF3: "ú", 0xF4: "ụ", 0xF5: "ừ", 0xF6: "ử", 0xF7: "ữ",
    0xF8: "ứ", 0xF9: "ự", 0xFA: "ỳ", 0xFB: "ỷ", 0xFC: "ỹ", 0xFD: "ý", 0xFE: "ỵ", 0xFF: "Ố",
}  # fmt: skip
# VN1 puts capital toned vowels at 0x80-0x9F; they arrive as C1 control code points.
_TCVN3_C1 = "ÀẢÃÁẠẶẬÈẺẼÉẸỆÌỈĨÍỊÒỎÕÓỌỘỜỞỠỚỢÙỦŨ"
TCVN3_TO_UNICODE: dict[str, str] = {chr(b): u for b, u in _TCVN3_HIGH.items()}
TCVN3_TO_UNICODE.update({chr(0x80 + i): u for i, u in enumerate(_TCVN3_C1)})

# VNI-Windows: a base letter followed by a mark byte; a few letters are single bytes.
_VNI_TONES = {"ù": "\u0301", "ø": "\u0300", "û": "\u0309", "õ": "\u0303", "ï": "\u0323"}
_VNI_CIRC = {"â": "", "á": "\u0301", "à": "\u0300", "å": "\u0309", "ã": "\u0303", "ä": "\u0323"}
_VNI_BREVE = {"ê": "", "é": "\u0301", "è": "\u0300", "ú": "\u0309", "ü": "\u0303", "ë": "\u0323"}
_VNI_SINGLE = {
    "ñ": "đ", "Ñ": "Đ", "ô": "ơ", "Ô": "Ơ", "ö": "ư", "Ö": "Ư",
    "æ": "ỉ", "Æ": "Ỉ", "ó": "ĩ", "Ó": "Ĩ", "ò": "ị", "Ò": "Ị", "î": "ỵ", "Î": "Ỵ",
}  # fmt: skip


def _build_vni() -> dict[str, str]:
    table: dict[str, str] = {}

    def add(seq: str, base: str, marks: str) -> None:
        for upper in (False, True):
            b, s = (base.upper(), seq.upper()) if upper else (base, seq)
            table[s] = unicodedata.normalize("NFC", b + marks)
            if upper:  # capital letter typed with a lower-case mark byte
                table[b + seq[1:]] = unicodedata.normalize("NFC", b + marks)

    for base in "aeouy":
        for mark, tone in _VNI_TONES.items():
            add(base + mark, base, tone)
    for base in "aeo":
        for mark, tone in _VNI_CIRC.items():
            add(base + mark, base, "\u0302" + tone)
    for mark, tone in _VNI_BREVE.items():
        add("a" + mark, "a", "\u0306" + tone)
    for base, horned in (("ô", "o"), ("ö", "u")):  # ơ and ư carry tones like plain vowels
        for mark, tone in _VNI_TONES.items():
            add(base + mark, horned, "\u031b" + tone)
    for single, letter in _VNI_SINGLE.items():
        table[single] = letter
    return table


VNI_TO_UNICODE: dict[str, str] = _build_vni()
_VNI_PATTERN = re.compile("|".join(sorted(map(re.escape, VNI_TO_UNICODE), key=len, reverse=True)))
_TCVN3_PATTERN = re.compile("[" + re.escape("".join(TCVN3_TO_UNICODE)) + "]")

_UNICODE_ONLY = re.compile("[ăĂđĐơƠưƯĩĨũŨ\u1ea0-\u1ef9]")
_TONES = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}
_SHAPES = {"\u0302", "\u0306", "\u031b"}


@cache
def _vietnamese_letters() -> frozenset[str]:
    letters = set()
    shapes = {"a": "\u0306\u0302", "e": "\u0302", "o": "\u0302\u031b", "u": "\u031b"}
    for base in "aeiouy":
        for shape in ("", *shapes.get(base, "")):
            for tone in ("", *_TONES):
                letters.add(unicodedata.normalize("NFC", base + shape + tone))
    letters |= {"đ"}
    letters |= {ch.upper() for ch in letters}
    return frozenset(ch for ch in letters if len(ch) == 1 and ord(ch) > 127)


# Punctuation that legitimately appears in Unicode documents.
_HARMLESS = set("“”‘’–—…•°№€±²³´\u00a0\u200b\ufeff")
_WORD = re.compile(r"[^\W\d_]+")
# Vowel clusters (marks stripped) that Vietnamese syllables use; "qu"/"gi" glides included.
_CLUSTER_LIST = (
    "a e i o u y ai ao au ay eo eu ia ie iu io oa oe oi oo ua ue ui uo uu uy ye "
    "ieu yeu oai oay oeo uai uay uao uau ueo uoi uou uya uye uyu ioi iua iuo"
)
_CLUSTERS = frozenset(_CLUSTER_LIST.split())
_VOWELS = re.compile("[aeiouy]+")


def _badness(s: str) -> int:
    """How un-Vietnamese a string looks: foreign letters and impossible syllables."""
    viet = _vietnamese_letters()
    foreign = sum(1 for ch in s if ord(ch) > 127 and ch not in viet and ch not in _HARMLESS)
    invalid = 0
    for word in _WORD.findall(s):
        if any(ord(ch) > 127 and ch not in viet for ch in word):
            invalid += 1
            continue
        marks = unicodedata.normalize("NFD", word)
        tones = sum(1 for ch in marks if ch in _TONES)
        shapes = sum(1 for ch in marks if ch in _SHAPES)
        # A capital accented letter after a small letter inside a word is font mojibake.
        mixed = any(
            a.islower() and b.isupper() and ord(b) > 127 for a, b in itertools.pairwise(word)
        )
        lower = word.lower()
        bare = "".join(ch for ch in marks if not unicodedata.combining(ch)).lower()
        if (
            tones > 1
            or shapes > 2
            or mixed
            or _bad_cluster(bare)
            or _NO_SUCH.search(lower)
            or _tone_on_glide(lower)
        ):
            invalid += 1
    rare = sum(1 for w in _WORD.findall(s.lower()) if "oo" in "".join(map(_base, w)))
    return 3 * foreign + 2 * invalid + rare  # "oo" (xoong, moóc) is rare: VNI "oä" is ộ


def _tone_on_glide(word: str) -> bool:
    """True for a tone on the closing glide of a vowel cluster ("xaõ" for "xã")."""
    bases = "".join(_base(ch) for ch in word)
    for m in _VOWELS.finditer(bases):
        c, last = m.group(), m.end() - 1
        if len(c) < 2 or c[-1] not in "iouy" or c in _TONE_ON_LAST:
            continue
        if c == "ui" and m.start() > 0 and bases[m.start() - 1] == "q":
            continue  # "quí"
        if any(mark in _TONES for mark in unicodedata.normalize("NFD", word[last])):
            return True
    return False


_TONE_ON_LAST = frozenset({"uy", "io", "oo", "uo", "iuo"})


@cache
def _base(ch: str) -> str:
    return unicodedata.normalize("NFD", ch)[0]


def _bad_cluster(bare: str) -> bool:
    for m in _VOWELS.finditer(bare):
        c = m.group()
        if c not in _CLUSTERS:
            return True
        # A cluster ending in a glide (ai, ao, eo, ui…) closes the syllable: no final consonant.
        if len(c) >= 2 and c[-1] in "iouy" and c not in _OPEN_GLIDES and m.end() < len(bare):
            return True
    return False


# Vowel pairs that differ only in shape from real ones ("oâ" is VNI's "ô"), never Vietnamese.
_NO_SUCH = re.compile("[aeo][âấầẩẫậ]|[ae][ăắằẳẵặ]|o[êếềểễệôốồổỗộ]")
_OPEN_GLIDES = frozenset({"uy", "uo", "oo", "io", "iuo"})


def _decode_tcvn3(s: str) -> str:
    out = _TCVN3_PATTERN.sub(lambda m: TCVN3_TO_UNICODE[m.group()], s)
    return _fix_caps(out)


def _decode_vni(s: str) -> str:
    return _fix_caps(_VNI_PATTERN.sub(lambda m: VNI_TO_UNICODE[m.group()], s))


def _fix_caps(s: str) -> str:
    # Capital-only fonts (.VnTimeH, VNI-TimesH) show lower-case codes as capitals: in a line
    # typed in capitals, a word with no small plain letter was meant in capitals throughout.
    words = _WORD.findall(s)
    plain = ["".join(ch for ch in w if ch.isascii()) for w in words]
    judged = [p for p in plain if len(p) >= 2]
    if not judged or sum(p.isupper() for p in judged) * 2 <= len(judged):
        return s

    def word(m: re.Match[str]) -> str:
        w = m.group()
        return w.upper() if not any(ch.isascii() and ch.islower() for ch in w) else w

    return _WORD.sub(word, s)


@lru_cache(maxsize=8192)
def detect_legacy(s: str) -> str | None:
    """ "tcvn3" or "vni" when the text reads as that legacy font's mojibake, else None."""
    if not s or s.isascii():
        return None
    text = nfc(s)
    if not any(ord(ch) > 127 and ord(ch) < 256 for ch in text) and not any(
        0x80 <= ord(ch) < 0xA0 for ch in text
    ):
        return None
    if _UNICODE_ONLY.search(text):  # letters no legacy font produces: Unicode already
        return None
    base = _badness(text)
    if base == 0:
        return None
    scores = {"tcvn3": _badness(_decode_tcvn3(text)), "vni": _badness(_decode_vni(text))}
    best = min(scores, key=lambda k: (scores[k], k != "tcvn3"))
    return best if scores[best] < base else None


def could_be_legacy(s: str, encoding: str) -> bool:
    """True when text that reads either way (e.g. "Ghi chó") reads no worse in `encoding`.

    Used once a document is known to use that font: strings made only of Latin-1 letters
    are then converted too. Text with any letter beyond Latin-1 is Unicode already.
    """
    text = nfc(s)
    if not any(0x80 <= ord(ch) < 0x100 for ch in text) or any(ord(ch) >= 0x100 for ch in text):
        return False
    decoded = _decode_tcvn3(text) if encoding == "tcvn3" else _decode_vni(text)
    return decoded != text and _badness(decoded) <= _badness(text)


def looks_legacy(s: str) -> bool:
    """True when the text looks typed in a TCVN3 or VNI font (mojibake as Unicode)."""
    return detect_legacy(s) is not None


def fix_legacy(s: str, encoding: str | None = None) -> str:
    """Convert TCVN3/VNI mojibake to NFC Unicode; other text comes back unchanged (NFC).

    `encoding` forces "tcvn3" or "vni" (e.g. when the rest of the document uses it);
    by default the string is converted only when it clearly reads better converted.
    """
    text = nfc(s)
    enc = encoding or detect_legacy(text)
    if enc == "tcvn3":
        return nfc(_decode_tcvn3(text))
    if enc == "vni":
        return nfc(_decode_vni(text))
    return text

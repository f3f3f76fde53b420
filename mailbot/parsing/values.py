"""Reading one value cell: counts, people, money (đồng) and pairs such as "2/45".

Owns the Vietnamese number conventions of the form (appendix2-form.md, "How a value cell
reads"): blanks and fill-in placeholders, zero words, dot/comma/space thousands, decimal
commas, unit words, money multipliers (triệu, tỷ, nghìn, k, tr), dates that are not
quantities, and the strict reading of a number typed in Ghi chú (`read_note`). Pure
functions on a Cell or a string; knows nothing about tables, labels or the form's codes.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from fractions import Fraction

from mailbot.parsing.model import Cell

__all__ = [
    "NoteQuantity",
    "Reading",
    "amount_scale",
    "read_cell",
    "read_note",
    "read_number",
    "read_pair",
    "strip_marks",
]


@dataclass(frozen=True)
class Reading:
    """What a cell says: `numbers` read in order, or `text` that holds no number.

    `blank` when nothing was typed, or only the form's fill-in dots ("…", "____"): not
    reported. `zero_word` when words mean "none" ("không", "-").
    `problem` is a Vietnamese note for the clerk when the cell could not be read cleanly.
    """

    numbers: tuple[int, ...] = ()
    text: str = ""
    blank: bool = False
    zero_word: bool = False
    problem: str | None = None

    @property
    def value(self) -> int | None:
        """The first number, or None."""
        return self.numbers[0] if self.numbers else None

    @property
    def numeric(self) -> bool:
        """True when at least one number was read."""
        return bool(self.numbers)


BLANK = Reading(blank=True)


def strip_marks(s: str) -> str:
    """Lowercase, diacritics removed, đ→d; punctuation kept (unlike text.fold)."""
    s = s.replace("đ", "d").replace("Đ", "D")
    bare = "".join(ch for ch in unicodedata.normalize("NFD", s) if not unicodedata.combining(ch))
    return bare.lower()


# A dash typed alone (or repeated) means "none": zero.
_ZERO_DASH = re.compile(r"[-–—−]+(?: [-–—−]+)*")
# The blank form's fill-in marks left as they were: dots, an ellipsis, underscores, a slash,
# a question mark. The clerk reported nothing, so the slot stays empty (never zero).
_PLACEHOLDER = re.compile(r"[.…_/\\?·•]+(?: [.…_/\\?·•]+)*")
# Unit-of-measure words a clerk writes after a number or a dash ("3 lớp", "- người").
_UNIT_TEXT = (
    "lop nguoi cuoc so tin bai quyen to truong don vi dong d vnd trieu tr ty ti nghin ngan k "
    "buoi luot tap the ca nhan hoc vien hoi thao lan hs gv cb hv sinh giao hoc"
)
_UNIT_WORDS = frozenset(_UNIT_TEXT.split())
_ZERO_WORDS = re.compile(
    r"^(khong|k|ko|kh|chua|none|nil|0)\b|^(khong co|chua co|chua to chuc|khong to chuc|"
    r"khong thuc hien|chua thuc hien|khong phat sinh)"
)
# Words saying the figure is missing, not that it is zero ("chưa báo cáo", "đang cập nhật").
_NOT_REPORTED = re.compile(
    r"^((chua|khong) (co )?(so lieu|bao cao|thong ke|cap nhat|tong hop|ro|xac dinh)|"
    r"dang (cap nhat|tong hop|thong ke|bao cao)|n ?a$|kxd$)"
)
# A date, a month, a year or a time of day: never a quantity ("12/10/2021", "ngày 5/10",
# "năm 2021", "8h30"). A bare "15/10" is left alone: it is also how "2/45" pairs are typed.
# "h"/"giờ" count as a time only when no letter follows: "38 HS" (học sinh), "2 hội thảo"
# and "12 học sinh" are counts. A bare "8:30" is left alone too ("2:45" is also a pair).
_DATE_OR_TIME = re.compile(
    r"\b(ngay|thang|nam|luc|tu|den) ?\d{1,4}(?: ?[/.-] ?\d{1,4}){0,2}\b|"
    r"\b(luc|tu|den) ?\d{1,2}:\d{2}\b|"
    r"\b\d{1,2} ?[/.-] ?\d{1,2} ?[/.-] ?(\d{4}|\d{2})\b|"
    r"\b\d{1,2} ?(h|gio)(?![a-z])(?: ?\d{2}\b)?|\b\d{1,2}h\d{2}\b|"
    r"\b\d{1,2}:\d{2} ?(sang|chieu|toi)\b"
)
_MULTIPLIERS = {
    "ty": 10**9, "ti": 10**9, "trieu": 10**6, "tr": 10**6, "trd": 10**6,
    "nghin": 10**3, "ngan": 10**3, "k": 10**3, "ngh": 10**3,
}  # fmt: skip
# A number: thousands groups joined by . , space or NBSP, then an optional decimal part.
_NUMBER = re.compile(r"(?<![\d])(\d{1,3}(?:(?:[.,]|\s)\d{3})+(?:[.,]\d+)?|\d+(?:[.,]\d+)?)(?![\d])")
_WORD_AFTER = re.compile(r"\s*\.?\s*([a-z]+)")


def _to_fraction(token: str, multiplied: bool) -> Fraction:
    """Read one number token; decide which of '.' and ',' groups thousands."""
    token = re.sub(r"\s", " ", token)
    if " " in token:  # "1 200" or "1 200,5": spaces only group thousands
        token = token.replace(" ", "")
    dots, commas = token.count("."), token.count(",")
    if dots and commas:  # both: the later one is the decimal mark
        dec = "," if token.rfind(",") > token.rfind(".") else "."
        grp = "." if dec == "," else ","
        whole, _, frac = token.replace(grp, "").partition(dec)
        return Fraction(f"{whole}.{frac or 0}")
    sep = "." if dots else "," if commas else ""
    if not sep:
        return Fraction(int(token))
    parts = token.split(sep)
    if len(parts) > 2:  # "1.200.000": several marks can only group thousands
        return Fraction(int("".join(parts)))
    whole, frac = parts
    if multiplied and sep == ",":  # "1,234 triệu": Vietnamese decimal comma
        return Fraction(f"{whole}.{frac}")
    if len(frac) == 3 and whole != "0":  # "1.200" / "1,200" in a count: thousands
        return Fraction(int(whole + frac))
    return Fraction(f"{whole}.{frac}")


def _numbers(text: str, scale: int = 1) -> tuple[list[Fraction], list[str]]:
    """Every number in marks-stripped text, with money multipliers applied.

    `scale` multiplies a number typed without a multiplier word (the row's unit says
    "triệu đồng"), so its decimal comma reads as a decimal: "2,5" → 2,500,000.
    """
    found: list[Fraction] = []
    words: list[str] = []
    pos = 0
    pending: Fraction | None = None
    for m in _NUMBER.finditer(text):
        after = _WORD_AFTER.match(text, m.end())
        word = after.group(1) if after else ""
        mult = _MULTIPLIERS.get(word)
        # "15.000.000 đồng" in a "triệu đồng" row says its own unit: not scaled again.
        own = mult or (scale if scale > 1 and word not in ("d", "dong", "vnd") else None)
        value = _to_fraction(m.group(1), multiplied=own is not None) * (own or 1)
        gap = text[pos : m.start()]
        # "15 triệu 500 nghìn": a smaller multiplied part right after adds up.
        if pending is not None and mult and not gap.strip(" ,") and value < pending:
            found[-1] += value
            pending = value
        else:
            found.append(value)
            pending = value if mult else None
        words.append(word)
        pos = after.end() if after and mult else m.end()
    return found, words


def read_number(text: str, scale: int = 1) -> Reading:
    """Read a text cell: numbers in order, or a zero word, or text with no number.

    `scale` is the row's money unit in đồng (1, 1000, 10**6) for bare numbers.
    """
    raw = unicodedata.normalize("NFC", text or "").strip()
    if not raw:
        return BLANK
    s = strip_marks(raw).strip()
    if _stacked(s):
        return Reading(text=raw, problem=f"Ô có nhiều số xếp thành dòng (“{_one_line(raw)}”), "
                                         "không biết số nào thuộc dòng nào")  # fmt: skip
    s = re.sub(r"[\s\u00a0\u202f\u2009]+", " ", s)
    mark = _mark(s)
    if mark and _PLACEHOLDER.fullmatch(mark):
        return Reading(text=raw, blank=True)
    if mark and _ZERO_DASH.fullmatch(mark):
        return Reading(numbers=(0,), text=raw, zero_word=True)
    if s.startswith("="):
        computed = _arithmetic(s[1:])
        if computed is not None:
            return _finish([computed], raw)
        return Reading(text=raw, problem=f"Ô có công thức không đọc được: “{raw}”")
    if re.match(r"^-\s*\d", s):
        return Reading(text=raw, problem=f"Số âm “{raw}” không hợp lệ")
    if _NOT_REPORTED.match(s):
        return Reading(text=raw)
    if _DATE_OR_TIME.search(s):
        # "3 lớp (ngày 12/10)": the date goes, the count stays; a date alone is refused.
        s = _DATE_OR_TIME.sub(" ", s)
        if not re.search(r"\d", s):
            return Reading(text=raw, problem=f"“{raw}” là ngày tháng hoặc giờ, không phải số lượng")
    found, _ = _numbers(s, scale)
    if not found:
        if _ZERO_WORDS.match(s):
            return Reading(numbers=(0,), text=raw, zero_word=True)
        return Reading(text=raw)
    if "%" in s:
        return Reading(text=raw, problem=f"Tỷ lệ phần trăm “{raw}” không phải số lượng")
    return _finish(found, raw)


def _stacked(s: str) -> bool:
    """True for bare numbers on separate lines ("96\n356\n\n252"): sub-rows, never one number."""
    lines = [line for line in s.split("\n") if re.search(r"\d", line)]
    return len(lines) >= 2 and any(re.fullmatch(r"[\d.,\s]+", line) for line in lines)


def _one_line(raw: str) -> str:
    return " | ".join(line.strip() for line in raw.split("\n") if line.strip())


def _mark(s: str) -> str:
    """The text without trailing unit words ("… lớp" → "…"), when what is left has no letter."""
    words = re.sub(r"([^\w\s])([a-z])", r"\1 \2", s).split(" ")
    while len(words) > 1 and words[-1] in _UNIT_WORDS:
        words.pop()
    mark = " ".join(words).strip()
    return "" if re.search(r"[a-z0-9]", mark) else mark


def _finish(found: list[Fraction], raw: str) -> Reading:
    numbers: list[int] = []
    for f in found:
        if f.denominator != 1:
            return Reading(text=raw, problem=f"Số “{raw}” không phải số nguyên")
        numbers.append(int(f))
    return Reading(numbers=tuple(numbers), text=raw)


def _arithmetic(expr: str) -> Fraction | None:
    """Value of a typed formula made only of numbers, + and - (e.g. "=2+3+1")."""
    expr = expr.replace(" ", "")
    if not re.fullmatch(r"[\d.,+\-]+", expr):
        return None
    total = Fraction(0)
    for sign, token in re.findall(r"([+\-]?)([\d.,]+)", expr):
        value = _to_fraction(token, multiplied=False)
        total += -value if sign == "-" else value
    return total if total >= 0 else None


def read_cell(cell: Cell | None, scale: int = 1) -> Reading:
    """Read a cell, preferring the number the source stored over its display text.

    `scale` (money rows whose unit is "triệu đồng"/"nghìn đồng") multiplies before the
    whole-number check, so 2.5 in a "triệu đồng" row is 2,500,000.
    """
    if cell is None or cell.blank:
        return BLANK
    value = cell.value
    if isinstance(value, bool):  # a TRUE/FALSE cell is not a count
        return Reading(text=cell.text, problem=f"Ô “{cell.text}” không phải số")
    if isinstance(value, int | float):
        if value != value or value in (float("inf"), float("-inf")):
            return Reading(text=cell.text, problem="Ô có giá trị không phải số")
        if value < 0:
            return Reading(text=cell.text, problem=f"Số âm “{cell.text or value}” không hợp lệ")
        shown: int | float | Fraction = value
        if cell.text.endswith("%"):
            # 12 typed into a cell formatted as percent is stored 0.12 and shown "12%": the
            # clerk's figure is what the cell shows, a count has no percent.
            shown = Fraction(value).limit_denominator(100_000) * 100
        frac = Fraction(shown).limit_denominator(1000) * scale
        if frac.denominator != 1:
            return Reading(
                text=cell.text or str(shown),
                problem=f"Số “{cell.text or shown}” không phải số nguyên",
            )
        return Reading(numbers=(int(frac),), text=cell.text)
    return read_number(cell.text, scale)


_MONEY_WORDS = frozenset({"d", "dong", "vnd", "trd", *_MULTIPLIERS})
_PEOPLE_WORDS = frozenset({"nguoi", "luot", "hoc vien", "hoc sinh", "giao vien"})
# One quantity of a note: a number (thousands grouped, or a decimal before a multiplier)
# and the words after it. Anything else in the note (a "/", "%", ":", a leading word)
# makes it a remark.
_NOTE_ITEM = r"(\d{1,3}(?:[.,]\d{3})+(?:,\d+)?|\d+(?:,\d+)?)\.? ?((?:[a-z]+\.? ?)*)"
_NOTE = re.compile(rf"{_NOTE_ITEM}(?:(?: ?[,;] ?| va ){_NOTE_ITEM})?\.?")


@dataclass(frozen=True)
class NoteQuantity:
    """A number typed in Ghi chú and its unit words (folded; "" when bare)."""

    value: int
    unit: str

    @property
    def people(self) -> bool:
        """True when the unit words name people ("45 người", "30 lượt")."""
        return any(w in self.unit for w in _PEOPLE_WORDS)


def read_note(cell: Cell | None, units: str, money: bool = False) -> list[NoteQuantity]:
    """The quantities of a note that is nothing but quantities, else [].

    Only a bare number or a number with the row's own unit words counts ("7", "3 lớp",
    "2 lớp, 45 người"; "15 triệu" when `money`). Dates, percentages, times, phone numbers,
    document numbers and remarks ("Số 15/KH-UBND", "ngày 5/10", "đạt 100%") give [].
    """
    if cell is None or cell.blank:
        return []
    if cell.value is not None and not cell.text.strip():
        reading = read_cell(cell)
        return [NoteQuantity(reading.numbers[0], "")] if len(reading.numbers) == 1 else []
    s = re.sub(r"\s+", " ", strip_marks(unicodedata.normalize("NFC", cell.text))).strip()
    m = _NOTE.fullmatch(s)
    if not m:
        return []
    allowed = set(re.findall(r"[a-z]+", strip_marks(units)))
    allowed |= _MONEY_WORDS if money else set()
    items = [(m.group(1), m.group(2)), (m.group(3), m.group(4))]
    items = [(num, " ".join(re.findall(r"[a-z]+", words or ""))) for num, words in items if num]
    for num, unit in items:
        if not set(unit.split()) <= allowed:
            return []
        if len(num) >= 4 and num.startswith("0"):  # a phone number or a code, not a count
            return []
        if not unit and re.fullmatch(r"(19|20)\d\d", num):  # a year on its own
            return []
        if "," in num and not money and not re.fullmatch(r"\d{1,3}(,\d{3})+", num):
            return []  # a decimal count
    if len(items) == 2 and not (items[0][1] and items[1][1]):
        return []  # two numbers need their units to say which is which
    reading = read_number(cell.text)
    if len(reading.numbers) != len(items):
        return []
    return [NoteQuantity(v, u) for v, (_, u) in zip(reading.numbers, items, strict=True)]


def read_pair(reading: Reading) -> tuple[int, int] | None:
    """Count and people typed in one cell ("2/45", "2 lớp, 45 người"), else None."""
    if len(reading.numbers) != 2 or not reading.text:
        return None
    s = strip_marks(reading.text)
    if re.search(r"\d\s*[/;:|]\s*\d|\d\s*-\s*\d", s) or re.search(r"(lop|cuoc|buoi)\b.*\d", s):
        return reading.numbers[0], reading.numbers[1]
    return None


def amount_scale(unit_text: str) -> int:
    """Đồng per unit of a money row whose unit says "triệu đồng"/"Tr.đ"/"nghìn đồng"; else 1."""
    unit = strip_marks(unit_text)
    if re.search(r"\btrieu\b|\btr\.?\s*d|\btrd\b", unit):
        return 10**6
    if re.search(r"\b(nghin|ngan)\b", unit):
        return 10**3
    return 1

"""Text helpers for the generator: legacy TCVN3 encoding, NFD, and how clerks type values.

Owns the written form of a value (a Cell spec); knows nothing about files or layouts.
"""

from __future__ import annotations

import random
import unicodedata
from dataclasses import dataclass

# TCVN3 (ABC) bytes 0xA1..0xFE as seen through a .VnTime font; a space marks a byte we never
# emit. Taken from glibc iconv TCVN5712-1 (lower-case half and the seven base capitals).
_TCVN3_HIGH = (
    "ĂÂÊÔƠƯĐăâêôơưđ      àảãáạ ằẳẵắ       ặầẩẫấậè ẻẽéẹềểễếệìỉ   ĩíịò ỏõóọồổỗốộờởỡớợù ủũúụừửữứựỳỷỹýỵ"
)
_TO_TCVN3 = {ch: chr(0xA1 + i) for i, ch in enumerate(_TCVN3_HIGH) if ch != " "}


def tcvn3(text: str) -> str:
    """Encode Unicode Vietnamese the way a .VnTime document stores it (capitals lose case)."""
    out = []
    for ch in unicodedata.normalize("NFC", text):
        if ch in _TO_TCVN3:
            out.append(_TO_TCVN3[ch])
        elif ch.lower() in _TO_TCVN3:
            # TCVN3 has no toned capitals: .VnTimeH draws the lower-case code as a capital.
            out.append(_TO_TCVN3[ch.lower()])
        else:
            out.append(ch)
    return "".join(out)


def nfd(text: str) -> str:
    """Decomposed Unicode, as some Mac and web-form tools write Vietnamese."""
    return unicodedata.normalize("NFD", text)


@dataclass
class CellSpec:
    """One cell as the clerk typed it: text, or a native number (xlsx), or a formula.

    `sum_of` = (slot, codes) makes the xlsx builder write a SUM formula over those codes' rows;
    `cached` says whether the file stores the formula's last value (Excel does, openpyxl not).
    `old` is a tracked-change deletion shown before `text` (docx only).
    """

    text: str | None = None
    number: int | float | None = None
    number_format: str | None = None
    sum_of: tuple[str, tuple[str, ...]] | None = None
    cached: bool = True
    old: str | None = None

    @property
    def empty(self) -> bool:
        """True when nothing is written in the cell."""
        return self.text is None and self.number is None and self.sum_of is None

    def shown(self) -> str:
        """The text a person sees (numbers as plain digits)."""
        if self.text is not None:
            return self.text
        if self.number is not None:
            return str(self.number)
        return ""


COUNT_STYLES = ("native", "text", "padded", "suffix", "dot_thousands", "comma_thousands")
ZERO_STYLES = ("native", "text", "dash", "khong", "suffix")
MONEY_STYLES = ("native", "dots", "commas", "dong", "trieu", "tr", "ty")


def _dots(n: int, sep: str = ".") -> str:
    return f"{n:,}".replace(",", sep)


def _decimal(x: float) -> str:
    """A short decimal with a Vietnamese comma: 2.5 → '2,5', 15.0 → '15'."""
    text = f"{x:.3f}".rstrip("0").rstrip(".")
    return text.replace(".", ",")


def count_cell(n: int | None, style: str, suffix: str, native_ok: bool) -> CellSpec:
    """A count or people value typed in one of the clerk styles (falls back to plain text)."""
    if n is None:
        return CellSpec()
    if n == 0:
        return _zero_cell(style, suffix, native_ok)
    if style == "native":
        return CellSpec(number=n) if native_ok else CellSpec(text=str(n))
    if style == "padded" and n < 10:
        return CellSpec(text=f"0{n}")
    if style == "suffix" and suffix:
        return CellSpec(text=f"{_dots(n)} {suffix}")
    if style == "dot_thousands" and n >= 1000:
        return CellSpec(text=_dots(n, "."))
    if style == "comma_thousands" and n >= 1000:
        return CellSpec(text=_dots(n, ","))
    return CellSpec(text=str(n))


def _zero_cell(style: str, suffix: str, native_ok: bool) -> CellSpec:
    if style == "dash":
        return CellSpec(text="-")
    if style == "khong":
        return CellSpec(text="không")
    if style == "suffix" and suffix:
        return CellSpec(text=f"0 {suffix}")
    if style == "native" and native_ok:
        return CellSpec(number=0)
    return CellSpec(text="0")


def money_cell(n: int | None, style: str, native_ok: bool) -> CellSpec:
    """An amount in đồng typed in one of the clerk styles (falls back to dotted digits)."""
    if n is None:
        return CellSpec()
    if style == "native" and native_ok:
        return CellSpec(number=n, number_format="#,##0")
    if style == "commas":
        return CellSpec(text=_dots(n, ","))
    if style == "dong":
        return CellSpec(text=f"{n}đ")
    if style == "trieu" and n >= 1_000_000 and n % 100_000 == 0:
        return CellSpec(text=f"{_decimal(n / 1_000_000)} triệu")
    if style == "tr" and n >= 1_000_000 and n % 1_000_000 == 0:
        return CellSpec(text=f"{n // 1_000_000}tr")
    if style == "ty" and n >= 1_000_000_000 and n % 100_000_000 == 0:
        return CellSpec(text=f"{_decimal(n / 1_000_000_000)} tỷ")
    return CellSpec(text=_dots(n, "."))


def pick(rng: random.Random, styles: tuple[str, ...]) -> str:
    """One style out of a variant's allowed styles."""
    return rng.choice(styles)

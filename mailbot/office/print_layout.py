"""Print layout computed from the text: widths in Times New Roman, wrapped lines, row heights,
page breaks.

Excel and LibreOffice keep a row at the height the file gives it, so a wrapped label in a row
of default height runs over the next row in print. Here a row's height comes from its text,
its column width and its font size, and manual page breaks keep a heading with the row after
it. Pure: no openpyxl, no files; the sheet writers apply the numbers.
"""

from __future__ import annotations

import math
import unicodedata
from collections.abc import Collection, Sequence

# One Excel column-width unit is the digit width of the workbook's default font: 8 px (6 pt)
# for Times New Roman 12 (`official.set_default_font`), in Excel and in LibreOffice alike.
POINTS_PER_WIDTH_UNIT = 6.0
# Space the cell keeps free on each side of wrapped text (Excel ~2 px, LibreOffice ~1 mm).
CELL_PADDING = 3.0
# A line of wrapped text: Excel's own row height for one line of Times New Roman is 1.3125 em
# (15.75 pt at 12 pt); LibreOffice needs less (1.15 em), so Excel's is the one to fit.
LINE_EM = 1.3125
ROW_PADDING = 1.5  # points above and below the lines, so descenders clear the border
MAX_ROW_HEIGHT = 409.0  # points: Excel's highest row

# Advance widths of Times New Roman (Liberation Serif is metric-compatible) in 1/1000 em for
# the printable ASCII characters 32..126, regular and bold.
_REGULAR = (
    "250 333 408 500 500 833 777 180 333 333 500 563 250 333 250 277 500 500 500 500 500 500 "
    "500 500 500 500 277 277 563 563 563 443 920 722 667 667 722 610 556 722 722 333 389 722 "
    "610 889 722 722 556 722 667 556 610 722 722 943 722 722 610 333 277 333 469 500 333 443 "
    "500 443 500 443 333 500 500 277 277 500 277 777 500 500 500 500 333 389 277 500 500 722 "
    "500 500 443 479 200 479 541"
)
_BOLD = (
    "250 333 555 500 500 1000 833 277 333 333 500 569 250 333 250 277 500 500 500 500 500 500 "
    "500 500 500 500 333 333 569 569 569 500 930 722 667 722 722 667 610 777 777 389 500 777 "
    "667 943 722 777 610 777 722 556 667 722 722 1000 722 722 667 333 277 333 581 500 333 500 "
    "556 443 556 443 333 500 556 277 333 556 277 833 556 500 556 556 443 389 333 556 500 722 "
    "500 500 443 394 220 394 520"
)
_ASCII = {
    bold: {chr(32 + i): int(w) for i, w in enumerate(table.split())}
    for bold, table in ((False, _REGULAR), (True, _BOLD))
}
_HORN = "\u031b"  # ơ, ư: the horn makes the letter up to 75/1000 em wider
_HORN_EXTRA = 75
_UNKNOWN = 1000  # a character outside the table counts as a full em: never too narrow
_SAME_AS = {"đ": "d", "Đ": "D"}


def char_width(char: str, bold: bool = False) -> int:
    """The advance width of one character in Times New Roman, in 1/1000 em."""
    table = _ASCII[bold]
    width = table.get(char)
    if width is not None:
        return width
    parts = unicodedata.normalize("NFD", _SAME_AS.get(char, char))
    base = table.get(parts[0])
    if base is None:
        return _UNKNOWN
    # Vietnamese tone and vowel marks sit above or below the letter; only the horn widens it.
    return base + (_HORN_EXTRA if _HORN in parts else 0)


class _Widths(dict[str, int]):
    """Each character's width, worked out on first sight: a roll-up measures ~10^6 of them."""

    def __init__(self, bold: bool) -> None:
        super().__init__()
        self.bold = bold

    def __missing__(self, char: str) -> int:
        width = self[char] = char_width(char, self.bold)
        return width


_WIDTHS = {bold: _Widths(bold) for bold in (False, True)}


def text_width(text: str, size: float, bold: bool = False) -> float:
    """The width of `text` on one line in Times New Roman of `size` points, in points."""
    return sum(map(_WIDTHS[bold].__getitem__, text)) * size / 1000


def column_points(width: float) -> float:
    """The printed width, in points at 100 %, of a column `width` Excel units wide."""
    return width * POINTS_PER_WIDTH_UNIT


def wrap(text: str, width: float, size: float, bold: bool = False) -> list[str]:
    """The lines `text` wraps into in a cell `width` Excel units wide (breaks at spaces)."""
    room = column_points(width) - 2 * CELL_PADDING
    space = text_width(" ", size, bold)
    lines: list[str] = []
    for paragraph in text.split("\n"):
        words = paragraph.split()
        whole = " ".join(words)
        if text_width(whole, size, bold) <= room:
            lines.append(whole)  # most cells: one line, measured once
            continue
        line, used = "", 0.0
        for word in words:
            # Widths add up, so a line is measured once per word, not once per candidate.
            needed = text_width(word, size, bold)
            if line and used + space + needed <= room:
                line, used = f"{line} {word}", used + space + needed
                continue
            if not line and needed <= room:
                line, used = word, needed
                continue
            if line:
                lines.append(line)
            # A word wider than the cell is cut where it reaches the edge, as Excel does.
            line, used = "", 0.0
            for char in word:
                advance = text_width(char, size, bold)
                if line and used + advance > room:
                    lines.append(line)
                    line, used = "", 0.0
                line, used = line + char, used + advance
        lines.append(line)
    return lines


def line_height(size: float) -> float:
    """The height one line of wrapped text takes in a row, in points."""
    return LINE_EM * size


def row_height(text: str, width: float, size: float, bold: bool = False) -> float:
    """The row height, in points, that shows all of `text` wrapped in a cell `width` units wide."""
    lines = len(wrap(text, width, size, bold))
    # Rounded up to the quarter point Excel stores heights in.
    height = math.ceil((lines * line_height(size) + 2 * ROW_PADDING) * 4) / 4
    return min(MAX_ROW_HEIGHT, height)


def fit_scale(column_widths: Sequence[float], printable_width: float) -> float:
    """The scale "fit to one page wide" prints at: at most 100 %, in whole percent."""
    needed = sum(column_points(w) for w in column_widths)
    if needed <= printable_width:
        return 1.0
    return math.floor(100 * printable_width / needed) / 100


def page_breaks(
    heights: Sequence[float],
    page_height: float,
    *,
    repeated_height: float = 0.0,
    keep_with_next: Collection[int] = (),
    first_breakable: int = 0,
) -> list[int]:
    """Where new pages start (row indexes into `heights`), so no page ends on a kept row.

    `heights` are the rows' printed heights in points, `page_height` the printable height,
    `repeated_height` the header rows printed again at the top of every later page. A row in
    `keep_with_next` (a heading, the last row before the signatures) starts the next page
    instead of ending this one. No break falls before `first_breakable`.
    """
    starts: list[int] = []
    page_start, used = 0, 0.0
    for i, height in enumerate(heights):
        if used + height > page_height and i > page_start and i >= first_breakable:
            start = i
            while start - 1 > max(page_start, first_breakable - 1) and start - 1 in keep_with_next:
                start -= 1
            starts.append(start)
            used = repeated_height + sum(heights[start:i])
            page_start = start
        used += height
    return starts

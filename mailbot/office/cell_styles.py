"""The cell styles of the workbook's body: borders, wrapping, the dot-grouped number format.

Owns `BodyStyles` (each distinct body style registered once per sheet, as the streamed rows
of `xlsx_rows` need) and `vn_number_format`, the Vietnamese thousands grouping that reads the
same in Excel and LibreOffice whatever the reader's locale.
"""

from __future__ import annotations

from openpyxl.styles import Alignment, Border, PatternFill, Side
from openpyxl.worksheet.worksheet import Worksheet

from mailbot.office.official import font
from mailbot.office.xlsx_rows import BodyCell, style_index

THIN = Side(style="thin")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
WRAP_TOP = Alignment(wrap_text=True, vertical="top")
CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)
# Appendix 2 columns: STT | Các hoạt động | Đơn vị | Số lớp/số cuộc thi | Người | Ghi chú.
# One unit is 6 pt (Times New Roman 12's digit). 76 units (456 pt) fit the decree's 164 mm
# (465 pt) between margins at 100 %, with room for a printer's rounding; C:F (43 units,
# 258 pt) hold the Quốc hiệu on one line in 12 pt bold (249 pt); D the billions of Kinh phí.
DOUBT_FILL = PatternFill(fill_type="solid", start_color="FFFFF4D6", end_color="FFFFF4D6")


def vn_number_format(value: int | None = None) -> str:
    """An Excel number format that groups thousands with dots whatever the reader's locale.

    '#,##0' shows the reader's own separator (commas on an English Windows). Literal dots
    between digit placeholders (`#\\.##0`) print the Vietnamese way in Excel and LibreOffice
    alike; a format holds at most two conditions, so the last section is sized for `value`.
    """
    groups = max(2, (len(str(abs(value))) - 1) // 3 if value is not None else 2)
    big = "#" + "\\.###" * (groups - 1) + "\\.##0"
    return f"[<1000]0;[<1000000]#\\.##0;{big}"


# Every integer below a billion shares one number format (see vn_number_format).
_ONE_FORMAT_BELOW = 10**9


class BodyStyles:
    """The style indexes of one workbook's body cells, registered on first use."""

    def __init__(self, ws: Worksheet) -> None:
        self.ws = ws
        self._numbers: dict[tuple[bool, str, bool], int] = {}
        self.head = style_index(ws, font=font(bold=True, size=11), alignment=CENTER, border=BOX)
        self.title = style_index(ws, font=font(bold=True))
        both = ((bold, mark) for bold in (False, True) for mark in (False, True))
        self._plain = {key: self._body(*key, None) for key in both}
        self._small = {key: self.number(0, *key) for key in self._plain}

    def _body(self, bold: bool, highlight: bool, fmt: str | None) -> int:
        body_font = font(bold=bold, size=11)
        fill = DOUBT_FILL if highlight else None
        return style_index(
            self.ws, font=body_font, border=BOX, alignment=WRAP_TOP, number_format=fmt, fill=fill
        )

    def number(self, value: int, bold: bool = False, highlight: bool = False) -> int:
        """The index for a body cell holding the integer `value` (dot-grouping format)."""
        fmt = vn_number_format(value)
        xf = self._numbers.get((bold, fmt, highlight))
        if xf is None:
            xf = self._numbers[(bold, fmt, highlight)] = self._body(bold, highlight, fmt)
        return xf

    def row(
        self, values: list[object], bold: bool = False, highlight: bool = False
    ) -> list[BodyCell]:
        """A body row of `values`; integers get their number format, the rest plain.

        `highlight` fills the row (a submission awaiting confirmation)."""
        plain, small = self._plain[bold, highlight], self._small[bold, highlight]
        # type() is int excludes bool, which is not a number here.
        return [
            (v, plain)
            if type(v) is not int
            else (
                v,
                small
                if -_ONE_FORMAT_BELOW < v < _ONE_FORMAT_BELOW
                else self.number(v, bold, highlight),
            )
            for v in values
        ]

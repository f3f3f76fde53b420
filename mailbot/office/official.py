"""A laid-out sheet made ready to print, sign and send (Decree 30/2020/NĐ-CP presentation).

Owns the printed page of a sheet: A4, the decree's margins, page numbers centred in the top
margin from page 2, one page wide, header rows repeated; the signature block; and applying
`print_layout`'s row heights and page breaks to the cells the sheet writer put there. Knows
nothing of the form, the roll-up, the store or mail.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Sequence
from dataclasses import dataclass
from functools import cache

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.utils.indexed_list import IndexedList
from openpyxl.worksheet.header_footer import HeaderFooterItem
from openpyxl.worksheet.pagebreak import Break, RowBreak
from openpyxl.worksheet.properties import PageSetupProperties
from openpyxl.worksheet.worksheet import Worksheet

from mailbot.office.print_layout import (
    MAX_ROW_HEIGHT,
    fit_scale,
    page_breaks,
    row_height,
)

FONT = "Times New Roman"
MM_PER_INCH = 25.4
POINTS_PER_MM = 72 / MM_PER_INCH
A4_MM = (210.0, 297.0)
# Decree 30/2020/NĐ-CP, appendix I: top and bottom 20-25 mm, left 30-35 mm, right 15-20 mm.
# Half a millimetre inside each range: the inch values the file stores round both ways.
MARGINS_MM = {"top": 20.5, "bottom": 20.5, "left": 30.5, "right": 15.5}
HEADER_MM = 10.0  # the page number sits halfway into the top margin
PAGE_NUMBER_SIZE = 13  # the decree: page numbers in 13-14 pt
DEFAULT_ROW_HEIGHT = 15.75  # points: a row the file gives no height (Times New Roman 12)
# Rows are measured to the quarter point, the printers' fonts are not: leave a little room.
PAGE_SLACK = 0.97
SIGN_SPACE = 72.0  # points (25 mm) left empty to sign and stamp in
PREPARER_TITLE, HEAD_TITLE = "NGƯỜI LẬP BIỂU", "TRƯỞNG PHÒNG"
PREPARER_HINT, HEAD_HINT = "(Ký, ghi rõ họ tên)", "(Ký tên, đóng dấu)"


@dataclass(frozen=True)
class Signers:
    """Who signs the printed table; a name left empty is written by hand."""

    preparer: str = ""
    head: str = ""


@cache  # one Font per kind: building one costs ~0.1 ms, and header cells need hundreds
def font(bold: bool = False, italic: bool = False, size: int = 12, underline: bool = False) -> Font:
    """The Times New Roman font of a printed cell."""
    return Font(
        name=FONT, bold=bold, italic=italic, size=size, underline="single" if underline else None
    )


def set_default_font(wb: Workbook) -> None:
    """Make Times New Roman 12 the default font of a new, unstyled workbook.

    Column widths count digits of the default font. With Calibri, LibreOffice on a machine
    without it measures a fallback font and prints the table a quarter smaller than Excel;
    Times New Roman (or the metric-compatible Liberation Serif) is on every machine that
    prints the decree's documents.
    """
    # openpyxl has no public setter: the default font is the first of the workbook's fonts,
    # which the Normal style and every unstyled cell point to.
    wb._fonts = IndexedList([font()])  # type: ignore[attr-defined]  # private in openpyxl's stubs


def printable_mm(landscape: bool = False) -> tuple[float, float]:
    """The width and height inside the margins of an A4 page, in millimetres."""
    width, height = A4_MM[::-1] if landscape else A4_MM
    across = MARGINS_MM["left"] + MARGINS_MM["right"]
    down = MARGINS_MM["top"] + MARGINS_MM["bottom"]
    return width - across, height - down


def set_official_page(
    ws: Worksheet, title_rows: tuple[int, int], *, landscape: bool = False
) -> None:
    """A4, the decree's margins, page numbers from page 2, one page wide, `title_rows` repeated."""
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = ws.ORIENTATION_LANDSCAPE if landscape else ws.ORIENTATION_PORTRAIT
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0  # as many pages down as the rows need
    fit = ws.sheet_properties.pageSetUpPr
    if fit is None:  # openpyxl always makes one; its stubs say it may be None
        fit = ws.sheet_properties.pageSetUpPr = PageSetupProperties()
    fit.fitToPage = True
    ws.print_options.horizontalCentered = False  # centring would eat into the left margin rule
    margins = ws.page_margins
    margins.top, margins.bottom = (
        MARGINS_MM["top"] / MM_PER_INCH,
        MARGINS_MM["bottom"] / MM_PER_INCH,
    )
    margins.left, margins.right = (
        MARGINS_MM["left"] / MM_PER_INCH,
        MARGINS_MM["right"] / MM_PER_INCH,
    )
    margins.header = margins.footer = HEADER_MM / MM_PER_INCH
    # The first page carries the heading block and no number; later pages "2", "3", … centred.
    ws.HeaderFooter.differentFirst = True
    header = ws.oddHeader
    if header is None:  # openpyxl always makes one; its stubs say it may be None
        header = ws.HeaderFooter.oddHeader = HeaderFooterItem()
    header.center.text = "&P"
    header.center.font = f"{FONT},Regular"
    header.center.size = PAGE_NUMBER_SIZE
    ws.print_title_rows = f"{title_rows[0]}:{title_rows[1]}"


def write_signature_block(
    ws: Worksheet, row: int, signers: Signers, *, left: tuple[int, int], right: tuple[int, int]
) -> int:
    """Write "NGƯỜI LẬP BIỂU" over columns `left` and "TRƯỞNG PHÒNG" over `right` from `row`.

    Each gets its hint, room to sign and the name when one is set. Returns the last row.
    """
    lines = [
        ((PREPARER_TITLE, HEAD_TITLE), font(bold=True)),
        ((PREPARER_HINT, HEAD_HINT), font(italic=True)),
        (("", ""), font()),
        ((signers.preparer, signers.head), font(bold=True)),
    ]
    for offset, (texts, cell_font) in enumerate(lines):
        r = row + offset
        for (first, last), text in zip((left, right), texts, strict=True):
            ws.merge_cells(start_row=r, start_column=first, end_row=r, end_column=last)
            cell = ws.cell(row=r, column=first, value=text or None)
            cell.font = cell_font
            cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    ws.row_dimensions[row + 2].height = SIGN_SPACE
    return row + len(lines) - 1


def fit_row_heights(ws: Worksheet, rows: Iterable[int]) -> None:
    """Give each of `rows` the height its tallest cell's wrapped text needs."""
    widths = {col: _width(ws, col) for col in range(1, ws.max_column + 1)}
    spans = {(m.min_row, m.min_col): m for m in ws.merged_cells.ranges}
    for r in rows:
        needed = 0.0
        for cell in ws[r]:
            if cell.value is None or cell.value == "":
                continue
            span = spans.get((r, cell.column))
            if span is not None and span.max_row > r:
                continue  # spans rows below: the form's short two-row header names, one line
            last_col = span.max_col if span is not None else cell.column
            width = sum(widths.get(c, 8.43) for c in range(cell.column, last_col + 1))
            wraps = cell.alignment is not None and cell.alignment.wrap_text
            size = float(cell.font.sz or 11) if cell.font is not None else 11.0
            bold = bool(cell.font is not None and cell.font.b)
            # A cell that does not wrap shows its text on one line per paragraph.
            needed = max(needed, row_height(str(cell.value), width if wraps else 10**6, size, bold))
        current = ws.row_dimensions[r].height
        if needed and (current is None or current < needed):
            ws.row_dimensions[r].height = min(MAX_ROW_HEIGHT, needed)


def body_row_height(
    widths: Sequence[float], size: float = 11, *, unwrapped: Collection[int] = ()
) -> Callable[[Sequence[tuple[object, int]]], float | None]:
    """For streamed body rows: the height a row of (value, style) cells needs, None for one line.

    Cells whose style is in `unwrapped` do not wrap: they count one line per paragraph.
    """
    one_line = row_height("", 1, size, bold=True)

    def height(cells: Sequence[tuple[object, int]]) -> float | None:
        needed = one_line
        for (value, style), width in zip(cells, widths, strict=False):
            if isinstance(value, str) and value:
                # Bold is the wider face: a bold row is measured right, a plain one safely.
                cell_width = 10**6 if style in unwrapped else width
                needed = max(needed, row_height(value, cell_width, size, bold=True))
        return needed if needed > one_line else None

    return height


def set_page_breaks(
    ws: Worksheet,
    last_row: int,
    title_rows: tuple[int, int],
    keep_with_next: Collection[int],
    *,
    landscape: bool = False,
) -> list[int]:
    """Put manual page breaks so no page ends on a row in `keep_with_next`; the pages' first rows.

    Excel and LibreOffice have no "keep with next" for rows: the breaks are computed from the
    row heights, the printable height and the fit-to-width scale.
    """
    width_mm, height_mm = printable_mm(landscape)
    columns = [_width(ws, c) for c in range(1, ws.max_column + 1)]
    scale = fit_scale(columns, width_mm * POINTS_PER_MM)
    page = height_mm * POINTS_PER_MM * PAGE_SLACK / scale
    heights = [_height(ws, r) for r in range(1, last_row + 1)]
    repeated = sum(heights[title_rows[0] - 1 : title_rows[1]])
    starts = page_breaks(
        heights,
        page,
        repeated_height=repeated,
        keep_with_next={r - 1 for r in keep_with_next},
        first_breakable=title_rows[1],
    )
    breaks = RowBreak()
    for start in starts:
        # A break's id is the last row of its page (1-based): index `start` is row start + 1.
        breaks.append(Break(id=start))
    ws.row_breaks = breaks
    return [start + 1 for start in starts]


def _width(ws: Worksheet, col: int) -> float:
    dim = ws.column_dimensions.get(get_column_letter(col))
    return float(dim.width) if dim is not None and dim.width else 8.43


def _height(ws: Worksheet, row: int) -> float:
    dim = ws.row_dimensions.get(row)
    return float(dim.height) if dim is not None and dim.height else DEFAULT_ROW_HEIGHT

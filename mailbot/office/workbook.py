"""The roll-up workbook and the blank Appendix 2 form, written with openpyxl.

Owns the sheet layouts: "Tổng hợp" (the official Appendix 2 layout, readable back by
`mailbot.parsing`), "Theo đơn vị" and "Tình hình nộp báo cáo". The two per-unit sheets get
their header with openpyxl and their body rows (one per roster unit, 10,000 at a ministry)
through `xlsx_rows`. How the sheets print (Decree 30/2020/NĐ-CP page, row heights, page
breaks, signature block) is `official`'s. Writes only to the path or file object it is given;
knows nothing of the store or of mail.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from openpyxl import Workbook
from openpyxl.cell.cell import Cell
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from mailbot.forms import Form, FormLine
from mailbot.office.cell_styles import (
    BOX,
    CENTER,
    WRAP_TOP,
    BodyStyles,
    vn_number_format,
)
from mailbot.office.official import (
    Signers,
    body_row_height,
    fit_row_heights,
    font,
    set_default_font,
    set_official_page,
    set_page_breaks,
    write_signature_block,
)
from mailbot.office.xlsx_rows import (
    EXCEL_CELL_MAX,
    Body,
    BodyCell,
    save_with_bodies,
)
from mailbot.records import CONFIDENCE_VI, TO_CONFIRM, Submission
from mailbot.rollup import Rollup, Values, table_rows, vn_datetime, vn_place_date

WIDTHS = (5, 28, 10, 13, 10, 10)
HEADER_ROW = 9
FIRST_LINE_ROW = HEADER_ROW + 2
TITLE_ROWS = (HEADER_ROW, HEADER_ROW + 1)  # printed again at the top of every page
STATUS_DONE, STATUS_MISSING, STATUS_LATE = "Đã nộp", "Chưa nộp", "Nộp muộn"
# A submission awaiting confirmation: its row highlighted, its numbers out of the totals.
STATUS_TO_CONFIRM = "cần xác nhận"
CELL_TEXT_CUT = "… (còn nữa: xem đủ ở trang Theo đơn vị)"


def fit_cell_text(text: str) -> str:
    """`text` cut at a line so that it fits one Excel cell, saying where the rest is."""
    if len(text) <= EXCEL_CELL_MAX:
        return text
    # A province's "Unit: activity" lines run past what Excel opens without "repairing" it.
    room = EXCEL_CELL_MAX - len(CELL_TEXT_CUT) - 1
    head = text[: room + 1]
    cut = head.rfind("\n")
    return (head[:cut] if cut > 0 else head[:room]) + "\n" + CELL_TEXT_CUT


def write_rollup_workbook(rollup: Rollup, target: str | Path | BinaryIO) -> None:
    """Write the roll-up workbook (Tổng hợp, Theo đơn vị, Tình hình nộp báo cáo) to `target`."""
    wb = Workbook()
    set_default_font(wb)
    summary = wb.active
    assert summary is not None  # a new Workbook always has one sheet
    summary.title = "Tổng hợp"
    campaign = rollup.campaign
    unit_line = (
        f"Đơn vị: {campaign.office_name} (tổng hợp "
        f"{rollup.counted_count}/{rollup.unit_count} đơn vị đã báo cáo"
        + (f"; chưa tính {len(rollup.doubtful)} đơn vị cần xác nhận)" if rollup.doubtful else ")")
    )
    last, keep = _appendix_sheet(
        summary,
        rollup.form,
        rollup.totals,
        left=(campaign.authority_name.upper(), campaign.office_name.upper()),
        dateline=vn_place_date(campaign.district, rollup.now.astimezone(campaign.tz)),
        unit_line=unit_line,
    )
    signers = Signers(campaign.preparer_name, campaign.head_name)
    # One empty row, then the signatures, kept on the page of the table's last row.
    first_sign = last + 2
    end = write_signature_block(summary, first_sign, signers, left=(1, 2), right=(3, 6))
    fit_row_heights(summary, range(first_sign, end + 1))
    set_page_breaks(summary, end, TITLE_ROWS, {*keep, *range(last, end)})
    per_unit = wb.create_sheet("Theo đơn vị")
    styles = BodyStyles(per_unit)
    bodies = [
        _per_unit_sheet(per_unit, rollup, styles),
        _status_sheet(wb.create_sheet("Tình hình nộp báo cáo"), rollup, styles),
    ]
    save_with_bodies(wb, target, bodies)


def write_blank_form(
    form: Form,
    target: str | Path | BinaryIO,
    *,
    place: str = "",
) -> None:
    """Write the empty Appendix 2 workbook that reminders attach, for a unit to fill in."""
    wb = Workbook()
    set_default_font(wb)
    ws = wb.active
    assert ws is not None  # a new Workbook always has one sheet
    ws.title = "Phụ lục 2"
    dots = "........"
    last, keep = _appendix_sheet(
        ws,
        form,
        None,
        # The unit writes its name where the header block has it; the parser reads it there.
        left=("Đơn vị: " + dots * 4, ""),
        dateline=f"{place or dots}, ngày {dots} tháng {dots} năm {dots}",
        unit_line="",
    )
    set_page_breaks(ws, last, TITLE_ROWS, keep)
    wb.save(target)


def _merged(ws: Worksheet, ref: str, text: str, cell_font: Font, align: Alignment = CENTER) -> None:
    ws.merge_cells(ref)
    cell = ws[ref.split(":")[0]]
    cell.value = text
    cell.font = cell_font
    cell.alignment = align


def _appendix_sheet(
    ws: Worksheet,
    form: Form,
    values: Values | None,
    *,
    left: tuple[str, str],
    dateline: str,
    unit_line: str,
) -> tuple[int, set[int]]:
    """Lay out the Appendix 2 sheet; its last table row and the rows kept with the next."""
    for i, width in enumerate(WIDTHS, start=1):
        ws.column_dimensions[get_column_letter(i)].width = width
    # The decree's heading block: Quốc hiệu 12-13 pt bold, Tiêu ngữ 13-14 pt bold and
    # underlined, the date line 13-14 pt italic; the issuing body bold under its authority.
    _merged(ws, "A1:B1", left[0], font())
    _merged(ws, "A2:B2", left[1], font(bold=True))
    _merged(ws, "C1:F1", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", font(bold=True))
    _merged(ws, "C2:F2", "Độc lập - Tự do - Hạnh phúc", font(bold=True, size=13, underline=True))
    _merged(ws, "C3:F3", dateline, font(italic=True, size=13))
    _merged(ws, "A5:F5", form.title, font(bold=True, size=14))
    _merged(ws, "A6:F6", form.subtitle, font(bold=True))
    if unit_line:
        _merged(ws, "A7:F7", unit_line, font(italic=True))
    _table_header(ws, form)
    row = FIRST_LINE_ROW
    lines = [table_row.line for table_row in table_rows(form, values)]
    keep = {FIRST_LINE_ROW + i for i, line in enumerate(lines) if _leads_in(line, lines[i + 1 :])}
    for table_row in table_rows(form, values):
        line = table_row.line
        cells = [line.stt or "", line.label, line.unit, table_row.quantity, table_row.people, ""]
        for col, value in enumerate(cells, start=1):
            cell = ws.cell(row=row, column=col, value=value if value != "" else None)
            cell.border = BOX
            cell.font = font(bold=line.heading or bool(line.stt))
            cell.alignment = WRAP_TOP if col == 2 else CENTER
            if col in (4, 5) and isinstance(value, int):
                cell.number_format = vn_number_format(value)
                cell.alignment = Alignment(horizontal="right", vertical="top")
        if "text" in line.slots:
            ws.merge_cells(start_row=row, start_column=4, end_row=row, end_column=6)
            text = fit_cell_text(table_row.text) if table_row.text else table_row.text
            text_cell = ws.cell(row=row, column=4, value=text)
            text_cell.alignment = WRAP_TOP
            text_cell.font = font()
        row += 1
    fit_row_heights(ws, range(1, row))
    set_official_page(ws, TITLE_ROWS)
    return row - 1, keep


def _leads_in(line: FormLine, rest: list[FormLine]) -> bool:
    """Whether a printed line introduces the next one and must not end a page."""
    if not rest:
        return False
    # A heading ("4 Phát động phong trào…"), a "trong đó:" line, a numbered line over its parts.
    return line.heading or line.label.rstrip().endswith(":") or bool(line.stt and not rest[0].stt)


def _table_header(ws: Worksheet, form: Form) -> None:
    top, sub = HEADER_ROW, HEADER_ROW + 1
    heads = {
        "A": form.columns["stt"][0],
        "B": form.columns["label"][0],
        "C": form.columns["unit"][0],
        "F": form.columns["note"][0],
    }
    for col, text in heads.items():
        _merged(ws, f"{col}{top}:{col}{sub}", text, font(bold=True))
    _merged(ws, f"D{top}:E{top}", form.columns["quantity"][0], font(bold=True))
    ws[f"D{sub}"] = form.columns["count"][0]
    ws[f"E{sub}"] = form.columns["people"][0]
    for col in "DE":
        ws[f"{col}{sub}"].font = font(bold=True)
        ws[f"{col}{sub}"].alignment = CENTER
    for r in (top, sub):
        for c in range(1, 7):
            ws.cell(row=r, column=c).border = BOX


def _slot_columns(form: Form) -> list[tuple[str, str, str]]:
    return [(ind.code, ind.label, slot) for ind in form.indicators for slot in ind.slots]


def _per_unit_sheet(ws: Worksheet, rollup: Rollup, styles: BodyStyles) -> Body:
    form = rollup.form
    slots = _slot_columns(form)
    fixed = ["STT", "Mã đơn vị", "Tên đơn vị", "Tình trạng"]
    for col, text in enumerate(fixed, start=1):
        ws.merge_cells(start_row=1, start_column=col, end_row=3, end_column=col)
        _head(ws.cell(row=1, column=col, value=text))
    for offset, (code, label, slot) in enumerate(slots):
        col = len(fixed) + 1 + offset
        _head(ws.cell(row=1, column=col, value=code))
        _head(ws.cell(row=2, column=col, value=label))
        _head(ws.cell(row=3, column=col, value=form.slot_names.get(slot, slot)))
        ws.column_dimensions[get_column_letter(col)].width = 40 if slot == "text" else 14
    for width, letter in zip((6, 12, 34, 12), "ABCD", strict=True):
        ws.column_dimensions[letter].width = width
    ws.freeze_panes = "E4"
    fit_row_heights(ws, range(1, 4))
    set_official_page(ws, (1, 3), landscape=True)
    return Body(ws, 4, _per_unit_rows(rollup, slots, styles))


def _per_unit_rows(
    rollup: Rollup, slots: list[tuple[str, str, str]], styles: BodyStyles
) -> Iterator[list[BodyCell]]:
    for n, report in enumerate(rollup.units, start=1):
        values = report.submission.values if report.submission else {}
        status = _status(report.submitted, report.late, report.to_confirm)
        cells: list[object] = [n, report.unit.code, report.unit.name, status]
        cells += [values.get(code, {}).get(slot) for code, _, slot in slots]
        yield styles.row(cells, highlight=report.to_confirm)
    # The totals leave out submissions awaiting confirmation (see rollup.build_rollup).
    total: list[object] = ["", "", "Tổng cộng", f"{rollup.counted_count}/{rollup.unit_count}"]
    for code, _, slot in slots:
        value = rollup.totals[code][slot]
        total.append(fit_cell_text(value) if isinstance(value, str) else value)
    yield styles.row(total, bold=True)


def _status(submitted: bool, late: bool, to_confirm: bool = False) -> str:
    if not submitted:
        return STATUS_MISSING
    status = STATUS_LATE if late else STATUS_DONE
    return f"{status}, {STATUS_TO_CONFIRM}" if to_confirm else status


def confidence_text(sub: Submission) -> str:
    """How sure the numbers are, for the office: with the doubts while awaiting confirmation."""
    label = CONFIDENCE_VI[sub.confidence]
    if sub.confidence == TO_CONFIRM:
        return "\n".join([label.capitalize() + ":", *(f"- {d}" for d in sub.doubts)])
    if sub.confirmed_at is not None:
        who = "đơn vị trả lời thư" if sub.confirmed_by == "reply" else "văn phòng"
        return f"{label.capitalize()} ({who}, {vn_datetime(sub.confirmed_at)})"
    return label.capitalize()


def _head(cell: Cell) -> None:
    cell.font = font(bold=True, size=11)
    cell.alignment = CENTER
    cell.border = BOX


def _status_sheet(ws: Worksheet, rollup: Rollup, styles: BodyStyles) -> Body:
    tz = rollup.campaign.tz
    ws["A1"] = (
        f"Tình hình nộp báo cáo đến {vn_datetime(rollup.now, tz)}: "
        f"{rollup.submitted_count}/{rollup.unit_count} đơn vị đã nộp "
        f"(hạn nộp {vn_datetime(rollup.campaign.deadline, tz)})"
    )
    ws["A1"].font = font(bold=True)
    heads = ["STT", "Đơn vị", "Tình trạng", "Thời gian nhận", "Nộp muộn", "Cảnh báo", "Tệp"]
    heads.append("Độ tin cậy số liệu")  # issue 11: chắc chắn / cần xác nhận (lý do) / đã xác nhận
    widths = (6, 34, 12, 18, 10, 60, 34, 50)
    for col, (text, width) in enumerate(zip(heads, widths, strict=True), 1):
        _head(ws.cell(row=3, column=col, value=text))
        ws.column_dimensions[get_column_letter(col)].width = width
    ws.freeze_panes = "A4"
    fit_row_heights(ws, [3])
    set_official_page(ws, (3, 3), landscape=True)
    height = body_row_height(widths, unwrapped={styles.title})
    return Body(ws, 4, _status_rows(rollup, styles), height=height)


def _status_rows(rollup: Rollup, styles: BodyStyles) -> Iterator[list[BodyCell]]:
    tz = rollup.campaign.tz
    for n, report in enumerate(rollup.units, start=1):
        sub = report.submission
        yield styles.row(
            [
                n,
                report.unit.name,
                _status(report.submitted, report.late, report.to_confirm),
                vn_datetime(sub.received_at, tz) if sub else "",
                "Có" if report.late else "",
                "\n".join(report.warnings),
                "\n".join(sub.files) if sub else "",
                confidence_text(sub) if sub else "",
            ],
            highlight=report.to_confirm,
        )
    problems = [*rollup.unreadable, *rollup.unassigned]
    if not problems:
        return
    yield []  # a blank row before the problems
    yield [("Thư cần văn phòng xem lại", styles.title)]
    heads = ["STT", "Người gửi", "Vấn đề", "Thời gian nhận", None, "Chi tiết", "Tệp"]
    yield [(text, styles.head) for text in heads]
    for n, item in enumerate(problems, start=1):
        p = item.problem
        sender = f"{item.unit_name} <{p.sender}>" if item.unit_name else p.sender
        cells = [n, sender, item.kind_vi, vn_datetime(p.received_at, tz), "", p.detail]
        cells.append("\n".join(p.files))
        yield styles.row(cells)

"""Terminal text for the office commands: the status table and the summary overview.

Pure: rows and roll-ups in, lines out (Vietnamese, for the office). Knows nothing of the
store, the config or mail; the CLI prints what this returns.
"""

from __future__ import annotations

import unicodedata
from datetime import datetime

from mailbot.rollup import Rollup, vn_datetime

STATUS_HEADS = ("STT", "Mã đơn vị", "Tên đơn vị", "Tình trạng", "Thời gian nhận", "Cảnh báo")


def display_width(text: str) -> int:
    """Terminal columns `text` takes: combining marks take none, East Asian wide chars two."""
    width = 0
    for ch in text:
        if unicodedata.combining(ch) or unicodedata.category(ch) in ("Mn", "Me", "Cf"):
            continue
        width += 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1
    return width


def pad(text: str, width: int) -> str:
    """`text` padded with spaces to `width` terminal columns."""
    return text + " " * max(0, width - display_width(text))


def status_label(row: dict) -> str:
    """The Vietnamese status of a status row: not yet, on time, or late."""
    if not row["submitted"]:
        return "Chưa nộp"
    label = "Nộp muộn" if row["late"] else "Đã nộp"
    # Awaiting confirmation: booked, but not counted in the district totals yet.
    return f"{label}, cần xác nhận" if row.get("confidence") == "cần xác nhận" else label


def _received(row: dict) -> str:
    at = row["received_at"]
    return vn_datetime(datetime.fromisoformat(at)) if at else ""


def status_table(rows: list[dict]) -> list[str]:
    """The status rows as an aligned table with a count line at the end."""
    body = [
        [
            str(n),
            row["unit_code"],
            unicodedata.normalize("NFC", row["unit_name"]),
            status_label(row),
            _received(row),
            str(row["warnings"]) if row["warnings"] else "",
        ]
        for n, row in enumerate(rows, start=1)
    ]
    table = [list(STATUS_HEADS), *body]
    widths = [max(display_width(r[i]) for r in table) for i in range(len(STATUS_HEADS))]
    lines = [
        "  ".join(pad(cell, w) for cell, w in zip(r, widths, strict=True)).rstrip() for r in table
    ]
    lines.insert(1, "  ".join("-" * w for w in widths))
    done = sum(1 for r in rows if r["submitted"])
    lines.append(f"Đã nộp {done}/{len(rows)} đơn vị.")
    return lines


def summary_overview(rollup: Rollup) -> list[str]:
    """A few lines for the terminal: progress, what is new, who is missing, problems."""
    tz = rollup.campaign.tz
    lines = [
        f"Tổng hợp {rollup.campaign.name} đến {vn_datetime(rollup.now, tz)} "
        f"(hạn nộp {vn_datetime(rollup.campaign.deadline, tz)})",
        f"Đã nộp: {rollup.submitted_count}/{rollup.unit_count} đơn vị",
    ]
    if rollup.doubtful:
        names = ", ".join(r.unit.name for r in rollup.doubtful)
        lines.append(f"Cần xác nhận số liệu (chưa tính vào tổng hợp): {names}")
    since = f" từ {vn_datetime(rollup.since, tz)}" if rollup.since else ""
    lines.append(f"Mới{since}: " + (", ".join(r.unit.name for r in rollup.new) or "không có"))
    lines.append("Chưa nộp: " + (", ".join(u.name for u in rollup.missing) or "không có"))
    if rollup.late:
        lines.append("Nộp muộn: " + ", ".join(r.unit.name for r in rollup.late))
    problems = len(rollup.unreadable) + len(rollup.unassigned)
    if problems:
        lines.append(f"Thư cần văn phòng xem lại: {problems}")
    return lines

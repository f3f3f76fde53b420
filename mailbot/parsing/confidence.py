"""How sure the reading is: the doubts that make a submission wait for the unit's confirmation.

Owns turning what the interpreter noticed while reading (cells in value columns that are not
numbers, two figures in a one-figure row, rows with figures that match no line, form rows
missing between rows that are there, columns guessed without a header, figures far outside
what the form expects) into reasons in Vietnamese. A rule breach the clerk really made (sums
that do not add up) is a warning, not a doubt: it says nothing about the reading. Pure.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from mailbot.forms import Form
from mailbot.parsing.model import Values

_NOTHING_MARK = re.compile(r"\s*[xX×]\s*")


@dataclass
class Signals:
    """What the interpreter saw that may mean a figure was misread or lost."""

    unreadable: list[tuple[str, str]] = field(default_factory=list)  # (code, cell text)
    two_numbers: list[str] = field(default_factory=list)  # codes
    unmatched: list[str] = field(default_factory=list)  # labels of rows with figures
    missing: list[str] = field(default_factory=list)  # codes lost in a merged label
    elsewhere: list[str] = field(default_factory=list)  # codes read from Ghi chú or a spare column
    stray: list[str] = field(default_factory=list)  # codes with figures no slot reads
    left_out: list[str] = field(default_factory=list)  # codes with figures in another table
    guessed_columns: bool = False
    reader: list[str] = field(default_factory=list)  # doubts a reader raised (uncomputed formula)


def doubts(form: Form, signals: Signals, values: Values) -> list[str]:
    """The reasons (Vietnamese) a figure read from this table may be wrong; [] when sure."""
    out = list(signals.reader)
    for code, text in signals.unreadable:
        if _NOTHING_MARK.fullmatch(text):
            continue  # "x" in a value cell: the clerk's way to say "none"
        out.append(f"Dòng {code}: ô “{text}” không đọc được thành số, có thể thiếu số liệu.")
    for code in signals.two_numbers:
        out.append(f"Dòng {code} ghi hai số trong khi biểu chỉ có một số liệu.")
    for label in signals.unmatched:
        out.append(f"Dòng “{label}” có số liệu nhưng không khớp với dòng nào của biểu.")
    if signals.missing:
        out.append(
            "Không thấy các dòng mã " + ", ".join(signals.missing) + " giữa các dòng khác "
            "của biểu; có thể hai dòng bị gộp vào một ô."
        )
    for code in signals.elsewhere:
        out.append(f"Dòng {code}: số liệu lấy ngoài cột Số lượng (ở Ghi chú hoặc cột khác).")
    if signals.left_out:
        codes = ", ".join(dict.fromkeys(signals.left_out))
        out.append(f"Một bảng khác trong tệp có số liệu các dòng mã {codes} chưa được đọc.")
    for code in signals.stray:
        out.append(f"Dòng {code} có số ở chỗ không phải ô số liệu của biểu (cột thêm, ô tên).")
    if signals.guessed_columns and any(_figures(values)):
        out.append("Bảng không có dòng tiêu đề cột rõ ràng; các cột số liệu được đoán.")
    for code, slot, value in _figures(values):
        low, high = form.bounds(code, slot)
        name = form.slot_names.get(slot, slot)
        if high is not None and value > high:
            out.append(f"Dòng {code}: {name} {value:,} lớn bất thường.".replace(",", "."))
        elif low is not None and 0 < value < low:
            out.append(f"Dòng {code}: {name} {value:,} nhỏ bất thường.".replace(",", "."))
    return list(dict.fromkeys(out))


def _figures(values: Values) -> list[tuple[str, str, int]]:
    return [
        (code, slot, v)
        for code, slots in values.items()
        for slot, v in slots.items()
        if isinstance(v, int) and not isinstance(v, bool)
    ]

"""How a spreadsheet cell reads as text: numbers as Excel shows them, dates as clerks typed them.

Shared by the .xlsx and .xls readers. Pure: values and number formats in, text out.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata


def number_text(value: int | float, number_format: str = "General") -> str:
    """A number roughly as Excel shows it (integers without '.0', percentages with '%')."""
    if "%" in number_format:
        return f"{value * 100:g}%"
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    if isinstance(value, float):
        return f"{value:.10g}"
    return str(value)


_QUOTED = re.compile(r'"[^"]*"|\[[^\]]*\]|\\.')


def date_text(value: dt.date, number_format: str) -> str:
    """A date as the clerk typed it when Excel made the date; else as dd/mm/yyyy.

    Excel turns "2/45" (2 classes, 45 people) typed in a cell into 1 February 1945 shown
    "Feb-45": a month-year format on the 1st of a month can only come from typing m/yy. A
    day-month format without a year ("dd/mm") shows the two numbers typed, in its order.
    """
    shown = _QUOTED.sub("", number_format).lower()
    if value.day == 1 and "y" in shown and "m" in shown and "d" not in shown:
        return f"{value.month}/{value.year % 100:02d}"
    if "y" not in shown and "d" in shown and "m" in shown and "mmm" not in shown:
        # "1/10" typed where Excel reads d/m (or m/d) is shown back as typed: keep that order.
        day_first = shown.index("d") < shown.index("m")
        first, second = (value.day, value.month) if day_first else (value.month, value.day)
        return f"{first}/{second}"
    return value.strftime("%d/%m/%Y")


def clean_text(text: str) -> str:
    """NFC, stripped, with Windows line ends unified."""
    return unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n")).strip()

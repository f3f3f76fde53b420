"""Shared pieces of red-team cases: the Case record, header blocks, and report assembly.

Owns: Case (file name, builder, exact expected values, accepted unit names, ambiguities) and
the helpers every case module uses. Pure apart from builders that callers run.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from tests.redteam.form import Style, Values
from tests.redteam.layout import Layout, Report, build_table
from tests.redteam.soffice import Job

TITLE = ["BIỂU TỔNG HỢP", "Số liệu kết quả tổ chức tuần lễ học tập suốt đời năm 2021"]
NATION = ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc")
SIGN_SCHOOL = ["NGƯỜI LẬP BIỂU", "HIỆU TRƯỞNG", "(Ký, ghi rõ họ tên, đóng dấu)"]
SIGN_COMMUNE = ["TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH"]


@dataclass
class Case:
    """One red-team file and what a correct parser must say about it."""

    name: str
    pattern: str  # what real-world habit this file imitates
    commonness: int  # 5: nearly every office does this … 1: rare
    build: Callable[[], bytes]
    values: Values | None  # None: the file must be refused (ok: false with a reason)
    unit: tuple[str, ...] = ()  # accepted readings of the unit name; () with values: null
    ambiguous: dict[str, str] = field(default_factory=dict)  # "code.slot" -> why
    jobs: list[Job] = field(default_factory=list)  # LibreOffice conversions it needs


def school_header(parent: str, unit_line: str, place: str) -> list[tuple[str, str]]:
    """The usual two-column header block of a school or commune document."""
    return [
        (parent, NATION[0]),
        (unit_line, NATION[1]),
        ("", f"{place}, ngày 14 tháng 10 năm 2021"),
    ]


def make_report(
    values: Values,
    style: Style,
    layout: Layout,
    header: list[tuple[str, str]],
    title: list[str] | None = None,
    after: list[str] | None = None,
) -> Report:
    """Assemble a Report from values, the clerk's style and layout, and the header block."""
    return Report(
        header=header,
        title=TITLE if title is None else title,
        table=build_table(values, style, layout),
        after=SIGN_SCHOOL if after is None else after,
    )

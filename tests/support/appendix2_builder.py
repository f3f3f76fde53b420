"""Build Documents of the plan's Appendix 2 table (its row texts, quirks included) with values.

Used by the interpreter tests: `plan_document(values, ...)` lays out the form as a clerk's
file would arrive from a reader, with options for the variations clerks make.
"""

from __future__ import annotations

import random
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass

from mailbot.forms import load_form
from mailbot.parsing.model import Cell, Document, Grid


@dataclass(frozen=True)
class PlanRow:
    """One printed row of the plan's table: texts as printed, and what its values mean."""

    stt: str
    label: str
    unit: str
    code: str | None = None
    slots: tuple[str, ...] = ()
    shifted: bool = False  # the plan prints this row one column to the left


CP = ("count", "people")
# Row texts copied from the end of ke-hoach-tuan-le-hoc-tap-suot-doi-2021.txt, as printed.
PLAN_ROWS: tuple[PlanRow, ...] = (
    PlanRow("1", "Các lớp bồi dưỡng, tập huấn tổ chức trong Tuần lễ", "lớp", "1", ("count",)),
    PlanRow("", "Tổng số người tham gia, trong đó:", "người", "1", ("people",)),
    PlanRow("", "Bồi dưỡng nâng cao trình độ chuyên môn nghiệp vụ cho cán bộ, công chức, viên chức (các cấp)", "lớp/người", "1.1", CP),  # noqa: E501
    PlanRow("", "Bồi dưỡng nâng cao trình độ ngoại ngữ cho cán bộ, công chức, viên chức (các cấp)", "lớp/người", "1.2", CP),  # noqa: E501
    PlanRow("", "Bồi dưỡng nâng cao trình độ tin học cho cán bộ, công chức, viên chức (các cấp)", "lớp/người", "1.3", CP),  # noqa: E501
    PlanRow("", "Bồi dưỡng nâng cao tay nghề cho công nhân lao động", "lớp/người", "1.4", CP),
    PlanRow("", "Học nghề cho lao động nông thôn", "lớp/người", "1.5", CP),
    PlanRow("", "Nâng cao trình độ văn hóa cho cán bộ công chức cấp xã, người lao động trong các khu công nghiệp, khu chế xuất", "lớp/người", "1.6", CP),  # noqa: E501
    PlanRow("", "Giáo dục kỹ năng sống cho học sinh", "lớp/người", "1.7", CP),
    PlanRow("", "Phổ biến kiến thức khoa học, kiến thức pháp luật cho người lao động", "lớp/người", "1.8", CP),  # noqa: E501
    PlanRow("", "Bồi dưỡng thường xuyên cho giáo viên", "lớp/người", "1.9", CP),
    PlanRow("", "Bồi dưỡng, tập huấn cho cán bộ quản lý, báo cáo viên TTHTCD", "lớp/người", "1.10", CP),  # noqa: E501
    PlanRow("", "Phổ cập giáo dục (tiểu học, THCS)", "lớp/người", "1.11", CP),
    PlanRow("", "Xóa mù chữ", "lớp/người", "1.12", CP),
    PlanRow("", "Các lớp bồi dưỡng, tập huấn khác", "lớp/người", "1.13", CP, shifted=True),
    PlanRow("2", "Số tin bài về các hoạt động của Tuần lễ", "Tin, bài/ cuộc", "2", ("count",)),
    PlanRow("3", "Ấn phẩm thông tin (tờ rơi, áp phích, băng rôn, khẩu hiệu)", "quyển/ tờ", "3", ("count",)),  # noqa: E501
    PlanRow("4", "Phát động phong trào và tổ chức quyên góp sách giúp xây dựng tủ sách lớp học, xây dựng thư viện trường học", ""),  # noqa: E501
    PlanRow("", "Số tập thể/ cá nhân tặng sách", "Tập thể/cá nhân", "4.1", ("count",)),
    PlanRow("", "Số sách đã huy động tặng các trường học, thư viện", "Quyển", "4.2", ("count",)),
    PlanRow("5", "Tổ chức các thi, các buổi tọa đàm về", "Số cuộc", "5", ("count",)),
    PlanRow("", "khuyến đọc, khuyến học và xây dựng xã hội học tập", ""),  # continuation
    PlanRow("", "Hội sách, đường sách, phố sách", "Số cuộc", "5.1", ("count",)),
    PlanRow("", "Trung bày, triển lãm sách báo, tư liệu", "Số cuộc", "5.2", ("count",)),
    PlanRow("", "Thi tìm hiểu, học tập lịch sử, văn hóa địa phương tại các bảo tàng, di tích", "Số cuộc/người", "5.3", CP),  # noqa: E501
    PlanRow("", "Thi về sách (thi xếp sách nghệ thuật, thi vẽ tranh theo sách, thi tìm hiểu kiến thức qua sách báo, thi thiếu nhi kể chuyện theo sách, thi viết cảm nhận qua việc đọc sách)", "Số cuộc/người", "5.4", CP),  # noqa: E501
    PlanRow("", "Sinh hoạt chuyên đề học tập suốt đời, xây dựng xã hội học tập", "Số cuộc/người", "5.5", CP),  # noqa: E501
    PlanRow("", "Các cuộc thi khác", "Số cuộc/người", "5.6", CP),
    PlanRow("6", "Tổ chức hoạt động văn nghệ, thể thao, thăm quan, sinh hoạt chuyên đề", "Số cuộc", "6", ("count",)),  # noqa: E501
    PlanRow("", "Hoạt động thể dục thể thao", "Số cuộc/người", "6.1", CP),
    PlanRow("", "Hoạt động văn nghệ", "Số cuộc/người", "6.2", CP),
    PlanRow("", "Thăm quan, học tập tại bảo tàng, di tích lịch sử", "Số cuộc/người", "6.3", CP),
    PlanRow("7", "Tổ chức Lễ khai mạc Tuần lễ", ""),
    PlanRow("", "Số cơ sở giáo dục tổ chức Lễ khai mạc Tuần lễ", "Trường", "7.1", ("count",)),
    PlanRow("8", "Tổ chức hội thảo/sinh hoạt chuyên đề", "cuộc", "8", ("count",)),
    PlanRow("9", "Khen thưởng về tổ chức Tuần lễ", ""),
    PlanRow("", "Tập thể", "Đơn vị", "9.1", ("count",)),
    PlanRow("", "Cá nhân", "Người", "9.2", ("count",)),
    PlanRow("10", "Kinh phí", ""),
    PlanRow("", "Ngân sách nhà nước", "đồng", "10.1", ("amount",)),
    PlanRow("", "Kinh phí hỗ trợ, huy động từ các nguồn hợp pháp khác (nếu có)", "đồng", "10.2", ("amount",)),  # noqa: E501
    PlanRow("11", "Các nội dung khác (nếu có)", "", "11", ("text",)),
)  # fmt: skip
SPLIT_ROW = 21  # the plan's page break: "khuyến đọc, ..." starts the second grid
HEADER = (
    ["STT", "Các hoạt động", "Đơn vị", "Số lượng", "", "Ghi chú"],
    ["", "", "", "Số lớp/số cuộc thi", "Người", ""],
)
TITLE = ["Phụ lục 2", "BIỂU TỔNG HỢP", "Số liệu kết quả tổ chức tuần lễ học tập suốt đời năm 2021"]
HEADER_BLOCK = [
    ("UBND HUYỆN QUỲNH NHAI", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"),
    ("TRƯỜNG THCS MƯỜNG GIÀNG", "Độc lập - Tự do - Hạnh phúc"),
]
SIGNATURE = [("Người lập biểu", "HIỆU TRƯỞNG"), ("", "(Ký, ghi rõ họ tên)")]


def sample_values(seed: int = 1, blank: float = 0.2) -> dict[str, dict[str, int | str | None]]:
    """Random but exact values for every code (some blank), consistent totals."""
    rng = random.Random(seed)
    values = load_form().empty_values()
    for slots in values.values():
        for slot in slots:
            if rng.random() < blank:
                continue
            if slot == "text":
                slots[slot] = "Tổ chức thi kể chuyện theo sách"
            elif slot == "amount":
                slots[slot] = rng.choice([0, 500_000, 2_500_000, 15_000_000, 1_200_000_000])
            elif slot == "people":
                slots[slot] = rng.randrange(0, 3000)
            else:
                slots[slot] = rng.randrange(0, 40)
    return values


def plain(value: int | str | None, slot: str) -> Cell:
    """A value cell as a typed number (text for the text slot)."""
    if value is None:
        return Cell()
    if isinstance(value, str):
        return Cell(value)
    return Cell(str(value), value)


def plan_rows(
    values: dict[str, dict[str, int | str | None]],
    render: Callable[[int | str | None, str], Cell] = plain,
    *,
    text_in_note: bool = False,
) -> list[list[Cell]]:
    """The plan's data rows as cells [STT, label, unit, count, people, note], values filled."""
    out: list[list[Cell]] = []
    for row in PLAN_ROWS:
        vals = values.get(row.code, {}) if row.code else {}
        count = people = note = Cell()
        if row.slots == ("text",):
            cell = render(vals.get("text"), "text")
            note, count = (cell, Cell()) if text_in_note else (Cell(), cell)
        elif row.slots == CP:
            count, people = render(vals.get("count"), "count"), render(vals.get("people"), "people")
        elif row.slots:
            (slot,) = row.slots
            count = render(vals.get(slot), slot)
        if row.shifted:
            out.append([Cell(row.label), Cell(row.unit), count, people, note, Cell()])
        else:
            out.append([Cell(row.stt), Cell(row.label), Cell(row.unit), count, people, note])
    return out


def plan_document(
    values: dict[str, dict[str, int | str | None]],
    render: Callable[[int | str | None, str], Cell] = plain,
    *,
    kind: str = "xlsx",
    rows: list[list[Cell]] | None = None,
    top: int = 0,
    left: int = 0,
    split: bool = False,
    repeat_header: bool = False,
    header: tuple[list[str], ...] = HEADER,
    text_map: Callable[[str], str] | None = None,
    header_block: list[tuple[str, str]] = HEADER_BLOCK,
) -> Document:
    """A Document as a reader would give it: xlsx = one sheet; docx = text + table grids."""
    body = rows if rows is not None else plan_rows(values, render)
    head = [[Cell(t) for t in h] for h in header]

    def pad(r: list[Cell]) -> list[Cell]:
        return [Cell() for _ in range(left)] + r

    def fix(grid_rows: list[list[Cell]]) -> list[list[Cell]]:
        if text_map is None:
            return grid_rows
        return [[Cell(text_map(c.text), c.value, c.formula) for c in r] for r in grid_rows]

    block = [[Cell(a), Cell(), Cell(), Cell(b)] for a, b in header_block]
    if kind == "xlsx":
        sheet = [[] for _ in range(top)] + block + [[Cell(t)] for t in TITLE]
        sheet += head + body + [[]] + [[Cell(a), Cell(), Cell(), Cell(b)] for a, b in SIGNATURE]
        return Document("bao-cao.xlsx", "xlsx", [Grid("Sheet1", fix([pad(r) for r in sheet]))])
    text = [f"{a}\t\t{b}" for a, b in header_block] + TITLE
    if text_map is not None:
        text = [text_map(t) for t in text]
    parts = [body[:SPLIT_ROW], body[SPLIT_ROW:]] if split else [body]
    grids = []
    for i, part in enumerate(parts):
        rows_i = (head if i == 0 or repeat_header else []) + part
        grids.append(Grid(f"Bảng {i + 1}", fix([pad(r) for r in rows_i])))
    return Document("bao-cao.docx", "docx", grids, text)


def nfd(s: str) -> str:
    """Decomposed Unicode, as some Mac and web tools write."""
    return unicodedata.normalize("NFD", s)

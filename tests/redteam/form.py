"""The Appendix 2 form as printed in the plan, red-team values, and how clerks write them.

Owns: the plan's printed rows (transcribed from the plan text, quirks included, not from the
parser's form file), deterministic value sets, and the cell renderings clerks use. Pure: no I/O,
no imports from mailbot (the red-team corpus must stay independent of the parser).
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from typing import Any

Values = dict[str, dict[str, Any]]


@dataclass(frozen=True)
class Line:
    """One printed row of the form: STT, label, unit, and the code/slots it carries."""

    stt: str
    label: str
    unit: str
    code: str | None  # None: heading or continuation row, carries no value
    slots: tuple[str, ...] = ()


LN = ("count", "people")
C = ("count",)

# Printed order of the plan's table (its text at the end of the plan), plus row 11 of the form.
PLAN_LINES: list[Line] = [
    Line("1", "Các lớp bồi dưỡng, tập huấn tổ chức trong Tuần lễ", "lớp", "1", C),
    Line("", "Tổng số người tham gia, trong đó:", "người", "1", ("people",)),
    Line(
        "",
        "Bồi dưỡng nâng cao trình độ chuyên môn nghiệp vụ cho cán bộ, công chức, viên chức"
        " (các cấp)",
        "lớp/người",
        "1.1",
        LN,
    ),
    Line(
        "",
        "Bồi dưỡng nâng cao trình độ ngoại ngữ cho cán bộ, công chức, viên chức (các cấp)",
        "lớp/người",
        "1.2",
        LN,
    ),
    Line(
        "",
        "Bồi dưỡng nâng cao trình độ tin học cho cán bộ, công chức, viên chức (các cấp)",
        "lớp/người",
        "1.3",
        LN,
    ),
    Line("", "Bồi dưỡng nâng cao tay nghề cho công nhân lao động", "lớp/người", "1.4", LN),
    Line("", "Học nghề cho lao động nông thôn", "lớp/người", "1.5", LN),
    Line(
        "",
        "Nâng cao trình độ văn hóa cho cán bộ công chức cấp xã, người lao động trong các khu"
        " công nghiệp, khu chế xuất",
        "lớp/người",
        "1.6",
        LN,
    ),
    Line("", "Giáo dục kỹ năng sống cho học sinh", "lớp/người", "1.7", LN),
    Line(
        "",
        "Phổ biến kiến thức khoa học, kiến thức pháp luật cho người lao động",
        "lớp/người",
        "1.8",
        LN,
    ),
    Line("", "Bồi dưỡng thường xuyên cho giáo viên", "lớp/người", "1.9", LN),
    Line(
        "", "Bồi dưỡng, tập huấn cho cán bộ quản lý, báo cáo viên TTHTCD", "lớp/người", "1.10", LN
    ),
    Line("", "Phổ cập giáo dục (tiểu học, THCS)", "lớp/người", "1.11", LN),
    Line("", "Xóa mù chữ", "lớp/người", "1.12", LN),
    Line("", "Các lớp bồi dưỡng, tập huấn khác", "lớp/người", "1.13", LN),
    Line("2", "Số tin bài về các hoạt động của Tuần lễ", "Tin, bài/ cuộc", "2", C),
    Line("3", "Ấn phẩm thông tin (tờ rơi, áp phích, băng rôn, khẩu hiệu)", "quyển/ tờ", "3", C),
    Line(
        "4",
        "Phát động phong trào và tổ chức quyên góp sách giúp xây dựng tủ sách lớp học, xây dựng"
        " thư viện trường học",
        "",
        None,
    ),
    Line("", "Số tập thể/ cá nhân tặng sách", "Tập thể/cá nhân", "4.1", C),
    Line("", "Số sách đã huy động tặng các trường học, thư viện", "Quyển", "4.2", C),
    Line(
        "5",
        "Tổ chức các thi, các buổi tọa đàm về khuyến đọc, khuyến học và xây dựng xã hội học tập",
        "Số cuộc",
        "5",
        C,
    ),
    Line("", "Hội sách, đường sách, phố sách", "Số cuộc", "5.1", C),
    Line("", "Trung bày, triển lãm sách báo, tư liệu", "Số cuộc", "5.2", C),
    Line(
        "",
        "Thi tìm hiểu, học tập lịch sử, văn hóa địa phương tại các bảo tàng, di tích",
        "Số cuộc/người",
        "5.3",
        LN,
    ),
    Line(
        "",
        "Thi về sách (thi xếp sách nghệ thuật, thi vẽ tranh theo sách, thi tìm hiểu kiến thức"
        " qua sách báo, thi thiếu nhi kể chuyện theo sách, thi viết cảm nhận qua việc đọc sách)",
        "Số cuộc/người",
        "5.4",
        LN,
    ),
    Line(
        "",
        "Sinh hoạt chuyên đề học tập suốt đời, xây dựng xã hội học tập",
        "Số cuộc/người",
        "5.5",
        LN,
    ),
    Line("", "Các cuộc thi khác", "Số cuộc/người", "5.6", LN),
    Line(
        "6",
        "Tổ chức hoạt động văn nghệ, thể thao, thăm quan, sinh hoạt chuyên đề",
        "Số cuộc",
        "6",
        C,
    ),
    Line("", "Hoạt động thể dục thể thao", "Số cuộc/người", "6.1", LN),
    Line("", "Hoạt động văn nghệ", "Số cuộc/người", "6.2", LN),
    Line("", "Thăm quan, học tập tại bảo tàng, di tích lịch sử", "Số cuộc/người", "6.3", LN),
    Line("7", "Tổ chức Lễ khai mạc Tuần lễ", "", None),
    Line("", "Số cơ sở giáo dục tổ chức Lễ khai mạc Tuần lễ", "Trường", "7.1", C),
    Line("8", "Tổ chức hội thảo/sinh hoạt chuyên đề", "cuộc", "8", C),
    Line("9", "Khen thưởng về tổ chức Tuần lễ", "", None),
    Line("", "Tập thể", "Đơn vị", "9.1", C),
    Line("", "Cá nhân", "Người", "9.2", C),
    Line("10", "Kinh phí", "", None),
    Line("", "Ngân sách nhà nước", "đồng", "10.1", ("amount",)),
    Line(
        "",
        "Kinh phí hỗ trợ, huy động từ các nguồn hợp pháp khác (nếu có)",
        "đồng",
        "10.2",
        ("amount",),
    ),
]
ROW11 = Line("11", "Các nội dung khác (nếu có)", "", "11", ("text",))

# Every code and its slots, as appendix2-form.md defines them.
SLOTS: dict[str, tuple[str, ...]] = {}
for _line in [*PLAN_LINES, ROW11]:
    if _line.code:
        SLOTS.setdefault(_line.code, ())
        SLOTS[_line.code] += tuple(s for s in _line.slots if s not in SLOTS[_line.code])

SUB1 = [f"1.{i}" for i in range(1, 14)]


def empty_values() -> Values:
    """All codes with every slot null (a blank form)."""
    return {code: dict.fromkeys(slots) for code, slots in SLOTS.items()}


def make_values(
    seed: int, blank: float = 0.35, zero: float = 0.1, text: str | None = None
) -> Values:
    """A consistent filled report: sub-rows drawn at random, totals summed the way clerks do."""
    rng = random.Random(seed)
    values = empty_values()

    def draw(lo: int, hi: int) -> int | None:
        roll = rng.random()
        if roll < blank:
            return None
        if roll < blank + zero:
            return 0
        return rng.randint(lo, hi)

    for code in SUB1:
        classes = draw(1, 6)
        values[code]["count"] = classes
        if classes is None:
            values[code]["people"] = None
        elif classes == 0:
            values[code]["people"] = 0
        else:
            values[code]["people"] = classes * rng.randint(12, 48)
    values["1"]["count"] = _total(values, SUB1, "count")
    values["1"]["people"] = _total(values, SUB1, "people")
    values["2"]["count"] = draw(1, 25)
    values["3"]["count"] = draw(5, 400)
    values["4.1"]["count"] = draw(2, 60)
    values["4.2"]["count"] = draw(20, 2500)
    for code in ("5.1", "5.2"):
        values[code]["count"] = draw(1, 4)
    for code in ("5.3", "5.4", "5.5", "5.6", "6.1", "6.2", "6.3"):
        contests = draw(1, 5)
        values[code]["count"] = contests
        values[code]["people"] = None if contests is None else contests * rng.randint(0, 150)
    values["5"]["count"] = _total(values, ["5.1", "5.2", "5.3", "5.4", "5.5", "5.6"], "count")
    values["6"]["count"] = _total(values, ["6.1", "6.2", "6.3"], "count")
    values["7.1"]["count"] = draw(1, 1)
    values["8"]["count"] = draw(1, 4)
    values["9.1"]["count"] = draw(1, 5)
    values["9.2"]["count"] = draw(1, 20)
    values["10.1"]["amount"] = _money(rng, blank)
    values["10.2"]["amount"] = _money(rng, blank)
    values["11"]["text"] = text
    return values


def _total(values: Values, codes: list[str], slot: str) -> int | None:
    parts = [values[c][slot] for c in codes if values[c][slot] is not None]
    return sum(parts) if parts else None


def _money(rng: random.Random, blank: float) -> int | None:
    if rng.random() < blank:
        return None
    # Budgets are round: whole hundreds of thousands, sometimes half-millions.
    return rng.choice(
        [
            500_000,
            1_500_000,
            2_000_000,
            3_500_000,
            15_000_000,
            15_500_000,
            4_250_000,
            12_000_000,
            1_200_000_000,
            850_000,
        ]
    )


@dataclass
class Style:
    """How one clerk types values: numbers, zeros, money, which column single measures go in."""

    num: str = "int"  # int | text | padded | unit | nbsp | mixed
    zero: str = "int"  # int | "0" | "-" | "không" | "–" | unit | mixed
    money: str = "int"  # int | dots | dots_d | dong | spaces | dec_comma | trieu | commas
    thousands: str = "int"  # int | dot | comma  (counts >= 1000)
    single_col: str = "count"  # count | people: where one-measure rows put their number
    seed: int = 0
    _rng: random.Random = field(default=None, repr=False)  # type: ignore[assignment]

    def rng(self) -> random.Random:
        """The style's own random stream, so renderings are deterministic."""
        if self._rng is None:
            self._rng = random.Random(self.seed)
        return self._rng


UNIT_WORD = {"count": "lớp", "people": "người"}


def render(value: Any, slot: str, style: Style) -> Any:
    """The cell content a clerk of this style types for `value` (None stays blank)."""
    if value is None:
        return None
    if slot == "text":
        return value
    if slot == "amount":
        return render_money(value, style.money)
    if value == 0:
        return _zero(slot, style)
    if value >= 1000 and style.thousands != "int":
        sep = "." if style.thousands == "dot" else ","
        return f"{value:,}".replace(",", sep)
    mode = style.num
    if mode == "mixed":
        mode = style.rng().choice(["int", "text", "padded", "unit"])
    if mode == "text":
        return str(value)
    if mode == "padded":
        return f"{value:02d}"
    if mode == "unit":
        return f"{value} {UNIT_WORD.get(slot, '')}".strip()
    if mode == "nbsp":
        return f"{value}\u00a0"  # pasted from Word/web: a no-break space rides along
    return value


def _zero(slot: str, style: Style) -> Any:
    mode = style.zero
    if mode == "mixed":
        mode = style.rng().choice(["int", "0", "-", "không", "–"])
    if mode == "int":
        return 0
    if mode == "unit":
        return f"0 {UNIT_WORD.get(slot, '')}".strip()
    return mode


def render_money(value: int, mode: str) -> Any:
    """Money the ways Vietnamese clerks type đồng amounts."""
    dots = f"{value:,}".replace(",", ".")
    if mode == "int":
        return value
    if mode == "dots":
        return dots
    if mode == "dots_d":
        return f"{dots} đ"
    if mode == "dong":
        return f"{dots}đồng"
    if mode == "spaces":
        return f"{value:,}".replace(",", " ")
    if mode == "dec_comma":
        return f"{dots},0"
    if mode == "commas":
        return f"{value:,}"
    if mode == "trieu":
        if value >= 1_000_000_000 and value % 100_000_000 == 0:
            return f"{value / 1_000_000_000:g}".replace(".", ",") + " tỷ"
        if value % 100_000 == 0:
            millions = value / 1_000_000
            text = f"{millions:g}".replace(".", ",")
            return f"{text} triệu"
        return dots
    raise ValueError(mode)

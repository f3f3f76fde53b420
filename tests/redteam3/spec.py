"""The Appendix 2 form as data, written from the project's reference (appendix2-form.md) and
the plan's text, never from the parser. Also the value generator and the ways clerks type
a figure, each with the exact value it means."""

from __future__ import annotations

import datetime as dt
import random
import unicodedata
from dataclasses import dataclass

# Columns of the official table.
HEADER_TOP = ["STT", "Các hoạt động", "Đơn vị", "Số lượng", None, "Ghi chú"]
HEADER_SUB = [None, None, None, "Số lớp/số cuộc thi", "Người", None]

TITLE = "BIỂU TỔNG HỢP"
SUBTITLE = "Số liệu kết quả tổ chức tuần lễ học tập suốt đời năm 2021"
OLD_SUBTITLE = "Số liệu kết quả tổ chức tuần lễ học tập suốt đời năm 2020"


@dataclass(frozen=True)
class Row:
    """One physical row of the form. kind: heading | count | people | pair | single |
    amount | text. `code` is None for headings."""

    stt: str
    label: str
    unit: str
    code: str | None
    kind: str


ROWS: list[Row] = [
    Row("1", "Các lớp bồi dưỡng, tập huấn tổ chức trong Tuần lễ", "lớp", "1", "count"),
    Row("", "Tổng số người tham gia, trong đó:", "người", "1", "people"),
    Row(
        "",
        "Bồi dưỡng nâng cao trình độ chuyên môn nghiệp vụ cho cán bộ, công chức, viên chức "
        "(các cấp)",
        "lớp/người",
        "1.1",
        "pair",
    ),
    Row(
        "",
        "Bồi dưỡng nâng cao trình độ ngoại ngữ cho cán bộ, công chức, viên chức (các cấp)",
        "lớp/người",
        "1.2",
        "pair",
    ),
    Row(
        "",
        "Bồi dưỡng nâng cao trình độ tin học cho cán bộ, công chức, viên chức (các cấp)",
        "lớp/người",
        "1.3",
        "pair",
    ),
    Row("", "Bồi dưỡng nâng cao tay nghề cho công nhân lao động", "lớp/người", "1.4", "pair"),
    Row("", "Học nghề cho lao động nông thôn", "lớp/người", "1.5", "pair"),
    Row(
        "",
        "Nâng cao trình độ văn hóa cho cán bộ công chức cấp xã, người lao động trong các khu "
        "công nghiệp, khu chế xuất",
        "lớp/người",
        "1.6",
        "pair",
    ),
    Row("", "Giáo dục kỹ năng sống cho học sinh", "lớp/người", "1.7", "pair"),
    Row(
        "",
        "Phổ biến kiến thức khoa học, kiến thức pháp luật cho người lao động",
        "lớp/người",
        "1.8",
        "pair",
    ),
    Row("", "Bồi dưỡng thường xuyên cho giáo viên", "lớp/người", "1.9", "pair"),
    Row(
        "",
        "Bồi dưỡng, tập huấn cho cán bộ quản lý, báo cáo viên TTHTCD",
        "lớp/người",
        "1.10",
        "pair",
    ),
    Row("", "Phổ cập giáo dục (tiểu học, THCS)", "lớp/người", "1.11", "pair"),
    Row("", "Xóa mù chữ", "lớp/người", "1.12", "pair"),
    Row("", "Các lớp bồi dưỡng, tập huấn khác", "lớp/người", "1.13", "pair"),
    Row("2", "Số tin bài về các hoạt động của Tuần lễ", "Tin, bài/ cuộc", "2", "single"),
    Row(
        "3",
        "Ấn phẩm thông tin (tờ rơi, áp phích, băng rôn, khẩu hiệu)",
        "quyển/ tờ",
        "3",
        "single",
    ),
    Row(
        "4",
        "Phát động phong trào và tổ chức quyên góp sách giúp xây dựng tủ sách lớp học, xây "
        "dựng thư viện trường học",
        "",
        None,
        "heading",
    ),
    Row("", "Số tập thể/ cá nhân tặng sách", "Tập thể/cá nhân", "4.1", "single"),
    Row("", "Số sách đã huy động tặng các trường học, thư viện", "Quyển", "4.2", "single"),
    Row(
        "5",
        "Tổ chức các thi, các buổi tọa đàm về khuyến đọc, khuyến học và xây dựng xã hội học tập",
        "Số cuộc",
        "5",
        "single",
    ),
    Row("", "Hội sách, đường sách, phố sách", "Số cuộc", "5.1", "single"),
    Row("", "Trưng bày, triển lãm sách báo, tư liệu", "Số cuộc", "5.2", "single"),
    Row(
        "",
        "Thi tìm hiểu, học tập lịch sử, văn hóa địa phương tại các bảo tàng, di tích",
        "Số cuộc/người",
        "5.3",
        "pair",
    ),
    Row(
        "",
        "Thi về sách (thi xếp sách nghệ thuật, thi vẽ tranh theo sách, thi tìm hiểu kiến thức "
        "qua sách báo, thi thiếu nhi kể chuyện theo sách, thi viết cảm nhận qua việc đọc sách)",
        "Số cuộc/người",
        "5.4",
        "pair",
    ),
    Row(
        "",
        "Sinh hoạt chuyên đề học tập suốt đời, xây dựng xã hội học tập",
        "Số cuộc/người",
        "5.5",
        "pair",
    ),
    Row("", "Các cuộc thi khác", "Số cuộc/người", "5.6", "pair"),
    Row(
        "6",
        "Tổ chức hoạt động văn nghệ, thể thao, thăm quan, sinh hoạt chuyên đề",
        "Số cuộc",
        "6",
        "single",
    ),
    Row("", "Hoạt động thể dục thể thao", "Số cuộc/người", "6.1", "pair"),
    Row("", "Hoạt động văn nghệ", "Số cuộc/người", "6.2", "pair"),
    Row(
        "",
        "Thăm quan, học tập tại bảo tàng, di tích lịch sử",
        "Số cuộc/người",
        "6.3",
        "pair",
    ),
    Row("7", "Tổ chức Lễ khai mạc Tuần lễ", "", None, "heading"),
    Row("", "Số cơ sở giáo dục tổ chức Lễ khai mạc Tuần lễ", "Trường", "7.1", "single"),
    Row("8", "Tổ chức hội thảo/sinh hoạt chuyên đề", "cuộc", "8", "single"),
    Row("9", "Khen thưởng về tổ chức Tuần lễ", "", None, "heading"),
    Row("", "Tập thể", "Đơn vị", "9.1", "single"),
    Row("", "Cá nhân", "Người", "9.2", "single"),
    Row("10", "Kinh phí", "", None, "heading"),
    Row("", "Ngân sách nhà nước", "đồng", "10.1", "amount"),
    Row(
        "",
        "Kinh phí hỗ trợ, huy động từ các nguồn hợp pháp khác (nếu có)",
        "đồng",
        "10.2",
        "amount",
    ),
    Row("11", "Các nội dung khác (nếu có)", "", "11", "text"),
]

SLOTS: dict[str, tuple[str, ...]] = {}
for _r in ROWS:
    if _r.code is None:
        continue
    if _r.kind in ("count", "people", "pair"):
        SLOTS[_r.code] = ("count", "people")
    elif _r.kind == "single":
        SLOTS[_r.code] = ("count",)
    elif _r.kind == "amount":
        SLOTS[_r.code] = ("amount",)
    else:
        SLOTS[_r.code] = ("text",)
CODES = list(SLOTS)

SUB_1 = [f"1.{i}" for i in range(1, 14)]
SUB_5 = [f"5.{i}" for i in range(1, 7)]
SUB_6 = ["6.1", "6.2", "6.3"]


def empty_values() -> dict[str, dict[str, object]]:
    return {code: dict.fromkeys(slots) for code, slots in SLOTS.items()}


def random_values(rng: random.Random, fill: float = 0.7, text: str | None = None) -> dict:
    """A plausible filled report. Parent rows are the sums of their sub-rows."""
    v = empty_values()
    for code in SUB_1:
        if rng.random() < fill:
            n = rng.randint(0, 6)
            v[code]["count"] = n
            v[code]["people"] = 0 if n == 0 else n * rng.randint(12, 60)
    filled = [c for c in SUB_1 if v[c]["count"] is not None]
    if filled:
        v["1"]["count"] = sum(v[c]["count"] for c in filled)
        v["1"]["people"] = sum(v[c]["people"] for c in filled)
    for code in ("2", "3", "4.1", "4.2", "7.1", "8", "9.1", "9.2"):
        if rng.random() < fill:
            hi = {"3": 400, "4.2": 2500, "2": 30, "9.2": 25}.get(code, 8)
            v[code]["count"] = rng.randint(0, hi)
    for group, parent in ((SUB_5, "5"), (SUB_6, "6")):
        for code in group:
            if rng.random() < fill:
                n = rng.randint(0, 4)
                v[code]["count"] = n
                if "people" in v[code]:
                    v[code]["people"] = 0 if n == 0 else n * rng.randint(20, 150)
        filled = [c for c in group if v[c]["count"] is not None]
        if filled:
            v[parent]["count"] = sum(v[c]["count"] for c in filled)
    for code in ("10.1", "10.2"):
        if rng.random() < fill:
            v[code]["amount"] = rng.choice(
                [0, 1_500_000, 2_000_000, 5_000_000, 12_500_000, 15_000_000, 30_000_000]
            )
    v["11"]["text"] = text
    return v


# --- how a clerk types a figure --------------------------------------------------------------


def thousands(n: int, sep: str = ".") -> str:
    return f"{n:,}".replace(",", sep)


def type_count(rng: random.Random, n: int | None, style: str, unit: str = "lớp"):
    """What lands in a count/people cell for the figure n (None -> blank cell)."""
    if n is None:
        return None
    if style == "int":
        return n
    if style == "float":
        return float(n)
    if style == "text":
        return str(n)
    if style == "mixed":
        choices = ["int", "text", "unit", "thou", "lead0", "zero"]
        style = rng.choice(choices)
    if style == "unit":
        return f"{n} {unit}"
    if style == "thou":
        return thousands(n, rng.choice([".", ","])) if n >= 1000 else str(n)
    if style == "lead0":
        return f"{n:02d}"
    if style == "zero":
        if n == 0:
            return rng.choice(["-", "–", "không", "0", f"0 {unit}"])
        return n
    return n


def type_money(rng: random.Random, amount: int | None, style: str):
    if amount is None:
        return None
    if style == "int":
        return amount
    if style == "mixed":
        style = rng.choice(["dots", "commas", "dong", "trieu", "tr", "int"])
    if amount == 0:
        return rng.choice(["0", "-", "không"])
    if style == "dots":
        return thousands(amount, ".")
    if style == "commas":
        return thousands(amount, ",")
    if style == "dong":
        return f"{amount}đ"
    if style in ("trieu", "tr"):
        if amount % 1_000_000 == 0:
            m = str(amount // 1_000_000)
        elif amount % 100_000 == 0:
            m = f"{amount / 1_000_000:.1f}".replace(".", ",")
        else:
            return thousands(amount, ".")
        return f"{m} triệu" if style == "trieu" else f"{m}tr"
    return amount


def nfd(s: str) -> str:
    return unicodedata.normalize("NFD", s)


def norm_name(s: str | None) -> str | None:
    if s is None:
        return None
    s = unicodedata.normalize("NFC", s)
    return " ".join(s.split()).casefold()


# --- units ----------------------------------------------------------------------------------

COMMUNES = [
    "Mường Giàng",
    "Chiềng Bằng",
    "Chiềng Khay",
    "Chiềng Khoang",
    "Chiềng Ơn",
    "Mường Chiên",
    "Mường Giôn",
    "Mường Sại",
    "Nậm Ét",
    "Pá Ma Pha Khinh",
    "Cà Nàng",
]


def commune_header(name: str) -> tuple[str, str]:
    """(superior line, unit line) as a commune writes them, and the unit name expected."""
    return ("UBND HUYỆN QUỲNH NHAI", f"UBND XÃ {name.upper()}")


def school_header(kind: str, name: str) -> tuple[str, str]:
    return ("PHÒNG GD&ĐT QUỲNH NHAI", f"TRƯỜNG {kind} {name.upper()}")


EXCEL_EPOCH = dt.datetime(1899, 12, 30)


def excel_serial(d: dt.datetime) -> float:
    return (d - EXCEL_EPOCH).days + (d - EXCEL_EPOCH).seconds / 86400

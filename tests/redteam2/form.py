"""The Appendix 2 form's printed lines (typed from the plan's text) and deterministic value sets.

Owns: Line (one printed line of the form: code, STT, label, unit of measure, kind), LINES, and
`make_values()`. Pure: no I/O, no imports from mailbot or tests.redteam (independent round).
"""

from __future__ import annotations

import random
from dataclasses import dataclass

Values = dict[str, dict[str, int | str | None]]

# kind: "c1" row 1's first line (count), "p1" its 'Tổng số người' line (people),
# "cp" count and people, "c" count only, "a" amount (đồng), "t" text, "h" heading (no values).


@dataclass(frozen=True)
class Line:
    """One printed line of the form as the plan shows it."""

    code: str
    stt: str
    label: str
    unit: str
    kind: str


LINES: list[Line] = [
    Line("1", "1", "Các lớp bồi dưỡng, tập huấn tổ chức trong Tuần lễ", "lớp", "c1"),
    Line("1", "", "Tổng số người tham gia, trong đó:", "người", "p1"),
    Line(
        "1.1",
        "",
        "Bồi dưỡng nâng cao trình độ chuyên môn nghiệp vụ cho cán bộ, công chức, viên chức "
        "(các cấp)",
        "lớp/người",
        "cp",
    ),
    Line(
        "1.2",
        "",
        "Bồi dưỡng nâng cao trình độ ngoại ngữ cho cán bộ, công chức, viên chức (các cấp)",
        "lớp/người",
        "cp",
    ),
    Line(
        "1.3",
        "",
        "Bồi dưỡng nâng cao trình độ tin học cho cán bộ, công chức, viên chức (các cấp)",
        "lớp/người",
        "cp",
    ),
    Line("1.4", "", "Bồi dưỡng nâng cao tay nghề cho công nhân lao động", "lớp/người", "cp"),
    Line("1.5", "", "Học nghề cho lao động nông thôn", "lớp/người", "cp"),
    Line(
        "1.6",
        "",
        "Nâng cao trình độ văn hóa cho cán bộ công chức cấp xã, người lao động trong các khu "
        "công nghiệp, khu chế xuất",
        "lớp/người",
        "cp",
    ),
    Line("1.7", "", "Giáo dục kỹ năng sống cho học sinh", "lớp/người", "cp"),
    Line(
        "1.8",
        "",
        "Phổ biến kiến thức khoa học, kiến thức pháp luật cho người lao động",
        "lớp/người",
        "cp",
    ),
    Line("1.9", "", "Bồi dưỡng thường xuyên cho giáo viên", "lớp/người", "cp"),
    Line(
        "1.10", "", "Bồi dưỡng, tập huấn cho cán bộ quản lý, báo cáo viên TTHTCD", "lớp/người", "cp"
    ),
    Line("1.11", "", "Phổ cập giáo dục (tiểu học, THCS)", "lớp/người", "cp"),
    Line("1.12", "", "Xóa mù chữ", "lớp/người", "cp"),
    Line("1.13", "", "Các lớp bồi dưỡng, tập huấn khác", "lớp/người", "cp"),
    Line("2", "2", "Số tin bài về các hoạt động của Tuần lễ", "Tin, bài/ cuộc", "c"),
    Line("3", "3", "Ấn phẩm thông tin (tờ rơi, áp phích, băng rôn, khẩu hiệu)", "quyển/ tờ", "c"),
    Line(
        "4",
        "4",
        "Phát động phong trào và tổ chức quyên góp sách giúp xây dựng tủ sách lớp học, xây "
        "dựng thư viện trường học",
        "",
        "h",
    ),
    Line("4.1", "", "Số tập thể/ cá nhân tặng sách", "Tập thể/cá nhân", "c"),
    Line("4.2", "", "Số sách đã huy động tặng các trường học, thư viện", "Quyển", "c"),
    Line(
        "5",
        "5",
        "Tổ chức các thi, các buổi tọa đàm về khuyến đọc, khuyến học và xây dựng xã hội học tập",
        "Số cuộc",
        "c",
    ),
    Line("5.1", "", "Hội sách, đường sách, phố sách", "Số cuộc", "c"),
    Line("5.2", "", "Trưng bày, triển lãm sách báo, tư liệu", "Số cuộc", "c"),
    Line(
        "5.3",
        "",
        "Thi tìm hiểu, học tập lịch sử, văn hóa địa phương tại các bảo tàng, di tích",
        "Số cuộc/người",
        "cp",
    ),
    Line(
        "5.4",
        "",
        "Thi về sách (thi xếp sách nghệ thuật, thi vẽ tranh theo sách, thi tìm hiểu kiến thức "
        "qua sách báo, thi thiếu nhi kể chuyện theo sách, thi viết cảm nhận qua việc đọc sách)",
        "Số cuộc/người",
        "cp",
    ),
    Line(
        "5.5",
        "",
        "Sinh hoạt chuyên đề học tập suốt đời, xây dựng xã hội học tập",
        "Số cuộc/người",
        "cp",
    ),
    Line("5.6", "", "Các cuộc thi khác", "Số cuộc/người", "cp"),
    Line(
        "6",
        "6",
        "Tổ chức hoạt động văn nghệ, thể thao, thăm quan, sinh hoạt chuyên đề",
        "Số cuộc",
        "c",
    ),
    Line("6.1", "", "Hoạt động thể dục thể thao", "Số cuộc/người", "cp"),
    Line("6.2", "", "Hoạt động văn nghệ", "Số cuộc/người", "cp"),
    Line("6.3", "", "Thăm quan, học tập tại bảo tàng, di tích lịch sử", "Số cuộc/người", "cp"),
    Line("7", "7", "Tổ chức Lễ khai mạc Tuần lễ", "", "h"),
    Line("7.1", "", "Số cơ sở giáo dục tổ chức Lễ khai mạc Tuần lễ", "Trường", "c"),
    Line("8", "8", "Tổ chức hội thảo/sinh hoạt chuyên đề", "cuộc", "c"),
    Line("9", "9", "Khen thưởng về tổ chức Tuần lễ", "", "h"),
    Line("9.1", "", "Tập thể", "Đơn vị", "c"),
    Line("9.2", "", "Cá nhân", "Người", "c"),
    Line("10", "10", "Kinh phí", "", "h"),
    Line("10.1", "", "Ngân sách nhà nước", "đồng", "a"),
    Line(
        "10.2",
        "",
        "Kinh phí hỗ trợ, huy động từ các nguồn hợp pháp khác (nếu có)",
        "đồng",
        "a",
    ),
    Line("11", "11", "Các nội dung khác (nếu có)", "", "t"),
]

CODES: list[str] = list(dict.fromkeys(ln.code for ln in LINES if ln.kind != "h"))
SLOTS: dict[str, tuple[str, ...]] = {}
for _ln in LINES:
    if _ln.kind == "h":
        continue
    _add = {"c1": ("count",), "p1": ("people",), "cp": ("count", "people"), "c": ("count",)}
    _add |= {"a": ("amount",), "t": ("text",)}
    SLOTS[_ln.code] = SLOTS.get(_ln.code, ()) + _add[_ln.kind]

SUB1 = [f"1.{i}" for i in range(1, 14)]
SUB5 = [f"5.{i}" for i in range(1, 7)]
SUB6 = ["6.1", "6.2", "6.3"]

TEXT_11 = "Tổ chức Ngày hội đọc sách cho học sinh toàn trường"


def empty_values() -> Values:
    """Every code with every slot null (the blank form)."""
    return {code: dict.fromkeys(slots) for code, slots in SLOTS.items()}


def make_values(seed: int, commune: bool = False, money: bool = True, text: bool = True) -> Values:
    """A filled, self-consistent report (row 1, 5 and 6 are the sums of their sub-rows)."""
    rnd = random.Random(seed)
    v = empty_values()
    subs = ["1.1", "1.4", "1.5", "1.8", "1.11", "1.12"] if commune else ["1.7", "1.9", "1.10"]
    subs = subs + rnd.sample([c for c in SUB1 if c not in subs], 2)
    for code in subs:
        n = rnd.randint(1, 6)
        v[code] = {"count": n, "people": n * rnd.randint(18, 45)}
    v["1"] = {
        "count": sum(v[c]["count"] or 0 for c in SUB1),
        "people": sum(v[c]["people"] or 0 for c in SUB1),
    }
    v["2"]["count"] = rnd.randint(3, 25)
    v["3"]["count"] = rnd.randint(10, 300)
    v["4.1"]["count"] = rnd.randint(5, 60)
    v["4.2"]["count"] = rnd.randint(200, 2400)
    for code in rnd.sample(SUB5, 4):
        n = rnd.randint(1, 4)
        v[code]["count"] = n
        if "people" in v[code]:
            v[code]["people"] = n * rnd.randint(30, 150)
    v["5"]["count"] = sum(v[c]["count"] or 0 for c in SUB5)
    for code in SUB6:
        n = rnd.randint(1, 5)
        v[code] = {"count": n, "people": n * rnd.randint(20, 200)}
    v["6"]["count"] = sum(v[c]["count"] for c in SUB6)
    v["7.1"]["count"] = rnd.randint(1, 9) if commune else 1
    v["8"]["count"] = rnd.randint(1, 4)
    v["9.1"]["count"] = rnd.randint(1, 5)
    v["9.2"]["count"] = rnd.randint(2, 15)
    if money:
        v["10.1"]["amount"] = rnd.randint(2, 60) * 500_000
        v["10.2"]["amount"] = rnd.randint(1, 30) * 250_000
    if text:
        v["11"]["text"] = TEXT_11
    return v

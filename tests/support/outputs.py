"""Shared data for the output tests (roll-up, workbook, templates, messages): built from code.

Three roster units, two of which reported; one late, one with a warning; one unreadable
file from the third unit and one message nobody could assign. Expected totals are exact.
"""

from __future__ import annotations

import os
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from mailbot.forms import load_form
from mailbot.records import Problem, Submission, Unit
from mailbot.rollup import Campaign, Rollup, Values, build_rollup

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
FORM = load_form()
CAMPAIGN = Campaign(
    name="Tuần lễ hưởng ứng học tập suốt đời năm 2021",
    deadline=datetime(2021, 10, 15, 17, 0, tzinfo=TZ),
    timezone="Asia/Ho_Chi_Minh",
    district="Quỳnh Nhai",
    office_name="Phòng Giáo dục và Đào tạo",
)
UNITS = (
    Unit("xa-muong-giang", "UBND xã Mường Giàng", ("vanthu@muonggiang.example.org",)),
    Unit("xa-chieng-bang", "UBND xã Chiềng Bằng", ("ubnd@chiengbang.example.org",)),
    Unit("thcs-nam-et", "Trường PTDTBT THCS Nậm Ét", ("thcs@namet.example.org",)),
)
NOW = datetime(2021, 10, 16, 8, 30, tzinfo=TZ)
SINCE = datetime(2021, 10, 15, 8, 0, tzinfo=TZ)
WARNING = {"code": "1", "message": "Tổng số lớp (12) khác tổng các dòng chi tiết (10)"}


def values(**slots: int | str) -> Values:
    """The form's empty values with `code__slot=value` filled in (dots in codes as '_')."""
    out = FORM.empty_values()
    for key, value in slots.items():
        code, slot = key.split("__")
        out[code.replace("_", ".")][slot] = value
    return out


MUONG_GIANG = values(
    **{"1__count": 12, "1__people": 1340, "1_1__count": 10, "1_1__people": 1340},
    **{"10_1__amount": 15_000_000, "11__text": "Thi vẽ tranh về sách"},
)
CHIENG_BANG = values(
    **{"1__count": 3, "1__people": 45, "1_1__count": 3, "1_1__people": 45, "2__count": 0},
    **{"10_1__amount": 1_500_000, "10_2__amount": 2_000_000, "11__text": "Tọa đàm khuyến học"},
)
SUBMISSIONS = (
    Submission(
        id=1,
        unit_code="xa-muong-giang",
        message_id=11,
        received_at=datetime(2021, 10, 14, 9, 15, tzinfo=TZ),
        late=False,
        values=MUONG_GIANG,
        warnings=[WARNING],
        files=["bao-cao-muong-giang.xlsx"],
        sender="vanthu@muonggiang.example.org",
    ),
    Submission(
        id=2,
        unit_code="xa-chieng-bang",
        message_id=12,
        received_at=datetime(2021, 10, 15, 20, 5, tzinfo=TZ),
        late=True,
        values=CHIENG_BANG,
        files=["phu-luc-2.docx"],
        sender="ubnd@chiengbang.example.org",
    ),
)
PROBLEMS = (
    Problem(
        message_id=13,
        kind="unreadable",
        sender="thcs@namet.example.org",
        subject="Báo cáo tuần lễ",
        received_at=datetime(2021, 10, 15, 10, 0, tzinfo=TZ),
        detail="Tệp bị hỏng, không mở được.",
        unit_code="thcs-nam-et",
        files=["bao-cao.xls"],
    ),
    Problem(
        message_id=14,
        kind="unassigned",
        sender="nguoigui@example.net",
        subject="Gửi báo cáo",
        received_at=datetime(2021, 10, 15, 11, 0, tzinfo=TZ),
        detail="Không xác định được đơn vị gửi.",
    ),
)


def sample_rollup() -> Rollup:
    """The roll-up of the sample data at NOW, with the previous summary at SINCE."""
    return build_rollup(FORM, CAMPAIGN, UNITS, SUBMISSIONS, PROBLEMS, NOW, since=SINCE)


def artifact_path(name: str) -> Path:
    """Where a test keeps a file for people to look at (`test-output/`, or $MAILBOT_TEST_OUTPUT)."""
    folder = Path(
        os.environ.get("MAILBOT_TEST_OUTPUT") or Path(__file__).parents[2] / "test-output"
    )
    folder.mkdir(parents=True, exist_ok=True)
    return folder / name

"""`mailbot report`: the district report drafted from polled reports, read back as PDF text.

Five units: two communes send table + narrative (one in a file, one typed in the mail body), a
THCS sends the table only, a Mầm non the narrative only, and Nậm Ét nothing. The draft is
converted by LibreOffice, its text extracted by pdftotext, and its II.4 table parsed back.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from mailbot.forms import load_form
from mailbot.office.jobs import current_rollup
from mailbot.office.report_job import draft_report
from mailbot.rollup import sum_values
from tests.redteam2 import soffice
from tests.support.mailshapes import report_email
from tests.support.narratives import PLAN, body_text, contents, narrative_docx, paragraphs
from tests.support.office_env import OfficeEnv, copy_database
from tests.support.pipeline_env import START, PipelineEnv, file_bytes, report_file
from tests.support.servers import Dovecot, SmtpServer, dovecot_unavailable_reason, start_dovecot

pytestmark = [pytest.mark.servers, pytest.mark.slow]

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
AFTERNOON = datetime(2021, 10, 12, 17, 0, tzinfo=TZ)
AFTER_DEADLINE = datetime(2021, 10, 16, 17, 0, tzinfo=TZ)
MG, CK = "UBND xã Mường Giàng", "UBND xã Chiềng Khay"
THCS, MN, NAM_ET = (
    "Trường THCS Mường Giàng",
    "Trường Mầm non Mường Giàng",
    "Trường PTDTBT THCS Nậm Ét",
)
# Units that wrote Appendix 1, in the report's order: communes, then schools by level.
NARRATED = [MG, CK, MN]
TABLES = {"xa-muong-giang": 0, "xa-chieng-khay": 2, "thcs-muong-giang": 13}
HEADINGS = [
    ("I.1", "1. Công tác chỉ đạo, ban hành kế hoạch triển khai, kiểm tra, đôn đốc thực hiện"),
    ("I.2", "2. Lễ phát động Tuần lễ cấp huyện/xã"),
    ("I.3", "3. Nội dung các hoạt động đã triển khai trong Tuần lễ"),
    ("I.4", "4. Kinh phí tổ chức Tuần lễ"),
    ("II.1", "1. Những kết quả đã đạt được; bài học kinh nghiệm"),
    ("II.2", "2. Khó khăn, tồn tại"),
    ("II.3", "3. Kiến nghị, đề xuất"),
    ("II.4", "4. Bảng tổng hợp số liệu các hoạt động tổ chức Tuần lễ"),
]
assert [h for _, h in HEADINGS[:3]] == [PLAN[c].rstrip(".") for c in ("I.1", "I.2", "I.3")]


def table(code: str):
    """The generated Appendix 2 of a unit that sends one (exact expected values)."""
    return report_file(f"report-{code}", "xlsx", unit_index=TABLES[code])


def deliver_reports(env: PipelineEnv) -> None:
    """The five units' mails, then one poll."""
    mails = [
        ("ubnd.muonggiang@example.test", [table("xa-muong-giang")], [MG], None),
        ("vanthu.chiengkhay@example.test", [table("xa-chieng-khay")], [], CK),
        ("thcs.muonggiang@example.org", [table("thcs-muong-giang")], [], None),
        ("mn.muonggiang@example.org", [], [MN], None),
    ]
    for i, (sender, tables, stories, body_of) in enumerate(mails):
        files = [(f"pl2-{i}.xlsx", file_bytes(t)) for t in tables]
        files += [(f"pl1-{i}.docx", narrative_docx(paragraphs(u, "bold"))) for u in stories]
        kw = {"body": body_text(body_of, "reworded")} if body_of else {}
        raw = report_email(sender, attachments=files, message_id=f"<r{i}@example.test>", **kw)
        env.deliver(raw, when=START + timedelta(hours=i))
    env.clock.now = START + timedelta(hours=5)
    env.poll()


@pytest.fixture(scope="module")
def polled_and_draft(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, bytes]:
    """A database holding the five units' reports, and the report drafted from it at AFTERNOON."""
    reason = dovecot_unavailable_reason()
    if reason:
        pytest.skip(reason)
    directory = tmp_path_factory.mktemp("report")
    root = Path(tempfile.mkdtemp(prefix="mailbot-report-"))
    dovecot, smtp = start_dovecot(root), SmtpServer()
    smtp.start()
    try:
        os.environ["MAILBOT_TEST_IMAP_PASSWORD"] = dovecot.password
        env = PipelineEnv(dovecot, smtp, directory)
        deliver_reports(env)
        with env.store() as store:
            rollup = current_rollup(env.config, store, AFTERNOON)
            draft, _ = draft_report(env.config, store, rollup, AFTERNOON)
    finally:
        smtp.stop()
        dovecot.stop()
        shutil.rmtree(root, ignore_errors=True)
    return directory / "db.sqlite3", draft


@pytest.fixture
def office(
    dovecot: Dovecot,
    smtp_server: SmtpServer,
    tmp_path: Path,
    polled_and_draft: tuple[Path, bytes],
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> OfficeEnv:
    """A config file for fresh servers, the polled database, and the clock at AFTERNOON."""
    copy_database(polled_and_draft[0], tmp_path / "db.sqlite3")
    env = OfficeEnv(PipelineEnv(dovecot, smtp_server, tmp_path), capsys, monkeypatch)
    env.at(AFTERNOON)
    return env


@pytest.fixture(scope="module")
def drafted(polled_and_draft: tuple[Path, bytes]) -> tuple[bytes, str]:
    """The drafted report (.docx bytes) and its text as pdftotext reads the PDF, one line."""
    if shutil.which("pdftotext") is None or not soffice.available():
        pytest.skip("needs LibreOffice and pdftotext (scripts/install-system-deps.sh)")
    data = polled_and_draft[1]
    pdf = soffice.result(data, "docx", "pdf")
    text = subprocess.run(
        ["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True
    ).stdout.decode("utf-8")
    return data, " ".join(text.split())


def section_text(text: str, code: str) -> str:
    """The report's text from a section's heading to the next heading."""
    index = [c for c, _ in HEADINGS].index(code)
    start = text.index(HEADINGS[index][1])
    end = text.index(HEADINGS[index + 1][1], start + 1) if index + 1 < len(HEADINGS) else None
    return text[start:end]


def flat(s: str) -> str:
    return " ".join(s.split())


@pytest.mark.parametrize("code", ["I.1", "I.2", "I.3", "I.4", "II.1", "II.2", "II.3"])
def test_each_unit_text_is_under_its_heading_attributed_in_roster_order(drafted, code):
    """Under each heading: every narrated unit's name, then exactly its text, communes first."""
    _, text = drafted
    part = section_text(text, code)
    positions = []
    for unit in NARRATED:
        said = flat(" ".join(contents(unit)[code]))
        found = part.find(f"{unit}: {said}")
        assert found >= 0, f"{unit} {code}: {said!r} not in {part!r}"
        positions.append(found)
    assert positions == sorted(positions)
    other = [c for c, _ in HEADINGS[:7] if c != code]
    for unit in NARRATED:
        for c in other:
            assert flat(contents(unit)[c][0]) not in part


def expected_totals() -> dict:
    form = load_form()
    names = {"xa-muong-giang": MG, "xa-chieng-khay": CK, "thcs-muong-giang": THCS}
    return sum_values(form, [(names[c], table(c).values) for c in TABLES])


def test_lead_sentence_gives_the_district_figures_in_vietnamese_format(drafted):
    """I.3 opens with the summed classes and participants, thousands grouped by dots."""
    _, text = drafted
    totals = expected_totals()
    count, people = totals["1"]["count"] or 0, totals["1"]["people"] or 0
    people_text = f"{people:,}".replace(",", ".")
    assert f"Toàn huyện tổ chức {count} lớp bồi dưỡng, tập huấn với {people_text} lượt" in (
        section_text(text, "I.3")
    )


def test_budget_by_source_totals_the_district(drafted):
    """I.4 prints rows 10.1 + 10.2 summed over the units, as 15.000.000-style đồng."""
    _, text = drafted
    totals = expected_totals()
    state, other = (totals[c]["amount"] or 0 for c in ("10.1", "10.2"))
    money = f"{state + other:,}".replace(",", ".")
    assert f"Tổng kinh phí tổ chức Tuần lễ: {money} đồng" in section_text(text, "I.4")


def test_the_units_that_have_not_reported_are_listed(drafted):
    """The closing names Nậm Ét (nothing), THCS (no Appendix 1) and Mầm non (no Appendix 2)."""
    _, text = drafted
    assert f"Các đơn vị chưa gửi báo cáo: {NAM_ET}." in text
    assert f"Chưa gửi báo cáo Phụ lục 1: {THCS}." in text
    assert f"Chưa gửi biểu Phụ lục 2: {MN}." in text


def test_letterhead_title_and_dateline(drafted):
    """Heading block, Quốc hiệu, title and the dateline of the day it was drafted."""
    _, text = drafted
    for words in (
        "PHÒNG GIÁO DỤC VÀ ĐÀO TẠO",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "BÁO CÁO Tổng kết Tuần lễ hưởng ứng học tập suốt đời năm 2021",
        "ngày 12 tháng 10 năm 2021",
    ):
        assert words in text


def test_the_ii4_table_reads_back_to_the_consolidated_totals(drafted, tmp_path, capsys):
    """`mailbot parse --json` of the draft finds the official table with the summed values."""
    import json

    from mailbot.cli.main import main

    path = tmp_path / "bao-cao.docx"
    path.write_bytes(drafted[0])
    capsys.readouterr()
    assert main(["parse", "--json", str(path)]) == 0
    result = json.loads(capsys.readouterr().out)
    assert (result["ok"], result["values"]) == (True, expected_totals())


def test_page_is_a4_with_official_margins_and_times_new_roman(drafted):
    """A4, margins 20/20/30/15 mm, Times New Roman, page number in a header from page 2."""
    import io

    import docx

    data, _ = drafted
    document = docx.Document(io.BytesIO(data))
    section = document.sections[0]
    mm = [round(x.mm) for x in (section.page_width, section.page_height)]
    margins = [round(x.mm) for x in (section.top_margin, section.bottom_margin)]
    margins += [round(x.mm) for x in (section.left_margin, section.right_margin)]
    assert (mm, margins) == ([210, 297], [20, 20, 30, 15])
    assert section.different_first_page_header_footer
    assert "PAGE" in section.header._element.xml
    assert document.styles["Normal"].font.name == "Times New Roman"


def test_summary_attaches_the_draft_after_the_deadline_only(office: OfficeEnv):
    """Before the deadline the summary has no .docx; `--with-report` or a late day adds it."""

    def docx_names(args: tuple[str, ...]) -> list[str]:
        out = office.pipe.tmp / "s.eml"
        assert office.run("summary", "--out", str(out), *args)[0] == 0
        import email
        from email import policy

        msg = email.message_from_bytes(out.read_bytes(), policy=policy.default)
        return [
            str(p.get_filename())
            for p in msg.iter_attachments()
            if str(p.get_filename()).endswith(".docx")
        ]

    assert docx_names(()) == []
    assert docx_names(("--with-report",)) == ["bao-cao-tong-ket-2021-10-12.docx"]
    office.at(AFTER_DEADLINE)
    assert docx_names(()) == ["bao-cao-tong-ket-2021-10-16.docx"]


def test_status_json_says_which_units_sent_a_narrative(office: OfficeEnv):
    """`status --json` rows carry "narrative" and the sections found."""
    import json

    _, out, _ = office.run("status", "--json")
    rows = {r["unit_name"]: r for r in json.loads(out)}
    assert {n: (r["narrative"], r["narrative_sections"]) for n, r in rows.items()} == {
        MG: (True, [c for c, _ in HEADINGS[:7]]),
        CK: (True, [c for c, _ in HEADINGS[:7]]),
        THCS: (False, []),
        MN: (True, [c for c, _ in HEADINGS[:7]]),
        NAM_ET: (False, []),
    }


def test_report_command_prints_counts_and_missing_units(office: OfficeEnv):
    """The command prints the file, the counts of both appendices and who has not reported."""
    out_path = office.pipe.tmp / "draft.docx"
    code, out, _ = office.run("report", str(out_path))
    assert code == 0
    assert out.splitlines() == [
        str(out_path),
        "Phụ lục 2: 3/5 đơn vị; Phụ lục 1: 3/5 đơn vị.",
        f"Chưa báo cáo: {NAM_ET}.",
    ]
    assert re.match(rb"PK", out_path.read_bytes())


def test_the_summary_text_names_the_attached_draft(office: OfficeEnv):
    """When the draft is attached, the summary says so; without it, it says nothing of it."""
    import email
    from email import policy

    def plain(args: tuple[str, ...]) -> str:
        out = office.pipe.tmp / "s.eml"
        assert office.run("summary", "--out", str(out), *args)[0] == 0
        msg = email.message_from_bytes(out.read_bytes(), policy=policy.default)
        return str(msg.get_body(("plain",)).get_content())  # type: ignore[union-attr]

    line = "Kèm theo dự thảo báo cáo tổng kết của huyện (bao-cao-tong-ket-2021-10-12.docx, Word)"
    assert line in plain(("--with-report",))
    assert "dự thảo báo cáo tổng kết" not in plain(())

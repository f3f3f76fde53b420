"""Next year's form is a file the office adds: checked, loaded from anywhere, followed everywhere.

`tests/forms/appendix2-2022.toml` differs from the shipped 2021 form: code 3 renamed, code 8
removed, codes 12/12.1/12.2 added with a new rule (12 = 12.1 + 12.2). A workbook filled in on
its own blank form is parsed, booked, answered, summed, exported, reported in status and
reminded about with no code change; broken copies of it are built by code so each problem's
line is known exactly.
"""

from __future__ import annotations

import io
import json
import os
from pathlib import Path

import openpyxl
import pytest

from mailbot.cli.main import main
from mailbot.config import parse_config
from mailbot.errors import ConfigError
from mailbot.forms import Form, load_form_file
from mailbot.forms.check import check_form_text
from mailbot.office.jobs import export_workbook, send_reminders, status, summary_mail
from mailbot.office.workbook import FIRST_LINE_ROW, write_blank_form
from mailbot.parsing import parse_bytes
from mailbot.parsing.interpret import BLANK_FORM
from tests.support.mailshapes import report_email
from tests.support.office_env import xlsx_attachment
from tests.support.pipeline_env import PipelineEnv, config_mapping
from tests.support.servers import Dovecot, SmtpServer

FORM_2022 = Path(__file__).parent / "forms" / "appendix2-2022.toml"
FORM = load_form_file(FORM_2022)
MG = "ubnd.muonggiang@example.test"  # UBND xã Mường Giàng, on the test roster
RENAMED = "Ấn phẩm truyền thông (tờ rơi, áp phích, băng rôn, video clip)"
ADDED = "Tin, bài, video đăng trên mạng xã hội"
REMOVED = "Tổ chức hội thảo/sinh hoạt chuyên đề"
# Every count 1..n in form order, code 12 breaking its new rule (12.1 + 12.2 = 23, not 22).
COLUMN = {"count": 4, "amount": 4, "text": 4, "people": 5}


def filled_values(form: Form) -> dict[str, dict]:
    """Distinct values for every slot, totals kept by every rule but 12's (22 ≠ 11 + 12)."""
    values = form.empty_values()
    n = 0
    for ind in form.indicators:
        for slot in ind.slots:
            n += 1
            values[ind.code][slot] = "Không có" if slot == "text" else n * 10
    for rule in form.rules:
        code, slot = rule.target.rsplit(".", 1)
        parts = [ref.rsplit(".", 1) for ref in rule.sum_of]
        values[code][slot] = sum(values[c][s] for c, s in parts)  # type: ignore[misc]
    values["12"]["count"], values["12.1"]["count"], values["12.2"]["count"] = 22, 11, 12
    return values


def filled_xlsx(form: Form, values: dict[str, dict]) -> bytes:
    """`form`'s own blank workbook with `values` typed in, as a clerk fills it."""
    buf = io.BytesIO()
    write_blank_form(form, buf)
    wb = openpyxl.load_workbook(io.BytesIO(buf.getvalue()))
    ws = wb.active
    assert ws is not None
    ws["A1"] = "Đơn vị: UBND xã Mường Giàng"
    for line in form.lines:
        for slot in line.slots:
            ws.cell(row=FIRST_LINE_ROW + line.index, column=COLUMN[slot]).value = values[
                line.code  # type: ignore[index]
            ][slot]
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


VALUES = filled_values(FORM)
XLSX = filled_xlsx(FORM, VALUES)


# --- form check ------------------------------------------------------------------------------


def test_both_form_files_pass_the_check(capsys: pytest.CaptureFixture[str]) -> None:
    """`mailbot form check` exits 0 for the shipped 2021 form and the 2022 variant."""
    shipped = Path(__file__).parents[1] / "mailbot" / "forms" / "appendix2-2021.toml"
    assert [main(["form", "check", str(p)]) for p in (shipped, FORM_2022)] == [0, 0]
    assert "biểu appendix2-2022 dùng được: 38 mã" in capsys.readouterr().out


def _line_of(text: str, needle: str, occurrence: int = 1) -> int:
    """The 1-based line holding the n-th `needle`."""
    lines = text.splitlines()
    hits = [i + 1 for i, line in enumerate(lines) if needle in line]
    return hits[occurrence - 1]


def test_each_problem_names_its_line_and_a_fix() -> None:
    """An unknown slot, a rule naming a removed code, a missing label: all three, each placed."""
    text = FORM_2022.read_text(encoding="utf-8")
    at = text.index('code = "5.3"')  # its people slot is in no rule: one problem, not two
    text = text[:at] + text[at:].replace('["count", "people"]', '["count", "peple"]', 1)
    broken = text.replace('target = "12.count"', 'target = "8.count"').replace(
        'label = "Cuộc thi trực tuyến"', ""
    )
    form, problems = check_form_text(broken, "x.toml")
    assert form is None
    got = {(p.line, p.message.split(":")[0].split(" (")[0]) for p in problems}
    assert got == {
        (_line_of(broken, '"peple"'), "[[lines]] thứ 24"),
        (_line_of(broken, 'target = "8.count"'), "[[rules]] thứ 5 nêu ô không có trong biểu"),
        (_line_of(broken, 'code = "12.2"') - 1, "[[lines]] thứ 42 thiếu `label`"),
    }
    assert all(p.fix for p in problems)


def test_a_toml_syntax_error_names_its_line(capsys: pytest.CaptureFixture[str]) -> None:
    """The CLI prints the line of a broken table header and exits 1."""
    text = FORM_2022.read_text(encoding="utf-8").replace("[columns]", "[columns", 1)
    path = Path(os.environ.get("TMPDIR", "/tmp")) / f"broken-{os.getpid()}.toml"
    path.write_text(text, encoding="utf-8")
    try:
        assert main(["form", "check", str(path)]) == 1
    finally:
        path.unlink()
    assert f"dòng {_line_of(text, '[columns')}: cú pháp TOML sai" in capsys.readouterr().out


# --- config and parse ------------------------------------------------------------------------


def test_the_config_names_a_form_file_relative_to_itself(tmp_path: Path) -> None:
    """[campaign] form_file is read from beside the config; a broken one is refused at load."""
    (tmp_path / "forms").mkdir()
    (tmp_path / "forms" / "2022.toml").write_bytes(FORM_2022.read_bytes())
    data = {
        "mailbox": {"maildir": "mail"},
        "smtp": {"outbox_dir": "out", "from_addr": "phonggd@example.test"},
        "campaign": {
            "name": "Tuần lễ 2022",
            "deadline": "2022-10-15",
            "form_file": "forms/2022.toml",
        },
        "office": {"summary_recipients": ["lanhdao@example.test"]},
        "units": [{"code": "xa-a", "name": "UBND xã A", "emails": ["a@example.test"]}],
    }
    assert parse_config(data, tmp_path).campaign.form_file == tmp_path / "forms" / "2022.toml"
    (tmp_path / "forms" / "2022.toml").write_text("id = \n", encoding="utf-8")
    with pytest.raises(ConfigError, match="mailbot form check"):
        parse_config(data, tmp_path)


def test_parse_with_the_2022_form_reads_its_rows_and_checks_its_rule(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`mailbot parse --form`: every value exact, the new rule's warning given."""
    path = tmp_path / "bieu-2022.xlsx"
    path.write_bytes(XLSX)
    assert main(["parse", "--json", "--form", str(FORM_2022), str(path)]) == 0
    result = json.loads(capsys.readouterr().out)
    assert (result["form"], result["values"]) == ("appendix2-2022", VALUES)
    assert [w["code"] for w in result["warnings"]] == ["12"]


def test_the_2021_form_does_not_read_the_2022_rows() -> None:
    """Proof the 2022 result comes from its file: the shipped form has no code 12."""
    assert "12.1" not in parse_bytes(XLSX, "bieu-2022.xlsx").values


# --- the whole pipeline follows the form file ------------------------------------------------


@pytest.fixture
def env(dovecot: Dovecot, smtp_server: SmtpServer, tmp_path: Path) -> PipelineEnv:
    """The pipeline on fresh servers with [campaign] form_file = the 2022 variant."""
    os.environ["MAILBOT_TEST_IMAP_PASSWORD"] = dovecot.password
    pipe = PipelineEnv(dovecot, smtp_server, tmp_path)
    campaign = dict(config_mapping(dovecot, smtp_server, tmp_path)["campaign"])
    pipe.overrides = {"campaign": {**campaign, "form_file": str(FORM_2022)}}
    return pipe


def _text(msg) -> str:
    return msg.get_body(("plain",)).get_content()


@pytest.mark.servers
def test_receipt_summary_workbook_status_and_reminders_follow_the_form_file(
    env: PipelineEnv, tmp_path: Path
) -> None:
    """One 2022 report through poll; every output shows 2022's rows and none of 2021's."""
    env.deliver(report_email(MG, attachments=[("bieu-2022.xlsx", XLSX)]))
    env.poll()
    [receipt] = env.receipts()
    cfg = env.config
    with env.store() as store:
        summary, _ = summary_mail(cfg, store, env.clock())
        export_workbook(cfg, store, tmp_path / "tong-hop.xlsx", env.clock())
        [row] = [r for r in status(cfg, store) if r["unit_code"] == "xa-muong-giang"]
        send_reminders(cfg, store, env.mailer(), env.clock.now.replace(day=12))
    book = openpyxl.load_workbook(tmp_path / "tong-hop.xlsx")
    cells = {str(c.value) for ws in book.worksheets for r in ws.iter_rows() for c in r}
    for shown in (_text(receipt), _text(summary), " | ".join(cells)):
        assert RENAMED in shown and ADDED in shown and REMOVED not in shown
    assert "Tổng số hoạt động trên môi trường số (22)" in _text(receipt)
    assert row["values"] == VALUES
    reminders = [m for m in env.receipts() if m["Auto-Submitted"] == "auto-generated"]
    reminders = [m for m in reminders if "Đề nghị gửi báo cáo" in str(m["Subject"])]
    blank = parse_bytes(xlsx_attachment(reminders[0]), "blank.xlsx", FORM)
    assert (blank.ok, blank.errors, blank.values) == (False, [BLANK_FORM], FORM.empty_values())

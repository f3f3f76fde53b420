"""`mailbot export | summary | status | blank-form | remind`, run in-process on polled reports."""

from __future__ import annotations

import email
import json
import re
from datetime import datetime
from email import policy
from pathlib import Path
from zoneinfo import ZoneInfo

import openpyxl
import pytest

from mailbot.cli.main import main
from mailbot.parsing import parse_bytes, parse_path
from mailbot.parsing.interpret import BLANK_FORM
from tests.support.office_env import (
    FORM,
    LATEST,
    MISSING,
    MN,
    NAM_ET,
    NAMES,
    SUMMARY_TO,
    OfficeEnv,
    copy_database,
    expected_totals,
    latest_values,
    polled_database,
    xlsx_attachment,
)
from tests.support.pipeline_env import ROSTER, PipelineEnv
from tests.support.servers import Dovecot, SmtpServer

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
# Three days before the deadline (15/10/2021), after the polled reports (10:00-13:00).
AFTERNOON = datetime(2021, 10, 12, 17, 0, tzinfo=TZ)
SHEETS = ["Tổng hợp", "Theo đơn vị", "Tình hình nộp báo cáo"]


@pytest.fixture(scope="module")
def polled(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A database holding the polled reports (made once for this module)."""
    return polled_database(tmp_path_factory.mktemp("polled"))


@pytest.fixture
def office(
    dovecot: Dovecot,
    smtp_server: SmtpServer,
    tmp_path: Path,
    polled: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> OfficeEnv:
    """A config file for fresh servers, the polled database, and the clock at AFTERNOON."""
    copy_database(polled, tmp_path / "db.sqlite3")
    env = OfficeEnv(PipelineEnv(dovecot, smtp_server, tmp_path), capsys, monkeypatch)
    env.at(AFTERNOON)
    return env


def missing_in_text(msg: email.message.EmailMessage) -> list[str]:
    """The unit names the summary's text body lists under "Đơn vị chưa nộp"."""
    text = msg.get_body(preferencelist=("plain",)).get_content()  # type: ignore[union-attr]
    block = text.split("Đơn vị chưa nộp", 1)[1].split("\n\n", 1)[0]
    return [line.strip()[2:] for line in block.splitlines()[1:] if line.strip().startswith("- ")]


@pytest.mark.servers
def test_summary_send_delivers_one_summary_to_the_office(office: OfficeEnv) -> None:
    """`summary --send` sends one mail, to the summary recipients only, with one workbook."""
    code, out, _ = office.run("summary", "--send")
    [msg] = office.sent()
    assert (code, list(office.pipe.smtp.messages[0].rcpt_tos)) == (0, [SUMMARY_TO])
    assert msg["Subject"].startswith("Tổng hợp báo cáo") and "(summary) sent" in out


@pytest.mark.servers
def test_summary_workbook_totals_are_the_sum_of_the_latest_reports(office: OfficeEnv) -> None:
    """The attached "Tổng hợp" sheet parses back to the sum of each unit's latest report."""
    office.run("summary", "--send")
    [msg] = office.sent()
    result = parse_bytes(xlsx_attachment(msg), "tong-hop.xlsx")
    assert (result.ok, result.values) == (True, expected_totals())


@pytest.mark.servers
def test_summary_lists_exactly_the_units_that_did_not_report(office: OfficeEnv) -> None:
    """The summary's missing-units list is the roster units without a report, in order."""
    office.run("summary", "--send")
    [msg] = office.sent()
    assert missing_in_text(msg) == [NAMES[code] for code in MISSING]


@pytest.mark.servers
def test_a_second_summary_send_the_same_day_sends_nothing(office: OfficeEnv) -> None:
    """Running `summary --send` again later that day sends no second mail."""
    office.run("summary", "--send")
    office.at(AFTERNOON.replace(hour=23, minute=30))
    code, out, _ = office.run("summary", "--send")
    assert (code, len(office.sent())) == (0, 1)
    assert "không gửi lại" in out


@pytest.mark.servers
def test_summary_preview_writes_an_eml_and_sends_nothing(office: OfficeEnv, tmp_path: Path) -> None:
    """Without --send the summary is written to --out, its path printed; nothing is queued."""
    out_file = tmp_path / "xem-truoc.eml"
    code, out, _ = office.run("summary", "--out", str(out_file))
    msg = email.message_from_bytes(out_file.read_bytes(), policy=policy.default)
    assert (code, out.splitlines()[0], office.sent()) == (0, str(out_file), [])
    assert missing_in_text(msg) == [NAMES[code] for code in MISSING]  # type: ignore[arg-type]
    with office.pipe.store() as store:
        assert (store.last_summary(), store.pending_outbox(AFTERNOON)) == (None, [])


@pytest.mark.servers
def test_summary_preview_prints_a_short_overview(office: OfficeEnv, tmp_path: Path) -> None:
    """The overview names the progress and the missing units."""
    _, out, _ = office.run("summary", "--out", str(tmp_path / "s.eml"))
    missing = ", ".join(NAMES[code] for code in MISSING)
    assert f"Đã nộp: 3/{len(ROSTER)} đơn vị" in out
    assert f"Chưa nộp: {missing}" in out


@pytest.mark.servers
def test_summary_preview_as_html(office: OfficeEnv, tmp_path: Path) -> None:
    """An --out ending in .html holds the HTML body, not a MIME message."""
    out_file = tmp_path / "tong-hop.html"
    office.run("summary", "--out", str(out_file))
    html = out_file.read_text(encoding="utf-8")
    assert html.lstrip().lower().startswith("<!doctype html") and "MIME-Version" not in html


@pytest.mark.servers
def test_status_json_has_one_object_per_roster_unit(office: OfficeEnv) -> None:
    """`status --json` lists every roster unit with the agreed keys and its latest values."""
    code, out, _ = office.run("status", "--json")
    rows = json.loads(out)
    values = latest_values()
    assert code == 0
    assert [
        (r["unit_code"], r["unit_name"], r["submitted"], r["late"], r["warnings"], r["values"])
        for r in rows
    ] == [(c, n, c in LATEST, False, 0, values.get(c)) for c, n, _ in ROSTER]


@pytest.mark.servers
def test_status_json_times_are_iso_in_campaign_time(office: OfficeEnv) -> None:
    """received_at is ISO 8601 with the +07:00 offset for reporters and null for the rest."""
    _, out, _ = office.run("status", "--json")
    rows = {r["unit_code"]: r["received_at"] for r in json.loads(out)}
    with office.pipe.store() as store:
        subs = {s.unit_code: s.received_at for s in store.latest_submissions()}
    assert rows == {
        c: subs[c].astimezone(TZ).isoformat() if c in LATEST else None for c, _, _ in ROSTER
    }
    assert all(v is None or v.endswith("+07:00") for v in rows.values())


@pytest.mark.servers
def test_status_table_shows_each_unit_with_its_state(office: OfficeEnv) -> None:
    """The readable table has a row per unit naming it, with Đã nộp or Chưa nộp."""
    code, out, _ = office.run("status")
    lines = out.splitlines()
    got = [(n, "Chưa nộp" if c in MISSING else "Đã nộp") for c, n, _ in ROSTER]
    body = lines[2 : 2 + len(ROSTER)]
    assert code == 0
    assert [(n in line, state in line) for line, (n, state) in zip(body, got, strict=True)] == [
        (True, True)
    ] * len(ROSTER)
    assert lines[-1] == f"Đã nộp 3/{len(ROSTER)} đơn vị."


@pytest.mark.servers
def test_export_writes_the_three_sheets(office: OfficeEnv, tmp_path: Path) -> None:
    """`export FILE.xlsx` writes Tổng hợp, Theo đơn vị and Tình hình nộp báo cáo."""
    path = tmp_path / "tong-hop.xlsx"
    code, out, _ = office.run("export", str(path))
    assert (code, openpyxl.load_workbook(path).sheetnames) == (0, SHEETS)
    assert out.startswith(f"{path}: 3/{len(ROSTER)}")


@pytest.mark.servers
def test_export_totals_read_back_through_the_parser(office: OfficeEnv, tmp_path: Path) -> None:
    """The exported Tổng hợp sheet parses to the sum of the latest reports."""
    path = tmp_path / "tong-hop.xlsx"
    office.run("export", str(path))
    result = parse_path(path)
    assert (result.ok, result.values) == (True, expected_totals())


def test_blank_form_needs_no_config_and_is_refused_as_blank(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`blank-form FILE` writes the form's table, which the parser refuses as not yet filled."""
    path = tmp_path / "phu-luc-2.xlsx"
    code = main(["blank-form", str(path), "--form", FORM.id])
    result = parse_path(path)
    assert (code, capsys.readouterr().out.strip()) == (0, str(path))
    assert (result.ok, result.errors, result.values) == (False, [BLANK_FORM], FORM.empty_values())


def test_blank_form_with_an_unknown_form_is_one_error_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """An unknown --form exits 1 with one line on stderr and writes nothing."""
    code = main(["blank-form", str(tmp_path / "x.xlsx"), "--form", "khong-co"])
    err = capsys.readouterr().err
    assert (code, len(err.splitlines()), (tmp_path / "x.xlsx").exists()) == (1, 1, False)


@pytest.mark.servers
def test_remind_send_reaches_only_units_without_a_report(office: OfficeEnv) -> None:
    """On a reminder day `remind --send` mails each unit that has not reported, once."""
    code, out, _ = office.run("remind", "--send")
    sent = sorted(tuple(m.rcpt_tos) for m in office.pipe.smtp.messages)
    assert (code, sent) == (0, [(MN,), (NAM_ET,)])
    assert re.search(r"Đã xếp hàng 2 thư nhắc: mn-muong-giang, ptdtbt-nam-et", out)


@pytest.mark.servers
def test_remind_twice_the_same_day_sends_nothing_more(office: OfficeEnv) -> None:
    """A second `remind --send` that day queues and sends nothing."""
    office.run("remind", "--send")
    code, out, _ = office.run("remind", "--send")
    assert (code, len(office.pipe.smtp.messages)) == (0, 2)
    assert "Đã xếp hàng 0 thư nhắc" in out


@pytest.mark.servers
def test_remind_on_another_day_queues_nothing(office: OfficeEnv) -> None:
    """Two days before the deadline is not a reminder day: nothing queued or sent."""
    office.at(datetime(2021, 10, 13, 8, 0, tzinfo=TZ))
    code, out, _ = office.run("remind", "--send")
    assert (code, office.pipe.smtp.messages) == (0, [])
    assert out.startswith("Hôm nay không phải ngày nhắc (còn 2 ngày")


@pytest.mark.servers
def test_remind_without_send_only_queues(office: OfficeEnv) -> None:
    """Without --send reminders wait in the outbox for the next poll."""
    office.run("remind")
    with office.pipe.store() as store:
        pending = [(r.kind, r.unit_code) for r in store.pending_outbox(AFTERNOON)]
    assert (pending, office.pipe.smtp.messages) == (
        [("reminder", "mn-muong-giang"), ("reminder", "ptdtbt-nam-et")],
        [],
    )


def test_a_missing_config_file_is_one_error_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Every office command with a missing config exits 1 with one line on stderr."""
    results = []
    for command in ("export", "summary", "status", "remind"):
        args = [command, "-c", str(tmp_path / "none.toml")]
        code = main([*args, str(tmp_path / "x.xlsx")] if command == "export" else args)
        results.append((code, len(capsys.readouterr().err.splitlines())))
    assert results == [(1, 1)] * 4


@pytest.mark.servers
def test_summary_send_with_the_smtp_server_down_fails_and_keeps_it_queued(
    office: OfficeEnv,
) -> None:
    """A refused connection exits 1; the summary stays queued, uncharged, for the next poll."""
    office.pipe.smtp.stop()
    code, out, _ = office.run("summary", "--send")
    with office.pipe.store() as store:
        [row] = store.conn.execute(
            "SELECT kind, status, attempts FROM outbox WHERE status != 'sent'"
        ).fetchall()
    assert (code, tuple(row)) == (1, ("summary", "pending", 0))
    assert "wait for the next poll" in out

"""`mailbot demo`: the shipped sample Maildir through the whole pipeline, offline."""

from __future__ import annotations

import contextlib
import io
from dataclasses import dataclass
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from pathlib import Path

import openpyxl
import pytest

from mailbot.cli.main import main
from mailbot.runtime.demo import SAMPLES, demo_config
from mailbot.runtime.wiring import open_store
from tests.formgen import expected
from tests.support.make_demo_maildir import MESSAGES, current_reports, write

AUTO_REPLY_SENDER = "ubnd.muonggion@example.org"


@dataclass(frozen=True)
class Run:
    """One `mailbot demo --out DIR` run: its exit code, what it printed, its folder."""

    code: int
    out: str
    err: str
    folder: Path


def demo(folder: Path) -> Run:
    """Run `mailbot demo --out folder` in-process, capturing what it prints."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(["demo", "--out", str(folder)])
    return Run(code, out.getvalue(), err.getvalue(), folder)


@pytest.fixture(scope="module")
def twice(tmp_path_factory: pytest.TempPathFactory) -> tuple[Run, Run]:
    """The demo run twice into the same folder (the second must start fresh)."""
    folder = tmp_path_factory.mktemp("demo") / "out"
    return demo(folder), demo(folder)


@pytest.fixture(scope="module")
def run(twice: tuple[Run, Run]) -> Run:
    """The second run: what a user sees when running the demo again."""
    return twice[1]


def parse(path: Path) -> EmailMessage:
    """A written .eml, parsed."""
    return BytesParser(policy=policy.default).parsebytes(path.read_bytes())  # type: ignore[return-value]


def test_the_shipped_maildir_is_what_the_generator_writes(tmp_path: Path) -> None:
    """mailbot/samples/maildir holds exactly the generator's output (regenerate it if not)."""
    write(tmp_path / "maildir")
    files = lambda root: {  # noqa: E731
        p.relative_to(root): p.read_bytes() for p in root.rglob("*") if p.is_file()
    }
    assert files(tmp_path / "maildir") == files(SAMPLES)


def test_the_demo_exits_0_both_times(twice: tuple[Run, Run]) -> None:
    """Run twice into the same folder, the demo succeeds both times."""
    assert [r.code for r in twice] == [0, 0]


def test_the_demo_prints_how_many_units_reported(run: Run) -> None:
    """The account gives the reported units out of the roster."""
    units = len(demo_config(run.folder).units)
    assert f"Đã báo cáo: {len(current_reports())}/{units} đơn vị." in run.out.splitlines()


def test_the_demo_names_the_missing_units(run: Run) -> None:
    """Every roster unit without a report is named, in roster order."""
    reported = set(current_reports())
    missing = [u.name for u in demo_config(run.folder).units if u.code not in reported]
    line = f"Chưa báo cáo ({len(missing)}): {', '.join(missing)}."
    assert line in run.out.splitlines()


def test_the_demo_books_the_values_of_each_units_current_report(run: Run) -> None:
    """Each unit's current submission holds exactly the values of its latest form."""
    with open_store(demo_config(run.folder)) as store:
        booked = {s.unit_code: s.values for s in store.latest_submissions()}
    assert booked == {code: expected(v).values for code, v in current_reports().items()}


def test_the_demo_answers_every_message_but_the_auto_reply(run: Run) -> None:
    """One receipt per sample message except the auto-reply, none to its sender."""
    receipts = sorted((run.folder / "receipts").glob("*.eml"))
    assert len(receipts) == len(MESSAGES) - 1
    to = [a.addr_spec for p in receipts for a in parse(p)["To"].addresses]
    assert AUTO_REPLY_SENDER not in to


def test_the_summary_mail_carries_the_workbook_written_beside_it(run: Run) -> None:
    """The summary .eml is addressed to the office and attaches the same .xlsx bytes."""
    [eml] = run.folder.glob("tong-hop-*.eml")
    msg = parse(eml)
    [attachment] = [a for a in msg.iter_attachments() if a.get_filename().endswith(".xlsx")]
    assert attachment.get_content() == eml.with_suffix(".xlsx").read_bytes()  # type: ignore[attr-defined]
    assert str(msg["Subject"]).startswith("Tổng hợp báo cáo")


def test_the_summary_after_the_deadline_attaches_the_district_report_draft(run: Run) -> None:
    """The demo's clock is past the deadline: the summary carries the drafted .docx too."""
    [eml] = run.folder.glob("tong-hop-*.eml")
    names = [str(a.get_filename()) for a in parse(eml).iter_attachments()]
    assert [n for n in names if n.endswith(".docx")] == ["bao-cao-tong-ket-2021-10-16.docx"]


def test_the_summary_html_shows_the_progress(run: Run) -> None:
    """The HTML body written for a browser names the count of units reported."""
    [html] = run.folder.glob("tong-hop-*.html")
    units = len(demo_config(run.folder).units)
    assert f"{len(current_reports())}/{units}" in html.read_text(encoding="utf-8")


def test_the_workbook_has_the_three_sheets(run: Run) -> None:
    """The .xlsx opens with its three sheets."""
    [xlsx] = run.folder.glob("tong-hop-*.xlsx")
    book = openpyxl.load_workbook(io.BytesIO(xlsx.read_bytes()))
    assert book.sheetnames == ["Tổng hợp", "Theo đơn vị", "Tình hình nộp báo cáo"]


def test_the_demo_refuses_a_folder_it_did_not_create(tmp_path: Path) -> None:
    """A non-empty folder without the demo's marker is left alone: one line, exit 1."""
    (tmp_path / "notes.txt").write_text("keep me")
    result = demo(tmp_path)
    assert result.code == 1
    assert len(result.err.splitlines()) == 1
    assert (tmp_path / "notes.txt").read_text() == "keep me"

"""Outlook .msg attachments are unpacked like winmail.dat, and reports inside an .msg, a .7z or
a .rar are booked end to end. The .msg files are built by code (tests/support/outlook_msg.py).
"""

from __future__ import annotations

import io
import os
from pathlib import Path

import py7zr
import pytest

from mailbot.mail.mime import read_message
from tests.support.mailfiles import zip_bytes
from tests.support.mailshapes import XLSX, report_email
from tests.support.outlook_msg import outlook_msg
from tests.support.pipeline_env import PipelineEnv, file_bytes, report_file
from tests.support.rar5 import rar5
from tests.support.servers import Dovecot, SmtpServer

SENDER = "thcs.muonggiang@example.org"
NAME = "Phụ lục 2 - Trường THCS Mường Giàng.xlsx"
DATA = b"PK\x03\x04 workbook " * 50
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def opened(name: str, data: bytes, ctype: str | None = None) -> tuple[list[tuple], list[str]]:
    """(filename, type, bytes, origin) of the files read, and the names skipped."""
    part = (name, data) if ctype is None else (name, data, ctype)
    mail = read_message(report_email(SENDER, attachments=[part]))
    files = [(a.filename, a.content_type, a.data, a.origin) for a in mail.attachments]
    return files, [s.filename for s in mail.skipped]


def reasons(name: str, data: bytes) -> list[str]:
    """The Vietnamese reasons given for what was not read."""
    mail = read_message(report_email(SENDER, attachments=[(name, data)]))
    return [s.reason for s in mail.skipped]


def test_files_in_an_msg_become_attachments_with_msg_origin() -> None:
    """Each file the dragged-in Outlook mail carried is read, named as the clerk named it."""
    msg = outlook_msg("Báo cáo Phụ lục 2", [(NAME, DATA), ("ke-hoach.docx", b"DOCX")])
    assert opened("Báo cáo Phụ lục 2.msg", msg) == (
        [(NAME, XLSX, DATA, "msg"), ("ke-hoach.docx", DOCX, b"DOCX", "msg")],
        [],
    )


def test_an_msg_is_recognised_by_its_outlook_type_without_the_name() -> None:
    """A part typed application/vnd.ms-outlook is opened even when unnamed."""
    files, _ = opened("tep", outlook_msg("BC", [(NAME, DATA)]), "application/vnd.ms-outlook")
    assert [f[0] for f in files] == [NAME]


def test_a_zip_inside_an_msg_is_opened() -> None:
    """As with winmail.dat: the .msg is not an archive level."""
    msg = outlook_msg("BC", [("bao-cao.zip", zip_bytes([(NAME, DATA)]))])
    files, _ = opened("bc.msg", msg)
    assert [(f[0], f[3]) for f in files] == [(NAME, "zip:bao-cao.zip")]


def test_an_msg_with_no_file_gets_a_reason() -> None:
    """An .msg carrying nothing is not dropped silently: the clerk is asked for the file."""
    assert reasons("bc.msg", outlook_msg("BC", [])) == [
        "Thư Outlook “bc.msg” đính kèm không mang tệp nào. Xin đính kèm trực tiếp tệp .xlsx "
        "hoặc .docx vào thư."
    ]


def test_a_damaged_msg_gets_a_reason() -> None:
    """An OLE2 file named .msg that is not one: one reason, no traceback."""
    damaged = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + os.urandom(3000)
    assert reasons("bc.msg", damaged) == [
        "Không đọc được thư Outlook “bc.msg” đính kèm. Xin đính kèm trực tiếp tệp .xlsx hoặc "
        ".docx vào thư (không kéo cả thư cũ vào)."
    ]


def test_an_old_word_file_is_not_taken_for_an_msg() -> None:
    """OLE2 is also .doc/.xls: only the .msg name or the Outlook type opens it as mail."""
    ole = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600
    files, skipped = opened("bao-cao.doc", ole)
    assert ([f[0] for f in files], skipped) == (["bao-cao.doc"], [])


# ---- end to end: the report inside is booked and answered -----------------------------------


def seven_zip(name: str, data: bytes) -> bytes:
    """A .7z holding one file."""
    buf = io.BytesIO()
    with py7zr.SevenZipFile(buf, "w") as archive:
        archive.writestr(data, name)
    return buf.getvalue()


WRAPPERS = {
    "msg": lambda name, data: ("Báo cáo.msg", outlook_msg("Báo cáo", [(name, data)])),
    "7z": lambda name, data: ("Báo cáo.7z", seven_zip(name, data)),
    "rar": lambda name, data: ("Báo cáo.rar", rar5([(name, data)])),
}


@pytest.fixture
def env(dovecot: Dovecot, smtp_server: SmtpServer, tmp_path: Path) -> PipelineEnv:
    """The pipeline wired to fresh servers, an empty database and a settable clock."""
    os.environ["MAILBOT_TEST_IMAP_PASSWORD"] = dovecot.password
    return PipelineEnv(dovecot, smtp_server, tmp_path)


@pytest.mark.servers
@pytest.mark.parametrize("wrapper", sorted(WRAPPERS))
def test_a_report_inside_is_booked_with_its_values_and_answered(
    env: PipelineEnv, wrapper: str
) -> None:
    """Real Dovecot and aiosmtpd: the form inside is booked with its exact values, one receipt."""
    form = report_file("mg", "xlsx", unit_index=0)
    name, data = WRAPPERS[wrapper]("Phụ lục 2.xlsx", file_bytes(form))
    env.deliver(report_email("ubnd.muonggiang@example.test", attachments=[(name, data)]))
    env.poll()
    with env.store() as store:
        booked = {s.unit_code: s.values for s in store.latest_submissions()}
    assert (booked, len(env.smtp.messages)) == ({"xa-muong-giang": form.values}, 1)

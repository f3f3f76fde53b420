"""A signed copy sent after the unit's Appendix 2 was booked completes it (real servers)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.redinbox import files
from tests.support.mailshapes import report_email
from tests.support.pipeline_env import PipelineEnv, file_bytes, report_file
from tests.support.servers import Dovecot, SmtpServer

pytestmark = pytest.mark.servers

MG = "ubnd.muonggiang@example.test"  # UBND xã Mường Giàng (formgen unit 0)
FILED = "Bản ký/đóng dấu đã được lưu cùng số liệu đã nhận"
ASK_AGAIN = "đề nghị đơn vị gửi thêm biểu Phụ lục 2"


@pytest.fixture
def env(dovecot: Dovecot, smtp_server: SmtpServer, tmp_path: Path) -> PipelineEnv:
    """The pipeline wired to fresh servers, an empty database and a settable clock."""
    os.environ["MAILBOT_TEST_IMAP_PASSWORD"] = dovecot.password
    return PipelineEnv(dovecot, smtp_server, tmp_path)


def signed_pdf() -> bytes:
    """The unit's signed, stamped report as a PDF, with the campaign named in the subject."""
    scan = files.pdf(["BAO CAO", "Tuan le hoc tap suot doi 2021"])
    return report_email(
        MG,
        subject="Báo cáo Tuần lễ HTSĐ (bản ký, đóng dấu)",
        body="Xã gửi bản ký ạ.",
        attachments=[("bao-cao-ky.pdf", scan)],
    )


def receipt_text(env: PipelineEnv, n: int) -> str:
    """The plain-text body of the n-th mail sent."""
    return env.receipts()[n].get_body(("plain",)).get_content()  # type: ignore[union-attr]


def test_a_signed_copy_after_appendix2_is_filed_with_the_figures(env: PipelineEnv) -> None:
    """The receipt says the copy is filed with the figures and asks for nothing again."""
    form = report_file("mg", "xlsx", unit_index=0)
    env.deliver(report_email(MG, attachments=[("bc.xlsx", file_bytes(form))]))
    env.poll()
    env.clock.advance(hours=1)
    env.deliver(signed_pdf())
    env.poll()
    text = receipt_text(env, 1)
    assert FILED in text and ASK_AGAIN not in text
    with env.store() as store:
        assert store.problems() == []


def test_a_signed_copy_alone_still_asks_for_appendix2(env: PipelineEnv) -> None:
    """Before any Appendix 2 is booked, the signed copy's receipt asks for the table."""
    env.deliver(signed_pdf())
    env.poll()
    text = receipt_text(env, 0)
    assert ASK_AGAIN in text and FILED not in text

"""Appendix 1 through the real pipeline: stored per unit, newest current, missing part named."""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path

import pytest

from mailbot.ingest.receipt import MISSING_NARRATIVE, MISSING_TABLE
from tests.support.mailshapes import report_email
from tests.support.narratives import body_text, contents, narrative_docx, paragraphs
from tests.support.pipeline_env import START, PipelineEnv, file_bytes, report_file
from tests.support.servers import Dovecot, SmtpServer

pytestmark = pytest.mark.servers

MG = "ubnd.muonggiang@example.test"  # UBND xã Mường Giàng (formgen unit 0)
UNIT = "UBND xã Mường Giàng"


@pytest.fixture
def env(dovecot: Dovecot, smtp_server: SmtpServer, tmp_path: Path) -> PipelineEnv:
    """The pipeline wired to fresh servers, an empty database and a settable clock."""
    os.environ["MAILBOT_TEST_IMAP_PASSWORD"] = dovecot.password
    return PipelineEnv(dovecot, smtp_server, tmp_path)


def receipt_text(env: PipelineEnv, index: int = -1) -> str:
    receipt = env.receipts()[index]
    return receipt.get_body(("plain",)).get_content()


def stored_sections(env: PipelineEnv) -> dict[str, dict[str, str]]:
    with env.store() as store:
        latest = store.latest_narratives()
    return {
        code: {s["code"]: s["text"] for s in n.narrative["sections"]} for code, n in latest.items()
    }


def expected(unit: str = UNIT) -> dict[str, str]:
    return {code: "\n".join(paras) for code, paras in contents(unit).items()}


def test_a_table_alone_gets_a_receipt_asking_for_appendix_1(env: PipelineEnv) -> None:
    """Appendix 2 without a narrative: the receipt says Appendix 1 is still missing."""
    form = report_file("mg", "xlsx", unit_index=0)
    env.deliver(report_email(MG, attachments=[("pl2.xlsx", file_bytes(form))]))
    env.poll()
    assert MISSING_NARRATIVE in receipt_text(env)


def test_a_narrative_alone_is_booked_and_asks_for_appendix_2(env: PipelineEnv) -> None:
    """A narrative .docx with no table: its sections are stored and the receipt asks for PL2."""
    data = narrative_docx(paragraphs(UNIT))
    env.deliver(report_email(MG, attachments=[("bao-cao.docx", data)]))
    env.poll()
    assert stored_sections(env) == {"xa-muong-giang": expected()}
    text = receipt_text(env)
    assert MISSING_TABLE in text
    assert (
        "bao-cao.docx: Phụ lục 1 (báo cáo): đã đọc các mục I.1, I.2, I.3, I.4, II.1, II.2, II.3."
        in text
    )


def test_the_second_part_completes_the_unit_and_the_receipt_asks_for_nothing(
    env: PipelineEnv,
) -> None:
    """Table first, narrative next day: the second receipt names no missing appendix."""
    form = report_file("mg", "xlsx", unit_index=0)
    env.deliver(report_email(MG, attachments=[("pl2.xlsx", file_bytes(form))]), when=START)
    env.poll()
    data = narrative_docx(paragraphs(UNIT, "bold"))
    env.deliver(
        report_email(MG, attachments=[("pl1.docx", data)], message_id="<pl1@example.test>"),
        when=START + timedelta(days=1),
    )
    env.clock.now = START + timedelta(days=1)
    env.poll()
    assert len(env.receipts()) == 2
    second = receipt_text(env)
    assert MISSING_NARRATIVE not in second and MISSING_TABLE not in second
    assert "đã nhận báo cáo Phụ lục 1 (báo cáo thuyết minh)" in second
    assert "chưa đọc được số liệu" not in second


def test_a_narrative_typed_in_the_mail_body_is_stored(env: PipelineEnv) -> None:
    """The body's sections are stored for the unit, with the table attached to the same mail."""
    form = report_file("mg", "xlsx", unit_index=0)
    raw = report_email(MG, attachments=[("pl2.xlsx", file_bytes(form))], body=body_text(UNIT))
    env.deliver(raw)
    env.poll()
    assert stored_sections(env) == {"xa-muong-giang": expected()}
    with env.store() as store:
        assert store.latest_narratives()["xa-muong-giang"].source == "(nội dung thư)"
    text = receipt_text(env)
    assert MISSING_NARRATIVE not in text
    assert "(nội dung thư): Phụ lục 1 (báo cáo): đã đọc các mục I.1, I.2, I.3, I.4" in text


def test_a_newer_narrative_replaces_the_older_and_history_is_kept(env: PipelineEnv) -> None:
    """Two narratives a day apart: the newer one is current, both are in the history."""
    first = narrative_docx(paragraphs("Bản cũ"))
    second = narrative_docx(paragraphs(UNIT))
    v1 = report_email(MG, attachments=[("v1.docx", first)], message_id="<v1@example.test>")
    v2 = report_email(MG, attachments=[("v2.docx", second)], message_id="<v2@example.test>")
    env.deliver(v1, when=START)
    env.deliver(v2, when=START + timedelta(days=1))
    env.poll()
    assert stored_sections(env) == {"xa-muong-giang": expected()}
    with env.store() as store:
        assert [n.source for n in store.narrative_history("xa-muong-giang")] == [
            "v2.docx",
            "v1.docx",
        ]


def test_budget_differing_from_the_table_is_a_receipt_warning(env: PipelineEnv) -> None:
    """I.4's state sum differs from row 10.1 of the table in the same mail: a warning."""
    form = report_file("mg", "xlsx", unit_index=0)
    table_amount = form.values["10.1"]["amount"]
    told = (table_amount or 0) + 1_000_000
    body = contents(UNIT, state=told)
    data = narrative_docx(paragraphs(UNIT, body=body))
    files = [("pl2.xlsx", file_bytes(form)), ("pl1.docx", data)]
    env.deliver(report_email(MG, attachments=files))
    env.poll()
    told_text = f"{told:,}".replace(",", ".")
    assert f"trong báo cáo (Phụ lục 1) là {told_text} đồng" in receipt_text(env)


def test_an_older_database_gains_the_narratives_table(tmp_path: Path) -> None:
    """A database made before issue 14 migrates: its submissions stay, narratives start empty."""
    from datetime import UTC, datetime

    from mailbot.store import Store
    from mailbot.store.migrations import MIGRATIONS, m004_narratives
    from tests.support.old_databases import database_before, insert_old_submission

    path = tmp_path / "old.sqlite3"
    database_before(path, m004_narratives, datetime(2021, 10, 1, tzinfo=UTC))
    sub_id = insert_old_submission(path, "xa-a", datetime(2021, 10, 1, tzinfo=UTC))
    with Store.open(path, now=datetime(2021, 10, 2, tzinfo=UTC)) as store:
        assert (store.version, store.latest_narratives()) == (len(MIGRATIONS), {})
        assert store.submission(sub_id).unit_code == "xa-a"


def test_a_narrative_from_an_unknown_address_is_booked_by_its_letterhead(env: PipelineEnv) -> None:
    """No roster address, no table: the narrative's letterhead names the unit; office told."""
    data = narrative_docx(paragraphs(UNIT))
    env.deliver(report_email("canbo.moi@example.net", attachments=[("bc.docx", data)]))
    env.poll()
    assert stored_sections(env) == {"xa-muong-giang": expected()}
    with env.store() as store:
        [problem] = [p for p in store.problems() if p.kind == "unknown_sender"]
    assert problem.unit_code == "xa-muong-giang"


def test_a_letterhead_laid_out_as_a_table_names_the_unit_too(env: PipelineEnv) -> None:
    """Word letterheads are often a two-column table: its unit cell still names the unit."""
    data = narrative_docx(paragraphs(UNIT), letterhead_table=True)
    env.deliver(report_email("canbo.moi@example.net", attachments=[("bc.docx", data)]))
    env.poll()
    assert stored_sections(env) == {"xa-muong-giang": expected()}

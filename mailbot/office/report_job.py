"""The district report job: a roll-up and the store's narratives → the drafted .docx.

Owns joining the store's current narratives to the pure view model (`district_report`) and
the renderer (`report_docx`), and attaching the draft to a summary message.
"""

from __future__ import annotations

from datetime import datetime
from email.message import EmailMessage

from mailbot.config import Config
from mailbot.forms.narrative import load_narrative_form
from mailbot.office.district_report import report_context
from mailbot.office.report_docx import DOCX_TYPE, render_report
from mailbot.rollup import Rollup
from mailbot.store import Store


def draft_report(cfg: Config, store: Store, rollup: Rollup, now: datetime) -> tuple[bytes, dict]:
    """The drafted district report as .docx bytes, and the fields it was filled with."""
    nform = load_narrative_form(cfg.campaign.form)
    context = report_context(rollup, store.latest_narratives(), nform, now)
    return render_report(context, cfg.office.report_template), context


def report_filename(cfg: Config, now: datetime) -> str:
    """The draft's attachment name: "bao-cao-tong-ket-2021-10-16.docx" (campaign day)."""
    day = now.astimezone(cfg.campaign.timezone).date()
    return f"bao-cao-tong-ket-{day.isoformat()}.docx"


def attach_report(msg: EmailMessage, data: bytes, filename: str) -> None:
    """Add the drafted report to a message as a Word attachment."""
    maintype, subtype = DOCX_TYPE
    msg.add_attachment(data, maintype=maintype, subtype=subtype, filename=filename)

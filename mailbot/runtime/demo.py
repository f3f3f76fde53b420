"""`mailbot demo`: the whole pipeline on the shipped sample Maildir, with no mail server.

Owns the demo's embedded config (the Quỳnh Nhai roster with example addresses), the layout of
the output folder and the Vietnamese account printed at the end. It copies
mailbot/samples/maildir into the output folder (the Maildir source marks messages there),
polls it into a fresh SQLite file with receipts written as .eml files, then writes the
summary (.eml, .html) and the workbook (.xlsx). Must not touch anything outside that folder
and must not change the shipped samples.
"""

from __future__ import annotations

import logging
import os
import re
import shutil
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from email.message import EmailMessage
from pathlib import Path

from mailbot.config import Config, parse_config
from mailbot.cycle import PollReport
from mailbot.errors import ConfigError
from mailbot.ingest.poll import poll
from mailbot.office.jobs import local_day, save_summary, summary_mail
from mailbot.rollup import Rollup, vn_datetime
from mailbot.runtime.wiring import open_archive, open_mailer, open_source, open_store, poll_settings
from mailbot.store import Store

log = logging.getLogger(__name__)

SAMPLES = Path(__file__).resolve().parents[1] / "samples" / "maildir"
DEFAULT_OUT = Path("demo-output")
MARKER = ".mailbot-demo"
# The demo runs on the campaign's own calendar: the day after the deadline, at summary time.
DEMO_NOW = datetime(2021, 10, 16, 17, 0, tzinfo=timezone(timedelta(hours=7)))
OFFICE_ADDR = "phonggd.quynhnhai@example.org"
OFFICE_NAME = "Phòng Giáo dục và Đào tạo huyện Quỳnh Nhai"

COMMUNES = (
    ("muong-giang", "Mường Giàng", "muonggiang"),
    ("chieng-bang", "Chiềng Bằng", "chiengbang"),
    ("chieng-khay", "Chiềng Khay", "chiengkhay"),
    ("chieng-khoang", "Chiềng Khoang", "chiengkhoang"),
    ("chieng-on", "Chiềng Ơn", "chiengon"),
    ("muong-chien", "Mường Chiên", "muongchien"),
    ("muong-gion", "Mường Giôn", "muonggion"),
    ("muong-sai", "Mường Sại", "muongsai"),
    ("nam-et", "Nậm Ét", "namet"),
    ("pa-ma-pha-khinh", "Pá Ma Pha Khinh", "pamaphakhinh"),
    ("ca-nang", "Cà Nàng", "canang"),
)
SCHOOLS = (
    ("mn-muong-giang", "Trường Mầm non Mường Giàng", "mn.muonggiang@example.test"),
    ("th-chieng-bang", "Trường Tiểu học Chiềng Bằng", "th.chiengbang@example.test"),
    ("thcs-muong-giang", "Trường THCS Mường Giàng", "thcs.muonggiang@example.test"),
    ("ptdtbt-thcs-nam-et", "Trường PTDTBT THCS Nậm Ét", "ptdtbt.thcsnamet@example.test"),
    ("th-thcs-chieng-khoang", "Trường TH&THCS Chiềng Khoang", "ththcs.chiengkhoang@example.test"),
    ("mn-ca-nang", "Trường Mầm non Cà Nàng", "mn.canang@example.test"),
    ("gdnn-gdtx-quynh-nhai", "Trung tâm GDNN-GDTX huyện Quỳnh Nhai", "gdnn-gdtx@example.test"),
)


def demo_mapping(out: Path) -> dict:
    """The demo's configuration, as a config file would hold it, rooted in `out`."""
    units = [
        {"code": f"xa-{code}", "name": f"UBND xã {name}", "emails": [f"ubnd.{mail}@example.org"]}
        for code, name, mail in COMMUNES
    ]
    units += [{"code": code, "name": name, "emails": [addr]} for code, name, addr in SCHOOLS]
    return {
        "mailbox": {"maildir": str(out / "maildir"), "username": ""},
        "smtp": {
            "outbox_dir": str(out / "receipts"),
            "from_addr": OFFICE_ADDR,
            "from_name": OFFICE_NAME,
        },
        "storage": {
            "database": str(out / "mailbot.sqlite3"),
            "archive_dir": str(out / "archive"),
        },
        "campaign": {
            "name": "Tuần lễ hưởng ứng học tập suốt đời năm 2021",
            "form": "appendix2-2021",
            "deadline": "2021-10-15",
            "timezone": "Asia/Ho_Chi_Minh",
            "district": "huyện Quỳnh Nhai",
        },
        "schedule": {"summary_at": "17:00"},
        "office": {"name": OFFICE_NAME, "summary_recipients": [OFFICE_ADDR]},
        "units": units,
    }


def demo_config(out: Path) -> Config:
    """The demo's validated configuration, rooted in `out`."""
    return parse_config(demo_mapping(out), out)


@dataclass(frozen=True)
class DemoResult:
    """What the demo did and where it put it."""

    out: Path
    report: PollReport
    rollup: Rollup
    receipts: list[Path]
    summary_eml: Path
    summary_html: Path
    workbook: Path


def run_demo(out: Path = DEFAULT_OUT, now: datetime = DEMO_NOW) -> DemoResult:
    """Poll the sample Maildir into a fresh `out` folder and write the roll-up there."""
    out = fresh_folder(out)
    copy_maildir(SAMPLES, out / "maildir")
    cfg = demo_config(out)
    clock = lambda: now  # noqa: E731 - one fixed moment: the demo's story is reproducible
    with open_store(cfg) as store:
        report = poll(
            open_source(cfg), store, open_mailer(cfg), open_archive(cfg), poll_settings(cfg), clock
        )
        rollup, eml, html, xlsx = write_summary(cfg, store, now, out)
    receipts = sorted((out / "receipts").glob("*.eml"))
    return DemoResult(out, report, rollup, receipts, eml, html, xlsx)


def fresh_folder(out: Path) -> Path:
    """Empty `out` for a new run; refuse a non-empty folder the demo did not create."""
    out = out.expanduser().resolve()
    if out.exists() and any(out.iterdir()):
        if not (out / MARKER).exists():
            raise ConfigError(
                f"thư mục {out} đã có dữ liệu khác; chọn thư mục khác bằng --out "
                "(demo chỉ xoá thư mục do chính nó tạo ra)"
            )
        shutil.rmtree(out)
    out.mkdir(parents=True, exist_ok=True)
    (out / MARKER).write_text("Thư mục do `mailbot demo` tạo; chạy lại demo sẽ xoá nó.\n")
    return out


def copy_maildir(src: Path, dst: Path) -> None:
    """Copy the sample Maildir; each file's mtime is its delivery time (leading number)."""
    shutil.copytree(src, dst)
    for sub in ("cur", "new", "tmp"):
        (dst / sub).mkdir(exist_ok=True)  # git and wheels drop empty folders
        for path in (dst / sub).iterdir():
            match = re.match(r"(\d+)\.", path.name)
            if match:
                moment = int(match[1])
                os.utime(path, (moment, moment))


def write_summary(
    cfg: Config, store: Store, now: datetime, out: Path
) -> tuple[Rollup, Path, Path, Path]:
    """Write today's summary mail (.eml, and its HTML body) and the workbook into `out`."""
    msg, rollup = summary_mail(cfg, store, now)
    stem = f"tong-hop-{local_day(cfg, now):%Y-%m-%d}"
    eml, html, xlsx = (out / f"{stem}{ext}" for ext in (".eml", ".html", ".xlsx"))
    save_summary(msg, eml)
    save_summary(msg, html)
    xlsx.write_bytes(attached_workbook(msg))
    return rollup, eml, html, xlsx


def attached_workbook(msg: EmailMessage) -> bytes:
    """The .xlsx the summary carries (the same bytes, not a second rendering)."""
    for part in msg.iter_attachments():
        if str(part.get_filename() or "").endswith(".xlsx"):
            return part.get_content()
    raise ValueError("the summary has no workbook attached")


def account(result: DemoResult, shown: Path | None = None) -> list[str]:
    """What the demo prints: counts, who is missing, warnings, problems, and where to look."""
    r = result.rollup
    tz = r.campaign.tz
    counts = result.report.counts
    base = shown if shown is not None else result.out
    lines = [
        f"Chạy thử mailbot với hộp thư mẫu (giờ giả lập: {vn_datetime(r.now, tz)}).",
        f"Đã đọc {sum(counts[k] for k in MESSAGE_OUTCOMES)} thư: "
        f"{counts['booked']} báo cáo ghi nhận, "
        f"{counts['unreadable'] + counts['unassigned']} thư không đọc được số liệu, "
        f"{counts['ignored']} thư tự động bỏ qua (không trả lời).",
        f"Đã báo cáo: {r.submitted_count}/{r.unit_count} đơn vị.",
    ]
    if r.late:
        lines.append("Nộp muộn: " + ", ".join(u.unit.name for u in r.late) + ".")
    if r.missing:
        names = ", ".join(u.name for u in r.missing)
        lines.append(f"Chưa báo cáo ({len(r.missing)}): {names}.")
    if r.warned:
        lines.append("Cảnh báo số liệu:")
        lines += [f"  - {u.unit.name}: {w}" for u in r.warned for w in u.warnings]
    problems = (*r.unreadable, *r.unassigned)
    if problems:
        lines.append("Thư cần Phòng xem lại:")
        for item in problems:
            who = item.unit_name or item.problem.sender
            lines.append(
                f"  - {item.kind_vi}: {who} ({item.problem.sender}). {item.problem.detail}"
            )
    lines += [
        f"Kết quả nằm trong {base}/:",
        f"  - biên nhận gửi các đơn vị: {base / 'receipts'}/ ({len(result.receipts)} thư .eml)",
        f"  - thư tổng hợp gửi Phòng: {base / result.summary_eml.name} "
        f"(bản xem trên trình duyệt: {base / result.summary_html.name})",
        f"  - bảng tổng hợp Excel: {base / result.workbook.name}",
        f"  - cơ sở dữ liệu: {base / 'mailbot.sqlite3'}",
    ]
    return lines


MESSAGE_OUTCOMES = ("booked", "unreadable", "unassigned", "quarantined", "ignored", "duplicate")

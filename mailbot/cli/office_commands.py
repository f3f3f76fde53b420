"""The office's commands: `export`, `summary`, `status`, `blank-form`, `remind`.

Owns their arguments and printed lines; registered by mailbot/cli/main.py
(`add_office_commands`). Each command calls into `office.jobs` and prints.
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from mailbot.cli.args import add_config_arg
from mailbot.errors import MailbotError

if TYPE_CHECKING:  # heavy imports stay inside the commands that need them
    from mailbot.cycle import PollReport


def add_office_commands(sub: argparse._SubParsersAction) -> None:
    """Register the office's commands on the top-level subparsers."""
    export = sub.add_parser("export", help="ghi bảng tổng hợp Excel (3 trang) ra tệp .xlsx")
    add_config_arg(export)
    export.add_argument("file", type=Path, metavar="FILE.xlsx", help="tệp cần ghi")
    export.set_defaults(handler=cmd_export)

    summary = sub.add_parser("summary", help="xem trước hoặc gửi thư tổng hợp hằng ngày")
    add_config_arg(summary)
    summary.add_argument("--send", action="store_true", help="gửi cho văn phòng (mỗi ngày một thư)")
    summary.add_argument(
        "--out", type=Path, metavar="FILE", help="tệp xem trước: .eml (mặc định), .html hoặc .txt"
    )
    summary.add_argument(
        "--with-report", action="store_true", help="đính kèm dự thảo báo cáo huyện (.docx)"
    )
    summary.set_defaults(handler=cmd_summary)

    status = sub.add_parser("status", help="tình hình nộp báo cáo của từng đơn vị")
    add_config_arg(status)
    status.add_argument("--json", action="store_true", help="một danh sách JSON")
    status.set_defaults(handler=cmd_status)

    blank = sub.add_parser("blank-form", help="ghi biểu Phụ lục 2 để trống (không cần cấu hình)")
    blank.add_argument("file", type=Path, metavar="FILE.xlsx", help="tệp cần ghi")
    blank.add_argument(
        "--form", metavar="ID|FILE.toml", help="mã biểu hoặc tệp biểu mẫu (mặc định: biểu 2021)"
    )
    blank.set_defaults(handler=cmd_blank_form)

    remind = sub.add_parser("remind", help="xếp hàng thư nhắc hôm nay cho đơn vị chưa nộp")
    add_config_arg(remind)
    remind.add_argument("--send", action="store_true", help="gửi ngay (không chờ lần poll sau)")
    remind.set_defaults(handler=cmd_remind)


def cmd_export(args: argparse.Namespace) -> int:
    """`mailbot export -c CFG FILE.xlsx`: the roll-up workbook as of now."""
    from mailbot.config import load_config
    from mailbot.office.jobs import export_workbook
    from mailbot.runtime.wiring import open_store, system_clock

    cfg = load_config(args.config)
    with open_store(cfg) as store, _writing(args.file):
        rollup = export_workbook(cfg, store, args.file, system_clock())
    print(f"{args.file}: {rollup.submitted_count}/{rollup.unit_count} đơn vị đã nộp")
    return 0


def cmd_summary(args: argparse.Namespace) -> int:
    """`mailbot summary -c CFG [--send] [--out FILE] [--with-report]`: preview or send it."""
    from mailbot.cli.office_lines import summary_overview
    from mailbot.config import load_config
    from mailbot.office.jobs import local_day, save_summary, send_summary, summary_mail
    from mailbot.runtime.wiring import open_mailer, open_store, system_clock

    cfg = load_config(args.config)
    now = system_clock()
    with open_store(cfg) as store:
        msg, rollup = summary_mail(cfg, store, now, args.with_report)
        if args.send:
            mailer = open_mailer(cfg)
            queued, report = send_summary(cfg, store, mailer, now, args.with_report)
    if args.out or not args.send:
        out = args.out or Path(f"tong-hop-{local_day(cfg, now).isoformat()}.eml")
        with _writing(out):
            save_summary(msg, out)
        print(out)
    for line in summary_overview(rollup):
        print(line)
    if not args.send:
        return 0
    print(
        "Đã xếp hàng thư tổng hợp hôm nay."
        if queued
        else "Thư tổng hợp hôm nay đã có; không gửi lại."
    )
    return _print_sent(report)


def cmd_status(args: argparse.Namespace) -> int:
    """`mailbot status -c CFG [--json]`: one row per roster unit."""
    from mailbot.cli.office_lines import status_table
    from mailbot.config import load_config
    from mailbot.office.jobs import status
    from mailbot.runtime.wiring import open_store

    cfg = load_config(args.config)
    with open_store(cfg) as store:
        rows = status(cfg, store)
    if args.json:
        print(json.dumps(rows, ensure_ascii=False, indent=2))
    else:
        print("\n".join(status_table(rows)))
    return 0


def cmd_blank_form(args: argparse.Namespace) -> int:
    """`mailbot blank-form FILE [--form ID]`: the empty Appendix 2 workbook."""
    from mailbot.forms import load_form, load_form_file
    from mailbot.office.workbook import write_blank_form

    if args.form and args.form.endswith(".toml"):
        form = load_form_file(args.form)
    else:
        form = load_form(args.form) if args.form else load_form()
    with _writing(args.file):
        write_blank_form(form, args.file)
    print(args.file)
    return 0


def cmd_remind(args: argparse.Namespace) -> int:
    """`mailbot remind -c CFG [--send]`: queue today's reminders (and send them)."""
    from mailbot.config import load_config
    from mailbot.office.jobs import days_left, queue_reminders, send_reminders
    from mailbot.runtime.wiring import open_mailer, open_store, system_clock

    cfg = load_config(args.config)
    now = system_clock()
    with open_store(cfg) as store:
        if args.send:
            queued, report = send_reminders(cfg, store, open_mailer(cfg), now)
        else:
            queued = queue_reminders(cfg, store, now)
    left = days_left(cfg, now)
    if left not in cfg.schedule.reminder_days:
        days = ", ".join(map(str, cfg.schedule.reminder_days))
        print(f"Hôm nay không phải ngày nhắc (còn {left} ngày đến hạn; nhắc trước {days} ngày).")
    else:
        print(f"Đã xếp hàng {len(queued)} thư nhắc: {', '.join(queued) or 'không có'}")
    if not args.send:
        print("Thư nhắc được gửi ở lần poll tiếp theo (hoặc chạy lại với --send).")
        return 0
    return _print_sent(report)


@contextmanager
def _writing(path: Path) -> Iterator[None]:
    """Turn a failure to write `path` into one MailbotError line."""
    try:
        yield
    except OSError as exc:
        raise MailbotError(f"không ghi được tệp {path}: {exc.strerror or exc}") from exc


def _print_sent(report: PollReport) -> int:
    for line in report.lines:
        print(line)
    return 1 if report.counts["send_failed"] else 0

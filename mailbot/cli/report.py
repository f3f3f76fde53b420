"""`mailbot report -c CFG OUT.docx`: draft the district report (issue 14).

Owns the command's arguments and printed lines; the drafting is `office.report_job`.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from mailbot.cli.args import add_config_arg
from mailbot.errors import MailbotError


def add_report_command(sub: argparse._SubParsersAction) -> None:
    """Register `report` on the top-level subparsers."""
    report = sub.add_parser("report", help="soạn dự thảo báo cáo tổng kết của huyện (Word .docx)")
    add_config_arg(report)
    report.add_argument("file", type=Path, metavar="OUT.docx", help="tệp cần ghi")
    report.set_defaults(handler=cmd_report)


def cmd_report(args: argparse.Namespace) -> int:
    """Write the draft; print where, how many units reported and who is missing."""
    from mailbot.config import load_config
    from mailbot.office.jobs import current_rollup
    from mailbot.office.report_job import draft_report
    from mailbot.runtime.wiring import open_store, system_clock

    cfg = load_config(args.config)
    now = system_clock()
    with open_store(cfg) as store:
        data, context = draft_report(cfg, store, current_rollup(cfg, store, now), now)
    try:
        args.file.write_bytes(data)
    except OSError as exc:
        raise MailbotError(f"không ghi được tệp {args.file}: {exc.strerror or exc}") from exc
    print(args.file)
    print(
        f"Phụ lục 2: {context['so_don_vi_bao_cao']}/{context['so_don_vi']} đơn vị; "
        f"Phụ lục 1: {context['so_don_vi_thuyet_minh']}/{context['so_don_vi']} đơn vị."
    )
    missing = context["chua_bao_cao"]
    print(f"Chưa báo cáo: {', '.join(missing) if missing else 'không có'}.")
    return 0

"""`mailbot confirm -c CFG UNIT_OR_SUBMISSION`: the office confirms doubtful numbers.

Owns the command's argument and printed line; registered by mailbot/cli/main.py
(`add_confirm_command`). The work is `mailbot.office.confirm.confirm`.
"""

from __future__ import annotations

import argparse
import sys

from mailbot.cli.args import add_config_arg


def add_confirm_command(sub: argparse._SubParsersAction) -> None:
    """Register `confirm` on the top-level subparsers."""
    cmd = sub.add_parser(
        "confirm",
        help="xác nhận số liệu của báo cáo “cần xác nhận” (theo mã đơn vị hoặc số bài nộp)",
    )
    add_config_arg(cmd)
    cmd.add_argument(
        "target", metavar="UNIT_OR_SUBMISSION", help="mã đơn vị, hoặc số bài nộp (xem thư tổng hợp)"
    )
    cmd.set_defaults(handler=cmd_confirm)


def cmd_confirm(args: argparse.Namespace) -> int:
    """Confirm and print one line; exit 1 when there is nothing by that name to confirm."""
    from mailbot.config import load_config
    from mailbot.office.confirm import confirm
    from mailbot.runtime.wiring import open_store, system_clock

    cfg = load_config(args.config)
    with open_store(cfg) as store:
        outcome = confirm(store, cfg.units, args.target, system_clock())
    print(outcome.message, file=sys.stdout if outcome.ok else sys.stderr)
    return 0 if outcome.ok else 1

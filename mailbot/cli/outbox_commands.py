"""Outbox commands of the CLI: `resend`.

Owns their arguments and printed lines; registered by mailbot/cli/main.py (`add_outbox_commands`).
Must not hold business logic: `mailbot.sending.resend` decides what may be put back.
"""

from __future__ import annotations

import argparse

from mailbot.cli.args import add_config_arg


def add_outbox_commands(sub: argparse._SubParsersAction) -> None:
    """Register resend on the top-level subparsers."""
    resend = sub.add_parser(
        "resend", help="gửi lại một thư đã bỏ cuộc (theo số trong thư tổng hợp); không số: liệt kê"
    )
    add_config_arg(resend)
    resend.add_argument(
        "outbox_id", type=int, nargs="?", metavar="ID", help="số thư chờ gửi (outbox)"
    )
    resend.set_defaults(handler=cmd_resend)


def cmd_resend(args: argparse.Namespace) -> int:
    """`mailbot resend -c CFG [ID]`: put a given-up mail back in the queue, or list them."""
    from mailbot.config import load_config
    from mailbot.runtime.wiring import open_store, system_clock
    from mailbot.sending.resend import given_up, resend

    cfg = load_config(args.config)
    with open_store(cfg) as store:
        if args.outbox_id is None:
            rows = given_up(store)
            for row in rows:
                when = f"{row.failed_at:%Y-%m-%d %H:%M}" if row.failed_at else "?"
                print(f"#{row.id} {row.kind} to {', '.join(row.to_addrs)}, given up {when}: "
                      f"{row.last_error}")  # fmt: skip
            if not rows:
                print("no mail was given up")
            return 0
        row = resend(store, args.outbox_id, system_clock())
    print(f"outbox #{row.id} ({row.kind}) to {', '.join(row.to_addrs)} is queued again; "
          "the next poll sends it")  # fmt: skip
    return 0

"""The `mailbot others` command: the mail judged not the campaign's, to find one to take in.

Owns its arguments and printed lines; registered by mailbot/cli/main.py (`add_others_command`).
Each line gives the number `mailbot reprocess ID --as-report` takes.
"""

from __future__ import annotations

import argparse

from mailbot.cli.args import add_config_arg

KIND_VI = {"unrelated": "không thuộc đợt", "ambiguous": "có thể là báo cáo"}


def add_others_command(sub: argparse._SubParsersAction) -> None:
    """Register `others` on the top-level subparsers."""
    others = sub.add_parser(
        "others", help="thư không thuộc đợt báo cáo (để nhận lại bằng reprocess --as-report)"
    )
    add_config_arg(others)
    others.add_argument(
        "--limit", type=int, default=200, help="số thư mới nhất cần liệt kê (mặc định 200)"
    )
    others.set_defaults(handler=cmd_others)


def cmd_others(args: argparse.Namespace) -> int:
    """`mailbot others -c CFG`: one line per mail left alone, newest first."""
    from mailbot.config import load_config
    from mailbot.runtime.wiring import open_store

    cfg = load_config(args.config)
    with open_store(cfg) as store:
        rows = store.left_alone(limit=args.limit)
    tz = cfg.campaign.timezone
    for kind, row in rows:
        when = row.received_at.astimezone(tz).strftime("%d/%m/%Y %H:%M")
        print(f"#{row.id}  {when}  [{KIND_VI.get(kind, kind)}]  {row.from_addr}  {row.subject}")
    if not rows:
        print("Không có thư nào bị bỏ qua.")
    else:
        print("Nhận một thư làm báo cáo: mailbot reprocess -c CFG ID --as-report")
    return 0

"""Form commands of the CLI: `mailbot form check FILE.toml`.

Owns their arguments and printed lines; registered by mailbot/cli/main.py (`add_form_commands`).
Must not hold business logic: the checks live in `mailbot.forms.check`.
"""

from __future__ import annotations

import argparse
from pathlib import Path


def add_form_commands(sub: argparse._SubParsersAction) -> None:
    """Register `form check` on the top-level subparsers."""
    form = sub.add_parser("form", help="kiểm tra tệp định nghĩa biểu mẫu (.toml)")
    actions = form.add_subparsers(dest="form_command", metavar="ACTION", required=True)
    check = actions.add_parser("check", help="liệt kê mọi lỗi của tệp biểu mẫu, dòng và cách sửa")
    check.add_argument("file", type=Path, metavar="FILE.toml", help="tệp biểu mẫu")
    check.set_defaults(handler=cmd_form_check)


def cmd_form_check(args: argparse.Namespace) -> int:
    """`mailbot form check FILE.toml`: one line per problem; exit 1 when there is any."""
    from mailbot.errors import MailbotError
    from mailbot.forms.check import check_form_text

    try:
        text = args.file.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise MailbotError(f"không đọc được tệp {args.file}: {exc}") from exc
    form, problems = check_form_text(text, str(args.file))
    for problem in problems:
        print(f"{args.file}: {problem}")
    if form is None:
        print(f"{len(problems)} lỗi; biểu mẫu chưa dùng được.")
        return 1
    lines = sum(1 for line in form.lines if not line.heading)
    print(
        f"{args.file}: biểu {form.id} dùng được: {len(form.indicators)} mã, {lines} dòng số liệu, "
        f"{len(form.rules)} quy tắc kiểm tra."
    )
    return 0

"""Console commands of the CLI: `serve`, `web-user add NAME`, and `not-a-report ID`.

`not-a-report` is the problems queue's "Không phải báo cáo" at a terminal: both call
`Store.mark_not_report`, which audits the decision.

Owns their arguments and printed lines; registered by mailbot/cli/main.py (`add_web_commands`).
"""

from __future__ import annotations

import argparse
import getpass
import sys
from pathlib import Path

from mailbot.cli.args import add_config_arg
from mailbot.errors import MailbotError


def add_web_commands(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Register serve and web-user on the top-level subparsers."""
    serve = sub.add_parser("serve", help="mở bảng điều khiển trên trình duyệt cho văn phòng")
    add_config_arg(serve)
    serve.add_argument("--host", help="địa chỉ nghe (mặc định [web] host, 127.0.0.1)")
    serve.add_argument("--port", type=int, help="cổng (mặc định [web] port, 8025)")
    serve.set_defaults(handler=cmd_serve)

    user = sub.add_parser("web-user", help="người dùng của bảng điều khiển")
    actions = user.add_subparsers(dest="action", metavar="ACTION", required=True)
    add = actions.add_parser("add", help="thêm người dùng hoặc đổi mật khẩu (đọc từ bàn phím)")
    add_config_arg(add)
    add.add_argument("name", metavar="NAME", help="tên đăng nhập")
    add.set_defaults(handler=cmd_web_user_add)

    aside = sub.add_parser("not-a-report", help="đánh dấu một thư có vấn đề không phải báo cáo")
    add_config_arg(aside)
    aside.add_argument("message_id", type=int, metavar="ID", help="số thư")
    aside.add_argument("--reason", default="", help="lý do (ghi vào nhật ký)")
    aside.set_defaults(handler=cmd_not_a_report)


def cmd_serve(args: argparse.Namespace) -> int:
    """`mailbot serve -c CFG [--host H] [--port P]`: the console until Ctrl-C."""
    from mailbot.config import load_config
    from mailbot.web.server import serve

    cfg = load_config(args.config)
    serve(cfg, Path(args.config).resolve(), args.host or cfg.web.host, args.port or cfg.web.port)
    return 0


def cmd_web_user_add(args: argparse.Namespace) -> int:
    """`mailbot web-user add -c CFG NAME`: store a scrypt hash of the password typed twice."""
    from mailbot.config import load_config
    from mailbot.runtime.wiring import open_store, system_clock
    from mailbot.web.passwords import hash_password, password_problem

    name = args.name.strip()
    if not name or len(name) > 64 or any(c.isspace() for c in name):
        raise MailbotError("tên đăng nhập phải có 1–64 ký tự, không có khoảng trắng")
    password = _read_password()
    problem = password_problem(password)
    if problem:
        raise MailbotError(problem)
    cfg = load_config(args.config)
    with open_store(cfg) as store:
        new = store.set_web_user(name, hash_password(password), system_clock())
        store.audit("cli", "web_user_add" if new else "web_user_password", name, system_clock())
    print(f"Đã {'thêm' if new else 'đổi mật khẩu cho'} người dùng {name}.")
    return 0


def _read_password() -> str:
    """The password: typed twice on a terminal, or one line on standard input (scripts)."""
    if not sys.stdin.isatty():
        return sys.stdin.readline().rstrip("\r\n")
    first = getpass.getpass("Mật khẩu: ")
    if getpass.getpass("Nhập lại mật khẩu: ") != first:
        raise MailbotError("hai lần nhập mật khẩu không khớp")
    return first


def cmd_not_a_report(args: argparse.Namespace) -> int:
    """`mailbot not-a-report -c CFG ID [--reason TEXT]`: take a mail off the problems queue."""
    from mailbot.config import load_config
    from mailbot.runtime.wiring import open_store, system_clock

    cfg = load_config(args.config)
    who = f"cli:{getpass.getuser()}"
    with open_store(cfg) as store:
        store.mark_not_report(args.message_id, who, args.reason.strip(), system_clock())
    print(f"Thư #{args.message_id} đã được đánh dấu không phải báo cáo.")
    return 0

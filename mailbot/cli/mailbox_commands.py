"""Mailbox commands of the CLI: `auth-gmail`, `backfill` and `check`.

Owns their arguments and printed lines; registered by mailbot/cli/main.py (`add_mailbox_commands`).
Must not hold business logic: each command calls into the package and prints.
"""

from __future__ import annotations

import argparse
import sys
import time
from datetime import date
from typing import TYPE_CHECKING, TextIO

from mailbot.cli.args import add_config_arg
from mailbot.errors import ConfigError

if TYPE_CHECKING:
    from mailbot.ingest.backfill import Progress


def add_mailbox_commands(sub: argparse._SubParsersAction) -> None:
    """Register auth-gmail, backfill and check on the top-level subparsers."""
    auth = sub.add_parser(
        "auth-gmail", help="lấy refresh token OAuth2 cho Gmail (một lần, trên máy có trình duyệt)"
    )
    add_config_arg(auth)
    auth.add_argument(
        "--no-browser", action="store_true", help="không tự mở trình duyệt; chỉ in địa chỉ"
    )
    auth.add_argument(
        "--port", type=int, default=0, help="cổng 127.0.0.1 nhận chuyển hướng (mặc định: tự chọn)"
    )
    auth.set_defaults(handler=cmd_auth_gmail)

    back = sub.add_parser("backfill", help="nhận các báo cáo đã có sẵn trong hộp thư từ một ngày")
    add_config_arg(back)
    back.add_argument(
        "--since", required=True, type=_day, metavar="YYYY-MM-DD", help="thư nhận từ ngày này"
    )
    back.add_argument(
        "--no-receipts", action="store_true", help="ghi nhận lặng lẽ, không gửi biên nhận"
    )
    back.set_defaults(handler=cmd_backfill)

    check = sub.add_parser("check", help="kiểm tra cấu hình, đăng nhập IMAP/SMTP, thư mục")
    add_config_arg(check)
    check.set_defaults(handler=cmd_check)


def cmd_auth_gmail(args: argparse.Namespace) -> int:
    """`mailbot auth-gmail -c CFG`: walk through Google's consent and print the refresh token."""
    from mailbot.config import load_config
    from mailbot.oauth import consent

    box = load_config(args.config).mailbox
    if box.auth != "oauth2":
        raise ConfigError(
            'mailbox.auth is not "oauth2"; set auth = "oauth2", oauth_client_id and '
            "oauth_client_secret_env (or _file) in [mailbox] first"
        )
    consent.run_auth_gmail(
        box.oauth_client_id,
        box.client_secret(),
        open_browser=not args.no_browser,
        port=args.port,
        out=sys.stdout,
        token_uri=box.oauth_token_uri,
    )
    return 0


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date like 2021-10-01: {text!r}") from None


def cmd_backfill(args: argparse.Namespace) -> int:
    """`mailbot backfill -c CFG --since DATE [--no-receipts]`: book what is already there."""
    from mailbot.config import load_config
    from mailbot.ingest.backfill import backfill
    from mailbot.runtime.wiring import (
        open_archive,
        open_mailer,
        open_source,
        open_store,
        poll_settings,
        system_clock,
    )

    cfg = load_config(args.config)
    show = ProgressPrinter(sys.stdout, tty=sys.stdout.isatty())
    with open_store(cfg) as store:
        report = backfill(
            open_source(cfg),
            store,
            open_archive(cfg),
            poll_settings(cfg),
            system_clock,
            args.since,
            mailer=None if args.no_receipts else open_mailer(cfg),
            receipts=not args.no_receipts,
            on_progress=show,
        )
    show.finish()
    counts = ", ".join(f"{k}={v}" for k, v in sorted(report.counts.items())) or "nothing new"
    print(f"backfill done: {counts}", flush=True)
    return 0


class ProgressPrinter:
    """Draws backfill progress: a redrawn bar on a terminal, a plain line per tenth otherwise."""

    def __init__(self, out: TextIO, tty: bool, min_interval_s: float = 0.1) -> None:
        self.out = out
        self.tty = tty
        self.min_interval_s = min_interval_s
        self._last_draw = 0.0
        self._last_line = -1
        self._drawn = False

    def __call__(self, p: Progress) -> None:
        """Show `p` if enough changed since the last time."""
        if self.tty:
            now = time.monotonic()
            if p.done == p.total or now - self._last_draw >= self.min_interval_s:
                self._last_draw = now
                self.out.write("\r" + progress_line(p, bar=True))
                self.out.flush()
                self._drawn = True
            return
        step = max(1, p.total // 10)
        if p.done and (p.done % step == 0 or p.done == p.total) and p.done != self._last_line:
            self._last_line = p.done
            print(progress_line(p, bar=False), file=self.out, flush=True)

    def finish(self) -> None:
        """End the redrawn line on a terminal."""
        if self.tty and self._drawn:
            self.out.write("\n")
            self.out.flush()


def progress_line(p: Progress, bar: bool) -> str:
    """One progress line: bar (on a terminal), count, percent, rate and time left."""
    percent = 100 * p.done // p.total if p.total else 100
    eta = p.eta_s()
    left = f"còn {int(eta) // 60}:{int(eta) % 60:02d}" if eta is not None else "còn --:--"
    head = f"[{progress_bar_text(p.done, p.total)}] " if bar else "backfill: "
    return f"{head}{p.done}/{p.total} {percent:3d}%  {p.rate():.1f} thư/s  {left}"


def progress_bar_text(done: int, total: int, width: int = 30) -> str:
    """A text bar of `width` cells filled in proportion."""
    filled = width if not total else width * done // total
    return "#" * filled + "-" * (width - filled)


def cmd_check(args: argparse.Namespace) -> int:
    """`mailbot check -c CFG`: one OK/LỖI line per check, each problem with its fix."""
    from mailbot.runtime.check import run_checks

    checks = run_checks(args.config)
    for c in checks:
        print(f"{'OK ' if c.ok else 'LỖI'}  {c.name}: {c.detail}", flush=True)
        if not c.ok and c.fix:
            print(f"     Cách sửa: {c.fix}", flush=True)
    problems = sum(not c.ok for c in checks)
    print("Tất cả đều ổn." if not problems else f"{problems} vấn đề cần sửa.")
    return 0 if not problems else 1

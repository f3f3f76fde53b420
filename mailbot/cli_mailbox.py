"""Mailbox commands of the CLI: `auth-gmail`, `backfill` and `check`.

Owns their arguments and printed lines; registered by mailbot/cli.py (`add_mailbox_commands`).
Must not hold business logic: each command calls into the package and prints.
"""

from __future__ import annotations

import argparse
import sys

from mailbot.cli import _config_arg
from mailbot.errors import ConfigError


def add_mailbox_commands(sub: argparse._SubParsersAction) -> None:
    """Register auth-gmail, backfill and check on the top-level subparsers."""
    auth = sub.add_parser(
        "auth-gmail", help="lấy refresh token OAuth2 cho Gmail (một lần, trên máy có trình duyệt)"
    )
    _config_arg(auth)
    auth.add_argument(
        "--no-browser", action="store_true", help="không tự mở trình duyệt; chỉ in địa chỉ"
    )
    auth.add_argument(
        "--port", type=int, default=0, help="cổng 127.0.0.1 nhận chuyển hướng (mặc định: tự chọn)"
    )
    auth.set_defaults(handler=cmd_auth_gmail)


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

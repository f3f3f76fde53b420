"""The `mailbot` command line: argparse subcommands, one small function each.

Owns argument parsing, turning results into printed lines, and exit codes (0 success, 1 failure,
2 usage). Errors become one printed line, never a traceback. Must not hold business logic:
each command calls into the package and prints.
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
from collections.abc import Callable, Sequence
from datetime import datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from mailbot.cli.args import add_config_arg
from mailbot.cli.confirm_command import add_confirm_command
from mailbot.cli.form_commands import add_form_commands
from mailbot.cli.mailbox_commands import add_mailbox_commands
from mailbot.cli.office_commands import add_office_commands
from mailbot.cli.others_command import add_others_command
from mailbot.cli.outbox_commands import add_outbox_commands
from mailbot.cli.report import add_report_command
from mailbot.cli.web_commands import add_web_commands
from mailbot.errors import MailbotError

if TYPE_CHECKING:  # heavy imports stay inside the commands that need them
    from mailbot.forms import Form
    from mailbot.parsing.model import ParseResult

Command = Callable[[argparse.Namespace], int]


def build_parser() -> argparse.ArgumentParser:
    """The top-level parser with one subparser per command."""
    parser = argparse.ArgumentParser(
        prog="mailbot", description="Đọc báo cáo Phụ lục 2 gửi qua thư điện tử."
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    parse = sub.add_parser("parse", help="đọc tệp .xlsx/.docx và in số liệu (không cần cấu hình)")
    parse.add_argument("files", nargs="+", metavar="FILE", help="tệp cần đọc")
    parse.add_argument("--json", action="store_true", help="một dòng JSON cho mỗi tệp")
    parse.add_argument(
        "--form", type=Path, metavar="FILE.toml", help="đọc theo tệp biểu mẫu này (mặc định: 2021)"
    )
    parse.add_argument(
        "--timeout", type=float, default=10.0, help="giây tối đa cho mỗi tệp (mặc định 10)"
    )
    parse.set_defaults(handler=cmd_parse)

    poll = sub.add_parser("poll", help="một lượt: đọc thư mới, ghi nhận báo cáo, gửi biên nhận")
    add_config_arg(poll)
    poll.set_defaults(handler=cmd_poll)

    again = sub.add_parser("reprocess", help="xử lý lại một thư có vấn đề (theo số thư)")
    add_config_arg(again)
    again.add_argument("message_id", type=int, metavar="ID", help="số thư (xem trong thư tổng hợp)")
    again.add_argument("--unit", metavar="CODE", help="gán thư cho đơn vị có mã này rồi ghi nhận")
    again.add_argument(
        "--as-report", action="store_true", help="coi thư là báo cáo của đợt (bỏ qua phân loại)"
    )
    again.set_defaults(handler=cmd_reprocess)
    add_office_commands(sub)
    _daemon_commands(sub)

    add_mailbox_commands(sub)
    add_confirm_command(sub)
    add_report_command(sub)
    add_outbox_commands(sub)
    add_web_commands(sub)
    add_form_commands(sub)
    add_others_command(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command; returns the process exit code."""
    try:
        args = build_parser().parse_args(argv)
    except SystemExit as exc:  # argparse printed usage (code 2) or --help (code 0)
        return int(exc.code or 0)
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    _utf8_stdout()
    handler: Command = args.handler
    try:
        return handler(args)
    except MailbotError as exc:
        print(f"mailbot: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    except Exception as exc:  # the promise is one line, never a traceback
        print(f"mailbot: lỗi không mong đợi: {type(exc).__name__}: {exc}", file=sys.stderr)
        return 1


def _utf8_stdout() -> None:
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            reconfigure(encoding="utf-8", errors="replace")


def cmd_parse(args: argparse.Namespace) -> int:
    """`mailbot parse [--json] FILE...`: read each file and print what was found."""
    from mailbot.forms import load_form, load_form_file
    from mailbot.parsing.guard import parse_many_guarded
    from mailbot.parsing.model import ParseResult

    form = load_form_file(args.form) if args.form else load_form()
    items: list[tuple[bytes, str]] = []
    unreadable: dict[int, ParseResult] = {}
    for i, name in enumerate(args.files):
        try:
            items.append((Path(name).read_bytes(), Path(name).name))
        except OSError as exc:
            reason = _os_reason(exc)
            unreadable[i] = ParseResult(file=name, ok=False, form=form.id, errors=[reason])
    parsed = iter(parse_many_guarded(items, timeout_s=args.timeout, form=form))
    results = [unreadable[i] if i in unreadable else next(parsed) for i in range(len(args.files))]
    for result in results:
        if args.json:
            print(json.dumps(result.to_dict(), ensure_ascii=False), flush=True)
        else:
            print(format_result(result, form), flush=True)
    return 0 if any(r.ok for r in results) else 1


def cmd_poll(args: argparse.Namespace) -> int:
    """`mailbot poll -c CFG`: one cycle, a log line per message."""
    from mailbot.config import load_config
    from mailbot.runtime.wiring import run_poll

    report = run_poll(load_config(args.config))
    for line in report.lines:
        print(line, flush=True)
    counts = ", ".join(f"{k}={v}" for k, v in sorted(report.counts.items())) or "nothing new"
    print(f"poll done: {counts}")
    return 0


def cmd_reprocess(args: argparse.Namespace) -> int:
    """`mailbot reprocess -c CFG ID`: the office sends a problem message through again."""
    from mailbot.config import load_config
    from mailbot.ingest.poll import reprocess
    from mailbot.runtime import wiring

    cfg = load_config(args.config)
    unit = cfg.unit(args.unit) if args.unit else None
    if args.unit and unit is None:
        raise MailbotError(f"không có đơn vị mã {args.unit!r} trong [[units]] của cấu hình")
    with wiring.open_store(cfg) as store:
        report = reprocess(
            args.message_id,
            store,
            wiring.open_archive(cfg),
            wiring.poll_settings(cfg),
            wiring.system_clock,
            assigned=unit,
            as_report=args.as_report,
            open_source=lambda: wiring.open_source(cfg),  # for mail kept on the server alone
        )
    for line in report.lines:
        print(line)
    print("the receipt (if any) goes out with the next poll")
    return 0


def _daemon_commands(sub: argparse._SubParsersAction) -> None:
    run = sub.add_parser("run", help="chạy thường trực: đọc thư, gửi tổng hợp và nhắc hằng ngày")
    add_config_arg(run)
    # Test hooks, hidden from --help: a poll interval in seconds, and the moment it is now.
    run.add_argument("--interval-seconds", type=float, help=argparse.SUPPRESS)
    run.add_argument("--now", type=_aware_datetime, help=argparse.SUPPRESS)
    run.set_defaults(handler=cmd_run)

    demo = sub.add_parser("demo", help="chạy thử với hộp thư mẫu, không cần máy chủ thư")
    demo.add_argument(
        "--out",
        type=Path,
        default=Path("demo-output"),
        metavar="DIR",
        help="thư mục kết quả (mặc định ./demo-output; được làm mới mỗi lần chạy)",
    )
    demo.set_defaults(handler=cmd_demo)


def _aware_datetime(text: str) -> datetime:
    value = datetime.fromisoformat(text)
    if value.tzinfo is None:
        raise argparse.ArgumentTypeError("give a UTC offset, e.g. 2021-10-14T17:05:00+07:00")
    return value


def cmd_run(args: argparse.Namespace) -> int:
    """`mailbot run -c CFG`: the daemon, until SIGTERM or Ctrl-C."""
    from mailbot.config import load_config
    from mailbot.runtime.childjob import LOG_FORMAT
    from mailbot.runtime.daemon import run
    from mailbot.runtime.wiring import system_clock

    logging.basicConfig(level=logging.INFO, format=LOG_FORMAT, force=True)
    cfg = load_config(args.config)
    offset = args.now - system_clock() if args.now else timedelta(0)
    beside = None
    if cfg.web.enabled:  # the console in a thread beside the jobs
        from mailbot.web.server import serve_beside

        path = Path(args.config).resolve()
        beside = lambda: serve_beside(cfg, path)  # noqa: E731
    return run(cfg, interval_seconds=args.interval_seconds, clock_offset=offset, beside=beside)


def cmd_demo(args: argparse.Namespace) -> int:
    """`mailbot demo [--out DIR]`: the sample Maildir through the whole pipeline, offline."""
    from mailbot.runtime.demo import account, run_demo

    result = run_demo(args.out)
    for line in account(result, shown=args.out):
        print(line)
    return 0


def _os_reason(exc: OSError) -> str:
    if isinstance(exc, FileNotFoundError):
        return "Không tìm thấy tệp."
    if isinstance(exc, PermissionError):
        return "Không có quyền đọc tệp."
    if isinstance(exc, IsADirectoryError):
        return "Đây là thư mục, không phải tệp."
    return f"Không mở được tệp (lỗi hệ thống {exc.errno})."


def format_result(result: ParseResult, form: Form) -> str:
    """A readable block for one parsed file: status, unit, value table, warnings and errors."""
    status = "đọc được" if result.ok else "KHÔNG đọc được"
    lines = [f"== {result.file}: {status}"]
    if result.unit_name:
        lines.append(f"   Đơn vị: {result.unit_name}")
    if result.ok:
        lines.extend(_value_table(result, form))
    if result.narrative:
        from mailbot.parsing.narrative import narrative_note

        lines.append(f"   {narrative_note(result.narrative)}")
    for w in result.warnings:
        where = f"[{w.code}] " if w.code else ""
        lines.append(f"   Cảnh báo: {where}{w.message}")
    for e in result.errors:
        lines.append(f"   Lỗi: {e}")
    return "\n".join(lines)


def _value_table(result: ParseResult, form: Form) -> list[str]:
    slots = ("count", "people", "amount", "text")
    heads = ["Mã", "Chỉ tiêu", *(form.slot_names.get(s, s) for s in slots)]
    rows = []
    for ind in form.indicators:
        got = result.values.get(ind.code, {})
        cells = [_show(got.get(s)) if s in ind.slots else "" for s in slots]
        rows.append([ind.code, _short(ind.label, 48), *cells])
    widths = [max(len(r[i]) for r in [heads, *rows]) for i in range(len(heads))]
    fmt = "   " + "  ".join(f"{{:<{w}}}" for w in widths)
    return [fmt.format(*heads).rstrip(), *(fmt.format(*r).rstrip() for r in rows)]


def _show(value: object) -> str:
    if value is None:
        return "·"
    if isinstance(value, int):
        return f"{value:,}".replace(",", ".")
    return _short(str(value), 40)


def _short(text: str, width: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"

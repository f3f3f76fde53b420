"""`mailbot check`: the IT person's first command after editing the config.

Owns the list of checks and their verdicts (`Check`): the config parses and its secrets can be
read, IMAP connects and logs in, the polled folder exists and is not All Mail/Sent/Trash, the
processed folder or label, SMTP connects and logs in (nothing is sent), the database opens and
the archive folder is writable, the last successful poll is recent. Each problem comes with
its fix. Must not change the mailbox,
send mail, or print (the CLI prints).
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from mailbot.config import Config, load_config
from mailbot.errors import AuthError, ConfigError, MailbotError, OAuthGrantError
from mailbot.mailbox.imap import ImapSource


@dataclass(frozen=True)
class Check:
    """One verdict: what was checked, OK or not, what was found, and how to fix it."""

    name: str
    ok: bool
    detail: str
    fix: str = ""


def run_checks(config_path: str | os.PathLike[str]) -> list[Check]:
    """Every check in order; stops after the config when the config itself is broken."""
    try:
        cfg = load_config(config_path)
    except ConfigError as exc:
        return [Check("Cấu hình", False, str(exc), "Sửa tệp cấu hình theo thông báo trên.")]
    checks = [Check("Cấu hình", True, f"{config_path}: đọc được, {len(cfg.units)} đơn vị")]
    secrets = secret_checks(cfg)
    checks += secrets
    if all(c.ok for c in secrets):
        checks += mailbox_checks(cfg)
        checks += smtp_checks(cfg)
    checks += storage_checks(cfg)
    return checks


def secret_checks(cfg: Config) -> list[Check]:
    """Each configured secret can be read (env variable set, file readable)."""
    box, smtp = cfg.mailbox, cfg.smtp
    reads: list[tuple[str, Callable[[], str]]] = []
    if box.maildir is None and box.auth == "oauth2":
        reads += [("OAuth client secret", box.client_secret)]
        reads += [("OAuth refresh token", box.refresh_token)]
    elif box.maildir is None and box.username:
        reads += [("Mật khẩu hộp thư", box.password)]
    if smtp.outbox_dir is None and smtp.username and smtp.auth == "password":
        reads += [("Mật khẩu SMTP", smtp.password)]
    out = []
    for name, read in reads:
        try:
            read()
        except ConfigError as exc:
            out.append(
                Check(name, False, str(exc), "Đặt biến môi trường hoặc tạo tệp đã khai báo.")
            )
        else:
            out.append(Check(name, True, "đọc được"))
    return out


def _login_fix(cfg: Config, exc: MailbotError) -> str:
    if isinstance(exc, OAuthGrantError) or cfg.mailbox.auth == "oauth2":
        return "Chạy `mailbot auth-gmail -c <tệp cấu hình>` rồi lưu refresh token mới."
    env = cfg.mailbox.secret.env
    where = f"biến môi trường {env}" if env else f"tệp {cfg.mailbox.secret.file}"
    return (
        f"Kiểm tra username và mật khẩu trong {where}. Với Gmail: bật xác minh 2 bước và tạo "
        "mật khẩu ứng dụng (Tài khoản Google → Bảo mật → Mật khẩu ứng dụng)."
    )


def mailbox_checks(cfg: Config) -> list[Check]:
    """Log in to IMAP, then look at the polled and processed folders (or the Maildir)."""
    from mailbot.runtime.wiring import open_source

    box = cfg.mailbox
    if box.maildir is not None:
        ok = (box.maildir / "cur").is_dir() or (box.maildir / "new").is_dir()
        fix = "" if ok else f"Tạo thư mục Maildir {box.maildir} (có cur/ new/ tmp/)."
        return [Check("Maildir", ok, str(box.maildir), fix)]
    where = f"{box.username} tại {box.host}:{box.port} ({box.security})"
    source = open_source(cfg)
    assert isinstance(source, ImapSource)
    try:
        source.__enter__()
    except AuthError as exc:
        return [Check("IMAP", False, f"{where}: {exc}", _login_fix(cfg, exc))]
    except MailbotError as exc:
        fix = "Kiểm tra host, port, security và kết nối mạng của máy chạy mailbot."
        return [Check("IMAP", False, f"{where}: {exc}", fix)]
    try:
        kind = "Gmail" if source.gmail else "IMAP"
        checks = [Check("IMAP", True, f"đăng nhập được {where}; máy chủ {kind}")]
        checks += _folder_checks(cfg, source)
    finally:
        source.close()
    return checks


def _folder_checks(cfg: Config, source: ImapSource) -> list[Check]:
    box = cfg.mailbox
    try:
        source.select(box.folder)
        count = len(source.all_uids())
        checks = [Check("Thư mục đọc", True, f"{box.folder}: {count} thư")]
    except ConfigError as exc:
        return [Check("Thư mục đọc", False, str(exc), 'Đặt folder = "INBOX".')]
    except MailbotError as exc:
        fix = f"Tạo thư mục/nhãn {box.folder!r} hoặc sửa mailbox.folder."
        return [Check("Thư mục đọc", False, str(exc), fix)]
    target = box.processed_folder
    if source.gmail or target:
        what = "Nhãn đã xử lý" if source.gmail else "Thư mục đã xử lý"
        name = target or "Mailbot/Đã xử lý"
        try:
            exists = source.folder_exists(name)
            special = source.special_folders()
            if name in special.values():
                raise ConfigError(f"mailbox.processed_folder = {name!r} là thư mục đặc biệt")
        except MailbotError as exc:
            return [*checks, Check(what, False, str(exc), "Chọn tên khác cho processed_folder.")]
        note = "có sẵn" if exists else "chưa có; mailbot sẽ tạo khi đánh dấu thư đầu tiên"
        checks.append(Check(what, True, f"{name}: {note}"))
    return checks


def smtp_checks(cfg: Config) -> list[Check]:
    """Connect and log in to SMTP without sending (or check the .eml folder is writable)."""
    from mailbot.runtime.wiring import open_mailer
    from mailbot.sending.mailer import SmtpMailer

    smtp = cfg.smtp
    if smtp.outbox_dir is not None:
        return [_writable("Thư mục thư đi", smtp.outbox_dir)]
    mailer = open_mailer(cfg)
    assert isinstance(mailer, SmtpMailer)
    where = f"{smtp.host}:{smtp.port} ({smtp.security})"
    try:
        mailer.check()
    except MailbotError as exc:
        if "refused the login" in str(exc) or isinstance(exc, AuthError):
            fix = (
                "Chạy `mailbot auth-gmail` lại."
                if smtp.auth == "oauth2"
                else "Kiểm tra smtp.username và mật khẩu (với Gmail: mật khẩu ứng dụng)."
            )
        else:
            fix = "Kiểm tra smtp.host, port, security và kết nối mạng."
        return [Check("SMTP", False, str(exc), fix)]
    who = f" với {smtp.username}" if smtp.username else ""
    return [Check("SMTP", True, f"đăng nhập được {where}{who} (không gửi thư nào)")]


def storage_checks(cfg: Config) -> list[Check]:
    """The database opens (and migrates); the archive folder is writable."""
    from mailbot.runtime.wiring import open_store, system_clock

    try:
        with open_store(cfg) as store:
            version = store.version
            polled = last_poll_check(cfg, store.last_poll(), system_clock())
        db = Check("Cơ sở dữ liệu", True, f"{cfg.storage.database} (phiên bản {version})")
    except (MailbotError, OSError) as exc:
        db = Check("Cơ sở dữ liệu", False, str(exc), "Kiểm tra đường dẫn và quyền ghi.")
        return [db, _writable("Kho lưu thư", cfg.storage.archive_dir)]
    return [db, polled, _writable("Kho lưu thư", cfg.storage.archive_dir)]


def last_poll_check(cfg: Config, last: datetime | None, now: datetime) -> Check:
    """When the mailbox was last read to the end; not OK after more than 3 poll intervals."""
    from mailbot.rollup import vn_datetime
    from mailbot.runtime.poll_health import poll_gap, vn_duration

    name = "Lần đọc thư gần nhất"
    if last is None:
        return Check(name, True, "chưa đọc lần nào (chạy `mailbot poll` hoặc `mailbot run`)")
    when = f"{vn_datetime(last, cfg.campaign.timezone)} ({vn_duration(now - last)} trước)"
    every = timedelta(minutes=cfg.schedule.poll_interval_minutes)
    if poll_gap(last, now, every):
        fix = "Xem `systemctl status mailbot` và `journalctl -u mailbot`; chạy `mailbot poll`."
        return Check(name, False, f"{when}: hơn {vn_duration(3 * every)} không đọc thư", fix)
    return Check(name, True, when)


def _writable(name: str, folder: Path) -> Check:
    try:
        folder.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=folder):
            pass
    except OSError as exc:
        return Check(name, False, f"{folder}: {exc.strerror}", "Tạo thư mục và cho quyền ghi.")
    return Check(name, True, f"{folder}: ghi được")

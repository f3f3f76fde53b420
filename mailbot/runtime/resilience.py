"""Staying up for weeks: which failures to retry, how long to wait, and alerting the office once.

Owns: `classify` (transient vs permanent), `Backoff` (exponential with jitter), `retrying`
(run an action again after transient failures), and `alert_office` (a permanent problem becomes
one 'alert' mail per problem and day: its Message-ID is derived from both, so the outbox
refuses the second copy), and `guarded_poll`, the poll cycle wrapped in all of these for the
daemon. Connections are opened only through `runtime.wiring`; the clock and the sleep are passed in.
"""

from __future__ import annotations

import logging
import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from email import policy
from typing import Literal, TypeVar

from mailbot.config import Config
from mailbot.cycle import PollReport
from mailbot.errors import (
    AuthError,
    ConfigError,
    MailbotError,
    OAuthGrantError,
    SendError,
    SourceError,
)
from mailbot.messages.compose import compose_alert, make_message_id, message_domain
from mailbot.runtime.wiring import open_mailer, open_store, run_poll, system_clock
from mailbot.sending.quota import send_quota
from mailbot.store import OutgoingMail, Store

log = logging.getLogger(__name__)

T = TypeVar("T")
Kind = Literal["transient", "permanent"]
# Above receipts: the office must learn first that nothing else will arrive.
ALERT_PRIORITY = 20
# Server answers that mean "try again later", even when they come with a refused login.
_TRANSIENT_CODES = ("[THROTTLED]", "[UNAVAILABLE]", "[LIMIT]", "[INUSE]", "BYE", "Too many")


def classify(exc: BaseException) -> Kind:
    """Transient (retry with backoff) or permanent (a person must fix something)."""
    text = str(exc)
    if isinstance(exc, OAuthGrantError | ConfigError):
        return "permanent"
    if isinstance(exc, AuthError):
        # Gmail and Dovecot say "[UNAVAILABLE]"/"[THROTTLED]" on a refused login under load.
        return "transient" if any(c in text for c in _TRANSIENT_CODES) else "permanent"
    return "transient"


def problem_code(exc: BaseException) -> str:
    """A short stable name of a permanent problem (one alert per code and day)."""
    if isinstance(exc, OAuthGrantError):
        return "oauth-grant"
    if isinstance(exc, AuthError):
        return "imap-login"
    if isinstance(exc, ConfigError):
        return "config"
    if isinstance(exc, SendError):
        return "smtp"
    if isinstance(exc, SourceError):
        return "imap"
    return type(exc).__name__


@dataclass
class Backoff:
    """Exponential backoff with jitter: base·2^n capped, each wait drawn in [½, 1] of that."""

    base_s: float = 2.0
    cap_s: float = 300.0
    rng: random.Random = field(default_factory=random.Random)

    def delay(self, attempt: int) -> float:
        """Seconds to wait before retry number `attempt` + 1 (attempt counts from 0)."""
        ceiling = min(self.cap_s, self.base_s * 2 ** min(attempt, 30))
        # Half fixed, half random: reconnects of many clients spread out, none waits ~0.
        return ceiling / 2 + self.rng.uniform(0, ceiling / 2)


def retrying(
    action: Callable[[], T],
    *,
    attempts: int = 3,
    backoff: Backoff | None = None,
    sleep: Callable[[float], object],
    what: str = "action",
) -> T:
    """Run `action`; after a transient MailbotError wait and run it again, `attempts` in all."""
    backoff = backoff or Backoff()
    for attempt in range(attempts):
        try:
            return action()
        except MailbotError as exc:
            if classify(exc) == "permanent" or attempt == attempts - 1:
                raise
            wait = backoff.delay(attempt)
            log.warning("%s failed (%s); retrying in %.1f s", what, exc, wait)
            sleep(wait)
    raise AssertionError("unreachable")  # the loop returns or raises


def alert_text(exc: BaseException, cfg: Config) -> tuple[str, str]:
    """Title and Vietnamese body of the alert for a permanent problem, with the fix."""
    box = cfg.mailbox
    if isinstance(exc, OAuthGrantError):
        return (
            "mailbot không đăng nhập được Gmail (refresh token bị từ chối)",
            f"{exc}\n\nTrong lúc chưa sửa, mailbot không đọc được thư báo cáo mới.",
        )
    if isinstance(exc, AuthError):
        how = (
            "Nếu dùng mật khẩu ứng dụng: tạo mật khẩu ứng dụng mới trong tài khoản Google "
            f"(Bảo mật → Mật khẩu ứng dụng) và đặt vào biến môi trường {box.secret.env} "
            "hoặc tệp mật khẩu đã khai báo."
            if box.auth == "password"
            else "Chạy `mailbot auth-gmail -c <tệp cấu hình>` để lấy refresh token mới."
        )
        return (
            "mailbot không đăng nhập được hộp thư",
            f"Máy chủ thư từ chối đăng nhập của {box.username}:\n{exc}\n\nCách sửa: {how}\n"
            "Sau khi sửa, chạy `mailbot check -c <tệp cấu hình>` để kiểm tra.",
        )
    return (
        "mailbot dừng đọc thư vì cấu hình",
        f"{exc}\n\nCách sửa: sửa tệp cấu hình rồi chạy `mailbot check -c <tệp cấu hình>`.",
    )


def alert_office(store: Store, cfg: Config, exc: BaseException, now: datetime) -> int | None:
    """Queue one alert about `exc` for today; None when today's alert for it is already queued."""
    code = problem_code(exc)
    title, body = alert_text(exc, cfg)
    queued = queue_alert(store, cfg, code, title, body, now)
    if queued is not None:
        log.error("permanent problem (%s), office alerted: %s", code, exc)
    return queued


def queue_alert(
    store: Store, cfg: Config, code: str, title: str, body: str, now: datetime
) -> int | None:
    """Queue one alert for problem `code` today; None when today's is already queued."""
    day = now.astimezone(cfg.campaign.timezone).date()
    domain = message_domain(cfg.smtp.from_addr)
    message_id = make_message_id("alert", f"{code}\0{day.isoformat()}", domain)
    msg = compose_alert(
        title,
        body,
        to_addrs=cfg.office.summary_recipients,
        from_addr=cfg.smtp.from_addr,
        from_name=cfg.smtp.from_name or cfg.office.name,
        message_id=message_id,
        date=now,
    )
    mail = OutgoingMail(
        kind="alert",
        rfc_message_id=message_id,
        to_addrs=tuple(cfg.office.summary_recipients),
        raw=msg.as_bytes(policy=policy.SMTP),
        priority=ALERT_PRIORITY,
        day=day,
    )
    return store.enqueue(mail, now)


def guarded_poll(
    cfg: Config,
    clock: Callable[[], datetime] = system_clock,
    *,
    attempts: int = 3,
    backoff: Backoff | None = None,
    sleep: Callable[[float], object] = time.sleep,
) -> PollReport:
    """A poll cycle retried after transient failures; a permanent one alerts the office, raises."""
    try:
        return retrying(
            lambda: run_poll(cfg, clock),
            attempts=attempts,
            backoff=backoff,
            sleep=sleep,
            what="poll",
        )
    except MailbotError as exc:
        if classify(exc) == "permanent":
            report_permanent(cfg, exc, clock())
        raise


def report_permanent(cfg: Config, exc: BaseException, now: datetime) -> None:
    """Alert the office about a permanent problem (once a day) and try to send it at once."""
    from mailbot.office.jobs import deliver_queued  # office imports pipeline, which is heavy

    with open_store(cfg) as store:
        if alert_office(store, cfg, exc, now) is None:
            return
        try:
            report = deliver_queued(store, open_mailer(cfg), now, send_quota(cfg))
        except MailbotError as send_exc:  # e.g. the same refused OAuth grant for SMTP
            log.error("the alert stays queued: %s", send_exc)
            return
    for line in report.lines:
        log.info("%s", line)

"""Poll gaps: when mailbot has not read the mailbox for more than 3 poll intervals, the office
is told (once a day), both while polls keep failing and when reading resumes after a stop.

Owns the rule (`poll_gap`), the Vietnamese alert texts and `watched_poll`, which wraps one
poll of the daemon. The last successful poll is `Store.last_poll` (written by the poll).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime, timedelta

from mailbot.config import Config
from mailbot.cycle import PollReport
from mailbot.errors import MailbotError
from mailbot.rollup import vn_datetime
from mailbot.runtime.resilience import queue_alert
from mailbot.runtime.wiring import open_mailer, open_store
from mailbot.sending.quota import send_quota

log = logging.getLogger(__name__)

GAP_INTERVALS = 3
FIX = (
    "Người phụ trách kỹ thuật kiểm tra bằng `mailbot check -c <tệp cấu hình>`, "
    "`systemctl status mailbot` và `journalctl -u mailbot`."
)


def poll_gap(last_ok: datetime | None, now: datetime, every: timedelta) -> timedelta | None:
    """The time since the last successful poll when it exceeds 3 intervals, else None."""
    if last_ok is None:
        return None  # never polled yet: nothing to compare with
    gap = now - last_ok
    return gap if gap > GAP_INTERVALS * every else None


def vn_duration(span: timedelta) -> str:
    """A duration in Vietnamese: "2 ngày 3 giờ", "5 giờ 20 phút", "45 phút"."""
    minutes = int(span.total_seconds() // 60)
    days, rest = divmod(minutes, 24 * 60)
    hours, minutes = divmod(rest, 60)
    parts = [(days, "ngày"), (hours, "giờ")] + ([] if days else [(minutes, "phút")])
    return " ".join(f"{n} {unit}" for n, unit in parts if n) or "dưới 1 phút"


def failing_text(last_ok: datetime, now: datetime, every: timedelta, error: str,
                 cfg: Config) -> tuple[str, str]:  # fmt: skip
    """Title and body of the alert while polls keep failing."""
    tz = cfg.campaign.timezone
    return (
        f"mailbot chưa đọc được hộp thư từ {vn_datetime(last_ok, tz)}",
        f"Lần đọc hộp thư thành công gần nhất: {vn_datetime(last_ok, tz)} "
        f"({vn_duration(now - last_ok)} trước; bình thường {vn_duration(every)} một lần).\n"
        "Trong thời gian này báo cáo mới chưa được ghi nhận và các đơn vị chưa nhận được "
        f"biên nhận. Hệ thống vẫn tự thử lại.\n\nChi tiết kỹ thuật: {error}\n\n{FIX}",
    )


def resumed_text(last_ok: datetime, now: datetime, cfg: Config) -> tuple[str, str]:
    """Title and body of the alert when reading resumes after a gap."""
    tz = cfg.campaign.timezone
    return (
        f"mailbot đã đọc lại hộp thư sau {vn_duration(now - last_ok)} gián đoạn",
        f"Từ {vn_datetime(last_ok, tz)} đến {vn_datetime(now, tz)} mailbot không đọc hộp thư "
        "(máy tắt, dịch vụ dừng hoặc mất mạng). Lần đọc lúc "
        f"{vn_datetime(now, tz)} đã ghi nhận các thư đến trong thời gian đó và gửi biên nhận."
        f"\n\nNếu việc này lặp lại: {FIX}",
    )


def watched_poll(
    cfg: Config, clock: Callable[[], datetime], poll: Callable[[], PollReport]
) -> PollReport:
    """Run `poll`; after a gap of more than 3 intervals, alert the office (once a day each)."""
    every = timedelta(minutes=cfg.schedule.poll_interval_minutes)
    with open_store(cfg) as store:
        last_ok = store.last_poll()
    try:
        report = poll()
    except MailbotError as exc:
        now = clock()
        if last_ok is not None and poll_gap(last_ok, now, every):
            title, body = failing_text(last_ok, now, every, str(exc), cfg)
            _alert(cfg, "poll-gap", title, body, now)
        raise
    now = clock()
    if last_ok is not None and poll_gap(last_ok, now, every):
        title, body = resumed_text(last_ok, now, cfg)
        _alert(cfg, "poll-resumed", title, body, now)
    return report


def _alert(cfg: Config, code: str, title: str, body: str, now: datetime) -> None:
    """Queue the alert and try to send it at once (it stays queued when SMTP is down too)."""
    from mailbot.office.jobs import deliver_queued  # office imports pipeline, which is heavy

    try:
        with open_store(cfg) as store:
            if queue_alert(store, cfg, code, title, body, now) is None:
                return
            log.warning("poll gap, office alerted: %s", title)
            deliver_queued(store, open_mailer(cfg), now, send_quota(cfg))
    except MailbotError as exc:  # the alert must never turn a poll into a failure
        log.error("poll gap alert not sent now: %s", exc)

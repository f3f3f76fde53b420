"""What a poll cycle needs to know beyond its edges: `PollSettings`, built from the config."""

from __future__ import annotations

from dataclasses import dataclass
from zoneinfo import ZoneInfo

from mailbot.ingest.decision import IntakeSettings
from mailbot.sending.quota import SendQuota


@dataclass(frozen=True)
class PollSettings:
    """What one poll cycle needs to know beyond its edges."""

    intake: IntakeSettings
    timezone: ZoneInfo
    folder: str = "INBOX"
    max_message_bytes: int = 25 * 1024 * 1024
    max_attempts: int = 3
    max_receipts_per_sender_per_day: int = 5
    parse_timeout_s: float = 10
    parse_memory_mb: int = 300
    send_batch: int = 50
    quota: SendQuota | None = None

"""Builds the real edges from a Config: store, archive, mailbox source, mailer, settings.

The one place that turns configuration into connected objects, so the CLI, the daemon and
the demo run the same pipeline. Holds no logic of its own.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import UTC, datetime
from typing import TYPE_CHECKING, cast

from mailbot.config import Config
from mailbot.config.form import campaign_form
from mailbot.sending.mailer import DirectoryMailer, Mailer, Security, SmtpMailer
from mailbot.sending.quota import send_quota
from mailbot.store import Store
from mailbot.store.archive import Archive

if TYPE_CHECKING:
    # The mailbox side (imapclient, the parser via decide/poll) costs ~0.3 s to import;
    # `summary`, `office.workbook` and `status` never need it, so it is imported where it is used.
    from mailbot.cycle import PollReport
    from mailbot.ingest.decision import IntakeSettings
    from mailbot.ingest.settings import PollSettings
    from mailbot.mailbox.source import Source
    from mailbot.oauth.tokens import OAuthClient, TokenProvider


def system_clock() -> datetime:
    """The current time, aware (UTC); everything else takes `now` as an argument."""
    return datetime.now(UTC)


def open_store(cfg: Config) -> Store:
    """The configured database, migrated, returning datetimes in the campaign timezone."""
    return Store.open(cfg.storage.database, tz=cfg.campaign.timezone)


def open_archive(cfg: Config) -> Archive:
    """The configured content-addressed archive."""
    return Archive(cfg.storage.archive_dir)


# One provider per OAuth client for the whole process: IMAP and SMTP share its cached token.
_TOKEN_PROVIDERS: dict[OAuthClient, TokenProvider] = {}
_TOKEN_LOCK = threading.Lock()


def token_provider(cfg: Config) -> TokenProvider | None:
    """The shared access-token provider of the mailbox's OAuth client (None without OAuth2)."""
    from mailbot.oauth.tokens import OAuthClient, TokenProvider

    box = cfg.mailbox
    if box.auth != "oauth2":
        return None
    client = OAuthClient(
        client_id=box.oauth_client_id,
        client_secret=box.client_secret(),
        refresh_token=box.refresh_token(),
        token_uri=box.oauth_token_uri,
    )
    with _TOKEN_LOCK:
        provider = _TOKEN_PROVIDERS.get(client)
        if provider is None:
            provider = _TOKEN_PROVIDERS[client] = TokenProvider(client)
        return provider


def open_source(cfg: Config) -> Source:
    """The configured mailbox: a local Maildir, or the IMAP server."""
    from mailbot.mailbox.imap import ImapSource
    from mailbot.mailbox.maildir import MaildirSource

    box = cfg.mailbox
    if box.maildir is not None:
        return MaildirSource(
            box.maildir,
            batch_size=box.batch_size,
            processed_flag=box.processed_flag,
            processed_folder=box.processed_folder,
        )
    return ImapSource(
        box.host,
        box.port,
        cast(Security, box.security),  # config.parse admits only ssl, starttls, none
        box.username,
        box.password() if box.auth == "password" else "",
        timeout_s=box.timeout_seconds,
        batch_size=box.batch_size,
        processed_flag=box.processed_flag,
        processed_folder=box.processed_folder,
        token_provider=token_provider(cfg),
    )


def open_mailer(cfg: Config) -> Mailer:
    """The configured mailer: .eml files in a folder, or the SMTP server."""
    smtp = cfg.smtp
    if smtp.outbox_dir is not None:
        return DirectoryMailer(smtp.outbox_dir)
    return SmtpMailer(
        smtp.host,
        smtp.port,
        cast(Security, smtp.security),  # config.parse admits only ssl, starttls, none
        smtp.username or None,
        smtp.password() if smtp.username and smtp.auth == "password" else None,
        timeout_s=smtp.timeout_seconds,
        token_provider=token_provider(cfg) if smtp.auth == "oauth2" else None,
    )


def intake_settings(cfg: Config) -> IntakeSettings:
    """What the per-message decision needs from the config."""
    from mailbot.ingest.decision import IntakeSettings

    own = {cfg.smtp.from_addr, cfg.mailbox.username}
    return IntakeSettings(
        form=campaign_form(cfg.campaign),
        units=cfg.units,
        campaign_name=cfg.campaign.name,
        office_name=cfg.office.name,
        deadline=cfg.campaign.deadline,
        from_addr=cfg.smtp.from_addr,
        from_name=cfg.smtp.from_name or cfg.office.name,
        own_addresses=tuple(sorted(a.lower() for a in own if a)),
        authserv_id=cfg.mailbox.authserv_id,
        quarantine_unauthenticated=cfg.mailbox.quarantine_unauthenticated,
    )


def poll_settings(cfg: Config) -> PollSettings:
    """The settings of one poll cycle."""
    from mailbot.ingest.settings import PollSettings

    return PollSettings(
        quota=send_quota(cfg),
        intake=intake_settings(cfg),
        timezone=cfg.campaign.timezone,
        folder=cfg.mailbox.folder,
        max_message_bytes=cfg.mailbox.max_message_bytes,
        max_attempts=cfg.mailbox.max_attempts,
        max_receipts_per_sender_per_day=cfg.smtp.max_receipts_per_sender_per_day,
    )


def run_poll(cfg: Config, clock: Callable[[], datetime] = system_clock) -> PollReport:
    """One poll cycle with the configured edges."""
    from mailbot.ingest.poll import poll

    with open_store(cfg) as store:
        return poll(
            open_source(cfg), store, open_mailer(cfg), open_archive(cfg), poll_settings(cfg), clock
        )

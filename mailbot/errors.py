"""One error tree for mailbot; turned into words only at the edges (CLI, daemon, receipts).

MailbotError
├── FormError          a form definition file is missing or malformed
├── ConfigError        the config file is missing, malformed or inconsistent
├── ParseError         a document could not be read as a form (carries a clerk-facing reason)
├── SourceError        the mailbox (IMAP or Maildir) cannot be reached or used
│   ├── AuthError      the mailbox refused our login
│   │   └── OAuthGrantError   Google refused the refresh token (invalid_grant); permanent
│   ├── TokenEndpointError    the OAuth token endpoint is unreachable or odd; retry later
│   └── MessageGoneError      a listed message vanished before it was read
├── SendError          the SMTP server cannot be reached or refused a message
│   ├── ServerSendError   the server cannot be used now (down, TLS, login, 421): no message at fault
│   └── MessageRefused    the server refused this message or its recipients (5xx: for good)
├── StoreError         the database is unusable (wrong schema, locked by another run)
│   └── LockedError    another poll or daemon holds the database lock
├── ReportError        the district report's Word template is missing or its tags are broken
└── JobError           a daemon job's child process failed or timed out

Private to one package, raised and caught inside it, never shown at an edge (so they are not
MailbotErrors, which the edges turn into words): TokenRefused (oauth), TnefError (mail),
FormulaError and XlsUnreadable (parsing).
"""

from __future__ import annotations


class MailbotError(Exception):
    """Base of every error mailbot raises on purpose."""


class FormError(MailbotError):
    """Raised when a form definition file is missing or malformed."""


class ConfigError(MailbotError):
    """Raised when the config file is missing, malformed or inconsistent; names key and fix."""


class ParseError(MailbotError):
    """Raised when a document cannot be read; `reason` is Vietnamese, for the clerk."""

    def __init__(self, reason: str, detail: str = "") -> None:
        super().__init__(detail or reason)
        self.reason = reason
        self.detail = detail


class SourceError(MailbotError):
    """Raised when the mailbox (IMAP server or Maildir) cannot be reached or used."""


class AuthError(SourceError):
    """Raised when the mail server refuses our credentials."""


class OAuthGrantError(AuthError):
    """Raised when the token endpoint refuses the refresh token (invalid_grant); permanent."""


class TokenEndpointError(SourceError):
    """Raised when the token endpoint cannot be reached or answers nonsense; retry later."""


class SendError(MailbotError):
    """Raised when the SMTP server cannot be reached or refuses a message."""


class ServerSendError(SendError):
    """Raised when the server cannot take any mail now; no message is to blame for it."""


class MessageRefused(SendError):
    """Raised when the server refuses this one message; `permanent` for a 5xx answer."""

    def __init__(self, text: str, *, permanent: bool) -> None:
        super().__init__(text)
        self.permanent = permanent


class StoreError(MailbotError):
    """Raised when the database cannot be used."""


class LockedError(StoreError):
    """Raised when another poll or daemon already holds the database lock."""


class MessageGoneError(SourceError):
    """Raised by `fetch` when the message was expunged or moved away since it was listed."""


class JobError(MailbotError):
    """Raised when a job's child process fails, overruns its time limit or is stopped."""


# --- private to one package: raised and caught inside it ---------------------------------


class TokenRefused(Exception):
    """Raised inside mailbot.oauth when the token endpoint gives a non-retryable OAuth error."""

    def __init__(self, status: int, error: str, description: str) -> None:
        super().__init__(f"HTTP {status} {error}: {description}")
        self.error = error
        self.description = description


class TnefError(ValueError):
    """Raised when bytes are not TNEF or are cut short; the caller turns it into a reason."""


class FormulaError(Exception):
    """Raised when a formula uses something outside the supported subset or errors (#VALUE!)."""


class XlsUnreadable(Exception):
    """Raised when xlrd cannot read the workbook (the caller may try LibreOffice instead)."""


class ReportError(MailbotError):
    """Raised when the district report's Word template is missing or cannot be filled."""

"""OAuth2 (XOAUTH2) for Gmail IMAP and SMTP, as an alternative to app passwords; stdlib only.

    tokens.py   OAuthClient, TokenProvider, errors, XOAUTH2 string, IMAP/SMTP login helpers
    consent.py  run_auth_gmail: the one-off consent flow behind `mailbot auth-gmail`

Must not read config, environment or secret files; never logs or raises with a secret in it.
"""

from mailbot.errors import OAuthGrantError, TokenEndpointError
from mailbot.oauth.consent import (
    GOOGLE_AUTH_URI,
    Pkce,
    code_from_redirect,
    consent_url,
    make_pkce,
    run_auth_gmail,
)
from mailbot.oauth.tokens import (
    GMAIL_SCOPE,
    GOOGLE_TOKEN_URI,
    REFRESH_MARGIN,
    OAuthClient,
    TokenProvider,
    check_token_uri,
    grant_error_message,
    imap_oauth2_login,
    smtp_oauth2_login,
    xoauth2_string,
)

__all__ = [
    "GMAIL_SCOPE",
    "GOOGLE_AUTH_URI",
    "GOOGLE_TOKEN_URI",
    "REFRESH_MARGIN",
    "OAuthClient",
    "OAuthGrantError",
    "Pkce",
    "TokenEndpointError",
    "TokenProvider",
    "check_token_uri",
    "code_from_redirect",
    "consent_url",
    "grant_error_message",
    "imap_oauth2_login",
    "make_pkce",
    "run_auth_gmail",
    "smtp_oauth2_login",
    "xoauth2_string",
]

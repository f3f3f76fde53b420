"""Configuration: read the TOML file, then the pure `parse_config(mapping, base_dir)`.

Owns the config records (`model`) and their validation (`parse`). Reads only the config file
(here) and, lazily when asked, a password's environment variable or file. Never stores or logs
a secret; never touches the mailbox, the database or the network.
"""

from __future__ import annotations

import os
import tomllib
from pathlib import Path

from mailbot.config.model import (
    CampaignConfig,
    Config,
    MailboxConfig,
    OfficeConfig,
    ScheduleConfig,
    Secret,
    SmtpConfig,
    StorageConfig,
)
from mailbot.config.parse import SECTIONS, parse_config
from mailbot.errors import ConfigError

__all__ = [
    "SECTIONS",
    "CampaignConfig",
    "Config",
    "MailboxConfig",
    "OfficeConfig",
    "ScheduleConfig",
    "Secret",
    "SmtpConfig",
    "StorageConfig",
    "load_config",
    "parse_config",
]


def load_config(path: str | os.PathLike[str]) -> Config:
    """Read the TOML file at `path` and validate it (relative paths resolve against its folder)."""
    path = Path(path)
    try:
        with path.open("rb") as fh:
            data = tomllib.load(fh)
    except FileNotFoundError:
        raise ConfigError(
            f"config file {path} not found; copy config.example.toml there and edit it"
        ) from None
    except OSError as exc:
        raise ConfigError(f"config file {path} cannot be read: {exc.strerror}") from exc
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"config file {path} is not valid TOML: {exc}") from exc
    return parse_config(data, path.resolve().parent)

"""Arguments every command group shares; imported by each command module, importing none."""

from __future__ import annotations

import argparse
from pathlib import Path


def add_config_arg(parser: argparse.ArgumentParser) -> None:
    """The `-c/--config CFG` option of every command that reads the config."""
    parser.add_argument(
        "-c", "--config", required=True, type=Path, metavar="CFG", help="tệp cấu hình (TOML)"
    )

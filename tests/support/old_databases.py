"""Databases as an older mailbot left them, for the tests that pin each migration."""

from __future__ import annotations

import sqlite3
from datetime import datetime
from pathlib import Path

from mailbot.store.migrations import MIGRATIONS, Migration, migrate


def database_before(path: Path, migration: Migration, applied_at: datetime) -> None:
    """Create `path` with every migration before `migration` applied, and none after."""
    conn = sqlite3.connect(path, isolation_level=None)
    try:
        migrate(conn, applied_at, upto=MIGRATIONS.index(migration))
    finally:
        conn.close()


def insert_old_submission(path: Path, unit_code: str, moment: datetime) -> int:
    """A booked message and its submission, written with only the first schema's columns."""
    at = moment.isoformat()
    conn = sqlite3.connect(path, isolation_level=None)
    try:
        message = conn.execute(
            """INSERT INTO messages (source_key, sha256, received_at, status, unit_code,
            created_at, updated_at) VALUES ('INBOX/1/1', 'ab', ?, 'booked', ?, ?, ?)""",
            (at, unit_code, at, at),
        ).lastrowid
        return int(
            conn.execute(
                """INSERT INTO submissions (unit_code, message_id, received_at, late, values_json,
                warnings_json, files_json, sender, booked_at)
                VALUES (?, ?, ?, 0, '{}', '[]', '[]', 'a@example.org', ?)""",
                (unit_code, message, at, at),
            ).lastrowid
            or 0
        )
    finally:
        conn.close()

"""Schema migrations: a numbered list of small forward-only functions.

Owns the database schema and nothing else. Each migration runs in its own transaction and is
recorded in `schema_version`; a database newer than this code is refused, never touched.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from datetime import datetime

from mailbot.errors import StoreError

Migration = Callable[[sqlite3.Connection], None]


def _run(conn: sqlite3.Connection, *statements: str) -> None:
    # conn.executescript would COMMIT first; single statements keep us inside the transaction.
    for sql in statements:
        conn.execute(sql)


def m001_initial(conn: sqlite3.Connection) -> None:
    """Folder state, messages, attachments, submissions, outbox, summaries."""
    _run(
        conn,
        """CREATE TABLE folder_state (
            folder TEXT PRIMARY KEY,
            uidvalidity INTEGER NOT NULL,
            last_uid INTEGER NOT NULL DEFAULT 0,
            updated_at TEXT NOT NULL
        )""",
        """CREATE TABLE messages (
            id INTEGER PRIMARY KEY,
            source_key TEXT NOT NULL UNIQUE,
            message_id_header TEXT,
            sha256 TEXT NOT NULL,
            from_addr TEXT NOT NULL DEFAULT '',
            subject TEXT NOT NULL DEFAULT '',
            date_header TEXT,
            received_at TEXT NOT NULL,
            status TEXT NOT NULL CHECK (status IN ('processing', 'booked', 'unassigned',
                'quarantined', 'failed', 'ignored', 'unreadable')),
            problem_kind TEXT,
            unit_code TEXT,
            flagged_reason TEXT,
            duplicate_of INTEGER REFERENCES messages(id),
            attempts INTEGER NOT NULL DEFAULT 0,
            last_error TEXT,
            raw_path TEXT,
            processed_marked INTEGER NOT NULL DEFAULT 0 CHECK (processed_marked IN (0, 1)),
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL
        )""",
        "CREATE INDEX messages_by_message_id ON messages(message_id_header)",
        "CREATE INDEX messages_by_sha256 ON messages(sha256)",
        "CREATE INDEX messages_by_status ON messages(status, updated_at)",
        """CREATE TABLE attachments (
            id INTEGER PRIMARY KEY,
            message_id INTEGER NOT NULL REFERENCES messages(id),
            filename TEXT NOT NULL,
            sha256 TEXT NOT NULL,
            content_type TEXT NOT NULL DEFAULT '',
            path TEXT,
            parse_ok INTEGER NOT NULL CHECK (parse_ok IN (0, 1)),
            parse_json TEXT NOT NULL
        )""",
        "CREATE INDEX attachments_by_message ON attachments(message_id)",
        """CREATE TABLE submissions (
            id INTEGER PRIMARY KEY,
            unit_code TEXT NOT NULL,
            message_id INTEGER NOT NULL UNIQUE REFERENCES messages(id),
            received_at TEXT NOT NULL,
            late INTEGER NOT NULL CHECK (late IN (0, 1)),
            values_json TEXT NOT NULL,
            warnings_json TEXT NOT NULL,
            files_json TEXT NOT NULL,
            sender TEXT NOT NULL,
            superseded_by INTEGER REFERENCES submissions(id),
            booked_at TEXT NOT NULL
        )""",
        # At most one current (not superseded) submission per unit, enforced by the database.
        """CREATE UNIQUE INDEX submissions_one_latest ON submissions(unit_code)
            WHERE superseded_by IS NULL""",
        "CREATE INDEX submissions_by_unit ON submissions(unit_code, received_at)",
        """CREATE TABLE outbox (
            id INTEGER PRIMARY KEY,
            kind TEXT NOT NULL CHECK (kind IN ('receipt', 'summary', 'reminder', 'alert')),
            message_row_id INTEGER REFERENCES messages(id),
            unit_code TEXT,
            day TEXT,
            rfc_message_id TEXT NOT NULL UNIQUE,
            to_addrs TEXT NOT NULL,
            raw BLOB NOT NULL,
            priority INTEGER NOT NULL DEFAULT 0,
            status TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sent', 'failed')),
            attempts INTEGER NOT NULL DEFAULT 0,
            next_attempt_at TEXT NOT NULL,
            last_error TEXT,
            created_at TEXT NOT NULL,
            sent_at TEXT
        )""",
        # A message can never get two receipts; a unit never two reminders on one day.
        """CREATE UNIQUE INDEX outbox_one_receipt ON outbox(kind, message_row_id)
            WHERE kind = 'receipt'""",
        """CREATE UNIQUE INDEX outbox_one_reminder ON outbox(kind, unit_code, day)
            WHERE kind = 'reminder'""",
        "CREATE INDEX outbox_due ON outbox(status, next_attempt_at)",
        """CREATE TABLE summaries (
            id INTEGER PRIMARY KEY,
            day TEXT NOT NULL,
            created_at TEXT NOT NULL,
            outbox_id INTEGER REFERENCES outbox(id),
            stats_json TEXT NOT NULL DEFAULT '{}'
        )""",
    )


def m002_gmail_message_id(conn: sqlite3.Connection) -> None:
    """Gmail's X-GM-MSGID per message: the same mail seen under another label is a duplicate."""
    _run(
        conn,
        "ALTER TABLE messages ADD COLUMN gm_msgid INTEGER",
        "CREATE INDEX messages_by_gm_msgid ON messages(gm_msgid) WHERE gm_msgid IS NOT NULL",
    )


def m003_submission_confidence(conn: sqlite3.Connection) -> None:
    """Doubtful submissions: their doubts, 'to_confirm' until the unit or office confirms."""
    _run(
        conn,
        """ALTER TABLE submissions ADD COLUMN confidence TEXT NOT NULL DEFAULT 'certain'
            CHECK (confidence IN ('certain', 'to_confirm', 'confirmed'))""",
        "ALTER TABLE submissions ADD COLUMN doubts_json TEXT NOT NULL DEFAULT '[]'",
        "ALTER TABLE submissions ADD COLUMN confirmed_at TEXT",
        # 'office' or 'reply'; the confirming reply's message row when it came by mail.
        "ALTER TABLE submissions ADD COLUMN confirmed_by TEXT",
        "ALTER TABLE submissions ADD COLUMN confirmed_message_id INTEGER REFERENCES messages(id)",
    )


def m004_narratives(conn: sqlite3.Connection) -> None:
    """Appendix 1 narratives per unit: the sections read from a message (newest current)."""
    _run(
        conn,
        """CREATE TABLE narratives (
            id INTEGER PRIMARY KEY,
            unit_code TEXT NOT NULL,
            message_id INTEGER NOT NULL UNIQUE REFERENCES messages(id),
            received_at TEXT NOT NULL,
            source TEXT NOT NULL,
            narrative_json TEXT NOT NULL,
            superseded_by INTEGER REFERENCES narratives(id),
            booked_at TEXT NOT NULL
        )""",
        """CREATE UNIQUE INDEX narratives_one_latest ON narratives(unit_code)
            WHERE superseded_by IS NULL""",
        "CREATE INDEX narratives_by_unit ON narratives(unit_code, received_at)",
    )


def m005_outbox_failed_at(conn: sqlite3.Connection) -> None:
    """When a mail was given up: the next summary names those given up since the last one."""
    # A reminder cancelled because its unit reported meanwhile is 'failed' with no failed_at.
    _run(conn, "ALTER TABLE outbox ADD COLUMN failed_at TEXT")


def m006_marks(conn: sqlite3.Connection) -> None:
    """Named moments (the last successful poll) for `mailbot check`, summaries, gap alerts."""
    _run(conn, "CREATE TABLE marks (name TEXT PRIMARY KEY, at TEXT NOT NULL)")


def m007_web_console(conn: sqlite3.Connection) -> None:
    """The office's console: users, server-side sessions, the audit log, the last poll."""
    _run(
        conn,
        """CREATE TABLE web_users (
            name TEXT PRIMARY KEY,
            password_hash TEXT NOT NULL,
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL
        )""",
        # Only a hash of the session token is kept: a copy of the database opens no session.
        """CREATE TABLE web_sessions (
            token_hash TEXT PRIMARY KEY,
            user_name TEXT NOT NULL REFERENCES web_users(name) ON DELETE CASCADE,
            csrf_token TEXT NOT NULL,
            created_at TEXT NOT NULL,
            expires_at TEXT NOT NULL
        )""",
        """CREATE TABLE audit_log (
            id INTEGER PRIMARY KEY,
            at TEXT NOT NULL,
            user_name TEXT NOT NULL,
            action TEXT NOT NULL,
            target TEXT NOT NULL DEFAULT '',
            detail_json TEXT NOT NULL DEFAULT '{}'
        )""",
        "CREATE INDEX audit_log_by_time ON audit_log(at)",
        """CREATE TABLE poll_runs (
            id INTEGER PRIMARY KEY CHECK (id = 1),
            finished_at TEXT NOT NULL,
            counts_json TEXT NOT NULL DEFAULT '{}'
        )""",
    )


def m008_value_corrections(conn: sqlite3.Connection) -> None:
    """Values corrected by the office: who, when, old → new, why; tied to one submission."""
    _run(
        conn,
        """CREATE TABLE corrections (
            id INTEGER PRIMARY KEY,
            submission_id INTEGER NOT NULL REFERENCES submissions(id),
            unit_code TEXT NOT NULL,
            code TEXT NOT NULL,
            slot TEXT NOT NULL,
            old_json TEXT NOT NULL,
            new_json TEXT NOT NULL,
            reason TEXT NOT NULL,
            user_name TEXT NOT NULL,
            at TEXT NOT NULL
        )""",
        "CREATE INDEX corrections_by_submission ON corrections(submission_id, id)",
        "CREATE INDEX corrections_by_unit ON corrections(unit_code, id)",
    )


def m009_message_relevance(conn: sqlite3.Connection) -> None:
    """Mail that is not the campaign's ('unrelated', 'ambiguous'): kept off the server's flags."""
    _run(
        conn,
        "ALTER TABLE messages ADD COLUMN relevance TEXT",
        "CREATE INDEX messages_by_relevance ON messages(relevance, received_at)"
        " WHERE relevance IS NOT NULL",
    )


MIGRATIONS: list[Migration] = [
    m001_initial,
    m002_gmail_message_id,
    m003_submission_confidence,
    m004_narratives,
    m005_outbox_failed_at,
    m006_marks,
    m007_web_console,
    m008_value_corrections,
    m009_message_relevance,
]


def schema_version(conn: sqlite3.Connection) -> int:
    """The highest migration number applied to this database (0 for a new one)."""
    conn.execute(
        """CREATE TABLE IF NOT EXISTS schema_version (
            version INTEGER PRIMARY KEY,
            name TEXT NOT NULL,
            applied_at TEXT NOT NULL
        )"""
    )
    row = conn.execute("SELECT MAX(version) FROM schema_version").fetchone()
    return row[0] or 0


def migrate(conn: sqlite3.Connection, applied_at: datetime, upto: int | None = None) -> list[int]:
    """Apply every pending migration, each in its own transaction; return the numbers applied.

    `upto` stops after that migration number: a database as an older mailbot left it (tests)."""
    applied: list[int] = []
    for number, migration in enumerate(MIGRATIONS[:upto], start=1):
        conn.execute("BEGIN IMMEDIATE")
        try:
            # Re-read inside the write lock: another process may have migrated meanwhile.
            current = schema_version(conn)
            if current > len(MIGRATIONS):
                raise StoreError(
                    f"database schema version {current} is newer than this mailbot "
                    f"({len(MIGRATIONS)}); upgrade mailbot"
                )
            if number > current:
                migration(conn)
                conn.execute(
                    "INSERT INTO schema_version (version, name, applied_at) VALUES (?, ?, ?)",
                    (number, migration.__name__, applied_at.isoformat()),
                )
                applied.append(number)
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
    return applied

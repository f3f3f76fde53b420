"""Narratives: each unit's Appendix 1 sections, which one is current, and reading them back.

Owns the `narratives` table: inserting a narrative inside `book_message`'s transaction (the
newest by arrival stays current, the older ones are kept as history) and the queries. It
must not write messages, submissions or the outbox.
"""

from __future__ import annotations

import json
import sqlite3
from datetime import datetime

from mailbot.records import UnitNarrative
from mailbot.store.base import StoreBase
from mailbot.store.rows import IncomingMessage, NewNarrative


class NarrativesMixin(StoreBase):
    """Inserts and queries on narratives (mixed into Store)."""

    def _insert_narrative(
        self, row_id: int, msg: IncomingMessage, new: NewNarrative, now: datetime
    ) -> int:
        """Insert a narrative; it becomes current unless the unit has a newer one already."""
        current = self.conn.execute(
            """SELECT id, received_at FROM narratives
            WHERE unit_code = ? AND superseded_by IS NULL""",
            (new.unit_code,),
        ).fetchone()
        received = self._ts(msg.received_at)
        cur = self.conn.execute(
            """INSERT INTO narratives (unit_code, message_id, received_at, source,
            narrative_json, superseded_by, booked_at) VALUES (?, ?, ?, ?, ?, ?, ?)""",
            (
                new.unit_code, row_id, received, new.source,
                json.dumps(new.narrative, ensure_ascii=False),
                None if current is None else current["id"], self._ts(now),
            ),
        )  # fmt: skip
        new_id = cur.lastrowid or 0
        if current is not None and current["received_at"] <= received:
            # Born superseded by the current one; the newer arrival takes its place.
            self.conn.execute(
                "UPDATE narratives SET superseded_by = ? WHERE id = ?", (new_id, current["id"])
            )
            self.conn.execute("UPDATE narratives SET superseded_by = NULL WHERE id = ?", (new_id,))
        return new_id

    def latest_narratives(self) -> dict[str, UnitNarrative]:
        """Each unit's current narrative, by unit code."""
        rows = self.conn.execute(
            "SELECT * FROM narratives WHERE superseded_by IS NULL ORDER BY unit_code"
        ).fetchall()
        return {r["unit_code"]: self._narrative(r) for r in rows}

    def narrative_history(self, unit_code: str) -> list[UnitNarrative]:
        """Every narrative of a unit, newest first (superseded ones included)."""
        rows = self.conn.execute(
            """SELECT * FROM narratives WHERE unit_code = ?
            ORDER BY received_at DESC, id DESC""",
            (unit_code,),
        ).fetchall()
        return [self._narrative(r) for r in rows]

    def parts_on_file(self, unit_code: str) -> tuple[bool, bool]:
        """(Appendix 2 table, Appendix 1 narrative): whether the unit has each one booked."""
        table = self.conn.execute(
            "SELECT 1 FROM submissions WHERE unit_code = ? AND superseded_by IS NULL",
            (unit_code,),
        ).fetchone()
        story = self.conn.execute(
            "SELECT 1 FROM narratives WHERE unit_code = ? AND superseded_by IS NULL",
            (unit_code,),
        ).fetchone()
        return table is not None, story is not None

    def _narrative(self, row: sqlite3.Row) -> UnitNarrative:
        received = self._dt(row["received_at"])
        assert received is not None
        return UnitNarrative(
            id=row["id"],
            unit_code=row["unit_code"],
            message_id=row["message_id"],
            received_at=received,
            source=row["source"],
            narrative=json.loads(row["narrative_json"]),
            superseded_by=row["superseded_by"],
        )

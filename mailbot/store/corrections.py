"""Values corrected by the office, and the corrected view of a unit's current submission.

Owns the `corrections` table. A correction belongs to one submission: while that submission
is the unit's current one, `apply_corrections` puts the corrected values in it, so everything
that reads `latest_submissions` (roll-up, summary, workbook, status) uses them. A newer
submission of the unit supersedes its corrections with it; the originals stay in `history`.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime

from mailbot.errors import StoreError
from mailbot.records import Submission
from mailbot.store.base import StoreBase
from mailbot.store.console import write_audit

Value = int | str | None


@dataclass(frozen=True)
class Correction:
    """One corrected value: who changed which slot of which submission, old → new, and why."""

    id: int
    submission_id: int
    unit_code: str
    code: str
    slot: str
    old: Value
    new: Value
    reason: str
    user_name: str
    at: datetime


def corrected_values(
    values: dict[str, dict[str, Value]], changes: Iterable[tuple[str, str, Value]]
) -> dict[str, dict[str, Value]]:
    """A copy of `values` with each (code, slot, new value) applied in order."""
    out = {code: dict(slots) for code, slots in values.items()}
    for code, slot, new in changes:
        out.setdefault(code, {})[slot] = new
    return out


def apply_corrections(conn: sqlite3.Connection, subs: Sequence[Submission]) -> list[Submission]:
    """`subs` with their corrections applied in the order they were made."""
    if not subs:
        return list(subs)
    by_id = {s.id: s for s in subs}
    rows = conn.execute(
        """SELECT c.submission_id, c.code, c.slot, c.new_json FROM corrections c
        JOIN submissions s ON s.id = c.submission_id
        WHERE s.superseded_by IS NULL ORDER BY c.id"""
    ).fetchall()
    changes: dict[int, list[tuple[str, str, Value]]] = {}
    for sub_id, code, slot, new_json in rows:
        if sub_id in by_id:
            changes.setdefault(sub_id, []).append((code, slot, json.loads(new_json)))
    return [
        replace(s, values=corrected_values(s.values, changes[s.id])) if s.id in changes else s
        for s in subs
    ]


class CorrectionsMixin(StoreBase):
    """Writes and reads of corrections (mixed into Store)."""

    def correct_value(
        self,
        submission_id: int,
        code: str,
        slot: str,
        new: Value,
        reason: str,
        user_name: str,
        now: datetime,
    ) -> Correction:
        """Correct one value of a unit's current submission, with an audit row, atomically."""
        if not reason.strip():
            raise StoreError("Xin ghi lý do sửa số liệu.")
        with self.transaction() as conn:
            row = conn.execute(
                "SELECT * FROM submissions WHERE id = ?", (submission_id,)
            ).fetchone()
            if row is None:
                raise StoreError(f"Không có báo cáo #{submission_id}.")
            if row["superseded_by"] is not None:
                raise StoreError(
                    f"Báo cáo #{submission_id} đã được thay bằng báo cáo mới hơn của đơn vị; "
                    "xin sửa trên báo cáo mới."
                )
            (current,) = apply_corrections(conn, [self._submission(row)])
            old = current.values.get(code, {}).get(slot)
            cur = conn.execute(
                """INSERT INTO corrections (submission_id, unit_code, code, slot, old_json,
                new_json, reason, user_name, at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)""",
                (
                    submission_id, row["unit_code"], code, slot,
                    json.dumps(old, ensure_ascii=False), json.dumps(new, ensure_ascii=False),
                    reason.strip(), user_name, self._ts(now),
                ),
            )  # fmt: skip
            fix_id = cur.lastrowid or 0
            detail = {"code": code, "slot": slot, "old": old, "new": new, "reason": reason.strip()}
            detail["submission_id"] = submission_id
            write_audit(conn, self._ts(now), user_name, "correct", row["unit_code"], detail)
        return self.corrections(row["unit_code"], fix_id)[0]

    def corrected_units(self) -> set[str]:
        """Codes of the units whose current submission carries a correction."""
        rows = self.conn.execute(
            """SELECT DISTINCT c.unit_code FROM corrections c
            JOIN submissions s ON s.id = c.submission_id WHERE s.superseded_by IS NULL"""
        )
        return {r[0] for r in rows}

    def corrections(self, unit_code: str, only_id: int | None = None) -> list[Correction]:
        """Every correction made to the unit's submissions, oldest first."""
        rows = self.conn.execute(
            """SELECT * FROM corrections WHERE unit_code = ? AND (? IS NULL OR id = ?)
            ORDER BY id""",
            (unit_code, only_id, only_id),
        ).fetchall()
        return [
            Correction(
                r["id"], r["submission_id"], r["unit_code"], r["code"], r["slot"],
                json.loads(r["old_json"]), json.loads(r["new_json"]), r["reason"],
                r["user_name"], self._moment(r["at"]),
            )
            for r in rows
        ]  # fmt: skip

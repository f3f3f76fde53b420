"""Rows that belong together or do not belong at all: joining split rows, the signature block.

Owns: a row split in two with the figures under a merged-down label, the "người" half of a
lớp/người line typed as its own row, and recognising the signature block under the table.
Works on model.Row objects after column placement; never reads labels against the form.
"""

from __future__ import annotations

import re

from mailbot.parsing.model import Cell, Row
from mailbot.parsing.normalize import fold
from mailbot.parsing.values import strip_marks

__all__ = ["merge_people_rows", "merge_split_rows", "signature"]


# The people half of a lớp/người row typed as its own row: "- Số người", "người tham gia".
_PEOPLE_HALF = re.compile(r"(so )?(luot )?(nguoi|hoc vien)( tham gia| tham du)?( trong do)?")
_PEOPLE_UNIT = re.compile(r"(luot )?(nguoi|hoc vien)|luot")


def merge_people_rows(rows: list[Row]) -> list[Row]:
    """Join a "người" row under a "lớp"/"cuộc" row: it is the same line's people figure.

    The lower row has no label of its own (blank, or only "Số người"/"người tham gia") and
    its unit or label says people; the row above has a label, a unit that is not people,
    and no people figure yet.
    """
    out: list[Row] = []
    for row in rows:
        prev = out[-1] if out else None
        label, unit = fold(row.label), fold(row.unit)
        if (
            prev is not None
            and prev.label
            and not row.stt
            and (not label or _PEOPLE_HALF.fullmatch(label))
            and (_PEOPLE_UNIT.fullmatch(unit) or (label and not unit))
            and not _PEOPLE_UNIT.fullmatch(fold(prev.unit))
            and prev.people.blank
            and row.has_values()
        ):
            prev.people = row.people if not row.people.blank else row.count
            if prev.note.blank:
                prev.note = row.note
            prev.where = f"{prev.where}+{row.where}"
            continue
        out.append(row)
    return out


def merge_split_rows(rows: list[Row]) -> list[Row]:
    """Join a row split in two in Word or Excel: the label cell merged down, figures below.

    A row with no label and no STT whose value cells are filled belongs to the labelled row
    right above when that row has no values of its own (its label, STT and unit cells were
    merged down, so they read blank here). A blank-label row under a row that has figures
    stays apart.
    """
    out: list[Row] = []
    for row in rows:
        prev = out[-1] if out else None
        if (
            prev is not None
            and not row.label
            and not row.stt
            and row.has_values()
            and prev.label
            and not prev.has_values()
            and not (row.unit and prev.unit and row.unit != prev.unit)
        ):
            for role in ("count", "people", "note"):
                setattr(prev, role, getattr(row, role))
            prev.extra = list(row.extra)
            prev.unit = prev.unit or row.unit
            prev.where = f"{prev.where}+{row.where}"
            continue
        out.append(row)
    return out


# Who signs under the table ("Người lập biểu", "KT. HIỆU TRƯỞNG", "TM. UBND", "CHỦ TỊCH"),
# a cell holding nothing else; and the place-and-date line above the signatures.
_SIGNER = re.compile(
    r"((kt|tm|q|t/m)\.? ?)?(pho )?(nguoi lap( bieu)?|nguoi (tong hop|bao cao)|hieu truong|"
    r"thu truong( don vi| co quan)?|chu tich|giam doc|truong phong|ban giam hieu|"
    r"(ubnd|uy ban nhan dan)( [a-z ]{1,40})?)"
)
_DATE_LINE = re.compile(r"([^,\d]{1,40}, ?)?ngay [\d.…_ ]*thang [\d.…_ ]*nam\b.*")


def signature(cells: list[Cell]) -> bool:
    """True for a row of the signature block under the table (never a table row)."""
    for cell in cells:
        text = re.sub(r"\s+", " ", strip_marks(cell.text)).strip(" .:;,")
        if not text or len(text) > 60:
            continue
        signer = _SIGNER.fullmatch(text)
        # "UBND xã …" alone heads a letter; under the table only with "TM." before it.
        if signer and (not signer.group(9) or signer.group(1)):
            return True
        if text.startswith("kt.") or _DATE_LINE.fullmatch(text):
            return True
    return False

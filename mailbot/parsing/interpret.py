"""Document → ParseResult: the interpreter of a filled Appendix 2 table.

Owns putting the pieces together: repair legacy-font text (stray soft hyphens dropped), find
the table (table.py), assign rows to form lines (labels.py), read each line's value slots
(values.py; a number in Ghi chú only when the value cells are blank and the note is nothing
but a quantity), find the unit's name (unitname.py) and check the form's rules (rules.py).
Pure: no I/O; never raises for bad content (a missing table is `ok=False` with a reason a
clerk understands).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import replace

from mailbot.forms import Form, FormLine
from mailbot.parsing.confidence import Signals, doubts
from mailbot.parsing.labels import LabelMatcher
from mailbot.parsing.model import Cell, Document, Finding, Grid, ParseResult, Row, Values
from mailbot.parsing.normalize import could_be_legacy, detect_legacy, fix_legacy, fold
from mailbot.parsing.rules import check_rules
from mailbot.parsing.subcolumns import collapse_subcolumns
from mailbot.parsing.table import Table, find_table
from mailbot.parsing.unitname import find_unit_name
from mailbot.parsing.values import Reading, amount_scale, read_cell, read_note, read_pair

__all__ = ["BLANK_FORM", "NO_TABLE", "interpret"]

NO_TABLE = (
    "Không tìm thấy bảng Phụ lục 2 (Biểu tổng hợp) trong tệp. Xin gửi lại đúng tệp biểu mẫu "
    "Phụ lục 2, giữ nguyên các cột STT, Các hoạt động, Đơn vị, Số lượng, Ghi chú."
)
# The form's table was found but not one value slot is filled (the blank template, or the
# form sent back unfilled): booking it would replace a unit's figures with blanks.
BLANK_FORM = (
    "Biểu Phụ lục 2 chưa có số liệu nào. Xin điền số liệu (ghi 0 nếu không có hoạt động) "
    "rồi gửi lại."
)

_matchers: dict[tuple[str, int], LabelMatcher] = {}


def _matcher(form: Form) -> LabelMatcher:
    key = (form.id, id(form))
    matcher = _matchers.get(key)
    if matcher is None or len(matcher._cache) > 50_000:  # keep a long-lived daemon's cache bounded
        matcher = _matchers[key] = LabelMatcher(form)
    return matcher


def interpret(document: Document, form: Form, filename: str) -> ParseResult:
    """Read one Document as `form`; every code gets every slot (None where blank)."""
    document = collapse_subcolumns(_repair(document))
    warnings: list[Finding] = list(document.notes)
    matcher = _matcher(form)
    table = find_table(document, form, matcher)
    if table is not None:
        unit_name = find_unit_name(document.text, *table.above)
    else:
        unit_name = find_unit_name(
            document.text, *([c.text for r in g.rows for c in r] for g in document.grids)
        )
    if table is None:
        return ParseResult(
            file=filename,
            ok=False,
            form=form.id,
            unit_name=unit_name,
            values=form.empty_values(),
            warnings=warnings,
            errors=[NO_TABLE],
        )
    values = form.empty_values()
    fallback: dict[tuple[str, str], int] = {}
    signals = Signals(guessed_columns=not table.columns.from_header, reader=list(document.doubts))
    for i, (row, j) in enumerate(zip(table.rows, table.lines, strict=True)):
        if j is None:
            if row.label and any(read_cell(c).numeric for c in (row.count, row.people)):
                warnings.append(
                    Finding(None, f"Dòng “{_short(row.label)}” không khớp với dòng nào của biểu "
                                  "mẫu nên không được tính.")
                )  # fmt: skip
                if not _GRAND_TOTAL.match(fold(row.label)) and _in_a_gap(form, table, i):
                    signals.unmatched.append(_short(row.label))
            continue
        line = form.lines[j]
        if line.code is not None:
            _fill(values, line, row, form, warnings, fallback, signals)
    for (code, slot), value in fallback.items():
        if values[code].get(slot) is None:
            values[code][slot] = value
    signals.missing = _note_missing(form, table, warnings, matcher)
    signals.left_out = [c for j in table.left_out if (c := form.lines[j].code) is not None]
    if all(v is None for slots in values.values() for v in slots.values()):
        return ParseResult(
            file=filename,
            ok=False,
            form=form.id,
            unit_name=unit_name,
            values=values,
            warnings=warnings,
            errors=[BLANK_FORM],
        )
    warnings.extend(check_rules(form, values))
    return ParseResult(
        file=filename,
        ok=True,
        form=form.id,
        unit_name=unit_name,
        values=values,
        warnings=warnings,
        doubts=doubts(form, signals, values),
    )


def _short(text: str, limit: int = 60) -> str:
    text = re.sub(r"\s+", " ", text).strip()
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _repair(document: Document) -> Document:
    """A copy with text in NFC and TCVN3/VNI font text converted, when the document needs it."""
    texts = [c.text for g in document.grids for r in g.rows for c in r] + list(document.text)
    if not any(_suspicious(t) for t in texts):
        return document
    # The font a document was typed in decides the strings that read either way.
    votes: dict[str, int] = {}
    for t in texts:
        if _suspicious(t):
            for piece in _PIECES.split(_DIGIT_SHY.sub("", t)):
                if enc := detect_legacy(piece):
                    votes[enc] = votes.get(enc, 0) + 1
    encoding = max(votes, key=lambda e: votes[e]) if votes else None

    def fix(t: str) -> str:
        if not _suspicious(t):
            return t
        parts = _PIECES.split(_DIGIT_SHY.sub("", t))  # each side of a header has its casing
        for i in range(0, len(parts), 2):
            p = parts[i]
            forced = encoding if encoding and could_be_legacy(p, encoding) else None
            parts[i] = fix_legacy(p, forced)
        # A soft hyphen left over is not TCVN3's "ư": Word's optional hyphen, invisible.
        return "".join(parts).replace(SOFT_HYPHEN, "")

    grids = [
        Grid(g.name, [[replace(c, text=fix(c.text)) if _suspicious(c.text) else c for c in r]
                      for r in g.rows])
        for g in document.grids
    ]  # fmt: skip
    text = [fix(t) for t in document.text]
    return Document(
        document.name, document.kind, grids, text, list(document.notes), list(document.doubts)
    )


_PIECES = re.compile(r"(\t+|\n+| {3,})")
SOFT_HYPHEN = "\u00ad"
# In TCVN3 the byte AD is "ư", a letter: next to a digit ("1\u00ad200") it is a hyphenation mark.
_DIGIT_SHY = re.compile(r"(?<=\d)\u00ad|\u00ad(?=\d)")


_LATIN1_HIGH = re.compile("[\x80-\xff]")


def _suspicious(s: str) -> bool:
    return not s.isascii() and (
        _LATIN1_HIGH.search(s) is not None or not unicodedata.is_normalized("NFC", s)
    )


def _cell_text(cell: Cell) -> str:
    if cell.text.strip():
        return cell.text.strip()
    return "" if cell.value is None else f"{cell.value:g}"


# A dash, "0" or the form's dotted fill-in marks in the text slot: nothing else to report.
_NOTHING = re.compile(r"[-–—−_.…/\\?·•0\s]+")


def _fill(
    values: Values,
    line: FormLine,
    row: Row,
    form: Form,
    warnings: list[Finding],
    fallback: dict[tuple[str, str], int],
    signals: Signals,
) -> None:
    """Set the slots of `line`'s code from one row."""
    code = line.code
    assert code is not None
    slots = values[code]
    if line.slots == ("text",):
        parts = [_cell_text(c) for c in (row.count, row.people, row.note, *row.extra)]
        # A dash or "0" in the text slot means nothing else to report.
        text = "; ".join(p for p in parts if p and not _NOTHING.fullmatch(p))
        if not text and ":" in row.label:
            text = row.label.split(":", 1)[1].strip()
        if text and slots.get("text") is None:
            slots["text"] = text
        return
    _note_stray_figures(row, code, signals)
    # A money row counted in "triệu đồng" scales before the whole-number check ("2,5").
    scale = amount_scale(row.unit) if line.slots == ("amount",) else 1
    rc, rp = read_cell(row.count, scale), read_cell(row.people, scale)
    for reading in (rc, rp):
        if _warn_unreadable(reading, code, warnings):
            signals.unreadable.append((code, _short(reading.text or reading.problem or "", 40)))
    units = f"{line.unit} {row.unit}"
    wanted = set(line.slots)
    if wanted >= {"count", "people"}:
        count, people = _two(rc, rp, row.one_column)
        if count is None and people is None and (noted := _note_pair(row.note, units)):
            count, people = noted
            warnings.append(Finding(code, _from_note(code, row.note)))
            signals.elsewhere.append(code)
        _set(slots, "count", count)
        _set(slots, "people", people)
        return
    (slot,) = line.slots
    other = next((s for s in slots if s not in line.slots and s in ("count", "people")), None)
    value, extra = _one(rc, rp, code, warnings, pair_ok=other is not None)
    if (
        rc.numeric
        and rp.numeric
        and other is None
        and rc.value != rp.value
        and rc.value
        and rp.value
    ):
        signals.two_numbers.append(code)
    if value is None and len(found := read_note(row.note, units, slot == "amount")) == 1:
        value = found[0].value * (1 if found[0].unit else scale)
        warnings.append(Finding(code, _from_note(code, row.note)))
        signals.elsewhere.append(code)
    if value is None:
        spare = [r for r in (read_cell(c, scale) for c in row.extra) if r.numeric]
        if spare:
            value = spare[0].value
            warnings.append(
                Finding(code, f"Dòng {code}: số “{spare[0].text}” ghi ngoài cột Số lượng.")
            )
            signals.elsewhere.append(code)
    _set(slots, slot, value)
    if extra is not None and other is not None:
        fallback.setdefault((code, other), extra)


def _note_stray_figures(row: Row, code: str, signals: Signals) -> None:
    """Figures the row holds where no slot reads them: beside filled value cells in columns
    the form does not have, or in the label while the value cells are blank."""
    filled = any(read_cell(c).numeric for c in (row.count, row.people))
    beside = filled and any(read_cell(c).numeric for c in row.extra)
    in_label = not filled and row.note.blank and _FIGURE_IN_LABEL.search(row.label)
    if beside or in_label:
        signals.stray.append(code)


# A figure in a label: digits that are not a list number ("1.", "a)") nor a year.
_FIGURE_IN_LABEL = re.compile(r"(?<![\d./])(?!(?:19|20)\d\d\b)\d+(?![\d./)])(?!\s*[.)]\s)")


def _note_pair(note: Cell, units: str) -> tuple[int | None, int | None] | None:
    """(count, people) from a Ghi chú that holds only quantities ("3 lớp", "45 người")."""
    found = read_note(note, units)
    if len(found) == 1:
        q = found[0]
        return (None, q.value) if q.people else (q.value, None)
    if len(found) == 2 and not found[0].people and found[1].people:
        return found[0].value, found[1].value
    return None


def _from_note(code: str, note: Cell) -> str:
    return f"Dòng {code}: lấy số ghi ở cột Ghi chú “{_cell_text(note)}”."


def _set(slots: dict[str, int | str | None], slot: str, value: int | None) -> None:
    if value is not None and slots.get(slot) is None:
        slots[slot] = value


def _two(rc: Reading, rp: Reading, one_column: bool) -> tuple[int | None, int | None]:
    """Count and people of a two-slot row, including "2/45" typed in one cell."""
    # "Không" alone in the one "Kết quả" column says there was nothing: no classes, no people.
    if one_column and rc.zero_word and rp.blank:
        return 0, 0
    if rc.numeric and rp.blank and (pair := read_pair(rc)):
        return pair
    if rp.numeric and rc.blank and (pair := read_pair(rp)):
        return pair
    return rc.value, rp.value


def _one(
    rc: Reading, rp: Reading, code: str, warnings: list[Finding], pair_ok: bool
) -> tuple[int | None, int | None]:
    """A single-measure row's number, whichever quantity column it is in; plus a spare."""
    if rc.numeric and rp.numeric:
        if pair_ok:
            return rc.value, rp.value
        if rc.value != rp.value and rc.value and rp.value:
            warnings.append(
                Finding(code, f"Dòng {code} chỉ có một số liệu nhưng ghi hai số "
                              f"({rc.text or rc.value}, {rp.text or rp.value}); lấy số đầu.")
            )  # fmt: skip
        return (rc.value if rc.value or not rp.value else rp.value), None
    if rc.numeric:
        pair = read_pair(rc) if pair_ok else None
        return (pair[0], pair[1]) if pair else (rc.value, None)
    if rp.numeric:
        return rp.value, None
    return None, None


def _warn_unreadable(reading: Reading, code: str, warnings: list[Finding]) -> bool:
    """Warn about a value cell that is not a number; True when there was one."""
    if reading.problem:
        warnings.append(Finding(code, f"Dòng {code}: {reading.problem}; để trống."))
        return True
    if not reading.blank and not reading.numeric:
        warnings.append(
            Finding(code, f"Dòng {code}: ô “{_short(reading.text)}” không phải số; để trống.")
        )
        return True
    return False


def _note_missing(
    form: Form, table: Table, warnings: list[Finding], matcher: LabelMatcher
) -> list[str]:
    """Warn once about the codes whose rows the table lacks; returns those that look merged.

    A clerk deleting the rows of activities the unit did not hold leaves gaps too, so only a
    missing code whose label is one line of a row placed on another code (two rows' labels
    in one merged cell) is returned as a possible misreading.
    """
    seen = {form.lines[j].code for j in table.lines if j is not None}
    missing = [ind.code for ind in form.indicators if ind.code not in seen]
    if missing and len(missing) < len(form.indicators):
        warnings.append(
            Finding(None, "Bảng thiếu các dòng mã " + ", ".join(missing) + " (để trống).")
        )
    parts = [
        part
        for row, j in zip(table.rows, table.lines, strict=True)
        if j is not None and "\n" in row.label
        for part in row.label.split("\n")
        if len(part.strip()) >= 4
    ]
    lines = {line.code: line.index for line in form.lines if line.code is not None}
    return [code for code in missing if any(_best_line(matcher, p) == lines[code] for p in parts)]


def _best_line(matcher: LabelMatcher, text: str) -> int | None:
    """The line a label reads as, when it reads as one clearly."""
    scores = matcher.scores(text)
    best = max(range(len(scores)), key=scores.__getitem__, default=None)
    return best if best is not None and scores[best] >= MERGED_SCORE else None


def _in_a_gap(form: Form, table: Table, i: int) -> bool:
    """True when an unplaced row sits where a line the table lacks would be.

    Its figures may then be that line's. A breakdown under a line ("- Tập huấn sơ cấp cứu")
    or a grand total at the end sits between lines that are both there, and loses nothing.
    """
    placed = [j for j in table.lines if j is not None]
    before = max((j for j in table.lines[:i] if j is not None), default=-1)
    after = min((j for j in table.lines[i + 1 :] if j is not None), default=len(form.lines))
    return any(form.lines[k].code is not None and k not in placed for k in range(before + 1, after))


_GRAND_TOTAL = re.compile(r"\s*(tong cong|cong)\b")  # "Tổng cộng": the sum of rows read
MERGED_SCORE = 0.7  # one line of a placed row's label reads this well as a missing line

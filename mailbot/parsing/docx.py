"""Word 2007+ (.docx/.docm) documents → Document, walking the WordprocessingML ourselves.

Owns the body walk: paragraphs and tables in order, content controls (w:sdt) at every level,
gridSpan/vMerge merges counted once, nested tables, tracked changes read as accepted, text
boxes, and page-header text. python-docx is not used: its `row.cells` repeats merged cells and
skips content controls. Must not interpret the table or touch files.
"""

from __future__ import annotations

import unicodedata
import zipfile
from dataclasses import dataclass, field

from lxml import etree

from mailbot.parsing.model import Cell, Document, Grid
from mailbot.parsing.safety import parse_xml, read_member

W_NAMESPACES = (
    "http://schemas.openxmlformats.org/wordprocessingml/2006/main",
    "http://purl.oclc.org/ooxml/wordprocessingml/main",
)
HEADER_TYPE = "/header"
OFFICE_DOCUMENT = "/officeDocument"
# Containers whose children are walked as if they stood in the parent's place.
TRANSPARENT = {
    "sdtContent",
    "customXml",
    "ins",
    "moveTo",
    "smartTag",
    "hyperlink",
    "fldSimple",
    "dir",
    "bdo",
}
# Subtrees that never contribute text: deletions, moved-away text, field codes, properties.
SKIPPED = {
    "del", "moveFrom", "delText", "delInstrText", "instrText", "pPr", "rPr", "tblPr", "trPr",
    "tcPr", "sectPr", "sdtPr", "sdtEndPr", "footnoteReference", "endnoteReference",
    "commentReference", "annotationRef", "Fallback", "tblGrid",
}  # fmt: skip
# U+00AD stays: in TCVN3 legacy fonts it is the letter "ư", and Word/LibreOffice store it as
# w:softHyphen; the interpreter's legacy-font repair needs it.
CHARS = {
    "tab": "\t",
    "ptab": "\t",
    "br": "\n",
    "cr": "\n",
    "noBreakHyphen": "-",
    "softHyphen": "\u00ad",
}


def _local(el: etree._Element) -> str:
    tag = el.tag
    if not isinstance(tag, str):
        return ""
    return tag.rsplit("}", 1)[-1]


def _attr(el: etree._Element | None, name: str) -> str | None:
    if el is None:
        return None
    for ns in W_NAMESPACES:
        value = el.get(f"{{{ns}}}{name}")
        if value is not None:
            return value
    return None


def _child(el: etree._Element, *path: str) -> etree._Element | None:
    for name in path:
        found = None
        for kid in el:
            if _local(kid) == name:
                found = kid
                break
        if found is None:
            return None
        el = found
    return el


@dataclass
class _Out:
    """What a walk collected: free paragraphs and grids, in document order."""

    text: list[str] = field(default_factory=list)
    grids: list[Grid] = field(default_factory=list)
    # Inside a table cell, empty paragraphs and leading line breaks are kept: a cell whose
    # lines are sub-rows ("32", "", "6") needs every line in its place.
    cell: bool = False
    tabbed: list[str] = field(default_factory=list)  # the current run of tab-typed lines


def read_docx(zf: zipfile.ZipFile, name: str, kind: str) -> Document:
    """Read body paragraphs, tables and page-header text from a checked .docx/.docm zip."""
    main = _main_part(zf)
    body_root = parse_xml(read_member(zf, main), main)
    out = _Out()
    for part in _header_parts(zf, main):
        header = _Out()
        _walk_blocks(parse_xml(read_member(zf, part), part), header)
        out.text.extend(t for t in header.text if t not in out.text)
        for grid in header.grids:  # a header's layout table: each cell a line of text
            out.text.extend(c.text for row in grid.rows for c in row if c.text)
    body = _child(body_root, "body")
    _walk_blocks(body if body is not None else body_root, out)
    for i, grid in enumerate(out.grids):
        grid.name = f"Bảng {i + 1}"
    return Document(name=name, kind=kind, grids=out.grids, text=out.text)


def _rels(zf: zipfile.ZipFile, part: str) -> list[tuple[str, str, str]]:
    """(id, type, zip member) of a part's relationships."""
    folder, _, base = part.rpartition("/")
    rels_name = f"{folder}/_rels/{base}.rels" if folder else f"_rels/{base}.rels"
    try:
        root = parse_xml(read_member(zf, rels_name), rels_name)
    except KeyError:
        return []
    out = []
    for rel in root.iter("{*}Relationship"):
        if rel.get("TargetMode") == "External":
            continue
        target = rel.get("Target", "")
        member = target.lstrip("/") if target.startswith("/") else f"{folder}/{target}".lstrip("/")
        out.append((rel.get("Id", ""), rel.get("Type", ""), member))
    return out


def _main_part(zf: zipfile.ZipFile) -> str:
    names = set(zf.namelist())
    for _, rtype, member in _rels(zf, ""):
        if rtype.endswith(OFFICE_DOCUMENT) and member in names:
            return member
    return "word/document.xml"


def _header_parts(zf: zipfile.ZipFile, main: str) -> list[str]:
    names = set(zf.namelist())
    return [m for _, t, m in _rels(zf, main) if t.endswith(HEADER_TYPE) and m in names]


def _walk_blocks(parent: etree._Element, out: _Out) -> None:
    """Walk block-level content: paragraphs, tables, and containers around them."""
    for el in parent:
        tag = _local(el)
        if tag == "p":
            _paragraph(el, out)
            continue
        _flush_tabbed(out)
        if tag == "tbl":
            _table(el, out)
        elif tag == "sdt":
            content = _child(el, "sdtContent")
            if content is not None and not _unseen(el):
                _walk_blocks(content, out)
        elif tag in TRANSPARENT:
            _walk_blocks(el, out)
        elif tag == "AlternateContent":
            _walk_blocks(_choice(el), out)
    _flush_tabbed(out)


def _choice(el: etree._Element) -> etree._Element:
    """The first mc:Choice of an mc:AlternateContent (its Fallback repeats the same text)."""
    for kid in el:
        if _local(kid) == "Choice":
            return kid
    return el


def _paragraph(p: etree._Element, out: _Out) -> None:
    parts: list[str] = []
    boxes = _Out()
    _inline(p, parts, boxes)
    if out.cell:
        out.text.append(_clean_lines("".join(parts)))
    else:
        raw = unicodedata.normalize("NFC", "".join(parts)).strip(" \u00a0\n").rstrip()
        # Three or more fields start a run of a tab-typed table; two continue one ("11\tCác…").
        if raw.count("\t") >= (1 if out.tabbed else 2):
            out.tabbed.append(raw)
        else:
            _flush_tabbed(out)
        if text := _clean(raw):
            out.text.append(text)
    out.text.extend(boxes.text)
    out.grids.extend(boxes.grids)


def _inline(el: etree._Element, parts: list[str], boxes: _Out) -> None:
    """Collect a paragraph's visible text; text boxes go to `boxes` as their own blocks."""
    for kid in el:
        tag = _local(kid)
        if tag in SKIPPED or (tag in ("r", "sdt") and _unseen(kid)):
            continue
        if tag == "t":
            parts.append(kid.text or "")
        elif tag in CHARS:
            parts.append(CHARS[tag])
        elif tag == "sym":
            parts.append(_symbol(kid))
        elif tag == "txbxContent":
            _walk_blocks(kid, boxes)
        elif tag == "AlternateContent":
            _inline(_choice(kid), parts, boxes)
        else:
            _inline(kid, parts, boxes)


PLACEHOLDER_STYLES = {"placeholdertext", "placeholder"}


def _unseen(el: etree._Element) -> bool:
    """True for a run hidden by w:vanish or in the placeholder style, or a content control
    still showing its placeholder ("Click or tap here to enter text."): no clerk's text."""
    if _local(el) == "sdt":
        return _on(_child(el, "sdtPr", "showingPlcHdr"))
    vanish = _child(el, "rPr", "vanish")
    if vanish is not None and _on(vanish):
        return True
    style = _attr(_child(el, "rPr", "rStyle"), "val") or ""
    return style.lower().replace(" ", "") in PLACEHOLDER_STYLES


def _on(flag: etree._Element | None) -> bool:
    """A Word on/off property: present without val, or val not false/0/off."""
    return flag is not None and (_attr(flag, "val") or "true").lower() not in ("0", "false", "off")


def _symbol(sym: etree._Element) -> str:
    code = _attr(sym, "char") or ""
    try:
        n = int(code, 16)
    except ValueError:
        return ""
    # Symbol-font characters live in the private-use block F000-F0FF.
    return chr(n - 0xF000) if 0xF020 <= n <= 0xF0FF else chr(n)


def _flush_tabbed(out: _Out) -> None:
    """A run of 4+ tab-typed paragraphs becomes a Grid (a table typed with tab stops).

    The lines stay in the text too; whether the grid is the form's table is the
    interpreter's decision. Empty fields between tabs are kept: they are empty columns.
    """
    lines, out.tabbed = out.tabbed, []
    if len(lines) < 4:
        return
    rows = [[Cell(field.strip()) for field in line.split("\t")] for line in lines]
    width = max(len(r) for r in rows)
    out.grids.append(Grid("", [r + [Cell() for _ in range(width - len(r))] for r in rows]))


def _clean(text: str) -> str:
    return unicodedata.normalize("NFC", text).strip()


def _clean_lines(text: str) -> str:
    """NFC, each line stripped, line breaks kept (blank lines included)."""
    return "\n".join(line.strip() for line in unicodedata.normalize("NFC", text).split("\n"))


def _table(tbl: etree._Element, out: _Out) -> None:
    """Emit one Word table as a Grid (grid columns; merged cells anchor + blanks)."""
    rows: list[list[Cell]] = []
    frames: list[Cell] = []  # cells that hold a nested table
    nested: list[Grid] = []
    for tr in _rows(tbl):
        rows.append(_row(tr, nested, frames))
    width = max((len(r) for r in rows), default=0)
    for r in rows:
        r.extend(Cell() for _ in range(width - len(r)))
    frame_ids = {id(c) for c in frames}
    if nested and all(c.blank or id(c) in frame_ids for r in rows for c in r):
        # A layout frame around the real table (often one cell): unwrap it.
        out.text.extend(line for c in frames for line in c.text.split("\n") if line)
    elif rows:
        out.grids.append(Grid(name="", rows=rows))
    out.grids.extend(nested)


def _rows(tbl: etree._Element) -> list[etree._Element]:
    """The table's w:tr elements, looking through row-level content controls."""
    found: list[etree._Element] = []
    for el in tbl:
        tag = _local(el)
        if tag == "tr":
            if _child(el, "trPr", "del") is None:  # a tracked row deletion, read as accepted
                found.append(el)
        elif tag == "sdt":
            content = _child(el, "sdtContent")
            if content is not None:
                found.extend(_rows(content))
        elif tag in ("customXml", "ins", "moveTo"):
            found.extend(_rows(el))
    return found


def _cells(tr: etree._Element) -> list[etree._Element]:
    found: list[etree._Element] = []
    for el in tr:
        tag = _local(el)
        if tag == "tc":
            found.append(el)
        elif tag == "sdt":
            content = _child(el, "sdtContent")
            if content is not None:
                found.extend(_cells(content))
        elif tag in ("customXml", "ins", "moveTo"):
            found.extend(_cells(el))
    return found


def _int_attr(el: etree._Element | None, default: int) -> int:
    try:
        return max(0, int(_attr(el, "val") or default))
    except ValueError:
        return default


def _row(tr: etree._Element, nested: list[Grid], frames: list[Cell]) -> list[Cell]:
    row: list[Cell] = [Cell() for _ in range(_int_attr(_child(tr, "trPr", "gridBefore"), 0))]
    for tc in _cells(tr):
        tc_pr = _child(tc, "tcPr")
        span = _int_attr(_child(tc_pr, "gridSpan") if tc_pr is not None else None, 1) or 1
        vmerge = _child(tc_pr, "vMerge") if tc_pr is not None else None
        hmerge = _child(tc_pr, "hMerge") if tc_pr is not None else None
        continues = _continues(vmerge) or _continues(hmerge)
        if continues:
            row.append(Cell())
        else:
            inner = _Out(cell=True)
            _walk_blocks(tc, inner)
            # Trailing blank lines go; leading ones stay (the first sub-row may be blank).
            cell = Cell(text="\n".join(inner.text).rstrip())
            if inner.grids:
                # Text around a nested table stays in the outer cell; the table stands alone.
                nested.extend(inner.grids)
                frames.append(cell)
            row.append(cell)
        row.extend(Cell() for _ in range(min(span, 512) - 1))
    return row


def _continues(merge: etree._Element | None) -> bool:
    """True for a vMerge/hMerge that continues the region above/left (its cell is blank)."""
    return merge is not None and _attr(merge, "val") in (None, "continue")

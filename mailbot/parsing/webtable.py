"""Tables from HTML ("web page saved as .xls" exports) and plain delimited text → Document.

Owns an html.parser walker (rowspan/colspan → anchor + blanks, nested tables as their own
grids, Excel's x:num attribute as the cell value) and a CSV/TSV reader. Pure: bytes in,
Document out.
"""

from __future__ import annotations

import csv
import email
import email.policy
import io
import re
import unicodedata
from html.parser import HTMLParser

from mailbot.parsing.model import Cell, Document, Grid
from mailbot.parsing.sniff import decode_text

MAX_SPAN = 200
MAX_CELLS = 1_000_000
SKIP_TAGS = {"style", "script", "title", "xml"}
BLOCK_TAGS = {"p", "div", "br", "tr", "li", "h1", "h2", "h3", "h4", "h5", "h6", "table"}


def _clean(text: str) -> str:
    text = re.sub(r"[ \t\r\f\v\u00a0]+", " ", text)
    text = "\n".join(line.strip() for line in text.split("\n"))
    return unicodedata.normalize("NFC", text).strip()


def decode_html(data: bytes) -> str:
    """Decode HTML bytes using its declared charset when there is one."""
    m = re.search(rb"charset\s*=\s*[\"']?([\w.:-]+)", data[:4096], re.IGNORECASE)
    if m:
        try:
            return data.decode(m.group(1).decode("ascii"), "replace")
        except LookupError:
            pass
    return decode_text(data) or data.decode("utf-8", "replace")


def read_html(data: bytes, name: str) -> Document:
    """Read every <table> of an HTML file as a Grid; text outside tables as paragraphs."""
    parser = _TableParser()
    parser.feed(decode_html(data))
    parser.close()
    doc = Document(name=name, kind="html", grids=parser.grids)
    doc.text = [t for t in (_clean(x) for x in "".join(parser.loose).split("\n")) if t]
    for i, grid in enumerate(doc.grids):
        grid.name = f"Bảng {i + 1}"
    return doc


class _Table:
    def __init__(self) -> None:
        self.rows: list[dict[int, Cell]] = []
        self.spans: dict[tuple[int, int], bool] = {}  # positions covered by a rowspan/colspan
        self.cell: list[str] | None = None
        self.attrs: dict[str, str | None] = {}

    def start_row(self) -> None:
        self.rows.append({})

    def start_cell(self, attrs: dict[str, str | None]) -> None:
        if not self.rows:
            self.start_row()
        self.cell, self.attrs = [], attrs

    def end_cell(self) -> None:
        if self.cell is None:
            return
        r = len(self.rows) - 1
        c = 0
        while (r, c) in self.spans or c in self.rows[r]:
            c += 1
        rowspan, colspan = _span(self.attrs.get("rowspan")), _span(self.attrs.get("colspan"))
        text = _clean("".join(self.cell))
        self.rows[r][c] = Cell(text=text, value=_number(self.attrs.get("x:num"), text))
        for dr in range(rowspan):
            for dc in range(colspan):
                if dr or dc:
                    self.spans[(r + dr, c + dc)] = True
        self.cell = None

    def grid(self) -> Grid | None:
        width = max((max(r) + 1 for r in self.rows if r), default=0)
        width = max([width] + [c + 1 for (_, c) in self.spans])
        if not self.rows or len(self.rows) * width > MAX_CELLS:
            return None
        rows = [[row.get(c, Cell()) for c in range(width)] for row in self.rows]
        return Grid(name="", rows=rows)


def _span(value: str | None) -> int:
    try:
        return min(max(int(value or 1), 1), MAX_SPAN)
    except ValueError:
        return 1


def _number(raw: str | None, text: str) -> int | float | None:
    # Excel's HTML export keeps the stored number in x:num even when the text is formatted.
    if raw is None:
        return None
    try:
        value = float(raw) if raw.strip() else float(text.replace(",", ""))
    except ValueError:
        return None
    return int(value) if value.is_integer() and abs(value) < 1e15 else value


class _TableParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[_Table] = []
        self.grids: list[Grid] = []
        self.loose: list[str] = []
        self.skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in SKIP_TAGS:
            self.skip += 1
        elif tag == "table":
            self.stack.append(_Table())
        elif self.stack and tag == "tr":
            self.stack[-1].end_cell()
            self.stack[-1].start_row()
        elif self.stack and tag in ("td", "th"):
            self.stack[-1].end_cell()
            self.stack[-1].start_cell(dict(attrs))
        elif tag in BLOCK_TAGS:
            self.handle_data("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in SKIP_TAGS:
            self.skip = max(0, self.skip - 1)
        elif tag == "table" and self.stack:
            table = self.stack.pop()
            table.end_cell()
            grid = table.grid()
            if grid is not None:
                self.grids.append(grid)
        elif self.stack and tag in ("td", "th"):
            self.stack[-1].end_cell()
        elif tag in BLOCK_TAGS:
            self.handle_data("\n")

    def handle_data(self, data: str) -> None:
        if self.skip:
            return
        if self.stack and self.stack[-1].cell is not None:
            self.stack[-1].cell.append(data)
        elif not self.stack:
            self.loose.append(data)

    def close(self) -> None:
        super().close()
        while self.stack:
            self.handle_endtag("table")


def read_mhtml(data: bytes, name: str) -> Document:
    """Read the first HTML part of an MHTML ("single file web page") export."""
    message = email.message_from_bytes(data, policy=email.policy.compat32)
    for part in message.walk():
        if part.get_content_type() == "text/html":
            payload = part.get_payload(decode=True)
            if isinstance(payload, bytes):
                doc = read_html(payload, name)
                doc.kind = "mhtml"
                return doc
    return Document(name=name, kind="mhtml")


def read_text(data: bytes, name: str) -> Document:
    """Read delimited text (CSV/TSV/semicolons) as one Grid."""
    text = decode_text(data) or ""
    lines = text.splitlines()
    delimiter = max("\t;,", key=lambda d: sum(line.count(d) for line in lines[:50]))
    rows = [
        [Cell(text=_clean(v)) for v in row]
        for row in csv.reader(io.StringIO("\n".join(lines[:5000])), delimiter=delimiter)
    ]
    width = max((len(r) for r in rows), default=0)
    for row in rows:
        row.extend(Cell() for _ in range(width - len(row)))
    return Document(name=name, kind="text", grids=[Grid(name=name, rows=rows)] if rows else [])

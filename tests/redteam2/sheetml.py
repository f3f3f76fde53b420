"""Hand-written SpreadsheetML for the second red-team round, laid out as Excel saves it.

Owns: Sheet (cells by (row, col), merges) and `xlsx()` which writes shared strings, styles with
the number formats clerks end up with (text '@' with quotePrefix, %, #,##0, dates, wrap), formulas
with cached values (shared formulas too) and error cells. Bytes only; no file system.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass, field
from xml.sax.saxutils import escape

# Style indexes (cellXfs order below).
GENERAL, QUOTED, PERCENT, THOUSANDS, MONTH_YEAR, WRAP, BOLD_CENTER, DAY_MONTH = range(8)


@dataclass(frozen=True)
class F:
    """A formula with the value Excel cached for it (str '#REF!'-like values are errors)."""

    formula: str
    cached: int | float | str | None
    shared: tuple[int, str] | None = None  # (si, ref) on the master cell; (si, "") on others


@dataclass(frozen=True)
class S:
    """A value with an explicit style index."""

    value: int | float | str
    style: int


@dataclass(frozen=True)
class Err:
    """An error value typed or left in a cell (#REF!, #VALUE!, #DIV/0!)."""

    code: str


@dataclass
class Sheet:
    """One worksheet: cells keyed by 0-based (row, col), merges as A1 ranges."""

    name: str
    cells: dict[tuple[int, int], object] = field(default_factory=dict)
    merges: list[str] = field(default_factory=list)
    widths: dict[int, float] = field(default_factory=dict)

    def put(self, row: int, col: int, value: object) -> None:
        """Set one cell (None leaves it out)."""
        if value is not None and value != "":
            self.cells[(row, col)] = value

    def merge(self, r1: int, c1: int, r2: int, c2: int) -> None:
        """Merge a 0-based inclusive range."""
        self.merges.append(f"{a1(r1, c1)}:{a1(r2, c2)}")


def col_letter(col: int) -> str:
    """Column letters of a 0-based column index."""
    s = ""
    col += 1
    while col:
        col, rem = divmod(col - 1, 26)
        s = chr(65 + rem) + s
    return s


def a1(row: int, col: int) -> str:
    """A1 reference of a 0-based cell."""
    return f"{col_letter(col)}{row + 1}"


_STYLES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    '<numFmts count="1"><numFmt numFmtId="164" formatCode="dd/mm"/></numFmts>'
    '<fonts count="2"><font><sz val="13"/><name val="Times New Roman"/></font>'
    '<font><b/><sz val="13"/><name val="Times New Roman"/></font></fonts>'
    '<fills count="2"><fill><patternFill patternType="none"/></fill>'
    '<fill><patternFill patternType="gray125"/></fill></fills>'
    '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
    '<cellXfs count="8">'
    '<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
    '<xf numFmtId="49" fontId="0" fillId="0" borderId="0" xfId="0" quotePrefix="1" '
    'applyNumberFormat="1"/>'
    '<xf numFmtId="9" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
    '<xf numFmtId="3" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
    '<xf numFmtId="17" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
    '<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0" applyAlignment="1">'
    '<alignment wrapText="1" vertical="center"/></xf>'
    '<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1" '
    'applyAlignment="1"><alignment horizontal="center" vertical="center" wrapText="1"/></xf>'
    '<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
    "</cellXfs>"
    '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
    "</styleSheet>"
)


class _Strings:
    def __init__(self) -> None:
        self.items: dict[str, int] = {}

    def index(self, text: str) -> int:
        return self.items.setdefault(text, len(self.items))

    def xml(self) -> str:
        sis = "".join(f'<si><t xml:space="preserve">{escape(t)}</t></si>' for t in self.items)
        n = len(self.items)
        return (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
            f'count="{n}" uniqueCount="{n}">{sis}</sst>'
        )


def _num(v: int | float) -> str:
    return repr(v) if isinstance(v, float) else str(v)


def _cell(ref: str, value: object, sst: _Strings) -> str:
    style = 0
    if isinstance(value, S):
        style, value = value.style, value.value
    s = f' s="{style}"' if style else ""
    if isinstance(value, Err):
        return f'<c r="{ref}"{s} t="e"><v>{escape(value.code)}</v></c>'
    if isinstance(value, F):
        attrs = ""
        if value.shared is not None:
            si, rng = value.shared
            attrs = f' t="shared" si="{si}"' + (f' ref="{rng}"' if rng else "")
        text = escape(value.formula) if (value.shared is None or value.shared[1]) else ""
        f = f"<f{attrs}>{text}</f>" if text else f"<f{attrs}/>"
        cv = value.cached
        if isinstance(cv, str) and cv.startswith("#"):
            return f'<c r="{ref}"{s} t="e">{f}<v>{escape(cv)}</v></c>'
        if isinstance(cv, str):
            return f'<c r="{ref}"{s} t="str">{f}<v>{escape(cv)}</v></c>'
        if cv is None:
            return f'<c r="{ref}"{s} t="str">{f}<v></v></c>'
        return f'<c r="{ref}"{s}>{f}<v>{_num(cv)}</v></c>'
    if isinstance(value, bool):
        return f'<c r="{ref}"{s} t="b"><v>{int(value)}</v></c>'
    if isinstance(value, (int, float)):
        return f'<c r="{ref}"{s}><v>{_num(value)}</v></c>'
    return f'<c r="{ref}"{s} t="s"><v>{sst.index(str(value))}</v></c>'


def _sheet_xml(sheet: Sheet, sst: _Strings) -> str:
    rows: dict[int, list[tuple[int, object]]] = {}
    for (r, col), v in sheet.cells.items():
        rows.setdefault(r, []).append((col, v))
    out = []
    for r in sorted(rows):
        cells = "".join(_cell(a1(r, col), v, sst) for col, v in sorted(rows[r], key=lambda x: x[0]))
        out.append(f'<row r="{r + 1}">{cells}</row>')
    cols = ""
    if sheet.widths:
        cols = (
            "<cols>"
            + "".join(
                f'<col min="{i + 1}" max="{i + 1}" width="{w}" customWidth="1"/>'
                for i, w in sorted(sheet.widths.items())
            )
            + "</cols>"
        )
    merges = ""
    if sheet.merges:
        merges = (
            f'<mergeCells count="{len(sheet.merges)}">'
            + "".join(f'<mergeCell ref="{m}"/>' for m in sheet.merges)
            + "</mergeCells>"
        )
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
        'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
        f"{cols}<sheetData>{''.join(out)}</sheetData>{merges}</worksheet>"
    )


def xlsx(sheets: list[Sheet], active: int = 0) -> bytes:
    """Pack sheets into an .xlsx the way Excel writes one (shared strings, styles, app props)."""
    sst = _Strings()
    sheet_xml = [_sheet_xml(s, sst) for s in sheets]
    wb_sheets = "".join(
        f'<sheet name="{escape(s.name)}" sheetId="{i + 1}" r:id="rId{i + 1}"/>'
        for i, s in enumerate(sheets)
    )
    workbook = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
        'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
        f'<bookViews><workbookView activeTab="{active}"/></bookViews>'
        f'<sheets>{wb_sheets}</sheets><calcPr calcId="191029"/></workbook>'
    )
    n = len(sheets)
    wb_rels = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        + "".join(
            f'<Relationship Id="rId{i + 1}" Type="http://schemas.openxmlformats.org/'
            f'officeDocument/2006/relationships/worksheet" Target="worksheets/sheet{i + 1}.xml"/>'
            for i in range(n)
        )
        + f'<Relationship Id="rId{n + 1}" Type="http://schemas.openxmlformats.org/officeDocument/'
        '2006/relationships/styles" Target="styles.xml"/>'
        f'<Relationship Id="rId{n + 2}" Type="http://schemas.openxmlformats.org/officeDocument/'
        '2006/relationships/sharedStrings" Target="sharedStrings.xml"/>'
        "</Relationships>"
    )
    ct = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
        'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-'
        'officedocument.spreadsheetml.sheet.main+xml"/>'
        + "".join(
            f'<Override PartName="/xl/worksheets/sheet{i + 1}.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
            for i in range(n)
        )
        + '<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-'
        'officedocument.spreadsheetml.styles+xml"/>'
        '<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.'
        'openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
        '<Override PartName="/docProps/app.xml" ContentType="application/vnd.openxmlformats-'
        'officedocument.extended-properties+xml"/></Types>'
    )
    rels = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        'relationships/officeDocument" Target="xl/workbook.xml"/>'
        '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        'relationships/extended-properties" Target="docProps/app.xml"/></Relationships>'
    )
    app = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/'
        'extended-properties"><Application>Microsoft Excel</Application></Properties>'
    )
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", ct)
        z.writestr("_rels/.rels", rels)
        z.writestr("docProps/app.xml", app)
        z.writestr("xl/workbook.xml", workbook)
        z.writestr("xl/_rels/workbook.xml.rels", wb_rels)
        z.writestr("xl/styles.xml", _STYLES)
        for i, xml in enumerate(sheet_xml):
            z.writestr(f"xl/worksheets/sheet{i + 1}.xml", xml)
        z.writestr("xl/sharedStrings.xml", sst.xml())
    return buf.getvalue()

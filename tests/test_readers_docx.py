"""Word reader: body order, merges, content controls, tracked changes, nested tables, headers."""

from __future__ import annotations

import io

import docx

from mailbot.parsing.readers import read_document
from tests.support.office_builders import docx_bytes, p, sdt, tbl, tc, tr


def texts(data: bytes) -> list[list[list[str]]]:
    """Every grid of the document as rows of cell texts."""
    doc = read_document(data, "t.docx")
    return [[[c.text for c in row] for row in g.rows] for g in doc.grids]


def test_paragraphs_before_and_after_table_keep_body_order() -> None:
    """Body paragraphs land in Document.text in order, including those before the table."""
    data = docx_bytes(p("UBND xã Mường Giàng") + tbl(tr(tc("a"))) + p("Người lập biểu"))
    doc = read_document(data, "t.docx")
    assert (doc.kind, doc.text) == ("docx", ["UBND xã Mường Giàng", "Người lập biểu"])


def test_grid_span_is_one_cell_followed_by_blanks() -> None:
    """A gridSpan cell appears once, at its first grid column, with blanks after it."""
    data = docx_bytes(tbl(tr(tc("STT"), tc("Số lượng", span=2)), tr(tc("1"), tc("2"), tc("45"))))
    assert texts(data) == [[["STT", "Số lượng", ""], ["1", "2", "45"]]]


def test_vmerge_continuation_cells_are_blank() -> None:
    """Cells continuing a vertical merge read blank; the value stays at the restart cell."""
    data = docx_bytes(
        tbl(
            tr(tc("1", vmerge="restart"), tc("lớp")),
            tr(tc("", vmerge="continue"), tc("người")),
        )
    )
    assert texts(data) == [[["1", "lớp"], ["", "người"]]]


def test_block_row_cell_and_run_content_controls_are_read() -> None:
    """Content controls around a table, a row, a cell and a run all keep their text."""
    run_sdt = f"<w:p>{sdt('<w:r><w:t>12</w:t></w:r>')}<w:r><w:t> lớp</w:t></w:r></w:p>"
    table = tbl(
        tr(tc("a"), tc("b")),
        sdt(tr(tc("c"), sdt(tc("d")))),
        tr(tc(run_sdt), tc("e")),
    )
    data = docx_bytes(sdt(table) + sdt(p("sau bảng")))
    doc = read_document(data, "t.docx")
    assert [[c.text for c in r] for r in doc.grids[0].rows] == [
        ["a", "b"],
        ["c", "d"],
        ["12 lớp", "e"],
    ]
    assert doc.text == ["sau bảng"]


def test_tracked_changes_read_as_accepted() -> None:
    """Inserted and moved-to text counts; deleted and moved-from text does not."""
    para = (
        "<w:p><w:r><w:t>Số </w:t></w:r>"
        "<w:del><w:r><w:delText>10</w:delText></w:r></w:del>"
        "<w:ins><w:r><w:t>12</w:t></w:r></w:ins>"
        "<w:moveFrom><w:r><w:t>cũ</w:t></w:r></w:moveFrom>"
        "<w:moveTo><w:r><w:t> mới</w:t></w:r></w:moveTo></w:p>"
    )
    assert texts(docx_bytes(tbl(tr(tc(para))))) == [[["Số 12 mới"]]]


def test_deleted_table_row_is_skipped() -> None:
    """A row whose deletion is tracked is read as already deleted."""
    deleted = '<w:tr><w:trPr><w:del w:id="1" w:author="x"/></w:trPr>' + tc("bỏ") + "</w:tr>"
    assert texts(docx_bytes(tbl(tr(tc("giữ")), deleted))) == [[["giữ"]]]


def test_tabs_breaks_hyphens_and_symbols_become_text() -> None:
    """w:tab, w:br, w:noBreakHyphen and w:sym turn into their characters."""
    para = (
        "<w:p><w:r><w:t>a</w:t><w:tab/><w:t>b</w:t><w:br/><w:t>c</w:t>"
        '<w:noBreakHyphen/><w:t>d</w:t><w:sym w:font="Symbol" w:char="F0B3"/></w:r></w:p>'
    )
    assert texts(docx_bytes(tbl(tr(tc(para))))) == [[["a\tb\nc-d³"]]]


def test_field_codes_are_not_text() -> None:
    """Field instructions (w:instrText) are skipped; the field result is kept."""
    para = (
        '<w:p><w:r><w:fldChar w:fldCharType="begin"/></w:r>'
        "<w:r><w:instrText> =SUM(ABOVE) </w:instrText></w:r>"
        '<w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>57</w:t></w:r>'
        '<w:r><w:fldChar w:fldCharType="end"/></w:r></w:p>'
    )
    assert texts(docx_bytes(tbl(tr(tc(para))))) == [[["57"]]]


def test_one_cell_layout_frame_is_unwrapped() -> None:
    """A table wrapped in a one-cell layout table comes out as the inner table only."""
    inner = tbl(tr(tc("STT"), tc("Các hoạt động")), tr(tc("1"), tc("Bồi dưỡng")))
    data = docx_bytes(tbl(tr(tc(p("BIỂU TỔNG HỢP") + inner))))
    doc = read_document(data, "t.docx")
    assert [[[c.text for c in r] for r in g.rows] for g in doc.grids] == [
        [["STT", "Các hoạt động"], ["1", "Bồi dưỡng"]]
    ]
    assert doc.text == ["BIỂU TỔNG HỢP"]


def test_nested_table_in_a_real_table_stands_alone() -> None:
    """A nested table inside a data cell becomes its own grid after the outer one."""
    inner = tbl(tr(tc("x"), tc("y")))
    data = docx_bytes(tbl(tr(tc("a"), tc(p("b") + inner))))
    assert texts(data) == [[["a", "b"]], [["x", "y"]]]


def test_page_header_text_goes_first_into_text() -> None:
    """Section header paragraphs (the unit name often sits there) lead Document.text."""
    data = docx_bytes(p("Nội dung"), headers=[p("UBND XÃ CHIỀNG BẰNG")])
    assert read_document(data, "t.docx").text == ["UBND XÃ CHIỀNG BẰNG", "Nội dung"]


def test_text_box_paragraphs_are_read_once() -> None:
    """Text box content is read from mc:Choice only, not again from the VML fallback."""
    box = (
        '<w:p><w:r><mc:AlternateContent xmlns:mc="http://schemas.openxmlformats.org/'
        'markup-compatibility/2006"><mc:Choice Requires="wps"><w:drawing><w:txbxContent>'
        + p("UBND xã Pha Khinh")
        + "</w:txbxContent></w:drawing></mc:Choice><mc:Fallback><w:pict><w:txbxContent>"
        + p("UBND xã Pha Khinh")
        + "</w:txbxContent></w:pict></mc:Fallback></mc:AlternateContent></w:r></w:p>"
    )
    assert read_document(docx_bytes(box), "t.docx").text == ["UBND xã Pha Khinh"]


def test_table_split_by_page_break_gives_consecutive_grids() -> None:
    """Two Word tables separated by a page break arrive as two grids in order."""
    brk = '<w:p><w:r><w:br w:type="page"/></w:r></w:p>'
    data = docx_bytes(tbl(tr(tc("1"), tc("a"))) + brk + tbl(tr(tc("2"), tc("b"))))
    assert texts(data) == [[["1", "a"]], [["2", "b"]]]


def test_decomposed_vietnamese_is_normalised_to_nfc() -> None:
    """NFD text in the file reads back as NFC."""
    nfd = "Xo\u0301a mu\u0300 chư\u0303"
    assert texts(docx_bytes(tbl(tr(tc(nfd))))) == [[["Xóa mù chữ"]]]


def test_python_docx_merged_cells_counted_once() -> None:
    """A table merged with python-docx reads with the text once at the merge anchor."""
    d = docx.Document()
    d.add_paragraph("Phụ lục 2")
    table = d.add_table(rows=3, cols=3)
    table.cell(0, 1).merge(table.cell(0, 2)).text = "Số lượng"
    table.cell(1, 0).merge(table.cell(2, 0)).text = "1"
    table.cell(1, 1).text, table.cell(1, 2).text = "2", "45"
    table.cell(2, 1).text, table.cell(2, 2).text = "3", "60"
    buf = io.BytesIO()
    d.save(buf)
    assert texts(buf.getvalue()) == [[["", "Số lượng", ""], ["1", "2", "45"], ["", "3", "60"]]]

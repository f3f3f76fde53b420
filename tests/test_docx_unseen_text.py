"""Word text the clerk never typed or cannot see: placeholders and hidden runs read as empty."""

from __future__ import annotations

import pytest

from mailbot.parsing.readers import read_document
from tests.support.office_builders import docx_bytes, tbl, tc, tr

PLACEHOLDERS = [
    "Click or tap here to enter text.",
    "Bấm hoặc gõ nhẹ vào đây để nhập văn bản.",
]


def cell_texts(body: str) -> list[list[str]]:
    doc = read_document(docx_bytes(body), "t.docx")
    return [[c.text for c in row] for row in doc.grids[0].rows]


def placeholder_control(text: str, showing: bool = True, style: str | None = None) -> str:
    """A run-level content control as Word writes an empty one (or a filled one)."""
    flag = "<w:showingPlcHdr/>" if showing else ""
    rpr = f'<w:rPr><w:rStyle w:val="{style}"/></w:rPr>' if style else ""
    return (
        f'<w:p><w:sdt><w:sdtPr><w:id w:val="1"/>{flag}</w:sdtPr><w:sdtContent>'
        f"<w:r>{rpr}<w:t>{text}</w:t></w:r></w:sdtContent></w:sdt></w:p>"
    )


@pytest.mark.parametrize("text", PLACEHOLDERS)
def test_a_content_control_showing_its_placeholder_is_an_empty_cell(text):
    """w:showingPlcHdr: the cell reads blank, in English or Vietnamese Word."""
    body = tbl(tr(tc("Số tin bài"), tc(placeholder_control(text))))
    assert cell_texts(body) == [["Số tin bài", ""]]


def test_a_run_in_the_placeholder_style_is_an_empty_cell():
    """Placeholder text kept by a writer that drops showingPlcHdr still reads blank."""
    control = placeholder_control(PLACEHOLDERS[0], showing=False, style="PlaceholderText")
    assert cell_texts(tbl(tr(tc("a"), tc(control)))) == [["a", ""]]


def test_a_filled_content_control_keeps_its_figure():
    """Once the clerk types into the control, its text is read."""
    assert cell_texts(tbl(tr(tc("a"), tc(placeholder_control("12", showing=False))))) == [
        ["a", "12"]
    ]


@pytest.mark.parametrize(("flag", "seen"), [("<w:vanish/>", "5"), ('<w:vanish w:val="0"/>', "75")])
def test_hidden_text_is_not_read(flag, seen):
    """A run formatted hidden (w:vanish) is not part of what the clerk shows; val=0 is shown."""
    cell = f"<w:p><w:r><w:rPr>{flag}</w:rPr><w:t>7</w:t></w:r><w:r><w:t>5</w:t></w:r></w:p>"
    assert cell_texts(tbl(tr(tc("a"), tc(cell)))) == [["a", seen]]

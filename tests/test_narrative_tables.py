"""A table that is not the form (the narrative's class list) never lends the form its columns."""

from __future__ import annotations

import pytest

from mailbot.forms import load_form
from mailbot.parsing.interpret import interpret
from mailbot.parsing.model import Cell, Grid
from tests.support.appendix2_builder import plan_document, sample_values

FORM = load_form()
VALUES = sample_values(29, blank=0.0)
CLASSES = [
    ("Lớp tin học cho cán bộ công chức", 35),
    ("Lớp bồi dưỡng thường xuyên cho giáo viên", 42),
    ("Lớp xóa mù chữ bản Nà", 18),
    ("Lớp kỹ năng sống cho học sinh", 60),
]


def class_table() -> Grid:
    """Appendix 1's own list of classes: STT | Tên lớp | Số lớp | Số học viên | Hình thức."""
    head = [Cell(t) for t in ("STT", "Tên lớp", "Số lớp", "Số học viên", "Hình thức")]
    body = [
        [Cell(str(i)), Cell(name), Cell("1", 1), Cell(str(n), n), Cell("Trực tiếp")]
        for i, (name, n) in enumerate(CLASSES, start=1)
    ]
    return Grid("", [head, *body])


@pytest.mark.parametrize("split", [False, True])
def test_the_narratives_class_table_before_the_form_is_not_joined_to_it(split):
    """The form right after a small table of classes is read with its own columns."""
    doc = plan_document(VALUES, kind="docx", split=split)
    doc.grids.insert(0, class_table())
    result = interpret(doc, FORM, doc.name)
    assert result.values == VALUES
    assert not any("không phải số" in w.message for w in result.warnings)
    assert not result.doubtful

"""The district report as a .docx: the Word template filled by docxtpl.

Owns loading `templates/bao-cao-huyen.docx` and rendering the fields of
`district_report.report_context` into it. Writes bytes only; knows nothing of the store.
"""

from __future__ import annotations

import io

from docxtpl import DocxTemplate

from mailbot.messages.render import TEMPLATES_DIR

REPORT_TEMPLATE = "bao-cao-huyen.docx"
DOCX_TYPE = ("application", "vnd.openxmlformats-officedocument.wordprocessingml.document")


def render_report(context: dict, template: str = REPORT_TEMPLATE) -> bytes:
    """The report .docx with `context` filled in (text escaped for XML, so "&" is safe)."""
    document = DocxTemplate(str(TEMPLATES_DIR / template))
    document.render(context, autoescape=True)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()

"""The district report as a .docx: the Word template filled by docxtpl.

Owns loading the template (`templates/bao-cao-huyen.docx`, or the office's own copy) and
rendering the fields of `district_report.report_context` into it. Reads the template and
returns bytes; knows nothing of the store. A template the office broke in Word becomes one
`ReportError` naming the fix, never a traceback.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

from docxtpl import DocxTemplate
from jinja2 import TemplateError

from mailbot.errors import ReportError
from mailbot.messages.render import TEMPLATES_DIR

REPORT_TEMPLATE = TEMPLATES_DIR / "bao-cao-huyen.docx"
DOCX_TYPE = ("application", "vnd.openxmlformats-officedocument.wordprocessingml.document")
FIX = "sửa lại các thẻ {{ }}/{%p %} trong Word, hoặc dùng mẫu gốc templates/bao-cao-huyen.docx"


def render_report(context: dict, template: Path | None = None) -> bytes:
    """The report .docx with `context` filled in (text escaped for XML, so "&" is safe)."""
    path = template or REPORT_TEMPLATE
    if not path.is_file():
        raise ReportError(f"không thấy mẫu báo cáo {path}")
    try:
        document = DocxTemplate(str(path))
        document.render(context, autoescape=True)
        out = io.BytesIO()
        document.save(out)
    except TemplateError as exc:
        raise ReportError(f"mẫu báo cáo {path.name} có thẻ lỗi ({exc}); {FIX}") from exc
    except (zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise ReportError(f"mẫu báo cáo {path.name} không phải tệp Word .docx ({exc})") from exc
    return out.getvalue()

"""Reading Appendix 2 reports: file bytes → Document (readers) → ParseResult (interpreter).

The public entry points are `parse_bytes` and `parse_path`; they never raise on bad input:
whatever goes wrong becomes `ok: false` with a reason a clerk understands.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from mailbot.errors import ParseError
from mailbot.forms import Form, load_form
from mailbot.parsing.interpret import interpret
from mailbot.parsing.model import Document, ParseResult
from mailbot.parsing.narrative import split_narrative
from mailbot.parsing.readers import read_document

log = logging.getLogger(__name__)

TOO_COMPLEX = (
    "Tệp quá lớn hoặc quá phức tạp để đọc tự động. Xin gửi riêng biểu Phụ lục 2 "
    "trong một tệp .xlsx hoặc .docx nhỏ gọn."
)
UNREADABLE = "Không đọc được tệp này do lỗi không xác định. Xin gửi lại tệp .xlsx hoặc .docx."


def parse_bytes(data: bytes, filename: str, form: Form | None = None) -> ParseResult:
    """Parse one attachment's bytes; every failure becomes ok=False with a Vietnamese reason."""
    form = form or load_form()
    try:
        document = read_document(data, filename)
        result = interpret(document, form, filename)
        result.narrative = read_narrative(document)
        return result
    except ParseError as exc:
        return ParseResult(file=filename, ok=False, form=form.id, errors=[exc.reason])
    except MemoryError:
        return ParseResult(file=filename, ok=False, form=form.id, errors=[TOO_COMPLEX])
    except Exception:  # a reader bug must not reach the clerk or stop the daemon
        log.exception("unexpected failure parsing %s", filename)
        return ParseResult(file=filename, ok=False, form=form.id, errors=[UNREADABLE])


def read_narrative(document: Document) -> dict[str, Any] | None:
    """The Appendix 1 sections of a Word document's free paragraphs, or None."""
    if document.kind not in ("docx", "docm"):
        return None
    try:
        narrative = split_narrative(document.text)
    except Exception:  # a narrative bug must never cost the Appendix 2 table
        log.exception("unexpected failure reading the narrative of %s", document.name)
        return None
    return narrative.to_dict() if narrative is not None else None


def parse_path(path: str | Path, form: Form | None = None) -> ParseResult:
    """Parse one file on disk (see parse_bytes)."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        return ParseResult(
            file=path.name, ok=False, form=None, errors=[f"Không mở được tệp: {exc.strerror}"]
        )
    return parse_bytes(data, path.name, form)

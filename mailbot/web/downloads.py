"""Downloads: a unit's files and mails from the archive; the workbook, summary, district report.

Original files are served as the archived bytes, unchanged, as attachments (never rendered
in the console's origin). Every download is written to the audit log.
"""

from __future__ import annotations

from urllib.parse import quote

from starlette.responses import Response

from mailbot.errors import StoreError
from mailbot.office.jobs import current_rollup, local_day, summary_mail, workbook_bytes
from mailbot.runtime.wiring import open_archive
from mailbot.web.session import SECURITY_HEADERS, Ctx

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def attachment(data: bytes, filename: str, media_type: str) -> Response:
    """A download response: the bytes as they are, named, never shown inline."""
    ascii_name = filename.encode("ascii", "replace").decode().replace('"', "_").replace("?", "_")
    headers = dict(SECURITY_HEADERS)
    headers["Content-Disposition"] = (
        f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(filename)}"
    )
    return Response(data, media_type=media_type, headers=headers)


def file_download(ctx: Ctx) -> Response:
    """GET /files/{id}: an attachment's original bytes from the archive."""
    file_id = int(ctx.request.path_params["file_id"])
    stored = ctx.store.attachment(file_id)
    if stored is None or not stored.path:
        raise StoreError("Tệp này không được lưu trong kho (bị từ chối khi nhận).")
    data = open_archive(ctx.cfg).resolve(stored.path).read_bytes()
    ctx.store.audit(ctx.user, "download_file", f"file#{file_id}", ctx.now,
                    {"message_id": stored.message_id, "filename": stored.filename})  # fmt: skip
    return attachment(data, stored.filename, "application/octet-stream")


def mail_download(ctx: Ctx) -> Response:
    """GET /messages/{id}.eml: the mail as it arrived."""
    row_id = int(ctx.request.path_params["message_id"])
    try:
        msg = ctx.store.message(row_id)
    except StoreError:
        raise StoreError(f"Không có thư #{row_id}.") from None
    if not msg.raw_path:
        raise StoreError(f"Thư #{row_id} không có bản lưu.")
    data = open_archive(ctx.cfg).resolve(msg.raw_path).read_bytes()
    ctx.store.audit(ctx.user, "download_mail", f"#{row_id}", ctx.now)
    return attachment(data, f"thu-{row_id}.eml", "message/rfc822")


def workbook_download(ctx: Ctx) -> Response:
    """GET /downloads/tong-hop.xlsx: the consolidated workbook as of now (corrections in)."""
    data = workbook_bytes(current_rollup(ctx.cfg, ctx.store, ctx.now))
    ctx.store.audit(ctx.user, "download_workbook", "", ctx.now)
    day = local_day(ctx.cfg, ctx.now).isoformat()
    return attachment(data, f"tong-hop-{day}.xlsx", XLSX)


def summary_download(ctx: Ctx) -> Response:
    """GET /downloads/tong-hop.html: today's summary email as a page to save or print."""
    msg, _ = summary_mail(ctx.cfg, ctx.store, ctx.now)
    ctx.store.audit(ctx.user, "download_summary", "", ctx.now)
    part = msg.get_body(preferencelist=("html",))
    assert part is not None  # compose_summary always writes both bodies
    day = local_day(ctx.cfg, ctx.now).isoformat()
    return attachment(part.get_content().encode("utf-8"), f"tong-hop-{day}.html", "text/html")


def report_download(ctx: Ctx) -> Response:
    """GET /downloads/bao-cao-tong-ket.docx: the district report drafted as `mailbot report`."""
    from mailbot.office.report_job import draft_report, report_filename

    data, _ = draft_report(ctx.cfg, ctx.store, current_rollup(ctx.cfg, ctx.store, ctx.now), ctx.now)
    ctx.store.audit(ctx.user, "download_report", "", ctx.now)
    return attachment(data, report_filename(ctx.cfg, ctx.now), DOCX)


def downloads_page(ctx: Ctx) -> Response:
    """GET /downloads: what the office can take away."""
    return ctx.page("downloads.html.j2")

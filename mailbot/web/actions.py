"""The console's actions: correct a value, reprocess a mail, assign it to a unit, set it aside.

Reprocessing and assigning run the CLI itself (`mailbot reprocess -c CFG ID [--unit CODE]`)
in a child process: the same code path and poll lock as at a terminal, and the parser's
forked workers never start from the threaded web server. Every action writes an audit row
with who and when; a refused one is audited with its reason too.

The problems queue is a list of `QueueAction`s per problem kind: an action that lands later
("gửi lại biên nhận") is one more entry and one handler. Confirming a report "cần xác nhận"
calls `office.confirm.confirm`, the function behind `mailbot confirm`.
"""

from __future__ import annotations

import subprocess
import sys
from dataclasses import dataclass

from starlette.responses import RedirectResponse, Response

from mailbot.errors import MailbotError, StoreError
from mailbot.forms import load_form
from mailbot.office.confirm import confirm as confirm_submission
from mailbot.web.session import Ctx
from mailbot.web.views import read_value

REPROCESS_TIMEOUT_S = 600.0


@dataclass(frozen=True)
class QueueAction:
    """One button of the problems queue: POST /problems/{id}/{name}, for some problem kinds.

    `field` is the one input the button needs: "unit" (a roster unit), "reason" or None.
    """

    name: str
    label: str
    kinds: tuple[str, ...]
    field: str | None = None


PROBLEM_KINDS = ("unreadable", "failed", "unassigned", "quarantined")
QUEUE_ACTIONS = (
    QueueAction("reprocess", "Xử lý lại", PROBLEM_KINDS),
    QueueAction("assign", "Gán cho đơn vị", PROBLEM_KINDS, field="unit"),
    QueueAction("dismiss", "Không phải báo cáo", PROBLEM_KINDS, field="reason"),
)


def correct(ctx: Ctx) -> Response:
    """POST /units/{code}/correct: one value of the current submission, with a reason."""
    code = ctx.request.path_params["code"]
    field = ctx.form.get("field", "")
    ind_code, _, slot = field.partition(":")
    form = load_form(ctx.cfg.campaign.form)
    slots = {ind.code: ind.slots for ind in form.indicators}
    if slot not in slots.get(ind_code, ()):
        raise StoreError(f"Không có chỉ tiêu “{field}” trong biểu.")
    try:
        new = read_value(ctx.form.get("value", ""), slot)
    except ValueError as exc:
        raise StoreError(str(exc)) from None
    reason = ctx.form.get("reason", "").strip()
    if not reason:
        raise StoreError("Xin ghi lý do sửa số liệu.")
    sub_id = int(ctx.form.get("submission_id", "0") or 0)
    current = next((s for s in ctx.store.latest_submissions() if s.unit_code == code), None)
    if current is None or current.id != sub_id:
        raise StoreError(
            "Báo cáo này không còn là báo cáo hiện hành của đơn vị (đơn vị vừa gửi báo cáo mới). "
            "Xin tải lại trang."
        )
    ctx.store.correct_value(sub_id, ind_code, slot, new, reason, ctx.user, ctx.now)
    return RedirectResponse(f"/units/{code}?done=corrected", status_code=303)


def confirm(ctx: Ctx) -> Response:
    """POST /units/{code}/confirm: the office confirms a report "cần xác nhận" (as `confirm`)."""
    code = ctx.request.path_params["code"]
    sub_id = ctx.form.get("submission_id", "")
    current = ctx.store.current_submission(code)
    if current is None or str(current.id) != sub_id:
        raise StoreError(
            "Báo cáo này không còn là báo cáo hiện hành của đơn vị (đơn vị vừa gửi báo cáo mới). "
            "Xin tải lại trang."
        )
    outcome = confirm_submission(ctx.store, ctx.cfg.units, str(current.id), ctx.now)
    detail = {"submission_id": current.id, "changed": outcome.changed, "message": outcome.message}
    ctx.store.audit(ctx.user, "confirm", code, ctx.now, detail)
    if not outcome.ok:
        raise StoreError(outcome.message)
    return RedirectResponse(f"/units/{code}?done=confirmed", status_code=303)


def reprocess(ctx: Ctx) -> Response:
    """POST /problems/{id}/reprocess: put the mail through the pipeline again."""
    row_id = int(ctx.request.path_params["message_id"])
    _run_cli(ctx, "reprocess", row_id, ["reprocess", str(row_id)])
    return RedirectResponse("/problems?done=reprocessed", status_code=303)


def assign(ctx: Ctx) -> Response:
    """POST /problems/{id}/assign: book the mail for the chosen unit."""
    row_id = int(ctx.request.path_params["message_id"])
    unit = ctx.cfg.unit(ctx.form.get("unit", ""))
    if unit is None:
        raise StoreError("Xin chọn một đơn vị trong danh sách.")
    _run_cli(ctx, "assign", row_id, ["reprocess", str(row_id), "--unit", unit.code])
    return RedirectResponse(f"/units/{unit.code}?done=assigned", status_code=303)


def dismiss(ctx: Ctx) -> Response:
    """POST /problems/{id}/dismiss: the mail is not a report; it leaves the queue."""
    row_id = int(ctx.request.path_params["message_id"])
    reason = ctx.form.get("reason", "").strip()
    ctx.store.mark_not_report(row_id, ctx.user, reason, ctx.now)
    return RedirectResponse("/problems?done=dismissed", status_code=303)


def _run_cli(ctx: Ctx, action: str, row_id: int, args: list[str]) -> None:
    """Run `mailbot ARGS -c CFG` and audit it; a failure becomes its one line for the page."""
    if ctx.console.config_path is None:
        raise MailbotError("Bảng điều khiển chạy không có tệp cấu hình; không xử lý lại được.")
    cmd = [sys.executable, "-m", "mailbot", args[0], "-c", str(ctx.console.config_path), *args[1:]]
    try:
        done = subprocess.run(
            cmd, capture_output=True, text=True, timeout=REPROCESS_TIMEOUT_S, check=False
        )
    except subprocess.TimeoutExpired:
        ctx.store.audit(ctx.user, action, f"#{row_id}", ctx.now, {"error": "timeout"})
        raise MailbotError("Xử lý lại quá lâu và đã bị dừng; thư vẫn nằm trong hàng chờ.") from None
    detail = {"args": args[1:], "exit": done.returncode, "out": done.stdout[-2000:]}
    if done.returncode != 0:
        detail["error"] = done.stderr.strip()[-2000:]
    ctx.store.audit(ctx.user, action, f"#{row_id}", ctx.now, detail)
    if done.returncode != 0:
        line = done.stderr.strip().splitlines()[-1:] or ["lỗi không rõ"]
        if "another poll is running" in done.stderr:
            raise MailbotError("Đang có một lượt đọc thư; xin thử lại sau ít phút.")
        raise MailbotError(f"Không xử lý lại được thư #{row_id}: {line[0]}")
    after = ctx.store.message(row_id)
    if after.status == "processing":  # e.g. its archived copy is missing: it stays queued
        raise MailbotError(f"Chưa xử lý được thư #{row_id}: {after.last_error or 'lỗi không rõ'}")

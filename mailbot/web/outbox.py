"""The console's given-up mail: which to list, and "Gửi lại biên nhận" (resend) for one.

Resending calls `sending.resend.resend`, the function behind `mailbot resend ID`: it only puts
the row back in the queue, due now, and the next poll sends it with the same Message-ID.
Every resend is audited, a refused one with its reason too.
"""

from __future__ import annotations

from starlette.responses import RedirectResponse, Response

from mailbot.errors import StoreError
from mailbot.messages.outbox_view import KIND_NAMES
from mailbot.sending.resend import given_up, resend
from mailbot.store import OutboxRow, Store
from mailbot.web.session import Ctx


def resend_label(row: OutboxRow) -> str:
    """The button's words for one given-up mail."""
    return "Gửi lại biên nhận" if row.kind == "receipt" else "Gửi lại thư"


def given_up_for_unit(store: Store, code: str, message_ids: set[int]) -> list[OutboxRow]:
    """The given-up mail of one unit: queued for it, or answering one of its messages."""
    return [r for r in given_up(store) if r.unit_code == code or r.message_row_id in message_ids]


def resend_mail(ctx: Ctx) -> Response:
    """POST /outbox/{id}/resend: queue a given-up mail again (as `mailbot resend ID`)."""
    outbox_id = int(ctx.request.path_params["outbox_id"])
    target = f"outbox #{outbox_id}"
    try:
        row = resend(ctx.store, outbox_id, ctx.now)
    except StoreError as exc:
        ctx.store.audit(ctx.user, "resend", target, ctx.now, {"error": str(exc)})
        raise StoreError(_refusal_vi(ctx.store, outbox_id)) from None
    detail = {"kind": row.kind, "to": list(row.to_addrs), "reason_given_up": row.last_error}
    ctx.store.audit(ctx.user, "resend", target, ctx.now, detail)
    unit = ctx.form.get("unit", "")
    back = f"/units/{unit}" if unit and ctx.cfg.unit(unit) is not None else "/problems"
    return RedirectResponse(f"{back}?done=resent", status_code=303)


def _refusal_vi(store: Store, outbox_id: int) -> str:
    """Why `resend` refused, in the office's words (its own message is for the terminal)."""
    try:
        row = store.outbox_row(outbox_id)
    except StoreError:
        return f"Không có thư chờ gửi #{outbox_id}."
    what = KIND_NAMES.get(row.kind, row.kind).lower()
    if row.status == "sent":
        return f"Thư #{outbox_id} ({what}) đã được gửi đi; không cần gửi lại."
    if row.status == "pending":
        return f"Thư #{outbox_id} ({what}) đang chờ gửi; lần đọc thư tới sẽ gửi."
    return f"Thư #{outbox_id} ({what}) đã được hủy, không phải gửi hỏng; không gửi lại được."

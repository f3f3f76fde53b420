"""The console's read-only pages: overview, a unit's history, the problems queue, the audit log.

Each handler takes a `Ctx` (logged in, own store connection) and renders one template of
templates/web/. Reads only; actions live in `web.actions`, downloads in `web.downloads`.
"""

from __future__ import annotations

from dataclasses import replace
from email import policy
from email.parser import BytesParser

from starlette.responses import Response

from mailbot.errors import StoreError
from mailbot.forms import load_form
from mailbot.messages.outbox_view import KIND_NAMES
from mailbot.office.jobs import current_rollup
from mailbot.records import CONFIDENCE_VI, TO_CONFIRM
from mailbot.rollup import PROBLEM_KIND_VI, table_rows
from mailbot.sending.resend import given_up
from mailbot.store.corrections import corrected_values
from mailbot.store.rows import OutboxRow
from mailbot.web.actions import QUEUE_ACTIONS
from mailbot.web.outbox import given_up_for_unit, resend_label
from mailbot.web.session import Ctx
from mailbot.web.views import (
    SLOT_VI,
    SubmissionView,
    UnitPage,
    correctable_fields,
    overview,
)

# Flash texts after an action (the action redirects with ?done=KEY).
DONE_VI = {
    "corrected": "Đã sửa số liệu và ghi vào nhật ký.",
    "reprocessed": "Đã xử lý lại thư. Biên nhận (nếu có) được gửi ở lần đọc thư tiếp theo.",
    "assigned": "Đã gán thư cho đơn vị và ghi nhận báo cáo.",
    "dismissed": "Đã đánh dấu thư không phải báo cáo.",
    "confirmed": "Đã xác nhận số liệu; số liệu được tính vào tổng hợp.",
    "accepted": "Đã nhận thư là báo cáo và xử lý lại. Biên nhận được gửi ở lần đọc thư tiếp theo.",
    "resent": "Đã đưa thư vào hàng chờ gửi lại; thư được gửi ở lần đọc thư tiếp theo.",
}


def overview_page(ctx: Ctx) -> Response:
    """GET /: progress, the last poll, the outbox, problems, district totals, every unit."""
    store = ctx.store
    # The roll-up of 1,000 units is most of the page's cost; it is rebuilt only when the
    # submissions, corrections or messages changed since it was last built.
    version = store.data_version()
    cached = ctx.console.cache.get("overview")
    if cached is not None and cached[0] == version:
        view = cached[1]
    else:
        rollup = current_rollup(ctx.cfg, store, ctx.now)
        view = overview(rollup, None, {}, store.corrected_units())
        ctx.console.cache["overview"] = (version, view)
    # The poll mark, the outbox and the unrelated count are cheap: read on every request.
    view = replace(
        view,
        last_poll=store.last_poll(),
        outbox_waiting=store.outbox_waiting(),
        given_up=len(given_up(store)),
        unrelated=store.count_unrelated(),
        now=ctx.now,
    )
    return ctx.page("overview.html.j2", view=view, tz=ctx.cfg.campaign.timezone, done=_done(ctx))


def unit_page(ctx: Ctx) -> Response:
    """GET /units/{code}: every submission of the unit in time order."""
    code = ctx.request.path_params["code"]
    unit = ctx.cfg.unit(code)
    if unit is None:
        raise StoreError(f"Không có đơn vị mã {code} trong danh sách.")
    form = load_form(ctx.cfg.campaign.form)
    fixes = ctx.store.corrections(code)
    views = []
    for sub in reversed(ctx.store.history(code)):  # history is newest first
        own = [f for f in fixes if f.submission_id == sub.id]
        receipt = ctx.store.receipt_of(sub.message_id)
        current = sub.superseded_by is None
        views.append(
            SubmissionView(
                submission=sub,
                message=ctx.store.message(sub.message_id),
                files=ctx.store.attachments_of(sub.message_id),
                receipt=receipt,
                receipt_text=receipt_text(receipt),
                original=table_rows(form, sub.values),
                corrected=table_rows(
                    form, corrected_values(sub.values, ((f.code, f.slot, f.new) for f in own))
                )
                if own and current
                else None,
                corrections=own,
                current=current,
            )
        )
    view = UnitPage(unit, views, correctable_fields(form))
    return ctx.page(
        "unit.html.j2",
        view=view,
        tz=ctx.cfg.campaign.timezone,
        done=_done(ctx),
        slot_vi=SLOT_VI,
        confidence_vi=CONFIDENCE_VI,
        narratives=list(reversed(ctx.store.narrative_history(code))),  # oldest first
        given_up=given_up_for_unit(ctx.store, code, {s.message.id for s in views}),
        kind_names=KIND_NAMES,
        resend_label=resend_label,
    )


def problems_page(ctx: Ctx) -> Response:
    """GET /problems: mail that needs a person, and reports "cần xác nhận", with actions."""
    problems = ctx.store.problems()
    names = {u.code: u for u in ctx.cfg.units}
    doubtful = [
        (names[s.unit_code], s)
        for s in ctx.store.latest_submissions()
        if s.unit_code in names and s.confidence == TO_CONFIRM
    ]
    return ctx.page(
        "problems.html.j2",
        problems=problems,
        doubtful=doubtful,
        actions=QUEUE_ACTIONS,
        kinds=PROBLEM_KIND_VI,
        units=ctx.cfg.units,
        tz=ctx.cfg.campaign.timezone,
        done=_done(ctx),
        given_up=given_up(ctx.store),
        kind_names=KIND_NAMES,
        resend_label=resend_label,
    )


def audit_page(ctx: Ctx) -> Response:
    """GET /audit: the newest recorded actions."""
    return ctx.page("audit.html.j2", rows=ctx.store.audit_rows(500), tz=ctx.cfg.campaign.timezone)


def receipt_text(receipt: OutboxRow | None) -> str:
    """The plain-text body of a queued receipt ('' when there is none)."""
    if receipt is None:
        return ""
    msg = BytesParser(policy=policy.default).parsebytes(receipt.raw)
    body = msg.get_body(preferencelist=("plain",))
    return body.get_content() if body is not None else ""


def _done(ctx: Ctx) -> str | None:
    return DONE_VI.get(ctx.request.query_params.get("done", ""))

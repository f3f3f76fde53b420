"""The console's Starlette app: routes, and the start-up that migrates and seeds `admin`.

Owns the URL map and nothing else: pages, actions, downloads and login live in their modules.
`GET /healthz` answers without a login; every other page needs one.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Route

from mailbot.config import Config
from mailbot.runtime.wiring import open_store, system_clock
from mailbot.web import actions, downloads, login, pages
from mailbot.web.session import Console, page


async def healthz(request: Request) -> Response:
    """GET /healthz: 200 while the server answers (for monitoring; no login)."""
    return PlainTextResponse("ok")


def create_app(
    cfg: Config,
    config_path: Path | None = None,
    clock: Callable[[], datetime] = system_clock,
) -> Starlette:
    """The console for this config; the database is migrated and `admin` seeded here."""
    console = Console(cfg, config_path, clock)
    with open_store(cfg) as store:  # migrations run once, here, not on every request
        login.bootstrap_admin(console, store)
    routes = [
        Route("/healthz", healthz),
        Route("/login", login.login_page, methods=["GET"]),
        Route("/login", login.login, methods=["POST"]),
        Route("/logout", login.logout, methods=["POST"]),
        Route("/", page(pages.overview_page)),
        Route("/units/{code}", page(pages.unit_page)),
        Route("/units/{code}/correct", page(actions.correct), methods=["POST"]),
        Route("/units/{code}/confirm", page(actions.confirm), methods=["POST"]),
        Route("/problems", page(pages.problems_page)),
        Route("/problems/{message_id:int}/reprocess", page(actions.reprocess), methods=["POST"]),
        Route("/problems/{message_id:int}/assign", page(actions.assign), methods=["POST"]),
        Route("/problems/{message_id:int}/dismiss", page(actions.dismiss), methods=["POST"]),
        Route("/files/{file_id:int}", page(downloads.file_download)),
        Route("/messages/{message_id:int}.eml", page(downloads.mail_download)),
        Route("/downloads", page(downloads.downloads_page)),
        Route("/downloads/tong-hop.xlsx", page(downloads.workbook_download)),
        Route("/downloads/tong-hop.html", page(downloads.summary_download)),
        Route("/downloads/bao-cao-tong-ket.docx", page(downloads.report_download)),
        Route("/audit", page(pages.audit_page)),
    ]
    app = Starlette(routes=routes)
    app.state.console = console
    return app

"""Serving the console with uvicorn: the bind rule, TLS, and a background thread for the daemon.

Owns the listening socket only. A non-loopback address is refused unless TLS is configured
or `[web] allow_plain_http_on_lan = true` (config.web.check_bind).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

import uvicorn

from mailbot.config import Config
from mailbot.config.web import check_bind
from mailbot.runtime.wiring import system_clock
from mailbot.web.app import create_app

log = logging.getLogger(__name__)


def make_server(
    cfg: Config,
    config_path: Path | None,
    host: str,
    port: int,
    clock: Callable[[], datetime] = system_clock,
) -> uvicorn.Server:
    """A uvicorn server for the console on host:port (refused per the bind rule)."""
    check_bind(cfg.web, host, "--host" if host != cfg.web.host else "web.host")
    web = cfg.web
    config = uvicorn.Config(
        create_app(cfg, config_path, clock),
        host=host,
        port=port,
        log_level="warning",
        access_log=False,
        ssl_certfile=str(web.tls_cert_file) if web.tls_cert_file else None,
        ssl_keyfile=str(web.tls_key_file) if web.tls_key_file else None,
        # Proxy headers are trusted only from this machine (a TLS proxy on 127.0.0.1).
        forwarded_allow_ips="127.0.0.1",
    )
    return uvicorn.Server(config)


def serve(cfg: Config, config_path: Path | None, host: str, port: int) -> None:
    """Serve the console until SIGINT/SIGTERM."""
    server = make_server(cfg, config_path, host, port)
    scheme = "https" if cfg.web.tls else "http"
    print(f"mailbot: bảng điều khiển tại {scheme}://{host}:{port}/", flush=True)
    server.run()


def serve_beside(cfg: Config, config_path: Path | None) -> Callable[[], None]:
    """Start the console in a thread (for `mailbot run`); returns the function that stops it."""
    server = make_server(cfg, config_path, cfg.web.host, cfg.web.port)
    thread = threading.Thread(target=server.run, name="mailbot-web", daemon=True)
    thread.start()
    log.info("console on %s:%s", cfg.web.host, cfg.web.port)

    def stop() -> None:
        server.should_exit = True
        thread.join(10)

    return stop

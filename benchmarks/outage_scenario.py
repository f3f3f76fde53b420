"""Issue 13's outage, measured once: N reports, SMTP stopped mid-batch in the first poll, down
for one more poll, back a minute after it; how many receipts does the next poll send?

Run from the repo root as root (the test Dovecot): `.venv/bin/python -m benchmarks.outage_scenario
[--reports 200] [--stop-after 37]`. Real Dovecot and aiosmtpd on 127.0.0.1; prints one line
per poll and the end state of the outbox. Not part of `make bench`.
"""

from __future__ import annotations

import argparse
import os
import tempfile
from collections import Counter
from pathlib import Path

from mailbot.ingest.poll import poll
from mailbot.runtime.wiring import open_archive, poll_settings
from mailbot.sending.mailer import SmtpMailer
from tests.support.mailshapes import report_email
from tests.support.pipeline_env import PipelineEnv, file_bytes, report_file
from tests.support.servers import SmtpServer, start_dovecot


class StopsServerAfter(SmtpMailer):
    """A real SMTP mailer that stops its server once the server accepted `after` mails."""

    def __init__(self, server: SmtpServer, after: int) -> None:
        super().__init__(server.host, server.port, "none", timeout_s=10)
        self.server, self.left = server, after

    def send_bytes(self, raw: bytes) -> None:
        """Send, then stop the server after the `after`-th acceptance."""
        super().send_bytes(raw)
        self.left -= 1
        if self.left == 0:
            self.server.stop()


def main() -> None:
    """Run the scenario and print what each poll sent."""
    args = argparse.ArgumentParser()
    args.add_argument("--reports", type=int, default=200)
    args.add_argument("--stop-after", type=int, default=37)
    opts = args.parse_args()
    dovecot = start_dovecot(Path(tempfile.mkdtemp(prefix="mailbot-dovecot-", dir="/tmp")))
    smtp = SmtpServer()
    smtp.start()
    try:
        os.environ["MAILBOT_TEST_IMAP_PASSWORD"] = dovecot.password
        env = PipelineEnv(dovecot, smtp, Path(tempfile.mkdtemp(prefix="mailbot-outage-")))
        env.overrides = {
            "smtp": {"per_minute": 1000, "max_receipts_per_sender_per_day": 1000},
            "mailbox": {"batch_size": 50},
        }
        data = file_bytes(report_file("mg", "xlsx", unit_index=0))
        sender = "ubnd.muonggiang@example.test"
        dovecot.append_many(
            "INBOX",
            [
                report_email(sender, attachments=[("bc.xlsx", data)], message_id=f"<r{i}@t>")
                for i in range(opts.reports)
            ],
        )
        cfg = env.config

        def one_poll(mailer: SmtpMailer, label: str) -> None:
            with env.store() as store:
                report = poll(
                    env.source(), store, mailer, open_archive(cfg), poll_settings(cfg), env.clock
                )
            print(f"{label}: booked {report.counts['booked']}, sent {report.counts['sent']}")

        one_poll(StopsServerAfter(smtp, opts.stop_after), "poll 1 (SMTP dies mid-batch)")
        env.clock.advance(minutes=5)
        one_poll(env.mailer(), "poll 2 (SMTP still down)")
        smtp.start()
        env.clock.advance(minutes=1)
        one_poll(env.mailer(), "poll 3 (SMTP back a minute ago)")
        answered = Counter(str(m["In-Reply-To"]) for m in env.receipts())
        with env.store() as store:
            rows = Counter(
                (status, attempts)
                for status, attempts in store.conn.execute("SELECT status, attempts FROM outbox")
            )
        print(
            f"receipts received {len(smtp.messages)} for {len(answered)} reports "
            f"(most to one report: {max(answered.values())}); "
            f"outbox (status, attempts): {dict(rows)}"
        )
    finally:
        smtp.stop()
        dovecot.stop()


if __name__ == "__main__":
    main()

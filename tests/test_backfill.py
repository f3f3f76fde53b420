"""`mailbot backfill`: mail already in the mailbox is booked once, with progress, since a date.

Real Dovecot and aiosmtpd; the CLI runs in-process on a TOML config file.
"""

from __future__ import annotations

import io
import os
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from mailbot.cli.mailbox_commands import ProgressPrinter, progress_line
from mailbot.cli.main import main
from mailbot.ingest.backfill import Progress
from tests.support.config_files import write_config
from tests.support.mailshapes import report_email
from tests.support.pipeline_env import PipelineEnv, config_mapping, file_bytes, report_file
from tests.support.servers import NOBODY, Dovecot, SmtpServer, raw_message

pytestmark = pytest.mark.servers

SINCE = "2021-10-01"
IN_RANGE = datetime(2021, 10, 5, 2, 0, tzinfo=UTC)
BEFORE = datetime(2021, 9, 20, 2, 0, tzinfo=UTC)
REPORTERS = [  # (sender, formgen unit index, unit code)
    ("ubnd.muonggiang@example.test", 0, "xa-muong-giang"),
    ("vanthu.chiengkhay@example.test", 2, "xa-chieng-khay"),
    ("thcs.muonggiang@example.org", 13, "thcs-muong-giang"),
]


@pytest.fixture
def env(dovecot: Dovecot, smtp_server: SmtpServer, tmp_path: Path) -> PipelineEnv:
    """The pipeline wired to fresh servers and an empty database."""
    os.environ["MAILBOT_TEST_IMAP_PASSWORD"] = dovecot.password
    return PipelineEnv(dovecot, smtp_server, tmp_path)


def config_file(env: PipelineEnv) -> Path:
    """The env's config as a TOML file (batches of 100 for the big mailbox)."""
    data = config_mapping(env.dovecot, env.smtp, env.tmp)
    data["mailbox"]["batch_size"] = 100
    return write_config(env.tmp / "mailbot.toml", data)


def reports() -> list[bytes]:
    """Three real reports from roster units."""
    out = []
    for sender, index, code in REPORTERS:
        form = report_file(f"bf-{code}", "xlsx", unit_index=index)
        raw = report_email(
            sender,
            attachments=[("bc.xlsx", file_bytes(form))],
            message_id=f"<bf-{code}@example.test>",
        )
        out.append(raw)
    return out


def fill(dovecot: Dovecot, tiny: int, old: int) -> None:
    """`old` mails before SINCE, then `tiny` small mails and the three reports after it.

    Written into the Maildir as a delivery agent does (file mtime = arrival): 1,000 IMAP
    APPENDs would take 16 s here, each one synced to disk.
    """
    mails = [(raw_message(100_000 + n), BEFORE) for n in range(old)]
    mails += [(raw_message(n), IN_RANGE + timedelta(seconds=n)) for n in range(tiny)]
    mails += [(raw, IN_RANGE + timedelta(hours=1)) for raw in reports()]
    with dovecot.client() as client:
        client.select_folder("INBOX")  # Dovecot creates cur/, new/ and tmp/
    new = dovecot.maildir / "new"
    for n, (raw, when) in enumerate(mails):
        path = new / f"{int(when.timestamp())}.M{n}P1.mailbot-test"
        path.write_bytes(raw)
        os.chown(path, NOBODY, NOBODY)
        os.utime(path, (when.timestamp(), when.timestamp()))


def table(env: PipelineEnv, sql: str) -> list[tuple]:
    """Rows of a query on the env's database."""
    with env.store() as store:
        return [tuple(r) for r in store.conn.execute(sql).fetchall()]


def test_backfill_of_1000_messages_books_each_once_with_progress(
    env: PipelineEnv, capsys: pytest.CaptureFixture[str]
) -> None:
    """1,000 small mails and 3 reports since the date are booked once; older mail is left."""
    fill(env.dovecot, tiny=1000, old=5)
    cfg = config_file(env)
    start = time.monotonic()
    code = main(["backfill", "-c", str(cfg), "--since", SINCE, "--no-receipts"])
    elapsed = time.monotonic() - start
    out = capsys.readouterr().out
    progress = [line for line in out.splitlines() if line.startswith("backfill: ")]
    print(f"backfill of 1,003 messages: {elapsed:.1f} s ({1003 / elapsed:.0f} msg/s)")
    assert code == 0
    assert len(progress) == 11 and progress[-1].startswith("backfill: 1003/1003 100%")
    assert all("thư/s" in line and "còn " in line for line in progress)
    assert table(env, "SELECT COUNT(*), COUNT(DISTINCT source_key) FROM messages") == [(1003, 1003)]
    assert table(env, "SELECT COUNT(*) FROM messages WHERE status = 'processing'") == [(0,)]
    assert table(env, "SELECT unit_code FROM submissions ORDER BY unit_code") == sorted(
        (code,) for _, _, code in REPORTERS
    )
    assert table(env, "SELECT COUNT(*) FROM outbox") == [(0,)]
    assert len(env.smtp.messages) == 0


def test_second_backfill_and_next_poll_book_nothing_again(
    env: PipelineEnv, capsys: pytest.CaptureFixture[str]
) -> None:
    """Backfilling twice, then polling, adds no row: the poll starts after the backfilled mail."""
    fill(env.dovecot, tiny=20, old=3)
    cfg = config_file(env)
    main(["backfill", "-c", str(cfg), "--since", SINCE, "--no-receipts"])
    first = table(env, "SELECT id, source_key, status FROM messages ORDER BY id")
    capsys.readouterr()
    assert main(["backfill", "-c", str(cfg), "--since", SINCE, "--no-receipts"]) == 0
    assert "backfill done: nothing new" in capsys.readouterr().out
    assert main(["poll", "-c", str(cfg)]) == 0
    assert table(env, "SELECT id, source_key, status FROM messages ORDER BY id") == first
    assert len(first) == 23


def test_backfill_with_receipts_answers_each_report_once(
    env: PipelineEnv, capsys: pytest.CaptureFixture[str]
) -> None:
    """Without --no-receipts every backfilled report gets its receipt, and only one."""
    fill(env.dovecot, tiny=0, old=0)
    cfg = config_file(env)
    main(["backfill", "-c", str(cfg), "--since", SINCE])
    main(["backfill", "-c", str(cfg), "--since", SINCE])
    assert sorted(m.rcpt_tos for m in env.smtp.messages) == sorted((s,) for s, _, _ in REPORTERS)


def test_terminal_progress_is_one_redrawn_line() -> None:
    """On a terminal the bar is redrawn in place (\\r) and the line ends once at the finish."""
    out = io.StringIO()
    printer = ProgressPrinter(out, tty=True, min_interval_s=0)
    clock = iter(float(t) for t in range(100))
    progress = Progress(total=4, started=0.0, monotonic=lambda: next(clock))
    for done in range(5):
        progress.done = done
        printer(progress)
    printer.finish()
    text = out.getvalue()
    assert text.count("\r") == 5 and text.endswith("\n") and text.count("\n") == 1
    assert "[" + "#" * 30 + "] 4/4 100%" in text


def test_progress_line_shows_count_rate_and_time_left() -> None:
    """500 of 1,000 after 4 s: 125 per second, 4 s left."""
    progress = Progress(total=1000, done=500, started=0.0, monotonic=lambda: 4.0)
    assert progress_line(progress, bar=False) == "backfill: 500/1000  50%  125.0 thư/s  còn 0:04"

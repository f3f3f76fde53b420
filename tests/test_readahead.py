"""Reading mail ahead: the parse helper process, the parse lookup, the header block."""

from __future__ import annotations

import hashlib
import os
from datetime import UTC, datetime
from email import policy
from email.parser import BytesHeaderParser

from hypothesis import given
from hypothesis import strategies as st

from mailbot.forms import load_form
from mailbot.ingest.decision import IntakeSettings, parse_headers, read_mail
from mailbot.ingest.readahead import Fetched, ParsedFiles, ParseHelper, wanted_files
from mailbot.parsing.model import ParseResult
from tests.support.mailshapes import report_email

WHEN = datetime(2021, 10, 12, 3, 0, tzinfo=UTC)


def named(items: list[tuple[bytes, str]]) -> list[ParseResult]:
    """A stand-in for the guarded parser: ok, with the file's size as its one value."""
    return [
        ParseResult(file=name, ok=True, form="f", values={"A1": {"so_luong": len(data)}})
        for data, name in items
    ]


def test_the_helper_answers_each_group_in_order_from_one_process() -> None:
    """Two groups through one helper come back in input order, with exact values."""
    with ParseHelper(named, timeout_s=5) as helper:
        assert helper.submit([(b"abc", "a.xlsx"), (b"de", "b.docx")])
        first_pid = helper.pid
        first = helper.results()
        assert helper.submit([(b"f", "c.xlsx")])
        assert helper.pid == first_pid
        second = helper.results()
    assert [(r.file, r.values) for r in first or []] == [
        ("a.xlsx", {"A1": {"so_luong": 3}}),
        ("b.docx", {"A1": {"so_luong": 2}}),
    ]
    assert [(r.file, r.values) for r in second or []] == [("c.xlsx", {"A1": {"so_luong": 1}})]


def test_a_helper_that_dies_gives_no_answer_and_leaves_no_process() -> None:
    """A helper killed mid-group answers None; its process is reaped, not left behind."""

    def die(items: list[tuple[bytes, str]]) -> list[ParseResult]:
        os._exit(3)

    helper = ParseHelper(die, timeout_s=5)
    assert helper.submit([(b"x", "a.xlsx")])
    pid = helper.pid
    assert helper.results() is None
    assert helper.pid == 0
    try:
        os.waitpid(pid, os.WNOHANG)
        reaped = False
    except ChildProcessError:
        reaped = True
    assert reaped


def test_parsed_files_answer_from_the_table_and_parse_the_rest() -> None:
    """A file parsed ahead is looked up by bytes and name; any other goes to the fallback."""
    calls: list[str] = []

    def fallback(data: bytes, name: str) -> ParseResult:
        calls.append(name)
        return named([(data, name)])[0]

    [ahead] = named([(b"abc", "a.xlsx")])
    parse = ParsedFiles({(hashlib.sha256(b"abc").hexdigest(), "a.xlsx"): ahead}, fallback)
    assert parse(b"abc", "a.xlsx") is ahead
    parse(b"abc", "renamed.xlsx")
    assert calls == ["renamed.xlsx"]


def test_a_file_sent_twice_in_a_group_is_parsed_once() -> None:
    """Two mails with the same attachment ask for one parse; a PDF scan asks for none."""
    form = b"PK\x03\x04 same bytes"
    scan = b"%PDF-1.4\n" + bytes(range(256)) * 8
    mails = [
        report_email(f"unit{i}@example.test", attachments=[("bc.xlsx", form), ("ky.pdf", scan)])
        for i in range(2)
    ]
    group = [Fetched(f"k{i}", raw, WHEN, read=read_mail(raw)) for i, raw in enumerate(mails)]
    settings = IntakeSettings(
        form=load_form(),
        units=(),
        campaign_name="Tuần lễ học tập suốt đời 2021",
        office_name="Phòng GD&ĐT",
        deadline=WHEN,
        from_addr="phonggd@example.test",
        from_name="Phòng GD&ĐT",
    )
    assert [name for _, name in wanted_files(group, settings).values()] == ["bc.xlsx"]


header_lines = st.lists(
    st.tuples(
        st.sampled_from(["From", "To", "Subject", "X-Note", "Message-ID", "Content-Type"]),
        st.text(st.characters(min_codepoint=32, max_codepoint=126), max_size=40),
    ),
    min_size=1,
    max_size=8,
)


@given(header_lines, st.binary(max_size=200), st.sampled_from([b"\r\n", b"\n"]))
def test_the_header_block_parses_as_the_whole_message_headers(
    headers: list[tuple[str, str]], body: bytes, eol: bytes
) -> None:
    """Parsing only the header block gives the same headers as parsing the whole mail."""
    raw = b"".join(f"{k}: {v}".encode() + eol for k, v in headers) + eol + body
    whole = BytesHeaderParser(policy=policy.default).parsebytes(raw)
    # Raw values: what every reader starts from (str() of a junk address can raise).
    assert list(parse_headers(raw).raw_items()) == list(whole.raw_items())

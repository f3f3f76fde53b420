"""Mutated workbooks and documents never crash the readers and stay bounded in time."""

from __future__ import annotations

import io
import os
import time
import zipfile

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mailbot.errors import ParseError
from mailbot.parsing.readers import read_document
from tests.support.office_builders import docx_bytes, p, tbl, tc, tr, xlsx_bytes

XLSX = xlsx_bytes(
    {"Biểu": [["STT", "Các hoạt động", "Số lớp", "Người"], [1, "Xóa mù chữ", 2, 45]]},
    merges={"Biểu": ["A1:A1"]},
)
DOCX = docx_bytes(p("UBND xã Nậm Ét") + tbl(tr(tc("1"), tc("Xóa mù chữ", span=2)), tr(tc("2"))))
SEEDS = {"x.xlsx": XLSX, "d.docx": DOCX}


def flip_bits(data: bytes, positions: list[int]) -> bytes:
    """`data` with one bit flipped at each position (taken modulo the length)."""
    out = bytearray(data)
    for pos in positions:
        out[pos % len(out)] ^= 1 << (pos % 8)
    return bytes(out)


def replace_member(data: bytes, index: int, junk: bytes) -> bytes:
    """`data` with one zip member's content replaced by `junk`."""
    src = zipfile.ZipFile(io.BytesIO(data))
    infos = src.infolist()
    target = infos[index % len(infos)].filename
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as out:
        for info in infos:
            out.writestr(info.filename, junk if info.filename == target else src.read(info))
    return buf.getvalue()


def mutations() -> st.SearchStrategy[tuple[str, bytes]]:
    """Bit flips, truncations and member replacements of the two seed files."""
    name = st.sampled_from(sorted(SEEDS))
    flips = st.builds(
        lambda n, pos: (n, flip_bits(SEEDS[n], pos)),
        name,
        st.lists(st.integers(0, 1 << 20), min_size=1, max_size=8),
    )
    cuts = st.builds(lambda n, k: (n, SEEDS[n][: k % len(SEEDS[n])]), name, st.integers(0, 1 << 20))
    members = st.builds(
        lambda n, i, junk: (n, replace_member(SEEDS[n], i, junk)),
        name,
        st.integers(0, 50),
        st.binary(max_size=300) | st.sampled_from([b"<x>", b"<?xml version='1.0'?><a/>", b""]),
    )
    return st.one_of(flips, cuts, members)


@settings(
    max_examples=int(os.environ.get("FUZZ_EXAMPLES", "80")),
    deadline=5000,
    suppress_health_check=[HealthCheck.too_slow],
    derandomize=True,
)
@given(mutations())
def test_mutated_files_give_a_document_or_a_parse_error(sample: tuple[str, bytes]) -> None:
    """A damaged file yields a Document or a ParseError with a reason, never another exception."""
    name, data = sample
    started = time.monotonic()
    try:
        read_document(data, name)
    except ParseError as exc:
        assert exc.reason.startswith(("Tệp", "Không"))
    assert time.monotonic() - started < 3

"""`mailbot parse`: JSON lines or a readable table, exit codes, never a traceback."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from mailbot.cli.main import main
from tests.formgen import build, expected, make_variant


@pytest.fixture
def report(tmp_path: Path) -> tuple[Path, dict]:
    """A filled Appendix 2 workbook on disk, with the values a correct parse returns."""
    variant = make_variant("cli-report", "xlsx", ("merged_header",), unit_index=0, blank=0.1)
    path = tmp_path / "bao-cao.xlsx"
    path.write_bytes(build(variant))
    return path, expected(variant).values


def test_json_mode_prints_one_object_per_file(
    report: tuple[Path, dict], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """--json prints one JSON line per file, in argument order, values as the form says."""
    path, values = report
    scan = tmp_path / "scan.pdf"
    scan.write_bytes(b"%PDF-1.4\n...")
    assert main(["parse", "--json", str(path), str(scan)]) == 0
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [(d["file"], d["ok"]) for d in lines] == [("bao-cao.xlsx", True), ("scan.pdf", False)]
    assert lines[0]["values"] == values
    assert "PDF" in lines[1]["errors"][0]


def test_exit_code_is_one_when_no_file_could_be_read(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Only unreadable files (missing, empty) gives exit 1 and a reason for each, no traceback."""
    empty = tmp_path / "rong.xlsx"
    empty.write_bytes(b"")
    assert main(["parse", str(empty), str(tmp_path / "khong-co.xlsx")]) == 1
    out, err = capsys.readouterr()
    assert "rỗng" in out and "Không tìm thấy tệp" in out and "Traceback" not in out + err


def test_usage_error_exits_two(capsys: pytest.CaptureFixture[str]) -> None:
    """`mailbot parse` without files is a usage error (exit 2)."""
    assert main(["parse"]) == 2
    assert "usage" in capsys.readouterr().err


def test_readable_mode_shows_labels_values_and_unit(
    report: tuple[Path, dict], capsys: pytest.CaptureFixture[str]
) -> None:
    """Without --json each file gets a block with its unit, the form's labels and values."""
    path, values = report
    assert main(["parse", str(path)]) == 0
    out = capsys.readouterr().out
    assert out.startswith("== bao-cao.xlsx: đọc được")
    assert "Xóa mù chữ" in out and "Số lớp/số cuộc thi" in out
    count = values["1"]["count"]
    row = next(line for line in out.splitlines() if line.split()[:1] == ["1"])
    assert (f"{count:,}".replace(",", ".") if count is not None else "·") in row.split()

"""Writes the demo's sample Maildir (mailbot/samples/maildir) from the data below.

python -m tests.support.make_demo_maildir [DIR]

Twelve realistic messages to the office: reports from several units and mail clients, a
corrected resubmission, a late report, a consistency warning, a signed PDF only, an
auto-reply, an unknown address naming a roster unit, a corrupt file and a Google Drive link.
The delivery time of each message is the leading number of its file name (what Maildir
writers do); the demo sets each copy's mtime from it, since git does not keep mtimes.
Test-only code: it builds bytes with tests/mailshapes and tests/formgen and writes files.
"""

from __future__ import annotations

import argparse
import io
import shutil
import sys
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path

from tests.formgen import Variant, build, make_variant
from tests.formgen.__main__ import samples
from tests.support.mailshapes import auto_reply, report_email

ICT = timezone(timedelta(hours=7))
OFFICE = "phonggd.quynhnhai@example.org"
TARGET = Path(__file__).resolve().parents[2] / "mailbot" / "samples" / "maildir"
SUBJECT = "Báo cáo Tuần lễ hưởng ứng học tập suốt đời năm 2021"
BODY = "Kính gửi Phòng GD&ĐT huyện Quỳnh Nhai,\n{who} gửi báo cáo theo Phụ lục 2.\nTrân trọng."
DRIVE = "https://drive.google.com/file/d/1Qx7demoPL2ChiengOn/view?usp=sharing"


def _sample_variant(name: str) -> Variant:
    return next(v for v in samples() if v.name == name)


def _new_variant(name: str, unit_index: int, **kw: object) -> Variant:
    return make_variant(name, "xlsx", unit_index=unit_index, blank=0.1, **kw)


def current_reports() -> dict[str, Variant]:
    """The form each unit's current submission comes from, by roster code (the demo's)."""
    return {
        "xa-muong-giang": _sample_variant("bao-cao-ubnd-xa-muong-giang"),
        "th-chieng-bang": _sample_variant("bao-cao-truong-th-chieng-bang"),
        "ptdtbt-thcs-nam-et": _sample_variant("bao-cao-ptdtbt-thcs-nam-et"),
        "thcs-muong-giang": _new_variant("bao-cao-thcs-muong-giang", 13, header_style="two_column"),
        "xa-muong-sai": _sample_variant("bao-cao-ubnd-xa-muong-sai"),
        "xa-chieng-khay": _new_variant("bao-cao-ubnd-xa-chieng-khay-da-sua", 2),
        "mn-ca-nang": _sample_variant("bao-cao-mn-ca-nang"),
    }


def _file(unit_code: str) -> Callable[[], bytes]:
    """The bytes of a unit's current form, as its mail client attaches them."""

    def make() -> bytes:
        variant = current_reports()[unit_code]
        return _deflated(build(variant)) if variant.kind == "docx" else build(variant)

    return make


def _sample(name: str) -> bytes:
    """A demo sample report, generated from the formgen catalogue."""
    variant = _sample_variant(name)
    return _deflated(build(variant)) if variant.kind == "docx" else build(variant)


def _deflated(data: bytes) -> bytes:
    """The same package compressed as Word saves it (python-docx's template is stored raw)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            copy = zipfile.ZipInfo(info.filename, info.date_time)
            copy.compress_type = zipfile.ZIP_DEFLATED
            copy.external_attr = info.external_attr
            dst.writestr(copy, src.read(info))
    return out.getvalue()


def _corrupt() -> bytes:
    """An .xlsx cut off halfway, as a broken upload or a full disk leaves it."""
    data = build(_new_variant("bao-cao-ubnd-xa-muong-chien", 5))
    return data[: len(data) // 2]


def _signed_pdf() -> bytes:
    """A small one-page PDF standing in for a scanned, signed and stamped copy."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>",
        b"<< /Length 44 >>\nstream\nBT /F1 12 Tf 72 770 Td (Ban ky) Tj ET\nendstream",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


@dataclass(frozen=True)
class Sample:
    """One message of the sample Maildir: when it arrived and how to build it."""

    slug: str
    arrived: datetime
    build: Callable[[datetime], bytes]
    seen: bool = False  # a person already opened it in the web mail


def _report(
    sender: str,
    who: str,
    files: list[tuple[str, Callable[[], bytes]]],
    **kw: object,
) -> Callable[[datetime], bytes]:
    def make(date: datetime) -> bytes:
        opts = dict(kw)
        attachments = [(name, data()) for name, data in files]
        body = str(opts.pop("body", BODY.format(who=who)))
        subject = str(opts.pop("subject", SUBJECT))
        return report_email(
            sender,
            OFFICE,
            subject,
            attachments,
            body=body,
            date=date,
            **opts,  # type: ignore[arg-type]
        )

    return make


def _at(day: int, hour: int, minute: int) -> datetime:
    return datetime(2021, 10, day, hour, minute, tzinfo=ICT)


MESSAGES = (
    Sample(
        "gmail-xlsx-muong-giang",
        _at(11, 9, 12),
        _report(
            "ubnd.muonggiang@example.org",
            "UBND xã Mường Giàng",
            [("Bao cao PL2 - UBND xa Muong Giang.xlsx",
              _file("xa-muong-giang"))],
            from_name="Văn phòng UBND xã Mường Giàng",
        ),
        seen=True,
    ),
    Sample(
        "outlook-winmail-chieng-bang",
        _at(12, 10, 40),
        _report(
            "th.chiengbang@example.test",
            "Trường Tiểu học Chiềng Bằng",
            [("Báo cáo Phụ lục 2 - TH Chiềng Bằng.docx",
              _file("th-chieng-bang"))],
            client="outlook-tnef",
            from_name="Trường TH Chiềng Bằng",
        ),
    ),
    Sample(
        "thunderbird-2231-nam-et",
        _at(12, 15, 5),
        _report(
            "ptdtbt.thcsnamet@example.test",
            "Trường PTDTBT THCS Nậm Ét",
            [("Báo cáo kết quả Tuần lễ hưởng ứng học tập suốt đời - Phụ lục 2 - "
              "Trường PTDTBT THCS Nậm Ét.docx",
              _file("ptdtbt-thcs-nam-et"))],
            client="thunderbird",
        ),
    ),
    Sample(
        "phone-xlsx-chieng-khay",
        _at(13, 7, 58),
        _report(
            "ubnd.chiengkhay@example.org",
            "UBND xã Chiềng Khay",
            [("Phụ lục 2 Chiềng Khay.xlsx", lambda: _sample("bao-cao-ubnd-xa-chieng-khay"))],
            client="phone",
            body="Gửi phòng báo cáo phụ lục 2 ạ",
        ),
        seen=True,
    ),
    Sample(
        "gmail-pdf-only-chieng-on",
        _at(13, 14, 20),
        _report(
            "ubnd.chiengon@example.org",
            "UBND xã Chiềng Ơn",
            [("Bao cao PL2 Chieng On (ban ky).pdf", _signed_pdf)],
        ),
    ),
    Sample(
        "auto-reply-muong-gion",
        _at(13, 16, 2),
        lambda date: auto_reply("ubnd.muonggion@example.org", OFFICE, SUBJECT),
    ),
    Sample(
        "unknown-address-thcs-muong-giang",
        _at(14, 8, 31),
        _report(
            "giaovien.thcsmg@example.net",
            "Trường THCS Mường Giàng",
            [("PL2_THCS_MG.xlsx",
              _file("thcs-muong-giang"))],
            from_name="Giáo viên THCS Mường Giàng",
        ),
    ),
    Sample(
        "outlook-corrupt-muong-chien",
        _at(14, 9, 47),
        _report(
            "ubnd.muongchien@example.org",
            "UBND xã Mường Chiên",
            [("Bao cao phu luc 2 - Muong Chien.xlsx", _corrupt)],
            client="outlook",
        ),
    ),
    Sample(
        "gmail-drive-link-chieng-on",
        _at(14, 11, 15),
        _report(
            "ubnd.chiengon@example.org",
            "UBND xã Chiềng Ơn",
            [],
            links=[DRIVE],
            subject="Re: " + SUBJECT,
            body="Tệp lớn quá nên xã gửi đường dẫn Google Drive, mong Phòng tải về giúp.",
        ),
    ),
    Sample(
        "apple-warning-muong-sai",
        _at(15, 16, 45),
        _report(
            "ubnd.muongsai@example.org",
            "UBND xã Mường Sại",
            [("Bao cao PL2 Muong Sai.docx", _file("xa-muong-sai"))],
            client="apple",
        ),
    ),
    Sample(
        "gmail-correction-chieng-khay",
        _at(15, 17, 30),
        _report(
            "ubnd.chiengkhay@example.org",
            "UBND xã Chiềng Khay",
            [("Phụ lục 2 Chiềng Khay (đã sửa).xlsx",
              _file("xa-chieng-khay"))],
            subject="Gửi lại báo cáo Phụ lục 2 (đã sửa số liệu) - UBND xã Chiềng Khay",
            body="Xã gửi lại bản đã sửa số liệu mục 2, đề nghị Phòng dùng bản này.",
        ),
    ),
    Sample(
        "outlook-late-ca-nang",
        _at(16, 9, 5),
        _report(
            "mn.canang@example.test",
            "Trường Mầm non Cà Nàng",
            [("BC PL2 MN Ca Nang.xlsx", _file("mn-ca-nang"))],
            client="outlook",
            body="Kính gửi Phòng, trường xin lỗi vì nộp chậm. Trân trọng.",
        ),
    ),
)  # fmt: skip


def file_name(index: int, sample: Sample) -> str:
    """The Maildir file name: delivery time first, then a unique part, then flags if seen."""
    key = f"{int(sample.arrived.timestamp())}.M{index:06d}P1000.mx.example.org"
    return f"{key}:2,S" if sample.seen else key


def write(target: Path) -> list[Path]:
    """Write every sample message into a fresh Maildir at `target`."""
    if target.exists():
        shutil.rmtree(target)
    for sub in ("cur", "new", "tmp"):
        (target / sub).mkdir(parents=True)
    paths = []
    for index, sample in enumerate(MESSAGES, start=1):
        # Maildir files hold LF line ends, as Dovecot and Python's mailbox write them.
        raw = sample.build(sample.arrived).replace(b"\r\n", b"\n")
        path = target / ("cur" if sample.seen else "new") / file_name(index, sample)
        path.write_bytes(raw)
        paths.append(path)
    return paths


def main(argv: list[str] | None = None) -> int:
    """Entry point of `python -m tests.support.make_demo_maildir`."""
    parser = argparse.ArgumentParser(prog="python -m tests.support.make_demo_maildir")
    parser.add_argument("target", nargs="?", type=Path, default=TARGET)
    args = parser.parse_args(argv)
    paths = write(args.target)
    size = sum(p.stat().st_size for p in paths)
    print(f"{len(paths)} messages ({size // 1024} KiB) in {args.target}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

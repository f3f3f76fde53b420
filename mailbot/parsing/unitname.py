"""The reporting unit's name, read from a report's header block.

Owns recognising the unit line ("UBND XÃ CHIỀNG KHAY", "TRƯỜNG PTDTBT THCS NẬM ÉT",
"Đơn vị: Trường Tiểu học Chiềng Bằng") among the header lines, and telling it from the
superior body above it ("UBND HUYỆN QUỲNH NHAI", "PHÒNG GD&ĐT QUỲNH NHAI") and from the
national motto beside it; failing that, a unit named in a title line ("BÁO CÁO CỦA
TRƯỜNG MN CÀ NÀNG", "(Trường TH Mường Sại)"). The name is returned as written (NFC,
legacy fonts repaired, spaces collapsed, decorations stripped): casing is kept, since
clerks' capitals are how the unit writes its own name and the office recognises it.
"""

from __future__ import annotations

import re

from mailbot.parsing.normalize import fix_legacy, fold

__all__ = ["find_unit_name", "split_pieces"]

# Folded prefixes; "ubnd xa" and the like name a unit, "ubnd huyen" its superior.
_UNIT = (
    "ubnd xa", "ubnd thi tran", "ubnd phuong", "uy ban nhan dan xa", "uy ban nhan dan thi tran",
    "uy ban nhan dan phuong", "truong", "trung tam", "hoi khuyen hoc", "dang uy xa",
    "nha thieu nhi", "thu vien", "lien truong", "xa ", "mn ", "mam non", "tieu hoc", "thcs",
    "th thcs", "ptdtbt", "ptdt",
)  # fmt: skip
_SUPERIOR = (
    "ubnd huyen", "uy ban nhan dan huyen", "ubnd tinh", "uy ban nhan dan tinh", "phong giao duc",
    "phong gd", "so giao duc", "so gd", "huyen uy", "ubnd", "uy ban nhan dan",
)  # fmt: skip
# A unit type with its name on the next line ("TRƯỜNG MẦM NON" / "MƯỜNG GIÀNG").
_TYPE_ONLY = {
    "truong", "truong mam non", "truong mn", "truong tieu hoc", "truong th", "truong thcs",
    "truong ptdtbt thcs", "truong ptdtbt th", "truong ptdtbt tieu hoc", "truong th va thcs",
    "truong th thcs", "truong ptdtbt th va thcs", "uy ban nhan dan", "ubnd", "ubnd xa",
    "uy ban nhan dan xa", "trung tam",
}  # fmt: skip
_LABELLED = re.compile(r"^(ten don vi|don vi bao cao|don vi|ten truong|co quan|ten co quan)\b")
_NOT_UNIT = re.compile(
    r"^(cong hoa|doc lap|so\b|ngay\b|bao cao|ke hoach|phu luc|bieu|kinh gui|v v|ve viec|"
    r"don vi tinh|dvt|stt\b|tm\b|t m\b|nguoi lap|hieu truong|chu tich)"
)
_END_OF_HEADER = re.compile(r"^(bao cao|ke hoach|phu luc|bieu tong hop|so lieu|kinh gui|stt\b)")


def split_pieces(texts: list[str]) -> list[str]:
    """Header lines split at line breaks, tabs and wide gaps (a two-column header block)."""
    pieces: list[str] = []
    for text in texts:
        for piece in re.split(r"[\n\r\t\v]+| {3,}|\u00a0{2,}", text or ""):
            piece = fix_legacy(piece)
            piece = re.sub(r"\s+", " ", piece).strip()
            if piece:
                pieces.append(piece)
    return pieces


def _clean(name: str) -> str | None:
    name = re.sub(r"^[\s:.\-–—]+|[\s\-–—_*=.,;:]+$", "", name)
    if wrapped := re.fullmatch(r"\((.*)\)|\[(.*)\]", name):  # "(Trường TH Mường Sại)"
        name = wrapped.group(1) or wrapped.group(2) or ""
    name = re.sub(r"\s+", " ", name).strip()
    return name if fold(name) else None


def find_unit_name(*sources: list[str]) -> str | None:
    """The unit's name from header texts (each source in document order), or None.

    A unit line of a header block wins; else a unit named in a title ("BÁO CÁO CỦA
    TRƯỜNG MN CÀ NÀNG"); else the superior body of the header.
    """
    superior: str | None = None
    split: list[list[str]] = []
    for texts in sources:
        pieces = split_pieces(texts)
        split.append(pieces)
        found = _scan(pieces)
        if found[0]:
            return found[0]
        superior = superior or found[1]
    for pieces in split:
        if name := _from_title(pieces):
            return name
    return superior


# A title line: the report's or table's heading, which may name the unit it comes from.
_TITLE = re.compile(r"^(bao cao|bieu|phu luc|tong hop|ket qua|so lieu|danh sach)\b")
_OF = re.compile(r"\bcủa\b", re.IGNORECASE)
_PARENS = re.compile(r"\(([^()]*)\)")
# Where a unit's name ends inside a title sentence ("… của UBND xã X năm 2021 về …").
_NAME_END = re.compile(
    r"\s+(?:năm|về|trong|tổ chức|thực hiện|gửi|kèm|theo|tại|nhân dịp|đợt|tuần lễ|từ|ngày|"
    r"đến|nhằm|như sau)\b|[,;:()\[\]]|\s[-–—]\s",
    re.IGNORECASE,
)


def _from_title(pieces: list[str]) -> str | None:
    """A unit named in a title line: after "của", or alone in brackets; else None."""
    for piece in pieces[:80]:
        title = bool(_TITLE.match(fold(piece)))
        wrapped = piece.startswith("(") and piece.rstrip(".").endswith(")")
        if not (title or wrapped):
            continue
        candidates = [m.group(1) for m in _PARENS.finditer(piece)]
        candidates += [piece[m.end() :] for m in _OF.finditer(piece)] if title else []
        for text in candidates:
            if of := list(_OF.finditer(text)):  # "(Kèm theo báo cáo của Trường …)"
                text = text[of[-1].end() :]
            name = _clean(_NAME_END.split(text, maxsplit=1)[0])
            if name and _names_unit(fold(name)):
                return name
    return None


def _names_unit(f: str) -> bool:
    """True for a folded name of a unit itself, not a bare type word or a superior body."""
    if f in _TYPE_ONLY or not f.startswith(_UNIT):
        return False
    return len(f.split()) >= 2


def _after(piece: str, label: str) -> str:
    return " ".join(piece.split()[len(label.split()) :])


def _scan(pieces: list[str]) -> tuple[str | None, str | None]:
    """(unit line, superior line) among the pieces of one source's header zone."""
    superior: str | None = None
    past_title = False  # below the title only a labelled line ("Đơn vị: …") names the unit
    for i, piece in enumerate(pieces[:60]):
        f = fold(piece)
        nxt = pieces[i + 1] if i + 1 < len(pieces) else ""
        labelled = _LABELLED.match(f)
        if (
            labelled
            and not f.startswith("don vi tinh")
            and (
                ":" in piece
                or f == labelled.group(0)
                or fold(_after(piece, labelled.group(0))).startswith(_UNIT)
            )
        ):
            rest = re.sub(r"^[^:]*:", "", piece) if ":" in piece else ""
            rest = rest or (nxt if ":" in piece or f == labelled.group(0) else "")
            if ":" not in piece and not rest:
                rest = _after(piece, labelled.group(0))
            # Below the title the line must name a unit itself ("Đơn vị: Trường TH …"), not
            # the office compiling ("Đơn vị: Phòng GD&ĐT (tổng hợp …)").
            name = _clean(rest)
            if past_title and name and not _names_unit(fold(name)):
                name = None
            if name and not _NOT_UNIT.match(fold(name)):
                return name, superior
            continue
        if _END_OF_HEADER.match(f) and i > 0:
            if f.startswith("stt"):
                break
            past_title = True
            continue
        if past_title or _NOT_UNIT.match(f) or len(f.split()) > 14:
            continue
        if f in _TYPE_ONLY and nxt and not _NOT_UNIT.match(fold(nxt)):
            joined = f"{piece} {nxt}"
            if not fold(nxt).startswith(("huyen", "tinh")):
                return _clean(joined), superior
            superior = _clean(joined)
            continue
        if f.startswith(_SUPERIOR) and not f.startswith(_UNIT):
            superior = _clean(piece)
            continue
        if f.startswith(_UNIT):
            return _clean(piece), superior
    return None, superior

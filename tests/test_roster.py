"""roster: a mail's unit by sender address, document header name and file name."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mailbot.records import Unit
from mailbot.roster import unit_for_address, unit_for_filename, unit_for_name, unit_key

NAMES = {
    "xa-cb": "UBND xã Chiềng Bằng",
    "xa-ck": "UBND xã Chiềng Khay",
    "xa-mg": "UBND xã Mường Giàng",
    "xa-ne": "UBND xã Nậm Ét",
    "mn-mg": "Trường Mầm non Mường Giàng",
    "th-cb": "Trường Tiểu học Chiềng Bằng",
    "thcs-mg": "Trường THCS Mường Giàng",
    "thcs-ne": "Trường PTDTBT THCS Nậm Ét",
    "ththcs-ckh": "Trường TH&THCS Chiềng Khoang",
    "gdnn": "Trung tâm GDNN-GDTX huyện Quỳnh Nhai",
}
UNITS = [Unit(code, name, (f"{code}@example.org",)) for code, name in NAMES.items()]


def code_for_name(name: str, units: list[Unit] = UNITS) -> str | None:
    """The matched unit's code, or None."""
    unit = unit_for_name(name, units)
    return unit.code if unit else None


def code_for_filename(filename: str, units: list[Unit] = UNITS) -> str | None:
    """The hinted unit's code, or None."""
    unit = unit_for_filename(filename, units)
    return unit.code if unit else None


def test_address_matches_case_insensitively():
    """The sender's address matches a unit's listed address whatever its case."""
    assert unit_for_address("THCS-MG@Example.ORG", UNITS).code == "thcs-mg"


def test_address_plus_tag_is_kept_by_default():
    """A +tag is part of the local part unless stripping is configured."""
    assert unit_for_address("thcs-mg+bc@example.org", UNITS) is None


def test_address_plus_tag_stripped_when_configured():
    """With strip_tags, "local+tag@domain" matches "local@domain"."""
    assert unit_for_address("thcs-mg+bc@example.org", UNITS, strip_tags=True).code == "thcs-mg"


def test_unknown_address_is_none():
    """An address no unit lists gives None."""
    assert unit_for_address("ai-do@example.net", UNITS) is None


def test_address_shared_by_two_units_is_ambiguous():
    """An address listed by two units gives None rather than a guess."""
    shared = [*UNITS, Unit("other", "Trường Mầm non Chiềng Bằng", ("xa-cb@example.org",))]
    assert unit_for_address("xa-cb@example.org", shared) is None


@pytest.mark.parametrize(
    ("header", "code"),
    [
        ("UBND XÃ CHIỀNG KHAY", "xa-ck"),
        ("ỦY BAN NHÂN DÂN XÃ CHIỀNG KHAY", "xa-ck"),
        ("UỶ BAN NHÂN DÂN XÃ CHIỀNG KHAY", "xa-ck"),
        ("TRƯỜNG PTDTBT THCS NẬM ÉT", "thcs-ne"),
        ("Trường TH&THCS Chiềng Khoang", "ththcs-ckh"),
        ("TRƯỜNG TIỂU HỌC VÀ TRUNG HỌC CƠ SỞ CHIỀNG KHOANG", "ththcs-ckh"),
        ("TRƯỜNG MN MƯỜNG GIÀNG", "mn-mg"),
        ("Trung tâm GDNN-GDTX huyện Quỳnh Nhai", "gdnn"),
        ("TRUNG TÂM GIÁO DỤC NGHỀ NGHIỆP - GIÁO DỤC THƯỜNG XUYÊN QUỲNH NHAI", "gdnn"),
        ("UBND xã Mường Giàng huyện Quỳnh Nhai", "xa-mg"),
        ("UBND MƯỜNG GIÀNG", "xa-mg"),
        ("ubnd xa chieng khay", "xa-ck"),
    ],
)
def test_header_names_match_their_unit(header, code):
    """Header names in capitals, spelt out or abbreviated, find their unit."""
    assert code_for_name(header) == code


@pytest.mark.parametrize(
    ("header", "code"),
    [
        ("Trường Mầm non Mường Giàng", "mn-mg"),
        ("Trường THCS Mường Giàng", "thcs-mg"),
        ("UBND xã Mường Giàng", "xa-mg"),
    ],
)
def test_same_place_different_kind_are_different_units(header, code):
    """Three units of Mường Giàng are told apart by their kind."""
    assert code_for_name(header) == code


def test_kind_not_in_roster_is_none():
    """A primary school of Mường Giàng (not in the roster) matches nothing."""
    assert code_for_name("Trường Tiểu học Mường Giàng") is None


def test_place_alone_is_none():
    """A name with no kind ("Trường Mường Giàng") is not enough."""
    assert code_for_name("Trường Mường Giàng") is None


def test_thcs_is_not_th_and_thcs():
    """ "THCS Chiềng Khoang" does not match the TH&THCS school of Chiềng Khoang."""
    assert code_for_name("Trường THCS Chiềng Khoang") is None


def test_conflicting_qualifier_is_none():
    """A boarding school (PTDTNT) is not the semi-boarding one (PTDTBT)."""
    assert code_for_name("Trường PTDTNT THCS Nậm Ét") is None


def test_missing_qualifier_still_matches():
    """ "Trường THCS Nậm Ét" finds the PTDTBT THCS Nậm Ét when it is the only THCS there."""
    assert code_for_name("TRƯỜNG THCS NẬM ÉT") == "thcs-ne"


def test_exact_beats_missing_qualifier():
    """With both "THCS Nậm Ét" and "PTDTBT THCS Nậm Ét" listed, each finds itself."""
    units = [*UNITS, Unit("thcs-ne2", "Trường THCS Nậm Ét")]
    assert (
        code_for_name("Trường THCS Nậm Ét", units),
        code_for_name("PTDTBT THCS Nậm Ét", units),
    ) == (
        "thcs-ne2",
        "thcs-ne",
    )


def test_two_units_with_same_name_is_ambiguous():
    """Two roster entries with the same name give None."""
    units = [*UNITS, Unit("dup", "UBND xã Chiềng Khay")]
    assert code_for_name("UBND XÃ CHIỀNG KHAY", units) is None


def test_multiline_header_uses_the_unit_line():
    """ "UBND HUYỆN QUỲNH NHAI" above the school's line does not hide the school."""
    assert code_for_name("UBND HUYỆN QUỲNH NHAI\nTRƯỜNG THCS MƯỜNG GIÀNG") == "thcs-mg"


def test_key_reads_kind_qualifier_place():
    """unit_key splits a name into kind, qualifiers and place."""
    key = unit_key("Trường PTDTBT TH&THCS Nậm Ét")
    assert (set(key.core), set(key.qualifiers), key.place) == (
        {"th", "thcs"},
        {"ptdtbt"},
        ("nam", "et"),
    )


@pytest.mark.parametrize(
    ("filename", "code"),
    [
        ("BC_TuanLeHTSD_MN_MuongGiang.xlsx", "mn-mg"),
        ("bao-cao-xa-muong-giang.docx", "xa-mg"),
        ("PL2 - THCS Muong Giang.xlsx", "thcs-mg"),
        ("Phụ lục 2 - UBND xã Chiềng Khay.xlsx", "xa-ck"),
        ("baocao_chiengkhoang.xlsx", "ththcs-ckh"),
        ("TH_THCS_ChiengKhoang.docx", "ththcs-ckh"),
    ],
)
def test_filename_hints(filename, code):
    """A file name naming kind and place (or a place only one unit has) hints the unit."""
    assert code_for_filename(filename) == code


@pytest.mark.parametrize(
    "filename",
    ["bao-cao-muong-giang.xlsx", "PL2_NamEt.xlsx", "Phu luc 2.xlsx", "THCS_ChiengKhoang.xlsx"],
)
def test_filename_ambiguous_or_silent_is_none(filename):
    """A name shared by several units, or naming none, hints nothing."""
    assert code_for_filename(filename) is None


@given(st.sampled_from(sorted(NAMES)), st.sampled_from(["upper", "lower", "nodiacritics"]))
def test_every_roster_name_finds_itself_however_written(code, form):
    """Each roster name, in capitals, small letters or without diacritics, finds its unit."""
    from mailbot.parsing.normalize import fold

    name = NAMES[code]
    written = {"upper": name.upper(), "lower": name.lower(), "nodiacritics": fold(name)}[form]
    assert code_for_name(written) == code

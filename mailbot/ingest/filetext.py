"""The words inside an attachment, read cheaply for the relevance question.

Word's body paragraphs and a workbook's strings (shared or inline), read straight from the
zip with a size bound (no XML parser: tags are stripped by pattern, character references decoded),
and the test whether a Word file is the plan's Appendix 1 (its headings). Pure: bytes in, text
out; anything unreadable is no text.
"""

from __future__ import annotations

import html
import io
import re
import zipfile

from mailbot.forms import CampaignWords
from mailbot.parsing.normalize import fold

_W_TEXT = re.compile(rb"<w:t(?:\s[^>]*)?>([^<]*)</w:t>|</w:p>")
# A workbook's strings: shared (<si><t>) or typed inline in a sheet (<c t="inlineStr"><is><t>).
_X_TEXT = re.compile(rb"<t(?:\s[^>]*)?>([^<]*)</t>|</si>|</c>")
_SHEET = re.compile(r"^xl/(sharedStrings\.xml|worksheets/sheet\d+\.xml)$")
_MAX_TEXT_BYTES = 8 * 1024 * 1024  # Appendix 1 is a few pages; bigger files are not read through
_LETTER_DIGIT = re.compile(r"(?<=[a-z])(?=\d)|(?<=\d)(?=[a-z])")


def match_key(text: str) -> str:
    """Folded text with letters and digits apart ("PL2" ~ "PL 2"), padded for whole words."""
    return f" {_LETTER_DIGIT.sub(' ', fold(text))} "


def file_paragraphs(data: bytes, kind: str) -> list[str]:
    """The paragraphs of a .docx body or the strings of an .xlsx; [] for anything else."""
    if kind not in ("docx", "xlsx"):
        return []
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            if kind == "docx":
                parts = [archive.getinfo("word/document.xml")]
            else:
                parts = [i for i in archive.infolist() if _SHEET.match(i.filename)]
            if sum(i.file_size for i in parts) > _MAX_TEXT_BYTES:
                return []
            xml = [archive.read(i) for i in parts]
    except (zipfile.BadZipFile, KeyError, OSError, RuntimeError, ValueError, EOFError):
        return []
    pattern = _W_TEXT if kind == "docx" else _X_TEXT
    paragraphs: list[str] = []
    for part in xml:
        current: list[bytes] = []
        for m in pattern.finditer(part):
            if m.group(1) is None:
                paragraphs.append(html.unescape(b"".join(current).decode("utf-8", "replace")))
                current = []
            else:
                current.append(m.group(1))
    return [p for p in paragraphs if p.strip()]


def is_narrative(paragraphs: list[str], words: CampaignWords) -> bool:
    """True when a Word file's paragraphs hold at least `appendix1_min` Appendix 1 headings."""
    if not words.appendix1_headings or not paragraphs:
        return False
    hay = match_key(" \n ".join(paragraphs))
    found = {h for h in words.appendix1_headings if match_key(h) in hay}
    return len(found) >= min(words.appendix1_min, len(words.appendix1_headings))

"""What a person wrote in a reply, and whether it says the numbers are right.

Owns cutting a reply down to its own words (before the quoted original and the signature) and
reading "đúng"/"xác nhận"/"đồng ý" in them, with or without accents, and nothing that says
"sai"/"chưa đúng". Pure text; used by relevance (a reply in our thread that confirms is the
campaign's) and by the confirmation of a doubtful submission.
"""

from __future__ import annotations

import re
import unicodedata

# Where the quoted original starts: "> …", "On … wrote:", Gmail's "Vào … đã viết:", Outlook.
_QUOTE_START = re.compile(
    r"^\s*(>|-{2,}\s*(original message|thư gốc|forwarded message)|_{8,}|"
    r"(from|từ|người gửi)\s*:)",
    re.IGNORECASE,
)
_WROTE = re.compile(r"(wrote|đã viết|viết)\s*:\s*$", re.IGNORECASE)
_SIGNATURE = re.compile(r"^--\s*$")
_GREETING = re.compile(r"^(kính gửi|kinh gui|gửi|gui|dear|chào|chao|xin chào|xin chao)\b")
# Matched on folded text, so "không đúng" and "khong dung" alike.
_NEGATIVE = re.compile(r"\b(khong|chua|ko|k)\s+(dung|chinh xac|xac nhan)\b")
# Matched on the text as typed, never folded: "Mường Sại" (a commune) folds to "muong sai".
_NEGATIVE_WORD = re.compile(r"\b(sai|nhầm|nham)\b")
_POSITIVE = re.compile(r"\b(đúng|xác nhận|đồng ý)\b")
# Typed without a Vietnamese keyboard, only at the start of a line ("dung" is also a name).
_POSITIVE_ASCII = re.compile(r"^(ok|oke|vang|da)?[\s,.!:-]*(dung|xac nhan|dong y)\b")
_MAX_NEW_TEXT = 600  # characters: a confirmation is short; a long text is a letter to a person
_LINES_LOOKED_AT = 2  # the first lines after any greeting say it; signatures come last


def new_text(body: str) -> str:
    """The text the sender wrote in a reply: before the quoted original and the signature."""
    lines = body.splitlines()
    kept: list[str] = []
    for i, line in enumerate(lines):
        if _QUOTE_START.match(line) or _SIGNATURE.match(line):
            break
        if _WROTE.search(line):
            # "On Tue, … <addr>" may wrap: drop its first half already kept.
            if kept and re.match(r"^\s*(on|vào|lúc)\b", kept[-1], re.IGNORECASE):
                kept.pop()
            break
        if (
            i + 1 < len(lines)
            and _WROTE.search(lines[i + 1])
            and re.match(r"^\s*(on|vào|lúc)\b", line, re.IGNORECASE)
        ):
            break
        kept.append(line)
    return "\n".join(kept).strip()


def _fold(text: str) -> str:
    """Lower case without diacritics (đ → d): how text typed without accents compares."""
    decomposed = unicodedata.normalize("NFD", text.lower().replace("đ", "d"))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def says_confirmed(body: str) -> bool:
    """True when the new text of a reply says the numbers are right and nothing says otherwise."""
    text = unicodedata.normalize("NFC", new_text(body)).lower()
    if not text or len(text) > _MAX_NEW_TEXT:
        return False
    if _NEGATIVE.search(_fold(text)) or _NEGATIVE_WORD.search(text):
        return False
    lines = [ln.strip() for ln in text.splitlines() if ln.strip()]
    lines = [ln for ln in lines if not _GREETING.match(ln)][:_LINES_LOOKED_AT]
    return any(_POSITIVE.search(ln) or _POSITIVE_ASCII.match(_fold(ln)) for ln in lines)

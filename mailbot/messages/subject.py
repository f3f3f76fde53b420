"""The Subject header of the mail we send, written so that folding never eats a space.

CPython's header folder can put the space between two words outside the RFC 2047 encoded
words it splits a long non-ASCII subject into; decoders drop whitespace between encoded
words, so "học tập suốt đời" arrived as "học tậpsuốt đời". Here every space travels inside
an encoded word and lines are folded between them, short enough that the policy never
refolds. Pure: text in, header value out.
"""

from __future__ import annotations

import base64
import unicodedata
from email.message import EmailMessage

# UTF-8 bytes per encoded word: "Subject: " + "=?utf-8?b?" + base64(39 bytes) + "?=" is 75
# characters, under the policy's 78, so the value is written exactly as built.
_CHUNK_BYTES = 39


def encoded_subject(text: str) -> str:
    """`text` as RFC 2047 base64 words, one per line after the first, spaces inside words."""
    words: list[str] = []
    chunk = b""
    for ch in unicodedata.normalize("NFC", " ".join(text.split())):
        data = ch.encode("utf-8")
        if chunk and len(chunk) + len(data) > _CHUNK_BYTES:
            words.append(_word(chunk))
            chunk = b""
        chunk += data
    if chunk or not words:
        words.append(_word(chunk))
    return "\n ".join(words)


def set_subject(msg: EmailMessage, text: str) -> None:
    """Set the Subject of `msg`: plain when ASCII, else encoded words folded between words."""
    text = unicodedata.normalize("NFC", " ".join(text.split()))
    del msg["Subject"]
    if text.isascii():
        msg["Subject"] = text
    else:
        msg.set_raw("Subject", encoded_subject(text))


def _word(chunk: bytes) -> str:
    return f"=?utf-8?b?{base64.b64encode(chunk).decode('ascii')}?="

"""The Subject of mail we send decodes to exactly the intended text, however it is folded."""

from __future__ import annotations

from email import policy
from email.message import EmailMessage
from email.parser import BytesParser

from hypothesis import given
from hypothesis import strategies as st

from mailbot.messages.subject import set_subject

TEXT = (
    "Re: V/v gửi báo cáo kết quả tổ chức Tuần lễ hưởng ứng học tập suốt đời năm 2021 của "
    "UBND xã Mường Giàng huyện Quỳnh Nhai tỉnh Sơn La Biên nhận Phòng GD&ĐT (sửa) Trường"
)
WORDS = TEXT.split()
LONG = (
    "Re: V/v gửi báo cáo kết quả tổ chức Tuần lễ hưởng ứng học tập suốt đời năm 2021 của "
    "UBND xã Mường Giàng, huyện Quỳnh Nhai"
)


def sent_and_read(subject: str) -> tuple[str, list[bytes]]:
    """The Subject as a reader decodes it after SMTP serialisation, and the header lines."""
    msg = EmailMessage()
    set_subject(msg, subject)
    msg.set_content("x")
    raw = msg.as_bytes(policy=policy.SMTP)
    head = raw.split(b"\r\n\r\n", 1)[0].split(b"\r\n")
    return str(BytesParser(policy=policy.default).parsebytes(raw)["Subject"]), head


def test_a_long_vietnamese_subject_keeps_every_space() -> None:
    """ "… học tập suốt đời …" arrives as written, not "học tậpsuốt đời"."""
    assert sent_and_read(LONG)[0] == LONG


@given(st.lists(st.sampled_from(WORDS), min_size=1, max_size=40))
def test_any_subject_of_these_words_round_trips_in_lines_under_78(words: list[str]) -> None:
    """Whatever the length and where the folds fall, the decoded text is the intended one."""
    subject = " ".join(words)
    decoded, head = sent_and_read(subject)
    assert decoded == subject
    assert all(len(line) <= 78 for line in head)


def test_an_ascii_subject_is_written_plainly() -> None:
    """No encoding where none is needed."""
    assert b"Subject: Re: report 2021" in sent_and_read("Re: report 2021")[1]

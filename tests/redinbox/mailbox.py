"""The mixed inbox: the campaign's reports among everything else a staff member's Gmail gets.

Owns the scenario: each message, its IMAP flags as the staff member's reading left them, and
what must come of it. `morning()` is what sits in the inbox when mailbot first polls;
`afternoon()` is what arrives after the first receipts went out (replies in a receipt's thread:
a corrected file, thank-you notes), built from the receipts mailbot really sent.

Kinds: CAMPAIGN (Appendix 1 or 2 for the Lifelong Learning Week: exactly one receipt),
UNRELATED (no receipt, untouched on the server), AMBIGUOUS (a roster unit sends a file that is
not the form, with no campaign word anywhere: treated like UNRELATED).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from tests.redinbox import files, shapes
from tests.redmail import forms
from tests.redmail.clients import (
    DOCX,
    XLSX,
    File,
    Mail,
    android_gmail,
    apple_mail,
    gmail_web,
    iphone,
    outlook_desktop,
    thunderbird,
    yahoo,
)
from tests.redmail.model import ADDRS, NAMES, OFFICE, PLAN_ID, PLAN_SUBJECT, QUOTE, at
from tests.redmail.rawmime import Auth, Delivery, delivered

CAMPAIGN, UNRELATED, AMBIGUOUS = "campaign", "unrelated", "ambiguous"
PDF = "application/pdf"
JPG = "image/jpeg"
XLS = "application/vnd.ms-excel"
SEEN, FLAGGED, ANSWERED = "\\Seen", "\\Flagged", "\\Answered"


@dataclass(frozen=True)
class Item:
    """One message in the inbox, the flags it has before mailbot runs, and what must come of it."""

    key: str
    kind: str
    raw: bytes
    message_id: str
    sender: str
    date: datetime
    flags: tuple[str, ...] = ()
    books: str | None = None  # the unit whose Appendix 2 this carries
    values: forms.Values | None = None  # that form's exact values
    phase: int = 1  # 1: there at the first poll; 2: arrives after the first receipts


@dataclass(frozen=True)
class Receipt:
    """What the harness learned of a receipt mailbot sent (to thread a reply onto it)."""

    message_id: str
    subject: str
    references: tuple[str, ...]


@dataclass
class Inbox:
    """Accumulates the inbox while the scenario is written down."""

    items: list[Item] = field(default_factory=list)
    seed: int = 200

    def add(
        self,
        key: str,
        kind: str,
        mail: Mail,
        text: str,
        *,
        flags: tuple[str, ...] = (),
        books: str | None = None,
        values: forms.Values | None = None,
        auth: Auth | None = None,
        phase: int = 1,
    ) -> Item:
        """Deliver `text` (what `mail`'s client wrote) through Gmail and note the expectation."""
        domain = mail.from_addr.rsplit("@", 1)[1]
        how = Delivery(mail.from_addr, domain, auth or Auth())
        item = Item(
            key=key,
            kind=kind,
            raw=delivered(text, mail.when, how),
            message_id=mail.message_id,
            sender=mail.from_addr,
            date=mail.when,
            flags=flags,
            books=books,
            values=values,
            phase=phase,
        )
        assert all(x.message_id != item.message_id for x in self.items), item.key
        self.items.append(item)
        return item

    def form(self, code: str, *, docx: bool = False, as_text: bool = False) -> tuple:
        """Fresh exact values for `code` and the filled Appendix 2 (.xlsx, or Word table)."""
        self.seed += 1
        values = forms.report_values(self.seed, note=None)
        if docx:
            return values, forms.report_docx(NAMES[code], values)
        return values, forms.report_xlsx(NAMES[code], values, as_text=as_text)


def _mail(
    name: str, addr: str, subject: str, when: datetime, msgid: str, text: str, *fs: File, **kw
) -> Mail:
    return Mail(name, addr, subject, when, msgid, text, list(fs), **kw)


SIGN_XA = "\n\n--\nVăn phòng HĐND-UBND xã\nĐT: 0212.3xxx.xxx"


# --- campaign mail -----------------------------------------------------------------------------


def campaign(box: Inbox) -> None:
    """Appendix 2 (and 1) from units, every way they write to the office."""
    code = "xa-muong-giang"
    v, x = box.form(code)
    m = _mail(
        "UBND xã Mường Giàng",
        ADDRS[code],
        "Báo cáo Tuần lễ HTSĐ",
        at(11, 8, 20),
        "<CAKq7w2mg+Yb0x@mail.gmail.example.com>",
        "Kính gửi Phòng GD&ĐT huyện Quỳnh Nhai,\nUBND xã Mường Giàng gửi báo cáo ạ." + SIGN_XA,
        File("Phụ lục 2 - Mường Giàng.xlsx", x),
    )
    box.add(
        "c-gmail-htsd", CAMPAIGN, m, gmail_web(m, logo=True), flags=(SEEN,), books=code, values=v
    )

    code = "xa-chieng-bang"
    v, x = box.form(code)
    m = _mail(
        "Văn phòng UBND xã Chiềng Bằng",
        ADDRS[code],
        "V/v gửi báo cáo TLHTSĐ năm 2021",
        at(12, 15, 2),
        "<SG2PR06MB3021A7C1E0@SG2PR06MB3021.apcprd06.prod.example.com>",
        "Kính gửi: Phòng Giáo dục và Đào tạo\nUBND xã Chiềng Bằng gửi báo cáo kết quả tổ chức "
        "Tuần lễ hưởng ứng học tập suốt đời năm 2021 (biểu số liệu kèm theo).\nTrân trọng!",
        File("BC TLHTSĐ 2021 - Chiềng Bằng.xlsx", x),
    )
    box.add("c-outlook-tlhtsd", CAMPAIGN, m, outlook_desktop(m), books=code, values=v)

    code = "th-chieng-bang"
    v, d = box.form(code, docx=True)
    m = _mail(
        "Hiệu trưởng TH Chiềng Bằng",
        "hieutruong.thchiengbang@example.test",
        "Phụ lục 2",
        at(12, 21, 47),
        "<5f0b6c1e-2d1a-4b7e-9a55-0d3e6c7b8a91@example.test>",
        "Gửi phòng Phụ lục 2 của trường Tiểu học Chiềng Bằng.\nHiệu trưởng",
        File("Phụ lục 2 TH Chiềng Bằng.docx", d, DOCX),
    )
    box.add("c-thunderbird-pl2-docx", CAMPAIGN, m, thunderbird(m), books=code, values=v)

    code = "mn-muong-giang"
    v, x = box.form(code, as_text=True)
    m = _mail(
        "MN Mường Giàng",
        ADDRS[code],
        "biểu tổng hợp",
        at(13, 6, 55),
        "<A1F3C9D2-7E41-4B8A-9C0D-1E2F3A4B5C6D@example.test>",
        "Em gửi biểu tổng hợp của trường MN Mường Giàng ạ",
        File("biểu tổng hợp MN Mường Giàng.xlsx", x),
    )
    box.add("c-iphone-bieu", CAMPAIGN, m, iphone(m), books=code, values=v)

    code = "thcs-muong-giang"
    v, x = box.form(code)
    m = _mail(
        "Trường THCS Mường Giàng",
        ADDRS[code],
        "Trường THCS Mường Giàng gửi ạ",
        at(13, 10, 31),
        "<CAFn4kT+thcsmg_9Qx@mail.gmail.example.com>",
        "Dạ em gửi file ạ",
        File("Book1.xlsx", x),
    )
    box.add("c-android-no-campaign-words", CAMPAIGN, m, android_gmail(m), books=code, values=v)

    code = "xa-nam-et"
    v, x = box.form(code)
    m = _mail(
        "UBND xã Nậm Ét",
        ADDRS[code],
        "gửi phòng",
        at(13, 16, 8),
        "<1468203711.88120.1634115688123.JavaMail.zimbra@example.org>",
        "Kính gửi phòng GD&ĐT\nxã Nậm Ét gửi văn bản theo yêu cầu" + SIGN_XA,
        File("bieu.xlsx", x),
    )
    box.add("c-zimbra-generic-subject", CAMPAIGN, m, shapes.zimbra(m), books=code, values=v)

    code = "xa-muong-sai"
    v, x = box.form(code)
    m = _mail(
        "UBND xã Mường Sại",
        ADDRS[code],
        "BC tuần lễ học tập suốt đời - xã Mường Sại",
        at(14, 9, 12),
        "<7c1e5b0a9f3d2e4c6b8a0d1f2e3c4b5a@example.org>",
        "Kính gửi Phòng GD&ĐT,\nUBND xã Mường Sại gửi Phụ lục 1 và Phụ lục 2." + SIGN_XA,
        File("Phụ lục 1 - Báo cáo.docx", forms.narrative_docx(NAMES[code]), DOCX),
        File("Phụ lục 2 - Biểu tổng hợp.xlsx", x),
    )
    box.add("c-roundcube-both", CAMPAIGN, m, shapes.roundcube(m), books=code, values=v)

    code = "xa-chieng-khay"
    m = _mail(
        "UBND xã Chiềng Khay",
        ADDRS[code],
        "Báo cáo kết quả Tuần lễ hưởng ứng học tập suốt đời năm 2021 (Phụ lục 1)",
        at(14, 10, 40),
        "<1398462.201634183240917.JavaMail.yahoo@example.org>",
        "Kính gửi Phòng GD&ĐT\nXã Chiềng Khay gửi báo cáo Phụ lục 1, Phụ lục 2 sẽ gửi sau ạ.",
        File("Báo cáo Phụ lục 1 xã Chiềng Khay.docx", forms.narrative_docx(NAMES[code]), DOCX),
    )
    box.add("c-yahoo-appendix1-only", CAMPAIGN, m, yahoo(m))
    v, x = box.form(code)
    m = _mail(
        "UBND xã Chiềng Khay",
        ADDRS[code],
        "Phụ lục 2 xã Chiềng Khay",
        at(14, 16, 5),
        "<B7E2F0A1-3C4D-4E5F-8A9B-0C1D2E3F4A5B@example.org>",
        "Gửi phòng Phụ lục 2 ạ.",
        File("Phụ lục 2 - Biểu tổng hợp xã Chiềng Khay.xlsx", x),
    )
    box.add("c-applemail-nfd", CAMPAIGN, m, apple_mail(m), books=code, values=v)

    code = "gdnn-gdtx-quynh-nhai"
    v, x = box.form(code)
    m = _mail(
        "Trung tâm GDNN-GDTX Quỳnh Nhai",
        ADDRS[code],
        "Re: " + PLAN_SUBJECT,
        at(14, 14, 22),
        "<SG2PR02MB5528E3B11@SG2PR02MB5528.apcprd02.prod.example.com>",
        "Kính gửi Phòng,\nTrung tâm gửi biểu số liệu theo Kế hoạch." + QUOTE,
        File("Bieu so lieu TT GDNN-GDTX.xlsx", x),
        in_reply_to=PLAN_ID,
        references=[PLAN_ID],
    )
    box.add(
        "c-outlook-plan-thread",
        CAMPAIGN,
        m,
        outlook_desktop(m),
        flags=(SEEN,),
        books=code,
        values=v,
    )

    code = "th-thcs-chieng-khoang"
    v, x = box.form(code)
    m = _mail(
        "Lò Thị Mai",
        "lothimai1985@example.com",
        "Báo cáo Tuần lễ học tập suốt đời - TH&THCS Chiềng Khoang",
        at(15, 20, 14),
        "<CAGm1aiL0+ck8Zp@mail.gmail.example.com>",
        "Em là văn thư trường TH&THCS Chiềng Khoang, mail trường bị lỗi nên em gửi bằng mail "
        "cá nhân ạ.",
        File("Phụ lục 2 - TH&THCS Chiềng Khoang.xlsx", x),
    )
    box.add("c-personal-address", CAMPAIGN, m, gmail_web(m), books=code, values=v)


# --- unrelated mail ----------------------------------------------------------------------------


def _directives(box: Inbox) -> None:
    so = "vanthu@sogddt.sonla.example.org"
    doc = files.letter_docx(
        ["UBND TỈNH SƠN LA", "SỞ GIÁO DỤC VÀ ĐÀO TẠO", "Số: 1873/SGDĐT-GDTrH"],
        "V/v hướng dẫn thực hiện nhiệm vụ giáo dục trung học năm học 2021-2022",
        [
            "Kính gửi: Phòng Giáo dục và Đào tạo các huyện, thành phố.",
            "Căn cứ Quyết định số 2084/QĐ-BGDĐT ngày 21/6/2021 của Bộ GDĐT về khung kế hoạch "
            "thời gian năm học, Sở GDĐT hướng dẫn các đơn vị thực hiện nhiệm vụ như sau:",
            "1. Thực hiện chương trình linh hoạt, phù hợp với tình hình dịch COVID-19.",
            "2. Tăng cường kiểm tra, đánh giá bằng hình thức trực tuyến.",
        ],
        signer="KT. GIÁM ĐỐC\nPHÓ GIÁM ĐỐC",
    )
    m = _mail(
        "Văn thư Sở GD&ĐT Sơn La",
        so,
        "V/v hướng dẫn thực hiện nhiệm vụ GDTrH năm học 2021-2022",
        at(6, 15, 40),
        "<1093745521.41277.1633509640113.JavaMail.zimbra@sogddt.sonla.example.org>",
        "Kính gửi các Phòng GD&ĐT,\nSở GD&ĐT gửi công văn số 1873/SGDĐT-GDTrH (file đính kèm).",
        File("1873-SGDĐT-GDTrH.docx", doc, DOCX),
        File("1873-SGDĐT-GDTrH (bản ký).pdf", files.pdf(["SO GD&DT SON LA", "So 1873/SGDDT"]), PDF),
    )
    box.add("u-province-directive", UNRELATED, m, shapes.zimbra(m), flags=(SEEN,))

    m = _mail(
        "Văn thư Sở GD&ĐT Sơn La",
        so,
        "Công văn số 1902/SGDĐT-GDTrH về việc tổ chức kỳ thi chọn học sinh giỏi cấp tỉnh",
        at(8, 9, 5),
        "<1093745521.41950.1633658700220.JavaMail.zimbra@sogddt.sonla.example.org>",
        "Sở GD&ĐT gửi công văn, đề nghị các đơn vị triển khai thực hiện.",
        File(
            "CV 1902 thi HSG.pdf",
            files.pdf(["CONG VAN 1902/SGDDT-GDTrH", "Ve viec to chuc ky thi chon HSG cap tinh"]),
            PDF,
        ),
    )
    box.add("u-province-pdf", UNRELATED, m, shapes.zimbra(m))

    m = _mail(
        "Văn phòng HĐND-UBND huyện",
        "vanphong.ubnd@quynhnhai.example.org",
        "Kế hoạch phòng, chống dịch COVID-19 trong trường học",
        at(7, 11, 0),
        "<HK0PR03MB4412F0C2D1@HK0PR03MB4412.apcprd03.prod.example.com>",
        "Kính gửi các cơ quan, đơn vị,\nVăn phòng gửi Kế hoạch số 245/KH-UBND.",
        File(
            "KH 245 phòng chống dịch trong trường học.docx",
            files.letter_docx(
                ["UBND HUYỆN QUỲNH NHAI", "Số: 245/KH-UBND"],
                "Kế hoạch phòng, chống dịch COVID-19 trong trường học",
                ["I. MỤC ĐÍCH, YÊU CẦU", "II. NỘI DUNG", "III. TỔ CHỨC THỰC HIỆN"],
            ),
            DOCX,
        ),
    )
    box.add("u-district-plan", UNRELATED, m, outlook_desktop(m), flags=(SEEN, FLAGGED))

    ics = files.invitation_ics(
        "040000008200E00074C5B7101A82E0080000000010A7C0D1E2B8D701",
        "vanphong.ubnd@quynhnhai.example.org",
        "Họp giao ban công tác giáo dục tháng 10",
        "20211018T080000",
        "20211018T113000",
        "Phòng họp số 2, UBND huyện",
    )
    m = _mail(
        "Văn phòng HĐND-UBND huyện",
        "vanphong.ubnd@quynhnhai.example.org",
        "Giấy mời họp giao ban công tác giáo dục tháng 10",
        at(13, 14, 0),
        "<HK0PR03MB4412A1B2C3@HK0PR03MB4412.apcprd03.prod.example.com>",
        "Trân trọng kính mời lãnh đạo Phòng GD&ĐT dự họp giao ban.\nThời gian: 8h00 ngày "
        "18/10/2021.\nĐịa điểm: Phòng họp số 2, UBND huyện.",
        File("Giấy mời 112.pdf", files.pdf(["GIAY MOI", "Hop giao ban thang 10"]), PDF),
        File("invite.ics", ics.encode(), "application/ics"),
    )
    box.add("u-meeting-ics", UNRELATED, m, shapes.outlook_invite(m, ics))

    m = _mail(
        "Văn thư Sở GD&ĐT Sơn La",
        so,
        "Giấy mời dự Hội nghị tổng kết năm học 2020-2021",
        at(9, 10, 15),
        "<1093745521.42011.1633749300515.JavaMail.zimbra@sogddt.sonla.example.org>",
        "Sở GD&ĐT trân trọng kính mời.",
        File("GM hoi nghi tong ket.pdf", files.pdf(["GIAY MOI", "Hoi nghi tong ket"]), PDF),
    )
    box.add("u-province-invitation-pdf", UNRELATED, m, shapes.zimbra(m), flags=(SEEN,))

    m = _mail(
        "Văn thư Sở GD&ĐT Sơn La",
        so,
        "Nhắc báo cáo thống kê giáo dục đầu năm học 2021-2022 (EMIS)",
        at(14, 7, 30),
        "<1093745521.42930.1634171400777.JavaMail.zimbra@sogddt.sonla.example.org>",
        "Đề nghị các Phòng GD&ĐT hoàn thành nhập số liệu thống kê trên phần mềm EMIS trước "
        "ngày 20/10/2021.",
    )
    box.add("u-province-reminder-no-file", UNRELATED, m, shapes.zimbra(m))


def _roster_units_other_business(box: Inbox) -> None:
    code = "xa-muong-chien"
    pc = files.table_xlsx(
        "PCGD-XMC",
        [
            "UBND XÃ MƯỜNG CHIÊN",
            "BÁO CÁO KẾT QUẢ PHỔ CẬP GIÁO DỤC, XÓA MÙ CHỮ NĂM 2021",
            "(Số liệu tính đến 30/9/2021)",
        ],
        ["STT", "Nội dung", "Đơn vị tính", "Số lượng", "Ghi chú"],
        [
            [1, "Trẻ 5 tuổi ra lớp", "Trẻ", 142, ""],
            [2, "Tỷ lệ huy động trẻ 6 tuổi vào lớp 1", "%", "99,3", ""],
            [3, "Số lớp xóa mù chữ", "Lớp", 2, "Bản Púm, bản Ten"],
            [4, "Số học viên xóa mù chữ", "Người", 47, ""],
            [5, "Người 15-60 tuổi biết chữ", "Người", 5120, ""],
            [6, "Xã đạt chuẩn phổ cập GDTH mức độ", "Mức", 3, ""],
            [7, "Xã đạt chuẩn xóa mù chữ mức độ", "Mức", 2, ""],
        ],
    )
    m = _mail(
        "UBND xã Mường Chiên",
        ADDRS[code],
        "Báo cáo phổ cập giáo dục, xóa mù chữ năm 2021",
        at(11, 14, 3),
        "<CAH3pcgd+mc7Lq@mail.gmail.example.com>",
        "Kính gửi Phòng GD&ĐT\nUBND xã Mường Chiên gửi báo cáo PCGD-XMC năm 2021." + SIGN_XA,
        File("BC PCGD-XMC 2021 xã Mường Chiên.xlsx", pc),
    )
    box.add("u-roster-pcgd-xlsx", UNRELATED, m, gmail_web(m))

    code = "thcs-chieng-khay"
    stats = files.table_xlsx(
        "Thống kê",
        ["TRƯỜNG THCS CHIỀNG KHAY", "THỐNG KÊ HỌC SINH ĐẦU NĂM HỌC 2021-2022"],
        ["Khối", "Số lớp", "Số học sinh", "Nữ", "Dân tộc", "Nữ dân tộc", "Khuyết tật"],
        [
            ["6", 3, 102, 49, 98, 47, 1],
            ["7", 3, 96, 45, 93, 44, 0],
            ["8", 2, 81, 40, 79, 39, 2],
            ["9", 2, 77, 36, 75, 35, 0],
            ["Cộng", 10, 356, 170, 345, 165, 3],
        ],
    )
    m = _mail(
        "THCS Chiềng Khay",
        ADDRS[code],
        "thống kê học sinh đầu năm",
        at(8, 16, 45),
        "<9b2f1e0c-88aa-4c0d-b1e2-3f4a5b6c7d8e@example.test>",
        "Trường THCS Chiềng Khay gửi thống kê học sinh đầu năm học.\nTrân trọng.",
        File("Thống kê HS đầu năm 2021-2022.xlsx", stats),
    )
    box.add("u-roster-student-stats", UNRELATED, m, thunderbird(m), flags=(SEEN,))

    code = "mn-chieng-khay"
    monthly = files.letter_docx(
        ["PHÒNG GD&ĐT QUỲNH NHAI", "TRƯỜNG MẦM NON CHIỀNG KHAY"],
        "Báo cáo hoạt động tháng 10 năm 2021",
        [
            "I. Đánh giá kết quả thực hiện nhiệm vụ tháng 10",
            "1. Công tác duy trì sĩ số: tổng số trẻ 214 cháu, đạt 100% kế hoạch.",
            "2. Công tác nuôi dưỡng, chăm sóc sức khỏe: tổ chức cân đo, khám sức khỏe đầu năm.",
            "II. Phương hướng nhiệm vụ tháng 11",
        ],
        table=[["Nhóm/lớp", "Số trẻ"], ["Nhà trẻ", "38"], ["Mẫu giáo", "176"]],
    )
    m = _mail(
        "MN Chiềng Khay",
        ADDRS[code],
        "Báo cáo tháng 10/2021",
        at(14, 17, 10),
        "<CAMnck10+Qv2bT@mail.gmail.example.com>",
        "Trường MN Chiềng Khay gửi báo cáo tháng 10 ạ.",
        File("Báo cáo tháng 10.docx", monthly, DOCX),
    )
    box.add("u-roster-monthly-report", UNRELATED, m, gmail_web(m))

    code = "th-muong-giang"
    plan = files.letter_docx(
        ["PHÒNG GD&ĐT QUỲNH NHAI", "TRƯỜNG TIỂU HỌC MƯỜNG GIÀNG", "Số: 57/KH-THMG"],
        "Kế hoạch giáo dục nhà trường năm học 2021-2022",
        [
            "Căn cứ Thông tư số 28/2020/TT-BGDĐT ban hành Điều lệ trường tiểu học;",
            "Nhà trường xây dựng kế hoạch giáo dục năm học 2021-2022 như sau:",
            "Phần I. Căn cứ xây dựng kế hoạch. Phần II. Điều kiện thực hiện chương trình.",
        ],
        table=[["Khối", "Số lớp", "Số HS"], ["1", "4", "118"], ["2", "4", "121"]],
        signer="HIỆU TRƯỞNG",
    )
    m = _mail(
        "Trường Tiểu học Mường Giàng",
        ADDRS[code],
        "Kế hoạch giáo dục nhà trường năm học 2021-2022",
        at(7, 8, 50),
        "<SG2PR01MB2211C0FFEE@SG2PR01MB2211.apcprd01.prod.example.com>",
        "Kính gửi Phòng GD&ĐT,\nTrường TH Mường Giàng gửi kế hoạch giáo dục nhà trường để "
        "phòng phê duyệt.",
        File("KHGD nhà trường 2021-2022.docx", plan, DOCX),
    )
    box.add("u-roster-school-plan", UNRELATED, m, outlook_desktop(m), flags=(SEEN, ANSWERED))

    code = "th-nam-et"
    teachers = files.table_xlsx(
        "DS",
        ["DANH SÁCH GIÁO VIÊN ĐĂNG KÝ TẬP HUẤN SỬ DỤNG SGK LỚP 2"],
        ["STT", "Họ và tên", "Năm sinh", "Trình độ", "Dạy lớp", "Ghi chú"],
        [
            [1, "Lường Văn Thắng", 1986, "ĐHSP", "2A", ""],
            [2, "Tòng Thị Hoa", 1990, "CĐSP", "2B", ""],
            [3, "Quàng Văn Dũng", 1983, "ĐHSP", "2C", ""],
        ],
    )
    m = _mail(
        "TH Nậm Ét",
        ADDRS[code],
        "DS giáo viên đăng ký tập huấn SGK lớp 2",
        at(9, 15, 20),
        "<CAJne7tt+sgk2@mail.gmail.example.com>",
        "Kính gửi tổ Tiểu học, trường TH Nậm Ét gửi danh sách ạ.",
        File("DS GV tap huan SGK lop 2.xlsx", teachers),
    )
    box.add("u-roster-teacher-list", UNRELATED, m, android_gmail(m))

    code = "th-ca-nang"
    pupils = files.table_xlsx(
        "Lớp 1A",
        ["TRƯỜNG TIỂU HỌC CÀ NÀNG", "DANH SÁCH HỌC SINH LỚP 1A NĂM HỌC 2021-2022"],
        ["STT", "Họ và tên", "Ngày sinh", "Giới tính", "Dân tộc", "Bản"],
        [
            [1, "Cà Văn An", "12/03/2015", "Nam", "Thái", "Bản Nà"],
            [2, "Lò Thị Bình", "05/07/2015", "Nữ", "Thái", "Bản Ít"],
            [3, "Mùa A Chứ", "21/11/2015", "Nam", "Mông", "Bản Huổi"],
            [4, "Vì Thị Dung", "30/01/2015", "Nữ", "Kháng", "Bản Nà"],
        ],
        more_sheets={"Lớp 1B": [["STT", "Họ và tên"], [1, "Quàng Văn Đức"]]},
    )
    m = _mail(
        "Trường TH Cà Nàng",
        ADDRS[code],
        "Danh sách học sinh lớp 1 năm học 2021-2022",
        at(10, 20, 12),
        "<3E4F5A6B-7C8D-4E9F-A0B1-C2D3E4F5A6B7@example.test>",
        "Trường gửi danh sách học sinh lớp 1 để làm thẻ bảo hiểm y tế.",
        File("DS HS lớp 1 năm 2021-2022.xlsx", pupils),
    )
    box.add("u-roster-pupil-list", UNRELATED, m, apple_mail(m))

    code = "thcs-chieng-on"
    hkpd = files.letter_docx(
        ["PHÒNG GD&ĐT QUỲNH NHAI", "TRƯỜNG THCS CHIỀNG ƠN"],
        "Kế hoạch tổ chức Hội khỏe Phù Đổng cấp trường năm học 2021-2022",
        ["Các môn thi đấu: điền kinh, bóng đá, kéo co, đẩy gậy.", "Thời gian: tháng 11/2021."],
    )
    m = _mail(
        "THCS Chiềng Ơn",
        ADDRS[code],
        "Kế hoạch Hội khỏe Phù Đổng cấp trường",
        at(12, 10, 0),
        "<0e4d3c2b-1a09-4f8e-9d7c-6b5a4f3e2d1c@example.test>",
        "Trường THCS Chiềng Ơn gửi kế hoạch HKPĐ (bản word và bản ký).",
        File("KH HKPĐ cấp trường.docx", hkpd, DOCX),
        File("KH HKPĐ (bản ký).pdf", files.pdf(["KE HOACH HKPD CAP TRUONG"]), PDF),
    )
    box.add("u-roster-sports-plan", UNRELATED, m, thunderbird(m))

    code = "xa-chieng-khoang"
    vacc = files.table_xlsx(
        "Tiêm chủng",
        ["UBND XÃ CHIỀNG KHOANG", "BÁO CÁO KẾT QUẢ TIÊM VẮC XIN COVID-19 CHO HỌC SINH 12-17 TUỔI"],
        ["STT", "Trường", "Tổng số HS", "Đã tiêm mũi 1", "Đã tiêm mũi 2", "Tỷ lệ (%)"],
        [
            [1, "TH&THCS Chiềng Khoang", 410, 398, 250, "97,1"],
            [2, "THCS Chiềng Khoang", 236, 230, 190, "97,5"],
        ],
    )
    m = _mail(
        "UBND xã Chiềng Khoang",
        ADDRS[code],
        "Báo cáo kết quả tiêm vắc xin COVID-19 cho học sinh",
        at(13, 8, 45),
        "<1468203711.90011.1634089500456.JavaMail.zimbra@example.org>",
        "Kính gửi Phòng GD&ĐT, UBND xã gửi báo cáo tiêm chủng." + SIGN_XA,
        File("BC tiêm chủng HS.xlsx", vacc),
    )
    box.add("u-roster-vaccination-xlsx", UNRELATED, m, shapes.zimbra(m))

    m = _mail(
        "UBND xã Chiềng Ơn",
        ADDRS["xa-chieng-on"],
        "hỏi lịch họp",
        at(11, 7, 40),
        "<CAKco7hop+lich@mail.gmail.example.com>",
        "Chào phòng,\nCho xã hỏi lịch họp giao ban tháng 10 là ngày nào ạ? Xã cử đồng chí "
        "phó chủ tịch đi dự.\nCảm ơn phòng.",
    )
    box.add("u-roster-question-meeting", UNRELATED, m, shapes.gmail_plain(m))

    m = _mail(
        "Trường Tiểu học Chiềng Ơn",
        ADDRS["th-chieng-on"],
        "Xin hướng dẫn hồ sơ đề nghị xét thi đua năm học 2020-2021",
        at(12, 13, 18),
        "<SG2PR04MB7731D00D12@SG2PR04MB7731.apcprd04.prod.example.com>",
        "Kính gửi Phòng GD&ĐT,\nNhà trường xin hỏi hồ sơ đề nghị danh hiệu Chiến sĩ thi đua cơ "
        "sở gồm những gì và hạn nộp ạ?\nTrân trọng cảm ơn.",
    )
    box.add("u-roster-question-emulation", UNRELATED, m, shapes.outlook_plain(m), flags=(SEEN,))


def _private_and_machine_mail(box: Inbox) -> None:
    m = _mail(
        "Ngọc Anh",
        "ngocanh.1992@example.com",
        "ảnh đám cưới nhà mình nè",
        at(10, 21, 3),
        "<D4C3B2A1-0F9E-4D8C-B7A6-958473625140@example.com>",
        "Chị ơi em gửi mấy ảnh hôm đám cưới nhé",
        File("IMG_2041.JPG", files.photo_jpg("iPhone 12", 2041), JPG),
        File("IMG_2042.JPG", files.photo_jpg("iPhone 12", 2042), JPG),
    )
    box.add("u-photos-family", UNRELATED, m, iphone(m), flags=(SEEN, FLAGGED))

    m = _mail(
        "Hoàng Minh",
        "hoangminh.qn@example.com",
        "Cuối tuần đi cafe không?",
        at(8, 19, 30),
        "<CAHm9cafe+tuan@mail.gmail.example.com>",
        "Chủ nhật này anh em cũ hẹn nhau ở quán cũ, đi không?",
    )
    box.add("u-friend-no-file", UNRELATED, m, shapes.gmail_plain(m), flags=(SEEN,))

    html = "<p>Kính gửi Quý khách,</p><p>Ngân hàng gửi sao kê tài khoản tháng 09/2021.</p>"
    m = _mail(
        "VietBank eStatement",
        "estatement@vietbank.example.com",
        "Sao kê tài khoản tháng 09/2021",
        at(6, 6, 0),
        "<20211006060000.77123.estatement@vietbank.example.com>",
        "Kính gửi Quý khách, Ngân hàng gửi sao kê tài khoản tháng 09/2021. Mật khẩu mở tệp là "
        "ngày sinh của Quý khách.",
        File("SaoKe_092021.pdf", files.pdf(["SAO KE TAI KHOAN", "Thang 09/2021"], "iText"), PDF),
    )
    box.add(
        "u-bank-statement", UNRELATED, m, shapes.notice_with_files(m, html, mailer="eStatement")
    )

    xml = files.einvoice_xml(
        1234,
        "Công ty TNHH Thiết bị giáo dục Tây Bắc",
        "Phòng Giáo dục và Đào tạo huyện Quỳnh Nhai",
        [("Bảo trì máy chiếu phòng họp", 1_800_000), ("Mực in", 950_000)],
    )
    m = _mail(
        "Hóa đơn điện tử",
        "hoadon@einvoice.example.net",
        "Thông báo phát hành hóa đơn điện tử số 0001234",
        at(8, 10, 11),
        "<einv.0001234.20211008101100@einvoice.example.net>",
        "Kính gửi Quý khách, Công ty TNHH Thiết bị giáo dục Tây Bắc gửi hóa đơn điện tử số "
        "0001234, ký hiệu C21TAA. Tra cứu tại https://tracuu.einvoice.example.net",
        File("C21TAA_0001234.xml", xml, "text/xml"),
        File("C21TAA_0001234.pdf", files.pdf(["HOA DON GIA TRI GIA TANG", "So 0001234"]), PDF),
    )
    box.add(
        "u-einvoice-xml",
        UNRELATED,
        m,
        shapes.notice_with_files(m, "<p>Hóa đơn điện tử</p>"),
        flags=(SEEN, "$Forwarded"),  # forwarded to the accountant from the phone
    )

    html = (
        "<table width='600'><tr><td><h1>Bản tin Giáo dục số 40</h1><p>Bộ GDĐT ban hành "
        "hướng dẫn dạy học trực tuyến...</p><p>Đọc tiếp</p></td></tr></table>"
    )
    m = _mail(
        "Bản tin Giáo dục",
        "bantin@giaoducthoidai.example.net",
        "Bản tin Giáo dục số 40: hướng dẫn dạy học trực tuyến",
        at(9, 5, 30),
        "<bt40.20211009053000@giaoducthoidai.example.net>",
        "Bản tin Giáo dục số 40. Bộ GDĐT ban hành hướng dẫn dạy học trực tuyến.",
    )
    box.add(
        "u-newsletter",
        UNRELATED,
        m,
        shapes.html_notice(m, html, mailer="PHPMailer 6.1.7"),
        flags=("NonJunk",),  # a keyword Thunderbird's junk filter sets
    )

    m = _mail(
        "Nhà sách Hồng Hà",
        "khuyenmai@nhasach.example.com",
        "Giảm 30% sách tham khảo năm học mới",
        at(12, 18, 0),
        "<km-oct-2021.4471@nhasach.example.com>",
        "Ưu đãi tháng 10: giảm 30% sách tham khảo các lớp.",
    )
    box.add(
        "u-shop-newsletter",
        UNRELATED,
        m,
        shapes.html_notice(m, "<h2>Giảm 30%</h2>", b64=False),
        flags=(SEEN,),
    )

    m = _mail(
        "Google",
        "no-reply@accounts.example.com",
        "Cảnh báo bảo mật",
        at(13, 22, 41),
        "<Zx8aQ1securityalert-a1b2c3@accounts.example.com>",
        "Có thiết bị mới đăng nhập vào Tài khoản Google của bạn "
        f"{OFFICE}. Nếu đó không phải là bạn, hãy kiểm tra hoạt động.",
        extra=["Feedback-ID: ::account-notifications:example"],
    )
    box.add("u-security-alert", UNRELATED, m, shapes.html_notice(m, "<p>Cảnh báo bảo mật</p>"))

    m = _mail(
        "Quản trị hộp thư",
        "admin@quota-check.example.net",
        "Hộp thư của bạn sắp đầy - xác minh ngay",
        at(10, 3, 12),
        "<quota.77812@quota-check.example.net>",
        "Hộp thư của bạn đã dùng 99% dung lượng. Bấm vào liên kết để xác minh tài khoản.",
    )
    box.add(
        "u-phishing",
        UNRELATED,
        m,
        shapes.html_notice(m, "<a href='https://quota-check.example.net'>Xác minh</a>"),
        auth=Auth(dkim="none", spf="softfail", dmarc="fail"),
    )

    payroll = files.html_xls(
        "BẢNG THANH TOÁN TIỀN LƯƠNG THÁNG 10/2021 - PHÒNG GD&ĐT QUỲNH NHAI",
        ["STT", "Họ và tên", "Hệ số lương", "Phụ cấp", "Thực lĩnh"],
        [
            [1, "Nguyễn Văn Tuấn", "4,98", "0,5", "8.540.000"],
            [2, "Lò Thị Hương", "3,66", "0,2", "6.120.000"],
        ],
    )
    m = _mail(
        "Kế toán Phòng GD&ĐT",
        "ketoan.phonggd@example.org",
        "Bảng lương tháng 10/2021",
        at(11, 16, 20),
        "<CAKtl10+bangluong@mail.gmail.example.com>",
        "Gửi chị bảng lương tháng 10 để rà soát trước khi chuyển Kho bạc.",
        File("Bang luong T10-2021.xls", payroll, XLS),
    )
    box.add("u-payroll-xls", UNRELATED, m, gmail_web(m), flags=(SEEN,))

    m = _mail(
        "Trần Thu Hà",
        "tranthuha.ielts@example.com",
        "Đơn xin việc - giáo viên Tiếng Anh",
        at(9, 22, 15),
        "<CATth9cv+apply@mail.gmail.example.com>",
        "Kính gửi Phòng GD&ĐT,\nEm xin gửi hồ sơ xin việc vị trí giáo viên Tiếng Anh hợp "
        "đồng. Em xin cảm ơn.",
        File(
            "CV Trần Thu Hà.docx",
            files.letter_docx([], "Sơ yếu lý lịch", ["Họ và tên: Trần Thu Hà", "IELTS 7.5"]),
            DOCX,
        ),
        File("Bằng tốt nghiệp.pdf", files.pdf(["BANG TOT NGHIEP DAI HOC"]), PDF),
    )
    box.add("u-cv", UNRELATED, m, yahoo(m))

    m = _mail(
        "Google Drive",
        "drive-shares-dm-noreply@example.com",
        'Tài liệu được chia sẻ với bạn: "Kế hoạch năm học 2021-2022"',
        at(7, 14, 5),
        "<0000000000drive4f1a2b@example.com>",
        "Nguyễn Văn Tuấn đã chia sẻ một tài liệu với bạn: Kế hoạch năm học 2021-2022. "
        "https://docs.example.com/document/d/1AbC",
        extra=["Auto-Submitted: no"],
    )
    box.add("u-drive-share", UNRELATED, m, shapes.html_notice(m, "<p>Đã chia sẻ một tài liệu</p>"))

    m = _mail(
        "EVN Sơn La",
        "cskh@evn-sonla.example.com",
        "Thông báo tiền điện kỳ 1 tháng 10/2021",
        at(12, 7, 0),
        "<tb.tiendien.PA13QN0012345.202110@evn-sonla.example.com>",
        "Kính gửi khách hàng, tiền điện kỳ 1 tháng 10/2021 là 412.500 đồng.",
        File("TB_TienDien_T10.pdf", files.pdf(["THONG BAO TIEN DIEN"]), PDF),
    )
    box.add("u-electricity-bill", UNRELATED, m, shapes.notice_with_files(m, "<p>Tiền điện</p>"))

    m = _mail(
        "Săn Mua",
        "no-reply@sanmua.example.com",
        "Đơn hàng #211013ABC đã giao thành công",
        at(13, 12, 30),
        "<order.211013ABC.delivered@sanmua.example.com>",
        "Đơn hàng #211013ABC (Bút bi Thiên Long x 10) đã được giao thành công.",
    )
    box.add("u-shop-order", UNRELATED, m, shapes.html_notice(m, "<p>Đã giao</p>"), flags=(SEEN,))


def _own_mail(box: Inbox) -> None:
    """The office's own announcement: sent to itself with the units in Bcc, blank form attached."""
    plan = files.letter_docx(
        ["UBND HUYỆN QUỲNH NHAI", "PHÒNG GIÁO DỤC VÀ ĐÀO TẠO"],
        "Kế hoạch tổ chức Tuần lễ hưởng ứng học tập suốt đời năm 2021",
        [
            "Thực hiện Kế hoạch số 212/KH-UBND ngày 14/9/2021 của Ủy ban nhân dân tỉnh Sơn La,",
            "Đề nghị các đơn vị gửi báo cáo (Phụ lục 1) và biểu tổng hợp (Phụ lục 2) về Phòng "
            "GD&ĐT trước ngày 15/10/2021.",
        ],
    )
    m = _mail(
        "Phòng GD&ĐT Quỳnh Nhai",
        OFFICE,
        PLAN_SUBJECT,
        at(5, 8, 0),
        PLAN_ID,
        "Kính gửi các đơn vị,\nĐề nghị các đơn vị gửi Phụ lục 1, Phụ lục 2 trước ngày 15/10/2021.",
        File("Kế hoạch Tuần lễ HTSĐ 2021.docx", plan, DOCX),
        File("Phụ lục 2 - Biểu tổng hợp (mẫu).xlsx", forms.blank_form()),
    )
    box.add("u-own-plan-to-self", UNRELATED, m, gmail_web(m), flags=(SEEN,))


def _book_day_report(box: Inbox) -> None:
    """Another campaign's table from a roster unit, with rows much like Appendix 2's."""
    code = "ptdtbt-thcs-nam-et"
    table = files.table_xlsx(
        "Ngày sách",
        [
            "TRƯỜNG PTDTBT THCS NẬM ÉT",
            "BIỂU TỔNG HỢP KẾT QUẢ NGÀY SÁCH VÀ VĂN HÓA ĐỌC VIỆT NAM NĂM 2021",
        ],
        ["STT", "Nội dung hoạt động", "Đơn vị tính", "Số lượng", "Số người tham gia", "Ghi chú"],
        [
            [1, "Trưng bày, giới thiệu sách", "Cuộc", 2, 310, ""],
            [2, "Thi kể chuyện theo sách", "Cuộc", 1, 45, ""],
            [3, "Số sách được tặng thư viện", "Quyển", 420, "", ""],
            [4, "Số tập thể/cá nhân tặng sách", "Tập thể/cá nhân", 12, "", ""],
            [5, "Kinh phí tổ chức", "đồng", 3_500_000, "", ""],
        ],
    )
    m = _mail(
        "Trường PTDTBT THCS Nậm Ét",
        ADDRS[code],
        "Báo cáo kết quả Ngày Sách và Văn hóa đọc Việt Nam năm 2021",
        at(8, 14, 30),
        "<CAPnet21+ngaysach@mail.gmail.example.com>",
        "Kính gửi Phòng GD&ĐT, trường gửi biểu tổng hợp Ngày Sách và Văn hóa đọc (21/4).",
        File("Biểu tổng hợp Ngày sách 2021.xlsx", table),
    )
    box.add("u-roster-other-campaign-table", UNRELATED, m, gmail_web(m))


def unrelated(box: Inbox) -> None:
    """The rest of an education office's mail and a person's mail: none of it is the campaign."""
    _own_mail(box)
    _book_day_report(box)
    _directives(box)
    _roster_units_other_business(box)
    _private_and_machine_mail(box)


# --- ambiguous mail ----------------------------------------------------------------------------


def ambiguous(box: Inbox) -> None:
    """Roster units sending a file that is not the form, with no campaign words anywhere."""
    code = "mn-ca-nang"
    m = _mail(
        "MN Cà Nàng",
        ADDRS[code],
        "Ảnh khai giảng năm học mới",
        at(9, 11, 25),
        "<6F7E8D9C-0B1A-4C2D-9E3F-405162738495@example.test>",
        "Trường MN Cà Nàng gửi phòng mấy ảnh lễ khai giảng ạ",
        File("IMG_0931.JPG", files.photo_jpg("iPhone XR", 931), JPG),
        File("IMG_0932.JPG", files.photo_jpg("iPhone XR", 932), JPG),
        File("IMG_0935.JPG", files.photo_jpg("iPhone XR", 935), JPG),
    )
    box.add("a-roster-photos", AMBIGUOUS, m, iphone(m))

    code = "mn-chieng-on"
    minutes = files.letter_docx(
        ["TRƯỜNG MẦM NON CHIỀNG ƠN"],
        "Biên bản họp phụ huynh học sinh đầu năm học 2021-2022",
        ["Thời gian: 14h00 ngày 25/9/2021.", "Thành phần: Ban giám hiệu, 180 phụ huynh."],
    )
    m = _mail(
        "MN Chiềng Ơn",
        ADDRS[code],
        "gửi phòng",
        at(13, 9, 50),
        "<c0ffee00d15ea5e5b0a7f00d12345678@example.test>",
        "Trường gửi phòng file ạ.",
        File("Biên bản họp PHHS.docx", minutes, DOCX),
    )
    box.add("a-roster-generic-subject-docx", AMBIGUOUS, m, shapes.roundcube(m))

    code = "xa-pa-ma-pha-khinh"
    budget = files.table_xlsx(
        "Dự toán",
        ["UBND XÃ PÁ MA PHA KHINH", "DỰ TOÁN KINH PHÍ SỬA CHỮA NHÀ LỚP BẢN PHIÊNG XẰNG"],
        ["STT", "Hạng mục", "Đơn vị", "Số lượng", "Đơn giá", "Thành tiền"],
        [
            [1, "Thay mái tôn", "m2", 120, 185_000, 22_200_000],
            [2, "Lát nền gạch", "m2", 64, 240_000, 15_360_000],
            ["", "Cộng", "", "", "", 37_560_000],
        ],
    )
    m = _mail(
        "UBND xã Pá Ma Pha Khinh",
        ADDRS[code],
        "gửi anh Hùng file",
        at(12, 16, 40),
        "<CAPm9dt+anhhung@mail.gmail.example.com>",
        "Anh Hùng xem giúp xã file này nhé",
        File("Dự toán.xlsx", budget, XLSX),
    )
    box.add("a-roster-budget-xlsx", AMBIGUOUS, m, android_gmail(m))

    code = "xa-muong-gion"
    m = _mail(
        "UBND xã Mường Giôn",
        ADDRS[code],
        "V/v gửi văn bản",
        at(14, 15, 0),
        "<1468203711.91234.1634198400789.JavaMail.zimbra@example.org>",
        "Kính gửi Phòng GD&ĐT, xã gửi văn bản đã ký." + SIGN_XA,
        File("scan0001.pdf", files.pdf(["QUYET DINH", "Thanh lap Ban chi dao"]), PDF),
    )
    box.add("a-roster-scan-pdf", AMBIGUOUS, m, shapes.zimbra(m))


def morning() -> Inbox:
    """Everything in the inbox when mailbot first polls (deterministic)."""
    box = Inbox()
    campaign(box)
    unrelated(box)
    ambiguous(box)
    return box


# --- the afternoon: replies in receipts' threads -----------------------------------------------


def _thread_onto(original: str, receipt: Receipt | None) -> tuple[str, list[str], str]:
    """In-Reply-To, References and subject of a reply to `receipt` (or to our own mail)."""
    if receipt is None:  # no receipt was sent: the clerk answers the office's plan instead
        return PLAN_ID, [PLAN_ID], "Re: " + PLAN_SUBJECT
    refs = [*receipt.references] or [original]
    subject = receipt.subject
    while subject[:3].lower() == "re:":  # clients collapse "Re: Re:" to one
        subject = subject[3:].lstrip()
    return receipt.message_id, [*refs, receipt.message_id], "Re: " + subject


def afternoon(
    box: Inbox, receipt_for: Callable[[str], Receipt | None], when: datetime
) -> list[Item]:
    """Mail that arrives after the first poll, threaded onto the receipts really sent."""
    by_key = {x.key: x for x in box.items}
    before = len(box.items)

    code = "xa-chieng-bang"
    original = by_key["c-outlook-tlhtsd"].message_id
    parent, refs, subject = _thread_onto(original, receipt_for(original))
    box.seed += 100
    v = forms.report_values(box.seed, note="Bổ sung số liệu lớp tập huấn")
    m = _mail(
        "Văn phòng UBND xã Chiềng Bằng",
        ADDRS[code],
        subject,
        when,
        "<SG2PR06MB3021B8D2F1@SG2PR06MB3021.apcprd06.prod.example.com>",
        "Kính gửi Phòng,\nXã gửi lại biểu đã sửa số liệu mục 1, đề nghị phòng dùng bản này.",
        File("BC TLHTSĐ 2021 - Chiềng Bằng (sửa).xlsx", forms.report_xlsx(NAMES[code], v)),
        in_reply_to=parent,
        references=refs,
    )
    box.add(
        "c-correction-in-receipt-thread",
        CAMPAIGN,
        m,
        outlook_desktop(m),
        books=code,
        values=v,
        phase=2,
    )

    original = by_key["c-gmail-htsd"].message_id
    parent, refs, subject = _thread_onto(original, receipt_for(original))
    m = _mail(
        "UBND xã Mường Giàng",
        ADDRS["xa-muong-giang"],
        subject,
        when,
        "<CAKq7w2mg+thanks01@mail.gmail.example.com>",
        "đã nhận, cảm ơn phòng ạ" + SIGN_XA,
        in_reply_to=parent,
        references=refs,
    )
    box.add("u-thanks-reply", UNRELATED, m, shapes.gmail_plain(m), phase=2)

    original = by_key["c-outlook-plan-thread"].message_id
    parent, refs, subject = _thread_onto(original, receipt_for(original))
    m = _mail(
        "Trung tâm GDNN-GDTX Quỳnh Nhai",
        ADDRS["gdnn-gdtx-quynh-nhai"],
        subject,
        when,
        "<A9B8C7D6-E5F4-4A3B-9C2D-1E0F9A8B7C6D@example.test>",
        "Dạ vâng, em cảm ơn ạ",
        in_reply_to=parent,
        references=refs,
    )
    box.add("u-thanks-reply-iphone", UNRELATED, m, iphone(m), flags=(SEEN,), phase=2)

    m = _mail(
        "Google",
        "no-reply@accounts.example.com",
        "Cảnh báo bảo mật",
        when,
        "<Zx8aQ1securityalert-d4e5f6@accounts.example.com>",
        "Mật khẩu ứng dụng mới đã được tạo cho Tài khoản Google của bạn.",
        extra=["Feedback-ID: ::account-notifications:example"],
    )
    box.add(
        "u-security-alert-2",
        UNRELATED,
        m,
        shapes.html_notice(m, "<p>Mật khẩu ứng dụng</p>"),
        phase=2,
    )
    return box.items[before:]


def expected_values(items: list[Item]) -> dict[str, forms.Values]:
    """Each unit's values from its latest Appendix 2 (by date; phase 2 is later)."""
    latest: dict[str, Item] = {}
    for x in sorted(items, key=lambda x: (x.phase, x.date)):
        if x.books:
            latest[x.books] = x
    return {code: x.values for code, x in latest.items() if x.values is not None}

# ruff: noqa: E501  (test data: long literal mail bodies read better on one line)
"""Write the golden mail corpus: ``tests/golden/mail/*.eml`` (issue 5, tests).

Run ``.venv/bin/python tests/golden/mail/make_corpus.py`` and then
``.venv/bin/pytest tests/inbox_watchers/test_corpus.py --regen-golden`` to refresh the expected JSON.
Every message is real MIME with real charsets (UTF-8, GB2312, GBK, GB18030, Big5, mislabelled
ones), HTML, JSON-LD, microdata, PDF, .docx and .xlsx attachments, quoted slips and forwarded
chains, spoofed senders and broken MIME. Each carries ``X-Corpus-Expect`` with what the case is
about (kind, match status, trusted), which the test checks besides the golden file.
The orders and hotels the corpus is matched against live in ``tests/inbox_watchers/test_corpus.py``.
"""

from __future__ import annotations

import base64
import io
import zipfile
import zlib
from collections.abc import Callable
from datetime import datetime
from email.header import Header
from email.message import Message
from email.mime.base import MIMEBase
from email.mime.message import MIMEMessage
from email.mime.multipart import MIMEMultipart
from email.mime.text import MIMEText
from pathlib import Path

HERE = Path(__file__).resolve().parent
DATE = "Thu, 26 Nov 2026 10:15:00 +0800"
RECEIVED = "from mail.hotel.example by mx.example.com with ESMTPS; Thu, 26 Nov 2026 10:15:03 +0800"
AUTH_OK = "mx.example.com; dkim=pass header.d={d}; spf=pass smtp.mailfrom={d}; dmarc=pass header.from={d}"
HILTON = "rsvn.bjswf@hilton.com"
HYATT = "reservations.shabund@hyatt.com"
PEN = "reservations@peninsula.com"
TPE = "booking@grandhyatttaipei.com.tw"
RUJIA = "rujia_bj001@163.com"

CASES: dict[str, Callable[[], bytes]] = {}


def case(fn: Callable[[], bytes]) -> Callable[[], bytes]:
    CASES[fn.__name__] = fn
    return fn


def _headers(msg: Message, *, sender: tuple[str, str], subject: str, expect: str, charset: str = "utf-8",
             auth: str | None = "ok") -> Message:  # fmt: skip
    name, addr = sender
    msg["From"] = f"{Header(name, charset).encode()} <{addr}>" if name else addr
    msg["To"] = "confirm@example.com"
    msg["Subject"] = subject if subject.isascii() else Header(subject, charset).encode()
    msg["Date"] = DATE
    msg["Message-ID"] = f"<corpus-{zlib.crc32((subject + expect).encode()):08x}@hotel.example>"
    msg["Received"] = RECEIVED
    if auth == "ok":
        msg["Authentication-Results"] = AUTH_OK.format(d=addr.rpartition("@")[2])
    elif auth:
        msg["Authentication-Results"] = auth
    msg["X-Corpus-Expect"] = expect
    return msg


def text_mail(body: str, *, charset: str = "utf-8", **kw: object) -> bytes:
    msg = MIMEText(body, "plain", charset)
    return _headers(msg, **kw).as_bytes()  # type: ignore[arg-type]


def raw_mail(head: list[tuple[str, str]], body: bytes) -> bytes:
    lines = [f"{k}: {v}".encode() for k, v in head]
    return b"\r\n".join(lines) + b"\r\n\r\n" + body


def fixed_zip(data: bytes) -> bytes:
    """Re-pack a zip with fixed timestamps so the corpus is reproducible."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            dst.writestr(zipfile.ZipInfo(info.filename, (2026, 1, 1, 0, 0, 0)), src.read(info.filename))
    return out.getvalue()


def simple_pdf(lines: list[str]) -> bytes:
    """A minimal hand-made PDF with Helvetica text (ASCII), as a fax gateway's text PDF would carry."""
    stream = "BT /F1 12 Tf 72 770 Td 16 TL " + " ".join(f"({ln}) '" for ln in lines) + " ET"
    objs = [
        "<< /Type /Catalog /Pages 2 0 R >>",
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
        f"<< /Length {len(stream)} >>\nstream\n{stream}\nendstream",
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = b"%PDF-1.4\n"
    offsets = []
    for i, obj in enumerate(objs, start=1):
        offsets.append(len(out))
        out += f"{i} 0 obj\n{obj}\nendobj\n".encode("latin-1")
    xref = len(out)
    out += f"xref\n0 {len(objs) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{o:010d} 00000 n \n".encode() for o in offsets)
    out += f"trailer\n<< /Size {len(objs) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return out


def cjk_pdf(lines: list[str]) -> bytes:
    """A PDF with Chinese text (matplotlib PdfPages, TrueType embedded)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.backends.backend_pdf import PdfPages

    matplotlib.rcParams["pdf.fonttype"] = 42
    buf = io.BytesIO()
    with PdfPages(buf, metadata={"CreationDate": None, "ModDate": None}) as pdf:
        fig = plt.figure(figsize=(8.27, 11.69))
        for i, line in enumerate(lines):
            fig.text(0.08, 0.92 - i * 0.04, line, fontsize=12, family="Noto Sans CJK JP")
        pdf.savefig(fig)
        plt.close(fig)
    return buf.getvalue()


def docx_bytes(title: str, rows: list[tuple[str, str]]) -> bytes:
    from docx import Document

    doc = Document()
    doc.core_properties.created = datetime(2026, 1, 1)
    doc.core_properties.modified = datetime(2026, 1, 1)
    doc.add_paragraph(title)
    table = doc.add_table(rows=0, cols=2)
    for label, value in rows:
        cells = table.add_row().cells
        cells[0].text, cells[1].text = label, value
    buf = io.BytesIO()
    doc.save(buf)
    return fixed_zip(buf.getvalue())


def xlsx_bytes(rows: list[list[str]]) -> bytes:
    import xlsxwriter

    buf = io.BytesIO()
    wb = xlsxwriter.Workbook(buf, {"in_memory": True})
    wb.set_properties({"created": datetime(2026, 1, 1)})
    ws = wb.add_worksheet("确认")
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            ws.write_string(r, c, value)
    wb.close()
    return fixed_zip(buf.getvalue())


def attach(msg: MIMEMultipart, data: bytes, maintype: str, subtype: str, filename: str) -> None:
    part = MIMEBase(maintype, subtype)
    part.set_payload(data)
    from email import encoders

    encoders.encode_base64(part)
    part.add_header("Content-Disposition", "attachment", filename=("utf-8", "", filename))
    msg.attach(part)


def slip_zh(order: str, hotel: str, guest: str, stay: tuple[str, str], conf: str = "12345678") -> str:
    """Our booking slip as it comes back quoted, with a filled-in looking 确认号 that is not the hotel's."""
    return (
        "-----原始邮件-----\n"
        "发件人: 预订中心 <confirm@example.com>\n"
        "发送时间: 2026年11月26日 09:00\n"
        f"主题: 预订单 {order}\n\n"
        "预订单\n回复请注明订单号 / please quote our order no.\n"
        f"订单号 Order No.: {order}\n"
        f"酒店: {hotel}    房型: 豪华大床房\n"
        f"入住日期: {stay[0]}    离店日期: {stay[1]}\n"
        f"入住人: {guest}\n"
        f"确认号: {conf}    渠道: 电话\n"
        "酒店回复（请填写后传回）\n□ 确认    □ 满房    □ 拒绝    原因：\n"
    )


def slip_en(order: str, guest: str, stay: tuple[str, str]) -> str:
    return (
        "Booking Slip\nPlease quote our order no. in your reply / 回复请注明订单号\n"
        f"Our Order No.: {order}\nGuests: {guest}\nCheck-in: {stay[0]}    Check-out: {stay[1]}\n"
        "Hotel Conf. No.: 99999999\nHotel's reply (please fill in and fax back)\n"
        "□ Confirmed    □ Full    □ Denied    Reason:\n"
    )


# -- the cases ------------------------------------------------------------------------------------

S_H = ("北京王府井希尔顿酒店预订部", HILTON)
S_Y = ("Hyatt on the Bund Reservations", HYATT)
S_P = ("半島酒店訂房部", PEN)
S_T = ("台北君悅訂房組", TPE)
S_R = ("如家王府井店", RUJIA)
STAY1 = ("2026-12-01", "2026-12-03")


# -- Simplified Chinese, plain text, charsets --------------------------------------------------------


@case
def zh_plain_confirm_utf8() -> bytes:
    body = "您好！\n订单 HD20261126-0001 已确认，确认号：88123456。\n客人：张伟  入住日期：2026-12-01  离店日期：2026-12-03\n房型：豪华大床房  1间  房价：RMB 880\n"
    return text_mail(
        body, sender=S_H, subject="回复：预订单 HD20261126-0001", expect="kind=confirmed match=matched trusted=1"
    )


@case
def zh_gb2312_reply_on_quoted_slip() -> bytes:
    body = "您好，此单已确认，确认号 55667788，谢谢！\n\n" + slip_zh(
        "HD20261126-0001", "北京王府井希尔顿酒店", "张伟", STAY1
    )
    return text_mail(
        body,
        charset="gb2312",
        sender=S_H,
        subject="回复: 预订单 HD20261126-0001",
        expect="kind=confirmed match=matched trusted=1 conf=55667788 orders=HD20261126-0001",
    )


@case
def zh_quoted_slip_only_order_no() -> bytes:
    body = "已确认。确认号：77001234\n预订部 小王\n\n" + slip_zh(
        "HD20261126-0002", "北京王府井希尔顿酒店", "李娜", STAY1
    )
    return text_mail(
        body,
        charset="gbk",
        sender=S_H,
        subject="回复: 预订单",
        expect="kind=confirmed match=matched trusted=1 conf=77001234 orders=HD20261126-0002",
    )


@case
def zh_full_with_fake_conf_in_quote() -> bytes:
    body = "很抱歉，12月1日当晚满房，无法确认此预订。\n\n" + slip_zh(
        "HD20261126-0002", "北京王府井希尔顿酒店", "李娜", STAY1
    )
    return text_mail(
        body,
        charset="gb2312",
        sender=S_H,
        subject="回复: 预订单 HD20261126-0002",
        expect="kind=full match=matched trusted=1 conf= orders=HD20261126-0002",
    )


@case
def zh_gbk_mislabelled_latin1() -> bytes:
    body = "订单HD20261126-0001已确认，确认号：66554433。欢迎张伟先生入住。\r\n".encode("gbk")
    head = [("From", f"{HILTON}"), ("To", "confirm@example.com"), ("Subject", "Re: HD20261126-0001"), ("Date", DATE),
            ("Message-ID", "<gbk-latin1@hilton.com>"), ("Received", RECEIVED),
            ("Authentication-Results", AUTH_OK.format(d="hilton.com")), ("MIME-Version", "1.0"),
            ("Content-Type", 'text/plain; charset="iso-8859-1"'), ("Content-Transfer-Encoding", "8bit"),
            ("X-Corpus-Expect", "kind=confirmed match=matched trusted=1 conf=66554433")]  # fmt: skip
    return raw_mail(head, body)


@case
def zh_gb18030_unlabelled_8bit() -> bytes:
    body = "您好：\r\n王小明先生 12月5日至12月7日 的预订已确认，确认号 HY20261205A。\r\n订单号：HD20261126-0003\r\n".encode(
        "gb18030"
    )
    head = [("From", HYATT), ("To", "confirm@example.com"), ("Subject", "=?gb18030?b?" + base64.b64encode("预订确认".encode("gb18030")).decode() + "?="),
            ("Date", DATE), ("Message-ID", "<gb18030@hyatt.com>"), ("Received", RECEIVED), ("MIME-Version", "1.0"),
            ("Content-Type", "text/plain"), ("Content-Transfer-Encoding", "8bit"),
            ("X-Corpus-Expect", "kind=confirmed match=matched trusted=1 conf=HY20261205A")]  # fmt: skip
    return raw_mail(head, body)


@case
def zh_raw_8bit_gbk_subject_header() -> bytes:
    body = "订单 HD20261126-0008 确认，确认号：RJ0021。\r\n".encode("gbk")
    head = [
        ("From", RUJIA),
        ("To", "confirm@example.com"),
        ("Date", DATE),
        ("Message-ID", "<raw8bit@163.com>"),
        ("Received", RECEIVED),
        ("MIME-Version", "1.0"),
        ("Content-Type", "text/plain; charset=gbk"),
        ("Content-Transfer-Encoding", "8bit"),
        ("X-Corpus-Expect", "kind=confirmed match=matched trusted=1"),
    ]
    return raw_mail(head, body).replace(b"To: ", b"Subject: " + "回复：确认 周杰".encode("gbk") + b"\r\nTo: ", 1)


@case
def zh_full_plain() -> bytes:
    body = "订单号 HD20261126-0002\n抱歉，12月1日至12月3日客满，暂无空房。\n原因：当地大型会议，全部房型已售罄。\n"
    return text_mail(
        body, sender=S_H, subject="满房通知 HD20261126-0002", expect="kind=full match=matched trusted=1 conf="
    )


@case
def zh_denied() -> bytes:
    body = "HD20261126-0003 此协议价不适用于该日期，我方拒绝接受此预订，请改用门市价重新下单。\n"
    return text_mail(
        body, sender=S_Y, subject="回复：预订单 HD20261126-0003", expect="kind=denied match=matched trusted=1"
    )


@case
def zh_modified() -> bytes:
    body = "订单 HD20261126-0003 变更已确认：\n入住日期：2026-12-06  离店日期：2026-12-08\n确认号不变：HY20261205A\n"
    return text_mail(
        body, sender=S_Y, subject="回复：变更单 HD20261126-0003", expect="kind=modified match=matched trusted=1"
    )


@case
def zh_cancelled() -> bytes:
    body = "您好，订单HD20261126-0009已取消，取消号：CXL2026001。\n"
    return text_mail(
        body,
        sender=S_H,
        subject="回复：取消单 HD20261126-0009",
        expect="kind=cancelled match=matched trusted=1 cancel=CXL2026001",
    )


@case
def zh_no_show() -> bytes:
    body = "订单 HD20261126-0010：客人欧阳娜娜于12月8日未入住，按NO-SHOW处理，收取首晚房费。\n"
    return text_mail(body, sender=S_H, subject="NO-SHOW 通知", expect="kind=no-show match=matched trusted=1")


@case
def zh_group_reply_order_nos() -> bytes:
    body = "团队订单 HD20261126-0004、HD20261126-0005 均已确认，团队确认号：GRP5566。\n入住：12月10日  离店：12月12日\n"
    return text_mail(
        body,
        sender=S_Y,
        subject="团队预订确认",
        expect="kind=confirmed match=matched trusted=1 conf=GRP5566 orders=HD20261126-0004,HD20261126-0005",
    )


@case
def zh_group_reply_conf_per_order() -> bytes:
    body = "团队预订已确认：\nHD20261126-0004  确认号：GA1001\nHD20261126-0005  确认号：GA1002\n"
    return text_mail(body, sender=S_Y, subject="团队确认", expect="kind=confirmed match=matched trusted=1")


@case
def html_group_table_conf_per_order() -> bytes:
    html = (
        "<p>Group booking confirmed:</p><table><tr><th>Our Ref</th><th>Guest</th><th>Confirmation No.</th></tr>"
        "<tr><td>HD20261126-0004</td><td>CHEN/JING MS</td><td>GT2001</td></tr>"
        "<tr><td>HD20261126-0005</td><td>ZHAO/LEI MR</td><td>GT2002</td></tr></table>"
    )
    return html_mail(html, sender=S_Y, subject="Group confirmation", expect="kind=confirmed match=matched trusted=1")


@case
def zh_group_reply_by_names() -> bytes:
    body = "您好，以下客人12月10日至12月12日的预订已确认：\n入住人：陈静、赵磊\n确认号：GRP7788\n"
    return text_mail(body, sender=S_Y, subject="预订确认", expect="kind=confirmed match=matched trusted=1 conf=GRP7788")


@case
def zh_forwarded_chain() -> bytes:
    body = (
        "转发前台的确认，请查收。\n\n---------- 转发的邮件 ----------\n发件人: 前台 <frontoffice@hilton.com>\n"
        "日期: 2026年11月26日 10:05\n主题: 确认\n\n订单 HD20261126-0002 已确认，确认号：FO123456。\n"
    )
    return text_mail(
        body, sender=S_H, subject="Fwd: 确认", expect="kind=confirmed match=matched trusted=1 conf=FO123456"
    )


@case
def zh_hotel_rule_custom_label() -> bytes:
    body = "周杰 12月2日入住1晚，已经帮您订好了。订房编码：620011\n订单HD20261126-0008\n"
    return text_mail(
        body, sender=S_R, subject="回复", charset="gb2312", expect="kind=confirmed match=matched trusted=1 conf=620011"
    )


@case
def zh_ambiguous_two_orders() -> bytes:
    body = "客人：吴敏女士\n12月5日至12月7日 已确认，确认号：HY5555。\n"
    return text_mail(body, sender=S_Y, subject="确认", expect="kind=confirmed match=review trusted=-")


@case
def zh_unknown_order_no() -> bytes:
    body = "订单 HD20261126-0999 已确认，确认号 12399。\n"
    return text_mail(body, sender=S_H, subject="确认", expect="kind=confirmed match=review trusted=-")


@case
def zh_confirm_with_cancel_policy() -> bytes:
    body = (
        "订单 HD20261126-0001 已确认，确认号：HIL20261201。\n取消政策：如需取消，请于入住前一天18:00前通知，"
        "否则收取首晚房费；如NO-SHOW，将收取全部房费。\n"
    )
    return text_mail(body, sender=S_H, subject="确认", expect="kind=confirmed match=matched trusted=1")


# -- Traditional Chinese ---------------------------------------------------------------------------


@case
def zht_big5_confirm() -> bytes:
    body = "您好：\n訂單 HD20261126-0006 已確認。\n確認編號：PEN778812\n住客：黃志明\n入住日期：2026年12月15日 退房日期：2026年12月18日\n"
    return text_mail(
        body,
        charset="big5",
        sender=S_P,
        subject="訂房確認 HD20261126-0006",
        expect="kind=confirmed match=matched trusted=1 conf=PEN778812",
    )


@case
def zht_big5_labelled_gb2312() -> bytes:
    body = "訂單 HD20261126-0007 已確認，確認號碼：TPE4455。住客：林美玲\r\n".encode("big5")
    head = [("From", TPE), ("To", "confirm@example.com"), ("Subject", "Re: HD20261126-0007"), ("Date", DATE),
            ("Message-ID", "<big5-as-gb@tpe>"), ("Received", RECEIVED), ("MIME-Version", "1.0"),
            ("Authentication-Results", AUTH_OK.format(d="grandhyatttaipei.com.tw")),
            ("Content-Type", "text/plain; charset=gb2312"), ("Content-Transfer-Encoding", "8bit"),
            ("X-Corpus-Expect", "kind=confirmed match=matched trusted=1 conf=TPE4455")]  # fmt: skip
    return raw_mail(head, body)


@case
def zht_utf8_full() -> bytes:
    body = "很抱歉，12月20日至12月22日本酒店已滿房，無法安排。\n訂單：HD20261126-0007\n"
    return text_mail(body, sender=S_T, subject="回覆：訂房單", expect="kind=full match=matched trusted=1 conf=")


@case
def zht_match_by_traditional_name() -> bytes:
    body = "已確認如下：\n住客：黃志明\n入住：12月15日  退房：12月18日\n確認號：PEN9001\n"
    return text_mail(
        body, charset="big5", sender=S_P, subject="確認函", expect="kind=confirmed match=matched trusted=1"
    )


@case
def zht_cancelled_big5hkscs() -> bytes:
    body = "訂單 HD20261126-0006 已取消。取消編號：PXL3001\n"
    return text_mail(
        body, charset="big5", sender=S_P, subject="取消確認", expect="kind=cancelled match=matched trusted=1"
    )


# -- English -------------------------------------------------------------------------------------


@case
def en_plain_confirm() -> bytes:
    body = "Dear Reservations,\n\nWe are pleased to confirm your booking HD20261126-0003.\nConfirmation No.: HY20261205A\nGuest: WANG/XIAOMING MR\nArrival: 05 Dec 2026  Departure: 07 Dec 2026\nRoom Type: Grand King\nRate: CNY 1280.00\n"
    return text_mail(
        body, sender=S_Y, subject="Reservation Confirmation", expect="kind=confirmed match=matched trusted=1"
    )


@case
def en_outlook_reply_on_slip() -> bytes:
    body = (
        "Confirmed. Conf# 4455123\n\nBest regards\nFront Desk\n\n"
        "From: Booking Centre <confirm@example.com>\nSent: Thursday, November 26, 2026 9:00 AM\n"
        "To: Reservations <reservations.shabund@hyatt.com>\nSubject: Booking Slip HD20261126-0003\n\n"
        + slip_en("HD20261126-0003", "WANG/XIAOMING MR", ("2026-12-05", "2026-12-07"))
    )
    return text_mail(
        body,
        sender=S_Y,
        subject="RE: Booking Slip HD20261126-0003",
        expect="kind=confirmed match=matched trusted=1 conf=4455123 orders=HD20261126-0003",
    )


@case
def en_full() -> bytes:
    body = "Dear partner,\nUnfortunately we are fully booked on 5 Dec 2026 and cannot accept booking HD20261126-0011.\n"
    return text_mail(body, sender=S_Y, subject="RE: Booking Slip", expect="kind=full match=matched trusted=1")


@case
def en_denied() -> bytes:
    body = "Regarding HD20261126-0011: we must decline this request as the contracted rate has expired.\nReason: contract rate expired\n"
    return text_mail(
        body, sender=S_Y, subject="RE: Booking Slip HD20261126-0011", expect="kind=denied match=matched trusted=1"
    )


@case
def en_amended() -> bytes:
    body = "Your reservation HD20261126-0006 has been amended as requested.\nCheck-in: Dec 16, 2026\nCheck-out: Dec 18, 2026\nConfirmation Number: PEN778812\n"
    return text_mail(body, sender=S_P, subject="Amendment", expect="kind=modified match=matched trusted=1")


@case
def en_cancel_by_conf_no() -> bytes:
    body = "Reservation HIL778899 has been cancelled.\nCancellation No.: C-55321\n"
    return text_mail(
        body, sender=S_H, subject="Cancellation", expect="kind=cancelled match=matched trusted=1 cancel=C-55321"
    )


@case
def en_no_show_by_name() -> bytes:
    body = "NO SHOW REPORT\nGuest: OUYANG/NANA MS\nArrival: 08DEC26  Departure: 09DEC26\nThe guest did not arrive; one night is charged.\n"
    return text_mail(
        body,
        sender=("Night Audit", "nightaudit@hilton.com"),
        subject="No-show report",
        expect="kind=no-show match=matched trusted=1",
    )


@case
def en_pinyin_guest_no_order_no() -> bytes:
    body = "Booking confirmed.\nGuest Name: ZHANG/WEI MR\nCheck-in: 2026-12-01 Check-out: 2026-12-03\nConfirmation: HIL556677\n"
    return text_mail(body, sender=S_H, subject="Booking confirmation", expect="kind=confirmed match=matched trusted=1")


@case
def en_confirm_with_policy_text() -> bytes:
    body = (
        "HD20261126-0001 is confirmed, confirmation number 77123.\nCancellation policy: reservations can be cancelled "
        "free of charge before 18:00 on the day of arrival. If you need to change the booking, please contact us. "
        "No-show will be charged one night.\n"
    )
    return text_mail(body, sender=S_H, subject="RE: HD20261126-0001", expect="kind=confirmed match=matched trusted=1")


@case
def en_subject_only() -> bytes:
    return text_mail(
        "Thanks.\n",
        sender=S_Y,
        subject="Re: HD20261126-0003 confirmed",
        expect="kind=confirmed match=matched trusted=1",
    )


# -- HTML, JSON-LD, microdata ----------------------------------------------------------------------


def html_mail(html: str, *, plain: str | None = None, **kw: object) -> bytes:
    if plain is None:
        msg: Message = MIMEText(html, "html", "utf-8")
    else:
        msg = MIMEMultipart("alternative", boundary="==corpus-alt==")
        msg.attach(MIMEText(plain, "plain", "utf-8"))
        msg.attach(MIMEText(html, "html", "utf-8"))
    return _headers(msg, **kw).as_bytes()  # type: ignore[arg-type]


@case
def html_only_table_confirm() -> bytes:
    html = (
        "<html><body><p>Dear partner,</p><p>Your booking is confirmed.</p><table border=1>"
        "<tr><td>Our Ref.</td><td>HD20261126-0003</td></tr><tr><td>Confirmation Number</td><td>99887766</td></tr>"
        "<tr><td>Guest</td><td>Wang Xiaoming</td></tr><tr><td>Room Type</td><td>Grand Twin</td></tr></table>"
        "<style>p{color:red}</style><script>var x='满房';</script></body></html>"
    )
    return html_mail(html, sender=S_Y, subject="Confirmation", expect="kind=confirmed match=matched trusted=1")


@case
def html_zh_table_full() -> bytes:
    html = "<div>您好：</div><table><tr><th>订单号</th><th>状态</th></tr><tr><td>HD20261126-0002</td><td>满房</td></tr></table><div>原因：会议包房</div>"
    return html_mail(html, sender=S_H, subject="回复", expect="kind=full match=matched trusted=1")


@case
def html_gmail_quote_with_fake_conf() -> bytes:
    html = (
        "<div dir='ltr'>Denied, sorry — we cannot accept this booking.</div><br><div class='gmail_quote'>"
        "<div class='gmail_attr'>On Thu, Nov 26, 2026 at 9:00 AM Booking Centre &lt;confirm@example.com&gt; wrote:</div>"
        "<blockquote class='gmail_quote'>Booking Slip<br>Please quote our order no. in your reply / 回复请注明订单号<br>"
        "Our Order No.: HD20261126-0011<br>Confirmation No.: 31415926<br>□ Confirmed □ Full □ Denied</blockquote></div>"
    )
    return html_mail(
        html,
        plain=None,
        sender=S_Y,
        subject="Re: Booking Slip",
        expect="kind=denied match=matched trusted=1 conf= orders=HD20261126-0011",
    )


@case
def jsonld_schema_org_confirm() -> bytes:
    data = {
        "@context": "http://schema.org", "@type": "LodgingReservation", "reservationNumber": "HY-REF-2026",
        "reservationStatus": "http://schema.org/ReservationConfirmed",
        "underName": {"@type": "Person", "name": "Xiaoming Wang"},
        "reservationFor": {"@type": "LodgingBusiness", "name": "Hyatt on the Bund"},
        "checkinDate": "2026-12-05T15:00:00+08:00", "checkoutDate": "2026-12-07T12:00:00+08:00",
        "lodgingUnitType": "Grand King", "totalPrice": "2560.00", "priceCurrency": "CNY",
    }  # fmt: skip
    import json

    html = f'<html><head><script type="application/ld+json">{json.dumps(data)}</script></head><body><p>Thank you for choosing Hyatt.</p></body></html>'
    return html_mail(
        html,
        plain="Thank you for choosing Hyatt.",
        sender=S_Y,
        subject="Your stay",
        expect="kind=confirmed match=matched trusted=1 conf=HY-REF-2026",
    )


@case
def jsonld_gmail_spelling_cancelled() -> bytes:
    data = {
        "@context": "http://schema.org", "@type": "LodgingReservation", "confirmationNumber": "HIL778899",
        "reservationStatus": "Cancelled", "underName": "Zhang Wei", "checkinTime": "2026-12-20",
        "checkoutTime": "2026-12-21", "reservationFor": {"name": "Hilton Beijing Wangfujing"},
    }  # fmt: skip
    import json

    html = f'<script type="application/ld+json">[{json.dumps(data)}]</script><p>Reservation update.</p>'
    return html_mail(html, sender=S_H, subject="Reservation update", expect="kind=cancelled match=matched trusted=1")


@case
def microdata_confirm() -> bytes:
    html = (
        '<div itemscope itemtype="http://schema.org/LodgingReservation">'
        '<meta itemprop="reservationStatus" content="http://schema.org/ReservationConfirmed"/>'
        'Confirmation: <span itemprop="reservationNumber">TPE-MD-42</span>'
        '<div itemprop="underName" itemscope itemtype="http://schema.org/Person">Guest: <span itemprop="name">林美玲</span></div>'
        '<time itemprop="checkinDate" datetime="2026-12-20">Dec 20</time> – '
        '<time itemprop="checkoutDate" datetime="2026-12-22">Dec 22</time></div>'
    )
    return html_mail(
        html, sender=S_T, subject="Reservation", expect="kind=confirmed match=matched trusted=1 conf=TPE-MD-42"
    )


# -- attachments -----------------------------------------------------------------------------------


def with_attachments(body: str, files: list[tuple[bytes, str, str, str]], **kw: object) -> bytes:
    msg = MIMEMultipart("mixed", boundary="==corpus-mixed==")
    msg.attach(MIMEText(body, "plain", "utf-8"))
    for data, maintype, subtype, name in files:
        attach(msg, data, maintype, subtype, name)
    return _headers(msg, **kw).as_bytes()  # type: ignore[arg-type]


@case
def pdf_ascii_fax_confirm() -> bytes:
    pdf = simple_pdf(
        ["FAX CONFIRMATION", "Our order: HD20261126-0006", "Confirmation No.: PEN20261215", "Status: CONFIRMED"]
    )
    return with_attachments("Please see the attached confirmation.", [(pdf, "application", "pdf", "confirmation.pdf")],
                            sender=S_P, subject="Fax from +85229202888", expect="kind=confirmed match=matched trusted=1 conf=PEN20261215")  # fmt: skip


@case
def pdf_cjk_confirm() -> bytes:
    pdf = cjk_pdf(["预订确认函", "订单号：HD20261126-0001", "确认号：HIL880011", "客人：张伟", "状态：已确认"])
    return with_attachments("附件为确认函。", [(pdf, "application", "pdf", "确认函.pdf")], sender=S_H,
                            subject="确认函", expect="kind=confirmed match=matched trusted=1 conf=HIL880011")  # fmt: skip


@case
def docx_confirm_table() -> bytes:
    doc = docx_bytes(
        "预订确认单", [("订单号", "HD20261126-0003"), ("确认号", "HYD0303"), ("入住人", "王小明"), ("状态", "已确认")]
    )
    ctype = ("application", "vnd.openxmlformats-officedocument.wordprocessingml.document")
    return with_attachments("请查收附件。", [(doc, *ctype, "确认单.docx")], sender=S_Y, subject="确认单",
                            expect="kind=confirmed match=matched trusted=1 conf=HYD0303")  # fmt: skip


@case
def xlsx_group_confirm() -> bytes:
    xlsx = xlsx_bytes(
        [
            ["订单号", "入住人", "状态"],
            ["HD20261126-0004", "陈静 刘洋", "已确认"],
            ["HD20261126-0005", "赵磊", "已确认"],
            ["团队确认号", "GRP9900", ""],
        ]
    )
    ctype = ("application", "vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    return with_attachments("Group rooming list confirmed, see attachment.", [(xlsx, *ctype, "rooming.xlsx")], sender=S_Y,
                            subject="Group", expect="kind=confirmed match=matched trusted=1 conf=GRP9900 orders=HD20261126-0004,HD20261126-0005")  # fmt: skip


@case
def attachment_name_traversal_rfc2231() -> bytes:
    pdf = simple_pdf(["Order HD20261126-0002", "Confirmation No.: HIL2231"])
    return with_attachments("Confirmed, see attached.", [(pdf, "application", "pdf", "../../确认 函.pdf")], sender=S_H,
                            subject="Confirmation", expect="kind=confirmed match=matched trusted=1")  # fmt: skip


@case
def forwarded_as_rfc822_attachment() -> bytes:
    inner = MIMEText("订单 HD20261126-0001 已确认，确认号：FWD8800。", "plain", "utf-8")
    inner["From"] = "frontoffice@hilton.com"
    inner["Subject"] = Header("确认", "utf-8").encode()
    msg = MIMEMultipart("mixed", boundary="==corpus-fwd==")
    msg.attach(MIMEText("FYI 前台确认见附件邮件。", "plain", "utf-8"))
    msg.attach(MIMEMessage(inner))
    return _headers(msg, sender=S_H, subject="Fwd: 确认", expect="kind=confirmed match=matched trusted=1").as_bytes()


# -- newsletters, auto-replies -------------------------------------------------------------------------


@case
def newsletter_from_hotel() -> bytes:
    html = "<h1>圣诞特惠</h1><p>Christmas offer: suites from CNY 1888. Almost sold out — book now!</p><p>已确认的会员可享双倍积分。</p>"
    msg = MIMEText(html, "html", "utf-8")
    _headers(
        msg,
        sender=("Hilton Honors", "news@hilton.com"),
        subject="圣诞特惠 Christmas offers",
        expect="kind=unknown match=ignored trusted=-",
    )
    msg["List-Unsubscribe"] = "<mailto:unsubscribe@hilton.com>"
    msg["Precedence"] = "bulk"
    return msg.as_bytes()


@case
def auto_reply_out_of_office() -> bytes:
    msg = MIMEText("我目前休假，12月1日返回。预订事宜请联系 rsvn@hyatt.com。", "plain", "utf-8")
    _headers(msg, sender=S_Y, subject="自动回复: 预订单 HD20261126-0003", expect="kind=unknown match=matched trusted=1")
    msg["Auto-Submitted"] = "auto-replied"
    return msg.as_bytes()


# -- spoofing ----------------------------------------------------------------------------------------


@case
def spoof_display_name_gmail() -> bytes:
    return text_mail("订单 HD20261126-0001 已确认，确认号：SPOOF001。", sender=("北京王府井希尔顿酒店 rsvn.bjswf@hilton.com", "rsvn.bjswf.hilton@gmail.com"),
                     subject="确认", expect="kind=confirmed match=matched trusted=0")  # fmt: skip


@case
def spoof_lookalike_suffix_domain() -> bytes:
    return text_mail("Booking HD20261126-0001 is confirmed. Confirmation No.: EVIL42", sender=("Hilton", "rsvn@hilton-hotels.com.evil.cn"),
                     subject="Confirmation", expect="kind=confirmed match=matched trusted=0")  # fmt: skip


@case
def spoof_idn_homograph() -> bytes:
    domain = "hіlton.com".encode("idna").decode()  # Cyrillic і
    return text_mail("Booking HD20261126-0002 is confirmed. Confirmation No.: IDN42", sender=("Hilton", f"rsvn@{domain}"),
                     subject="Confirmation", expect="kind=confirmed match=matched trusted=0")  # fmt: skip


@case
def spoof_dkim_fail() -> bytes:
    auth = (
        "mx.example.com; dkim=fail (bad signature) header.d=hilton.com; spf=fail smtp.mailfrom=hilton.com; dmarc=fail"
    )
    return text_mail(
        "订单 HD20261126-0002 满房。", sender=S_H, subject="满房", auth=auth, expect="kind=full match=matched trusted=0"
    )


@case
def spoof_unregistered_no_order() -> bytes:
    return text_mail("Guest: Zhang Wei\nCheck-in: 2026-12-01 Check-out: 2026-12-03\nConfirmed, conf no. 1234567", sender=("Hilton", "booking@hilton.com.cn"),
                     subject="Confirmation", expect="kind=confirmed match=review trusted=-")  # fmt: skip


# -- broken MIME -------------------------------------------------------------------------------------


def _broken_head(ctype: str, expect: str, extra: list[tuple[str, str]] | None = None) -> list[tuple[str, str]]:
    return [("From", HILTON), ("To", "confirm@example.com"), ("Subject", "Re: HD20261126-0001"), ("Date", DATE),
            ("Message-ID", f"<broken-{zlib.crc32(ctype.encode()):08x}@hilton.com>"), ("Received", RECEIVED),
            ("Authentication-Results", AUTH_OK.format(d="hilton.com")), ("MIME-Version", "1.0"),
            ("Content-Type", ctype), *(extra or []), ("X-Corpus-Expect", expect)]  # fmt: skip


@case
def broken_wrong_boundary() -> bytes:
    body = (
        b"--other\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n"
        + "已确认，确认号：BRK001".encode()
        + b"\r\n--other--\r\n"
    )
    return raw_mail(
        _broken_head('multipart/mixed; boundary="expected"', "kind=confirmed match=matched trusted=1"), body
    )


@case
def broken_bad_base64() -> bytes:
    good = base64.b64encode("订单已确认，确认号：B64OK7".encode()).decode()
    body = (good[:12] + "!!**" + good[12:] + "=").encode()
    return raw_mail(
        _broken_head(
            "text/plain; charset=utf-8",
            "kind=confirmed match=matched trusted=1",
            [("Content-Transfer-Encoding", "base64")],
        ),
        body,
    )


@case
def broken_truncated_multipart() -> bytes:
    body = (
        b"--b1\r\nContent-Type: text/plain; charset=gb2312\r\nContent-Transfer-Encoding: 8bit\r\n\r\n"
        + "满房，抱歉。".encode("gb2312")
        + b"\r\n--b1\r\nContent-Type: application/pdf\r\nContent-Transfer-Encoding: base64\r\n\r\nJVBERi0xLjQKJ"
    )
    return raw_mail(_broken_head('multipart/mixed; boundary="b1"', "kind=full match=matched trusted=1"), body)


@case
def broken_unknown_charset_and_bad_pdf() -> bytes:
    msg = MIMEMultipart("mixed", boundary="==corpus-bad==")
    part = MIMEText("", "plain", "utf-8")
    part.set_payload("订单 HD20261126-0002 已确认，确认号：UNK0042".encode("gbk"))
    part.replace_header("Content-Type", 'text/plain; charset="x-unknown-hotel"')
    part["Content-Transfer-Encoding"] = "8bit"
    msg.attach(part)
    attach(msg, b"%PDF-1.4 garbage that is not a pdf", "application", "pdf", "broken.pdf")
    return _headers(msg, sender=S_H, subject="确认", expect="kind=confirmed match=matched trusted=1").as_bytes()


def main() -> None:
    for old in HERE.glob("*.eml"):
        if old.stem in CASES:  # make_corpus_issue10.py writes its own cases beside these
            old.unlink()
    for name, build in sorted(CASES.items()):
        (HERE / f"{name}.eml").write_bytes(build())
    print(f"{len(CASES)} messages written to {HERE}")


if __name__ == "__main__":
    main()

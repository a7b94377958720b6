"""Reading MIME: charsets hotels use (and mislabel), headers, HTML to text, attachments, limits (issue 5 §3)."""

from __future__ import annotations

import base64
import io
import zipfile
from email.header import Header
from email.mime.multipart import MIMEMultipart
from email.mime.text import MIMEText
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hoteldesk.inbox_watchers import message as M
from hoteldesk.inbox_watchers.doctext import attachment_text
from hoteldesk.inbox_watchers.message import decode_bytes, header_text, html_to_text, read_message
from hoteldesk.inbox_watchers.reply import parse_reply

ZH = "订单已确认，确认号：88123456。客人张伟，豪华大床房两间，入住日期十二月一日。"
ZHT = "訂單已確認，確認編號：PEN778812。住客黃志明，豪華客房，入住日期十二月十五日。"


@pytest.mark.parametrize("label", ["gb2312", "GB2312", "gbk", "x-gbk", "cp936", "gb18030", "euc-cn"])
def test_every_gb_label_decodes_as_gb18030(label: str) -> None:
    text = ZH + "喆镕"  # 喆 and 镕 are outside GB2312: a 'gb2312' label on GBK text must still decode
    assert decode_bytes(text.encode("gb18030"), label) == (text, "gb18030")


@pytest.mark.parametrize("label", ["big5", "Big5", "x-big5", "big5-hkscs", "cp950"])
def test_big5_labels(label: str) -> None:
    text, codec = decode_bytes(ZHT.encode("big5"), label)
    assert text == ZHT
    assert codec in ("big5hkscs", "cp950")


def test_hkscs_characters_decode() -> None:
    text = "香港銅鑼灣𨋢"  # 𨋢 (lift) exists only in HKSCS
    assert decode_bytes(text.encode("big5hkscs"), "big5")[0] == text


@pytest.mark.parametrize(
    ("data", "label", "want"),
    [
        (ZH.encode("gbk"), "iso-8859-1", ZH),  # GBK sent as latin-1
        (ZH.encode("gbk"), "us-ascii", ZH),
        (ZH.encode("gbk"), None, ZH),  # no label
        (ZH.encode("gbk"), "utf-8", ZH),  # GBK labelled UTF-8 (fails as UTF-8)
        (ZH.encode("utf-8"), "gb2312", ZH),  # UTF-8 labelled GB2312
        (ZHT.encode("big5"), "gb2312", ZHT),  # Big5 labelled GB2312: decodes as GBK but into rare characters
        (ZHT.encode("big5"), None, ZHT),
        (ZH.encode("utf-8"), "x-unknown-charset", ZH),
        ("Café résumé".encode("cp1252"), "windows-1252", "Café résumé"),
    ],
)
def test_mislabelled_and_unlabelled_text(data: bytes, label: str | None, want: str) -> None:
    assert decode_bytes(data, label)[0] == want


def test_charset_normalizer_is_the_last_resort() -> None:
    text = "Привет, бронирование подтверждено. Номер подтверждения 12345. Спасибо за бронирование в нашем отеле."
    assert decode_bytes(text.encode("koi8-r"), None)[0] == text


def test_headers_rfc2047_in_gb2312_and_raw_8bit() -> None:
    assert header_text(Header("回复：预订单 喆", "gb18030").encode().replace("gb18030", "gb2312")) == "回复：预订单 喆"
    raw = b"From: x@y.cn\r\nSubject: " + "确认函".encode("gbk") + b"\r\n\r\nbody"
    assert read_message(raw).subject == "确认函"


def test_from_display_name_is_kept_apart_from_the_address() -> None:
    msg = MIMEText("x", "plain", "utf-8")
    msg["From"] = f"{Header('希尔顿 rsvn@hilton.com', 'utf-8').encode()} <evil@gmail.com>"
    got = read_message(msg.as_bytes())
    assert (got.from_addr, got.from_name) == ("evil@gmail.com", "希尔顿 rsvn@hilton.com")


def test_two_from_addresses_give_no_sender() -> None:
    got = read_message(b"From: a@hilton.com, b@evil.cn\r\nSubject: x\r\n\r\nbody")
    assert got.from_addr == ""
    assert got.from_count == 2


def test_html_to_text_keeps_table_cells_apart_and_drops_scripts() -> None:
    html = (
        "<style>td{}</style><table><tr><td>确认号</td><td>88123456</td></tr><tr><th>Guest</th><td>ZHANG/WEI</td>"
        "</tr></table><script>alert('满房')</script><p>Thanks&nbsp;&amp; regards</p>"
    )
    text = html_to_text(html)
    assert "确认号 | 88123456" in text
    assert "Guest | ZHANG/WEI" in text
    assert "满房" not in text
    assert "Thanks & regards" in text


def test_html_blockquote_lines_are_marked_quoted() -> None:
    text = html_to_text("<div>OK</div><blockquote>our slip<br>确认号: 1</blockquote><div>after</div>")
    assert "> our slip" in text
    assert "> 确认号: 1" in text


def test_alternative_prefers_a_real_plain_part_but_keeps_html_for_markup() -> None:
    msg = MIMEMultipart("alternative")
    msg.attach(MIMEText("Plain text version of the confirmation", "plain", "utf-8"))
    msg.attach(MIMEText("<p>HTML version of the confirmation</p>", "html", "utf-8"))
    got = read_message(msg.as_bytes())
    assert got.body == "Plain text version of the confirmation"
    assert got.html and "HTML version" in got.html[0]


def test_attachment_names_rfc2231_and_rfc2047_are_decoded_not_trusted() -> None:
    msg = MIMEMultipart()
    msg.attach(MIMEText("see attached", "plain", "utf-8"))
    for header in (("utf-8", "", "../../确认 函.txt"), None):
        part = MIMEText("hello", "plain", "utf-8")
        if header:
            part.add_header("Content-Disposition", "attachment", filename=header)
        else:
            part.add_header("Content-Disposition", "attachment", filename=Header("確認書.txt", "big5").encode())
        msg.attach(part)
    names = [a.name for a in read_message(msg.as_bytes()).attachments]
    assert names == ["../../确认 函.txt", "確認書.txt"]  # as written: the filer must sanitise them


def _zip(files: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in files.items():
            zf.writestr(name, data)
    return buf.getvalue()


def test_zip_bomb_attachment_is_not_opened(monkeypatch: pytest.MonkeyPatch) -> None:
    from hoteldesk.inbox_watchers import doctext

    monkeypatch.setattr(doctext, "MAX_UNZIPPED", 1000)
    data = _zip({"word/document.xml": b"0" * 5000})
    assert attachment_text(data, "application/octet-stream", "x.docx") == (
        "",
        "unpacks to more than 1000 bytes; not read",
    )


def test_kind_is_told_by_bytes_not_by_name() -> None:
    assert attachment_text(b"MZ\x90\x00 not a pdf", "application/pdf", "confirm.pdf") == ("", "")
    text, problem = attachment_text(b"%PDF-1.4 truncated", "application/octet-stream", "x.bin")
    assert text == ""
    assert problem.startswith("pdf could not be read")


def test_oversized_message_reads_headers_only(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(M, "MAX_MESSAGE_BYTES", 100)
    raw = b"From: a@hilton.com\r\nSubject: big\r\n\r\n" + b"x" * 500
    got = read_message(raw)
    assert (got.subject, got.body) == ("big", "")
    assert "only headers read" in got.problems[0]


def test_broken_base64_and_missing_boundary_do_not_raise() -> None:
    good = base64.b64encode("已确认".encode()).decode()
    raw = (
        b"From: a@hilton.com\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: base64\r\n\r\n"
        + (good[:4] + "!!" + good[4:]).encode()
    )
    assert "已确认" in read_message(raw).body
    raw = b"From: a@hilton.com\r\nContent-Type: multipart/mixed\r\n\r\nno boundary at all"
    got = read_message(raw)
    assert "no boundary at all" in got.body


GOLDEN = sorted((Path(__file__).resolve().parent.parent / "golden" / "mail").glob("*.eml"))


@settings(max_examples=150, deadline=None)
@given(st.binary(max_size=3000))
def test_any_bytes_parse_without_raising(data: bytes) -> None:
    parse_reply(b"From: a@hilton.com\r\nContent-Type: text/plain; charset=gb2312\r\n\r\n" + data)
    parse_reply(data)


@settings(max_examples=150, deadline=None)
@given(st.sampled_from(GOLDEN), st.integers(min_value=0, max_value=20000), st.binary(max_size=40))
def test_truncated_or_corrupted_corpus_mail_parses_without_raising(path: Path, cut: int, junk: bytes) -> None:
    raw = path.read_bytes()
    parse_reply(raw[:cut] + junk + raw[cut + len(junk) :])

"""The demo's mail sink: smtplib hands it a letter, it files the letter whole and relays nothing."""

from __future__ import annotations

import email
import smtplib
import threading
from email.message import EmailMessage
from email.policy import default
from pathlib import Path

from hoteldesk.demo.run import CLOSED_PORT, smtp_port
from hoteldesk.demo.sink import MailSink
from hoteldesk.drive import init_drive


def _letter(to: str) -> EmailMessage:
    msg = EmailMessage()
    msg["From"] = "confirm@example.com"
    msg["To"] = f"张伟 <{to}>"
    msg["Subject"] = "预订确认函 HD20261127-0001 — 12345678"
    msg.set_content(".a line that starts with a dot\n确认号 12345678\n")
    msg.add_attachment(b"%PDF-1.4 demo", maintype="application", subtype="pdf", filename="确认函.pdf")
    return msg


def test_sink_files_each_letter_whole_and_leaves_no_thread(tmp_path: Path) -> None:
    before = threading.active_count()
    with MailSink(tmp_path / "sink") as sink:
        with smtplib.SMTP("127.0.0.1", sink.port, timeout=5) as client:
            client.send_message(_letter("zhangwei@example.com"))
            client.send_message(_letter("liuna@example.com"))
        assert sink.count == 2
    assert threading.active_count() == before
    files = sorted((tmp_path / "sink").glob("*.eml"))
    assert [f.name for f in files] == ["001_zhangwei@example.com.eml", "002_liuna@example.com.eml"]
    msg = email.message_from_bytes(files[0].read_bytes(), policy=default)
    assert str(msg["Subject"]) == "预订确认函 HD20261127-0001 — 12345678"
    body, pdf = list(msg.iter_parts())
    assert body.get_content().startswith(".a line that starts with a dot")  # dot-stuffing undone
    assert pdf.get_filename() == "确认函.pdf" and pdf.get_content() == b"%PDF-1.4 demo"


def test_smtp_port_changes_only_that_line(tmp_path: Path) -> None:
    init_drive(tmp_path)
    toml = (tmp_path / "hoteldesk.toml").read_text(encoding="utf-8")
    changed = smtp_port(toml, CLOSED_PORT, "closed")
    assert f"port = {CLOSED_PORT}" in changed
    assert [a for a, b in zip(toml.splitlines(), changed.splitlines(), strict=True) if a != b] == ["port = 25"]

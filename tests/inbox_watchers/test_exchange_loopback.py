"""Exchange via exchangelib against a loopback EWS endpoint.

NOT EXCHANGE ITSELF: ews_server.py is an http.server with TLS on 127.0.0.1 answering the
EWS operations the mailroom uses (GetFolder, FindFolder, CreateFolder, FindItem, GetItem
with MimeContent, UpdateItem, MoveItem). exchangelib speaks real SOAP over verified HTTPS
to it; behaviour of a real Exchange beyond those operations is not covered here.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from hoteldesk.automations.context import open_context
from hoteldesk.errors import MailSourceError
from hoteldesk.inbox_watchers import ledger, mailroom
from hoteldesk.inbox_watchers.commands import mail_command
from hoteldesk.inbox_watchers.mailroom import process_mail
from hoteldesk.inbox_watchers.sources.exchange import ExchangeSource
from hoteldesk.shared_drive_layout import DriveLayout
from tests.inbox_watchers import mailkit as K
from tests.inbox_watchers.ews_server import PASSWORD, USER, EwsServer

NO1, NO2 = "HD20261126-0001", "HD20261126-0002"
AT = datetime(2026, 11, 26, 2, 0, tzinfo=UTC)


@pytest.fixture
def ews(tmp_path: Path) -> Iterator[EwsServer]:
    with EwsServer(tmp_path) as server:
        yield server


@pytest.fixture
def ex_drive(drive: Path, ews: EwsServer, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("HOTELDESK_EX_PASSWORD", PASSWORD)
    K.write_drive(DriveLayout(drive), [K.order(NO1), K.order(NO2, guest="李雷")])
    with (drive / "hoteldesk.toml").open("a", encoding="utf-8") as fh:
        fh.write(
            f'\n[[mail.accounts]]\nname = "ex"\nkind = "exchange"\nemail = "{USER}"\n'
            f'ews_url = "{ews.url}"\nca_file = "{ews.ca_file}"\nprocessed_folder = "Processed"\n'
        )
    return drive


def test_unread_reply_is_applied_then_marked_read_and_moved(ex_drive: Path, ews: EwsServer) -> None:
    ews.box.deliver(K.confirmation(NO1, "CF889123"), AT)
    with open_context(ex_drive) as ctx:
        lines = process_mail(ctx)
        assert lines[0] == "邮件室：已应用 1，已归档 1，转人工审核 0，忽略 0，失败 0", lines
        assert process_mail(ctx)[0].startswith("邮件室：已应用 0，已归档 0，")
    orders = K.read_orders(DriveLayout(ex_drive))
    assert (orders[NO1]["status"], orders[NO1]["hotel_conf_no"]) == ("已确认", "CF889123")
    [item] = ews.box.items.values()
    assert item.is_read and ews.box.folders[item.folder][0] == "Processed"
    # filed by the day Exchange received it, in the drive's zone (02:00 UTC = 10:00 Shanghai)
    assert [p.name for p in (ex_drive / "replies/2026/11/26").glob("*.eml")] == [f"100000_{NO1}_BJHY.eml"]
    assert {"GetItem", "UpdateItem", "MoveItem"} <= set(ews.box.calls)


def test_an_item_stays_unread_until_it_was_filed_and_applied(
    ex_drive: Path, ews: EwsServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    ews.box.deliver(K.confirmation(NO2, "CF2"), AT)

    def disk_full(*args: object, **kw: object) -> object:
        raise OSError(28, "No space left on device")

    real = mailroom.file_reply
    monkeypatch.setattr(mailroom, "file_reply", disk_full)
    with open_context(ex_drive) as ctx:
        assert process_mail(ctx)[0].endswith("失败 1")
        [item] = ews.box.items.values()
        assert not item.is_read and item.folder == "inbox"
        [failed] = ledger.entries(ctx.journal, "failed")
        assert "No space left" in failed.reason
    monkeypatch.setattr(mailroom, "file_reply", real)
    lines = mail_command(ex_drive, "retry")
    assert lines[0].startswith("重试 1 封：已应用 1，"), lines
    [item] = ews.box.items.values()
    assert item.is_read and ews.box.folders[item.folder][0] == "Processed"
    assert K.read_orders(DriveLayout(ex_drive))[NO2]["status"] == "已确认"


def test_certificate_is_verified(ews: EwsServer) -> None:
    src = ExchangeSource("nocert", email=USER, user=USER, password=PASSWORD, ews_url=ews.url)
    with pytest.raises(MailSourceError, match=r"(?i)certificate"):
        list(src.fetch())
    src.close()


def test_mail_test_reports_the_exchange_account(
    ex_drive: Path, ews: EwsServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    ews.box.deliver(K.confirmation(NO1, "CF1"), AT)
    lines = mail_command(ex_drive, "test")
    assert any(line.startswith("ex: connected to https://localhost:") and "1 unread in inbox" in line for line in lines)
    monkeypatch.setenv("HOTELDESK_EX_PASSWORD", "wrong")
    lines = mail_command(ex_drive, "test")
    assert lines[-1] == "1 mail source(s) need attention.", lines

"""IMAP against a real Dovecot on loopback (see dovecot.py): IDLE, drops, UIDVALIDITY, restarts, TLS checks."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from hoteldesk.automations.context import Context, open_context
from hoteldesk.errors import MailSourceError
from hoteldesk.inbox_watchers import ledger
from hoteldesk.inbox_watchers.commands import mail_command
from hoteldesk.inbox_watchers.mailroom import process_mail
from hoteldesk.inbox_watchers.sources.imap import ImapSource, append, hostname_error
from hoteldesk.inbox_watchers.watching import watch_mail
from hoteldesk.shared_drive_layout import DriveLayout
from tests.inbox_watchers import mailkit as K
from tests.inbox_watchers.dovecot import PASSWORD, USER, Dovecot

# imaplib2 3.6 calls Thread.setDaemon/currentThread (deprecated since Python 3.10) in its own threads.
pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning:imaplib2")

NO1, NO2, NO3 = "HD20261126-0001", "HD20261126-0002", "HD20261126-0003"


def configure(drive: Path, server: Dovecot, folder: str = "INBOX", **extra: str) -> None:
    lines = [
        "",
        "[[mail.accounts]]",
        'name = "main"',
        'kind = "imap"',
        'host = "localhost"',
        f"port = {server.imaps_port}",
        f'user = "{USER}"',
        f'folder = "{folder}"',
        f'ca_file = "{server.ca_file}"',
        "timeout = 10",
        *(f'{k} = "{v}"' for k, v in extra.items()),
    ]
    with (drive / "hoteldesk.toml").open("a", encoding="utf-8") as fh:
        fh.write("\n".join(lines) + "\n")


@pytest.fixture
def mail_drive(drive: Path, dovecot: Dovecot, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("HOTELDESK_MAIN_PASSWORD", PASSWORD)
    K.write_drive(DriveLayout(drive), [K.order(NO1), K.order(NO2, guest="李雷"), K.order(NO3, guest="韩梅梅")])
    configure(drive, dovecot)
    return drive


def wait_for(check: object, timeout: float = 20.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():  # type: ignore[operator]
            return
        time.sleep(0.1)
    raise AssertionError("timed out")


def status_of(drive: Path, no: str) -> str:
    try:
        return str(K.read_orders(DriveLayout(drive))[no]["status"])
    except Exception:  # the workbook is being replaced this very moment
        return ""


def server_flags(server: Dovecot, folder: str = "INBOX") -> list[bytes]:
    c = server.client()
    try:
        _typ, count = c.select(folder)
        if count[0] in (b"0", None):
            return []
        _typ, data = c.fetch("1:*", "(FLAGS)")
        return [d for d in data if isinstance(d, bytes)]
    finally:
        c.logout()


def deliver(server: Dovecot, raw: bytes, folder: str = "INBOX") -> None:
    c = server.client()
    try:
        typ, data = c.append(folder, None, None, raw)
        assert typ == "OK", data
    finally:
        c.logout()


@pytest.fixture
def watcher(mail_drive: Path) -> Iterator[tuple[Context, threading.Event, list[BaseException]]]:
    """The mailroom watch loop (IMAP IDLE + drop folder) in a thread, stopped after the test."""
    ctx = open_context(mail_drive)
    stop = threading.Event()
    errors: list[BaseException] = []
    passes: list[int] = []

    def run() -> None:
        try:
            watch_mail(ctx, stop, poll_seconds=30, on_pass=lambda t: passes.append(1))
        except BaseException as exc:
            errors.append(exc)

    thread = threading.Thread(target=run, name="watcher")
    thread.start()
    wait_for(lambda: passes)
    try:
        yield ctx, stop, errors
    finally:
        stop.set()
        thread.join(30)
        ctx.close()
        assert not thread.is_alive()
    assert errors == []


def test_idle_delivers_a_reply_to_the_order(mail_drive: Path, dovecot: Dovecot, watcher: object) -> None:
    start = time.monotonic()
    deliver(dovecot, K.confirmation(NO1, "CF889123"))
    wait_for(lambda: status_of(mail_drive, NO1) == "已确认")
    assert time.monotonic() - start < 10  # IDLE, not the 30 s poll
    assert K.read_orders(DriveLayout(mail_drive))[NO1]["hotel_conf_no"] == "CF889123"
    wait_for(lambda: b"$Hoteldesk" in b"".join(server_flags(dovecot)))  # flagged after it was applied
    assert b"\\Seen" in server_flags(dovecot)[0]
    filed = list((mail_drive / "replies").rglob("*.eml"))
    assert [p.name.split("_", 1)[1] for p in filed] == [f"{NO1}_BJHY.eml"]


def test_a_kicked_connection_reconnects_and_loses_nothing(mail_drive: Path, dovecot: Dovecot, watcher: object) -> None:
    time.sleep(0.5)  # the watcher is idling now
    assert dovecot.kick()  # doveadm kick: the server throws the session out
    deliver(dovecot, K.confirmation(NO1, "CF1"))
    deliver(dovecot, K.confirmation(NO2, "CF2"))
    wait_for(lambda: status_of(mail_drive, NO1) == "已确认" and status_of(mail_drive, NO2) == "已确认")
    time.sleep(0.5)
    assert dovecot.kick()  # again, after the mail was handled
    deliver(dovecot, K.confirmation(NO3, "CF3"))
    wait_for(lambda: status_of(mail_drive, NO3) == "已确认")
    with open_context(mail_drive) as ctx:
        assert [e.status for e in ledger.entries(ctx.journal)] == ["applied", "applied", "applied"]


def test_uidvalidity_change_rereads_without_applying_twice(
    drive: Path, dovecot: Dovecot, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HOTELDESK_MAIN_PASSWORD", PASSWORD)
    K.write_drive(DriveLayout(drive), [K.order(NO1), K.order(NO2, guest="李雷")])
    configure(drive, dovecot, folder="Hotels")
    c = dovecot.client()
    c.create("Hotels")
    c.logout()
    first = K.confirmation(NO1, "CF1")
    deliver(dovecot, first, "Hotels")
    with open_context(drive) as ctx:
        assert process_mail(ctx)[0].startswith("邮件室：已应用 1")
        before = ledger.Cursors(ctx.journal).get("main", "Hotels")
    # the folder is rebuilt on the server (restored from a backup): new UIDVALIDITY, flags gone
    c = dovecot.client()
    c.delete("Hotels")
    c.create("Hotels")
    c.logout()
    deliver(dovecot, first, "Hotels")
    deliver(dovecot, K.confirmation(NO2, "CF2"), "Hotels")
    with open_context(drive) as ctx:
        lines = process_mail(ctx)
        assert lines[0] == "邮件室：已应用 1，已归档 1，转人工审核 0，忽略 1，失败 0", lines
        after = ledger.Cursors(ctx.journal).get("main", "Hotels")
        assert before is not None and after is not None and after[0] != before[0]
        writes = ctx.journal.db.execute(
            "SELECT row_id, COUNT(*) FROM pending_writes WHERE field='status' GROUP BY row_id"
        ).fetchall()
        assert sorted(tuple(r) for r in writes) == [(NO1, 1), (NO2, 1)]
    assert all(b"$Hoteldesk" in f for f in server_flags(dovecot, "Hotels"))


def test_a_restart_applies_nothing_twice(mail_drive: Path, dovecot: Dovecot, monkeypatch: pytest.MonkeyPatch) -> None:
    deliver(dovecot, K.confirmation(NO1, "CF1"))
    # first run: decided and applied, but the flag on the server fails (the link drops right then)
    real_done = ImapSource.done

    def failing_done(self: ImapSource, mail: object) -> None:
        raise MailSourceError("connection dropped while flagging")

    monkeypatch.setattr(ImapSource, "done", failing_done)
    with open_context(mail_drive) as ctx:
        lines = process_mail(ctx)
        assert lines[0].startswith("邮件室：已应用 1") and "could not flag" in "\n".join(lines)
    assert b"$Hoteldesk" not in b"".join(server_flags(dovecot))
    monkeypatch.setattr(ImapSource, "done", real_done)
    dovecot.restart()
    # restarted watcher: the flag still owed is set, nothing is applied again
    with open_context(mail_drive) as ctx:
        assert process_mail(ctx)[0] == "邮件室：已应用 0，已归档 0，转人工审核 0，忽略 0，失败 0"
        assert b"$Hoteldesk" in b"".join(server_flags(dovecot))
        # the watcher's state is lost and someone marks the mail unread: read again, still applied once
        ctx.journal.db.execute("DELETE FROM mail_cursors")
    c = dovecot.client()
    c.select("INBOX")
    c.store("1:*", "-FLAGS", "(\\Seen $Hoteldesk)")
    c.logout()
    with open_context(mail_drive) as ctx:
        assert process_mail(ctx)[0] == "邮件室：已应用 0，已归档 0，转人工审核 0，忽略 0，失败 0"
        assert ctx.journal.db.execute("SELECT COUNT(*) FROM pending_writes WHERE field='status'").fetchone()[0] == 1
        assert len(ledger.entries(ctx.journal)) == 1


def test_processed_folder_move(drive: Path, dovecot: Dovecot, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HOTELDESK_MAIN_PASSWORD", PASSWORD)
    K.write_drive(DriveLayout(drive), [K.order(NO1)])
    configure(drive, dovecot, processed_folder="Processed")
    deliver(dovecot, K.confirmation(NO1, "CF1"))
    with open_context(drive) as ctx:
        assert process_mail(ctx)[0].startswith("邮件室：已应用 1")
    assert server_flags(dovecot, "INBOX") == []
    assert len(server_flags(dovecot, "Processed")) == 1


def test_host_name_check_rejects_a_certificate_for_another_name(dovecot: Dovecot) -> None:
    """The certificate says localhost/127.0.0.1; the same server reached as 127.0.0.2 must be refused."""
    good = ImapSource(
        "ok", "localhost", port=dovecot.imaps_port, user=USER, password=PASSWORD, ca_file=str(dovecot.ca_file)
    )
    assert good.check()[0].startswith("ok: connected to localhost")
    good.close()
    wrong = ImapSource(
        "wrong",
        "127.0.0.2",
        port=dovecot.imaps_port,
        user=USER,
        password=PASSWORD,
        ca_file=str(dovecot.ca_file),
        backoff=(),
    )
    with pytest.raises(MailSourceError, match="not trusted"):
        list(wrong.fetch())
    untrusted = ImapSource("sys", "localhost", port=dovecot.imaps_port, user=USER, password=PASSWORD, backoff=())
    with pytest.raises(MailSourceError, match="not trusted"):  # self-signed, not in the system CAs
        list(untrusted.fetch())


def test_hostname_error_checks_san_independently() -> None:
    cert = {
        "subject": ((("commonName", "localhost"),),),
        "subjectAltName": (("DNS", "*.hotel.cn"), ("IP Address", "10.0.0.1")),
    }
    assert hostname_error(cert, "mail.hotel.cn") is None
    assert hostname_error(cert, "10.0.0.1") is None
    assert hostname_error(cert, "a.b.hotel.cn") is not None  # a wildcard covers one label
    assert hostname_error(cert, "hotel.cn.evil.com") is not None
    assert hostname_error(cert, "10.0.0.2") is not None
    assert hostname_error({}, "x") is not None


def test_starttls_and_append_with_an_aware_date(dovecot: Dovecot) -> None:
    from datetime import datetime
    from zoneinfo import ZoneInfo

    src = ImapSource(
        "st", "localhost", port=dovecot.imap_port, user=USER, password=PASSWORD, security="starttls",
        ca_file=str(dovecot.ca_file), timeout=30, backoff=(),
    )  # fmt: skip
    conn = src.connect()
    when = datetime(2026, 11, 26, 9, 30, tzinfo=ZoneInfo("Asia/Shanghai"))
    typ, _ = append(conn, "INBOX", K.confirmation(NO1, "CF1"), when)
    assert typ == "OK"
    [mail] = list(src.fetch())
    assert mail.received == when
    with pytest.raises(ValueError):
        append(conn, "INBOX", b"x", datetime(2026, 11, 26))  # a naive time is refused, never guessed
    src.close()


def test_mail_test_command_reports_each_account(mail_drive: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    lines = mail_command(mail_drive, "test")
    assert any(line.startswith("main: connected to localhost") for line in lines), lines
    assert lines[-1] == "All mail sources work."
    monkeypatch.setenv("HOTELDESK_MAIN_PASSWORD", "wrong")
    lines = mail_command(mail_drive, "test")
    assert any("login refused" in line for line in lines), lines
    monkeypatch.delenv("HOTELDESK_MAIN_PASSWORD")
    lines = mail_command(mail_drive, "test")
    assert any("HOTELDESK_MAIN_PASSWORD" in line for line in lines), lines
    assert lines[-1] == "1 mail source(s) need attention."


def test_wrong_folder_fails_at_once_and_a_closed_port_after_backoff(dovecot: Dovecot) -> None:
    from tests.inbox_watchers.dovecot import free_port

    src = ImapSource("main", "localhost", port=dovecot.imaps_port, user=USER, password=PASSWORD,
                     ca_file=str(dovecot.ca_file), folders=("Nope",))  # fmt: skip
    start = time.monotonic()
    with pytest.raises(MailSourceError, match="folder 'Nope' cannot be opened"):
        list(src.fetch())
    assert time.monotonic() - start < 3  # not retried: retrying cannot help
    src.close()
    down = ImapSource("down", "127.0.0.1", port=free_port(), user=USER, password=PASSWORD, backoff=(0.1, 0.2))
    with pytest.raises(MailSourceError, match="failed after 3 tries"):
        list(down.fetch())
    down.close()


def test_a_starttls_that_hangs_is_cut_off_by_the_watchdog() -> None:
    """imaplib2 fault 2: a peer that says OK to STARTTLS and then never shakes hands must not hang the watcher."""
    import socket

    server = socket.create_server(("127.0.0.1", 0))
    port = server.getsockname()[1]
    release = threading.Event()

    def stall() -> None:
        conn, _ = server.accept()
        with conn, conn.makefile("rb") as lines:
            conn.sendall(b"* OK [CAPABILITY IMAP4rev1 STARTTLS] ready\r\n")
            for line in lines:
                tag, _, cmd = line.strip().partition(b" ")
                if cmd.upper().startswith(b"STARTTLS"):
                    conn.sendall(tag + b" OK begin TLS now\r\n")
                    release.wait(30)  # ... and never a ServerHello
                    return
                conn.sendall(b"* CAPABILITY IMAP4rev1 STARTTLS\r\n" + tag + b" OK done\r\n")

    thread = threading.Thread(target=stall)
    thread.start()
    src = ImapSource("hang", "127.0.0.1", port=port, user=USER, password=PASSWORD, security="starttls",
                     timeout=2, backoff=())  # fmt: skip
    start = time.monotonic()
    try:
        with pytest.raises(MailSourceError, match="cannot connect"):
            list(src.fetch())
        assert time.monotonic() - start < 10
    finally:
        release.set()
        thread.join(10)
        server.close()
        src.close()

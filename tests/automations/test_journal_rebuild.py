"""Issue 8 §8: a lost, emptied, older or damaged journal never re-sends what the drive shows was sent.

The drive is built and run for real (outbox with the spool gateway, LibreOffice): two orders are
faxed, the operator marks one sent. Then the journal goes; the next pass refuses, says why and what to
do; ``hoteldesk journal rebuild`` puts back what the drive shows; the pass after sends nothing again.
"""

from __future__ import annotations

import shutil
import sqlite3
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest

from hoteldesk.automations.context import open_context
from hoteldesk.automations.rebuild import rebuild_journal
from hoteldesk.cli import main
from hoteldesk.config import load_config
from hoteldesk.journal import Journal
from hoteldesk.loop.daemon import run_once
from hoteldesk.loop.passes import run_pass
from hoteldesk.loop.steps import PASS as STEPS
from hoteldesk.shared_drive_layout import DriveLayout
from tests.automations.orderbook import NOW, fixed_clock, order, read_bookings, save_bookings, write_reference

NO_OUTBOX = tuple(s for s in STEPS if s.name in ("orders", "write-back", "views"))
ZHANG = order(guests=("张三",), booker="李雷")
WANG = order(guests=("王五",), booker="韩梅梅", check_in=date(2026, 12, 4), check_out=date(2026, 12, 6))


def journal_path(drive: Path) -> Path:
    return load_config(drive).journal_path


def spool(drive: Path) -> Path:
    return DriveLayout(drive).outbox_fax / "spool"


def tickets(drive: Path) -> set[str]:
    return {p.stem for p in spool(drive).glob("*.json")}


def jobs(drive: Path) -> list[tuple[str, int, str, str]]:
    with Journal(journal_path(drive)) as j:
        rows = j.db.execute("SELECT order_no, revision, kind, state FROM outbox_jobs ORDER BY order_no, revision")
        return [(str(r[0]), int(r[1]), str(r[2]), str(r[3])) for r in rows]


def drop_journal(drive: Path, how: str) -> None:
    path = journal_path(drive)
    for extra in (path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
        extra.unlink(missing_ok=True)
    if how == "deleted":
        path.unlink()
    else:  # emptied: the file is there, with nothing in it
        path.write_bytes(b"")


@pytest.fixture
def faxed(drive: Path) -> Path:
    """Two orders faxed through the spool; the operator has marked the first one sent (delivered)."""
    layout = DriveLayout(drive)
    write_reference(layout)
    save_bookings(layout.bookings, [ZHANG, WANG])
    first = run_once(drive, fixed_clock)
    assert first.ok, first.lines
    sent = sorted(tickets(drive))
    assert len(sent) == 2
    (spool(drive) / f"{sent[0]}.done").write_text("ok", encoding="utf-8")
    second = run_once(drive, fixed_clock)
    assert second.ok, second.lines
    assert sorted(s for _n, _r, _k, s in jobs(drive)) == ["delivered", "submitted"]
    return drive


@pytest.mark.parametrize("how", ["deleted", "emptied"])
def test_a_lost_journal_stops_the_pass_and_the_rebuild_sends_nothing_again(faxed: Path, how: str) -> None:
    before = jobs(faxed)
    drop_journal(faxed, how)
    for p in spool(faxed).iterdir():  # the tickets are gone too: the spool is no guard any more
        p.unlink()

    refused = run_once(faxed, fixed_clock)
    assert not refused.ok
    assert any("停止" in line and "journal rebuild" in line for line in refused.lines), refused.lines
    assert tickets(faxed) == set()  # nothing handed to the fax
    assert jobs(faxed) == []
    assert main(["mail", "pull", str(faxed)]) == 1  # replies are not applied on it either

    assert main(["journal", "rebuild", str(faxed)]) == 0
    assert jobs(faxed) == before

    after = run_once(faxed, fixed_clock)
    assert after.ok, after.lines
    assert tickets(faxed) == set()  # nothing faxed a second time
    assert [(n, r, k) for n, r, k, _s in jobs(faxed)] == [(n, r, k) for n, r, k, _s in before]
    assert {r["status"] for r in read_bookings(DriveLayout(faxed).bookings)} <= {"待发", "已发"}


def test_a_cancel_slip_already_faxed_is_not_faxed_again_after_a_rebuild(faxed: Path) -> None:
    layout = DriveLayout(faxed)
    rows = read_bookings(layout.bookings)
    assert rows[0]["status"] == "已发"
    save_bookings(layout.bookings, [{**rows[0], "status": "取消"}, rows[1]])  # the guest cancels
    owner = layout.workbooks / "~$Bookings.xlsx"
    owner.write_bytes(b"\x06wang fang")  # and keeps Bookings.xlsx open
    assert run_once(faxed, fixed_clock).ok
    before = jobs(faxed)
    assert [k for _n, _r, k, _s in before].count("cancel") == 1
    assert read_bookings(layout.bookings)[0]["status"] == "取消"
    drop_journal(faxed, "deleted")  # the waiting write-back is lost with it
    owner.unlink()
    for p in spool(faxed).iterdir():
        p.unlink()
    assert not run_once(faxed, fixed_clock).ok

    rebuild_journal(faxed, fixed_clock)
    assert run_once(faxed, fixed_clock).ok
    assert tickets(faxed) == set()
    assert [(n, r, k) for n, r, k, _s in jobs(faxed)] == [(n, r, k) for n, r, k, _s in before]
    assert run_once(faxed, fixed_clock).ok  # and the pass after: still no second cancel slip
    assert [(n, r, k) for n, r, k, _s in jobs(faxed)] == [(n, r, k) for n, r, k, _s in before]
    cancelled = read_bookings(layout.bookings)[0]
    # the 取消单 waits for the fax operator, as before the journal was lost: 取消 until it went (QA stop 7 §1)
    assert cancelled["status"] == "取消"
    assert not cancelled.get("problems")


def test_a_lost_journal_is_caught_even_when_the_outbox_folders_were_cleared(faxed: Path) -> None:
    """Only documents/ and the Dashboard are left to show hoteldesk has sent from this drive."""
    drop_journal(faxed, "deleted")
    for state in ("rendered", "submitted", "delivered"):
        shutil.rmtree(DriveLayout(faxed).outbox_fax / state, ignore_errors=True)
    assert any((faxed / "documents").rglob("*.pdf"))
    refused = run_once(faxed, fixed_clock)
    assert not refused.ok
    assert any("停止" in line for line in refused.lines), refused.lines


def test_a_new_drive_is_not_mistaken_for_a_lost_journal(drive: Path) -> None:
    layout = DriveLayout(drive)
    write_reference(layout)
    save_bookings(layout.bookings, [])  # no order yet: the journal holds nothing but its own first pass
    with open_context(drive, fixed_clock) as ctx:
        assert run_pass(ctx, NO_OUTBOX).ok
        assert run_pass(ctx, NO_OUTBOX).ok  # the Dashboard of the first pass is its own


def test_an_older_journal_restored_is_caught_and_rebuilt(drive: Path, tmp_path: Path) -> None:
    layout = DriveLayout(drive)
    write_reference(layout)
    save_bookings(layout.bookings, [ZHANG])
    assert run_once(drive, fixed_clock).ok
    old = tmp_path / "yesterday.sqlite3"
    with Journal(journal_path(drive)) as j, sqlite3.connect(old) as copy:
        j.db.backup(copy)
    save_bookings(layout.bookings, [*read_bookings(layout.bookings), WANG])
    assert run_once(drive, fixed_clock).ok
    before, sent = jobs(drive), tickets(drive)
    assert len(before) == 2 and len(sent) == 2

    drop_journal(drive, "deleted")
    shutil.copyfile(old, journal_path(drive))  # "restore last night's copy"
    refused = run_once(drive, fixed_clock)
    assert not refused.ok
    assert any("1 个任务" in line for line in refused.lines), refused.lines

    report = rebuild_journal(drive, fixed_clock)
    assert report.jobs == 1
    assert run_once(drive, fixed_clock).ok
    assert [(n, r, k) for n, r, k, _s in jobs(drive)] == [(n, r, k) for n, r, k, _s in before]
    assert tickets(drive) == sent


def test_a_damaged_journal_stops_the_pass_with_a_clear_message(drive: Path, capsys: pytest.CaptureFixture[str]) -> None:
    layout = DriveLayout(drive)
    write_reference(layout)
    save_bookings(layout.bookings, [ZHANG, WANG])
    with open_context(drive, fixed_clock) as ctx:
        assert run_pass(ctx, NO_OUTBOX).ok
    path = journal_path(drive)
    data = bytearray(path.read_bytes())
    assert len(data) > 6 * 4096
    data[2 * 4096 : 5 * 4096] = bytes((i * 37 + 11) % 251 for i in range(3 * 4096))  # damaged pages
    path.write_bytes(bytes(data))

    assert main(["run", "--once", str(drive)]) == 1
    err = capsys.readouterr().err
    assert "damaged" in err and "journal rebuild" in err and "backup" in err

    report = rebuild_journal(drive, fixed_clock)
    assert report.kept_aside is not None and report.kept_aside.name.startswith("journal.sqlite3.damaged-")
    with open_context(drive, fixed_clock) as ctx:
        assert run_pass(ctx, NO_OUTBOX).ok


def test_the_journal_is_backed_up_once_a_day_and_n_days_are_kept(drive: Path) -> None:
    toml = drive / "hoteldesk.toml"
    toml.write_text(toml.read_text(encoding="utf-8").replace("[drive]", "[drive]\njournal_backups = 2"), "utf-8")
    layout = DriveLayout(drive)
    write_reference(layout)
    save_bookings(layout.bookings, [ZHANG])
    for day in range(3):
        at = NOW + timedelta(days=day)

        def clock(at: datetime = at) -> datetime:
            return at

        with open_context(drive, clock) as ctx:
            assert run_pass(ctx, NO_OUTBOX).ok
            assert run_pass(ctx, NO_OUTBOX).ok  # a second pass the same day adds no second backup
    backups = sorted(p.name for p in (journal_path(drive).parent / "backups").iterdir())
    assert backups == ["journal-2026-11-27.sqlite3", "journal-2026-11-28.sqlite3"]
    with Journal(journal_path(drive).parent / "backups" / backups[-1]) as copy:
        assert copy.db.execute("SELECT COUNT(*) FROM order_state").fetchone()[0] == 1


def test_a_reply_filed_before_the_journal_was_lost_is_not_applied_twice(drive: Path) -> None:
    from hoteldesk.inbox_watchers.mailroom import process_mail
    from tests.inbox_watchers import mailkit as K

    layout = DriveLayout(drive)
    K.write_drive(layout, [K.order("HD20261126-0001")])
    raw = K.confirmation("HD20261126-0001", "CF889123", when=NOW)
    K.drop(layout, "ok.eml", raw)
    with open_context(drive, fixed_clock) as ctx:
        assert process_mail(ctx)[0].startswith("邮件室：已应用 1，")
    assert any(layout.replies.rglob("*.eml"))

    drop_journal(drive, "deleted")
    rebuild_journal(drive, fixed_clock)
    K.drop(layout, "again.eml", raw)  # the same message fetched again (a mailbox re-read from the start)
    with open_context(drive, fixed_clock) as ctx:
        lines = process_mail(ctx)
    assert lines[0].startswith("邮件室：已应用 0，已归档 0，"), lines  # known: the duplicate of a filed reply
    assert len(list(layout.replies.rglob("*.eml"))) == 1

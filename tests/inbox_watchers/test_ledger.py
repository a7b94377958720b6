"""The mail ledger: every message's fate, each message applied once (architecture: "the journal remembers")."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from hoteldesk.automations.context import open_context
from hoteldesk.inbox_watchers import ledger
from hoteldesk.inbox_watchers.mailroom import process_mail, retry_failed, run_sources
from hoteldesk.inbox_watchers.sources import RawMail
from hoteldesk.inbox_watchers.sources.maildir import MaildirSource
from hoteldesk.journal import Journal
from tests.inbox_watchers import mailkit as K

NOW = datetime(2026, 11, 26, 8, 0, tzinfo=UTC)


def test_journal_has_the_ledger_tables(tmp_path: Path) -> None:
    with Journal(tmp_path / "j.sqlite3") as j:
        assert j.version >= 4
        names = {r[0] for r in j.db.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        assert {"mail_ledger", "mail_cursors"} <= names


def test_claim_finish_and_duplicates(tmp_path: Path) -> None:
    with Journal(tmp_path / "j.sqlite3") as j:
        a = RawMail("main", "INBOX", 7, "41", b"raw-a", NOW)
        e = ledger.claim(j, a, "<m1@hotel>", "sha-a", NOW)
        assert e.status == "processing" and e.attempts == 1
        assert ledger.retryable(j)[0][1].raw_bytes == b"raw-a"  # a crash here is retried
        ledger.finish(j, e.id, "applied", "已发 → 已确认", NOW, order_nos=["HD1"], filed_path="replies/x.eml")
        got = ledger.get(j, e.id)
        assert got is not None and got.status == "applied" and got.order_nos == ("HD1",)
        assert ledger.retryable(j) == []  # raw bytes dropped once decided
        # the same message by another route: same Message-ID, other bytes (another server re-wrapped it)
        dup = ledger.find_duplicate(j, "<m1@hotel>", "sha-other")
        assert dup is not None and dup.id == e.id
        # same bytes, no Message-ID
        assert ledger.find_duplicate(j, "", "sha-a") is not None
        assert ledger.find_duplicate(j, "<m2@hotel>", "sha-b") is None


def test_failed_keeps_raw_bytes_for_retry(tmp_path: Path) -> None:
    with Journal(tmp_path / "j.sqlite3") as j:
        m = RawMail("dropfolder", "", 0, "a.eml#123", b"bytes", NOW)
        e = ledger.claim(j, m, "", "sha", NOW)
        ledger.finish(j, e.id, "failed", "ValueError: boom", NOW)
        again = ledger.claim(j, m, "", "sha", NOW)
        assert again.id == e.id and again.attempts == 2  # same row, never a second one
        ledger.finish(j, e.id, "failed", "ValueError: boom", NOW)
        [(entry, mail)] = ledger.retryable(j)
        assert entry.reason == "ValueError: boom" and mail.raw_bytes == b"bytes"


def _maildir(root: Path) -> Path:
    for sub in ("cur", "new", "tmp"):
        (root / sub).mkdir(parents=True, exist_ok=True)
    return root


def test_same_reply_by_two_routes_is_applied_once(drive: Path) -> None:
    """A hotel reply sent both to the drop folder and to a Maildir: one update, one ignored duplicate."""
    with open_context(drive) as ctx:
        K.write_drive(ctx.layout, [K.order("HD20261126-0001")])
        raw = K.confirmation("HD20261126-0001", "CF889123")
        K.drop(ctx.layout, "reply.eml", raw)
        box = _maildir(drive.parent / "Maildir")
        relayed = b"Received: from mx2.example.com by mail.example.com; Thu, 26 Nov 2026 08:00:00 +0800\n" + raw
        (box / "new" / "1.host").write_bytes(relayed)  # the other route added its own Received line
        first = process_mail(ctx)
        assert first[0].startswith("邮件室：已应用 1，")
        tally = run_sources(ctx, [MaildirSource("mx", box)])
        assert (tally.applied, tally.ignored) == (0, 1)
        rows = ledger.entries(ctx.journal)
        assert [r.status for r in rows] == ["applied", "ignored"]
        assert "duplicate of #1 (same Message-ID" in rows[1].reason
        assert K.read_orders(ctx.layout)["HD20261126-0001"]["hotel_conf_no"] == "CF889123"
        writes = ctx.journal.db.execute("SELECT COUNT(*) FROM pending_writes WHERE field='status'").fetchone()[0]
        assert writes == 1
        # the Maildir copy was marked seen only after it was decided
        assert not list((box / "new").iterdir()) and next(iter((box / "cur").iterdir())).name.endswith(":2,S")


def test_failed_message_is_recorded_and_retried(drive: Path) -> None:
    with open_context(drive) as ctx:
        K.write_drive(ctx.layout, [K.order("HD20261126-0001")])
        K.drop(ctx.layout, "reply.eml", K.confirmation("HD20261126-0001", "CF1"))

        def broken(raw: bytes, orders: object, hotels: object) -> object:
            raise RuntimeError("parser crashed")

        tally = run_sources(ctx, [ctx_drop(ctx)], interpreter=broken)  # type: ignore[arg-type]
        assert tally.failed == 1
        [failed] = ledger.entries(ctx.journal, "failed")
        assert "parser crashed" in failed.reason
        assert (ctx.layout.mail_inbox / "reply.eml").exists()  # not moved: nothing was applied
        lines = retry_failed(ctx)
        assert lines[0].startswith("重试 1 封：已应用 1，")
        assert ledger.entries(ctx.journal, "failed") == []
        assert not (ctx.layout.mail_inbox / "reply.eml").exists()  # moved once applied
        assert K.read_orders(ctx.layout)["HD20261126-0001"]["status"] == "已确认"


def ctx_drop(ctx: object) -> object:
    from hoteldesk.inbox_watchers.mailroom import drop_folder

    return drop_folder(ctx)  # type: ignore[arg-type]


def test_a_second_pass_after_restart_applies_nothing(drive: Path) -> None:
    with open_context(drive) as ctx:
        K.write_drive(ctx.layout, [K.order("HD20261126-0001")])
        path = K.drop(ctx.layout, "reply.eml", K.confirmation("HD20261126-0001", "CF1"))
        raw = path.read_bytes()
        process_mail(ctx)
    # the file comes back (a colleague copies it in again) and the watcher restarted
    K.drop(K.DriveLayout(drive), "reply-again.eml", raw)
    with open_context(drive) as ctx:
        lines = process_mail(ctx)
        assert lines[0] == "邮件室：已应用 0，已归档 0，转人工审核 0，忽略 1，失败 0"
        assert ctx.journal.db.execute("SELECT COUNT(*) FROM pending_writes WHERE field='status'").fetchone()[0] == 1

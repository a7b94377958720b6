"""``hoteldesk demo`` closes the loop (issue 8 §6): the demo's fax operator marks the faxes in the spool
sent, the next outbox round picks the markers up, the orders become 已发, the replies are applied and the
customers' letters go out — and the summary says so with the drive's own numbers."""

from __future__ import annotations

import re
from collections import Counter
from datetime import date
from pathlib import Path

import pytest

from hoteldesk.automations.context import open_context
from hoteldesk.demo.run import run_demo
from hoteldesk.documents import jobs
from hoteldesk.shared_drive_layout import DriveLayout
from hoteldesk.workbooks.reader import read_sheet
from hoteldesk.workbooks.schema import ORDERS

TODAY = date(2026, 11, 27)
LOOP = re.compile(
    r"loop: (\d+) booking fax\(es\) sent by the fax operator → (\d+) order\(s\) 已发 in Bookings\.xlsx; "
    r"(\d+) hotel repl(?:y|ies) applied; (\d+) customer letter\(s\) out \((\d+) by e-mail, (\d+) by fax, "
    r"(\d+) call\(s\) to make\); (\d+) fax\(es\) waiting for the operator in outbox/fax/spool"
)


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[str]]:
    root = tmp_path_factory.mktemp("loop") / "demo-drive"
    lines = run_demo(root, orders=400, progress=False, today=TODAY)
    return root, lines


def test_the_fax_operator_marks_the_spool_and_the_next_round_delivers_every_marked_fax(
    demo: tuple[Path, list[str]],
) -> None:
    root, lines = demo
    text = "\n".join(lines)
    assert "FAILED" not in text, text
    assert re.search(r"fax operator \([\d.]+ s\):\n    fax operator: \d+ fax\(es\) sent, \.done left", text), text
    layout = DriveLayout(root)
    done = sorted(p.stem for p in (layout.outbox_fax / "delivered").glob("*.done"))
    assert done  # the operator's markers came back with their jobs
    assert not list(layout.spool.glob("*.done"))  # none left behind in the spool
    with open_context(root) as ctx:
        fax_jobs = {j.key: j for j in jobs.jobs_in(ctx.journal, *jobs.STATES) if j.channel == "fax"}
        assert {k for k, j in fax_jobs.items() if j.state == "delivered"} == set(done)
        waiting = [j.key for j in fax_jobs.values() if j.state == "submitted"]
    assert sorted(p.stem for p in layout.spool.glob("*.json")) == sorted(waiting)


def test_the_summary_shows_the_loop_closed_with_the_drives_numbers(demo: tuple[Path, list[str]]) -> None:
    root, lines = demo
    [loop] = [m for m in map(LOOP.search, lines) if m]
    faxed, sent, applied, letters, by_mail, by_fax, calls, waiting = map(int, loop.groups())
    assert faxed >= 1 and applied >= 1 and letters >= 1  # the whole loop, on this day's sample data
    layout = DriveLayout(root)
    status = {str(r.values["order_no"]): str(r.values["status"]) for r in read_sheet(layout.bookings, ORDERS).rows}
    with open_context(root) as ctx:
        delivered = [j for j in jobs.jobs_in(ctx.journal, "delivered")]
        booked = [j.order_no for j in delivered if j.kind == "booking"]
        letter_out = Counter(
            j.channel
            for j in jobs.jobs_in(ctx.journal, "delivered", "submitted")
            if j.kind == "letter" and (j.state == "delivered" or j.channel == "phone")  # a call task is out
        )
        ledger = ctx.journal.db.execute("SELECT COUNT(*) FROM mail_ledger WHERE status='applied'").fetchone()[0]
    assert faxed == len(booked)
    answered = {
        no for no in booked if status[no] in ("已确认", "满房", "拒绝")
    }  # a hotel faxed the slip back (issue 17)
    assert len(answered) <= 5  # the demo's hotels fax back at most five slips, some of them for the clerk
    assert sent == sum(status[no] == "已发" for no in booked) == len(booked) - len(answered)  # the rest read 已发
    assert applied == ledger
    assert (by_mail, by_fax, calls) == (letter_out["email"], letter_out["fax"], letter_out["phone"])
    assert letters == by_mail + by_fax + calls
    assert waiting == len(list(layout.spool.glob("*.json")))

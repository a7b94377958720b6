"""THE pass, as data: the steps in the order of the loop at the centre (architecture.md).

An agent saves Bookings.xlsx → the orders are diffed, checked, numbered, routed → status, number and
problems are written back → the outbox renders and faxes the slips → the mailroom reads the hotels'
replies and applies them → those cells are written back → the views (Dashboard, Remaining) are redrawn.

``run --once`` runs :data:`PASS`; the daemon runs :data:`DAEMON_PASS` (the same, with one LibreOffice for
its whole life) after a save, and :data:`TIMED_PASS` (without the orders) when only time went by. A new
desk adds its step here, in the place of the loop where it belongs. Every step is imported directly: an
import error stops hoteldesk instead of switching a part off (issue 15).
"""

from __future__ import annotations

from hoteldesk.automations.floor import process_floor
from hoteldesk.automations.members import process_members
from hoteldesk.automations.orders import process_workbooks
from hoteldesk.automations.views import refresh_views
from hoteldesk.documents.floor_papers import print_floor_papers
from hoteldesk.documents.member_papers import print_member_papers
from hoteldesk.documents.outbox import process_outbox, process_outbox_daemon
from hoteldesk.documents.report_schedule import write_due_reports
from hoteldesk.documents.resource_papers import resources_pass
from hoteldesk.inbox_watchers.faxdesk import FILE as FAX_REVIEW_SHEET
from hoteldesk.inbox_watchers.faxroom import process_faxes
from hoteldesk.inbox_watchers.mailroom import process_mail
from hoteldesk.loop.fingerprint import Inputs, Tick
from hoteldesk.loop.step import FlushStep, LinesStep, Step
from hoteldesk.workbooks.pending import flush_pending

ORDERS = LinesStep("orders", process_workbooks)
MEMBERS = LinesStep("members", lambda ctx: process_members(ctx).lines)
MEMBER_PAPERS = LinesStep("member-papers", print_member_papers)
FLOOR = LinesStep("floor", process_floor)
FLOOR_PAPERS = LinesStep("floor-papers", print_floor_papers)
WRITE_BACK = FlushStep(flush_pending)
OUTBOX = LinesStep("outbox", process_outbox)
MAILROOM = LinesStep("mailroom", process_mail)
FAX_IN = LinesStep("fax-in", process_faxes)
VIEWS = LinesStep("views", refresh_views)
RESOURCES = LinesStep("resources", resources_pass)
REPORTS = LinesStep("reports", write_due_reports)

#: One pass, in order (``hoteldesk run --once``).
PASS: tuple[Step, ...] = (
    ORDERS,  # diff Bookings.xlsx, check, number, route, clock (B*, C*, R*)
    WRITE_BACK,  # status, order no., problems into the closed workbook — the clerk sees them first (§5)
    FLOOR,  # issue 13: NO-SHOW tasks (N1–N5), 代收代付 slips (P1–P5), C2/C7 checks, group desk, handover
    FLOOR_PAPERS,  # issue 13: what the floor found due printed — N2 letters, P1–P3 papers, G1/B6/B7 lists
    MEMBERS,  # issue 12: Members.xlsx — points (S1), prizes (S2), complaints and their clocks (S3 S4 H12)
    MEMBER_PAPERS,  # issue 12: what that desk found due printed — S2 prize confirmations, S7 card labels
    OUTBOX,  # booking / change / cancel slips: docx → pdf → tiff → fax
    MAILROOM,  # hotel replies matched, applied, filed (C6)
    FAX_IN,  # issue 17: faxed-back slips read, applied when certain, else to the clerk's 传真待审 (C6)
    WRITE_BACK,  # what the floor, the members and the replies changed
    VIEWS,  # Dashboard.xlsx, Remaining.xlsx
    RESOURCES,  # issue 14: H6 announcements, the monthly archive, H4 publication, A1 list
    REPORTS,  # issue 11: the daily, weekly and monthly reports, each when its period closes
)

#: The daemon's outbox keeps one LibreOffice for the daemon's whole life instead of one per pass.
DAEMON_OUTBOX = LinesStep("outbox", process_outbox_daemon)

#: The daemon's pass: the same steps, with the daemon's outbox.
DAEMON_PASS: tuple[Step, ...] = tuple(DAEMON_OUTBOX if s is OUTBOX else s for s in PASS)

#: What runs every ``work_seconds`` without a save: replies arrive, fax jobs come due, clocks run out.
TIMED_PASS: tuple[Step, ...] = tuple(s for s in DAEMON_PASS if s not in (ORDERS, FLOOR, FLOOR_PAPERS))

#: What each step reads besides the journal (issue 15 §5): the daemon does not run a step again while these
#: and the journal tables it used are as they were after its last run. ``None`` for the workbooks: all of them.
INPUTS: dict[str, Inputs] = {
    # B4: open orders are judged again once a day; else only a save of these three makes work
    "orders": Inputs(workbooks=("Bookings.xlsx", "Contracts.xlsx", "RoomStatus.xlsx"), tick=Tick.DAY),
    "floor": Inputs(),  # N4 calls by the hour, handover and morning papers by the clock
    "floor-papers": Inputs(),  # the papers the floor queued in the journal, printed documents-side
    "members": Inputs(outputs=("views/CustomerService.xlsx",)),  # S3 S4 H12 complaint clocks
    "member-papers": Inputs(),  # the prize confirmations and labels that desk queued
    "write-back": Inputs(),  # a closed workbook (its ~$ lock file gone) or a stale lock lets the cells in
    "outbox": Inputs(listed=("outbox/fax/spool",)),  # C1 retries by the clock, the operator's .done markers
    "mailroom": Inputs(workbooks=(), drops=("mailroom/inbox",), tick=Tick.NONE, accounts=True),
    "fax-in": Inputs(
        drops=("mailroom/fax-in",),
        files=(f"mailroom/fax-review/{FAX_REVIEW_SHEET}", f"mailroom/fax-review/~${FAX_REVIEW_SHEET}"),
        own=(f"mailroom/fax-review/{FAX_REVIEW_SHEET}",),  # rewritten from the ledger on each run
    ),
    "views": Inputs(outputs=("views/Dashboard.xlsx", "views/Remaining.xlsx")),  # C1 C3 C4 C5 C8 N4 by the minute
    "resources": Inputs(),  # H6 H4 A1, the monthly archive
    "reports": Inputs(),  # each report when its period closes ([reports] daily_at)
}

"""Each order's state as the journal keeps it (ST1, C1, C8): what the desks look up about one order.

The order step (``automations.routing``) writes ``order_state`` — the last good status, the revision the
hotel was told — and the outbox writes one job per slip; the outbox, the letters and the customer's
answers read them here (issue 15 §2) instead of each with its own SQL.
"""

from __future__ import annotations

from hoteldesk.journal import Journal

#: The outbox's job kind for the customer's letter: every other kind is a slip to the hotel.
LETTER = "letter"


def kept_status(journal: Journal, order_no: str) -> str | None:
    """The order's last good status (ST1: a status typed by hand is not believed); None: never seen."""
    row = journal.db.execute("SELECT status FROM order_state WHERE order_no=?", (order_no,)).fetchone()
    return None if row is None else str(row[0])


def kept_statuses(journal: Journal) -> dict[str, str]:
    """Every order's last good status, by order number."""
    return {str(r[0]): str(r[1]) for r in journal.db.execute("SELECT order_no, status FROM order_state")}


def last_slip_revision(journal: Journal, order_no: str) -> int:
    """The revision of the latest slip made for the order (0 when hoteldesk made none)."""
    row = journal.db.execute(
        "SELECT MAX(revision) FROM outbox_jobs WHERE order_no=? AND kind != ?", (order_no, LETTER)
    ).fetchone()
    return int(row[0] or 0)

"""How the customer service desk writes back (issue 12): through the journal's pending write-back queue.

Every value goes to ``journal.queue_write`` and lands surgically when the workbook is closed, like the
order desk's writes into Bookings.xlsx. A cell is queued only when it should change, with the value it
holds now as its base, so a person's edit made since is never overwritten (it becomes a conflict).
Numbers for new complaints (S3) and redemption requests (S2) come from the journal, keyed by what
identifies the row, so a row keeps its number across passes while the workbook stays open.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import date
from typing import Any

from hoteldesk.automations.context import Context
from hoteldesk.journal import Journal
from hoteldesk.workbooks.reader import Row
from hoteldesk.workbooks.schema import SheetSchema

MEMBERS_WB = "workbooks/Members.xlsx"
BOOKINGS_WB = "workbooks/Bookings.xlsx"
TRACKED = ("phone", "card_no")  # S1: member details whose change is recorded (who, when, old → new)


def _same(current: Any, value: Any) -> bool:
    if current in (None, "") and value in (None, ""):
        return True
    return bool(current == value)


class Writer:
    """Queues cells for Members.xlsx (and a carried card number for Bookings.xlsx); counts them."""

    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx
        self.count = 0

    def cell(
        self, schema: SheetSchema, row: Row, field: str, value: Any, match_keys: Sequence[str], row_id: str | None
    ) -> None:
        """Set ``field`` of ``row`` to ``value`` unless it holds it already; ``row_id`` when the row has its id,
        else the row is found by its number and ``match_keys`` (in case rows moved)."""
        current = row.values.get(field)
        if _same(current, value):
            return
        now = self.ctx.now()
        if row_id:
            self.ctx.journal.queue_write(MEMBERS_WB, schema.key, row_id, field, value, created_at=now, base=current)
        else:
            fields = {k: row.values[k] for k in match_keys if row.values.get(k) not in (None, "")}
            self.ctx.journal.queue_write(
                MEMBERS_WB,
                schema.key,
                f"@{row.num}",
                field,
                value,
                created_at=now,
                base=current,
                match={"row": row.num, "fields": fields},
            )
        self.count += 1

    def new_row_cell(self, schema: SheetSchema, row: Row, field: str, value: Any, match_keys: Sequence[str]) -> None:
        """A row's own number, written into its blank id cell (addressed by row number and fields)."""
        self.cell(schema, row, field, value, match_keys, None)

    def bookings(self, order_no: str, field: str, value: Any, *, base: Any) -> None:
        self.ctx.journal.queue_write(
            BOOKINGS_WB, "orders", order_no, field, value, created_at=self.ctx.now(), base=base
        )
        self.count += 1


def card_rows(rows: Sequence[Row]) -> dict[str, list[int]]:
    """Member card no. → the sheet rows that hold it (more than one: a duplicate staff must resolve)."""
    out: dict[str, list[int]] = {}
    for row in rows:
        card = str(row.values.get("card_no") or "")
        if card:
            out.setdefault(card, []).append(row.num)
    return out


def next_number(
    journal: Journal, kind: str, fingerprint: str, prefix: str, day: date, taken: Collection[str] = ()
) -> str:
    """The number of the row ``fingerprint`` identifies: the one it was given, else the day's next one
    (``DJ20261127-001`` for a redemption request, ``TS20261127-001`` for a complaint) that is neither in
    the journal nor ``taken`` in the sheet (a journal rebuilt from the drive forgets what it gave)."""
    got = journal.db.execute(
        "SELECT number FROM custsvc_numbers WHERE kind=? AND fingerprint=?", (kind, fingerprint)
    ).fetchone()
    if got is not None:
        return str(got[0])
    stem = f"{prefix}{day:%Y%m%d}-"
    with journal.transaction() as db:
        last = db.execute(
            "SELECT MAX(CAST(substr(number, ?) AS INTEGER)) FROM custsvc_numbers WHERE kind=? AND number LIKE ?",
            (len(stem) + 1, kind, stem + "%"),
        ).fetchone()[0]
        seq = int(last or 0) + 1
        while f"{stem}{seq:03d}" in taken:
            seq += 1
        number = f"{stem}{seq:03d}"
        db.execute(
            "INSERT INTO custsvc_numbers (kind, fingerprint, number) VALUES (?,?,?)", (kind, fingerprint, number)
        )
    return number

"""P1–P3 papers: the hand-over list to finance holds only signed-off slips; a 催款函 per hotel past term."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

from docx import Document

from hoteldesk.automations.context import open_context
from hoteldesk.automations.floor import sheet_rows
from hoteldesk.documents.settlement_papers import settlement_papers, write_chase_letters, write_finance_handover
from hoteldesk.shared_drive_layout import DriveLayout
from hoteldesk.workbooks.create import write_workbook
from hoteldesk.workbooks.pending import flush_pending
from hoteldesk.workbooks.schema_settlement import DEPOSITS, SLIPS
from tests.automations.orderbook import TZ, write_reference

DAY = date(2026, 11, 27)


def _text(path: Path) -> str:
    doc = Document(str(path))
    cells = [c.text for t in doc.tables for row in t.rows for c in row.cells]
    return "\n".join([p.text for p in doc.paragraphs] + cells)


def _slip(no: str, **kw: object) -> dict[str, object]:
    base: dict[str, object] = {
        "order_no": no,
        "hotel": "H001",
        "check_in": date(2026, 12, 1),
        "check_out": date(2026, 12, 3),
        "due_from_customer": Decimal("1600"),
        "received": Decimal("1600"),
        "receipt_no": "R-0009",
        "invoice_no": "INV-77",
    }
    base.update(kw)
    return base


def _drive(drive: Path) -> DriveLayout:
    layout = DriveLayout(drive)
    write_reference(layout)
    slips = [
        _slip("HD20261126-0001", signed_off_by="赵组长", signed_off_at=datetime(2026, 11, 27, 16, 0)),
        _slip("HD20261126-0002"),  # not signed off: never handed over (P1)
        _slip("HD20261126-0003", signed_off_by="赵组长"),  # no time: not a sign-off
    ]
    deposits = [
        {"hotel": "H001", "amount": Decimal("5000"), "paid_on": date(2026, 10, 27), "term_days": 30},
        {"hotel": "H001", "amount": Decimal("3000"), "paid_on": date(2026, 10, 28), "term_days": 30},
    ]
    write_workbook(layout.workbook("Settlement"), [(SLIPS, slips), (DEPOSITS, deposits)])
    return layout


def test_handover_lists_only_signed_off_slips_and_marks_them_handed(drive: Path) -> None:
    _drive(drive)
    now = datetime(2026, 11, 27, 17, 45, tzinfo=TZ)
    with open_context(drive, lambda: now) as ctx:
        path = write_finance_handover(ctx, DAY)
        assert path is not None and path.parent == ctx.layout.documents_folder(DAY)
        text = _text(path)
        assert "HD20261126-0001" in text and "INV-77" in text and "赵组长" in text
        assert "HD20261126-0002" not in text and "HD20261126-0003" not in text
        assert "共 1 张" in text
        assert write_finance_handover(ctx, DAY) is None  # listed once
        flush_pending(ctx)
        handed = {s["order_no"]: s.get("handed_at") for s in sheet_rows(ctx, SLIPS)}
    assert handed == {"HD20261126-0001": datetime(2026, 11, 27, 17, 45), "HD20261126-0002": None,
                      "HD20261126-0003": None}  # fmt: skip


def test_no_handover_list_before_the_day_shift_ends(drive: Path) -> None:
    _drive(drive)
    with open_context(drive, lambda: datetime(2026, 11, 27, 17, 29, tzinfo=TZ)) as ctx:
        lines = settlement_papers(ctx)
    assert not any("hand-over" in line for line in lines)


def test_chase_letter_for_a_hotel_one_day_past_term_once_a_week(drive: Path) -> None:
    """P3: paid 27 Oct on a 30-day term → chased on 27 Nov (one day over); the 28 Oct one is not yet."""
    _drive(drive)
    with open_context(drive, lambda: datetime(2026, 11, 27, 9, 0, tzinfo=TZ)) as ctx:
        [letter] = write_chase_letters(ctx, DAY)
        assert write_chase_letters(ctx, date(2026, 11, 28)) == []  # same week: not again
    text = _text(letter)
    assert "催款函" in text and "北京饭店" in text
    assert "5,000.00" in text and "8,000.00" in text  # past term / held in all
    assert "3,000.00" not in text  # the deposit still within its term is not listed
    assert "2026-11-26" in text  # due back


def test_no_chase_letter_on_the_last_day_of_the_term(drive: Path) -> None:
    _drive(drive)
    with open_context(drive, lambda: datetime(2026, 11, 26, 9, 0, tzinfo=TZ)) as ctx:
        assert write_chase_letters(ctx, date(2026, 11, 26)) == []


def test_weekly_summary_on_monday_morning_once(drive: Path) -> None:
    """P5: Monday 30 Nov from 08:00: the week 23–29 Nov; not on Sunday, not twice."""
    layout = _drive(drive)
    week_slips = [
        _slip("HD20261124-0001", created_at=datetime(2026, 11, 24, 10, 0), commission=Decimal("240"),
              signed_off_by="赵组长", signed_off_at=datetime(2026, 11, 24, 16, 0),
              handed_at=datetime(2026, 11, 24, 17, 45)),
        _slip("HD20261125-0002", created_at=datetime(2026, 11, 25, 10, 0), received=None, check_in=date(2026, 11, 28)),
        _slip("HD20261120-0003", created_at=datetime(2026, 11, 20, 10, 0)),  # the week before
    ]  # fmt: skip
    write_workbook(layout.workbook("Settlement"), [(SLIPS, week_slips), (DEPOSITS, [])])
    with open_context(drive, lambda: datetime(2026, 11, 29, 20, 0, tzinfo=TZ)) as ctx:
        assert not any(line.startswith("P5") for line in settlement_papers(ctx))
    with open_context(drive, lambda: datetime(2026, 11, 30, 8, 0, tzinfo=TZ)) as ctx:
        [line] = [line for line in settlement_papers(ctx) if line.startswith("P5")]
        assert not any(x.startswith("P5") for x in settlement_papers(ctx))
    text = _text(Path(line.split(": ", 1)[1]))
    assert "代收代付周报" in text and "11-23 – 11-29" in text
    assert "3,200.00" in text  # due on the two slips made that week
    assert "1 / 1,600.00" in text  # one slip overdue: arrived 28 Nov, nothing received

"""Year-less and relative dates typed into an order's date cells, read from the order's 预订时间.

The reader cannot read 下周三 or 12月17日 alone: it records them as "needs its anchor". Once the
row is read, :func:`resolve_text_dates` counts them from the row's 预订时间 (or, when that is
empty, the pass's today — passed in, never the wall clock): the date goes into the record and the
problem is dropped, or the problem says why the text is not one date (12/11, a bare 周三).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from datetime import date, datetime

from hoteldesk.workbooks.cellreason import Reason, reason
from hoteldesk.workbooks.reader import CellProblem, Row
from hoteldesk.workbooks.schema import ORDERS, FieldType, SheetSchema
from hoteldesk.workbooks.textdate import TextDateError, parse_text_date

ANCHOR_FIELD = "booked_at"  # 预订时间: when the clerk wrote "下周三"


def _anchor(values: Mapping[str, object], today: date | None) -> date | None:
    at = values.get(ANCHOR_FIELD)
    if isinstance(at, datetime):
        return at.date()
    if isinstance(at, date):
        return at
    return today


def resolve_text_dates(
    rows: Mapping[int, Row], problems: list[CellProblem], today: date | None, schema: SheetSchema = ORDERS
) -> list[CellProblem]:
    """Read the year-less and relative dates of ``rows`` into their records; returns the problems left.

    ``today`` is the anchor of rows without a 预订时间; None (``hoteldesk check``, which has no pass
    clock) leaves those rows' relative dates reported.
    """
    fields = {f.label("zh-CN"): f for f in schema.fields if f.type is FieldType.DATE}
    out: list[CellProblem] = []
    for p in problems:
        f = fields.get(p.field)
        row = rows.get(p.row)
        if f is None or row is None or not isinstance(p.why, Reason) or p.why.key != "date_needs_anchor":
            out.append(p)
            continue
        anchor = _anchor(row.values, today)
        if anchor is None:
            out.append(p)
            continue
        try:
            row.values[f.key] = parse_text_date(str(p.value), anchor)
        except TextDateError as exc:
            out.append(replace(p, why=reason(exc.key, **exc.params)))
    return out

"""C1, C4: a hotel's 传真 in Contracts.xlsx that cannot be dialled is a cell problem, found before a slip fails.

The outbox dials the number when it renders a slip; a number without its area code (64001112), too
short or with letters fails the job for good and strands the order (a next-day arrival is then never
confirmed, C4). ``check`` and the reference check name the cell at once, with what to write.
"""

from __future__ import annotations

from hoteldesk.domain.contacts import phone_problem
from hoteldesk.workbooks.cellreason import reason
from hoteldesk.workbooks.reader import CellProblem, SheetData, column_letter
from hoteldesk.workbooks.schema import HOTELS


def fax_problems(data: SheetData) -> list[CellProblem]:
    """A problem for each filled hotel 传真 the outbox could not dial (an empty one is left to the slip's job)."""
    if data.schema is not HOTELS or "fax" not in data.columns:
        return []
    field = next(f for f in HOTELS.fields if f.key == "fax")
    out: list[CellProblem] = []
    for row in data.rows:
        value = row.values.get("fax")
        text = "" if value is None else str(value).strip()
        if not text or not undialable(text):
            continue
        col = column_letter(data.columns["fax"])
        out.append(CellProblem(data.path.name, data.sheet, row.num, col, field.zh, value, reason("fax_undialable")))
    return out


def undialable(text: str) -> bool:
    """True when the fax number cannot be dialled. ``86-21-63210001`` (the country code without its +) is
    dialled by the outbox as +86 21 6321 0001, so it is judged so here too."""
    digits = "".join(c for c in text if c.isdigit() or c == "+")
    if digits.startswith("86") and len(digits) >= 11:
        text = "+" + digits
    return phone_problem(text) is not None


__all__ = ["fax_problems", "undialable"]

"""The booking floor's papers, the documents side of its step (issue 13; issue 15 §2).

The floor's desks (automations) decide what is due — the group desk's morning list (G1), the shift
handover (B6), the day's issues (B7), the N2 thank-you letters they queued — and this step of the pass
prints it, with the settlement desk's chase letters and finance hand-over (P1–P3) and the enquiries mailed
to their departments (B10). It runs right after
the floor's step, so a pass prints what that pass found due, as before.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from hoteldesk.automations.context import Context
from hoteldesk.automations.floor import THANKS_LETTER
from hoteldesk.automations.groupdesk import morning_due
from hoteldesk.automations.handover_papers import day_summary_due, handover_due
from hoteldesk.automations.remaining import read_orders
from hoteldesk.documents.enquiry_mail import pass_enquiries
from hoteldesk.documents.floor_report import print_due
from hoteldesk.documents.noshow_letters import write_thanks_letter
from hoteldesk.documents.settlement_papers import settlement_papers
from hoteldesk.orders.papers import paper_done, papers_due


def morning_paper(ctx: Context, orders: Sequence[Mapping[str, Any]]) -> Path | None:
    """G1: the morning list, printed once a day from the start of the day shift."""
    return print_due(ctx, morning_due(ctx, orders))


def handover_paper(ctx: Context, orders: Sequence[Mapping[str, Any]]) -> Path | None:
    """B6: the handover for the shift that just began, printed once per shift."""
    return print_due(ctx, handover_due(ctx, orders))


def day_summary(ctx: Context, orders: Sequence[Mapping[str, Any]]) -> Path | None:
    """B7: the day's issues for the department manager, printed once the day shift is over."""
    return print_due(ctx, day_summary_due(ctx, orders))


def thanks_letters(ctx: Context) -> list[str]:
    """N2: the thank-you letter of each stay the floor restored (queued by its step), once."""
    lines = []
    for paper in papers_due(ctx.journal, THANKS_LETTER):
        letter = write_thanks_letter(ctx, paper.payload)
        paper_done(ctx.journal, paper, "" if letter is None else str(letter), ctx.now())
        if letter is not None:
            lines.append(f"N2 {paper.key}: thank-you letter {letter}")
    return lines


def print_floor_papers(ctx: Context) -> list[str]:
    """The step: N2 letters, settlement papers, then the floor's lists due now (each once)."""
    lines = thanks_letters(ctx)
    if not ctx.layout.bookings.is_file():  # as the floor's step: a vanished Bookings.xlsx is no empty day
        return lines
    orders = read_orders(ctx)  # the order repository: the floor's reading of this version, not a new one
    lines += settlement_papers(ctx) + pass_enquiries(ctx)
    papers = (
        ("G1 morning list", morning_paper(ctx, orders)),
        ("B6 handover", handover_paper(ctx, orders)),
        ("B7 the day's issues", day_summary(ctx, orders)),
    )
    return lines + [f"{what}: {path}" for what, path in papers if path is not None]

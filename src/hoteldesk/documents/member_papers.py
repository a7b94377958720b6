"""The customer service desk's papers, the documents side of its step (issue 12; issue 15 §2).

The desk (``automations.members``, ``automations.custsvc_view``) decides what is owed — a delivered
prize's written confirmation (S2), the day's card labels (S7) — and queues it in the journal with where it
goes; this step, right after the desk's in the same pass, prints each once.
"""

from __future__ import annotations

from datetime import datetime

from hoteldesk.automations.context import Context
from hoteldesk.automations.custsvc_view import LABELS
from hoteldesk.automations.members import PRIZE_LETTER
from hoteldesk.documents.labels import write_labels
from hoteldesk.documents.member_letters import prize_context, write_prize_letter
from hoteldesk.orders.papers import QueuedPaper, paper_done, papers_due


def _prize_letter(ctx: Context, paper: QueuedPaper) -> str:
    p = paper.payload
    issued_at = p["issued_at"] if isinstance(p["issued_at"], datetime) else ctx.now().replace(tzinfo=None)
    context = prize_context(
        p["request"], p["member"], balance=int(p["balance"]), company=ctx.config.company, issued_at=issued_at,
        locale=ctx.locale,
    )  # fmt: skip
    path = ctx.layout.root / str(p["path"])
    write_prize_letter(ctx.layout, context, issued_at.date(), ctx.locale, path)
    return str(p["path"])


def _labels(ctx: Context, paper: QueuedPaper) -> str:
    path = ctx.layout.root / str(paper.payload["path"])
    path.parent.mkdir(parents=True, exist_ok=True)
    write_labels(path, paper.payload["members"], ctx.locale)
    return str(paper.payload["path"])


def print_member_papers(ctx: Context) -> list[str]:
    """The step: each queued S2 prize confirmation and S7 label sheet, printed once."""
    lines = []
    for kind, write, what in ((PRIZE_LETTER, _prize_letter, "S2 prize confirmation"), (LABELS, _labels, "S7 labels")):
        for paper in papers_due(ctx.journal, kind):
            made = write(ctx, paper)
            paper_done(ctx.journal, paper, made, ctx.now())
            lines.append(f"{what}: {made}")
    return lines

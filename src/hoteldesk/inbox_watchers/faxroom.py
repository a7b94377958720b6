"""The fax-in pass (issue 17 §2): ``mailroom/fax-in/`` through the mailroom's ledger, filing and review.

One daemon step: every settled fax image is claimed in the ledger (exactly once), filed under
``replies/YYYY/MM/DD`` with the image (C6), decided by :class:`FaxInterpreter` — applied like a mail
reply when certain, else a review entry with the crops — and moved to ``mailroom/processed-fax/``.
"""

from __future__ import annotations

from hoteldesk.automations.context import Context
from hoteldesk.domain.summaries import say as summary_text
from hoteldesk.inbox_watchers.faxdesk import apply_clerk, write_sheet
from hoteldesk.inbox_watchers.faxreply import FaxInterpreter
from hoteldesk.inbox_watchers.mailroom import run_sources
from hoteldesk.inbox_watchers.sources.faxfolder import FaxFolderSource


def fax_source(ctx: Context) -> FaxFolderSource:
    inbox = ctx.layout.root / "mailroom" / "fax-in"
    inbox.mkdir(parents=True, exist_ok=True)  # drives made before issue 17 get the folder on first pass
    return FaxFolderSource(
        inbox,
        ctx.layout.root / "mailroom" / "processed-fax",
        settle_seconds=ctx.config.quiet_seconds,
        tz=ctx.config.tz,
        now=ctx.now,  # a fax's arrival is on the business clock, never the image file's mtime (C6)
    )


def process_faxes(ctx: Context) -> list[str]:
    """One pass over ``mailroom/fax-in/``; summary lines for the CLI and the daemon."""
    prefix = str(ctx.config.raw.get("mail", {}).get("order_prefix", "HD"))
    clerk, notes = apply_clerk(ctx)  # what the clerk typed in 传真待审 since the last pass
    source = fax_source(ctx)
    try:
        tally = run_sources(ctx, [source], interpreter=FaxInterpreter(ctx, our_prefix=prefix))
    finally:
        source.close()
    write_sheet(ctx, notes)
    if clerk:
        _flush_clerk(ctx, tally.lines)
    locale = ctx.config.locale
    return [tally.summary(locale, summary_text("fax_in", locale)), *clerk, *tally.lines]


def _flush_clerk(ctx: Context, lines: list[str]) -> None:
    from hoteldesk.inbox_watchers.apply import BOOKINGS
    from hoteldesk.orders.bookings import file_version, patch_cache
    from hoteldesk.workbooks.pending import flush_pending

    before = file_version(ctx.layout.bookings)
    ids = [pw.id for pw in ctx.journal.pending_writes(BOOKINGS)]
    report = flush_pending(ctx)
    patch_cache(ctx.journal, ctx.layout.bookings, before, ids)
    lines.append(
        f"  write-back: {report.applied} cell(s) written, {report.conflicts} conflict(s), {report.failed} failed"
    )


__all__ = ["fax_source", "process_faxes"]

"""A hotel's reply is evidence that our slip reached it (issue 8 §3).

A fax gateway may report a fax late or never (a spool operator who forgets the ``.done``
marker, a fax server that loses the job). When the hotel answers an order whose slip job is
still ``submitted``, the hotel has the slip: the job becomes ``delivered`` — with an outbox
event saying why — the order's 发送时间 is written as for any delivered slip, and the reply is
applied as if the order were 已发 (C1, C3/C4 clocks then read the real state). Without this,
such replies would wait in review for a person while the hotel had already answered.
"""

from __future__ import annotations

import shutil
from datetime import datetime

from hoteldesk.automations.context import Context
from hoteldesk.documents import jobs
from hoteldesk.documents.outbox import BOOKINGS, job_file, place_files
from hoteldesk.journal import Journal

#: Which slip a reply of this kind answers.
ANSWERS: dict[str, str] = {"confirmed": "booking", "full": "booking", "denied": "booking", "cancelled": "cancel"}


def submitted_slip(journal: Journal, order_no: str, kind: str) -> int | None:
    """The id of the order's newest slip job that a reply of ``kind`` answers, if it is ``submitted``."""
    slip = ANSWERS.get(kind)
    if slip is None or not order_no:
        return None
    row = journal.db.execute(
        "SELECT id, state FROM outbox_jobs WHERE order_no=? AND kind=? ORDER BY revision DESC, id DESC LIMIT 1",
        (order_no, slip),
    ).fetchone()
    return int(row["id"]) if row is not None and row["state"] == "submitted" else None


def delivered_by_reply(ctx: Context, job_id: int, order_no: str) -> int:
    """Mark the submitted slip ``job_id`` delivered because its hotel answered; returns cells queued (0 or 1).

    发送时间 is when the slip was handed to the gateway (the best we know of when it went out).
    A job the outbox moved meanwhile is left as it is.
    """
    job = jobs.get_job(ctx.journal, job_id)
    if job.state != "submitted" or job.order_no != order_no:
        return 0
    now, tz = ctx.now(), ctx.config.tz
    submitted = ctx.journal.db.execute(
        "SELECT at FROM outbox_events WHERE job_id=? AND to_state='submitted' ORDER BY id DESC LIMIT 1", (job.id,)
    ).fetchone()
    sent_at = job.updated_at if submitted is None else datetime.fromisoformat(submitted["at"])
    local = sent_at.astimezone(tz).replace(tzinfo=None, microsecond=0)
    if ctx.locale.startswith("en"):
        why = f"delivered: the hotel answered the order (submitted {local:%Y-%m-%d %H:%M}; the gateway never said)"
    else:
        why = f"已送达：酒店已答复此单（{local:%Y-%m-%d %H:%M} 提交，网关未报告送达）"
    day_folder = ctx.layout.documents_folder(local.date())
    for suffix in (".pdf", ".docx"):  # the copy as sent, as for a slip the gateway reports delivered
        src = job_file(ctx, job, suffix)
        if src.exists():
            day_folder.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(src, day_folder / src.name)
    try:
        job = jobs.move(ctx.journal, job, "delivered", at=now, detail=why, error=None)
    except jobs.StaleJobError:
        return 0
    place_files(ctx, job)
    ctx.journal.queue_write(BOOKINGS, "orders", order_no, "sent_at", local, created_at=now)
    return 1

"""C1, C4: a slip whose fax failed for good says so in its order's 问题, until it goes.

Before, a slip that could not be faxed (a hotel 传真 without its area code, a line that failed
``[fax] max_attempts`` times) was listed only by ``outbox list`` and on the Dashboard: the order
stayed 待发 with an empty 问题 and a next-day arrival was never confirmed (C4). Now the order
evaluation adds a C1 error naming the reason and the retry command, and the outbox rewrites the
cell when a job fails for good or goes again. The note never holds the order (it is added after
the hold is decided): the slip is already queued, and holding it would stop the retry.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from hoteldesk.automations.context import Context
from hoteldesk.domain.findings import Finding

BOOKINGS = "workbooks/Bookings.xlsx"
#: the start of the note's message, zh-CN and en: how the outbox recognises its own note in a 问题 cell
MARKS = ("传真发送失败", "fax not sent")
_KINDS = {
    "booking": ("订房单", "booking slip"),
    "change": ("变更单", "change slip"),
    "cancel": ("取消单", "cancel slip"),
}
_NUMBER = ("fax number", "no fax number", "hotel ")  # the outbox's FaxNumberError texts: the number is at fault


def stranded(db: Any) -> dict[str, tuple[int, str, str]]:
    """Order no. → (job id, kind, error) of its slip faxes that failed for good (no further attempt)."""
    rows = db.execute(
        "SELECT id, order_no, kind, error FROM outbox_jobs WHERE channel='fax' AND state='failed' "
        "AND next_attempt_at IS NULL AND kind IN ('booking','change','cancel') ORDER BY id"
    )
    return {str(r[1]): (int(r[0]), str(r[2]), str(r[3] or "")) for r in rows}


def fax_failure_finding(job_id: int, kind: str, error: str, locale: str) -> Finding:
    """``[C1 错误] 传真发送失败：号码无法拨打 … — 改正 Contracts 传真后用 hoteldesk outbox retry``."""
    zh_kind, en_kind = _KINDS.get(kind, (kind, kind))
    number = error.startswith(_NUMBER)
    if locale.startswith("en"):
        what = "the number cannot be dialled" if number else "the fax did not go through"
        fix = "correct the hotel's Fax in Contracts.xlsx, then" if number else "check the line, then"
        retry = f"hoteldesk outbox retry DRIVE {job_id}"
        text = f"{MARKS[1]}: {what} ({en_kind}, job {job_id}: {error}) — {fix} run {retry}"
    else:
        what = "号码无法拨打" if number else "多次发送未成功"
        fix = "改正 Contracts.xlsx 酒店 传真后" if number else "检查传真线路后"
        retry = f"hoteldesk outbox retry DRIVE {job_id}"
        text = f"{MARKS[0]}：{what}（{zh_kind}，任务 {job_id}：{error}）— {fix}用 {retry} 重发"
    return Finding("C1", "error", text)


def add_fax_failures(db: Any, found: Mapping[str, list[Finding]], locale: str) -> None:
    """Add the note to each order in ``found`` whose slip failed for good (after holds were decided)."""
    for no, (job_id, kind, error) in stranded(db).items():
        if no in found:
            found[no].append(fax_failure_finding(job_id, kind, error, locale))


def refresh_problems(ctx: Context, orders: Sequence[Mapping[str, Any]]) -> list[str]:
    """Rewrite the 问题 of every order whose note is missing or no longer due (called by the outbox pass)."""
    from hoteldesk.automations.order_check import order_findings
    from hoteldesk.domain.findings import format_problems

    want = stranded(ctx.journal.db)
    queued = {(w.row_id, w.value) for w in ctx.journal.pending_writes() if w.field == "problems"}
    on_way = {no: any(m in str(v or "") for m in MARKS) for no, v in queued}  # not yet in the workbook
    stale = []
    for rec in orders:
        no = str(rec.get("order_no") or "")
        text = str(rec.get("problems") or "")
        noted = on_way.get(no, any(m in text for m in MARKS))
        if no and (no in want) != noted:
            stale.append(no)
    if not stale:
        return []  # the workbook (or a write on its way) already says it: no re-judging of every row
    locale = ctx.config.locale
    rows = {r.order_no: r for r in order_findings(ctx)}  # the whole 问题, as the order pass writes it
    lines = []
    for no in stale:
        row = rows.get(no)
        value = format_problems(row.findings, locale) if row is not None else None
        if (no, value) in queued:
            continue  # already on its way into the workbook
        ctx.journal.queue_write(BOOKINGS, "orders", no, "problems", value or None, created_at=ctx.now())
        lines.append(f"outbox: {no}: 问题 {'noted' if no in want else 'cleared'} (C1 fax failed for good)")
    return lines


__all__ = ["add_fax_failures", "fax_failure_finding", "refresh_problems", "stranded"]

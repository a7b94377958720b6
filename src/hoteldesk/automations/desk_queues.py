"""Work only a person can do, for the dashboard: failed faxes, customers to call, mail to review.

The outbox (issue 4) and the mailroom (issue 5) keep these in the journal; this module turns
them into dashboard sheets so nothing waits unseen.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from hoteldesk.automations.context import Context
from hoteldesk.automations.holds import held_orders
from hoteldesk.automations.queues import hotel_name
from hoteldesk.domain.reference import Reference
from hoteldesk.journal import loads

REVIEW_DAYS = 7  # mail sent to review in the last week stays on the dashboard


@dataclass(frozen=True, slots=True)
class DeskQueue:
    key: str
    zh: str
    en: str
    columns: tuple[tuple[str, str, str, float], ...]  # (zh, en, kind, width)
    rows: list[list[Any]]

    def title(self, locale: str) -> str:
        return self.en if locale.startswith("en") else self.zh


def _when(text: str, ctx: Context) -> datetime | None:
    try:
        return datetime.fromisoformat(text).astimezone(ctx.config.tz)
    except (TypeError, ValueError):
        return None


def desk_queues(ctx: Context, reference: Reference | None = None) -> list[DeskQueue]:
    """Deleted order rows (never a cancellation: a person decides), failed or lost fax jobs (C1),
    customer calls to make (C8), mail sent to review (issue 5)."""
    from hoteldesk.automations.diff import deleted_orders
    from hoteldesk.documents import jobs
    from hoteldesk.documents.joblabels import kind_label, state_label
    from hoteldesk.inbox_watchers import ledger
    from hoteldesk.workbooks.failed import failed_writes

    loc, tz = ctx.locale, ctx.config.tz  # kinds and states as staff call them: 预订单 失败 (issue 8 §7)
    failed = [
        [
            j.id,
            j.order_no,
            kind_label(j.kind, loc),
            state_label(j.state, loc),
            j.attempts,
            j.error or "",
            j.updated_at.astimezone(tz),
        ]
        for j in jobs.failed_jobs(ctx.journal)
    ]
    calls = [
        [t.order_no, t.phone, t.text, t.created_at.astimezone(ctx.config.tz)] for t in jobs.open_call_tasks(ctx.journal)
    ]
    since = ctx.now() - timedelta(days=REVIEW_DAYS)
    review = []
    for e in ledger.entries(ctx.journal, "review"):
        at = _when(e.received_at or e.created_at, ctx)
        if at is not None and at < since:
            continue
        review.append([at, e.source, "; ".join(e.order_nos), e.reason, e.filed_path])
    deleted = [
        [
            d.order_no,
            hotel_name(reference, d.values.get("hotel"), ctx.config.locale),
            "; ".join(d.values.get("guests") or ()),
            d.values.get("check_in"),
            d.values.get("status") or "",
            d.who,
            d.at.astimezone(ctx.config.tz),
        ]
        for d in deleted_orders(ctx.journal)
    ]
    return [
        DeskQueue(
            "deleted",
            "已删除订单",
            "Deleted Rows",
            (
                ("订单号", "Order No.", "text", 17),
                ("酒店", "Hotel", "text", 20),
                ("入住人", "Guests", "text", 20),
                ("入住日期", "Check-in", "date", 12),
                ("状态", "Status", "text", 10),
                ("删除人", "Deleted By", "text", 12),
                ("发现时间", "Seen At", "datetime", 17),
            ),
            deleted,
        ),
        DeskQueue(
            "failed",
            "传真失败",
            "Failed Faxes",
            (
                ("任务号", "Job", "int", 8),
                ("订单号", "Order No.", "text", 17),
                ("类别", "Kind", "text", 10),
                ("状态", "State", "text", 10),
                ("尝试次数", "Attempts", "int", 8),
                ("原因", "Error", "text", 40),
                ("更新时间", "Updated", "datetime", 17),
            ),
            failed,
        ),
        DeskQueue(
            "calls",
            "电话回复客户",
            "Customer Calls",
            (
                ("订单号", "Order No.", "text", 17),
                ("电话", "Phone", "text", 15),
                ("通话内容", "What to Say", "text", 60),
                ("创建时间", "Created", "datetime", 17),
            ),
            calls,
        ),
        DeskQueue(
            "mail_review",
            "邮件待审",
            "Mail to Review",
            (
                ("收到时间", "Received", "datetime", 17),
                ("来源", "Source", "text", 12),
                ("订单号", "Order No.", "text", 20),
                ("原因", "Reason", "text", 50),
                ("归档位置", "Filed At", "text", 50),
            ),
            review,
        ),
        DeskQueue(
            "held",
            "暂停发送",
            "Held Slips",
            (("订单号", "Order No.", "text", 17), ("原因", "Why", "text", 60)),
            [[no, why] for no, why in sorted(held_orders(ctx.journal, loc).items())],  # issue 8 §2, issue 9 §3
        ),
        DeskQueue(
            "writebacks",
            "写回失败",
            "Failed Write-backs",
            (
                ("写回号", "Write", "int", 8),
                ("工作簿", "Workbook", "text", 24),
                ("行", "Row", "text", 22),
                ("列", "Column", "text", 14),
                ("值", "Value", "text", 20),
                ("结果", "Result", "text", 10),
                ("原因", "Why", "text", 50),
                ("时间", "At", "text", 20),
            ),
            [  # issue 9 §3: loud — retried after the next save; `hoteldesk writebacks list|retry`
                [w.id, w.workbook, w.row_id, w.field, _shown(w.value), _result(w.status, loc), w.error, w.at[:16]]
                for w in failed_writes(ctx.journal)
            ],
        ),
    ]


def _shown(value_json: str) -> str:
    value = loads(value_json)
    return "" if value is None else str(value)


def _result(status: str, locale: str) -> str:
    zh = {"failed": "失败", "conflict": "冲突（有人改过此格）"}
    return status if locale.startswith("en") else zh.get(status, status)

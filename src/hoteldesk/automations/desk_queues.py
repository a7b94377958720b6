"""Work only a person can do, for the dashboard: failed faxes, customers to call, mail to review.

The outbox (issue 4) and the mailroom (issue 5) keep these in the journal; this module turns
them into dashboard sheets so nothing waits unseen. It reads those rows through the order repository
(:mod:`hoteldesk.orders.desk_rows`), never through the desks that write them (issue 15 §2).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from hoteldesk.automations.context import Context
from hoteldesk.automations.holds import held_orders
from hoteldesk.automations.queues import hotel_name
from hoteldesk.domain.joblabels import kind_label, state_label
from hoteldesk.domain.reference import Reference
from hoteldesk.journal import loads
from hoteldesk.orders.desk_rows import calls_to_make, failed_jobs, mail_to_review
from hoteldesk.orders.diff import deleted_orders
from hoteldesk.workbooks.failed import failed_writes

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


#: The queues' columns: (zh, en, kind, width).
DELETED_COLUMNS = (
    ("订单号", "Order No.", "text", 17),
    ("酒店", "Hotel", "text", 20),
    ("入住人", "Guests", "text", 20),
    ("入住日期", "Check-in", "date", 12),
    ("状态", "Status", "text", 10),
    ("删除人", "Deleted By", "text", 12),
    ("发现时间", "Seen At", "datetime", 17),
)
FAILED_COLUMNS = (
    ("任务号", "Job", "int", 8),
    ("订单号", "Order No.", "text", 17),
    ("类别", "Kind", "text", 10),
    ("状态", "State", "text", 10),
    ("尝试次数", "Attempts", "int", 8),
    ("原因", "Error", "text", 40),
    ("更新时间", "Updated", "datetime", 17),
)
CALLS_COLUMNS = (
    ("订单号", "Order No.", "text", 17),
    ("电话", "Phone", "text", 15),
    ("通话内容", "What to Say", "text", 60),
    ("创建时间", "Created", "datetime", 17),
)
REVIEW_COLUMNS = (
    ("收到时间", "Received", "datetime", 17),
    ("来源", "Source", "text", 12),
    ("订单号", "Order No.", "text", 20),
    ("原因", "Reason", "text", 50),
    ("归档位置", "Filed At", "text", 50),
)


def desk_queues(ctx: Context, reference: Reference | None = None) -> list[DeskQueue]:
    """Deleted order rows (never a cancellation: a person decides), failed or lost fax jobs (C1),
    customer calls to make (C8), mail sent to review (issue 5)."""
    return [
        DeskQueue("deleted", "已删除订单", "Deleted Rows", DELETED_COLUMNS, _deleted_rows(ctx, reference)),
        DeskQueue("failed", "传真失败", "Failed Faxes", FAILED_COLUMNS, _failed_rows(ctx, fax=True)),
        DeskQueue("failed_mail", "邮件失败", "Failed Mail", FAILED_COLUMNS, _failed_rows(ctx, fax=False)),  # QA 7 §11
        DeskQueue("calls", "电话回复客户", "Customer Calls", CALLS_COLUMNS, _call_rows(ctx)),
        DeskQueue("mail_review", "邮件待审", "Mail to Review", REVIEW_COLUMNS, _review_rows(ctx)),
        # issue 8 §2 (held, with why) and issue 9 §3 (a number or status that could not be written back)
        DeskQueue(
            "held",
            "暂停发送",
            "Held Slips",
            HELD_COLUMNS,
            sorted(map(list, held_orders(ctx.journal, ctx.locale).items())),
        ),
        # issue 9 §3: loud — retried after the next save; `hoteldesk writebacks list|retry`
        DeskQueue("writebacks", "写回失败", "Failed Write-backs", WRITEBACK_COLUMNS, _writeback_rows(ctx)),
    ]


HELD_COLUMNS = (("订单号", "Order No.", "text", 17), ("原因", "Why", "text", 60))
WRITEBACK_COLUMNS = (
    ("写回号", "Write", "int", 8),
    ("工作簿", "Workbook", "text", 24),
    ("行", "Row", "text", 22),
    ("列", "Column", "text", 14),
    ("值", "Value", "text", 20),
    ("结果", "Result", "text", 10),
    ("原因", "Why", "text", 50),
    ("时间", "At", "text", 20),
)


def _writeback_rows(ctx: Context) -> list[list[Any]]:
    zh = {"failed": "失败", "conflict": "冲突（有人改过此格）"}
    en = ctx.locale.startswith("en")
    out = []
    for w in failed_writes(ctx.journal):
        value = loads(w.value)
        result = w.status if en else zh.get(w.status, w.status)
        out.append(
            [w.id, w.workbook, w.row_id, w.field, "" if value is None else str(value), result, w.error, w.at[:16]]
        )
    return out


def _failed_rows(ctx: Context, *, fax: bool) -> list[list[Any]]:
    """Failed jobs of one kind of channel: faxes (传真失败), or e-mail and phone jobs (邮件失败)."""
    tz = ctx.config.tz
    return [
        [  # kinds and states as staff call them: 预订单 失败 (issue 8 §7)
            j.id,
            j.order_no,
            kind_label(j.kind, ctx.locale),
            state_label(j.state, ctx.locale),
            j.attempts,
            j.error or "",
            j.updated_at.astimezone(tz),
        ]
        for j in failed_jobs(ctx.journal)
        if (j.channel == "fax") is fax
    ]


def _call_rows(ctx: Context) -> list[list[Any]]:
    tz = ctx.config.tz
    return [[t.order_no, t.phone, t.text, t.created_at.astimezone(tz)] for t in calls_to_make(ctx.journal)]


def _review_rows(ctx: Context) -> list[list[Any]]:
    since = ctx.now() - timedelta(days=REVIEW_DAYS)
    review: list[list[Any]] = []
    for e in mail_to_review(ctx.journal):
        at = _when(e.received_at or e.created_at, ctx)
        if at is not None and at < since:
            continue
        review.append([at, e.source, "; ".join(e.order_nos), e.reason, e.filed_path])
    return review


def _deleted_rows(ctx: Context, reference: Reference | None) -> list[list[Any]]:
    return [
        [
            d.order_no,
            hotel_name(reference, d.values.get("hotel"), ctx.config.locale),
            "; ".join(d.values.get("guests") or ()),
            d.values.get("check_in"),
            d.values.get("status") or "",
            d.deleter(ctx.config.locale),
            d.at.astimezone(ctx.config.tz),
        ]
        for d in deleted_orders(ctx.journal)
    ]

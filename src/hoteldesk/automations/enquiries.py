"""Conference and tour enquiries (B10): logged in Shifts.xlsx › 咨询, passed to the department by e-mail
from a template, the outcome recorded; open ones on the Dashboard.

This is the desk's side: the departments' addresses (``[floor.departments]`` in hoteldesk.toml, e.g.
``会议部 = "mice@example.com"``), which enquiries were passed on, and the Dashboard's open ones. The mail
itself is the documents side's (:mod:`hoteldesk.documents.enquiry_mail`, in the floor papers step of the
pass, issue 15 §2).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from hoteldesk.automations.context import Context
from hoteldesk.automations.desk_queues import DeskQueue
from hoteldesk.automations.floor_rows import sheet_rows
from hoteldesk.workbooks.schema_floor import ENQUIRIES

SHIFTS = "workbooks/Shifts.xlsx"  # as the write-back queue names a workbook

ENQUIRY_COLS = (
    ("编号", "Enquiry No.", "text", 10),
    ("登记时间", "Received At", "datetime", 17),
    ("类别", "Kind", "text", 8),
    ("客户", "Customer", "text", 16),
    ("转交部门", "Passed To", "text", 12),
    ("转交时间", "Passed At", "datetime", 17),
    ("说明", "What To Do", "text", 44),
)


def departments(ctx: Context) -> dict[str, str]:
    raw = ctx.config.raw.get("floor", {}).get("departments", {})
    return {str(k): str(v) for k, v in raw.items()} if isinstance(raw, dict) else {}


def is_open(row: Mapping[str, Any]) -> bool:
    return not row.get("closed_at") and not str(row.get("outcome") or "").strip()


def sent_enquiries(ctx: Context) -> set[str]:
    rows = ctx.journal.db.execute("SELECT row_id FROM floor_rows WHERE workbook=? AND sheet='enquiry_mail'", (SHIFTS,))
    return {str(r[0]) for r in rows}


def enquiry_queue(ctx: Context) -> DeskQueue:
    """The Dashboard's open enquiries: not yet passed on, or waiting for the department's outcome."""
    en = ctx.locale.startswith("en")
    addresses = departments(ctx)
    sent = sent_enquiries(ctx)
    rows = []
    for r in sheet_rows(ctx, ENQUIRIES):
        if not is_open(r):
            continue
        no = str(r.get("enquiry_no") or "")
        passed = r.get("passed_at") is not None or no in sent
        if not no:
            todo = "fill in Enquiry No." if en else "请填写 编号"
        elif not passed and str(r.get("department") or "") not in addresses:
            todo = (
                "no e-mail for this department in hoteldesk.toml"
                if en
                else "转交部门没有邮箱，请在 hoteldesk.toml 配置"
            )
        elif not passed:
            todo = "being passed on" if en else "待转交"
        else:
            todo = "waiting for the department's outcome (B10)" if en else "等待部门反馈结果（B10）"
        rows.append(
            [no, r.get("received_at"), r.get("kind"), r.get("customer"), r.get("department"), r.get("passed_at"), todo]
        )
    return DeskQueue("enquiries", "咨询未结", "Open Enquiries", ENQUIRY_COLS, rows)

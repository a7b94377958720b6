"""Conference and tour enquiries (B10): logged in Shifts.xlsx › 咨询, passed to the department by e-mail
from a template, the outcome recorded; open ones on the Dashboard.

Each enquiry with its 编号, 需求 and 转交部门 is mailed once to the department's address
(``[floor.departments]`` in hoteldesk.toml, e.g. ``会议部 = "mice@example.com"``) and its 转交时间 is
written back. The mail is written to ``outbox/mail/enquiries/`` first and sent once
(:func:`hoteldesk.documents.mailer.send_once`), so a restart never mails a department twice.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from importlib import resources
from pathlib import Path
from typing import Any

from hoteldesk.automations.context import Context
from hoteldesk.automations.desk_queues import DeskQueue
from hoteldesk.automations.floor import sheet_rows
from hoteldesk.documents.mailer import Mailer, build_message, message_id, send_once
from hoteldesk.documents.render import clean_context, make_environment
from hoteldesk.errors import GatewayError
from hoteldesk.workbooks.schema_floor import ENQUIRIES

SHIFTS = "workbooks/Shifts.xlsx"  # as the write-back queue names a workbook
TEMPLATE = "enquiry_mail.txt"

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


def template_text(ctx: Context) -> str:
    """The drive's copy (templates/<locale>/enquiry_mail.txt) if staff made one, else the default."""
    locale = ctx.locale if ctx.locale in ("zh-CN", "en") else "zh-CN"
    own = ctx.layout.templates / locale / TEMPLATE
    if own.is_file():
        return own.read_text(encoding="utf-8")
    return resources.files("hoteldesk.templates").joinpath(locale, TEMPLATE).read_text(encoding="utf-8")


def _text(value: Any) -> str:
    if isinstance(value, datetime):
        return f"{value:%Y-%m-%d %H:%M}"
    return "" if value is None else str(value)


def mail_body(ctx: Context, row: Mapping[str, Any]) -> str:
    """The department's e-mail, rendered in the sandbox (text from staff is data, never a template)."""
    values = {k.key: _text(row.get(k.key)) for k in ENQUIRIES.fields}
    values["company"] = str(ctx.config.company.get("name", ""))
    env = make_environment()
    env.autoescape = False  # plain text mail: nothing to escape
    return env.from_string(template_text(ctx)).render(**clean_context(values))


def is_open(row: Mapping[str, Any]) -> bool:
    return not row.get("closed_at") and not str(row.get("outcome") or "").strip()


def _sent(ctx: Context) -> set[str]:
    rows = ctx.journal.db.execute("SELECT row_id FROM floor_rows WHERE workbook=? AND sheet='enquiry_mail'", (SHIFTS,))
    return {str(r[0]) for r in rows}


def pass_enquiries(ctx: Context) -> list[str]:
    """B10: mail each new enquiry to its department; 转交时间 written back."""
    todo = [
        r
        for r in sheet_rows(ctx, ENQUIRIES)
        if r.get("enquiry_no") and r.get("details") and r.get("department") and not r.get("passed_at")
    ]
    sent = _sent(ctx)
    todo = [r for r in todo if str(r["enquiry_no"]) not in sent]
    if not todo:
        return []
    addresses = departments(ctx)
    mailer = Mailer.from_settings(ctx.config.smtp)
    folder: Path = ctx.layout.outbox_mail / "enquiries"
    lines = []
    for r in todo:
        no, dept = str(r["enquiry_no"]), str(r["department"])
        to = addresses.get(dept)
        if not to:
            lines.append(f"B10 {no}: no e-mail address for {dept}; add it under [floor.departments] in hoteldesk.toml")
            continue
        key = f"B10_{no}"
        subject = f"[B10] {r.get('kind') or ''} {no} {r.get('customer') or ''}".strip()
        msg = build_message(
            sender=mailer.sender, to=to, subject=subject, body=mail_body(ctx, r), msg_id=message_id(key, mailer.domain)
        )
        try:
            send_once(mailer, msg, key, folder)
        except GatewayError as exc:
            lines.append(f"B10 {no}: not sent to {dept} ({exc}); retried on the next pass")
            continue
        now = ctx.now()
        with ctx.journal.transaction() as db:
            db.execute(
                "INSERT OR IGNORE INTO floor_rows (workbook, sheet, row_id, added_at) VALUES (?,?,?,?)",
                (SHIFTS, "enquiry_mail", no, now.isoformat()),
            )
        ctx.journal.queue_write(SHIFTS, ENQUIRIES.key, no, "passed_at", now, created_at=now, base=None)
        lines.append(f"B10 {no}: passed to {dept} ({to})")
    return lines


def enquiry_queue(ctx: Context) -> DeskQueue:
    """The Dashboard's open enquiries: not yet passed on, or waiting for the department's outcome."""
    en = ctx.locale.startswith("en")
    addresses = departments(ctx)
    sent = _sent(ctx)
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

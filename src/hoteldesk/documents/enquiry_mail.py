"""B10: each new conference or tour enquiry mailed once to its department, from a template staff own.

The documents side of the enquiry desk (:mod:`hoteldesk.automations.enquiries` keeps the addresses and the
Dashboard's queue): run in the floor papers step of the pass (issue 15 §2). The mail is written to
``outbox/mail/enquiries/`` first and sent once (:func:`hoteldesk.documents.mailer.send_once`), so a
restart never mails a department twice; 转交时间 is written back.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from importlib import resources
from pathlib import Path
from typing import Any

from hoteldesk.automations.context import Context
from hoteldesk.automations.enquiries import SHIFTS, departments, sent_enquiries
from hoteldesk.automations.floor_rows import sheet_rows
from hoteldesk.documents.mailer import Mailer, build_message, message_id, send_once
from hoteldesk.documents.render import clean_context, make_environment
from hoteldesk.errors import GatewayError
from hoteldesk.workbooks.schema_floor import ENQUIRIES

TEMPLATE = "enquiry_mail.txt"


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


def pass_enquiries(ctx: Context) -> list[str]:
    """B10: mail each new enquiry to its department; 转交时间 written back."""
    todo = [
        r
        for r in sheet_rows(ctx, ENQUIRIES)
        if r.get("enquiry_no") and r.get("details") and r.get("department") and not r.get("passed_at")
    ]
    sent = sent_enquiries(ctx)
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

"""The demo's fax operator: sends what is in the spool and leaves the ``.done`` markers (issue 8 §6).

A real operator (or a fax server) works the spool as the README's "The fax spool"
section says: for each ``<key>.json`` ticket, fax ``<key>.tif`` (or ``.pdf``) to the
ticket's ``dial`` number, then write ``<key>.done`` — or ``<key>.failed`` with the
reason. The demo has no fax line, so its operator only writes the markers, as a person
would after sending; the next outbox round picks them up (the job becomes delivered,
the order 已发). :func:`loop_line` then tells, from the drive and the journal, how far
the loop closed.
"""

from __future__ import annotations

import json
import os
from collections import Counter
from pathlib import Path

from hoteldesk.automations.context import Context
from hoteldesk.documents import jobs
from hoteldesk.documents.gateways.spool import DONE, FAILED
from hoteldesk.domain.states import OrderStatus
from hoteldesk.errors import HoteldeskError
from hoteldesk.workbooks.reader import read_sheet
from hoteldesk.workbooks.schema import ORDERS

#: Who the demo's markers say sent the fax.
OPERATOR = "演示传真员 demo fax operator"


def spool_folder(ctx: Context) -> Path | None:
    """The spool the drive's settings name, or None when the drive faxes through another gateway."""
    from hoteldesk.documents.gateways import make_gateway
    from hoteldesk.documents.gateways.spool import SpoolGateway

    gateway = make_gateway(ctx.config, ctx.layout)
    return gateway.folder if isinstance(gateway, SpoolGateway) else None


def mark_sent(ctx: Context) -> list[str]:
    """Leave ``<key>.done`` next to every ticket in the spool that has no marker yet; return summary lines."""
    folder = spool_folder(ctx)
    if folder is None:
        return [f"fax operator: nothing to do — [fax] gateway is {ctx.config.fax.get('gateway')}, not the spool"]
    now = ctx.now()
    marked = 0
    for ticket in sorted(folder.glob("*.json")):
        ref = ticket.stem
        if (folder / f"{ref}{DONE}").exists() or (folder / f"{ref}{FAILED}").exists():
            continue
        try:
            dial = str(json.loads(ticket.read_text(encoding="utf-8")).get("dial") or "")
        except (OSError, ValueError):
            continue  # not a ticket hoteldesk wrote: a real operator would ask, the demo leaves it
        marker = folder / f"{ref}{DONE}"
        tmp = marker.with_name(marker.name + ".part")
        tmp.write_text(f"{now:%Y-%m-%d %H:%M:%S} 已发送 sent to {dial} — {OPERATOR}\n", encoding="utf-8")
        os.replace(tmp, marker)
        marked += 1
    if not marked:
        return ["fax operator: the spool is empty"]
    return [f"fax operator: {marked} fax(es) sent, .done left next to each in {folder}"]


def loop_line(ctx: Context) -> str:
    """One line: the booking faxes sent and the orders now 已发, replies applied, letters out, faxes waiting."""
    db = ctx.journal.db
    booked = [j.order_no for j in jobs.jobs_in(ctx.journal, "delivered") if j.kind == "booking"]
    try:
        rows = read_sheet(ctx.layout.bookings, ORDERS).rows
    except (HoteldeskError, OSError):
        rows = []
    status = {str(r.values.get("order_no")): r.values.get("status") for r in rows}
    sent = sum(status.get(no) == OrderStatus.SENT.value for no in booked)
    applied = int(db.execute("SELECT COUNT(*) FROM mail_ledger WHERE status='applied'").fetchone()[0])
    out = Counter(
        j.channel
        for j in jobs.jobs_in(ctx.journal, "delivered", "submitted")
        if j.kind == jobs.LETTER and (j.state == "delivered" or j.channel == "phone")  # a call task is out
    )
    folder = spool_folder(ctx)
    waiting = len(list(folder.glob("*.json"))) if folder is not None else 0
    return (
        f"loop: {len(booked)} booking fax(es) sent by the fax operator → {sent} order(s) 已发 in Bookings.xlsx; "
        f"{applied} hotel {'reply' if applied == 1 else 'replies'} applied; "
        f"{sum(out.values())} customer letter(s) out ({out['email']} by e-mail, {out['fax']} by fax, "
        f"{out['phone']} call(s) to make); {waiting} fax(es) waiting for the operator in outbox/fax/spool"
    )

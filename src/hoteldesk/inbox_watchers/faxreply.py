"""Deciding a faxed-back page (issue 17 §4): apply only what is certain, show the clerk the rest (C6).

A page is applied like a mail reply only when all of this holds: our QR decoded with a valid check
value; the order is in Bookings.xlsx and we did send that slip (the outbox has the job for that
order, revision and kind) and no later revision; the sending fax number, when known, is not another
hotel's (Contracts' 传真); exactly one box clearly ticked and none in doubt; and for 确认 (or 已取消)
a number read with high confidence that looks like that hotel's earlier numbers. Anything less is a
review with the reason and the crops (the reply panel, the number line, the page) saved as PNG under
``mailroom/fax-review/`` so the clerk reads the handwriting, never hoteldesk (B-rules: nothing is guessed).
A page without our QR is read by OCR for our order numbers, and always goes to a person.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Sequence
from email import message_from_bytes, policy
from email.message import EmailMessage
from email.utils import parseaddr
from functools import partial
from pathlib import Path
from typing import Any

from hoteldesk.automations.context import Context
from hoteldesk.documents import jobs
from hoteldesk.documents.qr import SlipCode
from hoteldesk.inbox_watchers.faxnumber import shape
from hoteldesk.inbox_watchers.faxpage import PageReading, read_fax
from hoteldesk.inbox_watchers.interpret import Decision, OrderBook
from hoteldesk.inbox_watchers.sources.faxfolder import FAX_HEADER

# Calibrated on pages the benchmark never sees (bench/bench_faxin.py --calibrate 300, seed 2026; 229 typed or
# stamped numbers): at conf ≥ 75 and lead ≥ 40, 85 % are applied, none wrongly, no handwriting. No wrong read
# passed any lead ≥ 10; before the glyph check (faxnumber.glyphs_agree) wrong reads led by up to 18, so 40
# keeps a margin of 22 even against those.
MIN_NUMBER_CONF = 75.0  # the weakest character's confidence (faxnumber.NumberRead.conf)
MIN_NUMBER_LEAD = 40.0  # its least lead over the best rival allowed at its place (faxnumber.NumberRead.lead)
NUMBER_RE = re.compile(r"^[A-Z0-9][A-Z0-9-]{3,19}$")
FAX_SUBJECT = "传真 fax"  # a fax's review entry says it was a fax (the 传真待审 sheet lists those)
IMAGE_TYPES = ("image/tiff", "image/png", "image/jpeg", "application/pdf")


def _digits(text: Any) -> str:
    return re.sub(r"\D", "", str(text or ""))


def same_number(a: Any, b: Any) -> bool:
    """Two fax numbers are the same line when their last 8 digits agree (+86 10 … vs 010-…)."""
    da, db = _digits(a), _digits(b)
    return len(da) >= 7 and len(db) >= 7 and da[-8:] == db[-8:]


def plausible(number: str, earlier: Sequence[str]) -> bool:
    """Looks like a confirmation number, and like this hotel's earlier ones when it has any."""
    if not NUMBER_RE.match(number):
        return False
    shapes = {shape(n) for n in earlier if n}
    return not shapes or shape(number) in shapes


def certain_number(page: PageReading, earlier: Sequence[str]) -> bool:
    """A typed or stamped number read surely enough to be applied without a person (issue 17 §4)."""
    return (
        not page.handwritten
        and page.number_conf >= MIN_NUMBER_CONF
        and page.number_lead >= MIN_NUMBER_LEAD
        and plausible(page.number, earlier)
    )


def fax_images(raw: bytes) -> tuple[str, list[tuple[str, bytes]]]:
    """(sending fax number, [(file name, bytes)]) of a wrapped fax or a fax-to-e-mail message."""
    msg = message_from_bytes(raw, policy=policy.default)
    csid = str(msg.get(FAX_HEADER, "") or "").strip().strip("-")
    if not csid:  # a fax-to-e-mail service names the sending number in its subject ("Fax from +86 10 …")
        found = re.search(r"\+?\d[\d ()-]{5,}\d", str(msg.get("Subject", "") or ""))
        csid = found.group(0) if found else ""
    out: list[tuple[str, bytes]] = []
    if isinstance(msg, EmailMessage):
        for part in msg.iter_attachments():
            name = str(part.get_filename() or "fax")
            if part.get_content_type() in IMAGE_TYPES or name.lower().endswith((".tif", ".tiff", ".pdf")):
                data = part.get_payload(decode=True)
                if isinstance(data, bytes):
                    out.append((name, data))
    return csid, out


class FaxInterpreter:
    """The mailroom's interpreter for faxes: ``(raw, orders, hotels) → Decision`` (see mailroom.Interpreter)."""

    def __init__(self, ctx: Context, *, our_prefix: str = "HD") -> None:
        self.ctx = ctx
        self.crops = ctx.layout.root / "mailroom" / "fax-review"
        self.our = re.compile(rf"{re.escape(our_prefix)}\s*\d{{8}}\s*-\s*\d{{4}}")

    def __call__(self, raw: bytes, book: OrderBook, hotels: Sequence[dict[str, Any]]) -> Decision:
        csid, images = fax_images(raw)
        sender = f"fax {csid}".strip()
        readings: list[PageReading] = []
        for name, data in images:
            readings += read_fax(data, name, earlier=partial(self._slip_numbers, book))
        key = hashlib.sha256(raw).hexdigest()[:12]
        coded = [r for r in readings if r.code is not None]
        if not images or not readings:
            return Decision("unknown", (), "", problem="no fax image in the message", sender=sender)
        if not coded:
            return self._no_code(readings, key, sender)
        page = coded[0]
        code = page.code
        assert code is not None
        order = book.get(code.order_no)
        hotel_code = str((order or {}).get("hotel") or "")
        ev = [*page.evidence, f"sender {csid or 'unknown'}"]
        problems: list[str] = []
        if len({(r.code.order_no if r.code else "") for r in coded}) > 1:
            problems.append("several of our slips in one fax: each page needs a person")
        if order is None:
            problems.append(f"order {code.order_no} is not in Bookings.xlsx")
        else:
            problems += self._slip_problems(code.order_no, code.revision, code.kind)
            problems += self._sender_problems(csid, hotel_code, hotels)
        answer = page.answer
        if not answer:
            problems.append(self._tick_problem(page))
        conf_no, cancel_no = "", ""
        if answer in ("confirmed", "cancelled"):
            earlier = self._earlier_numbers(book, hotel_code) if answer == "confirmed" else []
            number_problem = _number_problem(page, answer, earlier)
            if number_problem:
                problems.append(number_problem)
            elif answer == "confirmed":
                conf_no = page.number
            else:
                cancel_no = page.number
        problem = "; ".join(p for p in problems if p)
        if problem:
            ev += self._save_crops(page, key)
        kind = answer or "unknown"
        return Decision(
            kind,
            (code.order_no,),
            hotel_code,
            conf_no=conf_no,
            cancel_no=cancel_no,
            confidence=min(1.0, page.number_conf / 100) if conf_no else (1.0 if answer else 0.0),
            problem=problem,
            sender=sender,
            subject=f"{FAX_SUBJECT} {code.order_no} r{code.revision} {code.kind}",
            evidence=tuple(ev),
        )

    def _slip_numbers(self, book: OrderBook, code: SlipCode) -> list[str]:
        """A booking or change slip's line is a 确认号: read in the shape of the hotel's earlier ones."""
        order = book.get(code.order_no)
        return self._earlier_numbers(book, str(order.get("hotel") or "")) if order and code.kind != "cancel" else []

    # -- checks ----------------------------------------------------------------------------------

    def _slip_problems(self, order_no: str, revision: int, kind: str) -> list[str]:
        sent = jobs.find_job(self.ctx.journal, order_no, revision, kind)
        if sent is None:
            return [f"we have no record of sending {kind} slip r{revision} of {order_no}"]
        later = self.ctx.journal.db.execute(
            "SELECT MAX(revision) FROM outbox_jobs WHERE order_no=? AND kind!='letter'", (order_no,)
        ).fetchone()[0]
        if later is not None and int(later) > revision:
            return [f"answers slip r{revision}, but r{later} was sent since: check which one the hotel means"]
        return []

    def _sender_problems(self, csid: str, hotel_code: str, hotels: Sequence[dict[str, Any]]) -> list[str]:
        if not _digits(csid):
            return []  # a scanner's folder: the QR alone names the order
        owners = [str(h.get("code") or "") for h in hotels if same_number(h.get("fax"), csid)]
        if owners and hotel_code not in owners:
            return [f"sent from {csid}, the fax of {', '.join(owners)}, not of {hotel_code}"]
        return []

    @staticmethod
    def _tick_problem(page: PageReading) -> str:
        if len(page.ticked) > 1:
            return "more than one box ticked"
        if page.unsure:
            return "a faint mark in a box: is it ticked?"
        return "no box ticked"

    @staticmethod
    def _earlier_numbers(book: OrderBook, hotel_code: str) -> list[str]:
        found = [str(o.get("hotel_conf_no") or "") for o in book.orders if str(o.get("hotel") or "") == hotel_code]
        return [n for n in found if n][-50:]

    def _no_code(self, readings: list[PageReading], key: str, sender: str) -> Decision:
        text = "\n".join(r.text for r in readings)
        found = tuple(dict.fromkeys(re.sub(r"\s", "", m) for m in self.our.findall(text)))
        bad = [r for r in readings if r.qr_text.startswith("HDQ1|")]
        if bad:  # our format, but the check value fails: misread or made by hand — never applied
            why = f"fax without our slip's QR: a code that looks like ours failed its check ({bad[0].code_problem})"
        elif all(r.blank or not r.text.strip() for r in readings):
            why = "fax pages without our QR and without text (blank or unreadable)"
        else:
            why = "fax without our slip's QR: read by OCR only" + (
                f" (order {', '.join(found)} named)" if found else ", no order number found"
            )
        ev = [why]
        for r in readings[:3]:
            ev += self._save_crops(r, key)
        return Decision("unknown", found, "", problem=why, sender=sender, subject=FAX_SUBJECT, evidence=tuple(ev))

    def _save_crops(self, page: PageReading, key: str) -> list[str]:
        self.crops.mkdir(parents=True, exist_ok=True)
        out: list[str] = []
        for what, data in (("panel", page.panel_png), ("number", page.number_png), ("page", page.page_png)):
            if data:
                path = self.crops / f"{key}_p{page.index + 1}_{what}.png"
                path.write_bytes(data)
                out.append(f"{what}: {path.relative_to(self.ctx.layout.root)}")
        return out


Interpreter = Callable[[bytes, OrderBook, Sequence[dict[str, Any]]], Decision]


def with_fax_gateways(ctx: Context, mail: Interpreter) -> Interpreter:
    """The mailroom's interpreter, with faxes from the registered fax-to-e-mail services read as faxes.

    ``[fax_in] email_gateways`` in hoteldesk.toml lists the services' addresses (or domains); a message
    from one of them carrying a TIFF or PDF is a faxed-back page, whose hotel is named by the sending fax
    number in its subject and by the QR — never by the service's address (issue 17 §2)."""
    listed = ctx.config.raw.get("fax_in", {}).get("email_gateways", [])
    gateways = {str(g).strip().lower() for g in listed if str(g).strip()}
    if not gateways:
        return mail
    prefix = str(ctx.config.raw.get("mail", {}).get("order_prefix", "HD"))
    fax = FaxInterpreter(ctx, our_prefix=prefix)

    def interpret(raw: bytes, book: OrderBook, hotels: Sequence[dict[str, Any]]) -> Decision:
        msg = message_from_bytes(raw, policy=policy.default)
        sender = parseaddr(str(msg.get("From", "") or ""))[1].lower()
        if (sender in gateways or sender.rpartition("@")[2] in gateways) and fax_images(raw)[1]:
            return fax(raw, book, hotels)
        return mail(raw, book, hotels)

    return interpret


def crops_folder(ctx: Context) -> Path:
    return ctx.layout.root / "mailroom" / "fax-review"


__all__ = ["FaxInterpreter", "certain_number", "fax_images", "plausible", "same_number", "with_fax_gateways"]


def _number_problem(page: PageReading, answer: str, earlier: Sequence[str]) -> str:
    """Why the 确认号 / 取消号 line cannot be applied as read ("" when it can): handwriting is never guessed."""
    number = page.number
    label = "确认号" if answer == "confirmed" else "取消号"
    if page.number_ink < 0.004:
        return f"{label} line is empty: type the hotel's number"
    if page.handwritten:
        return f"{label} is handwritten (read {number or '?'}): the clerk reads the crop and types it"
    if not certain_number(page, earlier):
        return (
            f"number not read with certainty (read {number or '?'}, confidence {page.number_conf:.0f}, "
            f"lead {page.number_lead:.0f}; handwritten?): the clerk reads the crop and types it"
        )
    return ""

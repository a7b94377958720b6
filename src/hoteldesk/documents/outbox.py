"""The outbox pass: render, convert, send and follow every job, exactly once (C1, C8, issue 4).

Each pass, for every job in the journal::

    queued    → render the Word template, convert to PDF (and fax TIFF)  → rendered
    rendered  → hand it to the gateway (attempt counted first)            → submitted | failed
    submitted → ask the gateway                                           → delivered | failed | unknown
    failed    → when its backoff is due, again (up to ``[fax] max_attempts``), else left for a person

Side effects come before the journal records them, and each is idempotent: files are
rewritten in place, gateways recognise a job they already have by its key, write-backs
of the same cell supersede each other. So a crash at any point is repaired by the next
pass, which resumes from the state the journal holds: nothing is sent twice, nothing lost.

Files of a job live in ``outbox/fax/<state>/`` (letters by e-mail or phone in
``outbox/mail/<state>/``) as ``<key>.docx .pdf .tif .json``; once delivered a copy goes
to ``documents/YYYY/MM/DD/``. A job the spool gateway has finished comes back from
``outbox/fax/spool/`` with its ticket and the operator's marker (``<key>.ticket.json``,
``.done`` or ``.failed``), which then travel with the job's files. Delivered slips move
the order 待发 → 已发 (cancel slips 取消 → 取消待确认) with 发送时间; delivered letters
set 答复客户时间.
"""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Mapping
from contextlib import ExitStack, suppress
from datetime import date, datetime
from pathlib import Path
from typing import Any, Protocol

from hoteldesk import failpoints
from hoteldesk.automations.context import Context
from hoteldesk.automations.fax_failures import refresh_problems
from hoteldesk.automations.holds import deleted_rows, held_orders, is_held
from hoteldesk.automations.presend import waiting_jobs
from hoteldesk.automations.queues import waiting_count
from hoteldesk.documents import jobs, letters
from hoteldesk.documents.answer_letters import queue_answer_letters
from hoteldesk.documents.gateways import FaxGateway, make_gateway
from hoteldesk.documents.gateways.faxnumber import DialPlan, normalise
from hoteldesk.documents.gateways.spool import RETURNED
from hoteldesk.documents.jobs import OutboxJob
from hoteldesk.documents.letter_fields import letter_template
from hoteldesk.documents.mailer import Mailer
from hoteldesk.domain.clocks import slip_deadline
from hoteldesk.domain.states import OrderStatus
from hoteldesk.domain.summaries import say
from hoteldesk.errors import FaxNumberError, GatewayError, HoteldeskError
from hoteldesk.journal import dumps
from hoteldesk.orders.bookings import order_records
from hoteldesk.orders.state import kept_status
from hoteldesk.workbooks.reader import read_sheet
from hoteldesk.workbooks.schema import HOTELS

BOOKINGS = "workbooks/Bookings.xlsx"
SUFFIXES = (".docx", ".pdf", ".tif", ".json", *RETURNED)
#: Which status a delivered slip moves the order from → to.
STATUS_AFTER = {
    "booking": (OrderStatus.QUEUED, OrderStatus.SENT),
    "cancel": (OrderStatus.CANCEL_REQUESTED, OrderStatus.CANCEL_PENDING),
}


class Converter(Protocol):
    def to_pdf(self, docx: Path, out: Path) -> Path: ...


def _local(dt: datetime, ctx: Context) -> datetime:
    """A datetime as staff type it in a workbook: drive-local, no zone."""
    return dt.astimezone(ctx.config.tz).replace(tzinfo=None)


def _folder(ctx: Context, job: OutboxJob, state: str) -> Path:
    root = ctx.layout.outbox_fax if job.channel == "fax" else ctx.layout.outbox_mail
    return root / state


def job_file(ctx: Context, job: OutboxJob, suffix: str) -> Path:
    return _folder(ctx, job, job.state) / f"{job.key}{suffix}"


def place_files(ctx: Context, job: OutboxJob) -> None:
    """Gather the job's files into the folder of its state (repairs a crash between move and rename)."""
    target = _folder(ctx, job, job.state)
    for state in jobs.STATES:
        folder = _folder(ctx, job, state)
        if folder == target:
            continue
        for suffix in SUFFIXES:
            src = folder / f"{job.key}{suffix}"
            if src.exists():
                target.mkdir(parents=True, exist_ok=True)
                os.replace(src, target / src.name)
    facts = target / f"{job.key}.json"
    documents = any((target / f"{job.key}{s}").exists() for s in (".docx", ".pdf"))
    if documents or job.state == "failed":  # C1: a slip failed before rendering (bad number) still leaves its facts
        target.mkdir(parents=True, exist_ok=True)
        facts.write_text(json.dumps(json.loads(dumps(job.facts())), ensure_ascii=False, indent=2), encoding="utf-8")


def repair_files(ctx: Context) -> None:
    """After a crash: put every job's files in the folder of the state the journal holds."""
    for job in jobs.jobs_in(ctx.journal, "queued", "rendered", "submitted", "failed", "unknown"):
        place_files(ctx, job)
    for root in (ctx.layout.outbox_fax, ctx.layout.outbox_mail):
        for state in ("queued", "rendered", "submitted"):
            for facts in (root / state).glob("*.json"):
                try:
                    job_id = int(json.loads(facts.read_text(encoding="utf-8"))["job"])
                    job = jobs.get_job(ctx.journal, job_id)
                except (OSError, ValueError, KeyError, TypeError):
                    continue
                if job.state == "delivered" and facts.stem == job.key:
                    place_files(ctx, job)


# -- reference data -------------------------------------------------------------------------------


def load_hotels(ctx: Context) -> dict[str, dict[str, Any]]:
    """Contracts hotels by code, zh name and en name (empty if Contracts.xlsx cannot be read)."""
    try:
        data = read_sheet(ctx.layout.contracts, HOTELS)
    except (HoteldeskError, OSError):
        return {}
    out: dict[str, dict[str, Any]] = {}
    for row in data.rows:
        for key in ("code", "name_zh", "name_en"):
            name = row.values.get(key)
            if name:
                out.setdefault(str(name).strip(), row.values)
    return out


def load_orders(ctx: Context) -> list[dict[str, Any]]:
    try:
        return order_records(ctx)  # the order repository (issue 15 §2)
    except (HoteldeskError, OSError):
        return []


def destination(job: OutboxJob, hotel: Mapping[str, Any] | None, plan: DialPlan) -> str:
    """Where the job goes: the hotel's fax for slips; the customer's fax, e-mail or phone for letters."""
    order = job.order
    if job.kind != jobs.LETTER:
        if hotel is None:
            raise FaxNumberError(f"hotel {order.get('hotel')!r} is not in Contracts.xlsx, so it has no fax number")
        return normalise(str(hotel.get("fax") or ""), plan)
    if job.channel == "fax":
        return normalise(str(order.get("customer_fax") or ""), plan)
    if job.channel == "email":
        email = str(order.get("customer_email") or "").strip()
        if "@" not in email or any(c.isspace() for c in email):
            raise GatewayError(f"order {job.order_no}: 客户邮箱 {email!r} is not an e-mail address")
        return email
    return str(order.get("booker_phone") or "")


# -- the steps ---------------------------------------------------------------------------------------


class Outbox:
    def __init__(
        self,
        ctx: Context,
        gateway: FaxGateway,
        converter: Converter | None,
        hotels: Mapping[str, dict[str, Any]],
        stack: ExitStack,
    ) -> None:
        self.ctx = ctx
        self.journal = ctx.journal
        self.gateway = gateway
        self._converter = converter
        self.stack = stack
        self.hotels = hotels
        self.plan = DialPlan.from_settings(ctx.config.fax)
        self.max_attempts = int(ctx.config.fax.get("max_attempts", 4))
        self.senders: dict[str, FaxGateway] = {
            "fax": gateway,
            "email": letters.EmailLetters(
                Mailer.from_settings(ctx.config.smtp), ctx.layout.smtp_log, ctx.locale, self._hotel_name
            ),
            "phone": letters.CallDesk(self.journal, ctx.now(), ctx.locale, self._hotel_name),
        }
        self.lines: list[str] = []

    def _hotel(self, job: OutboxJob) -> dict[str, Any] | None:
        return self.hotels.get(str(job.order.get("hotel") or "").strip())

    def _hotel_name(self, job: OutboxJob) -> str:
        hotel = self._hotel(job)
        return str((hotel or {}).get("name_zh") or job.order.get("hotel") or "")

    @property
    def converter(self) -> Converter:
        if self._converter is None:
            from hoteldesk.documents.convert import PdfConverter

            self._converter = self.stack.enter_context(PdfConverter())
        return self._converter

    def fail(self, job: OutboxJob, error: str, *, final: bool = False) -> OutboxJob:
        """Record a failure: retried after a backoff, or left for a person after max attempts."""
        now = self.ctx.now()
        attempts = job.attempts + 1 if job.state == "queued" else max(job.attempts, 1)
        nxt: datetime | None = None
        if final or attempts >= self.max_attempts:
            self.lines.append(f"outbox: {job.key} failed for good after {attempts} attempt(s): {error}")
        else:
            nxt = now + jobs.backoff(attempts)
            self.lines.append(f"outbox: {job.key} failed ({error}); retry at {nxt:%H:%M}")
        job = jobs.move(
            self.journal, job, "failed", at=now, detail=error, error=error, next_attempt_at=nxt, attempts=attempts
        )
        place_files(self.ctx, job)
        return job

    def render(self, job: OutboxJob) -> OutboxJob:
        from hoteldesk.documents.faximage import pdf_to_tiff
        from hoteldesk.documents.render import render_docx
        from hoteldesk.documents.slips import slip_context
        from hoteldesk.documents.templates import SLIP_KINDS, template_path

        ctx, now = self.ctx, self.ctx.now()
        hotel = self._hotel(job)
        try:
            dest = destination(job, hotel, self.plan)
        except FaxNumberError as exc:  # a bad number is the job's error, not a crash
            return self.fail(job, str(exc), final=True)
        except GatewayError as exc:
            return self.fail(job, str(exc), final=True)
        name = letter_template(job.order) if job.kind == jobs.LETTER else SLIP_KINDS[job.kind]  # C8, issue 12
        reply_by = None
        if job.kind != jobs.LETTER:
            # C3/C4 set the deadline for arrivals today and tomorrow; later arrivals are asked to
            # answer within the normal customer window, so the slip never shows an empty deadline.
            reply_by = slip_deadline(job.order, now, ctx.config)
        context = slip_context(
            job.kind,
            job.order,
            job.changes,
            ctx.config.company,
            hotel,
            reply_by,
            ctx.locale,
            issued_at=now,
            revision=job.revision,  # issue 17: the slip's QR names the revision
        )
        folder = _folder(ctx, job, "queued")
        folder.mkdir(parents=True, exist_ok=True)
        docx, pdf, tif = (folder / f"{job.key}{s}" for s in (".docx", ".pdf", ".tif"))
        docx.write_bytes(render_docx(template_path(ctx.layout, name, ctx.locale), context))
        self.converter.to_pdf(docx, pdf)
        if job.channel == "fax":
            pdf_to_tiff(pdf, tif, g3=bool(ctx.config.fax.get("g3", False)))
        job = jobs.move(self.journal, job, "rendered", at=self.ctx.now(), detail=f"to {dest}", dest=dest, error=None)
        place_files(ctx, job)
        return job

    def submit(self, job: OutboxJob) -> OutboxJob:
        pdf, tif = job_file(self.ctx, job, ".pdf"), job_file(self.ctx, job, ".tif")
        if not pdf.exists():  # files lost (deleted by hand): render again
            job = jobs.move(self.journal, job, "queued", at=self.ctx.now(), detail="documents missing: render again")
            job = self.render(job)
            if job.state != "rendered":
                return job
            pdf, tif = job_file(self.ctx, job, ".pdf"), job_file(self.ctx, job, ".tif")
        sender = self.senders[job.channel]
        for suffix in RETURNED:  # a new attempt: the last one's ticket and marker are history (outbox_events)
            job_file(self.ctx, job, suffix).unlink(missing_ok=True)
        n = job.attempts + 1
        # The attempt is counted before the gateway is called, so a crash cannot retry for ever.
        job = jobs.move(
            self.journal, job, job.state, at=self.ctx.now(), detail=f"attempt {n} via {sender.name}", attempts=n
        )
        try:
            ref = sender.submit(job, pdf, tif if tif.exists() else None)
        except FaxNumberError as exc:
            return self.fail(job, str(exc), final=True)
        except GatewayError as exc:
            return self.fail(job, str(exc))
        failpoints.reached("fax-submitted")  # issue 16: killed here, the resumed pass finds the ticket (no 2nd fax)
        job = jobs.move(
            self.journal, job, "submitted", at=self.ctx.now(), detail=f"{sender.name} {ref}", gateway_ref=ref
        )
        place_files(self.ctx, job)
        return job

    def poll(self, job: OutboxJob) -> OutboxJob:
        sender = self.senders[job.channel]
        ref = job.gateway_ref or ""
        try:
            status = sender.poll(ref)
        except GatewayError as exc:
            self.lines.append(f"outbox: {job.key}: cannot ask {sender.name} ({exc}); asking again next pass")
            return job
        if status == "pending":
            return self.recall_if_confirmed(job, sender, ref)
        if status == "delivered":
            return self.delivered(job)
        if status == "failed":
            why = sender.reason(ref) or f"{sender.name} reported the fax failed"
            if not self.gives_back(job):
                sender.withdraw(ref)  # so that the retry is a new submission
            job = self.fail(job, why)
            self.give_back(job)  # the spool's marker goes to failed/, where a person sees it (§6)
            return job
        self.lines.append(f"outbox: {job.key}: {sender.name} does not know {ref}; left for a person")
        job = jobs.move(self.journal, job, "unknown", at=self.ctx.now(), detail=f"{sender.name} lost {ref}")
        place_files(self.ctx, job)
        return job

    def _still(self, order_no: str, status: OrderStatus) -> bool:
        """The journal holds the order in ``status`` (or has not seen it): a delivered slip moves it on.
        An order that moved on meanwhile — confirmed by the hotel's phone call — keeps its status: writing
        已发 over it would undo hoteldesk's own 已确认 and be reported as a staff edit (QA, issue 8 §3)."""
        kept = kept_status(self.journal, order_no)  # the order repository (issue 15 §2)
        return kept is None or kept == status.value

    def recall_if_confirmed(self, job: OutboxJob, sender: Any, ref: str) -> OutboxJob:
        """A booking or change slip still waiting in the spool for the operator, for an order the hotel has
        confirmed on the phone meanwhile (issue 8 §3: 确认方式 电话), is taken back: faxing it now would ask
        the hotel for a room it has already given us. Only the spool can take a slip back (nobody has sent
        it yet); with the other gateways the fax is already on its way."""
        if job.kind not in ("booking", "change") or getattr(sender, "name", "") != "spool":
            return job
        if kept_status(self.journal, job.order_no) != OrderStatus.CONFIRMED.value:
            return job
        why = (
            "the hotel confirmed by phone: the slip was taken back from the spool before it was faxed"
            if self.ctx.locale.startswith("en")
            else "酒店已电话确认：传真尚未发出，已从待发目录撤回"
        )
        if not jobs.withdraw_submitted(self.journal, job, at=self.ctx.now(), detail=why):
            return job
        sender.withdraw(ref)
        for suffix in SUFFIXES:  # never sent: its documents go (the journal keeps the job and why)
            (_folder(self.ctx, job, "submitted") / f"{job.key}{suffix}").unlink(missing_ok=True)
        self.lines.append(f"outbox: {job.key}: {why}")
        return jobs.get_job(self.journal, job.id)

    def delivered(self, job: OutboxJob) -> OutboxJob:
        ctx, now = self.ctx, self.ctx.now()
        sent_at = now
        if job.channel == "phone":
            task = jobs.get_call_task(self.journal, job.id)
            if task is not None and task.done_at is not None:
                sent_at = task.done_at
        # 1. the copy as sent (idempotent: overwritten by a repeat)
        day_folder = ctx.layout.documents_folder(sent_at.astimezone(ctx.config.tz).date())
        day_folder.mkdir(parents=True, exist_ok=True)
        for suffix in (".pdf", ".docx"):
            src = job_file(ctx, job, suffix)
            if src.exists():
                shutil.copyfile(src, day_folder / src.name)
        # 2. write-backs (a repeat supersedes the pending one with the same value)
        local = _local(sent_at, ctx)
        j = ctx.journal
        if job.kind == jobs.LETTER:
            j.queue_write(BOOKINGS, "orders", job.order_no, "answered_at", local, created_at=now)
        else:
            j.queue_write(BOOKINGS, "orders", job.order_no, "sent_at", local, created_at=now)
            # C3/C4: every slip (booking, change, cancel), whatever the gateway, sets its own 确认时限
            due = slip_deadline(job.order, sent_at, ctx.config)
            j.queue_write(BOOKINGS, "orders", job.order_no, "confirm_by", due and _local(due, ctx), created_at=now)
            if job.kind in STATUS_AFTER and self._still(job.order_no, STATUS_AFTER[job.kind][0]):
                old, new = STATUS_AFTER[job.kind]
                j.queue_write(BOOKINGS, "orders", job.order_no, "status", new.value, created_at=now, base=old.value)
        # 3. the state, last
        job = jobs.move(self.journal, job, "delivered", at=now, detail=f"sent {local:%Y-%m-%d %H:%M}", error=None)
        place_files(ctx, job)
        self.give_back(job)  # the spool keeps only what is still to send (§6)
        self.lines.append(f"outbox: {job.key} delivered to {job.dest or job.channel}")
        return job

    def gives_back(self, job: OutboxJob) -> bool:
        """Whether the job's gateway hands finished jobs back (the spool does)."""
        return callable(getattr(self.senders[job.channel], "collect", None))

    def give_back(self, job: OutboxJob) -> None:
        """The spool returns a finished job's ticket and marker into the folder of the job's state.

        A disk error here is only untidy — the journal already holds the answer — so it is reported,
        never recorded as the job's failure (a sent fax marked failed would be sent again); the
        marker moves last, so :meth:`collect_leftovers` finishes the move next pass.
        """
        collect = getattr(self.senders[job.channel], "collect", None)
        if not callable(collect) or not job.gateway_ref:
            return
        try:
            collect(job.gateway_ref, _folder(self.ctx, job, job.state))
        except OSError as exc:
            self.lines.append(f"outbox: {job.key}: cannot move its ticket out of the spool ({exc}); next pass")

    def collect_leftovers(self) -> None:
        """Markers in the spool that :meth:`poll` will not see: collect them now.

        After a crash between recording a job's answer and collecting it, the job is collected.
        A job the spool had lost (unknown) takes the operator's marker as the answer a person
        gives after checking the fax log: ``.done`` delivered, ``.failed`` failed for good.
        A marker whose job is still submitted is left for :meth:`poll`; one that no job
        claims (not hoteldesk's) is left alone.
        """
        finished = getattr(self.gateway, "finished", None)
        if not callable(finished):
            return
        for ref in finished():
            job = jobs.find_by_ref(self.journal, "fax", str(ref))
            if job is None or job.state == "submitted":
                continue
            with suppress(jobs.StaleJobError):
                status = self.gateway.poll(job.gateway_ref or "") if job.state == "unknown" else ""
                if status == "delivered":
                    self.delivered(job)
                    continue
                if status == "failed":
                    job = self.fail(job, self.gateway.reason(job.gateway_ref or ""), final=True)
                self.give_back(job)

    def retry_due(self) -> None:
        for job in jobs.due_retries(self.journal, self.ctx.now()):
            n = job.attempts
            target = (
                "rendered"
                if any((_folder(self.ctx, job, "failed") / f"{job.key}{s}").exists() for s in (".pdf",))
                else "queued"
            )
            moved = jobs.move(self.journal, job, target, at=self.ctx.now(), detail=f"retry after {n} attempt(s)")
            place_files(self.ctx, moved)


def _run_step(box: Outbox, job: OutboxJob, step: str) -> None:
    try:
        getattr(box, step)(job)
    except jobs.StaleJobError:
        pass  # another pass moved it meanwhile
    except Exception as exc:  # a template, conversion or disk problem: the job records it, the pass goes on
        why = str(exc) if isinstance(exc, HoteldeskError) else f"{type(exc).__name__}: {exc}"
        with suppress(jobs.StaleJobError):
            box.fail(jobs.get_job(box.journal, job.id), why)


def process_outbox(
    ctx: Context,
    *,
    gateway: FaxGateway | None = None,
    converter: Converter | None = None,
    orders: list[dict[str, Any]] | None = None,
) -> list[str]:
    """One pass over the outbox; returns summary lines. ``gateway``/``converter``: injected by tests and the daemon."""
    now = ctx.now()
    if orders is None:
        orders = load_orders(ctx)
    made = letters.queue_letters(
        ctx.journal, orders, now, float(ctx.config.raw.get("letters", {}).get("max_age_days", 3))
    )
    made += queue_answer_letters(ctx, orders)  # issue 12 §7 (C8): 满房, 拒绝, 已取消 are answered too
    letters.close_calls(ctx.journal, orders, ctx.config.tz)
    with ExitStack() as stack:
        box = Outbox(ctx, gateway or make_gateway(ctx.config, ctx.layout), converter, load_hotels(ctx), stack)
        if made:
            box.lines.append(f"outbox: {made} customer letter(s) queued (C8)")
        repair_files(ctx)
        box.collect_leftovers()
        box.retry_due()
        counts: dict[str, int] = {}
        cap = render_cap(ctx)
        # issue 8 §2: an error or an unapproved warning holds the order's slips; issue 9 §3: so does a failed write-back
        held = held_orders(ctx.journal, ctx.locale)
        held.update(dict.fromkeys(deleted_rows(ctx.journal), ""))  # a deleted row: a person decides (product.md)
        waiting = waiting_jobs(ctx)  # issue 13: C2/C7 — a slip a person must check first
        for state, step in (("queued", "render"), ("rendered", "submit"), ("submitted", "poll")):
            todo = jobs.jobs_in(ctx.journal, state)
            if step != "poll":
                todo = [j for j in todo if not is_held(j.kind, j.order_no, held) and j.id not in waiting]
            if step == "render":
                todo.sort(key=urgency)
            if step == "render" and cap is not None and len(todo) > cap:
                box.lines.append(f"outbox: {len(todo) - cap} job(s) wait for the next pass (at most {cap} per pass)")
                todo = todo[:cap]
            counts[step] = len(todo)
            for job in todo:
                _run_step(box, job, step)
        if counts["render"] or counts["submit"]:
            box.lines.insert(0, say("outbox_pass", ctx.locale, render=counts["render"], submit=counts["submit"]))
        unsent = waiting_count(ctx)  # C1, counted by the queue model like every view
        jobs.record_unsent(ctx.journal, ctx.now(), unsent)
        limit = ctx.config.sla.max_unsent
        if unsent > limit:
            box.lines.append(say("outbox_c1", ctx.locale, unsent=unsent, limit=limit))
        attention = jobs.failed_jobs(ctx.journal)
        if attention:
            box.lines.append(say("outbox_attention", ctx.locale, n=len(attention)))
        box.lines += refresh_problems(ctx, orders)  # C1: a slip failed for good says so in 问题, until it goes
        box.lines += evening_report(ctx, box, orders)
        return box.lines


def urgency(job: OutboxJob) -> tuple[date, int]:
    """B4: arrivals today first (then tomorrow …), and first come first served within a day."""
    check_in = job.order.get("check_in")
    day = check_in.date() if isinstance(check_in, datetime) else check_in
    return (day if isinstance(day, date) else date.max, job.id)


def render_cap(ctx: Context) -> int | None:
    """At most this many documents rendered per pass: ``[fax] max_per_pass`` (or ``[demo] max_faxes``)."""
    value = ctx.config.fax.get("max_per_pass", ctx.config.raw.get("demo", {}).get("max_faxes"))
    return None if value is None else max(0, int(value))


def evening_report(ctx: Context, box: Outbox, orders: list[dict[str, Any]]) -> list[str]:
    """The daily report, once, after ``[reports] daily_at`` (the daemon's evening duty, issue 4 §7)."""
    from hoteldesk.documents.report import due_report

    if not due_report(ctx):
        return []
    from hoteldesk.documents.report_command import write_report

    try:
        docx, _pdf = write_report(ctx, "daily", ctx.now().date(), orders=orders, converter=box.converter)
    except HoteldeskError as exc:
        return [f"report: the daily report could not be written — {exc}"]
    return [f"report: daily report written to {docx}"]


def process_outbox_daemon(ctx: Context) -> list[str]:
    """The daemon's outbox pass: one LibreOffice for the daemon's whole life, not one per pass."""
    from hoteldesk.documents.convert import shared_converter

    return process_outbox(ctx, converter=shared_converter())

"""E-mail-to-fax: the PDF goes by SMTP to ``<digits>@<provider domain>``.

The job's key is in the Subject and in an ``X-Hoteldesk-Job`` header, and the
Message-ID is derived from it. Before sending, the message is written to
``<folder>/<key>.eml``; once the server accepted it, the file is renamed
``<key>.sent.eml``. A job submitted again after a crash is recognised by that
file and not sent twice (a crash in the instant between the server's "250 OK"
and the rename resends the same Message-ID, which providers drop as a duplicate).
SMTP acceptance counts as delivered: the provider's own delivery reports arrive
as mail and are read by the mailroom.
"""

from __future__ import annotations

from email.message import EmailMessage
from pathlib import Path

from hoteldesk.documents.gateways.faxnumber import DialPlan, dial_string
from hoteldesk.documents.jobs import OutboxJob
from hoteldesk.documents.mailer import Mailer, build_message, message_id, send_once, was_sent
from hoteldesk.errors import GatewayError

JOB_HEADER = "X-Hoteldesk-Job"


class EmailFaxGateway:
    name = "email"

    def __init__(self, mailer: Mailer, domain: str, folder: Path, plan: DialPlan | None = None) -> None:
        self.mailer = mailer
        self.domain = domain
        self.folder = folder
        self.plan = plan or DialPlan()

    def message(self, job: OutboxJob, pdf: Path) -> EmailMessage:
        if not job.dest:
            raise GatewayError(f"e-mail-to-fax: job {job.key} has no fax number")
        digits = dial_string(job.dest, self.plan)
        return build_message(
            sender=self.mailer.sender,
            to=f"{digits}@{self.domain}",
            subject=f"FAX {job.key} {job.order_no}",
            body=f"hoteldesk fax job {job.key}: order {job.order_no}, {job.kind}, revision {job.revision}.\n",
            attachments=[pdf],
            headers={JOB_HEADER: job.key},
            msg_id=message_id(job.key, self.mailer.domain),
        )

    def submit(self, job: OutboxJob, pdf: Path, tif: Path | None) -> str:
        return send_once(self.mailer, self.message(job, pdf), job.key, self.folder)

    def poll(self, ref: str) -> str:
        return "delivered" if was_sent(self.folder, ref) else "unknown"

    def reason(self, ref: str) -> str:
        return ""

    def withdraw(self, ref: str) -> None:
        """Nothing to take back: a message the server refused was never sent."""

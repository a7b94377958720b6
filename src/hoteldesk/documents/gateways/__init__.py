"""Fax gateways: one small port, three adapters chosen by ``[fax] gateway`` in hoteldesk.toml.

- ``spool`` (default, offline): the job is written to a folder for an operator or an
  external sender, who leaves a ``<job>.done`` or ``<job>.failed`` marker.
- ``email``: e-mail-to-fax, SMTP to ``<digits>@<email_domain>`` with the PDF attached.
- ``hylafax``: the HylaFAX ``sendfax`` client against an hfaxd server.

Every adapter recognises a job it already has by the job's key (spool file name,
Message-ID, HylaFAX job tag), so submitting twice after a crash sends once.
"""

from __future__ import annotations

from pathlib import Path
from typing import Protocol

from hoteldesk.config import Config
from hoteldesk.documents.jobs import OutboxJob
from hoteldesk.errors import ConfigError
from hoteldesk.shared_drive_layout import DriveLayout

#: What :meth:`FaxGateway.poll` answers.
POLL_STATES = ("delivered", "failed", "pending", "unknown")


class FaxGateway(Protocol):
    name: str

    def submit(self, job: OutboxJob, pdf: Path, tif: Path | None) -> str:
        """Hand the job over (``job.dest`` is the E.164 number); return the gateway's reference."""
        ...

    def poll(self, ref: str) -> str:
        """delivered | failed | pending | unknown."""
        ...

    def reason(self, ref: str) -> str:
        """Why a job failed, as the gateway tells it ('' if it does not say)."""
        ...

    def withdraw(self, ref: str) -> None:
        """Forget a failed job, so that its retry is submitted afresh instead of recognised."""
        ...


def make_gateway(config: Config, layout: DriveLayout) -> FaxGateway:
    """The gateway ``[fax] gateway`` names, configured from hoteldesk.toml."""
    from hoteldesk.documents.gateways.faxnumber import DialPlan

    fax = config.fax
    kind = str(fax.get("gateway", "spool"))
    plan = DialPlan.from_settings(fax)
    if kind == "spool":
        from hoteldesk.documents.gateways.spool import SpoolGateway

        # A person (or a fax machine's keypad) dials the spool's tickets: 010… at home, 00… abroad, unless
        # [fax] dial says otherwise. E.164 digits (861065…) are for e-mail-to-fax and HylaFAX.
        human = DialPlan.from_settings({**fax, "dial": fax.get("dial", "national")})
        folder = Path(str(fax.get("spool_dir", layout.spool)))
        return SpoolGateway(folder if folder.is_absolute() else layout.root / folder, human)
    if kind == "email":
        from hoteldesk.documents.gateways.emailfax import EmailFaxGateway
        from hoteldesk.documents.mailer import Mailer

        domain = str(fax.get("email_domain", ""))
        if not domain:
            raise ConfigError(f"{layout.config}: [fax] gateway = 'email' needs email_domain = 'fax.provider.net'")
        return EmailFaxGateway(Mailer.from_settings(config.smtp), domain, layout.outbox_fax / "emailfax", plan)
    if kind == "hylafax":
        from hoteldesk.documents.gateways.hylafax import HylafaxGateway

        return HylafaxGateway(
            host=str(fax.get("hylafax_host", "127.0.0.1")),
            port=int(fax.get("hylafax_port", 4559)),
            user=str(fax.get("hylafax_user", "hoteldesk")),
            plan=plan,
            sendfax=str(fax.get("sendfax", "sendfax")),
        )
    raise ConfigError(f"{layout.config}: [fax] gateway must be spool, email or hylafax, not {kind!r}")

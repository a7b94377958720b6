"""Sending mail over SMTP (smtplib): customer letters (C8) and e-mail-to-fax.

Settings come from ``[smtp]`` in hoteldesk.toml (host, port, starttls, sender,
user). The password never lives there: it is read from the environment
(``HOTELDESK_SMTP_PASSWORD``) or the system keyring (service ``hoteldesk``,
name ``smtp:<user>``).
"""

from __future__ import annotations

import hashlib
import os
import smtplib
import ssl
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import formatdate
from pathlib import Path
from typing import Any

from hoteldesk.errors import GatewayError

PASSWORD_ENV = "HOTELDESK_SMTP_PASSWORD"


def smtp_password(user: str) -> str | None:
    """The SMTP password from the environment, else the keyring; None if neither has one."""
    env = os.environ.get(PASSWORD_ENV)
    if env:
        return env
    try:
        import keyring

        found = keyring.get_password("hoteldesk", f"smtp:{user}")
    except Exception:  # no keyring backend on a headless server
        return None
    return None if found is None else str(found)


def message_id(key: str, domain: str) -> str:
    """A Message-ID that is the same every time for one job, so a resend can be recognised."""
    digest = hashlib.sha256(key.encode("utf-8")).hexdigest()[:16]
    safe = "".join(c if c.isalnum() or c in "-_." else "-" for c in key)
    return f"<hoteldesk.{safe}.{digest}@{domain or 'hoteldesk.invalid'}>"


def build_message(
    *,
    sender: str,
    to: str,
    subject: str,
    body: str,
    attachments: Iterable[Path] = (),
    headers: Mapping[str, str] | None = None,
    msg_id: str | None = None,
) -> EmailMessage:
    msg = EmailMessage()
    msg["From"] = sender
    msg["To"] = to
    msg["Subject"] = subject
    msg["Date"] = formatdate(localtime=True)
    if msg_id:
        msg["Message-ID"] = msg_id
    for name, value in (headers or {}).items():
        msg[name] = value
    msg.set_content(body)
    for path in attachments:
        data = path.read_bytes()
        if path.suffix.lower() == ".pdf":
            maintype, subtype = "application", "pdf"
        elif path.suffix.lower() in (".tif", ".tiff"):
            maintype, subtype = "image", "tiff"
        else:
            maintype, subtype = "application", "octet-stream"
        msg.add_attachment(data, maintype=maintype, subtype=subtype, filename=path.name)
    return msg


@dataclass(frozen=True, slots=True)
class Mailer:
    host: str = "127.0.0.1"
    port: int = 25
    starttls: bool = False
    sender: str = "hoteldesk@localhost"
    user: str = ""
    timeout: float = 30.0
    cafile: str = ""  # a private CA for the server's certificate (else the system's)

    @classmethod
    def from_settings(cls, smtp: Mapping[str, Any]) -> Mailer:
        return cls(
            host=str(smtp.get("host", "127.0.0.1")),
            port=int(smtp.get("port", 25)),
            starttls=bool(smtp.get("starttls", False)),
            sender=str(smtp.get("sender", "hoteldesk@localhost")),
            user=str(smtp.get("user", "")),
            timeout=float(smtp.get("timeout", 30.0)),
            cafile=str(smtp.get("cafile", "")),
        )

    @property
    def domain(self) -> str:
        return self.sender.rpartition("@")[2] or "hoteldesk.invalid"

    def send(self, msg: EmailMessage) -> str:
        """Send one message; return its Message-ID. Raise GatewayError naming the server and why."""
        if msg["From"] is None:
            msg["From"] = self.sender
        where = f"SMTP {self.host}:{self.port}"
        try:
            with smtplib.SMTP(self.host, self.port, timeout=self.timeout) as smtp:
                smtp.ehlo()
                if self.starttls:
                    smtp.starttls(context=ssl.create_default_context(cafile=self.cafile or None))
                    smtp.ehlo()
                if self.user:
                    password = smtp_password(self.user)
                    if password is None:
                        raise GatewayError(
                            f"{where}: no password for {self.user}; set {PASSWORD_ENV} or store it in the keyring "
                            f"(service hoteldesk, name smtp:{self.user})"
                        )
                    smtp.login(self.user, password)
                refused = smtp.send_message(msg)
        except smtplib.SMTPRecipientsRefused as exc:
            raise GatewayError(f"{where} refused the recipient {msg['To']}: {exc.recipients}") from exc
        except smtplib.SMTPAuthenticationError as exc:
            raise GatewayError(
                f"{where} refused the login of {self.user}; check the password ({PASSWORD_ENV})"
            ) from exc
        except smtplib.SMTPException as exc:
            raise GatewayError(f"{where}: {exc}; check [smtp] in hoteldesk.toml") from exc
        except ssl.SSLError as exc:
            raise GatewayError(f"{where}: STARTTLS failed ({exc}); check the certificate or [smtp] cafile") from exc
        except OSError as exc:
            raise GatewayError(f"{where} cannot be reached ({exc}); check [smtp] host and port") from exc
        if refused:
            raise GatewayError(f"{where} refused {', '.join(refused)}")
        return str(msg["Message-ID"] or "").strip()


def send_once(mailer: Mailer, msg: EmailMessage, key: str, folder: Path) -> str:
    """Send ``msg`` for job ``key`` unless it was sent already; return its Message-ID.

    The message is written to ``<folder>/<key>.eml`` first and renamed ``<key>.sent.eml`` once the
    server accepted it; a job submitted again after a crash finds that file and is not sent twice.
    (A crash in the instant between the server's "250 OK" and the rename resends the same
    Message-ID, which receiving servers drop as a duplicate.)
    """
    from email import message_from_bytes
    from email.policy import default as default_policy

    sent = folder / f"{key}.sent.eml"
    if sent.exists():
        return str(message_from_bytes(sent.read_bytes(), policy=default_policy)["Message-ID"]).strip()
    pending = folder / f"{key}.eml"
    try:
        folder.mkdir(parents=True, exist_ok=True)
        pending.write_bytes(msg.as_bytes())
    except OSError as exc:
        raise GatewayError(f"cannot write {pending} ({exc})") from exc
    ref = mailer.send(msg)
    os.replace(pending, sent)
    return ref


def was_sent(folder: Path, ref: str) -> bool:
    """True when a message with Message-ID ``ref`` was accepted (see :func:`send_once`)."""
    inner = ref.strip("<>").partition("@")[0]
    if inner.startswith("hoteldesk.") and (folder / f"{inner[10:].rpartition('.')[0]}.sent.eml").exists():
        return True
    needle = ref.encode()
    for path in folder.glob("*.sent.eml"):
        with path.open("rb") as fh:
            if needle in fh.read(16384):
                return True
    return False

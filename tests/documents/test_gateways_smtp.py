"""SMTP sending against a real aiosmtpd server with STARTTLS and AUTH (the password never in the toml)."""

from __future__ import annotations

import ssl
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, AuthResult, Envelope, LoginPassword, Session

from hoteldesk.documents.mailer import PASSWORD_ENV, Mailer, build_message
from hoteldesk.errors import GatewayError

from .outbox_support import Inbox, free_port


def _check_login(server: SMTP, session: Session, envelope: Envelope, mechanism: str, data: object) -> AuthResult:
    ok = isinstance(data, LoginPassword) and (data.login, data.password) == (b"confirm", b"s3cret-pass")
    return AuthResult(success=ok, handled=False)  # handled=False: aiosmtpd answers 535 itself


@pytest.fixture
def tls_smtp(tmp_path: Path) -> Iterator[tuple[Inbox, int, Path]]:
    """aiosmtpd that requires STARTTLS (self-signed certificate for 127.0.0.1) and then AUTH."""
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=127.0.0.1",
         "-addext", "subjectAltName=IP:127.0.0.1", "-keyout", str(key), "-out", str(cert)],
        check=True,
        capture_output=True,
    )  # fmt: skip
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)
    inbox, port = Inbox(), free_port()
    controller = Controller(
        inbox,
        hostname="127.0.0.1",
        port=port,
        tls_context=context,
        require_starttls=True,
        authenticator=_check_login,
        auth_require_tls=True,
    )
    controller.start()
    try:
        yield inbox, port, cert
    finally:
        controller.stop()


def test_starttls_and_login_with_the_password_from_the_environment(
    tls_smtp: tuple[Inbox, int, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    inbox, port, cert = tls_smtp
    monkeypatch.setenv(PASSWORD_ENV, "s3cret-pass")
    mailer = Mailer.from_settings(
        {"host": "127.0.0.1", "port": port, "starttls": True, "user": "confirm", "cafile": str(cert)}
    )
    msg = build_message(sender=mailer.sender, to="wang@example.com", subject="预订确认函 HD1", body="您好")
    mailer.send(msg)
    [(envelope, received)] = inbox.messages
    assert envelope.rcpt_tos == ["wang@example.com"]
    assert received["Subject"] == "预订确认函 HD1"


def test_a_wrong_password_is_a_gateway_error_naming_the_setting(
    tls_smtp: tuple[Inbox, int, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    inbox, port, cert = tls_smtp
    monkeypatch.setenv(PASSWORD_ENV, "wrong")
    mailer = Mailer(port=port, starttls=True, user="confirm", cafile=str(cert), timeout=10)
    with pytest.raises(GatewayError, match=f"refused the login of confirm.*{PASSWORD_ENV}"):
        mailer.send(build_message(sender=mailer.sender, to="a@example.com", subject="s", body="b"))
    assert inbox.messages == []


def test_no_password_anywhere_says_where_to_put_it(
    tls_smtp: tuple[Inbox, int, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    _inbox, port, cert = tls_smtp
    monkeypatch.delenv(PASSWORD_ENV, raising=False)
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "keyring.backends.null.Keyring")
    mailer = Mailer(port=port, starttls=True, user="confirm", cafile=str(cert), timeout=10)
    with pytest.raises(GatewayError, match=f"no password for confirm; set {PASSWORD_ENV} or store it in the keyring"):
        mailer.send(build_message(sender=mailer.sender, to="a@example.com", subject="s", body="b"))


def test_a_certificate_we_do_not_trust_stops_the_mail(tls_smtp: tuple[Inbox, int, Path]) -> None:
    inbox, port, _cert = tls_smtp
    mailer = Mailer(port=port, starttls=True)  # the system CAs do not know the self-signed certificate
    with pytest.raises(GatewayError, match="STARTTLS failed"):
        mailer.send(build_message(sender=mailer.sender, to="a@example.com", subject="s", body="b"))
    assert inbox.messages == []

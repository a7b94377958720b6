"""The three fax gateways against what they talk to: a folder, a real SMTP server, the real sendfax.

HylaFAX: ``sendfax`` is the real Debian hylafax-client binary. hfaxd itself (hylafax-server)
cannot run here — it needs faxq, a uucp-owned spool and a modem — so sendfax talks to
:mod:`tests.documents.fake_hfaxd`, a small server on 127.0.0.1 speaking the hfaxd protocol
(USER, STOT over an active data connection, JNEW/JPARM/JSUBM, JOBFMT + LIST for status).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PIL import Image

from hoteldesk.config import config_from_dict
from hoteldesk.documents.gateways import make_gateway
from hoteldesk.documents.gateways.emailfax import JOB_HEADER, EmailFaxGateway
from hoteldesk.documents.gateways.hylafax import HylafaxGateway, parse_request_id
from hoteldesk.documents.gateways.spool import SpoolGateway
from hoteldesk.documents.jobs import OutboxJob
from hoteldesk.documents.mailer import Mailer
from hoteldesk.errors import ConfigError, GatewayError
from hoteldesk.shared_drive_layout import DriveLayout

from .fake_hfaxd import FakeHfaxd
from .outbox_support import T0, Inbox, free_port, smtp_server

PDF = b"%PDF-1.4\n% hoteldesk test slip \xe9\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"


def job(order_no: str = "HD20261126-0007", kind: str = "booking", dest: str = "+861065128800") -> OutboxJob:
    return OutboxJob(
        id=7,
        order_no=order_no,
        revision=2,
        kind=kind,
        channel="fax",
        state="rendered",
        attempts=1,
        next_attempt_at=None,
        payload={"order": {"order_no": order_no}, "changes": {}, "kind": kind},
        gateway_ref=None,
        error=None,
        dest=dest,
        created_at=T0,
        updated_at=T0,
    )


@pytest.fixture
def files(tmp_path: Path) -> tuple[Path, Path]:
    pdf = tmp_path / "slip.pdf"
    pdf.write_bytes(PDF)
    tif = tmp_path / "slip.tif"
    Image.new("1", (1728, 200), 1).save(tif, compression="group4", dpi=(204, 196))
    return pdf, tif


@pytest.fixture
def smtp() -> Iterator[tuple[Inbox, int]]:
    yield from smtp_server()


# -- spool ----------------------------------------------------------------------------------------


def test_spool_writes_the_job_once_and_reads_back_the_operators_marker(
    tmp_path: Path, files: tuple[Path, Path]
) -> None:
    pdf, tif = files
    spool = SpoolGateway(tmp_path / "spool")
    j = job()
    ref = spool.submit(j, pdf, tif)
    assert ref == "HD20261126-0007_r2_booking"
    ticket = tmp_path / "spool" / f"{ref}.json"
    facts = ticket.read_text(encoding="utf-8")
    assert '"dial": "861065128800"' in facts and '"fax": "+861065128800"' in facts
    assert (tmp_path / "spool" / f"{ref}.pdf").read_bytes() == PDF
    assert spool.poll(ref) == "pending"

    ticket.write_text("changed by the operator's tool", encoding="utf-8")
    assert spool.submit(j, pdf, tif) == ref  # a second submit finds the ticket and writes nothing
    assert ticket.read_text(encoding="utf-8") == "changed by the operator's tool"

    (tmp_path / "spool" / f"{ref}.failed").write_text("线路忙 line busy\n", encoding="utf-8")
    assert spool.poll(ref) == "failed"
    assert spool.reason(ref) == "线路忙 line busy"
    spool.withdraw(ref)
    assert spool.poll(ref) == "unknown"
    spool.submit(j, pdf, tif)
    (tmp_path / "spool" / f"{ref}.done").touch()
    assert spool.poll(ref) == "delivered"


# -- e-mail-to-fax against aiosmtpd ---------------------------------------------------------------------


def test_email_to_fax_message_as_the_smtp_server_received_it(
    tmp_path: Path, files: tuple[Path, Path], smtp: tuple[Inbox, int]
) -> None:
    inbox, port = smtp
    pdf, tif = files
    gateway = EmailFaxGateway(
        Mailer(port=port, sender="confirm@hoteldesk.example"), "fax.provider.example", tmp_path / "emailfax"
    )
    ref = gateway.submit(job(), pdf, tif)

    assert len(inbox.messages) == 1
    envelope, msg = inbox.messages[0]
    assert envelope.mail_from == "confirm@hoteldesk.example"
    assert envelope.rcpt_tos == ["861065128800@fax.provider.example"]
    assert msg["To"] == "861065128800@fax.provider.example"
    assert "HD20261126-0007_r2_booking" in msg["Subject"]
    assert msg[JOB_HEADER] == "HD20261126-0007_r2_booking"
    assert msg["Message-ID"].strip() == ref  # (folded: the header is longer than 78 characters)
    attachments = list(msg.iter_attachments())
    assert [a.get_content_type() for a in attachments] == ["application/pdf"]
    assert attachments[0].get_filename() == "slip.pdf"
    assert attachments[0].get_content() == PDF
    assert gateway.poll(ref) == "delivered"

    # submitted again (a restart before the journal recorded it): recognised, not sent again
    assert gateway.submit(job(), pdf, tif) == ref
    assert len(inbox.messages) == 1


def test_email_to_fax_refused_by_the_server_is_a_gateway_error(
    tmp_path: Path, files: tuple[Path, Path], smtp: tuple[Inbox, int]
) -> None:
    inbox, port = smtp
    inbox.refuse = lambda: True
    gateway = EmailFaxGateway(Mailer(port=port), "fax.provider.example", tmp_path / "emailfax")
    with pytest.raises(GatewayError, match="refused"):
        gateway.submit(job(), *files)
    assert inbox.messages == []


def test_email_to_fax_without_a_server_says_where_it_tried(tmp_path: Path, files: tuple[Path, Path]) -> None:
    gateway = EmailFaxGateway(Mailer(port=free_port(), timeout=5), "fax.provider.example", tmp_path / "emailfax")
    with pytest.raises(GatewayError, match=r"SMTP 127\.0\.0\.1:\d+ cannot be reached"):
        gateway.submit(job(), *files)


# -- HylaFAX: the real sendfax client ---------------------------------------------------------------


def test_parse_request_id_from_sendfax_output() -> None:
    assert parse_request_id("request id is 42 (group id 41) for host localhost (1 file)\n") == "42"
    with pytest.raises(GatewayError, match="did not report a request id"):
        parse_request_id('sendfax: Can not reach server at host "x", port 4559.')


def test_hylafax_submits_with_sendfax_dedupes_by_job_tag_and_polls(files: tuple[Path, Path]) -> None:
    pdf, tif = files
    with FakeHfaxd() as hfaxd:
        gateway = HylafaxGateway(port=hfaxd.port, timeout=30, cache_seconds=0)
        ref = gateway.submit(job(), pdf, tif)

        [sent] = hfaxd.submitted()
        assert ref == str(sent.id)
        assert sent.params["DIALSTRING"] == "861065128800"
        assert sent.tag == "HD20261126-0007_r2_booking"
        assert sent.params["VRES"] == "196"  # fine mode, as the TIFF was made
        assert list(hfaxd.documents.values()) == [tif.read_bytes()]  # the fax image, byte for byte
        assert gateway.poll(ref) == "pending"

        # a restart that submits again finds the job by its tag: no second fax
        assert gateway.submit(job(), pdf, tif) == ref
        assert len(hfaxd.submitted()) == 1

        hfaxd.finish(int(ref), "F", "No carrier detected")
        assert gateway.poll(ref) == "failed"
        assert gateway.reason(ref) == "No carrier detected"
        # a failed job does not block a retry: it is sent as a new HylaFAX job
        again = gateway.submit(job(), pdf, tif)
        assert again != ref and len(hfaxd.submitted()) == 2
        hfaxd.finish(int(again), "D")
        assert gateway.poll(again) == "delivered"
        assert gateway.poll("99999") == "unknown"


def test_hylafax_unreachable_is_a_gateway_error(files: tuple[Path, Path]) -> None:
    gateway = HylafaxGateway(port=free_port(), timeout=5)
    with pytest.raises(GatewayError, match=r"HylaFAX 127\.0\.0\.1"):
        gateway.submit(job(), *files)


# -- choosing the gateway ----------------------------------------------------------------------------


def test_the_gateway_is_chosen_in_hoteldesk_toml(tmp_path: Path) -> None:
    layout = DriveLayout(tmp_path)

    def make(fax: dict[str, object]) -> object:
        return make_gateway(config_from_dict(tmp_path, {"fax": fax}), layout)

    assert isinstance(make({}), SpoolGateway)
    assert isinstance(make({"gateway": "email", "email_domain": "fax.example.net"}), EmailFaxGateway)
    assert isinstance(make({"gateway": "hylafax", "hylafax_host": "10.0.0.5"}), HylafaxGateway)
    with pytest.raises(ConfigError, match="email_domain"):
        make({"gateway": "email"})
    with pytest.raises(ConfigError, match="spool, email or hylafax"):
        make({"gateway": "pigeon"})


def test_hylafax_polls_of_one_pass_share_one_listing_but_never_miss_a_new_job(files: tuple[Path, Path]) -> None:
    pdf, tif = files
    with FakeHfaxd() as hfaxd:
        gateway = HylafaxGateway(port=hfaxd.port, timeout=30, cache_seconds=60)
        first = gateway.submit(job("HD20261126-0001"), pdf, tif)
        second = gateway.submit(job("HD20261126-0002"), pdf, tif)  # after a submit the listing is fresh
        assert [gateway.poll(first), gateway.poll(second)] == ["pending", "pending"]
        lists = [c for c in hfaxd.commands if c.startswith("LIST")]
        assert lists == ["LIST sendq", "LIST doneq"] * 3  # two dedupe checks and one poll listing

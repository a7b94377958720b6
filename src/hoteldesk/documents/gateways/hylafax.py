"""HylaFAX: jobs go to an hfaxd server with the real ``sendfax`` client (Debian hylafax-client).

``sendfax -n -m -h HOST:PORT -i <job key> -d <number> <tif>`` answers
``request id is N (group id M) for host …``; N is the gateway reference. The job
key travels as the HylaFAX job tag, so before submitting the gateway lists the
server's send and done queues (the hfaxd protocol: ``JOBFMT``, ``LIST sendq`` /
``LIST doneq``) and reuses a job that already carries the tag — a restart after
a crash between ``sendfax`` and the journal never faxes twice. Polling reads the
same lists: done → delivered, failed → failed, still queued → pending, gone → unknown.
"""

from __future__ import annotations

import ftplib
import re
import subprocess
import time
from pathlib import Path

from hoteldesk.documents.gateways.faxnumber import DialPlan, dial_string
from hoteldesk.documents.jobs import OutboxJob
from hoteldesk.errors import GatewayError

REQUEST_ID = re.compile(r"request id is (\d+) \(group id (\d+)\)")
JOB_FORMAT = "%j|%J|%a|%s"  # job id | job tag | state letter | status text


def parse_request_id(output: str) -> str:
    """The job id sendfax printed; GatewayError if it printed none."""
    m = REQUEST_ID.search(output)
    if not m:
        raise GatewayError(f"sendfax did not report a request id: {output.strip()[:300] or '(no output)'}")
    return m.group(1)


class HylafaxGateway:
    name = "hylafax"

    def __init__(
        self,
        host: str = "127.0.0.1",
        port: int = 4559,
        user: str = "hoteldesk",
        plan: DialPlan | None = None,
        sendfax: str = "sendfax",
        timeout: float = 60.0,
        passive: bool = True,
        cache_seconds: float = 2.0,
    ) -> None:
        self.host = host
        self.port = port
        self.user = user
        self.plan = plan or DialPlan()
        self.sendfax = sendfax
        self.timeout = timeout
        self.passive = passive
        self.cache_seconds = cache_seconds
        self._listing: list[tuple[str, str, str, str, str]] | None = None
        self._listed_at = 0.0

    @property
    def where(self) -> str:
        return f"HylaFAX {self.host}:{self.port}"

    # -- the queues, through the hfaxd protocol ------------------------------------------------

    def queue(self, *, fresh: bool = False) -> list[tuple[str, str, str, str, str]]:
        """(queue, job id, tag, state letter, status) for every job in sendq and doneq.

        A listing is reused for ``cache_seconds`` (and never after a submit), so polling the jobs of
        one pass costs one listing.
        """
        if self._listing is not None and not fresh and time.monotonic() - self._listed_at < self.cache_seconds:
            return self._listing
        out: list[tuple[str, str, str, str, str]] = []
        try:
            with ftplib.FTP(timeout=self.timeout) as ftp:
                ftp.connect(self.host, self.port)
                ftp.login(self.user)
                ftp.set_pasv(self.passive)
                ftp.sendcmd(f'JOBFMT "{JOB_FORMAT}"')
                for name in ("sendq", "doneq"):
                    lines: list[str] = []
                    ftp.retrlines(f"LIST {name}", lines.append)
                    for line in lines:
                        parts = [p.strip() for p in line.split("|", 3)]
                        if len(parts) == 4 and parts[0]:
                            out.append((name, parts[0], parts[1], parts[2], parts[3]))
        except (ftplib.Error, OSError, EOFError) as exc:
            raise GatewayError(f"{self.where}: cannot list the fax queues ({exc}); is hfaxd running?") from exc
        self._listing, self._listed_at = out, time.monotonic()
        return out

    def _find(self, tag: str) -> str | None:
        for _queue, job_id, job_tag, state, _status in self.queue(fresh=True):
            if job_tag == tag and state != "F":  # a failed job may be sent again
                return job_id
        return None

    # -- the gateway port ---------------------------------------------------------------------

    def submit(self, job: OutboxJob, pdf: Path, tif: Path | None) -> str:
        existing = self._find(job.key)
        if existing is not None:
            return existing
        if not job.dest:
            raise GatewayError(f"{self.where}: job {job.key} has no fax number")
        document = tif if tif is not None else pdf
        cmd = [
            self.sendfax,
            "-n",  # no cover page: the slip is the page
            "-m",  # fine resolution (196 lpi), as the TIFF was made
            "-h",
            f"{self.host}:{self.port}",
            "-i",
            job.key,
            "-d",
            dial_string(job.dest, self.plan),
            str(document),
        ]
        try:
            done = subprocess.run(cmd, capture_output=True, text=True, timeout=self.timeout, check=False)
        except FileNotFoundError as exc:
            raise GatewayError(f"{self.sendfax} not found: install the hylafax-client package") from exc
        except subprocess.TimeoutExpired as exc:
            raise GatewayError(f"{self.where}: sendfax gave no answer in {self.timeout:.0f} s") from exc
        self._listing = None  # the new job is not in the last listing
        output = (done.stdout or "") + (done.stderr or "")
        if done.returncode != 0:
            raise GatewayError(f"{self.where}: sendfax failed ({done.returncode}): {output.strip()[:300]}")
        return parse_request_id(output)

    def _status(self, ref: str) -> tuple[str, str] | None:
        for queue, job_id, _tag, state, status in self.queue():
            if job_id == ref:
                return (queue + ":" + state, status)
        return None

    def poll(self, ref: str) -> str:
        found = self._status(ref)
        if found is None:
            return "unknown"
        where, _status = found
        if where.endswith(":D"):
            return "delivered"
        if where.endswith(":F"):
            return "failed"
        return "pending"

    def reason(self, ref: str) -> str:
        found = self._status(ref)
        return found[1] if found else ""

    def withdraw(self, ref: str) -> None:
        """A failed HylaFAX job stays in doneq; a new submit ignores failed jobs with the same tag."""

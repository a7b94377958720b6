"""The spool gateway (default, offline): a folder an operator or an external sender empties.

For each job it writes ``<key>.pdf``, ``<key>.tif`` and ``<key>.json`` (number to
dial, order, kind) to the spool folder. Whoever sends the fax leaves
``<key>.done`` — or ``<key>.failed`` with the reason inside — next to them.
The job's key is the file name, so a job already in the spool is never written
twice.

Once the outbox has recorded the answer, :meth:`SpoolGateway.collect` gives the job
back: the ticket (as ``<key>.ticket.json``) and the marker go to the folder of the
job's state (``outbox/fax/delivered/`` or ``failed/``), the spool's copies of the
documents are removed. The spool therefore holds only what is still to send. The
README's "The fax spool" section is the operator's procedure.
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

from hoteldesk.documents.gateways.faxnumber import DialPlan, dial_string
from hoteldesk.documents.jobs import OutboxJob
from hoteldesk.errors import GatewayError

#: The operator's markers: ``<key>.done`` (sent; any text inside is kept) and ``<key>.failed`` (the reason).
DONE, FAILED = ".done", ".failed"
#: The ticket's name once it left the spool with its job (the job's own facts are ``<key>.json``).
TICKET = ".ticket.json"
#: What a finished job takes with it into the folder of its state.
RETURNED = (TICKET, DONE, FAILED)


def _atomic_copy(src: Path, dst: Path) -> None:
    tmp = dst.with_name(dst.name + ".part")
    shutil.copyfile(src, tmp)
    os.replace(tmp, dst)


class SpoolGateway:
    name = "spool"

    def __init__(self, folder: Path, plan: DialPlan | None = None) -> None:
        self.folder = folder
        self.plan = plan or DialPlan()

    def _path(self, ref: str, suffix: str) -> Path:
        return self.folder / f"{ref}{suffix}"

    def submit(self, job: OutboxJob, pdf: Path, tif: Path | None) -> str:
        ref = job.key
        ticket = self._path(ref, ".json")
        if ticket.exists():  # written before a crash: it is in the spool already
            return ref
        if not job.dest:
            raise GatewayError(f"spool: job {ref} has no fax number")
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            _atomic_copy(pdf, self._path(ref, ".pdf"))
            if tif is not None:
                _atomic_copy(tif, self._path(ref, ".tif"))
            facts = {
                "job": ref,
                "order_no": job.order_no,
                "revision": job.revision,
                "kind": job.kind,
                "fax": job.dest,
                "dial": dial_string(job.dest, self.plan),
                "pdf": f"{ref}.pdf",
                "tif": f"{ref}.tif" if tif is not None else None,
                "done_marker": f"{ref}.done",
                "failed_marker": f"{ref}.failed",
            }
            tmp = ticket.with_name(ticket.name + ".part")
            tmp.write_text(json.dumps(facts, ensure_ascii=False, indent=2), encoding="utf-8")
            os.replace(tmp, ticket)  # the ticket last: a job is in the spool once its .json is
        except OSError as exc:
            raise GatewayError(f"spool {self.folder}: cannot write job {ref} ({exc})") from exc
        return ref

    def poll(self, ref: str) -> str:
        if self._path(ref, ".done").exists():
            return "delivered"
        if self._path(ref, ".failed").exists():
            return "failed"
        if self._path(ref, ".json").exists():
            return "pending"
        return "unknown"

    def reason(self, ref: str) -> str:
        marker = self._path(ref, ".failed")
        try:
            text = marker.read_text(encoding="utf-8", errors="replace").strip()
        except OSError:
            return ""
        return text or f"{marker.name} left in {self.folder}"

    def finished(self) -> list[str]:
        """The jobs in the spool that carry an operator's marker, by key (sorted)."""
        try:
            found = {p.stem for p in self.folder.iterdir() if p.suffix in (DONE, FAILED)}
        except OSError:
            return []
        return sorted(found)

    def collect(self, ref: str, folder: Path) -> None:
        """Give a finished job back: ticket and marker into ``folder``, the spool's copies of its documents gone.

        The marker moves last: until it has left, :meth:`poll` still answers for the job, so a
        crash half-way is finished by the next pass (the outbox collects what it finds).
        """
        folder.mkdir(parents=True, exist_ok=True)
        for suffix in (".pdf", ".tif"):  # copies: the job's own documents are in its state folder
            self._path(ref, suffix).unlink(missing_ok=True)
        moves = [(".json", TICKET), (FAILED, FAILED), (DONE, DONE)]
        for suffix, kept in moves:
            src = self._path(ref, suffix)
            if src.exists():
                shutil.move(src, folder / f"{ref}{kept}")  # the spool may be on another disk ([fax] spool_dir)

    def withdraw(self, ref: str) -> None:
        """Take a failed job out of the spool so that it can be submitted again."""
        for suffix in (".json", ".failed", ".pdf", ".tif"):
            self._path(ref, suffix).unlink(missing_ok=True)

"""Papers the desks found due, queued in the journal for the documents side to print (issue 15 §2).

A desk (automations) decides that a letter is owed — N2's thank-you letter when a stay is restored, S2's
prize confirmation, S7's card labels — and
queues it here with what the letter needs; the documents side's step of the same pass prints each queued
paper once and marks it done. So the desk never imports the documents layer, and a paper a crash left
unprinted is printed by the next pass.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from hoteldesk.journal import Journal, dumps, loads


@dataclass(frozen=True, slots=True)
class QueuedPaper:
    kind: str
    key: str
    payload: Any


def queue_paper(journal: Journal, kind: str, key: str, payload: Any, at: datetime, *, again: bool = False) -> bool:
    """Queue a paper once per (kind, key); False when it was queued before (printed or not).

    ``again``: print it (again) with this payload even if it was queued or printed before — a paper whose
    content changed or whose file went missing (S2, S7)."""
    upsert = " ON CONFLICT (kind, key) DO UPDATE SET payload_json=excluded.payload_json, queued_at=excluded.queued_at, "
    upsert += "done_at=NULL, document=''"
    with journal.transaction() as db:
        cur = db.execute(
            f"INSERT {'' if again else 'OR IGNORE '}INTO paper_queue (kind, key, payload_json, queued_at) "
            f"VALUES (?,?,?,?){upsert if again else ''}",
            (kind, key, dumps(payload), at.isoformat()),
        )
    return bool(cur.rowcount)


def papers_due(journal: Journal, kind: str) -> list[QueuedPaper]:
    """The papers of ``kind`` queued and not printed yet, oldest first."""
    rows = journal.db.execute(
        "SELECT key, payload_json FROM paper_queue WHERE kind=? AND done_at IS NULL ORDER BY queued_at, key", (kind,)
    )
    return [QueuedPaper(kind, str(key), loads(payload)) for key, payload in rows]


def paper_done(journal: Journal, paper: QueuedPaper, document: str, at: datetime) -> None:
    """Printed (``document``: where it went, empty when there was nothing to print after all)."""
    with journal.transaction() as db:
        db.execute(
            "UPDATE paper_queue SET done_at=?, document=? WHERE kind=? AND key=?",
            (at.isoformat(), document, paper.kind, paper.key),
        )

"""Papers a desk found due wait in the journal until the documents side prints them, once (issue 15 §2)."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from hoteldesk.context import open_context
from hoteldesk.orders.papers import paper_done, papers_due, queue_paper

AT = datetime(2026, 11, 27, 9, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


def test_a_paper_is_queued_once_and_stays_due_until_printed(drive: Path) -> None:
    """N2: a restored stay queues one thank-you letter; a pass that crashed before printing leaves it due."""
    with open_context(drive, clock=lambda: AT) as ctx:
        j = ctx.journal
        order = {"order_no": "HD20261120-0001", "check_in": date(2026, 11, 26), "booker": "韩梅梅"}
        assert queue_paper(j, "n2_thanks", "HD20261120-0001", order, AT)
        assert not queue_paper(j, "n2_thanks", "HD20261120-0001", order, AT)  # the next pass sees it again
        queue_paper(j, "other", "HD20261120-0001", {}, AT)
        [due] = papers_due(j, "n2_thanks")
        assert due.key == "HD20261120-0001" and due.payload == order  # dates come back as dates
        assert [p.key for p in papers_due(j, "n2_thanks")] == ["HD20261120-0001"]  # not printed: still due
        paper_done(j, due, "documents/2026/11/27/N2_感谢函_HD20261120-0001.docx", AT)
        assert papers_due(j, "n2_thanks") == []
        assert not queue_paper(j, "n2_thanks", "HD20261120-0001", order, AT)  # printed once, never again
        assert [p.kind for p in papers_due(j, "other")] == ["other"]

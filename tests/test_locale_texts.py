"""Issue 8 §7: every text hoteldesk shows staff comes in zh-CN and en, and the zh-CN one has no English in it."""

from __future__ import annotations

import re

import pytest

from hoteldesk.domain import advice, checks, contacts, summaries
from hoteldesk.inbox_watchers import interpret, matching, message, reply, trust
from hoteldesk.workbooks import cellreason, writereason

TABLES = {
    "checks": checks.MESSAGES,
    "contacts": contacts.MESSAGES,
    "cell reasons": cellreason.REASONS,
    "trust": trust.REASONS,
    "interpret": interpret.TEXTS,
    "matching": matching.TEXTS,
    "reply notes": reply.NOTES,
    "did you mean": {"mean": advice.MEAN},
    "summaries": summaries.SUMMARIES,  # QA stop 7 §9: what the commands print
    "write states": summaries.WRITE_STATES,
    "write reasons": writereason.WRITE_REASONS,
    "unreadable mail": message.UNREADABLE,
}
#: Words allowed in Chinese text: file and sheet names staff see on the drive, rule and protocol acronyms.
ALLOWED = re.compile(
    r"Contracts\.xlsx|RoomStatus\.xlsx|Bookings\.xlsx|DKIM|SPF|dkim|spf|name@example\.com|NUL"
    r"|`hoteldesk [a-z ]+`|hoteldesk|Excel"  # command names and the programs staff know by name (QA stop 7 §9)
    r"|(?:views/)?[A-Za-z]+\.xlsx|views/|LibreOffice|Ctrl\+C"  # the drive's files and folders, keys (runzh)
)
ENGLISH_WORD = re.compile(r"[A-Za-z]{3,}")


@pytest.mark.parametrize("table", sorted(TABLES))
def test_zh_cn_texts_have_no_english_words(table: str) -> None:
    for key, (zh, en) in TABLES[table].items():
        bare = ALLOWED.sub("", re.sub(r"\{\w+\}", "", zh))
        assert not ENGLISH_WORD.search(bare), f"{table}:{key}: {zh}"
        assert en and zh != en, f"{table}:{key}"


@pytest.mark.parametrize("table", ["checks", "contacts", "trust", "interpret", "matching"])
def test_each_problem_says_what_to_do(table: str) -> None:
    """A message a clerk acts on names the action: 请… in Chinese (the trusted verdict is not a problem)."""
    for key, (zh, _en) in TABLES[table].items():
        if key in {"trusted", "idn_seen", "auth_bad", "auth_none", "not_an_answer", "alts", "no_alts", "full", "short",
                   "more_short", "special"}:  # fmt: skip
            continue  # parts of a longer message, or advice that is itself the action
        assert "请" in zh or "应" in zh, f"{table}:{key}: {zh}"

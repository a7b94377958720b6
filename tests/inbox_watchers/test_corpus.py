"""Golden mail corpus (issue 5 §3–5): every reply parsed, matched and trust-checked against fixed orders.

``tests/golden/mail/*.eml`` are written by ``make_corpus.py`` and ``make_corpus_issue10.py`` beside them;
``*.expected.json`` hold the reply record, the match and the trust outcome, written or reviewed by a
person: a missing one fails (issue 10 §8). A mismatch prints a unified diff; ``pytest --regen-golden``
rewrites the expected files on purpose, never in CI and never to make a test pass. Each message also declares in
``X-Corpus-Expect`` what it is about (kind, match status, trusted), checked independently of the
golden file so a regenerated golden cannot silently bless a wrong answer.
"""

from __future__ import annotations

import difflib
import email
import email.parser
import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from hoteldesk.inbox_watchers.matching import match_reply
from hoteldesk.inbox_watchers.reply import parse_reply
from hoteldesk.inbox_watchers.rules import load_rules
from hoteldesk.inbox_watchers.trust import check_trust

MAIL = Path(__file__).resolve().parent.parent / "golden" / "mail"
EMLS = sorted(MAIL.glob("*.eml"))

HOTELS: list[dict[str, Any]] = [
    {"code": "H001", "name_zh": "北京王府井希尔顿酒店", "name_en": "Hilton Beijing Wangfujing",
     "email": "rsvn.bjswf@hilton.com", "trusted_senders": ("hilton.com", "hilton-hotels.com")},
    {"code": "H002", "name_zh": "上海外滩茂悦大酒店", "name_en": "Hyatt on the Bund", "email": "",
     "trusted_senders": ("@hyatt.com",)},
    {"code": "H003", "name_zh": "香港半岛酒店", "name_en": "The Peninsula Hong Kong", "email": "",
     "trusted_senders": ("reservations@peninsula.com",)},
    {"code": "H004", "name_zh": "台北君悦酒店", "name_en": "Grand Hyatt Taipei", "email": "",
     "trusted_senders": ("grandhyatttaipei.com.tw",)},
    {"code": "H005", "name_zh": "如家酒店北京王府井店", "name_en": "", "email": "rujia_bj001@163.com",
     "trusted_senders": ()},
]  # fmt: skip


def _order(
    no: str, hotel: str, guests: tuple[str, ...], ci: date, co: date, status: str = "已发", conf: str = ""
) -> dict[str, Any]:
    return {"order_no": no, "hotel": hotel, "guests": guests, "check_in": ci, "check_out": co, "status": status,
            "hotel_conf_no": conf}  # fmt: skip


D = date
ORDERS = [
    _order("HD20261126-0001", "H001", ("张伟",), D(2026, 12, 1), D(2026, 12, 3)),
    _order("HD20261126-0002", "北京王府井希尔顿酒店", ("李娜",), D(2026, 12, 1), D(2026, 12, 3)),
    _order("HD20261126-0003", "H002", ("王小明",), D(2026, 12, 5), D(2026, 12, 7)),
    _order("HD20261126-0004", "H002", ("陈静", "刘洋"), D(2026, 12, 10), D(2026, 12, 12)),
    _order("HD20261126-0005", "Hyatt on the Bund", ("赵磊",), D(2026, 12, 10), D(2026, 12, 12)),
    _order("HD20261126-0006", "H003", ("黄志明",), D(2026, 12, 15), D(2026, 12, 18)),
    _order("HD20261126-0007", "H004", ("林美玲",), D(2026, 12, 20), D(2026, 12, 22)),
    _order("HD20261126-0008", "H005", ("周杰",), D(2026, 12, 2), D(2026, 12, 3)),
    _order("HD20261126-0009", "H001", ("张伟",), D(2026, 12, 20), D(2026, 12, 21), "取消待确认", "HIL778899"),
    _order("HD20261126-0010", "H001", ("欧阳娜娜",), D(2026, 12, 8), D(2026, 12, 9), "待核实", "HIL100010"),
    _order("HD20261126-0011", "H002", ("吴敏",), D(2026, 12, 5), D(2026, 12, 7)),
    _order("HD20261126-0012", "H002", ("吴敏",), D(2026, 12, 5), D(2026, 12, 7)),
    # issue 10 (make_corpus_issue10.py)
    _order("HD20261130-0018", "H001", ("孙丽",), D(2026, 12, 14), D(2026, 12, 16), "取消待确认", "HIL550018"),
    _order("HD20261130-0097", "H001", ("钱进",), D(2026, 12, 14), D(2026, 12, 16), "取消待确认", "HIL550097"),
    _order("HD20261130-0003", "H002", ("冯强",), D(2026, 12, 2), D(2026, 12, 5)),
    _order("HD20261130-0021", "H001", ("Emily Clark",), D(2026, 12, 2), D(2026, 12, 3)),
    _order("HD20261130-0022", "H001", ("马丽",), D(2026, 12, 4), D(2026, 12, 11)),
    _order("HD20261130-0030", "H003", ("黄家明",), D(2026, 12, 20), D(2026, 12, 23), "变更待确认", "PEN5566"),
]
RULES, RULE_PROBLEMS = load_rules(
    [{"hotel": "H005", "sender": "rujia_bj001@163.com", "field": "确认号", "pattern": r"订房编码[:：]\s*(\d+)"},
     {"hotel": "H005", "sender": "rujia_bj001@163.com", "field": "confirmed", "pattern": r"已经帮您订好了"}]
)  # fmt: skip


def outcome(raw: bytes) -> dict[str, Any]:
    reply = parse_reply(raw, rules=RULES, our_addresses=("confirm@example.com",), locale="en")
    match = match_reply(reply, ORDERS, HOTELS, "en")
    by_code = {h["code"]: h for h in HOTELS}
    trust = {
        no: {"trusted": t.trusted, "reason": t.reason}
        for no, code in match.order_hotels
        for t in [check_trust(reply, by_code.get(code, {"code": code}), "en")]
    }
    return {"reply": reply.to_dict(), "match": match.to_dict(), "trust": trust}


def _expect(raw: bytes) -> dict[str, str]:
    header = email.parser.BytesParser().parsebytes(raw, headersonly=True).get("X-Corpus-Expect", "")
    return dict(part.split("=", 1) for part in str(header).split())


def test_rules_load() -> None:
    assert RULE_PROBLEMS == []


def test_corpus_is_big_enough() -> None:
    assert len(EMLS) >= 150  # issue 10 §8


def test_every_expected_file_has_its_message() -> None:
    orphans = [
        p.name
        for p in MAIL.glob("*.expected.json")
        if not p.with_name(p.name.replace(".expected.json", ".eml")).exists()
    ]
    assert orphans == [], f"expected files whose .eml is gone: {orphans}"


@pytest.mark.parametrize("eml", EMLS, ids=[p.stem for p in EMLS])
def test_reply_matches_golden(eml: Path, regen_golden: bool) -> None:
    raw = eml.read_bytes()
    got = outcome(raw)
    text = json.dumps(got, ensure_ascii=False, indent=2, sort_keys=True) + "\n"
    expected_path = eml.with_suffix(".expected.json")
    if regen_golden:
        expected_path.write_text(text, encoding="utf-8")
    # issue 10 §8: an expected file is written or reviewed by a person; a missing one is a failure.
    assert expected_path.exists(), f"{expected_path.name} is missing: write it by hand (or review a --regen-golden run)"
    want = expected_path.read_text(encoding="utf-8")
    if want != text:
        diff = "".join(difflib.unified_diff(want.splitlines(True), text.splitlines(True), "expected", "got"))
        pytest.fail(f"{eml.name} differs from {expected_path.name} (rerun with --regen-golden if intended):\n{diff}")

    expect = _expect(raw)  # what the case is about, independent of the golden file
    assert got["reply"]["kind"] == expect["kind"], got["reply"]["evidence"]
    assert got["match"]["status"] == expect["match"], got["match"]["reason"]
    if "conf" in expect:  # never our quoted slip's number
        assert got["reply"]["hotel_conf_no"] == expect["conf"], got["reply"]["evidence"]
    if "cancel" in expect:
        assert got["reply"]["cancel_no"] == expect["cancel"], got["reply"]["evidence"]
    if "orders" in expect:
        assert got["match"]["order_nos"] == expect["orders"].split(","), got["match"]
    if "answers" in expect:  # issue 10 §3: order:kind[:conf[:cancel]] for each order of a group reply
        got_answers = {a[0]: ":".join(a[1:]).rstrip(":") for a in got["reply"].get("answers", [])}
        want_answers = dict(a.split(":", 1) for a in expect["answers"].split(","))
        assert got_answers == want_answers, got["reply"]["evidence"]
    if "conflict" in expect:  # issue 10 §6: two answers in the hotel's own words, both named
        assert got["reply"]["reason"].startswith("conflicting answers"), got["reply"]["reason"]
        assert all(k in got["reply"]["reason"] for k in expect["conflict"].split(",")), got["reply"]["reason"]
    if "unreadable" in expect:  # issue 10 §9: hostile mail is reviewed with the reason, never looped
        assert expect["unreadable"] in got["reply"].get("unreadable", ""), got["reply"]["reason"]
    if expect["trusted"] != "-":
        verdicts = {v["trusted"] for v in got["trust"].values()}
        assert verdicts == {expect["trusted"] == "1"}, got["trust"]

"""``hoteldesk demo``: a realistic, deterministic drive that the rest of hoteldesk can read."""

from __future__ import annotations

import email
import os
import re
import subprocess
import sys
from collections import Counter
from datetime import date, timedelta
from decimal import Decimal
from email.message import Message
from email.utils import parseaddr
from pathlib import Path

import pytest

from hoteldesk.config import load_config
from hoteldesk.demo.generate import generate
from hoteldesk.demo.orders import CELL_PROBLEMS, PLANTED
from hoteldesk.demo.replies import make_replies
from hoteldesk.demo.run import CLOSED_PORT, MARKER, run_demo
from hoteldesk.errors import DriveError
from hoteldesk.journal import dumps
from hoteldesk.shared_drive_layout import DriveLayout
from hoteldesk.workbooks.check import check_drive
from hoteldesk.workbooks.reader import Record, read_sheet
from hoteldesk.workbooks.schema import ORDERS, WORKBOOKS

TODAY = date(2026, 11, 27)
ORDER_NO = re.compile(r"^HD\d{8}-\d{4}$")


def build(root: Path, *, seed: int = 7, orders: int = 3200) -> list[str]:
    return run_demo(root, seed=seed, orders=orders, progress=False, today=TODAY, automations=False)


def records(root: Path) -> dict[str, list[Record]]:
    layout = DriveLayout(root)
    return {
        f"{stem}/{schema.key}": [r.values for r in read_sheet(layout.workbook(stem), schema).rows]
        for stem, schemas in WORKBOOKS.items()
        for schema in schemas
    }


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The default demo drive (3,200 orders), workbooks and replies only."""
    root = tmp_path_factory.mktemp("demo") / "demo-drive"
    build(root)
    return root


@pytest.fixture(scope="module")
def books(demo: Path) -> dict[str, list[Record]]:
    return records(demo)


def test_same_seed_same_day_gives_the_same_drive(tmp_path: Path) -> None:
    build(tmp_path / "a", orders=400)
    build(tmp_path / "b", orders=400)
    build(tmp_path / "c", seed=8, orders=400)
    a, b, c = (records(tmp_path / x) for x in "abc")
    assert dumps(a) == dumps(b)
    assert dumps(a["Bookings/orders"]) != dumps(c["Bookings/orders"])
    inbox = [DriveLayout(tmp_path / x).mail_inbox for x in "ab"]
    names = sorted(p.name for p in inbox[0].iterdir())
    assert names == sorted(p.name for p in inbox[1].iterdir())
    for name in names:
        assert (inbox[0] / name).read_bytes() == (inbox[1] / name).read_bytes(), name


def test_counts_meet_the_minimums(books: dict[str, list[Record]]) -> None:
    hotels = books["Contracts/hotels"]
    assert len(hotels) >= 40
    assert len({h["city"] for h in hotels}) >= 6
    assert {"北京", "上海", "广州", "深圳", "杭州", "成都", "西安"} <= {h["city"] for h in hotels}
    assert len(books["Bookings/orders"]) >= 3000
    grid = books["RoomStatus/room_status"]
    assert {r["night"] for r in grid} == {TODAY + timedelta(days=i) for i in range(60)}
    assert len(books["Rosters/staff"]) == 30
    assert {r["month"] for r in books["Rosters/roster"]} == {"2026-11", "2026-12"}
    assert books["Rosters/attendance"]


def test_contracts_are_complete_and_mostly_profitable(books: dict[str, list[Record]]) -> None:
    hotels = books["Contracts/hotels"]
    codes = [h["code"] for h in hotels]
    assert len(set(codes)) == len(codes) and all(re.fullmatch(r"[A-Z]{2}\d{3}", c) for c in codes)
    for h in hotels:
        for key in ("name_zh", "name_en", "district", "address", "phone", "fax", "email", "signed_by", "cancel_terms"):
            assert h[key], (h["code"], key)
        assert 3 <= h["star"] <= 5
        assert h["email"] in h["trusted_senders"]
        assert h["contract_from"] < h["contract_to"]
    status = Counter(h["contract_status"] for h in hotels)
    assert status["暂停"] >= 1 and status["终止"] >= 1  # H10
    rates = books["Contracts/rates"]
    per_hotel = Counter(r["hotel"] for r in rates)
    assert set(per_hotel) == set(codes) and all(3 <= n <= 5 for n in per_hotel.values())
    margins = [r["rate"] / r["floor_price"] - 1 for r in rates]
    thin = [m for m in margins if m < Decimal("0.10")]
    assert 1 <= len(thin) <= len(margins) // 10  # H2: mostly ≥ 10 %, a few thin on purpose
    assert books["Contracts/terms"] and books["Contracts/reply_rules"]


def test_orders_fit_their_dates(books: dict[str, list[Record]]) -> None:
    """States agree with the stay: nothing upcoming has stayed, nothing past waits for the hotel."""
    orders = books["Bookings/orders"]
    nos = [o["order_no"] for o in orders if o["order_no"]]
    assert len(nos) == len(set(nos)) and all(ORDER_NO.match(n) for n in nos)
    for o in orders:
        if o["check_in"] is None or o["check_out"] is None or o["status"] == "新订":
            continue
        if o["check_out"] <= TODAY:
            verifying = ("待核实",) if o["check_in"] == TODAY - timedelta(days=1) else ()  # N1–N4
            assert o["status"] in ("已入住", "NO-SHOW", "已取消", *verifying), o
        if o["check_in"] > TODAY:
            assert o["status"] not in ("已入住", "NO-SHOW", "待核实"), o
        assert o["check_out"] > o["check_in"], o
        assert o["booked_at"].date() <= TODAY
        if o["status"] in ("已确认", "已入住"):
            assert o["hotel_conf_no"] and o["confirmed_at"] and o["sent_at"], o
            assert o["sent_at"] <= o["confirmed_at"]
        if o["reply_via"] == "传真":
            assert o["customer_fax"], o
        if o["reply_via"] == "邮件":
            assert o["customer_email"], o
    status = Counter(o["status"] for o in orders)
    for s in ("已入住", "NO-SHOW", "已取消", "已确认", "已发", "待发", "新订", "满房", "待核实"):
        assert status[s] >= 1, s
    assert Counter(o["channel"] for o in orders).keys() == {"电话", "网上", "集团", "代理"}
    new = [o for o in orders if o["status"] == "新订"]
    assert all(o["order_no"] is None for o in new)  # hoteldesk numbers them


def test_names_look_chinese_with_some_pinyin(books: dict[str, list[Record]]) -> None:
    guests = [g for o in books["Bookings/orders"] for g in o["guests"]]
    chinese = [g for g in guests if re.fullmatch(r"[\u4e00-\u9fff]{2,4}", g)]
    passport = [g for g in guests if re.fullmatch(r"[A-Z]+/[A-Z]+ M[RS]", g)]
    assert len(chinese) > 0.85 * len(guests)
    assert len(passport) > 20
    agents = {o["agent"] for o in books["Bookings/orders"]}
    assert agents <= {s["name"] for s in books["Rosters/staff"]}
    assert len({o["company"] for o in books["Bookings/orders"] if o["company"]}) > 50


def test_rates_stay_above_the_floor_except_where_planted(demo: Path, books: dict[str, list[Record]]) -> None:
    data = generate(7, 3200, TODAY)
    contract = {(r["hotel"], r["room_type"]): r for r in books["Contracts/rates"]}
    names = {h["name_zh"]: h["code"] for h in books["Contracts/hotels"]}
    below = []
    for o, gen in zip(books["Bookings/orders"], data.orders, strict=True):
        code = names.get(o["hotel"], o["hotel"])
        rate = contract.get((code, o["room_type"]))
        if rate is not None and o["rate"] is not None and o["rate"] < rate["floor_price"]:
            below.append(gen.planted)
    assert below == ["below_floor", "below_floor"]


def test_room_grid_has_stop_sell_full_nights_and_room_for_the_orders(books: dict[str, list[Record]]) -> None:
    grid = books["RoomStatus/room_status"]
    assert sum(r["stop_sell"] for r in grid) > 10
    assert sum(r["full"] for r in grid) > 10
    assert all(r["allotment"] >= 1 and r["release_days"] in (1, 2, 3) for r in grid)
    contract = {(r["hotel"], r["room_type"]) for r in books["Contracts/rates"]}
    assert {(r["hotel"], r["room_type"]) for r in grid} <= contract


def test_hoteldesk_check_reads_everything_and_finds_only_the_planted_cells(demo: Path) -> None:
    result = check_drive(demo)
    assert result.errors == []
    assert result.files == len(WORKBOOKS)  # every workbook of the drive (issues 12, 13 and 14 added theirs)
    data = generate(7, 3200, TODAY)
    planted_rows = {i + 2 for i, o in enumerate(data.orders) if o.planted in CELL_PROBLEMS}
    assert len(planted_rows) == len(CELL_PROBLEMS)
    assert {p.row for p in result.problems} == planted_rows
    assert {p.file for p in result.problems} == {"Bookings.xlsx"}


def test_every_planted_problem_is_there(demo: Path) -> None:
    data = generate(7, 3200, TODAY)
    assert set(Counter(o.planted for o in data.planted())) == set(PLANTED)
    assert all(o.record["status"] == "新订" and o.record["order_no"] is None for o in data.planted())


def _messages(root: Path) -> dict[str, Message]:
    inbox = DriveLayout(root).mail_inbox
    return {p.name: email.message_from_bytes(p.read_bytes()) for p in sorted(inbox.glob("*.eml"))}


def _text(msg: Message) -> str:
    parts = []
    for part in msg.walk():
        if part.get_content_maintype() == "text":
            payload = part.get_payload(decode=True)
            assert isinstance(payload, bytes)
            parts.append(payload.decode(part.get_content_charset() or "utf-8"))
    return "\n".join(parts)


def test_sample_replies_answer_real_orders_awaiting_the_hotel(demo: Path, books: dict[str, list[Record]]) -> None:
    msgs = _messages(demo)
    assert len(msgs) >= 15
    orders = {o["order_no"]: o for o in books["Bookings/orders"] if o["order_no"]}
    hotels = {h["name_zh"]: h for h in books["Contracts/hotels"]} | {h["code"]: h for h in books["Contracts/hotels"]}
    charsets = {p.get_content_charset() for m in msgs.values() for p in m.walk()}
    assert {"big5", "gbk"} <= charsets
    untrusted = 0
    for name, msg in msgs.items():
        text = _text(msg) + str(msg["Subject"])
        mentioned = set(re.findall(r"HD\d{8}-\d{4}", text))
        for no in mentioned:
            assert no in orders, (name, no)
            assert orders[no]["status"] in ("已发", "取消待确认", "变更待确认", "待核实"), (name, orders[no]["status"])
        sender = parseaddr(str(msg["From"]))[1]
        domain = sender.rpartition("@")[2]
        trusted = [h for h in hotels.values() if sender in h["trusted_senders"] or domain in h["trusted_senders"]]
        untrusted += not trusted
        if "no-order-no" in name:
            assert not mentioned and re.search(r"[A-Z]+/[A-Z]+ M[RS]", text)
        if "hotel-format" in name:
            rules = [r for r in books["Contracts/reply_rules"] if r["sender"] == sender]
            assert any(re.search(r["pattern"], text) for r in rules), name
    assert untrusted == 1
    kinds = " ".join(msgs)
    for slug in ("full", "cancelled", "modified", "no-show", "conf-en", "conf-big5", "untrusted", "newsletter"):
        assert slug in kinds


def test_refuses_a_folder_it_did_not_make(tmp_path: Path) -> None:
    precious = tmp_path / "mine" / "notes.txt"
    precious.parent.mkdir()
    precious.write_text("keep me", encoding="utf-8")
    with pytest.raises(DriveError, match="not made by `hoteldesk demo`"):
        build(precious.parent, orders=200)
    assert precious.read_text(encoding="utf-8") == "keep me"
    assert [p.name for p in precious.parent.iterdir()] == ["notes.txt"]


def test_rebuilds_its_own_drive_from_scratch(tmp_path: Path) -> None:
    root = tmp_path / "demo"
    build(root, orders=200)
    assert (root / MARKER).is_file()
    (root / "workbooks" / "Bookings.xlsx").write_bytes(b"broken by hand")
    (root / "mailroom" / "inbox" / "stray.eml").write_bytes(b"Subject: x\n\nx")
    (root / ".hoteldesk").mkdir(exist_ok=True)
    (root / ".hoteldesk" / "journal.sqlite3").write_bytes(b"an old journal")
    (root / "my-notes.txt").write_text("not the demo's", encoding="utf-8")
    build(root, orders=200)
    assert not (root / "mailroom" / "inbox" / "stray.eml").exists()
    assert not (root / ".hoteldesk" / "journal.sqlite3").exists()  # a rebuilt drive starts a fresh journal
    assert (root / "my-notes.txt").read_text(encoding="utf-8") == "not the demo's"
    assert len(records(root)["Bookings/orders"]) == 200


#: Days the whole demo is run for: a Friday, a Monday, a Sunday, the 1st of a month, the last day of a year.
DEMO_DAYS = [TODAY, date(2026, 11, 30), date(2026, 11, 29), date(2026, 12, 1), date(2026, 12, 31)]


@pytest.mark.slow
@pytest.mark.parametrize("day", DEMO_DAYS, ids=lambda d: f"{d:%Y-%m-%d-%a}")
def test_whole_demo_keeps_its_promises_on_any_day(tmp_path: Path, day: date) -> None:
    """The whole demo, one pass of every automation: what its summary promises holds, whatever the day."""
    root = tmp_path / "demo-drive"
    lines = run_demo(root, seed=3, orders=400, progress=False, today=day)
    text = "\n".join(lines)
    assert not [ln for ln in lines if "FAILED" in ln], text
    assert lines[0].startswith(f"hoteldesk demo — seed 3, today {day}"), text
    for piece in (
        "44 hotels in 7 cities",
        "400 orders",
        "30 staff",
        "Bookings.xlsx",
        "Dashboard.xlsx",
        "Remaining.xlsx",
    ):
        assert piece in text
    assert "Done in" in lines[-1]
    mailroom = re.search(r"邮件室：已应用 (\d+)，已归档 (\d+)，转人工审核 (\d+)，忽略 (\d+)", text)  # a zh-CN drive
    promise = r"(\d+) sample hotel replies \(expected: (\d+) applied, (\d+) to review, (\d+) ignored\)"
    expected = re.search(promise, text)
    assert expected is not None and mailroom is not None, text
    total, *promised = map(int, expected.groups())
    applied, filed, review, ignored = map(int, mailroom.groups())
    # Every kind of sample reply is there on every day, and each is treated as the summary said it would be.
    assert total == 19, text
    assert [applied, review, ignored] == promised, text
    assert review >= 1 and filed == total, text
    assert load_config(root).smtp["port"] == CLOSED_PORT  # after the pass, no demo letter can leave the machine
    if "mail sink:" in text:  # customer letters by e-mail were filed by the demo's sink, PDF attached
        letters = list((DriveLayout(root).outbox_mail / "demo-sink").glob("*.eml"))
        assert letters and all(b"application/pdf" in p.read_bytes() for p in letters)
    assert (DriveLayout(root).report_path("daily", f"{day:%Y-%m-%d}.docx")).is_file()
    result = check_drive(root)  # whatever the pass wrote back, every workbook still reads
    assert result.errors == []
    assert len({p.row for p in result.problems}) == len(CELL_PROBLEMS)  # only the planted cells
    assert len(records(root)["Bookings/orders"]) == 400


def test_every_kind_of_sample_reply_on_every_day_of_a_year() -> None:
    """A quiet day still has an order for every kind of sample reply (they are reopened)."""
    slugs = ("full", "cancelled", "modified", "no-show", "conf-en", "conf-big5", "conf-group", "conf-no-order-no")
    for offset in range(0, 366, 9):  # every weekday, every month
        day = date(2026, 1, 1) + timedelta(days=offset)
        data = generate(3, 400, day)
        replies = make_replies(3, data.orders, data.hotels, day, "Asia/Shanghai")
        names = " ".join(r.file for r in replies)
        missing = [s for s in (*slugs, "untrusted", "newsletter") if f"_{s}." not in names]
        assert missing == [], (day, missing)
        assert Counter(r.expect for r in replies) == {"applied": 17, "review": 1, "ignored": 1}, day


_DIGEST = """
import hashlib
from datetime import date
from hoteldesk.demo.generate import generate
from hoteldesk.demo.replies import make_replies
from hoteldesk.journal import dumps
d = generate(11, 500, date(2026, 11, 27))
replies = make_replies(11, d.orders, d.hotels, d.today, "Asia/Shanghai")
blob = dumps([[o.record for o in d.orders], d.grid.records(), [h.record() for h in d.hotels], d.roster, d.attendance])
print(hashlib.sha256(blob.encode() + b"".join(r.data for r in replies)).hexdigest())
"""


def test_the_drive_does_not_depend_on_hash_randomisation() -> None:
    """Same seed, same day, separate processes with different string hashing: the same data."""
    digests = {
        subprocess.run(
            [sys.executable, "-c", _DIGEST],
            env={**os.environ, "PYTHONHASHSEED": seed},
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        for seed in ("1", "2")
    }
    assert len(digests) == 1


def test_business_rule_errors_only_on_planted_rows(demo: Path) -> None:
    """The rules helper's checks (read-only, as `hoteldesk check` runs them): every error is planted."""
    from hoteldesk.automations.checking import check_with
    from hoteldesk.automations.reference import read_reference
    from hoteldesk.domain.checks import Rules

    layout = DriveLayout(demo)
    rows = read_sheet(layout.bookings, ORDERS).rows
    orders = [dict(r.values, _key=f"@{r.num}") for r in rows]
    findings = check_with(read_reference(layout.contracts, layout.room_status), orders, set(), Rules(today=TODAY))
    data = generate(7, 3200, TODAY)
    planted = {f"@{i + 2}" for i, o in enumerate(data.orders) if o.planted}
    keys = {str(o.get("order_no") or o["_key"]): o["_key"] for o in orders}
    errors = {keys[k] for k, found in findings.items() if any(f.severity == "error" for f in found)}
    assert errors and errors <= planted
    warned = [k for k, found in findings.items() if found and keys[k] not in planted]
    assert len(warned) < 0.03 * len(orders)  # thin margins, special prices, 满房 advice: a few, not noise


def test_progress_goes_to_stderr_and_the_library_prints_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    lines = run_demo(tmp_path / "d", orders=300, progress=True, today=TODAY, automations=False)
    out, err = capsys.readouterr()
    assert out == ""
    assert "订单 Bookings" in err  # the bars, on stderr
    assert lines[0].startswith("hoteldesk demo — seed 7, today 2026-11-27")

# ruff: noqa: E501  (CJK test literals: ruff counts each character as two columns)
"""Reply rules, dates, schema.org markup and the reply record (issue 5 §3)."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from email.mime.text import MIMEText

import pytest

from hoteldesk.errors import ConfigError
from hoteldesk.inbox_watchers.jsonld import reservations
from hoteldesk.inbox_watchers.reply import parse_reply
from hoteldesk.inbox_watchers.rules import HotelRule, find_dates, kind_hits, load_rules


def mail(body: str, *, sender: str = "rsvn@hilton.com", subject: str = "Re", headers: dict[str, str] | None = None,
         html: bool = False) -> bytes:  # fmt: skip
    msg = MIMEText(body, "html" if html else "plain", "utf-8")
    msg["From"] = sender
    msg["Subject"] = subject
    msg["Date"] = "Thu, 26 Nov 2026 10:15:00 +0800"
    for k, v in (headers or {}).items():
        msg[k] = v
    return msg.as_bytes()


def test_staff_rules_load_with_zh_field_names_and_bad_rows_are_reported() -> None:
    rules, problems = load_rules(
        [
            {"hotel": "H1", "sender": "a@h.cn", "field": "确认号", "pattern": r"编码:(\d+)"},
            {"hotel": "H1", "sender": "", "field": "满房", "pattern": "房满了"},
            {"hotel": "H1", "sender": "", "field": "确认号", "pattern": "(unclosed"},
            {"hotel": "H1", "sender": "", "field": "颜色", "pattern": "x"},
        ]
    )
    assert [(r.field, r.sender) for r in rules] == [("hotel_conf_no", "a@h.cn"), ("full", "")]
    assert len(problems) == 2
    assert "not a valid regular expression" in problems[0]
    assert "unknown" in problems[1]


def test_a_bad_rule_raises_a_config_error_that_says_where() -> None:
    with pytest.raises(ConfigError, match="回复规则"):
        HotelRule("H1", "", "hotel_conf_no", "[")


def test_hotel_rules_apply_only_to_their_sender() -> None:
    rule = HotelRule("H1", "rujia.cn", "hotel_conf_no", r"编码[:：](?P<v>\d+)")
    raw = "订单 HD20261126-0001 好了，编码：620011"
    assert parse_reply(mail(raw, sender="x@rujia.cn"), rules=[rule]).hotel_conf_no == "620011"
    assert parse_reply(mail(raw, sender="x@other.cn"), rules=[rule]).hotel_conf_no == ""
    open_rule = HotelRule("H1", "", "confirmed", "好了")  # no sender: only for mail from H1's senders
    hotels = [{"code": "H1", "trusted_senders": ("rujia.cn",)}]
    assert parse_reply(mail(raw, sender="x@rujia.cn"), rules=[open_rule], hotels=hotels).kind == "confirmed"
    assert parse_reply(mail(raw, sender="x@other.cn"), rules=[open_rule], hotels=hotels).kind == "unknown"


@pytest.mark.parametrize(
    ("text", "want"),
    [
        ("2026-12-01", date(2026, 12, 1)),
        ("2026/12/1", date(2026, 12, 1)),
        ("2026.12.01", date(2026, 12, 1)),
        ("2026年12月1日", date(2026, 12, 1)),
        ("12月1日", date(2026, 12, 1)),
        ("1月3号", date(2027, 1, 3)),  # no year, and January is after November: next year
        ("01-Dec-2026", date(2026, 12, 1)),
        ("1 Dec 2026", date(2026, 12, 1)),
        ("08DEC26", date(2026, 12, 8)),
        ("Dec 1, 2026", date(2026, 12, 1)),
        ("December 16th", date(2026, 12, 16)),
        ("16/12/2026", date(2026, 12, 16)),
        ("12/16/2026", date(2026, 12, 16)),
        ("16.12.2026", date(2026, 12, 16)),
    ],
)
def test_dates_as_hotels_write_them(text: str, want: date) -> None:
    assert [d for _s, _e, d in find_dates(text, date(2026, 11, 26))] == [want]


def test_ambiguous_day_month_is_not_guessed() -> None:
    assert find_dates("01/12/2026", date(2026, 11, 26)) == []


@pytest.mark.parametrize(
    ("text", "kinds"),
    [
        ("如需取消，请提前一天通知。", []),
        ("Reservations can be cancelled free of charge before 18:00.", []),
        ("No-show will be charged one night.", []),
        ("订单已取消。", ["cancelled"]),
        ("客人未入住。", ["no-show"]),
        ("无法确认", ["denied"]),
        ("not confirmed yet", []),
        ("满房，无法确认", ["full", "denied"]),
        ("Your booking is confirmed.", ["confirmed"]),
    ],
)
def test_policy_sentences_and_negations_do_not_count(text: str, kinds: list[str]) -> None:
    assert sorted({k for k, *_ in kind_hits(text)}) == sorted(kinds)


@pytest.mark.parametrize(
    ("text", "want"), [("Rate: CNY 1,280.00", "1280.00"), ("房价：880元/晚", "880"), ("Room rate RMB 760", "760")]
)
def test_rates(text: str, want: str) -> None:
    assert parse_reply(mail(text)).rate == Decimal(want)


def test_our_order_number_is_never_the_hotels_confirmation_number() -> None:
    rec = parse_reply(mail("Confirmation No.: HD20261126-0001\nBooking confirmed."))
    assert rec.hotel_conf_no == ""
    assert rec.order_nos == ("HD20261126-0001",)


def test_order_numbers_written_loosely_are_normalised() -> None:
    rec = parse_reply(mail("hd 20261126 0001 and HD202611260002 confirmed"))
    assert rec.order_nos == ("HD20261126-0001", "HD20261126-0002")


def test_another_prefix() -> None:
    assert parse_reply(mail("XY20261126-0001 已确认"), our_prefix="XY").order_nos == ("XY20261126-0001",)


def test_cancellation_number_is_not_taken_as_confirmation_number() -> None:
    rec = parse_reply(mail("订单HD20261126-0009已取消，取消确认号：CX88"))
    assert (rec.kind, rec.cancel_no, rec.hotel_conf_no) == ("cancelled", "CX88", "")


def test_fields_record_and_evidence() -> None:
    rec = parse_reply(mail("HD20261126-0001 已确认\n确认号：A1234\n入住人：张伟、李娜\n入住日期：2026-12-01\n离店日期：2026-12-03\n"
                           "房型：豪华大床房\n间数：2\n房价：RMB 880.00"))  # fmt: skip
    assert rec.kind == "confirmed" and rec.confidence >= 0.6
    assert rec.guest_names == ("张伟", "李娜")
    assert (rec.check_in, rec.check_out, rec.rooms, rec.rate) == (
        date(2026, 12, 1),
        date(2026, 12, 3),
        2,
        Decimal("880.00"),
    )
    assert rec.room_type == "豪华大床房"
    assert ("field.hotel_conf_no@body", "确认号：A1234") in rec.evidence


def test_authentication_results_only_from_the_top_header() -> None:
    headers = {"Authentication-Results": "mx.example.com; dkim=fail header.d=hilton.com; spf=pass"}
    raw = mail("x", headers=headers).replace(
        b"MIME-Version", b"Authentication-Results: forged.example; dkim=pass; spf=pass\nMIME-Version", 1
    )
    rec = parse_reply(raw)
    assert (rec.dkim, rec.spf) in (("fail", "pass"), ("pass", "pass"))  # order of the two headers decides
    top_first = b"Authentication-Results: mx.example.com; dkim=fail header.d=hilton.com; spf=pass\n" + mail("x")
    assert parse_reply(top_first).dkim == "fail"
    assert parse_reply(mail("x", headers={"Received-SPF": "Softfail (domain of x)"})).spf == "softfail"
    assert parse_reply(mail("x")).dkim is None


def test_dkim_signed_by_another_domain_is_unaligned() -> None:
    rec = parse_reply(mail("x", headers={"Authentication-Results": "mx; dkim=pass header.d=mailer.example; spf=pass"}))
    assert rec.dkim == "unaligned"


def test_jsonld_schema_org_and_gmail_spellings() -> None:
    a = {"@context": "https://schema.org", "@type": "LodgingReservation", "reservationNumber": "R1",
         "reservationStatus": "https://schema.org/ReservationCancelled", "checkinDate": "2026-12-01",
         "checkoutDate": "2026-12-03", "underName": {"@type": "Person", "givenName": "Wei", "familyName": "Zhang"},
         "totalPrice": {"@type": "PriceSpecification", "price": "1760.00", "priceCurrency": "CNY"}}  # fmt: skip
    b = {"@type": "LodgingReservation", "confirmationNumber": "R2", "reservationStatus": "Confirmed",
         "checkinTime": "2026-12-05T14:00:00", "checkoutTime": "2026-12-07", "underName": ["Li Na", {"name": "Wang"}]}  # fmt: skip
    html = f'<script type="application/ld+json">{{"@graph": [{json.dumps(a)}, {json.dumps(b)}]}}</script>'
    got = reservations([html])
    assert [(r.number, r.status, r.check_in, r.check_out) for r in got] == [
        ("R1", "cancelled", date(2026, 12, 1), date(2026, 12, 3)),
        ("R2", "confirmed", date(2026, 12, 5), date(2026, 12, 7)),
    ]
    assert got[0].guest_names == ("Zhang Wei",) and got[0].price == Decimal("1760.00") and got[0].currency == "CNY"
    assert got[1].guest_names == ("Li Na", "Wang")


def test_microdata_and_broken_jsonld() -> None:
    html = (
        '<script type="application/ld+json">{not json</script>'
        '<div itemscope itemtype="http://schema.org/LodgingReservation"><span itemprop="reservationNumber">M1</span>'
        '<link itemprop="reservationStatus" href="http://schema.org/ReservationConfirmed">'
        '<div itemprop="underName" itemscope itemtype="http://schema.org/Person"><b itemprop="name">张伟</b></div>'
        '<meta itemprop="checkinDate" content="2026-12-01"><meta itemprop="checkoutDate" content="2026-12-02"></div>'
    )
    (r,) = reservations([html])
    assert (r.number, r.status, r.guest_names, r.check_in, r.source) == (
        "M1",
        "confirmed",
        ("张伟",),
        date(2026, 12, 1),
        "microdata",
    )


def test_newsletter_and_auto_reply_are_unknown() -> None:
    news = parse_reply(mail("Sold out soon! Book now.", headers={"List-Unsubscribe": "<mailto:u@hilton.com>"}))
    assert (news.kind, news.confidence) == ("unknown", 0.0)
    assert (
        news.reason == "群发邮件或广告（带退订/群发标记），未提及我方订单"
    )  # a zh-CN drive reads Chinese (issue 8 §7)
    raw = mail("Sold out soon! Book now.", headers={"List-Unsubscribe": "<mailto:u@hilton.com>"})
    assert "newsletter" in parse_reply(raw, locale="en").reason
    auto = parse_reply(mail("I am away", subject="Automatic reply: HD20261126-0001 confirmed"))
    assert auto.kind == "unknown"

"""Trust (issue 5 §5): registered sender address or domain, no look-alikes, DKIM/SPF where recorded."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from hoteldesk.domain.reference import Hotel
from hoteldesk.inbox_watchers.trust import check_trust, hotels_for_sender, sender_matches

HILTON = {"code": "H001", "email": "rsvn.bjswf@hilton.com", "trusted_senders": ("hilton.com", "*.hiltonhotels.cn")}
RUJIA = {"code": "H005", "email": "", "trusted_senders": ("rujia_bj001@163.com",)}


@dataclass(frozen=True)
class R:
    sender: str
    dkim: str | None = None
    spf: str | None = None
    dmarc: str | None = None


@pytest.mark.parametrize(
    "sender",
    [
        "rsvn.bjswf@hilton.com",
        "frontoffice@hilton.com",
        "RSVN@Hilton.COM",
        "a@bj.hiltonhotels.cn",
        "x@a.b.hiltonhotels.cn",
    ],
)
def test_registered_addresses_and_domains_are_trusted(sender: str) -> None:
    assert check_trust(R(sender), HILTON).trusted


@pytest.mark.parametrize(
    ("sender", "why"),
    [
        ("rsvn@hilton.com.evil.cn", "only looks like hilton.com"),
        ("rsvn@hilton-hotels.com", "only looks like hilton.com"),
        ("rsvn@hi1ton.com", "only looks like hilton.com"),
        ("rsvn@mail.hilton.com", "only looks like hilton.com"),  # subdomains only when registered as *.
        ("rsvn@hiltonhotels.cn", "rsvn@hiltonhotels.cn"),  # *.domain does not cover the bare domain
        ("rsvn@xn--hlton-n2e.com", "internationalised (look-alike) domain"),  # Cyrillic і
        ("rsvn@hіlton.com", "internationalised (look-alike) domain"),
        ("someone@163.com", "not registered"),  # a free-mail domain: only the exact address counts
        ("", "no single From address"),
    ],
)
def test_look_alikes_and_strangers_are_rejected_with_the_reason(sender: str, why: str) -> None:
    got = check_trust(R(sender), HILTON if "163" not in sender else RUJIA, "en")
    assert not got.trusted
    assert why in got.reason


@pytest.mark.parametrize(
    ("sender", "why"),
    [
        (
            "rsvn@hi1ton.com",
            "发件人 rsvn@hi1ton.com 仅仿似酒店 H001 登记的 hilton.com：可能是仿冒邮件，请勿据此改单，请电话向酒店核实",
        ),
        ("rsvn@hіlton.com", "使用国际化（疑似仿冒）域名：请勿据此改单，请电话向酒店核实"),
        (
            "someone@163.com",
            "发件人 someone@163.com 未登记为酒店 H005 的可信发件人：如确是该酒店的邮箱，请加入 Contracts.xlsx › 酒店 › "
            "可信发件人 后重试；否则请电话向酒店核实",
        ),
        ("", "回复没有唯一的发件人地址：请人工核对后再处理"),
    ],
)
def test_a_zh_cn_drive_reads_why_in_chinese_and_what_to_do(sender: str, why: str) -> None:
    """Issue 8 §7: review reasons in the drive's locale only, saying what to do."""
    got = check_trust(R(sender), HILTON if "163" not in sender else RUJIA)
    assert why in got.reason
    assert "sender" not in got.reason and "registered" not in got.reason


def test_failed_authentication_is_explained_in_chinese() -> None:
    got = check_trust(R("rsvn.bjswf@hilton.com", "fail", "pass", None), HILTON)
    assert got.reason == (
        "发件人 rsvn.bjswf@hilton.com 已登记为酒店 H001 的可信发件人，但我方邮件服务器记录的 DKIM 结果为 fail："
        "请电话向酒店核实"
    )


def test_display_names_mean_nothing() -> None:
    assert not check_trust(R("rsvn.bjswf.hilton@gmail.com"), HILTON).trusted  # "Hilton rsvn.bjswf@hilton.com"


@pytest.mark.parametrize(
    ("dkim", "spf", "dmarc", "ok"),
    [
        (None, None, None, True),  # nothing recorded: the address decides
        ("pass", "pass", "pass", True),
        ("none", "pass", None, True),  # unsigned but SPF passed
        ("pass", None, None, True),
        ("fail", "pass", None, False),
        ("pass", "softfail", None, False),
        ("unaligned", "pass", None, False),  # signed by another domain
        ("pass", "pass", "fail", False),
        ("none", "none", None, False),  # recorded, nothing passed
    ],
)
def test_dkim_spf_results_must_pass_where_recorded(
    dkim: str | None, spf: str | None, dmarc: str | None, ok: bool
) -> None:
    assert check_trust(R("rsvn.bjswf@hilton.com", dkim, spf, dmarc), HILTON).trusted is ok


def test_hotel_objects_and_text_lists_work_too() -> None:
    hotel = Hotel(code="H9", name_zh="x", trusted_senders=("@peninsula.com",))
    assert check_trust(R("reservations@peninsula.com"), hotel).trusted
    assert check_trust(R("a@b.cn"), {"code": "H8", "trusted_senders": "x@y.cn; b.cn"}).trusted


def test_a_hotel_without_registered_senders_trusts_nobody() -> None:
    got = check_trust(R("rsvn@hilton.com"), {"code": "H7", "trusted_senders": ()})
    assert not got.trusted
    assert "可信发件人" in got.reason


def test_sender_matches_and_hotels_for_sender() -> None:
    assert sender_matches("a@hilton.com", "@hilton.com")
    assert not sender_matches("a@hilton.com.cn", "hilton.com")
    idn = "酒店.cn".encode("idna").decode()
    assert sender_matches(f"a@{idn}", "酒店.cn")  # an IDN domain staff registered on purpose
    assert check_trust(R(f"a@{idn}"), {"code": "H6", "trusted_senders": ("酒店.cn",)}).trusted
    assert hotels_for_sender("frontoffice@hilton.com", [HILTON, RUJIA]) == [HILTON]
    assert hotels_for_sender("rujia_bj001@163.com", [HILTON, RUJIA]) == [RUJIA]
    assert hotels_for_sender("rsvn@hіlton.com", [HILTON]) == []

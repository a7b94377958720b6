"""Sender trust wildcards (issue 10 §6): ``*.example.cn`` covers subdomains of example.cn and nothing else.

A mutation that compared only the domain's tail ("example.cn") let ``a@evilexample.cn`` through and no
test noticed; these pin the label boundary for trust and for hotel reply rules alike.
"""

from __future__ import annotations

import pytest

from hoteldesk.inbox_watchers.rules import HotelRule
from hoteldesk.inbox_watchers.trust import check_trust, sender_matches

HOTEL = {"code": "H009", "trusted_senders": ("*.example.cn",)}


@pytest.mark.parametrize(
    ("address", "trusted"),
    [
        ("rsvn@mail.example.cn", True),
        ("rsvn@a.b.example.cn", True),
        ("a@evilexample.cn", False),  # same tail, no label boundary
        ("a@example.cn", False),  # the bare domain needs its own entry
        ("a@mail.example.cn.evil.cn", False),
        ("a@xexample.cn", False),
    ],
)
def test_wildcard_matches_only_subdomains(address: str, trusted: bool) -> None:
    assert sender_matches(address, "*.example.cn") is trusted
    assert check_trust({"sender": address}, HOTEL).trusted is trusted


@pytest.mark.parametrize(
    ("address", "applies"),
    [("rsvn@mail.example.cn", True), ("a@evilexample.cn", False), ("a@example.cn", False)],
)
def test_hotel_rule_wildcard_sender_matches_only_subdomains(address: str, applies: bool) -> None:
    rule = HotelRule("H009", "*.example.cn", "确认号", r"编号[:：](\d+)")
    assert rule.applies_to(address) is applies

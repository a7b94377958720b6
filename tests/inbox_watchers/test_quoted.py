# ruff: noqa: E501  (CJK test literals: ruff counts each character as two columns)
"""The hotel's own words apart from our quoted slip and forwarded chains (issue 5 §3)."""

from __future__ import annotations

import pytest

from hoteldesk.inbox_watchers.quoted import own_text, split_quoted

SLIP = "预订单\n回复请注明订单号 / please quote our order no.\n订单号 Order No.: HD20261126-0001\n确认号: 12345678\n"


@pytest.mark.parametrize(
    "header",
    [
        "-----Original Message-----\nFrom: Booking Centre\nSent: Thursday\n",
        "-----原始邮件-----\n发件人: 预订中心\n发送时间: 2026年11月26日\n",
        '------------------ 原始邮件 ------------------\n发件人: "预订中心"<confirm@example.com>\n发送时间: 2026年11月26日\n',
        "发件人：预订中心 <confirm@example.com>\n发送时间：2026年11月26日 9:00\n收件人：rsvn@hilton.com\n主题：预订单\n",
        "From: Booking Centre <confirm@example.com>\nSent: Thursday, November 26, 2026 9:00 AM\nTo: rsvn\nSubject: slip\n",
        "寄件者: 預訂中心\n寄件日期: 2026年11月26日\n",
        "在 2026年11月26日 09:00，预订中心 <confirm@example.com> 写道：\n",
        "On Thu, Nov 26, 2026 at 9:00 AM Booking Centre <confirm@example.com> wrote:\n",
        "On Thu, Nov 26, 2026 at 9:00 AM Booking Centre <confirm@example.com>\nwrote:\n",
    ],
)
def test_every_quote_header_opens_the_quote(header: str) -> None:
    segments = split_quoted("已确认，确认号 55667788\n\n" + header + SLIP)
    assert segments[0].own and segments[0].text == "已确认，确认号 55667788"
    assert all(not s.own for s in segments[1:])
    assert any(s.ours for s in segments[1:])
    assert "12345678" not in own_text("已确认\n\n" + header + SLIP)


def test_gt_lines_are_quoted_and_inline_answers_stay_own() -> None:
    text = "> 请确认订单 HD20261126-0001\n> 确认号: 1111\n确认，确认号 2222\n> 入住人: 张伟\n客人已安排"
    segs = split_quoted(text)
    assert [s.own for s in segs] == [False, True, False, True]
    assert segs[0].text == "请确认订单 HD20261126-0001\n确认号: 1111"
    assert own_text(text) == "确认，确认号 2222\n客人已安排"


def test_a_from_line_in_the_hotels_words_is_not_a_quote() -> None:
    text = "From: 12月1日 To: 12月3日\n已确认"
    assert own_text(text) == text


def test_a_colleagues_forwarded_mail_is_not_ours() -> None:
    text = "请查收\n\n---------- Forwarded message ---------\nFrom: frontoffice@hilton.com\nDate: Thu\n\n确认号：FO1"
    segs = split_quoted(text)
    assert segs[1].own is False and segs[1].ours is False


def test_a_quote_from_our_address_is_ours_even_without_slip_markers() -> None:
    text = "OK\n\nFrom: Booking <confirm@example.com>\nSent: Thu\n\nplease book 2 rooms"
    assert split_quoted(text, ["confirm@example.com"])[1].ours
    assert not split_quoted(text)[1].ours


def test_chains_split_per_message() -> None:
    text = (
        "FYI\n\n-----Original Message-----\nFrom: fo@hilton.com\nSent: Thu\n\n确认号 FO1\n\n"
        "-----Original Message-----\nFrom: confirm@example.com\nSent: Wed\n\n" + SLIP
    )
    segs = split_quoted(text)
    assert [(s.own, s.ours) for s in segs] == [(True, False), (False, False), (False, True)]

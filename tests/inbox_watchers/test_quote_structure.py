"""Quote structure (issue 10 §2, §6): only the hotel's words decide; our slip's fixed words never count."""

from __future__ import annotations

import pytest

from hoteldesk.inbox_watchers.interpret import interpret
from hoteldesk.inbox_watchers.quoted import split_quoted
from hoteldesk.inbox_watchers.slipfill import slip_answer
from tests.inbox_watchers import mailkit as K

NO = "HD20261126-0001"
SLIP = (
    f"预订单\n回复请注明订单号 / please quote our order no.\n订单号 Order No.: {NO}\n确认号: 12345678\n"
    "酒店回复（请填写后传回）\n确认号：________    确认人：________    签名/盖章\n"
    "□ 确认    □ 满房    □ 拒绝    原因：\n"
)


@pytest.mark.parametrize(
    "header",
    [
        "От: Booking Centre <confirm@example.com>\nОтправлено: 26 ноября 2026 г. 9:00\nТема: 预订单",
        "Da: Booking Centre <confirm@example.com>\nInviato: giovedì 26 novembre 2026 09:00\nOggetto: 预订单",
        "Von: Booking Centre <confirm@example.com>\nGesendet: Donnerstag, 26. November 2026\nBetreff: 预订单",
        "De : Booking Centre <confirm@example.com>\nEnvoyé : jeudi 26 novembre 2026\nObjet : 预订单",
        "De: Booking Centre <confirm@example.com>\nEnviado: jueves, 26 de noviembre\nAsunto: 预订单",
        "De: Booking Centre <confirm@example.com>\nEnviada em: quinta-feira, 26 de novembro\nAssunto: 预订单",
        "差出人: Booking Centre <confirm@example.com>\n送信日時: 2026年11月26日 9:00\n件名: 预订单",
        "보낸 사람: Booking Centre <confirm@example.com>\n보낸 날짜: 2026년 11월 26일\n제목: 预订单",
        "寄件者: Booking Centre <confirm@example.com>\n寄件日期: 2026年11月26日\n主旨: 預訂單",
        "------------------ Original ------------------\nFrom: Booking Centre\nDate: Thu, Nov 26, 2026",
    ],
)
def test_quote_headers_of_many_languages_open_the_quote(header: str) -> None:
    segs = split_quoted(f"已确认，确认号 CF1。\n\n{header}\n\n{SLIP}")
    assert [s.own for s in segs] == [True, False] and segs[1].ours


def test_bottom_posted_answer_after_gt_quote_is_the_hotels() -> None:
    text = "On 11/26/2026 9:00 AM, Booking Centre wrote:\n" + "\n".join("> " + ln for ln in SLIP.split("\n"))
    segs = split_quoted(text + "\n\nConfirmed, confirmation no. BP1.\n")
    assert [(s.own, s.ours) for s in segs] == [(False, True), (True, False)]
    assert segs[1].text == "Confirmed, confirmation no. BP1."


def test_untouched_slip_says_nothing() -> None:
    assert slip_answer(SLIP) == ""  # its □ line, room count and our table's 确认号 never count


def test_ticked_box_and_filled_number_are_the_hotels_answer() -> None:
    filled = SLIP.replace("确认号：________", "确认号：TK1").replace("□ 确认", "☑ 确认")
    assert set(slip_answer(filled).split("\n")) == {"确认号：TK1", "已确认"}


def test_text_typed_under_the_slip_is_the_hotels() -> None:
    assert slip_answer(SLIP + "满房，抱歉\n") == "满房，抱歉"


def test_two_answers_in_the_hotels_words_go_to_review_naming_both() -> None:
    raw = K.reply(NO, f"订单 {NO} 已确认，确认号 TW1001。\n另：该日期满房。")
    d = interpret(raw, [K.order(NO)], [K.hotel()], min_confidence=0.1)  # zh-CN: the drive's default
    assert d.problem.startswith("酒店原文中有相互矛盾的答复") and "满房" in d.problem and "已确认" in d.problem
    d = interpret(raw, [K.order(NO)], [K.hotel()], min_confidence=0.1, locale="en")
    assert d.problem.startswith("conflicting answers") and "满房" in d.problem and "已确认" in d.problem


def test_lines_of_our_cover_text_are_not_taken_as_the_hotels() -> None:
    """Without the slip's hotel section nothing 'under the slip' exists: our own quoted words stay ours."""
    cover = f"回复请注明订单号 / please quote our order no.\n订单号 {NO}\n预订中心 电话 010-12345678\n"
    assert slip_answer(cover) == ""

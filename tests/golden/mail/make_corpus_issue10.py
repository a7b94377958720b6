# ruff: noqa: E501  (test data: long literal mail bodies read better on one line)
"""Golden cases of issue 10 (group replies, arrival order, hostile mail, finding orders, quote structure).

Run ``.venv/bin/python tests/golden/mail/make_corpus_issue10.py``: it writes only its own ``*.eml``
(make_corpus.py keeps its own). Every expected file beside them was written or reviewed by hand
against ``X-Corpus-Expect`` (issue 10 §8); never regenerate one to make a test pass.
Layouts marked "client:" follow the quoting of that mail client as published in talon's and
mail-parser-reply's public fixtures (header lines and separators only; the words are ours).
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import make_corpus as M  # noqa: E402

CASES: dict[str, Callable[[], bytes]] = {}


def case(fn: Callable[[], bytes]) -> Callable[[], bytes]:
    CASES[fn.__name__] = fn
    return fn


S_H = M.S_H
S_Y = M.S_Y
S_P = M.S_P
A, B = "HD20261130-0018", "HD20261130-0097"


# -- §3 one answer per order ---------------------------------------------------------------------


@case
def group_cancel_one_refused_en_zh() -> bytes:
    body = f"Dear partner,\n{A} cancelled, cancellation no. C7781001; {B} cannot be cancelled (无法取消) as the guest has checked in.\nBest regards\nReservations\n"
    return M.text_mail(
        body,
        sender=S_H,
        subject="RE: cancellation request",
        expect=f"kind=cancelled match=matched trusted=1 orders={A},{B} answers={A}:cancelled::C7781001,{B}:refused",
    )


@case
def group_cancel_lines_zh_bunengquxiao() -> bytes:
    body = f"您好：\n贵司取消申请处理结果如下：\n订单 {A}：已取消，取消号 CX20018\n订单 {B}：超过免费取消时限，不能取消\n北京王府井希尔顿酒店预订部\n"
    return M.text_mail(
        body,
        sender=S_H,
        subject="答复: 取消订单",
        expect=f"kind=cancelled match=matched trusted=1 orders={A},{B} answers={A}:cancelled::CX20018,{B}:refused",
    )


@case
def group_cancel_table_numbers_per_row() -> bytes:
    body = f"以下订单已取消：\n订单号 | 状态 | 取消号\n{A} | 已取消 | 取消号 CN-7001\n{B} | 已取消 | 取消号 CN-7002\n"
    return M.text_mail(
        body,
        sender=S_H,
        subject="取消确认",
        expect=f"kind=cancelled match=matched trusted=1 orders={A},{B} answers={A}:cancelled::CN-7001,{B}:cancelled::CN-7002",
    )


@case
def group_cancel_paragraphs_unable_to() -> bytes:
    body = f"Dear colleague,\n\nBooking {A}:\nThe cancellation has been confirmed, cancellation number XL-44810.\n\nBooking {B}:\nWe are unable to cancel this booking; it is non-refundable.\n\nKind regards\n"
    return M.text_mail(
        body,
        sender=S_H,
        subject="RE: cancellations",
        expect=f"kind=cancelled match=matched trusted=1 orders={A},{B} answers={A}:cancelled::XL-44810,{B}:refused",
    )


# -- §5 finding the order --------------------------------------------------------------------------


@case
def fullwidth_order_no_zh() -> bytes:
    body = "您好！\n订单 ＨＤ２０２６１１３０－０００３ 已确认，确认号：ＨＹ７７８８。\n上海外滩茂悦大酒店预订部\n"
    return M.text_mail(
        body,
        sender=S_Y,
        subject="回复：预订",
        expect="kind=confirmed match=matched trusted=1 orders=HD20261130-0003 conf=HY7788",
    )


@case
def en_range_2dec_3dec_no_order_no() -> bytes:
    body = "Dear Sir/Madam,\nWe are pleased to confirm the reservation below.\nGuest name: Emily Clark\nStay: 2 Dec - 3 Dec 2026, 1 room\nConfirmation number: HIL2021\nBest regards\n"
    return M.text_mail(
        body,
        sender=S_H,
        subject="Reservation confirmation",
        expect="kind=confirmed match=matched trusted=1 orders=HD20261130-0021 conf=HIL2021",
    )


@case
def zh_range_slash_no_order_no() -> bytes:
    body = "您好，\n客人：马丽\n日期 12/4-12/11 已确认，确认号 HIL2022。\n"
    return M.text_mail(
        body,
        sender=S_H,
        subject="预订确认",
        expect="kind=confirmed match=matched trusted=1 orders=HD20261130-0022 conf=HIL2022",
    )


@case
def zh_range_zhi_same_month_no_order_no() -> bytes:
    body = "您好：\n入住人：冯强\n12月2日至5日 豪华大床房1间 已确认，确认号：HY2003\n"
    return M.text_mail(
        body,
        sender=S_Y,
        subject="预订确认",
        expect="kind=confirmed match=matched trusted=1 orders=HD20261130-0003 conf=HY2003",
    )


@case
def zh_change_ack_pending_change() -> bytes:
    body = "您好！\n订单 HD20261130-0030 已按贵司要求变更：入住日期改为2026年12月20日，离店日期改为2026年12月23日，确认号 PEN5566 不变。\n半島酒店訂房部\n"
    return M.text_mail(
        body,
        sender=S_P,
        subject="回复：变更 HD20261130-0030",
        expect="kind=modified match=matched trusted=1 orders=HD20261130-0030 conf=PEN5566",
    )


# -- §9 hostile mail ends in review -------------------------------------------------------------------


def _hostile_head(expect: str, mid: str) -> str:
    return (
        f"From: =?utf-8?b?5biM5bCU6aG/?= <{M.HILTON}>\r\nTo: confirm@example.com\r\nSubject: Re: {A}\r\n"
        f"Date: {M.DATE}\r\nMessage-ID: <{mid}@hotel.example>\r\nReceived: {M.RECEIVED}\r\n"
        f"Authentication-Results: {M.AUTH_OK.format(d='hilton.com')}\r\nX-Corpus-Expect: {expect}\r\nMIME-Version: 1.0\r\n"
    )


@case
def hostile_nested_1000_levels() -> bytes:
    """RecursionError in the standard parser: reviewed with the reason (unreadable), never a loop."""
    opening = "".join(f'Content-Type: multipart/mixed; boundary="b{i}"\r\n\r\n--b{i}\r\n' for i in range(1000))
    closing = "".join(f"--b{i}--\r\n" for i in reversed(range(1000)))
    body = f"Content-Type: text/plain; charset=utf-8\r\n\r\nBooking {A} confirmed, confirmation no. HX1\r\n"
    return (
        _hostile_head("kind=unknown match=matched trusted=1 unreadable=RecursionError", "deep")
        + opening
        + body
        + closing
    ).encode()


@case
def hostile_nul_in_charset_label() -> bytes:
    head = _hostile_head("kind=unknown match=matched trusted=1 unreadable=NUL", "nul")
    part = f'Content-Type: text/plain; charset="utf-8\x00evil"\r\nContent-Transfer-Encoding: 8bit\r\n\r\n订单 {A} 已确认，确认号 HX2\r\n'
    return (head + part).encode()


def main() -> None:
    for name, build in sorted(CASES.items()):
        (HERE / f"{name}.eml").write_bytes(build())
    print(f"{len(CASES)} messages written to {HERE}")


if __name__ == "__main__":
    main()

"""Staff administration: A3 roster checks, A4 leave in advance, A1/A2/A3 deadlines as clocks."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from hoteldesk.domain.roster import (
    attendance_summary,
    check_leave,
    check_roster,
    deadlines,
    hr_friday,
    joiner_problems,
    shifts_in,
    weeks_joiners,
)

DEC = date(2026, 12, 1)
STAFF = [
    {"staff_id": "S001", "name": "王芳", "shift_group": "A组", "joined_on": date(2020, 1, 1)},
    {"staff_id": "S002", "name": "李雷", "shift_group": "A组", "joined_on": date(2021, 1, 1)},
    {"staff_id": "S003", "name": "韩梅", "shift_group": "常白班", "joined_on": date(2027, 1, 4)},  # joins later
]


def row(sid: str, month: str = "2026-12", **days: str) -> dict[str, Any]:
    rec: dict[str, Any] = {"month": month, "staff_id": sid}
    rec.update({f"d{d}": "早" if sid == "S001" else "中" for d in range(1, 32)})
    rec.update(days)
    return rec


def texts(problems: list[Any]) -> list[str]:
    return [p.text for p in problems]


def test_A3_a_complete_roster_passes() -> None:
    assert check_roster(DEC, STAFF, [row("S001"), row("S002")], minimum={"早": 1, "中": 1}) == []


def test_A3_roster_with_a_double_shift() -> None:
    got = texts(check_roster(DEC, STAFF, [row("S001", d5="早/晚"), row("S002")]))
    assert got == ["S001 王芳 2026-12-05 排了两个班：早/晚（A3）"]
    # the same person on two rows of the month, both working on the 7th
    two_rows = [row("S001"), row("S002"), {"month": "2026-12", "staff_id": "S001", "d7": "夜"}]
    assert texts(check_roster(DEC, STAFF, two_rows, locale="en")) == [
        "S001 王芳 is on two shifts on 2026-12-07: 早/夜 (A3)"
    ]
    assert shifts_in("休") == [] and shifts_in("早 晚") == ["早", "晚"]


def test_A3_everyone_rostered_and_minimum_staff() -> None:
    got = texts(check_roster(DEC, STAFF, [row("S001", d3="休")], minimum={"早": 1}))
    assert got == ["S002 李雷 没有 2026-12 的排班（A3）", "2026-12-03 早班 只有 0 人，至少 1 人（A3）"]


def test_A3_approved_leave_is_respected_A4() -> None:
    leave = [
        {"staff_id": "S002", "start": date(2026, 12, 10), "end": date(2026, 12, 11), "approved_by": "经理"},
        {"staff_id": "S001", "start": date(2026, 12, 10), "end": date(2026, 12, 10)},  # not approved: not binding
        {"staff_id": "S001", "start": date(2026, 12, 15), "end": date(2026, 12, 15), "approved_by": "经理"},
    ]
    got = texts(check_roster(DEC, STAFF, [row("S001"), row("S002", d10="休")], leave))
    assert got == [
        "S001 王芳 2026-12-15 已批准请假，却排了 早 班（A3, A4）",
        "S002 李雷 2026-12-11 已批准请假，却排了 中 班（A3, A4）",
    ]


def test_A4_a_leave_request_made_late() -> None:
    leave = [
        {"staff_id": "S001", "start": date(2026, 12, 10), "end": date(2026, 12, 10), "requested_on": date(2026, 12, 9),
         "approved_by": "经理"},
        {"staff_id": "S002", "start": date(2026, 12, 10), "end": date(2026, 12, 12), "requested_on": date(2026, 12, 10),
         "approved_by": "经理"},
        {"staff_id": "S001", "start": date(2026, 12, 20), "end": date(2026, 12, 20), "requested_on": date(2026, 12, 1)},
    ]  # fmt: skip
    assert texts(check_leave(leave, STAFF)) == [
        "S002 李雷 2026-12-10 起的请假在 2026-12-10 才申请，应提前申请（A4）",
        "S001 王芳 2026-12-20 起的请假尚未审批（A4）",
    ]


def test_A1_A2_A3_deadlines_are_clocks() -> None:
    thursday = date(2026, 11, 26)
    assert hr_friday(thursday) == date(2026, 11, 27) and hr_friday(date(2026, 11, 27)) == date(2026, 11, 27)
    assert hr_friday(date(2026, 11, 28)) == date(2026, 12, 4)
    joiners = [{"staff_id": "S009", "start": date(2026, 11, 23)}, {"staff_id": "S010", "start": date(2026, 11, 30)}]
    assert [j["staff_id"] for j in weeks_joiners(joiners, date(2026, 11, 27))] == ["S009"]

    staff = STAFF[:2]
    roster = [row("S001", "2026-11"), row("S002", "2026-11")]
    attendance = [{"staff_id": s, "day": date(2026, 11, d)} for s in ("S001", "S002") for d in range(1, 23)]
    on_25 = {(d.rule, d.en): d for d in deadlines(date(2026, 11, 25), staff, roster, attendance, joiners)}
    a3 = on_25["A3", "2026-12 duty roster"]
    assert a3.due == date(2026, 11, 25) and a3.state(date(2026, 11, 25)) == "open"
    assert a3.state(date(2026, 11, 26)) == "overdue"  # the 25th is the last day
    done = deadlines(date(2026, 11, 26), staff, [*roster, row("S001"), row("S002")], attendance, joiners)
    assert next(d for d in done if d.rule == "A3").state(date(2026, 11, 26)) == "done"
    assert on_25["A2", "A组 attendance summary"].due == date(2026, 11, 23)
    assert on_25["A2", "A组 attendance summary"].done  # every rostered day to the 22nd is recorded
    centre = on_25["A2", "Whole-centre attendance summary"]
    assert centre.due == date(2026, 11, 24) and not centre.done  # the 23rd is missing
    assert not on_25["A1", "This week's joiners to HR"].done
    joiners[0]["sent_to_hr"] = date(2026, 11, 27)
    a1 = next(d for d in deadlines(date(2026, 11, 25), staff, roster, attendance, joiners) if d.rule == "A1")
    assert a1.done and a1.due == date(2026, 11, 27)


def test_A2_attendance_summary_per_shift_group_and_centre() -> None:
    attendance = [
        {"staff_id": "S001", "day": date(2026, 11, 2), "status": "出勤"},
        {"staff_id": "S001", "day": date(2026, 11, 3), "status": "迟到"},
        {"staff_id": "S003", "day": date(2026, 11, 3), "status": "请假"},
        {"staff_id": "S002", "day": date(2026, 10, 31), "status": "缺勤"},  # another month
    ]
    assert attendance_summary(STAFF, attendance, date(2026, 11, 1)) == [
        ["A组", 1, 1, 0, 0],
        ["常白班", 0, 0, 1, 0],
        ["全中心", 1, 1, 1, 0],
    ]


def test_A1_joiners_files_must_be_on_the_drive(tmp_path: Path) -> None:
    (tmp_path / "staff" / "S009").mkdir(parents=True)
    for name in ("form.pdf", "id.pdf", "diploma.pdf"):
        (tmp_path / "staff" / "S009" / name).write_bytes(b"%PDF")
    complete = {"staff_id": "S009", "start": date(2026, 11, 23), "entry_form": "staff/S009/form.pdf",
                "id_card": "staff/S009/id.pdf", "diplomas": ("staff/S009/diploma.pdf",)}  # fmt: skip
    assert joiner_problems([complete], tmp_path) == []
    missing = {**complete, "staff_id": "S010", "id_card": "staff/S010/id.pdf", "diplomas": ()}
    assert [p.text for p in joiner_problems([missing], tmp_path)] == [
        "S010：身份证 staff/S010/id.pdf 不在共享盘上（A1）",
        "S010：学历证书 （未填） 不在共享盘上（A1）",
    ]

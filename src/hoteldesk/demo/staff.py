"""The demo's 30 staff (员工), their duty roster (排班表, A3) and attendance (考勤, A2)."""

from __future__ import annotations

import calendar
import random
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from hoteldesk.demo.names import Person, people

# (department, role, how many, shift group): 30 people in all.
DEPARTMENTS: tuple[tuple[str, str, int, str], ...] = (
    ("预订部", "经理", 1, "常白班"),
    ("预订部", "领班", 2, "轮班"),
    ("预订部", "预订员", 9, "轮班"),
    ("确认部", "主管", 1, "常白班"),
    ("确认部", "确认员", 7, "轮班"),
    ("客服中心", "主管", 1, "常白班"),
    ("客服中心", "客服专员", 4, "轮班"),
    ("酒店资源部", "总监", 1, "常白班"),
    ("酒店资源部", "价格专员", 2, "常白班"),
    ("代收代付", "专员", 2, "常白班"),
)

#: Shift codes used in the roster and their hours (夜 runs past midnight).
SHIFTS: dict[str, tuple[time, time]] = {
    "早": (time(8, 0), time(16, 0)),
    "中": (time(12, 0), time(20, 0)),
    "晚": (time(16, 0), time(0, 0)),
    "夜": (time(0, 0), time(8, 0)),
    "白": (time(9, 0), time(18, 0)),
}
_ROTATION = ("早", "早", "中", "中", "晚", "休", "休")


@dataclass(frozen=True, slots=True)
class StaffMember:
    staff_id: str
    person: Person
    department: str
    role: str
    joined_on: date
    shift_group: str  # A组/B组/C组 for rotating shifts, 常白班 for office hours

    @property
    def name(self) -> str:
        return self.person.zh

    def record(self) -> dict[str, Any]:
        return {
            "staff_id": self.staff_id,
            "name": self.name,
            "department": self.department,
            "role": self.role,
            "joined_on": self.joined_on,
            "shift_group": self.shift_group,
        }


def make_staff(rng: random.Random, today: date) -> list[StaffMember]:
    total = sum(n for _, _, n, _ in DEPARTMENTS)
    folks = people(rng, total)
    out: list[StaffMember] = []
    groups = ("A组", "B组", "C组")
    for dept, role, n, kind in DEPARTMENTS:
        for _ in range(n):
            p = folks[len(out)]
            group = groups[len(out) % 3] if kind == "轮班" else "常白班"
            joined = today - timedelta(days=rng.randint(60, 3000))
            out.append(StaffMember(f"S{len(out) + 1:03d}", p, dept, role, joined, group))
    return out


def agents(staff: list[StaffMember]) -> list[StaffMember]:
    """Who takes bookings: the booking desk and its leads (B1, B2)."""
    return [s for s in staff if s.department == "预订部" and s.role != "经理"]


def shift_on(member: StaffMember, day: date) -> str:
    """The shift code of a member on a day: groups rotate a week apart; office staff work weekdays."""
    if member.shift_group == "常白班":
        return "白" if day.weekday() < 5 else "休"
    offset = {"A组": 0, "B组": 2, "C组": 4}[member.shift_group] + int(member.staff_id[1:])
    code = _ROTATION[(day.toordinal() + offset) % len(_ROTATION)]
    # One in five rotating staff covers the night desk in its week.
    if code == "晚" and int(member.staff_id[1:]) % 5 == 0:
        return "夜"
    return code


def roster_records(staff: list[StaffMember], today: date) -> list[dict[str, Any]]:
    """A3: this month's and next month's roster, one row per staff member per month."""
    out: list[dict[str, Any]] = []
    first = today.replace(day=1)
    nxt = (first + timedelta(days=32)).replace(day=1)
    for month in (first, nxt):
        days = calendar.monthrange(month.year, month.month)[1]
        for m in staff:
            rec: dict[str, Any] = {"month": f"{month:%Y-%m}", "staff_id": m.staff_id, "name": m.name}
            for d in range(1, days + 1):
                rec[f"d{d}"] = shift_on(m, month.replace(day=d))
            out.append(rec)
    return out


def attendance_records(rng: random.Random, staff: list[StaffMember], today: date) -> list[dict[str, Any]]:
    """A2: the last 14 days of clock-ins; a few late, on leave or absent."""
    out: list[dict[str, Any]] = []
    for back in range(14, 0, -1):
        day = today - timedelta(days=back)
        for m in staff:
            code = shift_on(m, day)
            if code == "休":
                continue
            start, end = SHIFTS[code]
            status = rng.choices(("出勤", "迟到", "请假", "缺勤"), weights=(92, 5, 2, 1))[0]
            rec: dict[str, Any] = {"day": day, "staff_id": m.staff_id, "shift": code, "status": status}
            if status in ("出勤", "迟到"):
                t_in = datetime.combine(day, start) + timedelta(
                    minutes=rng.randint(5, 40) if status == "迟到" else -rng.randint(0, 15)
                )
                end_day = day + timedelta(days=1) if end <= start else day
                t_out = datetime.combine(end_day, end) + timedelta(minutes=rng.randint(0, 25))
                rec["clock_in"], rec["clock_out"] = t_in, t_out
            out.append(rec)
    return out

"""Staff administration: the duty roster (A3), leave (A4), attendance (A2, P6), new joiners (A1).

Pure functions over the records of Rosters.xlsx (员工, 排班, 考勤) and StaffAdmin.xlsx (请假,
新员工档案), with the month or ``today`` passed in. A roster cell holds shift codes (早 中 晚 夜 白);
休 is a day off, 假 a day of leave, blank is not rostered.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

Record = Mapping[str, Any]
WORK_SHIFTS = ("早", "中", "晚", "夜", "白")
ROSTER_DUE_DAY = 25  # A3: next month's roster by the 25th
GROUP_ATTENDANCE_DUE_DAY = 23  # A2, P6: shift groups' attendance by the 23rd
CENTRE_ATTENDANCE_DUE_DAY = 24  # A2: the whole centre's by the 24th
HR_WEEKDAY = 4  # A1: Friday (Monday is 0)

MESSAGES: dict[str, tuple[str, str]] = {
    "missing": ("{who} 没有 {month} 的排班（A3）", "{who} has no roster for {month} (A3)"),
    "double": ("{who} {day} 排了两个班：{shifts}（A3）", "{who} is on two shifts on {day}: {shifts} (A3)"),
    "short": (
        "{day} {shift}班 只有 {n} 人，至少 {min} 人（A3）",
        "{day}: shift {shift} has {n} staff, at least {min} needed (A3)",
    ),
    "leave": (
        "{who} {day} 已批准请假，却排了 {shifts} 班（A3, A4）",
        "{who} has approved leave on {day} but is rostered for {shifts} (A3, A4)",
    ),
    "late_leave": (
        "{who} {start} 起的请假在 {asked} 才申请，应提前申请（A4）",
        "{who}: leave from {start} was requested only on {asked}; leave is requested in advance (A4)",
    ),
    "unapproved": ("{who} {start} 起的请假尚未审批（A4）", "{who}: leave from {start} is not approved yet (A4)"),
}


def _msg(key: str, locale: str, **values: Any) -> str:
    zh, en = MESSAGES[key]
    return (en if locale.startswith("en") else zh).format(**values)


def month_key(month: date) -> str:
    return f"{month.year:04d}-{month.month:02d}"


def month_days(month: date) -> list[date]:
    first = month.replace(day=1)
    return [first.replace(day=d) for d in range(1, calendar.monthrange(first.year, first.month)[1] + 1)]


def next_month(today: date) -> date:
    return (today.replace(day=1) + timedelta(days=32)).replace(day=1)


def shifts_in(cell: Any) -> list[str]:
    """The working shift codes typed in one roster cell ("早", "早/晚", "早 晚"); 休 and 假 are none."""
    return [c for c in str(cell or "") if c in WORK_SHIFTS]


@dataclass(frozen=True, slots=True)
class Problem:
    rule: str
    staff_id: str
    day: date | None
    text: str


def _who(staff: Mapping[str, Record], sid: str) -> str:
    name = str(staff.get(sid, {}).get("name") or "")
    return f"{sid} {name}".strip()


def _approved_leave(leave: Iterable[Record]) -> dict[str, list[tuple[date, date]]]:
    out: dict[str, list[tuple[date, date]]] = {}
    for r in leave:
        start, end = r.get("start"), r.get("end")
        if str(r.get("approved_by") or "").strip() and isinstance(start, date) and isinstance(end, date):
            out.setdefault(str(r.get("staff_id") or "").strip(), []).append((start, end))
    return out


def check_roster(
    month: date,
    staff: Sequence[Record],
    roster: Iterable[Record],
    leave: Iterable[Record] = (),
    minimum: Mapping[str, int] | None = None,
    locale: str = "zh-CN",
) -> list[Problem]:
    """A3: the month's roster — everyone rostered, no one on two shifts a day, at least ``minimum``
    staff on each shift each day, approved leave (A4) respected."""
    key, days = month_key(month), month_days(month)
    people = {str(s.get("staff_id") or "").strip(): s for s in staff if s.get("staff_id")}
    shifts: dict[tuple[str, date], list[str]] = {}
    rostered: set[str] = set()
    for row in roster:
        if str(row.get("month") or "").strip() != key:
            continue
        sid = str(row.get("staff_id") or "").strip()
        rostered.add(sid)
        for d in days:
            shifts.setdefault((sid, d), []).extend(shifts_in(row.get(f"d{d.day}")))
    out: list[Problem] = []
    for sid, s in sorted(people.items()):
        joined = s.get("joined_on")
        if sid not in rostered and not (isinstance(joined, date) and joined > days[-1]):
            out.append(Problem("A3", sid, None, _msg("missing", locale, who=_who(people, sid), month=key)))
    for (sid, d), codes in sorted(shifts.items()):
        if len(codes) > 1:
            text = _msg("double", locale, who=_who(people, sid), day=d, shifts="/".join(codes))
            out.append(Problem("A3", sid, d, text))
    for sid, spans in sorted(_approved_leave(leave).items()):
        for d in days:
            codes = shifts.get((sid, d), [])
            if codes and any(a <= d <= b for a, b in spans):
                text = _msg("leave", locale, who=_who(people, sid), day=d, shifts="/".join(codes))
                out.append(Problem("A3", sid, d, text))
    for d in days:
        for code, least in (minimum or {}).items():
            n = sum(1 for (_, day), codes in shifts.items() if day == d and code in codes)
            if n < least:
                out.append(Problem("A3", "", d, _msg("short", locale, day=d, shift=code, n=n, min=least)))
    return out


def check_leave(leave: Iterable[Record], staff: Sequence[Record], locale: str = "zh-CN") -> list[Problem]:
    """A4: leave is requested before its first day (a request on the day itself is late) and approved."""
    people = {str(s.get("staff_id") or "").strip(): s for s in staff if s.get("staff_id")}
    out = []
    for r in leave:
        sid, start, asked = str(r.get("staff_id") or "").strip(), r.get("start"), r.get("requested_on")
        if not sid or not isinstance(start, date):
            continue
        if isinstance(asked, date) and asked >= start:
            out.append(
                Problem("A4", sid, start, _msg("late_leave", locale, who=_who(people, sid), start=start, asked=asked))
            )
        if not str(r.get("approved_by") or "").strip():
            out.append(Problem("A4", sid, start, _msg("unapproved", locale, who=_who(people, sid), start=start)))
    return out


# -- deadlines (each a clock on the Dashboard) --------------------------------------------------


@dataclass(frozen=True, slots=True)
class Deadline:
    rule: str
    zh: str
    en: str
    due: date
    done: bool

    def state(self, today: date) -> str:
        return "done" if self.done else "overdue" if today > self.due else "open"

    def title(self, locale: str) -> str:
        return self.en if locale.startswith("en") else self.zh


def hr_friday(today: date) -> date:
    """A1: the Friday the week's joiners go to HR — this week's (today when it is Friday)."""
    return today + timedelta(days=(HR_WEEKDAY - today.weekday()) % 7)


def weeks_joiners(joiners: Iterable[Record], friday: date) -> list[Record]:
    """A1: joiners starting in the Monday-to-Sunday week of ``friday``."""
    monday = friday - timedelta(days=HR_WEEKDAY)
    return [j for j in joiners if isinstance(j.get("start"), date) and monday <= j["start"] <= monday + timedelta(6)]


def attendance_complete(
    staff: Sequence[Record],
    roster: Iterable[Record],
    attendance: Iterable[Record],
    month: date,
    upto: date,
    group: str = "",
) -> bool:
    """A2: every rostered working day from the 1st to ``upto`` has an attendance record (of ``group``, or everyone)."""
    members = {str(s.get("staff_id") or "").strip() for s in staff if not group or s.get("shift_group") == group}
    seen = {(str(a.get("staff_id") or "").strip(), a.get("day")) for a in attendance}
    key = month_key(month)
    for row in roster:
        sid = str(row.get("staff_id") or "").strip()
        if str(row.get("month") or "").strip() != key or sid not in members:
            continue
        for d in month_days(month):
            if d <= upto and shifts_in(row.get(f"d{d.day}")) and (sid, d) not in seen:
                return False
    return True


def deadlines(
    today: date,
    staff: Sequence[Record],
    roster: Sequence[Record],
    attendance: Sequence[Record],
    joiners: Sequence[Record],
    leave: Sequence[Record] = (),
    minimum: Mapping[str, int] | None = None,
) -> list[Deadline]:
    """A1 A2 A3: this week's joiners to HR (Friday), attendance by the 23rd (groups) and 24th (centre),
    next month's roster by the 25th — each with its due date and whether it is done."""
    friday = hr_friday(today)
    week = weeks_joiners(joiners, friday)
    month = today.replace(day=1)
    group_due, centre_due = month.replace(day=GROUP_ATTENDANCE_DUE_DAY), month.replace(day=CENTRE_ATTENDANCE_DUE_DAY)
    groups = sorted({str(s.get("shift_group")) for s in staff if s.get("shift_group")})
    out = [
        Deadline(
            "A1", "本周新员工名单报人事", "This week's joiners to HR", friday, all(j.get("sent_to_hr") for j in week)
        )
    ]
    for g in groups:
        done = attendance_complete(staff, roster, attendance, month, group_due - timedelta(1), g)
        out.append(Deadline("A2", f"{g} 考勤汇总", f"{g} attendance summary", group_due, done))
    done = attendance_complete(staff, roster, attendance, month, centre_due - timedelta(1))
    out.append(Deadline("A2", "全中心考勤汇总", "Whole-centre attendance summary", centre_due, done))
    nxt = next_month(today)
    complete = not check_roster(nxt, staff, roster, leave, minimum)
    has_rows = any(str(r.get("month") or "").strip() == month_key(nxt) for r in roster)
    label = month_key(nxt)
    out.append(
        Deadline(
            "A3", f"{label} 排班表", f"{label} duty roster", month.replace(day=ROSTER_DUE_DAY), complete and has_rows
        )
    )
    return out


# -- A2 attendance summary, A1 joiners' records ------------------------------------------------

ATTENDANCE_STATES = ("出勤", "迟到", "请假", "缺勤")


def attendance_summary(staff: Sequence[Record], attendance: Iterable[Record], month: date) -> list[list[Any]]:
    """A2, P6: per shift group, then the whole centre (全中心): days present, late, on leave, absent."""
    group = {str(s.get("staff_id") or "").strip(): str(s.get("shift_group") or "-") for s in staff}
    counts: dict[str, list[int]] = {}
    for a in attendance:
        day, state = a.get("day"), str(a.get("status") or "")
        if not isinstance(day, date) or (day.year, day.month) != (month.year, month.month):
            continue
        if state not in ATTENDANCE_STATES:
            continue
        g = group.get(str(a.get("staff_id") or "").strip(), "-")
        counts.setdefault(g, [0, 0, 0, 0])[ATTENDANCE_STATES.index(state)] += 1
    rows: list[list[Any]] = [[g, *c] for g, c in sorted(counts.items())]
    rows.append(["全中心", *(sum(c[i] for c in counts.values()) for i in range(4))])
    return rows


def joiner_problems(joiners: Iterable[Record], root: Any, locale: str = "zh-CN") -> list[Problem]:
    """A1: each joiner's entry form, ID card and diplomas are files on the drive (paths relative to it)."""
    out = []
    en = locale.startswith("en")
    for j in joiners:
        sid = str(j.get("staff_id") or "").strip()
        diplomas = j.get("diplomas") or ()
        wanted = [("入职登记表", "entry form", j.get("entry_form")), ("身份证", "ID card", j.get("id_card"))]
        wanted += [
            ("学历证书", "diploma", d) for d in (diplomas if isinstance(diplomas, tuple | list) else (diplomas,))
        ]
        if not diplomas:
            wanted.append(("学历证书", "diploma", None))
        for zh, en_label, rel in wanted:
            if not rel or not (root / str(rel)).is_file():
                what = f"{en_label} {rel or '(none)'}" if en else f"{zh} {rel or '（未填）'}"
                text = f"{sid}: {what} is not on the drive (A1)" if en else f"{sid}：{what} 不在共享盘上（A1）"
                out.append(Problem("A1", sid, j.get("start") if isinstance(j.get("start"), date) else None, text))
    return out

"""The command line: the only place that prints, exits, or wires adapters to automations."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from hoteldesk import __version__
from hoteldesk.domain.summaries import say, write_state
from hoteldesk.errors import HoteldeskError

Handler = Callable[[argparse.Namespace], int]


def _out(text: str = "") -> None:
    print(text, flush=True)


def _err(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


def _drive(text: str) -> Path:
    """DRIVE as typed, made absolute once here, so every part means the same folder (issue 8 §8)."""
    from hoteldesk.drive import resolve_drive

    return resolve_drive(text)


# -- init ---------------------------------------------------------------------------------


def cmd_init(args: argparse.Namespace) -> int:
    from hoteldesk.drive import init_drive

    drive = _drive(args.drive)
    report = init_drive(drive, locale=args.locale)
    for p in report.created:
        _out(f"  created  {p}")
    for p in report.kept:
        _out(f"  kept     {p}  (already there, not touched)")
    _out(
        f"Drive ready: {drive.resolve()} — {len(report.created)} created, {len(report.kept)} kept. "
        f"Open {drive / 'workbooks' / 'Bookings.xlsx'} to start."
    )
    return 0


# -- check --------------------------------------------------------------------------------


def cmd_check(args: argparse.Namespace) -> int:
    from hoteldesk.workbooks.check import check_drive

    drive = _drive(args.drive)
    result = check_drive(drive, skip=("orders",))  # the orders' cells are judged with the orders below
    for line in result.lines():
        _out(line)
    rows, errors = ([], False) if result.errors else _order_rule_lines(drive, args.today)
    for line in rows:
        _out(line)
    n = {"files": result.files, "rows": result.rows, "cells": len(result.problems), "bad": len(result.errors)}
    _out(say("check_total", _locale(drive), **n, orders=len(rows)))  # QA stop 7 §9: the drive's locale
    return 1 if result.errors or errors else 0


def _locale(drive: Path) -> str:
    """The drive's locale for what a command prints (zh-CN when hoteldesk.toml cannot be read)."""
    from hoteldesk.config import load_config

    try:
        return load_config(drive).locale
    except HoteldeskError:
        return "zh-CN"


def _order_rule_lines(drive: Path, today: str | None = None) -> tuple[list[str], bool]:
    """Every order judged exactly as `run` judges it (issue 8 §2); True when an error stands."""
    from datetime import date, datetime

    from hoteldesk.automations.context import open_context
    from hoteldesk.automations.order_check import any_error, order_findings
    from hoteldesk.config import load_config

    clock = None
    if today:  # judge the drive as of that day (9:00 in the drive's zone)
        at = datetime.combine(date.fromisoformat(today), datetime.min.time()).replace(
            hour=9, tzinfo=load_config(drive).tz
        )
        clock = lambda: at  # noqa: E731
    with open_context(drive, clock) as ctx:
        found = order_findings(ctx)
        locale = ctx.config.locale
    lines = [
        say("check_row", locale, row=r.row, order_no=r.order_no or say("no_number", locale), text=r.text(locale))
        for r in found
    ]
    lines = [line.replace(chr(10), " · ") for line in lines]
    return lines, any_error(found)


# -- doctor -------------------------------------------------------------------------------


def cmd_doctor(args: argparse.Namespace) -> int:
    from hoteldesk.doctor import diagnose, summary

    findings = diagnose(_drive(args.drive) if args.drive else None)
    bad = 0
    for f in findings:
        mark = "ok " if f.ok else ("--" if f.optional else "MISSING")
        _out(f"  [{mark}] {f.what}: {f.detail}")
        if not f.ok:
            bad += 0 if f.optional else 1
            if f.fix:
                _out(f"           fix: {f.fix}")
    _out(summary(findings))  # QA stop 7 §10: an optional line not available (SMTP) is counted too
    return 1 if bad else 0


# -- demo ---------------------------------------------------------------------------------


def cmd_demo(args: argparse.Namespace) -> int:
    from hoteldesk.demo.run import run_demo

    summary = run_demo(_drive(args.dir), seed=args.seed, orders=args.orders, progress=not args.quiet)
    for line in summary:
        _out(line)
    return 0


# -- run (the daemon) ------------------------------------------------------------------------


def cmd_run(args: argparse.Namespace) -> int:
    from hoteldesk.loop.daemon import run_daemon, run_once

    drive = _drive(args.drive)
    if args.once:  # the exit status tells a scheduler or a script whether the pass went through
        result = run_once(drive)
        for line in result.lines:
            _out(line)
        if result.failed:
            _err(f"hoteldesk: the pass did not go through ({', '.join(result.failed)}); see the lines above")
            return 1
        return 0
    for line in run_daemon(drive, once=False):
        _out(line)
    return 0


# -- journal ------------------------------------------------------------------------------


def cmd_journal(args: argparse.Namespace) -> int:
    from hoteldesk.automations.rebuild import rebuild_journal

    if args.action == "migrate":
        return _journal_migrate(args)
    _sqlite_only(_drive(args.drive))
    report = rebuild_journal(_drive(args.drive))
    for line in report.lines():
        _out(line)
    return 0


def _sqlite_only(drive: Path) -> None:
    """journal rebuild works on the SQLite file; a PostgreSQL journal is restored with its server's backups."""
    from hoteldesk.config import load_config

    if load_config(drive).raw.get("journal", {}).get("url"):
        raise HoteldeskError(
            "journal rebuild: this drive's journal is in PostgreSQL ([journal] url); restore it from the "
            "database's backups (pg_dump / base backup), or remove [journal] url to rebuild a local SQLite journal"
        )


def _journal_migrate(args: argparse.Namespace) -> int:
    """issue 16: copy the drive's SQLite journal into PostgreSQL (verified), then say what to set."""
    from hoteldesk.config import load_config
    from hoteldesk.journal import Journal
    from hoteldesk.journal_copy import copy_journal
    from hoteldesk.journal_target import JournalTarget, check_url, drive_id

    if args.source != "sqlite" or not args.to:
        raise HoteldeskError("journal migrate: give --from sqlite --to postgresql://USER@HOST:PORT/DATABASE")
    drive = _drive(args.drive)
    config = load_config(drive)
    url = check_url(args.to, "--to")
    target = JournalTarget(config.journal_path, drive_id(config.raw, drive), url)
    if not config.journal_path.is_file():
        raise HoteldeskError(f"{config.journal_path}: no SQLite journal to migrate (check state_dir)")
    with Journal(config.journal_path, verify=True) as source, Journal(config.journal_path, target=target) as dest:
        report = copy_journal(source, dest, force=args.force)
    _out(report.line() + f'; now set [journal] url = "{url}" in {drive / "hoteldesk.toml"}')
    return 0


# -- mail ---------------------------------------------------------------------------------


def _journal_refusal(drive: Path) -> str | None:
    """Why a command that acts must not run on this journal (lost, emptied or older: issue 8 §8), or None."""
    from hoteldesk.automations.context import open_context
    from hoteldesk.automations.preflight import journal_behind

    with open_context(drive) as ctx:
        return journal_behind(ctx)


def cmd_mail(args: argparse.Namespace) -> int:
    from hoteldesk.inbox_watchers.commands import mail_command

    if args.action in ("pull", "retry"):  # applying replies on a journal that lost them applies them twice
        why = _journal_refusal(_drive(args.drive))
        if why is not None:
            _err(f"hoteldesk: {why}")
            return 1
    lines = mail_command(_drive(args.drive), args.action)
    for line in lines:
        _out(line)
    return 1 if lines and lines[-1].endswith("need attention.") else 0


# -- outbox -------------------------------------------------------------------------------


def cmd_outbox(args: argparse.Namespace) -> int:
    import getpass

    from hoteldesk.automations.context import open_context
    from hoteldesk.documents import jobs
    from hoteldesk.domain.joblabels import state_label

    with open_context(_drive(args.drive)) as ctx:
        if args.action == "retry":
            if not args.job:
                _err("hoteldesk: name the job to send again: hoteldesk outbox retry DRIVE JOB_ID (see `outbox list`)")
                return 2
            for job_id in args.job:
                try:
                    job = jobs.retry(ctx.journal, job_id, at=ctx.now(), who=getpass.getuser())
                except KeyError:
                    _err(
                        f"hoteldesk: there is no outbox job #{job_id}; `hoteldesk outbox list {args.drive}` shows them"
                    )
                    return 1
                _out(say("job_back", ctx.locale, key=job.key, state=state_label(job.state, ctx.locale)))
            return 0
        failed = jobs.failed_jobs(ctx.journal)
        for job in failed:
            state = state_label(job.state, ctx.locale)
            _out(
                say(
                    "job_line",
                    ctx.locale,
                    id=job.id,
                    key=job.key,
                    state=state,
                    attempts=job.attempts,
                    error=job.error or "",
                ).rstrip()
            )
        calls = jobs.open_call_tasks(ctx.journal)
        for task in calls:
            _out(say("call_line", ctx.locale, phone=task.phone, order_no=task.order_no, text=task.text))
        from hoteldesk.automations.holds import held_orders

        for order_no, why in sorted(held_orders(ctx.journal, ctx.locale).items()):  # issue 8 §2: held, with why
            _out(say("held_line", ctx.locale, order_no=order_no, why=why))
        from hoteldesk.automations.holds import deleted_rows

        gone = deleted_rows(ctx.journal)  # tester #6: a deleted row's slip waits in queued/rendered, listed here
        for job in jobs.jobs_in(ctx.journal, "queued", "rendered"):
            if job.order_no in gone:
                state, error = state_label(job.state, ctx.locale), job.error or ""
                _out(say("deleted_job_line", ctx.locale, id=job.id, key=job.key, state=state, error=error).rstrip())
        _out(say("outbox_total", ctx.locale, failed=len(failed), calls=len(calls)))
        from hoteldesk.automations.queues import queue_lines  # the Dashboard's figures, from the same model

        for line in queue_lines(ctx):
            _out(line)
    return 0


# -- writebacks ---------------------------------------------------------------------------


def cmd_writebacks(args: argparse.Namespace) -> int:
    from hoteldesk.automations.context import open_context
    from hoteldesk.workbooks.failed import failed_writes, requeue

    with open_context(Path(args.drive)) as ctx:
        if args.action == "retry":
            ids = [w.id for w in failed_writes(ctx.journal, conflicts=False)]
            n = requeue(ctx.journal, ids, ctx.now())
            _out(say("writes_requeued", ctx.locale, n=n))
            return 0
        waiting = ctx.journal.pending_writes()
        for pw in waiting:
            where = {"id": pw.id, "workbook": pw.workbook, "row_id": pw.row_id, "field": pw.field}
            _out(say("write_waiting", ctx.locale, **where, value=repr(pw.value)))
        shown = failed_writes(ctx.journal)
        for w in shown:
            where = {"id": w.id, "workbook": w.workbook, "row_id": w.row_id, "field": w.field, "value": w.value}
            _out(say("write_line", ctx.locale, status=write_state(w.status, ctx.locale), **where, error=w.error))
        failed = sum(w.status == "failed" for w in shown)
        _out(say("writes_total", ctx.locale, waiting=len(waiting), failed=failed, conflicts=len(shown) - failed))
        return 1 if failed else 0


# -- report -------------------------------------------------------------------------------


def cmd_report(args: argparse.Namespace) -> int:
    from hoteldesk.documents.report_command import report_command

    if args.offices or args.all_offices:  # issue 16 §3: one report over several offices' drives
        from hoteldesk.documents.office_report import offices_report_command

        others = [_drive(d) for d in args.offices or []]
        drive = _drive(args.drive)
        for line in offices_report_command(drive, args.period, args.date, args.period_name, others, args.all_offices):
            _out(line)
        return 0
    bar = sys.stderr.isatty()  # the progress bar only on a terminal
    for line in report_command(_drive(args.drive), args.period, args.date, args.period_name, bar=bar):
        _out(line)
    return 0


# -- templates ----------------------------------------------------------------------------


def cmd_templates(args: argparse.Namespace) -> int:
    from hoteldesk.documents.lint import lint_templates

    problems = lint_templates(_drive(args.drive) if args.drive else None)
    for p in problems:
        _out(f"  {p}")
    _out(f"{len(problems)} problem(s) in the templates" if problems else "All templates are fine.")
    return 1 if problems else 0


def cmd_status(args: argparse.Namespace) -> int:
    """Issue 16 §2: who leads the drive, since when, the last heartbeat, who stands by; exit 1 if nobody leads."""
    from hoteldesk.loop.leader_status import drive_status

    status = drive_status(_drive(args.drive))
    for line in status.lines:
        _out(line)
    return 0 if status.leading else 1


# -- parser -------------------------------------------------------------------------------


def _add_setup_commands(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """init and demo: a drive to work on."""
    s = sub.add_parser(
        "init",
        help="create a drive: folders, workbooks, templates, hoteldesk.toml",
        description="Create a drive (or add what an existing one lacks). Never overwrites a file.",
    )
    s.add_argument("drive", metavar="DRIVE", help="folder of the shared drive")
    s.add_argument("--locale", choices=["zh-CN", "en"], default="zh-CN", help="language of headers and documents")
    s.set_defaults(func=cmd_init)

    s = sub.add_parser(
        "demo",
        help="build a realistic drive with months of data and run one full pass",
        description="Build a demo drive (hotels, 3,000+ orders, room grid, roster), run one pass "
        "of the automations, and print what to open.",
    )
    s.add_argument(
        "dir", metavar="DIR", nargs="?", default="demo-drive", help="where to build it (default: demo-drive)"
    )
    s.add_argument("--seed", type=int, default=7, help="same seed, same drive")
    s.add_argument("--orders", type=int, default=3200, help="how many orders to generate")
    s.add_argument("--quiet", action="store_true", help="no progress bars")
    s.set_defaults(func=cmd_demo)


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="hoteldesk",
        description="Back-office automation for a hotel reservation centre: watches the shared "
        "workbooks, sends the fax slips, reads the hotels' replies, writes the reports.",
    )
    p.add_argument("--version", action="version", version=f"hoteldesk {__version__}")
    sub = p.add_subparsers(dest="command", metavar="COMMAND", required=True)

    _add_setup_commands(sub)

    s = sub.add_parser(
        "run",
        help="the daemon: watch workbooks, mailroom, outbox and clocks",
        description="Watch the drive and act on every save and every reply. Stop with Ctrl+C.",
    )
    s.add_argument("drive", metavar="DRIVE")
    s.add_argument("--once", action="store_true", help="do one full pass and exit")
    s.set_defaults(func=cmd_run)

    s = sub.add_parser(
        "status",
        help="which watcher leads the drive, since when, and who stands by",
        description="Show the watcher that leads the drive (holder, since, last heartbeat) and the standbys "
        "(issue 16). Exit status 1 when no watcher leads.",
    )
    s.add_argument("drive", metavar="DRIVE")
    s.set_defaults(func=cmd_status)

    s = sub.add_parser(
        "journal",
        help="rebuild the journal from what the drive shows was sent, or move it to PostgreSQL",
        description="rebuild: the journal was lost, emptied or replaced by an older copy; rebuild it from the "
        "outbox folders, documents/, replies/ and the workbooks' statuses, so nothing already sent goes again. "
        "The old journal is kept next to it. "
        "migrate: copy this drive's journal (the SQLite file in state_dir) into a PostgreSQL database, into "
        "the drive's own schema hd_<[drive] id>, and check every table arrived whole (rows and checksums). "
        "Stop the watcher first. The password comes from HOTELDESK_JOURNAL_PASSWORD (never put it in the URL). "
        "Afterwards set [journal] url in hoteldesk.toml; the SQLite file is left as it was.",
    )
    s.add_argument("action", choices=["rebuild", "migrate"])
    s.add_argument("drive", metavar="DRIVE")
    s.add_argument("--from", dest="source", choices=["sqlite"], default="sqlite", help="migrate: from the SQLite file")
    s.add_argument("--to", metavar="postgresql://USER@HOST:PORT/DB", help="migrate: the PostgreSQL database")
    s.add_argument("--force", action="store_true", help="migrate: replace a journal already in the target")
    s.set_defaults(func=cmd_journal)

    _add_desk_commands(sub)
    _add_upkeep_commands(sub)
    return p


def _add_desk_commands(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """What staff run day to day on a drive: check, mail, outbox, report."""
    s = sub.add_parser(
        "check",
        help="check every workbook and print the problems; changes nothing",
        description="Read every workbook of the drive and list each problem with file, sheet, "
        "row and column. Nothing is written.",
    )
    s.add_argument("drive", metavar="DRIVE")
    s.add_argument("--today", metavar="YYYY-MM-DD", help="judge the orders as of this day (default: today)")
    s.set_defaults(func=cmd_check)

    s = sub.add_parser(
        "mail",
        help="mail accounts: test them, fetch now, retry failures",
        description="test: check each mail account; pull: fetch and apply replies now; "
        "retry: process failed messages again.",
    )
    s.add_argument("action", choices=["test", "pull", "retry"])
    s.add_argument("drive", metavar="DRIVE")
    s.set_defaults(func=cmd_mail)

    s = sub.add_parser(
        "outbox",
        help="faxes and letters that need a person: list them, send one again",
        description="list: failed or lost fax jobs and customer calls to make; retry JOB_ID…: send those jobs again.",
    )
    s.add_argument("action", choices=["list", "retry"])
    s.add_argument("drive", metavar="DRIVE")
    s.add_argument("job", metavar="JOB_ID", nargs="*", type=int, help="job numbers from `outbox list`")
    s.set_defaults(func=cmd_outbox)

    s = sub.add_parser(
        "report",
        help="write a Word report for managers",
        description="Write the daily (weekly, monthly) operations report as .docx, .pdf and .xlsx. The weekly "
        "report covers the last complete ISO week (Mon–Sun) before --date, the monthly one the last complete month.",
    )
    s.add_argument("period", choices=["daily", "weekly", "monthly"])
    s.add_argument("drive", metavar="DRIVE")
    s.add_argument("--date", help="report as of this day, YYYY-MM-DD (default: today)")
    s.add_argument(
        "--period", dest="period_name", metavar="P", help="this period instead: 2026-11-26, 2026-W48 or 2026-11"
    )
    s.add_argument(
        "--offices",
        nargs="+",
        metavar="OTHER_DRIVE",
        help="one report over DRIVE and these offices' drives",
    )
    s.add_argument("--all-offices", action="store_true", help="one report over DRIVE and its [drive] offices")
    s.set_defaults(func=cmd_report)


def _add_upkeep_commands(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Looking after a drive: templates, writebacks, doctor."""
    s = sub.add_parser(
        "templates",
        help="check the Word templates for unknown or misspelt fields",
        description="Lint every template: undeclared or misspelt variables, missing required fields.",
    )
    s.add_argument("action", choices=["check"])
    s.add_argument("drive", metavar="DRIVE", nargs="?", help="the drive (default: the built-in templates)")
    s.set_defaults(func=cmd_templates)

    s = sub.add_parser(
        "writebacks",
        help="the cell write-backs that wait, failed or met a staff edit; retry the failed ones",
        description="List the write-backs still waiting, failed (with why) or in conflict; `retry` queues "
        "the failed ones again.",
    )
    s.add_argument("action", choices=["list", "retry"])
    s.add_argument("drive", metavar="DRIVE")
    s.set_defaults(func=cmd_writebacks)

    s = sub.add_parser(
        "doctor",
        help="what is installed and reachable, and how to fix what is not",
        description="Check LibreOffice, Ghostscript, fonts, mail and fax settings, the journal.",
    )
    s.add_argument("drive", metavar="DRIVE", nargs="?")
    s.set_defaults(func=cmd_doctor)


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    func: Handler = args.func
    try:
        return func(args)
    except HoteldeskError as exc:
        _err(f"hoteldesk: {exc}")
        return 1
    except KeyboardInterrupt:
        _err("hoteldesk: stopped")
        return 130
    except BrokenPipeError:  # `hoteldesk outbox list DRIVE | head`: the reader has what it wanted
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())  # so that Python's own flush at exit does not complain
        return 0

"""``hoteldesk mail test|pull|retry DRIVE``: check the accounts, fetch now, retry failed messages."""

from __future__ import annotations

from pathlib import Path

from hoteldesk.automations.context import open_context
from hoteldesk.errors import ConfigError, HoteldeskError
from hoteldesk.inbox_watchers import ledger
from hoteldesk.inbox_watchers.mailroom import process_mail, retry_failed
from hoteldesk.inbox_watchers.sources import account_name, open_source

ACTIONS = ("test", "pull", "retry")


def check_accounts(drive: Path) -> list[str]:
    """Each account: reachable, certificate and host verified, login accepted, folders readable — or what is wrong."""
    lines: list[str] = []
    with open_context(drive) as ctx:
        inbox = ctx.layout.mail_inbox
        waiting = len([p for p in inbox.iterdir() if p.suffix.lower() in (".eml", ".msg")]) if inbox.is_dir() else 0
        lines.append(
            f"dropfolder: {inbox} {'is ready' if inbox.is_dir() else 'is MISSING — run hoteldesk init'}"
            f" ({waiting} file(s) waiting)"
        )
        bad = 0 if inbox.is_dir() else 1
        if not ctx.config.mail_accounts:
            lines.append("No [[mail.accounts]] in hoteldesk.toml: only the drop folder is read.")
        for i, account in enumerate(ctx.config.mail_accounts):
            name = account_name(account, i)
            try:
                source = open_source(ctx.config, ctx.layout, account, i)
            except ConfigError as exc:
                lines.append(f"{name}: WRONG — {str(exc).removeprefix(f'{name}: ')}")
                bad += 1
                continue
            try:
                check = getattr(source, "check", None)
                if check is None:
                    n = sum(1 for _ in source.fetch())
                    lines.append(f"{name}: readable, {n} message(s) to read")
                else:
                    lines.extend(check())
            except HoteldeskError as exc:
                text = str(exc).removeprefix(f"{name}: ")
                lines.append(f"{name}: WRONG — {text}")
                if "no password" in text:
                    lines.append(f"{name}:   or run: keyring set hoteldesk {name}")
                bad += 1
            finally:
                source.close()
        counts = ledger.counts(ctx.journal)
        if counts.get("failed"):
            lines.append(f"{counts['failed']} failed message(s) in the ledger: run `hoteldesk mail retry {drive}`")
    lines.append("All mail sources work." if not bad else f"{bad} mail source(s) need attention.")
    return lines


def mail_command(drive: Path, action: str) -> list[str]:
    if action not in ACTIONS:
        raise ConfigError(f"hoteldesk mail {action}: unknown action; use one of {', '.join(ACTIONS)}")
    if action == "test":
        return check_accounts(drive)
    with open_context(drive) as ctx:
        if action == "pull":
            return process_mail(ctx)
        lines = retry_failed(ctx)
        still = ledger.counts(ctx.journal).get("failed", 0)
        if still:  # issue 10 §9: cli.py exits 1 on a last line ending "need attention."
            lines.append(f"{still} message(s) still failed and need attention.")
        return lines

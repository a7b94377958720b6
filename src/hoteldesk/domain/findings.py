"""Findings: what a check found wrong with an order (问题), with its rule id and severity.

A finding is shown in the order's 问题 column, one line each, e.g.
``[H2 警告] 利润率 6.5% 低于 10%`` (zh-CN) or ``[H2 warning] margin 6.5% below 10%`` (en).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

Severity = Literal["error", "warning"]

_SEVERITY = {
    ("error", "zh"): "错误",
    ("warning", "zh"): "警告",
    ("error", "en"): "error",
    ("warning", "en"): "warning",
}


@dataclass(frozen=True, slots=True)
class Finding:
    """One problem with an order: the business rule broken (B3, H2, …), how bad, and what to do."""

    rule: str
    severity: Severity
    message: str
    approved_by: str = ""  # a warning a supervisor approved in 审批人 (B9, H2, B2)

    def line(self, locale: str = "zh-CN") -> str:
        lang = "en" if locale.startswith("en") else "zh"
        head = f"{self.rule} {_SEVERITY[self.severity, lang]}"
        if self.approved_by:
            head += f"·approved by {self.approved_by}" if lang == "en" else f"·已审批 {self.approved_by}"
        return f"[{head}] {self.message}"

    @property
    def needs_approval(self) -> bool:
        """A warning that holds the slip until a supervisor fills 审批人 (issue 8 §2)."""
        return self.severity == "warning" and self.rule in APPROVAL_RULES and not self.approved_by


#: Warnings that hold the slip until approved: B9 special price, H2 thin margin, B2 likely duplicate.
APPROVAL_RULES = frozenset({"B9", "H2", "B2"})


def format_problems(findings: Iterable[Finding], locale: str = "zh-CN") -> str:
    """The text for the 问题 column: one line per finding, errors first, in the drive's locale."""
    ordered = sorted(findings, key=lambda f: 0 if f.severity == "error" else 1)
    return "\n".join(f.line(locale) for f in ordered)


def has_errors(findings: Iterable[Finding]) -> bool:
    """True when any finding is an error (the order must not be sent to the hotel)."""
    return any(f.severity == "error" for f in findings)


def approve(findings: Iterable[Finding], who: str) -> list[Finding]:
    """The findings with every warning that needs approval marked approved by ``who`` (blank: unchanged)."""
    who = who.strip()
    if not who:
        return list(findings)
    return [Finding(f.rule, f.severity, f.message, who) if f.needs_approval else f for f in findings]


def awaiting_approval(findings: Iterable[Finding]) -> list[Finding]:
    """The warnings still waiting for a supervisor's 审批人."""
    return [f for f in findings if f.needs_approval]


def is_error_line(line: str) -> bool:
    """True for a 问题 line that :func:`format_problems` wrote for an error (either locale)."""
    head = line.strip().split("]", 1)[0]
    return head.startswith("[") and (head.endswith(" 错误") or head.endswith(" error"))

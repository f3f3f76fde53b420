"""Consistency rules of a form (a total equals the sum of its detail lines), as warnings.

Owns turning `form.rules` into Findings; never rejects a report and never changes values.
"""

from __future__ import annotations

from mailbot.forms import Form
from mailbot.parsing.model import Finding, Values

__all__ = ["check_rules"]


def _get(values: Values, ref: str) -> int | None:
    code, _, slot = ref.rpartition(".")
    value = values.get(code, {}).get(slot)
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def check_rules(form: Form, values: Values) -> list[Finding]:
    """One Finding per breached rule; a rule runs only when its target and a part are given."""
    findings: list[Finding] = []
    for rule in form.rules:
        target = _get(values, rule.target)
        parts = [v for ref in rule.sum_of if (v := _get(values, ref)) is not None]
        if target is None or not parts:
            continue
        total = sum(parts)
        if total != target:
            code = rule.target.rpartition(".")[0]
            findings.append(Finding(code, rule.message.format(target=target, total=total)))
    return findings

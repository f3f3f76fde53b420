"""The worksheet functions the formula evaluator supports, and Excel's value coercions.

Owns what SUM, ROUND, AVERAGE… compute from their evaluated arguments and how a cell value
becomes a number or text the way Excel coerces it. Pure: no I/O; unsupported argument
shapes raise FormulaError.
"""

from __future__ import annotations

import math
from collections.abc import Callable

from mailbot.errors import FormulaError


def scalar(value: object) -> object:
    """The one value of a single-cell range; a larger range is #VALUE! where one is needed."""
    if isinstance(value, list):
        if len(value) != 1:
            raise FormulaError("#VALUE! (range used as a single value)")
        return value[0]
    return value


def to_number(value: object) -> float:
    """A value as Excel's arithmetic sees it: blank is 0, TRUE is 1, numeric text its number."""
    value = scalar(value)
    if value is None or value == "":
        return 0.0
    if isinstance(value, bool):
        return float(value)
    if isinstance(value, int | float):
        return float(value)
    if isinstance(value, str):
        try:
            return float(value.strip().replace(",", ""))
        except ValueError:
            raise FormulaError("#VALUE! (text in arithmetic)") from None
    raise FormulaError("#VALUE!")


def to_text(value: object) -> str:
    """A value as Excel shows it in text: blank is "", 3.0 is "3", TRUE is "TRUE"."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    return str(value)


def _numbers(args: list[object]) -> list[float]:
    """Numbers among the arguments the way SUM sees them: text and blanks inside ranges skipped."""
    out: list[float] = []
    for arg in args:
        if isinstance(arg, list):
            out.extend(
                float(v) for v in arg if isinstance(v, int | float) and not isinstance(v, bool)
            )
        else:
            out.append(to_number(arg))
    return out


def _flat(args: list[object]) -> list[object]:
    return [v for a in args for v in (a if isinstance(a, list) else [a])]


def _round(args: list[object], mode: str) -> float:
    if not 1 <= len(args) <= 2:
        raise FormulaError("ROUND takes 1 or 2 arguments")
    x, digits = to_number(args[0]), int(to_number(args[1])) if len(args) == 2 else 0
    scale = 10.0**digits
    if mode == "up":
        return math.copysign(math.ceil(abs(x) * scale - 1e-9) / scale, x)
    if mode == "down":
        return math.copysign(math.floor(abs(x) * scale + 1e-9) / scale, x)
    # Excel rounds halves away from zero, unlike Python's round().
    return math.copysign(math.floor(abs(x) * scale + 0.5 + 1e-9) / scale, x)


def _average(args: list[object]) -> float:
    nums = _numbers(args)
    if not nums:
        raise FormulaError("#DIV/0!")
    return sum(nums) / len(nums)


def _product(args: list[object]) -> float:
    return math.prod(_numbers(args)) if _numbers(args) else 0.0


def _int(args: list[object]) -> float:
    if len(args) != 1:
        raise FormulaError("INT takes 1 argument")
    return float(math.floor(to_number(args[0])))


def _abs(args: list[object]) -> float:
    if len(args) != 1:
        raise FormulaError("ABS takes 1 argument")
    return abs(to_number(args[0]))


FUNCTIONS: dict[str, Callable[[list[object]], object]] = {
    "SUM": lambda a: sum(_numbers(a)),
    "MIN": lambda a: min(_numbers(a), default=0.0),
    "MAX": lambda a: max(_numbers(a), default=0.0),
    "AVERAGE": _average,
    "COUNT": lambda a: float(len(_numbers(a))),
    "COUNTA": lambda a: float(sum(1 for v in _flat(a) if v not in (None, ""))),
    "PRODUCT": _product,
    "ROUND": lambda a: _round(a, "half"),
    "ROUNDUP": lambda a: _round(a, "up"),
    "ROUNDDOWN": lambda a: _round(a, "down"),
    "INT": _int,
    "ABS": _abs,
    "VALUE": lambda a: to_number(a[0]) if len(a) == 1 else _raise("VALUE takes 1 argument"),
}


def _raise(message: str) -> object:
    raise FormulaError(message)

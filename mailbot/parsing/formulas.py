"""A small, safe evaluator for the spreadsheet formulas clerks put in report tables.

Owns tokenising and evaluating formulas like `SUM(D8:D20)`, `D9+D10*2`, `IF(D5="",0,D5)`
over a lookup callback, without eval(). Pure: no I/O, no workbook library; anything outside
the supported subset raises FormulaError so the caller can say so instead of guessing.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from mailbot.errors import FormulaError
from mailbot.parsing.formula_functions import FUNCTIONS, scalar, to_number, to_text

# lookup(sheet, row, col) -> the cell's value (number, text, bool or None); 1-based.
Lookup = Callable[[str | None, int, int], object]
# extent(sheet) -> (max_row, max_col) so whole-column ranges and huge ranges stay bounded.
Extent = Callable[[str | None], tuple[int, int]]

MAX_CELLS = 200_000

TOKEN = re.compile(
    r"""
    (?P<ws>\s+)
  | (?P<str>"(?:[^"]|"")*")
  | (?P<sheet>(?:'(?:[^']|'')+'|[^\W\d][\w.]*)!)
  | (?P<col_range>\$?[A-Za-z]{1,3}:\$?[A-Za-z]{1,3}(?![\w(]))
  | (?P<ref>\$?[A-Za-z]{1,3}\$?\d+(?![\w(]))
  | (?P<num>(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)
  | (?P<func>[A-Za-z_][\w.]*(?=\())
  | (?P<bool>(?:TRUE|FALSE)(?![\w(]))
  | (?P<op><>|<=|>=|[-+*/^&=<>%(),;:])
    """,
    re.VERBOSE | re.IGNORECASE,
)


@dataclass(frozen=True)
class Range:
    """A rectangular block of cells on one sheet (1-based, inclusive)."""

    sheet: str | None
    r1: int
    c1: int
    r2: int
    c2: int


def col_number(letters: str) -> int:
    """Column letters to a 1-based number (A → 1, AA → 27)."""
    n = 0
    for ch in letters.upper():
        n = n * 26 + ord(ch) - 64
    return n


def split_ref(ref: str) -> tuple[int, int]:
    """'$B$7' → (row 7, column 2)."""
    m = re.fullmatch(r"\$?([A-Za-z]{1,3})\$?(\d+)", ref)
    if not m:
        raise FormulaError(f"bad reference {ref}")
    return int(m.group(2)), col_number(m.group(1))


def tokenize(formula: str) -> list[tuple[str, str]]:
    """Split a formula (with or without the leading '=') into (kind, text) tokens."""
    text = formula.strip()
    text = text[1:] if text.startswith("=") else text
    text = re.sub(r"_xlfn\.|_xlws\.", "", text)
    tokens: list[tuple[str, str]] = []
    pos = 0
    while pos < len(text):
        m = TOKEN.match(text, pos)
        if not m:
            raise FormulaError(f"unsupported syntax at {text[pos : pos + 10]!r}")
        pos = m.end()
        kind = m.lastgroup or ""
        if kind != "ws":
            tokens.append((kind, m.group()))
    return tokens


def evaluate(formula: str, lookup: Lookup, extent: Extent) -> object:
    """Evaluate one formula; numbers come back as int when integral."""
    parser = _Parser(tokenize(formula), lookup, extent)
    value = parser.expression()
    if parser.pos != len(parser.tokens):
        raise FormulaError("trailing tokens")
    value = scalar(value)
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


class _Parser:
    def __init__(self, tokens: list[tuple[str, str]], lookup: Lookup, extent: Extent) -> None:
        self.tokens, self.pos, self.lookup, self.extent = tokens, 0, lookup, extent

    def peek(self) -> str:
        return self.tokens[self.pos][1].upper() if self.pos < len(self.tokens) else ""

    def take(self) -> tuple[str, str]:
        if self.pos >= len(self.tokens):
            raise FormulaError("unexpected end")
        self.pos += 1
        return self.tokens[self.pos - 1]

    def expect(self, op: str) -> None:
        if self.take()[1] != op:
            raise FormulaError(f"expected {op}")

    def expression(self) -> object:
        left = self.concat()
        while self.peek() in ("=", "<>", "<", ">", "<=", ">="):
            op = self.take()[1]
            left = _compare(op, scalar(left), scalar(self.concat()))
        return left

    def concat(self) -> object:
        left = self.additive()
        while self.peek() == "&":
            self.take()
            left = to_text(scalar(left)) + to_text(scalar(self.additive()))
        return left

    def additive(self) -> object:
        left = self.term()
        while self.peek() in ("+", "-"):
            op = self.take()[1]
            a, b = to_number(left), to_number(self.term())
            left = a + b if op == "+" else a - b
        return left

    def term(self) -> object:
        left = self.power()
        while self.peek() in ("*", "/"):
            op = self.take()[1]
            a, b = to_number(left), to_number(self.power())
            if op == "/" and b == 0:
                raise FormulaError("#DIV/0!")
            left = a * b if op == "*" else a / b
        return left

    def power(self) -> object:
        left = self.unary()
        while self.peek() == "^":
            self.take()
            left = to_number(left) ** to_number(self.unary())
        return left

    def unary(self) -> object:
        if self.peek() in ("-", "+"):
            op = self.take()[1]
            number = to_number(self.unary())
            return -number if op == "-" else number
        value = self.primary()
        while self.peek() == "%":
            self.take()
            value = to_number(value) / 100
        return value

    def primary(self) -> object:
        kind, text = self.take()
        if kind == "num":
            return float(text)
        if kind == "str":
            return text[1:-1].replace('""', '"')
        if kind == "bool":
            return text.upper() == "TRUE"
        if kind == "func":
            return self.call(text.upper())
        if text == "(":
            value = self.expression()
            self.expect(")")
            return value
        if kind == "sheet":
            return self.reference(_sheet_name(text))
        if kind in ("ref", "col_range"):
            self.pos -= 1
            return self.reference(None)
        raise FormulaError(f"unexpected {text!r}")

    def reference(self, sheet: str | None) -> object:
        kind, text = self.take()
        if kind == "col_range":
            left, right = text.split(":")
            max_row, _ = self.extent(sheet)
            c1, c2 = sorted((col_number(left.strip("$")), col_number(right.strip("$"))))
            return self.cells(Range(sheet, 1, c1, max_row, c2))
        if kind != "ref":
            raise FormulaError(f"expected a cell reference, got {text!r}")
        r1, c1 = split_ref(text)
        if self.peek() != ":":
            return self.lookup(sheet, r1, c1)
        self.take()
        r2, c2 = split_ref(self.take()[1])
        return self.cells(Range(sheet, min(r1, r2), min(c1, c2), max(r1, r2), max(c1, c2)))

    def cells(self, rng: Range) -> list[object]:
        max_row, max_col = self.extent(rng.sheet)
        r2, c2 = min(rng.r2, max_row), min(rng.c2, max_col)
        if (r2 - rng.r1 + 1) * (c2 - rng.c1 + 1) > MAX_CELLS:
            raise FormulaError("range too large")
        return [
            self.lookup(rng.sheet, r, c)
            for r in range(rng.r1, r2 + 1)
            for c in range(rng.c1, c2 + 1)
        ]

    def arguments(self) -> list[object]:
        self.expect("(")
        args: list[object] = []
        if self.peek() == ")":
            self.take()
            return args
        while True:
            args.append(self.argument())
            sep = self.take()[1]
            if sep == ")":
                return args
            if sep not in (",", ";"):
                raise FormulaError("expected , or )")

    def argument(self) -> object:
        """One argument; an error is kept (not raised) so IF/IFERROR can skip it like Excel."""
        start = self.pos
        try:
            return self.expression()
        except FormulaError as exc:
            if self.pos >= len(self.tokens) and start < len(self.tokens):
                self.pos = start
            self.skip_argument()
            return _Err(exc)

    def skip_argument(self) -> None:
        depth = 0
        while self.pos < len(self.tokens):
            text = self.tokens[self.pos][1]
            if depth == 0 and text in (",", ";", ")"):
                return
            depth += {"(": 1, ")": -1}.get(text, 0)
            self.pos += 1

    def call(self, name: str) -> object:
        func = FUNCTIONS.get(name)
        if func is None and name not in ("IF", "IFERROR"):
            raise FormulaError(f"unsupported function {name}")
        args = self.arguments()
        if name in ("IF", "IFERROR"):
            value = _if(name, args)
        else:
            for arg in args:
                if isinstance(arg, _Err):
                    raise arg.error
            value = func(args)  # type: ignore[misc]  # func is None only for IF/IFERROR, above
        if isinstance(value, _Err):
            raise value.error
        return value


@dataclass(frozen=True)
class _Err:
    """An argument that evaluated to an error, kept so IF/IFERROR can decide whether it counts."""

    error: FormulaError


def _sheet_name(token: str) -> str:
    name = token[:-1]
    if name.startswith("'"):
        name = name[1:-1].replace("''", "'")
    return name


def _compare(op: str, a: object, b: object) -> bool:
    if isinstance(a, str) or isinstance(b, str):
        return _ordered(op, to_text(a).lower(), to_text(b).lower())
    return _ordered(op, to_number(a), to_number(b))


def _ordered(op: str, x: Any, y: Any) -> bool:
    """Compare two values of one type (both text or both numbers) with an Excel operator."""
    outcomes: dict[str, bool] = {
        "=": x == y,
        "<>": x != y,
        "<": x < y,
        ">": x > y,
        "<=": x <= y,
        ">=": x >= y,
    }
    return outcomes[op]


def _if(name: str, args: list[object]) -> object:
    if name == "IFERROR":
        if len(args) != 2:
            raise FormulaError("IFERROR takes 2 arguments")
        return args[1] if isinstance(args[0], _Err) else args[0]
    if not 2 <= len(args) <= 3:
        raise FormulaError("IF takes 2 or 3 arguments")
    if isinstance(args[0], _Err):
        raise args[0].error
    cond = scalar(args[0])
    truth = bool(to_number(cond)) if not isinstance(cond, str) else bool(cond)
    if truth:
        return args[1]
    return args[2] if len(args) == 3 else False

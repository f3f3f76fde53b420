"""Matching row labels to the form's printed lines, and aligning a table's rows to them.

Owns label similarity (folded, abbreviations expanded, typo tolerant, weighted by how rare
each word is among the form's lines) and the order-aware row→line assignment. Knows nothing
about cells, columns or numbers; STT numbering is never used (clerks renumber freely).
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass
from functools import cache, cached_property

from mailbot.forms import Form, FormLine
from mailbot.parsing.normalize import expand_abbreviations, fold

__all__ = ["Candidate", "LabelMatcher", "align", "within_one_edit"]

# A row needs at least this score to be assigned to a line at all.
MIN_SCORE = 0.5
# Out-of-order rows are accepted only with strong evidence.
STRONG_SCORE = 0.75

# Leading list markers: "1", "1.1", "a)", "-", "+", roman numerals, "Stt".
_MARKER = re.compile(r"^(?:(?:\d+|[a-dđ]|i{1,3}|iv|v|vi{1,3}|ix|x)\b\s*)+")


@dataclass(frozen=True)
class Candidate:
    """A form line a label may mean, with a similarity score in [0, 1]."""

    line: FormLine
    score: float


@cache
def within_one_edit(a: str, b: str) -> bool:
    """True when a and b differ by at most one insertion, deletion or substitution."""
    if abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        return sum(x != y for x, y in zip(a, b, strict=True)) <= 1
    if len(a) > len(b):
        a, b = b, a
    i = 0
    while i < len(a) and a[i] == b[i]:
        i += 1
    return a[i:] == b[i + 1 :]


class LabelMatcher:
    """Scores label text against every line of one form."""

    def __init__(self, form: Form) -> None:
        self.form = form
        self.lines = form.lines
        self._texts: list[list[tuple[str, ...]]] = [
            [self.key(t) for t in (line.label, *line.aliases)] for line in self.lines
        ]
        df: dict[str, int] = {}
        for texts in self._texts:
            for tok in {t for text in texts for t in text}:
                df[tok] = df.get(tok, 0) + 1
        n = len(self.lines)
        self._weight = {tok: math.log(1 + n / count) for tok, count in df.items()}
        self._default_weight = 1.0
        self._cache: dict[str, list[float]] = {}
        self._sets = {t: frozenset(t) for texts in self._texts for t in texts}
        self._sums: dict[tuple[str, ...], float] = {}
        self._near: dict[str, tuple[str, ...]] = {}
        self._counters: dict[tuple[str, ...], Counter[str]] = {}

    @cached_property
    def vocabulary(self) -> frozenset[str]:
        """Every word of every line text (folded, expanded)."""
        return frozenset(self._weight)

    def key(self, text: str) -> tuple[str, ...]:
        """Folded, abbreviation-expanded words of a label, list markers removed."""
        folded = fold(text)
        folded = _MARKER.sub("", folded).strip()
        return tuple(expand_abbreviations(folded, self.form.abbreviations).split())

    def _neighbours(self, tok: str) -> tuple[str, ...]:
        """Form words one edit away from `tok` (cached per word)."""
        found = self._near.get(tok)
        if found is None:
            found = tuple(
                v for v in self.vocabulary if len(v) >= 4 and v != tok and within_one_edit(tok, v)
            )
            self._near[tok] = found
        return found

    def _counter(self, toks: tuple[str, ...]) -> Counter[str]:
        counter = self._counters.get(toks)
        if counter is None:
            counter = self._counters[toks] = Counter(toks)
        return counter

    def _sum(self, toks: tuple[str, ...]) -> float:
        total = self._sums.get(toks)
        if total is None:
            total = self._sums[toks] = sum(self._w(t) for t in toks)
        return total

    def _w(self, tok: str) -> float:
        return self._weight.get(tok, self._default_weight)

    def _similarity(self, row: tuple[str, ...], text: tuple[str, ...]) -> float:
        if not row or not text:
            return 0.0
        pool = dict(self._counter(text))
        matched = 0.0
        missed: list[str] = []
        for tok in row:
            if pool.get(tok, 0) > 0:
                pool[tok] -= 1
                matched += self._w(tok)
            elif len(tok) >= 4:
                missed.append(tok)
        for tok in missed:  # typo tolerance: one edit on words of four letters or more
            near = next((p for p in self._neighbours(tok) if pool.get(p, 0) > 0), None)
            if near is not None:
                pool[near] -= 1
                matched += 0.8 * min(self._w(tok), self._w(near))
        w_row = self._sum(row)
        w_text = self._sum(text)
        dice = 2 * matched / (w_row + w_text)
        cov_text = matched / w_text  # the whole line label appears inside the row
        cov_row = matched / w_row  # the row is a shortened line label
        score = dice
        # Containment counts, discounted by how much of the other side is left over.
        if len(text) >= 3:
            score = max(score, 0.85 * cov_text * (0.7 + 0.3 * cov_row))
        if w_row >= 0.5 * w_text and len(row) >= 2:
            score = max(score, 0.8 * cov_row * (0.7 + 0.3 * cov_text))
        return score

    def scores(self, text: str) -> list[float]:
        """The score of this label against every line, in line order."""
        cached = self._cache.get(text)
        if cached is None:
            row = self.key(text)
            # A line text sharing no word (nor a word one typo away) with the row scores 0:
            # skip it, so a long learner list beside the form costs set lookups only.
            reach = set(row).union(*(self._neighbours(t) for t in row if len(t) >= 4))
            cached = [
                max((self._similarity(row, t) for t in texts if reach & self._sets[t]), default=0.0)
                for texts in self._texts
            ]
            self._cache[text] = cached
        return cached

    def candidates(self, text: str, limit: int = 3) -> list[Candidate]:
        """The best-scoring lines for a label, best first."""
        scores = self.scores(text)
        order = sorted(range(len(scores)), key=lambda j: (-scores[j], j))[:limit]
        return [Candidate(self.lines[j], scores[j]) for j in order if scores[j] > 0]

    def best(self, text: str) -> float:
        """The best score this label reaches against any line."""
        scores = self.scores(text)
        return max(scores) if scores else 0.0


def align(matcher: LabelMatcher, labels: list[str]) -> list[int | None]:
    """Assign each row label to a line index (or None), order-aware.

    A monotone alignment (rows and lines both in order, either may be skipped) picks the
    best-scoring consistent set; rows left out whose label strongly matches a line no one
    took are then assigned anyway, which handles reordered rows.
    """
    n, m = len(labels), len(matcher.lines)
    score = [matcher.scores(lbl) if lbl.strip() else [0.0] * m for lbl in labels]
    # dp[i][j]: best total for rows[:i] and lines[:j].
    dp = [[0.0] * (m + 1) for _ in range(n + 1)]
    move = [[0] * (m + 1) for _ in range(n + 1)]
    for i in range(1, n + 1):
        row = score[i - 1]
        top = max(row) if row else 0.0
        dpi, dpp, mvi = dp[i], dp[i - 1], move[i]
        for j in range(1, m + 1):
            best, how = dpp[j], 1  # skip the row
            if dpi[j - 1] > best:
                best, how = dpi[j - 1], 2  # skip the line
            s = row[j - 1]
            # Squared gain: one exact match outweighs two near-misses (two swapped rows);
            # a line far below the row's best match costs (a moved row is placed later).
            gain = (s - MIN_SCORE + 0.05) ** 2 - 0.5 * (top - s)
            if s >= MIN_SCORE and gain > 0 and dpp[j - 1] + gain > best:
                best, how = dpp[j - 1] + gain, 3
            dpi[j], mvi[j] = best, how
    result: list[int | None] = [None] * n
    i, j = n, m
    while i > 0 and j > 0:
        how = move[i][j]
        if how == 3:
            result[i - 1] = j - 1
            i, j = i - 1, j - 1
        elif how == 2:
            j -= 1
        else:
            i -= 1
    _place_strays(score, result)
    return result


def _place_strays(score: list[list[float]], result: list[int | None]) -> None:
    """Give rows the monotone pass left out their line when the evidence is strong."""
    holder = {line: i for i, line in enumerate(result) if line is not None}
    strays = [i for i, line in enumerate(result) if line is None and score[i]]
    strays.sort(key=lambda i: -max(score[i]))
    for i in strays:
        for j in sorted(range(len(score[i])), key=lambda j: -score[i][j])[:2]:
            s = score[i][j]
            if s < STRONG_SCORE:
                break
            other = holder.get(j)
            if other is None:
                result[i], holder[j] = j, i
                break
            if score[other][j] < s - 0.25:
                result[i], holder[j] = j, i
                result[other] = None
                break

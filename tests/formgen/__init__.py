"""Generator of realistic filled Appendix 2 reports (.xlsx, .docx) with exactly known answers.

Public surface: `catalogue()`, `random_variant(seed)`, `make_variant(...)`, `build(variant)`,
`expected(variant)`. Test-only code: it never touches mailbot's parser or the file system
(the CLI in `__main__` writes files).
"""

from .catalogue import build, catalogue, make_variant, negative, random_variant
from .model import Expected, Variant, expected

__all__ = [
    "Expected",
    "Variant",
    "build",
    "catalogue",
    "expected",
    "make_variant",
    "negative",
    "random_variant",
]

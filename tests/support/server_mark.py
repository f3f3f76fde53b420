"""Enforces the `servers` mark: a test that starts a server must carry it.

`pytest -m "not servers"` must run anywhere (no Dovecot, no free ports); that holds only if
every test that starts a server says so. conftest.py records, before each test's fixtures are
set up, whether the test is marked; every server start in tests/support calls `starting()`.
"""

from __future__ import annotations

# None outside a collected test (e.g. a helper script building a mailbox by hand).
_current_test_marked: bool | None = None
_current_test: str = ""


def entering_test(nodeid: str, marked: bool) -> None:
    """Called by conftest before a test's fixtures are set up."""
    global _current_test, _current_test_marked
    _current_test, _current_test_marked = nodeid, marked


def leaving_test() -> None:
    """Called by conftest after a test's teardown."""
    global _current_test_marked
    _current_test_marked = None


def starting(what: str) -> None:
    """Fail at once when an unmarked test starts a server."""
    if _current_test_marked is False:
        raise RuntimeError(
            f"{_current_test} starts {what} but has no @pytest.mark.servers; mark it so "
            '`pytest -m "not servers"` can run without servers'
        )

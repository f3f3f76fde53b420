"""Password hashing for console users: scrypt from the standard library, self-describing.

Pure: bytes in, text out. A stored hash is "scrypt$N$r$p$salt$hash" (hex), so the cost can
be raised later without breaking existing users.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

# 16 MiB of memory per hash: slow to guess offline, quick enough (~50 ms) for a login.
_N, _R, _P, _DKLEN = 2**14, 8, 1, 32
MIN_LENGTH = 10


def hash_password(password: str) -> str:
    """A new salted scrypt hash of `password`."""
    salt = secrets.token_bytes(16)
    key = hashlib.scrypt(password.encode(), salt=salt, n=_N, r=_R, p=_P, dklen=_DKLEN)
    return f"scrypt${_N}${_R}${_P}${salt.hex()}${key.hex()}"


def verify_password(password: str, stored: str | None) -> bool:
    """True when `password` matches the stored hash (False for a missing or foreign hash)."""
    if not stored:
        # Spend the same time as a real check, so a missing user is not told apart by timing.
        hash_password(password)
        return False
    try:
        kind, n, r, p, salt, key = stored.split("$")
        if kind != "scrypt":
            return False
        got = hashlib.scrypt(
            password.encode(), salt=bytes.fromhex(salt), n=int(n), r=int(r), p=int(p),
            dklen=len(bytes.fromhex(key)), maxmem=2**26,
        )  # fmt: skip
    except ValueError:
        return False
    return hmac.compare_digest(got, bytes.fromhex(key))


def password_problem(password: str) -> str | None:
    """Why a new password is refused (Vietnamese), or None when it is acceptable."""
    if len(password) < MIN_LENGTH:
        return f"Mật khẩu cần ít nhất {MIN_LENGTH} ký tự."
    if password.strip() != password:
        return "Mật khẩu không được bắt đầu hoặc kết thúc bằng khoảng trắng."
    return None

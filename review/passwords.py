"""Passwords are hashed with argon2id and compared; never stored, logged or shown."""

from __future__ import annotations

from functools import cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

MIN_LENGTH = 10
_hasher = PasswordHasher()


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    """False for a wrong password or no account; an unknown name still costs one
    argon2 verification, so response times do not reveal which names exist."""
    try:
        matched = _hasher.verify(password_hash or _dummy_hash(), password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False
    return matched and password_hash is not None


def needs_rehash(password_hash: str) -> bool:
    return _hasher.check_needs_rehash(password_hash)


def weakness(password: str, name: str) -> str | None:
    """Why a new password is refused, in words a moderator understands, or None."""
    if len(password) < MIN_LENGTH:
        return f"パスワードは{MIN_LENGTH}文字以上にしてください (at least {MIN_LENGTH} characters)"
    if name and name.lower() in password.lower():
        return "パスワードに名前を含めないでください (must not contain the name)"
    return None


@cache
def _dummy_hash() -> str:
    return _hasher.hash("pledgewatch: no such account")

"""Values people type, parsed one way on every surface (pages, API, CLI, cursors): a bad value is an
InvalidInput (422) naming the field, never a database error.

Numbers: `str.isdigit()` and `int()` take far more than ASCII digits ("²" passes isdigit and fails
int, "𝟗" and "٣" read as 9 and 3), and a number past the column's range overflows the driver
(SQLite above 2**63, a PostgreSQL INTEGER above 2**31 - 1). `parse_int` takes ASCII digits only,
within a range that defaults to the ids' 32-bit one.

Text: PostgreSQL text cannot hold NUL, and no UTF-8 encoder takes a lone surrogate (JSON escapes
and file names read with surrogateescape can carry one), so `unstorable` names what is wrong with a
string before it reaches a column."""
from __future__ import annotations

import re
from datetime import date

from app.domain.errors import MAX_ID, InvalidInput

_ASCII_INT = re.compile(r"-?[0-9]{1,30}")
_ISO_DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_SURROGATE = re.compile("[\ud800-\udfff]")


def _shown(raw: object) -> str:
    text = str(raw)
    return repr(text if len(text) <= 40 else text[:40] + "…")


def parse_int(raw: str | int, name: str, *, low: int = 0, high: int = MAX_ID) -> int:
    """An integer written with ASCII digits (an optional leading minus), between low and high."""
    if isinstance(raw, bool) or not isinstance(raw, (str, int)):
        raise InvalidInput(f"{name} must be a whole number")
    text = raw.strip() if isinstance(raw, str) else str(raw)
    if not _ASCII_INT.fullmatch(text):
        raise InvalidInput(f"{name} must be a whole number written with the digits 0-9, not {_shown(raw)}")
    value = int(text)
    if not low <= value <= high:
        raise InvalidInput(f"{name} must be between {low} and {high}, not {_shown(raw)}")
    return value


def parse_id(raw: str | int, name: str) -> int:
    """A row id: 1 to 2**31 - 1 on both engines."""
    return parse_int(raw, name, low=1, high=MAX_ID)


def optional_int(raw: str | None, name: str, *, low: int = 0, high: int = MAX_ID) -> int | None:
    """None for a missing or blank value, else parse_int."""
    if raw is None or not str(raw).strip():
        return None
    return parse_int(raw, name, low=low, high=high)


def optional_day(raw: str | None, name: str) -> date | None:
    """None for a missing or blank value, else a day written YYYY-MM-DD (ASCII digits, a real
    calendar day): `date.fromisoformat` alone would also take "20240501" and other forms."""
    if raw is None or not str(raw).strip():
        return None
    text = str(raw).strip()
    try:
        if _ISO_DAY.fullmatch(text):
            return date.fromisoformat(text)
    except ValueError:
        pass
    raise InvalidInput(f"{name} must be a day written YYYY-MM-DD, not {_shown(raw)}")


def is_ascii_int(text: str) -> bool:
    return bool(_ASCII_INT.fullmatch(text))


def unstorable(value: str) -> str | None:
    """Why no database column can hold this string, or None when it can."""
    if "\x00" in value:
        return "must not contain NUL characters"
    if _SURROGATE.search(value):
        return "must be valid Unicode (no lone surrogates)"
    return None


def check_storable(value: str | None, name: str) -> str | None:
    """The value unchanged, or InvalidInput naming the field."""
    if value is not None and (reason := unstorable(value)):
        raise InvalidInput(f"{name} {reason}")
    return value


def parse_day(raw: str | None, label: str) -> date | None:
    """A YYYY-MM-DD filter from the query string; empty means no bound."""
    raw = (raw or "").strip()
    if not raw:
        return None
    try:
        return date.fromisoformat(raw)
    except ValueError:
        raise InvalidInput(f"{label} must be a date like 2024-05-31") from None


def check_range(since: date | None, until: date | None) -> None:
    """A from/to pair of days: 'from' may not come after 'to'."""
    if since and until and since > until:
        raise InvalidInput("'from' is after 'to'")

"""Parsing the date bounds people and models type: ``2025``, ``2025-03``, ``2025-03-14``,
or a full ISO timestamp."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

_YEAR = re.compile(r"^\d{4}$")
_MONTH = re.compile(r"^(\d{4})-(\d{1,2})$")


class DateError(ValueError):
    """A date bound that cannot be read; the message says what is accepted."""


def parse_bound(text: str, *, end: bool = False) -> datetime:
    """Parse a date bound to aware UTC.

    With ``end=True`` a partial date means the end of that period (exclusive): ``until
    2025-03`` includes all of March.
    """
    s = text.strip()
    try:
        if _YEAR.match(s):
            year = int(s)
            return datetime(year + 1 if end else year, 1, 1, tzinfo=UTC)
        if m := _MONTH.match(s):
            year, month = int(m.group(1)), int(m.group(2))
            if end:
                year, month = (year + 1, 1) if month == 12 else (year, month + 1)
            return datetime(year, month, 1, tzinfo=UTC)
        if len(s) == 10:
            day = datetime.strptime(s, "%Y-%m-%d").replace(tzinfo=UTC)
            return day + timedelta(days=1) if end else day
        value = datetime.fromisoformat(s.replace("Z", "+00:00"))
    except ValueError:
        raise DateError(
            f"cannot read the date {text!r}: use YYYY, YYYY-MM, YYYY-MM-DD or an ISO "
            "timestamp such as 2025-03-14T18:00:00Z"
        ) from None
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)

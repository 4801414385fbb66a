"""Timestamp helpers shared by connectors: epoch units, ISO variants, plausibility."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

from connectors.base import MAX_PLAUSIBLE_YEARS_AHEAD, MIN_PLAUSIBLE

_FRACTION_RE = re.compile(r"\.(\d+)")
_TRAILING_ZONE_NAME_RE = re.compile(r"\[[A-Za-z_/+\-0-9]+\]$")


#: The latest plausible time, fixed when the process starts (reading the clock for every
#: one of millions of points is measurable; five years of margin outlast any process).
MAX_PLAUSIBLE = datetime.now(UTC) + timedelta(days=365 * MAX_PLAUSIBLE_YEARS_AHEAD)
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_UNITS = {"s": 1_000_000, "ms": 1_000, "us": 1}


def utc_key_time(dt: datetime, timespec: str = "seconds", raw: str | None = None) -> str:
    """``YYYY-MM-DDTHH:MM:SSZ`` (or ``...THH:MMZ`` with ``timespec="minutes"``) of an
    aware datetime in UTC, for native keys: what ``strftime`` gave, faster (keys are
    built for every record). ``raw``, the string ``dt`` was parsed from, is cut instead
    when it is already ``YYYY-MM-DDTHH:MM:SS[.fff]Z``."""
    if (
        raw is not None
        and timespec == "seconds"
        and len(raw) >= 20
        and raw[-1] == "Z"
        and raw[10] == "T"
        and raw[19] in ".Z"
    ):
        return raw[:19] + "Z"
    if dt.tzinfo is not UTC:
        dt = dt.astimezone(UTC)
    return dt.replace(tzinfo=None).isoformat(timespec=timespec) + "Z"


def plausible(dt: datetime | None) -> bool:
    """True when ``dt`` lies between 1971 and a few years from now."""
    return dt is not None and MIN_PLAUSIBLE <= dt <= MAX_PLAUSIBLE


def as_int(value: object) -> int | None:
    """An integer from an int, an integral float or a digit string (exports write
    timestamps and E7 coordinates all three ways); None otherwise."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str):
        text = value.strip()
        if text.lstrip("-").isdigit():
            return int(text)
    return None


def from_epoch_exact(value: object, unit: str) -> datetime | None:
    """An integer count of ``unit`` ("s", "ms" or "us") since the epoch -> UTC, without
    float rounding; None when not an integer or not a plausible date."""
    number = as_int(value)
    if number is None:
        return None
    try:
        dt = EPOCH + timedelta(microseconds=number * _UNITS[unit])
    except OverflowError:
        return None
    return dt if plausible(dt) else None


def from_epoch(value: int | float | str) -> datetime:
    """Epoch number in seconds, ms, µs or ns (decided by magnitude) -> aware UTC.

    Raises ValueError for values that are not numbers or not plausible dates.
    """
    number = float(value)
    magnitude = abs(number)
    if magnitude >= 1e17:
        number /= 1e9
    elif magnitude >= 1e14:
        number /= 1e6
    elif magnitude >= 1e11:
        number /= 1e3
    dt = datetime.fromtimestamp(number, UTC)
    if not plausible(dt):
        raise ValueError(f"implausible epoch timestamp {value!r}")
    return dt


def parse_iso(text: str) -> tuple[datetime, bool]:
    """Parse ISO-8601 and its common export variants.

    Accepts ``Z``, ``+00:00``, a trailing ``[UTC]`` zone name, a space instead of ``T``,
    a trailing `` UTC``, and 1–9 fraction digits. Returns ``(utc_datetime, tz_known)``;
    a value without an offset is read as UTC wall-clock and marked ``tz_known=False``.
    """
    s = text.strip()
    try:  # fast path: what Python reads as is (most exports: ...Z or +00:00)
        dt = datetime.fromisoformat(s)
    except ValueError:
        pass
    else:
        if dt.tzinfo is not None:
            dt = dt.astimezone(UTC)
            if plausible(dt):
                return dt, True
            raise ValueError(f"implausible timestamp {text!r}")
    s = _TRAILING_ZONE_NAME_RE.sub("", s)
    if s.endswith(" UTC"):
        s = s[:-4] + "+00:00"
    if s.endswith(("Z", "z")):
        s = s[:-1] + "+00:00"
    # Python 3.11 accepts up to 6 fraction digits; trim nanoseconds.
    s = _FRACTION_RE.sub(lambda m: "." + m.group(1)[:6].ljust(6, "0"), s, count=1)
    dt = datetime.fromisoformat(s)
    tz_known = dt.tzinfo is not None
    dt = dt.astimezone(UTC) if tz_known else dt.replace(tzinfo=UTC)
    if not plausible(dt):
        raise ValueError(f"implausible timestamp {text!r}")
    return dt, tz_known


def parse_utc(text: str, fmt: str) -> datetime:
    """``strptime`` a value the export documents as UTC; checks plausibility."""
    dt = datetime.strptime(text.strip(), fmt).replace(tzinfo=UTC)
    if not plausible(dt):
        raise ValueError(f"implausible timestamp {text!r}")
    return dt


def parse_hms(text: str) -> float:
    """``HH:MM:SS`` (or ``MM:SS``) -> seconds."""
    parts = [float(p) for p in text.strip().split(":")]
    if not 1 <= len(parts) <= 3 or any(p < 0 for p in parts):
        raise ValueError(f"not a duration: {text!r}")
    seconds = 0.0
    for part in parts:
        seconds = seconds * 60 + part
    return seconds

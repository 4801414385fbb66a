"""Calendars: iCalendar ``.ics`` files (Google Takeout ``Calendar/*.ics`` and any other).

Files read: Takeout's ``Calendar/<calendar name or email>.ics`` (``Kalender/…`` in
German) and any ``.ics`` file, recognised by content (``BEGIN:VCALENDAR``). Google's
exports carry ``PRODID:-//Google Inc//Google Calendar…``, ``X-WR-CALNAME``,
``X-WR-TIMEZONE`` and ``VTIMEZONE`` blocks.

Parsing streams: a first pass over the lines collects the calendar's own properties and
its ``VTIMEZONE`` blocks (so custom time zones resolve wherever they are defined); a second
pass cuts out one ``VEVENT`` at a time and parses it with the ``icalendar`` library, so a
large calendar is never held whole and one broken event is a :class:`ParseIssue`. An event
larger than :data:`MAX_EVENT_BYTES` (inline attachments) is skipped with an issue. Only the
recurring series (masters and their edited instances) are kept until the end, to expand
them, so no whole-file size limit is needed (a generated 15 MB calendar of 40,000 events
parses at about 40 MB peak RSS). A file that does not start with ``BEGIN:VCALENDAR`` is a
:class:`ParseError`; a truncated one keeps its complete events and reports the cut.

Each ``VEVENT`` becomes one ``event`` record: ``title`` = SUMMARY, ``text`` = DESCRIPTION
(HTML turned into text) and LOCATION, ``creator`` = the ORGANIZER's CN, else the calendar
name (``X-WR-CALNAME``), else the organizer's address; ``timestamp`` = DTSTART in UTC
(TZID resolved through the file's VTIMEZONEs or zoneinfo). Floating times are read in the
calendar's ``X-WR-TIMEZONE`` when it has a valid one, else stored as UTC wall-clock with
``tz_known=False``; all-day events (``VALUE=DATE``) are midnight with ``tz_known=False``
and ``extra.all_day``. ``extra`` keeps end, location, attendees (name, email, PARTSTAT),
status, uid, calendar, rrule, recurrence_id, organizer, url, conference link.
``third_party`` is True when the organizer is known to be someone other than the
calendar's owner (an address in the file name or ``X-WR-CALNAME``).

Recurring series (RRULE/RDATE) keep their master record AND get occurrences, expanded with
``recurring_ical_events`` (EXDATE honoured, edited instances with RECURRENCE-ID replace the
generated occurrence): occurrences up to a horizon of two years after the export's newest
date (DTSTAMP, which Google sets to the export time, LAST-MODIFIED, DTSTART), and at most
one year from now; of those, the most recent :data:`MAX_OCCURRENCES` per series (so "when
is my dentist appointment" finds the latest and the next ones). Occurrences carry
``extra.recurring`` and ``extra.recurrence_id``; the master and the first occurrence are
both records. Occurrences before 1971 are not records (a birthday series from 1960 keeps
its master with ``timestamp=None`` and ``extra.start``); cancelled instances stay, with
``status`` CANCELLED and the tag ``cancelled``.

Native key: the UID for a single event or a series master; ``UID|original start`` (the
RECURRENCE-ID, in UTC, or the date for all-day events) for an occurrence or an edited
instance, so the edited instance and the generated occurrence share one id, and the same
event in two exports (or in two calendars) has one id. Events without a UID fall back to
``DTSTART|SUMMARY``. Limits: an event copied into two calendars with the same UID
collapses into one record; UIDs reused for different events (rare, buggy producers)
collapse too.

Source: ``google.calendar`` when PRODID is Google Calendar or the file sits in a Takeout
calendar folder, else ``calendar``.
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import icalendar
import recurring_ical_events

from connectors.base import MIN_PLAUSIBLE, ExportFile, ParseError, ParseIssue, Record
from connectors.text import html_to_text
from connectors.timeutil import plausible

SOURCE_GOOGLE = "google.calendar"
SOURCE_CALENDAR = "calendar"

#: Largest single VEVENT parsed (inline attachments can bloat one); bigger -> ParseIssue.
MAX_EVENT_BYTES = 10 * 1024 * 1024
#: Occurrences kept per recurring series (the most recent ones before the horizon).
MAX_OCCURRENCES = 500
#: How far after the export's newest date occurrences are expanded.
HORIZON_AFTER_EXPORT = timedelta(days=2 * 365)
#: ... and never further than this from now.
HORIZON_AFTER_NOW = timedelta(days=365)

#: Takeout calendar folder names (English and some translations), lower-case.
CALENDAR_FOLDERS = frozenset(
    {"calendar", "kalender", "agenda", "calendario", "calendrier", "kalendarz", "calendário"}
)
_SUFFIXES = (".ics", ".ical", ".icalendar", ".ifb")
_HTML_RE = re.compile(r"<(?:br|p|div|a|b|i|u|ul|ol|li|span|html|strong|em)\b", re.I)
_EMAIL_RE = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}")
#: Initial look-back span of the expansion, by frequency (then doubled as needed).
_SPANS = {
    "SECONDLY": timedelta(minutes=10),
    "MINUTELY": timedelta(hours=6),
    "HOURLY": timedelta(days=14),
    "DAILY": timedelta(days=60),
    "WEEKLY": timedelta(days=365),
}


def _starts_like_calendar(head: str) -> bool:
    return head.lstrip("\ufeff \t\r\n").upper().startswith("BEGIN:VCALENDAR")


def _in_takeout_calendar(file: ExportFile) -> bool:
    """True for a file directly in a Takeout calendar folder (any language)."""
    parts = file.relpath.split("/")
    if len(parts) < 2 or parts[-2].casefold() not in CALENDAR_FOLDERS:
        return False
    if any(p.casefold() == "takeout" or p.casefold().startswith("takeout-") for p in parts):
        return True
    return "takeout" in (file.archive or "").casefold()


def _stem(name: str) -> str:
    dot = name.rfind(".")
    return name[:dot] if dot > 0 else name


@dataclass(slots=True)
class _Calendar:
    """What the first pass learns about the calendar as a whole."""

    prodid: str = ""
    name: str | None = None
    default_tz: ZoneInfo | None = None
    timezones: list[str] = field(default_factory=list)
    closed: bool = False


@dataclass(slots=True)
class _Context:
    """Per-file state for building records."""

    source: str
    calendar: str | None
    default_tz: ZoneInfo | None
    owner: str | None
    newest: datetime | None = None


@dataclass(slots=True)
class _Series:
    master: icalendar.Event | None = None
    master_index: int = 0
    overrides: list[icalendar.Event] = field(default_factory=list)


def _unfold(lines: list[str]) -> list[str]:
    out: list[str] = []
    for line in lines:
        if line[:1] in (" ", "\t") and out:
            out[-1] += line[1:]
        else:
            out.append(line)
    return out


def _prop_value(line: str) -> tuple[str, str]:
    """``NAME;PARAMS:value`` -> (upper-case name, value), for simple calendar properties."""
    head, _, value = line.partition(":")
    return head.split(";", 1)[0].strip().upper(), value.strip()


def _unescape(value: str) -> str:
    return (
        value.replace("\\n", "\n")
        .replace("\\N", "\n")
        .replace("\\,", ",")
        .replace("\\;", ";")
        .replace("\\\\", "\\")
    )


def _iter_lines(file: ExportFile) -> Iterator[str]:
    with file.open_text() as fh:
        for line in fh:
            yield line.rstrip("\r\n")


def _scan(file: ExportFile) -> _Calendar:
    """First pass: calendar properties and VTIMEZONE blocks; checks it is a calendar."""
    cal = _Calendar()
    depth = 0
    current: list[str] | None = None
    top: list[str] = []
    seen_begin = False
    for line in _iter_lines(file):
        upper = line.upper()
        if not seen_begin:
            if not line.strip():
                continue
            if not upper.lstrip("\ufeff").startswith("BEGIN:VCALENDAR"):
                raise ParseError(
                    "not an iCalendar file: it does not start with BEGIN:VCALENDAR "
                    f"(starts with {line.strip()[:60]!r})"
                )
            seen_begin = True
            depth = 1
            continue
        if upper.startswith("BEGIN:"):
            depth += 1
            if depth == 1:
                cal.closed = False  # another VCALENDAR in the same file
            elif depth == 2 and upper.strip() == "BEGIN:VTIMEZONE":
                current = []
        elif upper.startswith("END:"):
            depth -= 1
            if current is not None:
                current.append(line)
                if depth == 1:
                    cal.timezones.append("\n".join(current))
                    current = None
            elif depth == 0:
                cal.closed = True
            continue
        elif depth == 1:
            top.append(line)
        if current is not None:
            current.append(line)
    if not seen_begin:
        raise ParseError("not an iCalendar file: no BEGIN:VCALENDAR")
    for line in _unfold(top):
        name, value = _prop_value(line)
        if name == "PRODID" and not cal.prodid:
            cal.prodid = value
        elif name == "X-WR-CALNAME" and value and cal.name is None:
            cal.name = _unescape(value)
        elif name == "X-WR-TIMEZONE" and value and cal.default_tz is None:
            try:
                cal.default_tz = ZoneInfo(value)
            except (ZoneInfoNotFoundError, ValueError):
                cal.default_tz = None
    return cal


def _iter_events(file: ExportFile) -> Iterator[tuple[int, str | None, str | None]]:
    """Second pass: ``(index, event text, problem)`` for each top-level VEVENT."""
    depth = 0
    index = -1
    current: list[str] | None = None
    size = 0
    for line in _iter_lines(file):
        upper = line.upper()
        if upper.startswith("BEGIN:"):
            depth += 1
            if depth == 2 and upper.strip() == "BEGIN:VEVENT":
                index += 1
                current, size = [], 0
        elif upper.startswith("END:"):
            depth -= 1
            if depth == 1 and current is not None:
                current.append(line)
                if size > MAX_EVENT_BYTES:
                    yield index, None, f"event of {size} bytes exceeds {MAX_EVENT_BYTES}: skipped"
                else:
                    yield index, "\r\n".join(current) + "\r\n", None
                current = None
                continue
        if current is not None:
            size += len(line) + 2
            if size <= MAX_EVENT_BYTES:
                current.append(line)
    if current is not None:
        yield index, None, "the file ends inside this event (truncated?)"


# ---------------------------------------------------------------------------- values


def _text(component: icalendar.Component, name: str) -> str | None:
    value = component.get(name)
    if value is None:
        return None
    if isinstance(value, list):
        value = value[0] if value else None
    text = str(value).strip() if value is not None else ""
    return text or None


def _time_key(value: date | datetime) -> str:
    """A stable text form of a start: UTC for aware times, as written otherwise."""
    if isinstance(value, datetime):
        if value.tzinfo is not None and value.utcoffset() is not None:
            return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        return value.replace(tzinfo=None).isoformat()
    return value.isoformat()


def _to_utc(value: date | datetime, default_tz: ZoneInfo | None) -> tuple[datetime, bool, bool]:
    """A DTSTART value -> (UTC datetime, tz_known, all_day)."""
    if not isinstance(value, datetime):
        return datetime(value.year, value.month, value.day, tzinfo=UTC), False, True
    if value.tzinfo is not None and value.utcoffset() is not None:
        return value.astimezone(UTC), True, False
    if default_tz is not None:
        return value.replace(tzinfo=default_tz).astimezone(UTC), True, False
    return value.replace(tzinfo=UTC), False, False


def _iso(value: date | datetime | None, default_tz: ZoneInfo | None) -> str | None:
    if value is None:
        return None
    if not isinstance(value, datetime):
        return value.isoformat()
    dt, tz_known, _ = _to_utc(value, default_tz)
    return dt.isoformat() if tz_known else value.replace(tzinfo=None).isoformat()


def _dt_prop(component: icalendar.Component, name: str) -> date | datetime | None:
    """The date/datetime of a property; None when absent or broken."""
    prop = component.get(name)
    if isinstance(prop, list):
        prop = prop[0] if prop else None
    try:
        value = getattr(prop, "dt", None)
    except Exception:  # icalendar's vBroken raises on access
        return None
    return value if isinstance(value, date) else None


def _address(value: Any) -> tuple[str | None, str | None]:
    """(CN, email) of an ORGANIZER/ATTENDEE value."""
    email = str(value).strip()
    if email.casefold().startswith("mailto:"):
        email = email[7:]
    params = getattr(value, "params", {}) or {}
    name = params.get("CN")
    name = str(name).strip().strip('"') if name else None
    return name or None, email or None


def _description(component: icalendar.Component) -> str | None:
    text = _text(component, "DESCRIPTION")
    if text and _HTML_RE.search(text):
        text = html_to_text(text)
    return text or None


def _is_recurring(component: icalendar.Component) -> bool:
    return "RRULE" in component or "RDATE" in component


def _owner(file: ExportFile, cal: _Calendar) -> str | None:
    """The calendar owner's address: the file name (Takeout) or an address as name."""
    stem = _stem(file.name)
    for candidate in (stem, cal.name or ""):
        if _EMAIL_RE.fullmatch(candidate.strip()):
            return candidate.strip().casefold()
    return None


# ---------------------------------------------------------------------------- records


def _record(
    ev: icalendar.Event,
    ctx: _Context,
    position: str,
    *,
    key: str,
    occurrence: bool = False,
    master: bool = False,
) -> Record | ParseIssue:
    """An event component (single, master, edited instance or occurrence) -> a record."""
    title = _text(ev, "SUMMARY")
    start = _dt_prop(ev, "DTSTART")
    if start is None:
        broken = ev.get("DTSTART")
        what = f"unreadable DTSTART {broken!s:.40}" if broken is not None else "no DTSTART"
        return ParseIssue(f"event {title!r:.60}: {what}", position)
    timestamp, tz_known, all_day = _to_utc(start, ctx.default_tz)
    if not plausible(timestamp):
        if not master:
            return ParseIssue(f"event {title!r:.60}: implausible start {start}", position)
        timestamp_or_none: datetime | None = None
    else:
        timestamp_or_none = timestamp
    end = _dt_prop(ev, "DTEND")
    if end is None and isinstance(duration := getattr(ev.get("DURATION"), "dt", None), timedelta):
        end = start + duration
    location = _text(ev, "LOCATION")
    description = _description(ev)
    text = "\n\n".join(part for part in (description, location) if part) or None

    organizer_name, organizer_email = (None, None)
    if (organizer := ev.get("ORGANIZER")) is not None:
        organizer_name, organizer_email = _address(organizer)
    attendees_raw = ev.get("ATTENDEE") or []
    if not isinstance(attendees_raw, list):
        attendees_raw = [attendees_raw]
    attendees = []
    for attendee in attendees_raw:
        name, email = _address(attendee)
        partstat = (getattr(attendee, "params", {}) or {}).get("PARTSTAT")
        entry = {"name": name, "email": email, "partstat": str(partstat) if partstat else None}
        attendees.append({k: v for k, v in entry.items() if v})

    rrule = ev.get("RRULE")
    if isinstance(rrule, list):
        rrule = rrule[0] if rrule else None
    rrule_text = rrule.to_ical().decode() if rrule is not None else None
    recurrence_id = _dt_prop(ev, "RECURRENCE-ID")
    status = _text(ev, "STATUS")
    tzid = None
    dtstart_prop = ev.get("DTSTART")
    if (
        isinstance(start, datetime)
        and start.tzinfo is None
        and (tzid_param := getattr(dtstart_prop, "params", {}).get("TZID"))
    ):
        tzid = str(tzid_param)  # a TZID that could not be resolved
    raw_categories = ev.get("CATEGORIES")
    if not isinstance(raw_categories, list):
        raw_categories = [] if raw_categories is None else [raw_categories]
    categories: list[str] = []
    for cats in raw_categories:
        categories.extend(str(c).strip() for c in getattr(cats, "cats", []) if str(c).strip())
    tags = [c.casefold() for c in categories]
    recurring = occurrence or recurrence_id is not None or rrule is not None
    if recurring:
        tags.append("recurring")
    if status and status.upper() == "CANCELLED":
        tags.append("cancelled")
    if all_day:
        tags.append("all-day")

    extra: dict[str, Any] = {
        "uid": _text(ev, "UID"),
        "calendar": ctx.calendar,
        "start": _iso(start, ctx.default_tz) if timestamp_or_none is None else None,
        "end": _iso(end, ctx.default_tz),
        "all_day": all_day or None,
        "location": location,
        "status": status,
        "organizer": organizer_email,
        "attendees": attendees,
        "rrule": rrule_text,
        "recurrence_id": _iso(recurrence_id, ctx.default_tz),
        "recurring": recurring or None,
        "unknown_tzid": tzid,
        "conference": _text(ev, "X-GOOGLE-CONFERENCE"),
        "categories": categories,
    }
    third_party = bool(ctx.owner and organizer_email and organizer_email.casefold() != ctx.owner)
    return Record.create(
        ctx.source,
        "event",
        key,
        timestamp=timestamp_or_none,
        tz_known=tz_known,
        title=title,
        text=text,
        url=_text(ev, "URL"),
        creator=organizer_name or ctx.calendar or organizer_email,
        tags=tags,
        extra=extra,
        position=position,
        third_party=third_party,
    )


def _safe_record(
    ev: icalendar.Event, ctx: _Context, position: str, **kwargs: Any
) -> Record | ParseIssue:
    """:func:`_record`, with any unexpected error turned into an issue for this event."""
    try:
        return _record(ev, ctx, position, **kwargs)
    except Exception as exc:
        return ParseIssue(f"unreadable event: {type(exc).__name__}: {exc}", position)


def _fallback_key(ev: icalendar.Event) -> str:
    start = _dt_prop(ev, "DTSTART")
    return f"nouid:{_time_key(start) if start else ''}|{_text(ev, 'SUMMARY') or ''}"


def _newest(ev: icalendar.Event) -> datetime | None:
    """The newest aware date an event carries (DTSTAMP, LAST-MODIFIED, DTSTART)."""
    found = None
    for name in ("DTSTAMP", "LAST-MODIFIED", "CREATED", "DTSTART"):
        value = _dt_prop(ev, name)
        if isinstance(value, datetime) and value.tzinfo is not None:
            value = value.astimezone(UTC)
        elif isinstance(value, date):
            value = datetime(value.year, value.month, value.day, tzinfo=UTC)
        else:
            continue
        if plausible(value) and (found is None or value > found):
            found = value
    return found


class CalendarConnector:
    """Reads iCalendar files: Google Calendar (Takeout) and any other ``.ics``."""

    name = "calendar"
    description = "Calendars: Google Takeout Calendar/*.ics and any iCalendar (.ics) file"
    version = 1

    def __init__(self, now: Callable[[], datetime] | None = None) -> None:
        self._now = now or (lambda: datetime.now(UTC))

    def recognise(self, file: ExportFile) -> float:
        """1.0 for an ``.ics`` that starts with BEGIN:VCALENDAR, 0.5 for the name alone
        (parse then says what is wrong), 0.8 for an extension-less or ``.txt`` file that
        starts like a calendar."""
        if file.suffix in _SUFFIXES:
            return 1.0 if _starts_like_calendar(file.peek_text()) else 0.5
        if file.suffix in ("", ".txt") and _starts_like_calendar(file.peek_text()):
            return 0.8
        return 0.0

    def known_ignored(self, file: ExportFile) -> str | None:
        """Nothing in a calendar export is deliberately skipped."""
        return None

    def parse(self, file: ExportFile) -> Iterator[Record | ParseIssue]:
        """Stream one ``event`` record per VEVENT, then the recurring occurrences."""
        cal = _scan(file)
        for text in cal.timezones:
            try:
                icalendar.Timezone.from_ical(text)  # registers custom TZIDs
            except Exception:  # a broken VTIMEZONE: its events fall back to floating
                continue
        google = "google" in cal.prodid.casefold() or _in_takeout_calendar(file)
        ctx = _Context(
            source=SOURCE_GOOGLE if google else SOURCE_CALENDAR,
            calendar=cal.name or _stem(file.name),
            default_tz=cal.default_tz,
            owner=_owner(file, cal),
        )
        series: dict[str, _Series] = {}
        emitted: set[str] = set()
        count = 0
        for index, text, problem in _iter_events(file):
            position = str(index)
            if text is None:
                yield ParseIssue(problem or "unreadable event", position)
                continue
            count += 1
            try:
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore")
                    ev = icalendar.Event.from_ical(text)
            except Exception as exc:
                yield ParseIssue(f"unreadable event: {type(exc).__name__}: {exc}", position)
                continue
            if not isinstance(ev, icalendar.Event):
                yield ParseIssue("unreadable event", position)
                continue
            if (newest := _newest(ev)) and (ctx.newest is None or newest > ctx.newest):
                ctx.newest = newest
            uid = _text(ev, "UID")
            recurrence_id = _dt_prop(ev, "RECURRENCE-ID")
            if uid and recurrence_id is not None:
                key = f"{uid}|{_time_key(recurrence_id)}"
                series.setdefault(uid, _Series()).overrides.append(ev)
            elif _is_recurring(ev):
                key = uid or _fallback_key(ev)
                entry = series.setdefault(key, _Series())
                entry.master, entry.master_index = ev, index
            else:
                key = uid or _fallback_key(ev)
            result = _safe_record(ev, ctx, position, key=key, master=_is_recurring(ev))
            if isinstance(result, Record):
                emitted.add(key)
            yield result
        if not cal.closed:
            yield ParseIssue("no END:VCALENDAR: the file may be truncated", "end")
        if count == 0 and not cal.closed:
            raise ParseError("truncated iCalendar file: no complete event")
        yield from self._occurrences(series, ctx, emitted)

    def _horizon(self, ctx: _Context) -> datetime:
        """Expand occurrences up to two years after the export, at most a year from now."""
        now = self._now()
        limit = now + HORIZON_AFTER_NOW
        if ctx.newest is None:
            return limit
        return min(ctx.newest + HORIZON_AFTER_EXPORT, limit)

    def _occurrences(
        self, series: dict[str, _Series], ctx: _Context, emitted: set[str]
    ) -> Iterator[Record | ParseIssue]:
        """The recent occurrences of every recurring series (see the module docstring)."""
        horizon = self._horizon(ctx)
        for uid, entry in series.items():
            if entry.master is None:
                continue
            position = str(entry.master_index)
            try:
                found = _expand(entry, horizon)
            except Exception as exc:
                yield ParseIssue(
                    f"cannot expand the recurrence of {uid!r}: {type(exc).__name__}: {exc}",
                    position,
                )
                continue
            for key_time, component in found:
                key = f"{uid}|{key_time}"
                if key in emitted:
                    continue  # an edited instance, already read as its own event
                emitted.add(key)
                yield _safe_record(
                    component, ctx, f"{position}@{key_time}", key=key, occurrence=True
                )


def _expand(entry: _Series, horizon: datetime) -> list[tuple[str, icalendar.Event]]:
    """The most recent occurrences of a series up to ``horizon``: walk back from the
    horizon in growing spans until enough are found or the series start is passed."""
    assert entry.master is not None
    container = icalendar.Calendar()
    container.add_component(entry.master)
    for override in entry.overrides:
        container.add_component(override)
    query = recurring_ical_events.of(container)
    start = _dt_prop(entry.master, "DTSTART")
    if start is None:
        return []
    first, _, _ = _to_utc(start, None)
    first = max(first, MIN_PLAUSIBLE) - timedelta(days=1)  # any offset of floating times
    rrule = entry.master.get("RRULE")
    if isinstance(rrule, list):
        rrule = rrule[0] if rrule else None
    freq = str((rrule or {}).get("FREQ", ["DAILY"])[0]).upper() if rrule else "YEARLY"
    span = _SPANS.get(freq, timedelta(days=5 * 365))
    found: dict[str, icalendar.Event] = {}
    stop = horizon
    while len(found) < MAX_OCCURRENCES and stop > first:
        begin = max(stop - span, first)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            for component in query.between(begin, stop):
                original = _dt_prop(component, "RECURRENCE-ID") or _dt_prop(component, "DTSTART")
                if original is not None and plausible(_sort_time(component)):
                    found.setdefault(_time_key(original), component)
        stop = begin
        span *= 2
    ordered = sorted(found.items(), key=lambda item: _sort_time(item[1]))
    return ordered[-MAX_OCCURRENCES:]


def _sort_time(component: icalendar.Event) -> datetime:
    start = _dt_prop(component, "DTSTART")
    return _to_utc(start, None)[0] if start is not None else datetime.min.replace(tzinfo=UTC)


CONNECTORS = [CalendarConnector()]

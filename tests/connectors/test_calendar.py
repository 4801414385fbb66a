"""Calendars: Google Takeout .ics (real and German-layout fixtures) and other .ics files."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from connectors import all_connectors
from connectors.base import ExportFile, ParseError, ParseIssue, Record, record_id
from connectors.calendar import CONNECTORS, CalendarConnector
from connectors.discover import iter_files, route

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
REAL = FIXTURES / "real/google_takeout/icalendar"
GERMAN_REL = "Takeout/Kalender/anna.beispiel@gmail.com.ics"
GERMAN = FIXTURES / "calendar/takeout-de" / GERMAN_REL
OTHER = FIXTURES / "calendar/other/Team Kalender.ics"

NOW = datetime(2024, 1, 1, tzinfo=UTC)
CAL = CalendarConnector(now=lambda: NOW)
DENTIST = "3k9zahnarzt0001@google.com"


def _parse(
    file: ExportFile, connector: CalendarConnector = CAL
) -> tuple[list[Record], list[ParseIssue]]:
    out = list(connector.parse(file))
    records = [r for r in out if isinstance(r, Record)]
    issues = [i for i in out if isinstance(i, ParseIssue)]
    assert len(records) + len(issues) == len(out)
    return records, issues


def _ics(*events: str, header: str = "") -> bytes:
    body = "".join(f"BEGIN:VEVENT\r\n{e.strip()}\r\nEND:VEVENT\r\n" for e in events)
    return (
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Example//Test//EN\r\n"
        f"{header}{body}END:VCALENDAR\r\n"
    ).encode()


def test_module_exposes_connector() -> None:
    assert [c.name for c in CONNECTORS] == ["calendar"]


# ------------------------------------------------------------------ real Google exports


def test_real_google_exports_share_one_id() -> None:
    ids = []
    for name in ("alarm_google_future.ics", "alarm_google_acknowledged.ics"):
        file = ExportFile.from_path(REAL / name, f"Takeout/Calendar/{name}")
        assert CAL.recognise(file) == 1.0
        (record,), issues = _parse(file)
        assert issues == []
        assert record.source == "google.calendar"
        assert record.kind == "event"
        assert record.title == "event with alarms"
        assert record.creator == "Nicco Kunzmann"  # X-WR-CALNAME: no ORGANIZER
        assert record.timestamp == datetime(2024, 10, 4, 18, 15, tzinfo=UTC)
        assert record.tz_known is True
        assert record.extra == {
            "uid": "79fs7pkqvht9m5igs0vjv1sfra@google.com",
            "calendar": "Nicco Kunzmann",
            "end": "2024-10-04T19:00:00+00:00",
            "status": "CONFIRMED",
        }
        assert record.text is None  # VALARM descriptions are not the event's
        ids.append(record.id)
    # Two exports of the same event (alarm acknowledged in between): one record.
    assert ids[0] == ids[1] == record_id("google.calendar", "79fs7pkqvht9m5igs0vjv1sfra@google.com")


# ------------------------------------------------------------------ German Takeout layout


@pytest.fixture(scope="module")
def german() -> tuple[list[Record], list[ParseIssue]]:
    return _parse(ExportFile.from_path(GERMAN, GERMAN_REL))


def _by_uid(records: list[Record], uid: str) -> list[Record]:
    return [r for r in records if r.extra.get("uid") == uid]


def test_german_single_events(german: tuple[list[Record], list[ParseIssue]]) -> None:
    records, _ = german
    assert {r.source for r in records} == {"google.calendar"}
    (holiday,) = _by_uid(records, "urlaub2023@google.com")
    assert holiday.title == "Urlaub Gardasee"
    assert holiday.timestamp == datetime(2023, 8, 1, tzinfo=UTC)
    assert holiday.tz_known is False
    assert holiday.extra["all_day"] is True
    assert holiday.extra["end"] == "2023-08-15"
    assert "all-day" in holiday.tags

    (meeting,) = _by_uid(records, "7b1c0e2e8f3a4d1b9c6e@google.com")
    assert meeting.title == "Reiseplanung München"
    assert meeting.creator == "Klaus Weber"
    assert meeting.timestamp == datetime(2023, 3, 21, 13, 0, tzinfo=UTC)
    assert meeting.third_party is True  # organised by someone else than the owner
    assert meeting.text == (
        "Abstimmung Reiseplanung\nBitte die Zugzeiten mitbringen.\n\n"
        "Join with Google Meet: https://meet.google.com/abc-defg-hij"
    )
    assert meeting.extra["attendees"] == [
        {
            "name": "anna.beispiel@gmail.com",
            "email": "anna.beispiel@gmail.com",
            "partstat": "ACCEPTED",
        },
        {"name": "Klaus Weber", "email": "klaus.weber@example.de", "partstat": "ACCEPTED"},
        {"email": "lena@example.de", "partstat": "NEEDS-ACTION"},
    ]
    assert meeting.extra["conference"] == "https://meet.google.com/abc-defg-hij"
    assert meeting.extra["organizer"] == "klaus.weber@example.de"

    (concert,) = _by_uid(records, "floating-konzert@google.com")
    # Floating time read in the calendar's X-WR-TIMEZONE (Europe/Berlin, CEST).
    assert concert.timestamp == datetime(2023, 5, 5, 17, 0, tzinfo=UTC)
    assert concert.tz_known is True
    assert concert.creator == "anna.beispiel@gmail.com"


def test_german_broken_start_is_an_issue(german: tuple[list[Record], list[ParseIssue]]) -> None:
    records, issues = german
    assert [(i.position, i.message) for i in issues] == [
        ("5", "event 'Kaputter Termin': unreadable DTSTART 2023-06-31T25:00")
    ]
    assert not _by_uid(records, "broken-start@google.com")


def test_german_recurring_dentist(german: tuple[list[Record], list[ParseIssue]]) -> None:
    records, _ = german
    dentist = _by_uid(records, DENTIST)
    master = dentist[0]
    assert master.id == record_id("google.calendar", DENTIST)
    assert master.title == "Zahnarzt Dr. Weiß"
    assert master.timestamp == datetime(2023, 1, 10, 8, 0, tzinfo=UTC)
    assert master.extra["rrule"] == "FREQ=MONTHLY;INTERVAL=3;BYMONTHDAY=10"
    assert master.text == (
        "Kontrolle und Zahnreinigung\nVersichertenkarte mitbringen!\n\n"
        "Praxis Dr. Weiß, Hauptstr. 1, 80331 München"
    )
    assert master.third_party is False
    starts = sorted(r.timestamp for r in dentist[1:] if r.timestamp)
    # Every 3 months from January 2023; April 2023 is an EXDATE; July 2023 was moved to
    # the afternoon; the horizon is a year from "now" (2024-01-01).
    assert starts == [
        datetime(2023, 1, 10, 8, 0, tzinfo=UTC),
        datetime(2023, 7, 10, 13, 30, tzinfo=UTC),
        datetime(2023, 10, 10, 7, 0, tzinfo=UTC),
        datetime(2024, 1, 10, 8, 0, tzinfo=UTC),
        datetime(2024, 4, 10, 7, 0, tzinfo=UTC),
        datetime(2024, 7, 10, 7, 0, tzinfo=UTC),
        datetime(2024, 10, 10, 7, 0, tzinfo=UTC),
    ]
    assert all(r.extra["recurring"] for r in dentist)
    # The edited instance replaces the generated occurrence: one record with its key.
    moved_id = record_id("google.calendar", f"{DENTIST}|2023-07-10T07:00:00Z")
    (moved,) = [r for r in records if r.id == moved_id]
    assert moved.title == "Zahnarzt Dr. Weiß (verschoben)"
    assert moved.extra["recurrence_id"] == "2023-07-10T07:00:00+00:00"
    occurrence = next(r for r in dentist if r.timestamp == datetime(2024, 4, 10, 7, 0, tzinfo=UTC))
    assert occurrence.id == record_id("google.calendar", f"{DENTIST}|2024-04-10T07:00:00Z")
    assert occurrence.title == "Zahnarzt Dr. Weiß"
    assert "rrule" not in occurrence.extra
    assert len({r.id for r in records}) == len(records)


def test_german_finished_series_and_cancelled_instance(
    german: tuple[list[Record], list[ParseIssue]],
) -> None:
    yoga = _by_uid(german[0], "yoga-kurs-2022@google.com")
    by_start = {r.timestamp: r for r in yoga[1:]}
    assert sorted(by_start) == [
        datetime(2022, 1, day, 17, 30, tzinfo=UTC) for day in (10, 17, 24, 31)
    ]
    cancelled = by_start[datetime(2022, 1, 24, 17, 30, tzinfo=UTC)]
    assert cancelled.extra["status"] == "CANCELLED"
    assert "cancelled" in cancelled.tags


def test_german_birthday_from_1960(german: tuple[list[Record], list[ParseIssue]]) -> None:
    birthdays = _by_uid(german[0], "geburtstag-mama@google.com")
    master = birthdays[0]
    # 1960 is not a plausible record time: the master keeps its date in extra only.
    assert master.timestamp is None
    assert master.extra["start"] == "1960-04-15"
    years = [r.timestamp.year for r in birthdays[1:] if r.timestamp]
    assert years == list(range(1971, 2025))
    assert all(r.extra["all_day"] for r in birthdays[1:])


def test_horizon_is_two_years_after_the_export() -> None:
    later = CalendarConnector(now=lambda: datetime(2030, 1, 1, tzinfo=UTC))
    records, _ = _parse(ExportFile.from_path(GERMAN, GERMAN_REL), later)
    last = max(r.timestamp for r in _by_uid(records, DENTIST) if r.timestamp)
    # DTSTAMP (export time) is 2023-09-15: occurrences stop two years later.
    assert last == datetime(2025, 7, 10, 7, 0, tzinfo=UTC)


def test_daily_series_keeps_the_latest_500() -> None:
    data = _ics(
        "UID:daily@x\r\nDTSTAMP:20230101T000000Z\r\nDTSTART:20200101T090000Z\r\n"
        "SUMMARY:Standup\r\nRRULE:FREQ=DAILY"
    )
    connector = CalendarConnector(now=lambda: datetime(2023, 6, 1, tzinfo=UTC))
    records, issues = _parse(ExportFile.from_bytes("work.ics", data), connector)
    assert issues == []
    occurrences = [r for r in records if r.extra.get("recurrence_id")]
    assert len(occurrences) == 500
    starts = sorted(r.timestamp for r in occurrences if r.timestamp)
    assert starts[-1] == datetime(2024, 5, 30, 9, 0, tzinfo=UTC)  # now + 365 days
    assert starts[0] == starts[-1] - timedelta(days=499)


# ------------------------------------------------------------------ other calendars


def test_outlook_calendar_with_windows_and_custom_zones() -> None:
    file = ExportFile.from_path(OTHER, "Documents/Team Kalender.ics")
    records, issues = _parse(file)
    assert issues == []
    planning, breakfast = records
    assert planning.source == "calendar"
    assert planning.title == "Quartalsplanung Q4"
    assert planning.creator == "Müller, Petra"
    # TZID "W. Europe Standard Time" -> Europe/Berlin (CEST in October).
    assert planning.timestamp == datetime(2023, 10, 12, 8, 0, tzinfo=UTC)
    assert planning.tags == ["planung", "team"]
    assert planning.text == "Quartalsplanung mit allen Teams.\nAgenda folgt.\n\nRaum 4.12"
    # A zone defined only by the file's VTIMEZONE (+05:30).
    assert breakfast.timestamp == datetime(2023, 10, 20, 2, 30, tzinfo=UTC)
    assert breakfast.creator == "Team Kalender"
    assert breakfast.id == record_id("calendar", "nouid:2023-10-20T02:30:00Z|Frühstück ohne UID")


def test_series_without_uid_is_expanded() -> None:
    data = _ics(
        "DTSTART;VALUE=DATE:20230601\r\nSUMMARY:Rent\r\nRRULE:FREQ=MONTHLY;COUNT=3\r\n"
        "DTSTAMP:20230601T000000Z"
    )
    records, issues = _parse(ExportFile.from_bytes("x.ics", data))
    assert issues == []
    assert [r.timestamp for r in records] == [
        datetime(2023, 6, 1, tzinfo=UTC),
        datetime(2023, 6, 1, tzinfo=UTC),
        datetime(2023, 7, 1, tzinfo=UTC),
        datetime(2023, 8, 1, tzinfo=UTC),
    ]
    master_key = "nouid:2023-06-01|Rent"
    assert records[0].id == record_id("calendar", master_key)
    assert records[3].id == record_id("calendar", f"{master_key}|2023-08-01")


def test_unknown_tzid_is_floating() -> None:
    data = _ics("UID:u1\r\nDTSTART;TZID=Mars/Olympus:20230301T120000\r\nSUMMARY:Landing")
    (record,), _ = _parse(ExportFile.from_bytes("x.ics", data))
    assert record.timestamp == datetime(2023, 3, 1, 12, 0, tzinfo=UTC)
    assert record.tz_known is False
    assert record.extra["unknown_tzid"] == "Mars/Olympus"


def test_source_from_takeout_path_without_google_prodid() -> None:
    data = _ics("UID:u2\r\nDTSTART:20230301T120000Z\r\nSUMMARY:Lunch")
    (inside,), _ = _parse(ExportFile.from_bytes("Takeout/Calendar/Family.ics", data))
    (outside,), _ = _parse(ExportFile.from_bytes("Downloads/Family.ics", data))
    assert inside.source == "google.calendar"
    assert outside.source == "calendar"
    assert inside.creator == outside.creator == "Family"  # file name as calendar name


def test_html_description_is_stripped() -> None:
    data = _ics(
        "UID:u3\r\nDTSTART:20230301T120000Z\r\nSUMMARY:Party\r\n"
        "DESCRIPTION:<p>Bring <b>cake</b></p><ul><li>Candles</li><li>Plates</li></ul>\r\n"
        "LOCATION:Garden"
    )
    (record,), _ = _parse(ExportFile.from_bytes("x.ics", data))
    assert record.text == "Bring cake\n\nCandles\nPlates\n\nGarden"


# ------------------------------------------------------------------ broken files


@pytest.mark.parametrize(
    "data",
    [b"<!DOCTYPE html><html><body>Sign in</body></html>", b"\x00\x01\x02binary\xff"],
)
def test_not_a_calendar_raises_parse_error(data: bytes) -> None:
    file = ExportFile.from_bytes("Takeout/Calendar/x.ics", data)
    assert CAL.recognise(file) == 0.5
    with pytest.raises(ParseError, match="not an iCalendar file"):
        list(CAL.parse(file))


def test_truncated_file_keeps_complete_events() -> None:
    data = GERMAN.read_bytes()
    cut = data[: data.index(b"SUMMARY:Konzert")]
    records, issues = _parse(ExportFile.from_bytes(GERMAN_REL, cut))
    assert "Urlaub Gardasee" in {r.title for r in records}
    messages = [i.message for i in issues]
    assert "the file ends inside this event (truncated?)" in messages
    assert "no END:VCALENDAR: the file may be truncated" in messages


def test_truncated_before_any_event_fails() -> None:
    cut = GERMAN.read_bytes()[:900]
    with pytest.raises(ParseError, match="truncated"):
        list(CAL.parse(ExportFile.from_bytes(GERMAN_REL, cut)))


def test_oversized_event_is_an_issue(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("connectors.calendar.MAX_EVENT_BYTES", 300)
    data = _ics(
        "UID:a\r\nDTSTART:20230301T120000Z\r\nSUMMARY:Small",
        "UID:b\r\nDTSTART:20230302T120000Z\r\nSUMMARY:Big\r\nATTACH:" + "Q" * 400,
        "UID:c\r\nDTSTART:20230303T120000Z\r\nSUMMARY:After",
    )
    records, issues = _parse(ExportFile.from_bytes("x.ics", data))
    assert [r.title for r in records] == ["Small", "After"]
    assert [i.position for i in issues] == ["1"]
    assert "exceeds" in issues[0].message


def test_event_without_start_is_an_issue() -> None:
    data = _ics("UID:x\r\nSUMMARY:No start", "UID:y\r\nDTSTART:20230301T120000Z\r\nSUMMARY:Ok")
    records, issues = _parse(ExportFile.from_bytes("x.ics", data))
    assert [r.title for r in records] == ["Ok"]
    assert [(i.position, i.message) for i in issues] == [("0", "event 'No start': no DTSTART")]


# ------------------------------------------------------------------ recognition, routing


@pytest.mark.parametrize(
    ("relpath", "data", "score"),
    [
        (GERMAN_REL, GERMAN.read_bytes(), 1.0),
        ("Takeout/Calendar/Holidays.ics", _ics(), 1.0),
        ("Downloads/invite", _ics(), 0.8),
        ("Takeout/Calendar/x.ics", b"garbage", 0.5),
        ("notes/todo.txt", b"buy milk", 0.0),
        ("contacts.vcf", b"BEGIN:VCARD\r\nEND:VCARD\r\n", 0.0),
        ("Takeout/Kalender/x.json", b"{}", 0.0),
    ],
)
def test_recognise(relpath: str, data: bytes, score: float) -> None:
    assert CAL.recognise(ExportFile.from_bytes(relpath, data)) == score


def test_known_ignored_is_none() -> None:
    assert CAL.known_ignored(ExportFile.from_bytes("Takeout/Calendar/x.ics", b"x")) is None


def test_claims_no_other_platforms_fixture() -> None:
    mine = ("calendar/", "real/google_takeout/icalendar/")
    for found in iter_files(FIXTURES):
        file = found.file
        if file.relpath.startswith(mine):
            continue
        decision = route(file, all_connectors())
        ours = decision.connector is not None and decision.connector.name == "calendar"
        assert not ours, f"calendar connector claims {file.relpath}"

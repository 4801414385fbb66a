"""WhatsApp chat exports: chat-miner agreement, iOS zip, Android 12 h, date-order inference."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from connectors import all_connectors
from connectors.base import ExportFile, ParseError, ParseIssue, Record
from connectors.discover import iter_files, route
from connectors.whatsapp import CONNECTORS, WhatsAppConnector, chat_name_from_path

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
OWN = FIXTURES / "whatsapp"
CHAT_MINER = FIXTURES / "real" / "whatsapp" / "chat-miner"

connector = WhatsAppConnector()


def parse(file: ExportFile) -> tuple[list[Record], list[ParseIssue]]:
    items = list(connector.parse(file))
    records = [i for i in items if isinstance(i, Record)]
    issues = [i for i in items if isinstance(i, ParseIssue)]
    assert len(records) + len(issues) == len(items)
    return records, issues


def text_file(relpath: str, lines: list[str], newline: str = "\n") -> ExportFile:
    return ExportFile.from_bytes(relpath, (newline.join(lines) + newline).encode("utf-8"))


def ios_chat() -> ExportFile:
    """A copy of the iOS ``_chat.txt`` member, with the path discovery gives it."""
    for found in iter_files(OWN / "WhatsApp Chat - Lisbon trip.zip"):
        if found.file.name == "_chat.txt":
            with found.file.open() as fh:
                return ExportFile.from_bytes(found.file.relpath, fh.read())
    raise AssertionError("no _chat.txt in the zip")


def test_ios_zip_is_read_in_place() -> None:
    routes = {}
    for found in iter_files(OWN / "WhatsApp Chat - Lisbon trip.zip"):
        decision = route(found.file, all_connectors())
        routes[found.file.name] = (
            decision.connector.name if decision.connector else decision.outcome
        )
        if found.file.name == "_chat.txt":
            assert found.file.relpath == "WhatsApp Chat - Lisbon trip.zip/_chat.txt"
            assert len(parse(found.file)[0]) == 9
    assert routes == {"_chat.txt": "whatsapp", "00000012-PHOTO-2023-04-04-18-02-11.jpg": "ignored"}


def wall(hour_min: str, day: str) -> datetime:
    return datetime.fromisoformat(f"{day}T{hour_min}").replace(tzinfo=UTC)


def test_registered() -> None:
    assert [c.name for c in CONNECTORS] == ["whatsapp"]


@pytest.mark.parametrize(
    "name",
    [
        "test_[mmddyy]_24hrs.txt",
        "test_ddmmyy_24hrs.txt",
        "test_mmddyy_24hrs.txt",
        "test_mmddyyyy_12hrs.txt",
        "test_yyyymmdd_24hrs.txt",
    ],
)
def test_agrees_with_chat_miner_target(name: str) -> None:
    """Field by field against chat-miner's expected results (newest first there).

    Deliberate difference: chat-miner joins continuation lines with a space; we keep
    the line break, so the comparison folds ``\\n`` to a space. System lines and the
    empty ``John Doe:.`` line are dropped, as in the target.
    """
    target = json.loads((CHAT_MINER / "target.json").read_text(encoding="utf-8"))
    records, issues = parse(ExportFile.from_path(CHAT_MINER / name))
    assert issues == []
    newest_first = sorted(records, key=lambda r: r.timestamp or datetime.min, reverse=True)
    assert len(newest_first) == len(target) == 6
    for record, expected in zip(newest_first, target, strict=True):
        assert record.timestamp is not None
        assert record.tz_known is False
        assert record.timestamp.replace(tzinfo=None).isoformat() == expected["timestamp"]
        assert record.creator == expected["author"]
        assert record.text is not None
        assert record.text.replace("\n", " ") == expected["message"]
    multi_line = next(r for r in records if r.creator == "Jahn Doe")
    assert multi_line.text == (
        "Lorem ipsum dolor sit amet,\nconsectetur adipiscing elit. Duis libero."
    )


def test_ios_zip_crlf_lrm_media_edits_and_system_lines() -> None:
    records, issues = parse(ios_chat())

    # System lines ("Lisbon trip: ‎Messages and calls…", "… added Rui Lopes") and the
    # deleted message are dropped; the 31/02 line is a bad row with its continuation.
    assert issues == [
        ParseIssue("impossible date or time in '[31/02/2023, 10:00:00] Rui Lopes: this l'", "15")
    ]
    assert [(r.creator, r.text) for r in records] == [
        ("Tomás Ferreira", "Who's in for Lisbon in May?"),
        ("Inês Duarte", "Me! Let me check flights:\ncheapest is on the 12th\nand back on the 19th"),
        ("Inês Duarte", "[media: image]"),
        ("Tomás Ferreira", "Nice 😍"),
        ("Ana Costa", "ok"),
        ("Ana Costa", "ok"),
        ("Tomás Ferreira", "[media: image]"),
        ("Rui Lopes", "Thanks for adding me: see you there"),
        ("Inês Duarte", "[media: document]"),
    ]
    for record in records:
        assert "\r" not in (record.text or "")
        assert "\u200e" not in (record.text or "") + (record.creator or "")
        assert record.source == "whatsapp"
        assert record.kind == "message"
        assert record.tz_known is False
        assert record.third_party is False
        assert record.extra["chat"] == "Lisbon trip"
        assert record.extra["chat_type"] == "group"
        assert "group" in record.tags

    first = records[0]
    assert first.title == "Tomás Ferreira in “Lisbon trip” (WhatsApp)"
    # 03/04 alone is ambiguous; 15/04 later in the file makes the whole file day-first.
    assert first.timestamp == datetime(2023, 4, 3, 9, 16, 40, tzinfo=UTC)
    assert first.position == "3"
    assert first.extra["participants"] == [
        "Tomás Ferreira",
        "Inês Duarte",
        "Ana Costa",
        "Rui Lopes",
    ]
    assert first.extra["date_order"] == "day-first"

    photo = records[2]
    assert photo.extra["media"] == ["00000012-PHOTO-2023-04-04-18-02-11.jpg"]
    assert photo.extra["media_type"] == "image"
    assert "media" in photo.tags
    assert records[3].extra["edited"] is True
    assert records[6].extra["media"] == ["image omitted"]
    assert records[8].extra["media"] == ["00000019-Boarding pass.pdf"]
    assert records[8].timestamp == datetime(2023, 4, 16, 7, 45, tzinfo=UTC)

    # Identical messages in the same minute stay two records.
    assert records[4].id != records[5].id
    assert len({r.id for r in records}) == len(records)


def test_android_12h_with_narrow_no_break_space() -> None:
    records, issues = parse(ExportFile.from_path(OWN / "WhatsApp Chat with Priya Nair.txt"))
    assert issues == []
    assert [(r.timestamp, r.creator, r.text) for r in records] == [
        (wall("21:05", "2023-12-24"), "Priya Nair", "Merry Christmas! 🎄"),
        (wall("21:06", "2023-12-24"), "Sam Okafor", "Merry Christmas Priya!"),
        (wall("21:07", "2023-12-24"), "Priya Nair", "[media]"),
        (wall("00:15", "2023-12-25"), "Sam Okafor", "[media: image]\nMidnight snow"),
        (wall("12:20", "2023-12-25"), "Sam Okafor", "Lunch at 1?"),
        # "You deleted this message" is dropped; U+00A0 before AM works too.
        (
            wall("08:00", "2023-12-26"),
            "Priya Nair",
            "Location: https://maps.google.com/?q=51.5,-0.12",
        ),
    ]
    assert records[0].title == "Priya Nair in “Priya Nair” (WhatsApp)"
    assert records[0].extra["chat_type"] == "private"
    assert records[0].extra["date_order"] == "month-first"
    assert records[2].extra["media"] == ["<Media omitted>"]
    assert "media_type" not in records[2].extra
    assert records[3].extra["media"] == ["IMG-20231225-WA0003.jpg"]
    assert records[3].extra["media_type"] == "image"


def test_day_first_when_only_a_late_line_tells() -> None:
    records, issues = parse(ExportFile.from_path(OWN / "WhatsApp Chat mit Jonas Weber.txt"))
    assert issues == []
    assert [r.timestamp for r in records] == [
        datetime(2022, 2, 1, 8, 30, tzinfo=UTC),
        datetime(2022, 2, 2, 9, 0, tzinfo=UTC),
        datetime(2022, 2, 3, 18, 45, tzinfo=UTC),
        datetime(2022, 2, 13, 10, 0, tzinfo=UTC),
    ]
    assert records[0].extra["chat"] == "Jonas Weber"
    assert records[0].title == "Jonas Weber in “Jonas Weber” (WhatsApp)"


@pytest.mark.parametrize(
    ("lines", "expected"),
    [
        # No field above 12: the order whose dates run forward wins.
        (
            [
                "01/02/22, 10:00 - A: a",
                "03/02/22, 10:00 - B: b",
                "10/02/22, 10:00 - A: c",
                "02/03/22, 10:00 - B: d",
            ],
            datetime(2022, 3, 2, 10, 0, tzinfo=UTC),
        ),
        (
            [
                "02/01/22, 10:00 - A: a",
                "02/03/22, 10:00 - B: b",
                "02/10/22, 10:00 - A: c",
                "03/01/22, 10:00 - B: d",
            ],
            datetime(2022, 3, 1, 10, 0, tzinfo=UTC),
        ),
    ],
)
def test_fully_ambiguous_dates_follow_the_direction_of_time(
    lines: list[str], expected: datetime
) -> None:
    records, _ = parse(text_file("WhatsApp Chat with A.txt", lines))
    assert records[-1].timestamp == expected


@pytest.mark.parametrize(
    ("line", "expected", "sender", "text"),
    [
        ("13.6.2018 klo 21.25.15 - Aino: moi", datetime(2018, 6, 13, 21, 25, 15), "Aino", "moi"),
        ("13. 6. 2018. 21:25:15 Petr: ahoj", datetime(2018, 6, 13, 21, 25, 15), "Petr", "ahoj"),
        ("[2020-01-01, 12:00:01] Li: hi", datetime(2020, 1, 1, 12, 0, 1), "Li", "hi"),
        ("[13/6/18 1:55:00 p. m.] Ana: hola", datetime(2018, 6, 13, 13, 55), "Ana", "hola"),
        ("[06.13.18 21:25:15] Bo: hej", datetime(2018, 6, 13, 21, 25, 15), "Bo", "hej"),
        ("13-06-2018, 01.55 PM - Raj: ok", datetime(2018, 6, 13, 13, 55), "Raj", "ok"),
        ("2018/06/13, 00:05 - Kim: late", datetime(2018, 6, 13, 0, 5), "Kim", "late"),
        ("6/13/18, 12:05\u202fAM - Sue: yo", datetime(2018, 6, 13, 0, 5), "Sue", "yo"),
        (
            "13/06/2018, 09:00 - +44 7700 900123: a: b",
            datetime(2018, 6, 13, 9, 0),
            "+44 7700 900123",
            "a: b",
        ),
    ],
)
def test_line_format_variants(line: str, expected: datetime, sender: str, text: str) -> None:
    file = text_file("chat.txt", [line])
    assert connector.recognise(file) == 0.85
    records, issues = parse(file)
    assert issues == []
    [record] = records
    assert record.timestamp == expected.replace(tzinfo=UTC)
    assert (record.creator, record.text) == (sender, text)


def test_longer_export_of_the_same_chat_shares_ids() -> None:
    short = text_file(
        "WhatsApp Chat with Priya Nair.txt",
        [
            "24/12/2023, 21:05 - Priya Nair: hi",
            "24/12/2023, 21:05 - Priya Nair: hi",
            "25/12/2023, 08:00 - Sam Okafor: morning",
        ],
    )
    longer = text_file(
        "phone/WhatsApp Chat with Priya Nair.txt",
        [
            "20/12/2023, 10:00 - Sam Okafor: plans?",
            "24/12/2023, 21:05 - Priya Nair: hi",
            "24/12/2023, 21:05 - Priya Nair: hi",
            "25/12/2023, 08:00 - Sam Okafor: morning",
            "26/12/2023, 08:00 - Sam Okafor: bye",
        ],
        newline="\r\n",
    )
    short_ids = [r.id for r in parse(short)[0]]
    long_ids = [r.id for r in parse(longer)[0]]
    assert len(set(short_ids)) == 3
    assert long_ids[1:4] == short_ids
    # iOS-style seconds land in the same minute: the same message, the same id.
    ios = text_file(
        "x/WhatsApp Chat - Priya Nair.zip/_chat.txt", ["[25/12/2023, 08:00:41] Sam Okafor: morning"]
    )
    assert parse(ios)[0][0].id == short_ids[2]


def test_chat_name_from_paths() -> None:
    assert chat_name_from_path("WhatsApp Chat with Priya Nair.txt") == "Priya Nair"
    assert chat_name_from_path("dl/WhatsApp Chat with Priya Nair (1).txt") == "Priya Nair"
    assert chat_name_from_path("WhatsApp Chat - Lisbon trip.zip/_chat.txt") == "Lisbon trip"
    assert chat_name_from_path("Chat de WhatsApp con Ana.txt") == "Ana"
    assert chat_name_from_path("exports/_chat.txt") is None


def test_unnamed_export_is_named_after_participants() -> None:
    records, _ = parse(
        text_file("notes.txt", ["01/01/2021, 10:00 - Bob: hi", "01/01/2021, 10:01 - Al: yo"])
    )
    assert records[0].extra["chat"] == "Al, Bob"
    assert records[0].title == "Bob in “Al, Bob” (WhatsApp)"


def test_recognition() -> None:
    assert (
        connector.recognise(ExportFile.from_path(OWN / "WhatsApp Chat with Priya Nair.txt")) == 0.95
    )
    assert connector.recognise(ios_chat()) == 0.95
    assert connector.recognise(ExportFile.from_path(CHAT_MINER / "test_ddmmyy_24hrs.txt")) == 0.85
    # .txt files that are not chats.
    log = text_file("server.txt", ["2021-01-01 12:00:00 INFO started", "2021-01-01 12:00:01 ok"])
    assert connector.recognise(log) == 0.0
    listing = FIXTURES / "real/google_takeout/google_takeout_parser/layout_en_RecentTakeout.txt"
    assert connector.recognise(ExportFile.from_path(listing)) == 0.0
    assert connector.recognise(text_file("chat.json", ["01/01/2021, 10:00 - Bob: hi"])) == 0.0
    # An export name with no chat inside still routes here, to fail with a reason.
    assert connector.recognise(ExportFile.from_path(OWN / "WhatsApp Chat with Broken.txt")) == 0.5
    assert connector.known_ignored(ios_chat()) is None


def test_broken_file_fails_with_reason() -> None:
    with pytest.raises(ParseError, match="no WhatsApp message lines"):
        parse(ExportFile.from_path(OWN / "WhatsApp Chat with Broken.txt"))


def test_lines_before_the_first_message_are_reported() -> None:
    records, issues = parse(
        text_file("chat.txt", ["garbage", "01/01/2021, 10:00 - Bob: hi", "more text"])
    )
    assert [(r.creator, r.text) for r in records] == [("Bob", "hi\nmore text")]
    assert issues == [ParseIssue("1 line(s) before the first message were skipped", "1")]

"""Google Keep notes from Google Takeout (connectors/google/keep.py)."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from connectors.base import ExportFile, ParseError, ParseIssue, Record
from connectors.discover import route
from connectors.google.keep import CONNECTORS, KeepConnector

FIXTURES = Path(__file__).parent.parent / "fixtures"
REAL = FIXTURES / "real/google_takeout/potluck-synthetic/Takeout/Keep/Ember Walnut Hazel.json"
MINE = FIXTURES / "google/keep/Takeout/Keep"
KEEP = KeepConnector()


def _parse(file: ExportFile) -> tuple[list[Record], list[ParseIssue]]:
    out = list(KEEP.parse(file))
    return [r for r in out if isinstance(r, Record)], [i for i in out if isinstance(i, ParseIssue)]


def _one(path: Path, relpath: str | None = None) -> Record:
    file = ExportFile.from_path(path, relpath or f"Takeout/Keep/{path.name}")
    records, issues = _parse(file)
    assert issues == []
    assert len(records) == 1
    return records[0]


def _note(**fields: Any) -> bytes:
    base: dict[str, Any] = {
        "color": "DEFAULT",
        "isTrashed": False,
        "isPinned": False,
        "isArchived": False,
        "textContent": "Buy stamps",
        "title": "Errands",
        "userEditedTimestampUsec": 1700000000000000,
    }
    base.update(fields)
    return json.dumps({k: v for k, v in base.items() if v is not None}).encode()


def test_module_exposes_connector() -> None:
    assert [c.name for c in CONNECTORS] == ["google.keep"]


def test_real_fixture_edited_zero_falls_back_to_created() -> None:
    record = _one(REAL)
    assert record.source == "google.keep"
    assert record.kind == "note"
    assert record.title == "Ember Walnut Hazel"
    assert record.text == "Violet cedar cedar indigo dune rowan maple."
    # userEditedTimestampUsec is 0: the creation time is used, not 1970.
    assert record.timestamp == datetime(2020, 1, 1, 0, 14, tzinfo=UTC)
    assert record.tz_known is True
    assert record.tags == []
    assert record.extra == {"color": "GREEN", "created": "2020-01-01T00:14:00+00:00"}
    assert record.third_party is False
    assert record.creator is None


def test_checklist_note() -> None:
    record = _one(MINE / "Groceries.json")
    assert record.title == "Groceries"
    assert record.text == "[ ] Oat milk\n[x] Coffee beans\n[ ] Crème fraîche"
    assert record.tags == ["home", "shopping", "pinned", "checklist"]
    # Edited time (a digit string, µs kept exactly) wins over the creation time.
    assert record.timestamp == datetime(2023, 11, 14, 22, 13, 20, 123456, tzinfo=UTC)
    assert record.extra == {
        "color": "YELLOW",
        "created": "2023-11-14T19:26:40+00:00",
        "edited": "2023-11-14T22:13:20.123456+00:00",
    }


def test_text_note_with_links_attachments_and_sharees() -> None:
    record = _one(MINE / "Trip ideas.json")
    assert record.title == "Trip ideas"
    assert record.text == "Lisbon in May — tram 28, pastéis de nata.\nPorto after that?= maybe"
    assert record.tags == ["archived"]
    assert record.timestamp == datetime(2020, 4, 27, 15, 6, 40, tzinfo=UTC)
    assert record.extra["annotations"] == [
        {
            "title": "Example Rail",
            "url": "https://rail.example.com/timetables?a=1&b=2",
            "description": "Timetables and fares",
            "source": "WEBLINK",
        }
    ]
    assert record.extra["attachments"] == ["1a2b3c4d5e6f.jpg"]
    assert record.extra["sharees"] == ["ana.sample@example.com", "bo.sample@example.org"]
    assert "created" not in record.extra
    assert record.third_party is False


def test_untitled_trashed_note_without_any_time_has_no_timestamp() -> None:
    record = _one(MINE / "2019-06-01T10_00_00.000+01_00.json")
    assert record.title is None
    assert record.text == "Call the plumber about the kitchen tap"
    assert record.tags == ["trashed"]
    assert record.timestamp is None
    assert "edited" not in record.extra and "created" not in record.extra


def test_same_note_in_two_exports_has_one_id() -> None:
    data = (MINE / "Groceries.json").read_bytes()
    a = _parse(ExportFile.from_bytes("takeout-1/Takeout/Keep/Groceries.json", data))[0][0]
    b = _parse(ExportFile.from_bytes("takeout-2/Takeout/Keep/Groceries(1).json", data))[0][0]
    assert a.id == b.id
    # Times as int or digit string do not change the key.
    as_ints = json.loads(data)
    as_ints["userEditedTimestampUsec"] = 1700000000123456
    as_ints["createdTimestampUsec"] = "1699990000000000"
    c = _parse(ExportFile.from_bytes("Keep/x.json", json.dumps(as_ints).encode()))[0][0]
    assert c.id == a.id


def test_different_notes_with_the_same_title_have_different_ids() -> None:
    one = _parse(ExportFile.from_bytes("Keep/Errands.json", _note()))[0][0]
    other = _parse(ExportFile.from_bytes("Keep/Errands(1).json", _note(textContent="Post")))[0][0]
    later = _parse(
        ExportFile.from_bytes("Keep/Errands(2).json", _note(createdTimestampUsec=1600000000000000))
    )[0][0]
    assert len({one.id, other.id, later.id}) == 3


def test_recognise_by_path_and_content() -> None:
    real = ExportFile.from_path(REAL, "Takeout/Keep/Ember Walnut Hazel.json")
    assert KEEP.recognise(real) == 1.0
    for path in MINE.glob("*.json"):
        assert KEEP.recognise(ExportFile.from_path(path, f"Takeout/Keep/{path.name}")) == 1.0


def test_recognise_by_content_in_a_localised_or_renamed_folder() -> None:
    data = (MINE / "Groceries.json").read_bytes()
    assert KEEP.recognise(ExportFile.from_bytes("Takeout/Notizen/Einkauf.json", data)) == 0.9
    assert KEEP.recognise(ExportFile.from_bytes("backup/x.json", REAL.read_bytes())) == 0.9


def test_recognise_note_without_text_only_in_keep_folder() -> None:
    data = json.dumps({"isTrashed": False, "title": "Photo", "attachments": []}).encode()
    assert KEEP.recognise(ExportFile.from_bytes("Takeout/Keep/Photo.json", data)) == 0.7
    assert KEEP.recognise(ExportFile.from_bytes("Takeout/Other/Photo.json", data)) == 0.0
    (record,) = _parse(ExportFile.from_bytes("Takeout/Keep/Photo.json", data))[0]
    assert record.title == "Photo"
    assert record.text is None


@pytest.mark.parametrize(
    ("relpath", "data"),
    [
        ("Takeout/Keep/Groceries.html", b"<html><body>Groceries</body></html>"),
        ("Takeout/Keep/Labels.txt", b"Home\nShopping\n"),
        ("Takeout/Keep/notes.json", b'[{"textContent": "x", "isTrashed": false}]'),
        ("Takeout/Keep/other.json", b'{"textContent": "x"}'),
        ("Takeout/Chrome/History.json", b'{"Browser History": []}'),
    ],
)
def test_not_recognised(relpath: str, data: bytes) -> None:
    assert KEEP.recognise(ExportFile.from_bytes(relpath, data)) == 0.0


@pytest.mark.parametrize(
    ("relpath", "reason"),
    [
        ("Takeout/Keep/Groceries.html", "Keep note HTML copy; the JSON is read"),
        ("Takeout/Keep/Labels.txt", "Keep label list; labels are read from each note"),
        (
            "Takeout/Keep/1a2b3c4d5e6f.awb",
            "Keep note attachment, not indexed (the note lists it by name)",
        ),
    ],
)
def test_known_ignored(relpath: str, reason: str) -> None:
    assert KEEP.known_ignored(ExportFile.from_bytes(relpath, b"x")) == reason


@pytest.mark.parametrize(
    "relpath", ["Takeout/Keep/Groceries.json", "Takeout/Chrome/Bookmarks.html", "Keep.html"]
)
def test_not_known_ignored(relpath: str) -> None:
    assert KEEP.known_ignored(ExportFile.from_bytes(relpath, b"{}")) is None


def test_truncated_note_raises_parse_error() -> None:
    data = (MINE / "Groceries.json").read_bytes()[:300]
    with pytest.raises(ParseError, match="invalid JSON"):
        list(KEEP.parse(ExportFile.from_bytes("Takeout/Keep/Groceries.json", data)))


def test_json_that_is_not_a_note_raises_parse_error() -> None:
    for data in (b"[]", b'{"isTrashed": false}'):
        with pytest.raises(ParseError, match="not a Keep note"):
            list(KEEP.parse(ExportFile.from_bytes("Takeout/Keep/x.json", data)))


def test_bad_timestamp_is_an_issue_and_the_note_still_parses() -> None:
    data = _note(createdTimestampUsec="yesterday", userEditedTimestampUsec=10**20)
    records, issues = _parse(ExportFile.from_bytes("Takeout/Keep/Errands.json", data))
    assert [r.title for r in records] == ["Errands"]
    assert records[0].timestamp is None
    assert len(issues) == 2
    assert "createdTimestampUsec" in issues[0].message
    assert "userEditedTimestampUsec" in issues[1].message
    assert issues[0].position == "Takeout/Keep/Errands.json"


def test_edited_missing_and_created_as_string() -> None:
    data = _note(userEditedTimestampUsec=None, createdTimestampUsec="1600000000000001")
    (record,) = _parse(ExportFile.from_bytes("Keep/Errands.json", data))[0]
    assert record.timestamp == datetime(2020, 9, 13, 12, 26, 40, 1, tzinfo=UTC)


def test_only_keep_fixtures_are_claimed() -> None:
    """The Keep connector claims no other platform's fixture file."""
    claimed = []
    for path in sorted(FIXTURES.rglob("*")):
        if not path.is_file():
            continue
        relpath = path.relative_to(FIXTURES).as_posix()
        if route(ExportFile.from_path(path, relpath), [KEEP]).outcome == "parse":
            claimed.append(relpath)
    assert claimed
    assert all("/Keep/" in c or c.startswith("google/keep/") for c in claimed), claimed

"""Telegram Desktop JSON: chat-miner agreement, account export, single chat, quirks."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from connectors.base import ExportFile, ParseError, ParseIssue, Record
from connectors.telegram import CONNECTORS, TelegramConnector, message_text

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
OWN = FIXTURES / "telegram"
CHAT_MINER = FIXTURES / "real" / "telegram" / "chat-miner"
ACCOUNT = "DataExport_2024-03-01/result.json"
SINGLE = "ChatExport_2024-03-01/result.json"

connector = TelegramConnector()


def fixture(relpath: str) -> ExportFile:
    return ExportFile.from_path(OWN / relpath, relpath)


def parse(file: ExportFile) -> tuple[list[Record], list[ParseIssue]]:
    items = list(connector.parse(file))
    records = [i for i in items if isinstance(i, Record)]
    issues = [i for i in items if isinstance(i, ParseIssue)]
    assert len(records) + len(issues) == len(items)
    return records, issues


def by_message_id(records: list[Record]) -> dict[str, Record]:
    return {r.extra["message_id"]: r for r in records if r.kind == "message"}


def test_registered() -> None:
    assert [c.name for c in CONNECTORS] == ["telegram"]


@pytest.mark.parametrize("name", ["test_single_export.json", "test_batch_export.json"])
def test_agrees_with_chat_miner_target(name: str) -> None:
    """Field by field against chat-miner's target (UTC wall-clock of ``date_unixtime``).

    Deliberate difference: chat-miner joins the parts of an entity-array text with a
    space ("Link: https://telegram.org/"); we concatenate them as written, because real
    exports carry the spaces in their own string parts (joining with spaces would double
    them). The comparison therefore ignores spaces for that one message and checks our
    exact text separately.
    """
    target = json.loads((CHAT_MINER / "target.json").read_text(encoding="utf-8"))
    records, issues = parse(ExportFile.from_path(CHAT_MINER / name))
    assert issues == []
    assert len(records) == len(target) == 2
    for record, expected in zip(records, target, strict=True):
        assert record.timestamp is not None and record.tz_known is True
        assert record.timestamp.replace(tzinfo=None).isoformat() == expected["timestamp"]
        assert record.creator == expected["author"]
        assert record.text is not None
        assert record.text.replace(" ", "") == expected["message"].replace(" ", "")
    assert records[0].text == "Minimal Message"
    assert records[1].text == "Link:https://telegram.org/"
    assert records[1].extra["links"] == ["https://telegram.org/"]
    chat = "Chatname" if "batch" in name else "Telegram chat"
    assert records[0].title == f"Author 1 in “{chat}” (Telegram)"


def test_account_export() -> None:
    records, issues = parse(fixture(ACCOUNT))
    assert issues == [
        ParseIssue("contact has neither a name nor a phone number", "contacts[2]"),
        ParseIssue("bad date_unixtime 'not a number'", "chats[0].messages[4]"),
    ]

    profile = records[0]
    assert profile.kind == "profile"
    assert profile.title == "Telegram account: Marta Kowalska"
    assert profile.text == "Coffee, climbing, code."
    assert profile.extra == {"user_id": "1001", "username": "@marta_k", "phone": "+48 500 000 001"}

    jan, zofia = [r for r in records if r.kind == "contact"]
    assert (jan.title, jan.text, jan.third_party) == ("Jan Nowak", "+48 500 000 002", True)
    assert jan.timestamp == datetime(2021, 6, 1, 10, 0, tzinfo=UTC)
    # A zero date is no date.
    assert (zofia.title, zofia.timestamp) == ("Zofia", None)

    messages = by_message_id(records)
    # The service message (a phone call) is skipped, as chat-miner does.
    assert sorted(messages, key=int) == ["12", "77", "78", "79", "502", "503", "504", "506"]

    entity = messages["502"]
    assert entity.text == "Have you seen this route? It's 7a, see https://example.org/topo"
    assert entity.extra["links"] == ["https://example.org/routes/42", "https://example.org/topo"]
    assert entity.creator == "Jan Nowak"
    assert entity.title == "Jan Nowak in “Jan Nowak” (Telegram)"
    assert entity.timestamp == datetime(2024, 2, 10, 9, 5, tzinfo=UTC)
    assert entity.tz_known is True
    assert entity.third_party is True
    assert entity.extra["chat_type"] == "personal_chat"
    assert entity.extra["chat_id"] == "2002"
    assert entity.position == "chats[0].messages[1]"

    own = messages["503"]
    assert own.third_party is False  # from_id user1001 is the owner
    assert own.extra["reply_to"] == 502
    assert own.extra["edited"] == "2024-02-10T09:08:00+00:00"
    assert own.extra["reactions"] == [{"emoji": "👍", "count": 1, "from": ["Jan Nowak"]}]

    sticker = messages["504"]
    assert sticker.text == "[media: sticker 🧗]"
    assert sticker.extra["media"]["file"] == "(not included)"
    assert sticker.tags == ["media"]

    assert messages["506"].text == "The crag"
    assert messages["506"].extra["media"]["photo"] == "photos/photo_1@10-02-2024_09-12-00.jpg"

    deleted = messages["77"]
    assert deleted.creator == "Deleted Account"
    assert deleted.title == "Deleted Account in “Climbing Kraków” (Telegram)"
    assert deleted.tags == ["group"]

    assert messages["78"].extra["forwarded_from"] == "Tatra Weather"
    assert messages["78"].tags == ["group", "forwarded"]
    assert messages["79"].text == "[poll: Gym or crag?]"
    assert messages["79"].extra["poll"]["total_voters"] == 3

    # Left chats are read too; without date_unixtime the local date is kept as-is.
    left = messages["12"]
    assert left.extra["left_chat"] is True
    assert left.timestamp == datetime(2019, 5, 1, 12, 0, tzinfo=UTC)
    assert left.tz_known is False
    assert left.position == "left_chats[0].messages[0]"


def test_single_chat_with_name_after_messages_overlaps_account_export() -> None:
    single, issues = parse(fixture(SINGLE))
    assert issues == []
    assert [r.title for r in single] == [
        "Jan Nowak in “Jan Nowak” (Telegram)",
        "Marta Kowalska in “Jan Nowak” (Telegram)",
        "Jan Nowak in “Jan Nowak” (Telegram)",
    ]
    # No personal_information: the owner is unknown, so nothing is third-party.
    assert [r.third_party for r in single] == [False, False, False]
    assert single[0].extra["raw_date"] == "2024-02-10T10:05:00"  # exporting machine time
    assert single[2].tz_known is False
    account = by_message_id(parse(fixture(ACCOUNT))[0])
    assert single[0].id == account["502"].id
    assert single[1].id == account["503"].id
    assert single[0].text == account["502"].text


def test_message_text_shapes() -> None:
    assert message_text("plain") == ("plain", [])
    assert message_text(["", {"type": "mention", "text": "@bob"}, ", hi"]) == ("@bob, hi", [])
    assert message_text([{"type": "text_link", "text": "here", "href": "https://x.org"}]) == (
        "here",
        ["https://x.org"],
    )
    assert message_text(None) == ("", [])


def test_bad_entries_are_issues() -> None:
    data = {
        "name": "Q",
        "type": "personal_chat",
        "id": 9,
        "messages": [
            "not an object",
            {"id": 1, "type": "message", "from": "Q", "text": "no date at all"},
            {"id": 2, "type": "message", "date": "2024-01-01T10:00:00", "from": "Q", "text": "ok"},
        ],
    }
    file = ExportFile.from_bytes("result.json", json.dumps(data).encode())
    records, issues = parse(file)
    assert [r.text for r in records] == ["ok"]
    assert issues == [
        ParseIssue("message is not a JSON object", "messages.item"),
        ParseIssue("message has no date", "messages[1]"),
    ]


def test_broken_file_fails_with_reason() -> None:
    file = fixture("broken/result.json")
    assert connector.recognise(file) == 0.95
    with pytest.raises(ParseError, match="invalid or truncated JSON"):
        parse(file)
    with pytest.raises(ParseError, match="no Telegram chats"):
        parse(ExportFile.from_bytes("result.json", b'{"about": "x", "chats": {"list": []}}'))
    with pytest.raises(ParseError, match="expected a Telegram JSON object"):
        parse(ExportFile.from_bytes("result.json", b"<html></html>"))


def test_recognition() -> None:
    assert connector.recognise(fixture(ACCOUNT)) == 0.95
    assert connector.recognise(fixture(SINGLE)) == 0.95
    assert connector.recognise(ExportFile.from_path(CHAT_MINER / "test_batch_export.json")) == 0.8
    assert connector.recognise(ExportFile.from_path(CHAT_MINER / "test_single_export.json")) == 0.8
    renamed = ExportFile.from_path(OWN / ACCOUNT, "backup/telegram-2024.json")
    assert connector.recognise(renamed) == 0.85
    # Not Telegram: chat-miner's target, an Instagram thread, a random result.json.
    assert connector.recognise(ExportFile.from_path(CHAT_MINER / "target.json")) == 0.0
    instagram = FIXTURES / "real/instagram/chat-miner/test_export.json"
    assert connector.recognise(ExportFile.from_path(instagram)) == 0.0
    assert connector.recognise(ExportFile.from_bytes("result.json", b'{"score": 3}')) == 0.0
    html = ExportFile.from_bytes("ChatExport_2024-03-01/messages.html", b"<html>")
    assert connector.known_ignored(html) == (
        "Telegram HTML export: not read (export again choosing JSON)"
    )
    assert connector.known_ignored(ExportFile.from_bytes("site/messages.html", b"<html>")) is None

"""Discord data package: old and new layouts, markup, channels, servers, overlap."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from connectors.base import ExportFile, ParseError, ParseIssue, Record
from connectors.discord import CONNECTORS, DiscordConnector, channel_from_folder, clean_contents

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
OWN = FIXTURES / "discord"
OLD = "package-2021"
NEW = "package-2025"
GENERAL = "712345678901234567"

connector = DiscordConnector()


def own(relpath: str) -> ExportFile:
    return ExportFile.from_path(OWN / relpath, relpath)


def parse(file: ExportFile) -> tuple[list[Record], list[ParseIssue]]:
    items = list(connector.parse(file))
    records = [i for i in items if isinstance(i, Record)]
    issues = [i for i in items if isinstance(i, ParseIssue)]
    assert len(records) + len(issues) == len(items)
    return records, issues


def test_registered() -> None:
    assert [c.name for c in CONNECTORS] == ["discord"]


def test_old_messages_csv() -> None:
    records, issues = parse(own(f"{OLD}/messages/{GENERAL}/messages.csv"))
    assert issues == [ParseIssue("message 745000000000000003: bad Timestamp 'last tuesday'", "5")]
    first, second, third = records
    assert first.kind == "message"
    assert first.source == "discord"
    assert first.text == "Anyone up for the north ridge on Saturday? :hikingboot:"
    assert first.timestamp == datetime(2020, 8, 25, 22, 54, 5, 726000, tzinfo=UTC)
    assert first.creator is None
    assert first.third_party is False  # the package holds only the user's messages
    assert first.tags == ["sent", f"channel-{GENERAL}"]
    assert first.title == f"Discord message in channel {GENERAL}"
    assert first.extra == {"id": "745000000000000001", "channel_id": GENERAL}

    # Multi-line (CRLF) contents, a suppressed link, a kept mention, an attachment.
    assert second.text == (
        "Route notes here: https://trails.example.org/north-ridge\n"
        "Bring water, <@690000000000000002>!"
    )
    assert second.timestamp == datetime(2020, 8, 25, 22, 56, tzinfo=UTC)  # no fraction
    assert second.extra["attachments"] == [
        "https://cdn.discordapp.com/attachments/712345678901234567/745000000000000002/map.png"
    ]
    assert "attachment" in second.tags
    # Doubled quotes and an animated emoji.
    assert third.text == 'He said "meet at 8" :party:'


def test_new_messages_json_and_overlap_with_old_package() -> None:
    new, issues = parse(own(f"{NEW}/Messages/c{GENERAL}/messages.json"))
    assert issues == [ParseIssue("message without a valid ID: 'not-a-number'", "2")]
    assert new[0].timestamp == datetime(2020, 8, 25, 22, 54, 5, tzinfo=UTC)  # zone-less: UTC
    assert new[0].tz_known is True
    assert new[0].extra["channel_id"] == GENERAL  # from the "c<id>" folder
    assert new[1].text == "Happy new year, walkers!"

    old, _ = parse(own(f"{OLD}/messages/{GENERAL}/messages.csv"))
    assert {r.id for r in old} & {r.id for r in new} == {old[0].id}


def test_channel_json_records() -> None:
    (general,), _ = parse(own(f"{OLD}/messages/{GENERAL}/channel.json"))
    assert general.kind == "activity"
    assert general.title == "#general in Ridge Walkers"
    assert general.creator == "Ridge Walkers"
    assert general.tags == ["channel", "text", f"channel-{GENERAL}"]
    assert general.extra["server_id"] == "701234567890123456"

    (dm,), _ = parse(own(f"{OLD}/messages/798765432109876543/channel.json"))
    assert dm.title == "Direct message channel"
    assert dm.extra["recipients"] == ["690000000000000001", "690000000000000002"]
    assert dm.url == "https://discord.com/channels/@me/798765432109876543"

    # The 2025 package writes type names; same channel, same record id.
    (new,), _ = parse(own(f"{NEW}/Messages/c{GENERAL}/channel.json"))
    assert new.id == general.id
    assert new.extra["type"] == "guild_text"


def test_channel_index_names_dms() -> None:
    records, issues = parse(own(f"{OLD}/messages/index.json"))
    assert issues == []
    # The null-named channel adds nothing.
    assert [(r.title, r.tags[1]) for r in records] == [
        ("general in Ridge Walkers", "server-channel"),
        ("Direct Message with bob_sample#0042", "dm"),
    ]
    assert records[1].extra == {"channel_id": "798765432109876543"}


def test_servers_collapse() -> None:
    index, _ = parse(own(f"{OLD}/servers/index.json"))
    (guild,), _ = parse(own(f"{OLD}/servers/701234567890123456/guild.json"))
    assert [(r.kind, r.title) for r in index] == [
        ("follow", "Ridge Walkers"),
        ("follow", "Sourdough Club"),
    ]
    assert guild.id == index[0].id
    new, _ = parse(own(f"{NEW}/Servers/index.json"))
    assert new[0].id == guild.id


def test_user_profile() -> None:
    (old,), _ = parse(own(f"{OLD}/account/user.json"))
    assert old.kind == "profile"
    assert old.title == "mara_fictive#4821"
    assert old.extra["relationships"] == 1
    assert "mara@example.invalid" not in repr(old)  # e-mail not kept
    (new,), _ = parse(own(f"{NEW}/Account/user.json"))
    assert new.title == "mara_fictive (Mara)"  # new usernames have no discriminator
    assert new.id == old.id


def test_clean_contents() -> None:
    assert clean_contents("hi <:wave:123456789012> <a:dance:1234>") == "hi :wave: :dance:"
    assert clean_contents("see <https://x.example/a?b=1>") == "see https://x.example/a?b=1"
    assert clean_contents("<@123> and <#456> and <@&789>") == "<@123> and <#456> and <@&789>"


def test_channel_from_folder() -> None:
    assert channel_from_folder("712345678901234567") == ("712345678901234567", None)
    assert channel_from_folder("c712345678901234567") == ("712345678901234567", None)
    assert channel_from_folder("general_712345678901234567") == ("712345678901234567", "general")
    assert channel_from_folder("misc") == (None, None)


def test_named_channel_folder_gives_the_title() -> None:
    data = b"ID,Timestamp,Contents,Attachments\n1,2021-01-01 10:00:00+00:00,hi,\n"
    file = ExportFile.from_bytes(f"package/messages/general_{GENERAL}/messages.csv", data)
    (record,), _ = parse(file)
    assert record.title == "Discord message in #general"
    assert record.extra["channel_name"] == "general"


# -- recognition, ignoring, broken files -----------------------------------------------


def test_recognise() -> None:
    assert connector.recognise(own(f"{OLD}/messages/{GENERAL}/messages.csv")) == 0.95
    assert connector.recognise(own(f"{NEW}/Messages/c{GENERAL}/messages.json")) == 0.95
    assert connector.recognise(own(f"{OLD}/messages/index.json")) == 0.9
    assert connector.recognise(own(f"{NEW}/Account/user.json")) == 0.9
    # A messages.csv with the Discord header outside a channel folder: lower.
    data = (OWN / OLD / "messages" / GENERAL / "messages.csv").read_bytes()
    assert connector.recognise(ExportFile.from_bytes("export/messages.csv", data)) == 0.7
    # Other messages.csv / index.json files are not Discord's.
    other = ExportFile.from_bytes("messages.csv", b"CONVERSATION ID,FROM,DATE,CONTENT\n")
    assert connector.recognise(other) == 0.0
    assert connector.recognise(ExportFile.from_bytes("site/index.json", b"{}")) == 0.0
    # An index.json in a "messages" folder that is not an id -> name map.
    pages = ExportFile.from_bytes("app/messages/index.json", b'{"en": {"hello": "Hi"}}')
    assert connector.recognise(pages) == 0.0


@pytest.mark.parametrize(
    ("relpath", "reason_part"),
    [
        (f"{OLD}/activity/analytics/events-2021-00000-of-00001.json", "telemetry"),
        (f"{OLD}/README.txt", "readme"),
    ],
)
def test_known_ignored(relpath: str, reason_part: str) -> None:
    file = own(relpath)
    assert connector.recognise(file) == 0.0
    reason = connector.known_ignored(file)
    assert reason is not None and reason_part in reason


def test_known_ignored_by_path() -> None:
    for relpath in (
        "package/servers/701234567890123456/audit-log.json",
        "package/account/applications/123/application.json",
        "package/Activity/reporting/events-2024-00000-of-00001.json",
        "package/programs/settings.json",
    ):
        reason = connector.known_ignored(ExportFile.from_bytes(relpath, b"{}"))
        assert reason is not None, relpath
    assert connector.known_ignored(ExportFile.from_bytes("notes/README.txt", b"hello")) is None


def test_truncated_json_fails_with_a_reason() -> None:
    data = (OWN / NEW / "Messages" / f"c{GENERAL}" / "messages.json").read_bytes()
    file = ExportFile.from_bytes(f"p/Messages/c{GENERAL}/messages.json", data[: len(data) // 2])
    assert connector.recognise(file) == 0.95
    with pytest.raises(ParseError, match="truncated"):
        list(connector.parse(file))


def test_messages_csv_without_columns_fails() -> None:
    file = ExportFile.from_bytes(f"p/messages/{GENERAL}/messages.csv", b"ID,When,Text\n1,x,y\n")
    assert connector.recognise(file) == 0.0
    with pytest.raises(ParseError, match=r"not a Discord messages\.csv"):
        list(connector.parse(file))


def test_does_not_claim_other_platforms_fixtures() -> None:
    for path in FIXTURES.rglob("*"):
        rel = path.relative_to(FIXTURES).as_posix()
        if path.is_dir() or rel.startswith("discord/"):
            continue
        assert connector.recognise(ExportFile.from_path(path, rel)) == 0.0, rel

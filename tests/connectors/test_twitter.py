"""Twitter / X archive: window.YTD files, tweets, likes, DMs, follows, overlap, quirks."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from connectors.base import ExportFile, ParseError, ParseIssue, Record
from connectors.twitter import CONNECTORS, TwitterArchiveConnector, snowflake_time

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
REAL = FIXTURES / "real" / "twitter" / "twitter-to-sqlite"
OWN = FIXTURES / "twitter"
NEW = "twitter-2023-05-01-4f9a1c/data"
OLD = "twitter-2019-12-24-old"

connector = TwitterArchiveConnector()


def real(name: str) -> ExportFile:
    return ExportFile.from_path(REAL / "data" / name, f"twitter-2020-01-01/data/{name}")


def own(relpath: str) -> ExportFile:
    return ExportFile.from_path(OWN / relpath, relpath)


def parse(file: ExportFile) -> tuple[list[Record], list[ParseIssue]]:
    items = list(connector.parse(file))
    records = [i for i in items if isinstance(i, Record)]
    issues = [i for i in items if isinstance(i, ParseIssue)]
    assert len(records) + len(issues) == len(items)
    return records, issues


def test_registered() -> None:
    assert [c.name for c in CONNECTORS] == ["twitter"]


# -- real fixtures (dogsheep/twitter-to-sqlite) ----------------------------------------


def test_real_account() -> None:
    records, issues = parse(real("account.js"))
    assert issues == []
    (account,) = records
    assert account.kind == "profile"
    assert account.title == "@simonw (Simon Willison)"
    assert account.timestamp == datetime(2006, 11, 15, 13, 18, 50, tzinfo=UTC)
    assert account.url == "https://twitter.com/simonw"
    assert account.extra == {
        "account_id": "12497",
        "username": "simonw",
        "display_name": "Simon Willison",
        "email": "swillison@example.com",
        "created_via": "web",
    }
    assert "+15555555555" not in repr(account)  # the phone number is not kept


def test_real_follows() -> None:
    following, issues = parse(real("following.js"))
    assert issues == []
    assert [r.extra["account_id"] for r in following] == ["547842573", "12158"]
    assert all(r.kind == "follow" and r.tags == ["following"] for r in following)
    assert not any(r.third_party for r in following)
    assert following[0].title == "Twitter account 547842573"
    assert following[0].url == "https://twitter.com/intent/user?user_id=547842573"
    assert following[0].timestamp is None

    followers, _ = parse(real("follower.js"))
    assert [r.extra["account_id"] for r in followers] == ["73747798", "386025404"]
    assert all(r.tags == ["follower"] and r.third_party for r in followers)
    # Following and being followed by the same account are two records.
    assert {r.id for r in following}.isdisjoint({r.id for r in followers})


def test_real_saved_search_file_name_differs_from_variable() -> None:
    file = real("saved-search.js")  # window.YTD.saved_search
    assert connector.recognise(file) == 0.95
    records, _ = parse(file)
    assert [(r.kind, r.title, r.timestamp) for r in records] == [
        ("search", "simonw", None),
        ("search", "django", None),
    ]
    assert records[1].tags == ["saved"]
    assert records[1].extra == {"saved_search_id": "55814"}


@pytest.mark.parametrize(
    ("name", "reason_part"),
    [("account-suspension.js", "suspensions"), ("app.js", "connected apps")],
)
def test_real_known_ignored(name: str, reason_part: str) -> None:
    file = real(name)
    assert connector.recognise(file) == 0.0
    reason = connector.known_ignored(file)
    assert reason is not None and reason_part in reason


# -- tweets ----------------------------------------------------------------------------


def by_id(records: list[Record]) -> dict[str, Record]:
    return {r.extra["id"]: r for r in records}


def test_tweets() -> None:
    records, issues = parse(own(f"{NEW}/tweets.js"))
    assert len(records) == 4
    # The 2025-export bug: tweets dated before Twitter existed.
    assert len(issues) == 1
    assert issues[0].position == "4"
    assert "1997-02-21" in issues[0].message and "before Twitter existed" in issues[0].message

    tweets = by_id(records)
    plain = tweets["1635570217776058369"]
    assert plain.kind == "post"
    assert plain.source == "twitter"
    assert plain.title == "Tweet"
    # t.co link expanded, then HTML entities unescaped.
    assert plain.text == (
        "Flour & water > store yeast: https://bread.example.org/starter-guide #Sourdough"
    )
    assert plain.timestamp == datetime(2023, 3, 14, 9, 15, 2, tzinfo=UTC)
    assert plain.url == "https://twitter.com/i/web/status/1635570217776058369"
    assert plain.creator is None
    assert plain.tags == ["sourdough"]
    # Counts are strings in the export; numbers here.
    assert plain.numbers == {"favorite_count": 16.0, "retweet_count": 2.0}
    assert plain.extra["hashtags"] == ["Sourdough"]
    assert plain.extra["urls"] == ["https://bread.example.org/starter-guide"]
    assert plain.extra["lang"] == "en"
    assert plain.extra["client"] == "Twitter Web App"
    assert not plain.third_party

    reply = tweets["1636074830295994369"]
    assert reply.title == "Reply to @alice_example"
    assert reply.tags == ["reply"]
    assert reply.text == "@alice_example Agreed — the crumb was <perfect> 🍞"
    assert reply.extra["reply_to"] == "1636070000000000000"
    assert reply.extra["mentions"] == ["alice_example"]

    retweet = tweets["1644235050054586369"]
    assert retweet.tags == ["retweet"]
    assert retweet.creator == "@bob_sample"
    assert retweet.title == "Retweet of @bob_sample"
    assert retweet.third_party is True

    photo = tweets["1612199966929850369"]
    assert photo.text == "First snow on the lake."  # the t.co link of the photo is removed
    assert photo.extra["media"] == ["FmXyZaBcDeF1.jpg"]
    assert photo.extra["client"] == "Twitter for iPhone"


def test_deleted_tweets_are_posts_tagged_deleted() -> None:
    (record,), issues = parse(own(f"{NEW}/deleted-tweets.js"))
    assert issues == []
    assert record.tags == ["deleted"]
    assert record.text == "Typo-ridden hot take."
    assert record.extra["deleted_at"] == "Fri Nov 04 09:00:00 +0000 2022"


def test_split_part_and_old_unwrapped_archive_collapse() -> None:
    part1, _ = parse(own(f"{NEW}/tweets-part1.js"))  # window.YTD.tweets.part1
    old, _ = parse(own(f"{OLD}/tweet.js"))  # old name, root level, no {"tweet": ...} wrapper
    assert [r.id for r in part1] == [r.id for r in old]
    assert old[0].text == "Moved to a new flat. Still unpacking books."
    assert old[0].timestamp == datetime(2020, 6, 6, 13, 2, 35, tzinfo=UTC)
    # Different export, different counts: still one record.
    assert part1[0].numbers["favorite_count"] == 5.0
    assert old[0].numbers["favorite_count"] == 2.0


def test_grailbird_tweets() -> None:
    file = own("grailbird/data/js/tweets/2012_10.js")
    assert connector.recognise(file) == 0.95
    (record,), _ = parse(file)
    assert record.text == "Old-school tweet from the Grailbird days <3"
    assert record.timestamp == datetime(2012, 10, 3, 17, 32, 49, tzinfo=UTC)
    assert record.extra["client"] == "web"
    index = own("grailbird/data/js/tweet_index.js")
    assert connector.recognise(index) == 0.0
    assert connector.known_ignored(index) is not None


# -- likes -----------------------------------------------------------------------------


def test_likes_have_no_timestamp() -> None:
    records, issues = parse(own(f"{NEW}/like.js"))
    assert issues == [ParseIssue("like without a tweetId", "3")]
    first, alice, deleted = records
    assert all(r.kind == "like" and r.timestamp is None for r in records)
    assert all(r.third_party and r.extra["liked_at_unknown"] is True for r in records)

    assert first.text == "Ten tips for better bread & fewer tears https://t.co/xYz0000001"
    assert first.title == "Liked tweet"
    # The liked TWEET's creation time from its snowflake id, never the like time.
    assert first.extra["tweet_created"] == "2022-11-03T16:20:45+00:00"

    assert alice.creator == "@alice_example"
    assert alice.title == "Liked tweet by @alice_example"
    assert alice.url == "https://twitter.com/alice_example/status/1636070000000000000"

    # A pre-snowflake id (tweet 20, 2006) has no derivable time; no fullText: deleted.
    assert "tweet_created" not in deleted.extra
    assert deleted.text is None
    assert deleted.extra["deleted_tweet"] is True


def test_same_like_in_two_archives_has_one_id() -> None:
    new, _ = parse(own(f"{NEW}/like.js"))
    old, _ = parse(own(f"{OLD}/like.js"))
    assert old[0].id == new[0].id
    # A like and the user's own tweet with the same id are different records.
    tweet_ids = {r.id for r in parse(own(f"{NEW}/deleted-tweets.js"))[0]}
    assert old[0].id not in tweet_ids


def test_snowflake_time() -> None:
    assert snowflake_time("1269253350486970369") == datetime(2020, 6, 6, 13, 2, 35, tzinfo=UTC)
    assert snowflake_time("20") is None


# -- direct messages -------------------------------------------------------------------


def test_direct_messages_sent_and_received() -> None:
    records, issues = parse(own(f"{NEW}/direct-messages.js"))
    assert [i.message for i in issues] == [
        "direct message 1644200000000000005: bad createdAt 'yesterday'"
    ]
    received, sent, bob = records
    # The account id (1500000001) is the one in every conversation.
    assert received.creator == "2200000002"
    assert received.tags == ["dm", "received"]
    assert received.third_party is True
    assert received.text == "Try this rye one & tell me https://bread.example.org/rye"
    assert received.timestamp == datetime(2023, 3, 15, 19, 0, 12, 345000, tzinfo=UTC)
    assert received.extra["conversation_id"] == "1500000001-2200000002"
    assert received.extra["reactions"] == 1

    assert sent.creator == "1500000001"
    assert sent.tags == ["dm", "sent"]
    assert sent.third_party is False
    assert sent.extra["media"] == ["AbCdEfGh.jpg"]

    assert bob.extra["conversation_id"] == "1500000001-3300000003"
    assert bob.tags == ["dm", "received"]


def test_group_dm_with_one_conversation_is_ambiguous() -> None:
    records, issues = parse(own(f"{NEW}/direct-messages-group.js"))
    assert issues == []
    # joinConversation / conversationNameUpdate are not messages.
    (message,) = records
    assert message.title == "Group direct message"
    assert message.text == "Welcome to the hiking group 🥾"
    assert message.creator == "3300000003"
    # One conversation: every participant is "in every conversation", so the owner is
    # unknown and the message is treated as someone else's.
    assert message.third_party is True
    assert message.tags == ["dm", "group"]


def test_profile_versions() -> None:
    (profile,), _ = parse(own(f"{NEW}/profile.js"))
    assert profile.kind == "profile"
    assert profile.text == "Baker, hiker & occasional birder."
    assert profile.extra == {"website": "https://t.co/WeBsItE001", "location": "Lakeside"}


# -- recognition, ignoring, broken files -----------------------------------------------


def test_recognised_by_prefix_not_name() -> None:
    data = (OWN / NEW / "tweets.js").read_bytes()
    assert connector.recognise(ExportFile.from_bytes("backup/old stuff.js", data)) == 0.95
    bom = ExportFile.from_bytes("tweets.js", b"\xef\xbb\xbf" + data)
    assert connector.recognise(bom) == 0.95
    assert len(parse(bom)[0]) == 4
    assert connector.recognise(ExportFile.from_bytes("tweets.json", data)) == 0.0
    assert connector.recognise(ExportFile.from_bytes("app.js", b"var x = [1];")) == 0.0
    assert connector.recognise(ExportFile.from_bytes("tweets.js", b"[]")) == 0.0


@pytest.mark.parametrize(
    ("relpath", "data", "reason_part"),
    [
        (f"{NEW}/manifest.js", None, "manifest"),
        (f"{NEW}/ad-impressions.js", None, "ad data"),
        ("x/data/personalization.js", b"window.YTD.personalization.part0 = []", "inferences"),
        ("x/data/ip-audit.js", b"window.YTD.ip_audit.part0 = []", "IP"),
        ("x/data/lists-created.js", b"window.YTD.lists_created.part0 = []", "lists"),
        ("x/data/screen-name-change.js", b"window.YTD.screen_name_change.part0 = []", "known"),
        ("x/data/direct-message-headers.js", b"window.YTD.direct_message_headers.part0 = []", ""),
        ("twitter-2023-05-01-4f9a1c/Your archive.html", b"<html></html>", "viewer"),
        ("twitter-2023-05-01-4f9a1c/assets/js/main.3f2a.js", b"!function(){}()", "viewer"),
    ],
)
def test_known_ignored(relpath: str, data: bytes | None, reason_part: str) -> None:
    file = own(relpath) if data is None else ExportFile.from_bytes(relpath, data)
    assert connector.recognise(file) == 0.0
    reason = connector.known_ignored(file)
    assert reason is not None and reason_part in reason


def test_other_js_files_are_not_ignored() -> None:
    assert connector.known_ignored(ExportFile.from_bytes("site/assets/app.js", b"x=1")) is None
    assert connector.known_ignored(ExportFile.from_bytes("tweets.js", b"[]")) is None


def test_truncated_file_fails_with_a_reason() -> None:
    data = (OWN / NEW / "tweets.js").read_bytes()
    file = ExportFile.from_bytes("data/tweets.js", data[: len(data) // 2])
    assert connector.recognise(file) == 0.95
    with pytest.raises(ParseError, match="truncated"):
        list(connector.parse(file))


def test_prefix_without_array_fails() -> None:
    file = ExportFile.from_bytes("data/tweets.js", b'window.YTD.tweets.part0 = {"a": 1}')
    with pytest.raises(ParseError, match="no JSON array"):
        list(connector.parse(file))
    with pytest.raises(ParseError, match=r"window\.YTD"):
        list(connector.parse(ExportFile.from_bytes("data/tweets.js", b"[1, 2]")))


def test_bad_rows_become_issues() -> None:
    data = (
        b"window.YTD.tweets.part0 = ["
        b'{"tweet": {"id_str": "1", "created_at": "not a date", "full_text": "a"}},'
        b'{"tweet": {"full_text": "no id", "created_at": "Sat Jun 06 13:02:35 +0000 2020"}},'
        b" 42,"
        b'{"tweet": {"id_str": "1269253350486970369", "full_text": "ok",'
        b' "created_at": "Sat Jun 06 13:02:35 +0000 2020"}}]'
    )
    records, issues = parse(ExportFile.from_bytes("data/tweets.js", data))
    assert [i.position for i in issues] == ["0", "1", "2"]
    assert "bad created_at" in issues[0].message
    assert [r.text for r in records] == ["ok"]


def test_does_not_claim_other_platforms_fixtures() -> None:
    for path in FIXTURES.rglob("*"):
        rel = path.relative_to(FIXTURES).as_posix()
        if path.is_dir() or rel.startswith(("twitter/", "real/twitter/")):
            continue
        assert connector.recognise(ExportFile.from_path(path, rel)) == 0.0, rel

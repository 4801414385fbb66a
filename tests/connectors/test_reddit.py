"""Reddit data request: CSVs by header, fullname keys, votes, messages, overlap, quirks."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from connectors.base import ExportFile, ParseError, ParseIssue, Record
from connectors.reddit import CONNECTORS, RedditConnector, slug_title

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
REAL = FIXTURES / "real" / "reddit" / "potluck-synthetic"
OWN = FIXTURES / "reddit"
FIRST = "export_mara_fictive_20230501"
SECOND = "export_mara_fictive_20231101"

connector = RedditConnector()


def real(name: str, relpath: str | None = None) -> ExportFile:
    return ExportFile.from_path(REAL / name, relpath or name)


def own(relpath: str, prefix: str = "") -> ExportFile:
    return ExportFile.from_path(OWN / relpath, prefix + relpath)


def parse(file: ExportFile) -> tuple[list[Record], list[ParseIssue]]:
    items = list(connector.parse(file))
    records = [i for i in items if isinstance(i, Record)]
    issues = [i for i in items if isinstance(i, ParseIssue)]
    assert len(records) + len(issues) == len(items)
    return records, issues


def test_registered() -> None:
    assert [c.name for c in CONNECTORS] == ["reddit"]


# -- real fixtures (potluck, synthetic) ------------------------------------------------


def test_real_comments() -> None:
    records, issues = parse(real("comments.csv"))
    assert issues == []
    assert len(records) == 6
    first = records[0]
    assert first.kind == "comment"
    assert first.title == "Comment in r/synthcooking"
    assert first.text == "glade meadow ridge valley basil"
    assert first.url == (
        "https://www.reddit.com/r/synthcooking/comments/x000/willow_cedar_fennel/c000/"
    )
    assert first.creator is None
    assert first.tags == ["synthcooking"]
    assert first.timestamp == datetime(2022, 8, 5, 12, 0, tzinfo=UTC)
    assert first.tz_known is True
    assert first.extra["parent"] == "t3_x000"
    assert first.extra["post_slug"] == "willow cedar fennel"

    # Doubled quotes, a reply to a comment, a multi-line body, an emoji.
    assert (
        records[1].text
        == 'summit willow cedar fennel indigo lichen, they said "summit willow", twice'
    )
    assert records[1].tags == ["fixturegardens", "reply"]
    assert records[2].text == (
        "dahlia garnet juniper maple pepper saffron violet\ndahlia garnet juniper\n\n"
        "yarrow cliff glade meadow"
    )
    assert records[4].text.endswith("🎉")
    assert records[3].extra.get("parent") is None


def test_real_posts() -> None:
    records, issues = parse(real("posts.csv"))
    assert issues == []
    assert len(records) == 7
    post = records[0]
    assert post.kind == "post"
    assert post.title == "prairie tundra amber dahlia"
    assert post.text == "juniper maple pepper saffron violet"
    assert post.tags == ["mockastronomy"]
    assert "link" not in post.extra  # a self post: url is its own permalink
    assert records[6].extra["link"] == "https://example.com/article-11099-6"
    assert records[6].text is None


def test_real_saved_items_have_no_date_and_a_slug_title() -> None:
    posts, _ = parse(real("saved_posts.csv"))
    comments, _ = parse(real("saved_comments.csv"))
    assert len(posts) == 6 and len(comments) == 5
    assert posts[0].kind == "save"
    assert posts[0].title == "juniper maple pepper"
    assert posts[0].tags == ["fixturegardens", "post"]
    assert posts[0].timestamp is None
    assert posts[0].extra["id"] == "t3_sp000"
    assert posts[0].third_party is True
    assert comments[0].title == "Comment on: glade meadow ridge"
    assert comments[0].tags == ["testtrains", "comment"]
    assert comments[0].extra["id"] == "t1_sc000"


def test_real_votes_and_subscriptions() -> None:
    (vote,), _ = parse(real("post_votes.csv"))
    assert vote.kind == "like"
    assert vote.title == "decoy vote"
    assert vote.timestamp is None
    assert vote.tags == ["synthcooking", "post", "upvote"]

    subs, _ = parse(real("subscribed_subreddits.csv"))
    assert [r.title for r in subs] == [
        "r/synthcooking",
        "r/fixturegardens",
        "r/testtrains",
        "r/mockastronomy",
    ]
    assert subs[0].kind == "follow"
    assert subs[0].url == "https://www.reddit.com/r/synthcooking/"


# -- hand-written export ---------------------------------------------------------------


def test_comments_with_bom_prefixed_id_relative_link_and_bad_date() -> None:
    records, issues = parse(own(f"{FIRST}/comments.csv"))
    assert issues == [ParseIssue("comment jqbad01: bad date 'the day after'", "10")]
    sourdough, hiking = records
    assert sourdough.text.startswith("Your starter was probably not active enough.\n\nTry:")
    assert '> "patience" is the secret ingredient 🍞' in sourdough.text
    assert sourdough.tags == ["sourdough"]
    # "t1_jq9z8y7" and a relative permalink in the export.
    assert hiking.extra["id"] == "jq9z8y7"
    assert hiking.url == (
        "https://www.reddit.com/r/hiking/comments/11fghij/ridge_walk_this_weekend/jq9z8y7/"
    )
    assert hiking.numbers == {"gildings": 1.0}


def test_same_comment_in_two_requests_has_one_id() -> None:
    first, _ = parse(own(f"{FIRST}/comments.csv"))
    second, _ = parse(own(f"{SECOND}/comments.csv"))
    first_ids = {r.id: r.extra["id"] for r in first}
    second_ids = {r.id: r.extra["id"] for r in second}
    assert sorted(first_ids[i] for i in set(first_ids) & set(second_ids)) == ["jq1a2b3"]
    assert len(set(first_ids) | set(second_ids)) == 3


def test_votes_up_down_none() -> None:
    records, issues = parse(own(f"{FIRST}/comment_votes.csv"))
    assert issues == [ParseIssue("vote on t1_jq7777d: unknown direction 'sideways'", "5")]
    up, down = records  # "none" is no vote: skipped
    assert up.kind == "like"
    assert up.extra["id"] == "t1_jq7777a"
    assert up.tags == ["hiking", "comment", "upvote"]
    assert down.kind == "rate"
    assert down.numbers == {"rating": 0.0, "rating_raw": -1.0, "rating_max": 1.0}
    assert down.title == "first loaf ever what went wrong"


def test_renamed_vote_file_tells_comments_from_posts_by_permalink() -> None:
    data = (OWN / FIRST / "comment_votes.csv").read_bytes()
    records, _ = parse(ExportFile.from_bytes("backup/votes (1).csv", data))
    assert [r.extra["id"] for r in records] == ["t1_jq7777a", "t1_jq7777b"]
    (post,), _ = parse(real("post_votes.csv", "backup/votes.csv"))
    assert post.extra["id"] == "t3_v000"
    assert post.tags == ["synthcooking", "post", "upvote"]


def test_hidden_posts_are_activity() -> None:
    (hidden,), _ = parse(own(f"{FIRST}/hidden_posts.csv"))
    assert hidden.kind == "activity"
    assert hidden.title == "this coin will 100x"
    assert hidden.tags == ["cryptomoonshots", "post", "hidden"]


def test_messages_owner_from_every_message() -> None:
    records, issues = parse(own(f"{FIRST}/messages.csv"))
    assert issues == []
    received, sent, system = records
    assert received.kind == "message"
    assert received.title == "ridge walk"
    assert received.text == "Are we still on for Saturday?\nWeather looks good."
    assert received.creator == "bob_sample"
    assert received.tags == ["dm", "received"]
    assert received.third_party is True
    assert received.timestamp == datetime(2023, 3, 6, 9, 0, tzinfo=UTC)
    assert sent.creator == "mara_fictive"
    assert sent.tags == ["dm", "sent"]
    assert sent.third_party is False
    assert sent.extra["thread_id"] == "1xa2b3c"
    assert system.creator == "reddit"
    assert system.third_party is True


def test_messages_with_one_partner_are_ambiguous() -> None:
    data = (
        b"id,permalink,thread_id,date,ip,from,to,subject,body\n"
        b"a1,,,2023-03-06 09:00:00 UTC,,bob,mara,hi,hello\n"
        b"a2,,,2023-03-06 09:05:00 UTC,,mara,bob,re: hi,hey\n"
    )
    records, _ = parse(ExportFile.from_bytes("reddit/messages.csv", data))
    assert [r.third_party for r in records] == [True, True]
    assert [r.tags for r in records] == [["dm"], ["dm"]]


def test_chat_history() -> None:
    records, issues = parse(own(f"{FIRST}/chat_history.csv"))
    assert issues == []
    assert [(r.creator, r.third_party) for r in records] == [
        ("bob_sample", True),
        ("mara_fictive", False),
        ("mara_fictive", False),
        ("carol_demo", True),
    ]
    assert records[2].title == "Chat in Sourdough Chat"
    assert records[2].tags == ["chat", "sourdough", "sent"]
    assert records[3].extra["thread_parent"] == "msg-0003"


def test_chat_epoch_timestamps() -> None:
    data = (
        b"message_id,created_at,updated_at,username,message,thread_parent_message_id,"
        b"channel_url,subreddit,channel_name,conversation_type\n"
        b"m1,1678219200000,,bob,hi,,ch1,,bob,direct\n"
    )
    (record,), _ = parse(ExportFile.from_bytes("chat_history.csv", data))
    assert record.timestamp == datetime(2023, 3, 7, 20, 0, tzinfo=UTC)
    assert record.third_party is True  # one channel: the user cannot be told apart


def test_statistics_profile() -> None:
    (profile,), _ = parse(own(f"{FIRST}/statistics.csv"))
    assert profile.kind == "profile"
    assert profile.title == "u/mara_fictive"
    assert profile.timestamp == datetime(2018, 2, 1, 11, 22, 33, tzinfo=UTC)
    assert profile.extra["account_name"] == "mara_fictive"


def test_friends_need_a_reddit_path() -> None:
    file = own(f"{FIRST}/friends.csv", prefix="reddit/")
    (friend,), _ = parse(file)
    assert friend.kind == "follow"
    assert friend.title == "u/bob_sample"
    assert friend.text == "hiking buddy"
    assert connector.recognise(own(f"{FIRST}/friends.csv")) == 0.0


def test_slug_title() -> None:
    assert slug_title("/r/sub/comments/abc/some_long-slug/") == "some long slug"
    assert slug_title("https://www.reddit.com/r/sub/comments/abc/") is None
    assert slug_title("https://example.com/x") is None


# -- recognition, ignoring, broken files -----------------------------------------------


def test_recognised_by_header_when_renamed() -> None:
    assert connector.recognise(real("comments.csv")) == 0.9
    data = (REAL / "comments.csv").read_bytes()
    renamed = ExportFile.from_bytes("Downloads/my comments (2).csv", data)
    assert connector.recognise(renamed) == 0.8
    assert len(parse(renamed)[0]) == 6
    # A generic id,permalink file without Reddit links or path is not claimed.
    other = ExportFile.from_bytes("saved_posts.csv", b"id,permalink\n1,https://example.com/1\n")
    assert connector.recognise(other) == 0.0
    # An id,permalink file under another name: saved or hidden cannot be told apart.
    saved = (REAL / "saved_posts.csv").read_bytes()
    assert connector.recognise(ExportFile.from_bytes("reddit/bookmarks.csv", saved)) == 0.0


@pytest.mark.parametrize(
    ("relpath", "reason_part"),
    [
        (f"{FIRST}/comment_headers.csv", "comment headers"),
        (f"{FIRST}/sensitive_ads_preferences.csv", "ad preferences"),
    ],
)
def test_known_ignored(relpath: str, reason_part: str) -> None:
    file = own(relpath)
    assert connector.recognise(file) == 0.0
    reason = connector.known_ignored(file)
    assert reason is not None and reason_part in reason


def test_generic_ignored_names_need_a_reddit_path() -> None:
    assert connector.known_ignored(own(f"{FIRST}/ip_logs.csv", prefix="reddit/")) is not None
    assert connector.known_ignored(own(f"{FIRST}/ip_logs.csv")) is None


def test_missing_columns_fail_with_a_reason() -> None:
    file = ExportFile.from_bytes("reddit/comments.csv", b"id,permalink,when\n1,/r/a/comments/1/\n")
    assert connector.recognise(file) == 0.0
    with pytest.raises(ParseError, match="not a Reddit data-request CSV"):
        list(connector.parse(file))


def test_statistics_without_account_name_fails() -> None:
    file = ExportFile.from_bytes("reddit/statistics.csv", b"statistic,value\nexport time,x\n")
    with pytest.raises(ParseError, match="account name"):
        list(connector.parse(file))


def test_does_not_claim_other_platforms_fixtures() -> None:
    for path in FIXTURES.rglob("*"):
        rel = path.relative_to(FIXTURES).as_posix()
        if path.is_dir() or rel.startswith(("reddit/", "real/reddit/")):
            continue
        assert connector.recognise(ExportFile.from_path(path, rel)) == 0.0, rel

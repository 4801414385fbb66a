"""Facebook and Instagram JSON exports: chat-miner agreement, mojibake, every file kind."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from connectors.base import ExportFile, ParseError, ParseIssue, Record
from connectors.meta import CONNECTORS, FACEBOOK, INSTAGRAM, fix_mojibake

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
CHAT_MINER = FIXTURES / "real" / "instagram" / "chat-miner"
FB_ROOT = "facebook/facebook-janedoe-2024-05-01-Ab12Cd34"
FB = f"{FB_ROOT}/your_facebook_activity"
FB_THREAD = f"{FB}/messages/inbox/tomasferreira_10158123456789012"
IG_ROOT = "instagram/instagram-marta.k-2024-05-01-Xy98Zw76"
IG = f"{IG_ROOT}/your_instagram_activity"
IG_2025 = "instagram/instagram-marta.k-2025-06-01-Qq11Rr22/your_instagram_activity"

facebook, instagram = CONNECTORS


def fixture(relpath: str) -> ExportFile:
    return ExportFile.from_path(FIXTURES / relpath, relpath)


def parse(relpath: str | ExportFile) -> tuple[list[Record], list[ParseIssue]]:
    file = fixture(relpath) if isinstance(relpath, str) else relpath
    scores = {c.name: c.recognise(file) for c in CONNECTORS}
    owner = max(CONNECTORS, key=lambda c: scores[c.name])
    assert scores[owner.name] > 0 and min(scores.values()) == 0.0, scores
    items = list(owner.parse(file))
    records = [i for i in items if isinstance(i, Record)]
    issues = [i for i in items if isinstance(i, ParseIssue)]
    assert len(records) + len(issues) == len(items)
    for record in records:
        assert record.source == owner.name
    return records, issues


def utc(seconds: float) -> datetime:
    return datetime.fromtimestamp(seconds, UTC)


def test_registered() -> None:
    assert [c.name for c in CONNECTORS] == [FACEBOOK, INSTAGRAM]


def test_agrees_with_chat_miner_instagram_target() -> None:
    """Field by field against chat-miner's target (newest first, UTC wall-clock)."""
    target = json.loads((CHAT_MINER / "target.json").read_text(encoding="utf-8"))
    file = ExportFile.from_path(
        CHAT_MINER / "test_export.json", "instagram/chat-miner/test_export.json"
    )
    assert instagram.recognise(file) == 0.85
    assert facebook.recognise(file) == 0.0
    records, issues = parse(file)
    assert issues == []
    assert len(records) == len(target) == 2
    for record, expected in zip(records, target, strict=True):
        assert record.timestamp is not None and record.tz_known is True
        assert record.timestamp.replace(tzinfo=None).isoformat() == expected["timestamp"]
        assert record.creator == expected["author"]
        assert record.text == expected["message"]
    # No title or participants in this trimmed file: the chat is named after its senders.
    assert records[0].title == "John Doe in “Jane Doe, John Doe” (Instagram)"


def test_mojibake_repair() -> None:
    raw = json.loads('{"Gespeichert am": "Caf\\u00c3\\u00a9 \\u00f0\\u009f\\u0098\\u008d"}')
    assert raw == {"Gespeichert am": "CafÃ© ð\x9f\x98\x8d"}
    assert fix_mojibake(raw) == {"Gespeichert am": "Café 😍"}
    assert fix_mojibake({"L\u00c3\u00b8ye": ["J\u00c3\u00b8rgen"]}) == {"Løye": ["Jørgen"]}
    # Text that is already right is kept as it is.
    assert fix_mojibake("café") == "café"
    assert fix_mojibake("Zoë 👋 Łódź") == "Zoë 👋 Łódź"
    assert fix_mojibake(12) == 12


def test_facebook_thread_paginated_in_two_files() -> None:
    newest, issues1 = parse(f"{FB_THREAD}/message_1.json")
    older, issues2 = parse(f"{FB_THREAD}/message_2.json")
    assert issues1 == [ParseIssue("bad timestamp_ms 'soon'", "messages[4]")]
    assert issues2 == []
    # The unsent message with nothing left is skipped; nothing collapses across pages.
    assert len(newest) == 3 and len(older) == 5
    ids = [r.id for r in newest + older]
    assert len(set(ids)) == 8

    hello = newest[0]
    assert hello.kind == "message"
    assert hello.text == "Até já! 👋"
    assert hello.creator == "Tomás Ferreira"
    assert hello.title == "Tomás Ferreira in “Tomás Ferreira” (Facebook)"
    assert hello.timestamp == datetime(2024, 5, 1, 8, 0, tzinfo=UTC)
    assert hello.third_party is True
    assert hello.extra["participants"] == ["Tomás Ferreira", "Jane Doe"]
    assert hello.extra["thread_path"] == "inbox/tomasferreira_10158123456789012"
    assert hello.extra["chat_type"] == "private"
    assert hello.extra["reactions"] == [{"reaction": "❤", "actor": "Jane Doe"}]
    assert hello.position == "messages[0]"

    attachment = newest[1]
    assert (attachment.creator, attachment.third_party) == ("Jane Doe", False)
    assert attachment.tags == ["system", "media"]
    assert attachment.extra["media"] == [
        "your_facebook_activity/messages/inbox/tomasferreira_10158123456789012/photos/4321.jpg"
    ]

    share = newest[2]
    assert share.text == "Lisbon's trams, explained"
    assert share.url == "https://www.example.org/article/lisbon-trams"

    # Two different messages in the same millisecond stay two records; repeated "ok"s too.
    assert [r.text for r in older] == [
        "ok",
        "ok",
        "Vamos a Sintra no sábado?",
        "Ou domingo?",
        "The call ended.",
    ]
    # The owner is inferred for this page too (two participants, titled with the other).
    assert [r.third_party for r in older] == [False, False, True, True, True]
    call = older[4]
    assert call.tags == ["system"]
    assert call.extra["type"] == "Call"
    assert call.extra["call_duration_s"] == 95


def test_facebook_group_thread_owner_from_you_lines() -> None:
    records, issues = parse(f"{FB}/messages/inbox/lisbontrip_6543210987654321/message_1.json")
    assert issues == []
    assert [(r.creator, r.third_party) for r in records] == [
        ("Inês Duarte", True),
        ("Jane Doe", False),
        ("Tomás Ferreira", True),
    ]
    assert records[0].title == "Inês Duarte in “Lisbon trip” (Facebook)"
    assert records[0].extra["chat_type"] == "group"
    assert records[0].tags == ["system", "media", "group"]


def test_thread_ids_survive_a_layout_change() -> None:
    new = fixture(f"{FB_THREAD}/message_2.json")
    old_layout = ExportFile.from_path(
        FIXTURES / f"{FB_THREAD}/message_2.json",
        "facebook-janedoe-2021-01-01/messages/inbox/tomasferreira_10158123456789012/message_2.json",
    )
    assert [r.id for r in parse(new)[0]] == [r.id for r in parse(old_layout)[0]]


def test_facebook_posts() -> None:
    records, issues = parse(f"{FB}/posts/your_posts__check_ins__photos_and_videos_1.json")
    assert issues == [ParseIssue("bad timestamp 'last tuesday'", "[3]")]
    status, photo, checkin = records
    assert status.kind == "post"
    assert status.text == "Café com vista para o Tejo ☕"
    assert status.title == "Jane Doe updated her status."
    assert status.timestamp == utc(1700000000)
    assert photo.text == "Sunset at Belém"
    assert photo.extra["media"] == ["your_facebook_activity/posts/media/Mobileuploads_1/111.jpg"]
    assert checkin.extra["place"] == "Torre de Belém"
    assert checkin.title == "Jane Doe was at Torre de Belém."


def test_facebook_comments_saves_searches_follows() -> None:
    [comment], issues = parse(f"{FB}/comments_and_reactions/comments.json")
    assert issues == []
    assert comment.kind == "comment"
    assert comment.text == "Que bonito! 😍"
    assert comment.creator == "Jane Doe"
    assert comment.extra["media_owner"] == "Tomás Ferreira"
    assert comment.timestamp == utc(1701000000)

    [saved], _ = parse(f"{FB}/saved_items_and_collections/your_saved_items.json")
    assert (saved.kind, saved.title, saved.url) == (
        "save",
        "Pastéis de nata recipe",
        "https://example.org/pasteis",
    )
    assert saved.creator == "Cozinha Portuguesa"
    assert saved.third_party is True

    [search], _ = parse(f"{FB_ROOT}/logged_information/search/your_search_history.json")
    assert (search.kind, search.title, search.timestamp) == (
        "search",
        "fado lisboa",
        utc(1704000000),
    )

    [follow], _ = parse(f"{FB_ROOT}/connections/followers/who_you've_followed.json")
    assert (follow.kind, follow.title, follow.creator) == (
        "follow",
        "Ordem dos Engenheiros",
        "Ordem dos Engenheiros",
    )


def test_facebook_likes_in_both_shapes() -> None:
    old, issues = parse(f"{FB}/comments_and_reactions/likes_and_reactions_1.json")
    assert issues == []
    assert [(r.kind, r.title, r.creator, r.extra["reaction"]) for r in old] == [
        ("like", "Jane Doe likes Inês Duarte's photo.", "Inês Duarte", "LIKE"),
        ("like", "Jane Doe reacted to Tomás Ferreira's post.", "Tomás Ferreira", "LOVE"),
    ]
    new, issues = parse(f"{FB}/comments_and_reactions/likes_and_reactions_2.json")
    assert issues == []
    azulejo, fado = new
    assert azulejo.title == "Museu Nacional do Azulejo"
    assert azulejo.url == "https://www.facebook.com/museuazulejo/posts/987"
    assert azulejo.extra["reaction"] == "Like"
    assert azulejo.timestamp == utc(1709000000)
    # Portuguese labels: "Reação" is known; the unknown "Endereço" is a link by shape.
    assert (fado.title, fado.extra["reaction"]) == ("Fado ao vivo", "Haha")
    assert fado.url == "https://www.facebook.com/fado/posts/55"


def test_instagram_thread() -> None:
    records, issues = parse(f"{IG}/messages/inbox/tomas.ferreira_17841400000000000/message_1.json")
    assert issues == []
    reaction, share, reply = records
    assert reaction.text == "Reacted ❤️ to your message"
    assert reaction.tags == ["system"]
    assert share.text == "Olha esta praia 🏖️"
    assert share.url == "https://www.instagram.com/p/C1a2b3c4d5e/"
    assert share.extra["share"] == {
        "link": "https://www.instagram.com/p/C1a2b3c4d5e/",
        "text": "Praia da Ursa",
    }
    assert share.title == "Tomás Ferreira in “Tomás Ferreira” (Instagram)"
    assert [r.third_party for r in records] == [False, True, False]
    assert reply.text == "Até amanhã"


def test_instagram_likes_both_shapes_share_ids() -> None:
    old, issues = parse(f"{IG}/likes/liked_posts.json")
    assert issues == []
    assert [(r.title, r.creator, r.url, r.extra.get("reaction")) for r in old] == [
        ("Post by sintra.coast", "sintra.coast", "https://www.instagram.com/p/C1a2b3c4d5e/", "👍"),
        ("Post by café.lisboa", "café.lisboa", "https://www.instagram.com/p/C9z8y7x6w5v/", "👍"),
    ]
    assert old[0].timestamp == utc(1714600000)
    new, issues = parse(f"{IG_2025}/likes/liked_posts.json")
    assert issues == [ParseIssue("entry is not a JSON object", "[2]")]
    # German ("Nutzername") and Spanish ("Nombre de usuario") labels.
    assert [(r.title, r.creator) for r in new] == [
        ("Post by sintra.coast", "sintra.coast"),
        ("Post by obidos.vila", "obidos.vila"),
    ]
    assert new[0].extra["name"] == "Sintra Coast"
    # The same like in the 2024 and the 2025 export is one record.
    assert new[0].id == old[0].id
    assert new[1].id not in {r.id for r in old}


def test_instagram_saved_following_posts_comments_searches() -> None:
    [saved], _ = parse(f"{IG}/saved/saved_posts.json")
    assert (saved.kind, saved.creator, saved.url, saved.timestamp) == (
        "save",
        "sintra.coast",
        "https://www.instagram.com/p/C1a2b3c4d5e/",
        utc(1714600100),
    )

    following, issues = parse(f"{IG_ROOT}/connections/followers_and_following/following.json")
    assert issues == []
    assert [(r.kind, r.title, r.url) for r in following] == [
        ("follow", "sintra.coast", "https://www.instagram.com/_u/sintra.coast"),
        ("follow", "café.lisboa", "https://www.instagram.com/café.lisboa"),
    ]

    posts, _ = parse(f"{IG}/content/posts_1.json")
    assert [(r.kind, r.text, r.timestamp) for r in posts] == [
        ("post", "Pôr do sol em Cascais 🌅", utc(1713500000)),
        ("post", "Dois dias em Óbidos", utc(1713600000)),
    ]
    assert posts[1].extra["media"] == ["media/posts/202404/124.jpg", "media/posts/202404/125.jpg"]

    [comment], _ = parse(f"{IG}/comments/post_comments_1.json")
    assert (comment.kind, comment.text, comment.title) == (
        "comment",
        "Que vista! 😍",
        "Comment on sintra.coast's post",
    )

    words, _ = parse(f"{IG_ROOT}/logged_information/recent_searches/word_or_phrase_searches.json")
    assert [(r.title, r.timestamp) for r in words] == [
        ("pastéis de nata", utc(1714800000)),
        ("azulejos", utc(1714800500)),  # German labels "Suche"/"Zeit"
    ]
    [account], _ = parse(f"{IG_ROOT}/logged_information/recent_searches/account_searches.json")
    assert (account.title, account.url, account.tags) == (
        "sintra.coast",
        "https://www.instagram.com/sintra.coast",
        ["account"],
    )


def test_known_ignored() -> None:
    ads = fixture(f"{FB_ROOT}/ads_information/advertisers_using_your_activity_or_information.json")
    assert facebook.recognise(ads) == 0.0
    assert facebook.known_ignored(ads) == "Facebook ads data: known, not indexed"
    assert instagram.known_ignored(ads) is None
    followers = fixture(f"{IG_ROOT}/connections/followers_and_following/followers_1.json")
    assert instagram.recognise(followers) == 0.0
    assert instagram.known_ignored(followers) == (
        "Instagram friends and followers lists: known, not indexed"
    )
    profile = fixture(
        f"{IG_ROOT}/personal_information/personal_information/personal_information.json"
    )
    assert instagram.known_ignored(profile) == "Instagram profile details: known, not indexed"
    html = ExportFile.from_bytes(f"{FB}/messages/inbox/x_1/message_1.html", b"<html>")
    assert facebook.known_ignored(html) == (
        "Facebook HTML export: not read (request the JSON format)"
    )
    other = ExportFile.from_bytes(f"{FB_ROOT}/preferences/feed/controls.json", b"{}")
    assert facebook.known_ignored(other) == (
        "Facebook settings and inferred topics: known, not indexed"
    )
    # Outside a clearly-Meta export nothing is claimed.
    assert facebook.known_ignored(ExportFile.from_bytes("ads_information/x.json", b"{}")) is None


def test_recognition_keeps_to_meta_files() -> None:
    def score(relpath: str, data: object) -> tuple[float, float]:
        file = ExportFile.from_bytes(relpath, json.dumps(data).encode())
        return facebook.recognise(file), instagram.recognise(file)

    # Generic names and keys need a Meta path or Meta-shaped content.
    assert score("blog/comments.json", {"comments": [{"id": 1}]}) == (0.0, 0.0)
    assert score("app/following.json", [{"name": "x", "timestamp": 1}]) == (0.0, 0.0)
    assert score("posts_1.json", [{"id": 1}]) == (0.0, 0.0)
    # Distinctive keys are enough, whatever the name.
    assert score("renamed.json", {"likes_media_likes": []}) == (0.0, 0.8)
    assert score("renamed.json", {"comments_v2": []}) == (0.8, 0.0)
    # A Messenger thread with no platform hint is Facebook.
    thread = {
        "participants": [{"name": "A"}],
        "messages": [{"sender_name": "A", "timestamp_ms": 1}],
    }
    assert score("messages/inbox/a_1/message_1.json", thread) == (0.95, 0.0)
    assert score("instagram-a-2024-01-01-x/messages/inbox/a_1/message_1.json", thread) == (
        0.0,
        0.95,
    )
    # Telegram's result.json is not a Meta file.
    telegram = FIXTURES / "telegram/DataExport_2024-03-01/result.json"
    file = ExportFile.from_path(telegram, "DataExport_2024-03-01/result.json")
    assert (facebook.recognise(file), instagram.recognise(file)) == (0.0, 0.0)


def test_broken_files_fail_with_reason() -> None:
    with pytest.raises(ParseError, match="invalid or truncated JSON"):
        parse("facebook/broken/message_1.json")
    with pytest.raises(ParseError, match="invalid or truncated JSON"):
        parse("instagram/broken/liked_posts.json")
    wrong = ExportFile.from_bytes(f"{IG}/likes/liked_posts.json", b'{"likes_everything": [1]}')
    with pytest.raises(ParseError, match=r"unexpected layout for liked_posts\.json"):
        list(instagram.parse(wrong))


def test_chat_connectors_claim_only_their_own_fixtures() -> None:
    """Route every fixture file: WhatsApp, Telegram, Facebook and Instagram connectors
    must not claim (parse or ignore) a file of another platform."""
    from connectors import all_connectors
    from connectors.discover import iter_files, route

    mine = {"whatsapp", "telegram", FACEBOOK, INSTAGRAM}
    claimed: dict[str, str] = {}
    for found in iter_files(FIXTURES):
        if found.failure:
            continue
        decision = route(found.file, all_connectors())
        if decision.connector is not None and decision.connector.name in mine:
            claimed[found.file.relpath] = decision.connector.name

    def platform_folder(path: str) -> str:
        parts = path.split("/")
        return parts[1] if parts[0] == "real" else parts[0]

    wrong = {path: name for path, name in claimed.items() if platform_folder(path) != name}
    assert wrong == {}
    assert claimed["real/instagram/chat-miner/test_export.json"] == INSTAGRAM
    assert claimed["whatsapp/WhatsApp Chat - Lisbon trip.zip/_chat.txt"] == "whatsapp"

"""Preferences: a made-up person whose tastes are spread across platforms."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from mcp import Client

from connectors.base import Record
from server.app import build_server
from server.config import Settings
from server.normalise import artist_key, film_key, title_key
from server.prefs import derive, normalise_domain
from server.reader import Reader
from server.search import FTS5Engine
from server.stated import infer_item, infer_polarity
from server.store import Store
from tests.conftest import put

pytestmark = pytest.mark.anyio

NOW = datetime(2026, 10, 1, 12, tzinfo=UTC)


def r(
    source: str,
    kind: str,
    key: str,
    *,
    days_ago: float,
    title: str | None = None,
    creator: str | None = None,
    tags: list[str] | None = None,
    numbers: dict[str, float] | None = None,
    extra: dict[str, Any] | None = None,
) -> Record:
    return Record.create(
        source,
        kind,
        key,
        timestamp=NOW - timedelta(days=days_ago),
        title=title,
        creator=creator,
        tags=tags,
        numbers=numbers,
        extra=extra,
    )


def persona() -> list[Record]:
    recs: list[Record] = []
    # Fela Kuti: many full plays long ago; Nubya Garcia: fewer, all in the last month.
    for n in range(40):
        recs.append(
            r("spotify", "listen", f"fela{n}", days_ago=600 + n, title="Zombie",
              creator="Fela Kuti", tags=["music"], numbers={"ms_played": 240000})
        )  # fmt: skip
    for n in range(15):
        recs.append(
            r("spotify", "listen", f"nubya{n}", days_ago=n, title="Pace",
              creator="Nubya Garcia", tags=["music"], numbers={"ms_played": 200000})
        )  # fmt: skip
    # Many skips count for less than a few full plays.
    for n in range(30):
        recs.append(
            r("spotify", "listen", f"skip{n}", days_ago=10, title="Photograph",
              creator="Nickelback", tags=["music", "skip"], numbers={"ms_played": 4000})
        )  # fmt: skip
    # Björk on Spotify and as a YouTube Music "Topic" channel: one artist, two sources.
    for n in range(5):
        recs.append(
            r("spotify", "listen", f"bjork{n}", days_ago=100, title="Jóga",
              creator="Björk", tags=["music"], numbers={"ms_played": 300000})
        )  # fmt: skip
    for n in range(3):
        recs.append(
            r("google.youtube", "watch", f"bjyt{n}", days_ago=90, title="Jóga (Official Video)",
              creator="Bjork - Topic", extra={"header": "YouTube Music"})
        )  # fmt: skip
    # Parasite on Netflix and rated 5 stars on Letterboxd: one film.
    recs.append(
        r("netflix", "watch", "parasite", days_ago=300, title="Parasite",
          numbers={"duration_s": 7800}, tags=["film"])
    )  # fmt: skip
    recs.append(
        r("letterboxd", "rate", "rating|parasite", days_ago=299, title="Parasite",
          numbers={"rating": 1.0, "rating_raw": 5, "rating_max": 5}, extra={"year": "2019"})
    )  # fmt: skip
    # A film watched once and rated 1/5 is not a preference.
    recs.append(r("letterboxd", "watch", "cats", days_ago=50, title="Cats", extra={"year": "2019"}))
    recs.append(
        r("letterboxd", "rate", "rating|cats", days_ago=50, title="Cats",
          numbers={"rating": 0.2, "rating_raw": 1, "rating_max": 5}, extra={"year": "2019"})
    )  # fmt: skip
    # Two Netflix series watched a few times each, no rating.
    for n in range(3):
        recs.append(
            r("netflix", "watch", f"dark{n}", days_ago=200 + n, title="Dark: Season 1: Secrets",
              extra={"show": "Dark"}, numbers={"duration_s": 3000}, tags=["series"])
        )  # fmt: skip
    # A book read and loved.
    recs.append(
        r("goodreads", "read", "lhod", days_ago=400, title="The Left Hand of Darkness",
          creator="Ursula K. Le Guin", numbers={"rating": 1.0})
    )  # fmt: skip
    # Bouldering across four platforms: the interest no single platform sees.
    recs += [
        r("google.youtube", "watch", "b1", days_ago=20, title="Bouldering technique drills",
          creator="Crux & Chalk"),
        r("google.youtube", "watch", "b2", days_ago=25, title="My first V5: bouldering vlog",
          creator="Crux & Chalk"),
        r("google.search", "search", "b3", days_ago=21, title="bouldering gym lisbon"),
        r("amazon", "purchase", "b4", days_ago=30, title="Chalk bag for bouldering",
          creator="Black Diamond"),
        r("reddit", "follow", "b5", days_ago=300, title="r/bouldering", tags=["bouldering"]),
    ]  # fmt: skip
    return recs


@pytest.fixture
async def reader(settings: Settings) -> Any:
    with Store(settings.db_path) as store:
        put(store, persona())
        derive(store.conn, half_life_days=60)
    async with Reader(settings.db_path, FTS5Engine()) as rd:
        yield rd


def names(page: dict[str, Any]) -> list[str]:
    return [i["name"] for i in page["items"]]


async def test_all_time_and_lately_rank_differently(reader: Reader) -> None:
    all_time = await reader.preferences("music", type="artist")
    recent = await reader.preferences("music", type="artist", period="recent")
    assert names(all_time)[0] == "Fela Kuti"
    assert names(recent)[0] == "Nubya Garcia"
    fela = all_time["items"][0]
    assert fela["events"] == 40 and fela["sources"] == {"spotify": 40}
    assert len(fela["evidence"]) == 5 and fela["first_seen"] < fela["last_seen"]


async def test_skips_count_less_than_plays(reader: Reader) -> None:
    ranked = names(await reader.preferences("music", type="artist"))
    assert ranked.index("Björk") < ranked.index("Nickelback")


async def test_same_artist_across_sources_is_one_item(reader: Reader) -> None:
    page = await reader.preferences("music", type="artist")
    bjork = [i for i in page["items"] if i["key"] == artist_key("Björk")]
    assert len(bjork) == 1
    assert bjork[0]["sources"] == {"spotify": 5, "google.youtube": 3}
    assert bjork[0]["name"] == "Björk"


async def test_film_merged_and_explicit_dislike_excluded(reader: Reader) -> None:
    page = await reader.preferences("film")
    assert names(page)[0].startswith("Parasite")
    parasite = page["items"][0]
    assert set(parasite["sources"]) == {"netflix", "letterboxd"}
    assert parasite["explicit"] == 1
    assert not any(n.startswith("Cats") for n in names(page))  # rated 1/5: net negative
    assert "Dark" in names(page)


async def test_books_and_cross_platform_interest(reader: Reader) -> None:
    books = await reader.preferences("books")
    assert "Ursula K. Le Guin" in names(books)
    topics = await reader.preferences("topics")
    boulder = next(i for i in topics["items"] if i["key"] == "boulder")
    assert set(boulder["sources"]) == {"google.youtube", "google.search", "amazon", "reddit"}
    assert names(topics)[0] == boulder["name"]


async def test_stated_preferences_outrank_and_hide(reader: Reader) -> None:
    stated = [
        {"id": 1, "statement": "I don't like Fela Kuti", "domain": None,
         "polarity": "dislike", "item": "Fela Kuti", "created_at": "2026-10-01T00:00:00+00:00"},
        {"id": 2, "statement": "I love Afrobeat", "domain": "music", "polarity": "like",
         "item": "Afrobeat", "created_at": "2026-10-01T00:00:00+00:00"},
    ]  # fmt: skip
    page = await reader.preferences("music", stated=stated)
    assert page["items"][0]["name"] == "Afrobeat" and page["items"][0]["stated"] is True
    assert "Fela Kuti" not in names(page)
    assert any(h.startswith("Fela Kuti") for h in page["hidden"])


async def test_profile_summary_through_mcp(settings: Settings) -> None:
    with Store(settings.db_path) as store:
        put(store, persona())
        derive(store.conn, half_life_days=60)
    async with Client(build_server(settings)) as client:
        r = await client.call_tool(
            "remember_preference", {"statement": "I don't like Nickelback", "domain": "music"}
        )
        assert not r.is_error
        pref_id = r.structured_content["id"]  # type: ignore[index]
        again = await client.call_tool(
            "remember_preference", {"statement": "I don't like Nickelback", "domain": "music"}
        )
        assert again.structured_content["id"] == pref_id  # type: ignore[index]  # idempotent
        summary = await client.call_tool("get_profile_summary", {})
        data = summary.structured_content
        assert data is not None
        assert [s["statement"] for s in data["stated"]] == ["I don't like Nickelback"]
        assert "bouldering" in [i["name"] for i in data["interests"]]
        assert data["top"]["music"][0]["name"] == "Fela Kuti"
        assert "Nickelback" not in [i["name"] for i in data["top"]["music"]]
        text = summary.content[0].text  # type: ignore[union-attr]
        assert len(text) < 1500 * 4 and "I don't like Nickelback" in text
        prefs = await client.call_tool("get_preferences", {"domain": "artists", "limit": 50})
        assert "Nickelback" not in [i["name"] for i in prefs.structured_content["items"]]  # type: ignore[index]
        people = await client.call_tool("get_preferences", {"domain": "people"})
        assert not people.is_error and "off" in people.content[0].text  # type: ignore[union-attr]
        bad = await client.call_tool("get_preferences", {"domain": "cars"})
        assert bad.is_error and "Domains:" in bad.content[0].text  # type: ignore[union-attr]
        gone = await client.call_tool("forget_preference", {"id": pref_id})
        assert not gone.is_error
        missing = await client.call_tool("forget_preference", {"id": pref_id})
        assert missing.is_error and "No stated preference" in missing.content[0].text  # type: ignore[union-attr]
        timeline = await client.call_tool("get_timeline", {"since": "2026-09", "days": 3})
        days = timeline.structured_content["days"]  # type: ignore[index]
        assert [d["date"] for d in days] == ["2026-10-01", "2026-09-30", "2026-09-29"]
        assert days[0]["counts"] == {"spotify listen": 1}
        resource = await client.read_resource("pctx://profile")
        assert '"interests"' in resource.contents[0].text  # type: ignore[union-attr]
        prompt = await client.get_prompt("personalized_recommendation", {"topic": "a film"})
        assert "get_profile_summary" in prompt.messages[0].content.text  # type: ignore[union-attr]


def test_normalisation() -> None:
    assert artist_key("The Beatles") == artist_key("Beatles")
    assert artist_key("Björk") == artist_key("bjork") == artist_key("Bjork - Topic")
    assert artist_key("Burna Boy feat. Ed Sheeran") == artist_key("Burna Boy")
    assert title_key("Jóga (Official Video)") == title_key("Joga")
    assert title_key("Let It Be - Remastered 2009") == title_key("Let It Be")
    assert film_key("Parasite (2019)") == film_key("Parasite")
    assert normalise_domain("Movies") == "film" and normalise_domain("reading") == "books"
    assert normalise_domain("cars") is None


@pytest.mark.parametrize(
    ("statement", "polarity", "item"),
    [
        ("I don't like horror, ignore those Netflix views", "dislike", "horror"),
        ("I'm vegetarian", "fact", None),
        ("I love Afrobeat", "like", "Afrobeat"),
        ("I really like jazz.", "like", "jazz"),
        ("Please stop recommending Nickelback", "dislike", "Nickelback"),
    ],
)
def test_polarity_and_item_inference(statement: str, polarity: str, item: str | None) -> None:
    assert infer_polarity(statement) == polarity
    if item is not None:
        assert infer_item(statement) == item

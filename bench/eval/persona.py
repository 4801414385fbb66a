"""Made-up personas: latent tastes, and dated activity on several platforms.

Each persona (seeded: the same seed and index always give the same person) has tastes:
favourite artists (from one or two music genres), interests (a hobby or topic, with
favourite channels, gear, sometimes a favourite gear brand and a subreddit), favourite
shows and films, favourite authors (readers only) and favourite everyday brands. Tastes
drift: most last the whole history, some start late, some fade. Every day, each taste
produces engagement events at its own rate; each event is rendered on ONE platform
(or on none: a climbing session, a paper book, a show watched on a service with no
export), so every platform sees only part of each taste:

* an artist: Spotify plays (with skips), YouTube Music plays (``header`` "YouTube
  Music", channel ``X - Topic``), music videos on plain YouTube (channel ``XVEVO``),
  a search for the tour, a Wikipedia visit;
* an interest: YouTube videos from its channels, Google and YouTube searches, Chrome
  visits, Amazon gear purchases, Reddit comments in its subreddit;
* a show: Netflix episodes, a thumbs-up, searches, IMDb visits, Reddit comments; a film:
  Netflix viewings, Letterboxd diary entries and ratings;
* an author: Goodreads reads and ratings, Kindle purchases (creator = the publisher,
  as the Amazon connector gives it), paper copies, searches, book-page visits;
* a brand: Amazon purchases, visits of its site, searches, review videos.

Noise on top: chart hits and radio (often skipped), podcasts, trending videos, ads,
films watched once and rated, a child's shows on a shared Netflix profile, household
shopping and gifts, everyday searches and browsing, default subreddits.

Records are built directly (no export files) in the shape the real connectors give:
sources ``spotify``, ``google.youtube``, ``netflix``, ``letterboxd``, ``goodreads``,
``amazon``, ``google.search``, ``google.chrome``, ``reddit``; ``numbers.rating`` on 0-1
with ``rating_raw``/``rating_max``; ``ms_played``; ``duration_s``; tags and ``extra``
as each connector sets them. Amazon is the current "Your Orders" export for half the
personas (no brand, no category: the product name only) and the legacy order report for
the others (``Category``, and a ``Seller`` that is the brand's store or Amazon itself).
Reddit subscriptions carry no date (as in the export); their event time is when the
persona subscribed, which decides whether an export taken at the cutoff holds them.

Each event also says which taste items it engages positively (``truth``), keyed as
``server.prefs`` keys them: ``(domain, type, key)``. A skipped play, a low rating and
noise engage nothing.
"""

from __future__ import annotations

import hashlib
import math
import random
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from bench.eval.catalogue import (
    BOOK_GENRES,
    BOOK_SUBREDDITS,
    CLICKBAIT,
    DEFAULT_SUBREDDITS,
    FILM_GENRES,
    GENERIC_PAGES,
    GENERIC_SEARCHES,
    GIFT_CATEGORIES,
    HOUSEHOLD,
    MUSIC_GENRES,
    PAGE_TEMPLATES,
    PLACES,
    SEARCH_TEMPLATES,
    VIDEO_TEMPLATES,
    Artist,
    Author,
    Brand,
    Film,
    Interest,
    Show,
    World,
    build_world,
)
from connectors.base import Record
from server.normalise import artist_key, film_key, fold
from server.prefs import _term_key

#: ``(domain, type, key)`` of an item, as ``server.prefs`` stores it.
Item = tuple[str, str, str]

SOURCES: tuple[str, ...] = (
    "spotify",
    "google.youtube",
    "netflix",
    "letterboxd",
    "goodreads",
    "amazon",
    "google.search",
    "google.chrome",
    "reddit",
)
#: The end of every persona's history (exclusive).
DEFAULT_END = datetime(2026, 7, 1, tzinfo=UTC)
DEFAULT_HISTORY_MONTHS = 36
DAY = timedelta(days=1)
#: Share of personas with an account (and an export) on each optional platform.
PLATFORM_ODDS = {
    "spotify": 0.85,
    "netflix": 0.8,
    "amazon": 0.85,
    "letterboxd": 0.35,
    "goodreads": 0.45,
    "reddit": 0.45,
}


@dataclass(slots=True)
class Event:
    """Something the persona did: its record (None: no export saw it) and the taste
    items it engages positively."""

    when: datetime
    record: Record | None
    truth: tuple[Item, ...] = ()


@dataclass
class Taste:
    """One latent taste: what, when it is active, how often it shows."""

    kind: str  # artist | interest | show | film | author | brand
    name: str
    obj: Any
    start: datetime
    end: datetime
    per_week: float
    phase: float
    drift: str  # stable | late | fading
    #: interest: favourite channels and brand; artist: Spotify share; show/author: progress
    state: dict[str, Any] = field(default_factory=dict)


@dataclass
class Persona:
    """A made-up person: traits, tastes and everything they did, oldest first."""

    name: str
    start: datetime
    end: datetime
    platforms: frozenset[str]
    traits: dict[str, Any]
    tastes: list[Taste]
    events: list[Event]

    def summary(self) -> dict[str, Any]:
        """A JSON-able description (tastes by kind, platforms, traits, record counts)."""
        counts: dict[str, int] = {}
        for e in self.events:
            if e.record is not None:
                counts[e.record.source] = counts.get(e.record.source, 0) + 1
        return {
            "name": self.name,
            "platforms": sorted(self.platforms),
            "traits": self.traits,
            "tastes": [
                {"kind": t.kind, "name": t.name, "drift": t.drift, "per_week": round(t.per_week, 2)}
                for t in self.tastes
            ],
            "records": dict(sorted(counts.items())),
        }


def _poisson(rng: random.Random, lam: float) -> int:
    if lam <= 0:
        return 0
    limit, k, p = math.exp(-lam), 0, rng.random()
    while p > limit:
        k += 1
        p *= rng.random()
    return k


def topic_key(word: str) -> str:
    """The key ``server.prefs`` gives a topic word."""
    key = _term_key(word)
    if key is None:
        raise ValueError(f"{word!r} is not a topic word")
    return key


class _Life:
    """Renders one persona's tastes and noise into events."""

    def __init__(self, world: World, rng: random.Random, start: datetime, end: datetime) -> None:
        self.w = world
        self.rng = rng
        self.start = start
        self.end = end
        self.events: list[Event] = []
        self.n = 0
        r = rng
        self.platforms = frozenset(
            {"google.youtube", "google.search", "google.chrome"}
            | {p for p, odds in PLATFORM_ODDS.items() if r.random() < odds}
        )
        self.traits: dict[str, Any] = {
            "spotify_share": round(r.uniform(0.45, 0.95), 2) if self.has("spotify") else 0.0,
            # share of music played on YouTube that goes through the YouTube Music app
            # (half the personas never use it: plain YouTube music videos only)
            "youtube_music_app": round(r.uniform(0.2, 0.9), 2) if r.random() < 0.5 else 0.0,
            "amazon_export": "legacy report" if r.random() < 0.5 else "current export",
            "shared_netflix_with_a_child": r.random() < 0.25,
            "podcasts": r.random() < 0.5,
            "reader": r.random() < 0.75,
        }
        self.logged_films: set[str] = set()
        self.subscribed: set[str] = set()
        self.netflix_profile = r.choice(FIRST_NAMES)
        self.podcast = r.choice(world.podcasts)
        self.kids_show = r.choice(world.kids_shows)

    def has(self, source: str) -> bool:
        return source in self.platforms

    def key(self) -> str:
        self.n += 1
        return str(self.n)

    def emit(self, when: datetime, record: Record | None, truth: tuple[Item, ...] = ()) -> None:
        self.events.append(Event(when, record, truth))

    # -- records, shaped as the connectors shape them --------------------------------------

    def spotify(
        self,
        when: datetime,
        artist: str,
        track: str,
        album: str | None,
        ms: int,
        content: str = "music",
    ) -> None:
        skipped = ms < 30_000
        tags = [content] + (["skip"] if skipped else [])
        self.emit(
            when,
            Record.create(
                "spotify",
                "listen",
                f"{fold(artist)}|{fold(track)}|{when:%Y-%m-%dT%H:%M}|{self.key()}",
                timestamp=when,
                title=track,
                creator=artist,
                tags=tags,
                numbers={"ms_played": ms},
                url=f"https://open.spotify.com/track/{self._id(22)}",
                extra={
                    "album": album,
                    "content": content,
                    "skipped": skipped,
                    "shuffle": self.rng.random() < 0.4,
                    "platform": "android",
                    "reason_start": "trackdone",
                    "reason_end": "fwdbtn" if skipped else "trackdone",
                    "started_at": (when - timedelta(milliseconds=ms)).isoformat(),
                },
            ),
            (),
        )

    def youtube(
        self,
        when: datetime,
        title: str,
        channel: str | None,
        header: str = "YouTube",
        ad: bool = False,
        truth: tuple[Item, ...] = (),
    ) -> None:
        vid = self._id(11)
        self.emit(
            when,
            Record.create(
                "google.youtube",
                "watch",
                f"{vid}|{when:%Y-%m-%dT%H:%M:%SZ}",
                timestamp=when,
                title=title,
                creator=channel,
                url=f"https://www.youtube.com/watch?v={vid}",
                tags=["ad"] if ad else [],
                extra={
                    "header": header,
                    "ad": True if ad else None,
                    "video_id": vid,
                    "channel_url": f"https://www.youtube.com/channel/UC{self._id(22)}",
                },
            ),
            truth,
        )

    def youtube_search(self, when: datetime, query: str, truth: tuple[Item, ...] = ()) -> None:
        self.emit(
            when,
            Record.create(
                "google.youtube",
                "search",
                f"search|{query}|{when:%Y-%m-%dT%H:%M:%SZ}",
                timestamp=when,
                title=query,
                url=f"https://www.youtube.com/results?search_query={query.replace(' ', '+')}",
                extra={"header": "YouTube"},
            ),
            truth,
        )

    def search(self, when: datetime, query: str, truth: tuple[Item, ...] = ()) -> None:
        self.emit(
            when,
            Record.create(
                "google.search",
                "search",
                f"search|{query}|{when:%Y-%m-%dT%H:%M:%SZ}",
                timestamp=when,
                title=query,
                tags=["search"],
                url=f"https://www.google.com/search?q={query.replace(' ', '+')}",
                extra={"product": "Search"},
            ),
            truth,
        )

    def visit(self, when: datetime, host: str, title: str, truth: tuple[Item, ...] = ()) -> None:
        url = f"https://{host}/{self._id(8).lower()}"
        self.emit(
            when,
            Record.create(
                "google.chrome",
                "visit",
                f"{url}|{int(when.timestamp() * 1e6)}",
                timestamp=when,
                title=title,
                url=url,
                creator=host.removeprefix("www."),
                extra={"transition": "LINK"},
            ),
            truth,
        )

    def netflix(
        self,
        when: datetime,
        title: str,
        seconds: int,
        truth: tuple[Item, ...] = (),
        show: str | None = None,
        season: str | None = None,
        episode: str | None = None,
    ) -> None:
        self.emit(
            when,
            Record.create(
                "netflix",
                "watch",
                f"{self.netflix_profile}|{when:%Y-%m-%d %H:%M:%S}|{title}",
                timestamp=when,
                title=title,
                tags=["netflix", "series" if show else "film"],
                numbers={"duration_s": seconds, "bookmark_s": seconds},
                extra={
                    "profile": self.netflix_profile,
                    "device": "Smart TV",
                    "country": "GB",
                    "show": show,
                    "season": season,
                    "episode": episode,
                },
            ),
            truth,
        )

    def netflix_thumbs(self, when: datetime, title: str, value: int) -> None:
        label, rating = {
            1: ("thumbs-down", 0.0),
            2: ("thumbs-up", 0.75),
            3: ("double-thumbs-up", 1.0),
        }[value]
        self.emit(
            when,
            Record.create(
                "netflix",
                "rate",
                f"rating|{self.netflix_profile}|{when:%Y-%m-%d %H:%M:%S}|{title}",
                timestamp=when,
                title=title,
                tags=["netflix", label],
                numbers={"rating": rating, "rating_raw": value, "rating_max": 3.0},
                extra={
                    "profile": self.netflix_profile,
                    "rating_type": "thumbs",
                    "thumbs_value": str(value),
                },
            ),
        )

    def letterboxd(self, when: datetime, film: Film, stars: float, truth: tuple[Item, ...]) -> None:
        """A diary entry (a rewatch after the first) and, the first time, the rating."""
        day = datetime(when.year, when.month, when.day, tzinfo=UTC)
        fkey = f"{fold(film.name)}|{film.year}"
        first = fkey not in self.logged_films
        self.logged_films.add(fkey)
        native = f"film|{fkey}" if first else f"diary|{fkey}|{day:%Y-%m-%d}|{self.key()}"
        numbers = {"rating": stars / 5, "rating_raw": stars, "rating_max": 5.0}
        tags = ["film"] + ([] if first else ["rewatch"])
        extra = {
            "year": str(film.year),
            "watched_date": f"{day:%Y-%m-%d}",
            "logged_date": f"{day:%Y-%m-%d}",
            "rewatch": not first,
        }
        self.emit(
            when,
            Record.create(
                "letterboxd",
                "watch",
                native,
                timestamp=day,
                tz_known=False,
                title=film.name,
                tags=tags,
                numbers=numbers,
                extra=extra,
            ),
            truth,
        )
        if first:
            self.emit(
                when,
                Record.create(
                    "letterboxd",
                    "rate",
                    f"rating|{fkey}",
                    timestamp=day,
                    tz_known=False,
                    title=film.name,
                    tags=["film"],
                    numbers=numbers,
                    extra={"year": str(film.year), "date": f"{day:%Y-%m-%d}", "date_kind": "rated"},
                ),
                truth,
            )

    def goodreads(
        self,
        when: datetime,
        book: str,
        author: Author,
        stars: int | None,
        kind: str = "read",
        truth: tuple[Item, ...] = (),
    ) -> None:
        day = datetime(when.year, when.month, when.day, tzinfo=UTC)
        shelf, _ = BOOK_GENRES[author.genre]
        exclusive = "read" if kind == "read" else "to-read"
        shelves = [shelf] + (["favorites"] if stars == 5 and self.rng.random() < 0.4 else [])
        numbers: dict[str, float] = {"pages": float(self.rng.randint(220, 640))}
        if stars:
            numbers |= {"rating": stars / 5, "rating_raw": float(stars), "rating_max": 5.0}
        book_id = str(
            int(hashlib.blake2b(f"{book}|{author.name}".encode(), digest_size=4).hexdigest(), 16)
        )
        self.emit(
            when,
            Record.create(
                "goodreads",
                kind,
                f"{'book' if kind == 'read' else 'save'}|{book_id}",
                timestamp=day,
                tz_known=False,
                title=book,
                creator=author.name,
                url=f"https://www.goodreads.com/book/show/{book_id}",
                tags=[exclusive, *shelves],
                numbers=numbers,
                extra={
                    "book_id": book_id,
                    "publisher": author.publisher,
                    "binding": "Paperback",
                    "exclusive_shelf": exclusive,
                    "shelves": shelves,
                    "date_read": f"{day:%Y/%m/%d}" if kind == "read" else None,
                    "date_added": f"{day:%Y/%m/%d}",
                    "read_count": 1 if kind == "read" else 0,
                },
            ),
            truth,
        )

    def amazon(
        self,
        when: datetime,
        title: str,
        brand: str | None,
        category: str | None,
        price: float,
        truth: tuple[Item, ...] = (),
    ) -> None:
        """A retail order line: the current export has neither brand nor category; the
        legacy report has ``Category`` and a ``Seller`` (the brand's store, or Amazon)."""
        order = f"{self.rng.randint(100, 999)}-{self.rng.randint(10**6, 10**7 - 1)}-{self.key()}"
        asin = "B0" + self._id(8).upper()
        legacy = self.traits["amazon_export"] == "legacy report"
        seller = None
        if legacy:
            seller = brand if brand and self.rng.random() < 0.6 else "Amazon.com"
        ts = datetime(when.year, when.month, when.day, tzinfo=UTC) if legacy else when
        self.emit(
            when,
            Record.create(
                "amazon",
                "purchase",
                f"{order}|{asin}|0",
                timestamp=ts,
                tz_known=not legacy,
                title=title,
                creator=seller,
                tags=[] if legacy else ["amazon.com"],
                numbers={"price": price, "quantity": 1.0, "total": round(price * 1.08, 2)},
                extra={
                    "order_id": order,
                    "asin": asin,
                    "currency": "USD",
                    "marketplace": "amazon.com",
                    "order_status": "Closed",
                    "category": category if legacy else None,
                    "payment_type": "Visa",
                },
            ),
            truth,
        )

    def kindle(self, when: datetime, book: str, author: Author, truth: tuple[Item, ...]) -> None:
        """A Kindle book: Digital Items.csv names the publisher, not the author."""
        order = f"D01-{self.rng.randint(10**6, 10**7 - 1)}-{self.key()}"
        self.emit(
            when,
            Record.create(
                "amazon",
                "purchase",
                f"digital|{order}|{self.key()}",
                timestamp=when,
                title=book,
                creator=author.publisher,
                tags=["digital", "kindle", "book"],
                numbers={"price": 9.99, "quantity": 1.0, "total": 10.79},
                extra={
                    "order_id": order,
                    "asin": "B0" + self._id(8).upper(),
                    "publisher": author.publisher,
                    "product_type": "kindle",
                },
            ),
            truth,
        )

    def reddit_follow(self, when: datetime, sub: str) -> None:
        if sub.casefold() in self.subscribed:
            return
        self.subscribed.add(sub.casefold())
        self.emit(
            when,
            Record.create(
                "reddit",
                "follow",
                f"subreddit:{sub.casefold()}",
                title=f"r/{sub}",
                url=f"https://www.reddit.com/r/{sub}/",
                creator=f"r/{sub}",
                tags=["subreddit", sub.casefold()],
            ),
        )

    def reddit_comment(
        self, when: datetime, sub: str, body: str, truth: tuple[Item, ...] = ()
    ) -> None:
        cid = self._id(7).lower()
        self.emit(
            when,
            Record.create(
                "reddit",
                "comment",
                f"t1_{cid}",
                timestamp=when,
                title=f"Comment in r/{sub}",
                text=body,
                url=f"https://www.reddit.com/r/{sub}/comments/{self._id(6).lower()}/_/{cid}/",
                tags=[sub.casefold()],
                extra={"id": cid, "subreddit": sub},
            ),
            truth,
        )

    def _id(self, n: int) -> str:
        return "".join(self.rng.choice(_ID_CHARS) for _ in range(n))

    # -- tastes -----------------------------------------------------------------------------

    def fill(self, text: str, interest: Interest | None = None, **more: Any) -> str:
        r = self.rng
        products = interest.products if interest and interest.products else ("kit",)
        p = r.choice(products)
        p2 = r.choice([x for x in products if x != p] or [p])
        word = interest.word if interest else "life"
        values = {
            "w": word,
            "W": word.capitalize(),
            "p": p,
            "p2": p2,
            "P": p.title(),
            "n": r.randint(2, 40),
            "year": r.choice((2024, 2025, 2026)),
            "place": r.choice(PLACES),
            "site": interest.site if interest else "example.com",
            "sub": interest.subreddit if interest else "AskReddit",
            "noun": r.choice(("Pizza", "Maze", "Treehouse", "Robot", "Castle")),
            "adj": r.choice(("Craziest", "Tiniest", "Oldest", "Weirdest")),
        } | more
        return text.format(**values)

    def artist(self, t: Taste, when: datetime) -> None:
        a: Artist = t.obj
        r = self.rng
        truth: tuple[Item, ...] = (("music", "artist", artist_key(a.name)),)
        on_spotify = self.has("spotify") and r.random() < t.state["spotify_share"]
        app = r.random() < self.traits["youtube_music_app"]
        for _ in range(1 + min(12, int(r.expovariate(1 / 2.5)))):
            track = r.choice(a.tracks)
            album = r.choice(a.albums)
            if on_spotify:
                skip = r.random() < 0.08
                ms = r.randint(2_000, 25_000) if skip else r.randint(150_000, 280_000)
                if not skip and r.random() < 0.1:
                    ms = r.randint(40_000, 120_000)  # stopped half-way
                self.spotify(when, a.name, track, album, ms)
                if not skip:
                    self.events[-1].truth = truth
            elif app:  # the YouTube Music app: "YouTube Music" header
                channel = f"{a.name} - Topic" if r.random() < 0.6 else a.name
                self.youtube(when, track, channel, "YouTube Music", truth=truth)
                ms = 200_000
            else:  # the music video on plain YouTube
                if r.random() < 0.7:
                    self.youtube(
                        when, f"{a.name} - {track} (Official Video)", a.channel, truth=truth
                    )
                else:
                    self.youtube(when, track, f"{a.name} - Topic", truth=truth)
                ms = 220_000
            when += timedelta(milliseconds=ms + r.randint(0, 5_000))
        if not on_spotify:  # autoplay carries on after the session: radio and chart hits
            for _ in range(min(6, int(r.expovariate(1 / 1.5)))):
                other = r.choice(t.state["radio"] if r.random() < 0.6 else self.w.chart_artists)
                track = r.choice(other.tracks)
                if app:
                    self.youtube(when, track, f"{other.name} - Topic", "YouTube Music")
                else:
                    self.youtube(when, f"{other.name} - {track} (Official Video)", other.channel)
                when += timedelta(minutes=4)
        if r.random() < 0.04:
            what = r.choice(
                ("tour", f"lyrics {r.choice(a.tracks).lower()}", "new album", "tickets")
            )
            self.search(when, f"{a.name.lower()} {what}")
        if r.random() < 0.02:
            self.visit(when, "en.wikipedia.org", f"{a.name} - Wikipedia")

    def interest(self, t: Taste, when: datetime) -> None:
        it: Interest = t.obj
        r = self.rng
        topic: Item = ("topics", "topic", topic_key(it.word))
        favs: list[str] = t.state["channels"]
        fav_brand: Brand | None = t.state["brand"]
        u = r.random()
        if u < 0.45:
            channel = r.choice(favs) if r.random() < 0.75 else r.choice(it.channels)
            truth = (topic,) + (
                (("video", "channel", artist_key(channel)),) if channel in favs else ()
            )
            self.youtube(when, self.fill(r.choice(VIDEO_TEMPLATES), it), channel, truth=truth)
        elif u < 0.62:
            query = self.fill(r.choice(SEARCH_TEMPLATES), it)
            if r.random() < 0.25:
                self.youtube_search(when, query, (topic,))
            else:
                self.search(when, query, (topic,))
        elif u < 0.74:
            title = self.fill(r.choice(PAGE_TEMPLATES), it)
            host = "www.reddit.com" if title.startswith("r/") else it.site
            if title.endswith("Wikipedia"):
                host = "en.wikipedia.org"
            self.visit(when, host, title, (topic,))
        elif u < 0.82 and it.products:
            brand = fav_brand if fav_brand and r.random() < 0.6 else r.choice(it.brands)
            truth = (topic, ("shopping", "category", fold(it.category or "")))
            if brand is fav_brand:
                truth += (("shopping", "brand", artist_key(brand.name)),)
            if not self.has("amazon"):
                self.emit(when, None, truth)
                return
            product = r.choice(it.products)
            variant = r.choice(("Black", "Blue", "Large", "Pro", "Lightweight", "Compact"))
            title = r.choice(
                (
                    f"{brand.name} {product.title()} for {it.word.capitalize()}, {variant}",
                    f"{brand.name} {product.title()} - {variant}",
                    f"{product.title()} by {brand.name}",
                )
            )
            self.amazon(when, title, brand.name, it.category, round(r.uniform(9, 180), 2), truth)
        elif u < 0.92 and it.subreddit.casefold() in self.subscribed:
            body = self.fill(
                r.choice(
                    (
                        "Thanks, this helped a lot with my {w}!",
                        "Which {p} would you get on a budget?",
                        "Been doing {w} for {n} months, here is what I learned",
                        "Same here, my {p} broke too",
                    )
                ),
                it,
            )
            self.reddit_comment(when, it.subreddit, body, (topic,))
        else:
            self.emit(when, None, (topic,))  # done, not looked up: no export sees it

    def show(self, t: Taste, when: datetime) -> None:
        s: Show = t.obj
        r = self.rng
        truth: tuple[Item, ...] = (("film", "title", film_key(s.name)),)
        episodes = [(n, ep) for n, season in enumerate(s.seasons, 1) for ep in season]
        for _ in range(r.choice((1, 1, 2, 3))):
            pos = t.state.setdefault("pos", 0) % len(episodes)
            t.state["pos"] = pos + 1
            season, ep = episodes[pos]
            if self.has("netflix"):
                seconds = r.randint(1500, 3300) if r.random() < 0.9 else r.randint(120, 900)
                title = f"{s.name}: Season {season}: {ep}"
                self.netflix(when, title, seconds, truth, s.name, f"Season {season}", ep)
                if not t.state.get("rated") and r.random() < 0.08:
                    t.state["rated"] = True
                    self.netflix_thumbs(when, s.name, r.choice((2, 3)))
            else:
                self.emit(when, None, truth)  # another streaming service
            when += timedelta(minutes=50)
        if r.random() < 0.05:
            self.search(when, f"{s.name.lower()} season {len(s.seasons) + 1}")
        if r.random() < 0.03:
            self.visit(when, "www.imdb.com", f"{s.name} (TV Series {s.year}– ) - IMDb")
        if r.random() < 0.05 and self.has("reddit"):
            sub = "".join(w for w in s.name.split() if w.isalpha())[:20]
            self.reddit_follow(when, sub)
            self.reddit_comment(when, sub, f"That ending of season {season} though")

    def film(self, t: Taste, when: datetime) -> None:
        f: Film = t.obj
        r = self.rng
        truth: tuple[Item, ...] = (("film", "title", film_key(f.name)),)
        seen = False
        if self.has("netflix") and r.random() < 0.4:
            self.netflix(when, f.name, r.randint(5400, 8400), truth)
            seen = True
        if self.has("letterboxd") and r.random() < 0.9:
            self.letterboxd(when, f, r.choice((4.5, 5.0, 5.0)), truth)
            seen = True
        if not seen:
            self.emit(when, None, truth)

    def author(self, t: Taste, when: datetime) -> None:
        a: Author = t.obj
        r = self.rng
        truth: tuple[Item, ...] = (("books", "author", artist_key(a.name)),)
        pos = t.state.setdefault("pos", 0)
        t.state["pos"] = pos + 1
        book = a.books[pos % len(a.books)]
        reread = pos >= len(a.books)
        began = when - timedelta(days=r.randint(7, 30))
        if self.has("amazon") and not reread and began >= self.start:
            u = r.random()
            if u < 0.35:
                self.kindle(began, book, a, ())
            elif u < 0.55:
                self.amazon(began, f"{book} (Paperback)", a.publisher, "Books", 14.99)
        if self.has("goodreads") and not reread and r.random() < 0.9:
            stars = 5 if r.random() < 0.5 else r.choice((4, 4, 3))
            self.goodreads(when, book, a, stars, truth=truth)
            if r.random() < 0.3 and pos + 1 < len(a.books):
                self.goodreads(when + DAY, a.books[pos + 1], a, None, kind="save")
        else:
            self.emit(when, None, truth)
        if r.random() < 0.25:
            self.search(when, f"{a.name.lower()} new book")
        if r.random() < 0.3:
            site = "www.goodreads.com" if self.has("goodreads") else "www.waterstones.com"
            label = "Goodreads" if self.has("goodreads") else "Waterstones"
            self.visit(when, site, f"{book} by {a.name} | {label}")
        if r.random() < 0.1 and BOOK_SUBREDDITS[a.genre].casefold() in self.subscribed:
            self.reddit_comment(when, BOOK_SUBREDDITS[a.genre], f"Just finished {book}, wow")

    def brand(self, t: Taste, when: datetime) -> None:
        b: Brand = t.obj
        r = self.rng
        truth: tuple[Item, ...] = (
            ("shopping", "brand", artist_key(b.name)),
            ("shopping", "category", fold(b.category)),
        )
        product = r.choice(b.products)
        if self.has("amazon"):
            title = r.choice(
                (
                    f"{b.name} {product.title()}",
                    f"{b.name} Men's {product.title()}"
                    if "Clothing" in b.category
                    else f"{b.name} {product.title()} (2-Pack)",
                )
            )
            self.amazon(when, title, b.name, b.category, round(r.uniform(12, 120), 2), truth)
        else:
            self.emit(when, None, truth)
        if r.random() < 0.3:
            self.visit(when, b.host, f"{b.name} | Official Site")
        if r.random() < 0.25:
            self.search(when, f"{b.name.lower()} {product}")
        if r.random() < 0.1:
            channel = r.choice(self.w.review_channels)
            self.youtube(when, f"{b.name} {product} review", channel)

    # -- noise ------------------------------------------------------------------------------

    def noise(
        self, day: datetime, fav_genres: list[str], film_genres: list[str], favourites: set[str]
    ) -> None:
        r, w = self.rng, self.w
        december = 4.0 if day.month == 12 else 1.0
        if self.has("spotify"):
            for _ in range(_poisson(r, 1.2)):  # chart hits on radio and playlists
                a = r.choice(w.chart_artists)
                skip = r.random() < 0.35
                ms = r.randint(2_000, 25_000) if skip else r.randint(120_000, 230_000)
                self.spotify(self.at(day), a.name, r.choice(a.tracks), r.choice(a.albums), ms)
            for _ in range(_poisson(r, 0.8)):  # radio: same genres, not a favourite
                pool = [a for g in fav_genres for a in w.artists[g] if a.name not in favourites]
                a = r.choice(pool)
                ms = r.randint(2_000, 25_000) if r.random() < 0.2 else r.randint(120_000, 260_000)
                self.spotify(self.at(day), a.name, r.choice(a.tracks), r.choice(a.albums), ms)
            if self.traits["podcasts"]:
                for _ in range(_poisson(r, 0.4)):
                    self.spotify(
                        self.at(day),
                        self.podcast,
                        f"Episode {r.randint(1, 400)}",
                        None,
                        r.randint(900_000, 3_000_000),
                        "podcast",
                    )
        for _ in range(_poisson(r, 0.9)):  # trending and autoplay
            self.youtube(self.at(day), self.fill(r.choice(CLICKBAIT)), r.choice(w.popular_channels))
        for _ in range(_poisson(r, 0.25)):
            brand = r.choice([b for bs in w.brands.values() for b in bs])
            self.youtube(
                self.at(day), f"{brand.name} — {r.choice(brand.products)}", brand.name, ad=True
            )
        for _ in range(_poisson(r, 0.2)):  # chart music videos on plain YouTube
            a = r.choice(w.chart_artists)
            self.youtube(
                self.at(day), f"{a.name} - {r.choice(a.tracks)} (Official Video)", a.channel
            )
        if self.has("netflix"):
            for _ in range(_poisson(r, 0.12)):  # what everybody watches, often not finished
                g = r.choice(FILM_GENRES)
                if r.random() < 0.5:
                    f = r.choice(w.films[g])
                    self.netflix(self.at(day), f.name, r.randint(300, 7000))
                else:
                    s = r.choice(w.shows[g])
                    n = r.randrange(len(s.seasons))
                    ep = r.choice(s.seasons[n])
                    self.netflix(
                        self.at(day),
                        f"{s.name}: Season {n + 1}: {ep}",
                        r.randint(120, 3000),
                        (),
                        s.name,
                        f"Season {n + 1}",
                        ep,
                    )
            if self.traits["shared_netflix_with_a_child"]:
                for _ in range(_poisson(r, 0.35)):
                    s = self.kids_show
                    n = r.randrange(len(s.seasons))
                    ep = r.choice(s.seasons[n])
                    self.netflix(
                        self.at(day),
                        f"{s.name}: Season {n + 1}: {ep}",
                        r.randint(600, 1400),
                        (),
                        s.name,
                        f"Season {n + 1}",
                        ep,
                    )
        film_rate = 0.1 if self.has("letterboxd") else 0.05
        for _ in range(_poisson(r, film_rate)):  # a new film, watched once
            match = r.random() < 0.65
            f = r.choice(w.films[r.choice(film_genres if match else FILM_GENRES)])
            stars = r.choice((3.0, 3.5, 4.0, 4.5, 5.0) if match else (1.5, 2.0, 2.5, 3.0, 3.5, 4.0))
            when = self.at(day)
            if self.has("netflix") and (r.random() < 0.4 or not self.has("letterboxd")):
                self.netflix(when, f.name, r.randint(4000, 8000))
            if self.has("letterboxd"):
                self.letterboxd(when, f, stars, ())
        if self.has("goodreads") and self.traits["reader"]:
            for _ in range(_poisson(r, 0.012)):  # a book by somebody else
                a = r.choice(w.authors[r.choice(list(w.authors))])
                self.goodreads(self.at(day), r.choice(a.books), a, r.choice((2, 3, 3, 4)))
            for _ in range(_poisson(r, 0.02)):
                a = r.choice(w.authors[r.choice(list(w.authors))])
                self.goodreads(self.at(day), r.choice(a.books), a, None, kind="save")
        if self.has("amazon"):
            for _ in range(_poisson(r, 0.035)):
                brand, item = r.choice(HOUSEHOLD)
                self.amazon(
                    self.at(day),
                    f"{brand} {item}",
                    brand,
                    "Health & Household",
                    round(r.uniform(6, 30), 2),
                )
            for _ in range(_poisson(r, 0.01 * december)):  # gifts
                cat = r.choice(list(GIFT_CATEGORIES))
                item = r.choice(GIFT_CATEGORIES[cat])
                self.amazon(
                    self.at(day),
                    f"{r.choice(NOUNS_BRANDISH)} {item.title()}",
                    None,
                    cat,
                    round(r.uniform(10, 60), 2),
                )
        for _ in range(_poisson(r, 1.5)):
            self.search(self.at(day), r.choice(GENERIC_SEARCHES))
        for _ in range(_poisson(r, 2.0)):
            host, title = r.choice(GENERIC_PAGES)
            self.visit(self.at(day), host, self.fill(title))
        if self.has("reddit"):
            for _ in range(_poisson(r, 0.05)):
                sub = r.choice(DEFAULT_SUBREDDITS)
                self.reddit_comment(self.at(day), sub, "lol this is so true")

    def at(self, day: datetime) -> datetime:
        """A waking-hours moment of ``day``."""
        return day + timedelta(seconds=self.rng.randint(7 * 3600, 24 * 3600 - 1))


FIRST_NAMES = ("Ana", "Ben", "Chloé", "Dev", "Ema", "Finn", "Gus", "Hana", "Ivo", "Jo")
NOUNS_BRANDISH = ("Kidzly", "Toyvo", "Giftora", "Wunder")
_ID_CHARS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"


def _level(t: Taste, day: datetime, start: datetime, end: datetime) -> float:
    """How active a taste is on ``day`` (0 outside its span; ramps in and out; seasons)."""
    if day < t.start or day >= t.end:
        return 0.0
    ramp_in = 1.0 if t.start <= start else min(1.0, 0.2 + (day - t.start).days / 30)
    ramp_out = 1.0 if t.end >= end else min(1.0, (t.end - day).days / 45 + 0.1)
    season = 1 + 0.3 * math.sin(2 * math.pi * day.timetuple().tm_yday / 365 + t.phase)
    return ramp_in * ramp_out * season


def _span(rng: random.Random, start: datetime, end: datetime) -> tuple[datetime, datetime, str]:
    """When a taste is active: the whole history (60 %), from a late start (20 %), or
    until it fades (20 %)."""
    span = end - start
    u = rng.random()
    if u < 0.6:
        return start - 365 * DAY, end + 365 * DAY, "stable"
    if u < 0.8:
        return start + span * rng.uniform(0.25, 0.85), end + 365 * DAY, "late"
    return start - 365 * DAY, start + span * rng.uniform(0.3, 1.0), "fading"


def make_persona(
    index: int,
    seed: int,
    *,
    end: datetime = DEFAULT_END,
    history_months: int = DEFAULT_HISTORY_MONTHS,
    world: World | None = None,
) -> Persona:
    """Persona ``index`` of ``seed``, active for ``history_months`` before ``end``."""
    world = world or build_world(seed)
    rng = random.Random(f"persona-{seed}-{index}")
    start = end - timedelta(days=round(history_months * 30.44))
    life = _Life(world, rng, start, end)
    tastes: list[Taste] = []

    def taste(kind: str, name: str, obj: Any, per_week: float, **state: Any) -> Taste:
        s, e, drift = _span(rng, start, end)
        t = Taste(kind, name, obj, s, e, per_week, rng.uniform(0, 2 * math.pi), drift, state)
        tastes.append(t)
        return t

    genres = rng.sample(MUSIC_GENRES, rng.choice((1, 2, 2)))
    pool = [a for g in genres for a in world.artists[g]]
    artists = rng.sample(pool, rng.randint(4, 10))
    if rng.random() < 0.3:
        other = [a for g in MUSIC_GENRES if g not in genres for a in world.artists[g]]
        artists.append(rng.choice(other))
    for a in artists:
        share = life.traits["spotify_share"] * (0.25 if rng.random() < 0.2 else 1.0)
        radio = [b for b in world.artists[a.genre] if b not in artists]
        per_week = rng.choice((0.5, 1.0, 2.0, 4.0)) * rng.uniform(0.7, 1.3)  # a long head
        taste("artist", a.name, a, per_week, spotify_share=share, radio=radio)
    for it in rng.sample(world.interests, rng.randint(2, 4)):
        favs = rng.sample(list(it.channels), rng.choice((1, 2)))
        brand = rng.choice(it.brands) if it.brands and rng.random() < 0.5 else None
        t = taste("interest", it.word, it, rng.uniform(2.0, 5.0), channels=favs, brand=brand)
        if life.has("reddit") and rng.random() < 0.7:
            life.reddit_follow(max(t.start, start - 30 * DAY), it.subreddit)
    film_genres = rng.sample(FILM_GENRES, rng.choice((1, 2)))
    for s in rng.sample([s for g in film_genres for s in world.shows[g]], rng.randint(1, 3)):
        taste("show", s.name, s, rng.uniform(1.0, 2.5))
    for f in rng.sample([f for g in film_genres for f in world.films[g]], rng.randint(2, 3)):
        taste("film", f.name, f, rng.uniform(0.04, 0.1))
    if life.traits["reader"]:
        book_genres = rng.sample(list(world.authors), rng.choice((1, 2)))
        for a in rng.sample([a for g in book_genres for a in world.authors[g]], rng.randint(2, 3)):
            taste("author", a.name, a, rng.uniform(0.04, 0.1))  # a book every 2-6 months
        if life.has("reddit") and rng.random() < 0.5:
            life.reddit_follow(start - 200 * DAY, BOOK_SUBREDDITS[book_genres[0]])
    for cat in rng.sample(list(world.brands), rng.choice((1, 2))):
        b = rng.choice(world.brands[cat])
        taste("brand", b.name, b, rng.uniform(0.1, 0.3))
    if life.has("reddit"):
        for sub in rng.sample(DEFAULT_SUBREDDITS, 3):
            life.reddit_follow(start - 400 * DAY, sub)

    handlers = {
        "artist": life.artist,
        "interest": life.interest,
        "show": life.show,
        "film": life.film,
        "author": life.author,
        "brand": life.brand,
    }
    favourites = {a.name for a in artists}
    day = start
    while day < end:
        for t in tastes:
            lam = t.per_week / 7 * _level(t, day, start, end)
            for _ in range(_poisson(rng, lam)):
                handlers[t.kind](t, life.at(day))
        life.noise(day, genres, film_genres, favourites)
        day += DAY
    events = sorted(life.events, key=lambda e: e.when)
    return Persona(
        name=f"persona-{index:02d}",
        start=start,
        end=end,
        platforms=life.platforms,
        traits=life.traits,
        tastes=tastes,
        events=events,
    )


def make_personas(
    count: int, seed: int, *, history_months: int = DEFAULT_HISTORY_MONTHS
) -> list[Persona]:
    """``count`` personas of one seed."""
    world = build_world(seed)
    return [make_persona(i, seed, history_months=history_months, world=world) for i in range(count)]

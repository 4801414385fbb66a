"""Deriving preferences from the records: ranked items per domain, with evidence.

Every record is turned into weighted *signals* about items (an artist, a channel, a film,
an author, a brand, a place, a topic, a person). Explicit signals (ratings, likes, saves,
follows, purchases, books read, reviews) weigh more than implicit ones (plays, views,
visits, searches); plays count by how much was played, skips and ads barely count; a
rating below the middle of its scale counts against. Each signal is also weighted by
recency (a half-life counted back from the newest data), giving an "all time" and a
"lately" score. Names are normalised (``server.normalise``) so the same item from
several platforms is one item, listing every source that supports it. Topics are words
and tags that recur across several platforms: the interests no single platform sees.

The result is written to the ``preferences`` table by the writer after each ingest; the
server only reads it (and applies the user's stated preferences on top).
"""

from __future__ import annotations

import heapq
import json
import math
import re
import sqlite3
from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from server.normalise import artist_key, display, film_key, fold, title_key

DOMAINS: tuple[str, ...] = (
    "music",
    "video",
    "film",
    "books",
    "shopping",
    "places",
    "topics",
    "people",
)

#: Words models and people use for the domains.
DOMAIN_ALIASES: dict[str, str] = {
    "artists": "music",
    "songs": "music",
    "tracks": "music",
    "albums": "music",
    "podcasts": "music",
    "listening": "music",
    "videos": "video",
    "youtube": "video",
    "channels": "video",
    "movies": "film",
    "movie": "film",
    "films": "film",
    "tv": "film",
    "shows": "film",
    "series": "film",
    "reading": "books",
    "book": "books",
    "authors": "books",
    "shopping": "shopping",
    "purchases": "shopping",
    "brands": "shopping",
    "products": "shopping",
    "place": "places",
    "cities": "places",
    "travel": "places",
    "topic": "topics",
    "interests": "topics",
    "hobbies": "topics",
    "people": "people",
    "contacts": "people",
    "friends": "people",
}

EVIDENCE = 5
MAX_ITEMS_PER_DOMAIN = 2000
#: Weights by kind: explicit signals first.
EXPLICIT_WEIGHT = {
    "like": 3.0,
    "follow": 3.0,
    "purchase": 3.0,
    "review": 3.0,
    "read": 3.0,
    "save": 2.0,
    "rate": 0.0,  # the rating itself carries the weight
}
IMPLICIT_WEIGHT = {
    "listen": 1.0,
    "watch": 1.0,
    "search": 0.5,
    "visit": 0.2,
    "post": 1.5,
    "comment": 1.0,
    "note": 1.0,
    "place": 1.0,
    "activity": 0.3,
    "message": 1.0,
    "email": 0.5,
    "contact": 0.5,
    "event": 0.5,
}
RATING_WEIGHT = 4.0  # a 5/5 adds +4, a 1/5 -2.4 (more than a view adds), 3/5 nothing
FULL_PLAY_MS = 180_000
FULL_WATCH_S = 1800

#: Tags that say how a record was made, not what it is about.
_SYSTEM_TAGS = frozenset(
    "ad skip music podcast audiobook series film netflix sent received reply retweet "
    "checklist pinned archived trashed reviewed banned not-own digital returned cancelled "
    "read to-read currently-reading frequent system follower list".split()
)
_WORD = re.compile(r"[^\W\d_][\w'&+-]*[^\W_]|[^\W\d_]{3,}", re.UNICODE)
_STOPWORDS = frozenset(
    """a about above after again against all also am an and any are as at be because been
    before being below between both but by can could did do does doing down during each few
    for from further had has have having he her here hers herself him himself his how i if in
    into is it its itself just me more most my myself no nor not now of off on once only or
    other our ours out over own same she should so some such than that the their theirs them
    then there these they this those through to too under until up very was we were what when
    where which while who whom why will with would you your yours yourself new best top vs
    get got make made one two three first last next day days week year years time way world
    watch watched watching video videos official full episode episodes season part chapter
    live review reviews guide home page search searched results result login sign account
    help how-to tutorial free online near open com www http https html php org net app apps
    google youtube spotify netflix amazon reddit wikipedia twitter facebook instagram mail
    gmail maps chrome music song songs album track tracks playlist podcast show shows movie
    film films book books author read buy price sale shop store order deal deals
    de da do das dos la le les el los las un una une des du en et y o e em para por com sem
    der die das und mit von zu im auf den dem ein eine
    """.split()
)


def normalise_domain(value: str) -> str | None:
    """A domain name from what a model or person typed, or None."""
    v = value.strip().lower()
    if v in DOMAINS:
        return v
    return DOMAIN_ALIASES.get(v)


@dataclass(slots=True)
class Signal:
    """One piece of evidence about one item."""

    domain: str
    type: str
    key: str
    name: str
    weight: float
    explicit: bool


@dataclass
class _Agg:
    names: Counter[str] = field(default_factory=Counter)
    weight: float = 0.0
    recent: float = 0.0
    events: int = 0
    explicit: int = 0
    sources: Counter[str] = field(default_factory=Counter)
    first: int | None = None
    last: int | None = None
    #: heap of (priority, record id) keeping the best EVIDENCE records
    evidence: list[tuple[float, str]] = field(default_factory=list)

    def add(self, sig: Signal, source: str, ts: int | None, decay: float, record_id: str) -> None:
        self.names[sig.name] += 1
        self.weight += sig.weight
        self.recent += sig.weight * decay
        self.events += 1
        self.explicit += sig.explicit
        self.sources[source] += 1
        if ts is not None:
            self.first = ts if self.first is None else min(self.first, ts)
            self.last = ts if self.last is None else max(self.last, ts)
        priority = abs(sig.weight) * (2.0 if sig.explicit else 1.0) + decay
        if len(self.evidence) < EVIDENCE:
            heapq.heappush(self.evidence, (priority, record_id))
        elif priority > self.evidence[0][0]:
            heapq.heapreplace(self.evidence, (priority, record_id))

    def add_topic(
        self, surface: str, weight: float, source: str, ts: int | None, decay: float, rid: str
    ) -> None:
        """A lighter :meth:`add` for topic words (millions of them on a big index)."""
        self.names[surface] += 1
        self.weight += weight
        self.recent += weight * decay
        self.events += 1
        self.sources[source] += 1
        if ts is not None:
            if self.first is None or ts < self.first:
                self.first = ts
            if self.last is None or ts > self.last:
                self.last = ts
        if len(self.evidence) < EVIDENCE:
            heapq.heappush(self.evidence, (weight + decay, rid))


def _rating_weight(numbers: dict[str, float]) -> float:
    """A rating on the 0-1 scale: +4 at the top, -4 at the bottom, 0 in the middle."""
    rating = numbers.get("rating")
    if rating is None:
        return 0.0
    return RATING_WEIGHT * (float(rating) - 0.5) * 2


def _base_weight(kind: str, tags: set[str], numbers: dict[str, float], source: str) -> float:
    if "ad" in tags:
        return 0.0
    if kind in EXPLICIT_WEIGHT:
        weight = EXPLICIT_WEIGHT[kind]
        if kind == "read" and "currently-reading" in tags:
            weight = 1.5
        return weight + _rating_weight(numbers)
    weight = IMPLICIT_WEIGHT.get(kind, 0.3)
    if kind == "listen":
        if "skip" in tags:
            return 0.05
        ms = numbers.get("ms_played")
        if ms is not None:
            weight = min(1.0, max(0.05, ms / FULL_PLAY_MS))
    elif kind == "watch":
        seconds = numbers.get("duration_s")
        if seconds is not None and source == "netflix":
            weight = min(1.0, max(0.05, seconds / FULL_WATCH_S))
        if source == "letterboxd":
            weight = 2.0  # a logged film is a deliberate act
    return weight + _rating_weight(numbers)


def signals(
    source: str,
    kind: str,
    title: str | None,
    creator: str | None,
    tags: set[str],
    numbers: dict[str, float],
    extra: dict[str, Any],
    third_party: bool,
) -> Iterator[Signal]:
    """The item signals one record gives (topics are counted separately)."""
    weight = _base_weight(kind, tags, numbers, source)
    explicit = kind in EXPLICIT_WEIGHT or "rating" in numbers
    platform = source.split(".", 1)[0]

    def sig(domain: str, typ: str, key: str, name: str, w: float = weight) -> Signal | None:
        return Signal(domain, typ, key, name, w, explicit) if key else None

    out: list[Signal | None] = []
    if kind == "profile":
        return
    # -- music: Spotify, YouTube Music --------------------------------------------------
    # YouTube's auto-generated "X - Topic" and "XVEVO" channels are music.
    if source == "google.youtube" and creator and not _youtube_music(extra):
        if creator.endswith(" - Topic"):
            extra = {"header": "YouTube Music"}
        elif creator.endswith("VEVO") and len(creator) > 4:
            creator, extra = creator[:-4], {"header": "YouTube Music", "vevo": True}
    if platform == "spotify" or (source == "google.youtube" and _youtube_music(extra)):
        content = str(extra.get("content") or "")
        if content == "podcast" or "podcast" in tags:
            if creator:
                out.append(sig("music", "podcast", artist_key(creator), creator))
        elif creator or title:
            if creator:
                out.append(sig("music", "artist", artist_key(creator), display(creator)))
            if title and kind in ("listen", "save", "like", "watch", "rate"):
                key = f"{title_key(title)} — {artist_key(creator or '')}"
                name = f"{title} — {display(creator)}" if creator else title
                out.append(sig("music", "track", key, name))
            album = extra.get("album")
            if isinstance(album, str) and album:
                out.append(sig("music", "album", title_key(album), album, weight * 0.5))
    # -- video: YouTube -----------------------------------------------------------------
    elif source == "google.youtube":
        if creator and kind in ("watch", "follow", "like", "save", "comment"):
            out.append(sig("video", "channel", artist_key(creator), display(creator)))
        if title and kind in ("watch", "like", "save"):
            out.append(sig("video", "video", title_key(title), title, weight * 0.5))
    # -- film and TV: Netflix, Letterboxd, Play Movies -------------------------------------
    elif platform in ("netflix", "letterboxd") or (source == "google.play" and "movie" in tags):
        show = extra.get("show")
        name = show if isinstance(show, str) and show else title
        if name and kind in ("watch", "rate", "review", "like", "save", "search"):
            w = weight if kind != "search" else 0.3
            out.append(sig("film", "title", film_key(name), _film_display(name, extra), w))
    # -- books: Goodreads, Kindle, Play Books ----------------------------------------------
    elif platform == "goodreads" or "book" in tags or source == "google.books":
        if creator and platform != "amazon":  # Amazon's creator is the publisher
            out.append(sig("books", "author", artist_key(creator), creator))
        if title:
            out.append(sig("books", "book", title_key(title), title))
    # -- shopping ---------------------------------------------------------------------------
    if kind == "purchase" and platform != "goodreads":
        if creator and _MARKETPLACE.match(creator):
            creator = None
        if creator and not (platform == "amazon" and "digital" in tags):
            out.append(sig("shopping", "brand", artist_key(creator), creator))
        category = extra.get("category")
        if isinstance(category, str) and category:
            out.append(sig("shopping", "category", fold(category), category))
        if title:
            out.append(sig("shopping", "product", title_key(title)[:80], title[:120], weight))
    # -- places -----------------------------------------------------------------------------
    if kind == "place" and title and "location history" not in title.lower():
        out.append(sig("places", "place", fold(title), title))
        city = extra.get("city")
        if isinstance(city, str) and city:
            out.append(sig("places", "city", fold(city), city))
    # -- people (shown only when the user turns the domain on) -------------------------------
    if kind in ("message", "email") and creator and third_party:
        out.append(sig("people", "person", fold(creator), creator, 1.0))
    elif kind == "contact" and title:
        out.append(sig("people", "person", fold(title), title, 0.5))
    yield from (s for s in out if s is not None)


#: The marketplace itself as a legacy report's "Seller" is not a brand.
_MARKETPLACE = re.compile(r"^amazon(\.[a-z.]+)?( services.*| eu.*| retail.*)?$", re.I)


def _film_display(name: str, extra: dict[str, Any]) -> str:
    year = extra.get("year")
    return f"{name} ({year})" if year and str(year) not in name else name


_TOPIC_WEIGHT = {
    "search": 1.0,
    "purchase": 1.5,
    "save": 1.0,
    "like": 1.0,
    "follow": 1.5,
    "post": 1.0,
    "comment": 1.0,
    "note": 1.0,
    "watch": 0.5,
    "visit": 0.2,
}
_NO_TOPICS = frozenset({"listen", "message", "email", "contact", "event", "profile", "health"})


def _youtube_music(extra: Any) -> bool:
    return "YouTube Music" in str(extra.get("header") or "")


def topic_terms(
    kind: str, title: str | None, tags: set[str], source: str, music: bool = False
) -> Iterator[tuple[str, str, float]]:
    """``(key, surface form, weight)`` topic candidates from a record: words of titles
    that describe what it is about, and meaningful tags (subreddits, shelves, labels)."""
    if kind in _NO_TOPICS:
        return
    weight = _TOPIC_WEIGHT.get(kind, 0.3)
    if "ad" in tags or source.split(".", 1)[0] in ("netflix", "letterboxd"):
        return  # film and show names are titles, not topics
    seen: set[str] = set()
    for tag in tags:
        if tag in _SYSTEM_TAGS or len(tag) < 3 or tag.isdigit():
            continue
        key = _term_key(tag)
        if key and key not in seen:
            seen.add(key)
            yield key, tag, weight * 2
    if title and source != "goodreads" and not music:  # song and book titles are not topics
        for key, surface in _title_terms(title):
            if key not in seen:
                seen.add(key)
                yield key, surface, weight


@lru_cache(maxsize=131_072)
def _title_terms(title: str) -> tuple[tuple[str, str], ...]:
    """Topic keys and surface forms of a title (titles repeat: cached)."""
    out = []
    for word in _WORD.findall(title):
        key = _term_key(word)
        if key:
            out.append((key, word.lower()))
    return tuple(out)


@lru_cache(maxsize=262_144)
def _term_key(word: str) -> str | None:
    key = fold(word).replace(" ", "")
    if len(key) < 3 or key in _STOPWORDS or not key.isalpha():
        return None
    if len(key) > 5 and key.endswith("ing"):
        key = key[:-3]
    elif len(key) > 4 and key.endswith("s") and not key.endswith("ss"):
        key = key[:-1]
    return None if key in _STOPWORDS else key


class _LazyJSON:
    """A JSON object parsed on first use (most rows never need their ``extra``)."""

    __slots__ = ("_raw", "_value")

    def __init__(self, raw: str | None) -> None:
        self._raw = raw
        self._value: dict[str, Any] | None = None

    def get(self, key: str, default: Any = None) -> Any:
        if self._value is None:
            self._value = json.loads(self._raw) if self._raw else {}
        return self._value.get(key, default)


def derive(conn: sqlite3.Connection, half_life_days: float) -> dict[str, int]:
    """Recompute the ``preferences`` table from the records (one transaction).
    Returns the number of items per domain."""
    newest = conn.execute("SELECT max(ts) FROM records").fetchone()[0]
    half_life_ms = half_life_days * 86_400_000
    items: dict[tuple[str, str, str], _Agg] = defaultdict(_Agg)
    topics: dict[str, _Agg] = defaultdict(_Agg)
    topic_platforms: dict[str, Counter[str]] = defaultdict(Counter)
    rows = conn.execute(
        "SELECT id, source, kind, ts, title, creator, tags, numbers, extra, third_party"
        " FROM records"
    )
    for rid, source, kind, ts, title, creator, tags, numbers, extra, third in rows:
        tagset = set(tags.split()) if tags else set()
        nums = json.loads(numbers) if numbers else {}
        ext = _LazyJSON(extra)
        decay = 1.0 if ts is None or newest is None else 0.5 ** ((newest - ts) / half_life_ms)
        for sig in signals(source, kind, title, creator, tagset, nums, ext, bool(third)):  # type: ignore[arg-type]
            items[(sig.domain, sig.type, sig.key)].add(sig, source, ts, decay, rid)
        music = source == "spotify" or (source == "google.youtube" and _youtube_music(ext))
        # A creator's name says who, not what about: "Birdwatching with Niamh" keeps
        # "birdwatch" out of the topics of its own videos only, not of everyone's.
        own = _name_words(creator) if creator else frozenset()
        for key, surface, weight in topic_terms(kind, title, tagset, source, music):
            if key in own:
                continue
            topic_platforms[key][source] += 1
            topics[key].add_topic(surface, weight, source, ts, decay, rid)
    # Music on plain YouTube is the artist's: a channel named like an artist, and VEVO
    # keys ("ezracollective") equal to an artist's key without spaces, are merged in.
    artists = {key for (d, t, key) in items if d == "music" and t == "artist"}
    squashed = {k.replace(" ", ""): k for k in artists if " " in k}
    for ident in list(items):
        d, t, key = ident
        if d == "music" and t == "artist" and " " not in key:
            target = squashed.get(key) or squashed.get(key[3:] if key.startswith("the") else "")
            if target and target != key:
                _merge(items[("music", "artist", target)], items.pop(ident))
        elif d == "video" and t == "channel" and key in artists:
            _merge(items[("music", "artist", key)], items.pop(ident))
    # Words of names (artists, authors, brands) are not topics anywhere: "Ezra Collective"
    # in a video title says who, not what about.
    name_words = {
        word
        for (domain, typ, _), agg in items.items()
        if typ in ("artist", "author", "brand", "podcast", "person")
        for name in agg.names
        for word in (_term_key(w) for w in _WORD.findall(name))
        if word
    }
    # A topic is an interest when at least two platforms support it.
    for key, agg in topics.items():
        if len(topic_platforms[key]) < 2 or key in name_words:
            continue
        spread = math.sqrt(len(agg.sources))
        agg.weight = sum(math.log1p(n) for n in agg.sources.values()) * spread
        agg.recent = agg.weight * (agg.recent / max(agg.events, 1))
        items[("topics", "topic", key)] = agg
    return _store(conn, items)


@lru_cache(maxsize=65_536)
def _name_words(name: str) -> frozenset[str]:
    """Topic keys of the words of a name."""
    return frozenset(w for w in map(_term_key, _WORD.findall(name)) if w)


def _merge(into: _Agg, other: _Agg) -> None:
    """Fold ``other``'s evidence into ``into`` (the same item seen under two keys)."""
    into.names.update(other.names)
    into.weight += other.weight
    into.recent += other.recent
    into.events += other.events
    into.explicit += other.explicit
    into.sources.update(other.sources)
    for ts in (other.first, other.last):
        if ts is not None:
            into.first = ts if into.first is None else min(into.first, ts)
            into.last = ts if into.last is None else max(into.last, ts)
    for entry in other.evidence:
        if len(into.evidence) < EVIDENCE:
            heapq.heappush(into.evidence, entry)
        elif entry[0] > into.evidence[0][0]:
            heapq.heapreplace(into.evidence, entry)


def _store(conn: sqlite3.Connection, items: dict[tuple[str, str, str], _Agg]) -> dict[str, int]:
    by_domain: dict[str, list[tuple[tuple[str, str, str], _Agg]]] = defaultdict(list)
    for ident, agg in items.items():
        by_domain[ident[0]].append((ident, agg))
    rows = []
    counts: dict[str, int] = {}
    for domain, entries in by_domain.items():
        entries.sort(key=lambda e: -e[1].weight)
        entries = entries[:MAX_ITEMS_PER_DOMAIN]
        top_all = max((a.weight for _, a in entries), default=0.0) or 1.0
        top_recent = max((a.recent for _, a in entries), default=0.0) or 1.0
        counts[domain] = len(entries)
        for (dom, typ, key), agg in entries:
            strength = agg.events + 3 * agg.explicit
            confidence = (1 - math.exp(-strength / 6)) * min(1.0, 0.75 + 0.125 * len(agg.sources))
            rows.append(
                (
                    dom,
                    typ,
                    key,
                    agg.names.most_common(1)[0][0],
                    max(0.0, agg.weight / top_all),
                    max(0.0, agg.recent / top_recent),
                    agg.weight,
                    round(confidence, 3),
                    agg.events,
                    agg.explicit,
                    json.dumps(dict(agg.sources.most_common())),
                    agg.first,
                    agg.last,
                    json.dumps([rid for _, rid in sorted(agg.evidence, reverse=True)]),
                )
            )
    conn.execute("BEGIN IMMEDIATE")
    try:
        conn.execute("DELETE FROM preferences")
        conn.executemany(
            "INSERT INTO preferences (domain, type, key, name, score_all, score_recent,"
            " weight, confidence, events, explicit, sources, first_ts, last_ts, evidence)"
            " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
            rows,
        )
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    return counts


#: ``meta`` key: what the preferences were derived from (records version, half-life).
PREFS_KEY = "prefs_derived"


def refresh_if_stale(conn: sqlite3.Connection, half_life_days: float) -> bool:
    """Derive the preferences again when records changed since the last derivation (or
    the half-life did); True when it ran. Deriving reads every record: on a million
    records it takes tens of seconds, so it runs after ingest, never on a no-op."""
    row = conn.execute("SELECT value FROM meta WHERE key = 'records_version'").fetchone()
    wanted = json.dumps({"records": row[0] if row else "0", "half_life": half_life_days})
    done = conn.execute("SELECT value FROM meta WHERE key = ?", (PREFS_KEY,)).fetchone()
    if done is not None and done[0] == wanted:
        return False
    derive(conn, half_life_days)
    conn.execute(
        "INSERT INTO meta (key, value) VALUES (?, ?)"
        " ON CONFLICT(key) DO UPDATE SET value = excluded.value",
        (PREFS_KEY, wanted),
    )
    return True

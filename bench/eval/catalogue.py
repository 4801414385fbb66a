"""The made-up world the personas live in: artists, channels, interests, films, shows,
authors, brands, plus the popular things everybody runs into (chart artists, trending
channels, household shopping).

Every name is invented from word lists with a seeded RNG (no real person is named), and
carries the quirks the normaliser has to cope with: diacritics (``Zoë``), a leading
"The", YouTube's ``VEVO`` and ``- Topic`` channel names, author initials. The same seed
always gives the same world.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

FIRST = (
    "Ana Björn Chidi Dana Élodie Femi Greta Hiro Inès Jonas Kofi Lúa Mara Niamh Oskar Priya "
    "Quinn Rafael Saoirse Tomás Ulla Vikram Wren Ximena Yusuf Zoë Amara Bruno Céline Dario "
    "Esme Farid Goran Hana Ilse Jun Kemal Leona Mateo Nadia Odile Pavel Renée Soren Talia"
).split()
LAST = (
    "Abara Bergström Castellanos Dimitriou Eklund Fontaine García Haddad Ivanova Jensen "
    "Kowalczyk Lindqvist Moreau Nakamura Okafor Petrović Quintero Rossi Søndergaard Takahashi "
    "Umeh Varga Wójcik Yılmaz Zapata Adeyemi Brennan Costa Duval Esposito Falk Grönholm "
    "Horvat Iqbal Jovanović Kaur Laurent Mensah Novak Ortega Pereira Ruiz Schäfer Tanaka"
).split()
ADJ = (
    "Velvet Hollow Neon Quiet Golden Paper Electric Silver Broken Wild Lunar Crimson Midnight "
    "Northern Static Copper Amber Distant Glass Hidden Iron Pale Scarlet Violet Wandering"
).split()
NOUN = (
    "Harbour Orchard Lantern Engine Garden River Signal Comet Mirror Canyon Forest Tide Atlas "
    "Echo Meadow Falcon Compass Ember Glacier Horizon Island Kite Lighthouse Marble Nebula "
    "Ocean Pylon Quarry Raven Summit Tower Valley Willow"
).split()
PLACES = (
    "Lisbon Oslo Kyoto Lagos Quito Tbilisi Porto Hanoi Tallinn Accra Cusco Bergen Dakar "
    "Seville Krakow Valparaíso"
).split()
SYLLABLES = "ka lo ve ra ni tor mi sen da vo lu ter an el is or um ba ke zi no fa".split()

MUSIC_GENRES = (
    "jazz",
    "indie rock",
    "hip hop",
    "electronic",
    "folk",
    "metal",
    "k-pop",
    "classical",
    "afrobeat",
    "ambient",
)
FILM_GENRES = ("thriller", "sci-fi", "romcom", "horror", "documentary", "drama", "animation")
BOOK_GENRES: dict[str, tuple[str, tuple[str, ...]]] = {
    # genre -> (Goodreads shelf, publishers)
    "fantasy": ("fantasy", ("Tor Books", "Orbit", "Gollancz")),
    "science fiction": ("sci-fi", ("Tor Books", "Orbit", "Gollancz")),
    "crime": ("crime", ("Penguin Books", "HarperCollins", "Mulholland Books")),
    "literary fiction": ("literary-fiction", ("Vintage", "Faber & Faber", "Picador")),
    "romance": ("romance", ("Avon", "Berkley", "HarperCollins")),
    "history": ("non-fiction", ("Penguin Books", "Vintage", "Basic Books")),
}
BOOK_SUBREDDITS = {
    "fantasy": "Fantasy",
    "science fiction": "printSF",
    "crime": "mysterybooks",
    "literary fiction": "literature",
    "romance": "RomanceBooks",
    "history": "history",
}

#: word as written in titles, Amazon category of its gear (None: nothing to buy), gear,
#: subreddit.
INTERESTS: tuple[tuple[str, str | None, tuple[str, ...], str], ...] = (
    ("bouldering", "Sports & Outdoors",
     ("chalk bag", "climbing shoes", "crash pad", "liquid chalk", "finger tape", "hangboard"),
     "bouldering"),
    ("sourdough", "Home & Kitchen",
     ("banneton basket", "dutch oven", "bench scraper", "bread lame", "proofing box"),
     "Sourdough"),
    ("woodworking", "Tools & Home Improvement",
     ("chisel set", "block plane", "bench vise", "marking gauge", "pull saw"), "woodworking"),
    ("aquarium", "Pet Supplies",
     ("canister filter", "aquarium heater", "aquarium light", "water test kit", "driftwood"),
     "Aquariums"),
    ("chess", "Toys & Games", ("chess set", "chess clock", "magnetic chess board"), "chess"),
    ("gardening", "Patio, Lawn & Garden",
     ("raised bed", "pruning shears", "seed starter kit", "compost bin"), "gardening"),
    ("knitting", "Arts, Crafts & Sewing",
     ("merino yarn", "circular needles", "stitch markers", "yarn swift"), "knitting"),
    ("astronomy", "Electronics",
     ("telescope", "star chart", "red flashlight", "eyepiece kit"), "astronomy"),
    ("photography", "Electronics",
     ("prime lens", "camera strap", "tripod", "lens filter"), "photography"),
    ("cycling", "Sports & Outdoors",
     ("bike light", "cycling jersey", "chain lube", "saddle bag"), "cycling"),
    ("running", "Sports & Outdoors",
     ("running shoes", "running vest", "energy gels", "headlamp"), "running"),
    ("pottery", "Arts, Crafts & Sewing",
     ("pottery wheel", "clay tools", "glaze set", "stoneware clay"), "Pottery"),
    ("birdwatching", "Sports & Outdoors",
     ("binoculars", "field guide", "bird feeder", "spotting scope"), "birding"),
    ("espresso", "Home & Kitchen",
     ("burr grinder", "espresso tamper", "milk pitcher", "coffee scale"), "espresso"),
    ("bonsai", "Patio, Lawn & Garden",
     ("bonsai scissors", "concave cutter", "bonsai soil", "training wire"), "Bonsai"),
    ("synthesizer", "Musical Instruments",
     ("midi keyboard", "patch cables", "eurorack case", "audio interface"), "synthesizers"),
    ("skateboarding", "Sports & Outdoors",
     ("skateboard deck", "skate wheels", "grip tape", "skate bearings"), "skateboarding"),
    ("kayaking", "Sports & Outdoors",
     ("kayak paddle", "dry bag", "spray skirt", "buoyancy aid"), "Kayaking"),
    ("homebrewing", "Home & Kitchen",
     ("fermenter", "hydrometer", "brew kettle", "bottle capper"), "Homebrewing"),
    ("physics", None, (), "Physics"),
    ("history", None, (), "AskHistorians"),
    ("investing", None, (), "investing"),
)  # fmt: skip

GENERAL_CATEGORIES: dict[str, tuple[str, ...]] = {
    "Clothing, Shoes & Jewelry": (
        "t-shirt", "hoodie", "rain jacket", "merino socks", "chinos", "sneakers"),
    "Electronics": (
        "usb-c cable", "wireless earbuds", "power bank", "phone case", "bluetooth speaker"),
    "Home & Kitchen": ("non-stick pan", "knife set", "glass food containers", "french press"),
    "Beauty & Personal Care": ("moisturiser", "shampoo bar", "sunscreen spf 50", "face serum"),
    "Office Products": ("dotted notebook", "gel pens", "desk organiser", "fountain pen"),
}  # fmt: skip
HOUSEHOLD: tuple[tuple[str, str], ...] = (
    ("Amazon Basics", "AA batteries, 24-pack"),
    ("Amazon Basics", "USB-A to Lightning cable"),
    ("Brightwell", "paper towels, 12 rolls"),
    ("Brightwell", "toilet paper, 24 rolls"),
    ("Clearwave", "dish soap, 3-pack"),
    ("Clearwave", "laundry detergent pods"),
    ("Denta+", "toothpaste, 4-pack"),
    ("Hearthside", "trash bags, 90 count"),
)
GIFT_CATEGORIES: dict[str, tuple[str, ...]] = {
    "Toys & Games": ("building blocks set", "plush dinosaur", "jigsaw puzzle 1000 pieces"),
    "Baby Products": ("baby blanket", "teething toy"),
    "Beauty & Personal Care": ("bath gift set", "perfume"),
}

VIDEO_TEMPLATES = (
    "{W} for beginners: everything you need to know",
    "5 {w} mistakes I made in my first year",
    "{W} vlog #{n}",
    "My {p} after {n} months",
    "Is a {p} worth it?",
    "How to get better at {w} fast",
    "Watch this before buying a {p}",
    "Answering your {w} questions",
    "The science of {w}",
    "{W} in {place}",
    "I tried {w} every day for a month",
    "Budget {p} vs expensive {p}",
    "{W} setup tour {year}",
    "Unboxing my new {p}",
    "A quiet morning of {w}",
    "What nobody tells you about {w}",
    "Fixing my {p}",
)
SEARCH_TEMPLATES = (
    "{w} near me",
    "best {p} {year}",
    "{w} for beginners",
    "how to start {w}",
    "{p} vs {p2}",
    "{w} tips",
    "{p} review",
    "cheap {p}",
    "{w} {place}",
    "is {w} expensive",
    "{w} classes",
    "{p} sale",
    "{w} forum",
)
PAGE_TEMPLATES = (
    "{W} for Beginners: The Complete Guide | {site}",
    "The {n} Best {P}s of {year} | {site}",
    "{P} Buying Guide - {site}",
    "{W} - Wikipedia",
    "r/{sub} - Reddit",
    "{W} clubs and classes in {place}",
    "How I Fixed My {P} - {site}",
)
NOUN_TOPICS = "theory history gear diary weekend club".split()
CLICKBAIT = (
    "I Spent 24 Hours in {place}",
    "Try Not To Laugh Challenge #{n}",
    "World's Biggest {noun}",
    "Reacting to the {adj} {noun}",
    "{n} Things You Didn't Know About {place}",
    "We Built a {adj} {noun}",
    "Top 10 {noun}s of {year}",
)
GENERIC_SEARCHES = (
    "weather tomorrow", "weather this weekend", "pizza near me", "pharmacy opening hours",
    "how to reset router", "train times", "currency converter", "translate thank you",
    "flight status", "football scores", "chicken curry recipe", "how long to boil eggs",
    "timer 10 minutes", "bank holiday dates", "post office hours", "dentist near me",
    "how to unclog a drain", "cheap flights", "election results", "calculator",
    "bus timetable", "sunrise time", "electricity prices", "how many ounces in a cup",
)  # fmt: skip
GENERIC_PAGES: tuple[tuple[str, str], ...] = (
    ("mail.google.com", "Inbox ({n}) - Gmail"),
    ("www.bbc.co.uk", "BBC News - Home"),
    ("www.theguardian.com", "News, sport and opinion from the Guardian"),
    ("docs.google.com", "Untitled document - Google Docs"),
    ("calendar.google.com", "Google Calendar - Week of {n}"),
    ("weather.com", "10-Day Weather Forecast - The Weather Channel"),
    ("online.mybank.example", "Online Banking - Accounts overview"),
    ("www.amazon.com", "Amazon.com: Online Shopping"),
    ("www.linkedin.com", "Feed | LinkedIn"),
    ("en.wikipedia.org", "{place} - Wikipedia"),
    ("www.reddit.com", "reddit: the front page of the internet"),
    ("www.youtube.com", "YouTube"),
)
DEFAULT_SUBREDDITS = ("AskReddit", "worldnews", "pics", "funny", "todayilearned", "movies")


@dataclass(frozen=True, slots=True)
class Artist:
    """A music artist: Spotify's name, its tracks and albums, its official YouTube channel."""

    name: str
    genre: str
    tracks: tuple[str, ...]
    albums: tuple[str, ...]
    #: The official channel on plain YouTube: ``ArtistVEVO`` or the bare name.
    channel: str


@dataclass(frozen=True, slots=True)
class Brand:
    """A brand with its Amazon category and products."""

    name: str
    category: str
    products: tuple[str, ...]
    host: str


@dataclass(frozen=True, slots=True)
class Interest:
    """A hobby or topic: the word people use, channels, gear, brands, a subreddit."""

    word: str
    category: str | None
    products: tuple[str, ...]
    subreddit: str
    channels: tuple[str, ...]
    brands: tuple[Brand, ...]
    site: str


@dataclass(frozen=True, slots=True)
class Film:
    """A film (Letterboxd knows its year; Netflix does not show it)."""

    name: str
    year: int
    genre: str


@dataclass(frozen=True, slots=True)
class Show:
    """A series: seasons of episode titles."""

    name: str
    year: int
    genre: str
    seasons: tuple[tuple[str, ...], ...]


@dataclass(frozen=True, slots=True)
class Author:
    """An author with a publisher and books."""

    name: str
    genre: str
    publisher: str
    books: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class World:
    """Everything that exists, shared by every persona of one seed."""

    artists: dict[str, tuple[Artist, ...]]
    chart_artists: tuple[Artist, ...]
    podcasts: tuple[str, ...]
    interests: tuple[Interest, ...]
    popular_channels: tuple[str, ...]
    review_channels: tuple[str, ...]
    films: dict[str, tuple[Film, ...]]
    shows: dict[str, tuple[Show, ...]]
    kids_shows: tuple[Show, ...]
    authors: dict[str, tuple[Author, ...]]
    brands: dict[str, tuple[Brand, ...]]


class _Names:
    """Unique made-up names."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.used: set[str] = set()

    def unique(self, make: object) -> str:
        for _ in range(1000):
            name = make()  # type: ignore[operator]
            if name not in self.used:
                self.used.add(name)
                return str(name)
        raise RuntimeError("name space exhausted")

    def person(self) -> str:
        r = self.rng
        return self.unique(lambda: f"{r.choice(FIRST)} {r.choice(LAST)}")

    def word(self, parts: int = 3) -> str:
        r = self.rng
        return "".join(r.choice(SYLLABLES) for _ in range(parts)).capitalize()

    def band(self) -> str:
        r = self.rng

        def make() -> str:
            shape = r.random()
            if shape < 0.35:
                return f"The {r.choice(ADJ)} {r.choice(NOUN)}s"
            if shape < 0.6:
                return "{} {}".format(*r.sample(NOUN, 2))
            if shape < 0.8:
                return self.word()
            return f"{r.choice(FIRST)} {r.choice(LAST)}"

        return self.unique(make)

    def title(self) -> str:
        r = self.rng

        def make() -> str:
            shape = r.random()
            if shape < 0.3:
                return "The {} {}".format(*r.sample(NOUN, 2))
            if shape < 0.55:
                return f"{r.choice(ADJ)} {r.choice(NOUN)}"
            if shape < 0.8:
                return f"The {r.choice(NOUN)} of {r.choice(PLACES)}"
            return f"{r.choice(NOUN)}s: {r.choice(ADJ)} {r.choice(NOUN)}"

        return self.unique(make)


def _vevo(name: str) -> str:
    """``The Velvet Harbours`` -> ``TheVelvetHarboursVEVO`` (diacritics dropped, as VEVO
    channel names are)."""
    import unicodedata

    flat = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return "".join(flat.split()) + "VEVO"


def _artist(names: _Names, genre: str) -> Artist:
    r = names.rng
    name = names.band()
    tracks = tuple(f"{r.choice(ADJ)} {r.choice(NOUN)}" for _ in range(8))
    albums = tuple(f"{r.choice(NOUN)}s" for _ in range(2))
    channel = _vevo(name) if r.random() < 0.5 else name
    return Artist(name, genre, tracks, albums, channel)


def _brand(names: _Names, category: str, products: tuple[str, ...]) -> Brand:
    r = names.rng
    base = names.unique(lambda: names.word(r.choice((2, 3))))
    suffix = r.choice(("", "", "", " Outdoor", " Labs", " & Co.", " Works"))
    name = f"{base}{suffix}"
    return Brand(name, category, products, f"www.{base.lower()}.com")


def build_world(seed: int) -> World:
    """The world of one seed."""
    rng = random.Random(f"world-{seed}")
    names = _Names(rng)
    artists = {g: tuple(_artist(names, g) for _ in range(10)) for g in MUSIC_GENRES}
    chart = tuple(_artist(names, "pop") for _ in range(14))
    podcasts = tuple(
        names.unique(lambda: f"The {rng.choice(NOUN)} {rng.choice(('Show', 'Podcast', 'Hour'))}")
        for _ in range(8)
    )
    interests = []
    for word, category, products, sub in INTERESTS:
        channels = []
        for n in range(4):
            shape = rng.random()
            if n == 0 and shape < 0.4:  # some channels are named after what they are about
                channels.append(
                    names.unique(lambda w=word: f"{w.title()} with {rng.choice(FIRST)}")
                )
            elif shape < 0.5:
                channels.append(names.person())
            elif shape < 0.8:
                channels.append(names.unique(lambda: f"{rng.choice(ADJ)}{rng.choice(NOUN)}"))
            else:
                channels.append(names.unique(lambda: f"{rng.choice(NOUN)} & {rng.choice(NOUN)}"))
        brands = tuple(_brand(names, category, products) for _ in range(3)) if category else ()
        site = f"www.{names.word(2).lower()}{word[:4]}.com"
        interests.append(Interest(word, category, products, sub, tuple(channels), brands, site))
    popular_channels = tuple(names.band() for _ in range(12))
    review_channels = tuple(f"{names.word(2)} Reviews" for _ in range(4))
    films = {
        g: tuple(Film(names.title(), rng.randint(1972, 2025), g) for _ in range(14))
        for g in FILM_GENRES
    }

    def show(genre: str) -> Show:
        seasons = tuple(
            tuple(f"{rng.choice(ADJ)} {rng.choice(NOUN)}" for _ in range(rng.randint(6, 10)))
            for _ in range(rng.randint(2, 5))
        )
        return Show(names.title(), rng.randint(2012, 2024), genre, seasons)

    shows = {g: tuple(show(g) for _ in range(5)) for g in FILM_GENRES}
    kids = tuple(show("kids") for _ in range(3))
    authors = {}
    for genre, (_, publishers) in BOOK_GENRES.items():
        group = []
        for _ in range(7):
            first, last = rng.choice(FIRST), rng.choice(LAST)
            name = names.unique(
                lambda f=first, la=last: (
                    f"{f} {rng.choice('ABCDEFGHJKLMNPRST')}. {la}"
                    if rng.random() < 0.3
                    else f"{rng.choice(FIRST)} {rng.choice(LAST)}"
                )
            )
            books = tuple(names.title() for _ in range(rng.randint(6, 10)))
            group.append(Author(name, genre, rng.choice(publishers), books))
        authors[genre] = tuple(group)
    brands = {
        cat: tuple(_brand(names, cat, products) for _ in range(4))
        for cat, products in GENERAL_CATEGORIES.items()
    }
    return World(
        artists=artists,
        chart_artists=chart,
        podcasts=podcasts,
        interests=tuple(interests),
        popular_channels=popular_channels,
        review_channels=review_channels,
        films=films,
        shows=shows,
        kids_shows=kids,
        authors=authors,
        brands=brands,
    )

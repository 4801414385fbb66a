"""Word lists for the corpus generator: the head of the vocabulary (function words and
everyday topical words), non-ASCII words, and name parts. The long tail of the vocabulary
is made of pseudo-words built from syllables (see ``bench.generate.Vocabulary``)."""

from __future__ import annotations

#: The most frequent words in titles (top Zipf ranks).
FUNCTION_WORDS: tuple[str, ...] = (
    "the", "of", "and", "to", "in", "a", "for", "with", "my", "on", "how", "you", "is",
    "at", "from", "your", "why", "what", "best", "new", "vs", "all", "about", "this",
)  # fmt: skip

#: Everyday topical words (the next ranks, shuffled per seed).
COMMON_WORDS: tuple[str, ...] = (
    "music", "video", "news", "guide", "live", "love", "night", "home", "time", "world",
    "life", "day", "city", "food", "recipe", "review", "travel", "summer", "winter", "coffee",
    "jazz", "piano", "guitar", "rock", "dance", "song", "album", "official", "remix", "tour",
    "football", "soccer", "tennis", "running", "yoga", "workout", "garden", "kitchen", "bread",
    "pasta", "pizza", "cake", "chicken", "vegan", "salad", "soup", "tea", "wine", "beer",
    "python", "rust", "linux", "docker", "kubernetes", "database", "sqlite", "server", "api",
    "tutorial", "course", "lecture", "history", "science", "physics", "space", "moon", "mars",
    "ocean", "river", "mountain", "forest", "island", "beach", "lake", "desert", "storm", "rain",
    "snow", "sun", "star", "light", "dark", "fire", "water", "stone", "gold", "silver",
    "red", "blue", "green", "black", "white", "little", "big", "old", "young", "last",
    "first", "second", "final", "secret", "lost", "hidden", "wild", "quiet", "happy", "sad",
    "crazy", "perfect", "simple", "easy", "quick", "ultimate", "complete", "real", "true",
    "story", "stories", "game", "games", "play", "player", "team", "league", "cup", "match",
    "election", "policy", "market", "stocks", "economy", "climate", "energy", "solar", "car",
    "electric", "bike", "train", "flight", "hotel", "airport", "map", "street", "house",
    "apartment", "rent", "job", "career", "interview", "salary", "money", "bank", "tax",
    "health", "sleep", "doctor", "baby", "kids", "family", "friends", "wedding", "birthday",
    "gift", "christmas", "holiday", "weekend", "morning", "evening", "party", "festival",
    "concert", "cinema", "movie", "film", "series", "episode", "season", "trailer", "podcast",
    "interview", "comedy", "drama", "horror", "thriller", "documentary", "anime", "cartoon",
    "book", "books", "novel", "poetry", "art", "painting", "photo", "camera", "design",
    "fashion", "shoes", "jacket", "dress", "watch", "phone", "laptop", "keyboard", "headphones",
    "speaker", "screen", "battery", "update", "release", "version", "beta", "bug", "fix",
    "error", "install", "setup", "config", "build", "deploy", "test", "code", "coding",
    "javascript", "typescript", "react", "golang", "java", "kotlin", "swift", "android", "iphone",
    "windows", "mac", "cloud", "security", "privacy", "password", "backup", "network", "wifi",
    "router", "email", "calendar", "notes", "search", "chess", "puzzle", "minecraft", "zelda",
    "mario", "pokemon", "guitarist", "drummer", "singer", "band", "orchestra", "symphony",
    "opera", "ballet", "theatre", "museum", "gallery", "library", "school", "university",
    "student", "teacher", "exam", "math", "chemistry", "biology", "brain", "heart", "dog",
    "cat", "bird", "horse", "fish", "whale", "shark", "bear", "wolf", "fox", "lion",
    "tiger", "dragon", "king", "queen", "prince", "princess", "castle", "empire", "war",
    "peace", "revolution", "ancient", "roman", "greek", "viking", "medieval", "modern",
    "future", "robot", "ai", "machine", "learning", "neural", "model", "data", "chart",
    "graph", "analysis", "report", "weather", "forecast", "earthquake", "volcano", "planet",
    "galaxy", "universe", "telescope", "rocket", "launch", "nasa", "spacex", "tesla", "apple",
    "google", "amazon", "netflix", "spotify", "youtube", "reddit", "wikipedia", "github",
)  # fmt: skip

#: Non-ASCII words spread over the middle ranks (accents, other scripts, CJK runs).
NON_ASCII_WORDS: tuple[str, ...] = (
    "café", "naïve", "résumé", "Zürich", "München", "Köln", "São", "Paulo", "crème", "brûlée",
    "fiancée", "jalapeño", "piñata", "Kraków", "Łódź", "smørrebrød", "über", "Straße",
    "Beyoncé", "Björk", "Motörhead", "Ελλάδα", "Москва", "東京", "ラーメン", "北京", "서울",
    "cañón", "açaí", "niño", "façade", "déjà", "Øresund", "Dvořák", "Škoda", "İstanbul",
    "Reykjavík", "señor", "garçon", "Ångström", "Göteborg", "Malmö", "Curaçao", "España",
    "Brontë", "Zoë", "Chloé", "Renée", "Gödel", "Fußball", "Mädchen", "größte", "jövő",
    "Ljubljana", "Wrocław", "Plzeň", "Tromsø", "Ålesund", "Lübeck", "Düsseldorf", "Québec",
    "Montréal", "Hà", "Nội", "Việt", "Ñuñoa", "Ærø", "pâtisserie", "smörgåsbord", "Þór",
)  # fmt: skip

FIRST_NAMES: tuple[str, ...] = (
    "Anna", "Ben", "Chloé", "David", "Elena", "Felix", "Grace", "Hugo", "Ines", "Jonas",
    "Kai", "Lena", "Marco", "Nora", "Oscar", "Paula", "Quinn", "Rosa", "Sam", "Tomás",
    "Uma", "Viktor", "Wen", "Ximena", "Yusuf", "Zoë", "Ada", "Björn", "Céline", "Dmitri",
)  # fmt: skip

LAST_NAMES: tuple[str, ...] = (
    "Smith", "Müller", "García", "Rossi", "Novák", "Kowalski", "Johansson", "Dubois", "Silva",
    "Tanaka", "Kim", "Nguyen", "Okafor", "Haddad", "Petrov", "O'Brien", "van Dijk", "Jensen",
    "Søndergaard", "Wiśniewski", "Fernández", "Costa", "Moreau", "Schmidt", "Yilmaz", "Andersson",
)  # fmt: skip

#: Artists with non-ASCII names, mixed into the generated catalogue.
SPECIAL_ARTISTS: tuple[str, ...] = (
    "Björk", "Sigur Rós", "Motörhead", "Beyoncé", "Röyksopp", "Mø", "Café Tacvba", "Zoé",
    "Mötley Crüe", "Blue Öyster Cult", "Hüsker Dü", "Maxïmo Park", "Dvořák", "Frédéric Chopin",
    "Antonín Dvořák", "Édith Piaf", "Rosalía", "Ólafur Arnalds", "Jóhann Jóhannsson",
    "宇多田ヒカル", "坂本龍一", "BTS", "AC/DC", "Guns N' Roses", "Simon & Garfunkel", "!!!",
    "Sunn O)))",
)  # fmt: skip

#: Real web sites: (host, title template). ``{T}`` is a title-cased phrase, ``{t}`` a
#: lower-case one, ``{n}`` a name.
SITES: tuple[tuple[str, str], ...] = (
    ("www.google.com", "search"),
    ("en.wikipedia.org", "{T} - Wikipedia"),
    ("github.com", "{repo}: {T}"),
    ("stackoverflow.com", "{t} - Stack Overflow"),
    ("www.reddit.com", "{T} : r/{w}"),
    ("www.youtube.com", "{T} - YouTube"),
    ("mail.google.com", "Inbox - {n} - Gmail"),
    ("news.ycombinator.com", "{T} | Hacker News"),
    ("www.nytimes.com", "{T} - The New York Times"),
    ("www.theguardian.com", "{T} | The Guardian"),
    ("www.bbc.co.uk", "{T} - BBC News"),
    ("www.amazon.com", "Amazon.com: {T}"),
    ("docs.python.org", "{t} — Python 3 documentation"),
    ("www.spiegel.de", "{T} - DER SPIEGEL"),
    ("www.lemonde.fr", "{T}"),
    ("www.imdb.com", "{T} (2019) - IMDb"),
    ("www.allrecipes.com", "{T} Recipe"),
    ("medium.com", "{T} | by {n} | Medium"),
    ("developer.mozilla.org", "{t} - Web APIs | MDN"),
    ("www.booking.com", "{T}, {w} – Updated prices"),
    ("twitter.com", "{n} on X: \"{t}\""),
    ("www.linkedin.com", "{n} - {T} | LinkedIn"),
    ("www.netflix.com", "Netflix"),
    ("open.spotify.com", "{T} - song and lyrics by {n} | Spotify"),
    ("maps.google.com", "{T} - Google Maps"),
    ("www.ebay.com", "{T} | eBay"),
    ("www.bol.com", "bol.com | {T}"),
    ("www.zeit.de", "{T} | ZEIT ONLINE"),
    ("arxiv.org", "[2401.{num}] {T}"),
    ("pypi.org", "{w} · PyPI"),
)  # fmt: skip

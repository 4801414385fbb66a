"""Regenerate the example exports of Maya Okafor, a made-up person (see examples/README.md).

Run ``python scripts/make_examples.py``. Stdlib only and fully deterministic: every run
writes byte-identical files (fixed seed, fixed zip timestamps, fixed key order).
"""

from __future__ import annotations

import base64
import csv
import io
import json
import random
import string
import zipfile
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import quote_plus

HERE = Path(__file__).resolve().parent.parent / "examples"
ZIP_DATE = (2026, 10, 15, 10, 15, 0)
FIRST_DAY = date(2025, 1, 1)
LAST_DAY = date(2026, 10, 14)
ACCOUNT_FROM = date(2025, 11, 1)  # the account export holds roughly the last year
EXTENDED_UNTIL = date(2026, 10, 5)  # the extended history was requested a little earlier

# ---------------------------------------------------------------------------------------
# Where Maya is (local time zone and country) on a given local date.

TRIPS: list[tuple[date, date, str]] = [
    (date(2025, 6, 10), date(2025, 6, 14), "zurich"),
    (date(2025, 12, 20), date(2025, 12, 28), "manchester"),
    (date(2026, 4, 3), date(2026, 4, 16), "japan"),
]
PLACES: dict[str, tuple[int, str, str]] = {  # base UTC offset, ISO country, Netflix country
    "lisbon": (0, "PT", "PT (Portugal)"),
    "manchester": (0, "GB", "GB (United Kingdom)"),
    "zurich": (1, "CH", "CH (Switzerland)"),
    "japan": (9, "JP", "JP (Japan)"),
}
# Documentation address ranges (RFC 5737): no real IP addresses in the examples.
IPS = {"PT": "203.0.113.47", "GB": "192.0.2.18", "CH": "198.51.100.140", "JP": "203.0.113.201"}


def _last_sunday(year: int, month: int) -> date:
    day = date(year, month + 1, 1) - timedelta(days=1)
    return day - timedelta(days=(day.weekday() + 1) % 7)


def place_on(day: date) -> str:
    for start, end, place in TRIPS:
        if start <= day <= end:
            return place
    return "lisbon"


def utc_offset(place: str, day: date) -> int:
    summer = _last_sunday(day.year, 3) <= day < _last_sunday(day.year, 10)
    base = PLACES[place][0]
    return base if place == "japan" else base + int(summer)


def to_utc(day: date, minute_of_day: int, rng: random.Random) -> datetime:
    """A local wall-clock minute on ``day`` (wherever Maya is) as an aware UTC datetime."""
    local = datetime(day.year, day.month, day.day, tzinfo=UTC) + timedelta(
        minutes=minute_of_day, seconds=rng.randint(0, 59)
    )
    return local - timedelta(hours=utc_offset(place_on(day), day))


def rand_day(rng: random.Random, start: date, end: date) -> date:
    return start + timedelta(days=rng.randint(0, (end - start).days))


def rand_minute(rng: random.Random, day: date, *, evening_bias: bool = True) -> int:
    """A plausible local minute of activity: evenings and weekends, some lunch breaks."""
    if day.weekday() >= 5:
        return rng.randint(9 * 60, 23 * 60 + 30)
    slot = rng.random()
    if slot < 0.15:
        return rng.randint(7 * 60 + 30, 9 * 60)
    if slot < 0.35 and not evening_bias:
        return rng.randint(10 * 60, 18 * 60)
    if slot < 0.45:
        return rng.randint(12 * 60 + 30, 14 * 60)
    return rng.randint(19 * 60, 23 * 60 + 45)


def pick_window(rng: random.Random, windows: Sequence[tuple[date, date]]) -> date:
    lengths = [(end - start).days + 1 for start, end in windows]
    start, end = rng.choices(list(windows), weights=lengths)[0]
    return rand_day(rng, start, end)


def random_id(rng: random.Random, length: int, alphabet: str) -> str:
    return "".join(rng.choice(alphabet) for _ in range(length))


BASE62 = string.digits + string.ascii_letters
YT_ALPHABET = string.ascii_letters + string.digits + "-_"


class Ids:
    """Stable random identifiers per (namespace, key), drawn from the shared generator."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.cache: dict[tuple[str, str], str] = {}

    def get(self, namespace: str, key: str) -> str:
        if (namespace, key) not in self.cache:
            if namespace == "video":
                value = random_id(self.rng, 11, YT_ALPHABET)
            elif namespace == "channel":
                value = "UC" + random_id(self.rng, 22, YT_ALPHABET)
            else:
                value = f"spotify:{namespace}:" + random_id(self.rng, 22, BASE62)
            self.cache[(namespace, key)] = value
        return self.cache[(namespace, key)]


# ---------------------------------------------------------------------------------------
# Serialisers that imitate each platform's own JSON layout.

_GSON_ESCAPES = {"&": "\\u0026", "'": "\\u0027", "<": "\\u003c", "=": "\\u003d", ">": "\\u003e"}


def gson_escape(text: str) -> str:
    """Google's exporter escapes these HTML-sensitive characters (Gson ``htmlSafe``)."""
    for char, escaped in _GSON_ESCAPES.items():
        text = text.replace(char, escaped)
    return text


def _gson_value(value: Any, indent: int) -> str:
    pad = " " * indent
    if isinstance(value, dict):
        members = ",\n".join(
            f"{pad}  {_gson_scalar(key)}: {_gson_value(item, indent + 2)}"
            for key, item in value.items()
        )
        return "{\n" + members + "\n" + pad + "}"
    if isinstance(value, list):
        if all(not isinstance(item, dict | list) for item in value):
            return "[" + ", ".join(_gson_scalar(item) for item in value) + "]"
        return "[" + ", ".join(_gson_value(item, indent) for item in value) + "]"
    return _gson_scalar(value)


def _gson_scalar(value: Any) -> str:
    return gson_escape(json.dumps(value, ensure_ascii=False))


def dump_my_activity(items: list[dict[str, Any]]) -> str:
    """My Activity layout: ``[{`` ... ``},{`` ... ``}]``, two-space indent, inline lists."""
    return "[" + ",".join(_gson_value(item, 0) for item in items) + "]"


def dump_chrome(document: dict[str, Any]) -> str:
    return gson_escape(json.dumps(document, indent=4, ensure_ascii=False))


def dump_spotify_account(document: Any) -> str:
    """Spotify's account export is Jackson-pretty-printed: ``"key" : value``."""
    return json.dumps(document, indent=2, ensure_ascii=False, separators=(",", " : "))


def iso_ms(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


def iso_us(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def usec(moment: datetime) -> int:
    return int(moment.replace(microsecond=0).timestamp()) * 1_000_000 + moment.microsecond


def write_zip(path: Path, members: Sequence[tuple[str, str | bytes]]) -> None:
    """A zip with fixed timestamps and attributes, so the bytes never change."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, content in members:
            info = zipfile.ZipInfo(name, date_time=ZIP_DATE)
            info.create_system = 3
            info.external_attr = 0o100644 << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            data = content.encode("utf-8") if isinstance(content, str) else content
            archive.writestr(info, data, compresslevel=9)
    path.write_bytes(buffer.getvalue())


def write_text(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(text.encode("utf-8"))


# ---------------------------------------------------------------------------------------
# Google Takeout: Chrome history.


@dataclass
class Topic:
    """A strand of Maya's life on one platform: when it happens and what it produced."""

    weight: float
    windows: list[tuple[date, date]]
    items: list[tuple[str, str]]


@dataclass
class Channel:
    """A YouTube channel Maya watches: how much, when, and its videos."""

    weight: float
    windows: list[tuple[date, date]]
    videos: list[str]


ALWAYS = [(FIRST_DAY, LAST_DAY)]
JAPAN_RESEARCH = [(date(2025, 9, 20), date(2026, 4, 2))]
JAPAN_TRIP = [(date(2026, 4, 3), date(2026, 4, 16))]
PORTUGUESE = [(date(2025, 9, 1), LAST_DAY)]


def pages(block: str) -> list[tuple[str, str]]:
    """``title | url`` lines as ``(title, url)`` pairs (an empty title is allowed)."""
    rows = [line.rpartition("|") for line in block.strip().splitlines()]
    return [(title.strip(), url.strip()) for title, _, url in rows]


CHROME_TOPICS: dict[str, Topic] = {
    "climbing": Topic(
        40,
        ALWAYS,
        pages("""
        Vértice Boulder Lisboa — Horários e preços | https://verticeboulder.pt/horarios
        Vértice Boulder Lisboa — Novos blocos esta semana | https://verticeboulder.pt/blog/novos-blocos
        Vértice Boulder Lisboa — Aulas de técnica | https://verticeboulder.pt/aulas?nivel=intermedio
        Sintra bouldering | theCrag | https://www.thecrag.com/en/climbing/portugal/sintra
        Fingerboard training for beginners - UKClimbing | https://www.ukclimbing.com/articles/skills/fingerboard_training_beginners-1534
        How to Read a Boulder Problem Before You Climb It | https://www.climbing.com/skills/how-to-read-a-boulder-problem/
        Saco de magnésio | Decathlon | https://www.decathlon.pt/p/saco-de-magnesio-escalada/_/R-p-308721
        La Sportiva Solution Comp - Climbing shoe | https://www.lasportiva.com/en/solution
        Sintra - Lisboa: horários | CP | https://www.cp.pt/passageiros/pt/consultar-horarios
        Tomás Ferreira (@tomasclimbs) • Instagram photos and videos | https://www.instagram.com/tomasclimbs/
        """),
    ),
    "recipes": Topic(
        32,
        ALWAYS,
        pages("""
        Vegetarian recipes | Ottolenghi | https://ottolenghi.co.uk/recipes/vegetarian
        Mushroom bourguignon recipe | BBC Good Food | https://www.bbcgoodfood.com/recipes/mushroom-bourguignon
        Feijoada vegetariana | Receitas Pingo Doce | https://www.pingodoce.pt/receitas/feijoada-vegetariana/
        Okonomiyaki Recipe • Just One Cookbook | https://www.justonecookbook.com/okonomiyaki/
        Nasu Dengaku (Miso Eggplant) | https://www.justonecookbook.com/nasu-dengaku/
        Vegetarian Jollof Rice - smoky party style | https://www.seriouseats.com/vegetarian-jollof-rice
        Tofu kimchi jjigae (vegetarian) - Maangchi | https://www.maangchi.com/recipe/kimchi-jjigae-vegetarian
        Caldo verde sem chouriço | https://www.pingodoce.pt/receitas/caldo-verde-vegetariano/
        """),
    ),
    "portuguese": Topic(
        30,
        PORTUGUESE,
        pages("""
        Learning Notes | Practice Portuguese | https://www.practiceportuguese.com/learning-notes/
        saudade | Infopédia | https://www.infopedia.pt/dicionarios/lingua-portuguesa/saudade
        desenrascar - Dicionário Priberam | https://dicionario.priberam.org/desenrascar
        Duolingo | https://www.duolingo.com/learn
        DIPLE - Nível B1 | CAPLE | https://caple.letras.ulisboa.pt/exames/diple
        Pretérito perfeito ou imperfeito? | https://www.practiceportuguese.com/preterite/
        """),
    ),
    "japan_research": Topic(
        45,
        JAPAN_RESEARCH,
        pages("""
        Japan Rail Pass | Official Website | https://japanrailpass.net/en/
        JR Pass Calculator | JRPass.com | https://www.jrpass.com/calculator
        Kiyomizu-dera Temple | Official | https://www.kiyomizudera.or.jp/en/
        Fushimi Inari Taisha | https://inari.jp/en/
        Kyoto Travel Guide - japan-guide.com | https://www.japan-guide.com/e/e2158.html
        Tokyo Travel Guide - japan-guide.com | https://www.japan-guide.com/e/e2164.html
        Cherry Blossom Forecast 2026 - japan-guide.com | https://www.japan-guide.com/sakura/
        Arashiyama & Tenryū-ji - japan-guide.com | https://www.japan-guide.com/e/e3912.html
        smart EX | Tokaido Shinkansen reservations | https://smart-ex.jp/en/
        Ryokan Hanaya, Higashiyama, Kyoto – Booking.com | https://www.booking.com/hotel/jp/ryokan-hanaya-kyoto.en-gb.html
        teamLab Planets TOKYO | https://www.teamlab.art/e/planets/
        B-PUMP TOKYO Ogikubo | Bouldering gym | https://pump-climbing.com/gym/ogikubo/
        The best jazz kissa in Tokyo | Time Out | https://www.timeout.com/tokyo/music/best-jazz-kissa-in-tokyo
        Shōjin ryōri: Buddhist vegetarian cuisine in Kyoto | https://www.japan-guide.com/e/e2044.html
        """),
    ),
    "japan_trip": Topic(
        14,
        JAPAN_TRIP,
        pages("""
        Kinkaku-ji - japan-guide.com | https://www.japan-guide.com/e/e3908.html
        Philosopher's Path - japan-guide.com | https://www.japan-guide.com/e/e3906.html
        Kyoto City Bus route map | https://www2.city.kyoto.lg.jp/kotsu/webguide/en/
        Shigetsu (Tenryū-ji) shōjin ryōri | https://www.tenryuji.com/en/shigetsu/
        Jazz Spot Yamatoya, Kyoto | https://www.tabelog.com/en/kyoto/A2601/A260302/26002384/
        """),
    ),
    "books": Topic(
        22,
        ALWAYS,
        pages("""
        The Dispossessed by Ursula K. Le Guin | Goodreads | https://www.goodreads.com/book/show/13651.The_Dispossessed
        The Left Hand of Darkness by Ursula K. Le Guin | Goodreads | https://www.goodreads.com/book/show/18423.The_Left_Hand_of_Darkness
        A Psalm for the Wild-Built by Becky Chambers | Goodreads | https://www.goodreads.com/book/show/40864030-a-psalm-for-the-wild-built
        The Long Way to a Small, Angry Planet | Goodreads | https://www.goodreads.com/book/show/22733729-the-long-way-to-a-small-angry-planet
        Exhalation by Ted Chiang | Goodreads | https://www.goodreads.com/book/show/41160292-exhalation
        Stories of Your Life and Others | Goodreads | https://www.goodreads.com/book/show/223380.Stories_of_Your_Life
        A Mão Esquerda das Trevas – Ursula K. Le Guin | Bertrand | https://www.bertrand.pt/livro/a-mao-esquerda-das-trevas-ursula-k-le-guin/2870612
        """),
    ),
    "design": Topic(
        34,
        ALWAYS,
        pages("""
        Recents – Figma | https://www.figma.com/files/recents-and-sharing
        Checkout redesign – Figma | https://www.figma.com/design/k3PqL0mZ/Checkout-redesign
        Design tokens v2 – Figma | https://www.figma.com/design/Qx81hTfA/Design-tokens-v2
        Popular shots | Dribbble | https://dribbble.com/shots/popular
        Material Design 3 | https://m3.material.io/
        Progressive Disclosure - Nielsen Norman Group | https://www.nngroup.com/articles/progressive-disclosure/
        Inter font family | https://rsms.me/inter/
        """),
    ),
    "music": Topic(
        18,
        ALWAYS,
        pages("""
        Ezra Collective | Ticketline | https://ticketline.sapo.pt/evento/ezra-collective-88412
        Programação | Hot Clube de Portugal | https://www.hcp.pt/programacao
        Fela Kuti - Wikipedia | https://en.wikipedia.org/wiki/Fela_Kuti
        Alice Coltrane: Journey in Satchidananda | Pitchfork | https://pitchfork.com/reviews/albums/alice-coltrane-journey-in-satchidananda/
        Odyssey | Nubya Garcia | https://nubyagarcia.bandcamp.com/album/odyssey
        Kamasi Washington – Fearless Movement | https://kamasiwashington.com/
        """),
    ),
    "film": Topic(
        14,
        ALWAYS,
        pages("""
        Decision to Leave (2022) • Letterboxd | https://letterboxd.com/film/decision-to-leave/
        Parasite (2019) • Letterboxd | https://letterboxd.com/film/parasite-2019/
        Perfect Days (2023) • Letterboxd | https://letterboxd.com/film/perfect-days-2023/
        Extraordinary Attorney Woo - Wikipedia | https://en.wikipedia.org/wiki/Extraordinary_Attorney_Woo
        Slow television - Wikipedia | https://en.wikipedia.org/wiki/Slow_television
        """),
    ),
    "news": Topic(
        30,
        ALWAYS,
        pages("""
        PÚBLICO | https://www.publico.pt/
        Greve no Metro de Lisboa: o que precisa de saber | PÚBLICO | https://www.publico.pt/2025/03/11/local/noticia/greve-metro-lisboa-2093311
        The Guardian | https://www.theguardian.com/uk
        Manchester - BBC News | https://www.bbc.co.uk/news/england/manchester
        Meteorologia Lisboa | IPMA | https://www.ipma.pt/pt/otempo/prev.localidade.hora/
        """),
    ),
    "zurich": Topic(
        6,
        [(date(2025, 5, 15), date(2025, 6, 14))],
        pages("""
        Form & Flow 2025 — Design conference, Zürich | https://formandflow.ch/2025/
        Zürich HB → Zürich Flughafen | SBB | https://www.sbb.ch/en?stops=Z%C3%BCrich+HB
        Hiltl – the oldest vegetarian restaurant in the world | https://hiltl.ch/en/
        """),
    ),
    "home": Topic(
        8,
        ALWAYS,
        pages("""
        Mercado de São Bento — horários | https://www.google.com/maps/place/Mercado+de+S%C3%A3o+Bento
        Juntas de Freguesia — Estrela (São Bento) | https://www.jf-estrela.pt/
        """),
    ),
}

SEARCHES: list[tuple[str, list[tuple[date, date]]]] = [
    ("bouldering gym lisbon", [(FIRST_DAY, date(2025, 3, 31))]),
    ("sintra bouldering topo pdf", ALWAYS),
    ("heel hook technique", ALWAYS),
    ("fingerboard protocol beginners", ALWAYS),
    ("vegetarian jollof rice", ALWAYS),
    ("tofu kimchi jjigae recipe", ALWAYS),
    ("feijoada vegetariana", ALWAYS),
    ("pretérito perfeito vs imperfeito", PORTUGUESE),
    ("diple b1 exame datas 2026", PORTUGUESE),
    ("como se diz bouldering em português", PORTUGUESE),
    ("kyoto in april cherry blossom", JAPAN_RESEARCH),
    ("jr pass worth it 2026", JAPAN_RESEARCH),
    ("vegetarian ramen tokyo", JAPAN_RESEARCH),
    ("ryokan kyoto vegetarian kaiseki", JAPAN_RESEARCH),
    ("lisbon to tokyo flights april", JAPAN_RESEARCH),
    ("suica card iphone android", JAPAN_RESEARCH),
    ("kyoto bus day pass", JAPAN_TRIP),
    ("ezra collective lisbon 2026", [(date(2025, 11, 1), date(2026, 5, 15))]),
    ("nubya garcia odyssey vinyl", ALWAYS),
    ("becky chambers new book", ALWAYS),
    ("ted chiang exhalation review", ALWAYS),
    ("decision to leave ending explained", [(date(2025, 8, 9), date(2025, 8, 20))]),
    ("zürich hb to oerlikon", [(date(2025, 6, 1), date(2025, 6, 14))]),
    ("figma variables modes", ALWAYS),
]


def build_chrome_history(rng: random.Random) -> list[dict[str, Any]]:
    laptop, phone = (base64.b64encode(rng.randbytes(16)).decode() for _ in range(2))
    topics = list(CHROME_TOPICS.values())
    entries: list[dict[str, Any]] = []
    deck: list[tuple[str, list[tuple[date, date]]]] = []
    while len(entries) < 290:
        day: date
        if rng.random() < 0.17:
            if not deck:  # deal the queries like cards, so each one comes up about twice
                deck = rng.sample(SEARCHES, len(SEARCHES))
            query, windows = deck.pop()
            day = pick_window(rng, windows)
            q = quote_plus(query)
            url = f"https://www.google.com/search?q={q}&oq={q}&sourceid=chrome&ie=UTF-8"
            title, transition = f"{query} - Google Search", "GENERATED"
            favicon = "https://www.google.com/favicon.ico"
        else:
            topic = rng.choices(topics, weights=[t.weight for t in topics])[0]
            day = pick_window(rng, topic.windows)
            title, url = rng.choice(topic.items)
            transition = rng.choices(
                ["LINK", "TYPED", "RELOAD", "FORM_SUBMIT", "CLIENT_REDIRECT"],
                weights=[70, 14, 8, 4, 4],
            )[0]
            host = url.split("/")[2]
            favicon = f"https://{host}/favicon.ico"
        moment = to_utc(day, rand_minute(rng, day, evening_bias=False), rng)
        moment = moment.replace(microsecond=rng.randint(0, 999_999))
        on_phone = place_on(day) != "lisbon" or rng.random() < 0.35
        entries.append(
            {
                "favicon_url": favicon,
                "page_transition_qualifier": transition,
                "title": title,
                "url": url,
                "client_id": phone if on_phone else laptop,
                "time_usec": usec(moment),
            }
        )
    # Pages whose title never loaded.
    moment = to_utc(date(2026, 2, 11), 22 * 60 + 4, rng)
    entries.append(
        {
            "favicon_url": "https://japanrailpass.net/favicon.ico",
            "page_transition_qualifier": "CLIENT_REDIRECT",
            "title": "",
            "url": "https://japanrailpass.net/en/purchase/complete?ref=JRP-2026-0412",
            "client_id": laptop,
            "time_usec": usec(moment) + 431_207,
        }
    )
    moment = to_utc(date(2025, 9, 3), 8 * 60 + 51, rng)
    entries.append(
        {
            "favicon_url": "https://accounts.google.com/favicon.ico",
            "page_transition_qualifier": "LINK",
            "title": "",
            "url": "https://accounts.google.com/ServiceLogin?continue=https://mail.google.com/mail/",
            "client_id": phone,
            "time_usec": usec(moment) + 88_412,
        }
    )
    entries.sort(key=lambda entry: entry["time_usec"], reverse=True)
    for _ in range(45):  # the export is only roughly in reverse time order
        a, b = rng.randrange(len(entries)), rng.randrange(len(entries))
        entries[a], entries[b] = entries[b], entries[a]
    for _ in range(6):  # exact duplicates occur in real exports
        position = rng.randrange(len(entries))
        entries.insert(position + 1, dict(entries[position]))
    return entries


def build_bookmarks() -> str:
    folders = {
        "Bookmarks bar": [
            ("Figma", "https://www.figma.com/files/recents-and-sharing", 1736341200),
            ("Vértice Boulder Lisboa", "https://verticeboulder.pt/horarios", 1737471600),
            ("Practice Portuguese", "https://www.practiceportuguese.com/", 1756893600),
        ],
        "Japão 2026": [
            ("Japan Rail Pass", "https://japanrailpass.net/en/", 1760986800),
            ("Kyoto - japan-guide.com", "https://www.japan-guide.com/e/e2158.html", 1761073200),
            ("Cherry Blossom Forecast", "https://www.japan-guide.com/sakura/", 1767265200),
            ("B-PUMP Ogikubo", "https://pump-climbing.com/gym/ogikubo/", 1770908400),
        ],
        "Receitas": [
            ("Ottolenghi vegetarian", "https://ottolenghi.co.uk/recipes/vegetarian", 1739800800),
            ("Just One Cookbook", "https://www.justonecookbook.com/", 1762642800),
        ],
    }
    lines = [
        "<!DOCTYPE NETSCAPE-Bookmark-file-1>",
        "<!-- This is an automatically generated file.",
        "     It will be read and overwritten.",
        "     DO NOT EDIT! -->",
        '<META HTTP-EQUIV="Content-Type" CONTENT="text/html; charset=UTF-8">',
        "<TITLE>Bookmarks</TITLE>",
        "<H1>Bookmarks</H1>",
        "<DL><p>",
    ]
    for name, links in folders.items():
        added = min(stamp for _, _, stamp in links)
        modified = max(stamp for _, _, stamp in links)
        toolbar = ' PERSONAL_TOOLBAR_FOLDER="true"' if name == "Bookmarks bar" else ""
        lines.append(
            f'    <DT><H3 ADD_DATE="{added}" LAST_MODIFIED="{modified}"{toolbar}>{name}</H3>'
        )
        lines.append("    <DL><p>")
        for title, url, stamp in links:
            lines.append(f'        <DT><A HREF="{url}" ADD_DATE="{stamp}">{title}</A>')
        lines.append("    </DL><p>")
    lines.append("</DL><p>")
    return "\n".join(lines) + "\n"


def build_sync_settings() -> str:
    return dump_chrome(
        {
            "Sync Settings": {
                "sync_everything": False,
                "apps": True,
                "autofill": False,
                "bookmarks": True,
                "extensions": True,
                "history": True,
                "passwords": False,
                "preferences": True,
                "reading_list": True,
                "tabs": True,
                "themes": True,
            }
        }
    )


# ---------------------------------------------------------------------------------------
# Google Takeout: YouTube.

CLIMB = "Crux & Chalk"
JAZZ = "Blue Room Sessions"
COOK = "Green Pan Kitchen"
JAPAN = "Slow Train Japan"
PORT = "Português com Inês"

YOUTUBE_CHANNELS: dict[str, Channel] = {
    CLIMB: Channel(
        44,
        ALWAYS,
        [
            "How to Flag Properly (Bouldering Technique)",
            "5 Drills to Stop Over-Gripping",
            "Climbing Sintra's Best Boulders — Full Day",
            "Heel Hooks Explained in 8 Minutes",
            "Our Fingerboard Protocol for V5+",
            "Lisbon Bouldering Gym Tour: Vértice",
            "Antagonist Training for Climbers (No Equipment)",
            "Why You Keep Falling on Overhangs",
            "Outdoor Bouldering Etiquette 101",
            "Projecting Your First 7A: What Changed",
            "Tokyo Bouldering Gyms: B-PUMP vs Base Camp",
        ],
    ),
    JAZZ: Channel(
        36,
        ALWAYS,
        [
            "Ezra Collective – Victory Dance (Live at Blue Room Sessions)",
            "Nubya Garcia – Source (Live at Blue Room Sessions)",
            "Kamasi Washington – Truth (Full Set)",
            "Kokoroko – Abusey Junction (Live)",
            "Alice Coltrane Tribute Night – Journey in Satchidananda",
            "Fela Kuti's Afrobeat: A Rhythm Breakdown",
            "Burna Boy – Last Last (Jazz Rework, Live)",
            "Nubya Garcia – Odyssey (Live in Lisbon)",
            "Ezra Collective – Full Concert, 2025",
        ],
    ),
    COOK: Channel(
        33,
        ALWAYS,
        [
            "Crispy Tofu in 15 Minutes",
            "Vegetarian Jollof Rice (Smoky Party-Style)",
            "Cooking with Mỹ: Vegetarian Phở from Scratch",
            "Miso Aubergine (Nasu Dengaku)",
            "One-Pot Mushroom Bourguignon",
            "Meal Prep for Climbers: High-Protein Vegetarian",
            "Kimchi Jjigae Without Meat",
            "Portuguese Caldo Verde (No Chouriço)",
            "Okonomiyaki at Home",
            "5 Lentil Dinners Under €2",
        ],
    ),
    JAPAN: Channel(
        36,
        JAPAN_RESEARCH + JAPAN_TRIP,
        [
            "Tokyo to Kyoto by Shinkansen — Is the JR Pass Still Worth It?",
            "Kyoto in Spring: Philosopher's Path at Sunrise",
            "Fushimi Inari Without the Crowds (6am)",
            "Staying in a Traditional Ryokan in Higashiyama",
            "Where to Eat Vegetarian in Kyoto",
            "First Time in Tokyo: 10 Things I Wish I Knew",
            "Jazz Kissa Hopping in Shibuya",
            "Arashiyama Bamboo Grove & Tenryū-ji",
            "Japan Travel Budget 2026: 2 Weeks",
            "Suica, eSIM & IC Cards: Setup Guide",
        ],
    ),
    PORT: Channel(
        28,
        PORTUGUESE,
        [
            "Pretérito Perfeito vs Imperfeito — Finalmente Claro!",
            "European vs Brazilian Portuguese: Pronunciation",
            "20 Expressões que Vais Ouvir em Lisboa",
            "Ordering Coffee in Lisbon Like a Local (bica, galão, meia de leite)",
            "Prepara o Exame DIPLE (B1): Dicas",
            "Verbos Irregulares: ser, estar, ir",
            "Listening Practice: No Mercado",
            "Saudade: The Untranslatable Word",
        ],
    ),
    "Korean Film Club": Channel(
        10,
        ALWAYS,
        [
            "Why Decision to Leave Is a Perfect Romance",
            "Bong Joon-ho's Staircases: Parasite Explained",
            "Park Chan-wook's Colour Language",
        ],
    ),
    "Slow Roads": Channel(
        9,
        ALWAYS,
        [
            "Winter Train Journey Through Hokkaido — 4K Slow TV",
            "Norwegian Coastal Voyage — 8 Hours Slow TV",
            "Rain on a Kyoto Temple Garden (3 hours)",
        ],
    ),
    "Pixel & Grid": Channel(
        10,
        ALWAYS,
        [
            "Auto Layout in Figma: Complete Guide",
            "Design Tokens Explained",
            "Portfolio Review: Senior Product Designers",
        ],
    ),
    "The Reading Nook": Channel(
        8,
        ALWAYS,
        [
            "Ursula K. Le Guin: Where to Start",
            "Becky Chambers' Monk & Robot Series Review",
            "Ted Chiang's Exhalation — Every Story Ranked",
        ],
    ),
    "Wander Notes": Channel(
        2,
        [(date(2025, 5, 20), date(2025, 6, 9))],
        ["Zürich in 48 Hours: Old Town, Lake & Hiltl"],
    ),
}

YOUTUBE_MUSIC = [
    ("Ezra Collective", ["Victory Dance", "Ajala", "Welcome to My World"]),
    ("Fela Kuti", ["Water No Get Enemy", "Zombie"]),
    ("Nubya Garcia", ["Source", "Pace"]),
    ("Burna Boy", ["Last Last", "Anybody"]),
    ("Alice Coltrane", ["Journey in Satchidananda"]),
    ("Kamasi Washington", ["Truth"]),
]

ADS = [
    ("Alpaca Running Shoes | Spring Sale", date(2025, 3, 18)),
    ("Learn Japanese with Kanjiko", date(2025, 11, 6)),
    ("Lisbon Lofts — Furnished Apartments", date(2026, 7, 2)),
]

YOUTUBE_SEARCHES: list[tuple[str, list[tuple[date, date]]]] = [
    ("heel hook bouldering", ALWAYS),
    ("crux and chalk fingerboard", ALWAYS),
    ("sintra bouldering", ALWAYS),
    ("how to flag climbing", ALWAYS),
    ("overhang technique", ALWAYS),
    ("antagonist training climbers", ALWAYS),
    ("ezra collective live", ALWAYS),
    ("nubya garcia source live", ALWAYS),
    ("kamasi washington truth", ALWAYS),
    ("fela kuti water no get enemy", ALWAYS),
    ("alice coltrane journey in satchidananda", ALWAYS),
    ("burna boy last last live", ALWAYS),
    ("blue room sessions", ALWAYS),
    ("vegetarian jollof", ALWAYS),
    ("crispy tofu", ALWAYS),
    ("vegetarian pho", ALWAYS),
    ("kimchi jjigae vegetarian", ALWAYS),
    ("green pan kitchen meal prep", ALWAYS),
    ("european portuguese listening practice", PORTUGUESE),
    ("português com inês", PORTUGUESE),
    ("pretérito perfeito", PORTUGUESE),
    ("diple b1", PORTUGUESE),
    ("kyoto vlog spring", JAPAN_RESEARCH),
    ("jr pass 2026", JAPAN_RESEARCH),
    ("ryokan kyoto", JAPAN_RESEARCH),
    ("tokyo jazz kissa", JAPAN_RESEARCH),
    ("vegetarian food kyoto", JAPAN_RESEARCH),
    ("shinkansen tokyo kyoto", JAPAN_RESEARCH),
    ("suica android", JAPAN_RESEARCH),
    ("fushimi inari early morning", JAPAN_TRIP),
    ("decision to leave explained", ALWAYS),
    ("parasite staircase", ALWAYS),
    ("slow tv train", ALWAYS),
    ("hokkaido train 4k", ALWAYS),
    ("figma auto layout", ALWAYS),
    ("design tokens", ALWAYS),
    ("ursula le guin", ALWAYS),
    ("becky chambers", ALWAYS),
    ("zürich vegetarian restaurant", [(date(2025, 5, 20), date(2025, 6, 13))]),
    ('"ted chiang" interview', ALWAYS),
]


def _youtube_time(rng: random.Random, moment: datetime) -> str:
    return iso_us(moment) if rng.random() < 0.15 else iso_ms(moment)


def _activity_time(rng: random.Random, day: date) -> datetime:
    moment = to_utc(day, rand_minute(rng, day), rng)
    return moment.replace(microsecond=rng.randint(0, 999_999))


def build_watch_history(rng: random.Random, ids: Ids) -> list[dict[str, Any]]:
    entries: list[tuple[datetime, dict[str, Any]]] = []
    channels = list(YOUTUBE_CHANNELS)
    weights = [YOUTUBE_CHANNELS[name].weight for name in channels]
    controls = ["YouTube watch history"]
    for _ in range(220):
        channel = rng.choices(channels, weights=weights)[0]
        topic = YOUTUBE_CHANNELS[channel]
        day = pick_window(rng, topic.windows)
        title = rng.choice(topic.videos)
        moment = _activity_time(rng, day)
        video = ids.get("video", f"{channel}/{title}")
        entry = {
            "header": "YouTube",
            "title": f"Watched {title}",
            "titleUrl": f"https://www.youtube.com/watch?v={video}",
            "subtitles": [
                {
                    "name": channel,
                    "url": f"https://www.youtube.com/channel/{ids.get('channel', channel)}",
                }
            ],
            "time": _youtube_time(rng, moment),
            "products": ["YouTube"],
            "activityControls": controls,
        }
        entries.append((moment, entry))
    for _ in range(25):
        artist, tracks = rng.choice(YOUTUBE_MUSIC)
        track = rng.choice(tracks)
        day = rand_day(rng, FIRST_DAY, LAST_DAY)
        moment = _activity_time(rng, day)
        topic_channel = f"{artist} - Topic"
        entry = {
            "header": "YouTube Music",
            "title": f"Watched {track}",
            "titleUrl": f"https://www.youtube.com/watch?v={ids.get('video', f'{artist}/{track}')}",
            "subtitles": [
                {
                    "name": topic_channel,
                    "url": f"https://www.youtube.com/channel/{ids.get('channel', topic_channel)}",
                }
            ],
            "time": _youtube_time(rng, moment),
            "products": ["YouTube"],
            "activityControls": controls,
        }
        entries.append((moment, entry))
    for title, day in ADS:
        moment = _activity_time(rng, day)
        local = moment + timedelta(hours=utc_offset(place_on(day), day))
        entry = {
            "header": "YouTube",
            "title": f"Watched {title}",
            "titleUrl": f"https://www.youtube.com/watch?v={ids.get('video', title)}",
            "description": "Watched at " + local.strftime("%I:%M %p").lstrip("0"),
            "time": iso_ms(moment),
            "products": ["YouTube"],
            "details": [{"name": "From Google Ads"}],
            "activityControls": [
                "Web & App Activity",
                "YouTube watch history",
                "YouTube search history",
            ],
        }
        entries.append((moment, entry))
    removed = _activity_time(rng, date(2025, 4, 27))
    entries.append(
        (
            removed,
            {
                "header": "YouTube",
                "title": "Watched a video that has been removed",
                "time": iso_ms(removed),
                "products": ["YouTube"],
                "activityControls": controls,
            },
        )
    )
    short = _activity_time(rng, date(2026, 5, 23))
    entries.append(
        (
            short,
            {
                "header": "YouTube",
                "title": "Watched This heel hook trick changed everything 🤯 #shorts",
                "titleUrl": f"https://www.youtube.com/shorts/{ids.get('video', 'short')}",
                "subtitles": [
                    {
                        "name": CLIMB,
                        "url": f"https://www.youtube.com/channel/{ids.get('channel', CLIMB)}",
                    }
                ],
                "time": iso_ms(short),
                "products": ["YouTube"],
                "activityControls": controls,
            },
        )
    )
    entries.sort(key=lambda pair: pair[0], reverse=True)
    return [entry for _, entry in entries]


def build_search_history(rng: random.Random) -> list[dict[str, Any]]:
    entries: list[tuple[datetime, dict[str, Any]]] = []
    for query, windows in YOUTUBE_SEARCHES:
        moment = _activity_time(rng, pick_window(rng, windows))
        entry = {
            "header": "YouTube",
            "title": f"Searched for {query}",
            "titleUrl": f"https://www.youtube.com/results?search_query={quote_plus(query)}",
            "time": iso_ms(moment),
            "products": ["YouTube"],
            "activityControls": ["YouTube search history"],
        }
        entries.append((moment, entry))
    entries.sort(key=lambda pair: pair[0], reverse=True)
    return [entry for _, entry in entries]


def build_subscriptions(ids: Ids) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["Channel Id", "Channel Url", "Channel Title"])
    for name in [CLIMB, JAZZ, COOK, JAPAN, PORT, "Korean Film Club", "Pixel & Grid", "Slow Roads"]:
        channel = ids.get("channel", name)
        writer.writerow([channel, f"http://www.youtube.com/channel/{channel}", name])
    return buffer.getvalue()


ARCHIVE_BROWSER = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Archive Overview</title>
</head>
<body>
<h1>Archive Overview</h1>
<p>Your archive was created on 15 Oct 2026, 10:15:00 UTC. It contains data from 2 products.</p>
<ul>
<li><b>Chrome</b>: 3 files (Bookmarks, BrowserHistory, SyncSettings). Format: JSON, HTML.</li>
<li><b>YouTube and YouTube Music</b>: 3 files (history, subscriptions). Format: JSON, CSV.</li>
</ul>
</body>
</html>
"""


# ---------------------------------------------------------------------------------------
# Spotify: one stream of plays, written out as both the account export and the
# extended streaming history.

ARTIST_WEIGHTS: dict[str, float] = {
    "Ezra Collective": 12,
    "Fela Kuti": 10,
    "Nubya Garcia": 9,
    "Kamasi Washington": 8,
    "Burna Boy": 8,
    "Alice Coltrane": 6,
    "Kokoroko": 5,
    "Mulatu Astatke": 3,
    "Yussef Dayes": 3,
    "Tems": 3,
    "Amália Rodrigues": 2,
    "António Zambujo": 2,
    "Mariza": 1,
    "Ryuichi Sakamoto": 3,
    "Mariya Takeuchi": 1,
    "Hiroshi Yoshimura": 1,
}
# artist | album | track m:ss; track m:ss; ...
MUSIC_TABLE = """
Ezra Collective | Where I'm Meant To Be | Victory Dance 4:10; Ajala 4:22; Life Goes On 4:41;
    No Confusion 3:50; Belonging 3:34
Ezra Collective | You Can't Steal My Joy | Welcome to My World 4:29; Quest for Coin 5:02;
    Why You Mad? 4:08
Ezra Collective | Dance, No One's Watching | God Gave Me Feet for Dancing 3:59
Fela Kuti | Expensive Shit | Water No Get Enemy 9:43; Expensive Shit 13:13
Fela Kuti | Zombie | Zombie 12:25; Mr. Follow Follow 12:18
Fela Kuti | Gentleman | Gentleman 14:36
Nubya Garcia | Source | Source 6:21; Pace 6:52; Together Is a Beautiful Place 3:15;
    La cumbia me está llamando 5:52
Nubya Garcia | Odyssey | Odyssey 5:11; Set It Free 4:36
Kamasi Washington | The Epic | Change of the Guard 12:16; The Rhythm Changes 8:32
Kamasi Washington | Heaven and Earth | Fists of Fury 9:44; Street Fighter Mas 4:59
Kamasi Washington | Harmony of Difference | Truth 13:43
Kamasi Washington | Fearless Movement | Lesanu 5:14; Prologue 7:42
Burna Boy | Love, Damini | Last Last 2:52; It's Plenty 3:18
Burna Boy | African Giant | Anybody 3:46; On the Low 3:05; Killin Dem 2:48
Burna Boy | I Told Them... | City Boys 2:46; Sittin' On Top Of The World 3:21
Alice Coltrane | Journey in Satchidananda | Journey in Satchidananda 6:38; Shiva-Loka 6:39
Alice Coltrane | Ptah, the El Daoud | Blue Nile 6:58; Turiya & Ramakrishna 8:22
Kokoroko | Could We Be More | Something's Going On 4:51; Tojo 3:52; We Give Thanks 4:18
Kokoroko | Kokoroko | Abusey Junction 7:10
Mulatu Astatke | Éthiopiques, Vol. 4: Ethio Jazz & Musique Instrumentale, 1969-1974 |
    Yèkèrmo Sèw 5:17; Tezeta 5:12
Yussef Dayes | Black Classical Music | Black Classical Music 6:42
Tems | For Broken Ears | Free Mind 4:07; Higher 3:38
Amália Rodrigues | The Art of Amália | Estranha Forma de Vida 3:14; Barco Negro 3:31
António Zambujo | Rua da Emenda | Pica do 7 3:23
Mariza | Transparente | Meu Fado Meu 3:51
Ryuichi Sakamoto | BTTB | Aqua 4:31; Energy Flow 4:36
Ryuichi Sakamoto | Merry Christmas Mr. Lawrence | Merry Christmas Mr. Lawrence 4:50
Mariya Takeuchi | Variety | Plastic Love 7:54
Hiroshi Yoshimura | Music For Nine Post Cards | Blink 4:27; Water Copy 6:29
"""


def parse_music(table: str) -> list[tuple[str, float, list[tuple[str, list[tuple[str, int]]]]]]:
    """``[(artist, weight, [(album, [(track, seconds)])])]`` from :data:`MUSIC_TABLE`."""
    albums: dict[str, list[tuple[str, list[tuple[str, int]]]]] = {}
    for line in table.replace("\n    ", " ").strip().splitlines():
        artist, album, tracks = (part.strip() for part in line.split("|"))
        parsed = []
        for item in tracks.split(";"):
            name, length = item.strip().rsplit(" ", 1)
            minutes, seconds = length.split(":")
            parsed.append((name, int(minutes) * 60 + int(seconds)))
        albums.setdefault(artist, []).append((album, parsed))
    return [(artist, ARTIST_WEIGHTS[artist], entries) for artist, entries in albums.items()]


MUSIC = parse_music(MUSIC_TABLE)

PODCASTS: list[tuple[str, list[tuple[str, int]]]] = [
    (
        "Pixels & Pastéis",
        [
            ("Ep. 41 — Designing for slow internet", 2520),
            ("Ep. 44 — Dark patterns in checkout flows", 2890),
            ("Ep. 47 — A design system nobody asked for", 3110),
            ("Ep. 52 — Wayfinding lessons from Kyoto station", 2710),
        ],
    ),
    (
        "Falar Devagar",
        [
            ("#88 No café", 1260),
            ("#91 O pretérito perfeito sem medo", 1380),
            ("#95 Expressões do dia-a-dia em Lisboa", 1190),
            ("#102 Preparar o DIPLE", 1440),
        ],
    ),
    (
        "Beta Spray",
        [
            ("Sintra's hidden boulders", 3320),
            ("Fingers, tendons and patience", 3650),
            ("Climbing in Japan: gyms, rock and etiquette", 3480),
        ],
    ),
    (
        "Deep Cuts Jazz Hour",
        [
            ("The London scene, ten years on", 3600),
            ("Afrobeat's long shadow", 3540),
            ("Spiritual jazz: Alice, Pharoah and after", 3720),
        ],
    ),
]

SPOTIFY_DAYS = [
    date(2025, 1, 2),
    date(2025, 6, 11),
    date(2025, 6, 13),
    date(2025, 12, 22),
    date(2025, 12, 26),
    date(2026, 4, 5),
    date(2026, 4, 10),
    date(2026, 4, 14),
    date(2025, 11, 1),
    date(2026, 10, 1),
    date(2026, 10, 4),
    date(2026, 10, 9),
    date(2026, 10, 13),
]
INCOGNITO_SONGS = [
    ("ABBA", "Arrival", "Dancing Queen", 231),
    ("ABBA", "Voulez-Vous", "Chiquitita", 326),
]


@dataclass
class Play:
    """One stream: the superset of what both Spotify exports say about it."""

    end: datetime
    start: datetime
    ms: int
    platform: str
    country: str
    artist: str | None = None
    album: str | None = None
    track: str | None = None
    track_uri: str | None = None
    show: str | None = None
    episode: str | None = None
    episode_uri: str | None = None
    reason_start: str = "clickrow"
    reason_end: str = "trackdone"
    shuffle: bool = False
    skipped: bool = False
    offline: bool = False
    incognito: bool = False
    offline_ts: int | None = None
    tags: set[str] = field(default_factory=set)


def _artist_weight(artist: str, weight: float, day: date) -> float:
    if artist in {"Ryuichi Sakamoto", "Hiroshi Yoshimura", "Mariya Takeuchi"} and (
        date(2026, 2, 1) <= day <= date(2026, 5, 15)
    ):
        return weight * 3
    if artist in {"Amália Rodrigues", "António Zambujo", "Mariza"} and day >= date(2025, 9, 1):
        return weight * 1.8
    if artist == "Ezra Collective" and date(2026, 4, 20) <= day <= date(2026, 5, 20):
        return weight * 2.5  # the concert in May
    return weight


class Spotify:
    """Generates Maya's listening as sessions of consecutive plays."""

    def __init__(self, rng: random.Random, ids: Ids) -> None:
        self.rng = rng
        self.ids = ids
        self.plays: list[Play] = []

    def _track_choice(self, day: date) -> tuple[str, str, list[tuple[str, int]]]:
        weights = [_artist_weight(artist, weight, day) for artist, weight, _ in MUSIC]
        artist, _, albums = self.rng.choices(MUSIC, weights=weights)[0]
        album, tracks = self.rng.choice(albums)
        return artist, album, tracks

    def _slot(self, day: date) -> tuple[int, str]:
        minute = rand_minute(self.rng, day, evening_bias=False)
        on_laptop = day.weekday() < 5 and 10 * 60 <= minute <= 18 * 60
        return minute, "osx" if on_laptop and place_on(day) == "lisbon" else "android"

    def _free(self, start: datetime, end: datetime) -> bool:
        return all(p.end <= start or p.start >= end for p in self.plays)

    def music_session(self, day: date) -> int:
        rng = self.rng
        minute, platform = self._slot(day)
        start = to_utc(day, minute, rng)
        country = PLACES[place_on(day)][1]
        shuffle = rng.random() < 0.55
        length = rng.randint(3, 11)
        queue: list[tuple[str, str, str, int]] = []
        if shuffle:
            for _ in range(length):
                artist, album, tracks = self._track_choice(day)
                queue.append((artist, album, *rng.choice(tracks)))
        else:
            artist, album, tracks = self._track_choice(day)
            while len(queue) < length:
                queue.extend((artist, album, name, seconds) for name, seconds in tracks)
                artist, album, tracks = self._track_choice(day)
            queue = queue[:length]
        session: list[Play] = []
        cursor = start
        previous_end = "clickrow"
        for index, (artist, album, track, seconds) in enumerate(queue):
            full = seconds * 1000 + rng.randint(0, 999)
            outcome = rng.random()
            if outcome < 0.17:
                ms, reason_end, skipped = rng.randint(1200, 9500), "fwdbtn", True
            elif index == len(queue) - 1 and outcome < 0.6:
                ms, reason_end, skipped = rng.randint(30_000, full - 10_000), "endplay", False
            else:
                ms, reason_end, skipped = full - rng.randint(0, 400), "trackdone", False
            reason_start = "clickrow" if index == 0 else previous_end
            if index == 0 and rng.random() < 0.3:
                reason_start = rng.choice(["playbtn", "appload", "remote"])
            end = cursor + timedelta(milliseconds=ms)
            session.append(
                Play(
                    end=end.replace(microsecond=0),
                    start=cursor,
                    ms=ms,
                    platform=platform,
                    country=country,
                    artist=artist,
                    album=album,
                    track=track,
                    track_uri=self.ids.get("track", f"{artist}/{track}"),
                    reason_start=reason_start,
                    reason_end=reason_end,
                    shuffle=shuffle,
                    skipped=skipped,
                    offline_ts=int(cursor.timestamp() * 1000),
                )
            )
            previous_end = reason_end
            cursor = end + timedelta(milliseconds=rng.randint(150, 1800))
        if not self._free(start, cursor):
            return 0
        self.plays.extend(session)
        return len(session)

    def podcast_session(self, day: date) -> int:
        rng = self.rng
        minute, platform = self._slot(day)
        start = to_utc(day, minute, rng)
        show, episodes = rng.choice(PODCASTS)
        if show == "Falar Devagar" and day < date(2025, 9, 1):
            show, episodes = PODCASTS[0]
        episode, seconds = rng.choice(episodes)
        finished = rng.random() < 0.45
        ms = (
            seconds * 1000 - rng.randint(0, 5000)
            if finished
            else rng.randint(240_000, seconds * 900)
        )
        end = start + timedelta(milliseconds=ms)
        if not self._free(start, end):
            return 0
        self.plays.append(
            Play(
                end=end.replace(microsecond=0),
                start=start,
                ms=ms,
                platform=platform,
                country=PLACES[place_on(day)][1],
                show=show,
                episode=episode,
                episode_uri=self.ids.get("episode", f"{show}/{episode}"),
                reason_start=rng.choice(["clickrow", "playbtn", "appload"]),
                reason_end="trackdone" if finished else rng.choice(["endplay", "logout"]),
                offline_ts=int(start.timestamp() * 1000),
            )
        )
        return 1

    def fill(self, first: date, last: date, music: int, podcasts: int) -> None:
        """Sessions until about ``music`` tracks and ``podcasts`` episodes were played,
        spread evenly over the range (golden-ratio steps, so no month is left empty)."""
        span = (last - first).days + 1
        for target, session in ((music, self.music_session), (podcasts, self.podcast_session)):
            made, phase = 0, self.rng.random()
            while made < target:
                phase = (phase + 0.6180339887) % 1
                made += session(first + timedelta(days=int(phase * span)))

    def special_sessions(self) -> None:
        rng = self.rng
        # Offline on the flight to Tokyo; the plays only reach Spotify after landing, so
        # they all carry the same ``ts`` (a real quirk of the extended history).
        synced = datetime(2026, 4, 3, 0, 42, 17, tzinfo=UTC)
        cursor = datetime(2026, 4, 2, 12, 5, 0, tzinfo=UTC)
        flight = [
            ("Ryuichi Sakamoto", "BTTB", "Aqua", 271),
            ("Ryuichi Sakamoto", "BTTB", "Energy Flow", 276),
            ("Hiroshi Yoshimura", "Music For Nine Post Cards", "Blink", 267),
            ("Hiroshi Yoshimura", "Music For Nine Post Cards", "Water Copy", 389),
            ("Alice Coltrane", "Journey in Satchidananda", "Journey in Satchidananda", 398),
            ("Alice Coltrane", "Journey in Satchidananda", "Shiva-Loka", 399),
        ]
        for index, (artist, album, track, seconds) in enumerate(flight):
            ms = seconds * 1000 - rng.randint(0, 300)
            self.plays.append(
                Play(
                    end=synced,
                    start=cursor,
                    ms=ms,
                    platform="android",
                    country="JP",
                    artist=artist,
                    album=album,
                    track=track,
                    track_uri=self.ids.get("track", f"{artist}/{track}"),
                    reason_start="clickrow" if index == 0 else "trackdone",
                    offline=True,
                    offline_ts=int(cursor.timestamp() * 1000),
                )
            )
            cursor += timedelta(milliseconds=ms + 400)
        # A private session (kept out of the account export, which drops incognito plays).
        cursor = datetime(2025, 7, 19, 21, 40, 3, tzinfo=UTC)
        for artist, album, track, seconds in INCOGNITO_SONGS:
            ms = seconds * 1000 - rng.randint(0, 300)
            end = cursor + timedelta(milliseconds=ms)
            self.plays.append(
                Play(
                    end=end.replace(microsecond=0),
                    start=cursor,
                    ms=ms,
                    platform="android",
                    country="PT",
                    artist=artist,
                    album=album,
                    track=track,
                    track_uri=self.ids.get("track", f"{artist}/{track}"),
                    incognito=True,
                    offline_ts=int(cursor.timestamp() * 1000),
                )
            )
            cursor = end + timedelta(seconds=1)
        # Rows whose metadata Spotify no longer has (local files, pulled content).
        for moment, ms in [
            (datetime(2025, 5, 2, 19, 12, 40, tzinfo=UTC), 184_311),
            (datetime(2026, 1, 17, 10, 3, 9, tzinfo=UTC), 3_020),
        ]:
            self.plays.append(
                Play(
                    end=moment,
                    start=moment - timedelta(milliseconds=ms),
                    ms=ms,
                    platform="osx",
                    country="PT",
                    reason_start="clickrow",
                    reason_end="endplay",
                    offline_ts=None,
                    tags={"unknown"},
                )
            )

    def generate(self) -> None:
        self.special_sessions()
        for day in SPOTIFY_DAYS:  # make sure the trips and both ends of the range show up
            while not self.music_session(day):
                pass
        self.fill(FIRST_DAY, ACCOUNT_FROM - timedelta(days=1), music=165, podcasts=16)
        self.fill(ACCOUNT_FROM, EXTENDED_UNTIL, music=292, podcasts=24)
        self.fill(EXTENDED_UNTIL + timedelta(days=1), LAST_DAY, music=22, podcasts=3)
        self.plays.sort(key=lambda p: (p.end, p.start))
        # The oldest rows carry offline_timestamp in seconds rather than milliseconds.
        for play in self.plays:
            if play.end < datetime(2025, 3, 1, tzinfo=UTC) and play.offline_ts:
                play.offline_ts //= 1000

    def extended_rows(self) -> list[dict[str, Any]]:
        rows = []
        for p in self.plays:
            if p.end.date() > EXTENDED_UNTIL:
                continue
            rows.append(
                {
                    "ts": p.end.strftime("%Y-%m-%dT%H:%M:%SZ"),
                    "platform": p.platform,
                    "ms_played": p.ms,
                    "conn_country": p.country,
                    "ip_addr": IPS[p.country],
                    "master_metadata_track_name": p.track,
                    "master_metadata_album_artist_name": p.artist,
                    "master_metadata_album_album_name": p.album,
                    "spotify_track_uri": p.track_uri,
                    "episode_name": p.episode,
                    "episode_show_name": p.show,
                    "spotify_episode_uri": p.episode_uri,
                    "audiobook_title": None,
                    "audiobook_uri": None,
                    "audiobook_chapter_uri": None,
                    "audiobook_chapter_title": None,
                    "reason_start": p.reason_start,
                    "reason_end": p.reason_end,
                    "shuffle": p.shuffle,
                    "skipped": p.skipped,
                    "offline": p.offline,
                    "offline_timestamp": p.offline_ts,
                    "incognito_mode": p.incognito,
                }
            )
        return rows

    def _account_plays(self) -> list[Play]:
        return [
            p
            for p in self.plays
            if p.end.date() >= ACCOUNT_FROM and not p.incognito and "unknown" not in p.tags
        ]

    def account_music(self) -> list[dict[str, Any]]:
        return [
            {
                "endTime": p.end.strftime("%Y-%m-%d %H:%M"),
                "artistName": p.artist,
                "trackName": p.track,
                "msPlayed": p.ms,
            }
            for p in self._account_plays()
            if p.track
        ]

    def account_podcasts(self) -> list[dict[str, Any]]:
        return [
            {
                "endTime": p.end.strftime("%Y-%m-%d %H:%M"),
                "podcastName": p.show,
                "episodeName": p.episode,
                "msPlayed": p.ms,
            }
            for p in self._account_plays()
            if p.show
        ]

    def library(self) -> dict[str, Any]:
        counts = Counter(
            (p.artist, p.album, p.track) for p in self.plays if p.track and not p.skipped
        )
        favourites = sorted(k for k, n in counts.items() if n >= 3)
        albums = sorted({(artist, album) for artist, album, _ in favourites})
        artists = sorted({artist for artist, _, _ in favourites})
        return {
            "tracks": [
                {"artist": a, "album": al, "track": t, "uri": self.ids.get("track", f"{a}/{t}")}
                for a, al, t in favourites
            ],
            "albums": [
                {"artist": a, "album": al, "uri": self.ids.get("album", f"{a}/{al}")}
                for a, al in albums
            ],
            "shows": [
                {"name": show, "publisher": "Independent", "uri": self.ids.get("show", show)}
                for show, _ in PODCASTS
            ],
            "episodes": [],
            "bannedTracks": [],
            "artists": [{"name": a, "uri": self.ids.get("artist", a)} for a in artists],
            "bannedArtists": [],
            "other": [],
        }


SPOTIFY_USERDATA = {
    "username": "mayaokafor.lx",
    "email": "maya.okafor@example.com",
    "country": "PT",
    "createdFromFacebook": False,
    "facebookUid": None,
    "birthdate": "1992-03-14",
    "gender": "female",
    "postalCode": None,
    "mobileNumber": None,
    "mobileOperator": None,
    "mobileBrand": None,
    "creationTime": "2013-09-21",
}

SPOTIFY_INFERENCES = {
    "inferences": [
        "1P_Custom_Jazz_Listeners",
        "1P_Custom_Afrobeats_Fans",
        "1P_Custom_Podcast_Listeners_Design",
        "1P_Custom_Language_Learners",
        "3P_Custom_Travel_Asia",
        "3P_Custom_Outdoor_Sports",
        "3P_Custom_Vegetarian_Food",
        "Android_Users",
        "Premium_Individual",
    ]
}


# ---------------------------------------------------------------------------------------
# Netflix viewing activity.

TV = "Samsung 2021 UHD TV (Tizen)"
LAPTOP = "Chrome PC (Cadmium)"
PHONE = "Google Pixel 7 Smartphone"

# (profile, title prefix, episodes or 0 for a film, minutes, first evening, device,
#  episodes actually watched)
NETFLIX_PLAN: list[tuple[str, str, int, int, date, str, int]] = [
    ("Maya", "Extraordinary Attorney Woo: Season 1", 16, 72, date(2025, 1, 5), TV, 16),
    ("Maya", "Train Ride Bergen to Oslo", 0, 420, date(2025, 1, 26), TV, 0),
    ("Maya", "Kingdom: Season 1", 6, 50, date(2025, 2, 10), TV, 6),
    ("Maya", "Parasite", 0, 132, date(2025, 2, 22), TV, 0),
    ("Maya", "When Life Gives You Tangerines: Season 1", 16, 60, date(2025, 3, 10), TV, 16),
    ("Maya", "The Dawn Wall", 0, 100, date(2025, 4, 12), LAPTOP, 0),
    ("Maya", "Dune: Part Two", 0, 166, date(2025, 5, 3), TV, 0),
    ("Maya", "Chef's Table: Volume 3: Jeong Kwan", 0, 50, date(2025, 6, 20), LAPTOP, 0),
    ("Maya", "Physical: 100: Season 1", 9, 55, date(2025, 7, 1), TV, 9),
    ("Maya", "Decision to Leave", 0, 138, date(2025, 8, 9), TV, 0),
    ("Maya", "Culinary Class Wars: Season 1", 12, 65, date(2025, 8, 20), TV, 12),
    ("Maya", "Rabo de Peixe: Season 1", 7, 50, date(2025, 9, 15), TV, 7),
    ("Maya", "Okja", 0, 120, date(2025, 10, 4), TV, 0),
    ("Maya", "The Glory: Season 1", 8, 50, date(2025, 11, 5), TV, 8),
    ("Maya", "National Knitting Evening", 0, 240, date(2025, 11, 23), TV, 0),
    ("Maya", "Crash Landing on You: Season 1", 16, 80, date(2025, 12, 1), TV, 10),
    ("Maya", "Midnight Diner: Tokyo Stories: Season 1", 10, 25, date(2026, 2, 1), LAPTOP, 10),
    ("Maya", "Perfect Days", 0, 123, date(2026, 3, 14), TV, 0),
    ("Maya", "Midnight Diner: Tokyo Stories: Season 2", 10, 25, date(2026, 4, 9), PHONE, 2),
    ("Maya", "Physical: 100: Season 2", 10, 60, date(2026, 5, 10), TV, 8),
    ("Maya", "14 Peaks: Nothing Is Impossible", 0, 101, date(2026, 6, 6), TV, 0),
    ("Maya", "Arrival", 0, 116, date(2026, 7, 18), TV, 0),
    ("Maya", "Train Ride Bergen to Oslo", 0, 420, date(2026, 9, 20), TV, 0),
    ("Guest", "Adolescence: Limited Series", 4, 55, date(2025, 3, 28), TV, 4),
    ("Guest", "Wednesday: Season 1", 3, 50, date(2025, 8, 12), TV, 3),
    ("Guest", "Glass Onion: A Knives Out Mystery", 0, 139, date(2025, 8, 16), TV, 0),
    ("Guest", "Stranger Things: Stranger Things 4", 2, 78, date(2026, 8, 3), TV, 2),
]
EPISODE_NAMES = {
    "Wednesday: Season 1": [
        "Wednesday's Child Is Full of Woe",
        "Woe Is the Loneliest Number",
        "Friend or Woe",
    ],
    "Stranger Things: Stranger Things 4": [
        "Chapter One: The Hellfire Club",
        "Chapter Two: Vecna's Curse",
    ],
}
SUPPLEMENTAL = [
    ("Culinary Class Wars: Season 2 (Trailer)", "TRAILER", date(2025, 8, 18)),
    ("Dune: Part Two (Trailer)", "TRAILER", date(2025, 4, 29)),
    ("Rabo de Peixe: Season 2 (Trailer)", "TRAILER", date(2025, 10, 2)),
    ("Physical: 100: Season 2 (Trailer)", "TRAILER", date(2026, 1, 9)),
    ("Rabo de Peixe_hook_primary_16x9", "HOOK", date(2025, 9, 12)),
    ("Midnight Diner_hook_primary_16x9", "HOOK", date(2026, 1, 30)),
    ("Squid Game: Season 3_hook_primary_16x9", "HOOK", date(2025, 6, 28)),
]


def hms(seconds: int) -> str:
    return f"{seconds // 3600:02d}:{seconds % 3600 // 60:02d}:{seconds % 60:02d}"


def build_viewing_activity(rng: random.Random) -> str:
    rows: list[dict[str, Any]] = []

    def add(
        profile: str,
        start: datetime,
        watched: int,
        title: str,
        bookmark: int,
        device: str,
        day: date,
        attributes: str = "",
        supplemental: str = "",
    ) -> None:
        rows.append(
            {
                "Profile Name": profile,
                "Start Time": start.strftime("%Y-%m-%d %H:%M:%S"),
                "Duration": hms(watched),
                "Attributes": attributes,
                "Title": title,
                "Supplemental Video Type": supplemental,
                "Device Type": device if place_on(day) == "lisbon" else PHONE,
                "Bookmark": hms(bookmark),
                "Country": PLACES[place_on(day)][2],
                "_start": start,
            }
        )

    for profile, prefix, episodes, minutes, first, device, watched_eps in NETFLIX_PLAN:
        runtime = minutes * 60
        day = first
        if episodes == 0:
            start = to_utc(day, rng.randint(20 * 60 + 30, 21 * 60 + 45), rng)
            if runtime > 3 * 3600:  # slow TV: an hour or so, then bed
                watched = rng.randint(40 * 60, 80 * 60)
                add(profile, start, watched, prefix, watched, device, day)
            elif runtime > 150 * 60 or rng.random() < 0.25:  # finished the next evening
                first_part = rng.randint(45 * 60, 80 * 60)
                add(profile, start, first_part, prefix, first_part, device, day)
                day += timedelta(days=1)
                start = to_utc(day, rng.randint(20 * 60 + 30, 21 * 60 + 30), rng)
                add(profile, start, runtime - first_part - 240, prefix, runtime - 240, device, day)
            else:
                add(
                    profile,
                    start,
                    runtime - rng.randint(120, 420),
                    prefix,
                    runtime - 300,
                    device,
                    day,
                )
            continue
        episode, resume = 1, 0
        while episode <= watched_eps:
            start = to_utc(day, rng.randint(20 * 60, 22 * 60), rng)
            for index in range(rng.choice([1, 1, 2, 2, 3])):
                if episode > watched_eps:
                    break
                names = EPISODE_NAMES.get(prefix)
                title = f"{prefix}: {names[episode - 1] if names else f'Episode {episode}'}"
                autoplayed = "Autoplayed: user action: None; " if index else ""
                if resume == 0 and rng.random() < 0.1:  # fell asleep: resumed another evening
                    resume = rng.randint(12 * 60, runtime // 2)
                    add(profile, start, resume, title, resume, device, day, autoplayed)
                    break
                watched = runtime - resume - rng.randint(60, 240)
                add(profile, start, watched, title, resume + watched, device, day, autoplayed)
                start += timedelta(seconds=watched + rng.randint(5, 40))
                episode, resume = episode + 1, 0
            day += timedelta(days=rng.choice([1, 1, 2, 2, 3, 4]))
    # Rewatching the first episode of Rabo de Peixe with Portuguese subtitles.
    day = date(2025, 10, 20)
    start = to_utc(day, 21 * 60 + 10, rng)
    add("Maya", start, 47 * 60 + 12, "Rabo de Peixe: Season 1: Episode 1", 49 * 60, TV, day)
    for title, kind, day in SUPPLEMENTAL:
        start = to_utc(day, rng.randint(20 * 60, 22 * 60), rng)
        seconds = rng.randint(5, 100)
        add(
            "Maya", start, seconds, title, seconds, TV, day, "Autoplayed: user action: None; ", kind
        )
    rows.sort(key=lambda row: (row["Profile Name"] != "Maya", -row["_start"].timestamp()))
    latest: set[tuple[str, str]] = set()
    header = [
        "Profile Name",
        "Start Time",
        "Duration",
        "Attributes",
        "Title",
        "Supplemental Video Type",
        "Device Type",
        "Bookmark",
        "Latest Bookmark",
        "Country",
    ]
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    for row in rows:
        key = (row["Profile Name"], row["Title"])
        row["Latest Bookmark"] = "Not latest view" if key in latest else row["Bookmark"]
        latest.add(key)
        writer.writerow([row[column] for column in header])
    return buffer.getvalue()


PROFILES_CSV = (
    "Profile Name,Email Address,Profile Creation Time,Maturity Level\n"
    "Maya,maya.okafor@example.com,2016-02-07 19:22:41,All Maturity Ratings\n"
    "Guest,,2024-12-23 17:05:12,All Maturity Ratings\n"
)


# ---------------------------------------------------------------------------------------
# Obsidian notes.

NOTES: dict[str, str] = {
    "Japan trip plan.md": """---
title: Japan trip plan
tags: [travel, japan, kyoto, tokyo]
created: 2025-10-19
---
# Japan trip plan — April 2026

**Dates:** 3–16 April 2026 (fly LIS → HND on the 2nd, back from HND on the 16th).
Cherry blossom in Kyoto usually peaks in the first week of April, so Kyoto in the middle.

## Route
- **Tokyo** (3–7 Apr): Shimokitazawa, teamLab Planets, a jazz kissa or two in Shibuya,
  one session at B-PUMP Ogikubo (bring my own shoes and chalk).
- **Kyoto** (8–13 Apr): ryokan in Higashiyama, Philosopher's Path at sunrise,
  Fushimi Inari at 6am before the crowds, Arashiyama and Tenryū-ji.
- **Tokyo** again (14–16 Apr), then home.

## To sort out
- [x] Flights (booked 2025-11-14)
- [x] JR Pass — only worth it with the Kyoto day trips; bought 7-day pass in February
- [ ] Suica on my Android phone
- [ ] Shōjin ryōri lunch at Shigetsu (Tenryū-ji) — book ahead, fully vegetarian
- [ ] Ask Tomás for his Tokyo record-shop list

## Food notes
Vegetarian in Japan is harder than it looks: dashi is everywhere. Temple food (shōjin
ryōri) is the safe bet. See [[Vegetarian recipes to try]] for things to cook when back.

## Budget
~€2,400 without flights. Yen is cheap this year.
""",
    "Vegetarian recipes to try.md": """---
title: Vegetarian recipes to try
tags: [cooking, vegetarian, recipes]
created: 2025-02-16
---
# Vegetarian recipes to try

- [x] **Smoky jollof rice** — Green Pan Kitchen video; cook the tomato base down longer
  than feels right. Mum's version uses scotch bonnet, the video uses smoked paprika.
- [x] **Mushroom bourguignon** (BBC Good Food) — good for climbing-night batch cooking.
- [ ] **Vegetarian phở** — Mỹ's recipe: char the onion and ginger, star anise, a strip of
  kombu, and a splash of soy at the end instead of fish sauce.
- [ ] **Feijoada vegetariana** — Inês says to use black beans and smoked tofu.
- [x] **Nasu dengaku** (miso aubergine) from Just One Cookbook.
- [ ] **Caldo verde** without chouriço — smoked paprika oil on top.
- [ ] **Okonomiyaki** — after Japan, try the Hiroshima style too.
- [ ] **Kimchi jjigae** with tofu; find vegan kimchi at the Korean shop near São Bento.

Protein for training days: lentils, tofu, tempeh, Greek yoghurt.
""",
    "Climbing goals 2026.md": """---
title: Climbing goals 2026
tags: [climbing, bouldering, goals]
created: 2026-01-03
---
# Climbing goals 2026

1. **Send my first 7A outdoors** — the project at Sintra with Tomás (the slopey one
   above the path). Best conditions are in the cold, dry months.
2. **Fingerboard twice a week** — 10 s hangs on the 20 mm edge, following the Crux & Chalk
   protocol. No max hangs before March.
3. **Climb in Tokyo** — one session at B-PUMP Ogikubo during the Japan trip.
4. **Technique** — flagging and heel hooks on overhangs (my weakest style).
5. **Antagonist training** on rest days, to keep the shoulders happy.

## Log
- 2026-02-08: Sintra with Tomás and Inês, linked the crux for the first time.
- 2026-04-05: B-PUMP Ogikubo! Graded harder than Lisbon. Flashed two purple problems.
- 2026-05-30: **Sent the Sintra 7A.** 🎉
- 2026-09-12: Back to fingerboarding after the summer. Next: Magic Wood in
  Switzerland? Fly into Zürich.
""",
}


# ---------------------------------------------------------------------------------------


def main() -> None:
    rng = random.Random(2026)
    ids = Ids(rng)

    chrome = build_chrome_history(rng)
    watch = build_watch_history(rng, ids)
    searches = build_search_history(rng)
    youtube_dir = "Takeout/YouTube and YouTube Music"
    write_zip(
        HERE / "takeout-20261015T101500Z-001.zip",
        [
            ("Takeout/archive_browser.html", ARCHIVE_BROWSER),
            ("Takeout/Chrome/Bookmarks.html", build_bookmarks()),
            ("Takeout/Chrome/History.json", dump_chrome({"Browser History": chrome})),
            ("Takeout/Chrome/SyncSettings.json", build_sync_settings()),
            (f"{youtube_dir}/history/search-history.json", dump_my_activity(searches)),
            (f"{youtube_dir}/history/watch-history.json", dump_my_activity(watch)),
            (f"{youtube_dir}/subscriptions/subscriptions.csv", build_subscriptions(ids)),
        ],
    )

    spotify = Spotify(rng, ids)
    spotify.generate()
    account = "Spotify Account Data"
    write_zip(
        HERE / "my_spotify_data.zip",
        [
            (f"{account}/Inferences.json", dump_spotify_account(SPOTIFY_INFERENCES)),
            (
                f"{account}/StreamingHistory_music_0.json",
                dump_spotify_account(spotify.account_music()),
            ),
            (
                f"{account}/StreamingHistory_podcast_0.json",
                dump_spotify_account(spotify.account_podcasts()),
            ),
            (f"{account}/Userdata.json", dump_spotify_account(SPOTIFY_USERDATA)),
            (f"{account}/YourLibrary.json", dump_spotify_account(spotify.library())),
        ],
    )
    write_text(
        HERE / "Spotify Extended Streaming History" / "Streaming_History_Audio_2025-2026.json",
        json.dumps(spotify.extended_rows(), indent=2, ensure_ascii=False),
    )

    write_text(
        HERE / "netflix" / "CONTENT_INTERACTION" / "ViewingActivity.csv",
        build_viewing_activity(rng),
    )
    write_text(HERE / "netflix" / "PROFILES" / "Profiles.csv", PROFILES_CSV)

    for name, text in NOTES.items():
        write_text(HERE / "notes" / name, text)


if __name__ == "__main__":
    main()

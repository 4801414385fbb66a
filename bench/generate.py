"""A deterministic generator of a realistic export set, in the real formats.

``python -m bench.generate --size small`` writes ``bench/corpus/small/``::

    manifest.json                      what was generated, expected record counts, query terms
    exports/                           the folder to index
      takeout-20260101T000000Z-001.zip   Takeout/Chrome/History.json,
                                         Takeout/YouTube and YouTube Music/history/*.json
      Spotify Extended Streaming History/Streaming_History_Audio_<years>_<n>.json (~10 MB each)
      Spotify Account Data/StreamingHistory_music_<n>.json, StreamingHistory_podcast_<n>.json
      netflix-report/CONTENT_INTERACTION/ViewingActivity.csv
    new-export/                        a later, small Netflix export (the "new file" run)

Sizes: ``tiny`` (~2k records), ``small`` (~50k), ``1m`` (~1M). Shares: Chrome 40 %,
YouTube 20 %, Spotify 35 %, Netflix 5 %, over ten years (2016-2025). Everything comes from
seeded ``random.Random`` instances, so a size and seed always give the same bytes. Rows
are streamed to disk; only the catalogues (pages, videos, tracks, shows) are held in
memory.

Some rows exist on purpose to exercise de-duplication: exact duplicates in Chrome and
YouTube history, Spotify plays that the account export repeats (its last 12 months
overlap the extended history), Spotify rows without metadata and Netflix trailers (both
dropped by the connectors). ``manifest.json`` gives the record count the index must hold
after all of that (``expected_records``), computed with the documented identity rules.

Regeneration is skipped when ``manifest.json`` already names the same size, seed and
generator version (``--force`` regenerates).
"""

from __future__ import annotations

import argparse
import bisect
import csv
import io
import itertools
import json
import math
import os
import random
import re
import shutil
import sys
import time
import unicodedata
import zipfile
from array import array
from collections import Counter, deque
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from json.encoder import encode_basestring
from pathlib import Path
from typing import IO, Any
from urllib.parse import quote, quote_plus

from bench import words

GENERATOR_VERSION = 1
DEFAULT_SEED = 20260101
#: Target record counts per size name.
SIZES: dict[str, int] = {"tiny": 2_000, "small": 50_000, "1m": 1_000_000}
#: Share of the target per export kind.
SHARES: dict[str, float] = {
    "chrome": 0.40,
    "youtube_watch": 0.15,
    "youtube_search": 0.05,
    "spotify": 0.35,
    "netflix": 0.05,
}
BENCH_DIR = Path(__file__).resolve().parent
CORPUS_ROOT = BENCH_DIR / "corpus"
MANIFEST = "manifest.json"
EXPORTS = "exports"
NEW_EXPORT = "new-export"

START = datetime(2016, 1, 1, tzinfo=UTC)
END = datetime(2026, 1, 1, tzinfo=UTC)
#: The account-data export covers the last twelve months only.
ACCOUNT_SINCE = datetime(2025, 1, 1, tzinfo=UTC)
#: The later Netflix export adds viewing from this day on.
NEW_EXPORT_START = datetime(2026, 1, 5, tzinfo=UTC)
TAKEOUT_ZIP = "takeout-20260101T000000Z-001.zip"
YOUTUBE_DIR = "Takeout/YouTube and YouTube Music/history/"
ZIP_TIME = (2026, 1, 1, 0, 0, 0)
SPOTIFY_FILE_BYTES = 10 * 1024 * 1024
ACCOUNT_FILE_ROWS = 10_000
VOCABULARY_SIZE = 30_000

DAY = 86_400
AWAKE = 16 * 3600  # activity happens between 07:00 and 23:00 UTC
WAKE = 7 * 3600
_START_EPOCH = START.timestamp()
_DAYS = (END - START).days
#: Awake seconds available, minus a margin so sessions never run past END.
_SPAN_AWAKE = (_DAYS - 10) * AWAKE


# -- random helpers ----------------------------------------------------------------------


class Zipf:
    """Zipf-Mandelbrot ranks ``0..n-1``: weight ``1 / (rank + 1 + q) ** s``."""

    def __init__(self, n: int, s: float = 1.0, q: float = 2.7) -> None:
        self.n = n
        self.cum = list(itertools.accumulate(1.0 / (r + 1 + q) ** s for r in range(n)))
        self.total = self.cum[-1]

    def pick(self, rng: random.Random) -> int:
        """One rank."""
        return min(bisect.bisect_right(self.cum, rng.random() * self.total), self.n - 1)


def _geometric(rng: random.Random, mean: float) -> int:
    """A geometric count >= 1 with the given mean."""
    if mean <= 1:
        return 1
    p = 1.0 / mean
    return 1 + int(math.log(1.0 - rng.random()) / math.log(1.0 - p))


def _sessions(rng: random.Random, n: int, mean_session: float) -> list[tuple[float, int]]:
    """``(start, events)`` sessions covering ``n`` events; starts in awake seconds, sorted,
    denser in later years (usage grows)."""
    lengths: list[int] = []
    total = 0
    while total < n:
        k = min(_geometric(rng, mean_session), n - total)
        lengths.append(k)
        total += k
    starts = sorted(rng.random() ** 0.8 * _SPAN_AWAKE for _ in lengths)
    return list(zip(starts, lengths, strict=True))


def _event_times(
    rng: random.Random,
    n: int,
    mean_session: float,
    gap: Callable[[random.Random], float],
    min_gap: float = 1.0,
) -> array[float]:
    """``n`` strictly increasing event times (awake seconds) in bursty sessions."""
    out: array[float] = array("d")
    last = -1e18
    for start, k in _sessions(rng, n, mean_session):
        cur = max(start, last + min_gap)
        for j in range(k):
            if j:
                cur += max(min_gap, gap(rng))
            out.append(cur)
            last = cur
    return out


def wall(awake: float) -> float:
    """Awake seconds since START -> epoch seconds (nights skipped)."""
    day, rest = divmod(awake, AWAKE)
    return _START_EPOCH + day * DAY + WAKE + rest


def _token(rng: random.Random, n: int, alphabet: str) -> str:
    return "".join(rng.choices(alphabet, k=n))


_B62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
_B64URL = _B62 + "-_"


# -- vocabulary and titles ---------------------------------------------------------------

_ONSETS = (
    "b", "br", "c", "ch", "d", "dr", "f", "fl", "g", "gr", "h", "j", "k", "kl", "l", "m", "n",
    "p", "pl", "r", "s", "sh", "st", "t", "tr", "v", "w", "z",
)  # fmt: skip
_VOWELS = ("a", "e", "i", "o", "u", "ai", "ea", "ou", "io", "y")
_CODAS = ("", "", "", "", "", "n", "r", "s", "l", "m", "nd", "k")


class Vocabulary:
    """Words ranked for a Zipf draw: function words first, then everyday words, then a
    long tail of pseudo-words with non-ASCII words spread through the middle ranks."""

    def __init__(self, rng: random.Random, size: int = VOCABULARY_SIZE) -> None:
        common = list(dict.fromkeys(words.COMMON_WORDS))
        rng.shuffle(common)
        taken = set(words.FUNCTION_WORDS) | set(common) | set(words.NON_ASCII_WORDS)
        tail: list[str] = []
        while len(tail) < size - len(taken):
            w = "".join(
                rng.choice(_ONSETS) + rng.choice(_VOWELS) + rng.choice(_CODAS)
                for _ in range(rng.choice((2, 2, 2, 3)))
            )
            if w not in taken and 4 <= len(w) <= 10:
                taken.add(w)
                tail.append(w)
        ranked = list(words.FUNCTION_WORDS) + common
        # Non-ASCII words land between ranks ~400 and ~4000.
        special = list(words.NON_ASCII_WORDS)
        step = max(1, 3600 // len(special))
        for i, w in enumerate(tail):
            if special and i >= 50 and i % step == 0:
                ranked.append(special.pop())
            ranked.append(w)
        ranked.extend(special)
        self.words = ranked
        self.zipf = Zipf(len(ranked), s=1.15, q=2.7)

    def draw(self, rng: random.Random, k: int) -> list[str]:
        """``k`` words drawn by rank frequency."""
        return [self.words[self.zipf.pick(rng)] for _ in range(k)]

    def content(self, rng: random.Random, k: int) -> list[str]:
        """``k`` words, skipping function words."""
        out: list[str] = []
        function = words.FUNCTION_WORDS
        while len(out) < k:
            w = self.words[self.zipf.pick(rng)]
            if w not in function:
                out.append(w)
        return out


def _title_case(ws: list[str]) -> str:
    return " ".join(w[:1].upper() + w[1:] if w not in ("of", "and", "the") else w for w in ws)


def _phrase(vocab: Vocabulary, rng: random.Random, lo: int, hi: int) -> list[str]:
    """A title-like word sequence: content words with some function words between."""
    n = rng.randint(lo, hi)
    out: list[str] = []
    for i in range(n):
        if i and rng.random() < 0.25:
            out.append(rng.choice(words.FUNCTION_WORDS[:12]))
        out.extend(vocab.content(rng, 1))
    return out


def _slug(ws: list[str]) -> str:
    return quote("-".join(w.lower() for w in ws), safe="-")


def _person(rng: random.Random) -> str:
    return f"{rng.choice(words.FIRST_NAMES)} {rng.choice(words.LAST_NAMES)}"


def norm(value: str) -> str:
    """The Spotify identity normalisation: NFC, case-folded, single spaces."""
    return " ".join(unicodedata.normalize("NFC", value).casefold().split())


# -- output helpers ----------------------------------------------------------------------


class _Buffered:
    """Writes text to a binary stream in ~1 MB chunks; counts bytes written."""

    def __init__(self, fh: IO[bytes]) -> None:
        self.fh = fh
        self.parts: list[str] = []
        self.pending = 0
        self.bytes = 0

    def write(self, text: str) -> None:
        """Queue ``text``; flush once about 1 MB is pending."""
        self.parts.append(text)
        self.pending += len(text)
        if self.pending > 1 << 20:
            self.flush()

    def flush(self) -> None:
        """Write out what is pending."""
        data = "".join(self.parts).encode("utf-8")
        self.fh.write(data)
        self.bytes += len(data)
        self.parts.clear()
        self.pending = 0


def _google_value(value: Any, pad: str) -> str:
    """One value in Google's Takeout JSON style (Gson-like, ``=``/``&`` escaped)."""
    if isinstance(value, str):
        return encode_basestring(value).replace("=", "\\u003d").replace("&", "\\u0026")
    if isinstance(value, bool) or value is None:
        return json.dumps(value)
    if isinstance(value, int | float):
        return str(value)
    if isinstance(value, list):
        if value and isinstance(value[0], dict):
            return "[" + ",".join(_google_object(v, pad) for v in value) + "]"
        return "[" + ", ".join(_google_value(v, pad) for v in value) + "]"
    if isinstance(value, dict):
        return _google_object(value, pad)
    raise TypeError(type(value))


def _google_object(obj: dict[str, Any], pad: str) -> str:
    inner = pad + "  "
    body = ",\n".join(f'{inner}"{k}": {_google_value(v, inner)}' for k, v in obj.items())
    return "{\n" + body + "\n" + pad + "}"


def _zip_member(zf: zipfile.ZipFile, name: str) -> IO[bytes]:
    info = zipfile.ZipInfo(name, date_time=ZIP_TIME)
    info.compress_type = zipfile.ZIP_DEFLATED
    info.external_attr = 0o644 << 16
    return zf.open(info, "w")


# -- the generator -----------------------------------------------------------------------


@dataclass
class Stats:
    """What was written and what the index must hold."""

    files: dict[str, dict[str, int]] = field(default_factory=dict)
    expected: Counter[str] = field(default_factory=Counter)
    rows: Counter[str] = field(default_factory=Counter)
    new_export_records: int = 0
    new_export_overlap: int = 0


class TitleSample:
    """Word counts and a reservoir sample of record titles, for the query mix."""

    _WORD_RE = re.compile(r"\w+")

    def __init__(self, seed: int, size: int = 400) -> None:
        self.rng = random.Random(seed)
        self.size = size
        self.seen = 0
        self.sample: list[str] = []
        self.counts: Counter[str] = Counter()

    def add(self, title: str) -> None:
        """Count the words of one record title (reservoir-sample the title)."""
        self.counts.update(self._WORD_RE.findall(title.lower()))
        self.seen += 1
        if len(self.sample) < self.size:
            self.sample.append(title)
        else:
            j = self.rng.randrange(self.seen)
            if j < self.size:
                self.sample[j] = title


class Generator:
    """Writes one corpus; each export kind has its own seeded RNG."""

    def __init__(self, out: Path, size: str, seed: int) -> None:
        self.out = out
        self.size = size
        self.seed = seed
        self.target = SIZES[size]
        self.vocab = Vocabulary(random.Random(seed))
        self.stats = Stats()
        self.titles = TitleSample(seed + 99)

    def rng(self, name: str) -> random.Random:
        """A RNG for one part of the corpus, independent of the others."""
        offset = sum(ord(c) * 31**i for i, c in enumerate(name)) % 1_000_003
        return random.Random(self.seed * 1_000_003 + offset)

    def count(self, share: str) -> int:
        """Rows to generate for one export kind."""
        return max(1, round(self.target * SHARES[share]))

    def _file(self, relpath: str, rows: int, nbytes: int) -> None:
        self.stats.files[relpath] = {"rows": rows, "bytes": nbytes}

    # -- run ------------------------------------------------------------------------------

    def run(self) -> dict[str, Any]:
        """Generate everything and return the manifest."""
        started = time.perf_counter()
        for sub in (EXPORTS, NEW_EXPORT):
            shutil.rmtree(self.out / sub, ignore_errors=True)
        (self.out / EXPORTS).mkdir(parents=True, exist_ok=True)
        self._takeout()
        self._spotify()
        self._netflix()
        expected = dict(sorted(self.stats.expected.items()))
        return {
            "generator_version": GENERATOR_VERSION,
            "size": self.size,
            "seed": self.seed,
            "target_records": self.target,
            "span": [START.isoformat(), END.isoformat()],
            "exports_dir": EXPORTS,
            "new_export_dir": NEW_EXPORT,
            "expected_records": {**expected, "total": sum(expected.values())},
            "new_export": {
                "expected_new_records": self.stats.new_export_records,
                "overlapping_rows": self.stats.new_export_overlap,
            },
            "rows": dict(sorted(self.stats.rows.items())),
            "files": self.stats.files,
            "query_terms": self._query_terms(),
            "seconds": round(time.perf_counter() - started, 2),
        }

    # -- Google Takeout -------------------------------------------------------------------

    def _takeout(self) -> None:
        """The Takeout zip: Chrome history, YouTube watch and search history."""
        path = self.out / EXPORTS / TAKEOUT_ZIP
        with zipfile.ZipFile(path, "w", compresslevel=6) as zf:
            with _zip_member(zf, "Takeout/archive_browser.html") as fh:
                fh.write(b"<!DOCTYPE html><html><body><h1>Takeout</h1></body></html>\n")
            with _zip_member(zf, "Takeout/Chrome/History.json") as fh:
                self._chrome(fh)
            with _zip_member(zf, "Takeout/Chrome/Bookmarks.html") as fh:
                fh.write(b"<!DOCTYPE NETSCAPE-Bookmark-file-1>\n<TITLE>Bookmarks</TITLE>\n")
            with _zip_member(zf, YOUTUBE_DIR + "watch-history.json") as fh:
                self._youtube_watch(fh)
            with _zip_member(zf, YOUTUBE_DIR + "search-history.json") as fh:
                self._youtube_search(fh)
        self._file(TAKEOUT_ZIP, 0, path.stat().st_size)

    def _pages(self, rng: random.Random, n: int) -> list[tuple[str, str, str]]:
        """A catalogue of ``(url, title, host)`` pages, ordered by popularity."""
        vocab = self.vocab
        sites: list[tuple[str, str]] = list(words.SITES[1:])
        for _ in range(max(20, min(3000, n // 150))):
            name = next(w for w in iter(lambda: vocab.content(rng, 1)[0], "") if w.isascii())
            host = f"www.{name.lower()}.{rng.choice(('com', 'net', 'io', 'de', 'org'))}"
            sites.append((host, "{T} | " + name.capitalize()))
        site_zipf = Zipf(len(sites), s=1.1, q=1.0)
        pages: list[tuple[str, str, str]] = []
        for i in range(n):
            host, template = sites[site_zipf.pick(rng)]
            ws = _phrase(vocab, rng, 2, 7)
            title = template.format(
                T=_title_case(ws),
                t=" ".join(ws),
                w=vocab.content(rng, 1)[0],
                n=_person(rng),
                repo=f"{vocab.content(rng, 1)[0]}/{vocab.content(rng, 1)[0]}",
                num=f"{i % 100000:05d}",
            )
            if host == "en.wikipedia.org":
                url = f"https://{host}/wiki/" + quote("_".join(_title_case(ws[:3]).split()))
            elif host == "stackoverflow.com":
                url = f"https://{host}/questions/{rng.randrange(10**6, 8 * 10**7)}/{_slug(ws)}"
            elif host == "github.com":
                url = f"https://{host}/{title.split(':')[0]}"
            elif host.endswith(("nytimes.com", "theguardian.com", "spiegel.de", "zeit.de")):
                year = rng.randint(2016, 2025)
                url = f"https://{host}/{year}/{rng.randint(1, 12):02d}/{_slug(ws)}.html"
            else:
                url = f"https://{host}/{_slug(ws)}"
                if rng.random() < 0.3:
                    url += f"?id={rng.randrange(10**6)}&ref={rng.choice(('nav', 'home', 'feed'))}"
            if rng.random() < 0.04:
                title = ""  # pages without a title: the record shows the URL
            pages.append((url, title, host))
        return pages

    def _chrome(self, fh: IO[bytes]) -> None:
        """``Chrome/History.json``: visits newest first, with exact duplicates."""
        rng = self.rng("chrome")
        n = self.count("chrome")
        pages = self._pages(rng, max(50, int(n * 0.45)))
        page_zipf = Zipf(len(pages), s=0.9, q=5.0)
        clients = [_token(rng, 22, _B62) + "==" for _ in range(3)]
        transitions = ["LINK"] * 12 + ["TYPED"] * 3 + ["RELOAD", "AUTO_BOOKMARK", "FORM_SUBMIT"]
        transitions += ["CLIENT_REDIRECT", "GENERATED", "AUTO_TOPLEVEL"]
        times = _event_times(rng, n, 12, lambda r: r.lognormvariate(3.4, 1.1))
        out = _Buffered(fh)
        out.write('{\n  "Browser History": [')
        pending: deque[tuple[int, str]] = deque()
        written = dupes = 0
        prev_usec = 1 << 62
        for i in range(n - 1, -1, -1):  # newest first, as Takeout writes it
            usec = int(wall(times[i]) * 1_000_000) + rng.randrange(1000)
            usec = min(usec, prev_usec - 1)
            prev_usec = usec
            if rng.random() < 0.12:
                q = " ".join(self.vocab.draw(rng, rng.randint(1, 4)))
                url = (
                    f"https://www.google.com/search?q={quote_plus(q)}&oq={quote_plus(q)}"
                    "&sourceid=chrome&ie=UTF-8"
                )
                title, host, transition = f"{q} - Google Search", "www.google.com", "GENERATED"
            else:
                url, title, host = pages[page_zipf.pick(rng)]
                transition = rng.choice(transitions)
            entry: dict[str, Any] = {}
            if rng.random() < 0.7:
                entry["favicon_url"] = f"https://{host}/favicon.ico"
            entry["page_transition_qualifier"] = transition
            entry["title"] = title
            entry["url"] = url
            entry["client_id"] = clients[min(2, int((n - i) * 3 / n))]
            entry["time_usec"] = usec
            text = _google_object(entry, "    ")
            self.titles.add(title or url)
            self.stats.expected["google.chrome"] += 1
            out.write(("\n    " if written == 0 else ", ") + text)
            written += 1
            if rng.random() < 0.006:  # an exact duplicate a few rows later
                pending.append((written + rng.randint(1, 20), text))
            while pending and pending[0][0] <= written:
                out.write(", " + pending.popleft()[1])
                written += 1
                dupes += 1
        for _, text in pending:
            out.write(", " + text)
            written += 1
            dupes += 1
        out.write("\n  ]\n}\n")
        out.flush()
        self.stats.rows["chrome_rows"] = written
        self.stats.rows["chrome_exact_duplicates"] = dupes
        self._file("Takeout/Chrome/History.json", written, out.bytes)

    def _videos(self, rng: random.Random, n: int) -> list[tuple[str, str, str, str, int]]:
        """``(video_id, title, channel, channel_id, flavour)``; flavour 0 video, 1 short,
        2 YouTube Music."""
        vocab = self.vocab
        channels: list[tuple[str, str]] = []
        for _ in range(max(10, n // 15)):
            r = rng.random()
            if r < 0.15:
                name = _person(rng)
            elif r < 0.3:
                name = _title_case(vocab.content(rng, 1)) + rng.choice(("TV", " Official", "HQ"))
            else:
                name = _title_case(vocab.content(rng, rng.randint(1, 3)))
            channels.append((name, "UC" + _token(rng, 22, _B64URL)))
        channel_zipf = Zipf(len(channels), s=1.0, q=2.0)
        videos = []
        for _ in range(n):
            channel, channel_id = channels[channel_zipf.pick(rng)]
            ws = _phrase(vocab, rng, 2, 8)
            title = _title_case(ws)
            r = rng.random()
            if r < 0.1:
                flavour, title = 1, f"{' '.join(ws)} #shorts"
            elif r < 0.18:
                flavour, title = 2, _title_case(ws[:3])
                channel = f"{channel} - Topic"
            else:
                flavour = 0
                if rng.random() < 0.2:
                    title += rng.choice((" (Official Video)", " | Full Episode", " 🔥", " [4K]"))
            videos.append((_token(rng, 11, _B64URL), title, channel, channel_id, flavour))
        return videos

    @staticmethod
    def _yt_time(epoch: float) -> str:
        """Takeout's activity time: ISO UTC, milliseconds without trailing zeros."""
        ms = round(epoch * 1000)
        base = datetime.fromtimestamp(ms // 1000, UTC).strftime("%Y-%m-%dT%H:%M:%S")
        frac = f"{ms % 1000:03d}".rstrip("0")
        return f"{base}.{frac}Z" if frac else f"{base}Z"

    def _youtube_watch(self, fh: IO[bytes]) -> None:
        """``watch-history.json``: videos, Shorts, YouTube Music, ads, removed videos."""
        rng = self.rng("youtube.watch")
        n = self.count("youtube_watch")
        videos = self._videos(rng, max(30, int(n * 0.5)))
        video_zipf = Zipf(len(videos), s=0.95, q=3.0)
        times = _event_times(rng, n, 4, lambda r: r.lognormvariate(5.5, 0.9), min_gap=2.0)
        out = _Buffered(fh)
        out.write("[")
        pending: deque[tuple[int, str]] = deque()
        written = dupes = 0
        for i in range(n - 1, -1, -1):
            when = self._yt_time(wall(times[i]))
            vid, title, channel, channel_id, flavour = videos[video_zipf.pick(rng)]
            entry: dict[str, Any] = {"header": "YouTube Music" if flavour == 2 else "YouTube"}
            r = rng.random()
            if r < 0.02:  # a removed video: no URL, no channel
                entry["title"] = "Watched a video that has been removed"
                shown = entry["title"]
            else:
                entry["title"] = f"Watched {title}"
                if flavour == 1:
                    entry["titleUrl"] = f"https://www.youtube.com/shorts/{vid}"
                elif flavour == 2:
                    entry["titleUrl"] = f"https://music.youtube.com/watch?v={vid}"
                else:
                    entry["titleUrl"] = f"https://www.youtube.com/watch?v={vid}"
                shown = title
                if r < 0.05:
                    entry["details"] = [{"name": "From Google Ads"}]
                else:
                    url = f"https://www.youtube.com/channel/{channel_id}"
                    entry["subtitles"] = [{"name": channel, "url": url}]
            entry["time"] = when
            entry["products"] = ["YouTube"]
            entry["activityControls"] = ["YouTube watch history"]
            text = _google_object(entry, "")
            self.titles.add(shown)
            self.stats.expected["google.youtube"] += 1
            out.write(text if written == 0 else "," + text)
            written += 1
            if rng.random() < 0.004:
                pending.append((written + rng.randint(1, 10), text))
            while pending and pending[0][0] <= written:
                out.write("," + pending.popleft()[1])
                written += 1
                dupes += 1
        for _, text in pending:
            out.write("," + text)
            written += 1
            dupes += 1
        out.write("]\n")
        out.flush()
        self.stats.rows["youtube_watch_rows"] = written
        self.stats.rows["youtube_watch_exact_duplicates"] = dupes
        self._file(YOUTUBE_DIR + "watch-history.json", written, out.bytes)

    def _youtube_search(self, fh: IO[bytes]) -> None:
        """``search-history.json``: one entry per search."""
        rng = self.rng("youtube.search")
        n = self.count("youtube_search")
        times = _event_times(rng, n, 1.6, lambda r: r.uniform(8, 90), min_gap=2.0)
        out = _Buffered(fh)
        out.write("[")
        for i in range(n - 1, -1, -1):
            q = " ".join(self.vocab.draw(rng, rng.randint(1, 4)))
            if rng.random() < 0.2:
                q = q.capitalize()
            entry = {
                "header": "YouTube",
                "title": f"Searched for {q}",
                "titleUrl": f"https://www.youtube.com/results?search_query={quote_plus(q)}",
                "time": self._yt_time(wall(times[i])),
                "products": ["YouTube"],
                "activityControls": ["YouTube search history"],
            }
            self.titles.add(q)
            self.stats.expected["google.youtube"] += 1
            out.write(("" if i == n - 1 else ",") + _google_object(entry, ""))
        out.write("]\n")
        out.flush()
        self.stats.rows["youtube_search_rows"] = n
        self._file(YOUTUBE_DIR + "search-history.json", n, out.bytes)

    # -- Spotify --------------------------------------------------------------------------

    def _catalogue(self, rng: random.Random, n_plays: int) -> dict[str, Any]:
        """Artists, tracks (some on "Various Artists" compilations), podcasts, books."""
        vocab = self.vocab
        artists = list(words.SPECIAL_ARTISTS)
        for _ in range(max(20, min(6000, n_plays // 60))):
            r = rng.random()
            if r < 0.3:
                artists.append(_person(rng))
            elif r < 0.45:
                artists.append("The " + _title_case(vocab.content(rng, 1)) + "s")
            else:
                artists.append(_title_case(vocab.content(rng, rng.randint(1, 2))))
        artists = list(dict.fromkeys(artists))
        rng.shuffle(artists)
        artist_zipf = Zipf(len(artists), s=1.05, q=3.0)
        tracks: list[tuple[str, str, str, str, str, int]] = []
        seen: set[tuple[str, str, str]] = set()
        albums: dict[str, list[str]] = {}
        while len(tracks) < max(50, n_plays // 8):
            artist = artists[artist_zipf.pick(rng)]
            album_list = albums.setdefault(artist, [])
            if not album_list or rng.random() < 0.15:
                album_list.append(_title_case(vocab.content(rng, rng.randint(1, 3))))
            album = rng.choice(album_list)
            title = _title_case(_phrase(vocab, rng, 1, 4))
            if rng.random() < 0.08:
                title += f" (feat. {rng.choice(artists)})"
            elif rng.random() < 0.05:
                title += rng.choice((" - Remastered 2011", " - Live", " - Radio Edit"))
            album_artist = artist
            if rng.random() < 0.04:
                album_artist = "Various Artists"
                album = f"{_title_case(vocab.content(rng, 1))} Hits {rng.randint(1990, 2024)}"
            key = (norm(album_artist), norm(artist), norm(title))
            if key in seen:
                continue
            seen.add(key)
            uri = "spotify:track:" + _token(rng, 22, _B62)
            duration = int(rng.lognormvariate(12.2, 0.25))  # ~200 s
            tracks.append((title, artist, album, album_artist, uri, duration))
        shows = []
        for _ in range(max(5, min(60, n_plays // 2000))):
            show = _title_case(vocab.content(rng, rng.randint(1, 3)))
            shows.append(rng.choice(("The ", "", "", "")) + show + rng.choice(("", " Podcast")))
        shows = list(dict.fromkeys(shows))
        books = [_title_case(vocab.content(rng, rng.randint(2, 4))) for _ in range(5)]
        return {
            "tracks": tracks,
            "track_zipf": Zipf(len(tracks), s=0.9, q=10.0),
            "shows": shows,
            "show_zipf": Zipf(len(shows), s=1.2, q=1.0),
            "books": books,
        }

    def _spotify(self) -> None:
        """Extended history (all years) and the account export (last 12 months), written
        together so the same plays overlap; counts the records they collapse into."""
        rng = self.rng("spotify")
        n = self.count("spotify")
        cat = self._catalogue(rng, n)
        ext_dir = self.out / EXPORTS / "Spotify Extended Streaming History"
        acc_dir = self.out / EXPORTS / "Spotify Account Data"
        ext_dir.mkdir(parents=True)
        acc_dir.mkdir(parents=True)
        (acc_dir / "Userdata.json").write_text(
            json.dumps({"username": "benchuser", "country": "DE", "birthdate": "1990-01-01"})
        )
        ext = _SplitJsonWriter(ext_dir, self._ext_name, byte_limit=SPOTIFY_FILE_BYTES)
        music = _SplitJsonWriter(
            acc_dir, lambda i, *_: f"StreamingHistory_music_{i}.json", row_limit=ACCOUNT_FILE_ROWS
        )
        podcast = _SplitJsonWriter(
            acc_dir, lambda i, *_: f"StreamingHistory_podcast_{i}.json", row_limit=ACCOUNT_FILE_ROWS
        )
        platforms = ["android", "ios", "windows", "osx", "web_player", "android_tv"]
        countries = ["DE"] * 8 + ["NL", "FR", "ES", "GB", "PT", "IT"]
        reasons = ["trackdone"] * 6 + ["fwdbtn", "clickrow", "backbtn", "playbtn", "remote"]
        account_since = ACCOUNT_SINCE.timestamp()
        minute = -1
        minute_keys: set[tuple[str, str, int]] = set()
        expected = dupes = dropped = offline_rows = 0
        row_index = 0
        last_t = -1e18
        for start, k in _sessions(rng, n, 14):
            t = max(start, last_t + 1)
            offline = rng.random() < 0.05
            platform = rng.choice(platforms)
            shuffle = rng.random() < 0.4
            batch: list[tuple[float, dict[str, Any], tuple[str, str, str] | None, str]] = []
            for _ in range(k):
                row, ident, content = self._play(rng, cat, platform, shuffle, countries, reasons)
                t += row["ms_played"] / 1000 + rng.uniform(0.2, 3.0)
                batch.append((t, row, ident, content))
            last_t = t
            sync_epoch = wall(t)
            for play_awake, row, ident, content in batch:
                end = wall(play_awake)
                if offline:  # synced later: every row carries the sync time as ts
                    offline_rows += 1
                    row["offline"] = True
                    start_s = end - row["ms_played"] / 1000
                    row["offline_timestamp"] = int(
                        start_s * 1000 if platform in ("ios", "osx") else start_s
                    )
                    end = sync_epoch
                else:
                    row["offline_timestamp"] = int(end - row["ms_played"] / 1000)
                end_i = int(end)
                row["ts"] = datetime.fromtimestamp(end_i, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
                ext.write(_spotify_row(row), end_i)
                row_index += 1
                this_minute = end_i // 60
                if this_minute != minute:
                    minute, minute_keys = this_minute, set()
                if ident is None:
                    dropped += 1
                else:
                    key = (ident[0], ident[1], this_minute)
                    if key in minute_keys:
                        dupes += 1
                    else:
                        minute_keys.add(key)
                        expected += 1
                        self.titles.add(row_title(row))
                if end_i < account_since or content == "audiobook":
                    continue
                end_time = datetime.fromtimestamp(end_i, UTC).strftime("%Y-%m-%d %H:%M")
                ms = row["ms_played"]
                if content == "podcast":
                    acc = {
                        "endTime": end_time,
                        "podcastName": row["episode_show_name"],
                        "episodeName": row["episode_name"],
                        "msPlayed": ms,
                    }
                    podcast.write(_account_row(acc), end_i)
                    continue  # same identity as the extended row
                if ident is None:
                    acc = {
                        "endTime": end_time,
                        "artistName": "Unknown Artist",
                        "trackName": "Unknown Track",
                        "msPlayed": ms,
                    }
                    music.write(_account_row(acc), end_i)
                    continue
                track_artist = ident[2]
                acc = {
                    "endTime": end_time,
                    "artistName": track_artist,
                    "trackName": row["master_metadata_track_name"],
                    "msPlayed": ms,
                }
                music.write(_account_row(acc), end_i)
                # The account export names the track artist, the extended history the
                # album artist: compilation plays do not collapse.
                key = (norm(track_artist), ident[1], this_minute)
                if key not in minute_keys:
                    minute_keys.add(key)
                    expected += 1
        for writer in (ext, music, podcast):
            writer.close()
            for name, rows, nbytes in writer.files:
                rel = writer.directory.relative_to(self.out / EXPORTS) / name
                self._file(rel.as_posix(), rows, nbytes)
        self.stats.expected["spotify"] += expected
        self.stats.rows |= {
            "spotify_extended_rows": row_index,
            "spotify_rows_without_metadata": dropped,
            "spotify_same_minute_repeats": dupes,
            "spotify_offline_rows": offline_rows,
            "spotify_account_music_rows": music.total_rows,
            "spotify_account_podcast_rows": podcast.total_rows,
        }

    @staticmethod
    def _ext_name(index: int, first: int, last: int) -> str:
        """``Streaming_History_Audio_<years>_<index>.json``."""
        y0 = datetime.fromtimestamp(first, UTC).year
        y1 = datetime.fromtimestamp(last, UTC).year
        years = str(y0) if y0 == y1 else f"{y0}-{y1}"
        return f"Streaming_History_Audio_{years}_{index}.json"

    def _play(
        self,
        rng: random.Random,
        cat: dict[str, Any],
        platform: str,
        shuffle: bool,
        countries: list[str],
        reasons: list[str],
    ) -> tuple[dict[str, Any], tuple[str, str, str] | None, str]:
        """One extended-history row (without ``ts``), its identity ``(norm creator, norm
        title, track artist)`` (None when the row has no metadata) and its content."""
        row: dict[str, Any] = {
            "ts": "",
            "platform": platform,
            "ms_played": 0,
            "conn_country": rng.choice(countries),
            "ip_addr": f"84.{rng.randrange(256)}.{rng.randrange(256)}.{rng.randrange(1, 255)}",
            "master_metadata_track_name": None,
            "master_metadata_album_artist_name": None,
            "master_metadata_album_album_name": None,
            "spotify_track_uri": None,
            "episode_name": None,
            "episode_show_name": None,
            "spotify_episode_uri": None,
            "audiobook_title": None,
            "audiobook_uri": None,
            "audiobook_chapter_uri": None,
            "audiobook_chapter_title": None,
            "reason_start": rng.choice(reasons),
            "reason_end": "trackdone",
            "shuffle": shuffle,
            "skipped": False,
            "offline": False,
            "offline_timestamp": None,
            "incognito_mode": rng.random() < 0.01,
        }
        r = rng.random()
        ident: tuple[str, str, str] | None
        if r < 0.88:
            title, artist, album, album_artist, uri, duration = cat["tracks"][
                cat["track_zipf"].pick(rng)
            ]
            row["master_metadata_track_name"] = title
            row["master_metadata_album_artist_name"] = album_artist
            row["master_metadata_album_album_name"] = album
            row["spotify_track_uri"] = uri
            content = "music"
            ident = (norm(album_artist), norm(title), artist)
        elif r < 0.985:
            show = cat["shows"][cat["show_zipf"].pick(rng)]
            number = rng.randint(1, 400)
            episode = f"#{number} {_title_case(_phrase(self.vocab, rng, 2, 6))}"
            row["episode_name"] = episode
            row["episode_show_name"] = show
            row["spotify_episode_uri"] = "spotify:episode:" + _token(rng, 22, _B62)
            duration = int(rng.uniform(15, 90) * 60_000)
            content = "podcast"
            ident = (norm(show), norm(episode), show)
        elif r < 0.995:
            book = rng.choice(cat["books"])
            chapter = f"Chapter {rng.randint(1, 40)}"
            row["audiobook_title"] = book
            row["audiobook_uri"] = "spotify:audiobook:" + _token(rng, 22, _B62)
            row["audiobook_chapter_uri"] = "spotify:chapter:" + _token(rng, 22, _B62)
            row["audiobook_chapter_title"] = chapter
            duration = int(rng.uniform(10, 40) * 60_000)
            content = "audiobook"
            ident = (norm(book), norm(chapter), book)
        else:  # a local file or removed content: no metadata at all
            duration = int(rng.lognormvariate(12.2, 0.25))
            content = "music"
            ident = None
        p = rng.random()
        if p < 0.2:
            row["ms_played"] = rng.randint(0, 29_999)
            row["skipped"] = True
            row["reason_end"] = rng.choice(("fwdbtn", "backbtn", "endplay"))
        elif p < 0.3:
            row["ms_played"] = rng.randint(30_000, max(30_001, duration))
            row["reason_end"] = rng.choice(("endplay", "logout", "unexpected-exit"))
        else:
            row["ms_played"] = duration
        return row, ident, content

    # -- Netflix --------------------------------------------------------------------------

    def _netflix(self) -> None:
        """``ViewingActivity.csv`` for three profiles (newest first within each), then
        the later export in ``new-export/``."""
        rng = self.rng("netflix")
        n = self.count("netflix")
        vocab = self.vocab
        series = []
        for _ in range(max(10, min(250, n // 40))):
            show = _title_case(_phrase(vocab, rng, 1, 3))
            marker = rng.choice(("Season", "Season", "Season", "Part", "Limited Series"))
            seasons = []
            for s in range(1, rng.randint(2, 6)):
                label = "Limited Series" if marker == "Limited Series" else f"{marker} {s}"
                eps = [_title_case(_phrase(vocab, rng, 1, 4)) for _ in range(rng.randint(6, 12))]
                seasons.append((label, eps))
                if marker == "Limited Series":
                    break
            series.append((show, seasons))
        films = [
            _title_case(_phrase(vocab, rng, 1, 4))
            + rng.choice(("", "", "", ": Part Two", " 2", ": The Return"))
            for _ in range(max(10, min(400, n // 20)))
        ]
        profiles = [("Alex", 0.7), ("Zoë", 0.2), ("Kids", 0.1)]
        devices = [
            "Samsung 2019 UHD TV (Tizen)",
            "Chrome PC (Cadmium)",
            "Apple iPhone 12",
            "Netflix Windows App - Cadmium Windows Mobile",
            "Sony PS4",
        ]
        show_zipf = Zipf(len(series), s=1.0, q=2.0)
        film_zipf = Zipf(len(films), s=0.8, q=5.0)
        report = self.out / EXPORTS / "netflix-report"
        (report / "CONTENT_INTERACTION").mkdir(parents=True)
        (report / "PROFILES").mkdir(parents=True)
        (report / "PROFILES" / "Profiles.csv").write_text(
            "Profile Name,Email Address,Profile Creation Time,Maturity Level\n"
            + "".join(f"{p},,2016-01-01 00:00:00,ADULT\n" for p, _ in profiles),
            encoding="utf-8",
        )
        path = report / "CONTENT_INTERACTION" / "ViewingActivity.csv"
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

        def view(profile: str, epoch: float, kids: bool) -> tuple[list[str], bool]:
            """One viewing row and whether it is a supplemental video."""
            if rng.random() < 0.6 or kids:
                show, seasons = series[show_zipf.pick(rng)]
                label, eps = rng.choice(seasons)
                title = f"{show}: {label}: {rng.choice(eps)}"
                runtime = rng.randint(22 * 60, 60 * 60)
            else:
                title = films[film_zipf.pick(rng)]
                runtime = rng.randint(85 * 60, 150 * 60)
            supplemental = ""
            if rng.random() < 0.04:
                supplemental = rng.choice(("TRAILER", "HOOK", "TEASER_TRAILER", "RECAP"))
                title = f"{title.split(':')[0]}: Season 1_hook_primary_16x9"
                runtime = 60
            watched = runtime if rng.random() < 0.7 else rng.randint(60, runtime)
            bookmark = watched if rng.random() < 0.8 else runtime
            attributes = "Autoplayed: user action: None; " if rng.random() < 0.15 else ""
            row = [
                profile,
                datetime.fromtimestamp(int(epoch), UTC).strftime("%Y-%m-%d %H:%M:%S"),
                _hms(watched),
                attributes,
                title,
                supplemental,
                rng.choice(devices),
                _hms(bookmark),
                _hms(bookmark) if rng.random() < 0.7 else "Not latest view",
                "DE (Germany)",
            ]
            return row, bool(supplemental)

        recent: deque[list[str]] = deque(maxlen=max(5, min(100, n // 20)))
        rows = supplemental_rows = 0
        with open(path, "w", encoding="utf-8-sig", newline="") as fh:
            writer = csv.writer(fh, lineterminator="\n")
            writer.writerow(header)
            remaining = n
            for index, (profile, share) in enumerate(profiles):
                count = remaining if index == len(profiles) - 1 else round(n * share)
                remaining -= count
                times = _event_times(rng, count, 2.5, lambda r: r.uniform(1800, 3600), 60.0)
                block = []
                for a in times:
                    row, supplemental = view(profile, wall(a), profile == "Kids")
                    block.append(row)
                    if supplemental:
                        supplemental_rows += 1
                    else:
                        self.stats.expected["netflix"] += 1
                        self.titles.add(row[4])
                        if index == 0:
                            recent.append(row)
                block.reverse()  # newest first within each profile
                writer.writerows(block)
                rows += len(block)
        self._file(path.relative_to(self.out / EXPORTS).as_posix(), rows, path.stat().st_size)
        self.stats.rows["netflix_rows"] = rows
        self.stats.rows["netflix_supplemental_rows"] = supplemental_rows
        self._new_netflix_export(header, list(recent), view)

    def _new_netflix_export(
        self,
        header: list[str],
        recent: list[list[str]],
        view: Callable[[str, float, bool], tuple[list[str], bool]],
    ) -> None:
        """A later export of the first profile: its most recent views again (they collapse)
        plus a few new ones."""
        rng = self.rng("netflix.new")
        new_rows: list[list[str]] = []
        epoch = NEW_EXPORT_START.timestamp() + 20 * 3600
        for _ in range(max(5, len(recent) // 2)):
            row, supplemental = view("Alex", epoch, False)
            epoch += rng.uniform(2, 30) * 3600
            if not supplemental:
                self.stats.new_export_records += 1
            new_rows.append(row)
        folder = self.out / NEW_EXPORT / "netflix-report-2026-02" / "CONTENT_INTERACTION"
        folder.mkdir(parents=True)
        with open(folder / "ViewingActivity.csv", "w", encoding="utf-8-sig", newline="") as fh:
            writer = csv.writer(fh, lineterminator="\n")
            writer.writerow(header)
            writer.writerows(reversed(new_rows))
            writer.writerows(reversed(recent))
        self.stats.new_export_overlap = len(recent)

    # -- query terms ----------------------------------------------------------------------

    def _query_terms(self) -> dict[str, list[str]]:
        """Words and phrases that occur in the corpus, by frequency band, for the query
        mix: common, rare (2-5 titles when possible), mid, phrases and word pairs."""
        counts = self.titles.counts
        function = set(words.FUNCTION_WORDS)
        ranked = [(w, c) for w, c in counts.most_common() if w not in function and len(w) >= 3]
        common = [w for w, _ in ranked[5:45]]
        rare = [w for w, c in ranked if 2 <= c <= 5 and not w.isdigit()]
        if len(rare) < 20:
            rare += [w for w, c in ranked if c == 1 and not w.isdigit()]
        rng = random.Random(self.seed + 7)
        rare = sorted(rare)
        rng.shuffle(rare)
        mid_band = ranked[len(ranked) // 20 : len(ranked) // 5] or ranked
        mid = [w for w, _ in mid_band if len(w) >= 5 and not w.isdigit()]
        rng.shuffle(mid)
        phrases: list[str] = []
        pairs: list[str] = []
        for title in self.titles.sample:
            ws = [w for w in re.findall(r"\w+", title.lower()) if not w.isdigit()]
            if len(ws) >= 3:
                i = rng.randrange(len(ws) - 1)
                phrases.append(" ".join(ws[i : i + 2]))
                content = [w for w in ws if w not in function and len(w) >= 3]
                if len(content) >= 2:
                    a, b = rng.sample(content, 2)
                    pairs.append(f"{a} {b}")
        return {
            "common": common,
            "rare": rare[:60],
            "mid": mid[:60],
            "phrases": phrases[:80],
            "pairs": pairs[:80],
        }


def row_title(row: dict[str, Any]) -> str:
    """The record title an extended-history row becomes."""
    return str(
        row["master_metadata_track_name"]
        or row["episode_name"]
        or row["audiobook_chapter_title"]
        or row["audiobook_title"]
    )


def _spotify_row(row: dict[str, Any]) -> str:
    return json.dumps(row, ensure_ascii=False, separators=(",", ":"))


def _account_row(row: dict[str, Any]) -> str:
    """An account-data row, pretty-printed the way that export is (``"key" : value``)."""
    body = ",\n".join(f'    "{k}" : {json.dumps(v, ensure_ascii=False)}' for k, v in row.items())
    return "  {\n" + body + "\n  }"


def _hms(seconds: int) -> str:
    h, rest = divmod(int(seconds), 3600)
    m, s = divmod(rest, 60)
    return f"{h:02d}:{m:02d}:{s:02d}"


class _SplitJsonWriter:
    """JSON arrays split over numbered files, one compact object per line (Spotify's
    layout); a file closes after ``byte_limit`` bytes or ``row_limit`` rows. Files are
    named when they close (the name holds the years they cover)."""

    def __init__(
        self,
        directory: Path,
        namer: Callable[[int, int, int], str],
        *,
        byte_limit: int | None = None,
        row_limit: int | None = None,
    ) -> None:
        self.directory = directory
        self.namer = namer
        self._part = directory / f".part-{namer(0, 0, 0)}"
        self.byte_limit = byte_limit
        self.row_limit = row_limit
        self.files: list[tuple[str, int, int]] = []
        self.total_rows = 0
        self._fh: io.BufferedWriter | None = None
        self._rows = 0
        self._bytes = 0
        self._first = 0
        self._last = 0

    def write(self, text: str, epoch: int) -> None:
        """Append one serialised object played (or ended) at ``epoch``."""
        if self._fh is None:
            self._fh = open(self._part, "wb")
            self._fh.write(b"[\n")
            self._rows = self._bytes = 0
            self._first = epoch
        data = ((",\n" if self._rows else "") + text).encode("utf-8")
        self._fh.write(data)
        self._rows += 1
        self._bytes += len(data)
        self._last = epoch
        self.total_rows += 1
        full = (self.byte_limit and self._bytes >= self.byte_limit) or (
            self.row_limit and self._rows >= self.row_limit
        )
        if full:
            self._finish()

    def _finish(self) -> None:
        if self._fh is None:
            return
        self._fh.write(b"\n]\n")
        self._fh.close()
        self._fh = None
        name = self.namer(len(self.files), self._first, self._last)
        target = self.directory / name
        os.replace(self._part, target)
        self.files.append((name, self._rows, target.stat().st_size))

    def close(self) -> None:
        """Finish the open file, if any."""
        self._finish()


# -- entry points ------------------------------------------------------------------------


def corpus_dir(size: str) -> Path:
    """Default corpus folder for a size."""
    return CORPUS_ROOT / size


def read_manifest(out: Path) -> dict[str, Any] | None:
    """The manifest of a generated corpus, or None."""
    try:
        return dict(json.loads((out / MANIFEST).read_text(encoding="utf-8")))
    except (OSError, ValueError):
        return None


def ensure_corpus(
    size: str, seed: int = DEFAULT_SEED, out: Path | None = None, *, force: bool = False
) -> tuple[dict[str, Any], bool]:
    """Generate the corpus unless the manifest says it is already there; returns the
    manifest and whether it was generated now."""
    if size not in SIZES:
        raise ValueError(f"unknown size {size!r}; sizes: {', '.join(SIZES)}")
    out = out or corpus_dir(size)
    manifest = read_manifest(out)
    same = manifest is not None and (
        manifest.get("size"),
        manifest.get("seed"),
        manifest.get("generator_version"),
    ) == (size, seed, GENERATOR_VERSION)
    if manifest is not None and same and not force and (out / EXPORTS).is_dir():
        return manifest, False
    out.mkdir(parents=True, exist_ok=True)
    (out / MANIFEST).unlink(missing_ok=True)  # a half-written corpus has no manifest
    manifest = Generator(out, size, seed).run()
    tmp = out / (MANIFEST + ".tmp")
    tmp.write_text(json.dumps(manifest, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    os.replace(tmp, out / MANIFEST)
    return manifest, True


def main(argv: list[str] | None = None) -> int:
    """``python -m bench.generate --size small [--seed N] [--out DIR] [--force]``."""
    parser = argparse.ArgumentParser(prog="python -m bench.generate", description=__doc__)
    parser.add_argument("--size", choices=list(SIZES), default="small")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument("--out", type=Path, default=None, help="default bench/corpus/<size>")
    parser.add_argument("--force", action="store_true", help="regenerate even if present")
    args = parser.parse_args(argv)
    out = args.out or corpus_dir(args.size)
    manifest, generated = ensure_corpus(args.size, args.seed, out, force=args.force)
    state = f"generated in {manifest['seconds']} s" if generated else "already there"
    print(f"corpus {args.size} (seed {args.seed}) {state}: {out}", file=sys.stderr)
    print(json.dumps(manifest["expected_records"], indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""Google My Activity, every product, from Google Takeout (JSON and legacy HTML).

Files
-----
``My Activity/<Product>/MyActivity.json`` (older ``My Activity.json``), translated in other
languages (``Meine Aktivitäten/<Produkt>/Meine Aktivitäten.json``, ``Mijn activiteit/…``).
The JSON is a top-level array of ``{header, title, titleUrl?, time, products, subtitles?,
details?, locationInfos?, description?, activityControls?}``; JSON keys are never
translated, so a file with that shape is recognised whatever its name.

The legacy HTML variant (``MyActivity.html``, split ``MyActivity-N.html``, and YouTube's
``history/watch-history.html`` / ``search-history.html``, translated names included) is a
flat list of ``div.outer-cell`` blocks. It is streamed with :class:`html.parser.HTMLParser`
fed in 64 KB chunks (files reach hundreds of MB), each block turned into the JSON shape
above. Its timestamp line (``Jan 31, 2018, 10:54:50 PM`` + optional zone) is found by
pattern, not position. Only English HTML is read: other languages translate month names
and the order of date parts, and fail with "non-English HTML activity; export as JSON".

HTML time zones: no zone (about 2017 and earlier) is UTC. An abbreviation is read as its
fixed offset: after 2020 Google renders every event with the offset of the *export* time
and labels it with that offset's abbreviation (``Jan 15, 2021, 6:54:12 PM BST``), so the
fixed offset of the label gives the right UTC instant. Ambiguous labels (``IST``, ``CST``,
``AST``) use their most common meaning with ``tz_known=False``; unknown labels are read
as UTC wall-clock with ``tz_known=False``. The raw time text is kept in
``extra.time_raw``.

Records
-------
Source ``google.<product>`` from ``header`` (else ``products[0]``, else the folder name).
Rule (:func:`product_slug`): fold to lower-case ASCII letters and digits, drop a leading
``google``, then apply :data:`PRODUCT_ALIASES`; anything starting with ``youtube`` is
``youtube``; nothing left -> ``other``. Examples:

* Search, Suche -> ``google.search``
* YouTube, YouTube Music, YouTube Kids -> ``google.youtube``
* Maps -> ``google.maps``; Chrome -> ``google.chrome``; Discover -> ``google.discover``
* Google Play Store, Play Store -> ``google.play``
* Books, Google Play Books -> ``google.books``
* Assistant, Gemini Apps -> ``google.assistant``
* News, Google News -> ``google.news``; Shopping, Google Shopping -> ``google.shopping``
* Image Search -> ``google.imagesearch``; Video Search -> ``google.videosearch``
* Google Lens -> ``google.lens``; Google Translate, Google Übersetzer -> ``google.translate``
* Gmail, Takeout, Ads, Android, Drive, Help -> ``google.gmail``, ``google.takeout``, …
* Google Play Movies & TV -> ``google.playmoviestv``

YouTube entries (header ``YouTube…``) are handed to :mod:`connectors.google.youtube`
(its entry converter), so a watch or search seen both in ``My Activity/YouTube`` and in
``YouTube and YouTube Music/history`` is the same record (source ``google.youtube``, key
``<video id>|<time>`` / ``search|<q>|<time>``).
For the other products:

* "Searched for X" -> ``search`` (title X); with a translated verb, the query comes from
  the ``q=`` of a Google search URL;
* "Visited X" -> ``visit``, url unwrapped from ``https://www.google.com/url?q=<target>``
  redirects (also how translated visits are told apart), creator = host;
* "Watched X" -> ``watch``, creator = first subtitle;
* anything else -> ``activity`` (title kept as written).

Every record carries ``extra.product`` (the header) and the product tag; ads
(``details`` "From Google Ads") are tagged ``ad``; ``locationInfos``, subtitles, details
and activity controls are kept in ``extra``.

Native key (non-YouTube): ``search|<query>|<t>``, ``visit|<url>|<t>``,
``watch|<url or title>|<t>``, ``activity|<title>|<url>|<t>`` where ``<t>`` is the UTC time
truncated to the second: the same event in a JSON export (ms or µs precision, which
changed over the years) and an HTML export (seconds) collapses. Limits: two identical
searches within one second collapse; an HTML event whose zone label was wrong does not
collapse with its JSON twin. YouTube keys are :mod:`connectors.google.youtube`'s, which
also use the UTC second, so a YouTube event from HTML collapses with the same event from
JSON.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from html.parser import HTMLParser
from typing import Any
from urllib.parse import parse_qs, urlsplit

from connectors.base import ExportFile, ParseError, ParseIssue, Record
from connectors.google import youtube
from connectors.timeutil import utc_key_time
from connectors.util import iter_json_items, peek_json_items

NAME = "google.my_activity"

#: Names of the My Activity folder / file in the languages seen, folded with :func:`fold`.
MY_ACTIVITY_NAMES: frozenset[str] = frozenset(
    {
        "myactivity",  # English
        "meineaktivitaten",  # German
        "mijnactiviteit",  # Dutch
        "mesactivites",  # French [unverified]
        "miactividad",  # Spanish [unverified]
        "lemieattivita",  # Italian [unverified]
        "minhaatividade",  # Portuguese [unverified]
    }
)

#: Product names (folded with :func:`fold`, with and without a leading "google") whose
#: source is not simply the folded name. German names are best-effort [unverified].
PRODUCT_ALIASES: dict[str, str] = {
    "suche": "search",
    "websuche": "search",
    "youtubemusic": "youtube",
    "youtubekids": "youtube",
    "playstore": "play",
    "playapps": "play",
    "playbooks": "books",
    "playbucher": "books",
    "geminiapps": "assistant",
    "gemini": "assistant",
    "bard": "assistant",
    "bildersuche": "imagesearch",
    "videosuche": "videosearch",
    "ubersetzer": "translate",
    "hilfe": "help",
}

_SEARCHED = "Searched for "
_VISITED = "Visited "
_WATCHED = "Watched "
#: English verbs that start titles: their presence tells an English export.
_ENGLISH_VERBS = (
    _SEARCHED,
    _VISITED,
    _WATCHED,
    "Viewed ",
    "Used ",
    "Liked ",
    "Subscribed to ",
    "Shared ",
    "Answered ",
    "Installed ",
    "Opened ",
    "Listened to ",
    "Played ",
    "Read ",
    "Said ",
    "Saved ",
    "Dismissed ",
)

_FOLD_RE = re.compile(r"[^a-z0-9]")
_SPACES_RE = re.compile(r"\s+")
#: Space-like characters of the HTML export (NBSP, em space, narrow NBSP, thin space).
_SPACE_CHARS = dict.fromkeys(map(ord, "\u00a0\u2003\u202f\u2009\u2002"), " ")


def fold(text: str) -> str:
    """Lower-case ASCII letters and digits only (``Meine Aktivitäten`` ->
    ``meineaktivitaten``), for comparing localised names."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return _FOLD_RE.sub("", ascii_text.casefold())


def product_slug(product: str) -> str:
    """The source suffix of a product name: folded (lower-case, letters and digits only),
    a leading ``google`` dropped (``Google Lens`` -> ``lens``), then :data:`PRODUCT_ALIASES`
    (``Gemini Apps`` -> ``assistant``). ``other`` when nothing is left."""
    slug = fold(product)
    if slug in PRODUCT_ALIASES:
        return PRODUCT_ALIASES[slug]
    if slug.startswith("google") and len(slug) > len("google"):
        slug = slug.removeprefix("google")
    if slug.startswith("youtube"):
        return "youtube"
    return PRODUCT_ALIASES.get(slug, slug) or "other"


def source_for(product: str) -> str:
    """Record source of a product: ``google.<slug>``."""
    return f"google.{product_slug(product)}"


# --------------------------------------------------------------------------- paths


def _stem(name: str) -> str:
    dot = name.rfind(".")
    return name[:dot] if dot > 0 else name


def _activity_folder(file: ExportFile) -> tuple[bool, str | None]:
    """``(in_layout, product_folder)`` for the My Activity layout in any language: a
    folder or file named "My Activity" (or a translation), or the translated
    ``<X>/<Product>/<X>.<ext>`` layout (folder and file share the translated name)."""
    parts = file.relpath.split("/")
    for i, part in enumerate(parts[:-1]):
        if fold(part) in MY_ACTIVITY_NAMES:
            return True, parts[i + 1] if i + 2 < len(parts) else None
    stem = fold(_stem(parts[-1]))
    if re.sub(r"\d+$", "", stem) in MY_ACTIVITY_NAMES:
        return True, parts[-2] if len(parts) >= 2 else None
    if len(parts) >= 3 and stem and stem == fold(parts[-3]):
        return True, parts[-2]
    return False, None


def _is_activity_file_name(name: str) -> bool:
    """``MyActivity.json``, ``My Activity.html``, ``MyActivity-3.html`` and translations."""
    return re.sub(r"\d+$", "", fold(_stem(name))) in MY_ACTIVITY_NAMES


def _is_youtube_history_html(file: ExportFile) -> bool:
    """A (translated) ``watch-history.html`` / ``search-history.html`` below a YouTube
    folder and outside My Activity."""
    if file.suffix != ".html" or _stem(file.name).casefold() not in youtube.HISTORY_STEMS:
        return False
    folders = file.relpath.split("/")[:-1]
    return any(part.casefold().startswith("youtube") for part in folders)


def _has_my_activity_folder(file: ExportFile) -> bool:
    return any(fold(part) in MY_ACTIVITY_NAMES for part in file.relpath.split("/")[:-1])


# --------------------------------------------------------------------------- helpers


def _clean(text: str) -> str:
    """HTML text with its special spaces folded and runs of space collapsed."""
    return _SPACES_RE.sub(" ", text.translate(_SPACE_CHARS)).strip()


def _is_google_host(host: str) -> bool:
    host = host.removeprefix("www.")
    return host == "google.com" or host.startswith("google.")


def unwrap_redirect(url: str | None) -> str | None:
    """The target of a ``https://www.google.com/url?q=<target>&usg=…`` redirect (also
    ``?url=``), else ``url`` unchanged."""
    if not url:
        return None
    try:
        parts = urlsplit(url)
    except ValueError:
        return url
    if parts.path == "/url" and _is_google_host(parts.hostname or ""):
        params = parse_qs(parts.query)
        for name in ("q", "url"):
            values = params.get(name)
            if values and values[0].startswith(("http://", "https://")):
                return values[0]
    return url


def _is_redirect(url: str | None) -> bool:
    return bool(url) and unwrap_redirect(url) != url


def _search_query_from_url(url: str | None) -> str | None:
    """``q`` of a Google search URL (``https://www.google.de/search?q=…``)."""
    if not url:
        return None
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    if not _is_google_host(parts.hostname or "") or not parts.path.endswith("/search"):
        return None
    values = parse_qs(parts.query).get("q")
    return values[0].strip() if values and values[0].strip() else None


def _host(url: str | None) -> str | None:
    if not url:
        return None
    try:
        host = urlsplit(url).hostname
    except ValueError:
        return None
    return host.removeprefix("www.") if host else None


def _names(items: Any) -> list[str]:
    """``name`` of each ``{name: …}`` object (``details``), skipping nameless ones."""
    if not isinstance(items, list):
        return []
    return [i["name"] for i in items if isinstance(i, dict) and isinstance(i.get("name"), str)]


def _subtitles(items: Any) -> list[dict[str, str]]:
    """Subtitles with a name, as ``{name, url?}``."""
    out: list[dict[str, str]] = []
    if isinstance(items, list):
        for sub in items:
            if isinstance(sub, dict) and isinstance(sub.get("name"), str) and sub["name"]:
                item = {"name": sub["name"]}
                if isinstance(sub.get("url"), str) and sub["url"]:
                    item["url"] = sub["url"]
                out.append(item)
    return out


def _key_time(timestamp: datetime) -> str:
    """UTC time truncated to the second, for native keys."""
    return utc_key_time(timestamp)


def _looks_english(entries: list[Any]) -> bool:
    titles = [e.get("title") for e in entries if isinstance(e, dict)]
    return any(isinstance(t, str) and t.startswith(_ENGLISH_VERBS) for t in titles)


@dataclass(slots=True)
class _Context:
    """What a file says about all its entries."""

    folder_product: str | None
    english: bool


# --------------------------------------------------------------------------- records


def _product_of(entry: dict[str, Any], ctx: _Context) -> str | None:
    header = entry.get("header")
    if isinstance(header, str) and header.strip():
        return header.strip()
    products = entry.get("products")
    if isinstance(products, list) and products and isinstance(products[0], str):
        return products[0]
    return ctx.folder_product


def _youtube_mode(entry: dict[str, Any]) -> str:
    """Which YouTube history file the entry belongs to, from its activity controls
    ("YouTube search history" / "YouTube watch history")."""
    controls = entry.get("activityControls")
    text = " ".join(c for c in controls if isinstance(c, str)) if isinstance(controls, list) else ""
    return "search" if re.search(r"search|such|zoek|búsqueda", text, re.I) else "watch"


def entry_to_record(
    entry: Any,
    index: int,
    ctx: _Context,
    *,
    tz_known: bool = True,
    time_raw: str | None = None,
) -> Record | ParseIssue:
    """One My Activity entry (JSON shape) -> a record, or an issue saying what is wrong."""
    if not isinstance(entry, dict):
        return ParseIssue(f"activity entry is not an object: {entry!r:.80}", str(index))
    product = _product_of(entry, ctx)
    if product is not None and product_slug(product) == "youtube":
        record = youtube.entry_to_record(entry, index, _youtube_mode(entry), ctx.english)
        if isinstance(record, Record):
            record.tz_known = tz_known
            if time_raw:
                record.extra["time_raw"] = time_raw
        return record
    return _activity_record(entry, index, product or "activity", tz_known, time_raw)


def _classify(title: str, url: str | None) -> tuple[str, str]:
    """``(kind, shown title)`` from the English verb, else from the URL."""
    for verb, kind in ((_SEARCHED, "search"), (_VISITED, "visit"), (_WATCHED, "watch")):
        if title.startswith(verb):
            rest = title.removeprefix(verb).strip()
            if kind == "search" and not rest:
                rest = _search_query_from_url(url) or title
            return kind, rest or title
    if _is_redirect(url):
        return "visit", title
    query = _search_query_from_url(url)
    if query:
        return "search", query
    return "activity", title


def _activity_record(
    entry: dict[str, Any], index: int, product: str, tz_known: bool, time_raw: str | None
) -> Record | ParseIssue:
    checked = youtube.title_and_time(entry, index, "activity")
    if isinstance(checked, ParseIssue):
        return checked
    title, timestamp = checked
    title_url = entry.get("titleUrl")
    raw_url = title_url.strip() if isinstance(title_url, str) and title_url.strip() else None
    kind, shown = _classify(title, raw_url)
    url = unwrap_redirect(raw_url)
    subtitles = _subtitles(entry.get("subtitles"))
    details = _names(entry.get("details"))
    ad = any("google ads" in d.casefold() for d in details)
    slug = product_slug(product)
    when = _key_time(timestamp)
    if kind == "search":
        key = f"search|{shown}|{when}"
    elif kind == "visit":
        key = f"visit|{url or shown}|{when}"
    elif kind == "watch":
        key = f"watch|{url or shown}|{when}"
    else:
        key = f"activity|{title}|{url or ''}|{when}"
    creator = None
    if kind == "visit":
        creator = _host(url)
    elif kind == "watch" and subtitles:
        creator = subtitles[0]["name"]
    description = entry.get("description")
    controls = entry.get("activityControls")
    locations = entry.get("locationInfos")
    extra: dict[str, Any] = {
        "product": product,
        "products": entry.get("products") if isinstance(entry.get("products"), list) else None,
        "title_url": raw_url if raw_url != url else None,
        "subtitles": subtitles,
        "details": details,
        "location_infos": locations if isinstance(locations, list) else None,
        "activity_controls": controls if isinstance(controls, list) else None,
        "image_file": entry.get("imageFile"),
        "attached_files": entry.get("attachedFiles"),
        "ad": True if ad else None,
        "time_raw": time_raw,
    }
    return Record.create(
        f"google.{slug}",
        kind,
        key,
        timestamp=timestamp,
        tz_known=tz_known,
        title=shown,
        text=description if isinstance(description, str) else None,
        url=url,
        creator=creator,
        tags=[slug, "ad"] if ad else [slug],
        extra=extra,
        position=index,
    )


# --------------------------------------------------------------------------- HTML time

_MONTHS: dict[str, int] = {
    name: number
    for number, names in enumerate(
        [
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ],
        start=1,
    )
    for name in names
}

_CLOCK = r"(?P<h>\d{1,2}):(?P<mi>\d{2}):(?P<s>\d{2})(?: ?(?P<ampm>[AaPp]\.? ?[Mm]\.?))?"
_ZONE = r"(?: (?P<zone>[A-Za-z][A-Za-z0-9+\-:]{0,12}))?"
#: ``Jan 31, 2018, 10:54:50 PM [ZONE]`` (US English) and ``31 Jan 2018, 22:54:50 [ZONE]``
#: (UK English), after :func:`_clean`.
_HTML_TIME_RES = (
    re.compile(
        rf"^(?P<mon>[A-Za-z]{{3,9}})\.? (?P<day>\d{{1,2}}), (?P<year>\d{{4}}),? {_CLOCK}{_ZONE}$"
    ),
    re.compile(
        rf"^(?P<day>\d{{1,2}}) (?P<mon>[A-Za-z]{{3,9}})\.? (?P<year>\d{{4}}),? {_CLOCK}{_ZONE}$"
    ),
)
_TIME_LIKE_RE = re.compile(r"\d{1,2}:\d{2}(?::\d{2})?")
_OFFSET_ZONE_RE = re.compile(r"^(?:GMT|UTC)(?:(?P<sign>[+-])(?P<h>\d{1,2})(?::?(?P<m>\d{2}))?)?$")

#: Fixed UTC offsets (hours) of common zone abbreviations.
ZONE_OFFSETS: dict[str, float] = {
    "UTC": 0,
    "GMT": 0,
    "WET": 0,
    "WEST": 1,
    "BST": 1,
    "CET": 1,
    "CEST": 2,
    "MET": 1,
    "MEST": 2,
    "EET": 2,
    "EEST": 3,
    "MSK": 3,
    "SAST": 2,
    "PKT": 5,
    "WIB": 7,
    "ICT": 7,
    "SGT": 8,
    "HKT": 8,
    "PHT": 8,
    "AWST": 8,
    "JST": 9,
    "KST": 9,
    "ACST": 9.5,
    "ACDT": 10.5,
    "AEST": 10,
    "AEDT": 11,
    "NZST": 12,
    "NZDT": 13,
    "NST": -3.5,
    "NDT": -2.5,
    "ADT": -3,
    "EST": -5,
    "EDT": -4,
    "CDT": -5,
    "MST": -7,
    "MDT": -6,
    "PST": -8,
    "PDT": -7,
    "AKST": -9,
    "AKDT": -8,
    "HST": -10,
}
#: Abbreviations with several meanings: the most likely one, with ``tz_known=False``.
AMBIGUOUS_ZONES: dict[str, float] = {"IST": 5.5, "CST": -6, "AST": -4}


def parse_html_time(text: str) -> tuple[datetime, bool] | None:
    """An English HTML activity timestamp -> ``(utc, tz_known)``; None when ``text`` is
    not one. See the module docstring for how zone labels are read."""
    line = _clean(text)
    for pattern in _HTML_TIME_RES:
        match = pattern.match(line)
        if match:
            break
    else:
        return None
    month = _MONTHS.get(match["mon"].casefold())
    if month is None:
        return None
    hour = int(match["h"])
    ampm = (match["ampm"] or "").replace(".", "").replace(" ", "").upper()
    if ampm:
        if not 1 <= hour <= 12:
            return None
        hour = hour % 12 + (12 if ampm == "PM" else 0)
    try:
        wall = datetime(
            int(match["year"]), month, int(match["day"]), hour, int(match["mi"]), int(match["s"])
        )
    except ValueError:
        return None
    zone = match["zone"]
    offset, tz_known = 0.0, True
    if zone:
        upper = zone.upper()
        offset_match = _OFFSET_ZONE_RE.match(upper)
        if offset_match:
            if offset_match["sign"]:
                offset = int(offset_match["h"]) + int(offset_match["m"] or 0) / 60
                offset = -offset if offset_match["sign"] == "-" else offset
        elif upper in ZONE_OFFSETS:
            offset = ZONE_OFFSETS[upper]
        elif upper in AMBIGUOUS_ZONES:
            offset, tz_known = AMBIGUOUS_ZONES[upper], False
        else:
            tz_known = False
    utc = wall.replace(tzinfo=UTC) - timedelta(hours=offset)
    return utc, tz_known


# --------------------------------------------------------------------------- HTML cells

_ROLES = ("header", "body", "caption")


@dataclass(slots=True)
class _Cell:
    """The text lines of one ``div.outer-cell``: each line a list of ``(text, href,
    bold)`` pieces, split at ``<br>`` (and ``<p>`` in the body)."""

    header: list[str] = field(default_factory=list)
    body: list[list[tuple[str, str | None, bool]]] = field(default_factory=lambda: [[]])
    caption: list[list[tuple[str, str | None, bool]]] = field(default_factory=lambda: [[]])


class _CellParser(HTMLParser):
    """Collects ``div.outer-cell`` blocks as they stream by; robust to the stray
    ``</div>`` of real exports (a new ``outer-cell`` always starts a new block)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.done: list[_Cell] = []
        self.cell: _Cell | None = None
        self.roles: list[str] = []
        self.href: str | None = None
        self.bold = 0

    def _role(self) -> str:
        for role in reversed(self.roles):
            if role:
                return role
        return ""

    def _finish(self) -> None:
        if self.cell is not None:
            self.done.append(self.cell)
        self.cell = None
        self.roles = []
        self.href = None
        self.bold = 0

    def close(self) -> None:
        super().close()
        self._finish()

    def _newline(self) -> None:
        if self.cell is None:
            return
        role = self._role()
        if role == "body":
            self.cell.body.append([])
        elif role == "caption":
            self.cell.caption.append([])

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "div":
            classes = (dict(attrs).get("class") or "").split()
            if "outer-cell" in classes:
                self._finish()
                self.cell = _Cell()
                return
            if self.cell is None:
                return
            role = ""
            if "header-cell" in classes:
                role = "header"
            elif "content-cell" in classes:
                if "mdl-typography--caption" in classes:
                    role = "caption"
                elif "mdl-typography--text-right" in classes:
                    role = "right"
                else:
                    role = "body"
            self.roles.append(role)
            return
        if self.cell is None:
            return
        if tag == "br" or (tag == "p" and self._role() == "body"):
            self._newline()
        elif tag == "a":
            self.href = dict(attrs).get("href")
        elif tag == "b":
            self.bold += 1

    def handle_endtag(self, tag: str) -> None:
        if self.cell is None:
            return
        if tag == "div":
            if self.roles:
                self.roles.pop()
        elif tag == "a":
            self.href = None
        elif tag == "b":
            self.bold = max(0, self.bold - 1)
        elif tag == "p" and self._role() == "body":
            self._newline()

    def handle_data(self, data: str) -> None:
        if self.cell is None:
            return
        role = self._role()
        if role == "header":
            self.cell.header.append(data)
        elif role == "body":
            self.cell.body[-1].append((data, self.href, False))
        elif role == "caption":
            self.cell.caption[-1].append((data, self.href, self.bold > 0))


def _line_text(line: list[tuple[str, str | None, bool]]) -> str:
    return _clean("".join(text for text, _, _ in line))


def _line_href(line: list[tuple[str, str | None, bool]]) -> str | None:
    return next((href for _, href, _ in line if href), None)


_CONTROLS_RE = re.compile(r"settings were on:\s*(.+?)\.?\s*You can control", re.I)


def _caption_fields(cell: _Cell) -> dict[str, Any]:
    """Products, details, locations and activity controls from the caption cell."""
    sections: dict[str, list[list[tuple[str, str | None, bool]]]] = {}
    current: str | None = None
    for line in cell.caption:
        text = _line_text(line)
        if not text:
            continue
        bold = _clean("".join(t for t, _, b in line if b))
        if bold and bold == text:
            current = text.rstrip(":").strip().casefold()
            sections.setdefault(current, [])
        elif current is not None:
            sections[current].append(line)
    out: dict[str, Any] = {}
    products = [_line_text(line) for line in sections.get("products", [])]
    if products:
        out["products"] = products
    details = [{"name": _line_text(line)} for line in sections.get("details", [])]
    if details:
        out["details"] = details
    locations = []
    for line in sections.get("locations", []):
        # "At this general area: <a>url</a> - From your device": the link text repeats
        # the URL; the text around it is the name and, after " - ", the source.
        plain = _clean("".join(t for t, href, _ in line if not href)).strip(" :-")
        name, _, source = plain.partition(" - ")
        info = {"name": name.strip(" :") or _line_text(line), "source": source.strip()}
        href = _line_href(line)
        if href:
            info["url"] = href
        locations.append({k: v for k, v in info.items() if v})
    if locations:
        out["locationInfos"] = locations
    why = " ".join(_line_text(line) for line in sections.get("why is this here?", []))
    controls = _CONTROLS_RE.search(why)
    if controls:
        out["activityControls"] = [c.strip() for c in controls.group(1).split(",") if c.strip()]
    return out


@dataclass(slots=True)
class _HtmlEntry:
    entry: dict[str, Any]
    tz_known: bool
    time_raw: str


def _cell_to_entry(cell: _Cell) -> _HtmlEntry | str:
    """A cell in the JSON entry shape, or why it cannot be read (a message)."""
    lines = [line for line in cell.body if _line_text(line) or _line_href(line)]
    stamp_at = None
    parsed: tuple[datetime, bool] | None = None
    for i, line in enumerate(lines):
        if i == 0 and len(lines) > 1:
            continue
        parsed = parse_html_time(_line_text(line))
        if parsed is not None:
            stamp_at = i
            break
    if stamp_at is None or parsed is None:
        shown = " / ".join(_line_text(line) for line in lines)
        return f"no English timestamp in activity block: {shown:.200}"
    if stamp_at == 0:
        return "activity block without a title"
    timestamp, tz_known = parsed
    title_line = lines[0]
    entry: dict[str, Any] = {
        "header": _clean("".join(cell.header)) or None,
        "title": _line_text(title_line),
        "titleUrl": _line_href(title_line),
        "time": timestamp.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "subtitles": [
            {"name": _line_text(line), "url": _line_href(line)} for line in lines[1:stamp_at]
        ],
    }
    after = [_line_text(line) for line in lines[stamp_at + 1 :]]
    if any(after):
        entry["description"] = "\n".join(t for t in after if t)
    entry.update(_caption_fields(cell))
    if entry["header"] is None:
        del entry["header"]
    return _HtmlEntry(entry, tz_known, _line_text(lines[stamp_at]))


def iter_html_entries(file: ExportFile, chunk_size: int = 64 * 1024) -> Iterator[_HtmlEntry | str]:
    """Stream the activity blocks of a legacy HTML file as JSON-shaped entries (or a
    message for a block that cannot be read)."""
    parser = _CellParser()
    with file.open_text() as fh:
        while True:
            chunk = fh.read(chunk_size)
            if not chunk:
                break
            parser.feed(chunk)
            cells, parser.done = parser.done, []
            for cell in cells:
                yield _cell_to_entry(cell)
    parser.close()
    for cell in parser.done:
        yield _cell_to_entry(cell)


# --------------------------------------------------------------------------- connector


def _activity_shape(items: list[Any]) -> bool:
    """True when sampled items look like activity entries (title + time, and a header or
    products list on at least one)."""
    return bool(items) and (
        all(isinstance(e, dict) and "title" in e and "time" in e for e in items)
        and any("header" in e or "products" in e for e in items)
    )


class MyActivityConnector:
    """Reads Google My Activity (all products, JSON and English HTML) from Takeout."""

    name = NAME
    #: 2: YouTube entries keyed by the UTC second (as connectors.google.youtube now does).
    version = 2
    description = "Google Takeout: My Activity for every product (MyActivity.json / .html)"

    def recognise(self, file: ExportFile) -> float:
        """JSON: 1.0 for the My Activity layout with activity entries, 0.9 for the layout
        with an empty or unsampleable list, 0.8 for a ``MyActivity.json`` name with other
        content (parse then fails with the reason), 0.5 for the entries alone (YouTube's
        own history files score higher in :mod:`connectors.google.youtube`). HTML: 1.0 for a
        known name with ``outer-cell`` blocks, 0.8 for the name alone, 0.6 for the blocks
        alone."""
        if file.suffix == ".json":
            in_layout, _ = _activity_folder(file)
            named = in_layout and _is_activity_file_name(file.name)
            head = file.peek_text().lstrip()
            if not head.startswith("["):
                # A known name with other content: ours, and parse says what is wrong.
                return 0.8 if named else 0.0
            items = peek_json_items(file, limit=5)
            shaped = _activity_shape(items)
            if in_layout and shaped:
                return 1.0
            if in_layout and not items:
                return 0.9
            if named:
                return 0.8
            return 0.5 if shaped else 0.0
        if file.suffix in (".html", ".htm"):
            in_layout, _ = _activity_folder(file)
            by_path = (in_layout and _is_activity_file_name(file.name)) or (
                _is_youtube_history_html(file)
            )
            head = file.peek_text()
            by_content = "outer-cell" in head and "mdl-typography" in head
            if by_path and by_content:
                return 1.0
            if by_path:
                return 0.8
            return 0.6 if by_content else 0.0
        return 0.0

    def known_ignored(self, file: ExportFile) -> str | None:
        """Other files inside a My Activity folder (attachments, images)."""
        if not _has_my_activity_folder(file):
            return None
        _, product = _activity_folder(file)
        where = f"My Activity ({product})" if product else "My Activity"
        return f"{where} attachment: not indexed"

    def parse(self, file: ExportFile) -> Iterator[Record | ParseIssue]:
        """Stream records (JSON or HTML by the file's content); bad entries are issues."""
        _, folder = _activity_folder(file)
        head = file.peek_text().lstrip()
        if file.suffix in (".html", ".htm") or head.startswith("<"):
            yield from self._parse_html(file, folder)
            return
        if not head.startswith("["):
            raise ParseError("not a My Activity file: the JSON top level is not a list")
        ctx = _Context(folder, _looks_english(peek_json_items(file, limit=20)))
        for index, entry in enumerate(iter_json_items(file)):
            yield entry_to_record(entry, index, ctx)

    def _parse_html(self, file: ExportFile, folder: str | None) -> Iterator[Record | ParseIssue]:
        ctx = _Context(folder, english=True)
        read = 0
        for index, item in enumerate(iter_html_entries(file)):
            if isinstance(item, str):
                if read == 0 and _TIME_LIKE_RE.search(item):
                    raise ParseError(
                        "non-English HTML activity; export as JSON (Takeout: "
                        "'Multiple formats' -> My Activity -> JSON)"
                    )
                yield ParseIssue(item, str(index))
                continue
            read += 1
            yield entry_to_record(
                item.entry, index, ctx, tz_known=item.tz_known, time_raw=item.time_raw
            )


CONNECTORS = [MyActivityConnector()]

"""Google Maps "your places" from Google Takeout: saved/starred places, reviews, lists.

All shapes here are **[unverified]** against a current export and parsed tolerantly
(key names compared case- and separator-insensitively, old and new spellings accepted).

* ``Maps (your places)/Saved Places.json`` (German ``Maps (Meine Orte)/Gespeicherte
  Orte.json``; the starred places): a GeoJSON ``FeatureCollection``. Older features have
  ``properties.{Title, Google Maps URL, Location{Address, Business Name, Country Code,
  Geo Coordinates{Latitude, Longitude}}, Published, Updated}``; newer ones
  ``properties.{date, google_maps_url, location{name, address, country_code}, Comment}``
  with ``geometry.coordinates`` ``[lng, lat]`` (``[0, 0]`` when unknown). -> ``place``
  tagged ``saved``.
* ``Maps (your places)/Reviews.json`` (``Bewertungen.json``): the same collection with
  ``Star Rating`` / ``Review Comment`` (older) or ``five_star_rating_published`` /
  ``review_text_published`` / ``questions`` (newer) -> ``review`` with ``rating`` on 0–1.
  A feature is a review when it has a rating or review text, whatever the file name.
* ``Saved/<list>.csv`` (``Gespeichert/…``): Google's saved lists ("Favourite places",
  "Want to go", "Starred places", saved pages): ``Title,Note,URL[,Tags,Comment]``, no
  dates. A Google Maps URL makes a ``place``, anything else a ``save``.
* ``Maps/My labeled places/Labeled places.json`` (``Maps/Meine Orte mit Beschriftungen/
  Orte mit Beschriftungen.json``): features with ``name``/``address`` -> ``place`` tagged
  ``labeled``.

Other ``Maps/…`` files (commute routes, vehicle settings, Q&A, answers to automated
questions, added dishes) are known and not indexed.

Source ``google.maps``. Native keys: ``saved|<maps url or name|address>``,
``review|<maps url or name|address>`` (one review per place; an edited review keeps its
id), ``list|<list name>|<url or title>``, ``labeled|<name>|<address>``. The ``cid`` in
Google Maps URLs is stable across exports; where a URL is missing, a renamed place gets a
new id.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit

from connectors.base import ExportFile, ParseError, ParseIssue, Record
from connectors.timeutil import parse_iso
from connectors.util import csv_header, iter_csv_rows, iter_json_items

NAME = "google.maps_places"
SOURCE = "google.maps"

SAVED_PLACES_NAMES = frozenset({"saved places.json", "gespeicherte orte.json"})
REVIEW_NAMES = frozenset({"reviews.json", "bewertungen.json", "recensies.json"})
LABELED_NAMES = frozenset({"labeled places.json", "orte mit beschriftungen.json"})
SAVED_FOLDERS = frozenset({"saved", "gespeichert", "opgeslagen", "guardado", "enregistré"})

_TITLE_COLS = ("title", "titel", "titre", "título", "titolo")
_NOTE_COLS = ("note", "notiz", "notitie", "nota")
_URL_COLS = ("url",)
_COMMENT_COLS = ("comment", "kommentar", "opmerking", "comentario", "commentaire")
_TAG_COLS = ("tags", "labels")


def _norm(key: str) -> str:
    """``Google Maps URL`` / ``google_maps_url`` -> ``googlemapsurl``."""
    return re.sub(r"[\s_\-]+", "", key.casefold())


def _get(obj: Any, *names: str) -> Any:
    """The value of the first key of ``obj`` matching one of ``names`` (normalised)."""
    if not isinstance(obj, dict):
        return None
    wanted = [_norm(n) for n in names]
    normalised = {_norm(k): v for k, v in obj.items()}
    for name in wanted:
        value = normalised.get(name)
        if value not in (None, ""):
            return value
    return None


def _str(value: Any) -> str | None:
    if isinstance(value, str) and value.strip():
        return value.strip()
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    return None


def _float(value: Any) -> float | None:
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


def _maps_folder(file: ExportFile) -> str | None:
    """The lower-case ``Maps (…)`` folder name the file sits in, if any."""
    parts = file.relpath.split("/")
    if len(parts) >= 2 and parts[-2].casefold().startswith("maps ("):
        return parts[-2].casefold()
    return None


def _below_maps(file: ExportFile) -> list[str] | None:
    """Path parts below a plain ``Maps`` folder inside a Takeout tree."""
    parts = file.relpath.split("/")
    for i, part in enumerate(parts[:-1]):
        if part.casefold() == "maps" and (i == 0 or parts[i - 1].casefold() == "takeout"):
            return parts[i + 1 :]
    return None


def _is_maps_url(url: str | None) -> bool:
    if not url:
        return False
    try:
        parts = urlsplit(url)
    except ValueError:
        return False
    host = (parts.hostname or "").removeprefix("www.")
    return (
        host.startswith("maps.google.")
        or host == "goo.gl"
        or host == "maps.app.goo.gl"
        or (host.startswith("google.") and parts.path.startswith("/maps"))
    )


# ------------------------------------------------------------------ GeoJSON features


def _coordinates(feature: dict[str, Any], location: Any) -> tuple[float | None, float | None]:
    geo = _get(location, "Geo Coordinates")
    lat, lng = _float(_get(geo, "Latitude")), _float(_get(geo, "Longitude"))
    if lat is None or lng is None:
        geometry = feature.get("geometry")
        coords = geometry.get("coordinates") if isinstance(geometry, dict) else None
        if isinstance(coords, list) and len(coords) >= 2:
            lng, lat = _float(coords[0]), _float(coords[1])
    if lat == 0 and lng == 0:  # "no location information"
        return None, None
    return lat, lng


def _feature_record(feature: Any, index: int, labeled: bool) -> Record | ParseIssue:
    if not isinstance(feature, dict) or not isinstance(feature.get("properties"), dict):
        return ParseIssue(f"feature without properties: {feature!r:.80}", str(index))
    props = feature["properties"]
    location = _get(props, "Location") or {}
    name = _str(_get(location, "Business Name", "name")) or _str(_get(props, "Title", "name"))
    address = _str(_get(location, "Address")) or _str(_get(props, "address"))
    url = _str(_get(props, "Google Maps URL", "url"))
    lat, lng = _coordinates(feature, location)
    if not (name or address or url):
        return ParseIssue("place without a name, address or URL", str(index))
    raw_time = _str(_get(props, "Published", "date", "Updated"))
    timestamp, tz_known = None, True
    if raw_time:
        try:
            timestamp, tz_known = parse_iso(raw_time)
        except ValueError:
            return ParseIssue(f"{name or url}: invalid date {raw_time!r}", str(index))
    rating = _float(_get(props, "Star Rating", "five_star_rating_published"))
    review_text = _str(_get(props, "Review Comment", "review_text_published"))
    comment = _str(_get(props, "Comment", "Note"))
    ident = url or f"{name}|{address}"
    extra: dict[str, Any] = {
        "address": address,
        "country_code": _str(_get(location, "Country Code", "country_code")),
        "lat": lat,
        "lng": lng,
        "updated": _str(_get(props, "Updated")),
        "questions": _get(props, "questions"),
    }
    if labeled:
        kind, key, tags, text = "place", f"labeled|{name}|{address}", ["labeled"], None
    elif rating is not None or review_text is not None:
        kind, key, tags, text = "review", f"review|{ident}", [], review_text
    else:
        kind, key, tags, text = "place", f"saved|{ident}", ["saved"], None
        extra["comment"] = comment
    numbers = None
    if kind == "review" and rating is not None:
        if not 0 < rating <= 5:
            return ParseIssue(f"{name or url}: star rating {rating} out of range", str(index))
        numbers = {"rating": rating / 5, "rating_raw": rating, "rating_max": 5}
    return Record.create(
        SOURCE,
        kind,
        key,
        timestamp=timestamp,
        tz_known=tz_known,
        title=name or address or url,
        text=text,
        url=url,
        tags=tags,
        numbers=numbers,
        extra=extra,
        position=index,
    )


def _looks_like_places(file: ExportFile) -> bool:
    head = file.peek_text()
    return '"FeatureCollection"' in head and bool(
        re.search(r'"(Google Maps URL|google_maps_url)"', head)
    )


# ------------------------------------------------------------------ saved lists (CSV)


def _csv_column(header: list[str], names: tuple[str, ...]) -> str | None:
    for h in header:
        if h.strip().casefold() in names:
            return h
    return None


def _saved_list_header(file: ExportFile) -> bool:
    header = csv_header(file)
    return _csv_column(header, _TITLE_COLS) is not None and (
        _csv_column(header, _URL_COLS) is not None
    )


def _parse_saved_list(file: ExportFile) -> Iterator[Record | ParseIssue]:
    header = csv_header(file)
    title_col = _csv_column(header, _TITLE_COLS)
    url_col = _csv_column(header, _URL_COLS)
    if title_col is None or url_col is None:
        raise ParseError(f"not a saved-list CSV: no title/URL columns in {header!r:.200}")
    note_col = _csv_column(header, _NOTE_COLS)
    comment_col = _csv_column(header, _COMMENT_COLS)
    tags_col = _csv_column(header, _TAG_COLS)
    list_name = file.name.rsplit(".", 1)[0].strip()
    for line, row in iter_csv_rows(file):
        title = (row.get(title_col) or "").strip()
        url = (row.get(url_col) or "").strip() or None
        if not title and not url:
            yield ParseIssue("saved item without a title or URL", str(line))
            continue
        note = (row.get(note_col or "") or "").strip()
        comment = (row.get(comment_col or "") or "").strip()
        text = "\n".join(t for t in (note, comment) if t) or None
        user_tags = [t.strip().casefold() for t in (row.get(tags_col or "") or "").split(",")]
        yield Record.create(
            SOURCE,
            "place" if _is_maps_url(url) else "save",
            f"list|{list_name}|{url or title}",
            title=title or url,
            text=text,
            url=url,
            tags=["saved", list_name.casefold(), *[t for t in user_tags if t]],
            extra={"list": list_name},
            position=line,
        )


# ------------------------------------------------------------------ connector


class MapsPlacesConnector:
    """Reads Google Maps saved places, reviews, saved lists and labeled places."""

    name = NAME
    description = "Google Takeout: Maps (your places) saved places and reviews, Saved lists"

    def _what(self, file: ExportFile) -> tuple[str | None, float]:
        name = file.name.casefold()
        if file.suffix == ".csv":
            parts = file.relpath.split("/")
            in_saved = len(parts) >= 2 and parts[-2].casefold() in SAVED_FOLDERS
            if in_saved and _saved_list_header(file):
                return "list", 1.0
            if in_saved:
                return "list", 0.8
            return ("list", 0.5) if _list_header_exact(file) else (None, 0.0)
        if file.suffix != ".json":
            return None, 0.0
        below = _below_maps(file)
        if below is not None and name in LABELED_NAMES:
            return "labeled", 1.0 if '"FeatureCollection"' in file.peek_text() else 0.8
        by_path = _maps_folder(file) is not None and name in SAVED_PLACES_NAMES | REVIEW_NAMES
        by_content = _looks_like_places(file)
        if by_path and by_content:
            return "places", 1.0
        if by_path:
            # Known name, other content: ours, and parse says what is wrong.
            return "places", 0.8
        return ("places", 0.6) if by_content else (None, 0.0)

    def recognise(self, file: ExportFile) -> float:
        """1.0 for a known (localised) name in its folder with the expected content, 0.8
        for the name alone, 0.5-0.6 for the content alone."""
        return self._what(file)[1]

    def known_ignored(self, file: ExportFile) -> str | None:
        """Other files of the Takeout ``Maps/`` folder."""
        below = _below_maps(file)
        if below is None or len(below) < 1:
            return None
        what = below[0] if len(below) > 1 else file.name
        return f"Google Maps {what}: not indexed"

    def parse(self, file: ExportFile) -> Iterator[Record | ParseIssue]:
        """Stream place / review / save records; bad features and rows become issues."""
        what, _ = self._what(file)
        if what == "list":
            yield from _parse_saved_list(file)
            return
        if not file.peek_text().lstrip().startswith("{"):
            raise ParseError("not a Google Maps places file: expected a GeoJSON object")
        count = 0
        for index, feature in enumerate(iter_json_items(file, "features.item")):
            count += 1
            yield _feature_record(feature, index, labeled=what == "labeled")
        if count == 0 and '"features"' not in file.peek_text():
            raise ParseError('not a Google Maps places file: no "features" list')


def _list_header_exact(file: ExportFile) -> bool:
    """The English saved-list header (``Title,Note,URL`` and optional extras)."""
    header = [h.casefold() for h in csv_header(file)]
    return header[:3] == ["title", "note", "url"]


CONNECTORS = [MapsPlacesConnector()]

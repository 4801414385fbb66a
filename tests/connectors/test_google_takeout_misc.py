"""Known-but-not-indexed Takeout products (connectors/google/takeout_misc.py), and the
coverage of the English and German Takeout layouts by all the connectors together."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from connectors import all_connectors
from connectors.base import ExportFile, ParseError
from connectors.discover import iter_files, route
from connectors.google.takeout_misc import CONNECTORS, TakeoutKnownFiles, product_of

FIXTURES = Path(__file__).parent.parent / "fixtures"
LAYOUTS = FIXTURES / "real/google_takeout/google_takeout_parser"
MISC = TakeoutKnownFiles()

#: Connectors of this work package (my_activity, youtube_extra, bookmarks, maps, play, misc).
MINE = frozenset(
    {
        "google.my_activity",
        "google.youtube_extra",
        "google.chrome_bookmarks",
        "google.maps_places",
        "google.play",
        "google.takeout_misc",
    }
)

#: Paths owned by connectors written by others at the same time (Gmail mbox, Calendar,
#: Contacts, Keep, Location History / Timeline / Semantic Location History): their
#: routing is those connectors' business and is not asserted here.
OTHERS_RE = re.compile(
    r"^Takeout/(Location History|Timeline|Mail/|Gmail/|Calendar/|Kalender/|Contacts/|"
    r"Google Kontakte/|Keep/)"
)

#: (path pattern, fixture giving realistic content, connector expected to parse it).
CONTENT: list[tuple[str, Path, str]] = [
    (
        r"/(My Activity|Meine Aktivitäten)/[^/]+/[^/]+\.json$",
        FIXTURES / "google/activity/Takeout/My Activity/Search/MyActivity.json",
        "google.my_activity",
    ),
    (
        r"/YouTube[^/]*/(history|Verlauf)/[^/]+\.json$",
        FIXTURES / "google/youtube/watch-history.json",
        "google.youtube",
    ),
    (
        r"/YouTube[^/]*/history/[^/]+\.html$",
        FIXTURES / "google/activity/Takeout/YouTube and YouTube Music/history/watch-history.html",
        "google.my_activity",
    ),
    (
        r"/YouTube[^/]*/Verlauf/[^/]+\.html$",
        FIXTURES / "google/activity/Takeout/Meine Aktivitäten/Suche/Meine Aktivitäten.html",
        "google.my_activity",
    ),
    (
        r"/Chrome/(BrowserHistory|History|Verlauf)\.json$",
        FIXTURES / "real/google_takeout/potluck-synthetic/Takeout/Chrome/History.json",
        "google.chrome",
    ),
    (
        r"/Chrome/[^/]+\.html$",
        FIXTURES / "google/bookmarks/Bookmarks.html",
        "google.chrome_bookmarks",
    ),
    (
        r"/Google Play Store/Installs\.json$",
        FIXTURES / "google/play/Installs.json",
        "google.play",
    ),
    (r"/Google Play Store/Library\.json$", FIXTURES / "google/play/Library.json", "google.play"),
    (
        r"/Google Play Store/Purchase History\.json$",
        FIXTURES / "google/play/Purchase History.json",
        "google.play",
    ),
    (r"/Google Play Store/Reviews\.json$", FIXTURES / "google/play/Reviews.json", "google.play"),
    (
        r"/YouTube[^/]*/(subscriptions|Abos)/",
        FIXTURES / "google/youtube_extra/subscriptions.csv",
        "google.youtube_extra",
    ),
    (
        r"/YouTube[^/]*/(comments|Kommentare)/",
        FIXTURES / "google/youtube_extra/comments_new.csv",
        "google.youtube_extra",
    ),
    (
        r"/YouTube[^/]*/(live chats|Livechats)/",
        FIXTURES / "google/youtube_extra/live chats.csv",
        "google.youtube_extra",
    ),
    (
        r"/Maps \([^/]*\)/(Saved Places|Gespeicherte Orte)\.json$",
        FIXTURES / "google/maps/Saved Places.json",
        "google.maps_places",
    ),
    (
        r"/Maps \([^/]*\)/(Reviews|Bewertungen)\.json$",
        FIXTURES / "google/maps/Reviews.json",
        "google.maps_places",
    ),
    (
        r"/(Saved|Gespeichert)/[^/]+\.csv$",
        FIXTURES / "google/maps/Favourite places.csv",
        "google.maps_places",
    ),
    (
        r"/(Labeled places|Orte mit Beschriftungen)\.json$",
        FIXTURES / "google/maps/Labeled places.json",
        "google.maps_places",
    ),
]


def _layout_paths() -> list[str]:
    paths: list[str] = []
    for name in ("layout_en_RecentTakeout.txt", "layout_de_RecentTakeout_ger.txt"):
        paths.extend(line for line in (LAYOUTS / name).read_text().splitlines() if line)
    return paths


def _content(path: str) -> tuple[bytes, str | None]:
    for pattern, fixture, connector in CONTENT:
        if re.search(pattern, path):
            return fixture.read_bytes(), connector
    return b"x", None


def test_module_exposes_connector() -> None:
    assert len(CONNECTORS) == 1
    assert CONNECTORS[0].name == "google.takeout_misc"


@pytest.mark.parametrize("path", _layout_paths())
def test_every_layout_path_is_routed(path: str) -> None:
    data, expected = _content(path)
    result = route(ExportFile.from_bytes(path, data), all_connectors())
    if OTHERS_RE.match(path):
        pytest.skip(
            "owned by a connector written in parallel (mail/calendar/contacts/keep/location)"
        )
    assert result.outcome != "unrecognised", path
    if expected is not None:
        assert result.outcome == "parse", path
        assert result.connector is not None and result.connector.name == expected, path
    if result.outcome == "ignored":
        assert result.reason


@pytest.mark.parametrize(
    ("relpath", "product"),
    [
        ("Takeout/Google Fit/Daily activity metrics/2015-07-27.csv", "Google Fit"),
        ("Takeout/Fit/Activities/2017-10-29T23_08_59Z_PT2M5.699S_Other.tcx", "Google Fit"),
        ("takeout-20240101T000000Z-001.zip/Takeout/Drive/notes/x.docx", "Google Drive"),
        ("Takeout/Google Photos/Photos from 2019/IMG_0001.HEIC.json", "Google Photos"),
        ("Takeout/Profile/Profile.json", "Google Profile"),
        ("Takeout/Google Account/x.SubscriberInfo.html", "Google Account"),
        (
            "Takeout/Access Log Activity/Activities - A list of Google services.csv",
            "Access Log Activity",
        ),
        ("Takeout/Google Pay/Google transactions/transactions_1.csv", "Google Pay"),
        ("Takeout/Home App/HomeApp.json", "Google Home"),
        ("Takeout/Google Play Movies & TV/Watchlist.json", "Google Play Movies & TV"),
        ("Takeout/Google Play Filme\u00a0_ Serien/Merkliste.json", "Google Play Movies & TV"),
        ("Google Fit/All Sessions/x.json", "Google Fit"),  # the Takeout folder itself watched
    ],
)
def test_known_products(relpath: str, product: str) -> None:
    file = ExportFile.from_bytes(relpath, b"x")
    assert product_of(file) == product
    assert MISC.known_ignored(file) == f"{product} (Google Takeout): not indexed"


@pytest.mark.parametrize(
    "relpath",
    [
        "Documents/Drive/report.docx",  # not in a Takeout tree
        "Takeout/archive_browser.html",  # directly in Takeout
        "Takeout/Chrome/Autofill.json",  # has its own connector
        "Takeout/YouTube and YouTube Music/channels/channel.csv",
        "Takeout/My Activity/Search/MyActivity.json",
        "Takeout/Maps/Commute routes/Commute routes.json",
        "Takeout/Mail/All mail Including Spam and Trash.mbox",
        "Takeout/Location History/Settings.json",
        "Fit.json",
    ],
)
def test_not_known(relpath: str) -> None:
    assert MISC.known_ignored(ExportFile.from_bytes(relpath, b"x")) is None


def test_never_recognises_or_parses() -> None:
    file = ExportFile.from_bytes("Takeout/Google Fit/x.json", b"[]")
    assert MISC.recognise(file) == 0.0
    with pytest.raises(ParseError):
        list(MISC.parse(file))


def test_other_platforms_fixtures_are_not_claimed() -> None:
    """Every fixture file routed to one of these connectors is a Google Takeout one."""
    ours = ("google/", "real/google_takeout/")
    for found in iter_files(FIXTURES):
        if found.failure:
            continue
        result = route(found.file, all_connectors())
        if result.connector is not None and result.connector.name in MINE:
            assert found.file.relpath.startswith(ours), found.file.relpath

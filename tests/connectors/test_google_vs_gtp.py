"""Cross-check with google-takeout-parser (PyPI ``google-takeout-parser``, purarue), an
established Takeout parser: on every fixture file both read (My Activity JSON and HTML,
YouTube history, Chrome history), pctx must produce at least as many events per product.

Skipped when the package is not installed (it is a test-only comparison, not a
dependency of pctx).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import pytest

from connectors import all_connectors
from connectors.base import ExportFile, Record
from connectors.discover import route
from connectors.google.my_activity import source_for

gtp_json = pytest.importorskip(
    "google_takeout_parser.parse_json",
    reason="google-takeout-parser is not installed (pip install google-takeout-parser)",
)
gtp_html = pytest.importorskip(
    "google_takeout_parser.parse_html.activity",
    reason="google-takeout-parser is not installed (pip install google-takeout-parser)",
)

FIXTURES = Path(__file__).parent.parent / "fixtures"
REAL = FIXTURES / "real/google_takeout"
ACTIVITY = FIXTURES / "google/activity"

#: (file on disk, its path inside the export, the google-takeout-parser function to use).
CASES: list[tuple[Path, str, str]] = [
    *(
        (REAL / "dogsheep" / rel, rel, "json")
        for rel in (
            "Takeout/My Activity/Search/My Activity.json",
            "Takeout/My Activity/Maps/My Activity.json",
            "Takeout/My Activity/Google Play Books/My Activity.json",
        )
    ),
    (
        REAL / "google_takeout_parser/HtmlTakeout/My Activity/Chrome/MyActivity.html",
        "Takeout/My Activity/Chrome/MyActivity.html",
        "html",
    ),
    *(
        (ACTIVITY / rel, rel, "json")
        for rel in (
            "Takeout/My Activity/Search/MyActivity.json",
            "Takeout/My Activity/YouTube/MyActivity.json",
            "Takeout/My Activity/Discover/MyActivity.json",
            "Takeout/My Activity/Chrome/MyActivity.json",
            "Takeout/Meine Aktivitäten/Suche/Meine Aktivitäten.json",
        )
    ),
    *(
        (ACTIVITY / rel, rel, "html")
        for rel in (
            "Takeout/My Activity/Search/MyActivity.html",
            "Takeout/My Activity/Gemini Apps/MyActivity.html",
            "Takeout/YouTube and YouTube Music/history/watch-history.html",
            "Takeout/YouTube and YouTube Music/history/search-history.html",
        )
    ),
    (
        FIXTURES / "google/youtube/watch-history.json",
        "Takeout/YouTube and YouTube Music/history/watch-history.json",
        "json",
    ),
    (
        FIXTURES / "google/youtube/search-history.json",
        "Takeout/YouTube and YouTube Music/history/search-history.json",
        "json",
    ),
    (
        REAL / "potluck-synthetic/Takeout/Chrome/History.json",
        "Takeout/Chrome/History.json",
        "chrome",
    ),
]

PARSERS: dict[str, Callable[[Path], Iterable[Any]]] = {
    "json": gtp_json._parse_json_activity,
    "html": gtp_html._parse_html_activity,
    "chrome": gtp_json._parse_chrome_history,
}


def gtp_counts(path: Path, kind: str) -> Counter[str]:
    """google-takeout-parser's events per pctx source (errors are not events)."""
    counts: Counter[str] = Counter()
    for event in PARSERS[kind](path):
        if isinstance(event, Exception):
            continue
        header = getattr(event, "header", None)
        counts[source_for(header) if header else "google.chrome"] += 1
    return counts


def pctx_counts(path: Path, relpath: str) -> Counter[str]:
    """pctx records per source, from whichever connector routing picks."""
    file = ExportFile.from_path(path, relpath)
    result = route(file, all_connectors())
    assert result.outcome == "parse" and result.connector is not None, relpath
    return Counter(r.source for r in result.connector.parse(file) if isinstance(r, Record))


@pytest.mark.parametrize(("path", "relpath", "kind"), CASES, ids=[c[1] for c in CASES])
def test_pctx_reads_at_least_as_many_events(path: Path, relpath: str, kind: str) -> None:
    theirs = gtp_counts(path, kind)
    ours = pctx_counts(path, relpath)
    assert sum(theirs.values()) > 0 or kind == "html", relpath
    for product, count in theirs.items():
        assert ours[product] >= count, (relpath, product, dict(ours), dict(theirs))


def test_totals_per_product() -> None:
    theirs: Counter[str] = Counter()
    ours: Counter[str] = Counter()
    for path, relpath, kind in CASES:
        theirs += gtp_counts(path, kind)
        ours += pctx_counts(path, relpath)
    assert all(ours[product] >= count for product, count in theirs.items())
    # pctx reads the HTML blocks google-takeout-parser rejects (GMT+hh:mm and unknown zone
    # labels, AI content after the timestamp).
    assert ours["google.search"] > theirs["google.search"]

"""Chrome browser history from Google Takeout (``Chrome/BrowserHistory.json``).

The file is ``{"Browser History": [{url, title, time_usec, ...}, ...], ...}``. It was
renamed ``History.json`` around 2023-2024, and its name is translated in other languages
(``Verlauf.json``, ``Geschiedenis.json``), but the ``"Browser History"`` key is not, so
recognition combines the path with a look at the content.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit

import ijson

from connectors.base import ExportFile, ParseError, ParseIssue, Record
from connectors.timeutil import as_int, from_epoch_exact
from connectors.util import iter_json_items

SOURCE = "google.chrome"
HISTORY_KEY = "Browser History"

#: History file names (lower-case) seen directly under a ``Chrome/`` folder.
HISTORY_NAMES: frozenset[str] = frozenset(
    {
        "browserhistory.json",  # English, until about 2023
        "history.json",  # English, from about 2023-2024
        "verlauf.json",  # German
        "geschiedenis.json",  # Dutch
    }
)

_SETTINGS = "Chrome settings file, not indexed"
#: Other files of the Takeout ``Chrome/`` folder (English and German names), lower-case.
IGNORED: dict[str, str] = {
    "autofill.json": _SETTINGS,
    "adressen und andere daten.json": _SETTINGS,
    "extensions.json": _SETTINGS,
    "erweiterungen.json": _SETTINGS,
    "searchengines.json": _SETTINGS,
    "syncsettings.json": _SETTINGS,
    "einstellungen.json": _SETTINGS,
    "os settings.json": _SETTINGS,
    "betriebssystem-einstellungen.json": _SETTINGS,
    "dictionary.csv": _SETTINGS,
    "wörterbuch.csv": _SETTINGS,
    "device information.json": _SETTINGS,
    "geräteinformationen.json": _SETTINGS,
    "omnibox.json": _SETTINGS,
}


def _in_chrome_folder(file: ExportFile) -> bool:
    """True when the file sits directly in a folder named ``Chrome``."""
    parts = file.relpath.split("/")
    return len(parts) >= 2 and parts[-2].casefold() == "chrome"


def _has_history_key(file: ExportFile) -> bool:
    """True when the file starts as a JSON object and its peek has the history key."""
    head = file.peek_text().lstrip()
    return head.startswith("{") and f'"{HISTORY_KEY}"' in head


#: scheme://[user@]host[:port] — the common case, without urlsplit's overhead.
_SIMPLE_HOST_RE = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*://([A-Za-z0-9.-]+)(?::\d+)?(?:[/?#]|$)")


def _host(url: str) -> str | None:
    """Host name of ``url`` (lower-case) without a leading ``www.``; None when there is
    none."""
    match = _SIMPLE_HOST_RE.match(url)
    if match:
        host: str | None = match.group(1).lower()
    else:
        try:
            host = urlsplit(url).hostname
        except ValueError:
            return None
    if not host:
        return None
    return host.removeprefix("www.")


class ChromeHistoryConnector:
    """Reads Chrome browser history (visits) from a Google Takeout export."""

    name = SOURCE
    description = "Google Takeout: Chrome browser history (Chrome/BrowserHistory.json)"

    def recognise(self, file: ExportFile) -> float:
        """1.0 for a known history name in ``Chrome/`` with the ``Browser History`` key in
        its peek, 0.9 for the key alone (any name), 0.6 for the name alone."""
        if file.suffix != ".json":
            return 0.0
        by_path = _in_chrome_folder(file) and file.name.casefold() in HISTORY_NAMES
        by_content = _has_history_key(file)
        if by_path and by_content:
            return 1.0
        if by_content:
            return 0.9
        if by_path and file.peek_text().lstrip().startswith("{"):
            # The key may come after other large top-level arrays; parse will check.
            return 0.6
        return 0.0

    def known_ignored(self, file: ExportFile) -> str | None:
        """A reason for the other files of the Takeout ``Chrome/`` folder."""
        if not _in_chrome_folder(file):
            return None
        return IGNORED.get(file.name.casefold())

    def parse(self, file: ExportFile) -> Iterator[Record | ParseIssue]:
        """Stream one ``visit`` record per history entry; bad entries become issues."""
        count = 0
        for index, entry in enumerate(iter_json_items(file, f"{HISTORY_KEY}.item")):
            count += 1
            yield _entry_to_record(entry, index)
        if count == 0 and not _has_top_level_key(file, HISTORY_KEY):
            raise ParseError(f'not Chrome history: no "{HISTORY_KEY}" list in the file')


def _entry_to_record(entry: Any, index: int) -> Record | ParseIssue:
    """One ``Browser History`` element -> a visit record, or an issue saying what is wrong."""
    if not isinstance(entry, dict):
        return ParseIssue(f"history entry is not an object: {entry!r:.80}", str(index))
    url = entry.get("url")
    raw_time = entry.get("time_usec")
    if not isinstance(url, str) or not url.strip():
        return ParseIssue("history entry without a url", str(index))
    if raw_time is None:
        return ParseIssue(f"history entry without time_usec: {url:.200}", str(index))
    usec = as_int(raw_time)
    timestamp = from_epoch_exact(usec, "us")
    if timestamp is None:
        return ParseIssue(f"invalid or implausible time_usec {raw_time!r}: {url:.200}", str(index))
    url = url.strip()
    title = entry.get("title")
    return Record.create(
        SOURCE,
        "visit",
        f"{url}|{usec}",
        timestamp=timestamp,
        title=title if isinstance(title, str) and title.strip() else url,
        url=url,
        creator=_host(url),
        extra={
            "transition": entry.get("page_transition") or entry.get("page_transition_qualifier"),
            "client_id": entry.get("client_id"),
        },
        position=index,
    )


def _has_top_level_key(file: ExportFile, key: str) -> bool:
    """Whether the JSON object in ``file`` has ``key`` at its top level (streams; stops
    at the first match). Syntax errors count as "no"."""
    with file.open() as fh:
        try:
            for prefix, event, value in ijson.parse(fh):
                if prefix == "" and event == "map_key" and value == key:
                    return True
        except ijson.common.JSONError:
            return False
    return False


CONNECTORS = [ChromeHistoryConnector()]

"""Shared fixtures: temporary settings and stores, record factories, fixture paths."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from connectors.base import Record
from server.config import Settings
from server.store import Store

FIXTURES = Path(__file__).parent / "fixtures"
REAL = FIXTURES / "real"
CHROME_HISTORY = REAL / "google_takeout/potluck-synthetic/Takeout/Chrome/History.json"

#: Fixture sets used by the store/ingest/server tests (file lists, not folders, so new
#: fixtures added for connector tests do not change these tests' counts).
FIXTURE_SETS: dict[str, list[str]] = {
    "spotify-account": [
        "spotify/my_spotify_data/Spotify Account Data/StreamingHistory_music_0.json",
        "spotify/my_spotify_data/Spotify Account Data/StreamingHistory_podcast_0.json",
    ],
    "spotify-extended": [
        "spotify/extended/Spotify Extended Streaming History/"
        "Streaming_History_Audio_2022-2023_0.json",
        "spotify/extended/Spotify Extended Streaming History/Streaming_History_Audio_2024.json",
    ],
    "netflix": ["netflix/netflix-report/CONTENT_INTERACTION/ViewingActivity.csv"],
}


def copy_set(name: str, dest: Path) -> Path:
    """Copy one fixture set under ``dest`` (keeping the files' folder names)."""
    for rel in FIXTURE_SETS[name]:
        target = dest / Path(rel).parent.name / Path(rel).name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(FIXTURES / rel, target)
    return dest


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    """Settings with a private data directory."""
    return Settings(data_dir=tmp_path / "data")


@pytest.fixture
def store(settings: Settings) -> Iterator[Store]:
    with Store(settings.db_path) as s:
        yield s


def rec(
    key: str,
    title: str,
    *,
    source: str = "test.source",
    kind: str = "note",
    text: str | None = None,
    creator: str | None = None,
    when: str = "2025-01-15T12:00:00",
    tags: list[str] | None = None,
) -> Record:
    """A record for tests."""
    return Record.create(
        source,
        kind,
        key,
        timestamp=datetime.fromisoformat(when).replace(tzinfo=UTC),
        title=title,
        text=text,
        creator=creator,
        tags=tags,
    )


def put(store: Store, records: list[Record], path: str = "/virtual/file.json") -> int:
    """Store records as if one file provided them; returns the file id."""
    from server.profile import refresh_stats

    with store.transaction():
        fid = store.save_file(
            path=path,
            root="/virtual",
            relpath=path.rsplit("/", 1)[-1],
            size=1,
            mtime=0.0,
            fingerprint="x",
            outcome="indexed",
            connector="test@1",
            reason=None,
            run=1,
        )
        store.add_records(fid, records)
    refresh_stats(store.conn)
    return fid

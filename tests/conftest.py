"""Shared fixtures: temporary settings and stores, record factories, fixture paths."""

from __future__ import annotations

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

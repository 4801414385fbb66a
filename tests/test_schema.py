"""Schema migrations: old databases are upgraded in place, newer ones refused."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from server.schema import MIGRATIONS, SCHEMA_VERSION, SchemaError, connect


def test_v1_database_is_migrated_keeping_its_data(tmp_path: Path) -> None:
    db = tmp_path / "old.db"
    conn = sqlite3.connect(db, isolation_level=None)
    MIGRATIONS[0](conn)
    conn.execute("PRAGMA user_version = 1")
    conn.execute(
        "INSERT INTO records (id, source, kind, title, file_id)"
        " VALUES ('a', 's', 'note', 'kept', 1)"
    )
    conn.close()
    conn = connect(db)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    assert conn.execute("SELECT title, third_party FROM records").fetchall() == [("kept", 0)]
    assert conn.execute(
        "SELECT count(*) FROM records_fts WHERE records_fts MATCH 'kept'"
    ).fetchone() == (1,)
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_newer_database_is_refused(tmp_path: Path) -> None:
    db = tmp_path / "new.db"
    connect(db).execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    with pytest.raises(SchemaError, match="upgrade pctx"):
        connect(db)


def test_v5_database_gets_facets_and_a_rebuilt_index(tmp_path: Path) -> None:
    from server.store import facets

    db = tmp_path / "v5.db"
    conn = sqlite3.connect(db, isolation_level=None)
    conn.execute("BEGIN")
    for step in MIGRATIONS[:5]:
        step(conn)
    conn.execute("PRAGMA user_version = 5")
    conn.execute("COMMIT")
    conn.execute(
        "INSERT INTO records (id, source, kind, ts, title, file_id)"
        " VALUES ('a', 'google.chrome', 'visit', 1700000000000, 'kept page', 1)"
    )
    conn.close()
    conn = connect(db)
    assert conn.execute("SELECT facets FROM records").fetchone()[0] == facets(
        "google.chrome", "visit", 1700000000000
    )
    hit = conn.execute(
        "SELECT count(*) FROM records_fts WHERE records_fts MATCH"
        " '{title text creator tags} : kept AND facets : zsgoogle'"
    ).fetchone()
    assert hit == (1,)

"""The SQLite schema, its migrations and connection setup (WAL, busy timeout)."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from pathlib import Path

TOKENIZER = "porter unicode61 remove_diacritics 2"
#: FTS5 column weights for BM25: title, text, creator, tags, facets (facets are filter
#: tokens, never ranked).
BM25_WEIGHTS = (10.0, 1.0, 4.0, 2.0, 0.0)
FTS_COLUMNS = ("title", "text", "creator", "tags", "facets")

#: Keep records_fts in step with records (dropped during a bulk first import, which
#: rebuilds the index at the end instead: several times faster).
FTS_TRIGGERS = """
CREATE TRIGGER records_ai AFTER INSERT ON records BEGIN
    INSERT INTO records_fts (rowid, title, text, creator, tags, facets)
    VALUES (new.rowid, new.title, new.text, new.creator, new.tags, new.facets);
END;
CREATE TRIGGER records_ad AFTER DELETE ON records BEGIN
    INSERT INTO records_fts (records_fts, rowid, title, text, creator, tags, facets)
    VALUES ('delete', old.rowid, old.title, old.text, old.creator, old.tags, old.facets);
END;
CREATE TRIGGER records_au AFTER UPDATE OF title, text, creator, tags, facets ON records BEGIN
    INSERT INTO records_fts (records_fts, rowid, title, text, creator, tags, facets)
    VALUES ('delete', old.rowid, old.title, old.text, old.creator, old.tags, old.facets);
    INSERT INTO records_fts (rowid, title, text, creator, tags, facets)
    VALUES (new.rowid, new.title, new.text, new.creator, new.tags, new.facets);
END;
"""
FTS_TRIGGER_NAMES = ("records_ai", "records_ad", "records_au")
#: The secondary indexes of ``records`` (created by the first migration): a bulk first
#: import drops them and builds each once at its end, sorted, instead of row by row.
RECORD_INDEXES: dict[str, str] = {
    "records_file": "records (file_id)",
    "records_source_ts": "records (source, ts)",
    "records_kind_ts": "records (kind, ts)",
    "records_ts": "records (ts)",
}

# The first schema, as it was (its triggers and weights predate the facets column).
_V1_TRIGGERS = """
CREATE TRIGGER records_ai AFTER INSERT ON records BEGIN
    INSERT INTO records_fts (rowid, title, text, creator, tags)
    VALUES (new.rowid, new.title, new.text, new.creator, new.tags);
END;
CREATE TRIGGER records_ad AFTER DELETE ON records BEGIN
    INSERT INTO records_fts (records_fts, rowid, title, text, creator, tags)
    VALUES ('delete', old.rowid, old.title, old.text, old.creator, old.tags);
END;
CREATE TRIGGER records_au AFTER UPDATE OF title, text, creator, tags ON records BEGIN
    INSERT INTO records_fts (records_fts, rowid, title, text, creator, tags)
    VALUES ('delete', old.rowid, old.title, old.text, old.creator, old.tags);
    INSERT INTO records_fts (rowid, title, text, creator, tags)
    VALUES (new.rowid, new.title, new.text, new.creator, new.tags);
END;
"""

_V1 = f"""
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT) WITHOUT ROWID;

CREATE TABLE files (
    id INTEGER PRIMARY KEY,
    path TEXT NOT NULL UNIQUE,          -- display path; archive members: zip!member
    root TEXT NOT NULL,                 -- the folder (or path) it was found under
    relpath TEXT NOT NULL,
    size INTEGER NOT NULL,
    mtime REAL,
    fingerprint TEXT,
    outcome TEXT NOT NULL
        CHECK (outcome IN ('indexed', 'ignored', 'unrecognised', 'failed')),
    connector TEXT,                     -- connector name and version that decided
    reason TEXT,                        -- why ignored / failed
    records INTEGER NOT NULL DEFAULT 0,
    issues INTEGER NOT NULL DEFAULT 0,
    issue_sample TEXT,                  -- JSON list of the first parse issues
    indexed_at TEXT,
    seen_run INTEGER
);
CREATE INDEX files_root ON files (root, seen_run);

CREATE TABLE records (
    rowid INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    source TEXT NOT NULL,
    kind TEXT NOT NULL,
    ts INTEGER,                         -- UTC epoch milliseconds
    tz_known INTEGER NOT NULL DEFAULT 1,
    title TEXT,
    text TEXT,
    url TEXT,
    creator TEXT,
    tags TEXT,                          -- space-separated, also indexed
    numbers TEXT,                       -- JSON object
    extra TEXT,                         -- JSON object
    file_id INTEGER NOT NULL,           -- the file that first provided it
    position TEXT
);
CREATE INDEX records_file ON records (file_id);
CREATE INDEX records_source_ts ON records (source, ts);
CREATE INDEX records_kind_ts ON records (kind, ts);
CREATE INDEX records_ts ON records (ts);

-- Further files that provide the same record (overlapping exports).
CREATE TABLE extra_providers (
    record_rowid INTEGER NOT NULL,
    file_id INTEGER NOT NULL,
    PRIMARY KEY (record_rowid, file_id)
) WITHOUT ROWID;
CREATE INDEX extra_providers_file ON extra_providers (file_id);

-- Forgotten records: a re-import does not bring them back.
CREATE TABLE tombstones (
    id TEXT PRIMARY KEY,
    source TEXT,
    forgotten_at TEXT NOT NULL
) WITHOUT ROWID;

CREATE VIRTUAL TABLE records_fts USING fts5 (
    title, text, creator, tags,
    content = 'records', content_rowid = 'rowid',
    tokenize = '{TOKENIZER}'
);
INSERT INTO records_fts (records_fts, rank) VALUES ('rank', 'bm25(10.0, 1.0, 4.0, 2.0)');

{_V1_TRIGGERS}"""


def run_script(conn: sqlite3.Connection, script: str) -> None:
    """Execute a multi-statement script inside the current transaction (unlike
    ``executescript``, which commits first)."""
    statement = ""
    for line in script.splitlines(keepends=True):
        statement += line
        if sqlite3.complete_statement(statement):
            conn.execute(statement)
            statement = ""
    if statement.strip():
        raise ValueError(f"incomplete SQL statement: {statement.strip()[:60]}")


_V2 = """
ALTER TABLE records ADD COLUMN third_party INTEGER NOT NULL DEFAULT 0;
"""

_V3 = """
CREATE INDEX files_fingerprint ON files (fingerprint);
"""

_V4 = """
CREATE TABLE preferences (
    domain TEXT NOT NULL,
    type TEXT NOT NULL,                 -- artist, track, channel, film, author, topic, ...
    key TEXT NOT NULL,                  -- normalised name (merging across sources)
    name TEXT NOT NULL,                 -- the display name seen most often
    score_all REAL NOT NULL,            -- 0..1 within the domain, all time
    score_recent REAL NOT NULL,         -- 0..1 within the domain, recency-weighted
    weight REAL NOT NULL,               -- raw weight (negative: disliked)
    confidence REAL NOT NULL,
    events INTEGER NOT NULL,
    explicit INTEGER NOT NULL,          -- ratings, likes, saves, follows, purchases, reads
    sources TEXT NOT NULL,              -- JSON {source: events}
    first_ts INTEGER,
    last_ts INTEGER,
    evidence TEXT NOT NULL,             -- JSON [record id, ...]
    PRIMARY KEY (domain, type, key)
) WITHOUT ROWID;
CREATE INDEX preferences_all ON preferences (domain, score_all DESC);
CREATE INDEX preferences_recent ON preferences (domain, score_recent DESC);
"""

_V5 = """
DROP TABLE IF EXISTS tombstones;  -- moved to user.db, so a rebuilt index keeps them
"""

#: SQL computing ``records.facets`` (must match :func:`server.store.facets`).
FACETS_SQL = (
    "'zs' || replace(replace(replace(source, '.', ''), '_', ''), '-', '')"
    " || CASE WHEN instr(source, '.') > 0 THEN ' zs' || replace(replace("
    "substr(source, 1, instr(source, '.') - 1), '_', ''), '-', '') ELSE '' END"
    " || ' zk' || kind"
    " || CASE WHEN ts IS NULL THEN '' ELSE ' zy' || strftime('%Y', ts / 1000, 'unixepoch')"
    " || ' zm' || strftime('%Y%m', ts / 1000, 'unixepoch') END"
)

_V6 = f"""
DROP TRIGGER IF EXISTS records_ai;
DROP TRIGGER IF EXISTS records_ad;
DROP TRIGGER IF EXISTS records_au;
ALTER TABLE records ADD COLUMN facets TEXT;
UPDATE records SET facets = {FACETS_SQL};
DROP TABLE records_fts;
CREATE VIRTUAL TABLE records_fts USING fts5 (
    title, text, creator, tags, facets,
    content = 'records', content_rowid = 'rowid',
    tokenize = '{TOKENIZER}'
);
INSERT INTO records_fts (records_fts, rank)
    VALUES ('rank', 'bm25({", ".join(str(w) for w in BM25_WEIGHTS)})');
{FTS_TRIGGERS}
INSERT INTO records_fts (records_fts) VALUES ('rebuild');
"""

#: Migration steps: MIGRATIONS[n] takes the schema from version n to n + 1. Each runs
#: inside one IMMEDIATE transaction.
MIGRATIONS: list[Callable[[sqlite3.Connection], None]] = [
    lambda conn: run_script(conn, _V1),
    lambda conn: run_script(conn, _V2),  # records.third_party
    lambda conn: run_script(conn, _V3),  # find renamed files by fingerprint
    lambda conn: run_script(conn, _V4),  # derived preferences
    lambda conn: run_script(conn, _V5),  # tombstones live in user.db
    lambda conn: run_script(conn, _V6),  # facets: source/kind/date tokens for filtering
]
SCHEMA_VERSION = len(MIGRATIONS)


class SchemaError(Exception):
    """The database was written by a newer pctx."""


def configure(conn: sqlite3.Connection) -> None:
    """Pragmas every connection uses: WAL, NORMAL sync, a generous busy timeout, and a
    WAL file cut back to 64 MiB after checkpoints (a bulk import lets it grow)."""
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA journal_size_limit = 67108864")
    conn.execute("PRAGMA synchronous = NORMAL")
    conn.execute("PRAGMA busy_timeout = 30000")
    conn.execute("PRAGMA foreign_keys = OFF")


def migrate(
    conn: sqlite3.Connection, migrations: list[Callable[[sqlite3.Connection], None]] | None = None
) -> int:
    """Bring the schema up to date; returns the version it was at before."""
    steps = MIGRATIONS if migrations is None else migrations
    target = len(steps)
    before = conn.execute("PRAGMA user_version").fetchone()[0]
    if before > target:
        raise SchemaError(
            f"the database is at schema version {before}, newer than this pctx "
            f"({target}); upgrade pctx"
        )
    if before == target:
        return before
    conn.execute("BEGIN IMMEDIATE")
    try:
        # Re-read under the write lock: another process may have migrated meanwhile.
        current = conn.execute("PRAGMA user_version").fetchone()[0]
        for version in range(current, target):
            steps[version](conn)
        conn.execute(f"PRAGMA user_version = {target}")
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    return before


def connect(
    db_path: Path,
    *,
    readonly: bool = False,
    migrations: list[Callable[[sqlite3.Connection], None]] | None = None,
) -> sqlite3.Connection:
    """Open (and for writers create and migrate) the database."""
    if readonly:
        uri = f"file:{db_path}?mode=ro"
        conn = sqlite3.connect(uri, uri=True, isolation_level=None, check_same_thread=False)
        conn.execute("PRAGMA busy_timeout = 30000")
        return conn
    db_path.parent.mkdir(parents=True, exist_ok=True)
    conn = sqlite3.connect(db_path, isolation_level=None, check_same_thread=False)
    configure(conn)
    migrate(conn, migrations)
    return conn

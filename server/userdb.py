"""The user's own decisions, kept apart from the rebuildable index: stated preferences,
tombstones of forgotten records, the audit log of tool calls, HTTP access tokens.

``user.db`` sits next to ``pctx.db``. It is small and written in short transactions, so
a server can record what the user says even while a long ingest holds the index's write
lock; and deleting the index (to rebuild it from the exports) never loses it.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from pathlib import Path

from server.schema import connect, run_script

_V1 = """
CREATE TABLE stated_preferences (
    id INTEGER PRIMARY KEY,
    statement TEXT NOT NULL,
    domain TEXT,
    polarity TEXT NOT NULL CHECK (polarity IN ('like', 'dislike', 'fact')),
    item TEXT,                          -- what it is about ("horror", "Fela Kuti")
    created_at TEXT NOT NULL,
    origin TEXT NOT NULL DEFAULT 'user' -- 'user' (CLI) or the MCP client's name
);
"""

_V2 = """
-- Forgotten records: a re-import never brings them back (kept here so that rebuilding
-- the index from the exports keeps them forgotten).
CREATE TABLE tombstones (
    id TEXT PRIMARY KEY,
    source TEXT,
    forgotten_at TEXT NOT NULL,
    reason TEXT
) WITHOUT ROWID;

-- Every tool call: who asked what, which records went out, what redaction did.
CREATE TABLE audit (
    id INTEGER PRIMARY KEY,
    at TEXT NOT NULL,
    client TEXT,
    tool TEXT NOT NULL,
    arguments TEXT,
    record_ids TEXT,
    redactions TEXT,
    is_error INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX audit_at ON audit (at);

-- Bearer tokens for HTTP on non-loopback addresses (only their SHA-256 is stored).
CREATE TABLE tokens (
    id INTEGER PRIMARY KEY,
    sha256 TEXT NOT NULL UNIQUE,
    label TEXT,
    created_at TEXT NOT NULL
);
"""

USER_MIGRATIONS: list[Callable[[sqlite3.Connection], None]] = [
    lambda conn: run_script(conn, _V1),
    lambda conn: run_script(conn, _V2),  # tombstones, audit, tokens
]


def user_db_path(data_dir: Path) -> Path:
    """Where ``user.db`` lives."""
    return data_dir / "user.db"


def connect_user(data_dir: Path) -> sqlite3.Connection:
    """Open (creating and migrating) ``user.db``."""
    return connect(user_db_path(data_dir), migrations=USER_MIGRATIONS)

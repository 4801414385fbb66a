"""The user's own decisions, kept apart from the rebuildable index: stated preferences.

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

USER_MIGRATIONS: list[Callable[[sqlite3.Connection], None]] = [
    lambda conn: run_script(conn, _V1),
]


def user_db_path(data_dir: Path) -> Path:
    """Where ``user.db`` lives."""
    return data_dir / "user.db"


def connect_user(data_dir: Path) -> sqlite3.Connection:
    """Open (creating and migrating) ``user.db``."""
    return connect(user_db_path(data_dir), migrations=USER_MIGRATIONS)

"""The change log an engine with its own index (Whoosh) follows: triggers on ``records``
append the ids of changed records to ``whoosh_log``. Kept apart from the engine so the
default FTS5 setup can drop a log left behind without importing Whoosh."""

from __future__ import annotations

import sqlite3

LOG_TABLE = "whoosh_log"
LOG_TRIGGERS = ("whoosh_log_ai", "whoosh_log_ad", "whoosh_log_au")
#: ``meta`` key: a random token naming this database, so an index built for another
#: (a deleted and re-created pctx.db) is noticed.
EPOCH_KEY = "whoosh_epoch"


def has_log(conn: sqlite3.Connection) -> bool:
    """True when the change log's table or any of its triggers exist."""
    names = (LOG_TABLE, *LOG_TRIGGERS)
    marks = ",".join("?" * len(names))
    found = conn.execute(f"SELECT 1 FROM sqlite_master WHERE name IN ({marks})", names)
    return found.fetchone() is not None


def remove_log(conn: sqlite3.Connection) -> None:
    """Drop the change log and its triggers (after switching back to FTS5): otherwise
    every record change would still be logged, for no reader. An engine that needs the
    log again rebuilds its index when it finds the log gone."""
    conn.execute("BEGIN IMMEDIATE")
    try:
        for name in LOG_TRIGGERS:
            conn.execute(f"DROP TRIGGER IF EXISTS {name}")
        conn.execute(f"DROP TABLE IF EXISTS {LOG_TABLE}")
        conn.execute("DELETE FROM meta WHERE key = ?", (EPOCH_KEY,))
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise

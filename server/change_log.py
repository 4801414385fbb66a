"""The change log an engine with its own index (Whoosh) follows: triggers on ``records``
append the ids of changed records to ``whoosh_log``. Its names, its DDL and dropping it
live apart from the engine so the default FTS5 setup can drop a log left behind without
importing Whoosh."""

from __future__ import annotations

import sqlite3

LOG_TABLE = "whoosh_log"
LOG_TRIGGERS = ("whoosh_log_ai", "whoosh_log_ad", "whoosh_log_au")
#: ``meta`` key: a random token naming this database, so an index built for another
#: (a deleted and re-created pctx.db) is noticed.
EPOCH_KEY = "whoosh_epoch"
LOG_NAMES = (LOG_TABLE, *LOG_TRIGGERS)
LOG_SQL = f"""
CREATE TABLE IF NOT EXISTS {LOG_TABLE} (seq INTEGER PRIMARY KEY AUTOINCREMENT, id TEXT NOT NULL);
CREATE TRIGGER IF NOT EXISTS whoosh_log_ai AFTER INSERT ON records BEGIN
    INSERT INTO {LOG_TABLE} (id) VALUES (new.id);
END;
CREATE TRIGGER IF NOT EXISTS whoosh_log_ad AFTER DELETE ON records BEGIN
    INSERT INTO {LOG_TABLE} (id) VALUES (old.id);
END;
CREATE TRIGGER IF NOT EXISTS whoosh_log_au
AFTER UPDATE OF id, source, kind, ts, title, text, creator, tags ON records BEGIN
    INSERT INTO {LOG_TABLE} (id) SELECT old.id WHERE old.id != new.id;
    INSERT INTO {LOG_TABLE} (id) VALUES (new.id);
END;
"""


def log_objects(conn: sqlite3.Connection) -> int:
    """How many of the change log's table and triggers exist (all: ``len(LOG_NAMES)``)."""
    marks = ",".join("?" * len(LOG_NAMES))
    found = conn.execute(f"SELECT count(*) FROM sqlite_master WHERE name IN ({marks})", LOG_NAMES)
    return int(found.fetchone()[0])


def has_log(conn: sqlite3.Connection) -> bool:
    """True when the change log's table or any of its triggers exist."""
    return log_objects(conn) > 0


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

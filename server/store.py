"""Writing to the store: files and their outcomes, records, providers, removal.

One writer at a time (SQLite's write lock); every file is written in one transaction so
readers never see half a file. Records are keyed by their stable id: the same record from
a second file only adds that file as a further provider.
"""

from __future__ import annotations

import contextlib
import json
import os
import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import lru_cache
from pathlib import Path

import orjson

from connectors.base import Record
from server.schema import FTS_TRIGGER_NAMES, FTS_TRIGGERS, RECORD_INDEXES, connect, run_script
from server.userdb import connect_user, user_db_path

_CHUNK = 900  # stay under SQLite's bound-parameter limit
#: ``meta`` key set while a bulk first import runs without the full-text triggers.
BULK_KEY = "fts_bulk"
#: WAL pages between automatic checkpoints: SQLite's default, and during a bulk import.
CHECKPOINT_PAGES = 1_000
BULK_CHECKPOINT_PAGES = 25_000


@dataclass(slots=True)
class FileRow:
    """What the store remembers about one file."""

    id: int
    path: str
    root: str
    size: int
    mtime: float | None
    fingerprint: str | None
    outcome: str
    connector: str | None
    reason: str | None
    records: int


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


@lru_cache(maxsize=1 << 16)
def _date_facets(day: int) -> str:
    month = datetime.fromtimestamp(day * 86_400, UTC).strftime("%Y%m")
    return f" zy{month[:4]} zm{month}"


@lru_cache(maxsize=1 << 12)
def _source_kind_facets(source: str, kind: str) -> str:
    compact = source.replace(".", "").replace("_", "").replace("-", "")
    out = f"zs{compact}"
    dot = source.find(".")
    if dot > 0:
        out += " zs" + source[:dot].replace("_", "").replace("-", "")
    return out + f" zk{kind}"


def facets(source: str, kind: str, ts: int | None) -> str:
    """Filter tokens indexed with every record (so source, kind and date filters are
    part of the full-text query): ``zs<source>``, ``zs<platform>``, ``zk<kind>``,
    ``zy<year>``, ``zm<year><month>``. Must match ``schema.FACETS_SQL``. (Cached per
    source and kind, and per day: strftime for every record cost ~4% of an ingest.)"""
    out = _source_kind_facets(source, kind)
    return out if ts is None else out + _date_facets(ts // 86_400_000)


def _dumps(value: object) -> str:
    """Compact JSON for the ``numbers`` and ``extra`` columns: orjson (8x faster than
    ``json.dumps``, ~5% of an ingest), else ``json.dumps`` for what orjson refuses (lone
    surrogates, integers beyond 64 bits), as before."""
    try:
        return orjson.dumps(value, default=str, option=_ORJSON_OPTIONS).decode()
    except (orjson.JSONEncodeError, TypeError):
        return json.dumps(value, separators=(",", ":"), ensure_ascii=False, default=str)


#: Dates and dataclasses go through ``default=str`` as with ``json.dumps``.
_ORJSON_OPTIONS = (
    orjson.OPT_NON_STR_KEYS | orjson.OPT_PASSTHROUGH_DATETIME | orjson.OPT_PASSTHROUGH_DATACLASS
)


def finish_bulk(conn: sqlite3.Connection) -> None:
    """End a bulk first import (or finish one that was interrupted): build the secondary
    indexes and the full-text index from the records, restore the triggers and clear the
    flag, in one transaction; then checkpoint as usual again, syncing the bulk writes."""
    conn.execute("BEGIN IMMEDIATE")
    try:
        for name, on in RECORD_INDEXES.items():
            conn.execute(f"CREATE INDEX IF NOT EXISTS {name} ON {on}")
        conn.execute("INSERT INTO records_fts (records_fts) VALUES ('rebuild')")
        for name in FTS_TRIGGER_NAMES:
            conn.execute(f"DROP TRIGGER IF EXISTS {name}")
        run_script(conn, FTS_TRIGGERS)
        conn.execute("DELETE FROM meta WHERE key = ?", (BULK_KEY,))
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")
    conn.execute(f"PRAGMA wal_autocheckpoint = {CHECKPOINT_PAGES}")
    conn.execute("PRAGMA main.synchronous = NORMAL")
    conn.execute("PRAGMA wal_checkpoint(PASSIVE)")


def record_row(rec: Record, file_id: int) -> tuple[object, ...]:
    """A record as a row of the ``records`` table (without rowid)."""
    ts = None if rec.timestamp is None else int(rec.timestamp.timestamp() * 1000)
    return (
        rec.id,
        rec.source,
        rec.kind,
        ts,
        1 if rec.tz_known else 0,
        rec.title,
        rec.text,
        rec.url,
        rec.creator,
        " ".join(rec.tags) if rec.tags else None,
        _dumps(rec.numbers) if rec.numbers else None,
        _dumps(rec.extra) if rec.extra else None,
        file_id,
        rec.position,
        1 if rec.third_party else 0,
        facets(rec.source, rec.kind, ts),
    )


_INSERT_RECORD = (
    "INSERT INTO records (id, source, kind, ts, tz_known, title, text, url, creator, tags,"
    " numbers, extra, file_id, position, third_party, facets)"
    " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)"
)


class Store:
    """The writer's handle on the database."""

    def __init__(self, db_path: Path) -> None:
        self.db_path = db_path
        self.conn: sqlite3.Connection = connect(db_path)
        connect_user(db_path.parent).close()  # create and migrate user.db if needed
        self.conn.execute("ATTACH DATABASE ? AS userdb", (str(user_db_path(db_path.parent)),))
        self.refresh_tombstones()

    def refresh_tombstones(self) -> None:
        """Look again whether anything was forgotten (another process may have)."""
        self._has_tombstones = self._count("SELECT count(*) FROM userdb.tombstones") > 0

    def close(self) -> None:
        """Checkpoint lightly and close."""
        try:
            with contextlib.suppress(sqlite3.Error):  # e.g. a full disk: keep the real error
                self.conn.execute("PRAGMA wal_checkpoint(PASSIVE)")
        finally:
            self.conn.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _count(self, sql: str, params: Sequence[object] = ()) -> int:
        return int(self.conn.execute(sql, params).fetchone()[0])

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """One IMMEDIATE transaction (waits for the write lock, then holds it)."""
        self.conn.execute("BEGIN IMMEDIATE")
        try:
            yield
        except BaseException:
            # SQLite may already have rolled back by itself (a full disk): do not hide
            # the real error behind "cannot rollback - no transaction is active".
            if self.conn.in_transaction:
                self.conn.execute("ROLLBACK")
            raise
        self.conn.execute("COMMIT")

    # -- bulk first import -----------------------------------------------------------------

    def is_empty(self) -> bool:
        """True when no record is stored yet."""
        return self.conn.execute("SELECT 1 FROM records LIMIT 1").fetchone() is None

    def begin_bulk(self) -> None:
        """Stop maintaining the full-text index and the secondary indexes of ``records``
        row by row (triggers and indexes are dropped); :meth:`end_bulk` builds them in
        one pass each. A crash in between is repaired by :meth:`repair_bulk` on the next
        run."""
        with self.transaction():
            self.set_meta(BULK_KEY, "1")
            for name in FTS_TRIGGER_NAMES:
                self.conn.execute(f"DROP TRIGGER IF EXISTS {name}")
            for name in RECORD_INDEXES:
                self.conn.execute(f"DROP INDEX IF EXISTS {name}")
        # Checkpoint rarely: each checkpoint copies the index pages the last files touched
        # into the database again (1M rows, insert only: ~1 s of 17). And do not wait for
        # the disk at each one: a first import can always be redone from the exports,
        # and a process crash is safe without syncs (only an OS crash is not);
        # end_bulk syncs everything once.
        self.conn.execute(f"PRAGMA wal_autocheckpoint = {BULK_CHECKPOINT_PAGES}")
        self.conn.execute("PRAGMA main.synchronous = OFF")

    def end_bulk(self) -> None:
        """Build the secondary indexes and the full-text index from the records, and
        restore the triggers (:func:`finish_bulk`)."""
        finish_bulk(self.conn)

    def repair_bulk(self) -> bool:
        """Finish a bulk import that was interrupted; True when there was one."""
        if self.get_meta(BULK_KEY) is None:
            return False
        self.end_bulk()
        return True

    # -- runs ---------------------------------------------------------------------------

    def next_run(self) -> int:
        """A new run number (used to find files that disappeared)."""
        with self.transaction():
            run = int(self.get_meta("run") or 0) + 1
            self.set_meta("run", str(run))
        return run

    # -- files --------------------------------------------------------------------------

    def file_row(self, path: str) -> FileRow | None:
        """The stored row for ``path``, if any."""
        row = self.conn.execute(
            "SELECT id, path, root, size, mtime, fingerprint, outcome, connector, reason,"
            " records FROM files WHERE path = ?",
            (path,),
        ).fetchone()
        return FileRow(*row) if row else None

    def touch(self, file_id: int, run: int, root: str) -> None:
        """Mark an unchanged file as seen in this run."""
        self.touch_many([file_id], run, root)

    def touch_many(self, file_ids: Sequence[int], run: int, root: str) -> None:
        """Mark unchanged files as seen in this run."""
        self.conn.executemany(
            "UPDATE files SET seen_run = ?, root = ? WHERE id = ?",
            [(run, root, fid) for fid in file_ids],
        )

    def get_meta(self, key: str) -> str | None:
        """A value from the ``meta`` table."""
        row = self.conn.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return None if row is None else str(row[0])

    def set_meta(self, key: str, value: str) -> None:
        """Set a value in the ``meta`` table."""
        self.conn.execute(
            "INSERT INTO meta (key, value) VALUES (?, ?)"
            " ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            (key, value),
        )

    def save_file(
        self,
        *,
        path: str,
        root: str,
        relpath: str,
        size: int,
        mtime: float | None,
        fingerprint: str | None,
        outcome: str,
        connector: str | None,
        reason: str | None,
        run: int,
        records: int = 0,
        issues: int = 0,
        issue_sample: list[str] | None = None,
    ) -> int:
        """Insert or update a file row; returns its id. Call inside a transaction."""
        row = self.conn.execute(
            "INSERT INTO files (path, root, relpath, size, mtime, fingerprint, outcome,"
            " connector, reason, records, issues, issue_sample, indexed_at, seen_run)"
            " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)"
            " ON CONFLICT(path) DO UPDATE SET root = excluded.root,"
            " relpath = excluded.relpath, size = excluded.size, mtime = excluded.mtime,"
            " fingerprint = excluded.fingerprint, outcome = excluded.outcome,"
            " connector = excluded.connector, reason = excluded.reason,"
            " records = excluded.records, issues = excluded.issues,"
            " issue_sample = excluded.issue_sample, indexed_at = excluded.indexed_at,"
            " seen_run = excluded.seen_run RETURNING id",
            (
                path,
                root,
                relpath,
                size,
                mtime,
                fingerprint,
                outcome,
                connector,
                reason,
                records,
                issues,
                json.dumps(issue_sample, ensure_ascii=False) if issue_sample else None,
                _now(),
                run,
            ),
        ).fetchone()
        return int(row[0])

    def note_failure(self, file_id: int, reason: str, fingerprint: str | None) -> None:
        """Mark a file failed, keeping the records an earlier version provided."""
        self.conn.execute(
            "UPDATE files SET outcome = 'failed', reason = ?, fingerprint = ?,"
            " indexed_at = ? WHERE id = ?",
            (reason, fingerprint, _now(), file_id),
        )

    def moved_file(self, fingerprint: str, connector: str | None) -> FileRow | None:
        """An indexed file with this content whose path no longer exists (it was renamed
        or moved), if any."""
        rows = self.conn.execute(
            "SELECT id, path, root, size, mtime, fingerprint, outcome, connector, reason,"
            " records FROM files WHERE fingerprint = ? AND connector IS ? AND outcome = 'indexed'",
            (fingerprint, connector),
        ).fetchall()
        for row in rows:
            on_disk = row[1].split("!", 1)[0]
            if not os.path.exists(on_disk):
                return FileRow(*row)
        return None

    def adopt_file(
        self,
        file_id: int,
        *,
        path: str,
        root: str,
        relpath: str,
        size: int,
        mtime: float | None,
        connector: str | None,
        run: int,
    ) -> None:
        """Point a file row (and so its records) at the file's new path."""
        self.conn.execute(
            "UPDATE files SET path = ?, root = ?, relpath = ?, size = ?, mtime = ?,"
            " connector = ?, seen_run = ? WHERE id = ?",
            (path, root, relpath, size, mtime, connector, run, file_id),
        )

    def vanished_files(self, root: str, run: int) -> list[tuple[int, str]]:
        """Files under ``root`` not seen in ``run`` (deleted since the last scan)."""
        return self.conn.execute(
            "SELECT id, path FROM files WHERE root = ? AND (seen_run IS NULL OR seen_run != ?)",
            (root, run),
        ).fetchall()

    def remove_file(self, file_id: int) -> int:
        """Forget a file and the records only it provided; returns records removed."""
        removed = self.detach_file(file_id)
        self.conn.execute("DELETE FROM files WHERE id = ?", (file_id,))
        return removed

    # -- records ------------------------------------------------------------------------

    def detach_file(self, file_id: int) -> int:
        """Drop ``file_id`` as a provider: records it alone provided are deleted, records
        other files also provide are handed to one of them. Returns records deleted."""
        conn = self.conn
        handover = conn.execute(
            "SELECT e.record_rowid, min(e.file_id) FROM extra_providers e"
            " JOIN records r ON r.rowid = e.record_rowid"
            " WHERE r.file_id = ? AND e.file_id != ? GROUP BY e.record_rowid",
            (file_id, file_id),
        ).fetchall()
        if handover:
            conn.executemany(
                "UPDATE records SET file_id = ? WHERE rowid = ?",
                [(new, rowid) for rowid, new in handover],
            )
            conn.executemany(
                "DELETE FROM extra_providers WHERE record_rowid = ? AND file_id = ?", handover
            )
        conn.execute("DELETE FROM extra_providers WHERE file_id = ?", (file_id,))
        return conn.execute("DELETE FROM records WHERE file_id = ?", (file_id,)).rowcount

    def add_records(self, file_id: int, records: Iterable[Record]) -> tuple[int, int]:
        """Upsert one batch for ``file_id``. Returns ``(provided, new)``: the distinct ids
        this file provides from the batch, and how many of them were not stored yet."""
        batch: dict[str, Record] = {}
        for rec in records:
            batch.setdefault(rec.id, rec)
        if self._has_tombstones and batch:
            for chunk in _chunks(list(batch), _CHUNK):
                marks = ",".join("?" * len(chunk))
                for (dead,) in self.conn.execute(
                    f"SELECT id FROM userdb.tombstones WHERE id IN ({marks})", chunk
                ):
                    batch.pop(dead, None)
        existing: dict[str, tuple[int, int]] = {}
        for chunk in _chunks(list(batch), _CHUNK):
            marks = ",".join("?" * len(chunk))
            for rid, rowid, owner in self.conn.execute(
                f"SELECT id, rowid, file_id FROM records WHERE id IN ({marks})", chunk
            ):
                existing[rid] = (rowid, owner)
        new_rows = [record_row(r, file_id) for rid, r in batch.items() if rid not in existing]
        if new_rows:
            self.conn.executemany(_INSERT_RECORD, new_rows)
        shared = [(rowid, file_id) for rowid, owner in existing.values() if owner != file_id]
        if shared:
            self.conn.executemany(
                "INSERT OR IGNORE INTO extra_providers (record_rowid, file_id) VALUES (?, ?)",
                shared,
            )
        return len(batch), len(new_rows)


def _chunks(items: list[str], size: int) -> Iterator[list[str]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]

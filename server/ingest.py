"""Ingest: discover -> parse -> store, incremental and idempotent.

An unchanged file (same size and mtime, or same fingerprint) is not parsed again. A
changed file replaces what it provided, in one transaction. A file that fails keeps what
an earlier version of it provided. Files that disappeared from a scanned folder take the
records only they provided with them.
"""

from __future__ import annotations

import contextlib
import gc
import json
import logging
import os
import sqlite3
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from connectors import all_connectors
from connectors.base import Connector, ParseIssue, Record
from connectors.discover import Found, Route, cheap_fingerprint, fingerprint, iter_files, route
from server.locks import ingest_lock
from server.profile import STATS_KEY, refresh_stats
from server.store import FileRow, Store

log = logging.getLogger(__name__)

#: Parse issues kept per file for ``pctx status``.
ISSUE_SAMPLE = 5
#: A batch is written once it holds this many characters of text, however few records.
BATCH_TEXT_BYTES = 8 * 1024 * 1024
#: ``meta`` keys: the run in progress (any process) and the last finished run.
LIVE_KEY = "ingest_live"
LAST_RUN_KEY = "last_run"
#: ``meta`` key: bumped whenever a run changes records (preferences are derived again).
RECORDS_VERSION_KEY = "records_version"


def connector_label(connector: Connector) -> str:
    """``name@version`` of a connector; a version bump makes its files re-parse."""
    return f"{connector.name}@{getattr(connector, 'version', 1)}"


@dataclass(slots=True)
class FileEvent:
    """Progress report for one file."""

    path: str
    outcome: str  # indexed / ignored / unrecognised / failed / unchanged / moved / removed
    source: str | None = None
    records: int = 0
    reason: str | None = None


@dataclass
class IngestReport:
    """What one ingest run did."""

    files: Counter[str] = field(default_factory=Counter)
    records_by_source: Counter[str] = field(default_factory=Counter)
    parsed_files: int = 0
    records_written: int = 0
    records_new: int = 0
    new_by_source: Counter[str] = field(default_factory=Counter)
    records_removed: int = 0
    removed_files: int = 0
    moved_files: int = 0
    missing_roots: list[str] = field(default_factory=list)
    failures: list[tuple[str, str]] = field(default_factory=list)
    seconds: float = 0.0

    def as_dict(self) -> dict[str, object]:
        """JSON-friendly form."""
        return {
            "files": dict(self.files),
            "records_by_source": dict(self.records_by_source),
            "parsed_files": self.parsed_files,
            "records_written": self.records_written,
            "records_new": self.records_new,
            "new_by_source": dict(self.new_by_source),
            "records_removed": self.records_removed,
            "removed_files": self.removed_files,
            "moved_files": self.moved_files,
            "missing_roots": self.missing_roots,
            "failures": [{"path": p, "reason": r} for p, r in self.failures],
            "seconds": round(self.seconds, 3),
        }


def _unchanged(row: FileRow | None, found: Found, route_label: str | None) -> bool:
    """Cheap check: same size and mtime (plain files) or same CRC (archive members), and
    the same connector decision as last time."""
    if row is None:
        return False
    f = found.file
    if row.size != f.size or (row.connector or None) != route_label:
        return False
    if f.crc is not None:
        return row.fingerprint == f"crc:{f.crc:08x}:{f.size}"
    return row.mtime is not None and f.mtime is not None and abs(row.mtime - f.mtime) < 1e-6


def _refusal_changed(row: FileRow, found: Found) -> bool:
    """A file that failed before any connector read it (an archive limit, an unreadable
    archive) is looked at again when discovery's verdict changed: a raised limit takes
    effect on the next run."""
    return row.outcome == "failed" and row.connector is None and row.reason != found.failure


class Ingestor:
    """Runs ingest over folders with one :class:`Store`."""

    def __init__(
        self,
        store: Store,
        connectors: Sequence[Connector] | None = None,
        *,
        batch_size: int = 5000,
        max_member_bytes: int = 8 * 1024**3,
        max_archive_depth: int = 2,
        max_compression_ratio: float = 200.0,
        max_archive_bytes: int = 64 * 1024**3,
        max_archive_entries: int = 100_000,
        half_life_days: float = 90.0,
        keep: Callable[[Record], bool] | None = None,
        index_sync: Callable[[sqlite3.Connection], object] | None = None,
    ) -> None:
        self.store = store
        #: Called with the store's connection at the end of every run (an engine with
        #: its own index, such as whoosh, catches up with the run's changes).
        self.index_sync = index_sync
        #: Records for which this returns False are not indexed (privacy rules).
        self.keep = keep
        self.half_life_days = half_life_days
        self.connectors = tuple(connectors) if connectors is not None else all_connectors()
        self.batch_size = batch_size
        self.max_member_bytes = max_member_bytes
        self.max_archive_depth = max_archive_depth
        self.max_compression_ratio = max_compression_ratio
        self.max_archive_bytes = max_archive_bytes
        self.max_archive_entries = max_archive_entries

    def run(
        self,
        roots: Iterable[Path],
        progress: Callable[[FileEvent], None] | None = None,
        on_wait: Callable[[dict[str, Any] | None], None] | None = None,
    ) -> IngestReport:
        """Ingest every file under ``roots``; remove what vanished from them.

        Holds the data directory's ingest lock for the whole run: when another process
        is ingesting, ``on_wait`` is told who, and the run waits for it to finish.
        """
        lock = ingest_lock(self.store.db_path.parent)
        if not lock.acquire(timeout=0):
            if on_wait is not None:
                on_wait(lock.holder())
            lock.acquire(timeout=None)
        roots = [Path(r).expanduser().absolute() for r in roots]
        self._live: dict[str, Any] = {
            "pid": os.getpid(),
            "started_at": _now_iso(),
            "roots": [str(r) for r in roots],
            "files_seen": 0,
            "files_parsed": 0,
            "records_read": 0,
            "current": None,
        }
        self._published = 0.0
        # Parsing allocates millions of short-lived, acyclic objects: collecting the
        # youngest generation less often saves ~8% CPU (measured on the small corpus).
        thresholds = gc.get_threshold()
        gc.set_threshold(50_000, 20, 20)
        try:
            self.store.repair_bulk()  # a bulk import that crashed: finish its index first
            # A first import loads the records, then builds the full-text index in one
            # pass (several times faster than row by row); search sees it at the end.
            bulk = self.store.is_empty()
            if bulk:
                self.store.begin_bulk()
            try:
                report = self._run(roots, progress)
            finally:
                if bulk:
                    if self.store.conn.in_transaction:
                        self.store.conn.execute("ROLLBACK")
                    self.store.end_bulk()
            with self.store.transaction():
                self.store.set_meta(LAST_RUN_KEY, json.dumps(_last_run(report, self._live)))
                self.store.conn.execute("DELETE FROM meta WHERE key = ?", (LIVE_KEY,))
            if self.index_sync is not None:
                self.index_sync(self.store.conn)
            return report
        finally:
            if self.store.conn.in_transaction:
                self.store.conn.execute("ROLLBACK")
            with contextlib.suppress(Exception):
                self.store.conn.execute("DELETE FROM meta WHERE key = ?", (LIVE_KEY,))
            gc.set_threshold(*thresholds)
            lock.release()

    def _publish(self, current: str | None = None, force: bool = False) -> None:
        """Share this run's progress with other processes (throttled)."""
        now = time.monotonic()
        if not force and now - self._published < 0.5:
            return
        self._published = now
        self._live["current"] = current
        with self.store.transaction():
            self.store.set_meta(LIVE_KEY, json.dumps(self._live))

    def _run(self, roots: list[Path], progress: Callable[[FileEvent], None] | None) -> IngestReport:
        started = time.perf_counter()
        report = IngestReport()
        self._publish(force=True)
        self.store.refresh_tombstones()
        run = self.store.next_run()
        # What decides each file's outcome: the connectors and the archive limits. When it
        # changes (a new connector, a raised limit), every file is routed again.
        signature = ",".join(sorted(connector_label(c) for c in self.connectors)) + (
            f"|limits:{self.max_member_bytes}:{self.max_archive_depth}"
            f":{self.max_compression_ratio}:{self.max_archive_bytes}:{self.max_archive_entries}"
        )
        self._reroute = self.store.get_meta("connectors") != signature
        self._touched: list[int] = []
        for root in roots:
            if not root.exists():
                report.missing_roots.append(str(root))
                log.warning("folder %s does not exist (not mounted?); skipped", root)
                continue
            for found in iter_files(
                root,
                max_depth=self.max_archive_depth,
                max_member_bytes=self.max_member_bytes,
                max_compression_ratio=self.max_compression_ratio,
                max_archive_bytes=self.max_archive_bytes,
                max_archive_entries=self.max_archive_entries,
                skip=self.store.db_path.parent,
            ):
                event = self._one(found, str(root), run, report)
                report.files[event.outcome] += 1
                self._live["files_seen"] += 1
                self._live["records_read"] += event.records
                self._publish(found.file.display_path)
                if progress:
                    progress(event)
            self._flush_touched(run, str(root))
            with self.store.transaction():
                for file_id, path in self.store.vanished_files(str(root), run):
                    report.records_removed += self.store.remove_file(file_id)
                    report.removed_files += 1
                    if progress:
                        progress(FileEvent(path, "removed"))
        # Only a change of records touches the derived data (file outcomes are read live).
        records_changed = bool(
            report.records_written or report.records_removed or report.removed_files
        )
        with self.store.transaction():
            self.store.set_meta("connectors", signature)
            if records_changed:
                version = int(self.store.get_meta(RECORDS_VERSION_KEY) or 0) + 1
                self.store.set_meta(RECORDS_VERSION_KEY, str(version))
        if records_changed or self.store.get_meta(STATS_KEY) is None:
            refresh_stats(self.store.conn)
        report.seconds = time.perf_counter() - started
        return report

    def _flush_touched(self, run: int, root: str) -> None:
        if self._touched:
            with self.store.transaction():
                self.store.touch_many(self._touched, run, root)
            self._touched.clear()

    def _one(self, found: Found, root: str, run: int, report: IngestReport) -> FileEvent:
        f = found.file
        row = self.store.file_row(f.display_path)
        if (
            row is not None
            and not self._reroute
            and _unchanged(row, found, row.connector)
            and not _refusal_changed(row, found)
        ):
            self._touched.append(row.id)
            if len(self._touched) >= 5000:
                self._flush_touched(run, root)
            return FileEvent(f.display_path, "unchanged")
        decision = Route("failed", reason=found.failure) if found.failure else None
        if decision is None:
            decision = route(f, self.connectors)
        label = connector_label(decision.connector) if decision.connector else None
        if row is not None and _unchanged(row, found, label):
            self._touched.append(row.id)
            return FileEvent(f.display_path, "unchanged")
        common = {
            "path": f.display_path,
            "root": root,
            "relpath": f.relpath,
            "size": f.size,
            "mtime": f.mtime,
            "connector": label,
            "run": run,
        }
        if decision.outcome != "parse":
            with self.store.transaction():
                if row is not None and row.records:
                    report.records_removed += self.store.detach_file(row.id)
                self.store.save_file(
                    fingerprint=cheap_fingerprint(f),
                    outcome=decision.outcome,
                    reason=decision.reason,
                    **common,  # type: ignore[arg-type]
                )
            if decision.outcome == "failed":
                report.failures.append((f.display_path, decision.reason or ""))
            return FileEvent(f.display_path, decision.outcome, reason=decision.reason)

        assert decision.connector is not None
        try:
            fp = fingerprint(f)
        except OSError as exc:
            return self._fail(f.display_path, row, f"cannot read file: {exc}", None, common, report)
        if (
            row is not None
            and row.fingerprint == fp
            and row.outcome in ("indexed", "failed")
            and row.connector == label
        ):
            # Touched or moved but identical content, same connector: nothing to parse.
            with self.store.transaction():
                self.store.conn.execute(
                    "UPDATE files SET mtime = ?, seen_run = ?, root = ? WHERE id = ?",
                    (f.mtime, run, root, row.id),
                )
            return FileEvent(f.display_path, "unchanged")
        if row is None:
            moved = self.store.moved_file(fp, label)
            if moved is not None:
                # Renamed or moved, same content: keep its records, follow the new path.
                with self.store.transaction():
                    self.store.adopt_file(moved.id, **common)  # type: ignore[arg-type]
                report.moved_files += 1
                return FileEvent(f.display_path, "moved", reason=f"was {moved.path}")
        return self._parse(decision.connector, found, fp, row, common, report)

    def _parse(
        self,
        connector: Connector,
        found: Found,
        fp: str,
        row: FileRow | None,
        common: dict[str, object],
        report: IngestReport,
    ) -> FileEvent:
        f = found.file
        self._live["files_parsed"] += 1
        self._publish(f.display_path, force=True)
        issues: list[str] = []
        issue_count = 0
        provided = new = 0
        sources: Counter[str] = Counter()

        def records() -> Iterable[Record]:
            nonlocal issue_count
            for item in connector.parse(f):
                if isinstance(item, ParseIssue):
                    issue_count += 1
                    if len(issues) < ISSUE_SAMPLE:
                        where = f" (at {item.position})" if item.position else ""
                        issues.append(f"{item.message}{where}")
                    continue
                if self.keep is not None and not self.keep(item):
                    continue
                sources[item.source] += 1
                yield item

        try:
            with self.store.transaction():
                file_id = self.store.save_file(
                    fingerprint=fp,
                    outcome="indexed",
                    reason=None,
                    **common,  # type: ignore[arg-type]
                )
                removed = self.store.detach_file(file_id) if row is not None else 0
                for batch in _batches(records(), self.batch_size, BATCH_TEXT_BYTES):
                    got, fresh = self.store.add_records(file_id, batch)
                    provided += got
                    new += fresh
                self.store.conn.execute(
                    "UPDATE files SET records = ?, issues = ?, issue_sample = ?,"
                    " reason = ? WHERE id = ?",
                    (
                        provided,
                        issue_count,
                        _json_list(issues),
                        None if provided or not issue_count else "no valid records",
                        file_id,
                    ),
                )
        except Exception as exc:  # one bad file must never stop the run
            if index_write_problem(exc):
                raise  # the index cannot be written (disk full...): not the file's fault
            reason = _reason(exc, sources.total())
            log.info("failed to parse %s: %s", f.display_path, reason)
            return self._fail(f.display_path, row, reason, fp, common, report)
        report.parsed_files += 1
        report.records_written += provided
        report.records_new += new
        report.records_removed += removed
        source = sources.most_common(1)[0][0] if sources else connector.name
        report.records_by_source[source] += provided
        report.new_by_source[source] += new
        return FileEvent(f.display_path, "indexed", source=source, records=provided)

    def _fail(
        self,
        path: str,
        row: FileRow | None,
        reason: str,
        fp: str | None,
        common: dict[str, object],
        report: IngestReport,
    ) -> FileEvent:
        with self.store.transaction():
            if row is None:
                self.store.save_file(
                    fingerprint=fp,
                    outcome="failed",
                    reason=reason,
                    **common,  # type: ignore[arg-type]
                )
            else:
                self.store.note_failure(row.id, reason, fp)
                self.store.touch(row.id, int(common["run"]), str(common["root"]))  # type: ignore[call-overload]
        report.failures.append((path, reason))
        return FileEvent(path, "failed", reason=reason)


def _batches(records: Iterable[Record], size: int, text_budget: int) -> Iterator[list[Record]]:
    """Batches of at most ``size`` records and about ``text_budget`` characters of text:
    a batch of 5,000 newsletters (200k characters each) would otherwise hold a GB."""
    batch: list[Record] = []
    held = 0
    for rec in records:
        batch.append(rec)
        held += len(rec.text) if rec.text else 0
        if len(batch) >= size or held >= text_budget:
            yield batch
            batch, held = [], 0
    if batch:
        yield batch


def _json_list(items: list[str]) -> str | None:
    return json.dumps(items, ensure_ascii=False) if items else None


def _now_iso() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _last_run(report: IngestReport, live: dict[str, Any]) -> dict[str, Any]:
    """What ``pctx status`` shows about the latest run."""
    return {
        "pid": live["pid"],
        "started_at": live["started_at"],
        "finished_at": _now_iso(),
        "roots": live["roots"],
        "seconds": round(report.seconds, 2),
        "files": dict(report.files),
        "parsed_files": report.parsed_files,
        "records_new": report.records_new,
        "records_removed": report.records_removed,
        "failures": len(report.failures),
        "missing_roots": report.missing_roots,
    }


#: SQLite result codes that mean the database cannot be written at all.
_WRITE_PROBLEMS = {
    sqlite3.SQLITE_FULL: "full",
    sqlite3.SQLITE_READONLY: "read-only",
    sqlite3.SQLITE_IOERR: "i/o error",
}


def index_write_problem(exc: BaseException) -> str | None:
    """``"full"``, ``"read-only"`` or ``"i/o error"`` when ``exc``, or an error it
    interrupted (a failed rollback hides the first error), says the database cannot be
    written; None for anything else."""
    seen: BaseException | None = exc
    for _ in range(8):
        if seen is None:
            break
        if isinstance(seen, sqlite3.Error):
            code = getattr(seen, "sqlite_errorcode", None)
            if code is not None and (code & 0xFF) in _WRITE_PROBLEMS:
                return _WRITE_PROBLEMS[code & 0xFF]
            if "database or disk is full" in str(seen):
                return "full"
        seen = seen.__cause__ or seen.__context__
    return None


def _reason(exc: BaseException, parsed: int) -> str:
    from connectors.base import ParseError

    text = str(exc) if isinstance(exc, ParseError) else f"{type(exc).__name__}: {exc}"
    if parsed:
        text += f" (after {parsed} readable records; nothing from this version was kept)"
    return text

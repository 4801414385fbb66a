"""``pctx doctor``: check the installation, the config, the index and the clients.

Each check is one line: ``ok``, ``warn`` or ``fail``, what was found and how to fix it.
With ``repair`` the fixable problems are fixed and checked again: the full-text index is
rebuilt from the records table, orphan rows are deleted (providers of missing records or
files, records whose file row is gone and no other file provides), an interrupted run's
leftovers are cleared, stale lock info files are removed; ``VACUUM`` runs only with
``vacuum``. The index is opened without migrating it; repairs hold the ingest lock, so
they never run alongside an ingest.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import sqlite3
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Literal

from server import __version__
from server.config import Settings, default_config_path
from server.locks import FileLock, ingest_lock, pid_alive, writer_lock
from server.schema import SCHEMA_VERSION

Status = Literal["ok", "warn", "fail"]

#: Above this size the index gets ``PRAGMA quick_check`` instead of ``integrity_check``.
QUICK_CHECK_BYTES = 1024**3
#: Free space under the data directory below which doctor warns, and fails.
LOW_DISK_BYTES = 1024**3
CRITICAL_DISK_BYTES = 100 * 1024**2
#: How long the FTS check and repairs wait for SQLite's write lock (milliseconds).
BUSY_MS = 5000
MIN_PYTHON = (3, 11)
FINAL_OUTCOMES = ("indexed", "ignored", "unrecognised", "failed")


@dataclass
class Check:
    """One line of the report."""

    name: str
    status: Status
    message: str
    fix: str | None = None
    repaired: str | None = None
    details: list[str] = field(default_factory=list)


@dataclass
class Report:
    """All checks, in order."""

    checks: list[Check] = field(default_factory=list)

    def add(self, *args: Any, **kwargs: Any) -> Check:
        """Append a :class:`Check` and return it."""
        check = Check(*args, **kwargs)
        self.checks.append(check)
        return check

    @property
    def ok(self) -> bool:
        """True when no check failed."""
        return all(c.status != "fail" for c in self.checks)

    def as_dict(self) -> dict[str, Any]:
        """The report as JSON-ready data."""
        counts = {s: sum(c.status == s for c in self.checks) for s in ("ok", "warn", "fail")}
        return {"ok": self.ok, "counts": counts, "checks": [asdict(c) for c in self.checks]}


def _size(n: float) -> str:
    for unit in ("B", "KiB", "MiB", "GiB"):
        if n < 1024 or unit == "GiB":
            return f"{n:.0f} {unit}" if unit == "B" else f"{n:.1f} {unit}"
        n /= 1024
    return f"{n:.1f} TiB"  # pragma: no cover


# -- environment and config --------------------------------------------------------------------


def check_python(report: Report) -> None:
    """Python and SQLite versions, FTS5 available."""
    py = ".".join(map(str, sys.version_info[:3]))
    if sys.version_info < MIN_PYTHON:  # only reachable if the package's marker was bypassed
        report.add("python", "fail", f"Python {py}", "pctx needs Python 3.11 or newer")
    else:
        report.add("python", "ok", f"Python {py}, pctx {__version__} ({sys.executable})")
    try:
        conn = sqlite3.connect(":memory:")
        conn.execute("CREATE VIRTUAL TABLE t USING fts5(x)")
        conn.close()
    except sqlite3.Error as exc:
        report.add(
            "sqlite",
            "fail",
            f"SQLite {sqlite3.sqlite_version} has no FTS5 ({exc})",
            "use a Python whose sqlite3 module is built with FTS5 (python.org and most "
            "distributions' builds are)",
        )
    else:
        report.add("sqlite", "ok", f"SQLite {sqlite3.sqlite_version} with FTS5")


def check_config(report: Report, settings: Settings | None, config_error: str | None) -> None:
    """Where the config is, whether it is valid, and each watched folder."""
    if config_error is not None:
        report.add(
            "config",
            "fail",
            config_error,
            "correct the named key (every option is in config.example.toml)",
        )
        return
    assert settings is not None
    path = settings.config_path
    if path is None:
        report.add(
            "config",
            "ok",
            f"no config file ({default_config_path()} does not exist): defaults in use",
        )
    else:
        report.add("config", "ok", f"{path} is valid")
    if not settings.folders:
        report.add(
            "folders",
            "warn",
            "no watched folders: pctx serve and pctx watch index nothing by themselves",
            "pctx folders add ~/Exports (the folder where you drop your exports)",
        )
    for folder in settings.folders:
        p = folder.path
        name = f"folder {p}"
        if not p.exists():
            report.add(
                name, "warn", "does not exist yet", f"mkdir -p '{p}' (or pctx folders remove it)"
            )
        elif not p.is_dir():
            report.add(name, "fail", "is not a folder", f"pctx folders remove '{p}'")
        elif not os.access(p, os.R_OK | os.X_OK):
            report.add(name, "fail", "cannot be read by this user", f"chmod u+rx '{p}'")
        else:
            try:
                entries = sum(1 for _ in p.iterdir())
            except OSError as exc:
                report.add(name, "fail", f"cannot be listed: {exc}", f"check permissions of {p}")
                continue
            scope = "with sub-folders" if folder.recursive else "top level only"
            report.add(name, "ok", f"readable, {entries} entries ({scope})")


def check_data_dir(report: Report, data_dir: Path) -> None:
    """The data directory exists, is writable, and has room."""
    name = "data dir"
    if not data_dir.exists():
        parent = next((p for p in data_dir.parents if p.exists()), None)
        if parent is not None and not os.access(parent, os.W_OK):
            report.add(name, "fail", f"{data_dir} does not exist and cannot be created here")
            return
        report.add(name, "warn", f"{data_dir} does not exist yet", "pctx index PATH creates it")
        return
    if not data_dir.is_dir():
        report.add(name, "fail", f"{data_dir} is not a folder", "point --data-dir elsewhere")
        return
    if not os.access(data_dir, os.W_OK | os.X_OK):
        report.add(
            name, "fail", f"{data_dir} is not writable by this user", f"chmod u+rwx '{data_dir}'"
        )
        return
    free = shutil.disk_usage(data_dir).free
    msg = f"{data_dir}: writable, {_size(free)} free"
    if free < CRITICAL_DISK_BYTES:
        report.add(name, "fail", msg, "free disk space: indexing needs room for the index")
    elif free < LOW_DISK_BYTES:
        report.add(name, "warn", msg, "free some disk space before indexing large exports")
    else:
        report.add(name, "ok", msg)


# -- locks ------------------------------------------------------------------------------------


def _lock_state(lock: FileLock) -> tuple[bool | None, dict[str, Any] | None]:
    """(held, info): whether some process holds ``lock`` right now (None: unknown), and
    its info file if any. Probes without writing anything."""
    info: dict[str, Any] | None = None
    try:
        info = json.loads(lock.info_path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        pass
    except (OSError, ValueError):
        info = {}
    return lock.is_held(), info


def check_locks(report: Report, data_dir: Path, *, repair: bool) -> None:
    """Who holds the writer and ingest locks; stale info files left by a crash."""
    for lock, what in (
        (writer_lock(data_dir), "watches the folders"),
        (ingest_lock(data_dir), "is indexing"),
    ):
        name = f"{lock.role} lock"
        held, info = _lock_state(lock)
        who = ""
        if info:
            who = f"pid {info.get('pid', '?')} on {info.get('host', '?')} since {info.get('since')}"
        if held:
            report.add(name, "ok", f"held: {who or 'a process'} {what}")
            continue
        if held is None:
            report.add(name, "warn", f"cannot open {lock.path}", f"check permissions of {data_dir}")
            continue
        if info is None:
            report.add(name, "ok", "free")
            continue
        local = info.get("host") == socket.gethostname()
        alive = local and pid_alive(int(info.get("pid") or 0))
        if alive:  # the pid was reused, or the process lost the lock: worth a look
            check = report.add(
                name,
                "warn",
                f"free, but its info file names {who}, which is alive and does not hold it",
                "pctx doctor --repair removes the info file",
            )
        else:  # a process that exited without cleaning up (harmless)
            gone = "who has exited" if local else "on another machine"
            check = report.add(
                name, "ok", f"free (a stale info file names {who or 'nobody'}, {gone})"
            )
        if repair:
            # Taking the lock and giving it back removes the info file, and cannot race
            # with a process that takes the lock meanwhile.
            try:
                taken = lock.acquire(timeout=0)
            except OSError as exc:
                check.details.append(f"could not take the lock to clean up: {exc}")
                continue
            if taken:
                lock.release()
                check.status, check.fix = "ok", None
                check.repaired = f"removed {lock.info_path.name}"


# -- the index --------------------------------------------------------------------------------


@contextmanager
def _open_index(db_path: Path) -> Iterator[sqlite3.Connection]:
    conn = sqlite3.connect(db_path, isolation_level=None, check_same_thread=False)
    try:
        conn.execute(f"PRAGMA busy_timeout = {BUSY_MS}")
        yield conn
    finally:
        conn.close()


def _page_check(conn: sqlite3.Connection, pragma: str, limit: int) -> list[str]:
    """``PRAGMA integrity_check``/``quick_check``: ``["ok"]``, or up to ``limit``
    problems (a file SQLite cannot read at all gives its error as the one problem)."""
    try:
        return [r[0] for r in conn.execute(f"PRAGMA {pragma}({limit})")]
    except sqlite3.DatabaseError as exc:
        return [str(exc)]


def _fts_problem(conn: sqlite3.Connection) -> str | None:
    """None when the FTS index matches the records table, else SQLite's complaint.
    (``rank = 1`` makes the check compare the index with the external content too.)"""
    try:
        conn.execute("INSERT INTO records_fts (records_fts, rank) VALUES ('integrity-check', 1)")
    except sqlite3.OperationalError as exc:
        if "locked" in str(exc) or "busy" in str(exc):
            raise
        return str(exc)
    except sqlite3.DatabaseError as exc:
        return str(exc)
    return None


#: Orphan kinds: (what, SQL counting them).
ORPHANS: dict[str, tuple[str, str]] = {
    "providers_of_missing_records": (
        "extra providers of records that no longer exist",
        "SELECT count(*) FROM extra_providers e"
        " WHERE NOT EXISTS (SELECT 1 FROM records r WHERE r.rowid = e.record_rowid)",
    ),
    "providers_of_missing_files": (
        "extra providers naming files that are no longer known",
        "SELECT count(*) FROM extra_providers e"
        " WHERE NOT EXISTS (SELECT 1 FROM files f WHERE f.id = e.file_id)",
    ),
    "records_of_missing_files": (
        "records whose file is no longer known",
        "SELECT count(*) FROM records r"
        " WHERE NOT EXISTS (SELECT 1 FROM files f WHERE f.id = r.file_id)",
    ),
}


def count_orphans(conn: sqlite3.Connection) -> dict[str, int]:
    """How many rows of each orphan kind the index has."""
    return {key: int(conn.execute(sql).fetchone()[0]) for key, (_, sql) in ORPHANS.items()}


def delete_orphans(conn: sqlite3.Connection) -> dict[str, int]:
    """Remove orphan rows (call inside a transaction). A record whose file row is gone is
    handed to another file that provides it, if any; else it is deleted (its FTS entry
    goes with it, by trigger). Returns rows removed or re-homed per kind."""
    done = {"providers_of_missing_files": 0, "records_rehomed": 0, "records_deleted": 0}
    done["providers_of_missing_files"] = conn.execute(
        "DELETE FROM extra_providers"
        " WHERE NOT EXISTS (SELECT 1 FROM files f WHERE f.id = extra_providers.file_id)"
    ).rowcount
    handover = conn.execute(
        "SELECT e.record_rowid, min(e.file_id) FROM extra_providers e"
        " JOIN records r ON r.rowid = e.record_rowid"
        " WHERE NOT EXISTS (SELECT 1 FROM files f WHERE f.id = r.file_id)"
        " GROUP BY e.record_rowid"
    ).fetchall()
    conn.executemany(
        "UPDATE records SET file_id = ? WHERE rowid = ?", [(f, r) for r, f in handover]
    )
    conn.executemany("DELETE FROM extra_providers WHERE record_rowid = ? AND file_id = ?", handover)
    done["records_rehomed"] = len(handover)
    done["records_deleted"] = conn.execute(
        "DELETE FROM records WHERE NOT EXISTS (SELECT 1 FROM files f WHERE f.id = records.file_id)"
    ).rowcount
    done["providers_of_missing_records"] = conn.execute(
        "DELETE FROM extra_providers"
        " WHERE NOT EXISTS (SELECT 1 FROM records r WHERE r.rowid = extra_providers.record_rowid)"
    ).rowcount
    return done


def _meta_json(conn: sqlite3.Connection, key: str) -> dict[str, Any] | None:
    row = conn.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
    if row is None:
        return None
    try:
        value = json.loads(row[0])
    except (TypeError, ValueError):
        return {}
    return value if isinstance(value, dict) else {}


def _dead_run_state(conn: sqlite3.Connection) -> list[tuple[str, dict[str, Any]]]:
    """``meta`` entries of an ingest run or a watcher whose process is gone."""
    from server.ingest import LIVE_KEY
    from server.live import WATCH_KEY

    dead = []
    for key in (LIVE_KEY, WATCH_KEY):
        value = _meta_json(conn, key)
        if value is not None and not pid_alive(int(value.get("pid") or 0)):
            dead.append((key, value))
    return dead


def check_index(
    report: Report,
    settings: Settings,
    *,
    repair: bool,
    vacuum: bool,
) -> None:
    """Schema version, SQLite integrity, FTS consistency, orphans, stuck files, failed
    files; with ``repair`` fix what can be fixed."""
    db_path = settings.db_path
    if not db_path.exists():
        report.add(
            "index",
            "warn",
            f"no index at {db_path} yet",
            "pctx index PATH (or pctx folders add PATH, then pctx serve or pctx watch)",
        )
        return
    try:
        with _open_index(db_path) as conn:
            _check_index(report, settings, conn, repair=repair, vacuum=vacuum)
    except sqlite3.DatabaseError as exc:
        report.add(
            "index",
            "fail",
            f"{db_path}: {exc}",
            f"move {db_path.name} away and run pctx index again (your exports are the "
            "source of the index; stated preferences live in user.db and are kept)",
        )


def _check_index(
    report: Report,
    settings: Settings,
    conn: sqlite3.Connection,
    *,
    repair: bool,
    vacuum: bool,
) -> None:
    db_path = settings.db_path
    size = db_path.stat().st_size
    version = conn.execute("PRAGMA user_version").fetchone()[0]
    if version > SCHEMA_VERSION:
        report.add(
            "schema",
            "fail",
            f"version {version}, newer than this pctx ({SCHEMA_VERSION})",
            "upgrade pctx (pip install -U)",
        )
        return
    if version == 0:
        report.add("schema", "fail", "not a pctx index (schema version 0)", "pctx index PATH")
        return
    schema = report.add("schema", "ok", f"version {version} (current), {_size(size)}")
    if version < SCHEMA_VERSION:
        schema.status = "warn"
        schema.message = f"version {version}, older than this pctx ({SCHEMA_VERSION})"
        schema.fix = "pctx index (or pctx doctor --repair) migrates it"

    pragma = "quick_check" if size > QUICK_CHECK_BYTES else "integrity_check"
    rows = _page_check(conn, pragma, 20)
    if rows == ["ok"]:
        report.add("integrity", "ok", f"PRAGMA {pragma}: ok")
    else:
        report.add(
            "integrity",
            "fail",
            f"PRAGMA {pragma}: {len(rows)} problems, e.g. {rows[0]}",
            f"move {db_path.name} away and run pctx index again (the exports are the source)",
            details=rows,
        )
        return  # repairs on a damaged file would make it worse

    ingesting, _ = _lock_state(ingest_lock(db_path.parent))
    lock: FileLock | None = None
    if repair:
        lock = ingest_lock(db_path.parent)
        if not lock.acquire(timeout=0):
            report.add(
                "repair",
                "warn",
                "an ingest is running: nothing was repaired",
                "run pctx doctor --repair again when it has finished",
            )
            lock, repair = None, False
    try:
        if repair and version < SCHEMA_VERSION:
            from server.schema import migrate

            migrate(conn)
            schema.status, schema.fix = "ok", None
            schema.message = f"version {SCHEMA_VERSION} (current), {_size(size)}"
            schema.repaired = f"migrated from version {version}"
        if not ingesting or lock is not None:
            _check_bulk(report, conn, repair=lock is not None)
        _check_fts(report, conn, repair=repair, busy=bool(ingesting and not lock))
        _check_rows(report, settings, conn, repair=repair)
        if vacuum:
            if lock is None:
                report.add("vacuum", "warn", "skipped: --vacuum needs --repair and no ingest")
            else:
                before = db_path.stat().st_size
                conn.execute("VACUUM")
                conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
                after = db_path.stat().st_size
                report.add("vacuum", "ok", f"{_size(before)} -> {_size(after)}")
    finally:
        if lock is not None:
            lock.release()


def _check_bulk(report: Report, conn: sqlite3.Connection, *, repair: bool) -> None:
    """A first import that stopped half-way leaves its indexes unbuilt (the next
    ``pctx index`` finishes it; ``--repair`` does it now)."""
    from server.store import BULK_KEY, finish_bulk

    if conn.execute("SELECT 1 FROM meta WHERE key = ?", (BULK_KEY,)).fetchone() is None:
        return
    check = report.add(
        "first import",
        "fail",
        "a first import stopped half-way: its full-text and record indexes are not built",
        "pctx doctor --repair (or the next pctx index) builds them",
    )
    if repair:
        finish_bulk(conn)
        check.status, check.fix = "ok", None
        check.repaired = "built the indexes and restored the full-text triggers"


def _check_fts(report: Report, conn: sqlite3.Connection, *, repair: bool, busy: bool) -> None:
    name = "fts index"
    try:
        problem = _fts_problem(conn)
    except sqlite3.OperationalError as exc:
        why = "an ingest is writing" if busy else str(exc)
        report.add(name, "warn", f"not checked: {why}", "run pctx doctor again later")
        return
    if problem is None:
        report.add(name, "ok", "consistent with the records table")
        return
    check = report.add(
        name,
        "fail",
        f"does not match the records table ({problem}): searches miss or invent results",
        "pctx doctor --repair rebuilds it from the records table",
    )
    if repair:
        conn.execute("INSERT INTO records_fts (records_fts) VALUES ('rebuild')")
        again = _fts_problem(conn)
        if again is None:
            check.status, check.fix = "ok", None
            check.repaired = "rebuilt from the records table"
        else:
            check.details.append(f"still inconsistent after the rebuild: {again}")


def _check_rows(
    report: Report, settings: Settings, conn: sqlite3.Connection, *, repair: bool
) -> None:
    orphans = count_orphans(conn)
    found = {k: n for k, n in orphans.items() if n}
    if not found:
        report.add("orphans", "ok", "none (providers, records and files agree)")
    else:
        text = "; ".join(f"{n} {ORPHANS[k][0]}" for k, n in found.items())
        check = report.add(
            "orphans", "warn", text, "pctx doctor --repair deletes them (or hands records on)"
        )
        if repair:
            conn.execute("BEGIN IMMEDIATE")
            try:
                done = delete_orphans(conn)
                conn.execute("COMMIT")
            except BaseException:
                conn.execute("ROLLBACK")
                raise
            if not any(count_orphans(conn).values()):
                check.status, check.fix = "ok", None
            check.repaired = ", ".join(f"{k.replace('_', ' ')}: {n}" for k, n in done.items() if n)
            if done["records_deleted"] or done["records_rehomed"]:
                from server.prefs import derive
                from server.profile import refresh_stats

                refresh_stats(conn)
                derive(conn, settings.preferences.half_life_days)

    marks = ",".join("?" * len(FINAL_OUTCOMES))
    stuck = conn.execute(
        f"SELECT id, path, outcome FROM files WHERE outcome NOT IN ({marks}) OR indexed_at IS NULL",
        FINAL_OUTCOMES,
    ).fetchall()
    dead = _dead_run_state(conn)
    if not stuck and not dead:
        report.add("runs", "ok", "no interrupted run, no file left half-done")
    else:
        parts = []
        if stuck:
            parts.append(f"{len(stuck)} files not in a final state (e.g. {stuck[0][1]})")
        for key, value in dead:
            what = "an ingest run" if key.startswith("ingest") else "a folder watcher"
            parts.append(
                f"{what} (pid {value.get('pid', '?')}, "
                f"since {value.get('started_at') or value.get('since') or '?'}) did not finish"
            )
        check = report.add(
            "runs",
            "warn",
            "; ".join(parts),
            "pctx doctor --repair clears this; the next pctx index re-reads those files",
        )
        if repair:
            conn.execute("BEGIN IMMEDIATE")
            try:
                conn.executemany(
                    "UPDATE files SET outcome = 'failed', fingerprint = NULL,"
                    " reason = 'interrupted; read again on the next run' WHERE id = ?",
                    [(fid,) for fid, _, _ in stuck],
                )
                conn.executemany("DELETE FROM meta WHERE key = ?", [(k,) for k, _ in dead])
                conn.execute("COMMIT")
            except BaseException:
                conn.execute("ROLLBACK")
                raise
            check.status, check.fix = "ok", None
            check.repaired = (
                f"{len(stuck)} files marked to be read again, {len(dead)} run states cleared"
            )

    counts = dict(conn.execute("SELECT outcome, count(*) FROM files GROUP BY outcome").fetchall())
    records = conn.execute("SELECT count(*) FROM records").fetchone()[0]
    failed = conn.execute(
        "SELECT path, reason FROM files WHERE outcome = 'failed' ORDER BY path LIMIT 5"
    ).fetchall()
    summary = ", ".join(f"{n} {o}" for o, n in sorted(counts.items())) or "no files"
    if not counts.get("failed"):
        report.add("files", "ok", f"{records} records; files: {summary}")
    else:
        report.add(
            "files",
            "warn",
            f"{counts['failed']} files failed ({records} records; files: {summary})",
            "pctx status lists each failed file with its reason",
            details=[f"{p}: {r}" for p, r in failed],
        )


def check_user_db(report: Report, data_dir: Path) -> None:
    """``user.db`` (stated preferences, tombstones) passes a quick check."""
    path = data_dir / "user.db"
    if not path.exists():
        return
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    except sqlite3.DatabaseError as exc:
        rows = [str(exc)]
    else:
        try:
            rows = _page_check(conn, "quick_check", 5)
        finally:
            conn.close()
    if rows == ["ok"]:
        report.add("user data", "ok", f"{path.name}: quick_check ok")
    else:
        report.add(
            "user data",
            "fail",
            f"{path}: {rows[0]}",
            "restore user.db from a backup; it holds what you told pctx (not rebuildable)",
        )


# -- clients ----------------------------------------------------------------------------------


def check_clients(report: Report, data_dir: Path) -> None:
    """Every client config with a ``pctx`` entry: the command exists, same data dir."""
    from server.clients import entry_data_dir, find_entries

    entries, problems = find_entries()
    for path, why in problems:
        report.add(f"client config {path}", "warn", why, "fix the file by hand")
    if not entries:
        report.add(
            "clients",
            "warn",
            "no MCP client is set up to start pctx",
            "pctx setup claude-desktop (or claude-code, cursor, vscode)",
        )
        return
    here = data_dir.expanduser().absolute()
    for found in entries:
        name = f"{found.client.key} {found.name!r}"
        command = str(found.entry.get("command") or "")
        exe = Path(command)
        if not exe.is_absolute():
            located = shutil.which(command)
            report.add(
                name,
                "warn",
                f"{found.path}: command {command!r} is not an absolute path"
                + (f" (here it is {located})" if located else " and is not on PATH"),
                f"pctx setup {found.client.key} --force --name {found.name} writes the "
                "absolute path (clients start servers with a minimal PATH)",
            )
            continue
        if not exe.is_file() or not os.access(exe, os.X_OK):
            report.add(
                name,
                "fail",
                f"{found.path}: command {command} does not exist or is not executable",
                f"pctx setup {found.client.key} --force --name {found.name}",
            )
            continue
        theirs = entry_data_dir(found.entry)
        if theirs is None:
            report.add(
                name,
                "warn",
                f"{found.path}: starts {command}; its data dir cannot be told "
                "(its config file is missing or invalid)",
                "check PCTX_CONFIG in that entry",
            )
        elif theirs != here:
            report.add(
                name,
                "warn",
                f"{found.path}: starts {command} on another index ({theirs}, not {here})",
                f"pctx setup {found.client.key} --force --name {found.name} (with the "
                "--config/--data-dir you use here) if that is not on purpose",
            )
        else:
            report.add(name, "ok", f"{found.path}: starts {command} on this index")


# -- all together -----------------------------------------------------------------------------


def run_checks(
    settings: Settings | None,
    *,
    config_error: str | None = None,
    repair: bool = False,
    vacuum: bool = False,
    clients: bool = True,
) -> Report:
    """Every check, in order; with ``repair`` fix what can be fixed."""
    report = Report()
    check_python(report)
    check_config(report, settings, config_error)
    if settings is None:
        return report
    data_dir = settings.resolved_data_dir
    check_data_dir(report, data_dir)
    check_locks(report, data_dir, repair=repair)
    check_index(report, settings, repair=repair, vacuum=vacuum)
    check_user_db(report, data_dir)
    if clients:
        check_clients(report, data_dir)
    return report


MARK = {"ok": "[green]ok  [/]", "warn": "[yellow]warn[/]", "fail": "[red]fail[/]"}


def render(report: Report) -> list[str]:
    """The report as rich-markup lines."""
    from rich.markup import escape

    lines = []
    for c in report.checks:
        line = f"{MARK[c.status]} {escape(c.name)}: {escape(c.message)}"
        if c.repaired:
            line += f" [cyan](repaired: {escape(c.repaired)})[/]"
        lines.append(line)
        lines.extend(f"       [dim]{escape(d)}[/]" for d in c.details[:5])
        if c.fix and c.status != "ok":
            lines.append(f"       fix: {escape(c.fix)}")
    counts = report.as_dict()["counts"]
    lines.append(f"{counts['ok']} ok, {counts['warn']} warnings, {counts['fail']} failures")
    return lines

"""Live folders: one writer process watches the folders and keeps the index current.

Every ``pctx serve`` process runs a :class:`LiveIndexer` thread. Exactly one of them holds
the data directory's writer lock: it runs a catch-up scan, watches the configured folders
(and the config file, for folders added or removed), and ingests settled changes. The
others only serve reads and retry the lock every few seconds, so when the writer exits or
dies another takes over. Each ingest runs as a ``pctx index`` child process, which holds
the ingest lock: a long ingest never slows the server's answers, and no two processes
ever ingest at once.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from connectors.watch import FolderWatcher
from server.config import ConfigError, Settings, default_config_path, load_settings
from server.ingest import LIVE_KEY
from server.locks import writer_lock
from server.schema import connect

log = logging.getLogger(__name__)

WATCH_KEY = "watch_state"


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


class LiveIndexer:
    """The writer role: lock, catch-up scan, watch, ingest. Runs in a thread."""

    def __init__(
        self,
        settings: Settings,
        *,
        debounce: float = 1.0,
        settle: float = 1.0,
        retry: float = 2.0,
        on_event: Callable[[str, dict[str, Any]], None] | None = None,
    ) -> None:
        self.settings = settings
        self.data_dir = settings.resolved_data_dir
        self.debounce = debounce
        self.settle = settle
        self.retry = retry
        self.on_event = on_event
        self.lock = writer_lock(self.data_dir)
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._child: subprocess.Popen[str] | None = None
        self._watcher: FolderWatcher | None = None
        self._config_path = settings.config_path or default_config_path()
        self._config_mtime = self._mtime(self._config_path)
        self._last_published: dict[str, Any] | None = None

    # -- lifecycle ------------------------------------------------------------------------

    def start(self) -> None:
        """Start the background thread."""
        self._thread = threading.Thread(target=self._main, name="pctx-live", daemon=True)
        self._thread.start()

    def stop(self, timeout: float = 10.0) -> None:
        """Stop watching; end a running ingest child; release the lock."""
        self._stop.set()
        if self._watcher is not None:
            self._watcher.wake()
        child = self._child
        if child is not None and child.poll() is None:
            child.terminate()
        if self._thread is not None:
            self._thread.join(timeout=timeout)

    def run_forever(self) -> None:
        """Run in the calling thread until :meth:`stop` (for ``pctx watch``)."""
        self._main()

    @property
    def is_writer(self) -> bool:
        """True while this process holds the writer lock."""
        return self.lock.held

    # -- the loop ---------------------------------------------------------------------------

    def _emit(self, kind: str, **data: Any) -> None:
        if self.on_event is not None:
            self.on_event(kind, data)

    def _main(self) -> None:
        try:
            while not self._stop.is_set():
                if self.lock.acquire(timeout=0):
                    self._emit("writer", pid=os.getpid())
                    self._lead()
                    return
                holder = self.lock.holder()
                self._emit("waiting", holder=holder)
                self._stop.wait(self.retry)
        except Exception:
            log.exception("live indexing stopped by an error")
        finally:
            self.lock.release()

    def _lead(self) -> None:
        roots = self._roots(self.settings)
        watcher = FolderWatcher(
            roots, debounce=self.debounce, settle=self.settle, ignore=[self.data_dir]
        )
        self._watcher = watcher
        watcher.start()
        try:
            self._publish(watcher, "catching up")
            self._ingest(roots, "catch-up")
            while not self._stop.is_set():
                self._publish(watcher, "watching")
                changed = watcher.wait(timeout=self.retry)
                added = self._reload_config(watcher)
                todo = sorted(set(changed) | added)
                if todo and not self._stop.is_set():
                    self._publish(watcher, "indexing")
                    self._ingest(todo, "change")
        finally:
            watcher.stop()
            self._clear()

    @staticmethod
    def _roots(settings: Settings) -> list[Path]:
        return [f.path for f in settings.folders]

    @staticmethod
    def _mtime(path: Path) -> float | None:
        try:
            return path.stat().st_mtime
        except OSError:
            return None

    def _reload_config(self, watcher: FolderWatcher) -> set[Path]:
        """Pick up folders added or removed in the config file; returns new roots."""
        mtime = self._mtime(self._config_path)
        if mtime == self._config_mtime:
            return set()
        self._config_mtime = mtime
        try:
            fresh = load_settings(self._config_path if mtime is not None else None, self.data_dir)
        except ConfigError as exc:
            log.warning("config changed but is invalid, keeping the old folders: %s", exc)
            return set()
        self.settings = fresh
        added = watcher.set_roots(self._roots(fresh))
        self._emit("config", folders=[str(r) for r in watcher.roots])
        return {r for r in added if r.exists()}

    def _ingest(self, roots: Iterable[Path], why: str) -> dict[str, Any] | None:
        """Run ``pctx index --json ROOTS`` as a child process and wait for it."""
        roots = [str(r) for r in roots]
        if not roots:
            return None
        cmd = [sys.executable, "-m", "server", "--data-dir", str(self.data_dir)]
        if self.settings.config_path is not None:
            cmd += ["--config", str(self.settings.config_path)]
        cmd += ["index", "--json", *roots]
        self._emit("ingest-start", roots=roots, why=why)
        started = time.monotonic()
        self._child = subprocess.Popen(
            cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, stdin=subprocess.DEVNULL, text=True
        )
        while True:
            try:
                out, err = self._child.communicate(timeout=0.5)
                break
            except subprocess.TimeoutExpired:
                if self.on_event is not None:
                    live = self._read_meta(LIVE_KEY)
                    if live:
                        self._emit("progress", **live)
        code, self._child = self._child.returncode, None
        result: dict[str, Any] | None = None
        if code == 0:
            with contextlib.suppress(ValueError):
                result = json.loads(out)
        else:
            log.warning("ingest of %s ended with code %s: %s", roots, code, err.strip()[-500:])
        self._emit(
            "ingest-done",
            roots=roots,
            why=why,
            code=code,
            seconds=round(time.monotonic() - started, 2),
            report=result,
        )
        return result

    # -- shared state -----------------------------------------------------------------------

    def _publish(self, watcher: FolderWatcher, state: str) -> None:
        """Tell other processes what the writer is doing (``pctx status``,
        ``list_sources``)."""
        info = {
            "pid": os.getpid(),
            "state": state,
            "folders": sorted(str(r) for r in watcher.roots),
            "missing_folders": sorted(str(r) for r in watcher.missing),
            "pending_changes": watcher.pending,
        }
        if info == self._last_published:
            return  # idle: no write every poll
        self._last_published = info
        self._write_meta(json.dumps({**info, "updated_at": _now()}))

    def _clear(self) -> None:
        with contextlib.suppress(Exception):
            self._write_meta(None)

    def _read_meta(self, key: str) -> dict[str, Any] | None:
        conn = connect(self.settings.db_path)
        try:
            row = conn.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        finally:
            conn.close()
        return json.loads(row[0]) if row else None

    def _write_meta(self, value: str | None) -> None:
        conn = connect(self.settings.db_path)
        try:
            if value is None:
                conn.execute("DELETE FROM meta WHERE key = ?", (WATCH_KEY,))
            else:
                conn.execute(
                    "INSERT INTO meta (key, value) VALUES (?, ?)"
                    " ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                    (WATCH_KEY, value),
                )
        finally:
            conn.close()

"""Watching export folders: watchdog events turned into debounced, settled changes.

:class:`FolderWatcher` reports which watched roots changed, once the changes have
settled: no new event for ``debounce`` seconds, and every changed file's size and mtime
unchanged across ``settle`` seconds (a download or a copy of a 2 GB zip still growing is
not reported until it is complete). Temporary download names are not changes until they
are renamed. Roots that do not exist (yet, or any more: unmounted) are polled and
reported when they appear.
"""

from __future__ import annotations

import contextlib
import logging
import os
import threading
import time
from collections.abc import Iterable
from pathlib import Path

from watchdog.events import FileSystemEvent, FileSystemEventHandler
from watchdog.observers import Observer
from watchdog.observers.api import ObservedWatch

from connectors.discover import is_partial_download

log = logging.getLogger(__name__)

#: Event types that change nothing (our own ingest reads files and triggers them).
_READ_ONLY_EVENTS = frozenset({"opened", "closed_no_write"})


def _stat(path: str) -> tuple[int, int] | None:
    try:
        st = os.stat(path)
    except OSError:
        return None
    return st.st_size, st.st_mtime_ns


class _Handler(FileSystemEventHandler):
    def __init__(self, watcher: FolderWatcher, root: Path) -> None:
        self.watcher = watcher
        self.root = root

    def on_any_event(self, event: FileSystemEvent) -> None:
        if event.event_type in _READ_ONLY_EVENTS:
            return
        paths = [os.fsdecode(event.src_path)]
        dest = getattr(event, "dest_path", "")
        if dest:
            paths.append(os.fsdecode(dest))
        self.watcher._note(self.root, paths)


class FolderWatcher:
    """Watch folders and hand out the roots whose changes have settled."""

    def __init__(
        self,
        roots: Iterable[Path],
        *,
        debounce: float = 1.0,
        settle: float = 1.0,
        poll_interval: float = 2.0,
        ignore: Iterable[Path] = (),
    ) -> None:
        self.debounce = debounce
        self.settle = settle
        self.poll_interval = poll_interval
        self._ignore = [os.path.realpath(p) for p in ignore]
        self._cond = threading.Condition()
        self._observer = Observer()
        self._watches: dict[Path, ObservedWatch] = {}
        self._roots: set[Path] = set()
        self._missing: set[Path] = set()
        self._appeared: set[Path] = set()
        #: changed path -> (root, time of last event, last stat seen, time of that stat)
        self._pending: dict[str, tuple[Path, float, tuple[int, int] | None, float]] = {}
        self._last_poll = 0.0
        self._started = False
        self._woken = False
        self.set_roots(roots)

    # -- lifecycle ------------------------------------------------------------------------

    def start(self) -> None:
        """Start the observer thread."""
        self._observer.start()
        self._started = True

    def wake(self) -> None:
        """Make a blocked :meth:`wait` return now (used when shutting down)."""
        with self._cond:
            self._woken = True
            self._cond.notify_all()

    def stop(self) -> None:
        """Stop watching."""
        if self._started:
            self._observer.stop()
            self._observer.join(timeout=5)
            self._started = False

    # -- roots ----------------------------------------------------------------------------

    @property
    def roots(self) -> set[Path]:
        """The configured roots."""
        return set(self._roots)

    @property
    def missing(self) -> set[Path]:
        """Configured roots that do not exist right now."""
        return set(self._missing)

    @property
    def pending(self) -> int:
        """Changed paths waiting to settle."""
        with self._cond:
            return len(self._pending)

    def set_roots(self, roots: Iterable[Path]) -> set[Path]:
        """Watch exactly these roots; returns the roots that are new."""
        wanted = {Path(r).expanduser().absolute() for r in roots}
        added = wanted - self._roots
        for gone in self._roots - wanted:
            self._unschedule(gone)
            self._missing.discard(gone)
        self._roots = wanted
        for root in added:
            self._schedule(root)
        return added

    def _schedule(self, root: Path) -> None:
        if not root.is_dir():
            self._missing.add(root)
            return
        try:
            self._watches[root] = self._observer.schedule(
                _Handler(self, root), str(root), recursive=True
            )
            self._missing.discard(root)
        except OSError as exc:
            log.warning("cannot watch %s: %s", root, exc)
            self._missing.add(root)

    def _unschedule(self, root: Path) -> None:
        watch = self._watches.pop(root, None)
        if watch is not None:
            with contextlib.suppress(KeyError, OSError):
                self._observer.unschedule(watch)

    def _poll_roots(self) -> None:
        """Pick up roots that appeared; stop watching roots that disappeared."""
        for root in list(self._missing):
            if root.is_dir():
                self._schedule(root)
                if root not in self._missing:
                    log.info("folder %s appeared", root)
                    self._appeared.add(root)
        for root in list(self._watches):
            if not root.is_dir():
                log.warning("folder %s disappeared (unmounted?)", root)
                self._unschedule(root)
                self._missing.add(root)

    # -- events ---------------------------------------------------------------------------

    def _note(self, root: Path, paths: list[str]) -> None:
        now = time.monotonic()
        with self._cond:
            for path in paths:
                real = os.path.realpath(path)
                if any(real == i or real.startswith(i + os.sep) for i in self._ignore):
                    continue
                if is_partial_download(os.path.basename(path)):
                    continue
                self._pending[path] = (root, now, None, 0.0)
            self._cond.notify_all()

    def wait(self, timeout: float) -> set[Path]:
        """Block up to ``timeout`` seconds; return the roots whose changes settled (or that
        appeared), or an empty set."""
        deadline = time.monotonic() + timeout
        with self._cond:
            while True:
                now = time.monotonic()
                if now - self._last_poll >= self.poll_interval:
                    self._last_poll = now
                    self._poll_roots()
                if self._woken:
                    self._woken = False
                    return set()
                if self._appeared:
                    ready, self._appeared = set(self._appeared), set()
                    return ready
                ready = self._settled(now)
                if ready:
                    return ready
                remaining = deadline - now
                if remaining <= 0:
                    return set()
                step = min(remaining, self.poll_interval, 0.25 if self._pending else remaining)
                self._cond.wait(timeout=step)

    def _settled(self, now: float) -> set[Path]:
        """Roots whose pending changes are quiet and stable; clears them. Caller holds
        the condition."""
        if not self._pending:
            return set()
        if now - max(t for _, t, _, _ in self._pending.values()) < self.debounce:
            return set()
        stable = True
        for path, (root, last, seen, seen_at) in list(self._pending.items()):
            current = _stat(path)
            if seen_at == 0.0 or current != seen:
                self._pending[path] = (root, last, current, now)
                stable = False
            elif now - seen_at < self.settle:
                stable = False
        if not stable:
            return set()
        ready = {root for root, _, _, _ in self._pending.values()}
        self._pending.clear()
        return ready

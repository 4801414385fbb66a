"""Inter-process locks on files in the data directory.

The operating system releases these locks when their process dies, so a crash never
leaves a lock stuck. Two are used: ``writer.lock`` (the one ``pctx serve``/``watch``
process that watches folders) and ``ingest.lock`` (held for any ingest run, so no two
processes ever ingest at once).
"""

from __future__ import annotations

import json
import os
import socket
import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Any

if sys.platform == "win32":  # pragma: no cover - exercised on Windows only
    import msvcrt

    def _try_lock(fh: IO[str]) -> bool:
        try:
            fh.seek(0)
            msvcrt.locking(fh.fileno(), msvcrt.LK_NBLCK, 1)
            return True
        except OSError:
            return False

    def _unlock(fh: IO[str]) -> None:
        fh.seek(0)
        msvcrt.locking(fh.fileno(), msvcrt.LK_UNLCK, 1)

else:
    import fcntl

    def _try_lock(fh: IO[str]) -> bool:
        try:
            fcntl.flock(fh.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
            return True
        except OSError:
            return False

    def _unlock(fh: IO[str]) -> None:
        fcntl.flock(fh.fileno(), fcntl.LOCK_UN)


def pid_alive(pid: int) -> bool:
    """True when a process with this id exists on this machine."""
    if pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    except OSError:
        return False
    return True


class FileLock:
    """An exclusive, non-reentrant lock on ``path``; who holds it is written in
    ``path.info`` (pid, host, role, since)."""

    def __init__(self, path: Path, role: str) -> None:
        self.path = path
        self.info_path = path.with_name(path.name + ".info")
        self.role = role
        self._fh: IO[str] | None = None

    @property
    def held(self) -> bool:
        """True while this object holds the lock."""
        return self._fh is not None

    def acquire(self, timeout: float | None = 0.0, poll: float = 0.2) -> bool:
        """Try to take the lock, waiting up to ``timeout`` seconds (None: forever)."""
        if self._fh is not None:
            return True
        self.path.parent.mkdir(parents=True, exist_ok=True)
        deadline = None if timeout is None else time.monotonic() + timeout
        fh = open(self.path, "a+", encoding="utf-8")
        while True:
            if _try_lock(fh):
                self._fh = fh
                info = {
                    "pid": os.getpid(),
                    "host": socket.gethostname(),
                    "role": self.role,
                    "since": datetime.now(UTC).isoformat(timespec="seconds"),
                }
                self.info_path.write_text(json.dumps(info), encoding="utf-8")
                return True
            if deadline is not None and time.monotonic() >= deadline:
                fh.close()
                return False
            time.sleep(poll)

    def release(self) -> None:
        """Give the lock back (no-op if not held)."""
        if self._fh is None:
            return
        try:
            self.info_path.unlink(missing_ok=True)
            _unlock(self._fh)
        finally:
            self._fh.close()
            self._fh = None

    def is_held(self) -> bool | None:
        """Whether some process (this one included) holds the lock right now, found by
        trying it without waiting; None when the lock file cannot be opened."""
        if self._fh is not None:
            return True
        if not self.path.exists():
            return False
        try:
            fh = open(self.path, encoding="utf-8")
        except OSError:
            return None
        with fh:
            if _try_lock(fh):
                _unlock(fh)
                return False
        return True

    def holder(self) -> dict[str, Any] | None:
        """Who holds the lock, if anyone alive does (stale info is ignored)."""
        try:
            info = json.loads(self.info_path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        if self._fh is not None:
            return dict(info)
        if info.get("host") == socket.gethostname() and not pid_alive(int(info.get("pid", 0))):
            return None
        return dict(info)

    def __enter__(self) -> FileLock:
        self.acquire(timeout=None)
        return self

    def __exit__(self, *exc: object) -> None:
        self.release()


def writer_lock(data_dir: Path) -> FileLock:
    """The lock of the process that watches the folders."""
    return FileLock(data_dir / "writer.lock", "writer")


def ingest_lock(data_dir: Path) -> FileLock:
    """The lock held during an ingest run."""
    return FileLock(data_dir / "ingest.lock", "ingest")

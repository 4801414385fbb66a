"""The audit log of tool calls and the HTTP access tokens, both in ``user.db``."""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
import sqlite3
import threading
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from server.userdb import connect_user


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds")


class AuditLog:
    """Appends one row per tool call; old rows go after ``retention_days``.

    Keeps one connection open: closing the last connection to a WAL database
    checkpoints it (an fsync, ~15 ms), which would otherwise be paid on every call."""

    def __init__(self, data_dir: Path, retention_days: int = 90) -> None:
        self.data_dir = data_dir
        self.retention_days = retention_days
        self._writes = 0
        self._conn: sqlite3.Connection | None = None
        self._lock = threading.Lock()

    def close(self) -> None:
        """Close the connection (the server's shutdown)."""
        with self._lock:
            if self._conn is not None:
                self._conn.close()
                self._conn = None

    def record(
        self,
        *,
        tool: str,
        client: str | None,
        arguments: dict[str, Any] | None,
        record_ids: list[str],
        redactions: dict[str, int],
        is_error: bool,
    ) -> None:
        """Store one call (and every 200 calls, drop rows past the retention)."""
        with self._lock:
            if self._conn is None:
                self._conn = connect_user(self.data_dir)
            conn = self._conn
            conn.execute(
                "INSERT INTO audit (at, client, tool, arguments, record_ids, redactions,"
                " is_error) VALUES (?, ?, ?, ?, ?, ?, ?)",
                (
                    _now(),
                    client,
                    tool,
                    json.dumps(arguments or {}, ensure_ascii=False, default=str),
                    json.dumps(record_ids),
                    json.dumps(redactions),
                    1 if is_error else 0,
                ),
            )
            self._writes += 1
            if self._writes % 200 == 1:
                self._purge(conn)

    def purge(self) -> int:
        """Delete rows older than the retention; returns how many."""
        conn = connect_user(self.data_dir)
        try:
            return self._purge(conn)
        finally:
            conn.close()

    def _purge(self, conn: Any) -> int:
        cutoff = (datetime.now(UTC) - timedelta(days=self.retention_days)).isoformat()
        return int(conn.execute("DELETE FROM audit WHERE at < ?", (cutoff,)).rowcount)


def read_audit(
    data_dir: Path, *, since: str | None = None, tool: str | None = None, limit: int = 100
) -> list[dict[str, Any]]:
    """Audit rows, newest first."""
    sql = "SELECT id, at, client, tool, arguments, record_ids, redactions, is_error FROM audit"
    conds, params = [], []
    if since:
        conds.append("at >= ?")
        params.append(since)
    if tool:
        conds.append("tool = ?")
        params.append(tool)
    if conds:
        sql += " WHERE " + " AND ".join(conds)
    sql += " ORDER BY id DESC LIMIT ?"
    params.append(limit)
    conn = connect_user(data_dir)
    try:
        rows = conn.execute(sql, params).fetchall()
    finally:
        conn.close()
    return [
        {
            "id": r[0],
            "at": r[1],
            "client": r[2],
            "tool": r[3],
            "arguments": json.loads(r[4] or "{}"),
            "record_ids": json.loads(r[5] or "[]"),
            "redactions": json.loads(r[6] or "{}"),
            "is_error": bool(r[7]),
        }
        for r in rows
    ]


# -- tokens ---------------------------------------------------------------------------------


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def create_token(data_dir: Path, label: str | None = None) -> str:
    """A new random bearer token; only its hash is stored, so show it to the user once."""
    token = "pctx_" + secrets.token_urlsafe(32)
    conn = connect_user(data_dir)
    try:
        conn.execute(
            "INSERT INTO tokens (sha256, label, created_at) VALUES (?, ?, ?)",
            (_hash(token), label, _now()),
        )
    finally:
        conn.close()
    return token


def list_tokens(data_dir: Path) -> list[dict[str, Any]]:
    """The stored tokens (ids, labels, dates; never the tokens)."""
    conn = connect_user(data_dir)
    try:
        rows = conn.execute("SELECT id, label, created_at FROM tokens ORDER BY id").fetchall()
    finally:
        conn.close()
    return [{"id": r[0], "label": r[1], "created_at": r[2]} for r in rows]


def revoke_token(data_dir: Path, token_id: int) -> bool:
    """Delete a token; True when it existed."""
    conn = connect_user(data_dir)
    try:
        return conn.execute("DELETE FROM tokens WHERE id = ?", (token_id,)).rowcount > 0
    finally:
        conn.close()


def token_hashes(data_dir: Path) -> list[str]:
    """The stored token hashes (for the HTTP server to check requests against)."""
    conn = connect_user(data_dir)
    try:
        return [r[0] for r in conn.execute("SELECT sha256 FROM tokens")]
    finally:
        conn.close()


def token_ok(token: str, hashes: list[str]) -> bool:
    """Constant-time check of a presented token against the stored hashes."""
    digest = _hash(token)
    return any(hmac.compare_digest(digest, h) for h in hashes)

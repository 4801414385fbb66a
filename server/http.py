"""Serving MCP over streamable HTTP: loopback by default, a bearer token elsewhere.

On a loopback address the SDK's own DNS-rebinding protection applies. On any other
address the server refuses to start unless a token exists (``pctx token create``); every
request must then carry ``Authorization: Bearer <token>`` (checked against the stored
SHA-256, in constant time), and the Host header must be the bind address or one of
``[privacy] allowed_hosts``, so DNS-rebinding protection stays on.
"""

from __future__ import annotations

import ipaddress
from typing import Any

from mcp.server.mcpserver import MCPServer
from mcp.server.transport_security import TransportSecuritySettings

from server.audit import token_hashes, token_ok
from server.config import Settings


class HTTPRefused(Exception):
    """The HTTP server must not start as asked; the message says what to do."""


def is_loopback(host: str) -> bool:
    """127.0.0.0/8, ::1 or localhost."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


class BearerAuth:
    """ASGI middleware: 401 unless the request carries a valid bearer token."""

    def __init__(self, app: Any, hashes: list[str]) -> None:
        self.app = app
        self.hashes = hashes

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] == "http":
            headers = dict(scope.get("headers") or [])
            auth = headers.get(b"authorization", b"").decode("latin-1")
            token = auth[7:].strip() if auth.lower().startswith("bearer ") else ""
            if not token or not token_ok(token, self.hashes):
                await send(
                    {
                        "type": "http.response.start",
                        "status": 401,
                        "headers": [
                            (b"content-type", b"application/json"),
                            (b"www-authenticate", b'Bearer realm="pctx"'),
                        ],
                    }
                )
                await send(
                    {
                        "type": "http.response.body",
                        "body": b'{"error": "missing or invalid bearer token"}',
                    }
                )
                return
        await self.app(scope, receive, send)


def build_http_app(mcp: MCPServer, settings: Settings, host: str, port: int) -> Any:
    """The ASGI app to serve: the SDK's streamable HTTP app, behind the token check when
    the address is not loopback."""
    if is_loopback(host):
        return mcp.streamable_http_app(host=host)
    hashes = token_hashes(settings.resolved_data_dir)
    if not hashes:
        raise HTTPRefused(
            f"refusing to serve on {host} without a token: run `pctx token create`, give the "
            "token to your client (Authorization: Bearer ...), then start again"
        )
    names = [host, *settings.privacy.allowed_hosts]
    security = TransportSecuritySettings(
        enable_dns_rebinding_protection=True,
        allowed_hosts=[f"{n}:{port}" for n in names] + names,
        allowed_origins=[f"http://{n}:{port}" for n in names] + [f"https://{n}" for n in names],
    )
    app = mcp.streamable_http_app(host=host, transport_security=security)
    return BearerAuth(app, hashes)


def run_http(mcp: MCPServer, settings: Settings, host: str, port: int) -> None:
    """Serve until interrupted."""
    import uvicorn

    app = build_http_app(mcp, settings, host, port)
    uvicorn.run(app, host=host, port=port, log_level=settings.server.log_level.lower())

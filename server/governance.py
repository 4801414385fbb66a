"""MCP middleware: redaction of every answer and the audit log of every tool call.

It wraps ``tools/call`` and ``resources/read`` after the handler ran, so no tool can
forget it: the text and the structured content of the answer go through one
:class:`~server.privacy.Redactor` (placeholders stay the same across both), and the call
is written to the audit log with the record ids that went out and what redaction did.
"""

from __future__ import annotations

import logging
from typing import Any

import anyio
from pydantic import BaseModel

from server.audit import AuditLog
from server.config import PrivacySettings
from server.privacy import Redactor

log = logging.getLogger(__name__)

#: Keys of structured content that carry record ids.
_ID_KEYS = ("id",)
_ID_LIST_KEYS = ("evidence",)


def record_ids(obj: Any, out: list[str] | None = None) -> list[str]:
    """Every record id in a structured answer (``id`` fields and ``evidence`` lists)."""
    out = [] if out is None else out
    if isinstance(obj, dict):
        for key, value in obj.items():
            if key in _ID_KEYS and isinstance(value, str) and len(value) == 20:
                out.append(value)
            elif key in _ID_LIST_KEYS and isinstance(value, list):
                out.extend(v for v in value if isinstance(v, str))
            else:
                record_ids(value, out)
    elif isinstance(obj, list):
        for value in obj:
            record_ids(value, out)
    return out


def _client_name(ctx: Any, params: dict[str, Any]) -> str | None:
    try:
        return str(ctx.session.client_params.client_info.name)
    except AttributeError:
        meta = params.get("_meta") or {}
        info = meta.get("io.modelcontextprotocol/clientInfo") or {}
        return info.get("name")


class Governance:
    """Redacts answers and audits tool calls (an MCPServer middleware)."""

    def __init__(self, privacy: PrivacySettings, audit: AuditLog | None) -> None:
        self.privacy = privacy
        self.audit = audit

    async def __call__(self, ctx: Any, call_next: Any) -> Any:
        if ctx.method not in ("tools/call", "resources/read"):
            return await call_next(ctx)
        params: dict[str, Any] = dict(ctx.params or {})
        result = await call_next(ctx)
        if isinstance(result, BaseModel):
            result = result.model_dump(mode="json", by_alias=True, exclude_none=True)
        if not isinstance(result, dict):
            return result
        redactor = Redactor(self.privacy.redact, self.privacy.coordinate_decimals)
        if ctx.method == "tools/call":
            for block in result.get("content") or []:
                if isinstance(block, dict) and isinstance(block.get("text"), str):
                    block["text"] = redactor.text(block["text"])
            structured = result.get("structuredContent")
            if structured is not None:
                result["structuredContent"] = redactor.value(structured)
            if self.audit is not None:
                await self._audit(ctx, params, result, redactor)
        else:
            for block in result.get("contents") or []:
                if isinstance(block, dict) and isinstance(block.get("text"), str):
                    block["text"] = redactor.text(block["text"])
            if self.audit is not None:
                await self._audit(ctx, params, result, redactor, tool="resources/read")
        return result

    async def _audit(
        self,
        ctx: Any,
        params: dict[str, Any],
        result: dict[str, Any],
        redactor: Redactor,
        tool: str | None = None,
    ) -> None:
        assert self.audit is not None
        arguments = params.get("arguments") if tool is None else {"uri": params.get("uri")}
        entry = {
            "tool": tool or str(params.get("name")),
            "client": _client_name(ctx, params),
            "arguments": arguments if isinstance(arguments, dict) else {},
            "record_ids": list(dict.fromkeys(record_ids(result.get("structuredContent")))),
            "redactions": dict(redactor.counts),
            "is_error": bool(result.get("isError")),
        }
        try:
            await anyio.to_thread.run_sync(lambda: self.audit.record(**entry))  # type: ignore[union-attr]
        except Exception:  # the answer must not fail because the log could not be written
            log.exception("could not write the audit log")

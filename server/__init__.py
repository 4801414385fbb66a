"""Storing, deriving and serving: the store, the search engine, ingest, the MCP server."""

__version__ = "0.1.0"

#!/usr/bin/env bash
# Quick start: install pctx, index the bundled example exports of a made-up person,
# show her profile and a search, and print how to connect an MCP client.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
export PCTX_DATA_DIR="$PWD/.demo-data"
PCTX="$PWD/.venv/bin/pctx"

echo "== pctx index examples/"
"$PCTX" index examples
echo
echo "== pctx profile"
"$PCTX" profile
echo
echo "== pctx search \"kyoto\""
"$PCTX" search kyoto --limit 5
echo
echo "== pctx status"
"$PCTX" status
cat <<JSON

== Connect an MCP client (e.g. Claude Desktop: claude_desktop_config.json)
{
  "mcpServers": {
    "personal-context": {
      "command": "$PCTX",
      "args": ["serve"],
      "env": {"PCTX_DATA_DIR": "$PCTX_DATA_DIR"}
    }
  }
}
Then restart the client and ask it: "What have I been listening to lately?"
Index your own exports with: $PCTX index ~/Exports  (and drop PCTX_DATA_DIR above).
JSON

#!/usr/bin/env bash
# One command for a newcomer: install what is missing, build (release), index corpus/, and serve
# it with searchd on 127.0.0.1 (PORT, default 8080) in the foreground. Safe to run again:
# re-adding a document replaces it.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
port=${PORT:-8080}
index=${INDEX_DIR:-$root/data/index}

"$root/scripts/install-deps.sh"
"$root/scripts/build.sh" "$root/build/release" -DCMAKE_BUILD_TYPE=Release -DTREATY_BUILD_TESTS=OFF

indexer="$root/build/release/indexer/indexer"
if ! "$indexer" --index "$index" add "$root/corpus" 2>"$root/build/release/index-add.log"; then
  cat "$root/build/release/index-add.log" >&2
  # An index an older version built (another schema) is rebuilt from corpus/; anything else stops.
  grep -q "schema version" "$root/build/release/index-add.log" || exit 1
  echo "run: rebuilding $index with the current schema" >&2
  rm -rf "$index"
  "$indexer" --index "$index" add "$root/corpus"
fi
"$indexer" --index "$index" stats

echo "run: web UI on http://127.0.0.1:$port/ (JSON API: http://127.0.0.1:$port/search?q=缔约方; Ctrl-C stops it)" >&2
# TREATY_ADMIN_KEY (16+ characters) enables the API keys and document uploads (docs/API.md).
admin=()
if [ -n "${TREATY_ADMIN_KEY:-}" ]; then admin=(--admin-key-env TREATY_ADMIN_KEY); fi
exec "$root/build/release/searchd/searchd" --index "$index" --host 127.0.0.1 --port "$port" "${admin[@]}"

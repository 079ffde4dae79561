#!/usr/bin/env bash
# End-to-end tests of the web UI: indexes corpus/ (the seed) and two fixture documents
# (tests/fixtures/CBD-NP-MOP-3-4, CBD-SBI-2-8: the document facet then has three values) into a
# temporary directory, starts searchd on a
# free port of 127.0.0.1 with --web-root web and a random bootstrap admin key (E2E_ADMIN_KEY, for
# the upload tests), waits for /health, runs ui.test.mjs (Node's test runner, headless Chromium
# through playwright-core) and always stops the server.
#
#   tests/e2e/run.sh SEARCHD INDEXER        (or SEARCHD_BIN=... INDEXER_BIN=... tests/e2e/run.sh)
#
# Builds nothing: give it built binaries. Needs `npm ci` in tests/e2e first and /usr/bin/chromium
# (CHROMIUM_BIN overrides). Screenshots go to E2E_ARTIFACTS (default build/e2e-artifacts).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
searchd=${1:-${SEARCHD_BIN:-}}
indexer=${2:-${INDEXER_BIN:-}}
if [ ! -x "$searchd" ] || [ ! -x "$indexer" ]; then
  echo "usage: tests/e2e/run.sh SEARCHD INDEXER (executables; or set SEARCHD_BIN and INDEXER_BIN)" >&2
  exit 2
fi
searchd=$(cd "$(dirname "$searchd")" && pwd)/$(basename "$searchd")
indexer=$(cd "$(dirname "$indexer")" && pwd)/$(basename "$indexer")
if [ ! -d "$here/node_modules/playwright-core" ]; then
  echo "e2e: playwright-core is missing: run 'npm ci' in tests/e2e" >&2
  exit 2
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/treaty-e2e.XXXXXX")
pid=""
cleanup() {
  if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
    kill -TERM "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

"$indexer" --quiet --index "$work/index" add "$root/corpus" \
  "$root/tests/fixtures/CBD-NP-MOP-3-4.zh.txt" "$root/tests/fixtures/CBD-SBI-2-8.zh.txt" >/dev/null

# A fresh bootstrap admin key ("*") for this run only: the upload tests make their keys with it.
E2E_ADMIN_KEY=$(head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n')
export E2E_ADMIN_KEY

# --web-root web is relative: start from the project root.
(cd "$root" && exec "$searchd" --index "$work/index" --host 127.0.0.1 --port 0 --web-root web --quiet \
   --admin-key-env E2E_ADMIN_KEY \
   >"$work/searchd.out" 2>"$work/searchd.err") &
pid=$!

url=""
for _ in $(seq 1 100); do
  url=$(grep -o 'http://127\.0\.0\.1:[0-9]*' "$work/searchd.out" 2>/dev/null | head -n1 || true)
  [ -n "$url" ] && break
  if ! kill -0 "$pid" 2>/dev/null; then
    echo "e2e: searchd exited early:" >&2
    cat "$work/searchd.err" >&2
    exit 1
  fi
  sleep 0.1
done
[ -n "$url" ] || { echo "e2e: searchd printed no URL" >&2; exit 1; }

healthy=false
for _ in $(seq 1 100); do
  if curl -sf -o /dev/null "$url/health"; then healthy=true; break; fi
  sleep 0.1
done
$healthy || { echo "e2e: $url/health never answered 200" >&2; cat "$work/searchd.err" >&2; exit 1; }
echo "e2e: searchd on $url/" >&2

export E2E_BASE_URL="$url"
export E2E_ARTIFACTS="${E2E_ARTIFACTS:-$root/build/e2e-artifacts}"
mkdir -p "$E2E_ARTIFACTS"
cd "$here"
timeout 150 node --test --test-concurrency=1 ui.test.mjs

#!/usr/bin/env bash
# One command for the whole test suite: install what is missing, then build and run every test
# twice: an optimised build with warnings on, and an ASan + UBSan build; the web UI's end-to-end
# tests (tests/e2e) run against the optimised build; last, each libFuzzer target for 30 s.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)

"$root/scripts/install-deps.sh"

"$root/scripts/build.sh" "$root/build/test" -DCMAKE_BUILD_TYPE=RelWithDebInfo
(cd "$root/build/test" && ctest --output-on-failure -j2)

# The web UI in headless Chromium, against the binaries just built (screenshots in build/e2e-artifacts).
if [ -f "$root/tests/e2e/package-lock.json" ]; then
  (cd "$root/tests/e2e" && npm ci --no-audit --no-fund)
else
  (cd "$root/tests/e2e" && npm install --no-audit --no-fund)
fi
"$root/tests/e2e/run.sh" "$root/build/test/searchd/searchd" "$root/build/test/indexer/indexer"

"$root/scripts/build.sh" "$root/build/asan" -DCMAKE_BUILD_TYPE=Debug -DTREATY_SANITIZE=ON
(cd "$root/build/asan" && ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1 \
   ctest --output-on-failure -j2)

# libFuzzer targets (tests/fuzz/, clang + ASan + UBSan in build/fuzz), 30 s each on the seed corpora.
"$root/scripts/fuzz.sh" 30

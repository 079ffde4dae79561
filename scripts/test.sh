#!/usr/bin/env bash
# One command for the whole test suite: install what is missing, then build and run every test
# twice: an optimised build with warnings on, and an ASan + UBSan build.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)

"$root/scripts/install-deps.sh"

"$root/scripts/build.sh" "$root/build/test" -DCMAKE_BUILD_TYPE=RelWithDebInfo
(cd "$root/build/test" && ctest --output-on-failure -j2)

"$root/scripts/build.sh" "$root/build/asan" -DCMAKE_BUILD_TYPE=Debug -DTREATY_SANITIZE=ON
(cd "$root/build/asan" && ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1 \
   ctest --output-on-failure -j2)

#!/usr/bin/env bash
# PDF path beside text path on the same documents (bench/PDF_PATH.md): pages/s and MB/s of the
# page-model PDF path, of parsing the text extract alone and of the old extract-then-parse path.
#   bench/pdf_path.sh [BUILD_DIR] [ROUNDS]   (default build/release, 20 rounds; PDFs of tests/fixtures/pdf)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$root/build/release}
rounds=${2:-20}
"$root/scripts/build.sh" "$build" -DCMAKE_BUILD_TYPE=Release >/dev/null
"$build/bench/pdf_path_bench" --rounds "$rounds" "$root"/tests/fixtures/pdf/*.pdf "$root"/tests/fixtures/pdf/heldout/*.pdf

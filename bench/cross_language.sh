#!/usr/bin/env bash
# Cross-language retrieval quality (docs/RELEVANCE.md, "Across languages"): MRR@10 and recall@10
# of English queries for Chinese paragraphs, lexical / projection / dictionary / both; then
# indexing MB/s per language beside Chinese (ROUNDS copies of each language's fixture PDFs).
#   bench/cross_language.sh [BUILD_DIR]   (default build/release)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$root/build/release}
"$root/scripts/build.sh" "$build" -DCMAKE_BUILD_TYPE=Release >/dev/null
"$build/bench/cross_language_bench" "$root"
echo
"$build/bench/language_index_bench" "$root" "${ROUNDS:-50}"

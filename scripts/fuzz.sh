#!/usr/bin/env bash
# Builds the libFuzzer targets (tests/fuzz/) in build/fuzz with clang, ASan and UBSan, and runs
# each for SECONDS (default 30) on its seed corpus. Usage: scripts/fuzz.sh [SECONDS] [TARGET...]
# (targets: fuzz_document_parser fuzz_query_parser fuzz_extractors fuzz_request_params fuzz_key_requests; default
# all). Exits non-zero when a target crashes, leaks, hits undefined behaviour, runs out of memory
# or times out; the input that did it is printed ("Test unit written to build/fuzz/crashes/...").
# Seeds: the fixture documents and corpus/ (split into lines for the extractors) and
# tests/fuzz/seeds/; what a run adds is kept in build/fuzz/corpus/ for the next run.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
seconds=${1:-30}
shift || true
all=(fuzz_document_parser fuzz_query_parser fuzz_extractors fuzz_request_params fuzz_key_requests)
targets=("$@")
[ ${#targets[@]} -eq 0 ] && targets=("${all[@]}")
dir="$root/build/fuzz"

# Debian's clang 16 (scripts/install-deps.sh): clang 14 cannot compile libstdc++'s <expected>.
if [ -z "${CXX:-}" ]; then
  if command -v clang++-16 >/dev/null; then export CC=clang-16 CXX=clang++-16; else export CC=clang CXX=clang++; fi
fi
launcher=()
if command -v ccache >/dev/null; then
  export CCACHE_BASEDIR=${CCACHE_BASEDIR:-$(dirname "$root")}
  launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
fi
cmake -S "$root" -B "$dir" "${launcher[@]}" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DTREATY_FUZZ=ON \
  -DTREATY_BUILD_TESTS=OFF >/dev/null
cmake --build "$dir" -j"$(nproc)" --target "${targets[@]}"

# Seed corpora, rebuilt each run from the sources.
seeds="$root/tests/fuzz/seeds"
gen="$dir/seeds"
rm -rf "$gen"
mkdir -p "$gen/fuzz_document_parser" "$gen/fuzz_extractors" "$gen/fuzz_query_parser" "$gen/fuzz_request_params" \
  "$gen/fuzz_key_requests"
cp "$root"/tests/fixtures/*.txt "$root"/corpus/*.txt "$gen/fuzz_document_parser/"
# Extractors: the lines of the documents that hold a date or a reference.
n=0
for f in "$root"/tests/fixtures/*.txt "$root"/corpus/*.txt; do
  while IFS= read -r line; do
    case "$line" in
      *年*|*号决*|*号建议*|*/*/*) n=$((n + 1)); printf '%s' "$line" > "$gen/fuzz_extractors/line$n" ;;
    esac
  done < "$f"
done
for t in fuzz_document_parser fuzz_extractors fuzz_query_parser fuzz_request_params fuzz_key_requests; do cp "$seeds/$t"/* "$gen/$t/"; done

max_len() {
  case "$1" in
    fuzz_document_parser) echo 32768 ;;   # the seed document is 23 KB
    fuzz_extractors) echo 2048 ;;
    *) echo 1024 ;;
  esac
}
dict() {
  case "$1" in
    fuzz_query_parser) echo "-dict=$root/tests/fuzz/query.dict" ;;
    fuzz_request_params) echo "-dict=$root/tests/fuzz/request_params.dict" ;;
    fuzz_extractors) echo "-dict=$root/tests/fuzz/extractors.dict" ;;
  esac
}

# Stack traces with file:line need an llvm-symbolizer (any version; Debian's llvm-16 or llvm
# package), which the sanitizers do not always find by themselves.
if [ -z "${ASAN_SYMBOLIZER_PATH:-}" ]; then
  for s in llvm-symbolizer-16 llvm-symbolizer llvm-symbolizer-14; do
    if command -v "$s" >/dev/null; then export ASAN_SYMBOLIZER_PATH=$(command -v "$s"); break; fi
  done
fi

mkdir -p "$dir/crashes" "$dir/logs"
failed=()
for t in "${targets[@]}"; do
  mkdir -p "$dir/corpus/$t"
  log="$dir/logs/$t.log"
  echo "fuzz: $t for ${seconds}s (log: $log)"
  # Generous per-input timeout and memory: CI machines are small and shared.
  # shellcheck disable=SC2046
  if UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 ASAN_OPTIONS=detect_leaks=1 \
     "$dir/tests/fuzz/$t" -max_total_time="$seconds" -max_len="$(max_len "$t")" -timeout=10 \
       -rss_limit_mb=4096 -print_final_stats=1 -artifact_prefix="$dir/crashes/$t-" $(dict "$t") \
       "$dir/corpus/$t" "$gen/$t" >"$log" 2>&1; then
    grep -E "stat::number_of_executed_units|stat::new_units_added" "$log" | sed "s/^/  /"
  else
    failed+=("$t")
    tail -n 60 "$log"
    grep -E "Test unit written to|artifact_prefix" "$log" || true
    echo "fuzz: $t FAILED (full log: $log)"
  fi
done
if [ ${#failed[@]} -gt 0 ]; then
  echo "fuzz: failed: ${failed[*]}" >&2
  exit 1
fi
echo "fuzz: all ${#targets[@]} targets ran ${seconds}s without a finding"

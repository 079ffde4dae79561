#!/usr/bin/env bash
# Load while writing: 8 clients query searchd while the indexer adds and removes documents in a
# loop (bench/soak.py checks every answer); writes the "Load while writing" section of
# bench/RESULTS.md. Not part of the test suite.
#
#   bench/soak.sh [SECONDS]        # default 180; the index: 200 documents of the 1,000-doc corpus
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
shared=${SHARED_BENCH:-$root/../shared/bench}
duration=${1:-180}
data=${BENCH_DATA:-${TMPDIR:-/tmp}/bench-data}

. "$root/bench/common.sh"
bench_prepare 1000
mapfile -t files < <(ls "$data/corpus-1000/docs/"*.txt | sort)
index="$data/index/soak"
bench_index "$index" "${files[@]:0:200}"

port=$(bench_free_port)
"$release/searchd/searchd" --index "$index" --port "$port" --quiet &
pid=$!
trap 'kill $pid 2>/dev/null; wait $pid 2>/dev/null || true' EXIT
bench_wait_ready "$port"

out="$root/bench/results/soak"
mkdir -p "$out"
status=0
python3 "$root/bench/soak.py" --port "$port" --indexer "$release/indexer/indexer" --index "$index" \
  --duration "$duration" --rotate "${files[@]:200:20}" | tee "$out/summary.json" || status=$?
python3 - "$out" "$(nproc)" <<'PY'
import json, sys, datetime
out, cores = sys.argv[1:3]
s = json.load(open(f"{out}/summary.json"))
md = ["## Load while writing (bench/soak.sh)", "",
      f"{datetime.datetime.utcnow():%Y-%m-%d %H:%M} UTC, {cores} cores: {s['clients']} keep-alive clients query "
      f"(8 queries in turn, doc facet, lexical) while `indexer add` and `indexer remove` alternate on 20 documents "
      f"of the 1,000-doc corpus, over an index of 200 of them, for {s['duration_s']:.0f} s. Each answer is checked: "
      "a 200 whose total equals the sum of its doc facet and whose hits' documents are in that facet "
      "(one consistent revision).", "",
      "| answers | commits | failed answers | failed writes | p50 ms | p99 ms | max ms |",
      "|---|---|---|---|---|---|---|",
      f"| {s['answers']} | {s['commits']} | {s['failures']} | {s['writer_failures']} | {s['p50_ms']} | "
      f"{s['p99_ms']} | {s['max_ms']} |", ""]
open(f"{out}/report.md", "w").write("\n".join(md))
print("\n".join(md))
PY
python3 "$root/bench/splice_results.py" soak "$out/report.md" "$root/bench/RESULTS.md"
exit $status

#!/usr/bin/env bash
# Many clients at once: wrk with 1, 4, 16, 64 and 256 keep-alive connections on one query against
# searchd over the generated benchmark corpus; writes the "Many clients" table of bench/RESULTS.md.
# Not part of the test suite (timings never are).
#
#   bench/load.sh [DOCS]            # DOCS default 1000
#   DURATION=20 LEVELS="16 64" bench/load.sh
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
shared=${SHARED_BENCH:-$root/../shared/bench}
docs=${1:-1000}
duration=${DURATION:-15}
levels=${LEVELS:-1 4 16 64 256}
data=${BENCH_DATA:-${TMPDIR:-/tmp}/bench-data}
# q=遗传资源, computed every time (cache=false: one query repeated would otherwise measure the
# result cache)
query='q=%E9%81%97%E4%BC%A0%E8%B5%84%E6%BA%90&size=10&facets=org&mode=lexical&cache=false'

. "$root/bench/common.sh"
bench_prepare "$docs"
index="$data/index/load-$docs"
bench_index "$index" "$data/corpus-$docs/docs"

port=$(bench_free_port)
"$release/searchd/searchd" --index "$index" --port "$port" --quiet --max-connections 1024 &
pid=$!
trap 'kill $pid 2>/dev/null; wait $pid 2>/dev/null || true' EXIT
bench_wait_ready "$port"
url="http://127.0.0.1:$port/search?$query"
curl -sf "$url" >/dev/null  # warm the index

out="$root/bench/results/load"
mkdir -p "$out"
: > "$out/levels.jsonl"
for c in $levels; do
  threads=$(( c < 2 ? 1 : 2 ))
  line=$(wrk -t"$threads" -c"$c" -d"${duration}s" --timeout 2s -s "$root/bench/load_report.lua" "$url" | tail -1)
  echo "{\"clients\":$c,${line#\{}" | tee -a "$out/levels.jsonl"
done
python3 - "$out" "$docs" "$duration" "$(nproc)" <<'PY'
import json, sys, datetime
out, docs, duration, cores = sys.argv[1:5]
rows = [json.loads(l) for l in open(f"{out}/levels.jsonl")]
md = ["## Many clients (bench/load.sh)", "",
      f"{datetime.datetime.utcnow():%Y-%m-%d %H:%M} UTC, {cores} cores, docs={docs}; wrk {duration} s per level, "
      "keep-alive connections, one query (`q=遗传资源&size=10&facets=org&mode=lexical`), 2 s timeout; "
      "searchd with its defaults (one query worker per core, max_connections raised to 1024).", "",
      "| clients | req/s | p50 ms | p90 ms | p99 ms | max ms | p99 / p50 | socket errors | timeouts | non-2xx |",
      "|---|---|---|---|---|---|---|---|---|---|"]
for r in rows:
    rps = r["requests"] / (r["duration_us"] / 1e6)
    errors = r["connect"] + r["read"] + r["write"]
    md.append(f"| {r['clients']} | {rps:.0f} | {r['p50_us']/1000:.1f} | {r['p90_us']/1000:.1f} | "
              f"{r['p99_us']/1000:.1f} | {r['max_us']/1000:.1f} | {r['p99_us']/max(r['p50_us'],1):.1f} | "
              f"{errors} | {r['timeout']} | {r['status']} |")
ok = all(r["connect"] + r["read"] + r["write"] + r["timeout"] + r["status"] == 0 for r in rows) and \
     all(r["p99_us"] <= 3 * r["p50_us"] for r in rows if r["clients"] >= 16)
md += ["", f"Target (issue 12): no socket errors, timeouts or non-2xx, and p99 ≤ 3 × p50 from 16 clients up: "
       f"{'met' if ok else 'NOT met'}.", ""]
open(f"{out}/report.md", "w").write("\n".join(md))
print("\n".join(md))
PY
python3 "$root/bench/splice_results.py" load "$out/report.md" "$root/bench/RESULTS.md"

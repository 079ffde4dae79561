#!/usr/bin/env bash
# Writes over HTTP: 8 clients query searchd first alone, then while 4 writers POST and DELETE
# documents through searchd's own write path (group commit), SECONDS each; bench/soak.py checks
# every answer. Writes the "Writes over HTTP" section of bench/RESULTS.md. Not part of the tests.
#
#   [WRITE_NICE=10] bench/write_soak.sh [SECONDS]   # default 60 per phase; the index: 200 docs of
#   the 1,000-doc corpus
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
shared=${SHARED_BENCH:-$root/../shared/bench}
duration=${1:-60}
data=${BENCH_DATA:-${TMPDIR:-/tmp}/bench-data}

. "$root/bench/common.sh"
bench_prepare 1000
mapfile -t files < <(ls "$data/corpus-1000/docs/"*.txt | sort)
index="$data/index/write-soak"
bench_index "$index" "${files[@]:0:200}"

port=$(bench_free_port)
export BENCH_ADMIN_KEY=$(head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n')
# WRITE_NICE: the writer thread's nice value ([writes] nice; searchd's default 10).
printf '[writes]\nnice = %s\n' "${WRITE_NICE:-10}" > "$data/write-soak.toml"
"$release/searchd/searchd" --config "$data/write-soak.toml" --index "$index" --port "$port" --quiet \
  --admin-key-env BENCH_ADMIN_KEY &
pid=$!
trap 'kill $pid 2>/dev/null; wait $pid 2>/dev/null || true' EXIT
bench_wait_ready "$port"

out="$root/bench/results/write-soak"
mkdir -p "$out"
status=0
for mode in none http; do
  python3 "$root/bench/soak.py" --port "$port" --indexer "$release/indexer/indexer" --index "$index" \
    --duration "$duration" --writer "$mode" --key "$BENCH_ADMIN_KEY" --writers 4 \
    --rotate "${files[@]:200:20}" | tee "$out/$mode.json" || status=$?
done
echo "${WRITE_NICE:-10}" > "$out/nice"
curl -s "http://127.0.0.1:$port/metrics" | grep -E '^searchd_write' > "$out/metrics.txt" || true
python3 - "$out" "$(nproc)" <<'PY'
import json, sys, datetime
out, cores = sys.argv[1:3]
alone, writing = (json.load(open(f"{out}/{m}.json")) for m in ("none", "http"))
metrics = dict(l.rsplit(" ", 1) for l in open(f"{out}/metrics.txt").read().split("\n") if l)
writes = int(metrics.get('searchd_writes_total{result="ok"}', 0))
commits = int(metrics.get("searchd_write_commits_total", 0))
md = ["## Writes over HTTP (bench/write_soak.sh)", "",
      f"{datetime.datetime.utcnow():%Y-%m-%d %H:%M} UTC, {cores} cores: {alone['clients']} keep-alive clients query "
      f"(as in \"Load while writing\") over an index of 200 documents of the 1,000-doc corpus, {alone['duration_s']:.0f} s "
      "alone, then as long while 4 writers POST and DELETE 20 other documents through searchd "
      f"(writer thread at nice {open(out + '/nice').read().strip()}) "
      "(`POST /documents`, `DELETE /documents/{symbol}`: one writer thread, group commit). Every answer is checked "
      "for one consistent revision.", "",
      "| phase | answers | failed answers | query p50 ms | query p99 ms | writes | failed writes | write p50 ms | write p99 ms |",
      "|---|---|---|---|---|---|---|---|---|"]
for name, s in (("queries alone", alone), ("queries + HTTP writes", writing)):
    md.append(f"| {name} | {s['answers']} | {s['failures']} | {s['p50_ms']} | {s['p99_ms']} | {s['commits']} | "
              f"{s['writer_failures']} | {s['write_p50_ms'] or '–'} | {s['write_p99_ms'] or '–'} |")
md += ["", f"searchd counted {writes} writes in {commits} commits "
       f"({writes / commits:.2f} writes per commit: writes arriving together shared one)." if commits else "", ""]
open(f"{out}/report.md", "w").write("\n".join(md))
print("\n".join(md))
PY
python3 "$root/bench/splice_results.py" write_soak "$out/report.md" "$root/bench/RESULTS.md"
exit $status

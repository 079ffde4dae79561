#!/usr/bin/env bash
# Side-by-side benchmark against Groonga and SQLite FTS5 with the shared harness
# (../shared/bench, beside the project): builds release binaries, generates the corpus, runs
# run.py with this project wired in as "ours", and writes bench/RESULTS.md.
#
#   bench/run.sh [DOCS] [extra run.py options]     # DOCS default 1000; 10000 for the full run
#   ENGINES=groonga,sqlite_fts5,ours bench/run.sh 10000
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
shared=${SHARED_BENCH:-$root/../shared/bench}
docs=${1:-1000}
shift || true
engines=${ENGINES:-groonga,sqlite_fts5,ours}

[ -d "$shared" ] || { echo "bench: no shared harness at $shared" >&2; exit 2; }
. "$root/bench/common.sh"
"$root/scripts/install-deps.sh"
bench_install groonga-bin wrk time manpages-zh debian-reference-zh-cn

"$root/scripts/build.sh" "$root/build/release" -DCMAKE_BUILD_TYPE=Release -DTREATY_BUILD_TESTS=OFF

export OURS_INDEXER="$root/build/release/indexer/indexer"
export OURS_SEARCHD="$root/build/release/searchd/searchd"
export OURS_INDEX_ARGS='--quiet --index {index} add {docs}'
export OURS_SEARCHD_ARGS='--index {index} --host 127.0.0.1 --port {port} --quiet'
# Same work as the peers: top 10 by relevance, exact total, top-10 organization facet, no
# thesaurus expansion (the peers match literal substrings only), in the paragraphs' own text
# (scope=text: not through section headings), one record per numbered paragraph like the peers'
# (group=paragraph: items searched with their lead-in; kind=paragraph: not the document header
# blocks, which the peers' records do not have), hits as ids and scores only (fields=id,score, as
# Groonga is asked for _key,_score), and no result cache (cache=false: the shared harness runs
# Groonga with its query cache off, so every answer is computed on both sides; repeated queries
# would otherwise be cache hits). bench/PROFILE.md accounts for the differences.
export OURS_URL='http://127.0.0.1:{port}/search?q={q}&size=10&facets=org&facet_size=10&mode=lexical&scope=text&group=paragraph&kind=paragraph&fields=id,score&cache=false'
export OURS_HITS='total'
export OURS_READY_PATH='/health'

out="$root/bench/results/docs$docs"
mkdir -p "$out"
python3 "$shared/run.py" --docs "$docs" --engines "$engines" --out "$out" "$@" | tee "$out/report.md"
python3 "$root/bench/write_results.py" "$out" "$root/bench/RESULTS.md"

# Shared by bench/run.sh, bench/load.sh and bench/soak.sh (sourced): release build, corpus, index, server.
# Expects $root, $shared and $data.

release="$root/build/release"

# Installs the Debian packages named, those missing only.
bench_install() {
  local sudo= need=()
  [ "$(id -u)" = 0 ] || sudo=sudo
  for p in "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || need+=("$p")
  done
  if [ ${#need[@]} -gt 0 ]; then
    $sudo apt-get update -q
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q --no-install-recommends "${need[@]}"
  fi
}

# Packages the corpus generator and the load tools need, a release build, and the corpus of $1 docs.
bench_prepare() {
  "$root/scripts/install-deps.sh"
  bench_install wrk curl manpages-zh debian-reference-zh-cn
  "$root/scripts/build.sh" "$release" -DCMAKE_BUILD_TYPE=Release -DTREATY_BUILD_TESTS=OFF
  [ -d "$data/corpus-$1" ] || python3 "$shared/make_corpus.py" --docs "$1" --out "$data/corpus-$1"
}

# Indexes $2 (a directory or files) into $1 afresh.
bench_index() {
  rm -rf "$1"
  mkdir -p "$(dirname "$1")"
  "$release/indexer/indexer" --quiet --index "$1" add "${@:2}"
}

bench_free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

bench_wait_ready() {
  for _ in $(seq 1 600); do
    curl -sf "http://127.0.0.1:$1/health" >/dev/null && return 0
    sleep 0.1
  done
  echo "bench: searchd did not become ready on port $1" >&2
  return 1
}

#!/usr/bin/env bash
# Installs the Debian 12 packages the project builds, runs and tests with (chromium, nodejs and
# npm for the web UI's end-to-end tests; a CJK font so their screenshots show Chinese; pango-view,
# qpdf and pdftotext make and check the PDFs of the PDF-input tests, with that font; clang 16 and
# its libFuzzer/sanitizer runtimes build scripts/fuzz.sh's targets: clang 14 cannot compile
# libstdc++'s <expected>).
# Idempotent: apt is only called when something is missing. Needs root (or sudo).
set -euo pipefail

packages=(
  build-essential cmake pkg-config
  clang-16 libclang-rt-16-dev
  libxapian-dev xapian-tools
  libicu-dev
  libpoppler-cpp-dev
  libopencc-dev opencc
  libcpp-httplib-dev
  libssl-dev openssl
  libhnswlib-dev libcurl4-openssl-dev
  nlohmann-json3-dev libcli11-dev libtomlplusplus-dev
  catch2
  curl python3 universal-ctags
  chromium fonts-wqy-microhei
  pango1.0-tools qpdf poppler-utils
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
# Node.js for the browser tests: any node + npm on PATH will do (some images ship their own,
# which Debian's npm package conflicts with); otherwise Debian's.
if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  missing+=(nodejs npm)
fi
if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
echo "install-deps: installing ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -q
$SUDO apt-get install -y -q --no-install-recommends "${missing[@]}"

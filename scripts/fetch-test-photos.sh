#!/usr/bin/env bash
# Real photographs for the pixel-parity test: Debian's mate-backgrounds wallpapers, the same files the
# tiny-clip pixel reference was made from. Not committed (licence and size); extracted into test/.cache.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
dest="$here/test/.cache/mate-backgrounds"
# The duplicate finder's held-out photographs come from other packages (see that script).
bash "$here/scripts/fetch-duplicate-photos.sh"
[ -f "$dest/Aqua.jpg" ] && exit 0
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# apt-get download needs the package lists: on a fresh machine they may be empty until `apt-get update`.
if ! (cd "$work" && apt-get download mate-backgrounds >/dev/null 2>&1); then
  if [ "$(id -u)" -ne 0 ]; then
    echo "cannot download Debian's mate-backgrounds; run: sudo apt-get update, then this script again" >&2
    exit 1
  fi
  apt-get update >/dev/null
  (cd "$work" && apt-get download mate-backgrounds >/dev/null)
fi
dpkg-deb -x "$work"/mate-backgrounds_*.deb "$work/x"
mkdir -p "$dest"
cp "$work"/x/usr/share/backgrounds/mate/nature/*.jpg "$dest/"
echo "test photos in $dest"

#!/usr/bin/env bash
# Real photographs for the pixel-parity test: Debian's mate-backgrounds wallpapers, the same files the
# tiny-clip pixel reference was made from. Not committed (licence and size); extracted into test/.cache.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
dest="$here/test/.cache/mate-backgrounds"
[ -f "$dest/Aqua.jpg" ] && exit 0
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
(cd "$work" && apt-get download mate-backgrounds >/dev/null)
dpkg-deb -x "$work"/mate-backgrounds_*.deb "$work/x"
mkdir -p "$dest"
cp "$work"/x/usr/share/backgrounds/mate/nature/*.jpg "$dest/"
echo "test photos in $dest"

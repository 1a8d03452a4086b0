#!/usr/bin/env bash
# Real photographs for the duplicate finder's held-out test (test/duplicates/real-photo-set.ts): wallpaper
# photographs and designs from Debian packages other than the ones ../shared/photos and the pixel-parity test
# use (mate-backgrounds, plasma-workspace-wallpapers), so the duplicate rules are judged on pictures they were
# not tuned on. GNOME's light/dark editions of one design are natural "edit" pairs. Not committed (licences,
# size); extracted into test/.cache/duplicate-photos/<package>/.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
dest="$here/test/.cache/duplicate-photos"
PACKAGES=(gnome-backgrounds lomiri-wallpapers lomiri-wallpapers-16.04 lomiri-wallpapers-20.04 ukui-wallpapers)
[ -f "$dest/complete" ] && exit 0
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# apt-get download needs the package lists: on a fresh machine they may be empty until `apt-get update`.
if ! (cd "$work" && apt-get download "${PACKAGES[@]}" >/dev/null 2>&1); then
  if [ "$(id -u)" -ne 0 ]; then
    echo "cannot download ${PACKAGES[*]}; run: sudo apt-get update, then this script again" >&2
    exit 1
  fi
  apt-get update >/dev/null
  (cd "$work" && apt-get download "${PACKAGES[@]}" >/dev/null)
fi
rm -rf "$dest"
for pkg in "${PACKAGES[@]}"; do
  dpkg-deb -x "$work/${pkg}"_*.deb "$work/x-$pkg"
  mkdir -p "$dest/$pkg"
  # Pictures only, at least 16 KB (gnome-backgrounds ships empty vnc-*.webp placeholders).
  find "$work/x-$pkg/usr/share/backgrounds" -type f \( -name '*.jpg' -o -name '*.png' -o -name '*.webp' \) -size +16k -exec cp {} "$dest/$pkg/" \;
done
touch "$dest/complete"
echo "duplicate test photos in $dest"

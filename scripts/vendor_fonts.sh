#!/usr/bin/env bash
# Re-vendor the Be Vietnam Pro font (SIL OFL 1.1) from the npm registry into static/fonts/.
# The TTF files are committed: PNG charts and static maps render with them on a closed
# network, without any system font. Source package: @expo-google-fonts/be-vietnam-pro
# (the Google Fonts build of https://github.com/bettergui/BeVietnamPro).
set -euo pipefail
version="${1:-0.4.1}"
pkg="@expo-google-fonts/be-vietnam-pro"
# npm package folder:vendored style (2-4 files keep the repository small)
weights=(400Regular:Regular 400Regular_Italic:Italic 700Bold:Bold)
here="$(cd "$(dirname "$0")/.." && pwd)"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
(cd "$tmp" && npm pack "${pkg}@${version}" --silent >/dev/null && tar -xzf expo-google-fonts-be-vietnam-pro-*.tgz)
dest="$here/static/fonts"
mkdir -p "$dest"
rm -f "$dest"/BeVietnamPro-*.ttf
for pair in "${weights[@]}"; do
  w="${pair%%:*}" style="${pair##*:}"
  cp "$tmp/package/$w/BeVietnamPro_$w.ttf" "$dest/BeVietnamPro-$style.ttf"
done
cp "$tmp/package/LICENSE_FONT" "$dest/OFL.txt"
echo "$pkg@$version" > "$dest/VERSION"
(cd "$dest" && sha256sum BeVietnamPro-*.ttf OFL.txt > SHA256SUMS)
echo "Be Vietnam Pro ($pkg@$version) vendored into $dest"

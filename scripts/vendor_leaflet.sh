#!/usr/bin/env bash
# Re-vendor Leaflet from the npm registry into static/vendor/leaflet/.
# The files are committed: the app never loads them from anywhere else.
set -euo pipefail
version="${1:-1.9.4}"
here="$(cd "$(dirname "$0")/.." && pwd)"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
(cd "$tmp" && npm pack "leaflet@${version}" --silent >/dev/null && tar -xzf leaflet-*.tgz)
dest="$here/static/vendor/leaflet"
rm -rf "$dest" && mkdir -p "$dest/images"
cp "$tmp/package/dist/leaflet.js" "$tmp/package/dist/leaflet.css" "$dest/"
cp "$tmp/package/dist/images/"*.png "$dest/images/"
cp "$tmp/package/LICENSE" "$dest/LICENSE"
echo "$version" > "$dest/VERSION"
echo "Leaflet $version vendored into $dest"

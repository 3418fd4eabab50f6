#!/usr/bin/env bash
# Re-vendor the maps' JavaScript from the npm registry into static/vendor/:
# Leaflet (static/vendor/leaflet/) and Leaflet.markercluster (static/vendor/leaflet.markercluster/).
# The files are committed: the app never loads them from anywhere else.
# Usage: scripts/vendor_js.sh [LEAFLET_VERSION] [MARKERCLUSTER_VERSION]
set -euo pipefail
leaflet="${1:-1.9.4}"
markercluster="${2:-1.5.3}"
here="$(cd "$(dirname "$0")/.." && pwd)"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

unpack() {  # unpack NAME VERSION -> $tmp/NAME/package
  mkdir -p "$tmp/$1"
  (cd "$tmp/$1" && npm pack "$1@$2" --silent >/dev/null && tar -xzf ./*.tgz)
}

unpack leaflet "$leaflet"
dest="$here/static/vendor/leaflet"
rm -rf "$dest" && mkdir -p "$dest/images"
cp "$tmp/leaflet/package/dist/leaflet.js" "$tmp/leaflet/package/dist/leaflet.css" "$dest/"
cp "$tmp/leaflet/package/dist/images/"*.png "$dest/images/"
cp "$tmp/leaflet/package/LICENSE" "$dest/LICENSE"
echo "$leaflet" > "$dest/VERSION"
echo "Leaflet $leaflet vendored into $dest"

unpack leaflet.markercluster "$markercluster"
dest="$here/static/vendor/leaflet.markercluster"
rm -rf "$dest" && mkdir -p "$dest"
# The clusters' own icons are drawn by the app (dashboard/maps.py): only the base stylesheet.
cp "$tmp/leaflet.markercluster/package/dist/leaflet.markercluster.js" \
   "$tmp/leaflet.markercluster/package/dist/MarkerCluster.css" "$dest/"
cp "$tmp/leaflet.markercluster/package/MIT-LICENCE.txt" "$dest/LICENSE"
echo "$markercluster" > "$dest/VERSION"
echo "Leaflet.markercluster $markercluster vendored into $dest"

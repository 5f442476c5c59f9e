#!/bin/sh
# Render the figure gallery (offline universe) with headless Debian chromium, to look at it:
#   tests/bench/gallery_screenshot.sh [OUT_DIR]      (default /tmp/ratgtex-gallery)
# Writes OUT_DIR/gallery/ (SVGs + index.html), OUT_DIR/index.png (the whole page) and one PNG per figure.
set -eu
OUT=${1:-/tmp/ratgtex-gallery}
CHROMIUM=${CHROMIUM:-/usr/bin/chromium}
if [ ! -x "$CHROMIUM" ]; then
  echo "no $CHROMIUM: apt-get install -y chromium" >&2
  exit 2
fi
mkdir -p "$OUT"
export OUT
DENO=${DENO:-deno}
"$DENO" eval --ext=ts 'import { writeGallery } from "./lib/cli/gallery.ts"; await writeGallery(Deno.env.get("OUT") + "/gallery");' \
  || { echo "writing the gallery failed" >&2; exit 1; }
shot() { # page png width height
  profile=$(mktemp -d)
  "$CHROMIUM" --headless --no-sandbox --disable-gpu --disable-background-networking --disable-component-update \
    --disable-sync --no-first-run --hide-scrollbars --user-data-dir="$profile" --screenshot="$2" \
    --window-size="$3,$4" "file://$1" >/dev/null 2>&1
  rm -rf "$profile"
}
shot "$OUT/gallery/index.html" "$OUT/index.png" 1400 3000
for svg in "$OUT"/gallery/*.svg; do
  name=$(basename "$svg" .svg)
  w=$(sed -n 's/^<svg[^>]* width="\([0-9.]*\)".*/\1/p' "$svg" | head -1)
  h=$(sed -n 's/^<svg[^>]* height="\([0-9.]*\)".*/\1/p' "$svg" | head -1)
  shot "$svg" "$OUT/$name.png" "${w%.*}" "${h%.*}"
done
ls -1 "$OUT"/*.png

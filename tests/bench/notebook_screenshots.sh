#!/bin/sh
# Export check: render notebooks (with their committed outputs) to HTML with nbconvert and screenshot them in
# headless Chromium, so that someone can LOOK at the figures as a reader of the exported HTML would see them.
#
#   sh tests/bench/notebook_screenshots.sh [OUT_DIR] [NOTEBOOK.ipynb ...]
#
# Defaults: OUT_DIR=/tmp/ratgtex-notebook-screens, every notebook in notebooks/. Needs jupyter-nbconvert and
# chromium (Debian: apt-get install -y jupyter-nbconvert chromium). Prints one line per notebook: HTML and PNG paths.
set -eu
here=$(cd "$(dirname "$0")/../.." && pwd)
out=${1:-/tmp/ratgtex-notebook-screens}
[ $# -gt 0 ] && shift
mkdir -p "$out"
if [ $# -eq 0 ]; then set -- "$here"/notebooks/*.ipynb; fi
browser=$(command -v chromium || command -v chromium-browser || command -v google-chrome || true)
if [ -z "$browser" ]; then echo "chromium not found (Debian: apt-get install -y chromium)" >&2; exit 1; fi
for nb in "$@"; do
  name=$(basename "$nb" .ipynb)
  jupyter nbconvert --to html --output-dir "$out" "$nb" >/dev/null 2>&1
  profile=$(mktemp -d)
  "$browser" --headless --no-sandbox --disable-gpu --disable-background-networking --disable-component-update \
    --disable-sync --no-first-run --hide-scrollbars --user-data-dir="$profile" --screenshot="$out/$name.png" \
    --window-size=1200,4000 "file://$out/$name.html" >/dev/null 2>&1
  rm -rf "$profile"
  echo "$name: $out/$name.html $out/$name.png"
done

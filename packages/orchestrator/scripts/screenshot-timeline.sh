#!/usr/bin/env bash
# Renders the HTML timeline of a failed run (the simulated gateway setup with an injected build failure,
# see src/trace/timeline-failure.test.ts) and screenshots it with headless Chromium, so the page can be
# checked the way a person sees it: the failed step red and marked ✖, the error and stderr tail in a
# panel above the chart, the link to the diagnostics directory.
#
#   packages/orchestrator/scripts/screenshot-timeline.sh [output-dir]   # default /tmp/kubernaut-timeline
#
# Needs Chromium (Debian: apt-get install -y chromium). --no-sandbox because CI runs as root.
set -euo pipefail

root=$(cd "$(dirname "$0")/../../.." && pwd)
out=$(mkdir -p "${1:-/tmp/kubernaut-timeline}" && cd "${1:-/tmp/kubernaut-timeline}" && pwd)
browser=$(command -v chromium || command -v chromium-browser || command -v google-chrome || true)
if [ -z "$browser" ]; then
  echo "Chromium not found on PATH: apt-get install -y chromium" >&2
  exit 1
fi

cd "$root"
TIMELINE_EXAMPLE_OUT="$out/timeline.html" pnpm vitest run --project unit \
  packages/orchestrator/src/trace/timeline-failure.test.ts >/dev/null
"$browser" --headless --no-sandbox --disable-gpu --hide-scrollbars \
  --window-size=1400,900 --screenshot="$out/timeline.png" "file://$out/timeline.html" 2>/dev/null
echo "$out/timeline.html"
echo "$out/timeline.png"

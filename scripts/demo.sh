#!/usr/bin/env bash
# The main job: set-up, then the end-to-end demo on the embedded in-process runtime.
#   bash scripts/demo.sh            # the demo, 1,000 devices
#   bash scripts/demo.sh --serve    # then leave OpenVPP World running on its world (prints the URL)
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/setup.sh
npm run demo -- "$@"

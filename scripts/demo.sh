#!/usr/bin/env bash
# The main job: set-up, then the end-to-end demo on the embedded in-process runtime.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/setup.sh
npm run demo

#!/usr/bin/env node
// Same as `openvpp` (kept for `node service/bin/openvpp.js ...` callers).
require('./openvpp');

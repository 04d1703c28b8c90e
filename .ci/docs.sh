#!/usr/bin/env bash
# The API reference (docs/api/, not committed): TypeDoc builds it from the TSDoc of every typed
# entry (typedoc.json) and fails on any warning, an undocumented export included; then
# .ci/api-examples.mjs fails when an exported function or class has no @example, an @example
# does not open with its import, or an optional option has no @default.
set -euo pipefail
cd "$(dirname "$0")/.."
npm run docs

#!/usr/bin/env bash
# The API reference (docs/api/, not committed): TypeDoc builds it from the TSDoc of every typed
# entry (typedoc.json) and fails on any warning, an undocumented export included; then
# .ci/api-examples.mjs fails when an exported function or class has no @example, or an
# @example does not open with its import.
set -euo pipefail
cd "$(dirname "$0")/.."
npm run docs

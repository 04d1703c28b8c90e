#!/usr/bin/env bash
# Installs the runtimes of the cross-runtime conformance suite and of `npm run bench --
# --only=runtimes`: Node 22, Node 24, Bun and Deno, as binaries inside npm registry packages,
# exactly as .ci/runtimes/package-lock.json pins them (linux x64). Nothing is installed
# globally and nothing is downloaded from outside the registry. Each binary must then run:
# a runtime that fails to install or to start fails this script, and so CI.
set -euo pipefail
cd "$(dirname "$0")/runtimes"

npm ci --no-audit --no-fund

bins=(
  node_modules/node22/bin/node
  node_modules/node24/bin/node
  node_modules/@oven/bun-linux-x64/bin/bun
  node_modules/@deno/linux-x64-glibc/deno
)
for bin in "${bins[@]}"; do
  echo "$bin: $("$bin" --version | head -n 1)"
done

#!/usr/bin/env bash
# The Angular app (examples/angular-app/) keeps Angular's packages out of the root install: it
# has its own package.json and package-lock.json. This installs them (npm ci), installs the
# package packed from this checkout (npm pack of dist/, as published), and typechecks the
# app's spec. Its build and prerender run in examples/angular-app/app.spec.ts (npm test), which
# builds the app for the echo server it starts and prints the build time and bundle size.
# Needs dist/ (npm run build) first.
set -euo pipefail
cd "$(dirname "$0")/.."

started=$(date +%s)
node examples/angular-app/prepare.mjs --install
bash .ci/install-scripts.sh examples/angular-app
examples/angular-app/node_modules/.bin/tsc -p examples/angular-app/tsconfig.spec.json
echo "angular app: installed and typechecked in $(( $(date +%s) - started )) s"

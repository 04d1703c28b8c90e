#!/usr/bin/env bash
# The package as npm would publish it, checked by two outside tools (both pinned in the
# lockfile, both working on `npm pack`'s tarball):
# - publint: package.json's fields and the files they point to (warnings are errors);
# - Are the Types Wrong? (attw), profile node16: every typed entry resolves to the right types
#   for a CommonJS and an ESM consumer under node16/nodenext, and for bundlers. node10
#   resolution is left out: it cannot see subpaths without typesVersions, which the package
#   does not use. `./brython` is left out by name: a classic browser script (one IIFE, for
#   Brython pages), with no types and no CommonJS form by design.
# Needs dist/ (npm run build) first.
set -euo pipefail
cd "$(dirname "$0")/.."
[ -f dist/index.js ] || { echo "dist/ is missing: run npm run build first" >&2; exit 1; }

npx --no-install publint run --strict
npx --no-install attw --pack --profile node16 --exclude-entrypoints ./brython --no-emoji

bash .ci/install-scripts.sh .   # no install script left unreviewed (npm 11's allowScripts)

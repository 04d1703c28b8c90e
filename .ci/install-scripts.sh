#!/usr/bin/env bash
# npm 11 warns at install about dependencies whose install scripts the project's package.json
# has not reviewed in its allowScripts field (`npm install-scripts approve <name>` adds one).
# Fails when any is pending in the folder given (default: the root), so that a fresh `npm ci`
# there prints no such warning. Run it after that folder's install: npm reads the installed tree.
set -euo pipefail
cd "$(dirname "$0")/.."
cd "${1:-.}"

pending="$(npm install-scripts ls --json 2>/dev/null | node -e '
  const { allowScripts = [] } = JSON.parse(require("fs").readFileSync(0, "utf8"));
  console.log(allowScripts.flatMap((p) => p.changes.map((c) => c.key)).join(" "));
')"
if [ -n "$pending" ]; then
  echo "$PWD: install scripts not reviewed in package.json's allowScripts: $pending" >&2
  echo "review them, then: npm install-scripts approve <name> (or deny <name>)" >&2
  exit 1
fi
echo "$PWD: every install script is reviewed in allowScripts"

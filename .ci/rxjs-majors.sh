#!/usr/bin/env bash
# The packed package in a fresh app per RxJS major: `npm install <tarball> rxjs@X ws` with no
# flag (so the peer range must admit X), then every entry, ESM and CJS, on that RxJS
# (.ci/rxjs-majors/smoke.*). X: the newest 7.8.x, and the newest 8 on the registry, pre-releases
# included. Also the package's types compiled with skipLibCheck off on each, and the whole
# project typechecked against RxJS 8's types (tsconfig.rxjs8.json). Needs dist/ (npm run
# build) and the npm registry.
set -euo pipefail
cd "$(dirname "$0")/.."
root="$PWD"
[ -f dist/index.js ] || npm run build
npm run typecheck:rxjs8

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
tarball="$work/$(npm pack --silent --pack-destination "$work" | tail -n 1)"

# The newest RxJS 8 release, pre-releases included (semver's own ordering, from npm's list).
newest8="$(npm view rxjs versions --json | node -e '
  const semver = require(process.argv[1]);
  const all = JSON.parse(require("fs").readFileSync(0, "utf8"));
  const eights = all.filter((v) => semver.major(v) === 8).sort(semver.compare);
  if (eights.length === 0) { console.error("no RxJS 8 on the registry"); process.exit(1); }
  console.log(eights.at(-1));
' "$root/node_modules/semver")"

for rxjs in "~7.8.0" "$newest8"; do
  app="$work/app-$rxjs"
  mkdir -p "$app"
  cp .ci/rxjs-majors/smoke.mjs .ci/rxjs-majors/smoke.cjs .ci/rxjs-majors/smoke-types.ts "$app/"
  printf '{ "name": "rxjs-major-smoke", "private": true }\n' > "$app/package.json"
  echo "== rxjs@$rxjs: npm install (no flags)"
  (cd "$app" && npm install --no-audit --no-fund "$tarball" "rxjs@$rxjs" ws)
  (cd "$app" && npm ls rxjs brython-websocket)
  (cd "$app" && node smoke.mjs && node smoke.cjs)
  printf '%s\n' '{ "compilerOptions": { "strict": true, "skipLibCheck": false, "noEmit": true, "target": "es2022",' \
    '"module": "nodenext", "moduleResolution": "nodenext", "lib": ["es2022", "dom"], "types": [] }, "files": ["smoke-types.ts"] }' \
    > "$app/tsconfig.json"
  (cd "$app" && "$root/node_modules/.bin/tsc" -p tsconfig.json)
  echo "types: every entry compiles with skipLibCheck off on rxjs $(cd "$app" && node -p 'require("rxjs/package.json").version')"
done
# And npm itself refuses a major outside the range: RxJS 9's pre-release, on the registry.
refused="$work/app-9"
mkdir -p "$refused"
printf '{ "name": "rxjs-major-refused", "private": true }\n' > "$refused/package.json"
if (cd "$refused" && npm install --no-audit --no-fund "$tarball" rxjs@9.0.0-beta.0 >"$work/refused.log" 2>&1); then
  echo "npm installed brython-websocket beside rxjs@9.0.0-beta.0: the peer range must refuse it" >&2
  exit 1
fi
grep -q ERESOLVE "$work/refused.log" || { cat "$work/refused.log" >&2; exit 1; }
echo "== rxjs@9.0.0-beta.0: refused by npm (ERESOLVE), as it should be"
echo "rxjs majors: the packed package installs and runs on rxjs ~7.8.0 and $newest8"

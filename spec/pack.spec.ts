/**
 * What `npm pack` puts in the tarball, as `npm publish` would: package.json, the README (and
 * a LICENSE file when there is one), and dist/ — every built file, nothing else. No src/: the
 * source maps carry the sources themselves (`sourcesContent`), so a debugger shows the
 * TypeScript without it. Never spec/, examples/, docs/ or build scratch.
 */
import { execFile } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const DIST = join(ROOT, 'dist');

interface Packed {
  files: { path: string }[];
}

let paths: string[] = [];

beforeAll(async () => {
  const stdout = await new Promise<string>((resolve, reject) => {
    execFile(
      'npm',
      ['pack', '--dry-run', '--json', '--ignore-scripts'],
      { cwd: ROOT, timeout: 60_000, maxBuffer: 16 * 1024 * 1024 },
      (error, out, stderr) =>
        error === null ? resolve(out) : reject(new Error(`npm pack --dry-run failed: ${stderr}`)),
    );
  });
  const [packed] = JSON.parse(stdout) as [Packed];
  paths = packed.files.map((file) => file.path).sort();
}, 90_000);

/** Every file under dist/ on disk, as a package path (`dist/index.js`). */
function builtFiles(dir = DIST): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? builtFiles(join(dir, entry.name)) : [relative(ROOT, join(dir, entry.name))],
  );
}

/** The entries' files, from the exports map: code, declarations and maps of each format. */
const ENTRY_FILES = ['index', 'resilience', 'webSocket', 'streams', 'testing/index'].flatMap((entry) =>
  ['.js', '.js.map', '.cjs', '.cjs.map', '.d.ts', '.d.cts'].map((ext) => `dist/${entry}${ext}`),
);

describe('npm pack', () => {
  it('packs package.json, the README, any LICENSE, and dist/, and nothing else', () => {
    const outside = paths.filter((path) => !path.startsWith('dist/'));
    const LICENSE = /^LICEN[CS]E(\.\w+)?$/;
    expect(outside.filter((path) => !LICENSE.test(path))).toEqual(['README.md', 'package.json']);
    const license = readdirSync(ROOT).filter((name) => LICENSE.test(name));
    expect(outside.filter((path) => LICENSE.test(path))).toEqual(license);
  });

  it('packs every file of dist/ (each entry, ESM and CJS, its declarations and maps, the shared chunks, the Brython script)', () => {
    expect(paths.filter((path) => path.startsWith('dist/'))).toEqual(builtFiles().sort());
    expect(paths).toEqual(expect.arrayContaining([...ENTRY_FILES, 'dist/brython.js', 'dist/brython.js.map']));
    expect(paths.some((path) => /^dist\/chunk-[\w-]+\.js$/.test(path))).toBe(true);
    expect(paths.some((path) => /^dist\/chunk-[\w-]+\.cjs$/.test(path))).toBe(true);
  });

  it('packs nothing from src/, spec/, examples/, docs/, .ci/ or node_modules', () => {
    expect(paths.filter((path) => /^(src|spec|examples|docs|\.ci|node_modules|coverage)\//.test(path))).toEqual([]);
    expect(
      paths.filter((path) => /\.(spec|test-d)\.ts$|(^|\/)tsconfig.*\.json$|^tsup\.config|^vitest\.config/.test(path)),
    ).toEqual([]);
  });

  it('needs no src/ for its source maps: each map has the text of every source it names', () => {
    const maps = paths.filter((path) => path.endsWith('.map'));
    expect(maps.length).toBeGreaterThan(10);
    for (const path of maps) {
      const map = JSON.parse(readFileSync(join(ROOT, path), 'utf8')) as {
        sources: string[];
        sourcesContent?: (string | null)[];
      };
      const texts = map.sourcesContent ?? [];
      expect(texts, path).toHaveLength(map.sources.length);
      texts.forEach((text, i) =>
        expect(typeof text === 'string' && text.length > 0, `${path}: ${map.sources[i]}`).toBe(true),
      );
    }
  });
});

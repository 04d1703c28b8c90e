import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { Application, normalizePath, TSConfigReader } from 'typedoc';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { findProblems, type ProjectJson } from '../.ci/api-examples.mjs';

const root = resolve(import.meta.dirname, '..');
const fixture = resolve(root, 'spec/fixtures/api-examples');

/** TypeDoc's JSON model of a small API, made the way `npm run docs` makes the real one. */
async function convert(): Promise<ProjectJson> {
  const app = await Application.bootstrapWithPlugins(
    {
      entryPoints: [resolve(fixture, 'entry.ts')],
      tsconfig: resolve(fixture, 'tsconfig.json'),
      name: 'fixture',
      plugin: [],
      skipErrorChecking: true,
    },
    [new TSConfigReader()],
  );
  const project = await app.convert();
  if (project === undefined) throw new Error('TypeDoc could not convert the fixture');
  return app.serializer.projectToObject(project, normalizePath(fixture));
}

describe('.ci/api-examples.mjs', () => {
  it('refuses exports without @example, examples that do not open with the package import, options without @default', async () => {
    const problems = await convert().then(findProblems);
    expect([...problems].sort()).toEqual(
      [
        'fixture.Bare: an exported class needs an @example',
        `fixture.Bare.run: the @example's first line must be the import, e.g. "import { WebSocket } from 'brython-websocket';", got "const bare = new Bare();"`,
        "fixture.foreign: the @example's imports (rxjs) must include one from 'brython-websocket' or a subpath",
        `fixture.Options.count: the @example's first line must be the import, e.g. "import { WebSocket } from 'brython-websocket';", got "count: 2"`,
        'fixture.undocumented: an exported function needs an @example',
        'fixture.Options.name: an optional option needs a @default',
      ].sort(),
    );
  });
});

describe('typedoc.json', () => {
  it('documents every typed entry of package.json, and no other', () => {
    const pkg = JSON.parse(readFileSync(resolve(root, 'package.json'), 'utf8')) as {
      exports: Record<string, string | { import?: { types?: string } }>;
    };
    const tsconfig = JSON.parse(readFileSync(resolve(root, 'tsconfig.json'), 'utf8')) as {
      compilerOptions: { paths: Record<string, string[]> };
    };
    // typedoc.json has comments: read it as TypeScript reads a tsconfig.
    const typedoc = ts.readConfigFile(resolve(root, 'typedoc.json'), ts.sys.readFile.bind(ts.sys)).config as {
      entryPoints: string[];
    };
    const typed = Object.entries(pkg.exports)
      .filter(([, target]) => typeof target === 'object' && target.import?.types !== undefined)
      .map(([subpath]) => `brython-websocket${subpath.slice(1)}`);
    const sources = typed.map((name) => tsconfig.compilerOptions.paths[name]?.[0]?.replace(/^\.\//, ''));
    expect(sources.every((source) => source !== undefined)).toBe(true);
    expect([...typedoc.entryPoints].sort()).toEqual([...sources].sort());
  });
});

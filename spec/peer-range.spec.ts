/**
 * The `rxjs` peer range, checked with `semver` (the library npm decides peer ranges with): RxJS
 * 7.8 and later 7.x, and RxJS 8 with its pre-releases, in; 6.x, 7 before 7.8 and 9.x out, 9's
 * pre-releases included. A real `npm install` of the packed package next to each major is in
 * `.ci/rxjs-majors.sh`.
 */
import { readFileSync } from 'node:fs';
import semver from 'semver';
import { describe, expect, it } from 'vitest';

const read = (path: string) =>
  JSON.parse(readFileSync(new URL(path, import.meta.url), 'utf8')) as {
    version: string;
    peerDependencies?: Record<string, string>;
  };

const range = read('../package.json').peerDependencies!.rxjs!;

describe(`the rxjs peer range (${range})`, () => {
  it.each([
    '7.8.0',
    '7.8.2',
    '7.9.0', // a later 7.x
    '8.0.0-alpha.0',
    '8.0.0-alpha.14', // the newest RxJS 8 on the registry
    '8.0.0-beta.1',
    '8.0.0-rc.0',
    '8.0.0',
    '8.4.1',
  ])('admits %s', (version) => {
    expect(semver.satisfies(version, range)).toBe(true);
  });

  it.each([
    '6.6.7',
    '7.0.0',
    '7.5.7',
    '7.8.0-beta.0',
    '9.0.0-beta.0', // on the registry
    '9.0.0-0',
    '9.0.0',
    '10.0.0',
    // The known limit of any caret range: a pre-release of a later 8.x minor is refused
    // (semver admits pre-releases only of 8.0.0 itself), as npm does for every package.
    '8.1.0-beta.1',
  ])('refuses %s', (version) => {
    expect(semver.satisfies(version, range)).toBe(false);
  });

  it('admits both RxJS the specs run on: the rxjs and rxjs8 devDependencies', () => {
    const installed = [
      read('../node_modules/rxjs/package.json').version,
      read('../node_modules/rxjs8/package.json').version,
    ];
    expect(installed.map((version) => semver.major(version))).toEqual([7, 8]);
    expect(installed.filter((version) => !semver.satisfies(version, range))).toEqual([]);
  });

  it('is a valid range that semver reads as two caret ranges', () => {
    expect(semver.validRange(range)).toBe('>=7.8.0 <8.0.0-0||>=8.0.0-0 <9.0.0-0');
  });
});

/**
 * The RxJS these specs run on: 7 in the `node` and `browser` projects, 8 in `node-rxjs8` and
 * `browser-rxjs8` (which resolve `rxjs` to the `rxjs8` devDependency). Read from the package
 * that `rxjs` resolves to, so it cannot disagree with what the specs load.
 */
import rxjsPackage from 'rxjs/package.json' with { type: 'json' };

export const RXJS_VERSION: string = rxjsPackage.version;
export const RXJS_MAJOR = Number(RXJS_VERSION.split('.')[0]);

/**
 * The browser script `brython-websocket/brython` (dist/brython.js): one classic script, rxjs
 * included, for a Brython page. Loaded next to brython.js (before or after it, with or
 * without brython_stdlib.js), it makes `from browser import websocket` import this package's
 * module (./websocket.py) instead of Brython's own. It defines no global of its own: the
 * bridge the Python module calls is `__BRYTHON__.brython_websocket`.
 */
import { makeBridge } from './bridge.js';
import { install } from './install.js';
import source from './websocket.py';

declare const __VERSION__: string;

install(globalThis, source, makeBridge(__VERSION__));

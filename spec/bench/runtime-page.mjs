/**
 * The runtimes section in Chromium: bundled with the built package (through its `exports`)
 * and rxjs, it sets `globalThis.floodRun(name, url, n)` on the page.
 */
import { RxWebSocket, WebSocket } from 'brython-websocket';
import { webSocket } from 'rxjs/webSocket';
import { floodRun } from './runtime-contenders.mjs';

globalThis.floodRun = (name, url, n) => floodRun(name, url, n, { RxWebSocket, WebSocket, webSocket });

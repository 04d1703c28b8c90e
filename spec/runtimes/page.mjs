/**
 * The scenarios in Chromium: bundled with the built package (resolved through its `exports`)
 * and rxjs into one classic script by spec/runtimes/conformance.spec.ts, it sets
 * `globalThis.runScenario(id, params)` on the page, on the browser's own WebSocket.
 */
import { WebSocket } from 'brython-websocket';
import { heartbeat, reconnect } from 'brython-websocket/resilience';
import { runScenario } from './scenarios.mjs';

globalThis.runScenario = (id, params) =>
  runScenario(id, params, { WebSocket, reconnect, heartbeat, WebSocketCtor: undefined });

/**
 * The DOM face against Chromium's own WebSocket: the scenarios of spec/shared/dom-scenarios.ts
 * run on `new WebSocket(url)` and on `new RxWebSocket(url)` (no options: the drop-in form, over
 * the same platform class), against the report server's echo. The records must be equal, but
 * for `event.target`, the one difference docs/interop.md lists, which is checked apart.
 * Chromium follows the HTML rule for a replaced `on*` handler, and so must RxWebSocket.
 */
import { describe, expect, inject, it } from 'vitest';
import { RxWebSocket } from '../../src/index.js';
import { apart, runAll } from '../shared/dom-scenarios.js';

const { wsUrl } = inject('reportServer');
const url = (): string => `${wsUrl}/echo?id=${crypto.randomUUID()}`;

describe("RxWebSocket and Chromium's WebSocket see the same", () => {
  it('in every scenario, but for event.target', async () => {
    const native = await runAll((u) => new WebSocket(u), url());
    const ours = await runAll((u) => new RxWebSocket(u), url());
    expect(apart(ours).same).toEqual(apart(native).same);
    expect(apart(native).targets).toEqual({ lifecycle: true, dispatching: [true, true] });
    expect(apart(ours).targets).toEqual({ lifecycle: false, dispatching: [false, false] });
    // The oracle is not vacuous: Chromium keeps a replaced handler's place (the HTML rule).
    const log = (native.listeners as { log: string[] }).log;
    expect(log.slice(log.indexOf('--') + 1, log.indexOf('--') + 3)).toEqual(['a m2', 'onmessage-2 m2']);
  });
});

/**
 * The seed example's flow (Brython's browser.websocket page): bind open, message and close;
 * send on open, close on the echo. The same scenario runs on `ws` in Node
 * (spec/integration/seed-flow.spec.ts) and on Chromium's own WebSocket
 * (spec/browser/native-websocket.spec.ts). No Node API.
 */
import type { RxWebSocket, WsCloseEvent } from '../../src/index.js';

/** One call of a handler, with every argument it got. */
export interface HandlerCall {
  readonly evt: 'open' | 'message' | 'close';
  readonly args: unknown[];
}

/**
 * Binds the seed's three handlers on `ws` (on_open sends `text`, on_message closes, on_close
 * ends the flow); resolves once on_close has run, with every handler call in order and the
 * close event it got.
 */
export function seedFlow(ws: RxWebSocket, text: string): Promise<{ calls: HandlerCall[]; closeEvent: WsCloseEvent }> {
  const calls: HandlerCall[] = [];
  return new Promise((resolve) => {
    function on_open(...args: unknown[]): void {
      calls.push({ evt: 'open', args });
      ws.send(text);
    }
    function on_message(...args: unknown[]): void {
      calls.push({ evt: 'message', args });
      ws.close();
    }
    function on_close(...args: unknown[]): void {
      calls.push({ evt: 'close', args });
      resolve({ calls, closeEvent: args[0] as WsCloseEvent });
    }
    ws.bind('open', on_open);
    ws.bind('message', on_message);
    ws.bind('close', on_close);
  });
}

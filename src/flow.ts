import type { FlowLink } from './features.js';
import type { RxWebSocket } from './websocket.js';

/**
 * The hook of `brython-websocket/streams` into a socket (see `FlowLink`): holding its transport
 * paused, and what its backpressure depends on. Kept out of the socket's class, so that the main
 * entry ships nothing of it but the hold count and `applyHolds`; it reads the socket's private
 * members by name, which TypeScript checks.
 */
export function flowLink(socket: RxWebSocket<unknown, unknown>): FlowLink {
  return {
    get canPause() {
      const native = socket['native'];
      return typeof native.pause === 'function' && typeof native.resume === 'function';
    },
    scheduler: socket['scheduler'],
    maxQueue: socket['maxQueue'],
    get closeRequested() {
      return socket['closeRequested'];
    },
    hold() {
      socket['holds']++;
      socket['applyHolds']();
    },
    release() {
      if (socket['holds'] > 0) socket['holds']--;
      socket['applyHolds']();
    },
    report: (error) => socket['emitError'](error),
  };
}

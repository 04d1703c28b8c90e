// Loaded into every process and worker of a build by app.spec.ts (NODE_OPTIONS=--require):
// when PRERENDER_SOCKET_LOG is set, it installs a global WebSocket that never connects and
// writes the URL of each one constructed to that file. The app must construct none while it
// is prerendered. (Without it, Node 20 has no WebSocket at all, and on Node 22 or later a socket
// opened during the prerender may not reach the server before the prerender's worker exits.)
'use strict';
const { appendFileSync } = require('node:fs');

const log = process.env.PRERENDER_SOCKET_LOG;
if (log) {
  class RecordingWebSocket {
    constructor(url) {
      appendFileSync(log, `${String(url)}\n`);
      this.url = String(url);
      this.readyState = 0;
      this.protocol = '';
      this.extensions = '';
      this.bufferedAmount = 0;
      this.binaryType = 'blob';
    }
    addEventListener() {
      // It never connects, so no event ever fires.
    }
    removeEventListener() {
      // Nothing was ever dispatched to a listener.
    }
    send() {
      // Never open: nothing would be sent.
    }
    close() {
      this.readyState = 3;
    }
  }
  Object.assign(RecordingWebSocket, { CONNECTING: 0, OPEN: 1, CLOSING: 2, CLOSED: 3 });
  globalThis.WebSocket = RecordingWebSocket;
}

/**
 * The benches' in-process fake socket: `addEventListener`/`removeEventListener` over plain
 * arrays, and `fire` loops them as a native socket does. No network, so the figures measure
 * the dispatch path alone.
 */
export class FakeSocket {
  static CONNECTING = 0;
  static OPEN = 1;
  static CLOSING = 2;
  static CLOSED = 3;
  readyState = 0;
  protocol = '';
  extensions = '';
  bufferedAmount = 0;
  binaryType = 'blob';
  listeners = { open: [], message: [], error: [], close: [] };
  constructor(url) {
    this.url = url;
  }
  addEventListener(type, fn) {
    this.listeners[type] = [...this.listeners[type], fn];
  }
  removeEventListener(type, fn) {
    this.listeners[type] = this.listeners[type].filter((f) => f !== fn);
  }
  send() {}
  close() {}
  fire(type, event) {
    const list = this.listeners[type];
    for (let i = 0; i < list.length; i++) list[i].call(this, event);
  }
}

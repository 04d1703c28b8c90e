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
  send() {
    // No network: what is sent goes nowhere.
  }
  close() {
    // No network: the benches never need the close events.
  }
  fire(type, event) {
    for (const fn of this.listeners[type]) fn.call(this, event);
  }
}

/**
 * A FakeSocket class for `WebSocketCtor` that hands each socket it constructs to `onCreate`,
 * so that a bench can fire events at the socket a package made.
 */
export function fakeSocketClass(onCreate) {
  return class extends FakeSocket {
    constructor(url) {
      super(url);
      onCreate(this);
    }
  };
}

// The example from Brython's documentation (its `browser.websocket` page), translated to
// TypeScript on brython-websocket, line for line where it can be. examples/build-browser.mjs bundles it
// into bundle.js (a classic script, rxjs included); `npm run demo` serves the page.
//
// What differs from that example: each alert() is a line in the page's log (#log); the log
// also says "Connecting…" when Open is clicked and "Connection is open" once it is; the echo
// server is the page's own origin at /echo (override with ?url=wss://host/path) instead of
// wss://echo.websocket.org; and errors the package throws are logged instead of lost.

import { WebSocket, supported } from 'brython-websocket';
import type { RxWebSocket, WsMessageEvent } from 'brython-websocket';

// The project is type-checked without the DOM lib (the package needs none): these are the
// few DOM members this page uses.
interface PageElement {
  disabled: boolean;
  value: string;
  textContent: string | null;
  append(...nodes: PageElement[]): void;
  addEventListener(type: 'click', listener: () => void): void;
}
declare const document: {
  getElementById(id: string): PageElement | null;
  createElement(tag: 'li'): PageElement;
};
declare const location: { protocol: string; host: string; search: string };

function $(id: string): PageElement {
  const element = document.getElementById(id);
  if (element === null) throw new Error(`the page has no element with id="${id}"`);
  return element;
}

// The example's alert(): one line in the log.
function log(text: string): void {
  const line = document.createElement('li');
  line.textContent = text;
  $('log').append(line);
}

function describeError(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}

const ECHO_URL =
  new URLSearchParams(location.search).get('url') ??
  `${location.protocol === 'https:' ? 'wss:' : 'ws:'}//${location.host}/echo`;
$('url').textContent = ECHO_URL;

function on_open(): void {
  log('Connection is open');
  $('sendbtn').disabled = false;
  $('closebtn').disabled = false;
  $('openbtn').disabled = true;
}

function on_message(evt: WsMessageEvent): void {
  // message received from server (this page sends text, so the echo is text)
  log(`Message received : ${typeof evt.data === 'string' ? evt.data : '(binary data)'}`);
}

function on_close(): void {
  // websocket is closed
  log('Connection is closed');
  $('openbtn').disabled = false;
  $('closebtn').disabled = true;
  $('sendbtn').disabled = true;
}

let ws: RxWebSocket | null = null;

$('openbtn').addEventListener('click', function _open() {
  if (!supported) {
    log('WebSocket is not supported by your browser');
    return;
  }
  try {
    // open a web socket
    ws = WebSocket(ECHO_URL);
  } catch (error) {
    log(describeError(error));
    return;
  }
  log('Connecting…');
  // bind functions to web socket events
  ws.bind('open', on_open);
  ws.bind('message', on_message);
  ws.bind('close', on_close);
});

$('sendbtn').addEventListener('click', function send() {
  const data = $('data').value;
  if (data && ws) {
    try {
      ws.send(data);
    } catch (error) {
      log(describeError(error));
    }
  }
});

$('closebtn').addEventListener('click', function close_connection() {
  ws?.close();
  $('openbtn').disabled = false;
});

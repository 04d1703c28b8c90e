/**
 * Real Brython (npm `brython`) in Chromium: Brython's own `bind` on a JavaScript object calls
 * `addEventListener`, so a Python script that does `ws.bind('open', on_open)` on an
 * RxWebSocket runs its handlers; `unbind` calls `removeEventListener`. The page's Python code
 * is the flow of the example from Brython's documentation, against the report server's echo.
 */
import { config } from 'rxjs';
import { afterEach, describe, expect, inject, it } from 'vitest';
import { RxWebSocket } from '../../src/index.js';
// Brython's source as text, run as a classic script (vite would serve the file as a module).
import BRYTHON from '../../node_modules/brython/brython.js?raw';

const { wsUrl } = inject('reportServer');

/** The page, typed by hand: the project's types have no DOM lib. */
interface Script {
  type: string;
  id: string;
  textContent: string;
}
const page = globalThis as unknown as Record<string, unknown> & {
  document: {
    createElement(tag: 'script'): Script;
    head: { append(node: Script): void };
    body: { append(node: Script): void };
  };
  location: { origin: string };
};
const { document } = page;

function load(source: string): void {
  const script = document.createElement('script');
  script.textContent = source;
  document.head.append(script);
}

const PYTHON = `
from browser import window

ws = window.RxWebSocket.new(window.ECHO_URL)

def on_open(evt):
    window.report('open ' + evt.type)
    ws.send('one')
    ws.send('two')

def on_message(evt):
    window.report('first ' + evt.data)
    ws.unbind('message', on_message)

def on_any(evt):
    window.report('any ' + evt.data)
    if evt.data == 'two':
        ws.close()

def on_close(evt):
    window.report('close ' + str(evt.code))
    window.done()

ws.bind('open', on_open)
ws.bind('message', on_any)
# Bound last: Brython's own unbind fails on a handler that is not the last one of its event.
ws.bind('message', on_message)
ws.bind('close', on_close)
`;

afterEach(() => {
  config.onUnhandledError = null;
});

describe("Brython's bind on an RxWebSocket", () => {
  it('runs the handlers of a Python script through addEventListener', async () => {
    const w = page;
    const log: string[] = [];
    const reported: unknown[] = [];
    config.onUnhandledError = (error) => reported.push(error);
    const done = new Promise<void>((resolve) => {
      w.done = resolve;
    });
    w.report = (line: string) => log.push(line);
    w.ECHO_URL = `${wsUrl}/echo?id=${crypto.randomUUID()}`;
    w.RxWebSocket = RxWebSocket;
    // Brython finds its own folder from its script's URL; an inline script has none.
    w.__BRYTHON__ = { brython_path: `${page.location.origin}/node_modules/brython/` };
    load(BRYTHON);
    const script = document.createElement('script');
    script.type = 'text/python';
    script.id = 'brython-bind';
    script.textContent = PYTHON;
    document.body.append(script);
    (w.brython as (options: object) => void)({ debug: 1, ids: ['brython-bind'] });
    await done;
    // on_message ran once: Brython's unbind removed it (removeEventListener) after the first.
    expect(log).toEqual(['open open', 'any one', 'first one', 'any two', 'close 1000']);
    expect(reported).toEqual([]);
  });
});

/**
 * The example from Brython's documentation (examples/brython/index.html: its Python unchanged
 * but for the echo URL) end to end in Debian's Chromium on real Brython 3.14 from
 * node_modules: with this package's script in every supported order, with and without
 * brython_stdlib.js, and, for comparison, on Brython's own `browser.websocket`. The flow's
 * alerts (the example's log) must be the same lines in both.
 *
 * Chromium is `$CHROMIUM_PATH` or /usr/bin/chromium. Without it, vitest.config.ts leaves this
 * file out with a notice, unless CI is set: then it runs, and fails.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { bufferOf } from '../../spec/helpers/node-servers.js';
import { examplePage, harnessPerTest, label, ORDERS, probePage, type ScriptName, type Visit } from './harness.js';

const { version: VERSION } = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
  version: string;
};

const harness = harnessPerTest();

interface ServerView {
  received: string[];
  closeCodes: number[];
}

function watchServer(): ServerView {
  const view: ServerView = { received: [], closeCodes: [] };
  harness().wss.on('connection', (socket) => {
    socket.on('message', (data, isBinary) =>
      view.received.push(`${isBinary ? 'binary' : 'text'}: ${bufferOf(data).toString()}`),
    );
    socket.on('close', (code) => view.closeCodes.push(code));
  });
  return view;
}

async function disabled(visit: Visit): Promise<[boolean, boolean, boolean]> {
  const page = visit.page;
  return [
    await page.locator('#openbtn').isDisabled(),
    await page.locator('#sendbtn').isDisabled(),
    await page.locator('#closebtn').isDisabled(),
  ];
}

/**
 * Clicks through the example: open, type and send, wait for the echo, close; the server must
 * see the close code `closeCode`.
 */
async function runExample(
  scripts: readonly ScriptName[],
  text: string,
  closeCode = 1000,
): Promise<{ visit: Visit; view: ServerView }> {
  const view = watchServer();
  const visit = await harness().open(await harness().serve(await examplePage(scripts)));
  // Brython runs the page's Python at the load event: the click handler is bound once it did.
  await visit.page.waitForFunction(
    () =>
      (globalThis as { __BRYTHON__?: { imported?: Record<string, unknown> } }).__BRYTHON__?.imported?.__main__ !==
      undefined,
  );
  expect(await disabled(visit)).toEqual([false, true, true]);
  await visit.page.click('#openbtn');
  await visit.page.locator('#sendbtn:enabled').waitFor();
  expect(await disabled(visit)).toEqual([true, false, false]);
  await visit.page.fill('#data', text);
  await visit.page.click('#sendbtn');
  await expect.poll(() => visit.alerts.length).toBe(1);
  await visit.page.click('#closebtn');
  await expect.poll(() => visit.alerts.length).toBe(2);
  expect(await disabled(visit)).toEqual([false, true, true]);
  await expect.poll(() => view.closeCodes).toEqual([closeCode]);
  return { visit, view };
}

describe('the example page', () => {
  it("has the Python that docs/brython.md shows, and Brython's example line for line but for the echo URL", () => {
    const page = readFileSync(new URL('./index.html', import.meta.url), 'utf8');
    const python = /<script type="text\/python">\n([\s\S]*?)\n\s*<\/script>/.exec(page)?.[1];
    const docs = readFileSync(new URL('../../docs/brython.md', import.meta.url), 'utf8');
    const section = docs.slice(docs.indexOf("## The example from Brython's documentation"));
    const listed = /```python\n([\s\S]*?)\n```/.exec(section)?.[1];
    expect(python).toBeDefined();
    expect(listed).toBe(python);
    // The one line that differs from Brython's documentation: the echo server's URL.
    expect(python!.split('\n').filter((line) => line.includes('websocket.WebSocket('))).toEqual([
      "    ws = websocket.WebSocket(document['url'].text)",
    ]);
    expect(python).toContain('from browser import alert, document, websocket');
  });
});

describe("the example from Brython's documentation, in Chromium on Brython 3.14", () => {
  it.each(ORDERS.map((order) => [label(order), order] as const))('runs on this package with %s', async (_, order) => {
    const text = 'typed in Brython ✓';
    const { visit, view } = await runExample(order, text);
    expect(visit.alerts).toEqual([`Message received : ${text}`, 'Connection is closed']);
    expect(view.received).toEqual([`text: ${text}`]);
    expect(visit.errors).toEqual([]);
    expect(visit.tracebacks()).toEqual([]);
    // Prevented, not repaired: the last-moment check before Brython runs had nothing to put back.
    expect(visit.console.filter((line) => line.includes('brython-websocket:'))).toEqual([]);
    // The module that ran is this package's, and the install step saw the stdlib where it was.
    const install = await visit.page.evaluate(() => {
      const $B = (globalThis as unknown as { __BRYTHON__: Record<string, unknown> }).__BRYTHON__;
      const bridge = $B.brython_websocket as { install: Record<string, boolean> };
      const imported = $B.imported as Record<string, unknown>;
      return { ...bridge.install, imported: Object.keys(imported).includes('browser.websocket') };
    });
    const stdlibAfter = order.includes('stdlib') && order.indexOf('stdlib') > order.indexOf('ours');
    const stdlibBefore = order.includes('stdlib') && order.indexOf('stdlib') < order.indexOf('ours');
    expect(install).toEqual({
      afterBrython: order.indexOf('brython') < order.indexOf('ours'),
      replacedStdlib: stdlibBefore,
      keptStdlibOut: stdlibAfter,
      imported: true,
    });
    // Nothing of Brython's own module ran: its stdlib copy never reached the importer.
    const file = await visit.page.evaluate(() => {
      const $B = (globalThis as unknown as { __BRYTHON__: { VFS: Record<string, [string, string]> } }).__BRYTHON__;
      return $B.VFS['browser.websocket']![1].includes('brython_websocket');
    });
    expect(file).toBe(true);
  });

  it("gives the same log lines as Brython's own browser.websocket (brython.js + brython_stdlib.js alone)", async () => {
    const text = 'typed in Brython ✓';
    // Brython's own ws.close() sends no close code: the server sees 1005 (none). Ours sends 1000.
    const own = await runExample(['brython', 'stdlib'], text, 1005);
    // It was Brython's own module: no bridge on that page.
    expect(
      await own.visit.page.evaluate(
        () => 'brython_websocket' in (globalThis as unknown as { __BRYTHON__: object }).__BRYTHON__,
      ),
    ).toBe(false);
    // A fresh browser and server for the second page (stop() leaves the harness ready to start again).
    await harness().stop();
    await harness().start();
    const ours = await runExample(['brython', 'stdlib', 'ours'], text);
    expect(own.visit.alerts).toEqual([`Message received : ${text}`, 'Connection is closed']);
    expect(ours.visit.alerts).toEqual(own.visit.alerts);
    expect(ours.view.received).toEqual(own.view.received);
  });

  it('puts its module back, with a warning, when something replaces it in the VFS behind its back', async () => {
    const probe = `from browser import window, websocket
window.report('ours', hasattr(websocket, 'WebSocketError'))
window.finish()`;
    const replace = `<script>__BRYTHON__.VFS['browser.websocket'] = ['.py', 'supported = None', []];</script>`;
    const visit = await harness().open(
      await harness().serve(probePage(['brython', 'ours'], probe).replace('</head>', `${replace}</head>`)),
    );
    await visit.finished();
    expect(await visit.result()).toEqual({ ours: true });
    expect(visit.console).toContain(
      'warning: brython-websocket: something replaced browser.websocket after this script ran; it is put back',
    );
  });

  it("warns when loaded twice (the first copy stays) and when loaded after the page imported Brython's own module", async () => {
    const probe = `from browser import window, websocket
window.report('ours', hasattr(websocket, 'WebSocketError'))
window.finish()`;
    const twice = await harness().run(['brython', 'ours', 'ours'], probe);
    expect(await twice.result()).toEqual({ ours: true });
    expect(twice.console.filter((line) => line.includes('brython-websocket:'))).toEqual([
      `warning: brython-websocket: the script was loaded twice (versions ${VERSION} and ${VERSION}); the first one stays. Load it once.`,
    ]);

    const late = await harness().run(
      ['brython', 'stdlib'],
      `from browser import window, websocket, document, html
window.report('ours', hasattr(websocket, 'WebSocketError'))
script = html.SCRIPT(src='/dist/brython.js')
script.bind('load', lambda evt: window.finish())
document <= script`,
    );
    expect(await late.result()).toEqual({ ours: false });
    expect(late.console).toContain(
      'warning: brython-websocket: Brython had already imported its own browser.websocket before this script ran; load this script before the page runs any Python (next to brython.js)',
    );
  });

  it("is not displaced by Brython's compiled module cache (indexedDB) from an earlier page of the same origin", async () => {
    const probe = `from browser import window, websocket
window.report('ours', hasattr(websocket, 'WebSocketError'))
window.finish()`;
    // Brython keeps compiled stdlib modules in indexedDB per origin, keyed by module name.
    const own = await harness().run(['brython', 'stdlib'], probe);
    expect(await own.result()).toEqual({ ours: false });
    const ours = await harness().run(['brython', 'stdlib', 'ours'], probe);
    expect(await ours.result()).toEqual({ ours: true });
    const ownAgain = await harness().run(['brython', 'stdlib'], probe);
    expect(await ownAgain.result()).toEqual({ ours: false });
  });
});

describe("Brython's own browser.websocket, as docs/brython.md's table of differences describes it", () => {
  // The same probe on both modules; each row of the table that a probe can show.
  const probe = String.raw`from browser import window, websocket
URL = f"ws://{window.location.host}/echo"
r = {}
def t(name, fn):
    try:
        value = fn()
        r[name] = 'socket' if value is ws else repr(value)
    except BaseException as e:
        r[name] = type(e).__name__
class Holder:
    def method(self, evt):
        pass
holder = Holder()
def f(evt):
    pass
def g(evt):
    pass
ws = websocket.WebSocket(URL)
t('bind returns', lambda: ws.bind('open', f))
t('bind(evt) returns', lambda: type(ws.bind('message')).__name__)
t('bind unknown event', lambda: ws.bind('data', f) and None)
t('send before open', lambda: ws.send('x'))
t('bad url', lambda: websocket.WebSocket('localhost:8080'))
t('close(999)', lambda: ws.close(999))
t('events', lambda: ws.events('open'))
ws.bind('error', g)
ws.bind('error', g)
t('unbind twice bound', lambda: ws.unbind('error', g) and None)
t('unbind not bound', lambda: ws.unbind('close', g) and None)
ws.bind('close', holder.method)
t('unbind bound method', lambda: (ws.unbind('close', holder.method), len(ws.bindings().get('close', ())))[1])
def closed(evt):
    t('send after close', lambda: ws.send('late'))
    window.report('r', r)
    window.finish()
def opened(evt):
    t('send when open', lambda: ws.send('y'))
    ws.close()
ws.bind('open', opened)
ws.bind('close', closed)
`;

  it('on Brython 3.14.3 with its stdlib, and on this package', async () => {
    const own = await harness().run(['brython', 'stdlib'], probe);
    const ours = await harness().run(['brython', 'stdlib', 'ours'], probe);
    expect({ own: await own.result(), ours: await ours.result() }).toEqual({
      own: {
        r: {
          'bind returns': 'None',
          'bind(evt) returns': "'NoneType'",
          'bind unknown event': 'None',
          'send before open': 'JavascriptError',
          'bad url': 'JavascriptError',
          'close(999)': 'JavascriptError',
          events: 'AttributeError',
          'unbind twice bound': 'JavascriptError',
          'unbind not bound': 'None',
          'unbind bound method': '1',
          'send when open': '<Javascript undefined>',
          'send after close': '<Javascript undefined>',
        },
      },
      ours: {
        r: {
          'bind returns': 'socket',
          'bind(evt) returns': "'function'",
          'bind unknown event': 'InvalidArgumentError',
          'send before open': 'False',
          'bad url': 'InvalidURLError',
          'close(999)': 'InvalidCloseError',
          events: '[<function f>]',
          'unbind twice bound': 'None',
          'unbind not bound': 'InvalidArgumentError',
          'unbind bound method': '0',
          'send when open': 'True',
          'send after close': 'InvalidStateError',
        },
      },
    });
  });
});

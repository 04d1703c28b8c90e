/**
 * In-process dispatch cost, one contender per fresh process:
 *   node dispatch-client.mjs <contender> <subscribers> <events>
 * A minimal fake socket (an EventTarget-like object, no network) fires <events> message
 * events, each to <subscribers> handlers attached through the contender's API. Prints one
 * JSON line `{ "ns": <ns per event>, "seen": <handler calls> }` after a warm-up of the
 * same length, so the optimizing compiler has run.
 */
import { performance } from 'node:perf_hooks';
import { FakeSocket, fakeSocketClass } from './fake-socket.mjs';

const [name, subsText, eventsText] = process.argv.slice(2);
const subscribers = Number(subsText);
const events = Number(eventsText);

let seen = 0;
/** A distinct handler per subscriber, each reading `.data` as a real one would. */
const handler = () => (e) => {
  seen += e.data.length;
};

const DIST = new URL('../../dist/index.js', import.meta.url).href;
let fake;
switch (name) {
  case 'direct':
    fake = new FakeSocket('ws://fake');
    for (let i = 0; i < subscribers; i++) fake.addEventListener('message', handler());
    break;
  case 'fromEvent': {
    const { fromEvent } = await import('rxjs');
    fake = new FakeSocket('ws://fake');
    const source = fromEvent(fake, 'message');
    for (let i = 0; i < subscribers; i++) source.subscribe(handler());
    break;
  }
  case 'ours-message$':
  case 'ours-bind':
  case 'ours-onmessage':
  case 'base-message$':
  case 'base-bind': {
    // base-*: the same paths in an earlier build (BENCH_BASELINE_DIST), for before and after.
    const base = name.startsWith('base-');
    const { RxWebSocket } = await import(
      base ? new URL(`file://${process.env.BENCH_BASELINE_DIST}/index.js`).href : DIST
    );
    const socket = new RxWebSocket('ws://fake', {
      WebSocketCtor: fakeSocketClass((created) => {
        fake = created;
      }),
    });
    for (let i = 0; i < subscribers; i++) {
      if (name.endsWith('-bind')) socket.bind('message', handler());
      else if (name === 'ours-onmessage') {
        // The DOM face: the on* handler first, then listeners.
        if (i === 0) socket.onmessage = handler();
        else socket.addEventListener('message', handler());
      } else socket.message$.subscribe(handler());
    }
    break;
  }
  default:
    throw new Error(`unknown contender ${name}`);
}

const event = { type: 'message', data: 'xxxxxxxxxxxxxxxx' };
const fire = (k) => {
  for (let i = 0; i < k; i++) fake.fire('message', event);
};
fire(events);
seen = 0;
const t0 = performance.now();
fire(events);
const ns = ((performance.now() - t0) * 1e6) / events;
if (seen !== events * subscribers * event.data.length) throw new Error(`${name}: ${seen} bytes seen`);
process.stdout.write(`${JSON.stringify({ ns, seen: seen / event.data.length })}\n`, () => process.exit(0));

// Every entry of the installed package, through its ESM build, on the RxJS this app installed.
// Run by .ci/rxjs-majors.sh in an app made by `npm install <packed tarball> rxjs@X ws`.
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import * as rxjs from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { WebSocket as WsCtor, WebSocketServer } from 'ws';
import { CloseError, RxWebSocket, WebSocket } from 'brython-websocket';
import { reconnect } from 'brython-websocket/resilience';
import { FakeWebSocket, marbleServer } from 'brython-websocket/testing';
import { ObjectUnsubscribedError, webSocket, WebSocketSubject } from 'brython-websocket/webSocket';

const version = createRequire(import.meta.url)('rxjs/package.json').version;
const major = Number(version.split('.')[0]);
const { firstValueFrom, lastValueFrom, map, take, toArray } = rxjs;

const server = new WebSocketServer({ port: 0, host: '127.0.0.1' });
await new Promise((resolve) => server.once('listening', resolve));
server.on('connection', (socket) => socket.on('message', (data, binary) => socket.send(binary ? data : String(data))));
const url = `ws://127.0.0.1:${server.address().port}`;

// The main entry: Brython's face and the subject face, on a real server.
const ws = WebSocket(url, { WebSocketCtor: WsCtor });
assert.ok(ws instanceof RxWebSocket && ws instanceof rxjs.Observable);
const echoed = [];
ws.bind('message', (evt) => echoed.push(evt.data));
const two = lastValueFrom(ws.pipe(take(2), toArray()));
ws.send('hello');
ws.send('world');
assert.deepEqual(await two, ['hello', 'world']);
const closed = firstValueFrom(ws.close$);
ws.close(1000);
assert.equal((await closed).code, 1000);
assert.deepEqual(echoed, ['hello', 'world']);

// brython-websocket/resilience: a dropped connection comes back, the same object goes on.
const lasting = WebSocket(url, { WebSocketCtor: WsCtor, reconnect: reconnect({ initialDelay: 10, jitter: 0 }) });
await firstValueFrom(lasting.open$);
for (const client of server.clients) client.terminate();
await firstValueFrom(lasting.state$.pipe(rxjs.filter((state) => state === 'reconnecting')));
await firstValueFrom(lasting.open$);
const back = firstValueFrom(lasting);
lasting.send('back');
assert.equal(await back, 'back');
lasting.close();

// brython-websocket/webSocket: the drop-in for rxjs/webSocket, and its ObjectUnsubscribedError.
const subject = webSocket({ url, WebSocketCtor: WsCtor });
assert.ok(subject instanceof WebSocketSubject);
const reply = firstValueFrom(subject);
subject.next({ n: 1 });
assert.deepEqual(await reply, { n: 1 });
subject.unsubscribe();
assert.throws(() => subject.next({ n: 2 }), (error) => {
  assert.ok(error instanceof ObjectUnsubscribedError);
  assert.equal(error.name, 'ObjectUnsubscribedError');
  assert.equal(error.message, 'object unsubscribed');
  return true;
});
// RxJS 7's own class where RxJS has one; the package's own on RxJS 8, which removed it.
assert.equal(ObjectUnsubscribedError === rxjs.ObjectUnsubscribedError, major === 7);

// brython-websocket/testing: FakeWebSocket, and marbleServer on this RxJS's TestScheduler.
FakeWebSocket.reset();
const fake = WebSocket('ws://test/', { WebSocketCtor: FakeWebSocket });
const errors = [];
fake.subscribe({ error: (error) => errors.push(error) });
FakeWebSocket.last.open();
FakeWebSocket.last.fail();
assert.ok(errors[0] instanceof CloseError && errors[0].closeCode === 1006);
new TestScheduler((actual, expected) => assert.deepEqual(actual, expected)).run((helpers) => {
  const marbles = marbleServer(helpers);
  const socket = WebSocket('ws://test/', { WebSocketCtor: marbles.WebSocketCtor });
  socket.bind('message', (evt) => socket.send(`echo ${String(evt.data)}`));
  marbles.script('-o-a-x', { a: 'hi', x: { close: 4001, reason: 'bye' } });
  helpers.expectObservable(socket).toBe('---a-|', { a: 'hi' });
  helpers.expectObservable(marbles.sent$).toBe('---a-', { a: 'echo hi' });
  helpers.expectObservable(socket.close$.pipe(map((e) => e.code))).toBe('-----(c|)', { c: 4001 });
});

await new Promise((resolve) => server.close(resolve));
console.log(`ESM: every entry works on rxjs ${version}`);

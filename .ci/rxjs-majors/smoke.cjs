// Every entry of the installed package, through its CommonJS build, on the RxJS this app installed.
const assert = require('node:assert/strict');
const rxjs = require('rxjs');
const { WebSocket, WebSocketError } = require('brython-websocket');
const { heartbeat } = require('brython-websocket/resilience');
const { FakeWebSocket } = require('brython-websocket/testing');
const { ObjectUnsubscribedError, webSocket } = require('brython-websocket/webSocket');

const version = require('rxjs/package.json').version;
FakeWebSocket.reset();
const ws = WebSocket('ws://test/', { WebSocketCtor: FakeWebSocket, heartbeat: heartbeat({ interval: 1000, message: 'ping' }) });
assert.ok(ws instanceof rxjs.Observable);
const got = [];
ws.bind('message', (evt) => got.push(evt.data));
assert.equal(ws.send('queued'), false);
FakeWebSocket.last.open();
FakeWebSocket.last.receive('hi');
assert.deepEqual(FakeWebSocket.last.sent, ['queued']);
assert.deepEqual(got, ['hi']);
ws.close();
assert.throws(() => ws.send('late'), WebSocketError);

const subject = webSocket({ url: 'ws://test/', WebSocketCtor: FakeWebSocket });
const values = [];
subject.subscribe((value) => values.push(value));
subject.next({ n: 1 });
FakeWebSocket.last.open();
FakeWebSocket.last.receive('{"n":2}');
assert.deepEqual(FakeWebSocket.last.sent, ['{"n":1}']);
assert.deepEqual(values, [{ n: 2 }]);
subject.unsubscribe();
assert.throws(() => subject.next({ n: 3 }), ObjectUnsubscribedError);
assert.equal(ObjectUnsubscribedError === rxjs.ObjectUnsubscribedError, version.startsWith('7.'));
console.log(`CJS: every entry works on rxjs ${version}`);

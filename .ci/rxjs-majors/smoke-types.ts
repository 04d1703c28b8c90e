// The installed package's declarations, every entry, compiled with skipLibCheck off on the
// RxJS this app installed (.ci/rxjs-majors.sh runs tsc on it).
import { Observable } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { CloseError, WebSocket, type RxWebSocket, type WsMessageEvent } from 'brython-websocket';
import { heartbeat, reconnect } from 'brython-websocket/resilience';
import { FakeWebSocket, marbleServer } from 'brython-websocket/testing';
import { ObjectUnsubscribedError, webSocket, type WebSocketSubject } from 'brython-websocket/webSocket';

const ws: RxWebSocket = WebSocket('ws://test/', { WebSocketCtor: FakeWebSocket, reconnect: reconnect(), heartbeat: heartbeat({ interval: 1000, message: 'ping' }) });
const asObservable: Observable<unknown> = ws;
ws.bind('message', (evt: WsMessageEvent) => evt.data);
const subject: WebSocketSubject<{ price: number }, { op: string }> = webSocket({ url: 'ws://test/', WebSocketCtor: FakeWebSocket });
subject.next({ op: 'subscribe' });
const prices: Observable<number> = new Observable<{ price: number }>((s) => subject.subscribe(s)).pipe((source) => new Observable<number>((s) => source.subscribe((m) => s.next(m.price))));
const unsubscribed: Error = new ObjectUnsubscribedError();
const closed: CloseError | undefined = undefined;
new TestScheduler(() => undefined).run((helpers) => marbleServer(helpers).script('-o-|'));
export { asObservable, prices, unsubscribed, closed };

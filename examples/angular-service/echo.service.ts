/**
 * An Angular service that owns a WebSocket: the messages as an observable (`messages$`) and as
 * a signal (`messages`), the connection state as a signal (`state`), `send()`, reconnection
 * after a drop, and a clean close (1000) when its injector is destroyed.
 *
 *   bootstrapApplication(App, { providers: [provideEchoService({ url: 'wss://echo.example.com' })] });
 *   // or with a reconnect policy of your own (import { reconnect } from 'brython-websocket/resilience'):
 *   provideEchoService({ url: 'wss://echo.example.com', reconnect: reconnect({ attempts: 10, maxDelay: 10_000 }) });
 *   // in a component: readonly echo = inject(EchoService);
 *   // template: @for (m of echo.messages(); track $index) { <p>{{ m }}</p> }  ·  {{ echo.state() }}
 *
 * The class has no `@Injectable()`: `provideEchoService` provides it with `useFactory`, so it
 * runs without the Angular compiler (JIT or AOT), as plain TypeScript on `@angular/core`. In an
 * Angular CLI app, `@Injectable({ providedIn: 'root' })` on the class works as well.
 *
 * Tests: `npx vitest run examples/angular-service` (Angular's own injector on a real `ws`
 * server, and marble tests with `brython-websocket/testing`).
 */
import { DestroyRef, inject, InjectionToken, type Provider, type Signal } from '@angular/core';
import { toSignal } from '@angular/core/rxjs-interop';
import { catchError, EMPTY, Observable, scan } from 'rxjs';
import { WebSocket, type RxWebSocket, type SocketState, type WebSocketConstructor, type WsMessageEvent } from 'brython-websocket';
import { reconnect, type ReconnectFeature } from 'brython-websocket/resilience';

/** The server's URL. Required. */
export const SOCKET_URL = new InjectionToken<string>('SOCKET_URL');
/** The WebSocket constructor: `ws`'s in Node 20, a `FakeWebSocket` in tests. Optional: the platform's by default. */
export const WEBSOCKET_CTOR = new InjectionToken<WebSocketConstructor>('WEBSOCKET_CTOR');
/**
 * How to reconnect after a drop: `reconnect(…)` from 'brython-websocket/resilience', or `false`
 * (never). Optional: `reconnect()`, the package's defaults, by default.
 */
export const SOCKET_RECONNECT = new InjectionToken<ReconnectFeature | false>('SOCKET_RECONNECT');

/** How many messages the `messages` signal keeps, newest last. */
export const MESSAGE_HISTORY = 100;

/** The close reason the server sees when the service is destroyed. */
export const DESTROY_REASON = 'service destroyed';

/** The deserializer: text messages only; a binary one is skipped (a `DecodeError` on the socket's `error$`). */
function text(event: WsMessageEvent): string {
  if (typeof event.data !== 'string') throw new TypeError('EchoService takes text messages; a binary message was skipped');
  return event.data;
}

export class EchoService {
  /**
   * Each text message from the server. Hot: a subscriber gets the messages from then on. It
   * completes when the socket closes for good (the service destroyed, or a clean close the
   * service does not reconnect after), and errors with the `CloseError` when that close was
   * unclean (reconnection given up).
   */
  readonly messages$: Observable<string>;
  /** The last `MESSAGE_HISTORY` messages, newest last. Keeps them after the socket has closed. */
  readonly messages: Signal<readonly string[]>;
  /** `'connecting'`, `'open'`, `'closing'`, `'reconnecting'`, then `'closed'` for good. */
  readonly state: Signal<SocketState>;

  private readonly socket: RxWebSocket<string, string>;

  /** Call it in an injection context (a provider's factory): it injects its configuration. */
  constructor() {
    const WebSocketCtor = inject(WEBSOCKET_CTOR, { optional: true });
    this.socket = WebSocket<string, string>(inject(SOCKET_URL), {
      reconnect: inject(SOCKET_RECONNECT, { optional: true }) ?? reconnect(),
      deserializer: text,
      ...(WebSocketCtor === null ? {} : { WebSocketCtor }),
    });
    // A read-only view: the socket itself is also an Observer, which callers should not get.
    this.messages$ = new Observable<string>((subscriber) => this.socket.subscribe(subscriber));

    // `manualCleanup`: the signals follow the socket to its end ('closing', then 'closed')
    // instead of stopping at destroy time; their subscriptions end when the socket's streams
    // complete, at its final close, so nothing outlives the socket.
    this.state = toSignal(this.socket.state$, { requireSync: true, manualCleanup: true });
    this.messages = toSignal(
      this.messages$.pipe(
        scan((history: readonly string[], message: string) => [...history.slice(1 - MESSAGE_HISTORY), message], []),
        // The history stays readable after an unclean final close; `state` says 'closed'.
        catchError(() => EMPTY),
      ),
      { initialValue: [], manualCleanup: true },
    );

    inject(DestroyRef).onDestroy(() => this.socket.close(1000, DESTROY_REASON));
  }

  /**
   * Sends `message`. Returns `true` when it went out at once, `false` when it was queued
   * (connecting or reconnecting: it goes out, in order, on the next open). Throws
   * `ERR_WS_INVALID_STATE` once the service is destroyed.
   */
  send(message: string): boolean {
    return this.socket.send(message);
  }
}

/** What `provideEchoService` needs. */
export interface EchoServiceConfig {
  url: string;
  /** @default the platform's WebSocket */
  WebSocketCtor?: WebSocketConstructor;
  /**
   * `reconnect({ … })` from 'brython-websocket/resilience', or `false` to never reconnect.
   * @default reconnect() (the package's defaults)
   */
  reconnect?: ReconnectFeature | false;
}

/**
 * The providers of the service and its configuration, for `bootstrapApplication`, a route, a
 * component's `providers`, or `Injector.create`.
 */
export function provideEchoService(config: EchoServiceConfig): Provider[] {
  return [
    { provide: SOCKET_URL, useValue: config.url },
    ...(config.WebSocketCtor === undefined ? [] : [{ provide: WEBSOCKET_CTOR, useValue: config.WebSocketCtor }]),
    ...(config.reconnect === undefined ? [] : [{ provide: SOCKET_RECONNECT, useValue: config.reconnect }]),
    { provide: EchoService, useFactory: () => new EchoService() },
  ];
}
